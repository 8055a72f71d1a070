"""Panel scores: one agreed score per bid and criterion, with the panel's comment."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from svengine.model._base import Dec, Model
from svengine.problems import Location


class Score(Model):
    bidder: str
    criterion: str
    score: Dec
    comment: str | None = None
    evaluator: str | None = None
    """Who gave the score; None for the one agreed score of the panel."""
    lot: str | None = None
    """The lot of the bid scored (tenders with lots only)."""
    verdict: Literal["pass", "fail"] | None = None
    """A pass/fail criterion's verdict (the file's score cell says `pass` or `fail`); `score` is then 1 or 0."""
    source: Location | None = Field(default=None, exclude=True)
    """Where the row was read from (file and line), for messages only."""


def gate_score(
    bidder: str, criterion: str, verdict: Literal["pass", "fail"], **fields: object
) -> Score:
    """The score row of a pass/fail criterion: its verdict, and 1 (pass) or 0 (fail) as the number."""
    return Score.model_validate(
        {
            "bidder": bidder,
            "criterion": criterion,
            "score": Decimal(1 if verdict == "pass" else 0),
            "verdict": verdict,
            **fields,
        }
    )
