"""`svengine batch` over a root holding the examples and one broken tender, as a real subprocess."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIBRARY = REPO / "toms" / "illustrative.yaml"


def _copy_example(name: str, target: Path) -> Path:
    shutil.copytree(REPO / "examples" / name, target)
    tender = target / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("../../toms/illustrative.yaml", str(LIBRARY)),
        encoding="utf-8",
    )
    return target


def _batch(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "svengine", "batch", str(root), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_batch_evaluates_every_tender_and_reports_the_broken_one(tmp_path: Path) -> None:
    root, out = tmp_path / "root", tmp_path / "out"
    _copy_example("housing-repairs", root / "housing-repairs")
    _copy_example("highways-lot", root / "highways-lot")
    _copy_example(
        "housing-repairs", root / "2027" / "housing-repairs"
    )  # same folder name, other parent
    broken = _copy_example("highways-lot", root / "broken")
    tender = broken / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace(
            "weights: {quality: 50", "weights: {quality: 55"
        ),
        encoding="utf-8",
    )

    run = _batch(root, out, "--jobs", "2")

    assert run.returncode == 1, run.stderr
    with open(out / "summary.csv", encoding="utf-8", newline="") as handle:
        rows = {row["tender"]: row for row in csv.DictReader(handle)}
    assert list(rows) == ["2027/housing-repairs", "broken", "highways-lot", "housing-repairs"]
    # Quality 55 + price 40 + social value 10 = 105, and the criteria add up to 50, not 55: two problems.
    assert (rows["broken"]["status"], rows["broken"]["problems"]) == ("invalid", "2")
    assert "quality 55" in rows["broken"]["first_problem"]  # weights 55 + 40 + 10
    # Winners and totals as the examples' READMEs publish them (housing-repairs: B1 with 82.97).
    assert (
        rows["housing-repairs"]["winner"],
        rows["housing-repairs"]["winner_total"],
        rows["housing-repairs"]["bids"],
    ) == ("B1", "82.97", "6")
    assert rows["2027/housing-repairs"]["winner"] == "B1"
    assert rows["highways-lot"]["bids"] == "10" and rows["highways-lot"]["status"] == "evaluated"
    # Each result.json is the one `svengine evaluate` writes for the same folder, byte for byte.
    single = subprocess.run(
        [
            sys.executable,
            "-m",
            "svengine",
            "evaluate",
            str(root / "highways-lot"),
            "--out",
            str(tmp_path / "single"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert single.returncode == 0, single.stderr
    assert (out / "highways-lot" / "result.json").read_bytes() == (
        tmp_path / "single" / "result.json"
    ).read_bytes()
    assert (
        json.loads((out / "2027" / "housing-repairs" / "result.json").read_text(encoding="utf-8"))[
            "bids"
        ][0]["bidder_id"]
        == "B1"
    )
    assert not (out / "broken").exists()
    assert "broken: invalid" in run.stderr and "4/4 tenders" in run.stderr
    assert "3 of 4 tenders evaluated" in run.stdout

    # A second run refuses to replace anything unless asked, and exits 0 once the broken tender is fixed.
    again = _batch(root, out)
    assert again.returncode == 1 and "already exist" in again.stderr
    shutil.rmtree(broken)
    forced = _batch(root, out, "--force", "--jobs", "1")
    assert forced.returncode == 0, forced.stderr


def test_batch_usage_errors(tmp_path: Path) -> None:
    assert _batch(tmp_path / "missing", tmp_path / "out").returncode == 2
    assert _batch(tmp_path, tmp_path / "out", "--jobs", "0").returncode == 2
    empty = _batch(tmp_path, tmp_path / "out")
    assert empty.returncode == 1 and "no folder" in empty.stderr
