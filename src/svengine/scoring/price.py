"""Price scores: the four published formulas, exactly.

`W` is the price weight in points; `P_min` and `P_max` come from the bids still in the competition.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from svengine.model.tender import PriceBlock


def price_points(
    block: PriceBlock, weight: Fraction, price: Fraction, reference_prices: Sequence[Fraction]
) -> Fraction:
    """The unrounded price score of one price against the prices of the valid bids."""
    if weight == 0:
        return Fraction(0)
    if block.method == "reference_linear":
        assert block.ceiling is not None and block.floor is not None
        ceiling, floor = Fraction(block.ceiling), Fraction(block.floor)
        share = (ceiling - price) / (ceiling - floor)
        return weight * min(max(share, Fraction(0)), Fraction(1))
    lowest, highest = min(reference_prices), max(reference_prices)
    if block.method == "lowest_relative":
        return weight * lowest / price
    if block.method == "min_max_linear":
        if highest == lowest:
            return weight  # every valid bid at the same price gets full marks (Consip rule)
        return weight * (highest - price) / (highest - lowest)
    if block.method == "proportional_deviation":
        return weight * max(Fraction(0), 1 - (price - lowest) / lowest)
    raise ValueError(f"unknown price method {block.method}")
