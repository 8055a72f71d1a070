"""Reading a CSV table with a known header: every problem with its line and column.

The header is located by exact column names; blank rows are skipped; a row with more cells than the
header, an unknown, missing or repeated column, and malformed CSV are reported, all together.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from svengine.problems import Location, Problem


@dataclass(frozen=True)
class CsvRow:
    line: int
    cells: dict[str, str]
    """Every column of the header, stripped; "" where the row is short."""


def read_csv_table(
    text: str, file: str | None, required: Sequence[str], optional: Sequence[str]
) -> tuple[list[CsvRow], list[Problem]]:
    """The data rows of a CSV text under its header, and every problem of its shape."""
    known = (*required, *optional)
    problems: list[Problem] = []
    rows: list[CsvRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            message = f"the file is empty; the first row must be the header {','.join(known)}"
            return [], [Problem("empty_file", message, Location(file=file, line=1))]
        # Headers as councils write them: `Bidder,Criterion,Score,Comment` is the pinned
        # `bidder,criterion,score,comment` (case and surrounding spaces do not matter).
        columns = [cell.strip().lower() for cell in header]
        for index, column in enumerate(columns):
            where = Location(file=file, line=1, column=column or f"#{index + 1}")
            if column not in known:
                problems.append(
                    Problem(
                        "unknown_column",
                        f'unknown column "{column}"; the columns are {", ".join(known)}',
                        where,
                    )
                )
            elif columns.index(column) != index:
                problems.append(
                    Problem(
                        "duplicate_column",
                        f'the column "{column}" appears twice in the header',
                        where,
                    )
                )
        for column in required:
            if column not in columns:
                problems.append(
                    Problem(
                        "missing_column",
                        f'the column "{column}" is missing from the header',
                        Location(file=file, line=1),
                    )
                )
        if problems:
            return [], problems
        width = len(columns)
        for row in reader:
            if not "".join(row).strip():  # blank: no cell holds anything but spaces
                continue
            if len(row) != width:
                if len(row) > width:
                    problems.append(
                        Problem(
                            "extra_cells",
                            f"the row has {len(row)} cells but the header has {width}",
                            Location(file=file, line=reader.line_num),
                        )
                    )
                    continue
                row += [""] * (width - len(row))  # a short row: "" for the cells it lacks
            rows.append(
                CsvRow(reader.line_num, dict(zip(columns, map(str.strip, row), strict=True)))
            )
    except csv.Error as error:
        reason = (
            f"a cell is longer than {csv.field_size_limit():,} characters, which is more than any"
            ' score, name or comment needs; shorten it (or check for an unclosed quote mark ")'
            if "field larger than field limit" in str(error)
            else f"this is not valid CSV: {error}"
        )
        problems.append(Problem("malformed_csv", reason, Location(file=file, line=reader.line_num)))
    return rows, problems


def missing_cells(
    row: CsvRow,
    required: Sequence[str],
    file: str | None,
    bidder: str | None = None,
    criterion: str | None = None,
) -> list[Problem]:
    """A problem for each required cell of the row that is empty."""
    return [
        Problem(
            "missing_value",
            f'the "{column}" cell is empty',
            Location(file=file, line=row.line, column=column),
            bidder,
            criterion,
        )
        for column in required
        if not row.cells[column]
    ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What makes a spreadsheet read a CSV cell as a formula (OWASP CSV injection), the full-width
forms (＝ ＋ － ＠) included, which some spreadsheets also treat as formulas."""


def csv_safe(value: object) -> str:
    """A cell for a CSV the engine writes: text that a spreadsheet would run is prefixed with `'`.

    OWASP's rule for CSV injection: a cell starting `=`, `+`, `-`, `@`, tab or carriage return is
    written with a leading apostrophe, so Excel and LibreOffice show it as text. Numbers the engine
    formats itself (`-5`, `81.5`) are not text from outside and are written as they are.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
