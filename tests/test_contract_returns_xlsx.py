"""Returns as workbooks (issue 17, "Returns"): the workbook `svengine contract template` writes, filled
in by the supplier and put at returns/PERIOD.xlsx, is read back with the same figures as the CSV
return, and its problems are located to the cell."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from svengine.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "contract-housing-repairs"
PERIOD = "2027-Q1"  # not closed in the example (contract.yaml `closed` holds 2026-Q2 only)


def _report(folder: Path) -> dict[str, Any]:
    out = folder / "report"
    assert main(["contract", "report", str(folder), "--out", str(out), "--force"]) == 0
    return json.loads((out / "contract-report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _as_workbook(folder: Path, rows: list[dict[str, str]]) -> Path:
    """The template for PERIOD, filled in as a supplier would (quantities typed as numbers)."""
    template = folder.parent / f"template-{PERIOD}.xlsx"
    assert (
        main(["contract", "template", str(folder), "--period", PERIOD, "--out", str(template)]) == 0
    )
    target = folder / "returns" / f"{PERIOD}.xlsx"
    book = openpyxl.load_workbook(template)
    sheet = book["Return"]
    listed = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    for line in rows:
        row = listed[line["measure"]]
        sheet.cell(row, 2, float(line["quantity"]))
        sheet.cell(row, 3, line["evidence"] or None)
        sheet.cell(row, 4, line["note"] or None)
    book.save(target)
    return target


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """The example twice: once with the CSV return for PERIOD, once with the same return as .xlsx."""
    as_csv, as_xlsx = tmp_path / "csv", tmp_path / "xlsx"
    shutil.copytree(EXAMPLE, as_csv)
    shutil.copytree(EXAMPLE, as_xlsx)
    source = as_xlsx / "returns" / f"{PERIOD}.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    _as_workbook(as_xlsx, rows)
    source.unlink()
    return as_csv, as_xlsx


def test_a_workbook_return_gives_the_csv_returns_figures(pair: tuple[Path, Path]) -> None:
    from_csv, from_xlsx = (_report(folder) for folder in pair)
    for key in ("cumulative", "measures", "themes", "kpis", "overall"):
        assert from_xlsx[key] == from_csv[key], key
    period = next(p for p in from_xlsx["periods"] if p["period"] == PERIOD)
    # examples/contract-housing-repairs/returns/2027-Q1.csv priced at the award's proxies:
    # 1.2 x 31,200 + 23 x 245 + 36,000 x 0.32 + 30 x 15.50 (hours) + 1 x 1,300 (school visit)
    assert period["claimed_value"] == from_csv["periods"][3]["claimed_value"] == "55305.00"
    assert period["return"] == "received"


def _problems(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["contract", "report", str(folder), "--out", str(folder / "out")]) == 1
    return capsys.readouterr().err


def test_problems_are_located_to_the_cell(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, folder = pair
    target = folder / "returns" / f"{PERIOD}.xlsx"
    book = openpyxl.load_workbook(target)
    sheet = book["Return"]
    sheet["B2"] = -1
    sheet["B3"] = "twenty"
    sheet["A7"], sheet["B7"] = "EX-NOPE-9", 3
    sheet["B8"] = 4
    book.save(target)
    err = _problems(folder, capsys)
    assert "returns/2027-Q1.xlsx Return!B2: quantity must not be negative" in err
    assert "returns/2027-Q1.xlsx Return!B3:" in err and "twenty" in err
    assert 'the measure "EX-NOPE-9" is not in the library' in err
    assert "returns/2027-Q1.xlsx Return!B8: a quantity with no measure" in err


def test_a_blank_quantity_claims_nothing(pair: tuple[Path, Path]) -> None:
    _, folder = pair
    target = folder / "returns" / f"{PERIOD}.xlsx"
    book = openpyxl.load_workbook(target)
    book["Return"]["B2"] = None  # EX-JOB-1 left blank: 1.2 FTE x 31,200 = 37,440 less claimed
    book.save(target)
    period = next(p for p in _report(folder)["periods"] if p["period"] == PERIOD)
    assert period["claimed_value"] == "17865.00"  # 55,305.00 - 37,440.00


def test_a_return_in_two_forms_and_a_file_that_is_no_return(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    as_csv, folder = pair
    shutil.copy(as_csv / "returns" / f"{PERIOD}.csv", folder / "returns")
    (folder / "returns" / "2027-Q2.txt").write_text("EX-JOB-1 2\n", encoding="utf-8")
    err = _problems(folder, capsys)
    assert "2027-Q1 has two returns (returns/2027-Q1.csv and returns/2027-Q1.xlsx); keep one" in err
    assert "returns/2027-Q2.txt is not a return" in err


def test_a_file_that_is_not_a_workbook_is_refused_in_words(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, folder = pair
    (folder / "returns" / f"{PERIOD}.xlsx").write_bytes(b"measure,quantity\nEX-JOB-1,1\n")
    err = _problems(folder, capsys)
    assert "returns/2027-Q1.xlsx" in err and "Traceback" not in err
