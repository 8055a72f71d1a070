"""Reading panel scores from CSV: `bidder,criterion,score[,comment][,evaluator]`.

Without an evaluator column, one agreed row per bid and criterion; with one, each evaluator's row
and the moderated `consensus` rows (see docs/panel.md).
"""

from __future__ import annotations

from pathlib import Path

from svengine.io.csv_table import missing_cells, read_csv_table
from svengine.io.documents import read_text
from svengine.model.construct import built
from svengine.model.scores import Score, gate_score
from svengine.numbers import grammar_error, to_decimal
from svengine.problems import Location, Problem

REQUIRED_COLUMNS = ("bidder", "criterion", "score")
OPTIONAL_COLUMNS = ("comment", "evaluator", "lot")
VERDICTS = ("pass", "fail")
"""The score of a pass/fail criterion (docs/award.md); the tender decides which criteria take them."""


def read_scores_csv(path: Path, file: str | None = None) -> tuple[list[Score], list[Problem]]:
    """Every score row of a CSV file, and every problem with its line and column."""
    name = file or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return [], problems
    return parse_scores_csv(text, name)


def parse_scores_csv(text: str, file: str | None = None) -> tuple[list[Score], list[Problem]]:
    rows, problems = read_csv_table(text, file, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    scores: list[Score] = []
    for row in rows:
        cells = row.cells
        missing = missing_cells(row, REQUIRED_COLUMNS, file, bidder=cells["bidder"] or None, criterion=cells["criterion"] or None)
        if missing:
            problems += missing
            continue
        where = Location(file=file, line=row.line)
        comment, evaluator, lot = (cells.get(column) or None for column in ("comment", "evaluator", "lot"))
        verdict = cells["score"].casefold()
        if verdict in VERDICTS:
            scores.append(
                gate_score(
                    cells["bidder"], cells["criterion"], "pass" if verdict == "pass" else "fail",
                    comment=comment, evaluator=evaluator, lot=lot, source=where,
                )
            )
            continue
        message = grammar_error(cells["score"])
        if message is not None:
            problems.append(
                Problem(
                    "bad_number",
                    f"score {message} (or pass/fail for a pass/fail criterion)",
                    Location(file=file, line=row.line, column="score"),
                    bidder=cells["bidder"],
                    criterion=cells["criterion"],
                )
            )
            continue
        # Every value is already of its field's type (the score through the grammar and to_decimal,
        # as Dec's validator does), so the model is built without validating it again (model/construct.py).
        scores.append(
            built(
                Score,
                bidder=cells["bidder"],
                criterion=cells["criterion"],
                score=to_decimal(cells["score"]),
                comment=comment,
                evaluator=evaluator,
                lot=lot,
                source=where,
            )
        )
    return scores, problems
