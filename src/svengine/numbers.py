"""Exact numbers: the decimal grammar of every input, exact rounding, and their data text.

Numbers for people to read are written by `svengine.display`.

Inputs are decimals with at most 15 digits before and 6 after the point, no exponent, NaN or
Infinity. Scores are computed as exact fractions; they are rounded only where the tender says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Underflow,
)
from fractions import Fraction
from typing import Literal

RoundingMode = Literal["half_up", "half_even", "down"]

MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 6
# Always tested with fullmatch: Python's `$` also matches before a final line feed, so `.match` took
# "4612000.00\n" (the JSON Schema's ECMA-262 `$` does not).
DECIMAL_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$"
_DECIMAL_RE = re.compile(DECIMAL_PATTERN)
GRAMMAR = "a number with at most 15 digits before the decimal point and 6 after it (no exponent)"


class SourceDecimal(Decimal):
    """A Decimal read from a file that remembers the text it was written as.

    JSON and YAML numbers are parsed into this type (never into binary floats), so the grammar
    check can look at exactly what the user wrote: `1e5` and `100000` are the same Decimal but only
    one of them is allowed.
    """

    source: str

    def __new__(cls, text: str) -> SourceDecimal:
        try:
            value = super().__new__(cls, text)
        except ArithmeticError:  # decimal.InvalidOperation: text that Decimal cannot read at all
            value = super().__new__(cls, "NaN")
        value.source = text
        return value


def grammar_error(value: object) -> str | None:
    """Why `value` is not an acceptable decimal input, or None if it is.

    Accepts int, Decimal (a SourceDecimal is checked on its source text) and decimal strings.
    Booleans and binary floats are refused: a float has already lost exactness.
    """
    if isinstance(value, bool):
        return f"must be {GRAMMAR}, not true/false"
    if isinstance(value, float):
        return f"must be {GRAMMAR}; binary floating-point values are not accepted, pass a string or Decimal"
    if isinstance(value, SourceDecimal):
        text = value.source
    elif isinstance(value, Decimal):
        if not value.is_finite():
            return f"must be {GRAMMAR}, not {value}"
        # Fast path (every decimal of a result passes here): count the digits that format(value, "f")
        # would write, without writing them.
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        if (
            -exponent <= MAX_FRACTION_DIGITS
            and max(len(digits) + exponent, 1) <= MAX_INTEGER_DIGITS
        ):
            return None
        text = format(value, "f")
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        return f"must be {GRAMMAR}"
    if _DECIMAL_RE.fullmatch(text):
        return None
    shown = (
        text if text.isprintable() else repr(text)[1:-1]
    )  # a line feed shown as \n, not a broken line
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f'"{shown}" is not {GRAMMAR}'


_SEPARATED = re.compile(r"^\s*(-?)[0-9]{1,3}(?:,[0-9]{3})+(\.[0-9]+)?\s*$")


def separator_error(name: str, text: object) -> str | None:
    """The one message for a number written with thousands separators ("4,612,000"), or None.

    Every reader (JSON, YAML, CSV, workbook cells) words this mistake the same way."""
    if not isinstance(text, str) or not _SEPARATED.fullmatch(text):
        return None
    plain = text.strip().replace(",", "")
    return (
        f"{name} must be {GRAMMAR}; remove the thousands separators: write {plain},"
        f' not "{text.strip()}"'
    )


def to_decimal(value: object) -> Decimal:
    """Convert a checked decimal input to a plain Decimal (raises ValueError if it is not one)."""
    problem = grammar_error(value)
    if problem is not None:
        raise ValueError(problem)
    if isinstance(value, SourceDecimal):
        return Decimal(value.source)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


EXACT = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[Inexact, Rounded, InvalidOperation, Overflow, Underflow],
)
"""A decimal context for sums and products of decimals, exactly: with the largest precision and
exponent range the decimal module allows, `+`, `-` and `*` are never rounded (Python's decimal
documentation recommends it for exact arithmetic), and the traps turn any rounding into an error
rather than a silently wrong figure. Never divide in it (a quotient that does not terminate would
try to fill the whole precision)."""


def round_fraction(value: Fraction, places: int, mode: RoundingMode) -> Decimal:
    """Round an exact fraction to `places` decimal places, exactly, by the declared mode.

    `down` truncates towards zero; `half_up` rounds halves away from zero; `half_even` rounds
    halves to the even neighbour (banker's rounding). No decimal context is involved, so no
    precision limit can round anything silently.
    """
    return round_ratio(value.numerator, value.denominator, places, mode)


def round_ratio(numerator: int, denominator: int, places: int, mode: RoundingMode) -> Decimal:
    """`round_fraction` of numerator / denominator (denominator > 0), which need not be in lowest
    terms: the rounding depends only on the value, so callers can skip building a Fraction."""
    # Integer arithmetic on numerator and denominator: the same result as scaling the Fraction,
    # without building (and normalising) intermediate Fractions on this hot path.
    negative = numerator < 0
    whole, remainder = divmod((-numerator if negative else numerator) * 10**places, denominator)
    twice = 2 * remainder
    if mode == "down":
        pass
    elif twice > denominator or (twice == denominator and (mode == "half_up" or whole % 2 == 1)):
        whole += 1
    return Decimal(f"{'-' if negative and whole else ''}{whole}E-{places}")


def fraction_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum of fractions, reduced once at the end (adding Fractions reduces at every step,
    with a gcd each time; the points of one bid share a few small denominators)."""
    numerator, denominator = 0, 1
    for value in values:
        n, d = value.numerator, value.denominator
        if d == denominator:
            numerator += n
        else:
            numerator, denominator = numerator * d + n * denominator, denominator * d
    return Fraction(numerator, denominator)


def terminating_places(value: Fraction) -> int | None:
    """How many decimal places `value` needs to be written exactly, or None if it never ends."""
    denominator = value.denominator
    if denominator == 1:  # integers: most weights, maxima and scores
        return 0
    twos = (denominator & -denominator).bit_length() - 1  # trailing zero bits: the factors of 2
    denominator >>= twos
    fives = 0
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def to_exact_decimal(value: Fraction) -> Decimal:
    """A terminating fraction as an exact Decimal (raises ValueError if it does not terminate)."""
    if value.denominator == 1:
        return Decimal(
            value.numerator
        )  # the same Decimal (exponent 0) as round_fraction(value, 0, "down")
    places = terminating_places(value)
    if places is None:
        raise ValueError(f"{value} has no finite decimal expansion")
    return round_fraction(value, places, "down")


def exact_text(value: Fraction) -> str:
    """The exact value as text: a decimal when it terminates, otherwise `numerator/denominator`.

    Used for intermediate figures that the tender does not round, so an auditor sees them
    exactly (`25/3` rather than a silently rounded `8.333333`).
    """
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        return str(numerator)
    places = terminating_places(value)
    if places is None:
        return f"{numerator}/{denominator}"
    # The digits of value × 10^places, written with the point: what decimal_text(to_exact_decimal(value))
    # writes, without the Decimal. `places` is the fewest that hold the value, so the last digit is
    # never 0 and there is nothing to strip.
    digits = str(abs(numerator) * 10**places // denominator).rjust(places + 1, "0")
    return f"{'-' if numerator < 0 else ''}{digits[:-places]}.{digits[-places:]}"


def decimal_text(value: Decimal, min_places: int = 0) -> str:
    """Fixed-point text of a decimal (never an exponent), with at least `min_places` decimals.

    Trailing zeros beyond `min_places` are dropped; nothing is ever rounded.
    """
    return trim_fixed_point(format(value, "f"), min_places)


def money_text(value: Decimal) -> str:
    """A money amount with at least two decimal places, exactly (never rounded)."""
    return decimal_text(value, min_places=2)


def trim_fixed_point(text: str, min_places: int) -> str:
    """Fixed-point `text` without trailing zeros beyond `min_places` decimals (padded up to them), no `-0`."""
    point = text.find(".")
    if point >= 0:
        text = text.rstrip("0")
        if len(text) == point + 1:
            text = text[:point]
            point = -1
    if text == "-0":
        text = "0"
    if min_places:
        places = len(text) - point - 1 if point >= 0 else 0
        if places < min_places:
            text += ("" if point >= 0 else ".") + "0" * (min_places - places)
    return text
