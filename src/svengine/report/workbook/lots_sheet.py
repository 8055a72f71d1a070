"""The `Lots` sheet of the evaluation workbook: each lot's reference values, by formula with the lot as a condition.

A tender with lots is one competition per lot (docs/award.md): P_min, P_max, T_best, SV_max, SVPP_max
and the contract value (the base of additionality) are the lot's own. Each lot gets a row here;
the reference values are MINIFS/MAXIFS over the per-bid tables with two conditions, the bid's
lot and status `ranked` (so excluded bids never set them), and every per-bid formula that a
single-competition workbook writes with a workbook name (`P_min`) points at its lot's cell
instead (`Lots!$F$3`). MINIFS and MAXIFS are Excel 2019 / LibreOffice 5.2 functions (written with
Excel's `_xlfn.` prefix); counts and ranks use SUMPRODUCT, whose `=` compares whole cells.

A text criterion in MINIFS is a pattern (`*`, `?` and `~` are wildcards, a leading `<` or `=` an
operator), so a lot id that is not plain is written as an escaped literal (`"=a~*b"`), never as
the cell. Excel compares text without regard to case: lot ids that differ only in case would be
counted together, and the Issues sheet says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from xlsxwriter.utility import xl_rowcol_to_cell

from svengine.model.result import Result
from svengine.model.tender import Tender
from svengine.report.workbook.writer import FIRST_ROW, HEADER_ROW, Writer

LOTS_SHEET = "Lots"
HEADERS = (
    "lot",
    "title",
    "contract_value",
    "bids",
    "ranked",
    "P_min",
    "P_max",
    "T_best",
    "SV_max",
    "SVPP_max",
)
REFERENCE_NAMES = ("ContractValue", "P_min", "P_max", "T_best", "SV_max", "SVPP_max")
"""The workbook names a single-competition workbook uses that are per lot with lots."""
_COLUMN = {"ContractValue": 2, "P_min": 5, "P_max": 6, "T_best": 7, "SV_max": 8, "SVPP_max": 9}
_NAMES = re.compile(r"\b(" + "|".join(REFERENCE_NAMES) + r")\b")
_PLAIN = re.compile(r"^[A-Za-z0-9_.\- ]+$")


@dataclass(frozen=True)
class Column:
    """One column of a per-bid table: sheet, column index, and the table's rows (first, last; zero-based)."""

    sheet: str
    col: int
    first: int
    last: int

    def range(self) -> str:
        a = xl_rowcol_to_cell(self.first, self.col, row_abs=True, col_abs=True)
        b = xl_rowcol_to_cell(self.last, self.col, row_abs=True, col_abs=True)
        return f"{self.sheet}!{a}:{b}"


def references(tender: Tender) -> dict[str | None, dict[str, str]]:
    """For each lot id, the cell of each reference value on the Lots sheet (no lots: the workbook names)."""
    if not tender.lots:
        return {None: {name: name for name in REFERENCE_NAMES}}
    return {
        lot.id: {
            name: f"{LOTS_SHEET}!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"
            for name, col in _COLUMN.items()
        }
        for row, lot in enumerate(tender.lots, start=FIRST_ROW)
    }


def per_lot(formula: str, refs: Mapping[str, str]) -> str:
    """`formula` with each reference name replaced by the lot's cell."""
    return _NAMES.sub(lambda m: refs[m.group(1)], formula)


def criterion(lot_id: str, cell: str) -> str:
    """The MINIFS/MAXIFS criterion matching exactly `lot_id`: its cell when plain, else an escaped literal."""
    if _PLAIN.match(lot_id):
        return cell
    escaped = lot_id.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')
    return f'"={escaped}"'


def case_clashes(tender: Tender) -> list[str]:
    """Lot ids that a spreadsheet cannot tell apart (they differ only in case)."""
    seen: dict[str, str] = {}
    clashes = []
    for lot in tender.lots or ():
        key = lot.id.casefold()
        if key in seen:
            clashes.append(f"{seen[key]} and {lot.id}")
        seen[key] = lot.id
    return clashes


@dataclass(frozen=True)
class Tables:
    """The per-bid columns the Lots sheet's formulas read."""

    lot: Column  # the Quality sheet's lot column (every per-bid table lists the bids in the same rows)
    status: Column
    price: Column
    quality_points: Column
    social_value_total: Column
    social_value_per_price: Column


def write_lots_sheet(w: Writer, tender: Tender, result: Result, tables: Tables) -> None:
    """One row per lot: id, title, contract value (data), counts and reference values (formulas)."""
    assert tender.lots and result.lots is not None
    f = w.formats
    w.headers(HEADER_ROW, 0, list(HEADERS))
    lot_range, status_range = tables.lot.range(), tables.status.range()
    by_id = {lot.id: lot for lot in result.lots}
    for row, lot in enumerate(tender.lots, start=FIRST_ROW):
        figures = by_id[lot.id]
        reference, summary = figures.reference, figures.summary
        cell = xl_rowcol_to_cell(row, 0, col_abs=True)
        match = criterion(lot.id, cell)
        w.text(row, 0, lot.id)
        w.wrapped(row, 1, lot.title, 36)
        w.number(row, 2, lot.contract_value, f.money)
        w.formula(row, 3, f"SUMPRODUCT(({lot_range}={cell})*1)", summary.bids, f.number)
        w.formula(
            row,
            4,
            f'SUMPRODUCT(({lot_range}={cell})*({status_range}="ranked"))',
            summary.ranked,
            f.number,
        )
        for col, function, column, value, fmt in (
            (5, "MINIFS", tables.price, reference.lowest_price, f.money),
            (6, "MAXIFS", tables.price, reference.highest_price, f.money),
            (7, "MAXIFS", tables.quality_points, reference.best_quality_points, f.exact),
            (8, "MAXIFS", tables.social_value_total, reference.highest_social_value, f.money),
            (
                9,
                "MAXIFS",
                tables.social_value_per_price,
                reference.highest_social_value_per_price,
                f.exact,
            ),
        ):
            exact = Fraction(value) if value is not None else Fraction(0)
            w.formula(
                row,
                col,
                f'_xlfn.{function}({column.range()},{lot_range},{match},{status_range},"ranked")',
                float(exact),
                fmt,
            )
    w.sheet.set_column(0, 0, 10)
    w.sheet.set_column(1, 1, 36)
    w.sheet.set_column(2, 2, 16)
    w.sheet.set_column(3, 4, 8)
    w.sheet.set_column(5, 9, 16)
