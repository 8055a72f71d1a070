"""Award on value (fictitious price), other point totals and fixed score scales (issue 18).

Each published figure is reproduced exactly and named by its source; the decisions the sources
leave open (a negative fictitious price, marks outside a declared scale) are tested as documented
in docs/methods.md.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import svengine
from svengine.io.schemas import validate as schema_problems
from svengine.problems import InvalidInput
from svengine.report.methodology import render_methodology
from svengine.scoring import rules
from svengine.scoring.quality import deduction, fictitious_price

LIBRARY = {
    "id": "t",
    "version": "1",
    "currency": "EUR",
    "licence": "test",
    "measures": [
        {"id": "M1", "theme": "t", "outcome": "o", "title": "t", "unit": "£", "proxy_value": "1",
         "basis": "total"}
    ],
}  # fmt: skip


def _tender(doc: dict[str, Any]) -> svengine.Tender:
    return svengine.parse_tender(doc, library=svengine.parse_library(dict(LIBRARY)))


def _value_tender(
    money_value: str = "2500", max_score: int = 100, **quality: Any
) -> dict[str, Any]:
    return {
        "id": "T",
        "title": "award on value",
        "currency": "EUR",
        "contract_value": "100000",
        "weights": {"quality": 40, "price": 60, "social_value": 0},
        "quality": {
            "method": "absolute",
            "scale_max": max_score,
            "criteria": [
                {"id": "Q1", "title": "plan of approach", "weight": 40, "money_value": money_value}
            ],
            **quality,
        },
        "price": {"method": "lowest_relative"},
        "rounding": {"places": 2, "mode": "half_up"},
        "award": {"model": "fictitious_price"},
    }


def _run(doc: dict[str, Any], prices: dict[str, str], marks: dict[str, str]) -> svengine.Result:
    bids = svengine.parse_bids(
        [{"bidder": {"id": b, "name": f"Bidder {b}"}, "price": p} for b, p in prices.items()]
    )
    scores = svengine.parse_scores(
        [{"bidder": b, "criterion": "Q1", "score": s} for b, s in marks.items()]
    )
    return svengine.evaluate(_tender(doc), bids, scores)


# -- award on value -----------------------------------------------------------------------------


def test_negometrix_mercell_80000_bid_partially_meets_60_pct_of_2500_is_fictitious_78500() -> None:
    """Negometrix/Mercell's award-on-value example: a €80,000 bid rated "partially meets" (60%)
    on a sub-criterion worth €2,500 has a fictitious price of €78,500."""
    result = _run(_value_tender(), {"A": "80000"}, {"A": "60"})
    bid = result.bid("A")
    assert "Q1 2,500.00 × 60/100 = 1,500.00" in bid.explain.total
    assert "= 78,500.00 EUR, ranked lowest first" in bid.explain.total
    assert bid.price.evaluated == Decimal("80000")  # the invoiced price stays the bid's price
    assert result.method is not None and result.method.award_model == "fictitious_price"


def test_inkopsradet_metodhandboken_1000_kr_hourly_rate_less_800_600_400_200_0_by_level() -> None:
    """Inköpsrådet's Metodhandboken: an hourly rate of 1,000 kr with deductions of 800, 600, 400,
    200 and 0 kr for competence levels 4 to 0; proportional money_value 800 on a 0-4 scale gives
    exactly that table, so no per-level table is needed."""
    doc = _value_tender("800", max_score=4, allowed_scores=[0, 1, 2, 3, 4])
    doc["currency"] = "SEK"
    levels = {"L4": "4", "L3": "3", "L2": "2", "L1": "1", "L0": "0"}
    result = _run(doc, dict.fromkeys(levels, "1000"), levels)
    tender = _tender(doc)
    criterion = tender.quality_criteria[0]
    assert [deduction(tender, criterion, Decimal(level)) for level in "43210"] == [
        800, 600, 400, 200, 0
    ]  # fmt: skip
    for bidder, fictitious in {"L4": 200, "L3": 400, "L2": 600, "L1": 800, "L0": 1000}.items():
        assert f"= {fictitious:,}.00 SEK" in result.bid(bidder).explain.total
    assert [b.bidder_id for b in result.bids] == ["L4", "L3", "L2", "L1", "L0"]
    assert [b.rank for b in result.bids] == [1, 2, 3, 4, 5]


def test_lowest_fictitious_price_wins_even_against_the_higher_weighted_total() -> None:
    # A: 80,000 at full marks (fictitious 77,500); B: 78,000 with nothing (fictitious 78,000).
    result = _run(_value_tender(), {"A": "80000", "B": "78000"}, {"A": "100", "B": "0"})
    assert [(b.bidder_id, b.rank) for b in result.bids] == [("A", 1), ("B", 2)]
    assert [a.bidder_id for a in result.awards] == ["A"]


def test_equal_fictitious_prices_go_to_the_tie_break_chain_then_share_the_rank() -> None:
    # A: 80,000 − 2,500 = 77,500; B: 79,000 − 1,500 = 77,500.
    doc = _value_tender()
    tied = _run(doc, {"A": "80000", "B": "79000"}, {"A": "100", "B": "60"})
    assert [b.rank for b in tied.bids] == [1, 1]
    assert any("same fictitious price" in f.message for f in tied.bids[0].flags)
    doc["tie_break"] = ["lowest_price"]
    broken = _run(doc, {"A": "80000", "B": "79000"}, {"A": "100", "B": "60"})
    assert [(b.bidder_id, b.rank) for b in broken.bids] == [("B", 1), ("A", 2)]
    assert any(
        f.code == "tie_broken" and "same fictitious price 77,500.00" in f.message
        for f in broken.bid("B").flags
    )


def test_a_fictitious_price_below_zero_ranks_as_it_is_and_is_flagged() -> None:
    """Decision (docs/methods.md): deductions above the price give a negative fictitious price;
    it is not clamped at 0 (which would tie every such bid), it ranks lowest first, and a flag
    says the published money values outweigh the price."""
    result = _run(_value_tender("5000"), {"A": "2000", "B": "2200"}, {"A": "100", "B": "40"})
    a, b = result.bid("A"), result.bid("B")
    assert (a.rank, b.rank) == (1, 2)  # −3,000 before 200
    assert "= -3,000.00 EUR" in a.explain.total
    assert [f.code for f in a.flags] == ["fictitious_price_below_zero"]
    assert b.flags == ()
    assert a.price.evaluated == Decimal("2000")


def test_fictitious_price_needs_money_value_on_every_quality_criterion() -> None:
    doc = _value_tender()
    del doc["quality"]["criteria"][0]["money_value"]
    with pytest.raises(InvalidInput) as raised:
        _tender_checked(doc)
    assert [(p.code, p.location.path) for p in raised.value.problems] == [
        ("missing_parameter", "$.quality.criteria[0]")
    ]


def test_money_value_outside_fictitious_price_is_a_located_problem() -> None:
    doc = _value_tender()
    doc["award"] = {"model": "weighted"}
    with pytest.raises(InvalidInput) as raised:
        _tender_checked(doc)
    assert [(p.code, p.location.path) for p in raised.value.problems] == [
        ("unused_parameter", "$.quality.criteria[0].money_value")
    ]


def _tender_checked(doc: dict[str, Any]) -> None:
    tender = _tender(doc)
    problems = svengine.check_all(tender, [], [])
    if problems:
        raise InvalidInput(problems)


@given(
    price=st.integers(1, 10**9),
    money=st.integers(0, 10**6),
    score=st.integers(0, 10),
)
def test_fictitious_price_is_price_less_money_times_score_over_max(
    price: int, money: int, score: int
) -> None:
    doc = _value_tender(str(money), max_score=10)
    tender = _tender(doc)
    criterion = tender.quality_criteria[0]
    expected = Fraction(price) - Fraction(money * score, 10)
    assert fictitious_price(Fraction(price), deduction(tender, criterion, Decimal(score))) == (
        expected
    )
    env = {"P": Fraction(price), "D": Fraction(money * score, 10)}
    assert rules.exact(rules.FICTITIOUS_PRICE)(env) == expected


# -- other point totals -------------------------------------------------------------------------


def _points_tender(total: int, quality: int, price: int, places: int) -> dict[str, Any]:
    return {
        "id": "T",
        "title": "points",
        "currency": "USD",
        "contract_value": "100000",
        "total_points": total,
        "weights": {"quality": quality, "price": price, "social_value": 0},
        "quality": {
            "method": "absolute",
            "scale_max": quality,
            "criteria": [{"id": "Q1", "title": "technical", "weight": quality}],
        },
        "price": {"method": "lowest_relative"},
        "rounding": {"places": places, "mode": "half_up"},
    }


def test_negometrix_200_point_low_bid_example_a_146_against_b_144() -> None:
    """Negometrix's 200-point low-bid example: A quality 90 and price $10,000; B quality 74 and
    price $8,000 with the 70 price points. Low bid scoring, 70 × lowest / price: A gets
    70 × 8,000 / 10,000 = 56, so A 90 + 56 = 146 against B 74 + 70 = 144."""
    result = _run(
        _points_tender(200, 130, 70, 2), {"A": "10000", "B": "8000"}, {"A": "90", "B": "74"}
    )
    a, b = result.bid("A"), result.bid("B")
    assert (a.quality.score, a.price.score, a.total_score) == (90, 56, 146)
    assert (b.quality.score, b.price.score, b.total_score) == (74, 70, 144)
    assert (a.rank, b.rank) == (1, 2)
    assert a.explain.total.startswith("Total = quality 90.00 + price 56.00 + social value 0.00")
    assert "= 146.00 of 200 (the sum" in a.explain.total


def test_georgia_procurement_manual_5_6_3_2_2_55000_bid_scores_272_7_of_300_cost_points() -> None:
    """Georgia Procurement Manual §5.6.3.2.2: cost points = lowest cost ÷ the proposal's cost ×
    the cost points available; with the lowest at $50,000, a $55,000 bid scores
    50,000 / 55,000 × 300 = 272.72… → 272.7 of 300 (one place)."""
    result = _run(
        _points_tender(1000, 700, 300, 1), {"L": "50000", "G": "55000"}, {"L": "0", "G": "0"}
    )
    assert result.bid("G").price.score == Decimal("272.7")
    assert result.bid("L").price.score == Decimal("300.0")
    assert "300 × 50,000.00 (lowest valid price) / 55,000.00" in result.bid("G").explain.price


def test_weights_must_add_up_to_the_declared_total() -> None:
    doc = _points_tender(200, 130, 60, 2)
    with pytest.raises(InvalidInput) as raised:
        _tender_checked(doc)
    problem = raised.value.problems[0]
    assert problem.code == "weights_sum"
    assert problem.message.startswith("block weights must add up to 200 points (total_points)")


def test_the_declared_total_leaves_the_method_digest_of_a_100_point_tender_alone() -> None:
    from svengine.seal.digests import method_sha256

    doc = _points_tender(100, 60, 40, 2)
    without = {k: v for k, v in doc.items() if k != "total_points"}
    assert method_sha256(_tender(without)) != method_sha256(_tender(doc))  # declared: in the method
    assert "total_points" not in _tender(without).model_dump(exclude_none=True)


def test_methodology_shows_the_declared_scale() -> None:
    text = render_methodology(_tender(_points_tender(200, 130, 70, 2)), "markdown")
    assert "200 points" in text


# -- allowed marks and descriptors --------------------------------------------------------------

UK_SCALE = {
    "allowed_scores": [0, 2, 5, 8, 10],
    "descriptors": {0: "Unacceptable", 2: "Poor", 5: "Satisfactory", 8: "Good", 10: "Excellent"},
}


def _scale_tender(**where: Any) -> dict[str, Any]:
    doc = _points_tender(100, 60, 40, 2)
    doc["quality"]["scale_max"] = 10
    doc["quality"].update(where)
    return doc


def test_a_mark_outside_the_allowed_scores_is_a_located_problem() -> None:
    tender = _tender(_scale_tender(**UK_SCALE))
    bids = svengine.parse_bids([{"bidder": {"id": "A", "name": "a"}, "price": "100"}])
    scores = svengine.parse_scores([{"bidder": "A", "criterion": "Q1", "score": "6"}])
    problems = svengine.check_all(tender, bids, scores)
    assert [(p.code, p.bidder, p.criterion) for p in problems] == [("score_not_allowed", "A", "Q1")]
    assert problems[0].message == (
        "score 6 is not one of the marks allowed on criterion Q1 (0, 2, 5, 8, 10)"
    )
    ok = svengine.parse_scores([{"bidder": "A", "criterion": "Q1", "score": "8.0"}])
    assert svengine.check_all(tender, bids, ok) == []


def test_a_criterion_scale_overrides_the_blocks() -> None:
    doc = _scale_tender(**UK_SCALE)
    doc["quality"]["criteria"][0].update(allowed_scores=[0, 1, 2, 3, 4], max_score=4)
    doc["quality"]["criteria"][0]["descriptors"] = {0: "None", 4: "Full"}
    tender = _tender(doc)
    assert tender.allowed_scores(tender.quality_criteria[0]) == tuple(Decimal(m) for m in range(5))
    assert svengine.check_all(tender, [], []) == []


def test_descriptors_for_marks_not_allowed_and_marks_off_the_scale_are_located() -> None:
    doc = _scale_tender(allowed_scores=[0, 2, 5, 8, 12], descriptors={3: "Fair"})
    with pytest.raises(InvalidInput) as raised:
        _tender(doc)
    assert [(p.code, p.location.path) for p in raised.value.problems] == [
        ("bad_scale", "$.quality.allowed_scores[4]"),
        ("bad_scale", "$.quality.descriptors['3']"),
    ]


def test_the_schema_takes_the_pinned_names_as_yaml_writes_them() -> None:
    doc = _value_tender()
    doc["quality"].update(UK_SCALE, scale_max=10)
    doc["total_points"] = 100
    assert schema_problems(doc, "tender") == []
    doc["quality"]["descriptors"] = {0: 5}
    assert [p.code for p in schema_problems(doc, "tender")] == ["schema"]


def test_descriptors_appear_in_the_methodology() -> None:
    text = render_methodology(_tender(_scale_tender(**UK_SCALE)), "markdown")
    assert "0 Unacceptable, 2 Poor, 5 Satisfactory, 8 Good, 10 Excellent" in text


def test_the_workbook_shows_deductions_and_the_fictitious_price_as_live_formulas(
    tmp_path: Any,
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from svengine.report.workbook import workbook_bytes
    from svengine.report.workbook.writer import FIRST_ROW, HEADER_ROW, heading
    from workbook_cases import CASES, write_case

    folder = write_case(tmp_path / "case", CASES["fictitious-price-200"])
    loaded = svengine.load_folder(folder)
    result = svengine.evaluate_folder(folder)
    assert [(b.bidder_id, b.rank) for b in result.bids] == [
        ("V1", 1), ("V4", 2), ("V2", 3), ("V3", None)
    ]  # fmt: skip
    assert [f.code for f in result.bid("V1").flags] == ["fictitious_price_below_zero"]
    book = load_workbook(BytesIO(workbook_bytes(loaded.tender, result)))
    summary = book["Summary"]
    header, first = HEADER_ROW + 1, FIRST_ROW + 1  # 1-based rows under the print title block
    headers = [c.value for c in summary[header]]
    column = headers.index(heading("fictitious_price")) + 1
    # V1's price (Price, its row) less its two quality deductions (Criteria, column M).
    assert summary.cell(first, column).value == (
        f"=Price!$C${first}-SUM(Criteria!M{first}:M{first + 1})"
    )
    notes = [str(c.value) for row in book["Issues"].iter_rows() for c in row]
    assert "fictitious_price" in notes


def test_descriptors_appear_in_the_scores_template_and_the_assessment_summaries() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from svengine.excel.templates import scores_template
    from svengine.report.summaries import summaries

    doc = _scale_tender(**UK_SCALE)
    tender = _tender(doc)
    book = load_workbook(BytesIO(scores_template(tender)))
    rows = [[c.value for c in row] for row in book["Criteria"].iter_rows()]
    assert rows[0][-1] == "marks"
    assert rows[1][-1] == "only 0 Unacceptable, 2 Poor, 5 Satisfactory, 8 Good, 10 Excellent"
    result = _run(doc, {"A": "100"}, {"A": "8"})
    text = summaries(result, tender=tender)["A"].markdown()
    assert "8 of 10 (Good)" in text
    assert "Score scales: Q1: only 0 Unacceptable, 2 Poor" in text
    assert "(Good)" not in summaries(result)["A"].markdown()  # result.json alone has only marks


def test_summaries_and_inputs_show_a_declared_200_point_total() -> None:
    from svengine.report.summaries import summaries

    result = _run(
        _points_tender(200, 130, 70, 2), {"A": "10000", "B": "8000"}, {"A": "90", "B": "74"}
    )
    assert "Points of the 200-point total: quality 130" in summaries(result)["A"].markdown()


def test_robustness_and_stress_say_the_weights_do_not_decide_an_award_on_value() -> None:
    from svengine.analysis.robustness import weight_sensitivity
    from svengine.analysis.stress import rounding_bands

    doc = _value_tender()
    result = _run(doc, {"A": "80000", "B": "78000"}, {"A": "100", "B": "0"})
    tender = _tender(doc)
    assert weight_sensitivity(tender, result)["skipped"].startswith(
        "not applicable: the award model fictitious_price"
    )
    assert "exact fictitious price" in rounding_bands(tender, result)["not_applicable"]


def test_a_runner_up_wins_an_award_on_value_by_the_money_it_is_short_of() -> None:
    """V4's fictitious price is 225,000 against V1's −250,000 (workbook_cases.py): a cut of
    exactly 475,000 levels them, and the published tie-break (lowest price) then puts V4 first."""
    from svengine.analysis.robustness import runners_up
    from workbook_cases import CASES

    case = CASES["fictitious-price-200"]
    tender = svengine.parse_tender(
        case["tender"], library=svengine.parse_library(dict(LIBRARY, currency="GBP"))
    )
    bids = svengine.parse_bids(case["bids"])
    criteria = ["Q1", "Q2"]
    scores = svengine.parse_scores(
        [
            {"bidder": bidder, "criterion": c, "score": str(s)}
            for bidder, marks in case["scores"].items()
            for c, s in zip(criteria, marks, strict=True)
        ]
    )
    result = svengine.evaluate(tender, bids, scores)
    section = runners_up(tender, bids, scores, result)
    cuts = {row["bidder_id"]: row["price_cut"] for row in section["bids"]}
    assert cuts == {"V4": "475000", "V2": "550000"}
    assert "extra_quality_not_analysed" in section
