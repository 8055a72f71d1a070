"""The scoring core in columnar form: integer arrays in, exact published scores and ranks out.

For frameworks, portfolios and robustness sampling, where a per-bid loop over Fractions is too
slow. Every input number is a fixed-point integer (`SCALE` = 10**6 units per 1, the decimal
grammar's six places, so nothing is lost); every formula is kept as an exact rational
`numerator / denominator` of integer arrays, and the published rounding (half_up, half_even,
down) is done by integer division. No binary float decides any figure: floats only narrow down
which values need exact work (see `round_sum`) and the candidates for the highest social value
ratio, which is then chosen exactly.

    from svengine.scoring.columnar import score_columns, to_fixed
    scores = score_columns(tender, prices=to_fixed(prices), quality_scores=to_fixed(matrix),
                           social_values=to_fixed(sv_totals))
    scores.total[i] / 10**scores.places   # published total of bid i (an integer of 10**-places)
    scores.rank[i]                        # 1, 1, 3 ...; 0 for an excluded bid

The figures equal `svengine.evaluate` on the same inputs (tests/test_columnar.py checks this with
hypothesis). int64 is used while every intermediate provably fits; otherwise a figure is estimated
in floats and every value near a rounding boundary is redone with Python integers (`round_sum`):
never wrong, and nearly as fast. numpy is imported only by this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from svengine.model.tender import Criterion, Tender
from svengine.numbers import RoundingMode, round_fraction
from svengine.scoring.weights import quantitative_weight

SCALE = 10**6
_LIMIT = 2**62


def to_fixed(values: Any) -> np.ndarray:
    """Decimals (or decimal strings, ints) as fixed-point integers of 10**-6; raises if inexact."""
    array = np.asarray(values, dtype=object)
    out = np.empty(array.shape, dtype=object)
    for index, value in np.ndenumerate(array):
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


Factor = Any  # an int64 array of n values, or a Python int
Term = tuple[Sequence[Factor], Sequence[Factor]]
"""Π numerator factors / Π denominator factors, every factor ≥ 0 and the denominators > 0."""

_RELATIVE_MARGIN = 1e-12
"""How near a rounding boundary a float estimate must be to be redone exactly.

A term is at most 6 factors, each an exact integer turned into a float (relative error ≤ 2**-53)
and combined by ≤ 5 products or quotients, so its relative error is below 12 × 2**-53 ≈ 1.4e-15;
terms are never negative, so their sum keeps that bound. 1e-12 leaves a margin of about 700.
"""


def _product(factors: Sequence[Factor]) -> Factor:
    out: Factor = 1
    for factor in factors:
        out = out * factor
    return out


def round_sum(terms: Sequence[Term], n: int, places: int, mode: RoundingMode) -> np.ndarray:
    """Σ terms, rounded exactly to `places` by `mode`, as integers of 10**-places (n values).

    In int64 when every intermediate provably fits. Otherwise (large prices times large social
    values, say) the sum is estimated in floats and every value whose estimate lies within the
    error margin of a rounding boundary is redone with Python integers, so the result is exact
    either way and only a handful of values ever leave numpy.
    """
    bounds = [(_bound_product(nums), _bound_product(dens)) for nums, dens in terms]
    den_bound = 1
    for _, d in bounds:
        den_bound *= d
    num_bound = sum(nb * den_bound // max(db, 1) for nb, db in bounds)
    if num_bound * 10**places < _LIMIT and 2 * den_bound < _LIMIT:
        numerator: Factor = 0
        denominator: Factor = 1
        for index, (nums, _) in enumerate(terms):
            part = _product(nums)
            for other, (_, dens) in enumerate(terms):
                if other != index:
                    part = part * _product(dens)
            numerator = numerator + part
        for _, dens in terms:
            denominator = denominator * _product(dens)
        return round_rational(
            np.broadcast_to(np.asarray(numerator, dtype=np.int64), (n,)),
            np.asarray(denominator, dtype=np.int64),
            places,
            mode,
        )
    estimate = np.zeros(n)
    for nums, dens in terms:
        value: Any = 1.0
        for factor in nums:
            value = value * _as_float(factor)
        for factor in dens:
            value = value / _as_float(factor)
        estimate = estimate + value
    scaled = estimate * 10.0**places
    if mode == "down":
        rounded = np.floor(scaled)
        distance = np.minimum(scaled - rounded, rounded + 1 - scaled)
    else:
        rounded = np.floor(scaled + 0.5) if mode == "half_up" else np.rint(scaled)
        distance = np.abs(scaled - np.floor(scaled) - 0.5)
    result = rounded.astype(np.int64)
    for position in np.flatnonzero(distance <= _RELATIVE_MARGIN * (1.0 + scaled)):
        index = int(position)
        exact = sum(
            (Fraction(_product_at(nums, index), _product_at(dens, index)) for nums, dens in terms),
            Fraction(0),
        )
        result[index] = int(round_fraction(exact, places, mode).scaleb(places))
    return result


def _bound_product(factors: Sequence[Factor]) -> int:
    out = 1
    for factor in factors:
        out *= _bound(factor)
    return out


def _as_float(factor: Factor) -> Any:
    return factor.astype(np.float64) if isinstance(factor, np.ndarray) else float(factor)


def _product_at(factors: Sequence[Factor], index: int) -> int:
    out = 1
    for factor in factors:
        out *= int(factor[index]) if isinstance(factor, np.ndarray) else int(factor)
    return out


@dataclass(frozen=True)
class ColumnarScores:
    """Published figures as integers of 10**-places (divide by 10**places for the decimal)."""

    places: int
    excluded: np.ndarray
    """True where a min_score or the quality minimum excludes the bid (it then has no scores)."""
    quality: np.ndarray
    price: np.ndarray
    social_value: np.ndarray
    total: np.ndarray
    rank: np.ndarray
    """Competition ranks (1, 1, 3); 0 for excluded bids."""

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
) -> tuple[np.ndarray, int]:
    """Σ w_c × s_c / max_c for each bid, as numerators over one common denominator."""
    if not criteria:
        return np.zeros(n, dtype=np.int64), 1
    assert scores is not None and scores.shape[1] == len(criteria), (
        "one score column per criterion, in the tender's order"
    )
    factors = [w / Fraction(tender.max_score(c)) for c, w in zip(criteria, weights)]
    common = lcm(*(f.denominator for f in factors))
    total = np.zeros(n, dtype=np.int64)
    for column, factor in enumerate(factors):
        total = _add(
            total, _mul(scores[:, column], factor.numerator * (common // factor.denominator))
        )
    return total, common * SCALE


def _minimum_exclusions(
    criteria: Sequence[Criterion], scores: np.ndarray | None, n: int
) -> np.ndarray:
    excluded = np.zeros(n, dtype=bool)
    for column, criterion in enumerate(criteria):
        if criterion.min_score is not None and scores is not None:
            excluded |= scores[:, column] < int(criterion.min_score * SCALE)
    return excluded


def score_columns(
    tender: Tender,
    prices: np.ndarray,
    quality_scores: np.ndarray | None = None,
    social_values: np.ndarray | None = None,
    social_scores: np.ndarray | None = None,
) -> ColumnarScores:
    """Score n bids exactly as `svengine.evaluate` does, from fixed-point integer arrays.

    `prices`: n prices; `quality_scores`: n × (quality criteria) panel scores, columns in the
    tender's order; `social_values`: n social value £ totals (already valued with the library);
    `social_scores`: n × (social value criteria) scores. All in units of 10**-6 (`to_fixed`).
    Inputs are assumed checked (as `check_all` does for the object API).
    """
    prices = np.asarray(prices)
    n = prices.shape[0]
    w_quality, w_price = Fraction(tender.weights.quality), Fraction(tender.weights.price)
    w_quant = Fraction(quantitative_weight(tender))
    quality_criteria, social_criteria = tender.quality_criteria, tender.social_value_criteria
    percent = tender.quality is not None and tender.quality.weights_basis == "percent_of_block"
    q_weights = [
        w_quality * Fraction(c.weight) / 100 if percent else Fraction(c.weight)
        for c in quality_criteria
    ]
    t_num, t_den = _criteria_points(quality_criteria, q_weights, tender, quality_scores, n)

    excluded = _minimum_exclusions(quality_criteria, quality_scores, n) | _minimum_exclusions(
        social_criteria, social_scores, n
    )
    quality = tender.quality
    if quality is not None and quality.min_total_pct is not None and quality_criteria:
        required = (
            sum(q_weights, Fraction(0)) * Fraction(quality.min_total_pct) / 100
        )  # T < required, over t_den
        excluded |= _mul(t_num, required.denominator) < required.numerator * t_den
    valid = ~excluded
    places, mode = tender.rounding.places, tender.rounding.mode

    def published(*terms: Term) -> np.ndarray:
        return round_sum(terms, n, places, mode)

    zeros = np.zeros(n, dtype=np.int64)
    # Quality: absolute is T itself; relative to best is W × T / T_best (0 when the best is 0).
    if quality is None:
        q_pub = zeros
    elif quality.method == "absolute":
        q_pub = published(([t_num], [t_den]))
    else:
        best = int(np.max(t_num[valid])) if valid.any() else 0
        q_pub = (
            zeros
            if best == 0
            else published(([t_num, w_quality.numerator], [w_quality.denominator, best]))
        )

    # Price: the four formulas on the valid bids' lowest and highest price.
    p_pub = zeros
    if w_price != 0 and valid.any():
        wn, wd = w_price.numerator, w_price.denominator
        low, high = int(np.min(prices[valid])), int(np.max(prices[valid]))
        method = tender.price.method
        if method == "lowest_relative":
            p_pub = published(([wn, low], [wd, prices]))
        elif method == "min_max_linear":
            p_pub = (
                published(([wn], [wd]))
                if high == low
                else published(([high - prices, wn], [wd, high - low]))
            )
        elif method == "proportional_deviation":
            p_pub = published(([np.maximum(2 * low - prices, 0), wn], [wd, low]))
        else:
            assert tender.price.ceiling is not None and tender.price.floor is not None
            ceiling, floor = int(tender.price.ceiling * SCALE), int(tender.price.floor * SCALE)
            p_pub = published(
                ([np.clip(ceiling - prices, 0, ceiling - floor), wn], [wd, ceiling - floor])
            )

    # Social value: the £ part by the declared method, plus the qualitative criteria's points.
    s_pub = zeros
    block = tender.social_value
    if block is not None:
        c_num, c_den = _criteria_points(
            social_criteria, [Fraction(c.weight) for c in social_criteria], tender, social_scores, n
        )
        sv = np.asarray(social_values) if social_values is not None else zeros
        qn, qd = w_quant.numerator, w_quant.denominator
        terms: list[Term] = [([c_num], [c_den])]
        if w_quant != 0 and valid.any():
            if block.method == "target":
                assert block.target_pct is not None
                per = Fraction(100) / (
                    Fraction(tender.contract_value) * Fraction(block.target_pct) * SCALE
                )  # additionality ÷ target
                terms.append(
                    (
                        [np.minimum(_mul(sv, per.numerator), per.denominator), qn],
                        [qd, per.denominator],
                    )
                )
            elif block.method == "relative_to_highest":
                best = int(np.max(sv[valid]))
                if best:
                    terms.append(([sv, qn], [qd, best]))
            else:  # relative_to_highest_ratio: the highest SV ÷ price, found exactly
                ratios = sv.astype(float) / prices.astype(float)
                top = float(np.max(ratios[valid]))
                candidates = np.flatnonzero(valid & (ratios >= top * (1 - 1e-9)))
                best_index = max(candidates, key=lambda i: Fraction(int(sv[i]), int(prices[i])))
                best_sv, best_price = int(sv[best_index]), int(prices[best_index])
                if best_sv:
                    terms.append(([sv, qn, best_price], [prices, qd, best_sv]))
        s_pub = published(*terms)

    total = q_pub + p_pub + s_pub
    rank = _ranks(tender, valid, total, q_pub, p_pub, s_pub, prices)
    blank = np.where(excluded, 0, 1)
    return ColumnarScores(
        places, excluded, q_pub * blank, p_pub * blank, s_pub * blank, total * blank, rank
    )


def _ranks(
    tender: Tender,
    valid: np.ndarray,
    total: np.ndarray,
    quality: np.ndarray,
    price: np.ndarray,
    social: np.ndarray,
    prices: np.ndarray,
) -> np.ndarray:
    """Standard competition ranks by total, then the tie-break chain; unbroken ties share a rank."""
    keys = [-np.asarray(total)]
    for name in tender.tie_break:
        keys.append(
            np.asarray(prices)
            if name == "lowest_price"
            else -np.asarray({"quality": quality, "price": price, "social_value": social}[name])
        )
    indices = np.flatnonzero(valid)
    rank = np.zeros(len(valid), dtype=np.int64)
    if indices.size == 0:
        return rank
    columns = [k[indices] for k in keys]
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
