"""Assessment summaries (Procurement Act 2023 s.50; Procurement Regulations 2024 reg. 31).

One per supplier, from result.json alone: the award criteria and their weights, the supplier's own
scores with the panel's rationale, its total and rank, why it was not appointed or was excluded,
and, for an unsuccessful supplier, what reg. 31(3)(d) requires of the most advantageous tender: the
information of reg. 31(2)(e) (its score for each award criterion with the panel's explanation by
reference to that tender, and its sub-total and total scores). Never the successful supplier's
name or identifiers (reg. 31(2)(a)-(c)): they are removed from the panel's explanations too. Nothing
else of any other supplier is ever written: no price, commitment, flag or explanation text (those
name reference prices and other bidders).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from svengine.display import amount, quantity
from svengine.model.result import BidResult, CriterionResult, Result
from svengine.model.tender import Tender, marks_text
from svengine.report.document import Document
from svengine.report.words import AWARD_MODELS

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""Bidder ids that can be file names as they are; other ids are refused rather than rewritten."""

_MODELS = {
    **AWARD_MODELS,
    "fictitious_price": "the lowest fictitious price wins (the price less the published money value"
    " of the quality scores; the price paid stays the tendered price)",
}

WINNER_REDACTED = "the successful supplier"
"""What stands in the panel's explanation of the successful tender for its supplier's name or id."""


def unsafe_ids(result: Result) -> list[str]:
    return sorted({b.bidder_id for b in result.bids if not SAFE_ID.match(b.bidder_id)})


Scales = Mapping[str, tuple[str | None, Mapping[Decimal, str]]]
"""Per criterion id: its published scale in words and what each mark means (the descriptors)."""


def scales(tender: Tender) -> Scales:
    """The tender's published scales (allowed_scores, descriptors), for `summaries`."""
    return {
        c.id: (marks_text(tender, c), tender.descriptors(c) or {})
        for c in (*tender.quality_criteria, *tender.social_value_criteria)
        if marks_text(tender, c) is not None
    }


def summaries(
    result: Result, include_winner: bool = True, tender: Tender | None = None
) -> dict[str, Document]:
    """{bidder id: its summary}, one per supplier covering every lot it bid for.

    `include_winner` (default, as reg. 31(3)(d) requires) gives an unsuccessful supplier the
    successful tender's scores; False leaves them out, for a draft only. With the `tender`, its
    score scales and descriptors are written too (result.json has only the marks)."""
    published = scales(tender) if tender is not None else {}
    by_supplier: dict[str, list[BidResult]] = {}
    for bid in result.bids:
        by_supplier.setdefault(bid.bidder_id, []).append(bid)
    return {
        bidder: _summary(result, bids, include_winner, published)
        for bidder, bids in sorted(by_supplier.items())
    }


def _summary(
    result: Result, bids: Sequence[BidResult], include_winner: bool, published: Scales
) -> Document:
    first = bids[0]
    tender = result.tender
    doc = Document(f"Assessment summary: {first.bidder_name}")
    doc.para(f"Tender {tender.id}: {tender.title}. Supplier reference {first.bidder_id}.")
    _criteria(doc, result, first, published)
    for bid in bids:
        if bid.lot is not None:
            lot = next((lot for lot in result.lots or () if lot.id == bid.lot), None)
            doc.heading(f"Lot {bid.lot}" + (f": {lot.title}" if lot is not None else ""))
        _own_scores(doc, result, bid, published)
        if include_winner and (bid.award is None or bid.award.outcome != "appointed"):
            _winner(doc, result, bid, published)  # reg. 31(3)(d): for an unsuccessful supplier
    return doc


def _criteria(doc: Document, result: Result, bid: BidResult, published: Scales) -> None:
    method = result.method
    doc.heading("The award criteria")
    if method is not None:
        w = method.weights
        doc.para(
            f"Award method: {_MODELS.get(method.award_model, method.award_model)}. Points of the"
            f" {w.quality + w.price + w.social_value}-point total:"
            f" quality {w.quality}, price {w.price}, social value {w.social_value}."
        )
    rows = [
        [c.id, c.title, c.weight, c.max_score, c.min_score]
        for c in (*bid.quality.criteria, *bid.social_value.criteria)
    ]
    doc.table(
        ["criterion", "title", "weight (points)", "highest score available", "minimum score"],
        rows,
        right=[False, False, True, True, True],
    )
    described = [f"{key}: {words}" for key, (words, _) in published.items() if words]
    if described:
        doc.para("Score scales: " + "; ".join(described) + ".")
    gates = method.gates if method is not None else ()
    if gates:
        doc.para(
            "Pass/fail criteria (a fail excludes the tender): "
            + "; ".join(f"{g.id} {g.title}" for g in gates)
            + "."
        )


def _figure(value: Decimal | Fraction | str) -> str:
    """A score or points figure (exact in result.json, `25/3` for a panel mean) for people."""
    return quantity(Fraction(str(value)))


def _criterion_rows(
    criteria: Sequence[CriterionResult], with_comment: bool, published: Scales
) -> list[list[object]]:
    rows: list[list[object]] = []
    for c in criteria:
        row: list[object] = [
            c.id,
            c.title,
            f"{_figure(c.score)} of {_figure(c.max_score)}{_word(c, published)}",
            _figure(c.points),
        ]
        if with_comment:
            row.append(c.comment)
        rows.append(row)
    return rows


def _word(c: CriterionResult, published: Scales) -> str:
    """` (Good)`: the descriptor of the mark given, where the tender publishes one."""
    descriptors = published.get(c.id, (None, {}))[1]
    word = descriptors.get(c.score) if isinstance(c.score, Decimal) else None
    return f" ({word})" if word else ""


def _own_scores(doc: Document, result: Result, bid: BidResult, published: Scales) -> None:
    doc.heading("Your tender's scores", 3)
    if bid.gates:
        doc.table(
            ["pass/fail criterion", "title", "result", "the panel's reasons"],
            [[g.id, g.title, g.verdict, g.comment] for g in bid.gates],
        )
    criteria = (*bid.quality.criteria, *bid.social_value.criteria)
    if criteria:
        doc.table(
            ["criterion", "title", "score", "points", "the panel's reasons"],
            _criterion_rows(criteria, True, published),
            right=[False, False, True, True, False],
        )
    currency = result.tender.currency
    doc.table(
        ["", "your tender"],
        [
            ["quality", bid.quality.score],
            [f"price ({amount(bid.price.evaluated, currency)} evaluated)", bid.price.score],
            [
                f"social value ({amount(bid.social_value.total, currency)} offered)",
                bid.social_value.score,
            ],
            *(
                [["price per point", amount(Fraction(bid.value_ratio), currency)]]
                if bid.value_ratio is not None
                else []
            ),
            ["total", bid.total_score],
        ],
        right=[False, True],
    )
    doc.heading("The outcome", 3)
    ranked = _ranked_count(result, bid.lot)
    if bid.status == "excluded":
        doc.para("Your tender was excluded from the evaluation and not ranked, for these reasons:")
        doc.items([flag.message for flag in bid.exclusions])
        return
    doc.para(
        f"Your tender ranked {bid.rank} of {ranked} ranked tender{'s' if ranked != 1 else ''}."
    )
    award = bid.award
    if award is None:
        return
    if award.outcome == "appointed":
        doc.para(
            "Your tender was successful: you are to be appointed"
            + (f" to lot {bid.lot}." if bid.lot else ".")
        )
    elif award.reason == "lot_limit_reached":
        method = result.method
        limit = method.max_lots_per_supplier if method is not None else None
        doc.para(
            f"Your tender was not appointed: a supplier may be appointed to at most {limit} "
            f"lot{'s' if limit != 1 else ''},"
            " and you were appointed to that many lots that come before this one under the published allocation rule."
        )
    else:
        doc.para("Your tender was not appointed: " + _below_cutoff_words(result, bid))


def _below_cutoff_words(result: Result, bid: BidResult) -> str:
    method = result.method
    if method is not None and method.min_total_pct is not None:
        return f"its total is below the published award threshold of {method.min_total_pct} points."
    places = method.suppliers_per_lot if method is not None else 1
    where = " in the lot" if bid.lot else ""
    if places == 1:
        return f"only the highest-ranked tender{where} is appointed, and yours ranked {bid.rank}."
    return (
        f"only the {places} highest-ranked tenders{where} are appointed,"
        f" and yours ranked {bid.rank}."
    )


def _ranked_count(result: Result, lot: str | None) -> int:
    return sum(1 for b in result.bids if b.lot == lot and b.status == "ranked")


def _winner(doc: Document, result: Result, bid: BidResult, published: Scales) -> None:
    # The best-ranked appointed tender of the lot (in a framework, the first of the suppliers appointed).
    first = next((a for a in result.awards if a.lot == bid.lot), None)
    winner = next(
        (
            b
            for b in result.bids
            if first is not None and b.lot == bid.lot and b.bidder_id == first.bidder_id
        ),
        None,
    )
    if winner is None or winner.bidder_id == bid.bidder_id:
        return
    doc.heading("The successful tender's scores", 3)
    doc.para(
        "As Procurement Regulations 2024 reg. 31(3)(d) requires: the most advantageous tender's"
        " score for each award criterion, with the panel's explanation by reference to that tender,"
        " and its sub-total and total scores. Its supplier is not named."
    )
    mine = {c.id: c for c in (*bid.quality.criteria, *bid.social_value.criteria)}
    rows = [
        [
            c.id,
            c.title,
            f"{_figure(c.score)} of {_figure(c.max_score)}{_word(c, published)}",
            _figure(c.points),
            _figure(mine[c.id].points) if c.id in mine else None,
            _redacted(c.comment, winner),
        ]
        for c in (*winner.quality.criteria, *winner.social_value.criteria)
    ]
    doc.table(
        [
            "criterion",
            "title",
            "successful tender's score",
            "its points",
            "your points",
            "the panel's reasons for its score",
        ],
        rows,
        right=[False, False, True, True, True, False],
    )
    doc.table(
        ["", "successful tender", "your tender"],
        [
            ["quality", winner.quality.score, bid.quality.score],
            ["price", winner.price.score, bid.price.score],
            ["social value", winner.social_value.score, bid.social_value.score],
            ["total", winner.total_score, bid.total_score],
        ],
        right=[False, True, True],
    )


def _redacted(comment: str | None, winner: BidResult) -> str | None:
    """The panel's comment on the successful tender without its supplier's name or id."""
    if comment is None:
        return None
    for identifier in sorted({winner.bidder_name, winner.bidder_id}, key=len, reverse=True):
        if identifier:
            comment = re.sub(
                rf"(?<!\w){re.escape(identifier)}(?!\w)", WINNER_REDACTED, comment, flags=re.I
            )
    return comment
