"""The result of an evaluation: what `result.json` holds (see schemas/result.schema.json).

Published figures (block scores, totals, additionality) are Decimals rounded as the tender
declares. Intermediate figures that the tender does not round are given exactly as text: a
decimal when it terminates, otherwise a fraction such as `25/3`.
"""

from __future__ import annotations

from typing import Literal

from svengine.model._base import Dec, Model

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
    score: Dec
    points: str
    """weight × score / max_score, exact."""
    comment: str | None


class QualityResult(Model):
    score: Dec | None
    """The published quality block score (null when excluded)."""
    points: str
    """T: the sum of the criteria's points, exact."""
    available: Dec
    criteria: tuple[CriterionResult, ...]


class PriceResult(Model):
    amount: Dec
    score: Dec | None


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


class SocialValueResult(Model):
    total: Dec
    additionality_pct: Dec
    additionality_pct_of_price: Dec
    score: Dec | None
    quantitative_points: str | None
    criteria: tuple[CriterionResult, ...]
    commitments: tuple[CommitmentResult, ...]


class Explanation(Model):
    """The formula and the numbers behind each figure, in words."""

    quality: str
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
    social_value: SocialValueResult
    size: Size
    vcse: bool | None
    exclusions: tuple[Flag, ...]
    flags: tuple[Flag, ...]
    explain: Explanation


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

    lowest_price: Dec | None
    highest_price: Dec | None
    best_quality_points: str | None
    highest_social_value: Dec | None
    highest_social_value_per_price: str | None


class Result(Model):
    tender: TenderSummary
    summary: Summary
    reference: ReferenceValues
    bids: tuple[BidResult, ...]

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """The result as JSON text: decimals as strings, fixed key order, ending in a newline.

        pydantic-core writes the same bytes as `json.dumps(self.to_dict(), indent=2,
        ensure_ascii=False)` (tests/test_result_json.py checks it), about five times faster.
        """
        return self.model_dump_json(indent=2) + "\n"

    def bid(self, bidder_id: str) -> BidResult:
        for bid in self.bids:
            if bid.bidder_id == bidder_id:
                return bid
        raise KeyError(bidder_id)

