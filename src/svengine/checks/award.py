"""The rules of lots, gates, the award rule and the buyer's decisions (pure; no I/O).

Bids and scores are checked lot by lot with the ordinary rules (a bid is identified by its lot and
bidder id), plus what only lots and gates add. Each function returns every problem it finds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from svengine.checks.bids import check_bids
from svengine.checks.rows import did_you_mean
from svengine.checks.scores import check_scores
from svengine.model.award import Decisions
from svengine.model.bid import Bid
from svengine.model.panel import SvModeration, is_consensus
from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.problems import Location, Problem, json_path
from svengine.scoring.lots import split_lots


def check_award_tender(tender: Tender, file: str | None = None) -> list[Problem]:
    """Lots, gates and the award rule, and each award model against the weights."""
    problems: list[Problem] = []

    def add(code: str, message: str, *parts: str | int) -> None:
        problems.append(Problem(code, message, Location(file=file, path=json_path(parts))))

    lots = tender.lots or ()
    if tender.lots is not None and not lots:
        add("missing_lots", "lots is empty; declare at least one lot or leave lots out", "lots")
    for lot_id, count in Counter(lot.id for lot in lots).items():
        if count > 1:
            add(
                "duplicate_lot",
                f'lot id "{lot_id}" is used {count} times; lot ids must be unique',
                "lots",
            )
    for index, lot in enumerate(lots):
        if lot.contract_value <= 0:
            add(
                "not_positive",
                f"lot {lot.id}: contract_value must be greater than 0",
                "lots",
                index,
                "contract_value",
            )
    criteria = {c.id for c in (*tender.quality_criteria, *tender.social_value_criteria)}
    for gate_id, count in Counter(g.id for g in tender.gates).items():
        if count > 1 or gate_id in criteria:
            add(
                "duplicate_criterion",
                f'criterion id "{gate_id}" is used more than once; ids must be unique',
                "quality",
                "criteria",
            )

    rule = tender.award_rule
    weights = tender.weights
    if rule.suppliers_per_lot is not None and rule.min_total_pct is not None:
        add(
            "conflicting_parameters",
            "award gives both suppliers_per_lot and min_total_pct; give one (a number of "
            "suppliers, or everyone above a total)",
            "award",
        )
    if rule.min_total_pct is not None and not 0 <= rule.min_total_pct <= tender.points_total:
        add(
            "bad_percentage",
            f"award.min_total_pct must be between 0 and {decimal_text(tender.points_total)}"
            f" (points of the {decimal_text(tender.points_total)}-point total)",
            "award",
            "min_total_pct",
        )
    if rule.max_lots_per_supplier is not None:
        if not lots:
            add(
                "unused_parameter",
                "award.max_lots_per_supplier limits lots per supplier, but the tender has no lots",
                "award",
                "max_lots_per_supplier",
            )
        if rule.allocation is None:
            add(
                "missing_parameter",
                "award.max_lots_per_supplier needs allocation: lot_order or lot_value_desc, the "
                "objective rule that decides"
                " which lots a supplier at its limit is appointed to (Procurement Act 2023 s.23(4))",
                "award",
                "allocation",
            )
    elif rule.allocation is not None:
        add(
            "unused_parameter",
            "award.allocation is used only with max_lots_per_supplier",
            "award",
            "allocation",
        )
    if rule.model in ("price_per_quality_point", "fixed_price") and weights.price != 0:
        why = (
            "price is divided by the points instead"
            if rule.model == "price_per_quality_point"
            else "every bid is at the same published price"
        )
        add(
            "award_model_weights",
            f"award model {rule.model} needs weights.price: 0 ({why}); it is {decimal_text(weights.price)}",
            "weights",
            "price",
        )
    if rule.model == "price_per_quality_point" and weights.quality + weights.social_value == 0:
        add(
            "award_model_weights",
            "award model price_per_quality_point needs quality or social value points to divide the price by",
            "weights",
        )
    if rule.model == "lowest_price_passing_quality":
        thresholds = bool(tender.gates) or any(
            c.min_score is not None
            for c in (*tender.quality_criteria, *tender.social_value_criteria)
        )
        thresholds = thresholds or (
            tender.quality is not None and tender.quality.min_total_pct is not None
        )
        if not thresholds:
            add(
                "award_model_weights",
                "award model lowest_price_passing_quality needs a quality threshold to pass (a pass/fail criterion,"
                " a min_score or quality.min_total_pct); without one it is simply lowest price",
                "award",
                "model",
            )
    if rule.model == "fixed_price" and tender.price.model != "lump_sum":
        add(
            "award_model_weights",
            "award model fixed_price needs price.model lump_sum: every bid states the published price",
            "award",
            "model",
        )
    return problems


def _at(item: Bid | Score | SvModeration, file: str | None, *parts: str | int) -> Location:
    source = item.source or Location(file=file)
    if parts and source.path is not None:
        return Location(file=source.file, path=source.path + json_path(parts)[1:], line=source.line)
    return source


def check_inputs(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    file: str | None = None,
    pending_ok: bool = False,
    sv_moderation: Sequence[SvModeration] = (),
    refused: Sequence[Bid] = (),
) -> tuple[list[Problem], list[Problem]]:
    """(bid problems, score problems), lot by lot: what checks.check_bids and check_scores find in each
    competition, plus lots named wrongly and pass/fail verdicts.

    `refused`: bids that are present but were refused by their reader (their own problems are
    reported already); they count as present for every other check (a score for one of them is
    not a score "for a bidder who has no bid"), and are not checked again themselves."""
    refused_ids = {id(bid) for bid in refused}
    bid_problems: list[Problem] = []
    score_problems: list[Problem] = []
    lot_ids = [lot.id for lot in tender.lots or ()]
    for bid in bids:
        if lot_ids and bid.lot is None:
            bid_problems.append(
                Problem(
                    "missing_lot",
                    f"the tender has lots ({', '.join(lot_ids)}); the bid must name its lot",
                    _at(bid, None),
                    bidder=bid.bidder.id,
                )
            )
        elif lot_ids and bid.lot not in lot_ids:
            bid_problems.append(
                Problem(
                    "unknown_lot",
                    f'lot "{bid.lot}" is not one of the tender\'s lots ({", ".join(lot_ids)})',
                    _at(bid, None, "lot"),
                    bidder=bid.bidder.id,
                )
            )
        elif not lot_ids and bid.lot is not None:
            bid_problems.append(
                Problem(
                    "unexpected_lot",
                    f'the bid names lot "{bid.lot}" but the tender has no lots',
                    _at(bid, None, "lot"),
                    bidder=bid.bidder.id,
                )
            )
    for score in scores:
        where = _at(score, file)
        if lot_ids and score.lot is None:
            score_problems.append(
                Problem(
                    "missing_lot",
                    "the tender has lots; every score row needs the lot column",
                    where,
                    bidder=score.bidder,
                    criterion=score.criterion,
                )
            )
        elif lot_ids and score.lot not in lot_ids:
            score_problems.append(
                Problem(
                    "unknown_lot",
                    f'lot "{score.lot}" is not one of the tender\'s lots ({", ".join(lot_ids)})',
                    where,
                    bidder=score.bidder,
                    criterion=score.criterion,
                )
            )
        elif not lot_ids and score.lot is not None:
            score_problems.append(
                Problem(
                    "unexpected_lot",
                    f'the row names lot "{score.lot}" but the tender has no lots',
                    where,
                    bidder=score.bidder,
                    criterion=score.criterion,
                )
            )
    for part in split_lots(tender, [*bids, *refused], scores, sv_moderation):
        own = [bid for bid in part.bids if id(bid) not in refused_ids]
        bid_problems += [_in_lot(p, part.lot_id) for p in check_bids(part.tender, own)]
        score_problems += [
            _in_lot(p, part.lot_id)
            for p in check_scores(part.tender, part.bids, part.scores, file, pending_ok)
        ]
        score_problems += [
            _in_lot(p, part.lot_id)
            for p in _check_gate_scores(part.tender, part.bids, part.gate_scores, file)
        ]
        if tender.award_rule.model == "fixed_price":
            for bid in own:
                if bid.price is not None and bid.price != part.tender.contract_value:
                    bid_problems.append(
                        Problem(
                            "not_fixed_price",
                            "the award model is fixed_price: every bid is at the published price "
                            f"{decimal_text(part.tender.contract_value)},"
                            f" but this bid states {decimal_text(bid.price)}",
                            _at(bid, None, "price"),
                            bidder=bid.bidder.id,
                        )
                    )
    return bid_problems, score_problems


def _in_lot(problem: Problem, lot: str | None) -> Problem:
    if lot is None:
        return problem
    return Problem(
        problem.code,
        f"lot {lot}: {problem.message}",
        problem.location,
        bidder=problem.bidder,
        criterion=problem.criterion,
    )


def _check_gate_scores(
    tender: Tender, bids: Sequence[Bid], rows: Sequence[Score], file: str | None
) -> list[Problem]:
    problems: list[Problem] = []
    gates = {g.id for g in tender.gates}
    bidder_ids = {b.bidder.id for b in bids}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        where = _at(row, file)
        about = {"bidder": row.bidder, "criterion": row.criterion}
        if row.criterion not in gates:
            problems.append(
                Problem(
                    "not_pass_fail",
                    f'"{row.verdict}" is a pass/fail verdict, but criterion {row.criterion} is scored with a number',
                    where,
                    **about,
                )
            )
            continue
        if row.verdict is None:
            problems.append(
                Problem(
                    "pass_fail_expected",
                    f"criterion {row.criterion} is pass/fail: score it pass or fail, not {decimal_text(row.score)}",
                    where,
                    **about,
                )
            )
            continue
        if row.evaluator is not None and not is_consensus(row.evaluator):
            problems.append(
                Problem(
                    "gate_evaluator",
                    "a pass/fail criterion is decided once for each bid: leave the evaluator empty or write consensus",
                    where,
                    **about,
                )
            )
            continue
        if row.bidder not in bidder_ids:
            problems.append(
                Problem(
                    "unknown_bidder",
                    f'score for bidder "{row.bidder}", who has no bid'
                    + did_you_mean(row.bidder, sorted(bidder_ids)),
                    where,
                    **about,
                )
            )
        key = (row.bidder, row.criterion)
        if key in seen:
            problems.append(
                Problem(
                    "duplicate_score",
                    "a second verdict for the same bid and pass/fail criterion",
                    where,
                    **about,
                )
            )
        seen.add(key)
    for bid in sorted(bids, key=lambda b: b.bidder.id):
        for gate in sorted(gates):
            if (bid.bidder.id, gate) not in seen:
                problems.append(
                    Problem(
                        "missing_score",
                        f"no pass/fail verdict for bidder {bid.bidder.id} on criterion {gate}",
                        Location(file=file),
                        bidder=bid.bidder.id,
                        criterion=gate,
                    )
                )
    return problems


def check_decisions(
    tender: Tender, bids: Sequence[Bid], decisions: Decisions, file: str | None = None
) -> list[Problem]:
    """Decisions name real bids, once; an abnormally low tender is disregarded only after notice and response."""
    problems: list[Problem] = []
    lot_ids = [lot.id for lot in tender.lots or ()]
    keys = {(b.lot, b.bidder.id) for b in bids}
    decided: Counter[tuple[str | None, str, str]] = Counter()

    def locate(kind: str, index: int, *parts: str) -> Location:
        return Location(file=file, path=json_path([kind, index, *parts]))

    entries: list[tuple[str, int, str, str | None]] = [
        ("disregarded", i, d.bidder, d.lot) for i, d in enumerate(decisions.disregarded)
    ]
    entries += [
        ("abnormally_low", i, d.bidder, d.lot) for i, d in enumerate(decisions.abnormally_low)
    ]
    for kind, index, bidder, lot in entries:
        if lot is not None and not lot_ids:
            problems.append(
                Problem(
                    "unexpected_lot",
                    f'the decision names lot "{lot}" but the tender has no lots',
                    locate(kind, index, "lot"),
                    bidder=bidder,
                )
            )
            continue
        if lot is not None and lot not in lot_ids:
            problems.append(
                Problem(
                    "unknown_lot",
                    f'lot "{lot}" is not one of the tender\'s lots ({", ".join(lot_ids)})',
                    locate(kind, index, "lot"),
                    bidder=bidder,
                )
            )
            continue
        matched = [(k, b) for k, b in keys if b == bidder and (lot is None or k == lot)]
        if not matched:
            where = f" in lot {lot}" if lot is not None else ""
            problems.append(
                Problem(
                    "unknown_bidder",
                    f'decision about bidder "{bidder}", who has no bid{where}'
                    + did_you_mean(bidder, sorted({b for _, b in keys})),
                    locate(kind, index, "bidder"),
                    bidder=bidder,
                )
            )
        if kind == "abnormally_low" and lot_ids and lot is None and len(matched) > 1:
            problems.append(
                Problem(
                    "missing_lot",
                    f"bidder {bidder} bid for several lots; an abnormally low decision must name the lot",
                    locate(kind, index),
                    bidder=bidder,
                )
            )
        for key in matched:
            decided[(key[0], key[1], kind)] += 1
    for (lot, bidder, kind), count in decided.items():
        if count > 1:
            where = f" in lot {lot}" if lot is not None else ""
            problems.append(
                Problem(
                    "duplicate_decision",
                    f"more than one {kind} decision about bidder {bidder}{where}",
                    Location(file=file, path=json_path([kind])),
                    bidder=bidder,
                )
            )
    for index, low in enumerate(decisions.abnormally_low):
        if low.decision != "disregarded":
            continue
        if low.notice_sent is None or low.response_received is None:
            missing = " and ".join(
                n
                for n, v in (
                    ("notice_sent", low.notice_sent),
                    ("response_received", low.response_received),
                )
                if v is None
            )
            problems.append(
                Problem(
                    "disregard_without_notice",
                    "an abnormally low tender may be disregarded only after the supplier was "
                    "given notice and a chance to"
                    f" respond (Procurement Act 2023 s.19(4), (5)); {missing} is missing",
                    locate("abnormally_low", index),
                    bidder=low.bidder,
                )
            )
        elif low.response_received < low.notice_sent:
            problems.append(
                Problem(
                    "response_before_notice",
                    f"response_received {low.response_received} is before notice_sent {low.notice_sent}",
                    locate("abnormally_low", index, "response_received"),
                    bidder=low.bidder,
                )
            )
    return problems
