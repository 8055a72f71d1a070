"""The columnar scoring core gives exactly the figures and ranks of the Fraction-based engine."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svengine import evaluate, parse_bids, parse_library, parse_scores, parse_tender
from svengine.numbers import round_fraction
from svengine.scoring.columnar import round_rational, score_columns, to_fixed

# One measure worth £1 a unit for the whole term, so a bid's social value £ is its quantity.
LIBRARY = parse_library(
    {
        "id": "t",
        "version": "1",
        "currency": "GBP",
        "licence": "test",
        "measures": [
            {
                "id": "M1",
                "theme": "t",
                "outcome": "o",
                "title": "t",
                "unit": "£",
                "proxy_value": "1",
                "basis": "total",
            }
        ],
    }
)

decimals = st.builds(
    lambda units, places: str(Decimal(units).scaleb(-places)),
    st.integers(1, 10**9),
    st.integers(0, 2),
)
marks = st.builds(lambda tenths: str(Decimal(tenths).scaleb(-1)), st.integers(0, 50))


@st.composite
def evaluations(draw: st.DrawFn) -> tuple[dict, list[dict], list[dict]]:
    n = draw(st.integers(1, 7))
    q_weight = draw(st.integers(0, 80))
    sv_weight = draw(st.integers(0, 100 - q_weight))
    criteria = draw(st.integers(1, 3))
    split = [q_weight // criteria] * criteria
    split[0] += q_weight - sum(split)
    sv_criterion = draw(st.booleans()) and sv_weight > 0
    price_method = draw(
        st.sampled_from(
            ["lowest_relative", "min_max_linear", "proportional_deviation", "reference_linear"]
        )
    )
    tender = {
        "id": "T",
        "title": "t",
        "currency": "GBP",
        "contract_value": draw(decimals),
        "weights": {
            "quality": q_weight,
            "price": 100 - q_weight - sv_weight,
            "social_value": sv_weight,
        },
        "quality": {
            "method": draw(st.sampled_from(["absolute", "relative_to_best"])),
            "scale_max": 5,
            "criteria": [
                {
                    "id": f"Q{i}",
                    "title": "q",
                    "weight": w,
                    **({"min_score": draw(marks)} if draw(st.booleans()) and i == 0 else {}),
                }
                for i, w in enumerate(split)
            ],
        },
        "price": {"method": price_method},
        "social_value": {
            "library": "x",
            "method": draw(
                st.sampled_from(["relative_to_highest", "relative_to_highest_ratio", "target"])
            ),
        },
        "rounding": {
            "places": draw(st.integers(0, 3)),
            "mode": draw(st.sampled_from(["half_up", "half_even", "down"])),
        },
        "tie_break": draw(
            st.lists(
                st.sampled_from(["quality", "price", "social_value", "lowest_price"]),
                unique=True,
                max_size=3,
            )
        ),
    }
    if draw(st.booleans()):
        tender["quality"]["min_total_pct"] = draw(st.integers(0, 100))
    if price_method == "reference_linear":
        floor = draw(st.integers(0, 10**8))
        tender["price"].update(floor=str(floor), ceiling=str(floor + draw(st.integers(1, 10**8))))
    if tender["social_value"]["method"] == "target":
        tender["social_value"]["target_pct"] = draw(st.integers(1, 50))
    if sv_criterion:
        quant = draw(st.integers(0, sv_weight))
        tender["social_value"].update(
            quantitative_weight=quant,
            criteria=[{"id": "SV1", "title": "s", "weight": sv_weight - quant}],
        )
    # Few distinct values so that ties and equal prices happen.
    price_pool = draw(st.lists(decimals, min_size=1, max_size=3))
    sv_pool = draw(st.lists(st.one_of(st.just(None), decimals), min_size=1, max_size=3))
    bids, scores = [], []
    ids = [c["id"] for c in tender["quality"]["criteria"]] + (["SV1"] if sv_criterion else [])
    for index in range(n):
        quantity = draw(st.sampled_from(sv_pool))
        bids.append(
            {
                "bidder": {"id": f"B{index}", "name": "b"},
                "price": draw(st.sampled_from(price_pool)),
                "social_value": [{"measure": "M1", "quantity": quantity}] if quantity else [],
            }
        )
        for criterion in ids:
            scores.append(
                {
                    "bidder": f"B{index}",
                    "criterion": criterion,
                    "score": draw(st.sampled_from(["0", "2.5", "3", "5", draw(marks)])),
                }
            )
    return tender, bids, scores


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations())
def test_columnar_equals_the_exact_engine(case: tuple[dict, list[dict], list[dict]]) -> None:
    tender_doc, bid_docs, score_docs = case
    tender = parse_tender(tender_doc, library=LIBRARY)
    bids, scores = parse_bids(bid_docs), parse_scores(score_docs)
    result = evaluate(tender, bids, scores)

    by_cell = {(s.bidder, s.criterion): s.score for s in scores}
    ids = [b.bidder.id for b in bids]
    quality = to_fixed([[by_cell[(b, c.id)] for c in tender.quality_criteria] for b in ids])
    social = (
        to_fixed([[by_cell[(b, c.id)] for c in tender.social_value_criteria] for b in ids])
        if tender.social_value_criteria
        else None
    )
    sv = to_fixed([sum((c.quantity for c in b.social_value), Decimal(0)) for b in bids])
    columns = score_columns(tender, to_fixed([b.price for b in bids]), quality, sv, social)

    for index, bidder in enumerate(ids):
        expected = result.bid(bidder)
        assert bool(columns.excluded[index]) == (expected.status == "excluded")
        assert columns.decimal("quality", index) == expected.quality.score
        assert columns.decimal("price", index) == expected.price.score
        assert columns.decimal("social_value", index) == expected.social_value.score
        assert columns.decimal("total", index) == expected.total_score
        assert (int(columns.rank[index]) or None) == expected.rank


@given(
    st.integers(-(10**30), 10**30),
    st.integers(1, 10**20),
    st.integers(0, 6),
    st.sampled_from(["half_up", "half_even", "down"]),
)
def test_vectorised_rounding_equals_round_fraction(
    numerator: int, denominator: int, places: int, mode: str
) -> None:
    rounded = round_rational(np.array([numerator], dtype=object), denominator, places, mode)
    assert Fraction(int(rounded[0]), 10**places) == Fraction(
        round_fraction(Fraction(numerator, denominator), places, mode)
    )


def test_halves_round_as_declared() -> None:
    # 5/2 = 2.5 and 7/2 = 3.5 at 0 places: half_up 3, 4; half_even 2, 4; down 2, 3 (by hand).
    numerators = np.array([5, 7, -5])
    assert round_rational(numerators, 2, 0, "half_up").tolist() == [3, 4, -3]
    assert round_rational(numerators, 2, 0, "half_even").tolist() == [2, 4, -2]
    assert round_rational(numerators, 2, 0, "down").tolist() == [2, 3, -2]


def test_to_fixed_refuses_more_than_six_places() -> None:
    assert to_fixed(["1.5", "2"]).tolist() == [1_500_000, 2_000_000]
    with pytest.raises(ValueError, match="more than 6 decimal places"):
        to_fixed(["0.0000001"])
