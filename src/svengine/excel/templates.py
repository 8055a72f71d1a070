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
from svengine.model.tender import Tender, marks_text
from svengine.numbers import decimal_text
from svengine.version import __version__

FORMULA_ROWS = 1000
"""Rows of the SocialValue sheet that carry the display formulas (unit, proxy)."""
LAST_ROW = 1_048_575  # zero-based: validations and formats cover whole columns
_FIXED_TIME = datetime.datetime(
    2000, 1, 1
)  # document properties fixed, so equal inputs give equal bytes


class _Book:
    """An XlsxWriter workbook in memory with the formats every template uses."""

    def __init__(self, title: str) -> None:
        self.output = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self.output,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.workbook.set_properties(
            {
                "title": title,
                "author": "svengine",
                "comments": f"svengine {__version__}",
                "created": _FIXED_TIME,
            }
        )
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

    def meta(
        self, kind: str, tender: Tender, lists: Sequence[Sequence[str]], headers: Sequence[str]
    ) -> str:
        """The hidden `svengine` sheet; returns the absolute range of the whole list (from column E).

        A tender with lots also gets its lot ids there, one column right of the list (`lots_source`).
        """
        sheet = self.workbook.add_worksheet(layout.META_SHEET)
        if tender.lots:
            column = 5 + len(headers)
            sheet.write_string(0, column, layout.LOT)
            for row, lot in enumerate(tender.lots, start=1):
                sheet.write_string(row, column, lot.id)
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

    def lot_column(self, sheet: Any, column: int, tender: Tender, list_width: int) -> None:
        """The `lot` column (the last of a data sheet, for a tender with lots): a dropdown of the
        tender's lot ids."""
        assert tender.lots
        letter = xl_col_to_name(5 + list_width)
        # a range, not an inline list (255 characters)
        source = f"={layout.META_SHEET}!${letter}$2:${letter}${len(tender.lots) + 1}"
        sheet.data_validation(
            1,
            column,
            LAST_ROW,
            column,
            {
                "validate": "list",
                "source": source,
                "error_message": "choose one of the tender's lots",
            },
        )

    def close(self) -> bytes:
        self.workbook.close()
        return self.output.getvalue()


def _allowed_measures(tender: Tender) -> list[list[str]]:
    library = tender.measure_library
    if tender.social_value is None or library is None:
        return []
    ids = (
        tender.social_value.measures
        if tender.social_value.measures is not None
        else [m.id for m in library.measures]
    )
    rows = []
    for measure_id in ids:
        measure = library.by_id.get(measure_id)
        if measure is not None:
            proxy = (
                "0"
                if measure.record_only or measure.proxy_value is None
                else decimal_text(measure.proxy_value)
            )
            rows.append([measure.id, measure.unit, proxy, measure.title])
    return rows


BIDS_META_HEADERS = ("measure", "unit", "proxy", "title")
SCORES_META_HEADERS = ("criterion", "max_score", "title")
PASS_FAIL = "pass/fail"
"""What the scores template shows as the maximum of a pass/fail criterion."""


def bids_template(tender: Tender) -> bytes:
    """The bids workbook: `Bids` and `SocialValue` sheets, the allowed measures on a hidden sheet."""
    return bids_book(tender, f"Bids for {tender.id}: {tender.title}").close()


def bids_book(tender: Tender, title: str) -> _Book:
    """The bids template, still open (the prices template adds its sheets to it)."""
    book = _Book(title)
    lot = (
        [(layout.LOT, 8, book.text)] if tender.lots else []
    )  # the last column of each sheet: every other column keeps its place
    bids = book.sheet(
        layout.BIDS_SHEET,
        [
            ("bidder_id", 14, book.text),
            ("bidder_name", 40, book.text),
            ("employees", 12, book.whole),
            ("turnover", 18, book.money),
            ("balance_sheet_total", 20, book.money),
            ("vcse", 8, book.flag),
            ("price", 18, book.money),
            *lot,
        ],
    )
    bids.data_validation(
        1,
        2,
        LAST_ROW,
        2,
        {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            "error_message": "employees: a whole number, 0 or more",
        },
    )
    for column in (3, 4):
        bids.data_validation(
            1,
            column,
            LAST_ROW,
            column,
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "error_message": "an amount of 0 or more",
            },
        )
    bids.data_validation(1, 5, LAST_ROW, 5, {"validate": "list", "source": ["TRUE", "FALSE"]})
    bids.data_validation(
        1,
        6,
        LAST_ROW,
        6,
        {
            "validate": "decimal",
            "criteria": ">",
            "value": 0,
            "error_message": f"the price in {tender.currency}, more than 0",
        },
    )

    social = book.sheet(
        layout.SOCIAL_VALUE_SHEET,
        [
            ("bidder_id", 14, book.text),
            ("measure", 14, book.text),
            ("quantity", 12, book.number),
            ("years", 8, book.whole),
            ("description", 60, book.wrapped),
            ("unit", 16, book.shown),
            ("proxy", 14, book.shown_money),
            *lot,
        ],
    )
    measures = _allowed_measures(tender)
    source = book.meta(layout.KIND_BIDS, tender, measures, BIDS_META_HEADERS)
    if tender.lots:
        book.lot_column(bids, len(layout.BIDS_COLUMNS), tender, len(BIDS_META_HEADERS))
        book.lot_column(
            social,
            len(layout.SOCIAL_VALUE_COLUMNS) + len(layout.SOCIAL_VALUE_DISPLAY),
            tender,
            len(BIDS_META_HEADERS),
        )
    if measures:
        ids = f"={layout.META_SHEET}!$E$2:$E${len(measures) + 1}"  # a range on the hidden sheet, not an inline list
        social.data_validation(
            1,
            1,
            LAST_ROW,
            1,
            {
                "validate": "list",
                "source": ids,
                "error_message": "choose one of the tender's measures",
            },
        )
    social.data_validation(
        1,
        2,
        LAST_ROW,
        2,
        {
            "validate": "decimal",
            "criteria": ">",
            "value": 0,
            "error_message": "a quantity of more than 0",
        },
    )
    social.data_validation(
        1,
        3,
        LAST_ROW,
        3,
        {
            "validate": "integer",
            "criteria": ">=",
            "value": 1,
            "error_message": "a whole number of years, 1 or more",
        },
    )
    for row in range(1, FORMULA_ROWS + 1):
        key = f"$B{row + 1}"
        social.write_formula(
            row, 5, f'=IF({key}="","",IFERROR(VLOOKUP({key},{source},2,FALSE),""))', book.shown, ""
        )
        social.write_formula(
            row,
            6,
            f'=IF({key}="","",IFERROR(VLOOKUP({key},{source},3,FALSE)+0,""))',
            book.shown_money,
            "",
        )
    return book


def scores_template(
    tender: Tender, bids: Sequence[Bid] | None = None, evaluators: Sequence[str] = ()
) -> bytes:
    """The panel's scores workbook: no prices anywhere (blind pricing).

    With `bids`, one row per bid × criterion (× evaluator), bids lot by lot in declared order; without,
    one row per criterion (× evaluator) with the bidder (and lot) left to fill. A blank evaluator is the
    panel's one agreed score. Pass/fail criteria come first, one row per bid (a gate is decided once,
    never per evaluator), with a pass/fail dropdown; the other rows take a number up to the maximum.
    """
    book = _Book(f"Scores for {tender.id}: {tender.title}")
    lot = [(layout.LOT, 8, book.text)] if tender.lots else []
    sheet = book.sheet(
        layout.SCORES_SHEET,
        [
            ("bidder", 14, book.text),
            ("criterion", 12, book.text),
            ("evaluator", 14, book.text),
            ("score", 8, book.number),
            ("comment", 80, book.wrapped),
            *lot,
        ],
    )
    gates = [gate.id for gate in tender.gates]
    criteria = [*tender.quality_criteria, *tender.social_value_criteria]
    who: Sequence[str | None] = list(evaluators) or [None]
    order = {lot.id: index for index, lot in enumerate(tender.lots or ())}

    def lot_order(bid: Bid) -> int:
        return order.get(bid.lot or "", -1)

    in_order: list[Bid] = sorted(bids, key=lot_order) if bids is not None else []
    listed: Sequence[Bid | None] = in_order if bids is not None else [None]
    row, gate_rows = 1, []
    for bid in listed:
        rows = [(gate, None) for gate in gates] + [
            (c.id, evaluator) for c in criteria for evaluator in who
        ]
        for criterion_id, evaluator in rows:
            if bid is not None:
                sheet.write_string(row, 0, bid.bidder.id, book.text)
                if tender.lots and bid.lot is not None:
                    sheet.write_string(row, len(layout.SCORES_COLUMNS), bid.lot, book.text)
            sheet.write_string(row, 1, criterion_id, book.text)
            if evaluator is not None:
                sheet.write_string(row, 2, evaluator, book.text)
            if criterion_id in gates:
                gate_rows.append(row)
            row += 1
    # The published scale of each criterion (allowed_scores and descriptors), where declared.
    scales = {c.id: text for c in criteria if (text := marks_text(tender, c)) is not None}
    listing = book.sheet(
        layout.CRITERIA_SHEET,
        [
            ("criterion", 12, None),
            ("block", 14, None),
            ("title", 50, None),
            ("max_score", 10, None),
            ("min_score", 10, None),
            ("weight", 8, None),
            *([("marks", 70, None)] if scales else []),
        ],
    )
    entries = [[gate.id, PASS_FAIL, gate.title, PASS_FAIL, "", ""] for gate in tender.gates]
    for criterion in criteria:
        block = "quality" if criterion in tender.quality_criteria else "social value"
        entries.append(
            [
                criterion.id,
                block,
                criterion.title,
                decimal_text(tender.max_score(criterion)),
                decimal_text(criterion.min_score) if criterion.min_score is not None else "",
                decimal_text(criterion.weight),
                *([scales.get(criterion.id) or ""] if scales else []),
            ]
        )
    for index, cells in enumerate(entries, start=1):
        for column, value in enumerate(cells):
            listing.write_string(index, column, value)
    maxima = [[gate.id, PASS_FAIL, gate.title] for gate in tender.gates] + [
        [c.id, decimal_text(tender.max_score(c)), c.title] for c in criteria
    ]
    source = book.meta(layout.KIND_SCORES, tender, maxima, SCORES_META_HEADERS)
    if tender.lots:
        book.lot_column(sheet, len(layout.SCORES_COLUMNS), tender, len(SCORES_META_HEADERS))
    _score_validations(book, sheet, tender, source, gate_rows, bool(scales))
    return book.close()


def _score_validations(
    book: _Book,
    sheet: Any,
    tender: Tender,
    source: str,
    gate_rows: Sequence[int],
    scales: bool = False,
) -> None:
    """A pass/fail dropdown on the listed rows of pass/fail criteria; a number up to the criterion's maximum elsewhere.

    The two validations never overlap (Excel keeps only one per cell): the numeric one covers every
    other row of the column down to the last, including rows the panel adds, where a pass/fail
    criterion typed in by hand still accepts pass or fail.
    """
    whole = tender.quality is not None and tender.quality.whole_marks_only
    others = _gaps(_runs(gate_rows), 1, LAST_ROW)
    if gate_rows:
        sheet.data_validation(
            gate_rows[0],
            3,
            gate_rows[0],
            3,
            {
                "validate": "list",
                "source": ["pass", "fail"],
                "multi_range": " ".join(f"D{a + 1}:D{b + 1}" for a, b in _runs(gate_rows)),
                "input_title": "Pass or fail",
                "input_message": "A pass/fail criterion: choose pass or fail",
            },
        )
    first = others[0][0] + 1
    d, b = f"D{first}", f"B{first}"
    limit = f"VLOOKUP({b},{source},2,FALSE)"
    number = f"AND(ISNUMBER({d}),{d}>=0,{d}<={limit}+0{f',{d}=INT({d})' if whole else ''})"
    rule = (
        f'IF({limit}="{PASS_FAIL}",OR({d}="pass",{d}="fail"),{number})' if tender.gates else number
    )
    sheet.data_validation(
        first - 1,
        3,
        first - 1,
        3,
        {
            "validate": "custom",
            "value": "=" + rule,
            "multi_range": " ".join(f"D{a + 1}:D{z + 1}" for a, z in others),
            "input_title": "Score",
            "input_message": "From 0 to the criterion's maximum (see the Criteria sheet)"
            + ("; whole marks only" if whole else "")
            + ("; the marks allowed and their meaning are in its marks column" if scales else ""),
            "error_title": "Score out of range",
            "error_message": "The score must be from 0 to the criterion's maximum (see the Criteria sheet)",
        },
    )


def _gaps(runs: Sequence[tuple[int, int]], first: int, last: int) -> list[tuple[int, int]]:
    """The rows from `first` to `last` outside the (sorted) runs, as runs."""
    gaps, start = [], first
    for a, b in runs:
        if a > start:
            gaps.append((start, a - 1))
        start = b + 1
    return [*gaps, (start, last)] if start <= last else gaps


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive rows as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def write_template(data: bytes, path: Path, force: bool = False) -> None:
    """Write a template atomically; an existing file is replaced only with `force`."""
    write_atomic(path, data, force=force)
