"""Evaluation panels: exact aggregation, consensus with rationale, spread and bias flags, every refusal.

Figures are worked by hand in the comments. Tender T-1 (tests/panel_helpers.py): Q1 weight 30 on
0-5, Q2 weight 20 on 0-10.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panel_helpers import bids, codes, full_panel_scores, scores, tender
from svengine.checks import check_scores
from svengine.cli.evaluate import ranked_table
from svengine.problems import InvalidInput
from svengine.scoring.evaluate import check_all, evaluate
from svengine.scoring.panel import mean, median

THREE = {"evaluators": [{"id": e, "conflict_declared": True} for e in ("E1", "E2", "E3")]}


def refusals(tender_obj, bid_list, score_list):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        evaluate(tender_obj, bid_list, score_list)
    return caught.value.problems


# -- exact aggregation ----------------------------------------------------------------------------


def test_mean_is_exact_and_weighted_without_rounding_in_between() -> None:
    # Q1: 2, 4, 5 -> mean 11/3; points 30 × (11/3) / 5 = 22. Q2: 6, 7, 7 -> 20/3; 20 × (20/3) / 10 = 40/3.
    result = evaluate(
        tender({"aggregate": "mean", **THREE}),
        bids("B1"),
        full_panel_scores(
            {
                ("B1", "Q1"): {"E1": "2", "E2": "4", "E3": "5"},
                ("B1", "Q2"): {"E1": "6", "E2": "7", "E3": "7"},
            }
        ),
    )
    q1, q2 = result.bid("B1").quality.criteria
    assert q1.score == Fraction(11, 3) and q1.points == "22"
    assert q2.score == Fraction(20, 3) and q2.points == "40/3"
    # T = 22 + 40/3 = 106/3 = 35.333..., published 35.33 (half_up, 2 places)
    assert result.bid("B1").quality.points == "106/3"
    assert result.bid("B1").quality.score == Decimal("35.33")
    document = json.loads(result.to_json())
    assert document["bids"][0]["quality"]["criteria"][0]["score"] == "11/3"
    assert document["bids"][0]["quality"]["criteria"][0]["panel"]["mean"] == "11/3"


def test_terminating_mean_is_a_decimal() -> None:
    # 2.5 and 3.25 -> 5.75 / 2 = 2.875
    result = evaluate(
        tender({"aggregate": "mean"}),
        bids("B1"),
        full_panel_scores(
            {("B1", "Q1"): {"E1": "2.5", "E2": "3.25"}, ("B1", "Q2"): {"E1": "8", "E2": "8"}}
        ),
    )
    assert result.bid("B1").quality.criteria[0].score == Decimal("2.875")
    assert json.loads(result.to_json())["bids"][0]["quality"]["criteria"][0]["score"] == "2.875"


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    # Q1: 1, 2, 4, 5 -> (2 + 4) / 2 = 3; Q2: 3, 4, 4, 9 -> 4 (odd-looking but even count: (4 + 4) / 2).
    four = {"evaluators": [{"id": e, "conflict_declared": True} for e in ("E1", "E2", "E3", "E4")]}
    result = evaluate(
        tender({"aggregate": "median", "spread_tolerance_pct": 100, **four}),
        bids("B1"),
        full_panel_scores(
            {
                ("B1", "Q1"): {"E1": "1", "E2": "5", "E3": "2", "E4": "4"},
                ("B1", "Q2"): {"E1": "9", "E2": "3", "E3": "4", "E4": "4"},
            }
        ),
    )
    q1, q2 = result.bid("B1").quality.criteria
    assert q1.score == Decimal(3) and q1.points == "18"  # 30 × 3 / 5
    assert q2.score == Decimal(4) and q2.points == "8"  # 20 × 4 / 10
    assert q1.panel is not None and q1.panel.mean == "3" and q1.panel.median == "3"


def test_median_of_an_even_count_can_be_a_half() -> None:
    assert median([Decimal(2), Decimal(3)]) == Fraction(5, 2)
    assert median([Decimal(1), Decimal(2), Decimal(4)]) == 2
    assert mean([Decimal("0.1"), Decimal("0.2")]) == Fraction(
        3, 20
    )  # exactly 0.15: no binary-float 0.30000000000000004 / 2


def test_consensus_score_is_used_with_its_rationale_and_trail() -> None:
    result = evaluate(
        tender(THREE),
        bids("B1"),
        full_panel_scores(
            {
                ("B1", "Q1"): {"E1": "2", "E2": "4", "E3": "5"},
                ("B1", "Q2"): {"E1": "6", "E2": "7", "E3": "7"},
            },
            consensus={("B1", "Q1"): "4", ("B1", "Q2"): "7"},
        ),
    )
    q1 = result.bid("B1").quality.criteria[0]
    assert q1.score == Decimal(4) and q1.points == "24"  # 30 × 4 / 5, not the mean 11/3
    assert q1.comment == "agreed at moderation"
    assert q1.panel is not None
    assert [(s.evaluator, s.score) for s in q1.panel.individual] == [
        ("E1", 2),
        ("E2", 4),
        ("E3", 5),
    ]
    assert (q1.panel.mean, q1.panel.median, q1.panel.consensus, q1.panel.rationale) == (
        "11/3",
        "4",
        4,
        "agreed at moderation",
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=0, max_value=10, places=2, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=9,
    )
)
def test_mean_and_median_lie_between_the_lowest_and_highest_score(values: list[Decimal]) -> None:
    low, high = min(values), max(values)
    assert low <= mean(values) <= high
    assert low <= median(values) <= high
    assert mean(list(reversed(values))) == mean(values)
    assert median(sorted(values, reverse=True)) == median(values)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=5), min_size=6, max_size=6),
    st.lists(st.integers(min_value=0, max_value=10), min_size=6, max_size=6),
    st.sampled_from(["consensus", "mean", "median"]),
    st.randoms(use_true_random=False),
)
def test_order_of_score_rows_never_changes_the_result(
    q1: list[int], q2: list[int], aggregate: str, shuffle: random.Random
) -> None:
    cells = {
        (bidder, criterion): {e: str(values[i * 3 + j]) for j, e in enumerate(("E1", "E2", "E3"))}
        for i, bidder in enumerate(("B1", "B2"))
        for criterion, values in (("Q1", q1), ("Q2", q2))
    }
    consensus = (
        {cell: str(sorted(int(v) for v in by.values())[1]) for cell, by in cells.items()}
        if aggregate == "consensus"
        else None
    )
    rows = full_panel_scores(cells, consensus)
    the_tender = tender({"aggregate": aggregate, **THREE})
    expected = evaluate(the_tender, bids("B1", "B2"), rows).to_json()
    shuffled = list(rows)
    shuffle.shuffle(shuffled)
    assert evaluate(the_tender, list(reversed(bids("B1", "B2"))), shuffled).to_json() == expected


# -- flags ----------------------------------------------------------------------------------------


def test_spread_above_the_tolerance_is_flagged_on_the_bid_and_at_it_is_not() -> None:
    # Q1 (0-5): 2 and 4 -> spread 2 = 40%: not more than 40%. Q2 (0-10): 3 and 8 -> 5 = 50%: flagged.
    result = evaluate(
        tender({"aggregate": "mean"}),
        bids("B1"),
        full_panel_scores(
            {("B1", "Q1"): {"E1": "2", "E2": "4"}, ("B1", "Q2"): {"E1": "3", "E2": "8"}}
        ),
    )
    flags = [f for f in result.bid("B1").flags if f.code == "spread"]
    assert len(flags) == 1 and flags[0].message.startswith("Q2 (Staffing)")
    assert "50% of the 0-10 scale" in flags[0].message
    q1, q2 = result.bid("B1").quality.criteria
    assert q1.panel is not None and (
        q1.panel.spread,
        q1.panel.spread_pct,
        q1.panel.disagreement,
    ) == (2, "40", False)
    assert q2.panel is not None and (
        q2.panel.spread,
        q2.panel.spread_pct,
        q2.panel.disagreement,
    ) == (5, "50", True)
    assert result.panel is not None and result.panel.disagreements == 1


def test_spread_tolerance_is_the_tenders() -> None:
    result = evaluate(
        tender({"aggregate": "mean", "spread_tolerance_pct": 30}),
        bids("B1"),
        full_panel_scores(
            {("B1", "Q1"): {"E1": "2", "E2": "4"}, ("B1", "Q2"): {"E1": "3", "E2": "5"}}
        ),
    )
    assert [f.message.split(" ")[0] for f in result.bid("B1").flags if f.code == "spread"] == [
        "Q1"
    ]  # 40% > 30%; Q2 20%


def test_evaluator_bias_is_flagged_in_the_panel_section() -> None:
    # Q1 only matters here (Q2 all equal). B1: 1, 4, 4 (mean 3); B2: 2, 5, 5 (mean 4).
    # E1 differs by -2 marks = -40% of the 0-5 scale in both cells; Q2 cells add 0.
    # E1: (-40 - 40 + 0 + 0) / 4 = -20%  -> not above 25%.  So make Q2 agree with Q1's pattern:
    # Q2 (0-10): B1 2, 8, 8 (mean 6) -> E1 -4 = -40%; B2 same. E1 average -40% -> flagged below.
    # E2 and E3: +1 mark of 5 = +20%, +2 of 10 = +20% -> average +20%: not flagged.
    cells = {
        ("B1", "Q1"): {"E1": "1", "E2": "4", "E3": "4"},
        ("B2", "Q1"): {"E1": "2", "E2": "5", "E3": "5"},
        ("B1", "Q2"): {"E1": "2", "E2": "8", "E3": "8"},
        ("B2", "Q2"): {"E1": "2", "E2": "8", "E3": "8"},
    }
    result = evaluate(
        tender({"aggregate": "mean", **THREE}), bids("B1", "B2"), full_panel_scores(cells)
    )
    panel = result.panel
    assert panel is not None
    assert {e.id: e.mean_deviation_pct for e in panel.evaluators} == {
        "E1": "-40",
        "E2": "20",
        "E3": "20",
    }
    assert [(f.code, f.evaluator) for f in panel.flags] == [("evaluator_bias", "E1")]
    assert "40% of the scale below the panel mean" in panel.flags[0].message
    table = ranked_table(result)
    assert (
        "Panel flags:\n  evaluator_bias: E1 scores on average 40% of the scale below the panel mean"
        in table
    )


def test_bias_exactly_at_the_tolerance_is_not_flagged() -> None:
    # 1.5 and 4 on 0-5: mean 2.75, deviations ∓1.25 = ∓25% of the scale: not more than 25%.
    result = evaluate(
        tender({"aggregate": "mean"}),
        bids("B1"),
        full_panel_scores(
            {("B1", "Q1"): {"E1": "1.5", "E2": "4"}, ("B1", "Q2"): {"E1": "2.5", "E2": "7.5"}}
        ),
    )
    assert result.panel is not None
    assert {e.id: e.mean_deviation_pct for e in result.panel.evaluators} == {
        "E1": "-25",
        "E2": "25",
    }
    assert result.panel.flags == ()


def test_scores_without_an_evaluator_column_have_no_panel() -> None:
    plain = scores("B1,Q1,,3,fine\nB1,Q2,,6,fine")
    result = evaluate(tender(), bids("B1"), plain)
    assert result.panel is None
    assert all(c.panel is None for c in result.bid("B1").quality.criteria)
    assert not check_scores(tender(), bids("B1"), plain)


def test_panel_defaults_apply_when_only_the_scores_name_evaluators() -> None:
    result = evaluate(
        tender(),
        bids("B1"),
        full_panel_scores(
            {("B1", "Q1"): {"A": "3", "B": "3"}, ("B1", "Q2"): {"A": "6", "B": "6"}},
            consensus={("B1", "Q1"): "3", ("B1", "Q2"): "6"},
        ),
    )
    assert result.panel is not None
    assert (
        result.panel.aggregate,
        result.panel.spread_tolerance_pct,
        result.panel.bias_tolerance_pct,
        result.panel.min_evaluators,
    ) == (
        "consensus",
        40,
        25,
        2,
    )
    assert [e.conflict_declared for e in result.panel.evaluators] == [None, None]


# -- refusals -------------------------------------------------------------------------------------

ASSIGNED = {
    "evaluators": [
        {"id": "AH", "criteria": ["Q1", "Q2"], "conflict_declared": True},
        {"id": "BK", "criteria": ["Q1"], "conflict_declared": True},
        {"id": "CM", "criteria": ["Q2", "price"], "conflict_declared": True},
    ]
}
GOOD = {("B1", "Q1"): {"AH": "3", "BK": "4"}, ("B1", "Q2"): {"AH": "6", "CM": "7"}}
AGREED = {("B1", "Q1"): "4", ("B1", "Q2"): "7"}


def test_assigned_panel_with_consensus_is_accepted() -> None:
    result = evaluate(tender(ASSIGNED), bids("B1"), full_panel_scores(GOOD, AGREED))
    assert result.panel is not None
    assert [(e.id, e.criteria, e.scores) for e in result.panel.evaluators] == [
        ("AH", ("Q1", "Q2"), 2),
        ("BK", ("Q1",), 1),
        ("CM", ("Q2", "price"), 1),
    ]


def test_an_assigned_evaluator_who_did_not_score_is_refused() -> None:
    cells = {("B1", "Q1"): {"AH": "3"}, ("B1", "Q2"): {"AH": "6", "CM": "7"}}
    problems = refusals(tender(ASSIGNED), bids("B1"), full_panel_scores(cells, AGREED))
    assert codes(problems) == ["missing_individual_score"]
    assert (problems[0].bidder, problems[0].criterion, problems[0].location.file) == (
        "B1",
        "Q1",
        "scores.csv",
    )
    assert "BK has not scored bidder B1 on Q1" in problems[0].message


def test_without_a_list_every_evaluator_scores_every_cell() -> None:
    cells = {("B1", "Q1"): {"A": "3", "B": "4"}, ("B1", "Q2"): {"A": "6", "B": "7", "C": "7"}}
    problems = refusals(tender({"aggregate": "mean"}), bids("B1"), full_panel_scores(cells))
    assert codes(problems) == ["missing_individual_score"]
    assert "C has not scored bidder B1 on Q1" in problems[0].message


def test_an_unlisted_evaluator_and_an_unassigned_criterion_are_refused_at_their_rows() -> None:
    extra = full_panel_scores(GOOD, AGREED) + scores("B1,Q2,BK,5,\nB1,Q1,ZZ,5,")
    problems = refusals(tender(ASSIGNED), bids("B1"), extra)
    assert codes(problems) == ["criterion_not_assigned", "unknown_evaluator"]
    by_code = {p.code: p for p in problems}
    assert (
        by_code["criterion_not_assigned"].location.line == 2
        and "(assigned: Q1)" in by_code["criterion_not_assigned"].message
    )
    assert by_code["unknown_evaluator"].location.line == 3


def test_fewer_evaluators_than_the_minimum_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        tender({"min_evaluators": 3, **ASSIGNED})
    problems = caught.value.problems
    assert codes(problems) == ["too_few_evaluators", "too_few_evaluators"]
    assert {p.criterion for p in problems} == {"Q1", "Q2"}
    assert all(p.location.path == "$.panel.evaluators" for p in problems)
    alone = {("B1", "Q1"): {"A": "3"}, ("B1", "Q2"): {"A": "6"}}
    assert (
        codes(refusals(tender({"aggregate": "mean"}), bids("B1"), full_panel_scores(alone)))
        == ["too_few_evaluators"] * 2
    )


def test_a_listed_evaluator_without_a_conflict_declaration_is_refused() -> None:
    panel = {
        "evaluators": [
            {"id": "AH", "conflict_declared": True},
            {"id": "BK"},
            {"id": "CM", "conflict_declared": False},
        ]
    }
    with pytest.raises(InvalidInput) as caught:
        tender(panel)
    assert codes(caught.value.problems) == ["conflict_not_declared", "conflict_not_declared"]
    assert [p.location.path for p in caught.value.problems] == [
        "$.panel.evaluators[1].conflict_declared",
        "$.panel.evaluators[2].conflict_declared",
    ]


def test_a_consensus_without_rationale_or_without_individual_scores_is_refused() -> None:
    rows = scores(
        """
B1,Q1,AH,3,
B1,Q1,BK,4,
B1,Q1,consensus,4,
B1,Q2,consensus,7,Agreed
"""
    )
    problems = refusals(tender(ASSIGNED), bids("B1"), rows)
    assert codes(problems) == [
        "consensus_without_scores",
        "missing_individual_score",
        "missing_individual_score",
        "missing_rationale",
    ]
    by_code = {p.code: p for p in problems}
    assert by_code["missing_rationale"].location.line == 4
    assert by_code["consensus_without_scores"].location.line == 5


def test_the_same_evaluator_scoring_a_cell_twice_is_refused() -> None:
    rows = full_panel_scores(GOOD, AGREED) + scores(
        "B1,Q1,AH,4,second thoughts\nB1,Q1,consensus,3,again"
    )
    problems = refusals(tender(ASSIGNED), bids("B1"), rows)
    assert codes(problems) == ["duplicate_score", "duplicate_score"]
    assert (
        "evaluator AH scored this bid and criterion twice (first given at scores.csv:2)"
        in problems[0].message
    )


def test_scores_outside_the_range_are_refused_for_evaluators_and_consensus() -> None:
    cells = {("B1", "Q1"): {"AH": "6", "BK": "4"}, ("B1", "Q2"): {"AH": "6", "CM": "7"}}
    problems = refusals(
        tender(ASSIGNED),
        bids("B1"),
        full_panel_scores(cells, {("B1", "Q1"): "4", ("B1", "Q2"): "11"}),
    )
    assert codes(problems) == ["score_out_of_range", "score_out_of_range"]
    assert [p.message for p in problems] == [
        "criterion Q1 (Method): score 6 is above the maximum of 5",
        "criterion Q2 (Staffing): score 11 is above the maximum of 10",
    ]


def test_a_missing_consensus_is_refused_when_the_tender_aggregates_by_consensus() -> None:
    problems = refusals(tender(ASSIGNED), bids("B1"), full_panel_scores(GOOD, {("B1", "Q1"): "4"}))
    assert codes(problems) == ["missing_consensus"]
    assert problems[0].criterion == "Q2"


def test_a_consensus_row_is_refused_when_the_tender_aggregates_by_the_mean() -> None:
    problems = refusals(
        tender({"aggregate": "mean", **ASSIGNED}), bids("B1"), full_panel_scores(GOOD, AGREED)
    )
    assert codes(problems) == ["consensus_not_used", "consensus_not_used"]


def test_rows_without_an_evaluator_are_refused_beside_panel_rows() -> None:
    rows = full_panel_scores(GOOD, AGREED) + scores("B1,Q1,,4,agreed")
    assert codes(refusals(tender(ASSIGNED), bids("B1"), rows)) == ["missing_evaluator"]
    plain = scores("B1,Q1,,3,\nB1,Q2,,6,")
    assert (
        codes(refusals(tender(ASSIGNED), bids("B1"), plain))
        == ["missing_consensus"] * 2 + ["missing_evaluator"] * 2 + ["missing_individual_score"] * 4
    )


def test_panel_block_mistakes_are_each_located() -> None:
    panel = {
        "spread_tolerance_pct": 140,
        "evaluators": [
            {"id": "AH", "criteria": ["Q1", "Q3"], "conflict_declared": True},
            {"id": "AH", "criteria": "all", "conflict_declared": True},
            {"id": "Consensus", "conflict_declared": True},
        ],
    }
    with pytest.raises(InvalidInput) as caught:
        tender(panel)
    found = {(p.code, p.location.path) for p in caught.value.problems}
    assert found == {
        ("bad_percentage", "$.panel.spread_tolerance_pct"),
        ("duplicate_evaluator", "$.panel.evaluators[0].id"),
        ("duplicate_evaluator", "$.panel.evaluators[1].id"),
        ("reserved_evaluator", "$.panel.evaluators[2].id"),
        ("unknown_criterion", "$.panel.evaluators[0].criteria[1]"),
    }


def test_a_misspelt_panel_field_is_refused_by_the_schema() -> None:
    with pytest.raises(InvalidInput) as caught:
        tender({"agregate": "mean"})
    assert caught.value.problems[0].location.path == "$.panel"
    assert (
        'unknown field "agregate" (did you mean "aggregate"?)' in caught.value.problems[0].message
    )
    with pytest.raises(InvalidInput) as caught:
        tender({"aggregate": "average"})
    assert "must be one of: consensus, mean, median" in caught.value.problems[0].message


def test_every_refusal_comes_at_once() -> None:
    cells = {("B1", "Q1"): {"AH": "9", "ZZ": "4"}, ("B1", "Q2"): {"AH": "6", "CM": "7", "BK": "1"}}
    rows = full_panel_scores(cells, {("B1", "Q1"): "4"}) + scores("B1,Q2,consensus,7,")
    problems = check_all(tender(ASSIGNED), bids("B1"), rows)
    assert codes(problems) == [
        "criterion_not_assigned",
        "missing_individual_score",
        "missing_rationale",
        "score_out_of_range",
        "unknown_evaluator",
    ]
