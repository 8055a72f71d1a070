"""result.json does not change by a single byte when the engine is made faster.

The digests below are SHA-256 of the result.json that `svengine evaluate FOLDER --out DIR
--no-workbook` wrote on main before the speed work of issue 9 (commit 2af0e3f), with the engine
version pinned to "golden" so that a version bump does not move them. Every example folder is
covered, and a generated 2,000-bid folder (10 commitments, 8 criteria, the benchmark's shape), so
the large-tender paths (many ties in price, non-terminating fractions, gaming flags) are covered
too. If a digest changes, result.json changed: that is a change of the public record, never a
side effect of making the engine faster.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from benchmarks.generate import write_evaluation

from conftest import REPO
from svengine.cli.main import main

GOLDEN = {
    "equipment-whole-life": "b15dda1c13ef525862eebfeac5578c520ed9d59a59a86729f313ef4a6f5c196c",
    "framework-multi-lot": "48104d649f348794756d50e32b3a6da28dee52b67ac91cbdd243ff7f9b2f2437",
    "highways-lot": "b8457f4f6e6baf80a89f6e8bd8a21831f8704d1ae2a770c10aea2334c6c45752",
    "housing-repairs": "93839442d5aff9c15b7dc59c1facb738fab761ce0aa903a0fb401d572429ce78",
    "panel-grounds-maintenance": "2449d2a2f39f92b033c91a8e8f4382fe67a76944c474e5caf7f264a993772cf4",
    "repairs-schedule-of-rates": "6ca6f4f2e4f3e4012e1d496d79eca82bae4848eeb75e96d7f33b18bc997b53b1",
    "services-multi-part": "3944f60b61945a9fc0afa677260d85276853c6c5064a5083897905a181013f17",
    "generated-2000": "a5507292f0edd0e216b3743537354c56396e09dec384bf28c905037e033dd058",
}


def _result_digest(folder: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("svengine.seal.digests.__version__", "golden")
    assert main(["evaluate", str(folder), "--out", str(out), "--no-workbook"]) == 0
    return hashlib.sha256((out / "result.json").read_bytes()).hexdigest()


@pytest.mark.parametrize("route", ["per_bid", "columnar"])
@pytest.mark.parametrize("name", sorted(name for name in GOLDEN if name != "generated-2000"))
def test_example_result_json_is_byte_identical(
    name: str, route: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each example both ways: bid by bid over Fractions, and on the vectorised exact path that
    # large tenders take (svengine.scoring.evaluate.COLUMNAR_FROM; the 2,000-bid folder takes it).
    threshold = 1 if route == "columnar" else 10**9
    monkeypatch.setattr("svengine.scoring.evaluate.COLUMNAR_FROM", threshold)
    assert _result_digest(REPO / "examples" / name, tmp_path / "out", monkeypatch) == GOLDEN[name]


def test_generated_2000_bid_result_json_is_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_evaluation(tmp_path / "tender", bids=2000, commitments=10, criteria=8)
    assert _result_digest(folder, tmp_path / "out", monkeypatch) == GOLDEN["generated-2000"]
