"""Social value moderation: accept / reduce / reject applied before social value is totalled.

Each test bid (tests/panel_helpers.py) offers EX-JOB-1 4 FTE-years for 2 years (proxy £31,200 in
toms/illustrative.yaml: 4 × 2 × 31,200 = £249,600) and EX-SOC-1 100 hours for 1 year (£17.50:
£1,750). Total as offered: £251,350.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from panel_helpers import bids, codes, moderation, scores, tender
from svengine.io.moderation_csv import parse_sv_moderation_csv
from svengine.problems import InvalidInput
from svengine.scoring.evaluate import evaluate

PLAIN = scores("B1,Q1,,3,\nB1,Q2,,6,\nB2,Q1,,3,\nB2,Q2,,6,")


def test_a_reduced_commitment_counts_as_accepted_and_keeps_what_was_offered() -> None:
    decisions = moderation('B1,EX-JOB-1,reduce,1.5,"Only 1.5 FTE are evidenced"')
    result = evaluate(tender(), bids("B1", "B2"), PLAIN, decisions)
    b1 = result.bid("B1").social_value
    job = b1.commitments[0]
    # 1.5 × 2 × 31,200 = 93,600; plus 1,750 = 95,350
    assert (job.quantity, job.value, b1.total) == (
        Decimal("1.5"),
        Decimal("93600.00"),
        Decimal("95350.00"),
    )
    assert job.moderation is not None
    assert (
        job.moderation.decision,
        job.moderation.quantity_offered,
        job.moderation.quantity_accepted,
    ) == ("reduce", 4, Decimal("1.5"))
    assert job.moderation.rationale == "Only 1.5 FTE are evidenced"
    assert b1.commitments[1].moderation is None
    assert result.bid("B2").social_value.total == Decimal("251350.00")
    # B2 is now the highest offer, so the reference moves: relative_to_highest uses £251,350.
    assert result.reference.highest_social_value == Decimal("251350.00")
    flags = [f for f in result.bid("B1").flags if f.code == "sv_moderated"]
    assert flags and "4 offered, reduced to 1.5 at moderation" in flags[0].message
    assert "EX-JOB-1 1.5 FTE-year × 2 yr" in result.bid("B1").explain.social_value


def test_a_rejected_commitment_counts_nothing_and_an_accepted_one_everything() -> None:
    decisions = moderation(
        "B1,EX-JOB-1,reject,,No description of the posts\nB1,EX-SOC-1,accept,100,Volunteering plan evidenced"
    )
    result = evaluate(tender(), bids("B1", "B2"), PLAIN, decisions)
    job, soc = result.bid("B1").social_value.commitments
    assert (job.quantity, job.value) == (0, Decimal("0.00"))
    assert job.moderation is not None and job.moderation.quantity_offered == 4
    assert soc.moderation is not None and (soc.moderation.decision, soc.value) == (
        "accept",
        Decimal("1750.00"),
    )
    assert result.bid("B1").social_value.total == Decimal("1750.00")
    assert [f.code for f in result.bid("B1").flags] == ["sv_moderated"]  # accept raises no flag


def test_moderation_rows_for_commitments_that_do_not_exist_are_refused_all_together() -> None:
    decisions = moderation(
        """
B9,EX-JOB-1,reject,,No such bidder
B1,EX-ENV-3,reject,,Not offered
B1,EX-JOB-1,reduce,,Missing quantity
B1,EX-SOC-1,reduce,100,Not a reduction
B2,EX-JOB-1,reject,,
B2,EX-SOC-1,accept,50,Accept with a different quantity
B2,EX-SOC-1,reject,,Second decision
"""
    )
    with pytest.raises(InvalidInput) as caught:
        evaluate(tender(), bids("B1", "B2"), PLAIN, decisions)
    found = [(p.code, p.location.line, p.location.column) for p in caught.value.problems]
    assert found == [
        ("unknown_commitment", 2, "bidder"),
        ("unknown_commitment", 3, "measure"),
        ("bad_accepted_quantity", 4, "accepted_quantity"),
        ("bad_accepted_quantity", 5, "accepted_quantity"),
        ("missing_rationale", 6, "rationale"),
        ("bad_accepted_quantity", 7, "accepted_quantity"),
        ("duplicate_moderation", 8, None),
    ]
    assert (
        "bidder B1 offers no EX-ENV-3 commitment to moderate (it offers EX-JOB-1, EX-SOC-1)"
        in caught.value.problems[1].message
    )


def test_a_measure_offered_twice_cannot_be_moderated_by_measure() -> None:
    twice = bids("B1")
    twice[0] = twice[0].model_copy(update={"social_value": twice[0].social_value * 2})
    with pytest.raises(InvalidInput) as caught:
        evaluate(
            tender(),
            twice,
            scores("B1,Q1,,3,\nB1,Q2,,6,"),
            moderation("B1,EX-SOC-1,reject,,Unsupported"),
        )
    assert codes(caught.value.problems) == ["ambiguous_commitment"]


def test_the_moderation_file_is_read_with_every_problem_located() -> None:
    text = "bidder,measure,decision,accepted_quantity,rationale,notes\n"
    assert [p.code for p in parse_sv_moderation_csv(text, "m.csv")[1]] == ["unknown_column"]
    text = "bidder,measure,decision,accepted_quantity,rationale\nB1,EX-JOB-1,halve,2,why\nB1,,reduce,2.5e1,why\n"
    rows, problems = parse_sv_moderation_csv(text, "m.csv")
    assert rows == []
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("bad_value", 2, "decision"),
        ("missing_value", 3, "measure"),
        ("bad_number", 3, "accepted_quantity"),
    ]
