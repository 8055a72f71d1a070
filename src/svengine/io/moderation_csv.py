"""Reading sv_moderation.csv: `bidder,measure,decision,accepted_quantity,rationale`, one row per decision."""

from __future__ import annotations

import csv
import io
import typing
from pathlib import Path

from svengine.io.documents import read_text
from svengine.model.panel import Decision, SvModeration
from svengine.numbers import grammar_error, to_decimal
from svengine.problems import Location, Problem

SV_MODERATION_FILE = "sv_moderation.csv"
REQUIRED_COLUMNS = ("bidder", "measure", "decision")
OPTIONAL_COLUMNS = ("accepted_quantity", "rationale")
DECISIONS: tuple[str, ...] = typing.get_args(Decision)


def read_sv_moderation_csv(path: Path, file: str | None = None) -> tuple[list[SvModeration], list[Problem]]:
    """Every moderation row of a CSV file, and every problem with its line and column."""
    name = file or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return [], problems
    return parse_sv_moderation_csv(text, name)


def parse_sv_moderation_csv(text: str, file: str | None = None) -> tuple[list[SvModeration], list[Problem]]:
    problems: list[Problem] = []
    rows: list[SvModeration] = []
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            return [], [Problem("empty_file", f"the file is empty; the first row must be the header {','.join(known)}", Location(file=file, line=1))]
        columns = [cell.strip() for cell in header]
        for index, column in enumerate(columns):
            if column not in known:
                problems.append(Problem("unknown_column", f'unknown column "{column}"; the columns are {", ".join(known)}', Location(file=file, line=1, column=column or f"#{index + 1}")))
            elif columns.count(column) > 1 and columns.index(column) == index:
                problems.append(Problem("duplicate_column", f'the column "{column}" appears twice in the header', Location(file=file, line=1)))
        for column in REQUIRED_COLUMNS:
            if column not in columns:
                problems.append(Problem("missing_column", f'the column "{column}" is missing from the header', Location(file=file, line=1)))
        if problems:
            return [], problems
        position = {column: columns.index(column) for column in columns}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                problems.append(Problem("extra_cells", f"the row has {len(row)} cells but the header has {len(columns)}", Location(file=file, line=line)))
                continue
            cells = {column: (row[i].strip() if i < len(row) else "") for column, i in position.items()}
            bidder = cells["bidder"] or None
            found: list[Problem] = []
            for column in REQUIRED_COLUMNS:
                if not cells[column]:
                    found.append(Problem("missing_value", f'the "{column}" cell is empty', Location(file=file, line=line, column=column), bidder=bidder))
            decision = cells["decision"]
            if decision and decision not in DECISIONS:
                found.append(
                    Problem("bad_value", f'decision must be one of: {", ".join(DECISIONS)}; got "{decision}"', Location(file=file, line=line, column="decision"), bidder=bidder)
                )
            quantity = cells.get("accepted_quantity", "")
            if quantity and (message := grammar_error(quantity)) is not None:
                found.append(Problem("bad_number", f"accepted_quantity {message}", Location(file=file, line=line, column="accepted_quantity"), bidder=bidder))
            if found:
                problems += found
                continue
            rows.append(
                SvModeration(
                    bidder=cells["bidder"],
                    measure=cells["measure"],
                    decision=typing.cast(Decision, decision),
                    accepted_quantity=to_decimal(quantity) if quantity else None,
                    rationale=cells.get("rationale") or None,
                    source=Location(file=file, line=line),
                )
            )
    except csv.Error as error:
        problems.append(Problem("malformed_csv", f"this is not valid CSV: {error}", Location(file=file, line=reader.line_num)))
    return rows, problems
