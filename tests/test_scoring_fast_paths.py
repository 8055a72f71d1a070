"""The scoring and explaining fast paths give exactly what the plain ones gave.

Each fast path (integers instead of Fractions, exact Decimal products, texts written once and
shared) is compared here with the straightforward computation it replaced, written out in the
test; tests/test_result_bytes.py checks the whole result.json byte for byte.
"""

from __future__ import annotations

from decimal import Decimal, Inexact
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import tender
from svengine.display import figure, grouped, money
from svengine.model.construct import builder, built, changed
from svengine.model.result import CommitmentResult, CriterionResult
from svengine.model.scores import Score
from svengine.numbers import (
    EXACT,
    decimal_text,
    exact_text,
    fraction_sum,
    round_fraction,
    round_ratio,
    terminating_places,
    to_exact_decimal,
)
from svengine.scoring.evaluate import criterion_result, rounded_percentage

decimals = st.builds(
    lambda n, e: Decimal(n).scaleb(e), st.integers(-(10**25), 10**25), st.integers(-12, 4)
) | st.sampled_from(
    [Decimal("0"), Decimal("-0"), Decimal("-0.00"), Decimal("1.20E+3"), Decimal("-1234567.500")]
)
fractions = st.builds(
    Fraction,
    st.integers(-(10**20), 10**20),
    st.one_of(
        st.integers(1, 10**6),
        st.builds(lambda a, b: 2**a * 5**b, st.integers(0, 30), st.integers(0, 30)),
    ),
)
modes = st.sampled_from(["down", "half_up", "half_even"])


def _reference_decimal_text(value: Decimal, min_places: int = 0) -> str:
    """decimal_text as it was before the fast path (format, strip, pad, in steps)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    whole, _, decimals_ = text.partition(".")
    decimals_ = decimals_.ljust(min_places, "0")
    return whole + ("." + decimals_ if decimals_ else "")


def _reference_grouped(value: Decimal, min_places: int = 0) -> str:
    text = _reference_decimal_text(value, min_places)
    sign = "-" if text.startswith("-") else ""
    whole, _, decimals_ = text.lstrip("-").partition(".")
    return sign + f"{int(whole):,}" + ("." + decimals_ if decimals_ else "")


@settings(max_examples=500)
@given(decimals, st.sampled_from([0, 1, 2, 6]))
def test_decimal_texts_equal_the_step_by_step_writing(value: Decimal, min_places: int) -> None:
    assert decimal_text(value, min_places) == _reference_decimal_text(value, min_places)
    assert grouped(value, min_places) == _reference_grouped(value, min_places)


@settings(max_examples=500)
@given(fractions)
def test_exact_text_and_decimal_equal_the_decimal_division(value: Fraction) -> None:
    places = terminating_places(value)
    if places is None:
        assert exact_text(value) == f"{value.numerator}/{value.denominator}"
        return
    # The terminating value: value × 10^places is a whole number (checked), its digits with exponent -places.
    scaled, remainder = divmod(abs(value.numerator) * 10**places, value.denominator)
    assert remainder == 0
    expected = Decimal((int(value < 0), tuple(int(d) for d in str(scaled)), -places))
    assert (
        to_exact_decimal(value) == expected
        and to_exact_decimal(value).as_tuple().exponent == -places
    )
    assert exact_text(value) == _reference_decimal_text(expected)


@given(fractions, st.integers(0, 4), modes, st.integers(1, 1000))
def test_round_ratio_needs_no_lowest_terms(
    value: Fraction, places: int, mode: str, factor: int
) -> None:
    rounded = round_ratio(value.numerator * factor, value.denominator * factor, places, mode)  # type: ignore[arg-type]
    assert repr(rounded) == repr(round_fraction(value, places, mode))  # type: ignore[arg-type]


@given(st.lists(fractions, max_size=10))
def test_fraction_sum_is_the_sum(values: list[Fraction]) -> None:
    total = fraction_sum(values)
    assert total == sum(values, Fraction(0))
    assert (total.numerator, total.denominator) == (
        sum(values, Fraction(0)).numerator,
        sum(values, Fraction(0)).denominator,
    )


@given(decimals, decimals, st.integers(1, 10**30))
def test_exact_products_and_sums_equal_fractions(a: Decimal, b: Decimal, years: int) -> None:
    product = EXACT.multiply(EXACT.multiply(a, b), years)
    assert Fraction(product) == Fraction(a) * Fraction(b) * years
    assert Fraction(EXACT.add(product, a)) == Fraction(a) * Fraction(b) * years + Fraction(a)


def test_exact_context_refuses_to_round() -> None:
    with pytest.raises(Inexact):
        EXACT.quantize(Decimal("1.25"), Decimal("0.1"))


@settings(max_examples=500)
@given(st.one_of(decimals, st.integers(-(10**12), 10**12), fractions))
def test_figure_and_money_equal_the_fraction_path(value: Decimal | int | Fraction) -> None:
    exact = Fraction(value)
    assert figure(value) == figure(exact)  # a Decimal or int is written as its Fraction would be
    if not isinstance(value, int):
        assert money(value) == money(exact)


def test_fraction_figure_path_by_hand() -> None:
    assert figure(Decimal("1234.5000000")) == "1,234.5"
    assert figure(Decimal("0.1234567")) == "0.123456…"
    assert figure(Fraction(25, 3)) == "8.333333…"
    assert money(Decimal("92.3125")) == "92.3125"
    assert money(Decimal("-0.00")) == "0.00"
    assert money(Fraction(1, 3)) == "0.333333…"


def _commitment_fields() -> dict[str, object]:
    return dict(
        measure="EX-JOB-1",
        title="t",
        theme="Jobs",
        unit="people",
        quantity=Decimal("2.5"),
        years=1,
        years_offered=None,
        proxy_value=Decimal("100.00"),
        value=Decimal("250.00"),
        counted=True,
        description=None,
        moderation=None,
    )


def test_builder_equals_built() -> None:
    make = builder(CommitmentResult)
    fields = _commitment_fields()
    fast, plain = make(**fields), built(CommitmentResult, **fields)
    assert fast == plain and list(fast.__dict__) == list(plain.__dict__)
    assert fast.model_fields_set == plain.model_fields_set
    assert (
        fast.model_dump_json()
        == plain.model_dump_json()
        == CommitmentResult.model_validate(fields).model_dump_json()
    )


def test_builder_falls_back_on_other_calls() -> None:
    make = builder(CommitmentResult)
    fields = _commitment_fields()
    del fields["moderation"]  # has a default: built fills it in
    assert make(**fields) == built(CommitmentResult, **fields)
    assert make(**fields).model_fields_set == set(fields)
    reordered = dict(reversed(list(_commitment_fields().items())))
    assert list(make(**reordered).__dict__) == list(
        CommitmentResult.model_fields
    )  # the model's order, as built gives
    with pytest.raises(TypeError):
        make(**_commitment_fields(), typo=1)


def test_criterion_results_are_shared_only_when_written_alike() -> None:
    t = tender()
    criterion = t.quality_criteria[0]
    shared: dict[tuple[str, str, str | None], CriterionResult] = {}

    def result(score: str, comment: str | None = None) -> CriterionResult:
        row = (
            criterion,
            Fraction(criterion.weight),
            Fraction(criterion.weight) * Fraction(score) / 5,
            Score(bidder="B", criterion=criterion.id, score=score, comment=comment),
        )
        return criterion_result(row, t, shared)

    assert result("3") is result("3")
    assert result("3.0") is not result(
        "3"
    )  # equal values, written differently: each keeps its own text
    assert result("3.0").model_dump_json() != result("3").model_dump_json()
    assert result("3", "why") is not result("3")


def test_changed_equals_model_copy() -> None:
    original = built(
        CommitmentResult, **{k: v for k, v in _commitment_fields().items() if k != "moderation"}
    )
    for updates in ({"years": 3}, {"moderation": None, "value": Decimal("1.00")}, {}):
        fast, plain = changed(original, **updates), original.model_copy(update=updates)
        assert fast == plain and list(fast.__dict__) == list(plain.__dict__)
        assert fast.model_fields_set == plain.model_fields_set
        assert fast.model_dump_json() == plain.model_dump_json()
    assert original.years == 1 and original.model_fields_set == set(_commitment_fields()) - {
        "moderation"
    }  # untouched


@given(decimals, fractions.filter(bool), st.integers(0, 4), modes)
def test_percentage_equals_rounding_the_fraction(
    amount: Decimal, base: Fraction, places: int, mode: str
) -> None:
    expected = round_fraction(Fraction(amount) * 100 / base, places, mode)  # type: ignore[arg-type]
    assert repr(rounded_percentage(amount, base, places, mode)) == repr(expected)  # type: ignore[arg-type]
    assert repr(rounded_percentage(amount, -base, places, mode)) == repr(
        round_fraction(Fraction(amount) * 100 / -base, places, mode)
    )  # type: ignore[arg-type]
