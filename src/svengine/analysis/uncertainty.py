"""Score uncertainty: how often each bid would win if each score were one of its evaluators' scores.

For every bid and criterion with individual scores, a sample draws one of them uniformly; cells
with only an agreed score keep it. Each sample is then scored by the published method (thresholds,
reference values, weights, rounding, tie-break) and its winner counted.

This is information outside the decision, so it runs in binary floating point with numpy to be
fast (10,000 samples over 1,000 bids in seconds). The formulas, reference values and ranking
steps are not rewritten here: they are `svengine.scoring.rules`, evaluated over floats
(`FloatAlgebra`). Floats can put a figure within 5e-10 of a rounding boundary on the wrong side,
which is acceptable only because nothing here decides anything.
The samples come from a seeded PCG64 generator in fixed-size batches, so the same seed gives the same
figures on every machine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from svengine.model.bid import Bid
from svengine.model.scores import Score
from svengine.model.tender import Criterion, Tender
from svengine.scoring import rules
from svengine.scoring.price_models import evaluate_price
from svengine.scoring.quality import criterion_weight_points
from svengine.scoring.social_value import value_commitments
from svengine.scoring.weights import quantitative_weight

LABEL = (
    "information only: estimated by random sampling in binary floating point; it does not change the evaluation"
    " result, which follows the published method with exact arithmetic"
)
AGREED = (None, "consensus")
"""Evaluator values of agreed rows: no evaluator (one agreed score) or the panel's moderated `consensus` row."""
CLEAN_PLACES = 9
"""As the workbook's `report.formulas.CLEAN_PLACES`: figures are cleaned of binary noise first."""
BATCH = 1000
"""Samples drawn per batch; fixed, because the random stream depends on it."""
_EPSILON = 1e-9
"""Float products such as 0.29 × 100 land just below the integer; nudged before rounding down."""


def individual_scores(scores: Sequence[Score]) -> dict[tuple[str, str], list[Fraction]]:
    """Each bid × criterion's individual evaluators' scores (agreed and consensus rows left out)."""
    cells: dict[tuple[str, str], list[Fraction]] = defaultdict(list)
    for score in sorted(scores, key=lambda s: (s.bidder, s.criterion, s.evaluator or "")):
        if score.evaluator not in AGREED:
            cells[(score.bidder, score.criterion)].append(Fraction(score.score))
    return dict(cells)


def _agreed_scores(scores: Sequence[Score]) -> dict[tuple[str, str], Fraction]:
    cells: dict[tuple[str, str], Fraction] = {}
    for score in scores:
        if score.evaluator in AGREED:
            cells[(score.bidder, score.criterion)] = Fraction(score.score)
    return cells


def _round_units(values: NDArray[np.float64], places: int, mode: str) -> NDArray[np.int64]:
    """Published rounding, in whole units of the last published place (integers add up exactly).

    As the workbook's formulas do (`report.formulas.declared_rounding`): the scaled figure is first
    rounded to CLEAN_PLACES places, which removes binary noise (14.004999999999999 for 14.005),
    and only then rounded as declared; it can differ from the engine only for a figure closer than
    5e-10 to a rounding boundary without being on it (`formulas.spreadsheet_agrees`)."""
    scaled = np.round(values * 10.0**places, CLEAN_PLACES - places)
    if mode == "half_even":
        rounded = np.rint(scaled)
    elif mode == "half_up":
        rounded = np.floor(scaled + 0.5)
    else:
        rounded = np.floor(scaled)
    return rounded.astype(np.int64)


class FloatAlgebra:
    """`scoring.rules.Algebra` over binary floats (numpy arrays or Python floats)."""

    def const(self, value: Fraction) -> Any:
        return float(value)

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def sub(self, a: Any, b: Any) -> Any:
        return a - b

    def mul(self, a: Any, b: Any) -> Any:
        return a * b

    def div(self, a: Any, b: Any) -> Any:
        """a ÷ b; 0 where b is 0 (only in an `if_equal` branch that is not chosen)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(b == 0, 0.0, a / np.where(b == 0, 1.0, b))

    def minimum(self, a: Any, b: Any) -> Any:
        return np.minimum(a, b)

    def maximum(self, a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    def if_equal(self, a: Any, b: Any, then: Any, otherwise: Any) -> Any:
        return np.where(a == b, then, otherwise)


FLOATS = FloatAlgebra()


class _Model:
    """The tender's method over arrays: one row per sample, one column per bid."""

    def __init__(
        self,
        tender: Tender,
        bids: Sequence[Bid],
        scores: Sequence[Score],
        decided_out: Collection[str] = (),
    ):
        self.tender = tender
        self.bids = sorted(bids, key=lambda b: b.bidder.id)
        ids = [b.bidder.id for b in self.bids]
        # Failed gates and disregarded tenders are out in every sample: no score brings them back.
        self.decided_out = np.array([i in decided_out for i in ids], dtype=bool)
        individual = individual_scores(scores)
        agreed = _agreed_scores(scores)
        w_quality = Fraction(tender.weights.quality)
        self.criteria: list[
            tuple[
                Criterion, bool, float, float, float | None, NDArray[np.float64], NDArray[np.int64]
            ]
        ] = []
        for criterion, is_quality in [(c, True) for c in tender.quality_criteria] + [
            (c, False) for c in tender.social_value_criteria
        ]:
            options = [
                individual.get((i, criterion.id)) or [agreed[(i, criterion.id)]] for i in ids
            ]
            width = max(len(o) for o in options)
            table = np.array(
                [[float(x) for x in o] + [0.0] * (width - len(o)) for o in options],
                dtype=np.float64,
            )
            counts = np.array([len(o) for o in options], dtype=np.int64)
            weight = (
                criterion_weight_points(tender, criterion, w_quality)
                if is_quality
                else Fraction(criterion.weight)
            )
            minimum = float(criterion.min_score) if criterion.min_score is not None else None
            self.criteria.append(
                (
                    criterion,
                    is_quality,
                    float(weight),
                    float(tender.max_score(criterion)),
                    minimum,
                    table,
                    counts,
                )
            )
        self.sampled = sum(1 for *_, counts in self.criteria if counts.max() > 1)
        available = sum(
            (criterion_weight_points(tender, c, w_quality) for c in tender.quality_criteria),
            Fraction(0),
        )
        quality = tender.quality
        self.required = (
            float(available * Fraction(quality.min_total_pct) / 100)
            if quality is not None and quality.min_total_pct is not None and quality.criteria
            else None
        )
        self.prices = np.array(
            [float(evaluate_price(tender.price, b).evaluated) for b in self.bids], dtype=np.float64
        )
        social = [
            sum((c.value for c in value_commitments(tender, b)[0]), Fraction(0)) for b in self.bids
        ]
        self.social = np.array([float(v) for v in social], dtype=np.float64)
        self.ids = ids

    def winners(
        self, rng: np.random.Generator, count: int
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Over `count` samples: times each bid won alone (incl. by tie-break), shared first place, was excluded."""
        tender = self.tender
        shape = (count, len(self.bids))
        quality_total = np.zeros(shape)
        social_criteria = np.zeros(shape)
        excluded = np.broadcast_to(self.decided_out, shape).copy()
        deductions = np.zeros(shape)
        for criterion, is_quality, weight, maximum, minimum, table, counts in self.criteria:
            picks = np.floor(rng.random(shape) * counts).astype(np.int64)
            picked = table[np.arange(len(self.bids)), picks]
            points = weight * picked / maximum
            if is_quality:
                quality_total += points
                if criterion.money_value is not None:
                    money = {"m": float(criterion.money_value), "s": picked, "max": maximum}
                    deductions = deductions + rules.evaluate(rules.DEDUCTION, money, FLOATS)
            else:
                social_criteria += points
            if minimum is not None:
                excluded |= picked < minimum
        if self.required is not None:
            excluded |= quality_total < self.required - _EPSILON
        valid = ~excluded

        # Every formula, reference value and ranking step is scoring.rules, evaluated in floats.
        prices = np.broadcast_to(self.prices, shape)
        social_value = np.broadcast_to(self.social, shape)
        env: dict[str, Any] = {
            "T": quality_total,
            "P": prices,
            "SV": social_value,
            "SVPP": FLOATS.div(social_value, prices),
            "W_quality": float(tender.weights.quality),
            "W_price": float(tender.weights.price),
            "W_sv_quant": float(quantitative_weight(tender)),
            "ContractValue": float(tender.contract_value),
        }
        if tender.price.ceiling is not None and tender.price.floor is not None:
            env["Price_ceiling"] = float(tender.price.ceiling)
            env["Price_floor"] = float(tender.price.floor)
        sv = tender.social_value
        if sv is not None and sv.target_pct is not None:
            env["TargetPct"] = float(sv.target_pct)
        for reference, (kind, source) in rules.REFERENCE.items():
            fill = np.inf if kind == "min" else -np.inf
            masked = np.where(valid, env[source], fill)
            extreme = masked.min(axis=1) if kind == "min" else masked.max(axis=1)
            env[reference] = np.where(np.isfinite(extreme), extreme, 0.0)[:, None]
        zeros = np.zeros(shape)

        def figure(formula: rules.Expr) -> Any:
            return np.broadcast_to(rules.evaluate(formula, env, FLOATS), shape)

        quality = zeros if tender.quality is None else figure(rules.QUALITY[tender.quality.method])
        price = zeros if env["W_price"] == 0 else figure(rules.PRICE[tender.price.method])
        social = social_criteria
        if sv is not None and env["W_sv_quant"] != 0:
            social = social + figure(rules.SOCIAL_VALUE[sv.method])
        places, mode = tender.rounding.places, tender.rounding.mode
        published: dict[str, Any] = {
            "quality": _round_units(quality, places, mode),
            "price": _round_units(price, places, mode),
            "social_value": _round_units(social, places, mode),
        }
        published["total"] = published["quality"] + published["price"] + published["social_value"]
        published["price_amount"] = prices
        published["has_points"] = (published["total"] > 0).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            published["value_ratio"] = np.where(
                published["total"] > 0,
                prices / np.where(published["total"] > 0, published["total"], 1) * 10.0**places,
                0.0,
            )
        # fictitious_price: cleaned of binary noise as every figure is (9 places), then compared.
        published["fictitious_price"] = np.round(
            rules.evaluate(rules.FICTITIOUS_PRICE, {"P": prices, "D": deductions}, FLOATS),
            CLEAN_PLACES,
        )
        # Winners: the bids best on every step of the ranking in turn (rules.rank_keys).
        candidates = valid.copy()
        for step in rules.rank_keys(tender.award_rule.model, tender.tie_break):
            values = published[step.figure]
            if step.better == "higher":
                masked = np.where(candidates, values, -np.inf)
                candidates &= masked == masked.max(axis=1)[:, None]
            else:
                masked = np.where(candidates, values, np.inf)
                candidates &= masked == masked.min(axis=1)[:, None]
        sole = candidates.sum(axis=1) == 1
        return (
            (candidates & sole[:, None]).sum(axis=0).astype(np.float64),
            (candidates & ~sole[:, None]).sum(axis=0).astype(np.float64),
            excluded.sum(axis=0).astype(np.float64),
        )


def win_probabilities(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    samples: int,
    seed: int,
    decided_out: Collection[str] = (),
) -> dict[str, dict[str, float]]:
    """Each bid's share of samples won alone, first place shared, and excluded (floats in 0..1).

    `decided_out`: bids excluded before scoring (failed gates, disregarded tenders), out in every sample."""
    model = _Model(tender, bids, scores, decided_out)
    rng = np.random.Generator(np.random.PCG64(seed))
    won = np.zeros(len(model.ids))
    shared = np.zeros(len(model.ids))
    excluded = np.zeros(len(model.ids))
    done = 0
    while done < samples:
        count = min(BATCH, samples - done)
        a, b, c = model.winners(rng, count)
        won += a
        shared += b
        excluded += c
        done += count
    return {
        bidder: {
            "win": won[i] / samples,
            "shared_first": shared[i] / samples,
            "excluded": excluded[i] / samples,
        }
        for i, bidder in enumerate(model.ids)
    }


def score_uncertainty(
    tender: Tender,
    bids: Sequence[Bid],
    scores: Sequence[Score],
    *,
    samples: int = 10_000,
    seed: int = 0,
    decided_out: Collection[str] = (),
) -> dict[str, Any]:
    """The score-uncertainty section of robustness.json."""
    section: dict[str, Any] = {"information_only": True, "label": LABEL, "floating_point": True}
    individual = individual_scores(scores)
    if not any(len(v) > 1 for v in individual.values()):
        section["available"] = False
        section["note"] = (
            "all scores are agreed ones (no panel of individual scores with two or more evaluators on a cell),"
            " so there is no individual-score uncertainty to sample"
        )
        return section
    probabilities = win_probabilities(tender, bids, scores, samples, seed, decided_out)
    section.update(
        {
            "available": True,
            "method": "each bid × criterion score drawn uniformly from its evaluators' individual scores; cells without"
            " individual scores keep their agreed score; each sample scored by the published method and ranked by its"
            f" award model ({tender.award_rule.model}); failed gates and disregarded tenders stay out of every sample",
            "samples": samples,
            "seed": seed,
            "generator": "numpy PCG64, batches of 1000 samples",
            "sampling_error": f"at most ±{0.5 / samples**0.5:.4f} (one standard error of a probability)",
            "bids": [
                {
                    "bidder_id": bidder,
                    "win_probability": f"{p['win']:.4f}",
                    "shared_first_probability": f"{p['shared_first']:.4f}",
                    "excluded_probability": f"{p['excluded']:.4f}",
                }
                for bidder, p in sorted(
                    probabilities.items(), key=lambda item: (-item[1]["win"], item[0])
                )
            ],
        }
    )
    return section
