"""How one bid's total was reached, in plain English, from result.json alone (never the inputs).

Each criterion score with the panel's comment, the working of every block (the result's own
`explain` texts), the social value commitments with their proxies, the thresholds passed or failed,
and where the bid lost or gained points against the winner, block by block.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from svengine.display import CURRENCY_SYMBOLS, PEOPLE_PLACES, amount, percent, quantity, readable
from svengine.model.result import BidResult, CriterionResult, Result
from svengine.numbers import exact_text


def _points(text: str) -> Fraction:
    return Fraction(text)  # exact text: "12", "10.5" or "25/3"


def declared_places(result: Result) -> int:
    """The places the tender declared for its scores, as its published totals show them (`81.70`: 2)."""
    for bid in result.bids:
        if bid.total_score is not None:
            exponent = bid.total_score.as_tuple().exponent
            return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return PEOPLE_PLACES


def _criterion_line(criterion: CriterionResult, places: int) -> str:
    def shown(value: Fraction | Decimal) -> str:
        return quantity(value, places)

    minimum = f", minimum {shown(criterion.min_score)}" if criterion.min_score is not None else ""
    line = (
        f"{criterion.id} {criterion.title} (worth {shown(criterion.weight)} points{minimum}): scored"
        f" {shown(criterion.score)} of {shown(criterion.max_score)} = {shown(criterion.weight)} ×"
        f" {shown(criterion.score)}/{shown(criterion.max_score)} = {shown(_points(criterion.points))} points."
    )
    comment = (
        f' Panel: "{criterion.comment}"' if criterion.comment else " Panel: no comment recorded."
    )
    return line + comment


def _quantity(value: Decimal, unit: str) -> str:
    """`5 FTE-year`; a unit that is money spent reads as money (`£450,000 spent`, not `450,000 £ spent`)."""
    symbol, _, rest = unit.partition(" ")
    if symbol in CURRENCY_SYMBOLS.values() and rest:
        return f"{symbol}{quantity(value)} {rest}"
    return f"{quantity(value)} {unit}"


def _commitment_lines(bid: BidResult, currency: str) -> list[str]:
    lines = []
    for c in bid.social_value.commitments:
        offered = (
            f" ({c.years_offered} offered)"
            if c.years_offered is not None and c.years_offered != c.years
            else ""
        )
        head = f"{c.measure} {c.title}: {_quantity(c.quantity, c.unit)}"
        if not c.counted:
            lines.append(f"{head}, not counted: the measure is outside the tender's allowed list.")
        elif c.proxy_value is None:
            lines.append(f"{head}, recorded only (no proxy value, worth 0).")
        else:
            lines.append(
                f"{head} × {c.years} year{'s' if c.years != 1 else ''}{offered} × proxy "
                f"{amount(c.proxy_value, currency)}"
                f" = {amount(c.value, currency)}."
            )
    return lines or ["No commitments offered."]


def _thresholds(bid: BidResult, places: int) -> list[str]:
    lines = []
    for criterion in (*bid.quality.criteria, *bid.social_value.criteria):
        if criterion.min_score is not None:
            verdict = "passed" if criterion.score >= criterion.min_score else "FAILED"
            lines.append(
                f"{criterion.id} {criterion.title}: minimum score {quantity(criterion.min_score, places)},"
                f" scored {quantity(criterion.score, places)}: {verdict}."
            )
    quality_failures = [f for f in bid.exclusions if f.code == "below_min_total_quality"]
    if quality_failures:
        lines += [f"Quality minimum: FAILED: {readable(f.message)}." for f in quality_failures]
    elif (
        bid.status == "ranked" and "(minimum " in bid.explain.quality
    ):  # the tender sets a quality minimum
        lines.append(
            f"Quality minimum: passed with quality points {quantity(_points(bid.quality.points), places)}"
            f" of {quantity(bid.quality.available, places)} (the minimum is in the quality working above)."
        )
    others = [
        f for f in bid.exclusions if f.code not in ("below_min_score", "below_min_total_quality")
    ]
    lines += [f"{f.code}: FAILED: {readable(f.message)}." for f in others]
    return lines or ["The tender sets no thresholds."]


def _opponent(result: Result, bid: BidResult) -> tuple[BidResult | None, str]:
    ranked = [b for b in result.bids if b.status == "ranked" and b.bidder_id != bid.bidder_id]
    if bid.rank == 1:
        tied = [b for b in ranked if b.rank == 1]
        if tied:
            return tied[0], "the bid tied with it for first place"
        return (ranked[0], "the runner-up") if ranked else (None, "")
    winners = [b for b in ranked if b.rank == 1]
    return (winners[0], "the winner") if winners else (None, "")


def _gap(mine: Fraction | Decimal, theirs: Fraction | Decimal, places: int) -> str:
    # Published figures (Decimals) keep their declared places; exact points are shown to them too.
    difference = (
        mine - theirs
        if isinstance(mine, Decimal) and isinstance(theirs, Decimal)
        else Fraction(mine) - Fraction(theirs)
    )
    if difference == 0:
        return "level"
    shown = (
        str(abs(difference))
        if isinstance(difference, Decimal)
        else quantity(abs(difference), places)
    )
    return f"{shown} {'ahead' if difference > 0 else 'behind'}"


def _criteria_gaps(
    mine: tuple[CriterionResult, ...], theirs: tuple[CriterionResult, ...], places: int
) -> list[str]:
    others = {c.id: c for c in theirs}
    lines = []
    for criterion in mine:
        other = others.get(criterion.id)
        if other is None:
            continue
        mine_points, their_points = _points(criterion.points), _points(other.points)
        lines.append(
            f"    {criterion.id} {criterion.title}: {quantity(mine_points, places)} against"
            f" {quantity(their_points, places)} points (scored {quantity(criterion.score, places)} against"
            f" {quantity(other.score, places)}): {_gap(mine_points, their_points, places)}."
        )
    return lines


def _comparison(result: Result, bid: BidResult) -> list[str]:
    if bid.status != "ranked":
        return ["Not compared with the winner: an excluded bid has no block scores or total."]
    other, role = _opponent(result, bid)
    if other is None:
        return ["This is the only ranked bid, so there is nothing to compare against."]
    assert bid.total_score is not None and other.total_score is not None
    currency = result.tender.currency
    places = declared_places(result)
    lines = [
        f"Against {role}, {other.bidder_id} {other.bidder_name} (total {other.total_score}), block by block:"
    ]
    for name, mine, theirs in (
        ("quality", bid.quality.score, other.quality.score),
        ("price", bid.price.score, other.price.score),
        ("social value", bid.social_value.score, other.social_value.score),
    ):
        assert mine is not None and theirs is not None
        lines.append(f"  {name}: {mine} against {theirs}: {_gap(mine, theirs, places)}.")
        if name == "quality":
            lines += _criteria_gaps(bid.quality.criteria, other.quality.criteria, places)
        elif name == "price":
            mine_price, their_price = Fraction(bid.price.amount), Fraction(other.price.amount)
            cheaper = "cheaper" if mine_price < their_price else "dearer"
            if mine_price != their_price:
                lines.append(
                    f"    price {amount(mine_price, currency)} against"
                    f" {amount(their_price, currency)}:"
                    f" {amount(abs(mine_price - their_price), currency)} {cheaper}."
                )
        else:
            sv, other_sv = bid.social_value, other.social_value
            lines.append(
                f"    social value offered {amount(sv.total, currency)} against"
                f" {amount(other_sv.total, currency)} ({percent(sv.additionality_pct)} against"
                f" {percent(other_sv.additionality_pct)} of the contract value)."
            )
            if sv.quantitative_points is not None and other_sv.quantitative_points is not None:
                mine_q, their_q = (
                    _points(sv.quantitative_points),
                    _points(other_sv.quantitative_points),
                )
                lines.append(
                    f"    {CURRENCY_SYMBOLS.get(currency, currency)} part: {quantity(mine_q, places)}"
                    f" against {quantity(their_q, places)} points:"
                    f" {_gap(mine_q, their_q, places)}."
                )
            lines += _criteria_gaps(sv.criteria, other_sv.criteria, places)
    lines.append(
        f"  total: {bid.total_score} against {other.total_score}:"
        f" {_gap(bid.total_score, other.total_score, places)}."
    )
    return lines


def explain_text(result: Result, bidder_id: str) -> str:
    """The plain-English account of one bid (KeyError if the bidder is not in the result)."""
    bid = result.bid(bidder_id)
    tender = result.tender
    currency = tender.currency
    places = declared_places(result)
    ranked = sum(1 for b in result.bids if b.status == "ranked")
    lines = [f"{bid.bidder_id} {bid.bidder_name}, tender {tender.id}: {tender.title}", ""]
    if bid.status == "ranked":
        lines.append(f"Ranked {bid.rank} of {ranked} with a total of {bid.total_score} points.")
    else:
        lines.append(
            "Excluded, so not ranked: "
            + "; ".join(readable(f.message) for f in bid.exclusions)
            + "."
        )
    lines += ["", f"Quality{f': {bid.quality.score}' if bid.quality.score is not None else ''}"]
    lines += [f"  {_criterion_line(c, places)}" for c in bid.quality.criteria] or [
        "  No quality criteria."
    ]
    # The workings are the record's texts (result.json); each cut figure is shown rounded.
    lines += [
        f"  Working: {readable(bid.explain.quality)}",
        "",
        f"Price{f': {bid.price.score}' if bid.price.score is not None else ''}",
    ]
    evaluated = bid.price.evaluated
    if isinstance(evaluated, Fraction):  # whole_life without price.evaluated_rounding
        lines.append(
            f"  Evaluated price: exactly {exact_text(evaluated)}, about {amount(evaluated, currency)}"
            " (shown to the penny only for reading): the tender declares no price.evaluated_rounding,"
            " so the exact figure is the one scored."
        )
    else:
        lines.append(f"  Price offered: {amount(bid.price.amount, currency)}.")
    lines.append(f"  Working: {readable(bid.explain.price)}")
    sv = bid.social_value
    lines += [
        "",
        f"Social value{f': {sv.score}' if sv.score is not None else ''}",
        "  Commitments, with the proxy value of each measure:",
    ]
    lines += [f"    {line}" for line in _commitment_lines(bid, currency)]
    lines.append(
        f"  Total social value {amount(sv.total, currency)} = {percent(sv.additionality_pct)} of the"
        f" contract value {amount(tender.contract_value, currency)}"
        f" ({percent(sv.additionality_pct_of_price)} of the price)."
    )
    lines += [f"  {_criterion_line(c, places)}" for c in sv.criteria]
    lines += [
        f"  Working: {readable(bid.explain.social_value)}",
        "",
        "Total",
        f"  {readable(bid.explain.total)}",
        "",
        "Thresholds",
    ]
    lines += [f"  {line}" for line in _thresholds(bid, places)]
    if bid.flags:
        lines += ["", "Flags"] + [f"  {flag.code}: {readable(flag.message)}" for flag in bid.flags]
    lines += ["", *_comparison(result, bid)]
    return "\n".join(lines)
