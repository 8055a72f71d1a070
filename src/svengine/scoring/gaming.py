"""Gaming flags: offers a panel should look at twice. Reported, never deciding.

A flag changes no score; a person decides (and, for an abnormally low price, may disregard the
tender only after notice and a chance to explain: Procurement Act 2023 s.19(3)(c), (4), (5)).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from svengine.display import figure, money
from svengine.model.result import Flag
from svengine.model.tender import Tender
from svengine.scoring.working import ScoredBid

DEFAULT_MAX_SV_SHARE_OF_PRICE_PCT = Fraction(100)
DEFAULT_ABNORMALLY_LOW_PCT = Fraction(20)


def is_fte_unit(unit: str) -> bool:
    """Measures counted in full-time-equivalent years (`FTE-year`, `FTE years`, ...)."""
    return unit.strip().lower().startswith("fte")


def gaming_flags(tender: Tender, working: Sequence[ScoredBid]) -> None:
    """Add the gaming flags to each bid's flags (bids still in the competition for price comparisons)."""
    checks = tender.checks
    share_limit = (
        Fraction(checks.max_sv_share_of_price_pct)
        if checks and checks.max_sv_share_of_price_pct is not None
        else DEFAULT_MAX_SV_SHARE_OF_PRICE_PCT
    )
    low_pct = (
        Fraction(checks.abnormally_low_pct)
        if checks and checks.abnormally_low_pct is not None
        else DEFAULT_ABNORMALLY_LOW_PCT
    )
    cost_per_fte = (
        Fraction(checks.cost_per_fte_year)
        if checks and checks.cost_per_fte_year is not None
        else None
    )
    valid = [item for item in working if not item.excluded]
    # The mean of the other valid prices is (sum of all valid - this one) / (n - 1): one exact sum,
    # not n sums of n - 1 prices each (which made the flag quadratic in the number of bids).
    valid_total = sum((other.price for other in valid), Fraction(0))
    for item in working:
        share = item.social_value * 100 / item.price
        if share > share_limit:
            item.flags.append(
                Flag(
                    code="sv_share_of_price",
                    message=f"social value offered ({money(item.social_value)}) is {figure(share)}% of the price,"
                    f" above the {figure(share_limit)}% the tender treats as plausible; check it can be delivered",
                )
            )
        if cost_per_fte is not None:
            fte_years = sum(
                (
                    Fraction(c.commitment.quantity) * c.years
                    for c in item.commitments
                    if c.counted and is_fte_unit(c.measure.unit)
                ),
                Fraction(0),
            )
            affordable = Fraction(tender.contract_value) / cost_per_fte
            if fte_years > affordable:
                item.flags.append(
                    Flag(
                        code="implausible_quantity",
                        message=f"{figure(fte_years)} FTE-years offered, but the contract value "
                        f"{money(tender.contract_value)}"
                        f" pays for at most {figure(affordable)} at {money(cost_per_fte)} per FTE-year",
                    )
                )
        claimed = {c.measure.id for c in item.commitments}
        pairs = sorted(
            {
                tuple(sorted((c.measure.id, other)))
                for c in item.commitments
                for other in c.measure.exclusive_with
                if other in claimed
            }
        )
        for first, second in pairs:
            item.flags.append(
                Flag(
                    code="exclusive_measures",
                    message=f"{first} and {second} are mutually exclusive in the library"
                    " (the same benefit counted twice); claimed together",
                )
            )
        if item.excluded or len(valid) < 2:
            continue
        mean = (valid_total - item.price) / (len(valid) - 1)
        below = (mean - item.price) * 100 / mean
        if below > low_pct:
            item.flags.append(
                Flag(
                    code="abnormally_low",
                    message=f"price {money(item.price)} is {figure(below)}% below the mean of the other valid bids"
                    f" ({money(mean)}), more than {figure(low_pct)}%: ask the bidder to explain how it can perform for"
                    " this price before deciding; it may be disregarded only after notice and a chance to respond"
                    " (Procurement Act 2023 s.19(3)(c), (4), (5))",
                )
            )
