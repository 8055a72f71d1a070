"""Robustness: rank reversal, weight sensitivity, what runners-up needed, score uncertainty (information only)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import svengine
from analysis_fixtures import EXAMPLES, bid, score, tender
from svengine.analysis.robustness import (
    extra_quality_needed,
    order_changes,
    price_cut_needed,
    rank_reversal,
    reference_setters,
    robustness_report,
    runners_up,
    weight_sensitivity,
)
from svengine.analysis.uncertainty import score_uncertainty, win_probabilities
from svengine.cli.main import main
from svengine.numbers import round_fraction


# Bergman & Lundberg (2013) style: lowest-relative price, 50 quality / 50 price, tie-break on quality.
#   A: quality 5/5 -> 50 points, price 200;  B: 4/5 -> 40, price 100;  C: 0/5 -> 0, price 25 (P_min).
#   With C:    A = 50 + 50×25/200 = 56.25   B = 40 + 50×25/100 = 52.50   C = 0 + 50 = 50.00   -> A wins
#   Without C: A = 50 + 50×100/200 = 75.00  B = 40 + 50 = 90.00                                 -> B wins
def three_bids() -> tuple[svengine.Tender, list[svengine.Bid], list[svengine.Score]]:
    bids = [bid("A", "200"), bid("B", "100"), bid("C", "25")]
    scores = [score("A", "Q1", "5"), score("B", "Q1", "4"), score("C", "Q1", "0")]
    return tender(), bids, scores


def test_the_three_bid_case_by_hand() -> None:
    t, bids, scores = three_bids()
    result = svengine.evaluate(t, bids, scores)
    assert [(b.bidder_id, str(b.total_score)) for b in result.bids] == [
        ("A", "56.25"),
        ("B", "52.50"),
        ("C", "50.00"),
    ]


def test_removing_the_cheapest_bid_reverses_the_two_others() -> None:
    t, bids, scores = three_bids()
    result = svengine.evaluate(t, bids, scores)
    assert reference_setters(t, result) == {"C": ["P_min"]}
    section = rank_reversal(t, bids, scores, result)
    assert section["information_only"] is True
    assert section["relative_references"] == ["P_min"]
    assert section["removals"] == [
        {
            "removed": "C",
            "sets": ["P_min"],
            "winner_without": ["B"],
            "winner_changes": True,
            "changes": [{"change": "reversed", "ahead_before": "A", "behind_before": "B"}],
        }
    ]
    assert section["reversals"] == 1


def test_absolute_methods_cannot_reverse() -> None:
    t = tender(price={"method": "reference_linear", "ceiling": "300", "floor": "20"})
    _, bids, scores = three_bids()
    section = rank_reversal(t, bids, scores, svengine.evaluate(t, bids, scores))
    assert section["relative_references"] == [] and section["removals"] == []
    assert "absolute" in section["note"]


def test_order_changes_kinds() -> None:
    assert order_changes({"a": 1, "b": 2, "c": 3}, {"a": 2, "b": 1, "c": 2}) == [
        {"change": "reversed", "ahead_before": "a", "behind_before": "b"},
        {"change": "now_tied", "ahead_before": "a", "behind_before": "c"},
    ]  # b stays ahead of c
    assert order_changes({"a": 1, "b": 1}, {"a": 2, "b": 1}) == [
        {"change": "tie_broken", "ahead_now": "b", "behind_now": "a"}
    ]


def published_winner(d: Fraction) -> list[str]:
    """The three-bid case with the price weight moved by d (quality takes -d), computed independently."""
    blocks = {
        "A": (Fraction(50), Fraction(25, 4)),
        "B": (Fraction(40), Fraction(25, 2)),
        "C": (Fraction(0), Fraction(50)),
    }
    totals = {}
    for name, (quality, price) in blocks.items():
        q = round_fraction(quality * (50 - d) / 50, 2, "half_up")
        p = round_fraction(price * (50 + d) / 50, 2, "half_up")
        totals[name] = (q + p, q)  # total, then the quality tie-break
    best = max(totals.values())
    return sorted(name for name, key in totals.items() if key == best)


def test_weight_sensitivity_by_hand() -> None:
    # Unrounded, C catches A where 56.25 − 0.875 d = 50 + d, at d = 10/3. With rounding to 2 places:
    # at d = 3.335 A = r(46.665) + r(6.666875) = 46.67 + 6.67 = 53.34 and C = r(53.335) = 53.34, a tie that
    # the quality tie-break gives to A; just above 3.335, A's quality rounds to 46.66 and C leads.
    t, bids, scores = three_bids()
    section = weight_sensitivity(t, svengine.evaluate(t, bids, scores))
    assert section["information_only"] is True and section["winner"] == "A"
    price = next(row for row in section["blocks"] if row["block"] == "price")
    assert price["increase"]["points"] == "3.335"
    assert price["increase"]["attained"] is False
    assert price["increase"]["new_leader"] == "C"
    assert price["increase"]["weights_at_change"] == {
        "quality": "46.665",
        "price": "53.335",
        "social_value": "0",
    }
    assert price["decrease"] is None  # less price weight only helps A
    quality = next(row for row in section["blocks"] if row["block"] == "quality")
    assert quality["increase"] is None and quality["decrease"]["points"] == "3.335"
    social = next(row for row in section["blocks"] if row["block"] == "social_value")
    assert "cannot be moved" in social["skipped"]
    # the independent computation agrees: A still wins at 3.335 and on a fine grid below, C just above
    assert published_winner(Fraction("3.335")) == ["A"]
    assert published_winner(Fraction("3.335") + Fraction(1, 10**9)) == ["C"]
    assert all(published_winner(Fraction(n, 3000)) == ["A"] for n in range(1, 10005))


def test_without_tie_break_the_tie_itself_changes_the_winner() -> None:
    t, bids, scores = three_bids()
    t = t.model_copy(update={"tie_break": ()})
    price = next(
        row
        for row in weight_sensitivity(t, svengine.evaluate(t, bids, scores))["blocks"]
        if row["block"] == "price"
    )
    assert price["increase"]["points"] == "3.335" and price["increase"]["attained"] is True


def test_runners_up_by_hand() -> None:
    t, bids, scores = three_bids()
    result = svengine.evaluate(t, bids, scores)
    # B: 40 + r(50 × 25 / p) must beat 56.25 (a tie goes to A on quality): r(1250/p) >= 16.26, so
    # 1250/p >= 16.255 and p <= 76.8994...: the highest price in pennies is 76.89, a cut of 23.11.
    assert price_cut_needed(t, bids, scores, "B") == Fraction("23.11")
    # B: r(40 + x) + 12.50 > 56.25 needs r(40 + x) >= 43.76, so x >= 3.755.
    assert extra_quality_needed(t, result, "B") == Fraction("3.755")
    # C already has all 50 price points; a lower price only lowers A's price score towards 0, and
    # A = 50 + r(p/4) ties C's 50 at best, which the quality tie-break gives to A.
    assert price_cut_needed(t, bids, scores, "C") is None
    # C: r(x) + 50 > 56.25 needs x >= 6.255.
    assert extra_quality_needed(t, result, "C") == Fraction("6.255")
    section = runners_up(t, bids, scores, result)
    assert [
        (r["bidder_id"], r["price_cut"], r["extra_quality_points"]) for r in section["bids"]
    ] == [("B", "23.11", "3.755"), ("C", None, "6.255")]


def test_the_price_cut_really_makes_the_runner_up_win() -> None:
    t, _, scores = three_bids()
    cut = [bid("A", "200"), bid("B", "76.89"), bid("C", "25")]
    assert [b.bidder_id for b in svengine.evaluate(t, cut, scores).bids][:1] == ["B"]
    almost = [bid("A", "200"), bid("B", "76.90"), bid("C", "25")]
    assert [b.bidder_id for b in svengine.evaluate(t, almost, scores).bids][:1] == ["A"]


@settings(max_examples=25, deadline=None)
@given(
    qualities=st.lists(st.integers(0, 5), min_size=3, max_size=4),
    prices=st.lists(st.integers(50, 400), min_size=4, max_size=4),
    price_weight=st.integers(10, 90),
)
def test_weight_sensitivity_is_the_first_change(
    qualities: list[int], prices: list[int], price_weight: int
) -> None:
    """At the reported move the winner changes (just above it when not attained), and nowhere below it."""
    ids = [chr(ord("A") + i) for i in range(len(qualities))]
    q_weight = 100 - price_weight
    t = tender(
        weights={"quality": q_weight, "price": price_weight, "social_value": 0},
        quality={
            "method": "absolute",
            "scale_max": 5,
            "criteria": [{"id": "Q1", "title": "Method", "weight": q_weight}],
        },
    )
    # four prices are drawn for three or four bidders: the first len(ids) are used
    bids = [bid(i, str(p)) for i, p in zip(ids, prices, strict=False)]
    scores = [score(i, "Q1", str(q)) for i, q in zip(ids, qualities, strict=True)]
    result = svengine.evaluate(t, bids, scores)
    section = weight_sensitivity(t, result)
    if section.get("skipped"):
        return
    winner = section["winner"]
    exact = {
        b.bidder_id: (Fraction(b.quality.points), Fraction(b.price.amount)) for b in result.bids
    }
    lowest = min(p for _, p in exact.values())

    def leaders(d: Fraction) -> list[str]:
        totals = {}
        for name, (quality, price) in exact.items():
            q = round_fraction(quality * (q_weight - d) / q_weight, 2, "half_up")
            p = round_fraction((price_weight + d) * lowest / price, 2, "half_up")
            totals[name] = (q + p, q)
        best = max(totals.values())
        return sorted(n for n, k in totals.items() if k == best)

    price = next(row for row in section["blocks"] if row["block"] == "price")
    for key, sign in (("increase", 1), ("decrease", -1)):
        change = price[key]
        limit = Fraction(q_weight if sign > 0 else price_weight)
        if change is None:
            grid = [limit * n / 400 for n in range(1, 401)]
            assert all(leaders(sign * d) == [winner] for d in grid)
            continue
        amount = Fraction(change["points"])
        probe = (
            amount if change["attained"] else amount + min(Fraction(1, 10**9), (limit - amount) / 2)
        )
        assert leaders(sign * probe) != [winner]
        assert all(leaders(sign * amount * n / 200) == [winner] for n in range(1, 200))


# -- score uncertainty ---------------------------------------------------------------------------


def test_agreed_scores_only_have_no_uncertainty_to_sample() -> None:
    t, bids, scores = three_bids()
    section = score_uncertainty(t, bids, scores)
    assert section["available"] is False
    assert "no individual-score uncertainty" in section["note"]
    assert section["information_only"] is True and section["floating_point"] is True


def test_one_split_cell_gives_an_even_chance() -> None:
    # A's Q1 is 5 (A wins with 56.25) or 3 (A = 30 + 6.25 = 36.25, B wins with 52.50), each with probability 1/2.
    t, bids, _ = three_bids()
    panel = [
        score("A", "Q1", "5", "ann"),
        score("A", "Q1", "3", "bob"),
        score("B", "Q1", "4", "ann"),
        score("B", "Q1", "4", "bob"),
        score("C", "Q1", "0", "ann"),
        score("C", "Q1", "0", "bob"),
    ]
    section = score_uncertainty(t, bids, panel, samples=10_000, seed=7)
    probabilities = {b["bidder_id"]: float(b["win_probability"]) for b in section["bids"]}
    # five standard errors of a 1/2 probability over 10,000 samples is 0.025
    assert abs(probabilities["A"] - 0.5) < 0.025 and abs(probabilities["B"] - 0.5) < 0.025
    assert probabilities["A"] + probabilities["B"] == pytest.approx(1.0)
    assert probabilities["C"] == 0.0
    assert section == score_uncertainty(
        t, bids, panel, samples=10_000, seed=7
    )  # seeded: reproducible


def test_a_threshold_in_the_panel_scores_excludes_some_samples() -> None:
    t = tender(
        quality={
            "method": "absolute",
            "scale_max": 5,
            "criteria": [{"id": "Q1", "title": "Method", "weight": 50, "min_score": 2}],
        }
    )
    _, bids, _ = three_bids()
    panel = [
        score("A", "Q1", "5", "ann"),
        score("A", "Q1", "1", "bob"),  # below the minimum half the time
        score("B", "Q1", "4", "ann"),
        score("B", "Q1", "4", "bob"),
        score("C", "Q1", "2", "ann"),
        score("C", "Q1", "2", "bob"),
    ]
    rows = {
        b["bidder_id"]: b for b in score_uncertainty(t, bids, panel, samples=4000, seed=1)["bids"]
    }
    # four standard errors of 1/2 over 4,000 samples is 0.032
    assert abs(float(rows["A"]["excluded_probability"]) - 0.5) < 0.032
    assert rows["B"]["excluded_probability"] == rows["C"]["excluded_probability"] == "0.0000"
    # C = 2/5 × 50 + 50 = 70 beats A (56.25 when admitted) and B (52.50) in every sample
    assert rows["C"]["win_probability"] == "1.0000" and rows["A"]["win_probability"] == "0.0000"


@pytest.mark.parametrize("name", ["housing-repairs", "highways-lot"])
def test_floats_reproduce_the_exact_evaluation_when_evaluators_agree(name: str) -> None:
    """Two evaluators giving every agreed score: every sample is the exact evaluation, ties and all.

    highways-lot has H03 and H08 level on 75.82 with H03 ahead on the quality tie-break, and
    housing-repairs an excluded bid: the float path must reproduce both.
    """
    inputs = svengine.load_folder(EXAMPLES / name)
    panel = [
        s.model_copy(update={"evaluator": who}) for s in inputs.scores for who in ("ann", "bob")
    ]
    probabilities = win_probabilities(inputs.tender, inputs.bids, panel, samples=50, seed=3)
    result = svengine.evaluate(inputs.tender, inputs.bids, inputs.scores)
    winner = result.bids[0].bidder_id
    assert probabilities[winner]["win"] == 1.0
    assert all(
        p["win"] == 0.0 and p["shared_first"] == 0.0
        for b, p in probabilities.items()
        if b != winner
    )
    for b in result.bids:
        assert probabilities[b.bidder_id]["excluded"] == (1.0 if b.status == "excluded" else 0.0)


# -- the report and the command ------------------------------------------------------------------


def test_report_labels_every_section_as_information() -> None:
    t, bids, scores = three_bids()
    report = robustness_report(t, bids, scores, samples=100)
    assert report["information_only"] is True
    for key in ("rank_reversal", "weight_sensitivity", "runners_up", "score_uncertainty"):
        assert (
            report[key]["information_only"] is True
            and "does not change the evaluation result" in report[key]["label"]
        )
    assert report["result"]["winner"] == ["A"]


def test_cli_writes_robustness_json_beside_never_inside_result(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        main(["robustness", str(EXAMPLES / "highways-lot"), "--out", str(out), "--samples", "100"])
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["robustness.json"]
    report = json.loads((out / "robustness.json").read_text(encoding="utf-8"))
    assert report["information_only"] is True
    # Hand-checkable from result.json: H02 sets P_max and T_best; without it H05 overtakes H03 and H08.
    removal = next(r for r in report["rank_reversal"]["removals"] if r["removed"] == "H02")
    assert removal["winner_without"] == ["H05"]
    assert (
        main(["robustness", str(EXAMPLES / "highways-lot"), "--out", str(out), "--samples", "100"])
        == 1
    )
    assert (
        main(
            [
                "robustness",
                str(EXAMPLES / "highways-lot"),
                "--out",
                str(out),
                "--samples",
                "100",
                "--force",
            ]
        )
        == 0
    )


def test_cli_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    for run in ("one", "two"):
        assert (
            main(
                [
                    "robustness",
                    str(EXAMPLES / "housing-repairs"),
                    "--out",
                    str(tmp_path / run),
                    "--samples",
                    "200",
                ]
            )
            == 0
        )
    assert (tmp_path / "one" / "robustness.json").read_bytes() == (
        tmp_path / "two" / "robustness.json"
    ).read_bytes()


def test_cli_invalid_folder_exits_1(tmp_path: Path) -> None:
    assert main(["robustness", str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()
