"""Workbooks of the contract: the report (with charts) and a return template for one period.

XlsxWriter in memory, text never turned into formulas or links (strings_to_formulas and
strings_to_urls off), figures written as numbers only when exact as a decimal (fractions as text).
"""

from __future__ import annotations

import io
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import xlsxwriter

from svengine.contract.targets import due_quantities
from svengine.numbers import exact_text, terminating_places

if TYPE_CHECKING:
    from svengine.io.contract_files import ContractFolder

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def _cell(text: str | None) -> float | str:
    """A figure as a number when its decimal is short and exact enough, otherwise its exact text."""
    if text is None:
        return ""
    try:
        value = Fraction(text)
    except ValueError:
        return text
    places = terminating_places(value)
    if places is not None and places <= 6 and abs(value) < 10**15:
        return float(text) if "/" not in text else text
    return text


def report_workbook(report: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, OPTIONS)
    bold = book.add_format({"bold": True})
    periods = book.add_worksheet("Periods")
    headers = [
        "period",
        "return",
        "late",
        "committed_value",
        "claimed_value",
        "accepted_value",
        "cumulative_committed",
        "cumulative_accepted",
    ]
    periods.write_row(0, 0, headers, bold)
    for row, p in enumerate(report["periods"], start=1):
        periods.write_row(row, 0, [p["period"], p["return"], "yes" if p["late"] else ""])
        for col, key in enumerate(("committed_value", "claimed_value", "accepted_value"), start=3):
            periods.write(row, col, _cell(p[key]))
        periods.write_formula(row, 6, f"=SUM($D$2:D{row + 1})")
        periods.write_formula(row, 7, f"=SUM($F$2:F{row + 1})")
    count = len(report["periods"])
    if count:
        chart = book.add_chart({"type": "line"})
        chart.set_title({"name": "Cumulative committed against accepted"})
        for col, name in ((6, "Committed"), (7, "Accepted")):
            chart.add_series(
                {
                    "name": name,
                    "categories": ["Periods", 1, 0, count, 0],
                    "values": ["Periods", 1, col, count, col],
                }
            )
        periods.insert_chart(count + 3, 0, chart)
    measures = book.add_worksheet("Measures")
    keys = [
        "measure",
        "title",
        "theme",
        "unit",
        "proxy_value",
        "committed_quantity",
        "claimed_quantity",
        "accepted_quantity",
        "committed_value",
        "claimed_value",
        "accepted_value",
    ]
    measures.write_row(0, 0, keys, bold)
    for row, m in enumerate(report["measures"], start=1):
        for col, key in enumerate(keys):
            measures.write(row, col, _cell(m[key]) if col >= 4 else m[key])
    kpis = book.add_worksheet("KPIs")
    keys = [
        "id",
        "period",
        "value",
        "target",
        "rating",
        "category",
        "approaching_threshold",
        "inadequate_threshold",
        "note",
    ]
    kpis.write_row(0, 0, keys, bold)
    for row, k in enumerate(report["kpis"], start=1):
        for col, key in enumerate(keys):
            kpis.write(row, col, _cell(k[key]) if key in ("value", "target") else (k[key] or ""))
    words = book.add_worksheet("Explanation")
    for row, sentence in enumerate(report["explanation"]):
        words.write(row, 0, sentence)
    book.close()
    return out.getvalue()


def return_template(folder: ContractFolder, period: str) -> bytes:
    """A return for one period: the pinned columns, with each committed measure and what is due."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, OPTIONS)
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Return")
    sheet.write_row(0, 0, ["measure", "quantity", "evidence", "note"], bold)
    info = book.add_worksheet("Due")
    info.write_row(0, 0, ["measure", "title", "unit", "due_this_period"], bold)
    contract, library = folder.contract, folder.library
    for row, commitment in enumerate(contract.commitments, start=1):
        measure = library.by_id[commitment.measure]
        due = due_quantities(contract, commitment, measure).get(period, Fraction(0))
        sheet.write_string(row, 0, measure.id, text)
        info.write_row(row, 0, [measure.id, measure.title, measure.unit, exact_text(due)])
    sheet.set_column(0, 0, 14, text)
    sheet.set_column(2, 3, 40)
    book.close()
    return out.getvalue()
