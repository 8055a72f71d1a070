"""Shared building blocks of the typed model: strict frozen models and exact decimal fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

from svengine.numbers import to_decimal


def _exact_decimal(value: Any) -> Decimal:
    # Runs before pydantic's own Decimal handling, so a binary float never gets in.
    return to_decimal(value)


Dec = Annotated[
    Decimal,
    BeforeValidator(_exact_decimal),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
]
"""An exact decimal input: JSON number or decimal string, at most 15 digits before and 6 after the point."""


class Model(BaseModel):
    """Frozen, strict about unknown fields: a misspelt key must never silently change a result."""

    model_config = ConfigDict(frozen=True, extra="forbid")
