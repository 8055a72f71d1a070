"""The award part of result.json: lots, appointments, gates, the method summary and policy warnings."""

from __future__ import annotations

from typing import Literal

from svengine.model._base import Dec, Model
from svengine.model.award import AwardModel

Outcome = Literal["appointed", "not_appointed", "excluded"]
PassedOverReason = Literal["lot_limit_reached", "below_cutoff"]


class GateResult(Model):
    id: str
    title: str
    verdict: Literal["pass", "fail"]
    comment: str | None


class BidAward(Model):
    """What the award decision means for one bid, and why."""

    outcome: Outcome
    reason: PassedOverReason | None
    """Why a ranked bid was passed over (null when appointed or excluded)."""
    message: str


class AwardEntry(Model):
    """An appointed supplier."""

    lot: str | None
    bidder_id: str
    rank: int


class MethodWeights(Model):
    quality: Dec
    price: Dec
    social_value: Dec


class GateSummary(Model):
    id: str
    title: str


class MethodSummary(Model):
    """The published method in brief, so that summaries and the award report need only result.json."""

    award_model: AwardModel
    weights: MethodWeights
    quality_method: str | None
    price_method: str
    social_value_method: str | None
    gates: tuple[GateSummary, ...]
    suppliers_per_lot: int | None
    """null when every bid above min_total_pct is appointed."""
    min_total_pct: Dec | None
    cutoff_ties: Literal["appoint_all", "tie_break"]
    max_lots_per_supplier: int | None
    allocation: Literal["lot_order", "lot_value_desc"] | None
    regime: str | None
    authority: str | None


class PolicyWarning(Model):
    """A policy check that failed: reported, never changing a figure (codes are stable)."""

    code: str
    message: str
