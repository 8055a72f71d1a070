"""The rules of an evaluation panel and of social value moderation (pure; every problem located).

Refused: an assigned evaluator who did not score a bid × criterion; a score from an evaluator not
listed or for a criterion not assigned to them; fewer evaluators than `min_evaluators` on a
criterion; a listed evaluator without `conflict_declared: true`; a consensus row without a
rationale or with no individual scores behind it; the same evaluator scoring a cell twice; scores
out of range; moderation rows for a commitment that does not exist.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from svengine.checks.rows import row_rules, score_row_problems
from svengine.model.bid import Bid
from svengine.model.panel import CONSENSUS, PRICE, SvModeration, is_consensus
from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.problems import Location, Problem, json_path
from svengine.scoring.panel import (
    cells,
    criteria_of,
    effective_panel,
    panel_evaluators,
    uses_panel,
)

__all__ = [
    "PENDING_MODERATION",
    "check_panel_config",
    "check_panel_scores",
    "check_sv_moderation",
    "uses_panel",
]

PENDING_MODERATION = frozenset({"missing_consensus", "missing_rationale"})
"""Problems expected before the moderation meeting: `svengine panel` shows the sheet despite them."""


def check_panel_config(tender: Tender, file: str | None = None) -> list[Problem]:
    """The tender's panel block: tolerances, evaluators, their declarations and assignments."""
    panel = tender.panel
    if panel is None:
        return []
    problems: list[Problem] = []

    def add(code: str, message: str, *parts: str | int, criterion: str | None = None) -> None:
        problems.append(
            Problem(
                code,
                message,
                Location(file=file, path=json_path(["panel", *parts])),
                criterion=criterion,
            )
        )

    for name in ("spread_tolerance_pct", "bias_tolerance_pct"):
        if not 0 <= getattr(panel, name) <= 100:
            add("bad_percentage", f"panel.{name} must be between 0 and 100", name)
    if panel.evaluators is None:
        return problems
    criterion_ids = [c.id for c in criteria_of(tender)]
    counts = Counter(e.id for e in panel.evaluators)
    for index, evaluator in enumerate(panel.evaluators):
        if counts[evaluator.id] > 1:
            add(
                "duplicate_evaluator",
                f'evaluator "{evaluator.id}" is listed {counts[evaluator.id]} times',
                "evaluators",
                index,
                "id",
            )
        if is_consensus(evaluator.id):
            add(
                "reserved_evaluator",
                f'"{evaluator.id}" cannot be an evaluator id: "{CONSENSUS}" marks the moderated scores',
                "evaluators",
                index,
                "id",
            )
        if not evaluator.conflict_declared:
            add(
                "conflict_not_declared",
                f"evaluator {evaluator.id} has no conflict of interest declaration; set "
                "conflict_declared: true once they have made one",
                "evaluators",
                index,
                "conflict_declared",
            )
        if evaluator.criteria != "all":
            for position, criterion_id in enumerate(evaluator.criteria):
                if criterion_id != PRICE and criterion_id not in criterion_ids:
                    add(
                        "unknown_criterion",
                        f'evaluator {evaluator.id} is assigned criterion "{criterion_id}", which '
                        f"the tender does not have{_hint(criterion_id, criterion_ids)}",
                        "evaluators",
                        index,
                        "criteria",
                        position,
                        criterion=criterion_id,
                    )
    for criterion_id in criterion_ids:
        assigned = [e.id for e in panel.evaluators if e.assigned(criterion_id)]
        if len(assigned) < panel.min_evaluators:
            add(
                "too_few_evaluators",
                f"criterion {criterion_id} is assigned to {len(assigned)} evaluator{'s' if len(assigned) != 1 else ''}"
                f"{' (' + ', '.join(assigned) + ')' if assigned else ''}; the panel needs at "
                f"least {panel.min_evaluators}",
                "evaluators",
                criterion=criterion_id,
            )
    return problems


def _hint(value: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def check_panel_scores(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    file: str | None = None,
    pending_ok: bool = False,
) -> list[Problem]:
    """Panel scores: each row on its own, who may score what, duplicates, completeness and consensus.

    With `pending_ok`, consensus rows may still be missing or lack their rationale (the sheet for
    the moderation meeting is printed before it takes place).
    """
    panel = effective_panel(tender, scores)
    assert panel is not None
    problems: list[Problem] = []
    bidder_ids = {bid.bidder.id for bid in bids}
    criterion_ids = [c.id for c in criteria_of(tender)]
    evaluators = panel_evaluators(panel, scores)
    listed = {e.id: e for e in evaluators}
    seen: dict[tuple[str, str, str], Score] = {}
    located = file
    rules = row_rules(tender)

    for score in scores:
        where = score.source or Location(file=file)
        located = located or where.file
        about = {"bidder": score.bidder, "criterion": score.criterion}
        if score.evaluator is None or not score.evaluator.strip():
            problems.append(
                Problem(
                    "missing_evaluator",
                    "this score names no evaluator; with a panel every row needs an evaluator "
                    "(or consensus for the moderated score)",
                    where,
                    **about,
                )
            )
            continue
        problems += score_row_problems(tender, bidder_ids, score, where, rules)
        consensus = is_consensus(score.evaluator)
        name = CONSENSUS if consensus else score.evaluator
        key = (score.bidder, score.criterion, name)
        if key in seen:
            first = seen[key].source
            also = f" (first given at {first})" if first else ""
            what = (
                "a second consensus score for this bid and criterion"
                if consensus
                else f"evaluator {name} scored this bid and criterion twice"
            )
            problems.append(Problem("duplicate_score", what + also, where, **about))
            continue
        seen[key] = score
        if consensus:
            if panel.aggregate != "consensus":
                problems.append(
                    Problem(
                        "consensus_not_used",
                        f"the tender aggregates by the {panel.aggregate} of the individual "
                        "scores, so a consensus score would not be used; remove it",
                        where,
                        **about,
                    )
                )
            elif not (score.comment or "").strip() and not pending_ok:
                problems.append(
                    Problem(
                        "missing_rationale",
                        "a consensus score needs its rationale in the comment column: the "
                        "written reason the panel agreed it",
                        where,
                        **about,
                    )
                )
            continue
        evaluator = listed.get(name)
        if evaluator is None:
            problems.append(
                Problem(
                    "unknown_evaluator",
                    f'evaluator "{name}" is not on the panel listed in the tender{_hint(name, sorted(listed))}',
                    where,
                    **about,
                )
            )
        elif score.criterion in criterion_ids and not evaluator.assigned(score.criterion):
            assigned = ", ".join(c for c in evaluator.criteria if c != PRICE) or "none"
            problems.append(
                Problem(
                    "criterion_not_assigned",
                    f"evaluator {name} scored {score.criterion}, which is not assigned to them (assigned: {assigned})",
                    where,
                    **about,
                )
            )

    grouped = cells(scores)
    for (bidder, criterion_id), cell in grouped.items():
        if (
            cell.consensus is not None
            and not cell.individual
            and bidder in bidder_ids
            and criterion_id in criterion_ids
        ):
            problems.append(
                Problem(
                    "consensus_without_scores",
                    "a consensus score with no individual evaluators' scores behind it",
                    cell.consensus.source or Location(file=file),
                    bidder=bidder,
                    criterion=criterion_id,
                )
            )

    whole_file = Location(file=located)
    if panel.evaluators is None:
        for criterion_id in criterion_ids:
            if len(evaluators) < panel.min_evaluators:
                problems.append(
                    Problem(
                        "too_few_evaluators",
                        f"criterion {criterion_id} was scored by {len(evaluators)} "
                        f"evaluator{'s' if len(evaluators) != 1 else ''};"
                        f" the panel needs at least {panel.min_evaluators}",
                        whole_file,
                        criterion=criterion_id,
                    )
                )
    for bid in sorted(bids, key=lambda b: b.bidder.id):
        bidder = bid.bidder.id
        for criterion_id in criterion_ids:
            for evaluator in evaluators:
                if (
                    evaluator.assigned(criterion_id)
                    and (bidder, criterion_id, evaluator.id) not in seen
                ):
                    problems.append(
                        Problem(
                            "missing_individual_score",
                            f"evaluator {evaluator.id} has not scored bidder {bidder} on {criterion_id}",
                            whole_file,
                            bidder=bidder,
                            criterion=criterion_id,
                        )
                    )
            if (
                panel.aggregate == "consensus"
                and not pending_ok
                and (bidder, criterion_id, CONSENSUS) not in seen
            ):
                problems.append(
                    Problem(
                        "missing_consensus",
                        f"no consensus score for bidder {bidder} on {criterion_id}; the tender aggregates by consensus,"
                        " so the moderation meeting's score and rationale are needed (evaluator consensus)",
                        whole_file,
                        bidder=bidder,
                        criterion=criterion_id,
                    )
                )
    return problems


def offered(bid: Bid, measure: str) -> list[Decimal]:
    return [c.quantity for c in bid.social_value if c.measure == measure]


def check_sv_moderation(
    tender: Tender,
    bids: Sequence[Bid],
    rows: Sequence[SvModeration],
    file: str | None = None,
    refused: Sequence[Bid] = (),
) -> list[Problem]:
    """Each moderation row names one commitment of one bid, and its decision is complete and consistent.

    A bid is identified by its lot and bidder id: on a tender with lots every row names the lot of
    the bid it moderates (as scores.csv does, docs/award.md); on a tender without lots none does.
    `refused`: bids present but refused by their reader; rows about them are not checked (their
    commitments are not known until the bid is corrected), nor called rows about no bid.
    """
    problems: list[Problem] = []
    lot_ids = [lot.id for lot in tender.lots or ()]
    by_bid = {(bid.lot, bid.bidder.id): bid for bid in bids}
    present = {(bid.lot, bid.bidder.id) for bid in refused}
    seen: dict[tuple[str | None, str, str], SvModeration] = {}
    for row in rows:
        where = row.source or Location(file=file)

        def add(
            code: str,
            message: str,
            column: str | None = None,
            *,
            where: Location = where,
            bidder: str = row.bidder,
        ) -> None:
            problems.append(
                Problem(
                    code,
                    message,
                    Location(file=where.file, line=where.line, path=where.path, column=column),
                    bidder=bidder,
                )
            )

        if lot_ids and row.lot is None:
            add(
                "missing_lot",
                f"the tender has lots ({', '.join(lot_ids)}); every moderation row needs the lot column",
                "lot",
            )
            continue
        if lot_ids and row.lot not in lot_ids:
            add(
                "unknown_lot",
                f'lot "{row.lot}" is not one of the tender\'s lots ({", ".join(lot_ids)})',
                "lot",
            )
            continue
        if not lot_ids and row.lot is not None:
            add(
                "unexpected_lot", f'the row names lot "{row.lot}" but the tender has no lots', "lot"
            )
            continue
        in_lot = f" in lot {row.lot}" if row.lot is not None else ""
        key = (row.lot, row.bidder, row.measure)
        if key in seen:
            first = seen[key].source
            add(
                "duplicate_moderation",
                f"a second decision on {row.bidder}'s {row.measure} commitment{in_lot}"
                + (f" (first at {first})" if first else ""),
            )
            continue
        seen[key] = row
        if (row.lot, row.bidder) in present:
            continue
        bid = by_bid.get((row.lot, row.bidder))
        quantities = offered(bid, row.measure) if bid is not None else []
        if bid is None:
            bidders = sorted(b for lot, b in by_bid if lot == row.lot)
            add(
                "unknown_commitment",
                f'there is no bid from bidder "{row.bidder}"{in_lot}, so no commitment to '
                f"moderate{_hint(row.bidder, bidders)}",
                "bidder",
            )
            continue
        if not quantities:
            measures = sorted({c.measure for c in bid.social_value})
            add(
                "unknown_commitment",
                f"bidder {row.bidder} offers no {row.measure} commitment{in_lot} to moderate"
                + (
                    f" (it offers {', '.join(measures)})"
                    if measures
                    else " (it offers no commitments)"
                ),
                "measure",
            )
            continue
        if len(quantities) > 1:
            add(
                "ambiguous_commitment",
                f"bidder {row.bidder} offers {row.measure} {len(quantities)} times{in_lot}, so "
                "this row cannot say which one it moderates",
                "measure",
            )
            continue
        quantity = quantities[0]
        if not (row.rationale or "").strip():
            add(
                "missing_rationale",
                f"the decision to {row.decision} {row.bidder}'s {row.measure} commitment needs its rationale",
                "rationale",
            )
        accepted = row.accepted_quantity
        if row.decision == "reduce":
            if accepted is None:
                add(
                    "bad_accepted_quantity",
                    "a reduced commitment needs the accepted_quantity",
                    "accepted_quantity",
                )
            elif not 0 < accepted < quantity:
                add(
                    "bad_accepted_quantity",
                    "a reduced commitment's accepted_quantity must be more than 0 and less than "
                    f"the {decimal_text(quantity)} offered"
                    f" (got {decimal_text(accepted)}; use reject for none, accept for all)",
                    "accepted_quantity",
                )
        elif row.decision == "accept" and accepted is not None and accepted != quantity:
            add(
                "bad_accepted_quantity",
                f"an accepted commitment counts the {decimal_text(quantity)} offered; got "
                f"accepted_quantity {decimal_text(accepted)} (use reduce)",
                "accepted_quantity",
            )
        elif row.decision == "reject" and accepted is not None and accepted != 0:
            add(
                "bad_accepted_quantity",
                f"a rejected commitment counts nothing; got accepted_quantity {decimal_text(accepted)} (use reduce)",
                "accepted_quantity",
            )
    return problems
