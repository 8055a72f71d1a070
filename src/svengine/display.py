"""Numbers in text: the one place every text output formats a figure or an amount.

Two families, one module:

- **For people** (`amount`, `percent`, `score`, `quantity`, `readable`): the terminal, Markdown,
  HTML and workbook labels. Money with its currency symbol and thousands separators to 2 places
  (`£4,395,000.00`, `-£1,234.50`, `1,200.00 CHF` where no symbol is known), percentages to 2
  places (`35.71%`), scores to the tender's declared places, other quantities to at most 2 places
  with trailing zeros dropped (`600,000`, `0.32`, `3.67`). Never a fraction, never `…`. Every
  figure is rounded exactly from the exact value, **half up** (a half goes away from zero:
  `0.125` → `0.13`, `-0.125` → `-0.13`), whatever the tender's rounding mode: the tender's mode
  decides the published scores, which are shown as published.
- **For the record** (`figure`, `money`, `grouped`): the working texts and flag messages stored in
  result.json (scoring/explain.py, flags, award messages) and the methodology's formulas. Exact: a
  value that terminates within six places is written in full, with thousands separators; anything
  else to six places (cut, never rounded up) and `…`. Their bytes are pinned
  (tests/test_result_bytes.py), so they keep this form; `readable()` turns such a recorded text
  into the people's form when it is shown to a person.

Data text (result.json numbers, CSV) is neither: it is written by `svengine.numbers.decimal_text`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from svengine.numbers import (
    round_fraction,
    round_ratio,
    terminating_places,
    to_exact_decimal,
    trim_fixed_point,
)

DISPLAY_PLACES = 6
"""Places shown of a figure that does not terminate sooner (then followed by `…`)."""


def grouped(value: Decimal, min_places: int = 0) -> str:
    """Human display with thousands separators (`4,395,000.00`); exact, never rounded."""
    # The "," format groups the whole part only, so trimming the decimals after it is the same as
    # trimming before grouping (as decimal_text does), in one format call.
    return trim_fixed_point(format(value, ",f"), min_places)


def figure(value: Fraction | Decimal | int) -> str:
    """A number for reading: exact if it terminates within six places, else six places and `…`."""
    # Decimals and integers (quantities, scores, weights, amounts: mostly different from bid to bid)
    # are written directly: grouped() writes equal values alike, so they need neither a Fraction nor
    # the cache. Fractions (weights, reference prices, bests recur) are cached by numerator and
    # denominator: hashing a Fraction itself costs a modular inverse.
    if isinstance(value, Fraction):
        return _fraction_figure(value.numerator, value.denominator)
    if isinstance(value, Decimal):
        text = _decimal_text(value, 0)
        return text if text is not None else _fraction_figure(*value.as_integer_ratio())
    return grouped(Decimal(value))


def money(value: Fraction | Decimal) -> str:
    """A money amount for reading: at least two places when exact within six, else as figure()."""
    if isinstance(value, Fraction):
        return _fraction_money(value.numerator, value.denominator)
    text = _decimal_text(value, 2)
    return text if text is not None else _fraction_money(*value.as_integer_ratio())


def _decimal_text(value: Decimal, min_places: int) -> str | None:
    """grouped(value), if it is exact within six places (None otherwise, or if not finite)."""
    # grouped() drops trailing zeros, so the places it writes are the places the value needs.
    text = grouped(value, min_places)
    point = text.find(".")
    if (point < 0 or len(text) - point - 1 <= DISPLAY_PLACES) and value.is_finite():
        return text
    return None


# The cached paths see the same few fractions again and again (weights, reference prices, bests).
@lru_cache(maxsize=1 << 16)
def _fraction_figure(numerator: int, denominator: int) -> str:
    value = Fraction(numerator, denominator)
    places = terminating_places(value)
    if places is not None and places <= DISPLAY_PLACES:
        return grouped(to_exact_decimal(value))
    return grouped(round_fraction(value, DISPLAY_PLACES, "down")) + "…"


@lru_cache(maxsize=1 << 16)
def _fraction_money(numerator: int, denominator: int) -> str:
    value = Fraction(numerator, denominator)
    places = terminating_places(value)
    if places is not None and places <= DISPLAY_PLACES:
        return grouped(to_exact_decimal(value), min_places=2)
    return _fraction_figure(numerator, denominator)


# ---- For people -------------------------------------------------------------------------------

PEOPLE_PLACES = 2
"""Places of money and percentages shown to people (and the most places of other quantities)."""

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
"""Currencies written with a symbol before the amount; any other code follows it (`1.00 CHF`)."""

Number = Fraction | Decimal | int


def _rounded(value: Number, places: int) -> Decimal:
    """`value` rounded half up (away from zero) to `places`, exactly (no decimal context)."""
    if isinstance(value, int):
        numerator, denominator = value, 1
    elif isinstance(value, Fraction):
        numerator, denominator = value.numerator, value.denominator
    else:
        if not value.is_finite():
            raise ValueError(f"{value} is not a number to show")
        numerator, denominator = value.as_integer_ratio()
    return round_ratio(numerator, denominator, places, "half_up")


def fixed(value: Number, places: int) -> str:
    """`value` to exactly `places` places, half up, with thousands separators (`4,395,000.00`)."""
    return format(_rounded(value, places), f",.{places}f")


def amount(value: Number, currency: str) -> str:
    """Money for people: the currency symbol, separators, 2 places (`£4,395,000.00`, `-£5.00`)."""
    magnitude: Number = -value if value < 0 else value
    text = fixed(magnitude, PEOPLE_PLACES)
    sign = "-" if _rounded(value, PEOPLE_PLACES) < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol is not None else f"{sign}{text} {currency}"


def percent(value: Number, places: int = PEOPLE_PLACES) -> str:
    """A percentage (already in percent) for people, to 2 places: `35.71%`."""
    return fixed(value, places) + "%"


def score(value: Number, places: int) -> str:
    """A score for people to the tender's declared places (`3.67` for 11/3 at 2 places)."""
    return fixed(value, places)


def quantity(value: Number, places: int = PEOPLE_PLACES) -> str:
    """Any other figure for people: at most `places` places, trailing zeros dropped (`600,000`)."""
    return trim_fixed_point(fixed(value, places), 0)


# A figure in a recorded text: digits grouped by commas, optional decimals, and the `…` that marks
# a figure cut at six places. Only cut figures are rewritten: exact ones are already readable.
_CUT_FIGURE = re.compile(r"(?<![\w.])(-?\d{1,3}(?:,\d{3})*|-?\d+)\.(\d+)…")


def _readable_figure(match: re.Match[str]) -> str:
    # A figure cut (towards zero) at six places rounds half up to 2 places exactly as the exact
    # value does: the half-way point of 2 places is itself a 6-place number, so the cut value is
    # at or past it exactly when the exact value is.
    cut = Decimal(match.group(1).replace(",", "") + "." + match.group(2))
    return fixed(cut, PEOPLE_PLACES)


def readable(recorded: str) -> str:
    """A recorded text (a flag, a working) for people: each figure cut with `…` to 2 places.

    `35.714285…% below the mean (466,666.666666…)` becomes `35.71% below the mean (466,666.67)`.
    """
    return _CUT_FIGURE.sub(_readable_figure, recorded)
