"""Blank workbooks generated from a tender: bids for bidders to fill, scores for the panel.

Written with XlsxWriter, every value from a tender or a bid written as a string (never a formula:
a bidder id such as `=HYPERLINK(...)` stays text). The layout is `excel.layout`, documented sheet
by sheet in docs/excel.md. Input cells are unlocked and the sheets protected (no password: the
protection stops slips, not people); id columns are formatted as text so leading zeros survive; the
allowed measure ids and the criteria's maxima live on the hidden `svengine` sheet, which also
records the template's kind, version and tender id. The same inputs give the same bytes.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from svengine.excel import layout
from svengine.io.output import write_atomic
from svengine.model.bid import Bid
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.version import __version__

FORMULA_ROWS = 1000
"""Rows of the SocialValue sheet that carry the display formulas (unit, proxy)."""
LAST_ROW = 1_048_575  # zero-based: validations and formats cover whole columns
_FIXED_TIME = datetime.datetime(2000, 1, 1)  # document properties fixed, so equal inputs give equal bytes


class _Book:
    """An XlsxWriter workbook in memory with the formats every template uses."""

    def __init__(self, title: str) -> None:
        self.output = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self.output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        self.workbook.set_properties({"title": title, "author": "svengine", "comments": f"svengine {__version__}", "created": _FIXED_TIME})
        add = self.workbook.add_format
        self.header = add({"bold": True, "bg_color": "#D9E1F2", "border": 1, "locked": True})
        self.text = add({"num_format": "@", "locked": False})
        self.wrapped = add({"num_format": "@", "locked": False, "text_wrap": True})
        self.money = add({"num_format": "#,##0.00", "locked": False})
        self.number = add({"num_format": "General", "locked": False})
        self.whole = add({"num_format": "0", "locked": False})
        self.flag = add({"locked": False})
        self.shown_money = add({"num_format": "#,##0.00", "bg_color": "#F2F2F2"})
        self.shown = add({"bg_color": "#F2F2F2"})

    def sheet(self, name: str, columns: Sequence[tuple[str, int, Any]]) -> Any:
        """A protected sheet with one header row and each column's width and cell format."""
        sheet = self.workbook.add_worksheet(name)
        for index, (title, width, cell_format) in enumerate(columns):
            sheet.set_column(index, index, width, cell_format)
            sheet.write_string(0, index, title, self.header)
        sheet.freeze_panes(1, 0)
        sheet.protect("", {"format_columns": True, "autofilter": True, "sort": True})
        return sheet

    def meta(self, kind: str, tender: Tender, lists: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
        """The hidden `svengine` sheet; returns the absolute range of the whole list (from column E)."""
        sheet = self.workbook.add_worksheet(layout.META_SHEET)
        sheet.write_row(0, 0, layout.META_HEADER)
        for column, value in enumerate((kind, layout.TEMPLATE_VERSION, tender.id)):
            sheet.write_string(1, column, value)
        for column, title in enumerate(headers, start=4):
            sheet.write_string(0, column, title)
        for row, values in enumerate(lists, start=1):
            for column, value in enumerate(values, start=4):
                sheet.write_string(row, column, value)
        sheet.hide()
        sheet.protect()
        return f"{layout.META_SHEET}!$E$2:${xl_col_to_name(3 + len(headers))}${len(lists) + 1}"

    def close(self) -> bytes:
        self.workbook.close()
        return self.output.getvalue()


def _allowed_measures(tender: Tender) -> list[list[str]]:
    library = tender.measure_library
    if tender.social_value is None or library is None:
        return []
    ids = tender.social_value.measures if tender.social_value.measures is not None else [m.id for m in library.measures]
    rows = []
    for measure_id in ids:
        measure = library.by_id.get(measure_id)
        if measure is not None:
            proxy = "0" if measure.record_only or measure.proxy_value is None else decimal_text(measure.proxy_value)
            rows.append([measure.id, measure.unit, proxy, measure.title])
    return rows


def bids_template(tender: Tender) -> bytes:
    """The bids workbook: `Bids` and `SocialValue` sheets, the allowed measures on a hidden sheet."""
    return bids_book(tender, f"Bids for {tender.id}: {tender.title}").close()


def bids_book(tender: Tender, title: str) -> _Book:
    """The bids template, still open (the prices template adds its sheets to it)."""
    book = _Book(title)
    bids = book.sheet(
        layout.BIDS_SHEET,
        [("bidder_id", 14, book.text), ("bidder_name", 40, book.text), ("employees", 12, book.whole), ("turnover", 18, book.money),
         ("balance_sheet_total", 20, book.money), ("vcse", 8, book.flag), ("price", 18, book.money)],
    )
    bids.data_validation(1, 2, LAST_ROW, 2, {"validate": "integer", "criteria": ">=", "value": 0, "error_message": "employees: a whole number, 0 or more"})
    for column in (3, 4):
        bids.data_validation(1, column, LAST_ROW, column, {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": "an amount of 0 or more"})
    bids.data_validation(1, 5, LAST_ROW, 5, {"validate": "list", "source": ["TRUE", "FALSE"]})
    bids.data_validation(1, 6, LAST_ROW, 6, {"validate": "decimal", "criteria": ">", "value": 0, "error_message": f"the price in {tender.currency}, more than 0"})

    social = book.sheet(
        layout.SOCIAL_VALUE_SHEET,
        [("bidder_id", 14, book.text), ("measure", 14, book.text), ("quantity", 12, book.number), ("years", 8, book.whole),
         ("description", 60, book.wrapped), ("unit", 16, book.shown), ("proxy", 14, book.shown_money)],
    )
    measures = _allowed_measures(tender)
    source = book.meta(layout.KIND_BIDS, tender, measures, ("measure", "unit", "proxy", "title"))
    if measures:
        ids = f"={layout.META_SHEET}!$E$2:$E${len(measures) + 1}"  # a range on the hidden sheet, not an inline list
        social.data_validation(1, 1, LAST_ROW, 1, {"validate": "list", "source": ids, "error_message": "choose one of the tender's measures"})
    social.data_validation(1, 2, LAST_ROW, 2, {"validate": "decimal", "criteria": ">", "value": 0, "error_message": "a quantity of more than 0"})
    social.data_validation(1, 3, LAST_ROW, 3, {"validate": "integer", "criteria": ">=", "value": 1, "error_message": "a whole number of years, 1 or more"})
    for row in range(1, FORMULA_ROWS + 1):
        key = f"$B{row + 1}"
        social.write_formula(row, 5, f'=IF({key}="","",IFERROR(VLOOKUP({key},{source},2,FALSE),""))', book.shown, "")
        social.write_formula(row, 6, f'=IF({key}="","",IFERROR(VLOOKUP({key},{source},3,FALSE)+0,""))', book.shown_money, "")
    return book


def scores_template(tender: Tender, bids: Sequence[Bid] | None = None, evaluators: Sequence[str] = ()) -> bytes:
    """The panel's scores workbook: no prices anywhere (blind pricing).

    With `bids`, one row per bid × criterion (× evaluator); without, one row per criterion
    (× evaluator) with the bidder left to fill. A blank evaluator is the panel's one agreed score.
    """
    book = _Book(f"Scores for {tender.id}: {tender.title}")
    sheet = book.sheet(
        layout.SCORES_SHEET,
        [("bidder", 14, book.text), ("criterion", 12, book.text), ("evaluator", 14, book.text), ("score", 8, book.number), ("comment", 80, book.wrapped)],
    )
    criteria = [*tender.quality_criteria, *tender.social_value_criteria]
    who: Sequence[str | None] = list(evaluators) or [None]
    bidder_ids: Sequence[str | None] = [bid.bidder.id for bid in bids] if bids is not None else [None]
    row = 1
    for bidder in bidder_ids:
        for criterion in criteria:
            for evaluator in who:
                if bidder is not None:
                    sheet.write_string(row, 0, bidder, book.text)
                sheet.write_string(row, 1, criterion.id, book.text)
                if evaluator is not None:
                    sheet.write_string(row, 2, evaluator, book.text)
                row += 1
    listing = book.sheet(layout.CRITERIA_SHEET, [("criterion", 12, None), ("block", 14, None), ("title", 50, None), ("max_score", 10, None), ("min_score", 10, None), ("weight", 8, None)])
    for index, criterion in enumerate(criteria, start=1):
        block = "quality" if criterion in tender.quality_criteria else "social value"
        cells = [criterion.id, block, criterion.title, decimal_text(tender.max_score(criterion)),
                 decimal_text(criterion.min_score) if criterion.min_score is not None else "", decimal_text(criterion.weight)]
        for column, value in enumerate(cells):
            listing.write_string(index, column, value)
    maxima = [[c.id, decimal_text(tender.max_score(c)), c.title] for c in criteria]
    source = book.meta(layout.KIND_SCORES, tender, maxima, ("criterion", "max_score", "title"))
    whole = tender.quality is not None and tender.quality.whole_marks_only
    rule = f"AND(ISNUMBER(D2),D2>=0,D2<=VLOOKUP(B2,{source},2,FALSE)+0{',D2=INT(D2)' if whole else ''})"
    sheet.data_validation(1, 3, LAST_ROW, 3, {
        "validate": "custom", "value": "=" + rule,
        "input_title": "Score", "input_message": "From 0 to the criterion's maximum (see the Criteria sheet)" + ("; whole marks only" if whole else ""),
        "error_title": "Score out of range", "error_message": "The score must be from 0 to the criterion's maximum (see the Criteria sheet)",
    })
    return book.close()


def write_template(data: bytes, path: Path, force: bool = False) -> None:
    """Write a template atomically; an existing file is replaced only with `force`."""
    write_atomic(path, data, force=force)
