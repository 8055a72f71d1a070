"""`svengine verify DIR | evaluation.zip`: tamper with each part and check the report names it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from audit_folders import make_evaluation
from svengine.audit.verify import differences
from svengine.cli.main import main
from svengine.seal.digests import result_sha256


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, Path]:
    """(evaluation folder, output folder with result.json, run.json and evaluation.zip)."""
    folder = make_evaluation(tmp_path)
    out = tmp_path / "out"
    assert main(["evaluate", str(folder), "--out", str(out), "--bundle"]) == 0
    return folder, out


def verify(target: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", str(target)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def reseal(path: Path, change: Any) -> None:
    """Rewrite result.json as another engine would have written it: changed, with a matching seal."""
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    document["audit"]["result_sha256"] = result_sha256(document)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def bid(document: dict[str, Any], bidder: str) -> dict[str, Any]:
    return next(item for item in document["bids"] if item["bidder_id"] == bidder)


def test_untouched_record_and_bundle_verify(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = recorded
    assert verify(out, capsys) == (0, "verified\n")
    assert verify(out / "evaluation.zip", capsys) == (0, "verified\n")


def test_bundle_verifies_after_the_original_inputs_are_gone(
    recorded: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = recorded
    archived = tmp_path / "archive" / "evaluation.zip"
    archived.parent.mkdir()
    archived.write_bytes((out / "evaluation.zip").read_bytes())
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (tmp_path / "lib" / "lib.yaml").unlink()
    assert verify(archived, capsys) == (0, "verified\n")
    code, report = verify(out, capsys)
    assert code == 1
    assert "input missing: bids/A1.json" in report and "input missing: ../lib/lib.yaml" in report


def test_an_edited_bid_file_is_named_with_the_figures_it_changes(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = recorded
    # A2's price 1,200,000 -> 1,250,000: 30 × 1,000,000 / 1,250,000 = 24; total 56 + 24 + 6.39 = 86.39.
    edit(folder / "bids" / "A2.json", '"1200000.00"', '"1250000.00"')
    code, report = verify(out, capsys)
    assert code == 1
    assert "input changed since the evaluation: bids/A2.json" in report
    assert "bids[A2].price.amount: recorded 1200000.00, recomputed 1250000.00" in report
    assert "bids[A2].price.score: recorded 25.00, recomputed 24.00" in report
    assert "bids[A2].total_score: recorded 87.39, recomputed 86.39" in report
    assert "bids[A1]" not in report.replace(
        "explanation texts differ too", ""
    )  # A1's figures are unchanged
    assert "result.json was edited" not in report


def test_an_edited_library_outside_the_folder_is_named(
    recorded: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = recorded
    # CO2 proxy 250 -> 550: A2's social value 90,000 + 55,000 = 145,000 -> 10 × 145/180 = 8.0555… -> 8.06.
    edit(tmp_path / "lib" / "lib.yaml", 'proxy_value: "250"', 'proxy_value: "550"')
    code, report = verify(out, capsys)
    assert code == 1
    assert "input changed since the evaluation: ../lib/lib.yaml" in report
    assert "bids[A2].social_value.score: recorded 6.39, recomputed 8.06" in report
    assert "the evaluation method differs" in report


def test_an_added_bid_file_is_named(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = recorded
    (folder / "bids" / "A4.json").write_text(
        json.dumps({"bidder": {"id": "A4", "name": "Late Ltd"}, "price": "1100000"}),
        encoding="utf-8",
    )
    with (folder / "scores.csv").open("a", encoding="utf-8") as scores:
        scores.write("A4,Q1,3,\nA4,Q2,3,\n")
    code, report = verify(out, capsys)
    assert code == 1
    assert "input added since the evaluation: bids/A4.json" in report
    assert "input changed since the evaluation: scores.csv" in report
    assert "bids[A4]: recorded (absent), recomputed (the whole bid of A4)" in report
    assert "summary.bids: recorded 3, recomputed 4" in report


def test_an_edited_figure_in_result_json_is_named(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = recorded
    edit(out / "result.json", '"total_score": "84.00"', '"total_score": "84.01"')
    code, report = verify(out, capsys)
    assert code == 1
    assert "result.json was edited after it was written" in report
    assert "bids[A1].total_score: recorded 84.01, recomputed 84.00" in report
    assert "input changed" not in report


def test_a_bid_moved_up_the_ranking_in_result_json_is_named(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = recorded
    reseal(
        out / "result.json", lambda d: (bid(d, "A1").update(rank=1), bid(d, "A2").update(rank=2))
    )
    code, report = verify(out, capsys)
    assert code == 1
    assert "result.json was edited" not in report  # resealed: only the re-run can tell
    assert "bids[A1].rank: recorded 1, recomputed 2" in report
    assert "bids[A2].rank: recorded 2, recomputed 1" in report


def test_another_engine_version_with_different_numbers_is_named(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = recorded

    def older_engine(document: dict[str, Any]) -> None:
        document["audit"]["engine"]["version"] = "0.0.1"
        bid(document, "A2")["social_value"]["score"] = "6.38"  # as if it had rounded down
        bid(document, "A2")["total_score"] = "87.38"

    reseal(out / "result.json", older_engine)
    code, report = verify(out, capsys)
    assert code == 1
    assert (
        "a different engine version gives different numbers: recorded with svengine 0.0.1" in report
    )
    assert "bids A2 differ in 2 figures" in report
    assert "bids[A2].social_value.score: recorded 6.38, recomputed 6.39" in report
    assert "bids[A2].total_score: recorded 87.38, recomputed 87.39" in report
    assert "result.json was edited" not in report


def test_another_engine_version_with_the_same_numbers_verifies_with_a_note(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = recorded
    reseal(out / "result.json", lambda d: d["audit"]["engine"].update(version="0.0.1"))
    code, report = verify(out, capsys)
    assert code == 0
    assert report.startswith("verified\n")
    assert "recorded with svengine 0.0.1" in report and "every figure is the same" in report


def _rewrite_zip(path: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(path) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    for name, data in change.items():
        if data is None:
            entries.pop(name)
        else:
            entries[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def test_an_input_edited_inside_the_bundle_is_named(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = recorded
    name = "inputs/evaluation/scores.csv"
    changed = (
        (folder / "scores.csv")
        .read_text(encoding="utf-8")
        .replace("A1,Q2,3", "A1,Q2,5")
        .encode("utf-8")
    )
    _rewrite_zip(out / "evaluation.zip", {name: changed})
    code, report = verify(out / "evaluation.zip", capsys)
    assert code == 1
    assert f"bundle file {name} does not match its SHA-256 in the manifest" in report
    assert "input changed since the evaluation: scores.csv" in report
    # Q2 3 -> 5: 20 × 5/5 = 20 instead of 12, so A1's quality 44 -> 52 and its total 84.00 -> 92.00.
    assert "bids[A1].quality.score: recorded 44.00, recomputed 52.00" in report
    assert "bids[A1].total_score: recorded 84.00, recomputed 92.00" in report
    assert "bids[A1].rank: recorded 2, recomputed 1" in report


def test_result_json_edited_inside_the_bundle_is_named(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = recorded
    text = (
        (out / "result.json")
        .read_text(encoding="utf-8")
        .replace('"score": "6.39"', '"score": "7.39"')
    )
    _rewrite_zip(out / "evaluation.zip", {"result.json": text.encode("utf-8")})
    code, report = verify(out / "evaluation.zip", capsys)
    assert code == 1
    assert "bundle file result.json does not match its SHA-256 in the manifest" in report
    assert "result.json was edited after it was written" in report
    assert "bids[A2].social_value.score: recorded 7.39, recomputed 6.39" in report


@pytest.mark.parametrize(
    "evil",
    [
        "../evil.txt",
        "/tmp/evil-absolute.txt",
        "inputs/../../evil.txt",
        "C:/evil.txt",
        "a\\..\\..\\evil.txt",
    ],
)
def test_zip_slip_names_are_refused_and_nothing_is_written_outside(
    recorded: tuple[Path, Path], tmp_path: Path, evil: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = recorded
    bundle = tmp_path / "evil.zip"
    bundle.write_bytes((out / "evaluation.zip").read_bytes())
    with zipfile.ZipFile(bundle, "a") as archive:
        info = zipfile.ZipInfo("placeholder")
        info.filename = evil  # ZipInfo() would normalise the name; an attacker's file would not
        archive.writestr(info, b"owned")
    code, report = verify(bundle, capsys)
    assert code == 1
    assert "unsafe file name" in report
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil-absolute.txt").exists()


def test_verify_needs_a_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = verify(tmp_path, capsys)
    assert code == 1 and "result.json does not exist" in report
    code, report = verify(tmp_path / "missing.zip", capsys)
    assert code == 1 and "does not exist" in report
    (tmp_path / "not.zip").write_bytes(b"not a zip")
    code, report = verify(tmp_path / "not.zip", capsys)
    assert code == 1 and "not a readable zip file" in report


def test_differences_key_bids_by_bidder_and_criteria_by_id() -> None:
    recorded = {
        "bids": [
            {
                "bidder_id": "B3",
                "criteria": [{"id": "Q1", "score": "4"}, {"id": "Q2", "score": "3"}],
            }
        ]
    }
    recomputed = {
        "bids": [
            {
                "bidder_id": "B3",
                "criteria": [{"id": "Q2", "score": "3"}, {"id": "Q1", "score": "5"}],
            }
        ]
    }
    assert [(p, a, b) for p, a, b in differences(recorded, recomputed)] == [
        ("bids[B3].criteria[Q1].score", "4", "5")
    ]
    flags = list(differences({"flags": [{"code": "tie"}]}, {"flags": []}))
    assert len(flags) == 1 and flags[0][0] == "flags[0]" and flags[0][1] == {"code": "tie"}


def test_inputs_that_no_longer_evaluate_are_reported_with_their_problems(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = recorded
    edit(folder / "tender.yaml", "min_score: 2", "min_scor: 2")
    code, report = verify(out, capsys)
    assert code == 1
    assert "input changed since the evaluation: tender.yaml" in report
    assert "the inputs can no longer be evaluated (1 problem):" in report
    assert 'unknown field "min_scor" (did you mean "min_score"?)' in report


def test_a_tampered_input_that_changes_the_winner_says_so_first(
    recorded: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = recorded
    before = json.loads((out / "result.json").read_text(encoding="utf-8"))
    winner = before["awards"][0]["bidder_id"]
    other = next(b["bidder_id"] for b in before["bids"] if b["bidder_id"] != winner)
    bid_file = folder / "bids" / f"{other}.json"
    document = json.loads(bid_file.read_text(encoding="utf-8"))
    document["price"] = "100000.00"  # far below every other price: full price marks
    bid_file.write_text(json.dumps(document), encoding="utf-8")
    code, report = verify(out, capsys)
    assert code == 1
    lines = report.splitlines()
    assert lines[1] == "What changes for people:"
    assert lines[2] == f"  the winner changes from {winner} to {other}"
    assert f"  {other}'s rank changes from 2 to 1" in lines
    assert f"  {winner}'s rank changes from 1 to 2" in lines
    assert lines.index("In detail:") > lines.index(f"  {winner}'s rank changes from 1 to 2")
