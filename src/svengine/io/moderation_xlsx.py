"""moderation.xlsx: the sheet a moderation meeting works from, written with openpyxl.

Text that came from bidders or evaluators is always written as a text cell, never as a formula
(OWASP ASVS 1.2.10, CWE-1236); text that a spreadsheet would read as a formula when retyped also
gets Excel's quote prefix. Numbers are exact decimals; a panel mean that does not terminate is
written as its exact fraction in text (`11/3`), never silently rounded.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from svengine.model.bid import Bid
from svengine.model.panel import SvModeration
from svengine.model.tender import Tender
from svengine.numbers import terminating_places, to_exact_decimal
from svengine.scoring.panel import SheetRow

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
_EXCEL_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")
DISAGREEMENT_FILL = PatternFill("solid", fgColor="FCE4D6")
BOLD = Font(bold=True)

Value = str | Decimal | Fraction | int | bool | None


def _put(sheet: Worksheet, row: int, column: int, value: Value) -> None:
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, Fraction):
        value = (
            to_exact_decimal(value)
            if terminating_places(value) is not None
            else f"{value.numerator}/{value.denominator}"
        )
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        # XML turns a raw carriage return into a line feed; Excel's own escape keeps it (and a literal
        # "_x000D_" in the text is escaped in turn), as XlsxWriter does for report.xlsx.
        cell.value = _EXCEL_ESCAPE.sub(r"_x005F\1", text).replace("\r", "_x000D_")
        cell.data_type = (
            "s"  # openpyxl makes a formula of any text starting with "="; this keeps it text
        )
        if text.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
        return
    cell.value = value


def _table(
    sheet: Worksheet,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Value]],
    widths: Sequence[int],
) -> None:
    _put(sheet, 1, 1, title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    # The title across the table's width, wrapped: never cut off at the first column in print.
    last = get_column_letter(len(headers))
    sheet.merge_cells(f"A1:{last}1")
    sheet.cell(row=1, column=1).alignment = Alignment(vertical="top", wrap_text=True)
    sheet.row_dimensions[1].height = 18 * _lines(title, sum(widths))
    for column, header in enumerate(headers, start=1):
        _put(sheet, 3, column, header)
        sheet.cell(row=3, column=column).font = BOLD
        sheet.cell(row=3, column=column).alignment = Alignment(vertical="top", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = widths[column - 1]
    for offset, values in enumerate(rows):
        lines = 1
        for column, value in enumerate(values, start=1):
            _put(sheet, 4 + offset, column, value)
            wraps = isinstance(value, str) and len(value) > widths[column - 1]
            sheet.cell(row=4 + offset, column=column).alignment = Alignment(
                vertical="top", wrap_text=wraps
            )
            if wraps:
                lines = max(lines, _lines(str(value), widths[column - 1]))
        # Rows as tall as their wrapped text, so no name runs over the next row in print
        # (openpyxl does not measure text; about one line per column width of characters).
        sheet.row_dimensions[4 + offset].height = 15 * lines
    sheet.freeze_panes = "A4"
    if rows:
        sheet.auto_filter.ref = f"A3:{last}{3 + len(rows)}"
    # Print: A4 landscape, one page wide, the header row on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:3"


def _lines(text: str, width: int) -> int:
    """Lines a text takes wrapped in a column `width` characters wide (each line break counts)."""
    return sum(max(1, -(-len(part) // max(1, width - 2))) for part in text.split("\n"))


def moderation_workbook(
    tender: Tender,
    evaluators: Sequence[str],
    rows: Sequence[SheetRow],
    bids: Sequence[Bid],
    sv_moderation: Sequence[SvModeration],
) -> bytes:
    """The moderation workbook as bytes: sheet `Moderation` (bid × criterion) and `Social value` (commitments)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Moderation"
    lotted = tender.lots is not None  # a bid is identified by lot and bidder: the lot gets a column
    headers = [
        *(["Lot"] if lotted else []),
        "Bidder",
        "Bidder name",
        "Criterion",
        "Criterion title",
        "Max",
        *evaluators,
        "Spread",
        "Spread %",
        "Disagreement",
        "Mean",
        "Median",
        "Consensus",
        "Rationale",
        *(f"{e} comment" for e in evaluators),
    ]
    table_rows: list[list[Value]] = []
    for row in rows:
        by_evaluator = {s.evaluator: s for s in row.trail.individual}
        table_rows.append(
            [
                *([row.lot] if lotted else []),
                row.bidder,
                row.bidder_name,
                row.criterion.id,
                row.criterion.title,
                row.maximum,
                *(by_evaluator[e].score if e in by_evaluator else None for e in evaluators),
                row.trail.spread,
                _fraction(row.trail.spread_pct),
                row.trail.disagreement,
                _fraction(row.trail.mean),
                _fraction(row.trail.median),
                row.trail.consensus,
                row.trail.rationale,
                *(by_evaluator[e].comment if e in by_evaluator else None for e in evaluators),
            ]
        )
    widths = [
        *([8] if lotted else []),
        8,
        30,
        9,
        30,
        6,
        *(6 for _ in evaluators),
        8,
        9,
        12,
        8,
        8,
        10,
        60,
        *(40 for _ in evaluators),
    ]
    _table(
        sheet,
        f"{tender.id}: {tender.title} - moderation sheet (no prices)",
        headers,
        table_rows,
        widths,
    )
    for offset, row in enumerate(rows):
        if row.trail.disagreement:
            for column in range(1, len(headers) + 1):
                sheet.cell(row=4 + offset, column=column).fill = DISAGREEMENT_FILL

    if tender.social_value is not None and tender.measure_library is not None:
        library = tender.measure_library.by_id
        decisions = {(m.lot, m.bidder, m.measure): m for m in sv_moderation}
        commitments: list[list[Value]] = []
        for bid in sorted(bids, key=lambda b: (b.lot or "", b.bidder.id)):
            for commitment in bid.social_value:
                measure = library.get(commitment.measure)
                decision = decisions.get((bid.lot, bid.bidder.id, commitment.measure))
                commitments.append(
                    [
                        *([bid.lot] if lotted else []),
                        bid.bidder.id,
                        bid.bidder.name,
                        commitment.measure,
                        measure.title if measure else None,
                        measure.unit if measure else None,
                        commitment.quantity,
                        commitment.years if commitment.years is not None else 1,
                        commitment.description,
                        decision.decision if decision else None,
                        decision.accepted_quantity if decision else None,
                        decision.rationale if decision else None,
                    ]
                )
        _table(
            workbook.create_sheet("Social value"),
            f"{tender.id}: social value commitments to moderate",
            [
                *(["Lot"] if lotted else []),
                "Bidder",
                "Bidder name",
                "Measure",
                "Title",
                "Unit",
                "Quantity offered",
                "Years",
                "Description",
                "Decision",
                "Accepted quantity",
                "Rationale",
            ],
            commitments,
            [*([8] if lotted else []), 8, 30, 10, 40, 10, 10, 6, 60, 10, 10, 60],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fraction(text: str) -> Decimal | Fraction:
    return Fraction(text) if "/" in text else Decimal(text)
