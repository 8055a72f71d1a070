"""The front door (issue 15): one mistake gives one message, in words a procurement officer uses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from svengine.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "housing-repairs"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "tender"
    shutil.copytree(EXAMPLE, copy)
    tender = copy / "tender.yaml"
    library = (ROOT / "toms" / "illustrative.yaml").as_posix()
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("../../toms/illustrative.yaml", library),
        encoding="utf-8",
    )
    return copy


def _refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["evaluate", str(folder)]) == 1
    err = capsys.readouterr().err
    return [line.strip() for line in err.splitlines()[1:] if line.strip()]


def test_a_price_with_separators_is_one_problem_that_says_what_to_do(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bid = folder / "bids" / "B1.json"
    bid.write_text(
        bid.read_text(encoding="utf-8").replace('"4612000.00"', '"4,612,000"'), encoding="utf-8"
    )
    problems = _refused(folder, capsys)
    # Before: the real problem plus four 'score for bidder "B1", who has no bid'.
    assert len(problems) == 1, problems
    assert problems[0].endswith(
        "$.price: price must be a number with at most 15 digits before the decimal point and 6"
        ' after it (no exponent); remove the thousands separators: write 4612000, not "4,612,000"'
    )


def test_a_score_above_the_maximum_names_the_criterion_the_score_and_the_maximum(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = folder / "scores.csv"
    scores.write_text(
        scores.read_text(encoding="utf-8").replace("B1,Q1,4,", "B1,Q1,7,", 1), encoding="utf-8"
    )
    (problem,) = _refused(folder, capsys)
    assert "scores.csv:2" in problem
    assert "criterion Q1 (" in problem and "score 7 is above the maximum of 5" in problem


def test_an_unknown_bidder_gets_a_did_you_mean(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = folder / "scores.csv"
    text = scores.read_text(encoding="utf-8")
    scores.write_text(text + "B11,Q1,3,typo\n", encoding="utf-8")
    problems = _refused(folder, capsys)
    assert any(
        'score for bidder "B11", who has no bid (did you mean "B1"?)' in p for p in problems
    ), problems
