"""Quality: criterion points, the quality total T, thresholds, and the block score."""

from __future__ import annotations

from fractions import Fraction

from svengine.model.tender import Criterion, Tender


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
    """w_c × score_c / max_c."""
    return weight_points * score / max_score


def quality_block_points(
    tender: Tender, weight: Fraction, total: Fraction, best: Fraction | None
) -> Fraction:
    """Absolute: T itself. Relative to best: W × T / T_best (0 when nobody scored anything)."""
    assert tender.quality is not None
    if tender.quality.method == "absolute":
        return total
    if not best:
        return Fraction(0)
    return weight * total / best
