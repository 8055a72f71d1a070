"""What the weighting pays for social value (issue 18): information only, never part of the decision.

For each ranked bid, the **price premium its social value points are worth at the margin**: how
much higher its evaluated price could be before the price points it would lose equal the social
value points it gained, every other bid and every other score held as they are. The price points
are those of the tender's own formula (`scoring.price.price_points`, defined once in
`scoring.rules.PRICE`), re-worked with the bid's raised price among the prices of the bids in the
competition (so a bid that sets P_min moves P_min as its price rises, as the formula would).

The premium is found exactly to the penny (the currency's hundredth): the price points are exact
fractions, and the search is a bisection over whole pennies, so the figure is the largest whole
number of pennies the price could rise without the lost price points exceeding the social value
points (both unrounded where result.json keeps them exact, otherwise as published). Where even a
price so high that it earns no price points would not lose as many points as the social value
earned, there is no such price: the premium is unbounded and is reported as such.

For the tender: the **price paid per point of social value** between the winner and the
best-priced ranked bid, (P_winner − P_best) / (SV_winner − SV_best), exact; not defined when the
winner is the best-priced bid (nothing paid) or does not have more social value points.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from svengine.model.result import BidResult, Result
from svengine.model.tender import Tender
from svengine.numbers import exact_text
from svengine.scoring.price import price_points

PENNY = Fraction(1, 100)
NOTHING_PAID = "the winner is the best-priced bid: nothing is paid for social value"
NO_MORE_POINTS = (
    "the winner has no more social value points than the best-priced bid:"
    " the higher price buys other points"
)


@dataclass(frozen=True)
class BidPremium:
    bidder_id: str
    lot: str | None
    price: Fraction
    social_value_points: Fraction
    premium: Fraction | None
    """The largest rise of the evaluated price, in whole pennies, whose lost price points do not
    exceed the social value points; None: no rise loses that many (unbounded)."""


@dataclass(frozen=True)
class PricePerPoint:
    lot: str | None
    winner: str
    best_priced: str
    per_point: Fraction | None
    """(P_winner − P_best) / (SV_winner − SV_best); None when not defined (see `reason`)."""
    reason: str


@dataclass(frozen=True)
class PremiumReport:
    bids: tuple[BidPremium, ...]
    tender: tuple[PricePerPoint, ...]


def _points(score: object) -> Fraction:
    return Fraction(str(score))


def _competition(result: Result, lot: str | None) -> list[BidResult]:
    return [b for b in result.bids if b.lot == lot and b.status == "ranked"]


def _premium(tender: Tender, bid: BidResult, others: list[Fraction]) -> Fraction | None:
    block = tender.price
    weight = Fraction(tender.weights.price)
    price = Fraction(bid.price.evaluated)
    social = _points(bid.social_value.score)

    def points(at: Fraction) -> Fraction:
        return price_points(block, weight, at, [*others, at])

    start = points(price)

    def cancelled(rise: Fraction) -> bool:
        return start - points(price + rise) > social

    if weight == 0:
        return None  # price earns no points: no rise loses any
    if social <= 0:
        return Fraction(0)
    # Find an upper bound: double the rise until the lost points exceed the social value points,
    # or the price earns nothing at all (then no rise ever cancels them).
    high = max(price, Fraction(1))
    while not cancelled(high):
        if points(price + high) <= 0 or high > price * 10**9:
            return None
        high *= 2
    low_pennies, high_pennies = 0, int(high / PENNY) + 1  # not cancelled at low, cancelled at high
    while high_pennies - low_pennies > 1:
        middle = (low_pennies + high_pennies) // 2
        if cancelled(middle * PENNY):
            high_pennies = middle
        else:
            low_pennies = middle
    return low_pennies * PENNY


def _bounds_of_others(prices: list[Fraction]) -> list[list[Fraction]]:
    """For each bid, the lowest and highest price of the other bids: all the price formulas read of
    them (`scoring.price.price_names` takes P_min and P_max), so each bisection step compares two
    figures, not every price (with every price it was quadratic: 30 s for 1,000 bids)."""
    if len(prices) < 2:
        return [[] for _ in prices]
    order = sorted(range(len(prices)), key=prices.__getitem__)
    lowest, second_lowest, highest, second_highest = order[0], order[1], order[-1], order[-2]
    return [
        [
            prices[second_lowest if index == lowest else lowest],
            prices[second_highest if index == highest else highest],
        ]
        for index in range(len(prices))
    ]


def premium_report(tender: Tender, result: Result) -> PremiumReport:
    """The premium of every ranked bid, and the price paid per social value point, lot by lot."""
    bids: list[BidPremium] = []
    tender_rows: list[PricePerPoint] = []
    lots = sorted({b.lot for b in result.bids}, key=lambda lot: (lot is not None, lot or ""))
    for lot in lots:
        ranked = _competition(result, lot)
        prices = [Fraction(b.price.evaluated) for b in ranked]
        for bid, others in zip(ranked, _bounds_of_others(prices), strict=True):
            bids.append(
                BidPremium(
                    bid.bidder_id,
                    lot,
                    Fraction(bid.price.evaluated),
                    _points(bid.social_value.score),
                    _premium(tender, bid, others),
                )
            )
        if not ranked:
            continue
        winner = min(ranked, key=lambda b: b.rank or 0)
        best = min(ranked, key=lambda b: (Fraction(b.price.evaluated), b.rank or 0))
        paid = Fraction(winner.price.evaluated) - Fraction(best.price.evaluated)
        gained = _points(winner.social_value.score) - _points(best.social_value.score)
        if winner is best or paid == 0:
            per_point, reason = None, NOTHING_PAID
        elif gained <= 0:
            per_point, reason = None, NO_MORE_POINTS
        else:
            per_point, reason = paid / gained, ""
        row = PricePerPoint(lot, winner.bidder_id, best.bidder_id, per_point, reason)
        tender_rows.append(row)
    return PremiumReport(tuple(bids), tuple(tender_rows))


def premium_lines(report: PremiumReport, currency: str, places: int) -> list[str]:
    """The report in words, for the terminal and the evaluation pack (figures via display.py);
    `places`: the tender's declared places for scores."""
    from svengine.display import amount, percent, score

    lines = [
        "What the weighting pays for social value (information only; docs/methods.md):",
        "  the price rise each bid's social value points are worth, everything else held:",
    ]
    for bid in report.bids:
        where = f" (lot {bid.lot})" if bid.lot is not None else ""
        points = score(bid.social_value_points, places)
        if bid.premium is None:
            worth = "more than any price rise could take back in price points"
        else:
            share = percent(bid.premium / bid.price * 100) if bid.price else "-"
            worth = f"a price up to {amount(bid.premium, currency)} higher ({share} of its price)"
        lines.append(
            f"  {bid.bidder_id}{where}: its {points} social value points are worth {worth}"
        )
    for row in report.tender:
        where = f" in lot {row.lot}" if row.lot is not None else ""
        if row.per_point is None:
            lines.append(f"  price paid per social value point{where}: not defined; {row.reason}")
        else:
            lines.append(
                f"  price paid per social value point{where}: {amount(row.per_point, currency)}"
                f" (winner {row.winner} against the best-priced bid {row.best_priced})"
            )
    return lines


def premium_json(report: PremiumReport) -> dict[str, object]:
    """The report as JSON data for robustness.json: exact figures as decimal or fraction text."""

    def text(value: Fraction | None) -> str | None:
        return None if value is None else exact_text(value)

    return {
        "information_only": True,
        "bids": [
            {
                "bidder_id": b.bidder_id,
                "lot": b.lot,
                "social_value_points": text(b.social_value_points),
                "price_premium": text(b.premium),
            }
            for b in report.bids
        ],
        "price_per_social_value_point": [
            {
                "lot": r.lot,
                "winner": r.winner,
                "best_priced": r.best_priced,
                "per_point": text(r.per_point),
                "why_not_defined": r.reason or None,
            }
            for r in report.tender
        ],
    }
