"""Streaming one sheet's cells with their saved value, whether they hold a formula, and merged ranges.

openpyxl's public read-only API gives either a cell's formula or its saved (cached) value, and no
merged ranges. The import rules need all three in one pass over the XML: a formula cell with a saved
value is read as that value, one without is a located problem, and merged cells in data are refused.
openpyxl opens the workbook (checking the package, sheet list and epoch, through defusedxml); what
the cells need from the other parts (shared strings, styles, where each sheet is) is read from the
same bytes by `parts`, never from openpyxl's private attributes; each sheet's XML is then streamed
by `sheet_xml`, which keeps what each cell element says, in one pass, many
times faster than openpyxl's own sheet parser (docs/performance.md, "Reading workbooks").
`SheetStream` gives the rows one at a time (a data sheet is never held whole: `tables.stream_table`);
`read_sheet` keeps them all, for the small sheets read that way.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from svengine.excel.parts import Parts, read_parts
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


class Workbook:
    """A workbook opened for reading: its sheet names and epoch (from openpyxl) and its parts (ours)."""

    def __init__(self, book: OpenpyxlWorkbook, archive: zipfile.ZipFile, parts: Parts) -> None:
        self.book = book
        self.archive = archive
        self.parts = parts

    @property
    def sheetnames(self) -> list[str]:
        return list(self.book.sheetnames)

    @property
    def epoch(self) -> Any:
        return self.book.epoch

    def source(self, name: str) -> IO[bytes]:
        """The XML part of sheet `name`, straight from the archive (the caller closes it)."""
        return self.archive.open(self.parts.sheets[name])

    def close(self) -> None:
        self.book.close()
        self.archive.close()


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
            book = load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False, keep_vba=False
            )
        archive = zipfile.ZipFile(io.BytesIO(data))
        try:
            parts = read_parts(archive)
        except BaseException:
            archive.close()
            book.close()
            raise
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
    return Workbook(book, archive, parts), []


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
        parts = workbook.parts
        places = parts.places
        parser = SheetXml(
            parts.shared_strings, workbook.epoch, parts.date_formats, parts.timedelta_formats
        )
        try:
            with workbook.source(name) as source:  # the sheet's XML part, straight from the archive
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
