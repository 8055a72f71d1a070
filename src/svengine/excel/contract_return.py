"""A supplier's return as a workbook: `returns/PERIOD.xlsx`, the file `svengine contract template` writes.

The `Return` sheet has the pinned columns of the CSV return (`measure,quantity,evidence,note`); the
`Due` sheet is information for the supplier and is never read back. Every problem is located to the
cell, with the same rules as the CSV (a quantity is an exact number, not negative). The template
lists every committed measure, so a row whose quantity is left blank claims nothing for that period
(in a CSV return such a row is a problem: there the supplier writes only what they claim).
"""

from __future__ import annotations

from svengine.contract.model import ReturnLine
from svengine.excel.cells import CellReader
from svengine.excel.safety import Limits
from svengine.excel.sheets import open_workbook_bytes
from svengine.excel.tables import read_table
from svengine.problems import Problem

RETURN_SHEET = "Return"
RETURN_COLUMNS = ("measure", "quantity", "evidence", "note")
RETURN_REQUIRED = ("measure", "quantity")


def parse_return_workbook(data: bytes, file: str) -> tuple[list[ReturnLine], list[Problem]]:
    """The lines of a return workbook, or every problem with it."""
    limits = Limits()
    workbook, problems = open_workbook_bytes(data, file, limits)
    if workbook is None:
        return [], problems
    try:
        rows, problems = read_table(
            workbook, file, RETURN_SHEET, RETURN_COLUMNS, RETURN_REQUIRED, limits
        )
    finally:
        workbook.close()
    if problems:
        return [], problems
    reader = CellReader(file, RETURN_SHEET)
    lines: list[ReturnLine] = []
    for row in rows:
        cells = row.cells
        measure = reader.identifier(cells.get("measure"), "measure")
        quantity = reader.decimal(cells.get("quantity"), "quantity")
        evidence = reader.text(cells.get("evidence"), "evidence") or ""
        note = reader.text(cells.get("note"), "note") or ""
        if "quantity" in cells and "measure" not in cells:
            problems.append(
                Problem(
                    "missing_value",
                    "a quantity with no measure: give the measure id in column A",
                    reader.where(cells["quantity"]),
                )
            )
            continue
        if measure is None or quantity is None:
            continue
        where = reader.where(cells["quantity"])
        if quantity < 0:
            problems.append(Problem("bad_number", "quantity must not be negative", where))
            continue
        lines.append(ReturnLine(measure, quantity, evidence, note, reader.where(cells["measure"])))
    return lines, [*problems, *reader.problems]
