"""The synthetic evaluation generator is deterministic and writes folders svengine accepts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from benchmarks.generate import write_evaluation

from svengine import load_folder


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_bids(tmp_path: Path) -> None:
    first = write_evaluation(
        tmp_path / "a", bids=25, commitments=4, criteria=3, evaluators=3, seed=7, chunk=10
    )
    second = write_evaluation(
        tmp_path / "b", bids=25, commitments=4, criteria=3, evaluators=3, seed=7, chunk=10
    )
    other = write_evaluation(
        tmp_path / "c", bids=25, commitments=4, criteria=3, evaluators=3, seed=8, chunk=10
    )
    assert _files(first) == _files(second)
    assert _files(first)["bids/bids-0001.json"] != _files(other)["bids/bids-0001.json"]


def test_sizes_are_as_asked_and_the_folder_evaluates(tmp_path: Path) -> None:
    folder = write_evaluation(
        tmp_path / "e", bids=25, commitments=4, criteria=3, evaluators=5, chunk=10
    )
    assert sorted(p.name for p in (folder / "bids").iterdir()) == [
        "bids-0001.json",
        "bids-0002.json",
        "bids-0003.json",
    ]
    bids = [
        bid
        for p in sorted((folder / "bids").iterdir())
        for bid in json.loads(p.read_text(encoding="utf-8"))
    ]
    assert len(bids) == 25 and all(len(b["social_value"]) == 4 for b in bids)
    assert all(
        len({c["measure"] for c in b["social_value"]}) == 4 for b in bids
    )  # distinct measures
    with open(folder / "evaluator-scores.csv", encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == 25 * 3 * 5
    inputs = load_folder(folder)  # every check passes: criteria weights add up, all scores present
    assert len(inputs.bids) == 25 and len(inputs.scores) == 25 * 3
    assert [c.id for c in inputs.tender.quality_criteria] == ["Q1", "Q2"]
    assert [c.id for c in inputs.tender.social_value_criteria] == ["SV1"]
