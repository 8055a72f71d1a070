"""Assessment summaries (Procurement Act 2023 s.50; Procurement Regulations 2024 reg. 31).

One per supplier, from result.json alone: the award criteria and their weights, the supplier's own
scores with the panel's rationale, its total and rank, why it was not appointed or was excluded,
and (on request) the winning tender's scores. Nothing else of any other supplier is ever written:
no name, id, price, commitment, comment, flag or explanation text (those name reference prices
and other bidders), so each summary is built from the supplier's own figures only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from svengine.model.result import BidResult, CriterionResult, Result
from svengine.model.tender import Tender, marks_text
from svengine.report.document import Document

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""Bidder ids that can be file names as they are; other ids are refused rather than rewritten."""

_MODELS = {
    "weighted": "the highest total score wins",
    "price_per_quality_point": "the lowest price per point of quality and social value wins (price ÷ points)",
    "lowest_price_passing_quality": "the lowest price among tenders that pass every quality threshold wins",
    "fixed_price": "every tender is at the published price; the highest quality and social value score wins",
    "fictitious_price": "the lowest fictitious price wins (the price less the published money value"
    " of the quality scores; the price paid stays the tendered price)",
}


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
    result: Result, include_winner: bool = False, tender: Tender | None = None
) -> dict[str, Document]:
    """{bidder id: its summary}, one per supplier covering every lot it bid for.

    With the `tender`, its score scales and descriptors are written too (result.json has only the
    marks)."""
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
        if include_winner:
            _winner(doc, result, bid, published)
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
        ["criterion", "title", "weight (points)", "highest score available", "minimum score"], rows
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


def _criterion_rows(
    criteria: Sequence[CriterionResult], with_comment: bool, published: Scales
) -> list[list[object]]:
    rows: list[list[object]] = []
    for c in criteria:
        row: list[object] = [
            c.id,
            c.title,
            f"{c.score} of {c.max_score}{_word(c, published)}",
            c.points,
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
        )
    currency = result.tender.currency
    doc.table(
        ["", "your tender"],
        [
            ["quality", bid.quality.score],
            [f"price ({currency} {bid.price.evaluated:,} evaluated)", bid.price.score],
            [
                f"social value ({currency} {bid.social_value.total:,} offered)",
                bid.social_value.score,
            ],
            *([["price per point", bid.value_ratio]] if bid.value_ratio is not None else []),
            ["total", bid.total_score],
        ],
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
    return f"it did not rank within the {places} place{'s' if places != 1 else ''} awarded" + (
        " in the lot." if bid.lot else "."
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
    mine = {c.id: c for c in (*bid.quality.criteria, *bid.social_value.criteria)}
    rows = [
        [
            c.id,
            c.title,
            f"{c.score} of {c.max_score}{_word(c, published)}",
            c.points,
            mine[c.id].points if c.id in mine else None,
        ]
        for c in (*winner.quality.criteria, *winner.social_value.criteria)
    ]
    doc.table(
        ["criterion", "title", "successful tender's score", "its points", "your points"], rows
    )
    doc.table(
        ["", "successful tender", "your tender"],
        [
            ["quality", winner.quality.score, bid.quality.score],
            ["price", winner.price.score, bid.price.score],
            ["social value", winner.social_value.score, bid.social_value.score],
            ["total", winner.total_score, bid.total_score],
        ],
    )
