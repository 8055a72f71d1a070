"""The bids' own rules: one bid per bidder, prices and quantities that must be positive, measures the
library has (pure; every problem located in the bid's file or sheet row).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from svengine.checks.rows import did_you_mean
from svengine.model.bid import Bid
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.problems import Location, Problem, json_path
from svengine.scoring.price_models import check_bid_price


def _bid_location(bid: Bid, *parts: str | int) -> Location:
    if (
        parts[:1] == ("social_value",)
        and len(parts) > 1
        and isinstance(parts[1], int)
        and parts[1] < len(bid.social_value)
    ):
        own = bid.social_value[
            parts[1]
        ].source  # a commitment read from its own row (SocialValue sheet)
        if own is not None:
            return replace(own, path=(own.path or "$") + json_path(parts)[1:])
    source = bid.source or Location()
    base = source.path or "$"
    return replace(source, path=base + json_path(parts)[1:])


def check_bids(tender: Tender, bids: Sequence[Bid]) -> list[Problem]:
    """Duplicate bidders, prices and quantities that must be positive, measures the library lacks."""
    problems: list[Problem] = []
    library = tender.measure_library
    counts = Counter(bid.bidder.id for bid in bids)
    reported: set[str] = set()
    for bid in bids:
        who = bid.bidder.id

        def add(code: str, message: str, *parts: str | int) -> None:
            problems.append(Problem(code, message, _bid_location(bid, *parts), bidder=who))  # noqa: B023

        if counts[who] > 1 and who not in reported:
            reported.add(who)
            add(
                "duplicate_bidder",
                f'bidder id "{who}" is used by {counts[who]} bids; each bid needs its own id',
                "bidder",
                "id",
            )
        problems += check_bid_price(
            tender.price, bid, lambda *parts, bid=bid: _bid_location(bid, *parts)
        )
        for name in ("turnover", "balance_sheet_total"):
            value = getattr(bid.bidder, name)
            if value is not None and value < 0:
                add("negative_value", f"{name} must not be negative", "bidder", name)
        if bid.bidder.employees is not None and bid.bidder.employees < 0:
            add("negative_value", "employees must not be negative", "bidder", "employees")
        for index, commitment in enumerate(bid.social_value):
            if commitment.quantity <= 0:
                add(
                    "not_positive",
                    f"commitment {commitment.measure}: quantity must be greater than 0"
                    f" (got {decimal_text(commitment.quantity)})",
                    "social_value",
                    index,
                    "quantity",
                )
            if commitment.years is not None and commitment.years < 1:
                add(
                    "bad_years",
                    f"commitment {commitment.measure}: years must be a whole number of at least 1",
                    "social_value",
                    index,
                    "years",
                )
            if tender.social_value is None:
                continue
            if library is None:
                continue
            measure = library.by_id.get(commitment.measure)
            if measure is None:
                add(
                    "unknown_measure",
                    f'measure "{commitment.measure}" is not in library {library.id} {library.version}'
                    + did_you_mean(commitment.measure, list(library.by_id)),
                    "social_value",
                    index,
                    "measure",
                )
            elif measure.basis == "total" and commitment.years not in (None, 1):
                add(
                    "bad_years",
                    f'measure "{measure.id}" counts a quantity for the whole term (basis: total),'
                    " so years must be 1 or left out",
                    "social_value",
                    index,
                    "years",
                )
        if bid.social_value and tender.social_value is None:
            add(
                "unexpected_social_value",
                "this tender does not evaluate social value, but the bid offers commitments",
                "social_value",
            )
    return problems
