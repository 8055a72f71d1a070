"""How the tender's weights divide its points (pure): the social value block's £ part and criteria."""

from __future__ import annotations

from decimal import Decimal

from svengine.model.tender import Tender


def quantitative_weight(tender: Tender) -> Decimal:
    """Points of the social value block given to the £ part (the rest goes to its criteria)."""
    block = tender.social_value
    if block is None:
        return Decimal(0)
    if block.quantitative_weight is not None:
        return block.quantitative_weight
    return tender.weights.social_value - sum((c.weight for c in block.criteria), Decimal(0))
