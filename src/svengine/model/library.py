"""Measure libraries: TOMs-style themes, outcomes and measures with a unit and a £ proxy value."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field

from svengine.model._base import Dec, Model


class Measure(Model):
    """One measure: what a bidder can commit to, in which unit, and what one unit is worth."""

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
