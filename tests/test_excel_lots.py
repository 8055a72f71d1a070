"""Workbooks for tenders with lots and pass/fail gates: the `lot` column and pass/fail verdicts, in
and out of templates.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from svengine import evaluate, load_folder
from svengine.cli.main import main
from svengine.excel import layout
from svengine.excel.workbooks import read_scores_workbook
from svengine.io.loaders import read_folder
from xlsx_helpers import bid_documents, scores_rows, write_bids_workbook, write_scores_workbook

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "examples" / "framework-multi-lot"
HOUSING = ROOT / "examples" / "housing-repairs"


def _copy(example: Path, tmp_path: Path) -> Path:
    """The example and the illustrative library, laid out as in the repository (the tender names ../../toms)."""
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    target = tmp_path / "examples" / example.name
    shutil.copytree(example, target)
    return target


def _template(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / f"{args[0]}-{len(list(tmp_path.glob('*.xlsx')))}.xlsx"
    assert main(["template", *args, "--out", str(out)]) == 0
    return out


def _header(sheet: Any) -> list[str]:
    return [c.value for c in sheet[1] if c.value is not None]


def _lists(sheet: Any) -> dict[str, str]:
    """Each list validation's cells and source."""
    return {
        str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"
    }


def test_bids_template_of_a_tender_with_lots_adds_lot_as_the_last_column(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(_template(tmp_path, "bids", str(FRAMEWORK / "tender.yaml")))
    bids, social = workbook["Bids"], workbook["SocialValue"]
    # the pinned header cells keep their places; lot comes after them (and after the display columns)
    assert _header(bids) == [*layout.BIDS_COLUMNS, "lot"]
    assert _header(social) == [*layout.SOCIAL_VALUE_COLUMNS, *layout.SOCIAL_VALUE_DISPLAY, "lot"]
    meta = workbook["svengine"]
    assert [meta.cell(r, 10).value for r in range(1, 5)] == [
        "lot",
        "L1",
        "L2",
        "L3",
    ]  # column J: right of measure, unit, proxy, title
    assert _lists(bids)["H2:H1048576"] == "svengine!$J$2:$J$4"
    assert _lists(social)["H2:H1048576"] == "svengine!$J$2:$J$4"


def test_templates_of_a_tender_without_lots_have_no_lot_column(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(_template(tmp_path, "bids", str(HOUSING / "tender.yaml")))
    assert _header(workbook["Bids"]) == list(layout.BIDS_COLUMNS)
    assert _header(workbook["SocialValue"]) == [
        *layout.SOCIAL_VALUE_COLUMNS,
        *layout.SOCIAL_VALUE_DISPLAY,
    ]
    scores = openpyxl.load_workbook(_template(tmp_path, "scores", str(HOUSING)))["Scores"]
    assert _header(scores) == list(layout.SCORES_COLUMNS)


def test_scores_template_from_a_folder_with_lots_lists_each_bid_in_its_lot_with_gate_dropdowns(
    tmp_path: Path,
) -> None:
    path = _template(tmp_path, "scores", str(FRAMEWORK), "--evaluators", "ann,bob")
    workbook = openpyxl.load_workbook(path)
    scores = workbook["Scores"]
    assert _header(scores) == [*layout.SCORES_COLUMNS, "lot"]
    rows = [(r[5].value, r[0].value, r[1].value, r[2].value) for r in scores.iter_rows(min_row=2)]
    # 11 bids (bids/*.json), each: PF1 once (a gate is decided once), then Q1 and Q2 for each evaluator
    assert len(rows) == 11 * (1 + 2 * 2)
    assert rows[:5] == [
        ("L1", "S1", "PF1", None),
        ("L1", "S1", "Q1", "ann"),
        ("L1", "S1", "Q1", "bob"),
        ("L1", "S1", "Q2", "ann"),
        ("L1", "S1", "Q2", "bob"),
    ]
    lots = [row[0] for row in rows]
    assert lots == sorted(lots)  # lot by lot, in declared order (L1, L2, L3)
    assert {(lot, bidder) for lot, bidder, _, _ in rows} == {
        (b["lot"], b["bidder"]["id"]) for b in bid_documents(FRAMEWORK)
    }
    gate_rows = {f"D{n}" for n, row in enumerate(rows, start=2) if row[2] == "PF1"}
    validations = {v.type: v for v in scores.data_validations.dataValidation}
    dropdown = validations["list"]
    assert dropdown.formula1 == '"pass,fail"'
    assert {str(c) for r in dropdown.sqref.ranges for c in _cells(r)} == gate_rows
    numeric = validations["custom"]
    numeric_cells = str(numeric.sqref).split()
    assert not gate_rows & set(numeric_cells)  # never two validations on one cell
    assert numeric_cells[-1].endswith(":D1048576")
    assert (
        '"pass/fail"' in numeric.formula1
    )  # a pass/fail criterion typed on a new row still takes pass or fail
    meta = workbook["svengine"]
    assert [(meta.cell(r, 5).value, meta.cell(r, 6).value) for r in range(2, 5)] == [
        ("PF1", "pass/fail"),
        ("Q1", "5"),
        ("Q2", "5"),
    ]
    # blind pricing still: no price anywhere
    prices = {b["price"] for b in bid_documents(FRAMEWORK)}
    cells = {
        str(c.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    }
    assert not any(p in cell or p.split(".")[0] in cell for p in prices for cell in cells)


def _cells(cell_range: Any) -> list[str]:
    return [f"D{row}" for row in range(cell_range.min_row, cell_range.max_row + 1)]


def test_a_filled_in_scores_template_with_lots_and_verdicts_evaluates_as_scores_csv(
    tmp_path: Path,
) -> None:
    folder = _copy(FRAMEWORK, tmp_path)
    path = _template(tmp_path, "scores", str(folder))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Scores"]
    given = {(r["lot"], r["bidder"], r["criterion"]): r for r in scores_rows(FRAMEWORK)}
    for row in sheet.iter_rows(min_row=2):
        source = given.pop((row[5].value, row[0].value, row[1].value))
        row[3].value = (
            source["score"] if source["score"] in ("pass", "fail") else int(source["score"])
        )
        row[4].value = source["comment"]
    assert not given  # the template listed every row scores.csv has
    workbook.save(folder / "scores.xlsx")
    (folder / "scores.csv").unlink()
    from_workbook, reference = load_folder(folder), load_folder(FRAMEWORK)
    assert [s for s in from_workbook.scores if s.verdict] and all(
        s.lot for s in from_workbook.scores
    )
    assert (
        evaluate(
            from_workbook.tender,
            from_workbook.bids,
            from_workbook.scores,
            decisions=from_workbook.decisions,
        ).to_json()
        == evaluate(
            reference.tender, reference.bids, reference.scores, decisions=reference.decisions
        ).to_json()
    )


def _workbook_folder(
    tmp_path: Path,
    bids: list[dict[str, Any]] | None = None,
    scores: list[dict[str, str]] | None = None,
) -> Path:
    folder = _copy(FRAMEWORK, tmp_path)
    shutil.rmtree(folder / "bids")
    (folder / "scores.csv").unlink()
    write_bids_workbook(
        bids if bids is not None else bid_documents(FRAMEWORK), folder / "bids.xlsx"
    )
    write_scores_workbook(
        scores if scores is not None else scores_rows(FRAMEWORK), folder / "scores.xlsx"
    )
    return folder


def _problems(folder: Path) -> list[Any]:
    inputs, problems = read_folder(folder)
    assert inputs is None
    return problems


def test_a_bid_row_without_its_lot_is_missing_lot_at_its_row(tmp_path: Path) -> None:
    folder = _workbook_folder(tmp_path)
    workbook = openpyxl.load_workbook(folder / "bids.xlsx")
    assert workbook["Bids"]["H2"].value == "L1" and workbook["Bids"]["A2"].value == "S1"
    workbook["Bids"]["H2"] = (
        None  # S1's lot L1 tender loses its lot; its commitment (SocialValue row 2) keeps it
    )
    workbook.save(folder / "bids.xlsx")
    problems = _problems(folder)
    missing = [p for p in problems if p.code == "missing_lot"]
    assert [(p.location.sheet, p.location.row, p.bidder) for p in missing] == [("Bids", 2, "S1")]
    # its commitment names lot L1, and no Bids row does for S1 in L1 now
    orphan = [
        p for p in problems if p.code == "unknown_bidder" and p.location.sheet == "SocialValue"
    ]
    assert [(p.location.sheet, p.location.row, p.location.column) for p in orphan] == [
        ("SocialValue", 2, "A")
    ]
    assert (
        'bidder "S1" in lot L1' in orphan[0].message
        and "lot cells of the two sheets must agree" in orphan[0].message
    )


def test_score_rows_name_real_lots_and_verdicts_go_only_to_pass_fail_criteria(
    tmp_path: Path,
) -> None:
    rows = scores_rows(FRAMEWORK)
    rows[0] = {**rows[0], "lot": "L9"}  # L1,S1,PF1,pass
    rows[1] = {**rows[1], "score": "PASS"}  # L1,S1,Q1 is scored with a number
    rows[4] = {**rows[4], "score": "5"}  # L1,S2,Q1: fine
    rows[3] = {**rows[3], "score": "7"}  # L1,S2,PF1: a number for a pass/fail criterion
    problems = _problems(_workbook_folder(tmp_path, scores=rows))
    found = {(p.code, p.location.sheet, p.location.row, p.location.column) for p in problems}
    assert ("unknown_lot", "Scores", 2, None) in found
    assert ("not_pass_fail", "Scores", 3, None) in found
    assert ("pass_fail_expected", "Scores", 5, None) in found


def test_a_lot_column_in_a_tender_without_lots_is_unexpected(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    folder = tmp_path / "examples" / "housing-repairs"
    folder.mkdir(parents=True)
    shutil.copy(HOUSING / "tender.yaml", folder / "tender.yaml")
    bids = bid_documents(HOUSING)
    bids[1]["lot"] = "L1"
    rows = scores_rows(HOUSING)
    rows[0] = {**rows[0], "lot": "L1"}
    write_bids_workbook(bids, folder / "bids.xlsx")
    write_scores_workbook(rows, folder / "scores.xlsx")
    unexpected = sorted(
        (p.location.sheet, p.location.row) for p in _problems(folder) if p.code == "unexpected_lot"
    )
    assert unexpected == [("Bids", 3), ("Scores", 2)]


def test_a_lot_typed_as_a_number_is_reported_at_its_cell(tmp_path: Path) -> None:
    folder = _workbook_folder(tmp_path)
    workbook = openpyxl.load_workbook(folder / "scores.xlsx")
    workbook["Scores"]["F2"] = 1
    workbook.save(folder / "scores.xlsx")
    _, problems = read_scores_workbook(folder / "scores.xlsx")
    assert [(p.code, p.location.row, p.location.column) for p in problems] == [
        ("id_not_text", 2, "F")
    ]


def test_two_verdicts_for_one_bid_in_the_same_lot_are_duplicate_scores_but_other_lots_are_not(
    tmp_path: Path,
) -> None:
    rows = scores_rows(FRAMEWORK)
    rows.append(dict(rows[0]))  # L1,S1,PF1 again
    _, problems = _scores_from(tmp_path, rows)
    assert [(p.code, p.location.row) for p in problems] == [("duplicate_score", len(rows) + 1)]
    assert "S1 in lot L1" in problems[0].message


def _scores_from(tmp_path: Path, rows: list[dict[str, str]]) -> tuple[list[Any], list[Any]]:
    path = tmp_path / "scores.xlsx"
    write_scores_workbook(rows, path)
    return read_scores_workbook(path)


def test_priced_lines_carry_their_lot(tmp_path: Path) -> None:
    """A schedule-of-rates tender split into two lots: the Prices sheet's lot column sends each line to its bid."""
    example = ROOT / "examples" / "repairs-schedule-of-rates"
    json_folder = _copy(example, tmp_path / "json")
    tender = yaml.safe_load((example / "tender.yaml").read_text(encoding="utf-8"))
    tender["lots"] = [
        {"id": "N", "title": "North", "contract_value": "900000"},
        {"id": "S", "title": "South", "contract_value": "700000"},
    ]
    (json_folder / "tender.yaml").write_text(
        yaml.safe_dump(tender, sort_keys=False), encoding="utf-8"
    )
    bids = []
    for bid in bid_documents(example):
        bids.append({**bid, "lot": "N"})
        south = json.loads(json.dumps(bid))
        south["lot"] = "S"
        if "adjustment_pct" in south:  # a different price in the other lot
            south["adjustment_pct"] = str(float(south["adjustment_pct"]) + 1.5)
        bids.append(south)
    shutil.rmtree(json_folder / "bids")
    (json_folder / "bids").mkdir()
    for index, bid in enumerate(bids):
        (json_folder / "bids" / f"{index:02}.json").write_text(json.dumps(bid), encoding="utf-8")
    rows = [{**row, "lot": lot} for lot in ("N", "S") for row in scores_rows(example)]
    with (json_folder / "scores.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    xlsx_folder = tmp_path / "json" / "examples" / "xlsx"
    xlsx_folder.mkdir()
    shutil.copy(json_folder / "tender.yaml", xlsx_folder / "tender.yaml")
    write_bids_workbook(bids, xlsx_folder / "bids.xlsx")
    write_scores_workbook(rows, xlsx_folder / "scores.xlsx")
    assert any(
        c.value == "lot" for c in openpyxl.load_workbook(xlsx_folder / "bids.xlsx")["Prices"][1]
    )
    reference, from_workbooks = load_folder(json_folder), load_folder(xlsx_folder)
    result = evaluate(from_workbooks.tender, from_workbooks.bids, from_workbooks.scores)
    assert (
        result.to_json() == evaluate(reference.tender, reference.bids, reference.scores).to_json()
    )
    north, south = (result.lots or ())[0], (result.lots or ())[1]
    assert (
        north.reference.highest_price != south.reference.highest_price
    )  # the lots really were priced apart


def test_prices_template_with_lots_lists_the_lines_once_per_lot(tmp_path: Path) -> None:
    example = ROOT / "examples" / "repairs-schedule-of-rates"
    tender = yaml.safe_load((example / "tender.yaml").read_text(encoding="utf-8"))
    tender["lots"] = [
        {"id": "N", "title": "North", "contract_value": "900000"},
        {"id": "S", "title": "South", "contract_value": "700000"},
    ]
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    folder = tmp_path / "examples" / "lots"
    folder.mkdir(parents=True)
    (folder / "tender.yaml").write_text(yaml.safe_dump(tender, sort_keys=False), encoding="utf-8")
    prices = openpyxl.load_workbook(_template(tmp_path, "prices", str(folder / "tender.yaml")))[
        "Prices"
    ]
    header = _header(prices)
    assert header[:3] == list(layout.PRICES_SCHEDULE_COLUMNS) and header[-1] == "lot"
    column = header.index("lot")
    listed = [(r[column].value, r[2].value) for r in prices.iter_rows(min_row=2)]
    half = len(listed) // 2
    assert [lot for lot, _ in listed] == ["N"] * half + ["S"] * half
    assert [section for _, section in listed[:half]] == [section for _, section in listed[half:]]


@pytest.mark.parametrize("kind", ["bids", "scores"])
def test_templates_with_lots_are_reproducible(tmp_path: Path, kind: str) -> None:
    first, second = (
        _template(tmp_path, kind, str(FRAMEWORK)),
        _template(tmp_path, kind, str(FRAMEWORK)),
    )
    assert first.read_bytes() == second.read_bytes()
