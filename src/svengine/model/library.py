"""Measure libraries: TOMs-style themes, outcomes and measures with a unit and a £ proxy value."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field

from svengine.model._base import Dec, Model

DEFLATOR_FIELDS = (
    "deadweight_pct",
    "attribution_pct",
    "displacement_pct",
    "leakage_pct",
    "drop_off_pct",
)
"""The deflators that net a gross proxy value down (docs/methods-net.md), in the order applied."""


class Deflators(Model):
    """Impact-practice deflators, each a % from 0 to 100 (None: not declared, i.e. 0).

    net = gross × (1 − deadweight) × (1 − attribution) × (1 − displacement) × (1 − leakage), and
    each year after the first is worth (1 − drop_off) of the year before (HCA Additionality Guide,
    SROI). A tender's `social_value.deflators` override a measure's, field by field.
    """

    deadweight_pct: Dec | None = None
    """% of the outcome that would have happened anyway."""
    attribution_pct: Dec | None = None
    """% of the outcome owed to others (partners, other funding)."""
    displacement_pct: Dec | None = None
    """% of the outcome that only moves benefit from elsewhere."""
    leakage_pct: Dec | None = None
    """% of the benefit that goes to people outside the intended area or group."""
    drop_off_pct: Dec | None = None
    """% by which each year after the first is worth less than the year before."""

    @property
    def declared(self) -> bool:
        return any(getattr(self, name) is not None for name in DEFLATOR_FIELDS)


class Measure(Deflators):
    """One measure: what a bidder can commit to, in which unit, and what one unit is worth.

    The deflator fields (inherited) are optional: without them net = gross (docs/methods-net.md).
    """

    id: str
    theme: str
    outcome: str
    title: str
    unit: str
    proxy_value: Dec | None = None
    basis: Literal["per_year", "total"] = "per_year"
    first_year_only: bool = False
    record_only: bool = False
    description: str | None = None
    exclusive_with: tuple[str, ...] = ()
    """Measures that count the same benefit: claiming both together is flagged."""

    @property
    def deflators(self) -> Deflators:
        return Deflators(**{name: getattr(self, name) for name in DEFLATOR_FIELDS})


class MeasureLibrary(Model):
    """A versioned set of measures, loaded from the buyer's file (never built into the code)."""

    model_config = Model.model_config | {"ignored_types": (cached_property,)}

    id: str
    version: str
    currency: str
    licence: str
    description: str | None = None
    measures: tuple[Measure, ...] = Field(min_length=1)

    @cached_property
    def by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}
