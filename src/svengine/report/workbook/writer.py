"""The evaluation workbook's shared writer: cell references, formats, and `Writer`, which writes
text as text and formulas with the engine's values cached.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from svengine.model.result import BidResult
from svengine.model.tender import Tender
from svengine.report import cell_limit

_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")

Cached = float | str | bool


def num(value: Fraction | Decimal | int) -> float:
    """A cached value: the nearest binary float to the engine's exact figure."""
    return float(value)


BidKey = tuple[str | None, str]


def bid_key(bid: BidResult) -> BidKey:
    """A bid is (lot, bidder id): with lots one bidder may have a row in each lot."""
    return (bid.lot, bid.bidder_id)


def is_ranked(bid: BidResult) -> bool:
    return bid.status == "ranked"


@functools.cache
def column_name(col: int) -> str:
    """Column letters (a handful of columns, each named hundreds of thousands of times for 5,000 bids)."""
    return str(xl_col_to_name(col))


def cell(row: int, col: int, sheet: str | None = None) -> str:
    ref = f"${column_name(col)}${row + 1}"  # as xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)
    return f"{sheet}!{ref}" if sheet else ref


def rel(row: int, col: int) -> str:
    return f"{column_name(col)}{row + 1}"  # as xl_rowcol_to_cell(row, col)


def cell_range(first: int, last: int, col: int, sheet: str | None = None) -> str:
    ref = f"{cell(first, col)}:{cell(last, col)}"
    return f"{sheet}!{ref}" if sheet else ref


@dataclass
class Formats:
    header: Format
    text: Format
    risky_text: Format
    money: Format
    proxy: Format
    score: Format
    exact: Format
    pct: Format
    number: Format
    excluded: Format
    title: Format


def make_formats(book: xlsxwriter.Workbook, tender: Tender) -> Formats:
    currency = "".join(ch for ch in tender.currency if ch.isalnum())
    symbol = _CURRENCY_SYMBOLS.get(currency)
    money = f'"{symbol}"#,##0.00' if symbol else f'#,##0.00 "{currency}"'
    proxy = f'"{symbol}"#,##0.00####' if symbol else f'#,##0.00#### "{currency}"'
    places = tender.rounding.places
    score = "0." + "0" * places if places else "0"
    return Formats(
        header=book.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "bottom": 1, "text_wrap": True, "valign": "top"}
        ),
        text=book.add_format({}),
        risky_text=book.add_format({"quote_prefix": True}),
        money=book.add_format({"num_format": money}),
        proxy=book.add_format({"num_format": proxy}),
        score=book.add_format({"num_format": score}),
        exact=book.add_format({"num_format": "0.000000"}),
        pct=book.add_format({"num_format": score + '"%"'}),
        number=book.add_format({"num_format": "#,##0.######"}),
        excluded=book.add_format({"bg_color": "#F4CCCC", "font_color": "#7F0000"}),
        title=book.add_format({"bold": True}),
    )


@dataclass
class Writer:
    """Writes cells the safe way: text as text, formulas with their cached values."""

    sheet: Worksheet
    formats: Formats

    def text(self, row: int, col: int, value: str | None, fmt: Format | None = None) -> None:
        if value is None or value == "":
            return
        cell_limit.check(self.sheet.name, row, col, value)  # over 32,767 characters: on Issues
        risky = value.startswith(_RISKY_START)
        self.sheet.write_string(
            row, col, value, self.formats.risky_text if risky else (fmt or self.formats.text)
        )

    def number(
        self, row: int, col: int, value: Decimal | int | None, fmt: Format | None = None
    ) -> None:
        if value is None:
            return
        self.sheet.write_number(row, col, float(value), fmt or self.formats.number)

    def boolean(self, row: int, col: int, value: bool) -> None:
        self.sheet.write_boolean(row, col, value)

    def formula(
        self, row: int, col: int, formula: str, value: Cached | None, fmt: Format | None = None
    ) -> None:
        self.sheet.write_formula(row, col, "=" + formula, fmt, "" if value is None else value)

    def headers(self, row: int, col: int, names: Sequence[str]) -> None:
        for offset, name in enumerate(names):
            self.sheet.write_string(row, col + offset, name, self.formats.header)


def sum_rows(rows: Sequence[int], col: int, sheet: str | None = None) -> str:
    """SUM over the rows of one bid (contiguous), or 0 when it has none."""
    if not rows:
        return "0"
    prefix = f"{sheet}!" if sheet else ""
    return f"SUM({prefix}{rel(rows[0], col)}:{rel(rows[-1], col)})"


def excluded_colour(
    w: Writer, first: int, last: int, col_first: int, col_last: int, status_col: int
) -> None:
    if last < first:
        return
    status = f"${xl_col_to_name(status_col)}{first + 1}"
    w.sheet.conditional_format(
        first,
        col_first,
        last,
        col_last,
        {"type": "formula", "criteria": f'={status}="excluded"', "format": w.formats.excluded},
    )


def library_name(tender: Tender) -> str | None:
    library = tender.measure_library
    return f"{library.id} {library.version}" if library is not None else None
