"""Shared building blocks of the typed model: strict frozen models and exact decimal fields."""

from __future__ import annotations

import operator
import re
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

from svengine.numbers import exact_text, to_decimal


def _exact_decimal(value: Any) -> Decimal:
    # Runs before pydantic's own Decimal handling, so a binary float never gets in.
    return to_decimal(value)


Dec = Annotated[
    Decimal,
    BeforeValidator(_exact_decimal),
    # format(d, "f") (never an exponent), as a C callable: pydantic calls it for every decimal it
    # writes, millions of times for a large result (docs/performance.md).
    PlainSerializer(operator.methodcaller("__format__", "f"), return_type=str, when_used="json"),
]
"""An exact decimal input: JSON number or decimal string, at most 15 digits before and 6 after the point."""


_FRACTION_TEXT = re.compile(r"-?[0-9]+/[1-9][0-9]*")


def _exact_amount(value: Any) -> Decimal | Fraction:
    # A Fraction stays one; "numerator/denominator" text (as result.json writes it) becomes one again.
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and _FRACTION_TEXT.fullmatch(value):
        return Fraction(value)
    return to_decimal(value)


def _amount_text(value: Decimal | Fraction) -> str:
    return format(value, "f") if isinstance(value, Decimal) else exact_text(value)


ExactAmount = Annotated[
    Decimal | Fraction,
    BeforeValidator(_exact_amount),
    PlainSerializer(_amount_text, return_type=str, when_used="json"),
]
"""An engine figure that is a Decimal when it terminates and an exact Fraction when it does not
(`25/3`): the evaluated price of a whole-life tender that declares no rounding (docs/prices.md).
Written as decimal text, or as `numerator/denominator`; read back from either."""


class Model(BaseModel):
    """Frozen, strict about unknown fields: a misspelt key must never silently change a result."""

    model_config = ConfigDict(frozen=True, extra="forbid")
