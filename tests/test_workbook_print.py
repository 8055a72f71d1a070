"""report.xlsx is ready to print for a committee (issue 15): checked from the file, and by
LibreOffice printing it to PDF. The figures and formulas are the recalculation tests' business."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from svengine.cli.main import main
from svengine.report.workbook.writer import HEADER_ROW, YES_NO

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print") / "ev"
    assert main(["evaluate", str(ROOT / "examples" / "housing-repairs"), "--out", str(out)]) == 0
    return out / "report.xlsx"


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(report: Path) -> None:
    book = openpyxl.load_workbook(report)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth in (None, 1), setup.fitToHeight) == (True, 0), sheet.title
        header = HEADER_ROW + 1
        assert sheet.print_title_rows == f"${header}:${header}", sheet.title
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith(str(header + 1))
        # A title block naming the tender, then headers in words (no field names).
        assert "HR-2026-014 Responsive housing repairs" in str(sheet["A1"].value)
        words = [c.value for c in sheet[header] if c.value]
        assert words and not [w for w in words if "_" in str(w)], (sheet.title, words)


def test_figures_are_shown_with_the_declared_places_money_and_yes_no(report: Path) -> None:
    book = openpyxl.load_workbook(report)
    summary = book["Summary"]
    first = HEADER_ROW + 2
    headers = {c.value: c.column_letter for c in summary[HEADER_ROW + 1] if c.value}
    # housing-repairs declares rounding to 2 places: scores show 82.97, not 82.970000.
    assert summary[f"{headers['Total score']}{first}"].number_format == "0.00"
    assert summary[f"{headers['Social value (£)']}{first}"].number_format == '"£"#,##0.00'
    quality = book["Quality"]
    flags = [c for c in quality[first] if c.number_format == YES_NO]
    assert flags and all(c.value is not None for c in flags)  # 1/0 for formulas, Yes/No shown


@pytest.fixture(scope="module")
def whole_life(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print") / "ev"
    assert (
        main(["evaluate", str(ROOT / "examples" / "equipment-whole-life"), "--out", str(out)]) == 0
    )
    return out / "report.xlsx"


def test_the_social_value_sheet_is_one_table_and_the_commitments_another(report: Path) -> None:
    # Issue 15: the SocialValue sheet had the commitments and the bids side by side.
    book = openpyxl.load_workbook(report)
    header = HEADER_ROW + 1
    social = [c.value for c in book["SocialValue"][header]]
    table = social[: social.index(None)]  # from column A to the first gap (then the reference box)
    assert table[0] == "Bidder" and table[-1] == "Social value score"
    assert social[len(table) + 1 :] == ["Reference", "Value"]
    assert "Measure" not in social
    commitments = [c.value for c in book["Commitments"][header]]
    assert commitments[:2] == ["Bidder", "Measure"] and commitments[-1] == "Description"
    assert book["Commitments"]["A1"].value.startswith("Value of each social value commitment")


def test_priced_lines_are_a_titled_table_under_the_bids_starting_a_page(whole_life: Path) -> None:
    # The lines printed beside the reference box and under the bids' header (issue 15).
    price = openpyxl.load_workbook(whole_life)["Price"]
    first = HEADER_ROW + 2
    title = next(
        r for r in range(first, price.max_row + 1) if price.cell(r, 1).value == "Priced lines"
    )
    bids_end = max(r for r in range(first, title) if price.cell(r, 1).value)  # the last bid
    box = next(c.column for c in price[HEADER_ROW + 1] if c.value == "Reference")
    box_end = max(r for r in range(first, title) if price.cell(r, box).value)
    assert title > max(bids_end, box_end) + 1  # under both, never beside the box
    assert [b.id for b in price.row_breaks.brk] == [title - 1]  # the lines start a printed page
    assert price.print_title_rows == f"${title + 1}:${title + 1}"  # their header repeats in print
    lines = [c.value for c in price[title + 1]]
    assert lines[: lines.index(None) if None in lines else None] == [
        "Bidder",
        "Description",
        "Item",
        "Year",
        "Part amount",
        "Discount factor",
        "Amount",
    ]
    width = len([v for v in lines if v])
    beside = [
        c.coordinate for row in price.iter_rows(min_row=title + 1) for c in row[width:] if c.value
    ]
    assert not beside  # nothing right of the lines table
    assert price.column_dimensions["B"].width >= 44  # descriptions print whole, wrapped if long


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (.ci/run installs it)")
def test_libreoffice_prints_it_on_eleven_a4_pages(report: Path, tmp_path: Path) -> None:
    # Before: six bids printed as 36 portrait pages (issue 15). Now one page wide, landscape: 9
    # pages, then 11 once the commitments left the SocialValue sheet (a sheet of 34 commitments on
    # two readable pages, not a second table shrunk to fit beside the bids).
    assert _pdf_pages(report, tmp_path) == 11


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (.ci/run installs it)")
def test_the_priced_lines_print_on_pages_of_their_own(whole_life: Path, tmp_path: Path) -> None:
    # Nine sheets of a page each, but Price: its bids on one page, its 90 lines on two more.
    assert _pdf_pages(whole_life, tmp_path) == 11


def _pdf_pages(report: Path, tmp_path: Path) -> int:
    shutil.copy(report, tmp_path / "report.xlsx")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "report.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = (tmp_path / "report.pdf").read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_moderation_xlsx_prints_with_its_title_whole_and_rows_as_tall_as_their_text(
    tmp_path: Path,
) -> None:
    assert (
        main(
            ["panel", str(ROOT / "examples" / "panel-grounds-maintenance"), "--out", str(tmp_path)]
        )
        == 0
    )
    book = openpyxl.load_workbook(tmp_path / "moderation.xlsx")
    for sheet in book.worksheets:
        assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", 9)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$3:$3"
        # The title spans the table (it was cut off at column A's edge).
        assert any(str(r).startswith("A1:") for r in sheet.merged_cells.ranges)
        for row in sheet.iter_rows(min_row=4):
            wrapped = [c for c in row if c.alignment.wrap_text]
            if wrapped:  # a wrapped cell's row is taller than one line
                assert sheet.row_dimensions[row[0].row].height > 15
