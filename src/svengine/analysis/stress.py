"""Pre-publication testing: run a tender's method on generated dummy bids and report perverse outcomes.

The Cabinet Office's bid evaluation guidance asks buyers to test the evaluation model before
publishing it. This module generates seeded, reproducible dummy bids and scores, evaluates them with
the real `svengine.evaluate` (exact arithmetic), and looks for what a buyer would not want:

- a bid better on quality and cheaper that still loses (to social value, or to a threshold);
- rank reversals when a bid is removed or added (relative formulas and irrelevant alternatives);
- the price weight in effect against the declared one (relative formulas amplify or damp it);
- bands of price differences that the published rounding makes invisible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from svengine.analysis.robustness import (
    order_changes,
    rank_reversal,
    relative_references,
)
from svengine.model.bid import Bid, Bidder, Commitment
from svengine.model.result import Result
from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.numbers import exact_text, round_fraction
from svengine.scoring.evaluate import evaluate
from svengine.scoring.explain import figure
from svengine.scoring.price import price_points
from svengine.version import __version__

PENNY = Fraction(1, 100)


def _whole(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _score_choices(tender: Tender, criterion_max: Decimal, minimum: Decimal | None) -> list[Decimal]:
    """Whole marks from the minimum (or 0) to the maximum; a scale below 1 uses quarters of it."""
    if criterion_max >= 1:
        low = math.ceil(minimum) if minimum is not None else 0
        return [Decimal(n) for n in range(low, int(criterion_max) + 1)] or [criterion_max]
    return [criterion_max * k / 4 for k in range(5) if minimum is None or criterion_max * k / 4 >= minimum]


def dummy_bids(tender: Tender, count: int, seed: int) -> tuple[list[Bid], list[Score]]:
    """`count` generated bids with agreed scores, the same for the same tender and seed on every machine.

    Prices: 75%-125% of the contract value (reference_linear: from 90% of the floor to 105% of the
    ceiling). Scores: whole marks from each criterion's minimum to its maximum. Social value: one to
    four allowed priced measures worth together 0-25% of the contract value.
    """
    rng = random.Random(seed)
    block = tender.price
    if block.method == "reference_linear":
        assert block.ceiling is not None and block.floor is not None
        low, high = Fraction(block.floor) * Fraction(9, 10), Fraction(block.ceiling) * Fraction(105, 100)
    else:
        value = Fraction(tender.contract_value)
        low, high = value * Fraction(3, 4), value * Fraction(5, 4)
    library = tender.measure_library
    measures = []
    if tender.social_value is not None and library is not None:
        allowed = tender.social_value.measures if tender.social_value.measures is not None else [m.id for m in library.measures]
        measures = [library.by_id[m] for m in allowed if m in library.by_id and library.by_id[m].proxy_value and not library.by_id[m].record_only]
    bids: list[Bid] = []
    scores: list[Score] = []
    width = len(str(count))
    for index in range(1, count + 1):
        bidder_id = f"D{index:0{width}d}"
        price = max(_whole(low + (high - low) * Fraction(rng.randrange(0, 10_001), 10_000)), Decimal(1))
        commitments = []
        if measures:
            chosen = rng.sample(measures, k=min(len(measures), rng.randint(1, 4)))
            budget = Fraction(tender.contract_value) * Fraction(rng.randrange(0, 2_501), 10_000) / len(chosen)
            for measure in chosen:
                assert measure.proxy_value is not None
                per_year = measure.basis == "per_year" and not measure.first_year_only
                years = (tender.duration_years or 1) if per_year else 1
                quantity = max(_whole(budget / Fraction(measure.proxy_value) / years), Decimal(1))
                commitments.append(Commitment(measure=measure.id, quantity=quantity, years=years if per_year else None))
        bids.append(Bid(bidder=Bidder(id=bidder_id, name=f"Dummy bidder {bidder_id}"), price=price, social_value=tuple(commitments)))
        for criterion in (*tender.quality_criteria, *tender.social_value_criteria):
            choices = _score_choices(tender, tender.max_score(criterion), criterion.min_score)
            scores.append(Score(bidder=bidder_id, criterion=criterion.id, score=rng.choice(choices)))
    return bids, scores


# -- findings ------------------------------------------------------------------------------------


def better_but_losing(result: Result) -> list[dict[str, Any]]:
    """Pairs where one bid has more quality points and a lower price than another, yet ranks below it."""
    out = []
    bids = list(result.bids)
    for a in bids:
        for b in bids:
            if a is b or b.rank is None:
                continue
            better = Fraction(a.quality.points) > Fraction(b.quality.points) and a.price.amount < b.price.amount
            if not better or (a.rank is not None and a.rank <= b.rank):
                continue
            if a.rank is None:
                reason = "excluded: " + "; ".join(f.message for f in a.exclusions)
            else:
                reason = (
                    f"social value: {a.social_value.score} against {b.social_value.score} outweighs the quality and price lead"
                    if (a.social_value.score or 0) < (b.social_value.score or 0)
                    else "the published rounding and tie-break"
                )
            out.append(
                {
                    "better": a.bidder_id,
                    "loses_to": b.bidder_id,
                    "quality_points": [a.quality.points, b.quality.points],
                    "prices": [str(a.price.amount), str(b.price.amount)],
                    "totals": [str(a.total_score) if a.total_score is not None else None, str(b.total_score)],
                    "reason": reason,
                }
            )
    return out


def _ranks(result: Result) -> dict[str, int]:
    return {b.bidder_id: b.rank for b in result.bids if b.rank is not None}


def probe_bids(tender: Tender, bids: Sequence[Bid], result: Result) -> list[tuple[str, Bid, list[Score]]]:
    """Bids that cannot win but move a reference value: the classic irrelevant alternatives."""
    ranked = [b for b in result.bids if b.status == "ranked"]
    if not ranked:
        return []
    lowest = min(Fraction(b.price.amount) for b in ranked)
    highest = max(Fraction(b.price.amount) for b in ranked)
    quality = tender.quality
    probes: list[tuple[str, Bid, list[Score]]] = []

    def scores_for(bidder_id: str, top: bool) -> list[Score]:
        rows = []
        for criterion in (*tender.quality_criteria, *tender.social_value_criteria):
            maximum = tender.max_score(criterion)
            floor = criterion.min_score or Decimal(0)
            if quality is not None and quality.min_total_pct is not None and criterion in quality.criteria:
                floor = max(floor, maximum * quality.min_total_pct / 100)
            rows.append(Score(bidder=bidder_id, criterion=criterion.id, score=maximum if top else min(Decimal(math.ceil(floor)), maximum)))
        return rows

    references = relative_references(tender)
    if "P_min" in references:
        probes.append(
            (
                "a very cheap bid (60% of the lowest price) with the lowest passing scores",
                Bid(bidder=Bidder(id="PROBE-LOW-PRICE", name="Probe: low price"), price=max(_whole(lowest * Fraction(3, 5)), Decimal(1))),
                scores_for("PROBE-LOW-PRICE", top=False),
            )
        )
    if "P_max" in references:
        probes.append(
            (
                "a very expensive bid (150% of the highest price) with the lowest passing scores",
                Bid(bidder=Bidder(id="PROBE-HIGH-PRICE", name="Probe: high price"), price=_whole(highest * Fraction(3, 2))),
                scores_for("PROBE-HIGH-PRICE", top=False),
            )
        )
    if "T_best" in references:
        probes.append(
            (
                "a full-marks bid at 150% of the highest price",
                Bid(bidder=Bidder(id="PROBE-TOP-QUALITY", name="Probe: top quality"), price=_whole(highest * Fraction(3, 2))),
                scores_for("PROBE-TOP-QUALITY", top=True),
            )
        )
    if ("SV_max" in references or "SV_per_price_max" in references) and tender.measure_library is not None:
        best = max((b for b in bids), key=lambda b: sum((Fraction(c.quantity) for c in b.social_value), Fraction(0)))
        if best.social_value:
            doubled = tuple(c.model_copy(update={"quantity": c.quantity * 3}) for c in best.social_value)
            probes.append(
                (
                    "a bid offering three times the largest social value commitments, at 150% of the highest price",
                    Bid(bidder=Bidder(id="PROBE-HIGH-SV", name="Probe: high social value"), price=_whole(highest * Fraction(3, 2)), social_value=doubled),
                    scores_for("PROBE-HIGH-SV", top=False),
                )
            )
    return probes


def additions(tender: Tender, bids: Sequence[Bid], scores: Sequence[Score], result: Result) -> list[dict[str, Any]]:
    """Add each probe bid in turn and report every pair of the original bids whose order changes."""
    before = _ranks(result)
    out = []
    for description, probe, probe_scores in probe_bids(tender, bids, result):
        after_result = evaluate(tender, [*bids, probe], [*scores, *probe_scores])
        after = {k: v for k, v in _ranks(after_result).items() if k != probe.bidder.id}
        out.append(
            {
                "added": probe.bidder.id,
                "description": description,
                "price": str(probe.price),
                "probe_rank": after_result.bid(probe.bidder.id).rank,
                "winner_before": sorted(k for k, v in before.items() if v == 1),
                "leader_of_these_bids_after": sorted(k for k, v in after.items() if v == min(after.values(), default=0)),
                "changes": order_changes(before, after),
            }
        )
    return out


def effective_weights(tender: Tender, result: Result) -> dict[str, Any]:
    """Each block's spread of exact points among the ranked dummy bids, against its declared weight.

    The share of the total spread a block provides is the weight it really has in separating these
    bids: relative price formulas damp the price weight when prices are close (lowest_relative) or
    amplify it (min_max_linear always spreads the full weight).
    """
    ranked = [b for b in result.bids if b.status == "ranked"]
    points = {
        "quality": [b.quality.score or Decimal(0) for b in ranked],
        "price": [b.price.score or Decimal(0) for b in ranked],
        "social_value": [b.social_value.score or Decimal(0) for b in ranked],
    }
    spreads = {name: Fraction(max(values) - min(values)) if values else Fraction(0) for name, values in points.items()}
    total = sum(spreads.values(), Fraction(0))
    blocks = []
    for name, spread in spreads.items():
        declared = Fraction(getattr(tender.weights, name))
        blocks.append(
            {
                "block": name,
                "declared_weight": exact_text(declared),
                "lowest_score": str(min(points[name])) if points[name] else None,
                "highest_score": str(max(points[name])) if points[name] else None,
                "spread": exact_text(spread),
                "spread_pct_of_declared": f"{float(spread * 100 / declared):.1f}" if declared else None,
                "weight_in_effect": f"{float(spread * 100 / total):.1f}" if total else None,
            }
        )
    prices = sorted(Fraction(b.price.amount) for b in ranked)
    per_percent = None
    if prices and tender.weights.price:
        median = prices[len(prices) // 2]
        w = Fraction(tender.weights.price)
        per_percent = price_points(tender.price, w, median, prices) - price_points(tender.price, w, median * Fraction(101, 100), prices)
    return {
        "note": "weight in effect = a block's spread of published scores among the ranked dummy bids as a share of all"
        " three spreads, out of 100",
        "blocks": blocks,
        "price_points_per_1pct_at_median": exact_text(per_percent) if per_percent is not None else None,
    }


def rounding_bands(tender: Tender, result: Result) -> dict[str, Any]:
    """For each ranked bid, the band of prices (to the penny) that all get its published price score.

    The other bids' prices stay fixed, and the band is kept inside the range where the reference
    values do not move (between the lowest and highest price; for reference_linear, floor to ceiling).
    """
    ranked = [b for b in result.bids if b.status == "ranked"]
    if not ranked or tender.weights.price == 0:
        return {"bands": [], "widest": None}
    reference = [Fraction(b.price.amount) for b in ranked]
    block = tender.price
    if block.method == "reference_linear":
        assert block.ceiling is not None and block.floor is not None
        low, high = Fraction(block.floor), Fraction(block.ceiling)
    else:
        low, high = min(reference), max(reference)
    w = Fraction(tender.weights.price)

    def published(price: Fraction) -> Decimal:
        return round_fraction(price_points(block, w, price, reference), tender.rounding.places, tender.rounding.mode)

    def edge(start: Fraction, limit: Fraction, step: Fraction) -> Fraction:
        """The furthest price from `start` towards `limit`, in steps of `step`, with the same published score."""
        target = published(start)
        steps = math.floor(abs(limit - start) / PENNY)
        lo, hi = 0, steps
        if published(start + step * steps) == target:
            return start + step * steps
        while hi - lo > 1:  # the score is monotone in price, so the equal scores form one interval
            middle = (lo + hi) // 2
            if published(start + step * middle) == target:
                lo = middle
            else:
                hi = middle
        return start + step * lo

    bands = []
    for bid in ranked:
        price = Fraction(bid.price.amount)
        if not low <= price <= high:
            continue
        first, last = edge(price, low, -PENNY), edge(price, high, PENNY)
        bands.append(
            {
                "bidder_id": bid.bidder_id,
                "price": str(bid.price.amount),
                "published_score": str(published(price)),
                "from": exact_text(first),
                "to": exact_text(last),
                "width": exact_text(last - first),
                "width_pct_of_price": f"{float((last - first) * 100 / price):.3f}",
            }
        )
    widest = max(bands, key=lambda b: (Fraction(b["width"]), b["bidder_id"]), default=None)
    return {
        "note": "prices anywhere in a band get the same published price score: a difference of up to the band's width"
        " is invisible after rounding (other bids' prices fixed)",
        "rounding": {"places": tender.rounding.places, "mode": tender.rounding.mode},
        "bands": bands,
        "widest": widest,
    }


def stress_report(tender: Tender, count: int = 8, seed: int = 0) -> dict[str, Any]:
    """The whole pre-publication test as JSON data (reproducible: no time, host or path)."""
    bids, scores = dummy_bids(tender, count, seed)
    result = evaluate(tender, bids, scores)
    removal = rank_reversal(tender, bids, scores, result)
    return {
        "about": "pre-publication test of the evaluation method on generated dummy bids (information for the buyer)",
        "engine": {"name": "svengine", "version": __version__},
        "tender": {"id": tender.id, "title": tender.title},
        "seed": seed,
        "dummy_bids": [
            {
                "bidder_id": b.bidder_id,
                "price": str(b.price.amount),
                "quality_points": b.quality.points,
                "social_value": str(b.social_value.total),
                "status": b.status,
                "rank": b.rank,
                "total_score": str(b.total_score) if b.total_score is not None else None,
            }
            for b in result.bids
        ],
        "better_but_losing": better_but_losing(result),
        "removals": removal["removals"],
        "additions": additions(tender, bids, scores, result),
        "relative_references": removal["relative_references"],
        "effective_weights": effective_weights(tender, result),
        "rounding_bands": rounding_bands(tender, result),
    }


def _line_changes(changes: Sequence[dict[str, str]]) -> str:
    parts = []
    for c in changes:
        if c["change"] == "reversed":
            parts.append(f"{c['behind_before']} now ahead of {c['ahead_before']}")
        elif c["change"] == "now_tied":
            parts.append(f"{c['ahead_before']} and {c['behind_before']} now tied")
        else:
            parts.append(f"tie broken: {c['ahead_now']} ahead of {c['behind_now']}")
    return "; ".join(parts)


def stress_text(report: dict[str, Any]) -> str:
    """The stress report for reading."""
    tender = report["tender"]
    bids = report["dummy_bids"]
    lines = [
        f"Pre-publication test of {tender['id']}: {tender['title']}",
        f"{len(bids)} dummy bids (seed {report['seed']}): {sum(1 for b in bids if b['status'] == 'ranked')} ranked,"
        f" {sum(1 for b in bids if b['status'] == 'excluded')} excluded",
        "",
        "Better on quality and cheaper, yet losing:",
    ]
    better = report["better_but_losing"]
    lines += [f"  {p['better']} loses to {p['loses_to']}: {p['reason']}" for p in better] or ["  none"]
    lines += ["", "Rank reversals when a bid is removed:"]
    if not report["relative_references"]:
        lines.append("  none possible: every formula is absolute")
    else:
        removed = [r for r in report["removals"] if r["changes"]]
        lines += [f"  without {r['removed']} (sets {', '.join(r['sets'])}): {_line_changes(r['changes'])}" for r in removed] or ["  none"]
    lines += ["", "Rank reversals when a bid is added:"]
    added = [a for a in report["additions"] if a["changes"]]
    lines += [f"  adding {a['description']}: {_line_changes(a['changes'])}" for a in added] or ["  none"]
    effective = report["effective_weights"]
    lines += ["", "Weights in effect among the dummy bids (share of the spread of published scores):"]
    for block in effective["blocks"]:
        lines.append(
            f"  {block['block']:<13} declared {block['declared_weight']:>6}   spread {block['spread']:>8}   in effect {block['weight_in_effect'] or '-':>5}"
        )
    if effective["price_points_per_1pct_at_median"] is not None:
        lines.append(f"  a 1% higher price at the median costs {figure(Fraction(effective['price_points_per_1pct_at_median']))} price points")
    bands = report["rounding_bands"]
    lines += ["", "Price differences hidden by rounding:"]
    widest = bands["widest"]
    if widest is None:
        lines.append("  none (price is not scored)")
    else:
        lines.append(
            f"  every price from {widest['from']} to {widest['to']} scores {widest['published_score']} (around {widest['bidder_id']}):"
            f" a difference of {widest['width']} ({widest['width_pct_of_price']}% of the price) changes no published price score"
        )
    return "\n".join(lines)
