"""The one formatter for people (svengine.display, issue 15): properties over exact values."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from svengine.display import amount, figure, percent, quantity, readable, score

fractions = st.fractions(max_denominator=10**6).filter(lambda f: abs(f) < 10**12)


def _half_up(value: Fraction, places: int) -> Decimal:
    # The reference: exact decimal arithmetic at high precision, then ROUND_HALF_UP.
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if value.denominator != 1
        else Decimal(value.numerator)
    )
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.00" for people


@given(fractions)
def test_money_is_the_exact_value_rounded_half_up_with_symbol_and_separators(
    value: Fraction,
) -> None:
    text = amount(value, "GBP")
    rounded = _half_up(value, 2)
    sign = "-" if rounded < 0 else ""
    assert text == f"{sign}£{abs(rounded):,.2f}"
    assert "/" not in text and "…" not in text


@given(fractions, st.sampled_from(["CHF", "SEK"]))
def test_a_currency_without_a_symbol_follows_the_amount(value: Fraction, code: str) -> None:
    assert amount(value, code).endswith(f" {code}")


@given(fractions, st.integers(min_value=0, max_value=4))
def test_scores_show_exactly_the_declared_places(value: Fraction, places: int) -> None:
    text = score(value, places)
    assert text == f"{_half_up(value, places):,.{places}f}"


@given(fractions)
def test_percentages_show_two_places(value: Fraction) -> None:
    assert percent(value) == f"{_half_up(value, 2):,.2f}%"


@given(fractions)
def test_quantities_show_at_most_two_places_and_no_trailing_zeros(value: Fraction) -> None:
    text = quantity(value)
    assert Decimal(text.replace(",", "")) == _half_up(value, 2)
    assert not ("." in text and text.endswith("0"))


@given(fractions)
def test_a_recorded_figure_made_readable_equals_the_exact_value_rounded(value: Fraction) -> None:
    # figure() is the record's form (six places, cut, with …); readable() turns it into the people's
    # form, which must be what rounding the exact value gives (the half-way point at 2 places is
    # itself a 6-place number, so cutting at 6 never changes the 2-place rounding).
    recorded = figure(value)
    shown = readable(f"a flag: {recorded} below the mean")
    if "…" in recorded:
        assert shown == f"a flag: {_half_up(value, 2):,.2f} below the mean"
    else:
        assert shown == f"a flag: {recorded} below the mean"


def test_the_figures_the_issue_quotes() -> None:
    # issue 15: 11/3 as a panel mean, the abnormally-low flag, a robustness price cut.
    assert quantity(Fraction(11, 3)) == "3.67"
    assert readable("35.714285…% below the mean (466,666.666666…)") == (
        "35.71% below the mean (466,666.67)"
    )
    assert amount(Decimal("195774.01"), "GBP") == "£195,774.01"
    assert amount(Fraction(-1, 8), "GBP") == "-£0.13"  # half up: away from zero
