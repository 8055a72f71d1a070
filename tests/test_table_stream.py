"""Data sheets are streamed row by row into the import (excel/tables.py `stream_table`); the problems
keep the order they had when the whole sheet was read first: merged ranges (found at the end of the
sheet's XML) first, then the header's problems in column order, then values under no header in
row order; a sheet refused part-way gives its refusal alone."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from svengine.excel.safety import Limits
from svengine.excel.sheets import open_workbook
from svengine.excel.tables import Row, read_table, stream_table
from svengine.excel.workbooks import read_bids_workbook

COLUMNS = ("bidder_id", "measure", "quantity", "years", "description")


def _workbook(tmp_path: Path, rows: int = 3) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Bids"
    sheet.append(["bidder_id", "bidder_name", "price"])
    sheet.append(["B1", "Acme", 1])
    social = workbook.create_sheet("SocialValue")
    social.append(
        ["bidder_id", "measure", "qty", "measure"]
    )  # an unknown and a repeated column; quantity missing
    for _ in range(rows):
        social.append(["B1", "EX-JOB-1", 2])
    social["H3"] = "stray"  # a value under no header
    social["G4"] = "another"
    social.merge_cells("A5:B5")
    path = tmp_path / "bids.xlsx"
    workbook.save(path)
    return path


def test_problems_keep_the_order_of_reading_the_whole_sheet_first(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    limits = Limits()
    workbook, _ = open_workbook(path, "bids.xlsx", limits)
    assert workbook is not None
    given: list[Row] = []
    problems, read = stream_table(
        workbook,
        "bids.xlsx",
        "SocialValue",
        COLUMNS,
        ("bidder_id", "measure", "quantity"),
        limits,
        given.append,
    )
    rows, again = read_table(
        workbook, "bids.xlsx", "SocialValue", COLUMNS, ("bidder_id", "measure", "quantity"), limits
    )
    workbook.close()
    assert [(p.code, p.location.column, p.location.row) for p in problems] == [
        ("merged_cells", "A", 5),
        ("unknown_column", "C", 1),
        ("duplicate_column", "D", 1),
        ("missing_column", None, 1),
        ("unknown_column", "H", 3),
        ("unknown_column", "G", 4),
    ]
    assert (
        problems[1].message
        == 'unknown column "qty"; the columns are bidder_id, measure, quantity, years, description'
    )
    assert read and again == problems
    assert [(row.number, sorted(row.cells)) for row in given] == [
        (2, ["bidder_id", "measure"]),
        (3, ["bidder_id", "measure"]),
        (4, ["bidder_id", "measure"]),
    ]
    assert rows == given


def test_a_sheet_refused_part_way_gives_its_refusal_alone(tmp_path: Path) -> None:
    path = _workbook(tmp_path, rows=6)
    limits = Limits(max_rows=3)
    workbook, _ = open_workbook(path, "bids.xlsx", limits)
    assert workbook is not None
    given: list[Row] = []
    problems, read = stream_table(
        workbook, "bids.xlsx", "SocialValue", COLUMNS, (), limits, given.append
    )
    rows, again = read_table(workbook, "bids.xlsx", "SocialValue", COLUMNS, (), limits)
    workbook.close()
    assert [(p.code, p.location.row) for p in problems] == [("too_many_rows", 5)]
    assert (
        not read and len(given) == 3
    )  # rows 2 to 4 were given before row 5 was refused: the caller drops them
    assert rows == [] and again == problems
    bids, found = read_bids_workbook(path, limits=limits)
    assert bids == [] and [(p.code, p.location.sheet, p.location.row) for p in found] == [
        ("too_many_rows", "SocialValue", 5)
    ]
