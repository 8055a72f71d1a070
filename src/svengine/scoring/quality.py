"""Quality: criterion points, the quality total T, thresholds, and the block score."""

from __future__ import annotations

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
