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


class Bid(Model):
    bidder: Bidder
    price: Dec
    social_value: tuple[Commitment, ...] = ()
    description: str | None = None
    source: Location | None = Field(default=None, exclude=True)
    """Where the bid was read from (file and JSON path), for messages only; never in results."""
