"""Award decisions: lots, the award rule, pass/fail gates and the buyer's recorded decisions.

The tender declares lots, gates and the award rule (how many suppliers each lot appoints, lot
limits, the award model); `decisions.yaml` records what the buyer decided about particular tenders
(disregarded on a legal ground; abnormally low tenders accepted or disregarded after explanation).
See docs/award.md.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from svengine.model._base import Dec, Model
from svengine.problems import Location

AwardModel = Literal[
    "weighted",
    "price_per_quality_point",
    "lowest_price_passing_quality",
    "fixed_price",
    "fictitious_price",
]
Verdict = Literal["pass", "fail"]
Ground = Literal[
    "late", "non_compliant", "excluded_supplier", "conditions_of_participation", "over_budget"
]
Regime = Literal["pa2023", "pcr2015", "pcsr2015"]
Authority = Literal["central_government", "local_government", "other"]


class Lot(Model):
    """A lot: evaluated on its own, against its own contract value."""

    id: str
    title: str
    contract_value: Dec
    description: str | None = None


class Gate(Model):
    """A pass/fail criterion (written in quality.criteria with `pass_fail: true`, no weight): a fail excludes."""

    id: str
    title: str
    pass_fail: Literal[True] = True
    description: str | None = None


class AwardRule(Model):
    """How the ranking becomes appointments (Procurement Act 2023 s.23(4): lot limits by an objective rule)."""

    model: AwardModel = "weighted"
    suppliers_per_lot: int | None = Field(default=None, ge=1)
    """How many suppliers each lot appoints (1 unless min_total_pct is given)."""
    min_total_pct: Dec | None = None
    """Appoint every ranked bid whose total is at least this (points of the tender's total), instead
    of a number."""
    cutoff_ties: Literal["appoint_all", "tie_break"] = "appoint_all"
    """A tie at the last place: appoint every tied bid, or only as many as the published tie-break separates."""
    max_lots_per_supplier: int | None = Field(default=None, ge=1)
    allocation: Literal["lot_order", "lot_value_desc"] | None = None
    """Required with max_lots_per_supplier: lots taken in declared order, or highest contract value first."""

    @property
    def places(self) -> int | None:
        """Suppliers appointed per lot, or None for "everyone above min_total_pct"."""
        if self.min_total_pct is not None:
            return None
        return self.suppliers_per_lot if self.suppliers_per_lot is not None else 1


class Disregard(Model):
    """A tender the buyer disregarded on a legal ground."""

    bidder: str
    lot: str | None = None
    """With lots: the lot whose tender is disregarded; left out, every tender of that bidder."""
    ground: Ground
    decided_by: str
    date: date
    note: str | None = None
    source: Location | None = Field(default=None, exclude=True)


class AbnormallyLow(Model):
    """The buyer's decision on an abnormally low tender, after notice and a chance to respond (s.19(4), (5))."""

    bidder: str
    lot: str | None = None
    notice_sent: date | None = None
    response_received: date | None = None
    decision: Literal["accepted", "disregarded"]
    reason: str
    decided_by: str | None = None
    source: Location | None = Field(default=None, exclude=True)


class Decisions(Model):
    """decisions.yaml: what the buyer decided about particular tenders."""

    disregarded: tuple[Disregard, ...] = ()
    abnormally_low: tuple[AbnormallyLow, ...] = ()
