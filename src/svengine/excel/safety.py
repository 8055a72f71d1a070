"""Checks on a workbook file before any of its XML is parsed: kind, size, zip bombs, XML protection.

An xlsx file is a zip archive of XML parts. A hostile file can be tiny on disk and expand to
gigabytes (a zip bomb), or carry XML entity definitions that expand exponentially (billion laughs).
The archive's directory is checked first (member count, total uncompressed size, compression
ratio); the XML is then parsed by openpyxl through defusedxml, which refuses entity definitions.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from svengine.io.documents import read_input
from svengine.problems import Location, Problem, SvengineError

DEFAULT_MAX_ROWS = 200_000


class LimitError(SvengineError, ValueError):
    """A bound of `Limits` that is not a whole number of at least 1 (a caller's mistake)."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what a workbook may hold; anything beyond them is refused with a problem."""

    max_rows: int = DEFAULT_MAX_ROWS
    """Data rows per sheet (the header row not counted)."""
    max_file_bytes: int = 50 * 1024 * 1024
    max_members: int = 1_000
    """Parts in the zip archive; a real workbook has a few dozen."""
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 100
    """Uncompressed ÷ compressed size, of the whole archive and of any part over 1 MiB."""
    max_sheets: int = 1_000
    """Sheets declared by the workbook part; the engine reads two or three."""

    def __post_init__(self) -> None:
        # A bound of 0 or less would refuse every workbook, or (negative) silently lift the bound.
        for name in (
            "max_rows",
            "max_file_bytes",
            "max_members",
            "max_uncompressed_bytes",
            "max_ratio",
            "max_sheets",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise LimitError(
                    f"Limits({name}=...) must be a whole number of at least 1, not {value!r}"
                )


MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An encrypted .xlsx is an OLE2 compound file holding the encrypted package, not a zip."""
OTHER_SUFFIXES = {".xls", ".xlsb", ".ods", ".numbers"}
_RATIO_FLOOR = (
    1024 * 1024
)  # small parts (styles, a short sheet) may compress very well; that is harmless


def defused() -> bool:
    """True when openpyxl parses XML through defusedxml (entity expansion refused)."""
    import openpyxl.xml  # imported here: openpyxl (and numpy through it) only loads when a workbook is read

    return bool(openpyxl.xml.DEFUSEDXML)


def check_workbook_file(path: Path, file: str, limits: Limits, read: bool = True) -> list[Problem]:
    """Every reason not to open `path` as a workbook; an empty list means it may be parsed.

    `read`: also read the file and check its archive (False: only what its name tells)."""
    where = Location(file=file)
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        return [
            Problem(
                "macro_workbook",
                f"macro-enabled workbooks ({suffix}) are refused; save it as an Excel Workbook (.xlsx)",
                where,
            )
        ]
    if suffix in OTHER_SUFFIXES:
        return [
            Problem(
                "not_xlsx",
                f"{suffix} files cannot be read; save it as an Excel Workbook (.xlsx)",
                where,
            )
        ]
    if not defused():
        return [
            Problem(
                "unsafe_environment",
                "defusedxml is not active for openpyxl, so workbooks cannot be read safely; "
                "install defusedxml and unset OPENPYXL_DEFUSEDXML",
                where,
            )
        ]
    if not read:
        return []
    data, problems = read_input(path, file, limits.max_file_bytes)
    if data is None:
        return problems
    return check_workbook_bytes(data, file, limits)


def checked_workbook_bytes(
    path: Path, file: str, limits: Limits
) -> tuple[bytes | None, list[Problem]]:
    """The workbook's bytes, read once (a regular file, counted as read), if every check passes."""
    problems = check_workbook_file(path, file, limits, read=False)
    if problems:
        return None, problems
    data, problems = read_input(path, file, limits.max_file_bytes)
    if data is None:
        return None, problems
    problems = check_workbook_bytes(data, file, limits)
    return (None if problems else data), problems


def check_workbook_bytes(data: bytes, file: str, limits: Limits) -> list[Problem]:
    """The checks of `check_workbook_file` on the bytes of the file."""
    where = Location(file=file)
    if data[:8] == _OLE2:
        return [
            Problem(
                "encrypted_workbook",
                "the workbook is protected with a password (it is encrypted), so it cannot be read;"
                " remove the password (File > Info > Protect Workbook) and save it again",
                where,
            )
        ]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return [
            Problem(
                "not_xlsx",
                "this is not an .xlsx workbook (it is not a zip archive); save it as an Excel Workbook (.xlsx)",
                where,
            )
        ]
    if len(members) > limits.max_members:
        return [
            Problem(
                "too_many_parts",
                f"the workbook has {len(members):,} parts; the limit is {limits.max_members:,}",
                where,
            )
        ]
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if total > limits.max_uncompressed_bytes:
        return [
            Problem(
                "zip_too_large",
                f"the workbook expands to {total:,} bytes; the limit is {limits.max_uncompressed_bytes:,}",
                where,
            )
        ]
    if total > _RATIO_FLOOR and total > limits.max_ratio * max(packed, 1):
        return [
            Problem(
                "zip_bomb",
                f"the workbook expands {total // max(packed, 1):,} times its packed size (the "
                f"limit is {limits.max_ratio}): refused as a possible zip bomb",
                where,
            )
        ]
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            return [
                Problem(
                    "zip_bomb",
                    f"the part {member.filename} expands "
                    f"{member.file_size // max(member.compress_size, 1):,} times its packed size "
                    f"(the limit is {limits.max_ratio}): refused as a possible zip bomb",
                    where,
                )
            ]
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        return [
            Problem(
                "not_xlsx",
                "this zip archive is not an .xlsx workbook; save it as an Excel Workbook (.xlsx)",
                where,
            )
        ]
    # Values are all we read, and openpyxl never runs a macro or follows a link; but a workbook that
    # carries code, or takes its figures from files we never see, is not an input anyone can check.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return [
            Problem(
                "macro_workbook",
                "the workbook contains macros (a VBA project), which are refused; save it as an "
                "Excel Workbook (.xlsx) without macros",
                where,
            )
        ]
    links = sorted(
        name
        for name in names
        if name.lower().startswith("xl/externallinks/") and name.lower().endswith(".xml")
    )
    if links:
        return [
            Problem(
                "external_links",
                f"the workbook takes values from {len(links)} other "
                f"workbook{'s' if len(links) != 1 else ''} through external links; break the "
                "links (Data > Edit Links > Break Link) so every figure is in this file",
                where,
            )
        ]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _part_problems(archive, members, where, limits)


_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet[\s/>]")
_EXTERNAL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b[^>]*TargetMode\s*=\s*[\"']External[\"'][^>]*>"
)
_TARGET = re.compile(rb"\bTarget\s*=\s*[\"']([^\"']*)[\"']")
_WEB = (b"http://", b"https://", b"mailto:")
_SMALL_PART = 16 * 1024 * 1024


def _part_problems(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], where: Location, limits: Limits
) -> list[Problem]:
    """What the workbook part and the relationship parts declare: how many sheets, and links out.

    Read as bytes with a bound on each part (their sizes were checked above), before any parser
    builds objects from them: a workbook.xml declaring 100,000 sheets is refused in milliseconds.
    """
    for member in members:
        name = member.filename.lower()
        if member.file_size > _SMALL_PART or not (
            name == "xl/workbook.xml" or name.endswith(".rels")
        ):
            continue
        try:
            data = archive.read(member)
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            RuntimeError,
            NotImplementedError,
        ):
            return [
                Problem(
                    "unreadable_workbook",
                    f"the part {member.filename} of the workbook cannot be read (the file is"
                    " damaged); save it again as an Excel Workbook (.xlsx)",
                    where,
                )
            ]
        if name == "xl/workbook.xml":
            sheets = len(_SHEET.findall(data))
            if sheets > limits.max_sheets:
                return [
                    Problem(
                        "too_many_sheets",
                        f"the workbook declares {sheets:,} sheets; the limit is {limits.max_sheets:,}",
                        where,
                    )
                ]
            continue
        for relationship in _EXTERNAL.findall(data):
            target = _TARGET.search(relationship)
            place = target.group(1).strip() if target is not None else b""
            if not place.lower().startswith(_WEB):
                return [
                    Problem(
                        "external_links",
                        "the workbook refers to a file outside it (a link to another file or a network"
                        " share); remove the link so every figure is in this file",
                        where,
                    )
                ]
    return []
