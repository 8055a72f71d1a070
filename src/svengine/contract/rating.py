"""The KPI rating rule (docs/contracts.md) and the five ratings of reg. 39(5).

For a KPI where higher is better, with target T, approaching percentage a and inadequate percentage
i (defaults 5 and 20): `good` when value >= T; `approaching_target` when value >= T x (1 - a/100);
`requires_improvement` when value >= T x (1 - i/100); otherwise `inadequate`. Lower is better is the
mirror image (value <= T, <= T x (1 + a/100), <= T x (1 + i/100)). Boundaries are inclusive and the
arithmetic exact. `other` when no value is reported for the period and a reason is given.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal

Rating = Literal["good", "approaching_target", "requires_improvement", "inadequate", "other"]
Direction = Literal["higher", "lower"]
RATINGS: tuple[Rating, ...] = (
    "good",
    "approaching_target",
    "requires_improvement",
    "inadequate",
    "other",
)

CATEGORY: dict[Rating, str] = {
    "good": "Good",
    "approaching_target": "Approaching target",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    "other": "Other",
}
"""The reg. 39(5) category each rating is published as (the Contract Performance Notice, UK9)."""

DEFINITION: dict[Rating, str] = {
    "good": "Performance is meeting or exceeding the key performance indicators",
    "approaching_target": "Performance is close to meeting the key performance indicators",
    "requires_improvement": "Performance is below the key performance indicators",
    "inadequate": "Performance is significantly below the key performance indicators",
    "other": (
        "Performance cannot be described as good, approaching target, requires improvement"
        " or inadequate"
    ),
}
"""The description of each rating in the table of reg. 39(5). Sources: the first two rows word for
word from legislation.gov.uk/uksi/2024/692/regulation/39/made; the other three as Muckle LLP's
"Reporting on Contract Performance: Procurement Act 2023" gives the table ("KPIs" there spelt out
here). docs/contracts.md says so."""

ORDER: dict[Rating, int] = {
    "good": 0,
    "approaching_target": 1,
    "requires_improvement": 2,
    "inadequate": 3,
    "other": 4,
}

DEFAULT_APPROACHING_PCT = Decimal(5)
DEFAULT_INADEQUATE_PCT = Decimal(20)


def thresholds(
    target: Decimal, direction: Direction, approaching_pct: Decimal, inadequate_pct: Decimal
) -> tuple[Fraction, Fraction]:
    """The exact boundaries of `approaching_target` and `requires_improvement`."""
    sign = -1 if direction == "higher" else 1
    t = Fraction(target)
    return (
        t * (1 + sign * Fraction(approaching_pct) / 100),
        t * (1 + sign * Fraction(inadequate_pct) / 100),
    )


def rate(
    value: Decimal,
    target: Decimal,
    direction: Direction,
    approaching_pct: Decimal = DEFAULT_APPROACHING_PCT,
    inadequate_pct: Decimal = DEFAULT_INADEQUATE_PCT,
) -> Rating:
    """The rating of one reported value against its target (never `other`: see rate_period)."""
    approaching, inadequate = thresholds(target, direction, approaching_pct, inadequate_pct)
    v, t = Fraction(value), Fraction(target)
    if direction == "higher":
        if v >= t:
            return "good"
        if v >= approaching:
            return "approaching_target"
        if v >= inadequate:
            return "requires_improvement"
        return "inadequate"
    if v <= t:
        return "good"
    if v <= approaching:
        return "approaching_target"
    if v <= inadequate:
        return "requires_improvement"
    return "inadequate"


def worst(ratings: list[Rating]) -> Rating | None:
    """The worst of the measured ratings (`other` only when nothing was measured)."""
    measured = [r for r in ratings if r != "other"]
    if measured:
        return max(measured, key=ORDER.__getitem__)
    return "other" if ratings else None
