"""What result.json keeps of a panel: each evaluator's score, the aggregate used, the rationale.

An auditor follows the whole path from each evaluator to the final score. Who moderated and when
is run metadata (it belongs beside result.json, never inside it: the same scores must give the same
result, byte for byte).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import PlainSerializer

from svengine.model._base import Dec, Model
from svengine.model.panel import Aggregate, Decision
from svengine.numbers import exact_text


def _exact(value: Decimal | Fraction) -> str:
    return format(value, "f") if isinstance(value, Decimal) else exact_text(value)


ExactScore = Annotated[
    Decimal | Fraction, PlainSerializer(_exact, return_type=str, when_used="json")
]
"""A score used for weighting: the Decimal as given, or an exact Fraction (`8/3`) when a panel mean
does not terminate.
"""


class IndividualScore(Model):
    evaluator: str
    score: Dec
    comment: str | None


class CriterionPanel(Model):
    """The panel trail of one bid × criterion."""

    aggregate: Aggregate
    """The tender's rule; the criterion's `score` is the value it gave."""
    individual: tuple[IndividualScore, ...]
    """Every evaluator's own score and comment, by evaluator id."""
    mean: str
    median: str
    spread: Dec
    """max − min of the individual scores."""
    spread_pct: str
    """The spread as a % of the criterion's maximum score, exact."""
    disagreement: bool
    """True when spread_pct exceeds the tender's spread_tolerance_pct (the bid is flagged `spread`)."""
    consensus: Dec | None
    rationale: str | None
    """The moderation meeting's written reason for the consensus score."""


class EvaluatorSummary(Model):
    id: str
    criteria: tuple[str, ...]
    """The criteria this evaluator scores (all of them, without an evaluators list)."""
    conflict_declared: bool | None
    """As declared in the tender's evaluators list; null without one."""
    scores: int
    """Individual scores given."""
    mean_deviation_pct: str | None
    """Average of (score − panel mean of the cell) as a % of the criterion's scale, signed and exact,
    over the cells at least two evaluators scored; null when there are none."""


class PanelFlag(Model):
    code: str
    message: str
    evaluator: str


class PanelResult(Model):
    """The panel section of result.json."""

    aggregate: Aggregate
    spread_tolerance_pct: Dec
    bias_tolerance_pct: Dec
    min_evaluators: int
    evaluators: tuple[EvaluatorSummary, ...]
    disagreements: int
    """Bid × criterion cells flagged `spread`."""
    flags: tuple[PanelFlag, ...]
    """`evaluator_bias` flags."""


class CommitmentModeration(Model):
    """The panel's decision on a social value commitment, from sv_moderation.csv."""

    decision: Decision
    quantity_offered: Dec
    quantity_accepted: Dec
    rationale: str
