"""Pre-publication testing: run a tender's method on generated dummy bids and report perverse outcomes.

The Cabinet Office's bid evaluation guidance asks buyers to test the evaluation model before
publishing it. This module generates seeded, reproducible dummy bids and scores, evaluates them with
the real `svengine.evaluate` (exact arithmetic), and looks for what a buyer would not want:

- a bid better on quality and cheaper that still loses (to social value, or to a threshold);
- rank reversals when a bid is removed or added (relative formulas and irrelevant alternatives);
- the price weight in effect against the declared one (relative formulas amplify or damp it);
- bands of price differences that the published rounding makes invisible.

Whatever the tender's shape: priced lines for its price model, one competition per lot, pass/fail
verdicts for its gates, and its award model's ranking. A tender with a panel is tested on the agreed
scores the panel would reach: the dummy scores are generated as agreed scores and the tender is
evaluated with its `panel` block left out (the stress test is about the scoring method; the panel's
aggregation only decides how evaluators' scores become those agreed scores).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from svengine.analysis.competition import Competition, competitions
from svengine.analysis.robustness import (
    order_changes,
    rank_reversal,
    relative_references,
)
from svengine.display import amount, percent, quantity
from svengine.model.award import Lot
from svengine.model.bid import Bid, Bidder, Commitment
from svengine.model.result import Result
from svengine.model.scores import Score, gate_score
from svengine.model.tender import Tender
from svengine.numbers import exact_text, round_fraction
from svengine.scoring.evaluate import evaluate
from svengine.scoring.price import price_points
from svengine.scoring.price_models import discount_factor, discount_rate_pct
from svengine.version import __version__

PENNY = Fraction(1, 100)
NOT_BY_TOTAL = {
    "price_per_quality_point": "ranks by price ÷ points (price has no weight of its own)",
    "lowest_price_passing_quality": "ranks the bids that pass every threshold by price alone",
    "fictitious_price": "ranks by the price less the published money value of the quality scores",
}
"""Award models that do not rank by the weighted total, and what they rank by."""


def _whole(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )


def _score_choices(
    tender: Tender, criterion_max: Decimal, minimum: Decimal | None
) -> list[Decimal]:
    """Whole marks from the minimum (or 0) to the maximum; a scale below 1 uses quarters of it."""
    if criterion_max >= 1:
        low = math.ceil(minimum) if minimum is not None else 0
        return [Decimal(n) for n in range(low, int(criterion_max) + 1)] or [criterion_max]
    return [
        criterion_max * k / 4
        for k in range(5)
        if minimum is None or criterion_max * k / 4 >= minimum
    ]


def stress_tender(tender: Tender) -> Tender:
    """The tender the dummy bids are evaluated against: the panel block left out (agreed scores are generated)."""
    return tender.model_copy(update={"panel": None}) if tender.panel is not None else tender


def _penny(value: Fraction) -> Decimal:
    return max(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        ),
        Decimal("0.01"),
    )


def price_fields(
    tender: Tender, target: Fraction, rng: random.Random | None = None
) -> dict[str, Any]:
    """A bid's price submission for the tender's price model whose evaluated price is about `target`.

    Each line gets an equal share of the target (basket: per unit of volume; multi_part: per unit of
    multiplier; whole_life: per unit of the part's summed discount factors); with `rng`, each line's
    share is moved by up to ±10%, so the lines differ from bid to bid. A schedule of rates gets the
    one adjustment that brings its base total to the target (to 0.01%, at least −90%).
    """
    block = tender.price
    if block.model == "lump_sum":
        return {"price": _whole(target)}

    def jitter() -> Fraction:
        return (
            Fraction(10_000 + rng.randrange(-1_000, 1_001), 10_000)
            if rng is not None
            else Fraction(1)
        )

    if block.model == "schedule_of_rates":
        base = sum(
            (Fraction(i.volume) * Fraction(i.base_rate) for i in block.schedule or ()), Fraction(0)
        )
        adjustment = (target / base - 1) * 100
        return {"adjustment_pct": max(Decimal(round(adjustment * 100)) / 100, Decimal(-90))}
    if block.model == "basket":
        units = {i.item: Fraction(i.volume) for i in block.basket or ()}
    elif block.model == "multi_part":
        units = {p.id: Fraction(p.multiplier or 1) for p in block.parts or ()}
    else:
        rate = discount_rate_pct(block)
        units = {
            p.id: sum((discount_factor(rate, year) for year in p.years or ()), Fraction(0))
            or Fraction(1)
            for p in block.parts or ()
        }
    share = target / len(units)
    return {"prices": {item: _penny(share / unit * jitter()) for item, unit in units.items()}}


def _price_range(tender: Tender, value: Fraction) -> tuple[Fraction, Fraction]:
    block = tender.price
    if block.method == "reference_linear":
        assert block.ceiling is not None and block.floor is not None
        return Fraction(block.floor) * Fraction(9, 10), Fraction(block.ceiling) * Fraction(105, 100)
    return value * Fraction(3, 4), value * Fraction(5, 4)


def dummy_bids(tender: Tender, count: int, seed: int) -> tuple[list[Bid], list[Score]]:
    """`count` generated bids (per lot) with agreed scores, the same for the same tender and seed on every machine.

    Evaluated prices: 75%-125% of the contract value (of the lot; reference_linear: from 90% of the
    floor to 105% of the ceiling), as a lump sum or as priced lines for the tender's price model
    (`price_fields`); fixed_price: every price is the contract value. Scores: whole marks from each
    criterion's minimum to its maximum. Gates: each verdict is a fail with probability 1/8. Social
    value: one to four allowed priced measures worth together 0-25% of the contract value. With lots,
    every lot gets `count` bids from D1.. (the same ids: the same dummy suppliers bid for every lot).
    """
    rng = random.Random(seed)
    library = tender.measure_library
    measures = []
    if tender.social_value is not None and library is not None:
        allowed = (
            tender.social_value.measures
            if tender.social_value.measures is not None
            else [m.id for m in library.measures]
        )
        measures = [
            library.by_id[m]
            for m in allowed
            if m in library.by_id
            and library.by_id[m].proxy_value
            and not library.by_id[m].record_only
        ]
    fixed = tender.award_rule.model == "fixed_price"
    bids: list[Bid] = []
    scores: list[Score] = []
    width = len(str(count))
    lots: list[Lot | None] = list(tender.lots) if tender.lots else [None]
    for lot in lots:
        lot_id = lot.id if lot is not None else None
        value = Fraction(lot.contract_value if lot is not None else tender.contract_value)
        low, high = _price_range(tender, value)
        for index in range(1, count + 1):
            bidder_id = f"D{index:0{width}d}"
            target = low + (high - low) * Fraction(rng.randrange(0, 10_001), 10_000)
            fields = (
                {"price": Decimal(value.numerator) / Decimal(value.denominator)}
                if fixed
                else price_fields(tender, target, rng)
            )
            if "price" in fields:
                fields["price"] = max(fields["price"], Decimal(1))
            commitments = []
            if measures:
                chosen = rng.sample(measures, k=min(len(measures), rng.randint(1, 4)))
                budget = value * Fraction(rng.randrange(0, 2_501), 10_000) / len(chosen)
                for measure in chosen:
                    assert measure.proxy_value is not None
                    per_year = measure.basis == "per_year" and not measure.first_year_only
                    years = (tender.duration_years or 1) if per_year else 1
                    quantity = max(
                        _whole(budget / Fraction(measure.proxy_value) / years), Decimal(1)
                    )
                    commitments.append(
                        Commitment(
                            measure=measure.id, quantity=quantity, years=years if per_year else None
                        )
                    )
            bids.append(
                Bid(
                    bidder=Bidder(id=bidder_id, name=f"Dummy bidder {bidder_id}"),
                    social_value=tuple(commitments),
                    lot=lot_id,
                    **fields,
                )
            )
            for criterion in (*tender.quality_criteria, *tender.social_value_criteria):
                choices = _score_choices(tender, tender.max_score(criterion), criterion.min_score)
                scores.append(
                    Score(
                        bidder=bidder_id,
                        criterion=criterion.id,
                        score=rng.choice(choices),
                        lot=lot_id,
                    )
                )
            for gate in tender.gates:
                scores.append(
                    gate_score(
                        bidder_id, gate.id, "fail" if rng.random() < 0.125 else "pass", lot=lot_id
                    )
                )
    return bids, scores


# -- findings ------------------------------------------------------------------------------------


def better_but_losing(result: Result) -> list[dict[str, Any]]:
    """Pairs where one bid has more quality points and a lower price than another, yet ranks below it."""
    out = []
    bids = list(result.bids)
    # Quality points as integers over one common denominator: exact, and compared once per pair
    # without building Fractions (a million pairs at 1,000 bids).
    exact = [Fraction(b.quality.points) for b in bids]
    common = math.lcm(*(f.denominator for f in exact)) if exact else 1
    points = [f.numerator * (common // f.denominator) for f in exact]
    for i, a in enumerate(bids):
        for j, b in enumerate(bids):
            if i == j or b.rank is None or (a.rank is not None and a.rank <= b.rank):
                continue
            if not (points[i] > points[j] and a.price.amount < b.price.amount):
                continue
            if a.rank is None:
                reason = "excluded: " + "; ".join(f.message for f in a.exclusions)
            else:
                reason = (
                    f"social value: {a.social_value.score} against {b.social_value.score}"
                    " outweighs the quality and price lead"
                    if (a.social_value.score or 0) < (b.social_value.score or 0)
                    else "the published rounding and tie-break"
                )
            out.append(
                {
                    "better": a.bidder_id,
                    "loses_to": b.bidder_id,
                    "quality_points": [a.quality.points, b.quality.points],
                    "prices": [str(a.price.amount), str(b.price.amount)],
                    "totals": [
                        str(a.total_score) if a.total_score is not None else None,
                        str(b.total_score),
                    ],
                    "reason": reason,
                }
            )
    return out


def _ranks(result: Result) -> dict[str, int]:
    return {b.bidder_id: b.rank for b in result.bids if b.rank is not None}


def probe_bids(
    tender: Tender, bids: Sequence[Bid], result: Result
) -> list[tuple[str, Bid, list[Score]]]:
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
            if (
                quality is not None
                and quality.min_total_pct is not None
                and criterion in quality.criteria
            ):
                floor = max(floor, maximum * quality.min_total_pct / 100)
            rows.append(
                Score(
                    bidder=bidder_id,
                    criterion=criterion.id,
                    score=maximum if top else min(Decimal(math.ceil(floor)), maximum),
                )
            )
        return rows

    def probe(
        bidder_id: str,
        name: str,
        target: Fraction,
        top: bool,
        social_value: tuple[Commitment, ...] = (),
    ) -> tuple[Bid, list[Score]]:
        if tender.award_rule.model == "fixed_price":  # every bid is at the published price
            fields: dict[str, Any] = {"price": tender.contract_value}
        else:
            fields = price_fields(tender, target)
            if "price" in fields:
                fields["price"] = max(fields["price"], Decimal(1))
        rows = scores_for(bidder_id, top) + [
            gate_score(bidder_id, gate.id, "pass") for gate in tender.gates
        ]
        return Bid(
            bidder=Bidder(id=bidder_id, name=name), social_value=social_value, **fields
        ), rows

    references = relative_references(tender)
    if "P_min" in references:
        probes.append(
            (
                "a very cheap bid (60% of the lowest price) with the lowest passing scores",
                *probe("PROBE-LOW-PRICE", "Probe: low price", lowest * Fraction(3, 5), top=False),
            )
        )
    if "P_max" in references:
        probes.append(
            (
                "a very expensive bid (150% of the highest price) with the lowest passing scores",
                *probe(
                    "PROBE-HIGH-PRICE", "Probe: high price", highest * Fraction(3, 2), top=False
                ),
            )
        )
    if "T_best" in references:
        probes.append(
            (
                "a full-marks bid at 150% of the highest price",
                *probe(
                    "PROBE-TOP-QUALITY", "Probe: top quality", highest * Fraction(3, 2), top=True
                ),
            )
        )
    if (
        "SV_max" in references or "SV_per_price_max" in references
    ) and tender.measure_library is not None:
        best = max(
            (b for b in bids),
            key=lambda b: sum((Fraction(c.quantity) for c in b.social_value), Fraction(0)),
        )
        if best.social_value:
            tripled = tuple(
                c.model_copy(update={"quantity": c.quantity * 3}) for c in best.social_value
            )
            probes.append(
                (
                    "a bid offering three times the largest social value commitments, at 150% of the highest price",
                    *probe(
                        "PROBE-HIGH-SV",
                        "Probe: high social value",
                        highest * Fraction(3, 2),
                        top=False,
                        social_value=tripled,
                    ),
                )
            )
    return probes


def additions(
    tender: Tender, bids: Sequence[Bid], scores: Sequence[Score], result: Result
) -> list[dict[str, Any]]:
    """Add each probe bid in turn and report every pair of the original bids whose order changes."""
    before = _ranks(result)
    out = []
    for description, probe, probe_scores in probe_bids(tender, bids, result):
        after_result = evaluate(tender, [*bids, probe], [*scores, *probe_scores])
        probe_result = after_result.bid(probe.bidder.id)
        after = {k: v for k, v in _ranks(after_result).items() if k != probe.bidder.id}
        out.append(
            {
                "added": probe.bidder.id,
                "description": description,
                "price": str(probe_result.price.amount),
                "probe_rank": probe_result.rank,
                "winner_before": sorted(k for k, v in before.items() if v == 1),
                "leader_of_these_bids_after": sorted(
                    k for k, v in after.items() if v == min(after.values(), default=0)
                ),
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
    model = tender.award_rule.model
    if model in NOT_BY_TOTAL:
        return {
            "not_applicable": f"the award model {model} {NOT_BY_TOTAL[model]}, so the weights do"
            " not decide the ranking on their own",
            "blocks": [],
        }
    ranked = [b for b in result.bids if b.status == "ranked"]
    points = {
        "quality": [b.quality.score or Decimal(0) for b in ranked],
        "price": [b.price.score or Decimal(0) for b in ranked],
        "social_value": [b.social_value.score or Decimal(0) for b in ranked],
    }
    spreads = {
        name: Fraction(max(values) - min(values)) if values else Fraction(0)
        for name, values in points.items()
    }
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
                "spread_pct_of_declared": f"{float(spread * 100 / declared):.1f}"
                if declared
                else None,
                "weight_in_effect": f"{float(spread * 100 / total):.1f}" if total else None,
            }
        )
    prices = sorted(Fraction(b.price.amount) for b in ranked)
    per_percent = None
    if prices and tender.weights.price:
        median = prices[len(prices) // 2]
        w = Fraction(tender.weights.price)
        per_percent = price_points(tender.price, w, median, prices) - price_points(
            tender.price, w, median * Fraction(101, 100), prices
        )
    return {
        "note": "weight in effect = a block's spread of published scores among the ranked dummy bids as a share of all"
        " three spreads, out of 100",
        "blocks": blocks,
        "price_points_per_1pct_at_median": exact_text(per_percent)
        if per_percent is not None
        else None,
    }


def rounding_bands(tender: Tender, result: Result) -> dict[str, Any]:
    """For each ranked bid, the band of prices (to the penny) that all get its published price score.

    The other bids' prices stay fixed, and the band is kept inside the range where the reference
    values do not move (between the lowest and highest price; for reference_linear, floor to ceiling).
    """
    model = tender.award_rule.model
    if model in ("lowest_price_passing_quality", "fictitious_price"):
        return {
            "not_applicable": f"the award model {model} ranks on the exact"
            + (" fictitious price" if model == "fictitious_price" else " evaluated price")
            + ", so no price difference is hidden by the rounding of price scores",
            "bands": [],
            "widest": None,
        }
    ranked = [b for b in result.bids if b.status == "ranked"]
    if tender.weights.price == 0:
        why = {
            "fixed_price": "every bid is at the published price",
            "price_per_quality_point": "price divides the points instead",
        }
        return {
            "not_applicable": f"price is not scored ({why.get(model, 'its weight is 0')})",
            "bands": [],
            "widest": None,
        }
    if not ranked:
        return {"bands": [], "widest": None}
    prices = [Fraction(b.price.amount) for b in ranked]
    # The price formulas read only the lowest and highest price: pass those two, so each band stays
    # linear in the number of bids (as scoring/evaluate.py and the robustness analysis do).
    reference = [min(prices), max(prices)]
    block = tender.price
    if block.method == "reference_linear":
        assert block.ceiling is not None and block.floor is not None
        low, high = Fraction(block.floor), Fraction(block.ceiling)
    else:
        low, high = reference
    w = Fraction(tender.weights.price)

    def published(price: Fraction) -> Decimal:
        return round_fraction(
            price_points(block, w, price, reference), tender.rounding.places, tender.rounding.mode
        )

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


def competition_findings(competition: Competition) -> dict[str, Any]:
    """Every finding on one competition's dummy bids (a lot, or the whole tender)."""
    tender, bids, scores = competition.tender, competition.bids, competition.scores
    result = competition.evaluate()
    removal = rank_reversal(tender, bids, scores, result)
    findings: dict[str, Any] = {
        "dummy_bids": [
            {
                "bidder_id": b.bidder_id,
                "price": str(b.price.amount),
                "quality_points": b.quality.points,
                "social_value": str(b.social_value.total),
                "status": b.status,
                "rank": b.rank,
                "total_score": str(b.total_score) if b.total_score is not None else None,
                **({"value_ratio": b.value_ratio} if b.value_ratio is not None else {}),
                **({"exclusions": [e.code for e in b.exclusions]} if b.exclusions else {}),
            }
            for b in result.bids
        ],
        "better_but_losing": better_but_losing(result),
    }
    if tender.award_rule.model == "fixed_price":
        findings["better_but_losing_note"] = (
            "not applicable: every bid is at the published price, so no bid is cheaper than another"
        )
    findings.update(
        {
            "removals": removal["removals"],
            "additions": additions(tender, bids, scores, result),
            "relative_references": removal["relative_references"],
            "effective_weights": effective_weights(tender, result),
            "rounding_bands": rounding_bands(tender, result),
        }
    )
    return findings


def stress_report(tender: Tender, count: int = 8, seed: int = 0) -> dict[str, Any]:
    """The whole pre-publication test as JSON data (reproducible: no time, host or path).

    A tender with lots gets `count` dummy bids per lot and one set of findings per lot (`lots[]`).
    """
    bids, scores = dummy_bids(tender, count, seed)
    tested = stress_tender(tender)
    report: dict[str, Any] = {
        "about": "pre-publication test of the evaluation method on generated dummy bids (information for the buyer)",
        "engine": {"name": "svengine", "version": __version__},
        "tender": {"id": tender.id, "title": tender.title},
        "seed": seed,
        "award_model": tender.award_rule.model,
        "price_model": tender.price.model,
    }
    if tender.panel is not None:
        report["panel_note"] = PANEL_NOTE
    parts = competitions(tested, bids, scores)
    if tender.lots is None:
        report.update(competition_findings(parts[0]))
        return report
    report["lots"] = [
        {
            "lot": {"id": part.lot_id, "title": part.lot.title if part.lot else None},
            **competition_findings(part),
        }
        for part in parts
    ]
    return report


PANEL_NOTE = (
    "the dummy scores are agreed scores and the tender is evaluated without its panel block: the test is about the"
    " scoring method, which the panel's aggregation (consensus, mean or median) feeds with one agreed score per cell"
)


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


def stress_text(report: dict[str, Any], currency: str = "GBP") -> str:
    """The stress report for reading (lot by lot for a tender with lots)."""
    tender = report["tender"]
    lines = [f"Pre-publication test of {tender['id']}: {tender['title']}"]
    lines.append(f"Award model {report['award_model']}, price model {report['price_model']}")
    if "panel_note" in report:
        lines.append(f"Panel: {report['panel_note']}")
    if "lots" not in report:
        return "\n".join(lines + _findings_text(report, report["seed"], currency))
    for lot in report["lots"]:
        lines += ["", f"== Lot {lot['lot']['id']}: {lot['lot']['title']}"]
        lines += _findings_text(lot, report["seed"], currency)
    return "\n".join(lines)


def _findings_text(report: dict[str, Any], seed: int, currency: str) -> list[str]:
    bids = report["dummy_bids"]
    lines = [
        f"{len(bids)} dummy bids (seed {seed}): {sum(1 for b in bids if b['status'] == 'ranked')} ranked,"
        f" {sum(1 for b in bids if b['status'] == 'excluded')} excluded",
        "",
        "Better on quality and cheaper, yet losing:",
    ]
    better = report["better_but_losing"]
    if "better_but_losing_note" in report:
        lines.append(f"  {report['better_but_losing_note']}")
    else:
        lines += [f"  {p['better']} loses to {p['loses_to']}: {p['reason']}" for p in better] or [
            "  none"
        ]
    lines += ["", "Rank reversals when a bid is removed:"]
    if not report["relative_references"]:
        lines.append("  none possible: every formula is absolute")
    else:
        removed = [r for r in report["removals"] if r["changes"]]
        lines += [
            f"  without {r['removed']} (sets {', '.join(r['sets'])}): {_line_changes(r['changes'])}"
            for r in removed
        ] or ["  none"]
    lines += ["", "Rank reversals when a bid is added:"]
    added = [a for a in report["additions"] if a["changes"]]
    lines += [f"  adding {a['description']}: {_line_changes(a['changes'])}" for a in added] or [
        "  none"
    ]
    effective = report["effective_weights"]
    lines += [
        "",
        "Weights in effect among the dummy bids (share of the spread of published scores):",
    ]
    if "not_applicable" in effective:
        lines.append(f"  not applicable: {effective['not_applicable']}")
    for block in effective["blocks"]:
        lines.append(
            f"  {block['block']:<13} declared {block['declared_weight']:>6}"
            f"   spread {block['spread']:>8}   in effect {block['weight_in_effect'] or '-':>5}"
        )
    if effective.get("price_points_per_1pct_at_median") is not None:
        lines.append(
            "  a 1% higher price at the median costs"
            f" {quantity(Fraction(effective['price_points_per_1pct_at_median']))} price points"
        )
    bands = report["rounding_bands"]
    lines += ["", "Price differences hidden by rounding:"]
    widest = bands["widest"]
    if "not_applicable" in bands:
        lines.append(f"  not applicable: {bands['not_applicable']}")
    elif widest is None:
        lines.append("  none (no ranked bid inside the range where the reference prices stay put)")
    else:
        lines.append(
            f"  every price from {amount(Fraction(widest['from']), currency)} to"
            f" {amount(Fraction(widest['to']), currency)} scores"
            f" {widest['published_score']} (around {widest['bidder_id']}):"
            f" a difference of {amount(Fraction(widest['width']), currency)}"
            f" ({percent(Fraction(widest['width_pct_of_price']))} of the price)"
            " changes no published price score"
        )
    return lines
