"""Numbers for people to read: the one place every text output formats a figure or an amount.

Explanations (scoring/explain.py), flags, the methodology, the award report, summaries, the CLI's
tables and the analysis reports all write numbers through these functions, so a figure reads the
same everywhere. Everything is exact: a value that terminates within six places is written in
full, with thousands separators; anything else to six places (cut, never rounded up) and `…`.
Data text (result.json, CSV) is not display: it is written by `svengine.numbers.decimal_text`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from svengine.numbers import round_fraction, terminating_places, to_exact_decimal, trim_fixed_point

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
