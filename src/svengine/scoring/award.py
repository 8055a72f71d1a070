"""The award decision: gates and disregarded tenders out first, award models, appointments per lot.

`evaluate` splits the inputs into lots (`svengine.scoring.lots`), evaluates each lot as its own
competition with the bids excluded here already out of the reference set, then `decide` merges
the lots into one result and appoints suppliers by the published award rule (docs/award.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import groupby

from svengine.display import money
from svengine.model.award import Decisions
from svengine.model.award_result import (
    AwardEntry,
    BidAward,
    GateResult,
    GateSummary,
    MethodSummary,
    MethodWeights,
)
from svengine.model.construct import changed
from svengine.model.result import (
    BidResult,
    Flag,
    LotResult,
    ReferenceValues,
    Result,
    Summary,
    TenderSummary,
)
from svengine.model.tender import Tender
from svengine.numbers import decimal_text, exact_text
from svengine.scoring import rules, shared_results
from svengine.scoring.lots import LotPart, split_lots
from svengine.scoring.policy import policy_warnings
from svengine.scoring.quality import fictitious_price, total_deduction

__all__ = ["decide", "lead", "pre_exclusions", "split_lots", "value_ratio_text"]

DECIDED_EXCLUSIONS = frozenset({"failed_gate", "disregarded", "abnormally_low_disregarded"})
"""Exclusion codes decided before scoring (not thresholds a formula can recompute)."""

GROUNDS = {
    "late": "the tender was submitted late",
    "non_compliant": "the tender does not comply with the tender documents",
    "excluded_supplier": "the supplier is an excluded supplier",
    "conditions_of_participation": "the supplier does not satisfy the conditions of participation",
    "over_budget": "the price exceeds the published maximum budget",
}


# -- award models ------------------------------------------------------------------------------


def lead(
    tender: Tender, price: Fraction, total: Decimal | None, fictitious: Fraction | None = None
) -> tuple[Fraction, ...] | None:
    """What the award model ranks on before the tie-break (smaller first), from `rules.rank_keys`;
    None: the total (weighted, fixed_price). `fictitious`: the fictitious price (fictitious_price)."""
    steps = rules.rank_keys(tender.award_rule.model, ())
    if [step.figure for step in steps] == ["total"]:
        return None
    points = Fraction(total) if total is not None else Fraction(0)
    ratio = rules.value_ratio(price, points)
    figures = {
        "price_amount": price,
        "has_points": Fraction(ratio is not None),
        "value_ratio": ratio if ratio is not None else Fraction(0),
        "fictitious_price": fictitious if fictitious is not None else price,
    }
    return tuple(rules.key_value(step, figures[step.figure]) for step in steps)


def value_ratio_text(tender: Tender, price: Fraction, total: Decimal | None) -> str | None:
    """price_per_quality_point: price ÷ points, exact (null for other models and for excluded bids)."""
    if tender.award_rule.model != "price_per_quality_point" or total is None or total <= 0:
        return None
    return exact_text(price / Fraction(total))


def primary_name(tender: Tender) -> str:
    return {
        "price_per_quality_point": "value ratio (price ÷ points)",
        "lowest_price_passing_quality": "price",
        "fictitious_price": "fictitious price",
    }.get(tender.award_rule.model, "total")


def primary_text(
    tender: Tender, total: Decimal | None, primary: Decimal | tuple[Fraction, ...]
) -> str:
    if isinstance(primary, tuple):
        figure = (
            money(primary[-1])
            if tender.award_rule.model in ("lowest_price_passing_quality", "fictitious_price")
            else exact_text(primary[-1])
        )
        return f"{primary_name(tender)} {figure}"
    return f"total {total}"


# -- what is decided before scoring -----------------------------------------------------------


def pre_exclusions(part: LotPart, decisions: Decisions | None) -> dict[str, list[Flag]]:
    """Bids out before any reference value is computed: failed gates and disregarded tenders."""
    out: dict[str, list[Flag]] = {}
    gates = {gate.id: gate for gate in part.tender.gates}
    for row in sorted(
        part.gate_scores,
        key=lambda r: (r.bidder, list(gates).index(r.criterion) if r.criterion in gates else 0),
    ):
        if row.verdict == "fail" and row.criterion in gates:
            gate = gates[row.criterion]
            out.setdefault(row.bidder, []).append(
                Flag(
                    code="failed_gate",
                    message=f"failed the pass/fail criterion {gate.id} ({gate.title})",
                )
            )
    bidders = {bid.bidder.id for bid in part.bids}
    for entry in decisions.disregarded if decisions else ():
        if entry.bidder in bidders and entry.lot in (None, part.lot_id):
            out.setdefault(entry.bidder, []).append(
                Flag(
                    code="disregarded",
                    message=f"tender disregarded ({entry.ground}): {GROUNDS[entry.ground]}; decided "
                    f"by {entry.decided_by} on {entry.date.isoformat()}",
                )
            )
    for low in decisions.abnormally_low if decisions else ():
        if (
            low.decision == "disregarded"
            and low.bidder in bidders
            and low.lot in (None, part.lot_id)
        ):
            assert low.notice_sent is not None and low.response_received is not None  # checked
            out.setdefault(low.bidder, []).append(
                Flag(
                    code="abnormally_low_disregarded",
                    message="abnormally low tender disregarded after notice sent on "
                    f"{low.notice_sent.isoformat()} and the"
                    f" response received on {low.response_received.isoformat()}: {low.reason}"
                    " (Procurement Act 2023 s.19(3)(c), (4), (5))",
                )
            )
    return out


def _gate_results(part: LotPart) -> dict[str, tuple[GateResult, ...]]:
    rows = {(row.bidder, row.criterion): row for row in part.gate_scores}
    return {
        bid.bidder.id: tuple(
            GateResult(id=gate.id, title=gate.title, verdict=row.verdict, comment=row.comment)
            for gate in part.tender.gates
            if (row := rows.get((bid.bidder.id, gate.id))) is not None and row.verdict is not None
        )
        for bid in part.bids
    }


def _accepted_flags(part: LotPart, decisions: Decisions | None) -> dict[str, Flag]:
    flags: dict[str, Flag] = {}
    for low in decisions.abnormally_low if decisions else ():
        if low.decision == "accepted" and low.lot in (None, part.lot_id):
            dates = ""
            if low.notice_sent is not None:
                dates = f" (notice sent {low.notice_sent.isoformat()}" + (
                    f", response received {low.response_received.isoformat()})"
                    if low.response_received
                    else ")"
                )
            flags[low.bidder] = Flag(
                code="abnormally_low_accepted",
                message=f"the price was accepted after explanation{dates}: {low.reason}",
            )
    return flags


# -- merging the lots and appointing ------------------------------------------------------------


def decide(
    tender: Tender, parts: Sequence[LotPart], lots: Sequence[Result], decisions: Decisions | None
) -> Result:
    """One result for the tender: every lot's bids (carrying their lot), the appointments and the warnings."""
    placed: list[tuple[str | None, BidResult]] = [
        (part.lot_id, bid)
        for part, lot_result in zip(parts, lots, strict=True)
        for bid in lot_result.bids
    ]
    outcomes, awards = appoint(tender, [_contender(tender, bid, lot) for lot, bid in placed])
    # One copy of each bid (model_copy: model/construct.py) with its lot, gates, accepted flags and
    # award together: the outcomes need only the lot, not a copy that carries it.
    bids: list[BidResult] = []
    for part, lot_result in zip(parts, lots, strict=True):
        gates = _gate_results(part)
        accepted = _accepted_flags(part, decisions)
        for bid in lot_result.bids:
            bids.append(
                changed(
                    bid,
                    lot=part.lot_id,
                    gates=gates.get(bid.bidder_id, ()),
                    flags=_with_accepted(bid.flags, accepted.get(bid.bidder_id)),
                    award=outcomes[(part.lot_id, bid.bidder_id)],
                )
            )
    summary = _sum(r.summary for r in lots)
    lotted = tender.lots is not None
    result = Result(
        tender=TenderSummary(
            id=tender.id,
            title=tender.title,
            currency=tender.currency,
            contract_value=tender.contract_value,
        ),
        summary=summary,
        reference=ReferenceValues(
            lowest_price=None,
            highest_price=None,
            best_quality_points=None,
            highest_social_value=None,
            highest_social_value_per_price=None,
        )
        if lotted
        else lots[0].reference,
        bids=tuple(bids),
        panel=None if lotted else lots[0].panel,
        lots=tuple(
            LotResult(
                id=part.lot.id,
                title=part.lot.title,
                contract_value=part.lot.contract_value,
                reference=r.reference,
                summary=r.summary,
                panel=r.panel,
            )
            for part, r in zip(parts, lots, strict=True)
            if part.lot is not None
        )
        if lotted
        else None,
        method=method_summary(tender),
        awards=tuple(awards),
        decisions=decisions,
    )
    return result.model_copy(update={"warnings": tuple(policy_warnings(tender, result))})


def _with_accepted(flags: tuple[Flag, ...], accepted: Flag | None) -> tuple[Flag, ...]:
    """The acceptance goes right after the abnormally_low flag it answers (or last, if none was raised)."""
    if accepted is None:
        return flags
    out = list(flags)
    where = next((i + 1 for i, f in enumerate(out) if f.code == "abnormally_low"), len(out))
    out.insert(where, accepted)
    return tuple(out)


def _sum(summaries: Iterable[Summary]) -> Summary:
    items = list(summaries)
    fields = ("bids", "ranked", "excluded", "sme", "micro", "vcse", "size_unknown")
    return Summary(**{name: sum(getattr(s, name) for s in items) for name in fields})


def _lot_order(tender: Tender) -> list[str | None]:
    lots = list(tender.lots or ())
    if not lots:
        return [None]
    if tender.award_rule.allocation == "lot_value_desc":
        lots = sorted(
            lots, key=lambda lot: -lot.contract_value
        )  # stable: equal values keep the declared order
    return [lot.id for lot in lots]


@dataclass(frozen=True)
class Contender:
    """What the appointment reads of a bid: where it competes, its rank and published total, and
    the figure on which bids level at the cut-off (`cutoff_figure`)."""

    lot: str | None
    bidder_id: str
    rank: int | None
    """None for an excluded bid."""
    total_score: Decimal | None
    cutoff: Fraction | None
    exclusion: str = ""
    """Why an excluded bid is out (the exclusions' messages, joined)."""


def cutoff_figure(
    tender: Tender,
    rank: int | None,
    total: Decimal | None,
    price: Fraction,
    fictitious: Fraction | None = None,
) -> Fraction | None:
    """appoint_all: bids level on what the award model ranks by tie at the cut-off (the total,
    the price, price ÷ points or the fictitious price); tie_break: only a shared rank does."""
    rule = tender.award_rule
    if rule.cutoff_ties == "tie_break":
        return Fraction(rank) if rank is not None else None
    if rule.model == "fictitious_price":
        return fictitious if fictitious is not None else price
    if rule.model == "price_per_quality_point":
        return rules.value_ratio(price, Fraction(total)) if total is not None else None
    if rule.model == "lowest_price_passing_quality":
        return price
    return Fraction(total) if total is not None else None


def _contender(tender: Tender, bid: BidResult, lot: str | None) -> Contender:
    """The bid as the appointment reads it, competing in `lot`."""
    price = Fraction(bid.price.evaluated)
    fictitious = None
    if tender.award_rule.model == "fictitious_price":
        by_id = {c.id: c for c in tender.quality_criteria}
        marks = [(by_id[c.id], c.score) for c in bid.quality.criteria if c.id in by_id]
        fictitious = fictitious_price(price, total_deduction(tender, marks))
    return Contender(
        lot=lot,
        bidder_id=bid.bidder_id,
        rank=bid.rank,
        total_score=bid.total_score,
        cutoff=cutoff_figure(tender, bid.rank, bid.total_score, price, fictitious),
        exclusion="; ".join(f.message for f in bid.exclusions),
    )


def appoint(
    tender: Tender, bids: Sequence[Contender]
) -> tuple[dict[tuple[str | None, str], BidAward], list[AwardEntry]]:
    """Each bid's award outcome by (lot, bidder), and the appointments in declared lot order."""
    rule = tender.award_rule
    limit = rule.max_lots_per_supplier
    won: dict[str, list[str | None]] = {}
    outcomes: dict[tuple[str | None, str], BidAward] = {}
    appointed: list[tuple[str | None, str, int]] = []
    for lot in _lot_order(tender):
        in_lot = [b for b in bids if b.lot == lot]
        for bid in in_lot:
            if bid.rank is None:
                outcomes[(lot, bid.bidder_id)] = shared_results.bid_award(
                    outcome="excluded",
                    reason=None,
                    message="excluded: " + bid.exclusion,
                )
        ranked = sorted(
            (b for b in in_lot if b.rank is not None), key=lambda b: (b.rank or 0, b.bidder_id)
        )
        filled = 0
        where = f" to lot {lot}" if lot is not None else ""
        for _, group_iter in groupby(ranked, key=lambda b: b.cutoff):
            group = list(group_iter)
            eligible = []
            for bid in group:
                below = _below_cutoff(tender, bid, filled)
                if below is not None:
                    outcomes[(lot, bid.bidder_id)] = shared_results.bid_award(
                        outcome="not_appointed", reason="below_cutoff", message=below
                    )
                elif limit is not None and len(won.get(bid.bidder_id, [])) >= limit:
                    others = ", ".join(str(x) for x in won[bid.bidder_id])
                    outcomes[(lot, bid.bidder_id)] = BidAward(
                        outcome="not_appointed",
                        reason="lot_limit_reached",
                        message=f"not appointed{where}: the supplier already won "
                        f"lot{'s' if limit != 1 else ''} {others}, the most one supplier may"
                        f" win (max_lots_per_supplier: {limit}; lots taken {_allocation_words(tender)})",
                    )
                else:
                    eligible.append(bid)
            places = rule.places
            # More tied bids than places left: all are appointed, never a random choice (docs/award.md).
            tied_over = places is not None and len(eligible) > 1 and len(eligible) > places - filled
            for bid in eligible:
                note = ""
                if tied_over:
                    why = (
                        f"same {primary_name(tender)}"
                        if rule.cutoff_ties == "appoint_all"
                        else "a tie no published rule breaks"
                    )
                    others = ", ".join(b.bidder_id for b in eligible if b is not bid)
                    note = (
                        f"; tied at the cut-off with {others} ({why}): every tied bid is appointed"
                    )
                outcomes[(lot, bid.bidder_id)] = shared_results.bid_award(
                    outcome="appointed",
                    reason=None,
                    message=f"appointed{where} (rank {bid.rank}){note}",
                )
                won.setdefault(bid.bidder_id, []).append(lot)
                appointed.append((lot, bid.bidder_id, bid.rank or 0))
            filled += len(eligible)
    declared: list[str | None] = [lot.id for lot in tender.lots or ()] or [None]
    awards = [
        AwardEntry(lot=lot, bidder_id=bidder, rank=rank)
        for lot, bidder, rank in sorted(appointed, key=lambda a: (declared.index(a[0]), a[2], a[1]))
    ]
    return outcomes, awards


def _below_cutoff(tender: Tender, bid: Contender, filled: int) -> str | None:
    rule = tender.award_rule
    if rule.min_total_pct is not None:
        if bid.total_score is None or bid.total_score < rule.min_total_pct:
            return (
                f"not appointed: total {bid.total_score} is below the award threshold of "
                f"{decimal_text(rule.min_total_pct)} points"
            )
        return None
    places = rule.places or 1
    if filled >= places:
        return (
            f"not appointed: ranked {bid.rank}; the "
            f"{'lot' if bid.lot is not None else 'contract'} appoints {places} "
            f"supplier{'s' if places != 1 else ''}"
        )
    return None


def _allocation_words(tender: Tender) -> str:
    return (
        "in the order declared"
        if tender.award_rule.allocation == "lot_order"
        else "highest contract value first"
    )


def method_summary(tender: Tender) -> MethodSummary:
    rule = tender.award_rule
    weights = tender.weights
    return MethodSummary(
        award_model=rule.model,
        weights=MethodWeights(
            quality=weights.quality, price=weights.price, social_value=weights.social_value
        ),
        quality_method=tender.quality.method if tender.quality else None,
        price_method=tender.price.method,
        social_value_method=tender.social_value.method if tender.social_value else None,
        gates=tuple(GateSummary(id=g.id, title=g.title) for g in tender.gates),
        suppliers_per_lot=rule.places,
        min_total_pct=rule.min_total_pct,
        cutoff_ties=rule.cutoff_ties,
        max_lots_per_supplier=rule.max_lots_per_supplier,
        allocation=rule.allocation,
        regime=tender.regime,
        authority=tender.authority,
    )
