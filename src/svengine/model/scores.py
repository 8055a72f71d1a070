"""Panel scores: one agreed score per bid and criterion, with the panel's comment."""

from __future__ import annotations

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
    source: Location | None = Field(default=None, exclude=True)
    """Where the row was read from (file and line), for messages only."""
