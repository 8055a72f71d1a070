"""Plain words for the codes of result.json, for documents people sign (award report, summaries).

result.json keeps its stable codes (`lowest_relative`, `appoint_all`, `below_cutoff`, `sme`); what
a committee reads says what they mean. A code this table does not know is shown with its
underscores as spaces, never dropped.
"""

from __future__ import annotations

AWARD_MODELS = {
    "weighted": "the highest total score wins",
    "price_per_quality_point": (
        "the lowest price per point of quality and social value wins (price ÷ points)"
    ),
    "lowest_price_passing_quality": (
        "the lowest price among tenders that pass every quality threshold wins"
    ),
    "fixed_price": (
        "every tender is at the published price; the highest quality and social value score wins"
    ),
}

METHODS = {
    "absolute": "scored against the published scale",
    "relative_to_best": "relative to the best quality score",
    "lowest_relative": "lowest price scores full marks, others in proportion",
    "min_max_linear": "straight line from the lowest to the highest price",
    "proportional_deviation": "points lost in proportion to the distance from the lowest price",
    "reference_linear": "straight line against a published reference price",
    "relative_to_highest": "highest social value offered scores full marks, others in proportion",
    "relative_to_highest_ratio": (
        "highest social value per pound of price scores full marks, others in proportion"
    ),
    "target": "points in proportion to the published social value target",
}

CUTOFF_TIES = {
    "appoint_all": "every tender level with the last place is appointed",
    "tie_break": "the published tie-break decides",
}

ALLOCATION = {
    "lot_order": "lots in their published order",
    "lot_value_desc": "highest contract value first",
}

REGIMES = {
    "pa2023": "Procurement Act 2023",
    "pcr2015": "Public Contracts Regulations 2015",
    "pcsr2015": "Public Contracts (Scotland) Regulations 2015",
}

AUTHORITIES = {
    "central_government": "central government",
    "local_government": "local government",
    "other": "other contracting authority",
}

SIZES = {
    "micro": "micro business",
    "sme": "small or medium-sized",
    "large": "large",
    "unknown": "not known",
}

OUTCOMES = {"appointed": "appointed", "not_appointed": "not appointed", "excluded": "excluded"}

REASONS = {
    "lot_limit_reached": "already holds the most lots a supplier may win",
    "below_cutoff": "not among the places awarded",
}

STATUS = {"ranked": "ranked", "excluded": "excluded"}


def word(table: dict[str, str], code: str | None, missing: str = "none") -> str:
    """The plain words for `code` in `table` (`missing` for None; an unknown code spaced out)."""
    if code is None:
        return missing
    return table.get(code, code.replace("_", " "))
