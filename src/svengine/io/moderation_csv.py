"""Reading sv_moderation.csv: `bidder,measure,decision,accepted_quantity,rationale[,lot]`, one row per decision."""

from __future__ import annotations

import typing
from pathlib import Path

from svengine.io.csv_table import missing_cells, read_csv_table
from svengine.io.documents import read_text
from svengine.model.panel import Decision, SvModeration
from svengine.numbers import grammar_error, to_decimal
from svengine.problems import Location, Problem

SV_MODERATION_FILE = "sv_moderation.csv"
REQUIRED_COLUMNS = ("bidder", "measure", "decision")
OPTIONAL_COLUMNS = ("accepted_quantity", "rationale", "lot")
DECISIONS: tuple[str, ...] = typing.get_args(Decision)


def read_sv_moderation_csv(
    path: Path, file: str | None = None
) -> tuple[list[SvModeration], list[Problem]]:
    """Every moderation row of a CSV file, and every problem with its line and column."""
    name = file or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return [], problems
    return parse_sv_moderation_csv(text, name)


def parse_sv_moderation_csv(
    text: str, file: str | None = None
) -> tuple[list[SvModeration], list[Problem]]:
    rows, problems = read_csv_table(text, file, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    decisions: list[SvModeration] = []
    for row in rows:
        cells = row.cells
        bidder = cells["bidder"] or None
        found = missing_cells(row, REQUIRED_COLUMNS, file, bidder=bidder)
        decision = cells["decision"]
        if decision and decision not in DECISIONS:
            found.append(
                Problem(
                    "bad_value",
                    f'decision must be one of: {", ".join(DECISIONS)}; got "{decision}"',
                    Location(file=file, line=row.line, column="decision"),
                    bidder=bidder,
                )
            )
        quantity = cells.get("accepted_quantity", "")
        if quantity and (message := grammar_error(quantity)) is not None:
            found.append(
                Problem(
                    "bad_number",
                    f"accepted_quantity {message}",
                    Location(file=file, line=row.line, column="accepted_quantity"),
                    bidder=bidder,
                )
            )
        if found:
            problems += found
            continue
        decisions.append(
            SvModeration(
                bidder=cells["bidder"],
                measure=cells["measure"],
                decision=typing.cast(Decision, decision),
                accepted_quantity=to_decimal(quantity) if quantity else None,
                rationale=cells.get("rationale") or None,
                lot=cells.get("lot") or None,
                source=Location(file=file, line=row.line),
            )
        )
    return decisions, problems
