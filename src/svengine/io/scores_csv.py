"""Reading panel scores from CSV: `bidder,criterion,score[,comment][,evaluator]`.

Without an evaluator column, one agreed row per bid and criterion; with one, each evaluator's row
and the moderated `consensus` rows (see docs/panel.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from svengine.io.csv_table import missing_cells, read_csv_table
from svengine.io.documents import read_text
from svengine.model.construct import builder
from svengine.model.scores import Score, gate_score
from svengine.numbers import DECIMAL_PATTERN, grammar_error
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


def _score_maker() -> Callable[..., Score]:
    """`built(Score, ...)` for a CSV row: every field the row gives, `verdict` at its default."""
    return builder(Score)


_GRAMMAR = re.compile(DECIMAL_PATTERN)  # numbers.grammar_error's test of a decimal string
_new_score = _score_maker()


def parse_scores_csv(text: str, file: str | None = None) -> tuple[list[Score], list[Problem]]:
    rows, problems = read_csv_table(text, file, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    scores: list[Score] = []
    # Memory: the rows repeat a few criterion ids, comments and score texts, and each bidder id once
    # per criterion; every score keeps the one shared object for each text (strings and Decimals
    # are immutable) instead of its own copy (docs/performance.md). The score's Decimal is shared
    # only between equal texts, so "3" and "3.0" keep their own exponents.
    same_text: dict[str, str] = {}
    same_number: dict[str, Decimal] = {}
    for row in rows:
        cells = row.cells
        bidder, criterion, number = cells["bidder"], cells["criterion"], cells["score"]
        bidder, criterion = (
            same_text.setdefault(bidder, bidder),
            same_text.setdefault(criterion, criterion),
        )
        if not (bidder and criterion and number):
            problems += missing_cells(
                row, REQUIRED_COLUMNS, file, bidder=bidder or None, criterion=criterion or None
            )
            continue
        where = Location(file=file, line=row.line)
        comment, evaluator, lot = (
            same_text.setdefault(text, text) if text else None
            for text in (cells.get("comment"), cells.get("evaluator"), cells.get("lot"))
        )
        if _GRAMMAR.fullmatch(number):
            # Every value is already of its field's type (the score through the grammar and Decimal,
            # as Dec's validator does), so the model is built without validating it again (model/construct.py).
            value = same_number.get(number)
            if value is None:
                value = same_number[number] = Decimal(number)
            scores.append(
                _new_score(
                    bidder=bidder,
                    criterion=criterion,
                    score=value,
                    comment=comment,
                    evaluator=evaluator,
                    lot=lot,
                    source=where,
                )
            )
            continue
        verdict = (
            number.casefold()
        )  # no decimal is a verdict, so testing the grammar first changes nothing
        if verdict in VERDICTS:
            scores.append(
                gate_score(
                    bidder,
                    criterion,
                    "pass" if verdict == "pass" else "fail",
                    comment=comment,
                    evaluator=evaluator,
                    lot=lot,
                    source=where,
                )
            )
            continue
        problems.append(
            Problem(
                "bad_number",
                f"score {grammar_error(number)} (or pass/fail for a pass/fail criterion)",
                Location(file=file, line=row.line, column="score"),
                bidder=bidder,
                criterion=criterion,
            )
        )
    return scores, problems
