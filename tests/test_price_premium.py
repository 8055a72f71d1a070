"""What the weighting pays for social value (issue 18): the price premium of each bid's social
value points and the price paid per social value point, information only."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

import svengine
from svengine.analysis.premium import premium_report
from svengine.cli.main import main
from svengine.io.loaders import read_folder

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "housing-repairs"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    inputs, _ = read_folder(EXAMPLE)
    assert inputs is not None
    return premium_report(inputs.tender, svengine.evaluate_folder(EXAMPLE))


def test_the_premium_matches_the_hand_worked_formula(report) -> None:  # type: ignore[no-untyped-def]
    # examples/housing-repairs: lowest_relative, price weight W = 30, P_min = B2's £4,395,000.
    # B1 (£4,612,000) scores 30 x 4,395,000 / P on price and 6.38 on social value (result.json).
    # The rise d that loses exactly 6.38 price points solves 30 x P_min / (P + d) =
    # 30 x P_min / P - 6.38:  d = 30 P_min / (30 P_min / P - 6.38) - P = 1,324,925.4357...
    w, p_min, p, sv = 30, Fraction(4395000), Fraction(4612000), Fraction("6.38")
    exact = w * p_min / (w * p_min / p - sv) - p
    b1 = next(b for b in report.bids if b.bidder_id == "B1")
    assert b1.premium == Fraction(int(exact * 100), 100) == Fraction("1324925.43")


def test_the_lowest_priced_bid_moves_p_min_as_its_price_rises(report) -> None:  # type: ignore[no-untyped-def]
    # B2 sets P_min: up to B1's £4,612,000 it keeps all 30 points; beyond, P_min is B1's price and
    # it scores 30 x 4,612,000 / (4,395,000 + d); losing 9.2 points: d = 30 x 4,612,000 / 20.8
    # - 4,395,000 = 2,256,923.0769...
    b2 = next(b for b in report.bids if b.bidder_id == "B2")
    exact = 30 * Fraction(4612000) / (30 - Fraction("9.2")) - 4395000
    assert b2.premium == Fraction(int(exact * 100), 100) == Fraction("2256923.07")


def test_the_price_per_point_is_not_defined_when_the_winner_has_less_social_value(report) -> None:  # type: ignore[no-untyped-def]
    (row,) = report.tender
    assert (row.winner, row.best_priced, row.per_point) == ("B1", "B2", None)
    assert "no more social value points" in row.reason


def test_robustness_reports_it_in_words_and_in_its_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["robustness", str(EXAMPLE), "--samples", "50", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (
        "B1: its 6.38 social value points are worth a price up to £1,324,925.43 higher"
        " (28.73% of its price)" in out
    )
    document = json.loads((tmp_path / "robustness.json").read_text(encoding="utf-8"))
    premium = document["social_value_premium"]
    assert premium["information_only"] is True
    assert premium["bids"][0] == {
        "bidder_id": "B1",
        "lot": None,
        "social_value_points": "6.38",
        "price_premium": "1324925.43",
    }


def test_result_json_is_not_touched(tmp_path: Path) -> None:
    assert main(["evaluate", str(EXAMPLE), "--out", str(tmp_path), "--no-workbook"]) == 0
    assert "premium" not in (tmp_path / "result.json").read_text(encoding="utf-8")
