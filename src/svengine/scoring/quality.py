"""Quality: criterion points, the quality total T, thresholds, and the block score."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from svengine.model.tender import Criterion, Tender
from svengine.scoring import rules


def criterion_weight_points(
    tender: Tender, criterion: Criterion, block_weight: Fraction
) -> Fraction:
    """A criterion's weight in points of the total (converted when declared as % of the block)."""
    if (
        tender.quality is not None
        and tender.quality.weights_basis == "percent_of_block"
        and criterion in tender.quality.criteria
    ):
        return block_weight * Fraction(criterion.weight) / 100
    return Fraction(criterion.weight)


def criterion_points(weight_points: Fraction, score: Fraction, max_score: Fraction) -> Fraction:
    """w_c × score_c / max_c (`rules.CRITERION_POINTS`)."""
    return _criterion_points({"w": weight_points, "s": score, "max": max_score})


_criterion_points = rules.exact(rules.CRITERION_POINTS)


def required_quality(available: Fraction, min_total_pct: Fraction) -> Fraction:
    """The quality points a bid needs (`rules.REQUIRED_QUALITY`)."""
    return rules.exact(rules.REQUIRED_QUALITY)({"A": available, "min_total_pct": min_total_pct})


def quality_block_points(
    tender: Tender, weight: Fraction, total: Fraction, best: Fraction | None
) -> Fraction:
    """Absolute: T itself. Relative to best: W × T / T_best (0 when nobody scored anything)."""
    assert tender.quality is not None
    formula = rules.exact(rules.QUALITY[tender.quality.method])
    return formula({"T": total, "T_best": best or Fraction(0), "W_quality": weight})


_deduction = rules.exact(rules.DEDUCTION)
_fictitious = rules.exact(rules.FICTITIOUS_PRICE)


def deduction(tender: Tender, criterion: Criterion, score: Decimal | Fraction) -> Fraction:
    """fictitious_price: what the mark on `criterion` is worth in money, m × score / max
    (`rules.DEDUCTION`); 0 for a criterion without a money_value."""
    if criterion.money_value is None:
        return Fraction(0)
    return _deduction(
        {
            "m": Fraction(criterion.money_value),
            "s": Fraction(score),
            "max": Fraction(tender.max_score(criterion)),
        }
    )


def total_deduction(
    tender: Tender, marks: Iterable[tuple[Criterion, Decimal | Fraction]]
) -> Fraction:
    """D: the sum of the quality criteria's deductions."""
    return sum((deduction(tender, c, score) for c, score in marks), Fraction(0))


def fictitious_price(price: Fraction, deductions: Fraction) -> Fraction:
    """The evaluated price less the deductions (`rules.FICTITIOUS_PRICE`), exact; may be negative."""
    return _fictitious({"P": price, "D": deductions})
