"""Robustness of an evaluation: how fragile the outcome was. Information only, never the decision.

Three analyses, each kept out of result.json and labelled as information:

- rank reversal: re-rank without each bid that sets a reference value the tender's relative
  formulas use (P_min, P_max, T_best, SV_max, the best SV/price ratio) and list every pair whose
  order flips (Bergman & Lundberg 2013: relative formulas depend on irrelevant alternatives);
- weight sensitivity: for each block, the smallest move of its weight (to or from the other blocks,
  in proportion) that changes the winner, found exactly over fractions; for each runner-up, the
  price cut or extra quality points that would have made it win;
- score uncertainty: resampling a panel's individual scores (see `svengine.analysis.uncertainty`).

Everything here except the score sampling is exact: the published rounding is applied with
`round_fraction` and the ranking with the engine's own `rank`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from svengine.analysis.competition import Competition, competitions, decided_out, decisions_for
from svengine.model.award import Decisions
from svengine.model.bid import Bid
from svengine.model.panel import SvModeration
from svengine.model.result import Result
from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.numbers import exact_text, round_fraction
from svengine.scoring.award import lead
from svengine.scoring.evaluate import evaluate
from svengine.scoring.price import price_points
from svengine.scoring.quality import quality_block_points, total_deduction
from svengine.scoring.ranking import Standing, rank
from svengine.scoring.social_value import quantitative_points
from svengine.scoring.sv_moderation import moderate
from svengine.scoring.weights import quantitative_weight
from svengine.version import __version__

LABEL = "information only: this does not change the evaluation result, which follows the published method alone"
BLOCKS = ("quality", "price", "social_value")
QUALITY_PRECISION = Fraction(1, 10_000)
"""Extra quality points are searched on a grid of 0.0001 points."""
PRICE_PRECISION = Fraction(1, 100)
"""Price cuts are searched to the penny (0.01 of the currency)."""


# -- the exact figures behind a result -----------------------------------------------------------


@dataclass(frozen=True)
class RankedBid:
    """A ranked bid's exact, unrounded block points and the facts its ranking uses."""

    bidder_id: str
    price: Decimal | Fraction
    """The evaluated price (a Fraction when a whole-life price declares no rounding)."""
    quality_total: Fraction
    blocks: dict[str, Fraction]
    deductions: Fraction = Fraction(0)
    """fictitious_price: Σ money_value × score / max (what the bid's quality is worth in money)."""


def ranked_bids(tender: Tender, result: Result) -> list[RankedBid]:
    """The unrounded block points of every ranked bid, rebuilt from result.json's exact figures.

    Quality and price are recomputed with the engine's own functions from the exact T and the
    prices; social value is the exact £ part plus the criteria points, as result.json records them.
    """
    ranked = [b for b in result.bids if b.status == "ranked"]
    prices = [Fraction(b.price.amount) for b in ranked]
    # The price formulas read only the lowest and highest price: pass those two, so this stays
    # linear in the number of bids (every price per bid was quadratic), as scoring/evaluate.py does.
    price_bounds = [min(prices), max(prices)] if prices else []
    best = max((Fraction(b.quality.points) for b in ranked), default=None)
    w_quality, w_price = Fraction(tender.weights.quality), Fraction(tender.weights.price)
    out = []
    for bid in ranked:
        total = Fraction(bid.quality.points)
        quality = (
            quality_block_points(tender, w_quality, total, best) if tender.quality else Fraction(0)
        )
        social = Fraction(0)
        if tender.social_value is not None:
            social = Fraction(bid.social_value.quantitative_points or 0) + sum(
                (Fraction(c.points) for c in bid.social_value.criteria), Fraction(0)
            )
        blocks = {
            "quality": quality,
            "price": price_points(tender.price, w_price, Fraction(bid.price.amount), price_bounds),
            "social_value": social,
        }
        deductions = Fraction(0)
        if tender.award_rule.model == "fictitious_price":
            by_id = {c.id: c for c in tender.quality_criteria}
            marks = [(by_id[c.id], c.score) for c in bid.quality.criteria if c.id in by_id]
            deductions = total_deduction(tender, marks)
        out.append(RankedBid(bid.bidder_id, bid.price.amount, total, blocks, deductions))
    return out


def published_order(
    tender: Tender, bids: Sequence[RankedBid], blocks: dict[str, dict[str, Fraction]]
) -> list[tuple[str, int]]:
    """(bidder, rank) under the published rounding and tie-break, for given unrounded block points."""
    standings = []
    for bid in bids:
        scores = {
            name: round_fraction(
                blocks[bid.bidder_id][name], tender.rounding.places, tender.rounding.mode
            )
            for name in BLOCKS
        }
        total = sum(scores.values(), Decimal(0))
        standings.append(
            Standing(
                bid.bidder_id,
                total,
                scores["quality"],
                scores["price"],
                scores["social_value"],
                bid.price,
                lead=lead(tender, Fraction(bid.price), total, Fraction(bid.price) - bid.deductions),
            )
        )
    return [
        (standing.bidder_id, position)
        for standing, position, _ in rank(standings, tender.tie_break)
    ]


def winners(result: Result) -> list[str]:
    return sorted(b.bidder_id for b in result.bids if b.rank == 1)


def _sole_winner(result: Result, bidder_id: str) -> bool:
    return winners(result) == [bidder_id]


# -- rank reversal -------------------------------------------------------------------------------


def reference_setters(tender: Tender, result: Result) -> dict[str, list[str]]:
    """Each ranked bid that sets a reference value the tender's formulas use, with the values it sets.

    Only these bids can change another bid's score by leaving: every other figure is absolute.
    """
    reference = result.reference
    ranked = [b for b in result.bids if b.status == "ranked"]
    uses: list[tuple[str, Any]] = []
    if tender.weights.price > 0 and tender.price.method != "reference_linear":
        uses.append(
            (
                "P_min",
                lambda b: (
                    reference.lowest_price is not None and b.price.amount == reference.lowest_price
                ),
            )
        )
        if tender.price.method == "min_max_linear":
            uses.append(
                (
                    "P_max",
                    lambda b: (
                        reference.highest_price is not None
                        and b.price.amount == reference.highest_price
                    ),
                )
            )
    if (
        tender.quality is not None
        and tender.quality.method == "relative_to_best"
        and tender.weights.quality > 0
    ):
        uses.append(
            (
                "T_best",
                lambda b: (
                    reference.best_quality_points is not None
                    and Fraction(b.quality.points) == Fraction(reference.best_quality_points)
                ),
            )
        )
    block = tender.social_value
    if block is not None and quantitative_weight(tender) > 0:
        if block.method == "relative_to_highest":
            uses.append(
                (
                    "SV_max",
                    lambda b: (
                        reference.highest_social_value is not None
                        and b.social_value.total == reference.highest_social_value
                    ),
                )
            )
        elif block.method == "relative_to_highest_ratio":
            best_ratio = reference.highest_social_value_per_price
            uses.append(
                (
                    "SV_per_price_max",
                    lambda b: (
                        best_ratio is not None
                        and Fraction(b.social_value.total) / Fraction(b.price.amount)
                        == Fraction(best_ratio)
                    ),
                )
            )
    setters: dict[str, list[str]] = {}
    for bid in ranked:
        names = [name for name, test in uses if test(bid)]
        if names:
            setters[bid.bidder_id] = names
    return setters


def relative_references(tender: Tender) -> list[str]:
    """The reference values the tender's relative formulas use (empty when every formula is absolute)."""
    names = []
    if tender.weights.price > 0 and tender.price.method != "reference_linear":
        names.append("P_min")
        if tender.price.method == "min_max_linear":
            names.append("P_max")
    if (
        tender.quality is not None
        and tender.quality.method == "relative_to_best"
        and tender.weights.quality > 0
    ):
        names.append("T_best")
    block = tender.social_value
    if block is not None and quantitative_weight(tender) > 0 and block.method != "target":
        names.append("SV_max" if block.method == "relative_to_highest" else "SV_per_price_max")
    return names


def order_changes(before: dict[str, int], after: dict[str, int]) -> list[dict[str, str]]:
    """Every pair ranked in both whose order differs: reversed, now tied, or a tie now broken."""
    common = sorted(set(before) & set(after), key=lambda b: (before[b], b))
    changes = []
    for i, a in enumerate(common):
        for b in common[i + 1 :]:
            was = (before[a] > before[b]) - (before[a] < before[b])  # -1: a ahead
            now = (after[a] > after[b]) - (after[a] < after[b])
            if was == now:
                continue
            if was == 0:
                ahead, behind = (a, b) if now < 0 else (b, a)
                changes.append({"change": "tie_broken", "ahead_now": ahead, "behind_now": behind})
            elif now == 0:
                ahead, behind = (a, b) if was < 0 else (b, a)
                changes.append(
                    {"change": "now_tied", "ahead_before": ahead, "behind_before": behind}
                )
            else:
                ahead, behind = (a, b) if was < 0 else (b, a)
                changes.append(
                    {"change": "reversed", "ahead_before": ahead, "behind_before": behind}
                )
    return changes


def _ranks(result: Result) -> dict[str, int]:
    return {b.bidder_id: b.rank for b in result.bids if b.rank is not None}


def without(
    bids: Sequence[Bid], scores: Sequence[Score], bidder_id: str
) -> tuple[list[Bid], list[Score]]:
    return [b for b in bids if b.bidder.id != bidder_id], [
        s for s in scores if s.bidder != bidder_id
    ]


def rerun(
    tender: Tender, bids: Sequence[Bid], scores: Sequence[Score], decisions: Decisions | None
) -> Result:
    """A re-run of one competition on changed bids, with the buyer's decisions about the bids still present."""
    return evaluate(tender, bids, scores, decisions=decisions_for(decisions, bids))


def rank_reversal(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    result: Result,
    decisions: Decisions | None = None,
) -> dict[str, Any]:
    """Re-rank without each reference-setting bid; every pair whose order changes (one competition)."""
    references = relative_references(tender)
    section: dict[str, Any] = {
        "information_only": True,
        "label": LABEL,
        "relative_references": references,
    }
    if not references:
        section["note"] = (
            "every formula of this tender is absolute: removing a bid cannot change any other bid's score"
        )
        section["removals"] = []
        return section
    section["note"] = (
        "only a bid that sets a reference value can change other bids' scores by leaving; each is removed in turn"
        " and the remaining bids re-ranked by the published method"
    )
    before = _ranks(result)
    removals: list[dict[str, Any]] = []
    reversals = 0
    setters = sorted(reference_setters(tender, result).items())
    columns = columns_for(tender, result) if setters else None
    for bidder_id, sets in setters:
        rest_bids, rest_scores = without(bids, scores, bidder_id)
        if not rest_bids:
            continue
        if columns is not None:  # the remaining ranked bids, re-ranked on the columnar exact path
            after = columns.ranks_without(bidder_id)
        else:
            after = _ranks(rerun(tender, rest_bids, rest_scores, decisions))
        winners_after = sorted(b for b, position in after.items() if position == 1)
        changes = order_changes({k: v for k, v in before.items() if k != bidder_id}, after)
        old_winners = [w for w in winners(result) if w != bidder_id]
        reversals += sum(1 for c in changes if c["change"] == "reversed")
        removals.append(
            {
                "removed": bidder_id,
                "sets": sets,
                "winner_without": winners_after,
                "winner_changes": bool(old_winners) and winners_after != old_winners,
                "changes": changes,
            }
        )
    section["removals"] = removals
    section["reversals"] = reversals
    return section


# -- weight sensitivity --------------------------------------------------------------------------


def _rounding_breakpoints(
    value: Fraction, slope: Fraction, t_low: Fraction, t_high: Fraction, tender: Tender
) -> list[Fraction]:
    """Values of t in [t_low, t_high] where round(value + slope × t) can change."""
    if slope == 0:
        return []
    unit = Fraction(1, 10**tender.rounding.places)
    offset = Fraction(0) if tender.rounding.mode == "down" else unit / 2
    ends = sorted((value + slope * t_low, value + slope * t_high))
    first = math.ceil((ends[0] - offset) / unit)
    last = math.floor((ends[1] - offset) / unit)
    return [(n * unit + offset - value) / slope for n in range(first, last + 1)]


def _first_change(
    tender: Tender,
    bids: Sequence[RankedBid],
    winner: str,
    block: str,
    direction: int,
) -> tuple[Fraction, bool, str] | None:
    """The smallest move t > 0 of `block`'s weight in `direction` (+1 up, -1 down) that changes the winner.

    Returns (t, attained, new leader) or None when no move within the allowed range does. Block
    points are linear in t; the published totals are step functions of it, so the answer is a
    rounding breakpoint and is found exactly by checking each breakpoint and the open interval after it.
    """
    weight = Fraction(getattr(tender.weights, block))
    rest = 100 - weight
    t_max = rest if direction > 0 else weight
    places_error = len(BLOCKS) * Fraction(
        1, 10**tender.rounding.places
    )  # bound on |published - exact| per total

    def slope(bid: RankedBid, name: str) -> Fraction:
        # d block_b / dt for the moved block, and the proportional change of the others.
        if name == block:
            return direction * bid.blocks[name] / weight
        return -direction * bid.blocks[name] / rest

    leader = next(b for b in bids if b.bidder_id == winner)
    ratio = tender.award_rule.model == "price_per_quality_point"
    best: tuple[Fraction, bool, str] | None = None
    for challenger in bids:
        if challenger.bidder_id == winner:
            continue
        pair = (leader, challenger)
        t_c = sum((challenger.blocks[n] for n in BLOCKS), Fraction(0))
        t_w = sum((leader.blocks[n] for n in BLOCKS), Fraction(0))
        s_c = sum((slope(challenger, n) for n in BLOCKS), Fraction(0))
        s_w = sum((slope(leader, n) for n in BLOCKS), Fraction(0))
        if ratio:
            # price ÷ total: the challenger is ahead where P_w × T_c − P_c × T_w > 0 (totals > 0); each
            # published total is within E of the exact one, so the published sign can differ only within
            # (P_w + P_c) × E of zero.
            p_w, p_c = Fraction(leader.price), Fraction(challenger.price)
            gap0, gap_slope, tolerance = (
                p_w * t_c - p_c * t_w,
                p_w * s_c - p_c * s_w,
                (p_w + p_c) * places_error,
            )
        else:
            gap0, gap_slope, tolerance = t_c - t_w, s_c - s_w, 2 * places_error
        # Where gap < -tolerance the challenger is behind in published figures; where gap > tolerance it surely leads.
        low, high = Fraction(0), t_max
        sure: Fraction | None = None
        if gap_slope > 0:
            low = max(low, (-tolerance - gap0) / gap_slope)
            leads = (tolerance - gap0) / gap_slope
            if leads < high:
                high = sure = leads
        elif gap_slope < 0:
            high = min(high, (-tolerance - gap0) / gap_slope)
        elif gap0 < -tolerance:
            continue
        if best is not None and best[0] < high:
            high, sure = best[0], None
        if low > high:
            continue
        points = {low, high}
        for bid in pair:
            for name in BLOCKS:
                points.update(
                    _rounding_breakpoints(bid.blocks[name], slope(bid, name), low, high, tender)
                )
        ordered = sorted(p for p in points if low <= p <= high)
        tests: list[
            tuple[Fraction, bool]
        ] = []  # (t to test, attained); an open interval is tested at its middle
        for index, point in enumerate(ordered):
            if index:
                tests.append(((ordered[index - 1] + point) / 2, False))
            tests.append((point, True))
        found: tuple[Fraction, bool] | None = None
        for position, (t, attained) in enumerate(tests):
            if t <= 0:
                continue
            moved = {b.bidder_id: {n: b.blocks[n] + slope(b, n) * t for n in BLOCKS} for b in pair}
            order = dict(published_order(tender, pair, moved))
            if order[challenger.bidder_id] <= order[winner]:
                # An open interval's infimum is the breakpoint tested just before it.
                found = (t, True) if attained else (tests[position - 1][0], False)
                break
        if found is None and sure is not None:
            found = (sure, False)  # just beyond `sure` the challenger leads
        if found is not None and (
            best is None or found[0] < best[0] or (found[0] == best[0] and found[1] and not best[1])
        ):
            best = (found[0], found[1], challenger.bidder_id)
    return best


def _weights_after(tender: Tender, block: str, change: Fraction) -> dict[str, str]:
    weight = Fraction(getattr(tender.weights, block))
    rest = 100 - weight
    out = {}
    for name in BLOCKS:
        w = Fraction(getattr(tender.weights, name))
        out[name] = exact_text(w + change if name == block else w * (rest - change) / rest)
    return out


def weight_sensitivity(tender: Tender, result: Result) -> dict[str, Any]:
    """For each block, the smallest change of its weight that changes the winner (exact; one competition)."""
    model = tender.award_rule.model
    section: dict[str, Any] = {
        "information_only": True,
        "label": LABEL,
        "award_model": model,
        "precision": "exact (rational arithmetic over every rounding breakpoint)",
        "note": "a block's weight moves by the given points; the other blocks give or take them in proportion to"
        " their weights; scores, prices and exclusions stay as evaluated",
    }
    if model == "lowest_price_passing_quality":
        section["blocks"] = []
        section["skipped"] = (
            "not applicable: the award model lowest_price_passing_quality ranks the bids that pass every threshold by"
            " their evaluated price alone; the weights only publish totals, so no weight change can change the winner"
        )
        return section
    if model == "fictitious_price":
        section["blocks"] = []
        section["skipped"] = (
            "not applicable: the award model fictitious_price ranks by the evaluated price less the"
            " published money value of the quality scores; the weights only publish totals, so no"
            " weight change can change the winner"
        )
        return section
    if model == "price_per_quality_point":
        section["note"] += (
            "; the award model price_per_quality_point ranks by price ÷ published total, so the winner is the bid with"
            " the lowest ratio at the moved weights (price itself carries no weight)"
        )
    bids = ranked_bids(tender, result)
    top = winners(result)
    if len(top) != 1 or len(bids) < 2:
        section["blocks"] = []
        section["skipped"] = (
            "there is no single winner to change" if len(top) != 1 else "fewer than two ranked bids"
        )
        return section
    winner = top[0]
    rows = []
    for block in BLOCKS:
        weight = Fraction(getattr(tender.weights, block))
        row: dict[str, Any] = {"block": block, "weight": exact_text(weight)}
        if weight == 0 or weight == 100:
            row["skipped"] = "a block weighted 0 or 100 cannot be moved in proportion to the others"
            rows.append(row)
            continue
        for direction, key in ((1, "increase"), (-1, "decrease")):
            found = _first_change(tender, bids, winner, block, direction)
            if found is None:
                row[key] = None
                continue
            amount, attained, leader = found
            row[key] = {
                "points": exact_text(amount),
                "approx_points": f"{float(amount):.4f}",
                "attained": attained,
                "meaning": ("a move of exactly" if attained else "any move of more than")
                + f" {float(amount):.4f} points changes the winner",
                "new_leader": leader,
                "weights_at_change": _weights_after(tender, block, direction * amount),
            }
        changes = [row[k] for k in ("increase", "decrease") if row.get(k)]
        row["smallest_change_points"] = (
            exact_text(min(Fraction(c["points"]) for c in changes)) if changes else None
        )
        rows.append(row)
    section["winner"] = winner
    section["blocks"] = rows
    return section


# -- what a runner-up would have needed ---------------------------------------------------------


def _wins_with_quality(
    tender: Tender, bids: Sequence[RankedBid], bidder_id: str, total: Fraction
) -> bool:
    w_quality = Fraction(tender.weights.quality)
    totals = {b.bidder_id: (total if b.bidder_id == bidder_id else b.quality_total) for b in bids}
    best = max(totals.values())
    blocks = {
        b.bidder_id: {
            **b.blocks,
            "quality": quality_block_points(tender, w_quality, totals[b.bidder_id], best),
        }
        for b in bids
    }
    order = published_order(tender, bids, blocks)
    return [bidder for bidder, position in order if position == 1] == [bidder_id]


def _first_alone(
    tender: Tender, own: RankedBid, blocks: dict[str, Fraction], leader: RankedBid
) -> bool:
    """Whether `own` (with `blocks`) ranks ahead of `leader`, the first of the other bids.

    The other bids' figures are unchanged, so `own` ranks first alone exactly when the engine's
    ranking puts it strictly ahead of the best of them: one pair instead of every bid.
    """
    order = published_order(
        tender, [own, leader], {own.bidder_id: blocks, leader.bidder_id: leader.blocks}
    )
    return [bidder for bidder, position in order if position == 1] == [own.bidder_id]


def extra_quality_needed(
    tender: Tender, result: Result, bidder_id: str, ranked: Sequence[RankedBid] | None = None
) -> Fraction | None:
    """The fewest extra quality points T (on a 0.0001 grid, up to the points available) that make the bid win.

    While the bid's new T does not move T_best (absolute quality, or T no higher than the best of
    the others), every other bid keeps its figures and the bid is compared with the leader of the
    others alone; beyond that every bid's quality points are recomputed.
    """
    if tender.quality is None or tender.weights.quality == 0:
        return None
    bids = ranked if ranked is not None else ranked_bids(tender, result)
    own = next(b for b in bids if b.bidder_id == bidder_id)
    others = [b for b in bids if b.bidder_id != bidder_id]
    available = Fraction(result.bid(bidder_id).quality.available)
    steps = math.ceil((available - own.quality_total) / QUALITY_PRECISION)
    w_quality = Fraction(tender.weights.quality)
    others_best = max((b.quality_total for b in others), default=None)
    leader = None
    if others:
        order = published_order(tender, others, {b.bidder_id: b.blocks for b in others})
        first = next(bidder for bidder, position in order if position == 1)
        leader = next(b for b in others if b.bidder_id == first)

    def wins(total: Fraction) -> bool:
        moves_best = tender.quality is not None and tender.quality.method == "relative_to_best"
        if leader is None or others_best is None or (moves_best and total > others_best):
            return _wins_with_quality(tender, bids, bidder_id, total)
        blocks = {
            **own.blocks,
            "quality": quality_block_points(tender, w_quality, total, max(total, others_best)),
        }
        return _first_alone(tender, own, blocks, leader)

    def at(n: int) -> Fraction:
        return min(own.quality_total + n * QUALITY_PRECISION, available)

    if steps < 1 or not wins(at(steps)):
        return None
    low, high = 0, steps  # wins at high, not at low (it is a runner-up)
    while high - low > 1:
        middle = (low + high) // 2
        if wins(at(middle)):
            high = middle
        else:
            low = middle
    return at(high) - own.quality_total


def _evaluated_price(tender: Tender, price: Fraction) -> Fraction:
    """The price as the tender scores it: rounded first when the tender says so, as the evaluation does."""
    rounding = tender.price.evaluated_rounding
    if rounding is None:
        return price
    return Fraction(round_fraction(price, rounding.places, rounding.mode))


class CompetitionColumns:
    """The ranked bids of one competition as the columnar exact path's fixed-point arrays.

    Built only when `svengine.scoring.columnar.score_columns` reproduces every published figure and
    rank of the evaluation from them (`columns_for` checks this), so a re-evaluation with one price
    changed is the engine's own result for that price: exact, and a few milliseconds for 1,000 bids.
    """

    def __init__(
        self,
        tender: Tender,
        ids: list[str],
        prices: Any,
        quality: Any,
        social: Any,
        social_scores: Any,
    ) -> None:
        self.tender = tender
        self.ids = ids
        self.index = {bidder_id: position for position, bidder_id in enumerate(ids)}
        self.prices, self.quality, self.social, self.social_scores = (
            prices,
            quality,
            social,
            social_scores,
        )

    def scores(self, prices: Any) -> Any:
        from svengine.scoring.columnar import score_columns

        return score_columns(self.tender, prices, self.quality, self.social, self.social_scores)

    def wins_at(self, bidder_id: str, price: Fraction) -> bool:
        """Whether the bid ranks first alone when its (evaluated) price is `price`, all else as evaluated."""
        from svengine.scoring.columnar import SCALE

        scaled = price * SCALE
        if scaled.denominator != 1:
            raise ValueError(f"{price} has more than 6 decimal places")
        prices = self.prices.copy()
        position = self.index[bidder_id]
        prices[position] = int(scaled)
        rank = self.scores(prices).rank
        return bool(rank[position] == 1) and int((rank == 1).sum()) == 1

    def ranks_without(self, bidder_id: str) -> dict[str, int]:
        """The ranks of the other ranked bids when `bidder_id` leaves the competition."""
        from svengine.scoring.columnar import score_columns

        keep = [i for i in range(len(self.prices)) if self.ids[i] != bidder_id]
        if not keep:
            return {}

        def rows(array: Any) -> Any:
            return None if array is None else array[keep]

        scores = score_columns(
            self.tender,
            self.prices[keep],
            rows(self.quality),
            self.social[keep],
            rows(self.social_scores),
        )
        return {self.ids[i]: int(scores.rank[k]) for k, i in enumerate(keep) if scores.rank[k]}


def _fixed(values: Sequence[Any]) -> list[int] | None:
    """Exact values as integers of 10**-6, or None when one has more places (columnar cannot take it)."""
    from svengine.scoring.columnar import SCALE

    out = []
    for value in values:
        scaled = Fraction(str(value)) * SCALE
        if scaled.denominator != 1:
            return None
        out.append(int(scaled))
    return out


def columns_for(tender: Tender, result: Result) -> CompetitionColumns | None:
    """The competition's ranked bids as columns, or None where the columnar path does not apply.

    None for the award models that do not rank by the total (price_per_quality_point,
    lowest_price_passing_quality: the columnar ranking is by total), for figures with more than six
    decimal places, and whenever the columns do not reproduce the evaluation's published figures
    and ranks exactly; the callers then use the per-bid exact path.
    """
    import numpy as np

    if lead(tender, Fraction(1), Decimal(1)) is not None:
        return None
    ranked = [b for b in result.bids if b.status == "ranked"]
    if not ranked:
        return None
    quality_ids = [c.id for c in tender.quality_criteria]
    social_ids = [c.id for c in tender.social_value_criteria]

    def matrix(rows: list[list[int] | None], width: int) -> Any:
        return np.array(rows, dtype=np.int64).reshape(len(ranked), width) if width else None

    prices = _fixed([b.price.amount for b in ranked])
    social = _fixed([b.social_value.total for b in ranked])
    quality_rows, social_rows = [], []
    for bid in ranked:
        by_id = {c.id: c.score for c in bid.quality.criteria}
        sv_by_id = {c.id: c.score for c in bid.social_value.criteria}
        if not set(quality_ids) <= set(by_id) or not set(social_ids) <= set(sv_by_id):
            return None
        quality_rows.append(_fixed([by_id[i] for i in quality_ids]))
        social_rows.append(_fixed([sv_by_id[i] for i in social_ids]))
    if prices is None or social is None or None in quality_rows or None in social_rows:
        return None
    if max(abs(v) for v in (*prices, *social)) >= 2**62:
        return None
    columns = CompetitionColumns(
        tender,
        [b.bidder_id for b in ranked],
        np.array(prices, dtype=np.int64),
        matrix(quality_rows, len(quality_ids)),
        np.array(social, dtype=np.int64),
        matrix(social_rows, len(social_ids)),
    )
    scores = columns.scores(columns.prices)
    for position, bid in enumerate(ranked):
        published = (
            (scores.decimal("quality", position), bid.quality.score),
            (scores.decimal("price", position), bid.price.score),
            (scores.decimal("social_value", position), bid.social_value.score),
            (scores.decimal("total", position), bid.total_score),
        )
        if any(ours != (theirs or Decimal(0)) for ours, theirs in published):
            return None
        if int(scores.rank[position]) != bid.rank:
            return None
    return columns


def _wins_with_price(
    tender: Tender, result: Result, bids: Sequence[RankedBid], bidder_id: str, price: Fraction
) -> bool:
    """Whether the bid wins at `price`, all else as evaluated: price scores (and a price-relative
    social value score) recomputed exactly against the moved reference prices (the per-bid exact
    path, for the tenders `columns_for` leaves out)."""
    price = _evaluated_price(tender, price)
    prices = {b.bidder_id: (price if b.bidder_id == bidder_id else Fraction(b.price)) for b in bids}
    w_price = Fraction(tender.weights.price)
    # The price formulas read only the lowest and highest price (see `ranked_bids`).
    reference = [min(prices.values()), max(prices.values())]
    blocks = {
        b.bidder_id: {
            **b.blocks,
            "price": price_points(tender.price, w_price, prices[b.bidder_id], reference),
        }
        for b in bids
    }
    block = tender.social_value
    if block is not None and block.method == "relative_to_highest_ratio":
        weight = Fraction(quantitative_weight(tender))
        totals = {b.bidder_id: Fraction(result.bid(b.bidder_id).social_value.total) for b in bids}
        best = max(totals[b.bidder_id] / prices[b.bidder_id] for b in bids)
        for b in bids:
            criteria = sum(
                (Fraction(c.points) for c in result.bid(b.bidder_id).social_value.criteria),
                Fraction(0),
            )
            blocks[b.bidder_id]["social_value"] = (
                quantitative_points(tender, weight, totals[b.bidder_id], prices[b.bidder_id], best)
                + criteria
            )
    moved = [
        RankedBid(
            b.bidder_id,
            Decimal(prices[b.bidder_id].numerator) / Decimal(prices[b.bidder_id].denominator),
            b.quality_total,
            b.blocks,
            b.deductions,
        )
        for b in bids
    ]
    order = published_order(tender, moved, blocks)
    return [bidder for bidder, position in order if position == 1] == [bidder_id]


def price_cut_needed(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    bidder_id: str,
    result: Result | None = None,
    decisions: Decisions | None = None,
    columns: CompetitionColumns | None = None,
) -> Fraction | None:
    """The smallest price cut (to the penny) that makes the bid win its competition, all else as evaluated.

    The cut is found by bisection over exact re-evaluations of the competition with the bid's
    price moved (reference prices move with it). Where `columns_for` applies, each re-evaluation
    is the columnar exact path (`columns`, built here when not given), which first reproduced the
    evaluation exactly; otherwise price scores are recomputed per bid and the answer is then
    confirmed by re-running the full evaluation at the cut price and one penny less of a cut.
    """
    result = result if result is not None else rerun(tender, bids, scores, decisions)
    if columns is None:
        columns = columns_for(tender, result)
    own = next(b for b in bids if b.bidder.id == bidder_id)
    assert own.price is not None, "price cuts are analysed for lump-sum prices only"
    price = Fraction(own.price)
    steps = math.ceil(price / PRICE_PRECISION) - 1  # the price stays above 0
    fast = columns if columns is not None and bidder_id in columns.index else None
    ranked = ranked_bids(tender, result) if fast is None else []

    def wins(n: int) -> bool:
        cut = price - n * PRICE_PRECISION
        if fast is not None:
            return fast.wins_at(bidder_id, _evaluated_price(tender, cut))
        return _wins_with_price(tender, result, ranked, bidder_id, cut)

    if steps < 1 or not wins(steps):
        return None
    low, high = 0, steps
    while high - low > 1:
        middle = (low + high) // 2
        if wins(middle):
            high = middle
        else:
            low = middle
    if fast is not None:
        return high * PRICE_PRECISION

    def evaluated(n: int) -> bool:
        cut = price - n * PRICE_PRECISION
        changed = own.model_copy(
            update={"price": Decimal(cut.numerator) / Decimal(cut.denominator)}
        )
        return _sole_winner(
            rerun(
                tender,
                [changed if b.bidder.id == bidder_id else b for b in bids],
                scores,
                decisions,
            ),
            bidder_id,
        )

    if not evaluated(high) or (low > 0 and evaluated(low)):
        raise AssertionError(
            f"price cut search for {bidder_id} disagrees with the full evaluation"
        )  # a bug, never user input
    return high * PRICE_PRECISION


def runners_up(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    result: Result,
    limit: int = 20,
    decisions: Decisions | None = None,
) -> dict[str, Any]:
    """For each runner-up (up to `limit`), the price cut or extra quality alone that would have made it win."""
    model = tender.award_rule.model
    section: dict[str, Any] = {
        "information_only": True,
        "label": LABEL,
        "award_model": model,
        "precision": {
            "price_cut": "to 0.01 of the currency",
            "extra_quality_points": "to 0.0001 points",
        },
    }
    ranked = [b for b in result.bids if b.status == "ranked" and b.rank != 1]
    price_cut = tender.price.model == "lump_sum" and model != "fixed_price"
    if model == "fixed_price":
        section["price_cut_not_analysed"] = (
            "not applicable: the award model fixed_price requires every bid to be at the published"
            " price, so no bid can cut it"
        )
    elif not price_cut:
        section["price_cut_not_analysed"] = (
            f"the price is built from priced lines ({tender.price.model}); which lines a bidder would cut is not"
            " defined, so only the extra quality points are given"
        )
    quality = model not in ("lowest_price_passing_quality", "fictitious_price")
    if model == "fictitious_price":
        section["extra_quality_not_analysed"] = (
            "not applicable: the award model fictitious_price counts quality through each"
            " criterion's published money value, not through quality points; the price cut is the"
            " money a bid is short by"
        )
    elif not quality:
        section["extra_quality_not_analysed"] = (
            "not applicable: the award model lowest_price_passing_quality ranks passing bids by price alone, so quality"
            " above the threshold cannot make a bid win"
        )
    columns = columns_for(tender, result) if price_cut and ranked else None
    how = (
        "each price cut is found by exact re-evaluation of the competition (svengine's columnar exact path,"
        " checked first to reproduce this evaluation's figures and ranks)"
        if columns is not None
        else "each price cut is confirmed by re-running the full evaluation"
    )
    section["note"] = (
        "each figure changes one thing only and keeps everything else as evaluated; reference prices move with"
        f" a price cut, and {how}; a bid wins when it ranks first alone under the award model ({model})"
    )
    exact = ranked_bids(tender, result) if quality and ranked else None
    rows = []
    for bid in ranked[:limit]:
        cut = (
            price_cut_needed(tender, bids, scores, bid.bidder_id, result, decisions, columns)
            if price_cut
            else None
        )
        extra = extra_quality_needed(tender, result, bid.bidder_id, exact) if quality else None
        rows.append(
            {
                "bidder_id": bid.bidder_id,
                "rank": bid.rank,
                "price": str(bid.price.amount),
                "price_cut": exact_text(cut) if cut is not None else None,
                "price_cut_pct": f"{float(cut * 100 / Fraction(bid.price.amount)):.4f}"
                if cut is not None
                else None,
                "extra_quality_points": exact_text(extra) if extra is not None else None,
            }
        )
    section["bids"] = rows
    if len(ranked) > limit:
        section["omitted"] = len(ranked) - limit
    return section


def _as_moderated(bid: Bid, sv_moderation: Sequence[SvModeration]) -> Bid:
    """The bid as the panel accepted it: reduced quantities, rejected commitments left out."""
    moderated = moderate(bid, sv_moderation)[0]
    kept = tuple(c for c in moderated.social_value if c.quantity > 0)
    return moderated.model_copy(update={"social_value": kept})


# -- the whole report ----------------------------------------------------------------------------


def competition_report(
    competition: Competition, *, samples: int, seed: int, runner_up_limit: int
) -> dict[str, Any]:
    """The four analyses of one competition (a lot, or the whole tender)."""
    from svengine.analysis.uncertainty import score_uncertainty

    tender, bids, scores, decisions = (
        competition.tender,
        competition.bids,
        competition.scores,
        competition.decisions,
    )
    if not bids:
        return {
            "result": {"winner": [], "ranking": [], "excluded": []},
            "note": "no bids in this competition: nothing to analyse",
        }
    result = competition.evaluate()
    return {
        "result": {
            "winner": winners(result),
            "ranking": [
                {"bidder_id": b.bidder_id, "rank": b.rank, "total_score": str(b.total_score)}
                for b in result.bids
                if b.rank is not None
            ],
            "excluded": [
                {"bidder_id": b.bidder_id, "exclusions": [e.code for e in b.exclusions]}
                for b in result.bids
                if b.rank is None
            ],
        },
        "rank_reversal": rank_reversal(tender, bids, scores, result, decisions),
        "weight_sensitivity": weight_sensitivity(tender, result),
        "runners_up": runners_up(tender, bids, scores, result, runner_up_limit, decisions),
        "score_uncertainty": score_uncertainty(
            tender, bids, scores, samples=samples, seed=seed, decided_out=decided_out(result)
        ),
    }


def robustness_report(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    *,
    samples: int = 10_000,
    seed: int = 0,
    runner_up_limit: int = 20,
    sv_moderation: Sequence[SvModeration] = (),
    decisions: Decisions | None = None,
) -> dict[str, Any]:
    """Everything robustness.json holds, as plain JSON data (no time, host or path).

    Social value moderation is applied to the bids first, so every re-run below scores the
    commitments as the panel accepted them, exactly as the evaluation did. The buyer's decisions
    (decisions.yaml) apply to every re-run: a disregarded tender stays out. A tender with lots is
    analysed lot by lot (`lots[]`), each lot as the competition the evaluation makes of it.
    """
    bids = [_as_moderated(bid, sv_moderation) for bid in bids]
    report: dict[str, Any] = {
        "information_only": True,
        "notice": "Robustness analysis of the evaluation. Every figure here is information for the buyer and for"
        " auditors; none of it changes the result in result.json, which follows the published method alone.",
        "engine": {"name": "svengine", "version": __version__},
        "tender": {"id": tender.id, "title": tender.title},
        "award_model": tender.award_rule.model,
    }
    parts = competitions(tender, bids, scores, decisions)
    if tender.lots is None:
        report.update(
            competition_report(
                parts[0], samples=samples, seed=seed, runner_up_limit=runner_up_limit
            )
        )
        return report
    report["note"] = (
        "each lot is its own competition, analysed as the evaluation scores it (the lot's contract value and bids);"
        " 'winner' is the bid ranked first in the lot: appointments of several suppliers per lot and lot limits are"
        " not analysed"
    )
    report["lots"] = [
        {
            "lot": {"id": part.lot_id, "title": part.lot.title if part.lot else None},
            **competition_report(part, samples=samples, seed=seed, runner_up_limit=runner_up_limit),
        }
        for part in parts
    ]
    return report
