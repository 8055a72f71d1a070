"""Price models: each evaluated price computed by hand, each refusal, the arithmetic check.

Expected figures are worked out in the comments next to them, never copied from the engine.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import svengine
from svengine.io.schemas import result_schema, schema
from svengine.scoring.price_models import (
    DEFAULT_DISCOUNT_RATE_PCT,
    discount_factor,
    evaluate_price,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def tender(price: dict[str, Any]) -> svengine.Tender:
    """A price-only tender (100 points for price) with the given price block."""
    return svengine.parse_tender(
        {
            "id": "T-1",
            "title": "Price test",
            "currency": "GBP",
            "contract_value": "1000000",
            "weights": {"quality": 0, "price": 100, "social_value": 0},
            "price": {"method": "lowest_relative", **price},
            "rounding": {"places": 2, "mode": "half_up"},
        }
    )


def bid(bidder: str, **fields: Any) -> dict[str, Any]:
    return {"bidder": {"id": bidder, "name": f"Bidder {bidder}"}, **fields}


def run(price: dict[str, Any], *bids: dict[str, Any]) -> svengine.Result:
    return svengine.evaluate(tender(price), svengine.parse_bids(list(bids)), [])


def codes(price: dict[str, Any], *bids: dict[str, Any]) -> list[str]:
    with pytest.raises(svengine.InvalidInput) as caught:
        run(price, *bids)
    return [p.code for p in caught.value.problems]


BASKET = {
    "model": "basket",
    "basket": [
        {"item": "B1", "description": "Unblock sink", "volume": "10"},
        {"item": "B2", "description": "Renew tap", "volume": "2.5"},
    ],
}
SCHEDULE = {
    "model": "schedule_of_rates",
    "schedule": [
        {"item": "S1", "base_rate": "40", "volume": "10", "section": "plumbing"},
        {"item": "S2", "base_rate": "25.50", "volume": "4", "section": "roofing"},
    ],
}
MULTI = {
    "model": "multi_part",
    "parts": [
        {"id": "annual_initial", "multiplier": "3"},
        {"id": "annual_extension", "multiplier": "2"},
        {"id": "mobilisation", "multiplier": "1"},
    ],
}
WHOLE_LIFE = {
    "model": "whole_life",
    "discount_rate_pct": "10",
    "evaluated_rounding": {"places": 2, "mode": "half_up"},
    "parts": [{"id": "buy", "years": [0]}, {"id": "maintain", "years": [1, 2]}],
}


# -- each model, by hand -------------------------------------------------------------------------


def test_lump_sum_is_the_stated_price_and_keeps_its_text() -> None:
    price = run({}, bid("A", price="1000.50")).bid("A").price
    assert (price.model, price.amount, price.evaluated, price.stated) == (
        "lump_sum",
        Decimal("1000.50"),
        Decimal("1000.50"),
        Decimal("1000.50"),
    )
    assert (
        str(price.amount) == "1000.50"
        and price.computed is None
        and price.lines == ()
        and price.vat == "excluded"
    )


def test_basket_is_volume_times_unit_price() -> None:
    # 10 × 3.20 + 2.5 × 100 = 32 + 250 = 282
    price = run(BASKET, bid("A", prices={"B1": "3.20", "B2": "100"})).bid("A").price
    assert price.evaluated == price.amount == Decimal("282")
    assert [(line.item, line.quantity, line.rate, line.amount) for line in price.lines] == [
        ("B1", Decimal("10"), Decimal("3.20"), "32"),
        ("B2", Decimal("2.5"), Decimal("100"), "250"),
    ]


def test_schedule_of_rates_with_one_adjustment() -> None:
    # (10 × 40 + 4 × 25.50) × (1 − 5/100) = 502 × 0.95 = 476.9
    price = run(SCHEDULE, bid("A", adjustment_pct="-5")).bid("A").price
    assert price.evaluated == Decimal("476.90")
    assert [line.amount for line in price.lines] == ["380", "96.9"]


def test_schedule_of_rates_with_section_adjustments() -> None:
    # plumbing 400 × 1.10 = 440; roofing 102 × 0.80 = 81.6; total 521.6
    price = (
        run(SCHEDULE, bid("A", adjustments_pct={"plumbing": "10", "roofing": "-20"})).bid("A").price
    )
    assert price.evaluated == Decimal("521.60")
    assert [(line.section, line.adjustment_pct) for line in price.lines] == [
        ("plumbing", Decimal("10")),
        ("roofing", Decimal("-20")),
    ]


def test_multi_part_is_multiplier_times_amount_and_a_part_may_be_zero() -> None:
    # 3 × 100,000 + 2 × 105,000 + 1 × 0 = 510,000
    prices = {"annual_initial": "100000", "annual_extension": "105000", "mobilisation": "0"}
    assert run(MULTI, bid("A", prices=prices)).bid("A").price.evaluated == Decimal("510000")


def test_whole_life_discounts_each_year_exactly_and_rounds_as_declared() -> None:
    # 1000 + 100/1.1 + 100/1.21 = 1000 + 1000/11 + 10000/121 = 142000/121 = 1173.5537…  → 1173.55
    parsed = tender(WHOLE_LIFE)
    priced = evaluate_price(
        parsed.price, svengine.parse_bids([bid("A", prices={"buy": "1000", "maintain": "100"})])[0]
    )
    assert priced.computed == Fraction(142000, 121)
    assert priced.evaluated == Fraction("1173.55")
    price = (
        svengine.evaluate(
            parsed, svengine.parse_bids([bid("A", prices={"buy": "1000", "maintain": "100"})]), []
        )
        .bid("A")
        .price
    )
    assert (price.computed, price.evaluated, price.amount) == (
        "142000/121",
        Decimal("1173.55"),
        Decimal("1173.55"),
    )
    assert [(line.year, line.discount_factor, line.amount) for line in price.lines] == [
        (0, "1", "1000"),
        (1, "10/11", "1000/11"),
        (2, "100/121", "10000/121"),
    ]


def test_whole_life_default_rate_is_the_green_book_3_5_percent() -> None:
    assert Decimal("3.5") == DEFAULT_DISCOUNT_RATE_PCT
    assert discount_factor(DEFAULT_DISCOUNT_RATE_PCT, 1) == Fraction(200, 207)  # 1 / 1.035
    block = {**WHOLE_LIFE, "discount_rate_pct": None}
    del block["discount_rate_pct"]
    # 100 / 1.035 = 20000/207 = 96.618357…; 100 / 1.035^2 = 93.351070…
    price = run(block, bid("A", prices={"buy": "1000", "maintain": "100"})).bid("A").price
    assert price.evaluated == Decimal("1189.97")  # 1000 + 96.618357… + 93.351070… = 1189.969427…


def test_the_evaluated_price_is_what_the_formula_scores() -> None:
    # A: 282 (as above); B: 10 × 4 + 2.5 × 90 = 265, the lowest. Lowest relative: 100 × 265 / 282 = 93.971… → 93.97
    result = run(
        BASKET,
        bid("A", prices={"B1": "3.20", "B2": "100"}),
        bid("B", prices={"B1": "4", "B2": "90"}),
    )
    assert result.reference.lowest_price == Decimal("265.00")
    assert result.bid("B").price.score == Decimal("100.00")
    assert result.bid("A").price.score == Decimal("93.97")
    assert "Basket (VAT excluded)" in result.bid("A").explain.evaluated_price
    assert "B1 (Unblock sink): 10 × 3.20 = 32.00" in result.bid("A").explain.evaluated_price


def test_vat_is_stated_in_the_result_and_the_explanation() -> None:
    result = run(
        {**MULTI, "vat": "included"},
        bid("A", prices={"annual_initial": "1", "annual_extension": "1", "mobilisation": "1"}),
    )
    assert result.bid("A").price.vat == "included"
    assert "VAT included" in result.bid("A").explain.evaluated_price
    assert "VAT excluded" in run({}, bid("A", price="5")).bid("A").explain.evaluated_price


# -- refusals ------------------------------------------------------------------------------------


def test_a_missing_item_is_refused() -> None:
    assert codes(BASKET, bid("A", prices={"B1": "3"})) == ["missing_price_item"]


def test_an_unknown_item_is_refused_with_a_suggestion() -> None:
    with pytest.raises(svengine.InvalidInput) as caught:
        run(
            MULTI,
            bid(
                "A",
                prices={
                    "annual_initial": "1",
                    "annual_extension": "1",
                    "mobilisation": "1",
                    "mobilisaton": "1",
                },
            ),
        )
    (problem,) = caught.value.problems
    assert problem.code == "unknown_price_item" and 'did you mean "mobilisation"' in problem.message
    assert problem.location.path == "$[0].prices.mobilisaton" and problem.bidder == "A"


def test_missing_prices_are_refused() -> None:
    assert codes(BASKET, bid("A", price="100")) == ["missing_price_item"]


@pytest.mark.parametrize("pct", ["-100", "-150"])
def test_an_adjustment_at_or_below_minus_100_percent_is_refused(pct: str) -> None:
    assert codes(SCHEDULE, bid("A", adjustment_pct=pct)) == ["bad_adjustment"]
    assert codes(SCHEDULE, bid("A", adjustments_pct={"plumbing": "0", "roofing": pct})) == [
        "bad_adjustment"
    ]


def test_an_adjustment_just_above_minus_100_percent_is_fine() -> None:
    # (400 + 102) × (1 − 99.5/100) = 502 × 0.005 = 2.51
    assert run(SCHEDULE, bid("A", adjustment_pct="-99.5")).bid("A").price.evaluated == Decimal(
        "2.51"
    )


def test_schedule_adjustments_must_be_given_once_and_for_every_section() -> None:
    assert codes(SCHEDULE, bid("A")) == ["missing_adjustment"]
    assert codes(
        SCHEDULE, bid("A", adjustment_pct="1", adjustments_pct={"plumbing": "1", "roofing": "1"})
    ) == ["conflicting_adjustments"]
    assert codes(SCHEDULE, bid("A", adjustments_pct={"plumbing": "1"})) == ["missing_adjustment"]
    assert codes(
        SCHEDULE, bid("A", adjustments_pct={"plumbing": "1", "roofing": "1", "glazing": "1"})
    ) == ["unknown_section"]


def test_an_evaluated_price_of_zero_is_refused() -> None:
    assert codes(
        MULTI,
        bid("A", prices={"annual_initial": "0", "annual_extension": "0", "mobilisation": "0"}),
    ) == ["not_positive"]


def test_negative_amounts_and_stated_prices_are_refused() -> None:
    assert codes(BASKET, bid("A", prices={"B1": "-1", "B2": "10"})) == ["negative_price"]
    assert codes(BASKET, bid("A", price="0", prices={"B1": "1", "B2": "10"})) == ["not_positive"]


def test_fields_the_model_does_not_use_are_refused() -> None:
    assert codes({}, bid("A", price="10", prices={"x": "1"})) == ["unexpected_price_field"]
    assert codes({}, bid("A")) == ["missing_price"]
    assert codes(BASKET, bid("A", prices={"B1": "1", "B2": "1"}, adjustment_pct="2")) == [
        "unexpected_price_field"
    ]


@pytest.mark.parametrize(
    ("price", "code"),
    [
        ({"model": "basket"}, "missing_parameter"),
        ({**MULTI, "basket": BASKET["basket"]}, "unused_parameter"),
        ({**MULTI, "discount_rate_pct": "3.5"}, "unused_parameter"),
        ({"model": "multi_part", "parts": [{"id": "a", "years": [1]}]}, "unused_parameter"),
        ({"model": "multi_part", "parts": [{"id": "a", "multiplier": "0"}]}, "not_positive"),
        ({**WHOLE_LIFE, "parts": [{"id": "a", "years": [1, 1]}]}, "duplicate_year"),
        (
            {**BASKET, "basket": [*BASKET["basket"], {"item": "B1", "volume": "1"}]},
            "duplicate_price_item",
        ),
        (
            {
                **SCHEDULE,
                "schedule": [{"item": "S", "base_rate": "0", "volume": "1", "section": "x"}],
            },
            "not_positive",
        ),
        ({**WHOLE_LIFE, "discount_rate_pct": "-1"}, "bad_parameter"),
    ],
)
def test_tender_price_blocks_that_cannot_work_are_refused(price: dict[str, Any], code: str) -> None:
    price = {key: value for key, value in price.items() if value is not None}
    with pytest.raises(svengine.InvalidInput) as caught:
        tender(price)
    assert code in [p.code for p in caught.value.problems]


def test_the_schemas_refuse_unknown_fields_in_price_lines_and_bids() -> None:
    with pytest.raises(svengine.InvalidInput) as caught:
        tender({"model": "basket", "basket": [{"item": "B1", "volumes": "1"}]})
    assert any('"volumes" (did you mean "volume"?)' in p.message for p in caught.value.problems)
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_bids([bid("A", adjustment="3")])
    assert any('"adjustment"' in p.message for p in caught.value.problems)


# -- the arithmetic check ------------------------------------------------------------------------


def test_an_arithmetic_error_is_flagged_and_the_computed_figure_evaluated() -> None:
    # Lines: 282 (as above); stated 228.
    result = run(BASKET, bid("A", price="228", prices={"B1": "3.20", "B2": "100"}))
    price = result.bid("A").price
    assert (price.stated, price.computed, price.evaluated, price.arithmetic_error) == (
        Decimal("228"),
        "282",
        Decimal("282.00"),
        True,
    )
    (flag,) = result.bid("A").flags
    assert flag.code == "arithmetic_error" and "228.00" in flag.message and "282.00" in flag.message
    assert "The bid states 228.00: an arithmetic error" in result.bid("A").explain.evaluated_price


def test_a_stated_price_that_agrees_is_not_flagged() -> None:
    result = run(BASKET, bid("A", price="282.00", prices={"B1": "3.20", "B2": "100"}))
    assert result.bid("A").flags == () and result.bid("A").price.arithmetic_error is False


def test_the_stated_price_is_compared_after_the_declared_rounding() -> None:
    # 10 × 0.125 + 2.5 × 0.001 = 1.2525: half up to 2 places 1.25, which the bid states.
    rounded = {**BASKET, "evaluated_rounding": {"places": 2, "mode": "half_up"}}
    priced = (
        run(rounded, bid("A", price="1.25", prices={"B1": "0.125", "B2": "0.001"})).bid("A").price
    )
    assert (priced.computed, priced.evaluated, priced.arithmetic_error) == (
        "1.2525",
        Decimal("1.25"),
        False,
    )
    # Without declared rounding the exact figure is evaluated, and 1.25 is an arithmetic error.
    exact = (
        run(BASKET, bid("A", price="1.25", prices={"B1": "0.125", "B2": "0.001"})).bid("A").price
    )
    assert (exact.evaluated, exact.arithmetic_error) == (Decimal("1.2525"), True)


def test_arithmetic_refuse_refuses_the_bid() -> None:
    with pytest.raises(svengine.InvalidInput) as caught:
        run(
            {**BASKET, "arithmetic": "refuse"},
            bid("A", price="228", prices={"B1": "3.20", "B2": "100"}),
        )
    (problem,) = caught.value.problems
    assert (
        problem.code == "arithmetic_error"
        and "228.00" in problem.message
        and "282.00" in problem.message
    )
    assert problem.location.path == "$[0].price"  # the first bid of the list


# -- properties ----------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    b1=amounts,
    b2=amounts,
    raise_by=st.decimals(min_value=0, max_value=10**6, places=2),
    which=st.sampled_from(["B1", "B2"]),
)
def test_raising_a_unit_price_never_lowers_the_evaluated_price(
    b1: Decimal, b2: Decimal, raise_by: Decimal, which: str
) -> None:
    block = tender(BASKET).price
    before = {"B1": b1, "B2": b2}
    after = {**before, which: before[which] + raise_by}
    low = evaluate_price(block, svengine.Bid.model_validate(bid("A", prices=before))).evaluated
    high = evaluate_price(block, svengine.Bid.model_validate(bid("A", prices=after))).evaluated
    assert high >= low


@settings(max_examples=60, deadline=None)
@given(
    low=st.decimals(min_value=-99, max_value=100, places=2),
    extra=st.decimals(min_value=0, max_value=100, places=2),
)
def test_raising_an_adjustment_never_lowers_the_evaluated_price(
    low: Decimal, extra: Decimal
) -> None:
    block = tender(SCHEDULE).price
    before = evaluate_price(
        block, svengine.Bid.model_validate(bid("A", adjustment_pct=low))
    ).evaluated
    after = evaluate_price(
        block, svengine.Bid.model_validate(bid("A", adjustment_pct=low + extra))
    ).evaluated
    assert after >= before


@settings(max_examples=60, deadline=None)
@given(
    parts=st.lists(
        st.tuples(amounts, st.sets(st.integers(min_value=0, max_value=30), min_size=1, max_size=8)),
        min_size=1,
        max_size=4,
    )
)
def test_whole_life_at_a_zero_rate_is_the_plain_sum(parts: list[tuple[Decimal, set[int]]]) -> None:
    block = tender(
        {
            "model": "whole_life",
            "discount_rate_pct": "0",
            "evaluated_rounding": {"places": 2, "mode": "half_up"},
            "parts": [
                {"id": f"p{i}", "years": sorted(years)} for i, (_, years) in enumerate(parts)
            ],
        }
    ).price
    prices = {f"p{i}": amount for i, (amount, _) in enumerate(parts)}
    priced = evaluate_price(block, svengine.Bid.model_validate(bid("A", prices=prices)))
    assert priced.computed == sum(Fraction(amount) * len(years) for amount, years in parts)


@settings(max_examples=40, deadline=None)
@given(
    rate=st.decimals(min_value=0, max_value=20, places=2),
    year=st.integers(min_value=0, max_value=40),
)
def test_discounting_never_raises_a_cost(rate: Decimal, year: int) -> None:
    factor = discount_factor(rate, year)
    assert 0 < factor <= 1
    assert factor * (1 + Fraction(rate) / 100) ** year == 1


# -- the examples and the result schema ----------------------------------------------------------


def evaluate_example(name: str) -> svengine.Result:
    inputs = svengine.load_folder(EXAMPLES / name)
    return svengine.evaluate(inputs.tender, inputs.bids, inputs.scores)


def test_schedule_of_rates_example() -> None:
    result = evaluate_example("repairs-schedule-of-rates")
    # Base cost by section: plumbing 2400×62.40 + 540×186.75 + 1800×94.20 = 149,760 + 100,845 + 169,560 = 420,165;
    # electrical 88,350 + 148,500 + 147,000 = 383,850; carpentry 86,730 + 186,750 = 273,480;
    # roofing 115,908 + 108,288 = 224,196; voids 161,700 + 88,200 = 249,900. All: 1,551,591.
    # R2: 1,551,591 × 0.955 = 1,481,769.405 → 1,481,769.41 (half up), which it states.
    r2 = result.bid("R2").price
    assert (r2.computed, r2.evaluated, r2.arithmetic_error) == (
        "1481769.405",
        Decimal("1481769.41"),
        False,
    )
    # R4: 1,551,591 × 1.0175 = 1,578,743.8425 → 1,578,743.84; it states 1,577,643.84.
    r4 = result.bid("R4")
    assert r4.price.evaluated == Decimal("1578743.84") and [f.code for f in r4.flags] == [
        "arithmetic_error"
    ]
    # R1: 420,165×0.94 + 383,850×0.965 + 273,480×0.92 + 224,196×1.02 + 249,900×0.90 = 1,470,561.87, the lowest valid.
    assert result.reference.lowest_price == Decimal("1470561.87")
    assert result.bid("R5").status == "excluded"  # its 1,365,400.08 does not set the lowest price


def test_multi_part_example() -> None:
    result = evaluate_example("services-multi-part")
    # G3: 3 × 768,000 + 2 × 791,040 + 95,000 + 300 × 710 = 2,304,000 + 1,582,080 + 95,000 + 213,000 = 4,194,080
    g3 = result.bid("G3").price
    assert (g3.evaluated, g3.stated, g3.arithmetic_error) == (
        Decimal("4194080.00"),
        Decimal("3981080.00"),
        True,
    )
    # G1: 2,436,000 + 1,672,720 + 48,500 + 192,000 = 4,349,220; 40 × (1 − 155,140 / 4,194,080) = 38.5204… → 38.52
    assert result.bid("G1").price.evaluated == Decimal("4349220.00")
    assert result.bid("G1").price.score == Decimal("38.52")


def test_whole_life_example() -> None:
    result = evaluate_example("equipment-whole-life")
    # E1 by hand: 8-year annuity factor at 3.5% (1 − 1.035^−8) / 0.035 = 6.8739555…;
    # 2,580,000 + 134,500 × 6.8739555… + 240,000 / 1.035^5 = 3,706,620.58
    annuity = sum(Fraction(200, 207) ** year for year in range(1, 9))
    e1 = 2580000 + 134500 * annuity + 240000 * Fraction(200, 207) ** 5
    assert abs(e1 - Fraction("3706620.58")) < Fraction(1, 200)
    assert result.bid("E1").price.evaluated == Decimal("3706620.58")
    assert result.bid("E4").price.stated == Decimal(
        "4027000.00"
    )  # undiscounted: 2,490,000 + 8 × 159,000 + 265,000
    assert [f.code for f in result.bid("E4").flags] == ["arithmetic_error"]


@pytest.mark.parametrize(
    "name",
    ["repairs-schedule-of-rates", "services-multi-part", "equipment-whole-life", "housing-repairs"],
)
def test_results_match_the_published_result_schema(name: str) -> None:
    errors = list(
        Draft202012Validator(schema("result")).iter_errors(
            json.loads(evaluate_example(name).to_json())
        )
    )
    assert errors == []


def test_the_result_schema_file_is_generated_from_the_model() -> None:
    assert schema("result") == json.loads(json.dumps(result_schema()))
