"""The front door (issue 15): one mistake gives one message, in words a procurement officer uses."""

from __future__ import annotations

import json
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


def test_the_shipped_illustrative_library_is_toms_illustrative() -> None:
    from importlib import resources

    shipped = resources.files("svengine") / "data" / "illustrative.yaml"
    assert shipped.read_bytes() == (ROOT / "toms" / "illustrative.yaml").read_bytes()


def test_library_illustrative_needs_no_path_and_verifies(tmp_path: Path) -> None:
    copy = tmp_path / "my-tender"  # `cp -r examples/housing-repairs my-tender`, then one line
    shutil.copytree(EXAMPLE, copy)
    tender = copy / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace(
            "library: ../../toms/illustrative.yaml", "library: illustrative"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "evaluation"
    assert main(["evaluate", str(copy), "--out", str(out), "--bundle"]) == 0
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    # Recorded by name, the same on every machine (not a path into this installation).
    assert "illustrative" in result["audit"]["inputs"]
    assert main(["evaluate", str(EXAMPLE), "--out", str(tmp_path / "original")]) == 0
    original = json.loads((tmp_path / "original" / "result.json").read_text(encoding="utf-8"))
    assert result["bids"] == original["bids"]  # the same library, the same figures
    assert main(["verify", str(out)]) == 0
    assert main(["verify", str(out / "evaluation.zip")]) == 0


def test_a_library_that_is_not_there_names_the_tender_and_the_path_tried(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "my-tender"
    shutil.copytree(EXAMPLE, copy)  # the relative path no longer reaches toms/
    assert main(["evaluate", str(copy)]) == 1
    err = capsys.readouterr().err
    assert f"{copy / 'tender.yaml'}:18 (column 12) $.social_value.library" in err
    assert "(../../toms/illustrative.yaml) is not there: looked for" in err
    assert "name `illustrative` for svengine's illustrative library" in err


def test_evaluate_out_prints_the_ranking_and_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(EXAMPLE), "--out", str(tmp_path / "ev"), "--no-workbook"]) == 0
    out = capsys.readouterr().out
    assert main(["evaluate", str(EXAMPLE)]) == 0
    table = capsys.readouterr().out
    assert out.startswith(table)  # the same ranking as without --out
    assert out.rstrip().endswith(f"{tmp_path / 'ev' / 'run.json'}")
    assert "Calder Valley Building Services Ltd" in table


def test_init_writes_a_tender_that_evaluates_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new"
    assert main(["init", str(folder)]) == 0
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "bids/B1.json",
        "scores.csv",
        "tender.yaml",
    ]
    assert "# A tender for svengine" in (folder / "tender.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["evaluate", str(folder)]) == 0
    # 950,000 against itself: price 30; quality 35 x 4/5 + 25 x 3/5 = 43; SV 6 + 4 x 3/5 = 8.40.
    assert "81.40" in capsys.readouterr().out
    before = (folder / "scores.csv").read_bytes()
    assert main(["init", str(folder)]) == 1  # nothing replaced without --force
    assert (folder / "scores.csv").read_bytes() == before


def test_scores_csv_headed_as_councils_write_it(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = folder / "scores.csv"
    text = scores.read_text(encoding="utf-8")
    scores.write_text(
        text.replace("bidder,criterion,score,comment", " Bidder, Criterion ,SCORE,Comment"),
        encoding="utf-8",
    )
    assert main(["evaluate", str(folder)]) == 0
    assert "Calder Valley" in capsys.readouterr().out


def test_a_windows_csv_is_refused_with_the_line_and_how_to_save_it(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = folder / "scores.csv"
    text = scores.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + " (£12k of training)\n"
    scores.write_bytes("".join(lines).encode("cp1252"))
    (problem,) = _refused(folder, capsys)
    assert "scores.csv:4" in problem
    assert "line 4 has a character saved in another encoding" in problem
    assert '"CSV UTF-8 (Comma delimited) (*.csv)"' in problem


def test_library_import_refuses_a_row_limit_below_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["library", "import", str(ROOT / "toms" / "illustrative.yaml"), "--out",
                 str(tmp_path / "l.yaml"), "--max-rows", "-1"])  # fmt: skip
    assert code == 2
    assert "--max-rows: must be at least 1, not -1" in capsys.readouterr().err
    assert not (tmp_path / "l.yaml").exists()


def test_methodology_accepts_an_evaluation_folder_and_an_input_folder(tmp_path: Path) -> None:
    evaluation = tmp_path / "ev"
    assert main(["evaluate", str(EXAMPLE), "--out", str(evaluation), "--no-workbook"]) == 0
    outputs = []
    for source in (EXAMPLE / "tender.yaml", EXAMPLE, evaluation):
        target = tmp_path / f"m{len(outputs)}.md"
        assert main(["methodology", str(source), "--out", str(target)]) == 0
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]  # the same tender, however it is named


def test_explain_on_an_input_folder_says_what_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(EXAMPLE), "--bidder", "B1"]) == 1
    err = capsys.readouterr().err
    assert "is an evaluation's input folder" in err
    assert f"svengine evaluate {EXAMPLE} --out DIR" in err and "Traceback" not in err


def test_tender_yaml_problems_have_line_and_column_as_well_as_the_path(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tender = folder / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("scale_max: 5", "scale_max: five"),
        encoding="utf-8",
    )
    (problem,) = _refused(folder, capsys)
    # examples/housing-repairs/tender.yaml line 9 is `  scale_max: 5`; the value starts at column 14.
    assert problem.startswith(f"{tender}:9 (column 14) $.quality.scale_max:")


def test_a_tab_in_yaml_is_explained(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tender = folder / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("  method: absolute", "\tmethod: absolute"),
        encoding="utf-8",
    )
    (problem,) = _refused(folder, capsys)
    assert f"{tender}:8:" in problem
    assert "the line starts with a tab; YAML indents with spaces only" in problem


def test_a_price_with_separators_in_bids_xlsx_is_one_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    from xlsx_helpers import as_workbook_folder

    folder = as_workbook_folder(EXAMPLE, tmp_path / "xlsx")
    book = openpyxl.load_workbook(folder / "bids.xlsx")
    sheet = book["Bids"]
    column = [c.value for c in sheet[1]].index("price") + 1
    sheet.cell(2, column).value = "4,612,000"
    book.save(folder / "bids.xlsx")
    tender = folder / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("../../toms/illustrative.yaml", "illustrative"),
        encoding="utf-8",
    )
    problems = _refused(folder, capsys)  # before: ten, nine of them about a bid "not there"
    assert problems == [
        f"{folder / 'bids.xlsx'} Bids!G2: price must be a number with at most 15 digits before the"
        " decimal point and 6 after it (no exponent); remove the thousands separators: write"
        ' 4612000, not "4,612,000"'
    ]


@pytest.mark.parametrize(
    ("command", "heading"),
    [
        (["evaluate", "{t}"], "1 problem found; nothing was evaluated or written:"),
        (["validate", "{t}"], "1 problem found:"),
        (["methodology", "{t}", "--out", "{o}/m.md"], "1 problem found; nothing was written:"),
        (
            ["template", "bids", "{t}", "--out", "{o}/b.xlsx"],
            "1 problem found; nothing was written:",
        ),
        (["panel", "{t}"], "1 problem found:"),  # it would have printed a table, not written
        (["panel", "{t}", "--out", "{o}"], "1 problem found; nothing was written:"),
        (["robustness", "{t}"], "1 problem found:"),
        (["stress", "{t}/tender.yaml"], "1 problem found:"),
        (
            ["stress", "{t}/tender.yaml", "--out", "{o}/s.json"],
            "1 problem found; nothing was written:",
        ),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_the_problems_heading_says_what_was_not_done_only_where_it_would_have_been(
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    heading: str,
) -> None:
    tender = folder / "tender.yaml"
    tender.write_text(tender.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main([part.format(t=folder, o=out) for part in command]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == heading
    assert 'unknown field "colour"' in lines[1]
    assert list(out.iterdir()) == []


def test_library_commands_say_nothing_was_written_only_when_importing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "library.yaml"
    library.write_text("id: x\ncolour: blue\n", encoding="utf-8")
    assert main(["library", "show", str(library)]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith("found:")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("id,name\nM1,\n", encoding="utf-8")
    assert main(["library", "import", str(sheet), "--out", str(tmp_path / "lib.yaml")]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith("found; nothing was written:")
    assert not (tmp_path / "lib.yaml").exists()


def test_summaries_with_a_bad_tender_say_nothing_was_written(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evaluated = tmp_path / "evaluated"
    assert main(["evaluate", str(folder), "--out", str(evaluated)]) == 0
    tender = folder / "tender.yaml"
    tender.write_text(tender.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    capsys.readouterr()
    summaries = tmp_path / "summaries"
    assert (
        main(["summaries", str(evaluated), "--tender", str(tender), "--out", str(summaries)]) == 1
    )
    assert capsys.readouterr().err.splitlines()[0] == "1 problem found; nothing was written:"
    assert not summaries.exists() or list(summaries.iterdir()) == []


def test_contract_commands_say_nothing_was_written_where_they_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = tmp_path / "contract"
    shutil.copytree(ROOT / "examples" / "contract-housing-repairs", contract)
    (contract / "returns" / "2027-Q1.csv").write_text(
        "measure,quantity,evidence,note\nEX-NOPE-9,3,x,\n", encoding="utf-8"
    )
    assert main(["contract", "report", str(contract), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith(" found; nothing was written:")
    assert not (tmp_path / "out").exists()
    example = ROOT / "examples" / "contract-housing-repairs"
    template = ["contract", "template", str(example), "--period", "2099-Q1"]
    assert main([*template, "--out", str(tmp_path / "r.xlsx")]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "1 problem found; nothing was written:"
