"""The evaluation workbook's shared writer: cell references, formats, and `Writer`, which writes
text as text and formulas with the engine's values cached.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from svengine.display import money
from svengine.model.result import BidResult
from svengine.model.tender import Tender
from svengine.report import cell_limit

_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")

Cached = float | str | bool

HEADER_ROW = 4
"""Zero-based row of every sheet's (first) table header: rows 0-2 are the title block, row 3 is blank."""
FIRST_ROW = HEADER_ROW + 1
"""Zero-based row of the first data row under the header (the first bid's row in every per-bid table)."""
YES_NO = '"Yes";"Yes";"No"'
"""The number format of a yes/no cell: it holds 1 or 0 (a number every formula reads as true or false)."""

HEADINGS: dict[str, str] = {
    "deduction": "Deduction for quality",
    "fictitious_price": "Fictitious price",
    "bidder_id": "Bidder",
    "bidder_name": "Bidder name",
    "rank": "Rank",
    "quality": "Quality",
    "price": "Price",
    "social_value": "Social value",
    "total": "Total score",
    "status": "Status",
    "social_value_total": "Social value (£)",
    "social_value_net": "Net social value (£)",
    "additionality_pct": "Additionality (% of contract value)",
    "size": "Supplier size",
    "vcse": "VCSE",
    "award": "Award",
    "award_reason": "Award reason",
    "lot": "Lot",
    "block": "Block",
    "criterion": "Criterion",
    "title": "Title",
    "weight": "Weight",
    "weight_points": "Weight (points)",
    "max_score": "Maximum score",
    "min_score": "Minimum score",
    "score": "Score",
    "points": "Points",
    "below_min_score": "Below minimum score",
    "comment": "Comment",
    "quality_points": "Quality points (T)",
    "available": "Points available",
    "required": "Points required",
    "points_in_competition": "Points in competition",
    "quality_block": "Quality points (block)",
    "quality_score": "Quality score",
    "reference": "Reference",
    "value": "Value",
    "reference_price": "Price in competition",
    "price_points": "Price points",
    "price_score": "Price score",
    "stated_price": "Stated price",
    "computed_price": "Computed price",
    "arithmetic_error": "Arithmetic error",
    "item": "Item",
    "description": "Description",
    "volume": "Volume",
    "unit_price": "Unit price",
    "amount": "Amount",
    "section": "Section",
    "base_rate": "Base rate",
    "adjustment_pct": "Adjustment (%)",
    "multiplier": "Multiplier",
    "part_amount": "Part amount",
    "year": "Year",
    "discount_factor": "Discount factor",
    "measure": "Measure",
    "unit": "Unit",
    "quantity": "Quantity",
    "years_offered": "Years offered",
    "years_counted": "Years counted",
    "proxy_value": "Proxy value",
    "counted": "Counted",
    "net_value": "Net value",
    "deadweight_pct": "Deadweight (%)",
    "attribution_pct": "Attribution (%)",
    "displacement_pct": "Displacement (%)",
    "leakage_pct": "Leakage (%)",
    "drop_off_pct": "Drop-off (%)",
    "additionality_pct_of_price": "Additionality (% of price)",
    "social_value_per_price": "Social value per £ of price",
    "total_in_competition": "Social value in competition",
    "per_price_in_competition": "Per £ of price in competition",
    "quantitative_points": "Quantitative points",
    "criteria_points": "Criteria points",
    "social_value_block": "Social value points (block)",
    "social_value_score": "Social value score",
    "parameter": "Parameter",
    "meaning": "Meaning",
    "theme": "Theme",
    "basis": "Basis",
    "first_year_only": "First year only",
    "record_only": "Record only",
    "kind": "Kind",
    "code": "Code",
    "message": "Message",
    "file": "File",
    "sha256": "SHA-256",
    "bytes": "Bytes",
    "contract_value": "Contract value",
    "bids": "Bids",
    "ranked": "Ranked",
    "mean": "Mean",
    "median": "Median",
    "spread": "Spread",
    "spread_pct": "Spread (% of maximum)",
    "disagreement": "Disagreement",
    "consensus": "Consensus",
    "aggregate": "Aggregate",
    "rationale": "Rationale",
    "P_min": "Lowest price (P_min)",
    "P_max": "Highest price (P_max)",
    "T_best": "Best quality points (T_best)",
    "SV_max": "Highest social value (SV_max)",
    "SVPP_max": "Highest social value per £ of price (SVPP_max)",
}
"""The words a table header shows for each field name (result.json's names); others show as given."""


HEADER_LINES = 3
"""Lines of header words a header row has room for (wrapped in the column's width)."""
LINE_HEIGHT = 15
"""Points per line of 11-point text."""
MAX_ROW_HEIGHT = 409
"""Excel's tallest row, in points."""


def wrapped_lines(text: str, width: int) -> int:
    """Lines `text` takes wrapped in a column `width` characters wide (generously: a word that does
    not fit moves to the next line, so a line holds somewhat fewer characters than the width)."""
    per_line = max(int(width * 0.95), 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n"))


WORDS: dict[str, str] = {
    "appointed": "Appointed",
    "not_appointed": "Not appointed",
    "excluded": "Excluded",
    "lot_limit_reached": "Lot limit reached",
    "below_cutoff": "Below the cut-off",
    "micro": "Micro",
    "sme": "SME",
    "large": "Large",
    "unknown": "Unknown",
    "quality": "Quality",
    "social_value": "Social value",
}
"""The words shown for a code that no formula reads (award, reason, supplier size, block); statuses stay
`ranked`/`excluded`, which the formulas compare."""


def words(code: str | None) -> str | None:
    """The words of a code (`not_appointed`: `Not appointed`); other text as given."""
    return WORDS.get(code, code) if code is not None else None


def heading(name: str) -> str:
    """The header words of the column holding result.json's field `name` (tests find columns by it)."""
    if name.startswith(("score ", "comment ")):  # the Panel sheet's `score A`: `Score A`
        return name[0].upper() + name[1:]
    return HEADINGS.get(name, name)


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
    yes_no: Format
    wrap: Format
    sheet_title: Format
    subtitle: Format


def make_formats(book: xlsxwriter.Workbook, tender: Tender) -> Formats:
    currency = "".join(ch for ch in tender.currency if ch.isalnum())
    symbol = _CURRENCY_SYMBOLS.get(currency)
    money = f'"{symbol}"#,##0.00' if symbol else f'#,##0.00 "{currency}"'
    proxy = f'"{symbol}"#,##0.00####' if symbol else f'#,##0.00#### "{currency}"'
    places = tender.rounding.places
    # Scores and points, published or not, are shown to the tender's declared places (the cell
    # keeps the full value, which every formula reads).
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
        exact=book.add_format({"num_format": score}),
        pct=book.add_format({"num_format": score + '"%"'}),
        number=book.add_format({"num_format": "#,##0.######"}),
        excluded=book.add_format({"bg_color": "#F4CCCC", "font_color": "#7F0000"}),
        title=book.add_format({"bold": True}),
        yes_no=book.add_format({"num_format": YES_NO, "align": "center"}),
        wrap=book.add_format({"text_wrap": True, "valign": "top"}),
        sheet_title=book.add_format({"bold": True, "font_size": 14}),
        subtitle=book.add_format({"italic": True}),
    )


@dataclass
class Writer:
    """Writes cells the safe way: text as text, formulas with their cached values."""

    sheet: Worksheet
    formats: Formats
    row_lines: dict[int, int] = field(default_factory=dict)
    """Lines of wrapped text the tallest cell of each row needs (`wrapped`); `fit_rows` sets the heights."""
    row_formats: dict[int, Format] = field(default_factory=dict)
    """A format for a whole row (an excluded bid's issue), applied with the height by `fit_rows`."""
    repeat_row: int = HEADER_ROW
    """The header row printed at the top of every page: the sheet's (first) table's, or the longer
    table's where a second table follows under it (the Price sheet's priced lines)."""

    def wrapped(self, row: int, col: int, value: str | None, width: int) -> None:
        """Text wrapped in a column `width` characters wide; its row is made tall enough for it."""
        if value is None or value == "":
            return
        self.text(row, col, value, self.formats.wrap)
        lines = wrapped_lines(value, width)
        if lines > self.row_lines.get(row, 1):
            self.row_lines[row] = lines

    def fit_rows(self) -> None:
        """Row heights for wrapped text: no program has to measure it, so no line hides the next."""
        for row in sorted(self.row_lines.keys() | self.row_formats.keys()):
            lines = self.row_lines.get(row, 1)
            height = min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT) if lines > 1 else None
            self.sheet.set_row(row, height, self.row_formats.get(row))

    def text(self, row: int, col: int, value: str | None, fmt: Format | None = None) -> None:
        if value is None or value == "":
            return
        cell_limit.check(self.sheet.name, row, col, value)  # over 32,767 characters: on Issues
        risky = value.startswith(_RISKY_START)
        self.sheet.write_string(
            row, col, value, self.formats.risky_text if risky else (fmt or self.formats.text)
        )

    def number(
        self, row: int, col: int, value: Decimal | Fraction | int | None, fmt: Format | None = None
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

    def flag(self, row: int, col: int, formula: str | None, value: bool | None) -> None:
        """A yes/no cell: 1 or 0 shown as Yes or No; `formula` (true or false) becomes IF(...,1,0)."""
        if formula is None:
            if value is not None:
                self.sheet.write_number(row, col, int(value), self.formats.yes_no)
            return
        cached = "" if value is None else int(value)
        self.sheet.write_formula(row, col, f"=IF({formula},1,0)", self.formats.yes_no, cached)

    def headers(self, row: int, col: int, names: Sequence[str]) -> None:
        for offset, name in enumerate(names):
            self.sheet.write_string(row, col + offset, heading(name), self.formats.header)
        self.row_lines[row] = max(self.row_lines.get(row, 1), HEADER_LINES)


def title_block(w: Writer, tender: Tender, sheet_title: str, evaluated: str) -> None:
    """Rows 0-2 of every sheet: what the sheet is, the tender, its contract value and the date."""
    w.text(0, 0, f"{sheet_title}: {tender.id} {tender.title}", w.formats.sheet_title)
    currency = "".join(ch for ch in tender.currency if ch.isalnum())
    symbol = _CURRENCY_SYMBOLS.get(currency, "")
    amount = money(tender.contract_value)
    value = f"{symbol}{amount}" if symbol else f"{amount} {currency}"
    w.text(1, 0, f"Contract value {value}", w.formats.subtitle)
    w.text(2, 0, f"Date of evaluation: {evaluated}", w.formats.subtitle)


def print_ready(w: Writer, tender: Tender, freeze_col: int = 1) -> None:
    """Landscape A4, one page wide, the header row repeated on every page (from the page it is first
    on: spreadsheets never print it above itself), panes frozen under the first table's header."""
    sheet = w.sheet
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # as wide as one page, as many pages long as it takes
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(w.repeat_row)
    title = tender.id.replace("&", "&&")
    sheet.set_header(f"&L{title}&R&A", {"margin": 0.3})
    sheet.set_footer("&CPage &P of &N", {"margin": 0.3})
    sheet.freeze_panes(FIRST_ROW, freeze_col)


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
