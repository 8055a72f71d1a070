"""One data sheet as a table: the header row checked against the pinned columns, blank rows dropped.

Every problem is located to its cell: unknown, missing or repeated header cells, values under no
header, merged cells, and too many rows. Display-only columns are skipped entirely, so a formula
without a saved value there is no problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from svengine.excel.safety import Limits
from svengine.excel.sheets import Cell, SheetRefused, SheetStream, Workbook
from svengine.problems import Location, Problem


class Row(NamedTuple):
    """A data row that holds at least one input value, by column name.

    A named tuple (it was a frozen dataclass): one is made per row, a million for a large sheet.
    """

    number: int
    cells: dict[str, Cell]


def read_table(
    workbook: Workbook,
    file: str,
    name: str,
    columns: Sequence[str],
    required: Sequence[str],
    limits: Limits,
    display: Sequence[str] = (),
) -> tuple[list[Row], list[Problem]]:
    """The input rows of sheet `name`, or every problem with its header or cells."""
    rows: list[Row] = []
    problems, read = stream_table(
        workbook, file, name, columns, required, limits, rows.append, display
    )
    return (rows if read else []), problems


def stream_table(
    workbook: Workbook,
    file: str,
    name: str,
    columns: Sequence[str],
    required: Sequence[str],
    limits: Limits,
    each: Callable[[Row], None],
    display: Sequence[str] = (),
) -> tuple[list[Problem], bool]:
    """Every problem with the header or cells of sheet `name`, and whether its rows were read; each
    input row is given to `each` as it is read.

    The rows are never held together (a 1,000,000-row sheet reads in constant memory). The problems
    come in the order `read_table` always gave them: merged ranges first (they are at the end of the
    sheet's XML, so they are put in front once it has been read), then the header's, then values
    under no header in row order. When the sheet is refused (too many rows, unreadable) or has no
    header, rows may have been given already and the second value is False: the caller drops
    everything it made of them (read_table returns no rows then).
    """
    if name not in workbook.sheetnames:
        return [
            Problem(
                "missing_sheet",
                f'the workbook has no sheet named "{name}"; the sheets are {", ".join(workbook.sheetnames)}',
                Location(file=file),
            )
        ], False
    stream = SheetStream(workbook, name, file, limits)

    def at(row: int, column: int | None = None) -> Location:
        return Location(
            file=file, sheet=name, row=row, column=get_column_letter(column) if column else None
        )

    problems: list[Problem] = []
    first: int | None = None
    header: dict[int, str] = {}
    inputs: dict[int, str] = {}
    unheaded: set[int] = set()
    try:
        for number, cells in stream:
            if first is None:
                first = number
                if number == 1:
                    inputs = _header(cells, columns, required, display, header, problems, at)
                continue
            if first != 1:
                continue  # no header: nothing is read, but the sheet is read to its end (its merged ranges, its limits)
            values: dict[str, Cell] = {}
            for index, cell in cells.items():
                title = inputs.get(index)
                if title is not None:
                    values[title] = cell
                elif index not in header and index not in unheaded:
                    unheaded.add(index)
                    problems.append(
                        Problem(
                            "unknown_column",
                            "a value in a column with no header; give the column a header or clear it",
                            at(number, index),
                        )
                    )
            if values:
                each(Row(number, values))
    except SheetRefused as refused:
        return refused.problems, False
    merged = [_merged(file, name, ref) for ref in stream.merged]
    if first != 1:
        expected = ", ".join(columns)
        return [
            *merged,
            Problem(
                "missing_header",
                f"row 1 must be the header: {expected}",
                at(first) if first is not None else at(1),
            ),
        ], False
    return [*merged, *problems], True


def _merged(file: str, name: str, merged: str) -> Problem:
    top_left = merged.split(":")[0]
    letters = "".join(c for c in top_left if c.isalpha())
    return Problem(
        "merged_cells",
        f"cells {merged} are merged; unmerge them (one value per cell)",
        Location(file=file, sheet=name, row=int(top_left[len(letters) :]), column=letters),
    )


def _header(
    cells: dict[int, Cell],
    columns: Sequence[str],
    required: Sequence[str],
    display: Sequence[str],
    header: dict[int, str],
    problems: list[Problem],
    at: Callable[..., Location],
) -> dict[int, str]:
    """The input columns by position; fills `header` (every titled column) and the header's problems."""
    position: dict[str, int] = {}
    known = (*columns, *display)
    for index, cell in cells.items():
        if cell.formula or not isinstance(cell.value, str):
            problems.append(
                Problem(
                    "bad_header",
                    f"header cells must be typed text; the columns are {', '.join(columns)}",
                    at(1, index),
                )
            )
            continue
        title = cell.value.strip()
        if title in position:
            problems.append(
                Problem(
                    "duplicate_column",
                    f'the column "{title}" appears twice in the header',
                    at(1, index),
                )
            )
        elif title not in known:
            close = difflib.get_close_matches(title, known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            problems.append(
                Problem(
                    "unknown_column",
                    f'unknown column "{title}"{hint}; the columns are {", ".join(columns)}',
                    at(1, index),
                )
            )
        else:
            position[title] = index
        header[index] = title
    for column in required:
        if column not in position:
            problems.append(
                Problem(
                    "missing_column", f'the column "{column}" is missing from the header', at(1)
                )
            )
    return {position[c]: c for c in columns if c in position}
