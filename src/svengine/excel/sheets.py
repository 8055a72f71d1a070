"""Streaming one sheet's cells with their saved value, whether they hold a formula, and merged ranges.

openpyxl's public read-only API gives either a cell's formula or its saved (cached) value, and no
merged ranges. The import rules need all three in one pass over the XML: a formula cell with a saved
value is read as that value, one without is a located problem, and merged cells in data are refused.
openpyxl opens the workbook (sheet list, shared strings, styles, all through defusedxml); each sheet's
XML is then streamed by `sheet_xml`, which keeps what each cell element says, in one pass, many
times faster than openpyxl's own sheet parser (docs/performance.md, "Reading workbooks").
`SheetStream` gives the rows one at a time (a data sheet is never held whole: `tables.stream_table`);
`read_sheet` keeps them all, for the small sheets read that way.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from svengine.excel.safety import Limits, check_workbook_bytes, checked_workbook_bytes
from svengine.excel.sheet_xml import SheetXml
from svengine.problems import Location, Problem, SvengineError


class Cell(NamedTuple):
    """One non-empty cell: its saved value (None for a formula never calculated) and its kind.

    A named tuple rather than a dataclass: a large sheet makes millions of them.
    """

    row: int
    column: int
    value: Any
    formula: bool = False
    error: bool = False  # the cell shows an error such as #N/A or #DIV/0!
    places: int = 0
    """Decimal places the cell's number format shows (`#,##0.00` shows 2); 0 for General."""

    @property
    def letter(self) -> str:
        return str(get_column_letter(self.column))


@dataclass
class Sheet:
    """The rows of one sheet that hold anything, and its merged ranges."""

    name: str
    rows: list[tuple[int, dict[int, Cell]]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)


def open_workbook(path: Path, file: str, limits: Limits) -> tuple[Workbook | None, list[Problem]]:
    """A read-only workbook after the file checks; external links are never loaded."""
    data, problems = checked_workbook_bytes(path, file, limits)
    if data is None:
        return None, problems
    return _open_checked(data, file)


def open_workbook_bytes(
    data: bytes, file: str, limits: Limits
) -> tuple[Workbook | None, list[Problem]]:
    """`open_workbook` on bytes already read (and digested) by the caller: the same checks first."""
    problems = check_workbook_bytes(data, file, limits)
    if problems:
        return None, problems
    return _open_checked(data, file)


def _open_checked(data: bytes, file: str) -> tuple[Workbook | None, list[Problem]]:
    try:
        # Parse the very bytes the audit record keeps, so the digest is of what was evaluated.
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # openpyxl warns about extensions it drops; we read values only
            workbook = load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False, keep_vba=False
            )
    except Exception as error:
        if _refused_by_defusedxml(error):
            return None, [_unsafe(file)]
        return None, [
            Problem(
                "unreadable_workbook",
                f"the workbook cannot be read ({type(error).__name__}: {error}); save it again "
                "as an Excel Workbook (.xlsx)",
                Location(file=file),
            )
        ]
    return workbook, []


def _refused_by_defusedxml(error: BaseException | None) -> bool:
    # openpyxl wraps parse errors in its own ValueError; the defusedxml refusal is in the chain.
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def _unsafe(file: str) -> Problem:
    return Problem(
        "unsafe_xml",
        "the workbook contains XML entity or document type declarations, which are refused (a possible XML bomb)",
        Location(file=file),
    )


class SheetRefused(SvengineError):
    """The sheet cannot be read to its end: too many rows, or XML that cannot be read; `problems` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


class SheetStream:
    """The non-empty rows of sheet `name`, streamed once; `merged` holds its merged ranges after the last row.

    Iterating raises `SheetRefused` (too many rows, unreadable or unsafe XML); a caller that keeps
    anything from the rows already given must then drop it, as `read_sheet` returns nothing but the
    problem. Rows are never all held: a 1,000,000-row sheet streams in constant memory.
    """

    def __init__(self, workbook: Workbook, name: str, file: str, limits: Limits) -> None:
        self.workbook = workbook
        self.name = name
        self.file = file
        self.limits = limits
        self.merged: list[str] = []

    def __iter__(self) -> Iterator[tuple[int, dict[int, Cell]]]:
        workbook, name, file, limit = self.workbook, self.name, self.file, self.limits.max_rows + 1
        worksheet = workbook[name]
        places = _style_places(workbook)
        parser = SheetXml(
            worksheet._shared_strings,
            workbook.epoch,
            workbook._date_formats,
            workbook._timedelta_formats,
        )
        try:
            with (
                worksheet._get_source() as source
            ):  # the sheet's XML part, straight from the archive
                for number, cells in parser.kept_rows(source, places, Cell):
                    if number > limit:
                        raise SheetRefused(
                            [
                                Problem(
                                    "too_many_rows",
                                    f"the sheet has data in row {number:,}; the limit is "
                                    f"{self.limits.max_rows:,} rows under the header (delete "
                                    "stray cells, or raise the limit with --max-rows)",
                                    Location(file=file, sheet=name, row=number),
                                )
                            ]
                        )
                    yield number, cells
                self.merged = parser.merged
        except SheetRefused:
            raise
        except Exception as error:
            if _refused_by_defusedxml(error):
                raise SheetRefused([_unsafe(file)]) from None
            raise SheetRefused(
                [
                    Problem(
                        "unreadable_workbook",
                        f"the sheet cannot be read ({type(error).__name__}: {error})",
                        Location(file=file, sheet=name),
                    )
                ]
            ) from None


def read_sheet(
    workbook: Workbook, name: str, file: str, limits: Limits
) -> tuple[Sheet | None, list[Problem]]:
    """Every non-empty row of sheet `name`, streamed; rows beyond `limits.max_rows` are refused."""
    stream = SheetStream(workbook, name, file, limits)
    try:
        rows = list(stream)
    except SheetRefused as refused:
        return None, refused.problems
    return Sheet(name, rows, stream.merged), []


_PLACES = re.compile(r"\.([0#?]+)")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^]]*\]')


def format_places(code: str) -> int:
    """Decimal places a number format shows for positive numbers; 0 for General, text and percents."""
    section = _QUOTED.sub("", code.split(";")[0])
    if "%" in section or "@" in section:
        return 0  # a percent shows the value times 100: not the digits of the value
    found = _PLACES.search(section)
    return len(found.group(1)) if found else 0


def _style_places(workbook: Workbook) -> list[int]:
    """Places shown by each cell style of the workbook, by style index."""
    places = []
    for style in workbook._cell_styles:
        code = (
            BUILTIN_FORMATS.get(style.numFmtId)
            if style.numFmtId < BUILTIN_FORMATS_MAX_SIZE
            else None
        )
        if code is None and style.numFmtId >= BUILTIN_FORMATS_MAX_SIZE:
            code = workbook._number_formats[style.numFmtId - BUILTIN_FORMATS_MAX_SIZE]
        places.append(format_places(code or "General"))
    return places
