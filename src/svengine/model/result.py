"""The result of an evaluation: what `result.json` holds (see schemas/result.schema.json).

Published figures (block scores, totals, additionality) are Decimals rounded as the tender
declares. Intermediate figures that the tender does not round are given exactly as text: a
decimal when it terminates, otherwise a fraction such as `25/3`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from svengine.model._base import Dec, ExactAmount, Model
from svengine.model.award import Decisions
from svengine.model.award_result import (
    AwardEntry,
    BidAward,
    GateResult,
    MethodSummary,
    PolicyWarning,
)
from svengine.model.panel_result import (
    CommitmentModeration,
    CriterionPanel,
    ExactScore,
    PanelResult,
)

Size = Literal["micro", "sme", "large", "unknown"]
Status = Literal["ranked", "excluded"]


class Flag(Model):
    """Something the panel should know: reported, never deciding (codes are stable)."""

    code: str
    message: str


class CriterionResult(Model):
    id: str
    title: str
    weight: Dec
    """Points of the 100-point total this criterion is worth."""
    max_score: Dec
    min_score: Dec | None
    score: ExactScore
    """The score used: the agreed (or consensus) score, or the exact panel mean or median."""
    points: str
    """weight × score / max_score, exact."""
    comment: str | None
    panel: CriterionPanel | None = None
    """Each evaluator's score, the aggregate and the rationale; null without panel scores."""


class QualityResult(Model):
    score: Dec | None
    """The published quality block score (null when excluded)."""
    points: str
    """T: the sum of the criteria's points, exact."""
    available: Dec
    criteria: tuple[CriterionResult, ...]


class PriceLineResult(Model):
    """One line the evaluated price was built from (see docs/prices.md)."""

    item: str
    """The basket or schedule item, or the price part."""
    description: str | None
    section: str | None
    """schedule_of_rates: the section whose adjustment applied."""
    year: int | None
    """whole_life: the year the amount falls in (0 = now)."""
    quantity: Dec | None
    """The volume (basket, schedule_of_rates) or the multiplier (multi_part)."""
    rate: Dec
    """The bid's unit price (basket) or amount (multi_part, whole_life); the base rate (schedule_of_rates)."""
    adjustment_pct: Dec | None
    discount_factor: str | None
    """whole_life: 1 / (1 + r)^year, exact."""
    amount: str
    """What the line adds to the evaluated price, exact."""


class PriceResult(Model):
    amount: ExactAmount
    """The amount scored (the evaluated price); kept for consumers of earlier result.json files.
    A decimal, or exact fraction text (`20000/207`) when a whole-life price declares no rounding."""
    score: Dec | None
    model: Literal["lump_sum", "basket", "schedule_of_rates", "multi_part", "whole_life"]
    vat: Literal["excluded", "included"]
    evaluated: ExactAmount
    """The evaluated price: the amount the price formula scored (equal to `amount`), exact."""
    stated: Dec | None
    """The price the bid states (null when it states none)."""
    computed: str | None
    """What the lines add up to, exact, before any declared rounding (null for lump_sum)."""
    arithmetic_error: bool
    """The stated price is not what the lines add up to (after the declared rounding)."""
    lines: tuple[PriceLineResult, ...]


class CommitmentResult(Model):
    measure: str
    title: str
    theme: str
    unit: str
    quantity: Dec
    years: int
    """Years counted (after defaults and caps)."""
    years_offered: int | None
    proxy_value: Dec | None
    value: Dec
    counted: bool
    """False when the measure is outside the tender's allowed list (worth 0 here)."""
    description: str | None
    moderation: CommitmentModeration | None = None
    """The panel's decision from sv_moderation.csv; `quantity` and `value` are then as accepted."""


class DeflatorsApplied(Model):
    """The deflators a commitment's net value was computed with (null: none declared, i.e. 0%)."""

    deadweight_pct: Dec | None
    attribution_pct: Dec | None
    displacement_pct: Dec | None
    leakage_pct: Dec | None
    drop_off_pct: Dec | None


class NetCommitmentResult(CommitmentResult):
    """A commitment of a tender that reports net social value (docs/methods-net.md): only such
    tenders carry these fields, so results of other tenders keep their bytes."""

    net_value: Dec
    """value net of the deflators: each counted year's gross × (1 − deadweight) × (1 − attribution)
    × (1 − displacement) × (1 − leakage), every year after the first (1 − drop_off) of the one before."""
    net_by_year: tuple[Dec, ...]
    """The net value of each counted year, first year first."""
    deflators: DeflatorsApplied


class SocialValueResult(Model):
    total: Dec
    """The gross value: Σ of the commitments' values."""
    additionality_pct: Dec
    additionality_pct_of_price: Dec
    score: Dec | None
    quantitative_points: str | None
    criteria: tuple[CriterionResult, ...]
    commitments: tuple[NetCommitmentResult | CommitmentResult, ...]


class NetSocialValueResult(SocialValueResult):
    """Social value of a tender that reports net values (any deflator declared, or `count: net`)."""

    net_value: Dec
    """Σ of the commitments' net values."""
    counted: Literal["gross", "net"]
    """The value scored and behind additionality (the tender's `social_value.count`)."""


def counted_value(social_value: SocialValueResult) -> Decimal:
    """The social value £ that is scored and behind additionality: net with `count: net`, else gross."""
    if isinstance(social_value, NetSocialValueResult) and social_value.counted == "net":
        return social_value.net_value
    return social_value.total


class Explanation(Model):
    """The formula and the numbers behind each figure, in words."""

    quality: str
    evaluated_price: str
    """How the bid's price submission became the evaluated price (model, lines, VAT, arithmetic check)."""
    price: str
    social_value: str
    total: str


class BidResult(Model):
    bidder_id: str
    bidder_name: str
    status: Status
    rank: int | None
    total_score: Dec | None
    quality: QualityResult
    price: PriceResult
    social_value: NetSocialValueResult | SocialValueResult
    size: Size
    vcse: bool | None
    exclusions: tuple[Flag, ...]
    flags: tuple[Flag, ...]
    explain: Explanation
    lot: str | None = None
    """The lot this bid is for; null for a tender without lots. `rank` is the rank within the lot."""
    gates: tuple[GateResult, ...] = ()
    value_ratio: str | None = None
    """price_per_quality_point: evaluated price ÷ total points, exact (lowest ranks first)."""
    award: BidAward | None = None


class TenderSummary(Model):
    id: str
    title: str
    currency: str
    contract_value: Dec


class Summary(Model):
    bids: int
    ranked: int
    excluded: int
    sme: int
    micro: int
    vcse: int
    size_unknown: int


class ReferenceValues(Model):
    """The values relative formulas compare against, from the bids still in the competition."""

    lowest_price: ExactAmount | None
    """The lowest evaluated price, exact (fraction text when it does not terminate)."""
    highest_price: ExactAmount | None
    best_quality_points: str | None
    highest_social_value: Dec | None
    highest_social_value_per_price: str | None


class LotResult(Model):
    """A lot, evaluated on its own: its reference values and counts."""

    id: str
    title: str
    contract_value: Dec
    reference: ReferenceValues
    summary: Summary
    panel: PanelResult | None = None


class Engine(Model):
    name: str
    version: str


class Audit(Model):
    """What an auditor needs to reproduce the result (see docs/audit.md for exactly what is hashed)."""

    engine: Engine
    inputs: dict[str, str] | None
    """SHA-256 (hex) of every file read, keyed by its path relative to the evaluation folder; null when
    the result was computed from objects in memory rather than files."""
    method_sha256: str
    """SHA-256 of the canonical JSON of the evaluation method (the tender without its wording, and the
    measure library's scoring fields)."""
    result_sha256: str
    """SHA-256 of the canonical JSON of this whole result without this field."""


class Result(Model):
    tender: TenderSummary
    summary: Summary
    reference: ReferenceValues
    bids: tuple[BidResult, ...]
    audit: Audit | None = None
    panel: PanelResult | None = None
    """Evaluators and `evaluator_bias` flags; null without panel scores."""
    lots: tuple[LotResult, ...] | None = None
    """Each lot's reference values and counts; null without lots (`reference` then holds them)."""
    method: MethodSummary | None = None
    awards: tuple[AwardEntry, ...] = ()
    decisions: Decisions | None = None
    """The buyer's decisions (decisions.yaml) as recorded, with who decided and when; null without the file."""
    warnings: tuple[PolicyWarning, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """The result as JSON text: decimals as strings, fixed key order, ending in a newline.

        pydantic-core writes the same bytes as `json.dumps(self.to_dict(), indent=2,
        ensure_ascii=False)` (tests/test_result_json.py checks it), faster.
        """
        return super().model_dump_json(indent=2) + "\n"

    def model_dump_json(self, **options: Any) -> str:
        """`to_json()`: result.json has one serialisation. With pydantic's options (indent,
        include, exclude...), pydantic's own serialisation of the model."""
        return super().model_dump_json(**options) if options else self.to_json()

    def json(self, **options: Any) -> str:
        """`to_json()` (pydantic's deprecated `.json()` gives the same bytes, without options)."""
        if options:
            raise TypeError("Result.json() takes no options; it is to_json()")
        return self.to_json()

    def bid(self, bidder_id: str, lot: str | None = None) -> BidResult:
        """A bid by bidder id (and lot, for a bidder in several lots: the first of its bids otherwise)."""
        for bid in self.bids:
            if bid.bidder_id == bidder_id and (lot is None or bid.lot == lot):
                return bid
        raise KeyError(bidder_id)
