"""Award rules: appointments and lot limits, gates, disregarded tenders, award models, policy warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import svengine
from award_helpers import codes, evaluate, lot_bid, lotted, marks
from builders import tender, tender_doc
from conftest import REPO
from svengine.scoring.policy import compare_methods
from svengine.seal.digests import method_document

PF1 = {"id": "PF1", "title": "Insurance", "pass_fail": True}


def quality_with_gate(**extra: Any) -> dict[str, Any]:
    q = dict(tender_doc()["quality"])
    return {**q, "criteria": [PF1, *q["criteria"]], **extra}


# -- appointments --------------------------------------------------------------------------------


def test_framework_example_appointments_and_reasons() -> None:
    inputs = svengine.load_folder(REPO / "examples" / "framework-multi-lot")
    result = svengine.evaluate(
        inputs.tender, inputs.bids, inputs.scores, decisions=inputs.decisions
    )
    # Lots by value (L1 2.0m, L2 1.5m, L3 0.5m), two places each, at most two lots per supplier: S1 wins L1 and L2,
    # so in L3 it is passed over and S6 and S3 (ranks 2 and 3) are appointed.
    assert [(a.lot, a.bidder_id, a.rank) for a in result.awards] == [
        ("L1", "S1", 1),
        ("L1", "S2", 2),
        ("L2", "S1", 1),
        ("L2", "S2", 2),
        ("L3", "S6", 2),
        ("L3", "S3", 3),
    ]
    reasons = {
        (b.lot, b.bidder_id): (b.award.outcome, b.award.reason) for b in result.bids if b.award
    }
    assert reasons[("L3", "S1")] == ("not_appointed", "lot_limit_reached")
    assert reasons[("L1", "S3")] == ("not_appointed", "below_cutoff")
    assert reasons[("L3", "S4")] == ("not_appointed", "below_cutoff")
    assert reasons[("L1", "S5")] == ("excluded", None)
    assert reasons[("L2", "S4")] == ("excluded", None)


@pytest.mark.parametrize(
    ("allocation", "expected"),
    [("lot_order", {"A": "X", "B": "Y"}), ("lot_value_desc", {"A": "Y", "B": "X"})],
)
def test_lot_limit_allocation_rule(allocation: str, expected: dict[str, str]) -> None:
    """X is best in both lots but may win one: in declared order it takes A (declared first); by
    value it takes B (900k).
    """
    t = lotted(
        [("A", "100000"), ("B", "900000")],
        award={"max_lots_per_supplier": 1, "allocation": allocation},
    )
    bids = [
        lot_bid("X", "A", "90000"),
        lot_bid("Y", "A", "90000"),
        lot_bid("X", "B", "800000"),
        lot_bid("Y", "B", "800000"),
    ]
    rows = (
        marks("A", "X", 5, 5)
        + marks("A", "Y", 3, 3)
        + marks("B", "X", 5, 5)
        + marks("B", "Y", 3, 3)
    )
    result = evaluate(t, bids, rows)
    assert {a.lot: a.bidder_id for a in result.awards} == expected


def test_everyone_above_min_total_pct_is_appointed() -> None:
    # Same price: 30 price points each; quality 40×s/5 + 20×s/5: A 60 → 90, B 36 → 66, C 24 → 54. Threshold 60.
    t = tender(
        social_value=None,
        weights={"quality": 70, "price": 30, "social_value": 0},
        quality={
            **tender_doc()["quality"],
            "criteria": [
                {"id": "Q1", "title": "M", "weight": 50},
                {"id": "Q2", "title": "S", "weight": 20},
            ],
        },
        award={"min_total_pct": 60},
    )
    bids = [lot_bid(b, None, "100") for b in "ABC"]
    result = evaluate(
        t, bids, marks(None, "A", 5, 5) + marks(None, "B", 3, 3) + marks(None, "C", 2, 2)
    )
    assert [b.total_score for b in result.bids] == [
        Decimal("100.00"),
        Decimal("72.00"),
        Decimal("58.00"),
    ]
    assert [a.bidder_id for a in result.awards] == ["A", "B"]
    assert result.bids[2].award is not None and result.bids[2].award.reason == "below_cutoff"


def test_a_tie_at_the_cutoff() -> None:
    """Two places; B and C level on 80.00: B quality 50×4/5 + 20×5/5 = 60, price 30×100/150 = 20; C
    quality 50, price 30.
    appoint_all: level totals at the cut-off are all appointed (3 suppliers). tie_break (quality): B
    is ahead, only B."""

    def run(mode: str) -> svengine.Result:
        t = tender(
            social_value=None,
            weights={"quality": 70, "price": 30, "social_value": 0},
            quality={
                **tender_doc()["quality"],
                "criteria": [
                    {"id": "Q1", "title": "M", "weight": 50},
                    {"id": "Q2", "title": "S", "weight": 20},
                ],
            },
            award={"suppliers_per_lot": 2, "cutoff_ties": mode},
            tie_break=["quality"],
        )
        bids = [
            lot_bid("A", None, "100000"),
            lot_bid("B", None, "150000"),
            lot_bid("C", None, "100000"),
            lot_bid("D", None, "100000"),
        ]
        return evaluate(
            t,
            bids,
            marks(None, "A", 5, 5)
            + marks(None, "B", 4, 5)
            + marks(None, "C", 3, 5)
            + marks(None, "D", 1, 1),
        )

    all_ = run("appoint_all")
    assert (
        {b.bidder_id: b.total_score for b in all_.bids}["B"]
        == Decimal("80.00")
        == {b.bidder_id: b.total_score for b in all_.bids}["C"]
    )
    assert [a.bidder_id for a in all_.awards] == ["A", "B", "C"]
    assert "tied at the cut-off with C" in (
        all_.bid("B").award.message if all_.bid("B").award else ""
    )
    broken = run("tie_break")
    assert [a.bidder_id for a in broken.awards] == ["A", "B"]
    assert broken.bid("C").award is not None and broken.bid("C").award.reason == "below_cutoff"


@pytest.mark.parametrize(
    ("award", "expected"),
    [
        ({"suppliers_per_lot": 2, "min_total_pct": 50}, "conflicting_parameters"),
        ({"max_lots_per_supplier": 1}, "missing_parameter"),
        ({"allocation": "lot_order"}, "unused_parameter"),
        ({"min_total_pct": 120}, "bad_percentage"),
    ],
)
def test_award_rules_that_cannot_work_are_refused(award: dict[str, Any], expected: str) -> None:
    with pytest.raises(svengine.InvalidInput) as error:
        lotted([("A", "1")], award=award)
    assert expected in codes(error.value)


def test_a_lot_limit_without_lots_is_refused() -> None:
    with pytest.raises(svengine.InvalidInput) as error:
        tender(award={"max_lots_per_supplier": 1, "allocation": "lot_order"})
    assert codes(error.value) == ["unused_parameter"]


# -- gates ----------------------------------------------------------------------------------------


def test_a_failed_gate_excludes_with_the_criterion_named_and_leaves_the_reference_set() -> None:
    t = tender(quality=quality_with_gate())
    bids = [lot_bid("A", None, "100000", "1"), lot_bid("B", None, "50000", "2")]
    result = evaluate(
        t, bids, marks(None, "A", 4, 4, PF1="pass") + marks(None, "B", 5, 5, PF1="fail")
    )
    b = result.bid("B")
    assert (
        b.status == "excluded"
        and [e.code for e in b.exclusions] == ["failed_gate"]
        and "PF1 (Insurance)" in b.exclusions[0].message
    )
    assert [(g.id, g.verdict) for g in b.gates] == [("PF1", "fail")]
    # P_min is A's 100,000 (B's 50,000 is out); SV_max is A's 30,000 (B's 60,000 is out): A gets
    # full price and SV points.
    assert result.reference.lowest_price == Decimal(
        "100000.00"
    ) and result.reference.highest_social_value == Decimal("30000.00")
    assert result.bid("A").total_score == Decimal("48.00") + Decimal("30.00") + Decimal("10.00")


@pytest.mark.parametrize(
    ("gate_score", "q1_score", "expected"),
    [("4", "4", "pass_fail_expected"), ("pass", "pass", "not_pass_fail")],
)
def test_pass_fail_only_where_the_criterion_is_pass_fail(
    gate_score: str, q1_score: str, expected: str
) -> None:
    t = tender(quality=quality_with_gate())
    with pytest.raises(svengine.InvalidInput) as error:
        evaluate(
            t,
            [lot_bid("A", None, "100")],
            [(None, "A", "PF1", gate_score), (None, "A", "Q1", q1_score), (None, "A", "Q2", "3")],
        )
    assert expected in codes(error.value)


def test_a_missing_verdict_and_a_weighted_gate_are_refused() -> None:
    t = tender(quality=quality_with_gate())
    with pytest.raises(svengine.InvalidInput) as error:
        evaluate(t, [lot_bid("A", None, "100")], marks(None, "A", 4, 4))
    assert codes(error.value) == ["missing_score"]
    with pytest.raises(svengine.InvalidInput) as schema_error:
        tender(
            quality=quality_with_gate(
                criteria=[{**PF1, "weight": 5}, *tender_doc()["quality"]["criteria"]]
            )
        )
    assert codes(schema_error.value) == ["schema"]


# -- decisions ------------------------------------------------------------------------------------


def _two_bids(decisions: dict[str, Any]) -> svengine.Result:
    t = tender()
    bids = [
        lot_bid("A", None, "100000", "1"),
        lot_bid("B", None, "50000", "1"),
        lot_bid("C", None, "110000", "1"),
    ]
    return evaluate(
        t, bids, marks(None, "A", 4, 4) + marks(None, "B", 4, 4) + marks(None, "C", 4, 4), decisions
    )


def test_a_disregarded_tender_is_excluded_with_its_ground_and_out_of_every_reference() -> None:
    result = _two_bids(
        {
            "disregarded": [
                {"bidder": "B", "ground": "late", "decided_by": "J. Okafor", "date": "2026-02-13"}
            ]
        }
    )
    b = result.bid("B")
    assert b.status == "excluded" and b.exclusions[0].code == "disregarded"
    assert (
        "(late)" in b.exclusions[0].message and "J. Okafor on 2026-02-13" in b.exclusions[0].message
    )
    assert result.reference.lowest_price == Decimal("100000.00")
    assert (
        result.decisions is not None and result.decisions.disregarded[0].decided_by == "J. Okafor"
    )


def test_an_abnormally_low_tender_accepted_after_explanation_is_shown_next_to_the_flag() -> None:
    result = _two_bids(
        {
            "abnormally_low": [
                {
                    "bidder": "B",
                    "notice_sent": "2026-02-16",
                    "response_received": "2026-02-20",
                    "decision": "accepted",
                    "reason": "own depot",
                }
            ]
        }
    )
    flags = [f.code for f in result.bid("B").flags]
    assert flags[flags.index("abnormally_low") + 1] == "abnormally_low_accepted"
    assert result.bid("B").status == "ranked"


def test_an_abnormally_low_tender_disregarded_after_notice_is_excluded() -> None:
    result = _two_bids(
        {
            "abnormally_low": [
                {
                    "bidder": "B",
                    "notice_sent": "2026-02-16",
                    "response_received": "2026-02-20",
                    "decision": "disregarded",
                    "reason": "cannot pay the wage",
                }
            ]
        }
    )
    assert [e.code for e in result.bid("B").exclusions] == ["abnormally_low_disregarded"]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"notice_sent": "2026-02-16"}, "disregard_without_notice"),
        ({}, "disregard_without_notice"),
        (
            {"notice_sent": "2026-02-16", "response_received": "2026-02-10"},
            "response_before_notice",
        ),
    ],
)
def test_an_abnormally_low_disregard_needs_notice_and_a_response(
    entry: dict[str, str], expected: str
) -> None:
    with pytest.raises(svengine.InvalidInput) as error:
        _two_bids(
            {"abnormally_low": [{"bidder": "B", "decision": "disregarded", "reason": "x", **entry}]}
        )
    assert codes(error.value) == [expected]


def test_a_decision_about_nobody_is_refused() -> None:
    with pytest.raises(svengine.InvalidInput) as error:
        _two_bids(
            {
                "disregarded": [
                    {"bidder": "Q", "ground": "late", "decided_by": "x", "date": "2026-01-01"}
                ]
            }
        )
    assert codes(error.value) == ["unknown_bidder"]


def test_decisions_yaml_problems_are_located(tmp_path: Any) -> None:
    from svengine.io.decisions import read_decisions

    path = tmp_path / "decisions.yaml"
    path.write_text(
        "disregarded:\n  - {bidder: B, ground: lateish, decided_by: X, date: 2026-02-13}\n",
        encoding="utf-8",
    )
    decisions, problems = read_decisions(path)
    assert decisions is None and [(p.code, p.location.path) for p in problems] == [
        ("schema", "$.disregarded[0].ground")
    ]


# -- award models ---------------------------------------------------------------------------------


def _model_tender(model: str, **overrides: Any) -> svengine.Tender:
    return tender(
        weights={"quality": 60, "price": 0, "social_value": 40}, award={"model": model}, **overrides
    )


def test_price_per_quality_point_ranks_by_price_per_point() -> None:
    """A: quality 60 + SV 40 = 100 points at 100,000 -> 1,000 per point; B: 24 + 12 = 36 + 40 = 76 points at 50,000
    -> 50,000 / 76 = 12500/19 (657.89...). B ranks first although A has more points."""
    result = evaluate(
        _model_tender("price_per_quality_point"),
        [lot_bid("A", None, "100000", "1"), lot_bid("B", None, "50000", "1")],
        marks(None, "A", 5, 5) + marks(None, "B", 3, 3),
    )
    assert [(b.bidder_id, b.rank, b.total_score, b.value_ratio) for b in result.bids] == [
        ("B", 1, Decimal("76.00"), "12500/19"),
        ("A", 2, Decimal("100.00"), "1000"),
    ]


def test_lowest_price_passing_quality_ranks_passing_bids_by_price() -> None:
    t = tender(
        quality={**tender_doc()["quality"], "min_total_pct": 50},
        award={"model": "lowest_price_passing_quality"},
    )
    # A: 60 quality points of 60, 100,000; B: 24 of 60 (40%, below 50%) at 50,000: excluded; C: 36 points at 90,000.
    result = evaluate(
        t,
        [lot_bid("A", None, "100000"), lot_bid("B", None, "50000"), lot_bid("C", None, "90000")],
        marks(None, "A", 5, 5) + marks(None, "B", 2, 2) + marks(None, "C", 3, 3),
    )
    assert [(b.bidder_id, b.rank) for b in result.bids] == [("C", 1), ("A", 2), ("B", None)]
    assert [a.bidder_id for a in result.awards] == ["C"]


def test_fixed_price_scores_quality_and_social_value_at_the_published_price() -> None:
    t = _model_tender("fixed_price")
    result = evaluate(
        t,
        [lot_bid("A", None, "1000000", "1"), lot_bid("B", None, "1000000", "2")],
        marks(None, "A", 5, 5) + marks(None, "B", 3, 3),
    )
    # A: 60 + 40 × 1/2 = 80; B: 36 + 40 = 76; price block 0 for both.
    assert [(b.bidder_id, b.price.score, b.total_score) for b in result.bids] == [
        ("A", Decimal("0.00"), Decimal("80.00")),
        ("B", Decimal("0.00"), Decimal("76.00")),
    ]
    with pytest.raises(svengine.InvalidInput) as error:
        evaluate(t, [lot_bid("A", None, "900000")], marks(None, "A", 5, 5))
    assert codes(error.value) == ["not_fixed_price"]


@pytest.mark.parametrize("model", ["price_per_quality_point", "fixed_price"])
def test_models_without_price_points_need_weights_price_0(model: str) -> None:
    with pytest.raises(svengine.InvalidInput) as error:
        tender(award={"model": model})
    assert codes(error.value) == ["award_model_weights"]


def test_lowest_price_passing_quality_needs_a_threshold() -> None:
    with pytest.raises(svengine.InvalidInput) as error:
        tender(award={"model": "lowest_price_passing_quality"})
    assert codes(error.value) == ["award_model_weights"]


# -- policy warnings and the method digest ------------------------------------------------------------


def test_central_government_social_value_under_10_percent_is_warned() -> None:
    t = tender(
        authority="central_government",
        regime="pa2023",
        weights={"quality": 60, "price": 35, "social_value": 5},
        social_value={**tender_doc()["social_value"]},
    )
    result = evaluate(
        t,
        [lot_bid("A", None, "100"), lot_bid("B", None, "120"), lot_bid("C", None, "130")],
        marks(None, "A", 4, 4) + marks(None, "B", 4, 4) + marks(None, "C", 4, 4),
    )
    assert [w.code for w in result.warnings] == [
        "social_value_below_ppn"
    ] and "PPN 002" in result.warnings[0].message


def test_min_max_with_two_valid_bids_is_warned() -> None:
    t = tender(price={"method": "min_max_linear"})
    result = evaluate(
        t,
        [lot_bid("A", None, "100"), lot_bid("B", None, "120")],
        marks(None, "A", 4, 4) + marks(None, "B", 4, 4),
    )
    assert [w.code for w in result.warnings] == ["min_max_two_bids"]
    assert [b.price.score for b in result.bids] == [
        Decimal("30.00"),
        Decimal("0.00"),
    ]  # the collapse the warning names


def test_compare_methods_names_each_differing_field() -> None:
    published = tender()
    used = tender(
        weights={"quality": 50, "price": 40, "social_value": 10},
        quality={
            **tender_doc()["quality"],
            "criteria": [
                {"id": "Q1", "title": "Method", "weight": 30, "min_score": 2},
                {"id": "Q2", "title": "Staffing", "weight": 20},
            ],
        },
    )
    messages = [w.message for w in compare_methods(published, used)]
    assert messages == [
        "weights.quality: the published methodology says 60, this tender says 50",
        "weights.price: the published methodology says 30, this tender says 40",
        "quality.criteria[Q1].weight: the published methodology says 40, this tender says 30",
        "quality.criteria[Q1].min_score: the published methodology says null, this tender says 2",
    ]
    assert compare_methods(published, tender()) == []


def test_tenders_without_award_fields_keep_their_method_document() -> None:
    document = method_document(tender())
    assert (
        not {"lots", "award", "regime", "authority"} & set(document)
        and "gates" not in document["quality"]
    )
    assert "gates" in method_document(tender(quality=quality_with_gate()))["quality"]
