"""The FELP worked example, computed by hand.

Source: FELP (UK further education procurement guidance), "An assessment method": quality 80 / price
20, relative quality (the best quality total gets the full 80) and lowest-relative price; firms A-D
with quality totals 123, 126, 129, 117 and prices £10,500, £10,350, £11,750, £9,900; everything
rounded to 2 decimal places. (As summarised in the project's reference notes, scoring-methods.md.)

Worked by hand:
  quality: A 80 × 123/129 = 76.279.. -> 76.28; B 80 × 126/129 = 78.139.. -> 78.14;
           C 80 × 129/129 = 80.00;  D 80 × 117/129 = 72.558.. -> 72.56
  price:   A 20 × 9,900/10,500 = 18.857.. -> 18.86; B 20 × 9,900/10,350 = 19.130.. -> 19.13;
           C 20 × 9,900/11,750 = 16.851.. -> 16.85; D 20.00
  totals:  A 95.14, B 97.27, C 96.85, D 92.56 -> B first, then C, A, D
"""

from decimal import Decimal

import svengine
from builders import LIBRARY


def test_felp_assessment_method_example() -> None:
    # The quality totals are raw marks; one criterion out of 150 marks carries them (any maximum
    # gives the same relative scores).
    tender = svengine.parse_tender(
        {
            "id": "FELP",
            "title": "FELP worked example",
            "currency": "GBP",
            "contract_value": "10000",
            "weights": {"quality": 80, "price": 20, "social_value": 0},
            "quality": {
                "method": "relative_to_best",
                "scale_max": 150,
                "criteria": [{"id": "Q", "title": "Quality total", "weight": 80}],
            },
            "price": {"method": "lowest_relative"},
            "rounding": {"places": 2, "mode": "half_up"},
        },
        library=svengine.parse_library(LIBRARY),
    )
    firms = {
        "A": ("123", "10500"),
        "B": ("126", "10350"),
        "C": ("129", "11750"),
        "D": ("117", "9900"),
    }
    bids = svengine.parse_bids(
        [{"bidder": {"id": f, "name": f"Firm {f}"}, "price": p} for f, (_, p) in firms.items()]
    )
    scores = svengine.parse_scores(
        [{"bidder": f, "criterion": "Q", "score": q} for f, (q, _) in firms.items()]
    )
    result = svengine.evaluate(tender, bids, scores)
    got = {
        b.bidder_id: (b.quality.score, b.price.score, b.total_score, b.rank) for b in result.bids
    }
    assert got == {
        "A": (Decimal("76.28"), Decimal("18.86"), Decimal("95.14"), 3),
        "B": (Decimal("78.14"), Decimal("19.13"), Decimal("97.27"), 1),
        "C": (Decimal("80.00"), Decimal("16.85"), Decimal("96.85"), 2),
        "D": (Decimal("72.56"), Decimal("20.00"), Decimal("92.56"), 4),
    }
    assert [b.bidder_id for b in result.bids] == ["B", "C", "A", "D"]
