"""Properties that must hold for every tender and every set of bids (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import svengine
from builders import LIBRARY, tender_doc

PRICE_METHODS = [
    {"method": "lowest_relative"},
    {"method": "min_max_linear"},
    {"method": "proportional_deviation"},
    {"method": "reference_linear", "ceiling": "900000", "floor": "100000"},
]
SV_METHODS = [
    {"library": "lib.yaml", "method": "relative_to_highest"},
    {"library": "lib.yaml", "method": "relative_to_highest_ratio"},
    {"library": "lib.yaml", "method": "target", "target_pct": 20},
]
LIBRARY_OBJECT = svengine.parse_library(LIBRARY)

prices = st.integers(min_value=1, max_value=10**6).map(
    lambda cents: f"{cents * 100 // 7}.{cents % 100:02d}"
)
quantities = st.integers(min_value=1, max_value=50).map(str)


@st.composite
def tenders(draw: st.DrawFn) -> svengine.Tender:
    quality = draw(st.integers(0, 80))
    price = draw(st.integers(0, 100 - quality))
    weights = {"quality": quality, "price": price, "social_value": 100 - quality - price}
    criteria = [{"id": "Q1", "title": "A", "weight": quality}] if quality else []
    doc = tender_doc(
        weights=weights,
        quality={
            "method": draw(st.sampled_from(["absolute", "relative_to_best"])),
            "scale_max": 5,
            "criteria": criteria,
            "min_total_pct": draw(st.sampled_from([None, 40])),
        },
        price=draw(st.sampled_from(PRICE_METHODS)),
        social_value=draw(st.sampled_from(SV_METHODS)),
        rounding={
            "places": draw(st.integers(0, 3)),
            "mode": draw(st.sampled_from(["half_up", "half_even", "down"])),
        },
        tie_break=draw(
            st.sampled_from([[], ["quality", "price"], ["social_value", "lowest_price"]])
        ),
    )
    if doc["quality"]["min_total_pct"] is None:
        del doc["quality"]["min_total_pct"]
    return svengine.parse_tender(doc, library=LIBRARY_OBJECT)


@st.composite
def bid_sets(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    count = draw(st.integers(1, 6))
    bids, scores = [], []
    for index in range(count):
        commitments = draw(
            st.lists(
                st.builds(
                    lambda m, q: {"measure": m, "quantity": q},
                    st.sampled_from(["JOB", "CO2", "SPEND"]),
                    quantities,
                ),
                max_size=3,
            )
        )
        bids.append(
            {
                "bidder": {"id": f"B{index}", "name": f"Bidder {index}"},
                "price": draw(prices),
                "social_value": commitments,
            }
        )
        scores.append(
            {"bidder": f"B{index}", "criterion": "Q1", "score": str(draw(st.integers(0, 5)))}
        )
    return bids, scores


def evaluate(
    tender: svengine.Tender, bids: list[dict[str, Any]], scores: list[dict[str, Any]]
) -> svengine.Result:
    criteria = {c.id for c in tender.quality_criteria}
    return svengine.evaluate(
        tender,
        svengine.parse_bids(bids),
        svengine.parse_scores([s for s in scores if s["criterion"] in criteria]),
    )


common = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(tenders(), bid_sets(), st.randoms(use_true_random=False))
def test_bid_order_never_changes_the_result(
    tender: svengine.Tender, data: Any, random: Any
) -> None:
    bids, scores = data
    shuffled_bids, shuffled_scores = bids[:], scores[:]
    random.shuffle(shuffled_bids)
    random.shuffle(shuffled_scores)
    assert (
        evaluate(tender, bids, scores).to_json()
        == evaluate(tender, shuffled_bids, shuffled_scores).to_json()
    )


@common
@given(tenders(), bid_sets(), st.data())
def test_lowering_a_price_never_lowers_its_price_score(
    tender: svengine.Tender, data: Any, draw: st.DataObject
) -> None:
    bids, scores = data
    index = draw.draw(st.integers(0, len(bids) - 1))
    before = evaluate(tender, bids, scores).bid(f"B{index}")
    cheaper = [dict(b) for b in bids]
    cut = draw.draw(st.integers(1, 99))
    cheaper[index]["price"] = str(
        (Decimal(bids[index]["price"]) * cut / 100).quantize(Decimal("0.01")) or Decimal("0.01")
    )
    after = evaluate(tender, cheaper, scores).bid(f"B{index}")
    if before.price.score is not None:
        assert after.price.score is not None and after.price.score >= before.price.score


@common
@given(tenders(), bid_sets(), st.data())
def test_adding_social_value_never_lowers_the_social_value_score(
    tender: svengine.Tender, data: Any, draw: st.DataObject
) -> None:
    bids, scores = data
    index = draw.draw(st.integers(0, len(bids) - 1))
    before = evaluate(tender, bids, scores).bid(f"B{index}")
    more = [dict(b) for b in bids]
    more[index]["social_value"] = [
        *bids[index]["social_value"],
        {"measure": "CO2", "quantity": draw.draw(quantities)},
    ]
    after = evaluate(tender, more, scores).bid(f"B{index}")
    if before.social_value.score is not None:
        assert (
            after.social_value.score is not None
            and after.social_value.score >= before.social_value.score
        )


@common
@given(tenders(), bid_sets())
def test_block_scores_stay_within_their_weights_and_add_up(
    tender: svengine.Tender, data: Any
) -> None:
    bids, scores = data
    result = evaluate(tender, bids, scores)
    weights = tender.weights
    assert weights.quality + weights.price + weights.social_value == 100
    for bid in result.bids:
        if bid.status == "excluded":
            assert bid.total_score is None and bid.rank is None
            continue
        assert (
            bid.quality.score is not None
            and bid.price.score is not None
            and bid.social_value.score is not None
        )
        assert 0 <= bid.quality.score <= weights.quality
        assert 0 <= bid.price.score <= weights.price
        assert 0 <= bid.social_value.score <= weights.social_value
        assert bid.total_score == bid.quality.score + bid.price.score + bid.social_value.score
    ranks = [b.rank for b in result.bids if b.rank is not None]
    assert ranks == sorted(ranks) and (not ranks or ranks[0] == 1)
