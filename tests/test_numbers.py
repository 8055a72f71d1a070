"""The decimal grammar and exact rounding (svengine.numbers)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svengine.display import grouped
from svengine.numbers import (
    GRAMMAR,
    SourceDecimal,
    decimal_text,
    exact_text,
    grammar_error,
    round_fraction,
    to_decimal,
)


@pytest.mark.parametrize(
    "text", ["0", "1", "-5", "4395000.00", "123456789012345", "0.000001", "123456789012345.123456"]
)
def test_grammar_accepts_plain_decimals(text: str) -> None:
    assert grammar_error(text) is None
    assert grammar_error(SourceDecimal(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "1e5",
        "1E-2",
        "NaN",
        "Infinity",
        "-Infinity",
        "1234567890123456",
        "0.1234567",
        "1,000",
        "£5",
        "",
        " 5",
        "5.",
        ".5",
        "1_000",
        "0x1F",
        "5\n",
        "4612000.00\n",
        "5 ",
    ],
)
def test_grammar_refuses_everything_else(text: str) -> None:
    assert grammar_error(text) is not None
    assert grammar_error(SourceDecimal(text)) is not None


def test_grammar_refuses_binary_floats_and_booleans() -> None:
    assert "binary floating-point" in (grammar_error(0.1) or "")
    assert grammar_error(True) is not None


def test_source_decimal_keeps_what_was_written() -> None:
    # 1e5 and 100000 are the same Decimal; only the written form tells them apart.
    assert SourceDecimal("1e5") == Decimal("100000")
    assert grammar_error(SourceDecimal("1e5")) is not None
    assert grammar_error(SourceDecimal("100000")) is None
    assert to_decimal(SourceDecimal("12.50")) == Decimal("12.50")


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        (Fraction(2945, 100000), "half_up", "0.03"),  # 0.02945 -> 0.03
        (Fraction(125, 10000), "half_up", "0.01"),  # 0.0125 -> 0.01 (below half)
        (Fraction(125, 1000), "half_up", "0.13"),  # exactly half: away from zero
        (Fraction(125, 1000), "half_even", "0.12"),  # exactly half: to even
        (Fraction(135, 1000), "half_even", "0.14"),
        (Fraction(135, 1000), "down", "0.13"),
        (Fraction(1999, 1000), "down", "1.99"),
        (Fraction(25, 3), "half_up", "8.33"),
        (Fraction(50, 3), "half_up", "16.67"),
        (Fraction(0), "half_up", "0.00"),
        (Fraction(-125, 1000), "half_up", "-0.13"),
    ],
)
def test_round_fraction_modes(value: Fraction, mode: str, expected: str) -> None:
    assert format(round_fraction(value, 2, mode), "f") == expected  # type: ignore[arg-type]


def test_round_fraction_is_exact_where_floats_are_not() -> None:
    # 1.005 is 1.00499999999999989... as a binary float, so float rounding gives 1.0; the exact value is a half.
    assert round(1.005, 2) == 1.0
    assert format(round_fraction(Fraction("1.005"), 2, "half_up"), "f") == "1.01"


@given(st.fractions(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=6))
def test_rounding_error_is_at_most_half_a_unit(value: Fraction, places: int) -> None:
    unit = Fraction(1, 10**places)
    for mode in ("half_up", "half_even"):
        assert abs(Fraction(round_fraction(value, places, mode)) - value) <= unit / 2  # type: ignore[arg-type]
    down = Fraction(round_fraction(value, places, "down"))
    assert 0 <= value - down < unit


def test_exact_text() -> None:
    assert exact_text(Fraction(25, 3)) == "25/3"
    assert exact_text(Fraction(17, 8)) == "2.125"
    assert exact_text(Fraction(48)) == "48"


def test_display_helpers_never_round() -> None:
    assert decimal_text(Decimal("561600.00"), 2) == "561600.00"
    assert decimal_text(Decimal("1.230")) == "1.23"
    assert grouped(Decimal("4395000"), 2) == "4,395,000.00"
    assert grouped(Decimal("-1234.5")) == "-1,234.5"


def test_a_trailing_line_feed_is_refused_and_shown_escaped() -> None:
    # Python's `$` matches before a final line feed; the grammar must not (the schema's ECMA `$` does not).
    assert grammar_error("4612000.00\n") == '"4612000.00\\n" is not ' + GRAMMAR
