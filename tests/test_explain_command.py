"""`svengine explain DIR --bidder ID`: the plain-English account, from result.json alone.

Every figure asserted here is worked out by hand in tests/audit_folders.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from audit_folders import make_evaluation
from svengine.cli.main import main


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding only result.json: the inputs and run.json are gone."""
    folder = make_evaluation(tmp_path)
    written = tmp_path / "out"
    assert main(["evaluate", str(folder), "--out", str(written)]) == 0
    (written / "run.json").unlink()
    shutil.rmtree(folder)
    shutil.rmtree(tmp_path / "lib")
    return written


def explain(out: Path, bidder: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["explain", str(out), "--bidder", bidder])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_runner_up_is_explained_block_by_block_against_the_winner(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _ = explain(out, "A1", capsys)
    assert code == 0
    expected_lines = [
        "A1 Alder Works Ltd, tender AUD-1: Audit test tender",
        "Ranked 2 of 2 with a total of 84.00 points.",
        # each criterion with its score, its points and the panel's comment
        "  Q1 Method (worth 40 points, minimum 2): scored 4 of 5 = 40 × 4/5 = 32 points. Panel: "
        '"Clear method with named depot"',
        '  Q2 Staffing (worth 20 points): scored 3 of 5 = 20 × 3/5 = 12 points. Panel: "Thin mobilisation plan"',
        # the formula with its numbers
        "  Working: Lowest relative: 30 × 1,000,000.00 (lowest valid price) / 1,000,000.00 = 30 "
        "→ 30.00 (rounded half up to 2 places).",
        # the commitments with their proxies
        "    JOB Local FTE employed: 2 FTE × 3 years × proxy £30,000.00 = £180,000.00.",
        "  Total social value £180,000.00 = 18.00% of the contract value £1,000,000.00 (18.00% of the price).",
        "  Total = quality 44.00 + price 30.00 + social value 10.00 = 84.00 (the sum of the "
        "published block scores). Rank 2.",
        # thresholds
        "  Q1 Method: minimum score 2, scored 4: passed.",
        # against the winner A2 (56 + 25 + 6.39 = 87.39)
        "Against the winner, A2 Birch Services plc (total 87.39), block by block:",
        "  quality: 44.00 against 56.00: 12.00 behind.",
        "    Q1 Method: 32 against 40 points (scored 4 against 5): 8 behind.",
        "    Q2 Staffing: 12 against 16 points (scored 3 against 4): 4 behind.",
        "  price: 30.00 against 25.00: 5.00 ahead.",
        "    price £1,000,000.00 against £1,200,000.00: £200,000.00 cheaper.",
        "  social value: 10.00 against 6.39: 3.61 ahead.",
        "    social value offered £180,000.00 against £115,000.00 (18.00% against 11.50% of the contract value).",
        # 10 × 115,000 / 180,000 = 6.388888…: the exact £ points, shown to the declared 2 places
        "    £ part: 10 against 6.39 points: 3.61 ahead.",
        "  total: 84.00 against 87.39: 3.39 behind.",
    ]
    lines = text.splitlines()
    for line in expected_lines:
        assert line in lines, line


def test_the_winner_is_compared_with_the_runner_up(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _ = explain(out, "A2", capsys)
    assert code == 0
    assert "Ranked 1 of 2 with a total of 87.39 points." in text
    assert "    CO2 Carbon saved: 100 tCO2e × 1 year × proxy £250.00 = £25,000.00." in text
    assert "Against the runner-up, A1 Alder Works Ltd (total 84.00), block by block:" in text
    assert "  total: 87.39 against 84.00: 3.39 ahead." in text


def test_an_excluded_bid_shows_the_failed_threshold(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _ = explain(out, "A3", capsys)
    assert code == 0
    assert "Excluded, so not ranked: Q1 (Method) scored 1, below the minimum of 2." in text
    assert "  Q1 Method: minimum score 2, scored 1: FAILED." in text
    assert "    No commitments offered." in text
    assert "Not compared with the winner: an excluded bid has no block scores or total." in text


def test_unknown_bidder_is_a_clear_error(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, error = explain(out, "B9", capsys)
    assert code == 1
    assert text == ""
    assert "no bidder B9" in error and "the bidders are A1, A2, A3" in error


def test_missing_or_foreign_result_json_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, error = explain(tmp_path, "A1", capsys)
    assert code == 1 and "cannot read" in error and "result.json" in error
    (tmp_path / "result.json").write_text('{"bids": []}', encoding="utf-8")
    code, _, error = explain(tmp_path, "A1", capsys)
    assert code == 1 and "is not a result.json this version can read" in error


def test_bidder_is_required(out: Path) -> None:
    assert main(["explain", str(out)]) == 2


def test_explain_shows_every_figure_as_people_read_it(out: Path) -> None:
    # A panel mean of 11/3 and a currency with no symbol: the score to the tender's declared 2
    # places (never 3.666666… or 11/3), and every amount as money with its currency code after it.
    from svengine.audit.explanation import explain_text
    from svengine.model.result import Result

    document = json.loads((out / "result.json").read_text(encoding="utf-8"))
    document["tender"]["currency"] = "CHF"
    for bid in document["bids"]:
        if bid["bidder_id"] == "A1":
            bid["quality"]["criteria"][1]["score"] = "11/3"
            bid["quality"]["criteria"][1]["points"] = "44/3"  # 20 × (11/3)/5
    text = explain_text(Result.model_validate(document), "A1")
    lines = text.splitlines()
    assert "  Q2 Staffing (worth 20 points): scored 3.67 of 5 = 20 × 3.67/5 = 14.67 points." in (
        line.split(" Panel:")[0] for line in lines
    )
    assert "    Q2 Staffing: 14.67 against 16 points (scored 3.67 against 4): 1.33 behind." in lines
    assert "    price 1,000,000.00 CHF against 1,200,000.00 CHF: 200,000.00 CHF cheaper." in lines
    assert "    CHF part: 10 against 6.39 points: 3.61 ahead." in lines
    assert "GBP" not in text and "/3" not in text and "…" not in text
