"""Bids: who the bidder is, the price, and the social value commitments offered."""

from __future__ import annotations

from pydantic import Field

from svengine.model._base import Dec, Model
from svengine.problems import Location


class Bidder(Model):
    id: str
    name: str
    employees: int | None = None
    turnover: Dec | None = None
    balance_sheet_total: Dec | None = None
    vcse: bool | None = None


class Commitment(Model):
    """A quantity of one measure offered, for a number of years (default 1)."""

    measure: str
    quantity: Dec
    years: int | None = None
    description: str | None = None
    source: Location | None = Field(default=None, exclude=True)
    """Where the commitment was read when it has a place of its own (a SocialValue sheet row)."""


class Bid(Model):
    bidder: Bidder
    price: Dec | None = None
    """The price the bid states: required for lump_sum; for the other price models the figure the
    bidder says its lines add up to (optional; checked against the engine's own arithmetic)."""
    prices: dict[str, Dec] | None = None
    """basket: {item: unit price}; multi_part and whole_life: {part id: amount}."""
    adjustment_pct: Dec | None = None
    """schedule_of_rates: one adjustment to every base rate, in % (negative is a discount)."""
    adjustments_pct: dict[str, Dec] | None = None
    """schedule_of_rates: an adjustment per section, in %."""
    social_value: tuple[Commitment, ...] = ()
    description: str | None = None
    lot: str | None = None
    """The lot this bid is for: required when the tender has lots, refused otherwise."""
    source: Location | None = Field(default=None, exclude=True)
    """Where the bid was read from (file and JSON path), for messages only; never in results."""
