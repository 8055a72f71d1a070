"""Regression tests for what the corpus and the fuzzer found (issue 8; docs/reliability.md lists each)."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import pytest

import svengine
from builders import LIBRARY, bid, tender
from svengine.cli.main import main
from svengine.excel.safety import Limits, check_workbook_file
from svengine.io.documents import parse_json, parse_yaml, read_text
from xlsx_helpers import as_workbook_folder

REPO = Path(__file__).resolve().parents[1]


def test_a_yaml_alias_that_contains_itself_is_refused_not_walked_for_ever() -> None:
    document, problems = parse_yaml("id: T\nloop: &l [1, *l]\n")
    assert document is None
    assert problems[0].code == "malformed_yaml" and problems[0].location.line == 2
    assert "contains it" in problems[0].message


def test_a_yaml_control_character_is_located_not_a_traceback() -> None:
    (problem,) = parse_yaml("id: T\ntitle: a\x07b\n")[1]
    assert (problem.code, problem.location.line) == ("malformed_yaml", 2)
    assert "U+0007" in problem.message


def test_text_that_cannot_be_written_is_refused_at_its_path() -> None:
    # "\ud800" crashed result.json's UTF-8 encoding after validation had passed.
    _, problems = parse_json(
        '{"bidder": {"id": "B1", "name": "X\\ud800"}, "price": "5", "description": "a\\u0000b"}'
    )
    assert {(p.code, p.location.path) for p in problems} == {
        ("bad_text", "$.bidder.name"),
        ("bad_text", "$.description"),
    }


def test_a_control_character_in_a_text_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_bytes(b"bidder,criterion,score,comment\nB1,Q1,4,fine\nB1,Q2,3,bad\x00byte\n")
    text, problems = read_text(path, "scores.csv")
    assert text is None
    assert (problems[0].code, problems[0].location.line) == ("control_character", 3)


def test_tabs_and_windows_line_ends_are_still_fine(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_bytes(b"\xef\xbb\xbfbidder,criterion,score,comment\r\nB1,Q1,4,\tindented\r\n")
    assert read_text(path, "scores.csv")[1] == []


def test_a_bid_file_holding_null_is_refused_not_skipped(housing: Path) -> None:
    (housing / "bids" / "B1.json").write_text("null")
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.load_folder(housing)
    assert any(
        p.location.file and p.location.file.endswith("B1.json") and p.code == "schema"
        for p in caught.value.problems
    )


def test_a_tender_of_only_a_comment_is_invalid_and_validate_says_so(
    housing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It used to pass `svengine validate` (exit 0) while `evaluate` printed "0 problems found".
    (housing / "tender.yaml").write_text("# to be written\n")
    assert main(["validate", str(housing)]) == 1
    assert "tender.yaml" in capsys.readouterr().err


def test_an_empty_list_of_bids_is_a_problem() -> None:
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_bids([], "bids.json")
    assert [p.code for p in caught.value.problems] == ["no_bids"]


def test_exclusive_with_must_name_measures_of_the_library() -> None:
    library = copy.deepcopy(LIBRARY)
    library["measures"][0]["exclusive_with"] = ["JOBS"]  # a typo would switch the gaming check off
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_library(library, "lib.yaml")
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.path) == (
        "unknown_measure",
        "$.measures[0].exclusive_with[0]",
    )


def _with_part(source: Path, name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as copy_:
        for item in original.infolist():
            copy_.writestr(item, original.read(item))
        copy_.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("part", "code"),
    [
        ("xl/vbaProject.bin", "macro_workbook"),
        ("xl/externalLinks/externalLink1.xml", "external_links"),
    ],
)
def test_workbooks_with_macros_or_external_links_are_refused(
    tmp_path: Path, part: str, code: str
) -> None:
    folder = as_workbook_folder(REPO / "examples" / "housing-repairs", tmp_path / "wb")
    (folder / "tender.yaml").write_text(
        (folder / "tender.yaml").read_text().replace("../../toms/", str(REPO / "toms") + "/")
    )
    path = folder / "bids.xlsx"
    path.write_bytes(_with_part(path, part, b"<x/>"))
    assert [p.code for p in check_workbook_file(path, "bids.xlsx", Limits())] == [code]


def test_a_commitment_from_a_workbook_is_located_on_its_own_sheet_row(tmp_path: Path) -> None:
    folder = as_workbook_folder(REPO / "examples" / "housing-repairs", tmp_path / "wb")
    (folder / "tender.yaml").write_text(
        (folder / "tender.yaml").read_text().replace("../../toms/", str(REPO / "toms") + "/")
    )
    from openpyxl import load_workbook

    workbook = load_workbook(folder / "bids.xlsx")
    workbook["SocialValue"]["B4"] = "EX-NOPE-1"
    workbook.save(folder / "bids.xlsx")
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.load_folder(folder)
    (problem,) = [p for p in caught.value.problems if p.code == "unknown_measure"]
    assert (problem.location.sheet, problem.location.row) == ("SocialValue", 4)


def test_a_missing_score_names_the_scores_file_when_evaluate_is_called_directly() -> None:
    scores = svengine.parse_scores(
        [{"bidder": "A", "criterion": "Q1", "score": "3"}], "panel/scores.json"
    )
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.evaluate(tender(), svengine.parse_bids([bid("A", "100")]), scores)
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.file, problem.criterion) == (
        "missing_score",
        "panel/scores.json",
        "Q2",
    )


def test_a_python_document_that_contains_itself_is_refused_not_walked_for_ever() -> None:
    # Found by the fuzzer: a list inserted into itself made the grammar walk loop without end.
    bid_doc = bid("A", "100")
    bid_doc["social_value"] = [bid_doc]
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_bids([bid_doc], "bids.json")
    assert [(p.code, p.location.path) for p in caught.value.problems] == [
        ("cyclic_document", "$[0].social_value[0]")
    ]


def test_a_python_document_nested_beyond_the_recursion_limit_is_refused() -> None:
    deep: list[object] = []
    for _ in range(20_000):
        deep = [deep]
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_bids([{**bid("A", "100"), "price": deep}], "bids.json")
    (problem,) = caught.value.problems
    assert problem.code == "nested_too_deeply" and problem.location.path.startswith(
        "$[0].price[0][0]"
    )
