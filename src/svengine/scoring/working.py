"""The working figures of one bid while an evaluation runs: exact fractions, before publishing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from svengine.model.bid import Bid
from svengine.model.panel_result import CommitmentModeration
from svengine.model.result import Flag
from svengine.model.scores import Score
from svengine.model.tender import Criterion
from svengine.scoring.panel import AgreedScore
from svengine.scoring.price_models import EvaluatedPrice
from svengine.scoring.social_value import ValuedCommitment

ScoredCriterion = tuple[Criterion, Fraction, Fraction, Score | AgreedScore]
"""A criterion, its weight in points, the points earned, and the panel's score (agreed, or
aggregated with its trail).
"""


@dataclass
class ScoredBid:
    """Working figures for one bid while the evaluation runs (exact fractions)."""

    bid: Bid
    quality_criteria: list[ScoredCriterion]
    social_criteria: list[ScoredCriterion]
    quality_total: Fraction
    commitments: list[ValuedCommitment]
    social_value: Fraction
    social_amount: Decimal
    """The same total as an exact decimal (a sum of products of decimals)."""
    exclusions: list[Flag] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    block_points: dict[str, Fraction] = field(default_factory=dict)
    """Unrounded block scores (empty when excluded)."""
    block_scores: dict[str, Decimal] = field(default_factory=dict)
    """Published block scores, rounded as declared."""
    total: Decimal | None = None
    quantitative_points: Fraction | None = None
    priced: EvaluatedPrice | None = None
    """The evaluated price and its working (set by the evaluation before anything is scored)."""
    deductions: Fraction | None = None
    """fictitious_price: Σ money_value × score / max over the quality criteria."""
    fictitious: Fraction | None = None
    """fictitious_price: the evaluated price less `deductions` (what the bid is ranked on)."""
    moderation: dict[str, CommitmentModeration] = field(default_factory=dict)
    """Social value moderation decisions by measure id (quantities in `commitments` are as accepted)."""

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)

    @property
    def price(self) -> Fraction:
        """The evaluated price: the amount every price and price-ratio formula uses."""
        if self.priced is not None:
            return self.priced.evaluated
        assert self.bid.price is not None
        return Fraction(self.bid.price)

    @property
    def social_value_per_price(self) -> Fraction:
        return self.social_value / self.price
