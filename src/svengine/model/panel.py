"""Evaluation panels: who scores what, how individual scores become one, and social value moderation.

The tender's `panel:` block fixes the rule before scoring starts (aggregate by a moderated
consensus, or by the exact mean or median of the individual scores). `SvModeration` rows record
the panel's decision on each social value commitment it moderated.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from svengine.model._base import Dec, Model
from svengine.problems import Location

Aggregate = Literal["consensus", "mean", "median"]
Decision = Literal["accept", "reduce", "reject"]

CONSENSUS = "consensus"
"""The evaluator name of a moderated score (compared case-insensitively)."""

PRICE = "price"
"""Allowed in an evaluator's criteria: they check prices, which the published formula scores."""


def is_consensus(evaluator: str | None) -> bool:
    return evaluator is not None and evaluator.strip().casefold() == CONSENSUS


class PanelEvaluator(Model):
    """One member of the panel and the questions assigned to them."""

    id: str
    criteria: tuple[str, ...] | Literal["all"] = "all"
    conflict_declared: bool = False

    def assigned(self, criterion_id: str) -> bool:
        return self.criteria == "all" or criterion_id in self.criteria


class Panel(Model):
    """How the panel's individual scores become the one score each bid gets on each criterion."""

    aggregate: Aggregate = "consensus"
    spread_tolerance_pct: Dec = Decimal(40)
    """A bid × criterion whose spread (max − min) exceeds this % of the criterion's scale is flagged."""
    bias_tolerance_pct: Dec = Decimal(25)
    """An evaluator whose scores differ on average from the panel mean by more than this % of the scale is flagged."""
    min_evaluators: int = Field(default=2, ge=1)
    evaluators: tuple[PanelEvaluator, ...] | None = None
    """Without a list, every evaluator found in the scores must score every bid on every criterion."""


class SvModeration(Model):
    """The panel's decision on one social value commitment (a row of sv_moderation.csv)."""

    bidder: str
    measure: str
    decision: Decision
    accepted_quantity: Dec | None = None
    rationale: str | None = None
    lot: str | None = None
    """The lot of the bid moderated (tenders with lots only: a bid is identified by lot and bidder)."""
    source: Location | None = Field(default=None, exclude=True)
    """Where the row was read from (file and line), for messages only."""
