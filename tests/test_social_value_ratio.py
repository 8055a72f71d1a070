"""relative_to_highest_ratio scores SV ÷ price against the highest such ratio (README formula table)."""

from __future__ import annotations

from decimal import Decimal

from svengine import evaluate, parse_bids, parse_library, parse_scores, parse_tender

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


def test_ratio_method_divides_by_the_price_once() -> None:
    tender = parse_tender(
        {
            "id": "T",
            "title": "t",
            "currency": "GBP",
            "contract_value": "1000",
            "weights": {"quality": 60, "price": 30, "social_value": 10},
            "quality": {
                "method": "absolute",
                "scale_max": 5,
                "criteria": [{"id": "Q1", "title": "q", "weight": 60}],
            },
            "price": {"method": "lowest_relative"},
            "social_value": {"library": "x", "method": "relative_to_highest_ratio"},
            "rounding": {"places": 2, "mode": "half_up"},
        },
        library=LIBRARY,
    )
    bids = parse_bids(
        [
            {
                "bidder": {"id": "A", "name": "a"},
                "price": "24",
                "social_value": [{"measure": "M1", "quantity": "1"}],
            },
            {
                "bidder": {"id": "B", "name": "b"},
                "price": "2",
                "social_value": [{"measure": "M1", "quantity": "1"}],
            },
        ]
    )
    scores = parse_scores(
        [
            {"bidder": "A", "criterion": "Q1", "score": "5"},
            {"bidder": "B", "criterion": "Q1", "score": "5"},
        ]
    )
    result = evaluate(tender, bids, scores)
    # By hand: ratios A 1/24, B 1/2 (the highest). B: 10 × (1/2)/(1/2) = 10. A: 10 × (1/24)/(1/2) =
    # 10/12 = 0.8333… → 0.83.
    assert result.bid("B").social_value.score == Decimal("10.00")
    assert result.bid("A").social_value.score == Decimal("0.83")
    assert result.bid("A").social_value.quantitative_points == "5/6"
