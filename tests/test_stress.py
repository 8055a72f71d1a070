"""Pre-publication testing on generated dummy bids: reproducible, evaluated by the real engine."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import svengine
from analysis_fixtures import EXAMPLES, bid, score, tender
from svengine.analysis.stress import (
    additions,
    better_but_losing,
    dummy_bids,
    effective_weights,
    rounding_bands,
    stress_report,
)
from svengine.cli.main import main


def test_dummy_bids_are_reproducible_valid_and_as_many_as_asked() -> None:
    t = svengine.load_tender(EXAMPLES / "housing-repairs" / "tender.yaml")
    bids, scores = dummy_bids(t, 12, seed=5)
    assert len(bids) == 12 and len(scores) == 12 * 4
    assert svengine.check_all(t, bids, scores) == []
    again = dummy_bids(t, 12, seed=5)
    assert [b.model_dump() for b in bids] == [b.model_dump() for b in again[0]]
    assert [b.price for b in dummy_bids(t, 12, seed=6)[0]] != [b.price for b in bids]
    # prices within 75%-125% of the contract value 4,800,000
    assert all(3_600_000 <= b.price <= 6_000_000 for b in bids)


def test_report_is_the_same_for_the_same_seed() -> None:
    t = svengine.load_tender(EXAMPLES / "highways-lot" / "tender.yaml")
    assert json.dumps(stress_report(t, 10, seed=2)) == json.dumps(stress_report(t, 10, seed=2))


def test_better_and_cheaper_but_losing_on_social_value() -> None:
    # 40 quality / 30 price (lowest relative) / 30 social value (relative to highest).
    # X: 5/5 -> 40, price 100 -> 30, no social value -> 0: total 70.
    # Y: 2.5/5 -> 20, price 120 -> 30 × 100/120 = 25, the only social value -> 30: total 75.
    t = tender(
        weights={"quality": 40, "price": 30, "social_value": 30},
        quality={
            "method": "absolute",
            "scale_max": 5,
            "criteria": [{"id": "Q1", "title": "Method", "weight": 40}],
        },
        social_value={"library": "unused.yaml", "method": "relative_to_highest"},
    )
    bids = [bid("X", "100"), bid("Y", "120", [{"measure": "EX-JOB-1", "quantity": "1"}])]
    result = svengine.evaluate(t, bids, [score("X", "Q1", "5"), score("Y", "Q1", "2.5")])
    assert [(b.bidder_id, str(b.total_score)) for b in result.bids] == [
        ("Y", "75.00"),
        ("X", "70.00"),
    ]
    [finding] = better_but_losing(result)
    assert (finding["better"], finding["loses_to"]) == ("X", "Y")
    assert finding["reason"].startswith("social value: 0.00 against 30.00")


def test_better_and_cheaper_but_excluded_by_a_criterion_minimum() -> None:
    t = tender(
        quality={
            "method": "absolute",
            "scale_max": 5,
            "criteria": [
                {"id": "Q1", "title": "Method", "weight": 25, "min_score": 2},
                {"id": "Q2", "title": "Team", "weight": 25},
            ],
        }
    )
    # X has 1/5 + 5/5 -> 30 quality points but Q1 below its minimum; Y has 2/5 + 2/5 -> 20 and a higher price.
    bids = [bid("X", "100"), bid("Y", "150")]
    scores = [
        score("X", "Q1", "1"),
        score("X", "Q2", "5"),
        score("Y", "Q1", "2"),
        score("Y", "Q2", "2"),
    ]
    [finding] = better_but_losing(svengine.evaluate(t, bids, scores))
    assert (finding["better"], finding["loses_to"]) == ("X", "Y")
    assert finding["reason"].startswith("excluded: Q1 (Method) scored 1, below the minimum of 2")


def test_a_probe_that_moves_p_min_but_changes_no_order() -> None:
    # A (5/5, price 200) and B (4/5, price 100) alone: A = 75, B = 90. The cheap probe costs 60% of
    # P_min = 60 and has the lowest passing score, 0.
    t = tender()
    bids = [bid("A", "200"), bid("B", "100")]
    scores = [score("A", "Q1", "5"), score("B", "Q1", "4")]
    result = svengine.evaluate(t, bids, scores)
    [added] = additions(t, bids, scores, result)
    # P_min becomes 60: A = 50 + 50×60/200 = 65, B = 40 + 50×60/100 = 70, so B stays ahead
    # (at price 25, as in test_robustness's three-bid case, A would overtake B)
    assert added["price"] == "60" and added["changes"] == []


def test_adding_or_removing_the_cheapest_bid_reverses_the_same_pair() -> None:
    # Housing repairs, seed 0: D7 is the lowest ranked price. Removing it, or adding a probe at 60% of
    # it, moves P_min and D4 overtakes D6 both times (lowest_relative). By hand, with D7 (P_min 4,028,640,
    # SV_max 1,076,587.50):
    #   D6: 30.00 + 30 × 4,028,640/4,538,160 (26.63) + 6 × 179,085.30/1,076,587.50 + 2.4 (3.40) = 60.03
    #   D4: 32.00 + 30 × 4,028,640/5,307,120 (22.77) + 6 × 870,292/1,076,587.50 + 0 (4.85)     = 59.62
    # without D7 (P_min 4,458,720, SV_max 870,292): D6 = 30.00 + 29.47 + 3.63 = 63.10 < D4 = 32.00 +
    # 25.20 + 6.00 = 63.20.
    t = svengine.load_tender(EXAMPLES / "housing-repairs" / "tender.yaml")
    report = stress_report(t, 8, seed=0)
    cheap = next(a for a in report["additions"] if a["added"] == "PROBE-LOW-PRICE")
    removed = next(r for r in report["removals"] if r["removed"] == "D7")
    assert (
        cheap["changes"]
        == removed["changes"]
        == [{"change": "reversed", "ahead_before": "D6", "behind_before": "D4"}]
    )
    bids = {b["bidder_id"]: b for b in report["dummy_bids"]}
    assert (bids["D6"]["total_score"], bids["D4"]["total_score"]) == ("60.03", "59.62")
    assert Fraction(bids["D7"]["price"]) == min(
        Fraction(b["price"]) for b in bids.values() if b["status"] == "ranked"
    )


def test_min_max_linear_uses_the_whole_price_weight() -> None:
    t = svengine.load_tender(EXAMPLES / "highways-lot" / "tender.yaml")
    report = stress_report(t, 10, seed=1)
    price = next(b for b in report["effective_weights"]["blocks"] if b["block"] == "price")
    # the cheapest valid bid gets 40, the dearest 0, whatever the prices: the spread is the whole weight
    assert price["spread"] == "40" and price["spread_pct_of_declared"] == "100.0"


def test_lowest_relative_damps_the_price_weight() -> None:
    t = tender()
    bids = [bid("A", "100"), bid("B", "110"), bid("C", "125")]
    scores = [score("A", "Q1", "3"), score("B", "Q1", "4"), score("C", "Q1", "5")]
    weights = effective_weights(t, svengine.evaluate(t, bids, scores))
    price = next(b for b in weights["blocks"] if b["block"] == "price")
    quality = next(b for b in weights["blocks"] if b["block"] == "quality")
    # price scores 50, 45.45, 40: spread 10 of the declared 50; quality 30, 40, 50: spread 20
    assert (price["lowest_score"], price["highest_score"], price["spread"]) == (
        "40.00",
        "50.00",
        "10",
    )
    assert quality["spread"] == "20"
    assert price["weight_in_effect"] == "33.3" and quality["weight_in_effect"] == "66.7"
    # 1% above the median price 110 is 111.1: 50 × 100/110 − 50 × 100/111.1 = 5000/110 − 50000/1111
    assert Fraction(weights["price_points_per_1pct_at_median"]) == Fraction(5000, 110) - Fraction(
        50000, 1111
    )


def test_rounding_band_by_hand_for_min_max_linear() -> None:
    # 40 × (200,000 − P) / 100,000 = 0.0004 × (200,000 − P). The bid at 150,000 scores exactly 20.00; every
    # price with 19.995 <= points < 20.005 (half up) scores the same: 149,987.5 < P <= 150,012.5, that
    # is 149,987.51 to 150,012.50 in pennies, a band 24.99 wide.
    t = tender(
        weights={"quality": 60, "price": 40, "social_value": 0},
        price={"method": "min_max_linear"},
        quality={
            "method": "absolute",
            "scale_max": 5,
            "criteria": [{"id": "Q1", "title": "Method", "weight": 60}],
        },
    )
    bids = [bid("A", "100000"), bid("B", "150000"), bid("C", "200000")]
    result = svengine.evaluate(t, bids, [score(i, "Q1", "3") for i in "ABC"])
    bands = {b["bidder_id"]: b for b in rounding_bands(t, result)["bands"]}
    assert (
        bands["B"]["from"],
        bands["B"]["to"],
        bands["B"]["width"],
        bands["B"]["published_score"],
    ) == ("149987.51", "150012.5", "24.99", "20.00")
    # at the ends the band is cut by the reference prices: 100,000 to 100,012.50 scores 40.00
    assert (bands["A"]["from"], bands["A"]["to"]) == ("100000", "100012.5")


def test_cli_prints_a_report_and_writes_json(tmp_path: Path, capsys: object) -> None:
    out = tmp_path / "stress.json"
    tender_file = str(EXAMPLES / "housing-repairs" / "tender.yaml")
    assert main(["stress", tender_file, "--seed", "0", "--bids", "8", "--out", str(out)]) == 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert (
        "Pre-publication test of HR-2026-014" in printed
        and "Rank reversals when a bid is removed:" in printed
    )
    assert json.loads(out.read_text(encoding="utf-8"))["seed"] == 0
    assert main(["stress", tender_file, "--out", str(out)]) == 1
    assert main(["stress", tender_file, "--bids", "1"]) == 2
