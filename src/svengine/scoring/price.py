"""Price scores: the four published formulas, exactly (defined once in `scoring.rules.PRICE`).

`W` is the price weight in points; `P_min` and `P_max` come from the bids still in the competition.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from svengine.model.tender import PriceBlock
from svengine.scoring import rules


def price_points(
    block: PriceBlock, weight: Fraction, price: Fraction, reference_prices: Sequence[Fraction]
) -> Fraction:
    """The unrounded price score of one price against the prices of the valid bids."""
    if weight == 0:
        return Fraction(0)
    formula = rules.PRICE.get(block.method)
    if formula is None:
        raise ValueError(f"unknown price method {block.method}")
    return rules.exact(formula)(price_names(block, weight, price, reference_prices))


def price_names(
    block: PriceBlock, weight: Fraction, price: Fraction, reference_prices: Sequence[Fraction]
) -> dict[str, Fraction]:
    """The values of the names the price formulas read."""
    env = {"W_price": weight, "P": price}
    if reference_prices:
        env["P_min"], env["P_max"] = min(reference_prices), max(reference_prices)
    if block.ceiling is not None and block.floor is not None:
        env["Price_ceiling"], env["Price_floor"] = Fraction(block.ceiling), Fraction(block.floor)
    return env
