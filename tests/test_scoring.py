"""Every formula and rule of the evaluation, on figures worked out by hand (issue 2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from builders import bid, run, tender

FULL = {"Q1": 5, "Q2": 5}


def totals(result: Any) -> dict[str, tuple[Any, ...]]:
    return {
        b.bidder_id: (b.rank, b.quality.score, b.price.score, b.social_value.score, b.total_score)
        for b in result.bids
    }


def price_scores(method: dict[str, Any], prices: dict[str, str]) -> dict[str, str]:
    result = run(
        tender(price=method, weights={"quality": 60, "price": 30, "social_value": 10}),
        [bid(b, p) for b, p in prices.items()],
        {b: FULL for b in prices},
    )
    return {b.bidder_id: format(b.price.score, "f") for b in result.bids}


def test_lowest_relative_price() -> None:
    # 30 × 100/100 = 30; 30 × 100/120 = 25; 30 × 100/150 = 20
    assert price_scores({"method": "lowest_relative"}, {"A": "100", "B": "120", "C": "150"}) == {
        "A": "30.00",
        "B": "25.00",
        "C": "20.00",
    }


def test_lowest_relative_price_rounds_only_the_published_score() -> None:
    # 30 × 100/300 = 10; 30 × 100/700 = 4.2857142... -> 4.29
    assert (
        price_scores({"method": "lowest_relative"}, {"A": "100", "B": "300", "C": "700"})["C"]
        == "4.29"
    )


def test_min_max_linear_price() -> None:
    # 30 × (150 − 120)/(150 − 100) = 18; the highest price gets 0 however close it is
    assert price_scores({"method": "min_max_linear"}, {"A": "100", "B": "120", "C": "150"}) == {
        "A": "30.00",
        "B": "18.00",
        "C": "0.00",
    }


def test_min_max_linear_all_prices_equal_gives_everyone_full_marks() -> None:
    assert price_scores({"method": "min_max_linear"}, {"A": "100", "B": "100"}) == {
        "A": "30.00",
        "B": "30.00",
    }


def test_proportional_deviation_price_is_clamped_at_zero() -> None:
    # 30 × (1 − 20/100) = 24; 30 × (1 − 50/100) = 15; 250 is more than twice the lowest: 0, not negative
    scores = price_scores(
        {"method": "proportional_deviation"}, {"A": "100", "B": "120", "C": "150", "D": "250"}
    )
    assert scores == {"A": "30.00", "B": "24.00", "C": "15.00", "D": "0.00"}


def test_reference_linear_price_uses_published_bounds_and_clamps() -> None:
    # ceiling 160 (0 points), floor 100 (full): 30 × (160 − 120)/60 = 20; 30 × 10/60 = 5; 170 -> 0; 90 -> 30
    method = {"method": "reference_linear", "ceiling": "160", "floor": "100"}
    scores = price_scores(method, {"A": "90", "B": "120", "C": "150", "D": "170"})
    assert scores == {"A": "30.00", "B": "20.00", "C": "5.00", "D": "0.00"}


def test_absolute_quality_is_the_sum_of_weighted_points() -> None:
    # Q1 weight 40, Q2 weight 20, scale 5: (3, 4) -> 40×3/5 + 20×4/5 = 24 + 16 = 40
    result = run(
        tender(),
        [bid("A", "100"), bid("B", "100")],
        {"A": {"Q1": 3, "Q2": 4}, "B": {"Q1": "2.5", "Q2": 5}},
    )
    assert result.bid("A").quality.score == Decimal("40.00")
    assert result.bid("A").quality.points == "40"
    assert [c.points for c in result.bid("A").quality.criteria] == ["24", "16"]
    # 40 × 2.5/5 + 20 = 40
    assert result.bid("B").quality.score == Decimal("40.00")


def test_relative_to_best_quality() -> None:
    # T: A = 60, B = 40 -> B gets 60 × 40/60 = 40; with A absent B would get 60 (relative method)
    quality = {
        "method": "relative_to_best",
        "scale_max": 5,
        "criteria": [
            {"id": "Q1", "title": "M", "weight": 40},
            {"id": "Q2", "title": "S", "weight": 20},
        ],
    }
    result = run(
        tender(quality=quality),
        [bid("A", "100"), bid("B", "100")],
        {"A": FULL, "B": {"Q1": 2, "Q2": 4}},
    )
    # B: T = 16 + 16 = 32 -> 60 × 32/60 = 32
    assert result.bid("A").quality.score == Decimal("60.00")
    assert result.bid("B").quality.score == Decimal("32.00")
    alone = run(tender(quality=quality), [bid("B", "100")], {"B": {"Q1": 2, "Q2": 4}})
    assert alone.bid("B").quality.score == Decimal("60.00")


def test_max_score_overrides_scale_max() -> None:
    quality = {
        "method": "absolute",
        "scale_max": 5,
        "criteria": [
            {"id": "Q1", "title": "M", "weight": 40},
            {"id": "Q2", "title": "S", "weight": 20, "max_score": 10},
        ],
    }
    result = run(tender(quality=quality), [bid("A", "100")], {"A": {"Q1": 5, "Q2": 7}})
    # 40 + 20 × 7/10 = 54
    assert result.bid("A").quality.score == Decimal("54.00")


def test_percent_of_block_weights_are_converted_exactly_to_points() -> None:
    # Q1 70% and Q2 30% of a 60-point block are 42 and 18 points; scores 5 and 1 of 5 -> 42 + 3.6 = 45.6
    quality = {
        "method": "absolute",
        "scale_max": 5,
        "weights_basis": "percent_of_block",
        "criteria": [
            {"id": "Q1", "title": "M", "weight": 70},
            {"id": "Q2", "title": "S", "weight": 30},
        ],
    }
    result = run(tender(quality=quality), [bid("A", "100")], {"A": {"Q1": 5, "Q2": 1}})
    a = result.bid("A")
    assert [c.weight for c in a.quality.criteria] == [Decimal(42), Decimal(18)]
    assert a.quality.score == Decimal("45.60")


def test_min_score_excludes_and_the_excluded_bid_leaves_the_reference_set() -> None:
    quality = {
        "method": "absolute",
        "scale_max": 5,
        "criteria": [
            {"id": "Q1", "title": "M", "weight": 40, "min_score": 2},
            {"id": "Q2", "title": "S", "weight": 20},
        ],
    }
    result = run(
        tender(quality=quality),
        [bid("A", "100"), bid("B", "120"), bid("C", "150")],
        {"A": {"Q1": 1, "Q2": 5}, "B": FULL, "C": FULL},
    )
    a = result.bid("A")
    assert a.status == "excluded" and a.rank is None and a.total_score is None
    assert [e.code for e in a.exclusions] == ["below_min_score"]
    # P_min is B's 120, not A's 100: B 30, C 30 × 120/150 = 24
    assert result.bid("B").price.score == Decimal("30.00")
    assert result.bid("C").price.score == Decimal("24.00")
    assert result.reference.lowest_price == Decimal("120.00")
    assert [b.bidder_id for b in result.bids] == ["B", "C", "A"]  # excluded last


def test_min_total_pct_compares_quality_points_with_points_available() -> None:
    quality = {
        "method": "absolute",
        "scale_max": 5,
        "min_total_pct": 50,
        "criteria": [
            {"id": "Q1", "title": "M", "weight": 40},
            {"id": "Q2", "title": "S", "weight": 20},
        ],
    }
    # 50% of 60 = 30. A: 40×2/5 + 20×2/5 = 24 < 30 excluded; B: 40×2/5 + 20×3/5 = 28 < 30; C: 40×3/5
    # + 0 = 24; D exactly 30 passes
    marks = {"A": {"Q1": 2, "Q2": 2}, "B": {"Q1": 2, "Q2": 3}, "D": {"Q1": "2.5", "Q2": 5}}
    result = run(tender(quality=quality), [bid(b, "100") for b in marks], marks)
    assert {b.bidder_id: b.status for b in result.bids} == {
        "A": "excluded",
        "B": "excluded",
        "D": "ranked",
    }
    assert result.bid("A").exclusions[0].code == "below_min_total_quality"


def test_min_total_pct_applies_to_relative_quality_on_the_absolute_sum() -> None:
    quality = {
        "method": "relative_to_best",
        "scale_max": 5,
        "min_total_pct": 50,
        "criteria": [{"id": "Q1", "title": "M", "weight": 60}],
    }
    tender_obj = tender(quality=quality, weights={"quality": 60, "price": 30, "social_value": 10})
    # A scores 2/5: T = 24 of 60 < 30, excluded even though relative to nobody it would be "best"
    result = run(tender_obj, [bid("A", "100"), bid("B", "100")], {"A": {"Q1": 2}, "B": {"Q1": 3}})
    assert result.bid("A").status == "excluded"
    assert result.bid("B").quality.score == Decimal("60.00")


def test_social_value_commitments_proxies_years_and_record_only() -> None:
    commitments = [
        {"measure": "JOB", "quantity": "2", "years": 3},  # 2 × 3 × 30,000 = 180,000
        {"measure": "SPEND", "quantity": "400000"},  # whole term: 400,000 × 0.25 = 100,000
        {
            "measure": "HIRE",
            "quantity": "3",
            "years": 2,
        },  # first year only: 3 × 20,000 × 1 = 60,000
        {"measure": "RLW", "quantity": "100"},  # record only: 0
        {"measure": "CO2", "quantity": "10"},  # years default 1: 10 × 250 = 2,500
    ]
    result = run(tender(), [bid("A", "500000", commitments)], {"A": FULL})
    sv = result.bid("A").social_value
    assert [c.value for c in sv.commitments] == [
        Decimal("180000.00"),
        Decimal("100000.00"),
        Decimal("60000.00"),
        Decimal("0.00"),
        Decimal("2500.00"),
    ]
    assert [c.years for c in sv.commitments] == [3, 1, 1, 1, 1]
    assert sv.total == Decimal("342500.00")
    # 342,500 / 1,000,000 × 100 = 34.25; of price 500,000: 68.50
    assert sv.additionality_pct == Decimal("34.25")
    assert sv.additionality_pct_of_price == Decimal("68.50")
    assert [f.code for f in result.bid("A").flags] == ["years_capped"]


def test_social_value_relative_to_highest() -> None:
    result = run(
        tender(),
        [
            bid("A", "100", [{"measure": "CO2", "quantity": "40"}]),
            bid("B", "100", [{"measure": "CO2", "quantity": "30"}]),
            bid("C", "100"),
        ],
        {b: FULL for b in "ABC"},
    )
    # 10 × 7,500/10,000 = 7.5; nobody offering is 0, not an error
    assert [result.bid(b).social_value.score for b in "ABC"] == [
        Decimal("10.00"),
        Decimal("7.50"),
        Decimal("0.00"),
    ]


def test_social_value_relative_to_highest_ratio_uses_value_per_price() -> None:
    sv = {"library": "lib.yaml", "method": "relative_to_highest_ratio"}
    result = run(
        tender(social_value=sv),
        [
            bid("A", "100", [{"measure": "CO2", "quantity": "40"}]),
            bid("B", "50", [{"measure": "CO2", "quantity": "30"}]),
        ],
        {b: FULL for b in "AB"},
    )
    # ratios: A 10,000/100 = 100, B 7,500/50 = 150 -> A 10 × 100/150 = 6.666.. -> 6.67
    assert result.bid("A").social_value.score == Decimal("6.67")
    assert result.bid("B").social_value.score == Decimal("10.00")


def test_social_value_target_method_caps_at_the_target() -> None:
    sv = {"library": "lib.yaml", "method": "target", "target_pct": 20}
    result = run(
        tender(social_value=sv),
        [
            bid("A", "100", [{"measure": "JOB", "quantity": "2", "years": 3}]),
            bid("B", "100", [{"measure": "JOB", "quantity": "3", "years": 3}]),
        ],
        {b: FULL for b in "AB"},
    )
    # A: 180,000 = 18% of 1,000,000 -> 10 × 18/20 = 9; B: 27% -> capped at 10
    assert result.bid("A").social_value.score == Decimal("9.00")
    assert result.bid("B").social_value.score == Decimal("10.00")


def test_social_value_criteria_add_to_the_quantitative_part() -> None:
    sv = {
        "library": "lib.yaml",
        "method": "relative_to_highest",
        "quantitative_weight": 6,
        "criteria": [{"id": "SV1", "title": "Plan", "weight": 4}],
    }
    result = run(
        tender(social_value=sv),
        [
            bid("A", "100", [{"measure": "CO2", "quantity": "40"}]),
            bid("B", "100", [{"measure": "CO2", "quantity": "20"}]),
        ],
        {"A": {**FULL, "SV1": 2}, "B": {**FULL, "SV1": 5}},
    )
    # A: 6 + 4 × 2/5 = 7.6; B: 6 × 1/2 + 4 = 7
    assert result.bid("A").social_value.score == Decimal("7.60")
    assert result.bid("B").social_value.score == Decimal("7.00")
    assert result.bid("A").social_value.quantitative_points == "6"


def test_measures_outside_the_allowed_list_are_ignored_and_flagged() -> None:
    sv = {"library": "lib.yaml", "method": "relative_to_highest", "measures": ["JOB"]}
    result = run(
        tender(social_value=sv),
        [
            bid(
                "A",
                "900000",
                [{"measure": "CO2", "quantity": "40"}, {"measure": "JOB", "quantity": "1"}],
            )
        ],
        {"A": FULL},
    )
    a = result.bid("A")
    assert a.social_value.total == Decimal("30000.00")
    assert [c.counted for c in a.social_value.commitments] == [False, True]
    assert [f.code for f in a.flags] == ["measure_not_allowed"]


def test_same_measure_twice_and_years_beyond_duration_are_flagged() -> None:
    commitments = [
        {"measure": "JOB", "quantity": "1", "years": 5},
        {"measure": "JOB", "quantity": "1"},
    ]
    result = run(tender(), [bid("A", "900000", commitments)], {"A": FULL})
    assert sorted(f.code for f in result.bid("A").flags) == [
        "duplicate_measure",
        "years_beyond_duration",
    ]
    assert result.bid("A").social_value.total == Decimal(
        "180000.00"
    )  # flagged, still counted: the panel decides


def test_total_is_the_sum_of_the_rounded_blocks() -> None:
    # quality 60 × 1/3... use Q1 40 × 1/3 via score 5/3? Scores are decimals: Q1 = 1 of 3 via max_score 3.
    quality = {
        "method": "absolute",
        "scale_max": 3,
        "criteria": [
            {"id": "Q1", "title": "M", "weight": 40},
            {"id": "Q2", "title": "S", "weight": 20},
        ],
    }
    result = run(
        tender(quality=quality),
        [bid("A", "100"), bid("B", "300")],
        {"A": {"Q1": 1, "Q2": 1}, "B": {"Q1": 1, "Q2": 1}},
    )
    b = result.bid("B")
    # quality 40/3 + 20/3 = 20 exactly; price 30 × 100/300 = 10; SV 0 -> total 30.00
    assert b.quality.score == Decimal("20.00") and b.price.score == Decimal("10.00")
    a = run(
        tender(quality=quality),
        [bid("A", "100"), bid("B", "700")],
        {"A": {"Q1": 1, "Q2": 1}, "B": {"Q1": 1, "Q2": 2}},
    ).bid("B")
    # quality 40/3 + 40/3 = 26.666.. -> 26.67; price 30/7 = 4.2857.. -> 4.29; total 30.96 (exact sum
    # 30.952.. would round to 30.95)
    assert (a.quality.score, a.price.score, a.total_score) == (
        Decimal("26.67"),
        Decimal("4.29"),
        Decimal("30.96"),
    )


@pytest.mark.parametrize(
    ("mode", "expected"), [("half_up", "4.29"), ("half_even", "4.29"), ("down", "4.28")]
)
def test_declared_rounding_mode_applies_to_block_scores(mode: str, expected: str) -> None:
    result = run(
        tender(rounding={"places": 2, "mode": mode}),
        [bid("A", "100"), bid("B", "700")],
        {"A": FULL, "B": FULL},
    )
    assert format(result.bid("B").price.score, "f") == expected


def test_half_even_and_half_up_differ_on_an_exact_half() -> None:
    # 30 × 100/800 = 3.75 -> 1 place: half_up 3.8, half_even 3.8; 30 × 100/1600 = 1.875 -> half_even 1.88 (2 places)
    # 30 × 100/480 = 6.25 -> 1 place: half_up 6.3, half_even 6.2
    up = run(
        tender(rounding={"places": 1, "mode": "half_up"}),
        [bid("A", "100"), bid("B", "480")],
        {"A": FULL, "B": FULL},
    )
    even = run(
        tender(rounding={"places": 1, "mode": "half_even"}),
        [bid("A", "100"), bid("B", "480")],
        {"A": FULL, "B": FULL},
    )
    assert up.bid("B").price.score == Decimal("6.3")
    assert even.bid("B").price.score == Decimal("6.2")


def test_unbroken_tie_is_a_shared_rank_with_a_flag() -> None:
    result = run(
        tender(), [bid("B", "100"), bid("A", "100"), bid("C", "110")], {b: FULL for b in "ABC"}
    )
    assert [(b.bidder_id, b.rank) for b in result.bids] == [
        ("A", 1),
        ("B", 1),
        ("C", 3),
    ]  # 1, 1, 3; ties by bidder id
    assert [f.code for f in result.bid("A").flags] == ["tie"]
    assert "B" in result.bid("A").flags[0].message
    assert result.bid("C").flags == ()


def test_tie_break_chain_on_published_block_scores() -> None:
    # A: quality 40×5/5 + 20×2/5 = 48, price 30 × 100/120 = 25 -> 73 + SV 0
    # B: quality 40×4/5 + 20×4/5 = 48 -> same quality; price 30 -> 78: no tie. Make totals tie instead:
    # A: quality 48 + price 30 = 78; B: quality 53 (Q1 5, Q2 "3.25") + price 25 = 78
    marks = {"A": {"Q1": 5, "Q2": 2}, "B": {"Q1": 5, "Q2": "3.25"}}
    bids = [bid("A", "100"), bid("B", "120")]
    untied = run(tender(), bids, marks)
    assert [b.rank for b in untied.bids] == [1, 1]
    by_quality = run(tender(tie_break=["quality", "price"]), bids, marks)
    assert [(b.bidder_id, b.rank) for b in by_quality.bids] == [("B", 1), ("A", 2)]
    assert "tie_broken" in [f.code for f in by_quality.bid("A").flags]
    by_price = run(tender(tie_break=["price"]), bids, marks)
    assert [(b.bidder_id, b.rank) for b in by_price.bids] == [("A", 1), ("B", 2)]
    by_amount = run(tender(tie_break=["lowest_price"]), bids, marks)
    assert [(b.bidder_id, b.rank) for b in by_amount.bids] == [("A", 1), ("B", 2)]


def test_zero_weight_blocks() -> None:
    doc_quality = {"method": "absolute", "scale_max": 5, "criteria": []}
    result = run(
        tender(
            weights={"quality": 0, "price": 100, "social_value": 0},
            quality=doc_quality,
            social_value=None,
        ),
        [bid("A", "100"), bid("B", "200")],
        {},
    )
    assert totals(result) == {
        "A": (1, Decimal("0.00"), Decimal("100.00"), Decimal("0.00"), Decimal("100.00")),
        "B": (2, Decimal("0.00"), Decimal("50.00"), Decimal("0.00"), Decimal("50.00")),
    }


def test_everyone_excluded_gives_no_ranking_and_no_error() -> None:
    quality = {
        "method": "absolute",
        "scale_max": 5,
        "criteria": [{"id": "Q1", "title": "M", "weight": 60, "min_score": 3}],
    }
    result = run(tender(quality=quality), [bid("A", "100")], {"A": {"Q1": 1}})
    assert result.summary.ranked == 0 and result.summary.excluded == 1
    assert result.reference.lowest_price is None


def test_explanations_show_the_formula_with_its_numbers() -> None:
    result = run(tender(), [bid("A", "4310000"), bid("B", "4395000")], {"A": FULL, "B": FULL})
    text = result.bid("B").explain.price
    assert "30 × 4,310,000.00 (lowest valid price) / 4,395,000.00 = 29.419795… → 29.42" in text
    assert (
        "Total = quality 60.00 + price 29.42 + social value 0.00 = 89.42"
        in result.bid("B").explain.total
    )
