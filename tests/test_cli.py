"""The `svengine` command: exit codes, output files, refusals (issue 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from svengine.cli.main import main


def svengine(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real command in a separate process, as a panel would."""
    return subprocess.run(
        [sys.executable, "-m", "svengine", *args], capture_output=True, text=True, cwd=REPO
    )


def test_evaluate_prints_a_ranked_table() -> None:
    run = svengine("evaluate", "examples/housing-repairs")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    ranked = [line.split()[:2] for line in lines if line[:4].strip().isdigit()]
    assert ranked == [["1", "B1"], ["2", "B2"], ["3", "B4"], ["4", "B5"], ["5", "B6"]]
    assert "B3 excluded below_min_score" in run.stdout


def test_evaluate_out_writes_result_json_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["evaluate", str(REPO / "examples/housing-repairs"), "--out", str(out)]) == 0
    result = json.loads((out / "result.json").read_text())
    assert result["bids"][0]["bidder_id"] == "B1"
    assert sorted(p.name for p in out.iterdir()) == [
        "report.xlsx",
        "result.json",
        "run.json",
    ]  # no temporary files left behind
    before = (out / "result.json").read_bytes()
    (out / "result.json").write_text("keep me")
    assert main(["evaluate", str(REPO / "examples/housing-repairs"), "--out", str(out)]) == 1
    assert (out / "result.json").read_text() == "keep me"
    assert (
        main(["evaluate", str(REPO / "examples/housing-repairs"), "--out", str(out), "--force"])
        == 0
    )
    assert (out / "result.json").read_bytes() == before  # byte-identical on a second run


def test_invalid_input_exits_1_lists_problems_and_writes_nothing(
    housing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (housing / "bids" / "B1.json").write_text('{"bidder": {"id": "B1", "name": "x"}, "price": "0"}')
    (housing / "scores.csv").write_text((housing / "scores.csv").read_text() + "B1,Q9,3,x\n")
    out = tmp_path / "out"
    assert main(["evaluate", str(housing), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "problems found; nothing was evaluated or written" in err
    assert "B1.json $.price: price must be greater than 0" in err
    assert 'criterion "Q9", which the tender does not have' in err
    assert not out.exists()


def test_validate_exit_codes(housing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(housing)]) == 0
    assert main(["validate", str(housing / "tender.yaml")]) == 0
    assert main(["validate", str(housing / "bids" / "B1.json")]) == 0
    assert main(["validate", str(housing / "scores.csv")]) == 0
    assert main(["validate", str(REPO / "toms" / "illustrative.yaml")]) == 0
    (housing / "bids" / "B1.json").write_text('{"bidder": {"id": "B1"}, "price": "1e3"}')
    capsys.readouterr()
    assert main(["validate", str(housing / "bids" / "B1.json")]) == 1
    err = capsys.readouterr().err
    assert 'the field "name" is missing' in err and '"1e3"' in err


def test_usage_errors_exit_2() -> None:
    assert main([]) == 2
    assert main(["evaluate"]) == 2
    assert main(["frobnicate"]) == 2
    assert svengine("evaluate", "--bogus").returncode == 2


def test_version() -> None:
    run = svengine("--version")
    assert run.returncode == 0 and run.stdout.startswith("svengine ")


def test_library_show_lists_every_measure() -> None:
    run = svengine("library", "show", "toms/illustrative.yaml")
    assert run.returncode == 0
    assert "EX-JOB-1" in run.stdout and "31,200.00" in run.stdout and "record only" in run.stdout
    assert run.stdout.rstrip().endswith("39 measures")


def test_no_traceback_for_user_mistakes(tmp_path: Path) -> None:
    (tmp_path / "tender.yaml").write_bytes(b"\x00\xff\xfe garbage")
    run = svengine("evaluate", str(tmp_path))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert "not UTF-8" in run.stderr and "bids/" in run.stderr
    missing = svengine("evaluate", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_heavy_libraries_load_only_when_needed() -> None:
    """Start-up stays quick (issue 9, target 1): spreadsheets and numpy load only for the commands that use them."""
    probe = (
        "import sys, svengine.cli.main; print(sorted(m for m in ('openpyxl', 'xlsxwriter', "
        "'numpy', 'pandas', 'pygal') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert run.stdout.strip() == "[]", run.stdout + run.stderr


def test_a_bug_is_reported_as_an_internal_error_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import svengine.cli.validate

    def broken(args: object) -> int:
        raise ZeroDivisionError("boom")

    monkeypatch.delenv("SVENGINE_DEBUG", raising=False)
    monkeypatch.setattr(svengine.cli.validate, "run", broken)
    assert main(["validate", str(REPO / "examples" / "housing-repairs")]) == 70
    err = capsys.readouterr().err
    assert (
        "internal error (ZeroDivisionError: boom)" in err and "not a problem with your input" in err
    )
    assert "Traceback" not in err


def test_an_unwritable_output_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert (
        main(["evaluate", str(REPO / "examples/housing-repairs"), "--out", str(blocker / "out")])
        == 1
    )
    assert "svengine: cannot read or write" in capsys.readouterr().err


def test_pack_and_ocds_read_a_recorded_evaluation_through_one_reader(
    housing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # cli/result_file.py reads result.json and run.json for both: the same refusal in the same words.
    evaluated = tmp_path / "ev"
    assert main(["evaluate", str(housing), "--out", str(evaluated)]) == 0
    (evaluated / "run.json").write_text("[1, 2]", encoding="utf-8")
    capsys.readouterr()
    for command in (
        ["pack", "--out", str(tmp_path / "p.html")],
        ["ocds", "--out", str(tmp_path / "o.json")],
    ):
        assert main([command[0], str(evaluated), *command[1:]]) == 1
        err = capsys.readouterr().err
        assert (
            err
            == f"svengine: {evaluated / 'run.json'} is not a run record (a JSON object was expected)\n"
        )
    (evaluated / "run.json").unlink()
    assert main(["ocds", str(evaluated), "--out", str(tmp_path / "o.json")]) == 1  # ocds needs it
    assert "run.json does not exist" in capsys.readouterr().err
    assert main(["pack", str(evaluated), "--out", str(tmp_path / "p.html")]) == 0  # pack does not
    (evaluated / "result.json").write_text("{}", encoding="utf-8")
    for command in (
        ["pack", "--out", str(tmp_path / "q.html")],
        ["ocds", "--out", str(tmp_path / "q.json")],
    ):
        assert main([command[0], str(evaluated), *command[1:]]) == 1
        assert "is not a result.json this version can read" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists() and not (tmp_path / "q.html").exists()


def _ocds_and_methodology_refuse(
    evaluated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], why: str
) -> None:
    """Both commands refuse the evaluated folder with the same reason, and write nothing."""
    capsys.readouterr()
    assert main(["ocds", str(evaluated), "--out", str(tmp_path / "o.json")]) == 1
    assert capsys.readouterr().err == f"svengine: {why}\n"
    assert main(["methodology", str(evaluated), "--out", str(tmp_path / "m.md")]) == 1
    assert capsys.readouterr().err == (
        f"svengine: {why}\nsvengine: methodology also takes the tender file itself\n"
    )
    assert not (tmp_path / "o.json").exists() and not (tmp_path / "m.md").exists()


def test_ocds_and_methodology_say_the_same_true_words_when_the_tender_cannot_be_found_again(
    housing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One function (cli/result_file.py recorded_tender) finds the tender an evaluation read again
    # for ocds, methodology and pack; each reason names the file at fault.
    evaluated = tmp_path / "ev"
    assert main(["evaluate", str(housing), "--out", str(evaluated), "--no-workbook"]) == 0
    tender = housing / "tender.yaml"
    run_path, result_path = evaluated / "run.json", evaluated / "result.json"
    original_run, original_result = run_path.read_bytes(), result_path.read_bytes()

    def refusals(why: str) -> None:
        _ocds_and_methodology_refuse(evaluated, tmp_path, capsys, why)

    tender.write_text(tender.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    refusals(
        f"{tender} has changed since the evaluation (its SHA-256 differs from the one result.json"
        " records); re-run `svengine evaluate` or restore the file"
    )
    assert main(["pack", str(evaluated), "--out", str(tmp_path / "p.html")]) == 0  # without premium
    saved = tender.read_bytes()
    tender.unlink()
    refusals(
        f"cannot read {tender}, where {run_path} says tender.yaml was read from: the file does not exist"
    )
    os.mkfifo(tender)  # refused before it is opened: reading it would wait for a writer for ever
    refusals(
        f"cannot read {tender}, where {run_path} says tender.yaml was read from: this is a pipe"
        " (FIFO), not a file; inputs must be ordinary files"
    )
    tender.unlink()
    tender.write_bytes(saved[: -len(b"# a comment\n")])
    record = json.loads(original_run)
    record["inputs"] = [i for i in record["inputs"] if i["path"] != "tender.yaml"]
    run_path.write_text(json.dumps(record), encoding="utf-8")
    refusals(f"{run_path} does not say where tender.yaml was read from")
    del record["inputs"]
    run_path.write_text(json.dumps(record), encoding="utf-8")
    refusals(f"{run_path} cannot be read as a run record: it has no list of inputs")
    run_path.write_bytes(original_run)
    document = json.loads(original_result)
    del document["audit"]["inputs"]["tender.yaml"]
    result_path.write_text(json.dumps(document), encoding="utf-8")
    refusals(
        f"{result_path} records no tender file, so the tender the evaluation read cannot be found"
    )
    result_path.write_bytes(original_result)
    capsys.readouterr()
    assert main(["ocds", str(evaluated), "--out", str(tmp_path / "o.json")]) == 0  # all restored
    assert main(["methodology", str(evaluated), "--out", str(tmp_path / "m.md")]) == 0


def test_methodology_reads_run_json_with_the_one_reader_and_says_so_once(
    housing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evaluated = tmp_path / "ev"
    assert main(["evaluate", str(housing), "--out", str(evaluated), "--no-workbook"]) == 0
    for content, why in (
        ("[1, 2]", f"{evaluated / 'run.json'} is not a run record (a JSON object was expected)"),
        (
            None,
            f"{evaluated / 'run.json'} does not exist; give a folder written by `svengine evaluate --out`",
        ),
    ):
        if content is None:
            (evaluated / "run.json").unlink()
        else:
            (evaluated / "run.json").write_text(content, encoding="utf-8")
        _ocds_and_methodology_refuse(evaluated, tmp_path, capsys, why)


@pytest.mark.parametrize(
    ("argv", "outcome"),
    [
        ("evaluate F", "evaluated"),
        ("validate F", None),
        ("library show F", None),
        ("library import F --out O", "written"),
        ("template bids F --out O", "written"),
        ("template prices F --out O", "written"),
        ("template scores F --out O", "written"),
        ("panel F", "with --out"),
        ("verify F", None),
        ("explain F --bidder B1", None),
        ("methodology F --out O", "written"),
        ("stress F", "with --out"),
        ("robustness F", "with --out"),
        ("summaries F --out O", "written"),
        ("award-report F --out O", "written"),
        ("batch F --out O", None),  # each tender's problems are in batch's own table
        ("serve", None),
        (
            "contract start F --bidder B1 --reporting quarterly --start 2026-04-01 --out O",
            "written",
        ),
        ("contract template F --period 2026-Q2 --out O", "written"),
        ("contract report F", "written"),
        ("contract verify F", None),
        ("contract ocds F --out O", "written"),
        ("portfolio F --out O", "written"),
        ("ocds F --out O", "written"),
        ("init F", "written"),
        ("pack F --out O", "written"),
    ],
)
def test_each_command_declares_what_it_did_not_do_when_its_input_has_problems(
    argv: str, outcome: str | None
) -> None:
    from svengine.cli.common import (
        NOTHING_EVALUATED,
        NOTHING_WRITTEN,
        problems_outcome,
        written_with_out,
    )
    from svengine.cli.main import build_parser

    args = build_parser().parse_args(argv.split())
    expected = {"evaluated": NOTHING_EVALUATED, "written": NOTHING_WRITTEN}.get(outcome or "")
    if outcome == "with --out":
        assert args.problems_outcome is written_with_out
        assert problems_outcome(args) is None  # it would have printed, not written
        with_out = build_parser().parse_args([*argv.split(), "--out", "O"])
        assert problems_outcome(with_out) == NOTHING_WRITTEN
    else:
        assert problems_outcome(args) == expected
