"""The workbook parts a sheet's cells need, read by us from the archive: shared strings, styles, sheet paths.

openpyxl opens the workbook (and so checks every part it reads, through defusedxml), but what a
sheet's cells need from the other parts it keeps in private attributes. Those are read here from
the same bytes, to the same effect, rule for rule as openpyxl 3.1 reads them:
- which part holds each sheet: the content types name the workbook part, whose relationships
  give each `<sheet>`'s part (a target not in the archive is no sheet, as openpyxl skips it);
- shared strings (`sharedStrings` by content type): each `<si>` as its plain text then its runs'
  text, with `x005F_` removed;
- styles (`xl/styles.xml`): for each cell style (`cellXfs`) its number format code, whether that
  format shows a date or a duration (openpyxl's public `is_date_format`, `is_timedelta_format`) and
  the decimal places it shows.
Every part is read with a bound (its declared size, which `safety` checked) and parsed by
`sheet_xml.part_events`: the C parser after a prolog check that refuses any DTD, or defusedxml.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES,
    ARC_STYLE,
    ARC_WORKBOOK,
    REL_NS,
    SHARED_STRINGS,
    SHEET_MAIN_NS,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)

from svengine.excel.sheet_xml import part_events
from svengine.problems import SvengineError

_SI = f"{{{SHEET_MAIN_NS}}}si"
_REL_ID = f"{{{REL_NS}}}id"
_WORKBOOK_TYPES = (XLTM, XLTX, XLSM, XLSX)  # the order openpyxl looks for them in


class PartError(SvengineError, ValueError):
    """A part the sheets need holds no XML element."""


@dataclass(frozen=True)
class Parts:
    """What reading a sheet's cells needs from the rest of the workbook."""

    sheets: dict[str, str] = field(default_factory=dict)
    """Each sheet's name: the path of its XML part in the archive."""
    shared_strings: list[str] = field(default_factory=list)
    date_formats: frozenset[int] = frozenset()
    """Cell style indexes whose number format shows a date or time."""
    timedelta_formats: frozenset[int] = frozenset()
    """Cell style indexes whose number format shows a duration (`[h]:mm`)."""
    places: list[int] = field(default_factory=lambda: [0])
    """Decimal places each cell style's number format shows, by style index."""


def read_parts(archive: zipfile.ZipFile) -> Parts:
    """The parts of an archive openpyxl has opened; raises PartError, DTDForbidden or a parse error."""
    names = set(archive.namelist())
    overrides = _overrides(_parse(archive, ARC_CONTENT_TYPES))
    workbook = next(
        (overrides[kind] for kind in _WORKBOOK_TYPES if kind in overrides), ARC_WORKBOOK
    )
    strings = overrides.get(SHARED_STRINGS)
    dates, durations, places = (
        _styles(_parse(archive, ARC_STYLE)) if ARC_STYLE in names else (set(), set(), [0])
    )
    return Parts(
        sheets=_sheets(archive, workbook, names),
        shared_strings=_shared_strings(archive, strings) if strings is not None else [],
        date_formats=frozenset(dates),
        timedelta_formats=frozenset(durations),
        places=places,
    )


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part's bytes, never more than its declared size (checked against the limits by `safety`);
    a part whose data does not match its declared size and checksum fails zipfile's CRC check."""
    info = archive.getinfo(name)
    with archive.open(info) as part:
        return part.read(info.file_size)


def _parse(archive: zipfile.ZipFile, name: str) -> Element:
    root: Element | None = None
    for batch in part_events(io.BytesIO(_read(archive, name))):
        for event, element in batch:
            if root is None and event == "start":
                root = element
    if root is None:
        raise PartError(f"the part {name} holds no element")
    return root


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _overrides(types: Element) -> dict[str, str]:
    """Content type: the first part named with it (openpyxl's `Manifest.find`), without its leading /."""
    found: dict[str, str] = {}
    for override in types:
        kind, name = override.get("ContentType"), override.get("PartName")
        if _local(override.tag) == "Override" and kind is not None and name is not None:
            found.setdefault(kind, name[1:])
    return found


def _sheets(archive: zipfile.ZipFile, workbook: str, names: set[str]) -> dict[str, str]:
    folder, part = posixpath.split(workbook)
    targets = _relationships(
        _parse(archive, posixpath.join(folder, "_rels", f"{part}.rels")), folder
    )
    sheets: dict[str, str] = {}
    for child in _parse(archive, workbook):
        if _local(child.tag) != "sheets":
            continue
        sheets = {}  # openpyxl keeps the last <sheets>
        for sheet in child:
            name, relation = sheet.get("name"), sheet.get(_REL_ID, sheet.get("id"))
            target = targets.get(relation) if relation else None
            if name is not None and target is not None and target in names:
                sheets.setdefault(name, target)  # openpyxl's workbook[name] gives the first
    return sheets


def _relationships(relationships: Element, folder: str) -> dict[str | None, str]:
    """Relationship id: its target as a path in the archive (openpyxl's `get_dependents`), the last per id."""
    targets: dict[str | None, str] = {}
    for relation in relationships:
        target = relation.get("Target")
        if _local(relation.tag) != "Relationship" or target is None:
            continue
        if relation.get("TargetMode") != "External":
            target = (
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
        targets[relation.get("Id")] = target
    return targets


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    """Each `<si>` as openpyxl's `read_string_table` reads it, streamed (a table may be large)."""
    strings: list[str] = []
    root: Element | None = None
    for batch in part_events(io.BytesIO(_read(archive, name))):
        for event, element in batch:
            if event == "start":
                if root is None:
                    root = element
            elif element.tag == _SI:
                strings.append(_shared_text(element))
                if root is not None and len(root) and root[-1] is element:
                    del root[-1]  # memory stays flat however many strings there are
                else:
                    element.clear()
    return strings


def _shared_text(item: Element) -> str:
    """A shared string's text, as openpyxl's `Text.content` (the last plain `t`, then each run's
    last `t`), with `x005F_` removed as its `read_string_table` does."""
    plain: str | None = None
    runs: list[str] = []
    for child in item:
        kind = _local(child.tag)
        if kind == "t":
            plain = child.text
        elif kind == "r":
            text = None
            for part in child:
                if _local(part.tag) == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return "".join(([plain] if plain is not None else []) + runs).replace("x005F_", "")


_PLACES = re.compile(r"\.([0#?]+)")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^]]*\]')


def format_places(code: str) -> int:
    """Decimal places a number format shows for positive numbers; 0 for General, text and percents."""
    section = _QUOTED.sub("", code.split(";")[0])
    if "%" in section or "@" in section:
        return 0  # a percent shows the value times 100: not the digits of the value
    found = _PLACES.search(section)
    return len(found.group(1)) if found else 0


def _styles(sheet: Element) -> tuple[set[int], set[int], list[int]]:
    """Date styles, duration styles and places by cell style, as openpyxl's stylesheet reads them.

    A style's format is its custom code (`numFmts`, the last one per id) or else the built-in one
    of its id; a style with neither shows General. No `cellXfs` at all: openpyxl's one default style.
    """
    custom: dict[int, str] = {}
    styles: list[int] = []
    for child in sheet:
        kind = _local(child.tag)
        if kind == "numFmts":
            for declared in child:
                code, number = declared.get("formatCode"), declared.get("numFmtId")
                if number is not None and code is not None:
                    custom[int(number)] = code
        elif kind == "cellXfs":
            styles = [int(xf.get("numFmtId") or 0) for xf in child if _local(xf.tag) == "xf"]
    if not styles:
        return set(), set(), [0]
    dates: set[int] = set()
    durations: set[int] = set()
    places: list[int] = []
    for index, format_id in enumerate(styles):
        # A custom code equal to a built-in one is that built-in format: the same text.
        code = custom.get(format_id)
        if code is None:
            code = BUILTIN_FORMATS.get(format_id)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
        places.append(format_places(code or "General"))
    return dates, durations, places
