"""The memory savings share objects; these check that sharing never changes a value or a byte.

Peak memory itself is measured in benchmarks/, not here (docs/performance.md).
"""

from __future__ import annotations

from svengine.io.scores_csv import parse_scores_csv
from svengine.model.award_result import BidAward
from svengine.model.result import Flag
from svengine.scoring import shared_results


def test_shared_flag_is_the_validated_flag() -> None:
    made = shared_results.flag(code="years_capped", message="EX-1 counts for the first year only")
    validated = Flag(code="years_capped", message="EX-1 counts for the first year only")
    assert made == validated
    assert made.model_fields_set == validated.model_fields_set
    assert made.model_dump_json() == validated.model_dump_json()
    assert (
        shared_results.flag(code="years_capped", message="EX-1 counts for the first year only")
        is made
    )
    assert (
        shared_results.flag(code="years_capped", message="EX-2 counts for the first year only")
        is not made
    )


def test_shared_award_is_the_validated_award() -> None:
    made = shared_results.bid_award(
        outcome="not_appointed", reason="below_cutoff", message="below the cut-off"
    )
    validated = BidAward(
        outcome="not_appointed", reason="below_cutoff", message="below the cut-off"
    )
    assert made == validated
    assert made.model_fields_set == validated.model_fields_set
    assert made.model_dump_json() == validated.model_dump_json()


def test_scores_share_equal_texts_and_keep_exponents() -> None:
    scores, problems = parse_scores_csv(
        "bidder,criterion,score,comment\nA,Q1,3,Agreed\nB,Q1,3.0,Agreed\nC,Q1,3,\n", "scores.csv"
    )
    assert problems == []
    a, b, c = scores
    assert (repr(a.score), repr(b.score), repr(c.score)) == (
        "Decimal('3')",
        "Decimal('3.0')",
        "Decimal('3')",
    )
    assert a.score is c.score and a.score is not b.score
    assert a.criterion is b.criterion and a.comment is b.comment and c.comment is None
    assert [s.source.line for s in scores if s.source is not None] == [2, 3, 4]
