"""The sheet XML reader: the same cells as openpyxl's own parser, and no DTD ever parsed."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from svengine.excel.sheet_xml import SheetXml
from svengine.excel.workbooks import read_bids_workbook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Every kind of cell the import rules care about, hand-written: shared and inline strings (plain and
# rich), numbers (int, decimal, exponent), booleans, a date by its style, a formula with and without
# a saved value, a text formula result, an error, a blank cell, rows and cells without references.
SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{NS}"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>in line</t></is></c><c r="C1" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c></row>
<row r="2"><c r="A2"><v>42</v></c><c r="B2"><v>57.75</v></c><c r="C2"><v>1E-3</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" s="1"><v>45000</v></c></row>
<row r="4"><c r="A4"><f>1+1</f><v>2</v></c><c r="B4"><f>A4*2</f></c><c r="C4" t="str"><f>"x"</f><v>x</v></c><c r="D4" t="e"><v>#N/A</v></c><c r="E4"/></row>
<row><c><v>7</v></c><c><v>8</v></c><c r="AB5" t="s"><v>1</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A7:B8"/></mergeCells></worksheet>"""
STRINGS = ["shared", "two"]


def _openpyxl_cells(xml: str) -> list[tuple[int, list[tuple[int, object, bool, bool, int]]]]:
    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element):  # type: ignore[no-untyped-def]
            cell = super().parse_cell(element)
            cell["formula"] = element.find(FORMULA_TAG) is not None
            return cell

    parser = Parser(io.BytesIO(xml.encode()), STRINGS, data_only=True, date_formats={1})
    return [
        (number, [(c["column"], c["value"], c["formula"], c["data_type"] == "e", c["style_id"]) for c in cells])
        for number, cells in parser.parse()
    ]


def test_the_same_cells_as_openpyxls_parser() -> None:
    reader = SheetXml(STRINGS, openpyxl.utils.datetime.WINDOWS_EPOCH, {1}, set())
    rows = list(reader.rows(io.BytesIO(SHEET.encode())))
    assert rows == _openpyxl_cells(SHEET)
    # and what that is, by hand
    assert [number for number, _ in rows] == [1, 2, 4, 5]
    assert rows[0][1] == [(1, "shared", False, False, 0), (2, "in line", False, False, 0), (3, "rich", False, False, 0)]
    assert rows[1][1][:4] == [(1, 42, False, False, 0), (2, 57.75, False, False, 0), (3, 0.001, False, False, 0), (4, True, False, False, 0)]
    assert rows[1][1][4] == (5, datetime.datetime(2023, 3, 15), False, False, 1)
    assert rows[2][1] == [(1, 2, True, False, 0), (2, None, True, False, 0), (3, "x", True, False, 0), (4, "#N/A", False, True, 0), (5, None, False, False, 0)]
    assert rows[3][1] == [(1, 7, False, False, 0), (2, 8, False, False, 0), (28, "two", False, False, 0)]
    assert reader.merged == ["A7:B8"]


def _bids_workbook(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Bids"
    sheet.append(["bidder_id", "bidder_name", "employees", "turnover", "balance_sheet_total", "vcse", "price"])
    sheet.append(["B1", "Acme", None, None, None, None, 1])
    workbook.create_sheet("SocialValue").append(["bidder_id", "measure", "quantity"])
    path = tmp_path / "bids.xlsx"
    workbook.save(path)
    return path


def _replace_prolog(path: Path, prolog: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = prolog + body[body.index(b"<worksheet") :]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


BOMB = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?>' + BOMB,
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment --><?pi x?>\n' + BOMB,
        b"<!-- <worksheet> in a comment is not the root -->" + BOMB,
        b'<?xml version="1.0" encoding="ISO-8859-1"?>' + BOMB,  # not read by the fast path: defusedxml refuses it
        b'<?xml version="1.0"?><!-- ' + b"x" * 200_000 + b" -->" + BOMB,  # a prolog too long to check: defusedxml
    ],
)
def test_a_document_type_declaration_in_a_sheet_is_refused(tmp_path: Path, prolog: bytes) -> None:
    path = _bids_workbook(tmp_path)
    _replace_prolog(path, prolog)
    _, problems = read_bids_workbook(path)
    assert [p.code for p in problems] == ["unsafe_xml"]


@pytest.mark.parametrize(
    "prolog",
    [
        b"",
        b'<?xml version="1.0" encoding="ISO-8859-1"?>',
        b'<?xml version="1.0"?><!-- ' + b"x" * 200_000 + b" -->",
    ],
)
def test_a_sheet_without_a_dtd_is_read_on_either_path(tmp_path: Path, prolog: bytes) -> None:
    path = _bids_workbook(tmp_path)
    _replace_prolog(path, prolog)
    bids, problems = read_bids_workbook(path)
    assert problems == []
    assert [(b.bidder.id, b.bidder.name, b.price) for b in bids] == [("B1", "Acme", 1)]
