"""Reading JSON and YAML documents exactly and safely, with every problem located.

Numbers are read as exact decimals that remember their source text (never binary floats);
duplicate keys, NaN, Infinity and exponents are reported rather than silently accepted; YAML is
read with the safe loader, no Python tags, and a bound on alias expansion.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from svengine.numbers import (
    DECIMAL_PATTERN,
    GRAMMAR,
    MAX_INTEGER_DIGITS,
    SourceDecimal,
    grammar_error,
)
from svengine.problems import Location, Problem, bounded, json_path

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_YAML_NODES = 1_000_000
_CHARACTERS_PER_VALUE = 64
"""The alias bound counts expanded size: a scalar of text counts one value per 64 characters."""
MAX_DEPTH = 64
"""Nesting deeper than this is refused before validation (the deepest svengine document needs about 6)."""
_PLAIN_INT = re.compile(r"^-?[0-9]+$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters no text input needs (tab, line feed and carriage return are fine); XML cannot hold most."""
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_DECIMAL = re.compile(DECIMAL_PATTERN)


class _DuplicateKeys(dict[str, Any]):
    """A mapping that remembers keys given more than once (the last value wins, as in JSON)."""

    duplicates: list[str]


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    duplicates = []
    for key, value in pairs:
        if key in result:
            duplicates.append(key)
        result[key] = value
    if duplicates:
        marked = _DuplicateKeys(result)
        marked.duplicates = duplicates
        return marked
    return result


def _json_int(text: str) -> int | SourceDecimal:
    # A very long integer is kept as text so the grammar check can refuse it with its place.
    return int(text) if len(text) <= 18 else SourceDecimal(text)


# Escapes that can put into a JSON string a character _UNWRITABLE refuses: \b, \f, and \u of a control
# character, DEL, a surrogate, U+FFFE or U+FFFF. It may also match harmless text (`\\b`, `\u000A`, a
# surrogate pair): that only sends the document to the full check.
_SUSPECT_ESCAPE = re.compile(r"\\(?:[bf]|u(?:00[01]|007[fF]|[dD][89a-fA-F]|[fF]{3}[eEfF]))")


class _QuickCheck:
    """What parsing alone can tell of the checks `is_clean` makes, so most documents need no walk.

    The hooks see every number's text and every object's keys as the parser meets them; `suspect`
    is set by anything the full check might refuse (a number outside the grammar, a long integer,
    NaN/Infinity, a duplicate key). Anything suspect goes to the full check, which decides.
    """

    def __init__(self) -> None:
        self.suspect = False

    def number(self, text: str) -> SourceDecimal:
        if not _DECIMAL.fullmatch(text):
            self.suspect = True
        return SourceDecimal(text)

    def integer(self, text: str) -> int | SourceDecimal:
        if len(text) <= 15:
            return int(text)  # what _json_int gives
        self.suspect = (
            True  # at most 15 digits are within the grammar ("-" counted: only ever too strict)
        )
        return _json_int(text)

    def constant(self, text: str) -> SourceDecimal:
        self.suspect = True
        return SourceDecimal(text)

    def mapping(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)  # what _json_object gives when no key repeats
        if len(result) != len(pairs):
            self.suspect = True
            return _json_object(pairs)
        return result


def _shallow(document: Any) -> bool:
    """True when no list or object of a parsed JSON document is nested MAX_DEPTH levels deep (as `is_clean` counts)."""
    level = [document] if type(document) in (dict, list) else []
    for _ in range(MAX_DEPTH):
        if not level:
            return True
        level = [
            child
            for item in level
            for child in (item.values() if type(item) is dict else item)
            if type(child) in (dict, list)
        ]
    return not level


def _quickly_clean(text: str, document: Any, check: _QuickCheck) -> bool:
    """`is_clean(document)` for a document json.loads just parsed from `text` with `check`'s hooks, or
    False when in doubt (then `is_clean` decides).

    A JSON parse cannot make cycles, shared containers or non-text keys. Every character of a
    string or key comes from the raw text or from an escape, so with no unwritable character in the
    text and no suspect escape, no string holds one. Numbers and duplicate keys were seen by the
    hooks; only the nesting depth needs a walk, over containers alone.
    """
    return (
        not check.suspect
        and not _UNWRITABLE.search(text)
        and not _SUSPECT_ESCAPE.search(text)
        and _shallow(document)
    )


def parse_json(text: str, file: str | None = None) -> tuple[Any, list[Problem]]:
    """Parse JSON text; returns the document (None if unreadable) and its problems."""
    check = _QuickCheck()
    try:
        document = json.loads(
            text,
            parse_float=check.number,
            parse_int=check.integer,
            parse_constant=check.constant,
            object_pairs_hook=check.mapping,
        )
    except json.JSONDecodeError as error:
        return None, [
            Problem(
                "malformed_json",
                f"this is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                Location(file=file, line=error.lineno),
            )
        ]
    except RecursionError:
        return None, [
            Problem("malformed_json", "the JSON is nested too deeply to read", Location(file=file))
        ]
    return document, [] if _quickly_clean(text, document, check) else number_problems(
        document, file
    )


class _SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader with exact numbers, duplicate-key detection and bounded alias expansion."""

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node, {})
        if size > MAX_YAML_NODES:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the document expands through its aliases (&/*) to more than {MAX_YAML_NODES:,}"
                f" values or {MAX_YAML_NODES * _CHARACTERS_PER_VALUE // 1_000_000:,} million"
                " characters: refused as a possible alias bomb",
                node.start_mark,
            )
        return self.construct_document(node)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:
                duplicate = False
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f'the key "{key}" appears twice in the same mapping',
                    key_node.start_mark,
                )
            seen.add(key) if not isinstance(key, (list, dict)) else None
        return super().construct_mapping(node, deep=deep)


def _expanded_size(
    node: yaml.Node, sizes: dict[int, int], open_nodes: set[int] | None = None
) -> int:
    """How many values the node stands for once every alias is expanded (memoised, so linear).

    A node that contains itself (`a: &a [*a]`) would expand for ever: it is refused, never walked.
    """
    known = sizes.get(id(node))
    if known is not None:
        return known
    open_nodes = set() if open_nodes is None else open_nodes
    if id(node) in open_nodes:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            "an alias (*) refers to a value that contains it, which would never end",
            node.start_mark,
        )
    open_nodes.add(id(node))
    total = 1
    if isinstance(node, yaml.ScalarNode):
        total += len(node.value) // _CHARACTERS_PER_VALUE  # long text counts by its length
    elif isinstance(node, yaml.SequenceNode):
        total += sum(_expanded_size(child, sizes, open_nodes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(
            _expanded_size(k, sizes, open_nodes) + _expanded_size(v, sizes, open_nodes)
            for k, v in node.value
        )
    open_nodes.discard(id(node))
    sizes[id(node)] = total
    return total


def _yaml_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | SourceDecimal:
    text = str(loader.construct_scalar(node))
    if _PLAIN_INT.match(text) and len(text) <= 18:
        return int(text)
    return SourceDecimal(
        text
    )  # 0x1F, 1_000, 1:30 and very long integers are refused by the grammar check


def _yaml_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> SourceDecimal:
    return SourceDecimal(str(loader.construct_scalar(node)))


_SafeLoader.add_constructor("tag:yaml.org,2002:int", _yaml_int)
_SafeLoader.add_constructor("tag:yaml.org,2002:float", _yaml_float)


def _code_point(character: int | str) -> str:
    return f"{character if isinstance(character, int) else ord(character[:1] or ' '):04X}"


def parse_yaml(text: str, file: str | None = None) -> tuple[Any, list[Problem]]:
    """Parse YAML text safely; returns the document (None if unreadable) and its problems."""
    try:
        loader = _SafeLoader(text)
    except yaml.reader.ReaderError as error:  # raised while the text is checked, before any parsing
        at = text.count("\n", 0, error.position) + 1
        return None, [
            Problem(
                "malformed_yaml",
                f"this is not valid YAML: the character U+{_code_point(error.character)} is not allowed in YAML text",
                Location(file=file, line=at),
            )
        ]
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = error.problem or error.context or "unreadable"
        if "could not determine a constructor" in reason and "yaml.org,2002:merge" in reason:
            reason = (
                "the merge key `<<` is not supported; write the values out in full where they are"
                " needed"
            )
        elif "could not determine a constructor" in reason:
            reason = "tags such as !!python/... are not allowed"
        elif "'\\t'" in reason or "\t" in reason:
            reason = (
                "the line starts with a tab; YAML indents with spaces only: replace the tab with"
                " spaces (as many as the lines around it use)"
            )
        return None, [
            Problem(
                "malformed_yaml",
                f"this is not valid YAML: {reason}",
                Location(file=file, line=line),
            )
        ]
    except yaml.YAMLError as error:
        return None, [
            Problem("malformed_yaml", f"this is not valid YAML: {error}", Location(file=file))
        ]
    except RecursionError:
        return None, [
            Problem("malformed_yaml", "the YAML is nested too deeply to read", Location(file=file))
        ]
    finally:
        loader.dispose()
    return document, number_problems(document, file)


# The audit record lists exactly the files an evaluation read, byte for byte. A context variable lets
# every reader report what it read without threading a parameter through each loader signature.
_read_files: ContextVar[dict[str, bytes] | None] = ContextVar("svengine_read_files", default=None)


@contextmanager
def recording_reads() -> Iterator[dict[str, bytes]]:
    """Collect {absolute normalised path: bytes} of every input file read inside this block."""
    files: dict[str, bytes] = {}
    token = _read_files.set(files)
    try:
        yield files
    finally:
        _read_files.reset(token)


def record_read(path: Path, data: bytes) -> None:
    """Report an input file's bytes to the audit record (every reader of input files must call this)."""
    files = _read_files.get()
    if files is not None:
        files.setdefault(os.path.normpath(os.path.abspath(path)), data)


# While `verify` re-runs a bundle, every read goes through this: a path inside the bundle (or one
# the bundle holds a copy of) comes back as the path to read; anything else is None and refused.
_confinement: ContextVar[Callable[[str], str | None] | None] = ContextVar(
    "svengine_confinement", default=None
)


@contextmanager
def confined(resolve: Callable[[str], str | None]) -> Iterator[None]:
    """Inside this block, an input is read only where `resolve` (absolute normalised path) allows."""
    token = _confinement.set(resolve)
    try:
        yield
    finally:
        _confinement.reset(token)


def read_input(path: Path, file: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of an input file, read safely, and recorded for the audit record.

    The rule (docs/reliability.md): an input is a regular file. A symbolic link, a folder, a device,
    a FIFO or a socket is a located problem, refused before it is opened for reading (a FIFO would
    block, /dev/zero would never end); the bytes are counted as they are read, so a file that grows
    or lies about its size stops at `limit`.
    """
    where = Location(file=file)
    target = os.path.normpath(os.path.abspath(path))
    resolve = _confinement.get()
    if resolve is not None:
        inside = resolve(target)
        if inside is None:
            return None, [
                Problem(
                    "outside_bundle",
                    "this file is not in the bundle; verify reads only the copies inside the bundle",
                    where,
                )
            ]
        target = inside
    problem = not_a_regular_file(Path(target), file)
    if problem is not None:
        return None, [problem]
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        descriptor = os.open(target, flags | getattr(os, "O_BINARY", 0))
    except OSError as error:
        return None, [
            Problem("unreadable_file", f"the file cannot be read: {error.strerror}", where)
        ]
    with os.fdopen(descriptor, "rb") as stream:
        opened = os.fstat(stream.fileno())
        kind = _not_regular(opened.st_mode)  # swapped after the lstat?
        if kind is not None:
            return None, [Problem("not_a_file", kind, where)]
        if opened.st_size > limit:
            return None, [
                Problem(
                    "file_too_large",
                    f"the file is {opened.st_size:,} bytes; the limit is {limit:,}",
                    where,
                )
            ]
        chunks: list[bytes] = []
        count = 0
        try:
            while chunk := stream.read(min(1 << 20, limit + 1 - count)):
                chunks.append(chunk)
                count += len(chunk)
                if count > limit:
                    return None, [
                        Problem(
                            "file_too_large",
                            f"the file is more than {limit:,} bytes, the limit",
                            where,
                        )
                    ]
        except OSError as error:
            return None, [
                Problem("unreadable_file", f"the file cannot be read: {error.strerror}", where)
            ]
    data = b"".join(chunks)
    record_read(Path(target), data)
    return data, []


def not_a_regular_file(path: Path, file: str) -> Problem | None:
    """Why `path` is not an input (missing, a link, a folder, a FIFO, a device), without opening it."""
    where = Location(file=file)
    try:
        kind = _not_regular(os.lstat(path).st_mode)
    except FileNotFoundError:
        return Problem("missing_file", "the file does not exist", where)
    except OSError as error:
        return Problem("unreadable_file", f"the file cannot be read: {error.strerror}", where)
    return None if kind is None else Problem("not_a_file", kind, where)


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not an input (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return (
            "this is a symbolic link; inputs must be ordinary files, so copy the file itself here"
        )
    if stat.S_ISDIR(mode):
        return "this is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "this is a pipe (FIFO), not a file; inputs must be ordinary files"
    return "this is a device or other special file, not an ordinary file; inputs must be ordinary files"


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file (a byte-order mark is accepted); refuse huge or non-UTF-8 files."""
    data, problems = read_input(path, file, MAX_DOCUMENT_BYTES)
    if data is None:
        return None, problems
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                "not_utf8",
                f"the file is not UTF-8 text: line {line} has a character saved in another"
                f" encoding (byte {error.start + 1}, often a £ or an accent from Excel's plain"
                ' "CSV" or Windows text). Save it again as UTF-8: in Excel, File > Save As >'
                ' "CSV UTF-8 (Comma delimited) (*.csv)"; in a text editor, choose UTF-8',
                Location(file=file, line=line),
            )
        ]
    control = _CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        return None, [
            Problem(
                "control_character",
                f"the file contains the control character U+{ord(control.group()):04X} (line "
                f"{line}); is it a binary file, or text saved as UTF-16? save it as UTF-8 text",
                Location(file=file, line=line),
            )
        ]
    return text, []


_PATH_PART = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def _yaml_position(root: yaml.Node, path: str) -> tuple[int, int]:
    """(line, column), from 1, of the value at JSON path `path` ($.a.b[0]) under the composed YAML
    `root`; the nearest enclosing value that exists when the last part does not (a missing field)."""
    found = root
    for key, index in _PATH_PART.findall(path[1:] if path.startswith("$") else path):
        if isinstance(found, yaml.MappingNode) and key:
            found = next((v for k, v in found.value if k.value == key), found)
        elif isinstance(found, yaml.SequenceNode) and index and int(index) < len(found.value):
            found = found.value[int(index)]
        else:
            break
    return found.start_mark.line + 1, found.start_mark.column + 1


def with_yaml_positions(problems: list[Problem], text: str, file: str) -> list[Problem]:
    """Problems located by JSON path in YAML `text` (the file `file`) with its line and column too."""
    try:
        root = _SafeLoader(text).get_single_node()  # composed once, for every problem
    except yaml.YAMLError:
        return problems
    if root is None:
        return problems
    out = []
    for problem in problems:
        where = problem.location
        if where.file == file and where.path and where.line is None and where.sheet is None:
            line, column = _yaml_position(root, where.path)
            problem = replace(
                problem, location=replace(where, line=line, column=f"column {column}")
            )
        out.append(problem)
    return out


def read_document(path: Path, file: str | None = None) -> tuple[Any, list[Problem]]:
    """Read a JSON (`.json`) or YAML (anything else) document from a file."""
    name = file or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem("empty_file", "the file is empty", Location(file=name))]
    if path.suffix.lower() == ".json":
        return parse_json(text, name)
    return parse_yaml(text, name)


_CYCLE = object()
"""Stands for a value that contains itself (only a Python caller can build one), which is never walked."""


def _walk(value: Any, parts: list[str | int]) -> Iterator[tuple[list[str | int], Any]]:
    """Every value of the document with its path, in document order.

    A loop, so nesting depth is no limit; each entry carries its chain of enclosing containers, so a
    value that contains itself is reported once (as `_CYCLE`) instead of being walked for ever.
    """
    Chain = tuple[int, Any] | None
    stack: list[tuple[list[str | int], Any, Chain]] = [(parts, value, None)]
    while stack:
        where, item, enclosing = stack.pop()
        if isinstance(item, (dict, list)):
            link: Chain = enclosing
            while link is not None:
                if link[0] == id(item):
                    break
                link = link[1]
            if link is not None:
                yield where, _CYCLE
                continue
            if (
                len(where) > MAX_DEPTH
            ):  # reported by number_problems; deeper paths would only cost time
                yield where, item
                continue
            chain: Chain = (id(item), enclosing)
            children = item.items() if isinstance(item, dict) else enumerate(item)
            yield where, item
            stack.extend(
                reversed(
                    [
                        ([*where, key if isinstance(item, list) else str(key)], child, chain)
                        for key, child in children
                    ]
                )
            )
        else:
            yield where, item


def is_clean(document: Any) -> bool:
    """True when nothing needs reporting: no number breaks the grammar, no key is duplicated, no text
    is unwritable, nothing is nested too deeply or shared (no paths built: fast).

    Most documents are clean; only the others take the walk that locates each problem. A container
    met twice (a cycle, or a YAML alias) sends the document to that walk too, which tells them apart.
    """
    stack: list[tuple[Any, int]] = [(document, 0)]
    seen: set[int] = set()
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is str:
            if _UNWRITABLE.search(value):
                return False
            continue
        if kind is bool or value is None:
            continue
        if kind is int:
            if not -MAX_CLEAN_INT < value < MAX_CLEAN_INT:
                return False
            continue
        if isinstance(value, (dict, list)):
            if isinstance(value, _DuplicateKeys) or depth >= MAX_DEPTH or id(value) in seen:
                return False
            seen.add(id(value))
            if isinstance(value, dict):
                if any(not isinstance(key, str) or _UNWRITABLE.search(key) for key in value):
                    return False
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, (SourceDecimal, int, float)) and grammar_error(value) is not None:
            return False
    return True


MAX_CLEAN_INT = 10**15  # integers of at most 15 digits are within the grammar


def number_problems(document: Any, file: str | None = None) -> list[Problem]:
    """Numbers outside the decimal grammar, duplicate keys and unwritable text, each with its JSON path
    (the first MAX_PROBLEMS of them, then how many more)."""
    return [] if is_clean(document) else bounded(each_number_problem(document, file))


def located_number_problems(document: Any, file: str | None = None) -> list[Problem]:
    """The full walk behind number_problems, building every JSON path (slow; for unclean documents)."""
    return bounded(each_number_problem(document, file))


def each_number_problem(document: Any, file: str | None = None) -> Iterator[Problem]:
    """Every problem of number_problems, one at a time, in document order (none held in memory)."""
    too_deep = False
    for parts, value in _walk(document, []):
        if len(parts) > MAX_DEPTH and not too_deep:
            too_deep = (
                True  # reported once: the validators downstream would recurse past Python's limit
            )
            yield (
                Problem(
                    "nested_too_deeply",
                    f"values are nested more than {MAX_DEPTH} levels deep here; no svengine document needs that",
                    Location(file=file, path=json_path(parts[:MAX_DEPTH])),
                )
            )
        if value is _CYCLE:
            yield (
                Problem(
                    "cyclic_document",
                    "this value contains itself, so it can never be read to the end",
                    Location(file=file, path=json_path(parts)),
                )
            )
        if isinstance(value, str) and _UNWRITABLE.search(value):
            # A lone surrogate (JSON "\ud800") or a control character cannot be written as UTF-8 or XML.
            found = _UNWRITABLE.search(value)
            assert found is not None
            yield (
                Problem(
                    "bad_text",
                    f"the text contains the character U+{ord(found.group()):04X}, which cannot be stored; remove it",
                    Location(file=file, path=json_path(parts)),
                )
            )
        if isinstance(value, dict):
            for key in value:
                if isinstance(key, str) and _UNWRITABLE.search(key):
                    yield (
                        Problem(
                            "bad_text",
                            "a field name contains a character that cannot be stored; remove it",
                            Location(file=file, path=json_path(parts)),
                        )
                    )
        if isinstance(value, _DuplicateKeys):
            for key in value.duplicates:
                yield (
                    Problem(
                        "duplicate_key",
                        f'the key "{key}" appears more than once',
                        Location(file=file, path=json_path([*parts, key])),
                    )
                )
        if isinstance(value, (SourceDecimal, int, float)) and not isinstance(value, bool):
            message = (
                # str() of an integer of over 4,300 digits raises ValueError: say it without writing it
                f"a whole number of more than {MAX_INTEGER_DIGITS} digits is not {GRAMMAR}"
                if type(value) is int and value.bit_length() > 64
                else grammar_error(value)
            )
            if message is not None:
                yield (Problem("bad_number", message, Location(file=file, path=json_path(parts))))
