"""The scoring core in columnar form: integer arrays in, exact published scores and ranks out.

For frameworks, portfolios and large tenders, where a per-bid loop over Fractions is too slow.
Every input number is a fixed-point integer (`SCALE` = 10**6 units per 1, the decimal grammar's
six places, so nothing is lost). The formulas are not written here: each is a rule of
`svengine.scoring.rules`, evaluated over `Rational` arrays (a numerator and a positive
denominator, int64 while every value provably fits, Python integers otherwise), and the published
rounding (half_up, half_even, down) is done by integer division. No binary float decides any
figure: floats only narrow down the candidates for a reference value (the highest social value
ratio), which is then chosen exactly.

    from svengine.scoring.columnar import score_columns, to_fixed
    scores = score_columns(tender, prices=to_fixed(prices), quality_scores=to_fixed(matrix),
                           social_values=to_fixed(sv_totals))
    scores.total[i] / 10**scores.places   # published total of bid i (an integer of 10**-places)
    scores.rank[i]                        # 1, 1, 3 ...; 0 for an excluded bid

One call scores one competition (a lot, or the whole tender); `award_columns` then appoints by
the award rule, with `scoring.award.appoint` as `svengine.evaluate` does. The inputs are the
figures after the per-bid steps: agreed scores (a panel's individual scores already aggregated),
evaluated prices (after the price model) and social value £ totals (after valuation and
moderation); gates and disregarded tenders are a `decided_out` mask. The figures, ranks and
awards equal `svengine.evaluate` on the same inputs (tests/test_rules_differential.py checks this
with hypothesis). numpy is imported only by this module and by the analysis modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from svengine.model.award_result import AwardEntry, BidAward
from svengine.model.tender import Criterion, Tender
from svengine.numbers import RoundingMode
from svengine.scoring import rules
from svengine.scoring.award import Contender, appoint, cutoff_figure
from svengine.scoring.quality import criterion_weight_points, required_quality
from svengine.scoring.weights import quantitative_weight

SCALE = 10**6
_LIMIT = 2**62


def to_fixed(values: Any) -> np.ndarray:
    """Decimals (or decimal strings, ints, Fractions) as fixed-point integers of 10**-6; raises
    ValueError if inexact: a whole-life price without declared rounding (`20000/207`) has no
    fixed-point form, and its competition is scored by `score_exact` (as `svengine.evaluate` does)."""
    array = np.asarray(values, dtype=object)
    out = np.empty(array.shape, dtype=object)
    for index, value in np.ndenumerate(array):
        if isinstance(value, Fraction):
            fraction = value * SCALE
            if fraction.denominator != 1:
                raise ValueError(f"{value} has no finite form in 6 decimal places")
            out[index] = fraction.numerator
            continue
        scaled = Decimal(value) * SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than 6 decimal places")
        out[index] = int(scaled)
    return _narrow(out)


def _narrow(array: np.ndarray) -> np.ndarray:
    """int64 when every value fits, else Python integers (exact either way)."""
    if array.size == 0 or int(np.max(np.abs(array))) < _LIMIT:
        return array.astype(np.int64)
    return array.astype(object)


def _bound(array: np.ndarray | int) -> int:
    if isinstance(array, np.ndarray):
        return int(np.max(np.abs(array))) if array.size else 0
    return abs(int(array))


def _mul(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
    """a × b exactly: int64 while the product provably fits, Python integers otherwise."""
    if _bound(a) * _bound(b) >= _LIMIT:
        a = a.astype(object) if isinstance(a, np.ndarray) else int(a)
        b = b.astype(object) if isinstance(b, np.ndarray) else int(b)
    return np.asarray(a * b)


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if _bound(a) + _bound(b) >= _LIMIT:
        return np.asarray(a.astype(object) + b.astype(object))
    return np.asarray(a + b)


def round_rational(
    numerator: np.ndarray, denominator: np.ndarray | int, places: int, mode: RoundingMode
) -> np.ndarray:
    """numerator / denominator (denominator > 0) rounded to `places`, as integers of 10**-places.

    The same rule as `svengine.numbers.round_fraction`: `down` truncates towards zero, `half_up`
    rounds halves away from zero, `half_even` to the even neighbour.
    """
    negative = numerator < 0
    magnitude = _mul(np.where(negative, -numerator, numerator), 10**places)
    denominator = np.asarray(denominator)
    whole, remainder = (
        magnitude // denominator,
        magnitude % denominator,
    )  # np.divmod has no object loop
    twice = _mul(remainder, 2)
    if mode != "down":
        up = twice > denominator
        tie = twice == denominator
        up = up | (tie if mode == "half_up" else tie & (whole % 2 == 1))
        whole = whole + up
    rounded: np.ndarray = np.where(negative, -whole, whole)
    return rounded


@dataclass(frozen=True)
class Rational:
    """numerator / denominator element by element; each an int or an integer array, denominator > 0."""

    num: Any
    den: Any


def _scalar(value: Any) -> bool:
    return not isinstance(value, np.ndarray)


_REDUCE_ABOVE = 2**40
"""Arrays are brought to lowest terms only once their values grow this large (a gcd per value costs
more than the arithmetic it saves while everything is small)."""


def _reduce(value: Rational) -> Rational:
    """Lowest terms where that is cheap (Python ints, or int64 arrays), to keep values in int64."""
    num, den = value.num, value.den
    if _scalar(num) and _scalar(den):
        f = Fraction(int(num), int(den))
        return Rational(f.numerator, f.denominator)
    if (
        isinstance(num, np.ndarray)
        and num.dtype == np.int64
        and (_scalar(den) or den.dtype == np.int64)
        and max(_bound(num), _bound(den)) >= _REDUCE_ABOVE
    ):
        common = np.gcd(num, den)
        common = np.where(common == 0, 1, common)
        return Rational(num // common, den // common)
    return value


def _plus(a: Any, b: Any) -> Any:
    if _scalar(a) and _scalar(b):
        return int(a) + int(b)
    if _bound(a) + _bound(b) >= _LIMIT:
        a = a.astype(object) if isinstance(a, np.ndarray) else int(a)
        b = b.astype(object) if isinstance(b, np.ndarray) else int(b)
    return a + b


def _times(a: Any, b: Any) -> Any:
    if _scalar(a) and _scalar(b):
        return int(a) * int(b)
    return _mul(a, b)


class RationalAlgebra:
    """`rules.Algebra` over exact rationals of integer arrays (see `Rational`)."""

    def const(self, value: Fraction) -> Rational:
        return Rational(value.numerator, value.denominator)

    def add(self, a: Rational, b: Rational) -> Rational:
        if _scalar(a.den) and _scalar(b.den):  # a common denominator keeps the numbers small
            common = lcm(int(a.den), int(b.den))
            return _reduce(
                Rational(
                    _plus(_times(a.num, common // a.den), _times(b.num, common // b.den)), common
                )
            )
        return _reduce(
            Rational(_plus(_times(a.num, b.den), _times(b.num, a.den)), _times(a.den, b.den))
        )

    def sub(self, a: Rational, b: Rational) -> Rational:
        return self.add(a, Rational(_times(b.num, -1), b.den))

    def mul(self, a: Rational, b: Rational) -> Rational:
        return _reduce(Rational(_times(a.num, b.num), _times(a.den, b.den)))

    def div(self, a: Rational, b: Rational) -> Rational:
        """a ÷ b; where b is 0 (only in an `if_equal` branch that is not chosen) the result is 0."""
        num, den = _times(a.num, b.den), _times(a.den, b.num)
        if _scalar(den):
            if den == 0:
                return Rational(0, 1)
            return _reduce(Rational(-num, -den) if den < 0 else Rational(num, den))
        sign = np.where(den < 0, -1, 1)
        zero = den == 0
        return _reduce(
            Rational(np.where(zero, 0, _times(num, sign)), np.where(zero, 1, _times(den, sign)))
        )

    def _choose(self, where: Any, a: Rational, b: Rational) -> Rational:
        if _scalar(where):
            return a if where else b
        return Rational(np.where(where, a.num, b.num), np.where(where, a.den, b.den))

    def minimum(self, a: Rational, b: Rational) -> Rational:
        return self._choose(_times(a.num, b.den) <= _times(b.num, a.den), a, b)

    def maximum(self, a: Rational, b: Rational) -> Rational:
        return self._choose(_times(a.num, b.den) >= _times(b.num, a.den), a, b)

    def if_equal(self, a: Rational, b: Rational, then: Rational, otherwise: Rational) -> Rational:
        return self._choose(_times(a.num, b.den) == _times(b.num, a.den), then, otherwise)


EXACT_ARRAYS = RationalAlgebra()


def fixed(values: np.ndarray) -> Rational:
    """Fixed-point integers of 10**-6 as exact rationals."""
    return _reduce(Rational(np.asarray(values), SCALE))


def extreme(values: Rational, valid: np.ndarray, kind: str) -> Rational:
    """The exact lowest (`min`) or highest (`max`) of `values` over the `valid` bids."""
    num = np.broadcast_to(np.asarray(values.num), valid.shape)
    if _scalar(values.den):  # one denominator: compare the numerators
        chosen = num[valid]
        pick = int(np.min(chosen)) if kind == "min" else int(np.max(chosen))
        return _reduce(Rational(pick, int(values.den)))
    # Floats narrow the candidates to those within 1e-9 of the extreme; they are then compared exactly.
    den = np.broadcast_to(np.asarray(values.den), valid.shape)
    estimate = num.astype(np.float64) / den.astype(np.float64)
    masked = estimate[valid]
    top = float(np.min(masked)) if kind == "min" else float(np.max(masked))
    near = valid & (np.abs(estimate - top) <= 1e-9 * max(abs(top), 1e-300))
    exact = [Fraction(int(num[i]), int(den[i])) for i in np.flatnonzero(near)]
    best = min(exact) if kind == "min" else max(exact)
    return Rational(best.numerator, best.denominator)


def _less(a: Rational, b: Rational) -> Any:
    return _times(a.num, b.den) < _times(b.num, a.den)


def published_units(value: Rational, n: int, places: int, mode: RoundingMode) -> np.ndarray:
    """A block rounded as declared, as integers of 10**-places (n values)."""
    num = np.broadcast_to(np.asarray(value.num), (n,))
    den = np.broadcast_to(np.asarray(value.den), (n,))
    return np.asarray(round_rational(num, den, places, mode))


@dataclass(frozen=True)
class ColumnarScores:
    """Published figures as integers of 10**-places (divide by 10**places for the decimal)."""

    places: int
    excluded: np.ndarray
    """True where a min_score, the quality minimum or a decision before scoring excludes the bid."""
    quality: np.ndarray
    price: np.ndarray
    social_value: np.ndarray
    total: np.ndarray
    rank: np.ndarray
    """Competition ranks (1, 1, 3) by the award model and tie-break chain; 0 for excluded bids."""
    prices: np.ndarray
    """The evaluated prices as given (10**-6 units): what lowest price and price ÷ points read."""
    fictitious: list[Fraction] | None = None
    """award model fictitious_price: each bid's fictitious price, exact (`rules.FICTITIOUS_PRICE`)."""

    def fictitious_price(self, index: int) -> Fraction | None:
        return self.fictitious[index] if self.fictitious is not None else None

    def decimal(self, figure: str, index: int) -> Decimal | None:
        """One published figure as a Decimal, as result.json has it (None for an excluded bid)."""
        if self.excluded[index]:
            return None
        return Decimal(f"{int(getattr(self, figure)[index])}E-{self.places}")


def _criteria_points(
    criteria: Sequence[Criterion],
    weights: Sequence[Fraction],
    tender: Tender,
    scores: np.ndarray | None,
    n: int,
) -> Rational:
    """Σ `rules.CRITERION_POINTS` over the criteria, for each bid."""
    total = Rational(np.zeros(n, dtype=np.int64), 1)
    if not criteria:
        return total
    assert scores is not None and scores.shape[1] == len(criteria), (
        "one score column per criterion, in the tender's order"
    )
    for column, (criterion, weight) in enumerate(zip(criteria, weights, strict=True)):
        env = {
            "w": EXACT_ARRAYS.const(weight),
            "s": fixed(scores[:, column]),
            "max": EXACT_ARRAYS.const(Fraction(tender.max_score(criterion))),
        }
        total = EXACT_ARRAYS.add(total, rules.evaluate(rules.CRITERION_POINTS, env, EXACT_ARRAYS))
    return total


def _deductions(
    criteria: Sequence[Criterion], tender: Tender, scores: np.ndarray | None, n: int
) -> Rational:
    """fictitious_price: Σ `rules.DEDUCTION` (money_value × score / max) over the criteria."""
    total = Rational(np.zeros(n, dtype=np.int64), 1)
    for column, criterion in enumerate(criteria):
        if criterion.money_value is None or scores is None:
            continue
        env = {
            "m": EXACT_ARRAYS.const(Fraction(criterion.money_value)),
            "s": fixed(scores[:, column]),
            "max": EXACT_ARRAYS.const(Fraction(tender.max_score(criterion))),
        }
        total = EXACT_ARRAYS.add(total, rules.evaluate(rules.DEDUCTION, env, EXACT_ARRAYS))
    return total


def _minimum_exclusions(
    criteria: Sequence[Criterion], scores: np.ndarray | None, n: int
) -> np.ndarray:
    excluded = np.zeros(n, dtype=bool)
    for column, criterion in enumerate(criteria):
        if criterion.min_score is not None and scores is not None:
            excluded |= scores[:, column] < int(criterion.min_score * SCALE)
    return excluded


def _figures(
    tender: Tender, points: Rational, prices: Rational, social: Rational
) -> dict[str, Rational]:
    """The names the rules read: each bid's own figures (T, P, SV, SVPP) and the tender's weights."""
    algebra = EXACT_ARRAYS
    env: dict[str, Rational] = {
        "T": points,
        "P": prices,
        "W_quality": algebra.const(Fraction(tender.weights.quality)),
        "W_price": algebra.const(Fraction(tender.weights.price)),
        "W_sv_quant": algebra.const(Fraction(quantitative_weight(tender))),
        "ContractValue": algebra.const(Fraction(tender.contract_value)),
    }
    if tender.price.ceiling is not None and tender.price.floor is not None:
        env["Price_ceiling"] = algebra.const(Fraction(tender.price.ceiling))
        env["Price_floor"] = algebra.const(Fraction(tender.price.floor))
    block = tender.social_value
    if block is not None:
        env["SV"] = social
        env["SVPP"] = rules.evaluate(rules.SVPP_RULE, env, algebra)
        if block.target_pct is not None:
            env["TargetPct"] = algebra.const(Fraction(block.target_pct))
    return env


def block_values(
    tender: Tender, env: dict[str, Rational], social_points: Rational, valid: np.ndarray
) -> dict[str, Rational]:
    """Each block's exact (unrounded) points, and the social value £ part ("quantitative"), for
    every bid, with the reference values (`rules.REFERENCE`) taken over the `valid` bids (at least
    one). `env`: `_figures`; `social_points`: Σ of the social value criteria's points."""
    algebra = EXACT_ARRAYS
    for reference, (kind, figure) in rules.REFERENCE.items():
        if figure in env:
            env[reference] = extreme(env[figure], valid, kind)
    zero = Rational(0, 1)
    quality = tender.quality
    values = {
        "quality": zero
        if quality is None
        else rules.evaluate(rules.QUALITY[quality.method], env, algebra),
        "price": zero
        if tender.weights.price == 0
        else rules.evaluate(rules.PRICE[tender.price.method], env, algebra),
        "social_value": zero,
        "quantitative": zero,
    }
    block = tender.social_value
    if block is not None:
        if quantitative_weight(tender) != 0:
            values["quantitative"] = rules.evaluate(rules.SOCIAL_VALUE[block.method], env, algebra)
        values["social_value"] = algebra.add(social_points, values["quantitative"])
    return values


def exact_columns(values: Sequence[Fraction]) -> Rational:
    """Exact fractions as a `Rational` of integer arrays (one denominator when they share it)."""
    nums = _narrow(np.array([v.numerator for v in values], dtype=object))
    dens = [v.denominator for v in values]
    if dens and all(d == dens[0] for d in dens):
        return Rational(nums, dens[0])
    return Rational(nums, _narrow(np.array(dens, dtype=object)))


@dataclass(frozen=True)
class ExactBlocks:
    """`score_exact`'s answer: each block's exact points and published figure, bid by bid."""

    places: int
    values: dict[str, Rational]
    """"quality", "price", "social_value" (unrounded) and "quantitative" (the £ part)."""
    units: dict[str, np.ndarray]
    """Each block as published, in integers of 10**-places."""

    def fractions(self, block: str, n: int) -> list[Fraction]:
        """One block's exact points as Fractions, bid by bid (what the explanations show)."""
        value = self.values[block]
        nums = np.broadcast_to(np.asarray(value.num), (n,)).tolist()
        dens = np.broadcast_to(np.asarray(value.den), (n,)).tolist()
        return [Fraction(int(a), int(b)) for a, b in zip(nums, dens, strict=True)]


def score_exact(
    tender: Tender,
    quality_points: Sequence[Fraction],
    prices: Sequence[Fraction],
    social_values: Sequence[Fraction],
    social_points: Sequence[Fraction],
) -> ExactBlocks:
    """The block scores of a competition's bids still in it (none excluded, at least one), from the
    exact figures the per-bid steps made: quality points T, evaluated prices, social value £ and the
    social value criteria's points. `svengine.evaluate` scores large tenders this way; the blocks
    equal its per-bid exact path (`rules.exact`) value for value."""
    n = len(prices)
    env = _figures(
        tender, exact_columns(quality_points), exact_columns(prices), exact_columns(social_values)
    )
    values = block_values(tender, env, exact_columns(social_points), np.ones(n, dtype=bool))
    places, mode = tender.rounding.places, tender.rounding.mode
    units = {block: published_units(values[block], n, places, mode) for block in rules.BLOCKS}
    return ExactBlocks(places, values, units)


def score_columns(
    tender: Tender,
    prices: np.ndarray,
    quality_scores: np.ndarray | None = None,
    social_values: np.ndarray | None = None,
    social_scores: np.ndarray | None = None,
    decided_out: np.ndarray | None = None,
) -> ColumnarScores:
    """Score one competition's n bids by the rules `svengine.evaluate` uses (`scoring.rules`).

    `prices`: n evaluated prices; `quality_scores`: n × (quality criteria) agreed scores, columns
    in the tender's order; `social_values`: n social value £ totals (already valued with the
    library and moderated); `social_scores`: n × (social value criteria) agreed scores. All in
    units of 10**-6 (`to_fixed`). `decided_out`: n booleans, bids out before scoring (failed
    gates, disregarded tenders). For a lot, pass `scoring.lots.lot_tender(tender, lot)` and that
    lot's bids. Inputs are assumed checked (as `check_all` does for the object API).
    """
    prices = np.asarray(prices)
    n = prices.shape[0]
    if n == 0:  # a lot nobody bid for
        empty = np.zeros(0, dtype=np.int64)
        places = tender.rounding.places
        return ColumnarScores(places, empty.astype(bool), empty, empty, empty, empty, empty, prices)
    algebra = EXACT_ARRAYS
    w_quality = Fraction(tender.weights.quality)
    quality_criteria, social_criteria = tender.quality_criteria, tender.social_value_criteria
    q_weights = [criterion_weight_points(tender, c, w_quality) for c in quality_criteria]
    points = _criteria_points(quality_criteria, q_weights, tender, quality_scores, n)

    excluded = _minimum_exclusions(quality_criteria, quality_scores, n) | _minimum_exclusions(
        social_criteria, social_scores, n
    )
    if decided_out is not None:
        excluded |= np.asarray(decided_out, dtype=bool)
    quality = tender.quality
    if quality is not None and quality.min_total_pct is not None and quality_criteria:
        required = required_quality(sum(q_weights, Fraction(0)), Fraction(quality.min_total_pct))
        excluded |= np.broadcast_to(_less(points, algebra.const(required)), (n,))
    valid = ~excluded
    places, mode = tender.rounding.places, tender.rounding.mode
    zeros = np.zeros(n, dtype=np.int64)
    social = _criteria_points(
        social_criteria, [Fraction(c.weight) for c in social_criteria], tender, social_scores, n
    )
    if valid.any():
        sv = social_values if social_values is not None else zeros
        values = block_values(
            tender, _figures(tender, points, fixed(prices), fixed(sv)), social, valid
        )
        q_pub, p_pub, s_pub = (
            published_units(values[block], n, places, mode) for block in rules.BLOCKS
        )
    else:
        q_pub = p_pub = s_pub = zeros
    total = q_pub + p_pub + s_pub
    figures: dict[str, Any] = {
        "total": total,
        "quality": q_pub,
        "price": p_pub,
        "social_value": s_pub,
    }
    fictitious = None
    if tender.award_rule.model == "fictitious_price":
        deductions = _deductions(quality_criteria, tender, quality_scores, n)
        value = rules.evaluate(
            rules.FICTITIOUS_PRICE, {"P": fixed(prices), "D": deductions}, algebra
        )
        num = np.broadcast_to(np.asarray(value.num), (n,))
        den = np.broadcast_to(np.asarray(value.den), (n,))
        fictitious = [Fraction(int(a), int(b)) for a, b in zip(num, den, strict=True)]
        figures["fictitious_price"] = fictitious
    rank = _ranks(tender, valid, figures, prices)
    blank = np.where(excluded, 0, 1)
    return ColumnarScores(
        places,
        excluded,
        q_pub * blank,
        p_pub * blank,
        s_pub * blank,
        total * blank,
        rank,
        prices,
        fictitious,
    )


def _ranks(
    tender: Tender, valid: np.ndarray, figures: dict[str, Any], prices: np.ndarray
) -> np.ndarray:
    """Competition ranks by `rules.rank_keys` (the award model's lead, then the tie-break chain)."""
    steps = rules.rank_keys(tender.award_rule.model, tender.tie_break)
    indices = np.flatnonzero(valid)
    rank = np.zeros(len(valid), dtype=np.int64)
    if indices.size == 0:
        return rank
    total = figures["total"]
    columns: list[Any] = []
    for step in steps:
        if step.figure == "value_ratio":  # price ÷ total, exact: ranked in Python below
            columns.append(
                [
                    rules.value_ratio(Fraction(int(prices[i])), Fraction(int(total[i])))
                    or Fraction(0)
                    for i in indices
                ]
            )
            continue
        if step.figure == "fictitious_price":  # exact Fractions: ranked in Python below
            columns.append([figures["fictitious_price"][i] for i in indices])
            continue
        if step.figure == "price_amount":
            column = np.asarray(prices)[indices]
        elif step.figure == "has_points":
            column = (total[indices] > 0).astype(np.int64)
        else:
            column = np.asarray(figures[step.figure])[indices]
        columns.append(column if step.better == "lower" else -column)
    if any(isinstance(c, list) for c in columns):
        keys = [tuple(c[j] for c in columns) for j in range(indices.size)]
        ids = [f"{int(i):020d}" for i in indices]  # the caller's order stands for the bidder ids
        rank[indices] = rules.competition_ranks(keys, ids)
        return rank
    order = np.lexsort(columns[::-1])  # lexsort sorts by the last key first
    sorted_keys = [c[order] for c in columns]
    starts = np.ones(order.size, dtype=bool)
    for column in sorted_keys:
        starts[1:] &= column[1:] == column[:-1]
    new_group = ~starts
    new_group[0] = True
    positions = np.arange(1, order.size + 1)
    group_rank = np.maximum.accumulate(np.where(new_group, positions, 0))
    rank[indices[order]] = group_rank
    return rank


def award_columns(
    tender: Tender, lots: Sequence[tuple[str | None, Sequence[str], ColumnarScores]]
) -> tuple[dict[tuple[str | None, str], BidAward], list[AwardEntry]]:
    """The award rule applied to scored competitions, by `scoring.award.appoint` (as evaluate
    does): each entry is (lot id or None, the bidder ids in the arrays' order, the lot's scores)."""
    contenders = []
    for lot, ids, scores in lots:
        for index, bidder in enumerate(ids):
            total = scores.decimal("total", index)
            rank = int(scores.rank[index]) or None
            price = Fraction(int(scores.prices[index]), SCALE)
            contenders.append(
                Contender(
                    lot=lot,
                    bidder_id=bidder,
                    rank=rank,
                    total_score=total,
                    cutoff=cutoff_figure(
                        tender, rank, total, price, scores.fictitious_price(index)
                    ),
                )
            )
    return appoint(tender, contenders)
