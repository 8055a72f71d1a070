"""A whole-life tender without `price.evaluated_rounding`: the exact evaluated price is scored (issue 18).

The case is workbook_cases.py's "whole-life-exact", worked by hand there and here: the Green Book
3.5%, so 1/1.035 = 200/207, 1/1.035² = 40,000/42,849 and 1/1.035³ = 8,000,000/8,869,743 (207³).

- XA pays 100 a year in years 1 to 3: 100 × (8,569,800 + 8,280,000 + 8,000,000) / 8,869,743
  = 2,484,980,000/8,869,743 ≈ 280.163698. It states 280.16, which is not the exact figure.
- XB pays 30 now and 90 a year: 30 + 90 × 24,849,800/8,869,743 = 2,502,574,290/8,869,743
  = 278,063,810/985,527 ≈ 282.147328.
- Lowest relative, 100 points: XA 100.00; XB 100 × 2,484,980,000/2,502,574,290
  = 24,849,800,000/250,257,429 ≈ 99.296952 → 99.30 (half up, 2 places).
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import svengine
from conftest import REPO
from svengine.cli.main import main
from svengine.io.schemas import result_schema
from svengine.model.result import Result
from svengine.scoring.columnar import to_fixed
from workbook_cases import CASES, write_case

XA = Fraction(2484980000, 8869743)
XB = Fraction(278063810, 985527)
CASE = CASES["whole-life-exact"]


def _evaluate(tender_doc: dict[str, Any], bids: list[dict[str, Any]]) -> svengine.Result:
    return svengine.evaluate(svengine.parse_tender(tender_doc), svengine.parse_bids(bids), [])


def _folder(tmp_path: Path) -> Path:
    return write_case(tmp_path / "case", CASE)


def test_the_hand_computed_fractions_are_what_the_engine_scores() -> None:
    assert 100 * (Fraction(200, 207) + Fraction(40000, 42849) + Fraction(8000000, 8869743)) == XA
    assert 30 + Fraction(9, 10) * XA == Fraction(2502574290, 8869743) == XB
    result = _evaluate(CASE["tender"], CASE["bids"])
    a, b = result.bid("XA").price, result.bid("XB").price
    assert (a.evaluated, a.amount, b.evaluated, b.amount) == (XA, XA, XB, XB)
    assert (a.computed, b.computed) == ("2484980000/8869743", "278063810/985527")
    assert (a.score, b.score) == (Decimal("100.00"), Decimal("99.30"))
    assert (result.bid("XA").rank, result.bid("XB").rank) == (1, 2)
    assert (result.reference.lowest_price, result.reference.highest_price) == (XA, XB)


def test_result_json_writes_fraction_text_that_reads_back_to_the_same_bytes() -> None:
    result = _evaluate(CASE["tender"], CASE["bids"])
    text = result.to_json()
    document = json.loads(text)
    price = document["bids"][0]["price"]
    assert price["amount"] == price["evaluated"] == "2484980000/8869743"
    assert document["reference"]["lowest_price"] == "2484980000/8869743"
    assert document["reference"]["highest_price"] == "278063810/985527"
    Draft202012Validator(result_schema()).validate(document)
    again = Result.model_validate_json(text)
    assert again.bid("XA").price.evaluated == XA and again.to_json() == text


def test_a_stated_price_is_compared_exactly_so_a_penny_figure_is_an_arithmetic_error() -> None:
    result = _evaluate(CASE["tender"], CASE["bids"])
    xa = result.bid("XA")
    assert xa.price.arithmetic_error and xa.price.stated == Decimal("280.16")
    (flag,) = [f for f in xa.flags if f.code == "arithmetic_error"]
    assert "exactly 2484980000/8869743 (about 280.163698" in flag.message
    refusing = {**CASE["tender"], "price": {**CASE["tender"]["price"], "arithmetic": "refuse"}}
    with pytest.raises(svengine.InvalidInput) as caught:
        _evaluate(refusing, CASE["bids"])
    assert [p.code for p in caught.value.problems] == ["arithmetic_error"]


def test_with_declared_rounding_the_rounded_figure_is_scored_as_before() -> None:
    rounded = {
        **CASE["tender"],
        "price": {
            **CASE["tender"]["price"],
            "evaluated_rounding": {"places": 2, "mode": "half_up"},
        },
    }
    result = _evaluate(rounded, CASE["bids"])
    # 280.163698 -> 280.16 (now equal to XA's stated price); 282.147328 -> 282.15;
    # XB: 100 × 280.16 / 282.15 = 99.294701... -> 99.29 (one hundredth below the exact path's 99.30).
    assert result.bid("XA").price.evaluated == Decimal("280.16")
    assert not result.bid("XA").price.arithmetic_error
    assert result.bid("XB").price.evaluated == Decimal("282.15")
    assert result.bid("XB").price.score == Decimal("99.29")


def test_the_lowest_price_tie_break_reads_the_exact_price() -> None:
    # XC pays a millionth more now than XA: 100 × XA / (XA + 0.000001) = 99.99999964... -> 100.00, a tie
    # on every published score, broken by the exact evaluated price (XA's is lower).
    tender = {**CASE["tender"], "tie_break": ["lowest_price"]}
    bids = [
        {"bidder": {"id": "XC", "name": "C"}, "prices": {"purchase": "0.000001", "running": "100"}},
        {"bidder": {"id": "XA", "name": "A"}, "prices": {"purchase": "0", "running": "100"}},
    ]
    result = _evaluate(tender, bids)
    assert result.bid("XC").price.evaluated == XA + Fraction(1, 10**6)
    assert result.bid("XA").total_score == result.bid("XC").total_score == Decimal("100.00")
    assert (result.bid("XA").rank, result.bid("XC").rank) == (1, 2)


def test_the_fixed_point_columns_refuse_a_price_that_never_ends() -> None:
    assert to_fixed([Fraction(1, 4), Decimal("2.5")]).tolist() == [250000, 2500000]
    with pytest.raises(ValueError, match="no finite form"):
        to_fixed([XA])


def test_evaluate_explain_verify_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = _folder(tmp_path), tmp_path / "out"
    assert main(["evaluate", str(folder), "--out", str(out)]) == 0
    document = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert [b["price"]["evaluated"] for b in document["bids"]] == [
        "2484980000/8869743",
        "278063810/985527",
    ]
    explained = document["bids"][0]["explain"]["evaluated_price"]
    assert (
        "Evaluated price (GBP) = exactly 2484980000/8869743, about 280.16 (shown to the penny only for"
        " reading)" in explained
    )
    assert "the exact figure is the one scored" in explained
    capsys.readouterr()
    assert main(["explain", str(out), "--bidder", "XB"]) == 0
    said = capsys.readouterr().out
    assert (
        "Evaluated price: exactly 278063810/985527, about £282.15 (shown to the penny only for reading)"
        in said
    )
    assert main(["verify", str(out)]) == 0  # the re-evaluation gives the same bytes
    assert "verified" in capsys.readouterr().out


def test_robustness_pack_summaries_and_ocds_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = _folder(tmp_path), tmp_path / "out"
    assert main(["evaluate", str(folder), "--out", str(out), "--no-workbook"]) == 0
    capsys.readouterr()
    assert main(["robustness", str(folder)]) == 0
    said = capsys.readouterr().out
    assert "Winner: XA" in said
    assert main(["pack", str(out), "--out", str(tmp_path / "pack.html")]) == 0
    assert "£280.16" in (tmp_path / "pack.html").read_text(encoding="utf-8")
    assert main(["summaries", str(out), "--out", str(tmp_path / "summaries")]) == 0
    assert main(["ocds", str(out), "--out", str(tmp_path / "ocds.json")]) == 0
    ocds = (tmp_path / "ocds.json").read_text(encoding="utf-8")
    # OCDS amounts are JSON numbers: the exact price is published rounded half up to the penny.
    assert '"amount": 280.16,' in ocds and '"amount": 282.15,' in ocds
    json.loads(ocds)
    capsys.readouterr()
    assert main(["stress", str(folder / "tender.yaml")]) == 0
    assert "price model whole_life" in capsys.readouterr().out
    assert main(["methodology", str(folder), "--out", str(tmp_path / "method.md")]) == 0


def _unrounded_example(tmp_path: Path) -> Path:
    """examples/equipment-whole-life without its evaluated_rounding (its library copied beside it)."""
    folder = tmp_path / "wl"
    shutil.copytree(REPO / "examples" / "equipment-whole-life", folder)
    shutil.copyfile(REPO / "toms" / "illustrative.yaml", folder / "library.yaml")
    text = (folder / "tender.yaml").read_text(encoding="utf-8")
    text = text.replace("  evaluated_rounding: {places: 2, mode: half_up}\n", "")
    text = text.replace("../../toms/illustrative.yaml", "library.yaml")
    (folder / "tender.yaml").write_text(text, encoding="utf-8")
    return folder


def test_the_price_premium_reads_the_exact_price(tmp_path: Path) -> None:
    # The shipped whole-life example without its declared rounding: E1's evaluated price is exact, and
    # its premium is the largest whole-penny rise r whose lost price points 50 × P_min/p − 50 ×
    # P_min/(p + r) do not exceed its social value points (E3 sets P_min and stays lowest).
    from svengine.analysis.premium import premium_report

    folder = _unrounded_example(tmp_path)
    tender = svengine.load_folder(folder).tender
    result = svengine.evaluate_folder(folder)
    e1, e3 = result.bid("E1"), result.bid("E3")
    assert isinstance(e1.price.evaluated, Fraction) and isinstance(e3.price.evaluated, Fraction)
    premium = {b.bidder_id: b for b in premium_report(tender, result).bids}["E1"]
    p, p_min = e1.price.evaluated, e3.price.evaluated
    assert premium.price == p and premium.premium is not None

    def lost(rise: Fraction) -> Fraction:
        return 50 * p_min / p - 50 * p_min / (p + rise)

    social = Fraction(str(e1.social_value.score))
    assert lost(premium.premium) <= social < lost(premium.premium + Fraction(1, 100))


def test_a_contract_started_from_it_takes_the_price_to_the_penny(tmp_path: Path) -> None:
    folder, out = _unrounded_example(tmp_path), tmp_path / "out"
    assert main(["evaluate", str(folder), "--out", str(out), "--no-workbook"]) == 0
    exact = Fraction(json.loads((out / "result.json").read_text())["bids"][0]["price"]["evaluated"])
    assert exact.denominator == 3371031134626313601  # E3's price, exact
    contract = tmp_path / "contract"
    args = ["contract", "start", str(out), "--bidder", "E3", "--start", "2027-01-01"]
    assert main([*args, "--reporting", "annual", "--out", str(contract)]) == 0
    # 11,642,739,196,739,227,905,230,000 / 3,371,031,134,626,313,601 = 3,453,761.989068... -> 3,453,761.99
    assert exact - Fraction("3453761.99") < Fraction(1, 200)
    assert 'contract_value: "3453761.99"' in (contract / "contract.yaml").read_text(
        encoding="utf-8"
    )
