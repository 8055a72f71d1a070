"""One data sheet as a table: the header row checked against the pinned columns, blank rows dropped.

Every problem is located to its cell: unknown, missing or repeated header cells, values under no
header, merged cells, and too many rows. Display-only columns are skipped entirely, so a formula
without a saved value there is no problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from svengine.excel.safety import Limits
from svengine.excel.sheets import Cell, read_sheet
from svengine.problems import Location, Problem


@dataclass(frozen=True)
class Row:
    """A data row that holds at least one input value, by column name."""

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
    if name not in workbook.sheetnames:
        return [], [Problem("missing_sheet", f'the workbook has no sheet named "{name}"; the sheets are {", ".join(workbook.sheetnames)}', Location(file=file))]
    sheet, problems = read_sheet(workbook, name, file, limits)
    if sheet is None:
        return [], problems

    def at(row: int, column: int | None = None) -> Location:
        return Location(file=file, sheet=name, row=row, column=get_column_letter(column) if column else None)

    for merged in sheet.merged:
        top_left = merged.split(":")[0]
        letters = "".join(c for c in top_left if c.isalpha())
        problems.append(Problem("merged_cells", f"cells {merged} are merged; unmerge them (one value per cell)", Location(file=file, sheet=name, row=int(top_left[len(letters):]), column=letters)))
    if not sheet.rows or sheet.rows[0][0] != 1:
        expected = ", ".join(columns)
        where = at(sheet.rows[0][0]) if sheet.rows else at(1)
        return [], [*problems, Problem("missing_header", f"row 1 must be the header: {expected}", where)]

    header: dict[int, str] = {}
    position: dict[str, int] = {}
    known = (*columns, *display)
    for index, cell in sheet.rows[0][1].items():
        if cell.formula or not isinstance(cell.value, str):
            problems.append(Problem("bad_header", f"header cells must be typed text; the columns are {', '.join(columns)}", at(1, index)))
            continue
        title = cell.value.strip()
        if title in position:
            problems.append(Problem("duplicate_column", f'the column "{title}" appears twice in the header', at(1, index)))
        elif title not in known:
            close = difflib.get_close_matches(title, known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            problems.append(Problem("unknown_column", f'unknown column "{title}"{hint}; the columns are {", ".join(columns)}', at(1, index)))
        else:
            position[title] = index
        header[index] = title
    for column in required:
        if column not in position:
            problems.append(Problem("missing_column", f'the column "{column}" is missing from the header', at(1)))

    inputs = {position[c]: c for c in columns if c in position}
    unheaded: set[int] = set()
    rows: list[Row] = []
    for number, cells in sheet.rows[1:]:
        values: dict[str, Cell] = {}
        for index, cell in cells.items():
            if index in inputs:
                values[inputs[index]] = cell
            elif index not in header and index not in unheaded:
                unheaded.add(index)
                problems.append(Problem("unknown_column", "a value in a column with no header; give the column a header or clear it", at(number, index)))
        if values:
            rows.append(Row(number, values))
    return rows, problems
