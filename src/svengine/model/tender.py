"""Tenders: the evaluation method exactly as the buyer published it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from svengine.model._base import Dec, Model
from svengine.model.award import Authority, AwardRule, Gate, Lot, Regime
from svengine.model.library import Deflators, MeasureLibrary
from svengine.model.panel import Panel
from svengine.numbers import RoundingMode, decimal_text

QualityMethod = Literal["absolute", "relative_to_best"]
PriceMethod = Literal[
    "lowest_relative", "min_max_linear", "proportional_deviation", "reference_linear"
]
PriceModel = Literal["lump_sum", "basket", "schedule_of_rates", "multi_part", "whole_life"]
SocialValueMethod = Literal["relative_to_highest", "relative_to_highest_ratio", "target"]
TieBreakKey = Literal["quality", "price", "social_value", "lowest_price"]


class Weights(Model):
    """Points of the total (`Tender.total_points`, 100 by default) given to each block."""

    quality: Dec
    price: Dec
    social_value: Dec


class Criterion(Model):
    """A question scored by the panel (quality, or the qualitative part of social value)."""

    id: str
    title: str
    weight: Dec
    max_score: Dec | None = None
    min_score: Dec | None = None
    description: str | None = None
    money_value: Dec | None = None
    """award model fictitious_price: the amount deducted from the price for full marks, in
    proportion to score / max_score (docs/methods.md)."""
    allowed_scores: tuple[Dec, ...] | None = None
    """The only marks the panel may give on this criterion (overrides the quality block's)."""
    descriptors: dict[Dec, str] | None = None
    """What each mark means ("0: Unacceptable ... 10: Excellent"; overrides the quality block's)."""


class QualityBlock(Model):
    method: QualityMethod
    scale_max: Dec
    min_total_pct: Dec | None = None
    weights_basis: Literal["points", "percent_of_block"] = "points"
    whole_marks_only: bool = False
    allowed_scores: tuple[Dec, ...] | None = None
    """The only marks the panel may give on a quality criterion (a criterion may declare its own)."""
    descriptors: dict[Dec, str] | None = None
    """What each mark means, for every quality criterion without its own."""
    criteria: tuple[Criterion, ...] = ()
    gates: tuple[Gate, ...] = ()
    """Pass/fail criteria: written in `criteria` with `pass_fail: true` and moved here, so weighted
    criteria and gates never mix (docs/award.md)."""

    @model_validator(mode="before")
    @classmethod
    def _gates_apart(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("criteria"), (list, tuple)):
            criteria = data["criteria"]
            gates = [c for c in criteria if isinstance(c, dict) and c.get("pass_fail") is True]
            if gates:
                data = {
                    **data,
                    "criteria": [c for c in criteria if c not in gates],
                    "gates": [*data.get("gates", ()), *gates],
                }
        return data


class BasketItem(Model):
    """A typical job or item in a price basket: the evaluated price is Σ volume × the bid's unit price."""

    item: str
    description: str | None = None
    volume: Dec


class ScheduleItem(Model):
    """A line of a schedule of rates: the bid adjusts the buyer's base rate by a percentage."""

    item: str
    description: str | None = None
    base_rate: Dec
    volume: Dec
    section: str


class PricePart(Model):
    """A part of a multi-part price (`multiplier`) or of a whole-life cost (`years`)."""

    id: str
    description: str | None = None
    multiplier: Dec | None = None
    years: tuple[int, ...] | None = None


class PriceBlock(Model):
    method: PriceMethod
    ceiling: Dec | None = None
    floor: Dec | None = None
    model: PriceModel = "lump_sum"
    vat: Literal["excluded", "included"] = "excluded"
    arithmetic: Literal["use_computed", "refuse"] = "use_computed"
    evaluated_rounding: Rounding | None = None
    """How the evaluated price is rounded before it is scored; required for whole_life."""
    basket: tuple[BasketItem, ...] | None = None
    schedule: tuple[ScheduleItem, ...] | None = None
    parts: tuple[PricePart, ...] | None = None
    discount_rate_pct: Dec | None = None
    """whole_life only; 3.5 (the HM Treasury Green Book rate) when left out."""


class SocialValueBlock(Model):
    library: str
    method: SocialValueMethod
    target_pct: Dec | None = None
    quantitative_weight: Dec | None = None
    criteria: tuple[Criterion, ...] = ()
    measures: tuple[str, ...] | None = None
    count: Literal["gross", "net"] = "gross"
    """Which social value is scored and counts for additionality (docs/methods-net.md)."""
    deflators: dict[str, Deflators] | None = None
    """Per measure id: deflators that replace the library's, field by field."""


class Rounding(Model):
    places: int = Field(ge=0, le=6)
    mode: RoundingMode


class SupplierSize(Model):
    """Which definition of SME applies (thresholds in the tender's currency).

    `pa2023`: fewer than 250 staff and turnover <= 44m or balance sheet <= 38m (Procurement Act 2023).
    `lga2018`: fewer than 250 staff and turnover under 50m (LGA National Procurement Strategy 2018).
    `report_micro`: also report micro businesses (0-9 staff and turnover under 2m; a buyer convention).
    """

    rule: Literal["pa2023", "lga2018"] = "pa2023"
    report_micro: bool = False


class Checks(Model):
    """Thresholds of the gaming flags (flags only: they never change a score)."""

    max_sv_share_of_price_pct: Dec | None = None
    """Flag social value offers above this % of the bid price (default 100)."""
    abnormally_low_pct: Dec | None = None
    """Flag prices more than this % below the mean of the other valid bids (default 20)."""
    cost_per_fte_year: Dec | None = None
    """Flag more FTE-years than the contract value could pay for at this cost (off unless given)."""


class Tender(Model):
    id: str
    title: str
    currency: str
    contract_value: Dec
    duration_years: int | None = None
    description: str | None = None
    total_points: Dec | None = None
    """The points the weights add up to (200, 300, 1000 ...); None: the usual 100."""
    weights: Weights
    quality: QualityBlock | None = None
    price: PriceBlock
    social_value: SocialValueBlock | None = None
    rounding: Rounding
    tie_break: tuple[TieBreakKey, ...] = ()
    supplier_size: SupplierSize = SupplierSize()
    checks: Checks | None = None
    panel: Panel | None = None
    """How individual evaluators' scores become one (see docs/panel.md); None: one agreed score per cell."""
    lots: tuple[Lot, ...] | None = None
    """Lots, each evaluated on its own (docs/award.md); None: one competition for the whole contract."""
    award: AwardRule | None = None
    """How the ranking becomes appointments; None: the weighted model, one supplier per lot."""
    regime: Regime | None = None
    authority: Authority | None = None
    measure_library: MeasureLibrary | None = Field(default=None, exclude=True)
    """The library named by `social_value.library`, resolved by the loader (not part of the file)."""

    @property
    def quality_criteria(self) -> tuple[Criterion, ...]:
        return self.quality.criteria if self.quality else ()

    @property
    def social_value_criteria(self) -> tuple[Criterion, ...]:
        return self.social_value.criteria if self.social_value else ()

    @property
    def gates(self) -> tuple[Gate, ...]:
        return self.quality.gates if self.quality else ()

    @property
    def award_rule(self) -> AwardRule:
        return self.award if self.award is not None else _DEFAULT_AWARD_RULE

    @property
    def scale_max(self) -> Decimal:
        return self.quality.scale_max if self.quality else Decimal(5)

    def max_score(self, criterion: Criterion) -> Decimal:
        return criterion.max_score if criterion.max_score is not None else self.scale_max

    @property
    def points_total(self) -> Decimal:
        """The declared total of points (`total_points`), 100 when the tender declares none."""
        return self.total_points if self.total_points is not None else _HUNDRED

    def allowed_scores(self, criterion: Criterion) -> tuple[Decimal, ...] | None:
        """The marks allowed on `criterion`: its own, else the quality block's (quality criteria
        only); None: any mark from 0 to its maximum."""
        if criterion.allowed_scores is not None:
            return criterion.allowed_scores
        if self.quality is not None and criterion in self.quality.criteria:
            return self.quality.allowed_scores
        return None

    def descriptors(self, criterion: Criterion) -> dict[Decimal, str] | None:
        """What each mark of `criterion` means: its own descriptors, else the quality block's."""
        if criterion.descriptors is not None:
            return criterion.descriptors
        if self.quality is not None and criterion in self.quality.criteria:
            return self.quality.descriptors
        return None


def marks_text(tender: Tender, criterion: Criterion) -> str | None:
    """The published scale of `criterion` in words, for templates, the methodology and summaries:
    `only 0 Unacceptable, 2 Poor, 5 Satisfactory ...` with allowed_scores, `any mark from 0 to 5
    (0 Unacceptable ... 5 Excellent)` with descriptors alone; None when it declares neither."""
    allowed = tender.allowed_scores(criterion)
    descriptors = tender.descriptors(criterion) or {}
    marks = sorted(set(allowed or ()) | set(descriptors))
    if not marks:
        return None
    words = ", ".join(
        f"{decimal_text(m)} {descriptors[m]}" if m in descriptors else decimal_text(m)
        for m in marks
    )
    if allowed is None:
        return f"any mark from 0 to {decimal_text(tender.max_score(criterion))} ({words})"
    return f"only {words}"


_HUNDRED = Decimal(100)
_DEFAULT_AWARD_RULE = AwardRule()
"""The rule of a tender that declares none (one frozen instance: the evaluation asks for it per bid)."""
