"""The bids and scores templates: pinned sheets and headers, protection, validation, blind pricing."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from svengine import evaluate, load_folder
from svengine.cli.main import main
from svengine.excel.workbooks import read_bids_workbook
from xlsx_helpers import bid_documents

ROOT = Path(__file__).resolve().parents[1]
HOUSING = ROOT / "examples" / "housing-repairs"
HIGHWAYS = ROOT / "examples" / "highways-lot"


def _template(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / f"{args[0]}-{len(list(tmp_path.iterdir()))}.xlsx"
    assert main(["template", *args, "--out", str(out)]) == 0
    return out


def _column(
    sheet: openpyxl.worksheet.worksheet.Worksheet, index: int
) -> openpyxl.worksheet.dimensions.ColumnDimension:
    # XlsxWriter writes neighbouring columns with the same format as one <col min max> range.
    return next(d for d in sheet.column_dimensions.values() if d.min <= index <= d.max)


def test_bids_template_layout(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(_template(tmp_path, "bids", str(HIGHWAYS / "tender.yaml")))
    assert workbook.sheetnames == ["Bids", "SocialValue", "svengine"]
    bids, social, meta = workbook["Bids"], workbook["SocialValue"], workbook["svengine"]
    assert [c.value for c in bids[1]] == [
        "bidder_id",
        "bidder_name",
        "employees",
        "turnover",
        "balance_sheet_total",
        "vcse",
        "price",
    ]
    assert [c.value for c in social[1]] == [
        "bidder_id",
        "measure",
        "quantity",
        "years",
        "description",
        "unit",
        "proxy",
    ]
    assert (meta.sheet_state, meta["A2"].value, meta["B2"].value, meta["C2"].value) == (
        "hidden",
        "bids",
        "1",
        "HW-2026-031",
    )
    # the tender's eleven allowed measures, in its order, on the hidden sheet; the dropdown points there
    allowed = [meta.cell(row, 5).value for row in range(2, 13)]
    assert allowed[0] == "EX-JOB-1" and allowed[-1] == "EX-ENV-4" and meta.cell(13, 5).value is None
    lists = [v for v in social.data_validations.dataValidation if v.type == "list"]
    assert [(v.formula1, str(v.sqref)) for v in lists] == [("svengine!$E$2:$E$12", "B2:B1048576")]
    # id columns are text; input cells unlocked; headers and display columns locked; sheets protected
    for sheet in (bids, social):
        assert sheet.protection.sheet is True
        assert sheet.column_dimensions["A"].number_format == "@"
        assert sheet["A1"].protection.locked is True
    assert _column(social, 2).number_format == "@"  # measure
    assert _column(bids, 7).number_format == "#,##0.00"  # price
    assert all(_column(social, index).protection.locked is False for index in range(1, 6))
    assert all(_column(bids, index).protection.locked is False for index in range(1, 8))
    assert _column(social, 6).protection.locked is True  # unit: display only
    assert social["F2"].value.startswith(
        '=IF($B2="","",IFERROR(VLOOKUP($B2,svengine!$E$2:$H$12,2,FALSE)'
    )
    assert social["F2"].protection.locked is True


def test_a_filled_bids_template_reads_back_as_the_json_bids(tmp_path: Path) -> None:
    path = _template(tmp_path, "bids", str(HOUSING / "tender.yaml"))
    workbook = openpyxl.load_workbook(
        path
    )  # as a bidder fills it; openpyxl saves formulas without values
    bids, social = workbook["Bids"], workbook["SocialValue"]
    documents = bid_documents(HOUSING)
    row = 2
    for index, bid in enumerate(documents, start=2):
        b = bid["bidder"]
        values = [
            b["id"],
            b["name"],
            b.get("employees"),
            b.get("turnover"),
            b.get("balance_sheet_total"),
            b.get("vcse"),
            bid["price"],
        ]
        for column, value in enumerate(values, start=1):
            if value is not None:
                bids.cell(index, column, value)  # decimals typed as text keep their digits exactly
        for commitment in bid.get("social_value", []):
            for column, key in enumerate(("measure", "quantity", "years", "description"), start=2):
                if key in commitment:
                    social.cell(row, column, commitment[key])
            social.cell(row, 1, b["id"])
            row += 1
    workbook.save(path)
    folder = tmp_path / "examples" / "housing-repairs"
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    folder.mkdir(parents=True)
    shutil.copy(HOUSING / "tender.yaml", folder)
    shutil.copy(HOUSING / "scores.csv", folder)
    shutil.move(path, folder / "bids.xlsx")
    ours, reference = load_folder(folder), load_folder(HOUSING)
    assert (
        evaluate(ours.tender, ours.bids, ours.scores).to_json()
        == evaluate(reference.tender, reference.bids, reference.scores).to_json()
    )


def test_scores_template_from_a_folder_lists_bid_criterion_evaluator_rows_without_prices(
    tmp_path: Path,
) -> None:
    path = _template(tmp_path, "scores", str(HOUSING), "--evaluators", "ann,bob")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Scores", "Criteria", "svengine"]
    scores = workbook["Scores"]
    assert [c.value for c in scores[1]] == ["bidder", "criterion", "evaluator", "score", "comment"]
    rows = [tuple(c.value for c in r[:3]) for r in scores.iter_rows(min_row=2)]
    # housing-repairs: 6 bids x (Q1, Q2, Q3, SV1) x 2 evaluators
    assert len(rows) == 6 * 4 * 2
    assert rows[:3] == [("B1", "Q1", "ann"), ("B1", "Q1", "bob"), ("B1", "Q2", "ann")]
    rule = scores.data_validations.dataValidation[0]
    assert rule.type == "custom" and "VLOOKUP(B2,svengine!$E$2:$G$5,2,FALSE)" in rule.formula1
    meta = workbook["svengine"]
    assert [(meta.cell(r, 5).value, meta.cell(r, 6).value) for r in range(2, 6)] == [
        ("Q1", "5"),
        ("Q2", "5"),
        ("Q3", "10"),
        ("SV1", "5"),
    ]
    # blind pricing: no bid's price appears in any cell, as a number or as text
    prices = {bid["price"] for bid in bid_documents(HOUSING)}
    prices |= {p.split(".")[0] for p in prices}
    cells = {
        str(c.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    }
    assert not any(price in cell for price in prices for cell in cells)
    assert not any("price" in cell.lower() for cell in cells)


def test_scores_template_from_a_tender_lists_the_criteria_for_bidders_to_fill(
    tmp_path: Path,
) -> None:
    workbook = openpyxl.load_workbook(_template(tmp_path, "scores", str(HIGHWAYS / "tender.yaml")))
    rows = [tuple(c.value for c in r[:3]) for r in workbook["Scores"].iter_rows(min_row=2)]
    assert rows == [(None, "Q1", None), (None, "Q2", None), (None, "Q3", None), (None, "Q4", None)]


def test_templates_are_written_once_unless_forced_and_are_reproducible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bids.xlsx"
    assert main(["template", "bids", str(HOUSING / "tender.yaml"), "--out", str(out)]) == 0
    first = out.read_bytes()
    assert main(["template", "bids", str(HOUSING / "tender.yaml"), "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (
        main(["template", "bids", str(HOUSING / "tender.yaml"), "--out", str(out), "--force"]) == 0
    )
    assert out.read_bytes() == first
    assert (
        main(
            ["template", "bids", str(HOUSING / "tender.yaml"), "--out", str(tmp_path / "bids.csv")]
        )
        == 2
    )


def test_an_empty_template_reads_as_no_bids(tmp_path: Path) -> None:
    bids, problems = read_bids_workbook(
        _template(tmp_path, "bids", str(HOUSING / "tender.yaml")), tender_id="HR-2026-014"
    )
    assert bids == [] and problems == []


def test_a_bidder_id_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    folder = tmp_path / "examples" / "housing-repairs"
    shutil.copytree(HOUSING, folder)
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    bid = folder / "bids" / "B1.json"
    bid.write_text(
        bid.read_text(encoding="utf-8").replace('"B1"', '"=HYPERLINK(\\"http://x\\")"'),
        encoding="utf-8",
    )
    workbook = openpyxl.load_workbook(_template(tmp_path, "scores", str(folder)))
    ids = {c.value for c in workbook["Scores"]["A"][1:]}
    assert '=HYPERLINK("http://x")' in ids
    assert all(c.data_type == "s" for c in workbook["Scores"]["A"][1:])
