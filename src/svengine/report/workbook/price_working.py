"""The Price sheet's working for tenders not priced as a lump sum: the evaluated price by formula.

Under the per-bid table and its reference box, as a titled table of its own starting a printed
page, one row per priced line (the same lines as result.json's `price.lines`),
whose `amount` is a formula over the line's data cells:

| model             | amount                                             |
|-------------------|----------------------------------------------------|
| basket            | volume × unit_price                                |
| schedule_of_rates | volume × base_rate × (1 + adjustment_pct / 100)    |
| multi_part        | multiplier × part_amount                           |
| whole_life        | part_amount × discount_factor, the factor being `1/(1+DiscountRatePct/100)^year` |

Per bid, right of the price score: `stated_price` (data), `computed_price` (the SUM of the bid's
line amounts) and `arithmetic_error`; the per-bid `price` cell, which every price score formula
uses, is the computed price rounded as `price.evaluated_rounding` declares (first to 9 places, to
remove binary noise, as every declared rounding in the workbook), or the computed price itself. A
whole-life price without declared rounding is an exact fraction that never terminates: its cell is
the nearest binary number, and the Issues sheet says so (`exact_price`), giving the exact figure.
The price parameters sit in the reference box under P_min and P_max.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import xlsxwriter

from svengine.display import money
from svengine.model.result import BidResult, Result
from svengine.model.tender import Tender
from svengine.numbers import exact_text
from svengine.report import formulas
from svengine.report.workbook.writer import FIRST_ROW, Writer
from svengine.scoring.price_models import discount_rate_pct

EXTRA_HEADERS = ("stated_price", "computed_price", "arithmetic_error")
LINES_TITLE = "Priced lines"
DESCRIPTION_WIDTH = 44
"""Column B's width (the per-bid table's bidder name): the lines' descriptions, wrapped."""
ITEM_WIDTH = 16
"""Column C's width (the per-bid table's price): the lines' items, wrapped."""
EVAL_PLACES = "EvalPlaces"
DISCOUNT_RATE = "DiscountRatePct"

# Columns of the lines table, by model. The description is in column B, the per-bid table's wide
# bidder name column, and the item in C (wrapped), so that both print whole.
_LINE_COLUMNS: dict[str, tuple[str, ...]] = {
    "basket": ("bidder_id", "description", "item", "volume", "unit_price", "amount"),
    "schedule_of_rates": (
        "bidder_id",
        "description",
        "item",
        "section",
        "volume",
        "base_rate",
        "adjustment_pct",
        "amount",
    ),
    "multi_part": ("bidder_id", "description", "item", "multiplier", "part_amount", "amount"),
    "whole_life": (
        "bidder_id",
        "description",
        "item",
        "year",
        "part_amount",
        "discount_factor",
        "amount",
    ),
}


@dataclass(frozen=True)
class Columns:
    """Where the per-bid table puts the price, the extra columns and the reference box."""

    price: int
    first_extra: int
    reference: int


def _a1(row: int, col: int) -> str:
    return str(xlsxwriter.utility.xl_rowcol_to_cell(row, col))


def _abs(row: int, col: int) -> str:
    return str(xlsxwriter.utility.xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True))


def write_price_working(
    book: xlsxwriter.Workbook,
    w: Writer,
    tender: Tender,
    result: Result,
    bid_row: dict[tuple[str | None, str], int],
    columns: Columns,
    notes: list[tuple[str, str, str]],
) -> None:
    """The evaluated price of every bid as a formula over its priced lines (a priced tender only)."""
    block = tender.price
    model = block.model
    f = w.formats
    rounding = block.evaluated_rounding

    # Price parameters, in the reference box under P_min and P_max (rows 1 and 2).
    parameters: list[tuple[str, str | None, str | int | Fraction | None]] = [
        ("price_model", None, model),
        ("vat", None, block.vat),
        ("arithmetic", None, block.arithmetic),
        ("evaluated_places", EVAL_PLACES, rounding.places if rounding else None),
        ("evaluated_mode", None, rounding.mode if rounding else "none (exact)"),
    ]
    if model == "whole_life":
        parameters.append(("discount_rate_pct", DISCOUNT_RATE, Fraction(discount_rate_pct(block))))
    for row, (label, name, value) in enumerate(parameters, start=FIRST_ROW + 2):
        w.text(row, columns.reference, label)
        if isinstance(value, str):
            w.text(row, columns.reference + 1, value)
        elif value is not None:
            w.sheet.write_number(row, columns.reference + 1, float(value), f.number)
        if name:
            book.define_name(name, f"=Price!{_abs(row, columns.reference + 1)}")

    # The lines: a titled table of their own under the per-bid table and the reference box (never
    # beside either), starting a printed page, whose header row is the one repeated in print.
    headers = _LINE_COLUMNS[model]
    col = {header: index for index, header in enumerate(headers)}
    title_row = FIRST_ROW + max(len(result.bids), 2 + len(parameters)) + 1
    w.sheet.write_string(title_row, 0, LINES_TITLE, f.sheet_title)
    w.headers(title_row + 1, 0, list(headers))
    w.sheet.set_h_pagebreaks([title_row])
    if sum(len(bid.price.lines) for bid in result.bids) > len(result.bids):
        w.repeat_row = title_row + 1  # the longer table's header
    row = title_row + 2
    stated_col, computed_col, error_col = (columns.first_extra + i for i in range(3))
    for bid in result.bids:
        first = row
        for line in bid.price.lines:
            w.text(row, col["bidder_id"], bid.bidder_id)
            w.wrapped(row, col["item"], line.item, ITEM_WIDTH)
            w.wrapped(row, col["description"], line.description, DESCRIPTION_WIDTH)
            if model == "whole_life":
                assert line.year is not None and line.discount_factor is not None
                w.number(row, col["year"], line.year, f.number)
                w.number(row, col["part_amount"], line.rate, f.money)
                factor = _a1(row, col["discount_factor"])
                w.formula(
                    row,
                    col["discount_factor"],
                    f"1/(1+{DISCOUNT_RATE}/100)^{_a1(row, col['year'])}",
                    float(Fraction(line.discount_factor)),
                    f.exact,
                )
                formula = f"{_a1(row, col['part_amount'])}*{factor}"
            elif model == "schedule_of_rates":
                w.text(row, col["section"], line.section)
                w.number(row, col["volume"], line.quantity, f.number)
                w.number(row, col["base_rate"], line.rate, f.money)
                w.number(row, col["adjustment_pct"], line.adjustment_pct, f.number)
                volume, rate = _a1(row, col["volume"]), _a1(row, col["base_rate"])
                formula = f"{volume}*{rate}*(1+{_a1(row, col['adjustment_pct'])}/100)"
            else:
                quantity, rate = (
                    ("volume", "unit_price") if model == "basket" else ("multiplier", "part_amount")
                )
                w.number(row, col[quantity], line.quantity, f.number)
                w.number(row, col[rate], line.rate, f.money)
                formula = f"{_a1(row, col[quantity])}*{_a1(row, col[rate])}"
            w.formula(row, col["amount"], formula, float(Fraction(line.amount)), f.money)
            row += 1
        _bid_cells(
            w,
            tender,
            bid,
            bid_row[(bid.lot, bid.bidder_id)],
            columns,
            (first, row - 1, col["amount"]),
            (stated_col, computed_col, error_col),
            notes,
        )
    w.sheet.set_column(columns.first_extra, columns.first_extra + 2, 16)


def _bid_cells(
    w: Writer,
    tender: Tender,
    bid: BidResult,
    r: int,
    columns: Columns,
    lines: tuple[int, int, int],
    extra: tuple[int, int, int],
    notes: list[tuple[str, str, str]],
) -> None:
    f = w.formats
    first, last, amount_col = lines
    stated_col, computed_col, error_col = extra
    price = bid.price
    computed = Fraction(price.computed) if price.computed is not None else Fraction(0)
    w.number(r, stated_col, price.stated, f.money)
    total = f"SUM({_a1(first, amount_col)}:{_a1(last, amount_col)})" if last >= first else "0"
    w.formula(r, computed_col, total, float(computed), f.money)
    computed_cell = _a1(r, computed_col)
    rounding = tender.price.evaluated_rounding
    if rounding is None:
        evaluated_formula = computed_cell
        if isinstance(price.evaluated, Fraction):
            notes.append(
                (
                    bid.bidder_id,
                    "exact_price",
                    f"the evaluated price is exactly {exact_text(price.evaluated)} (about"
                    f" {money(price.evaluated)}): it never ends as a decimal and the tender declares no"
                    " price.evaluated_rounding, so the engine scores the exact fraction; a spreadsheet"
                    " holds only the nearest binary number, so the price cell and the scores computed"
                    " from it may differ from result.json in the last of about 15 digits (the published"
                    " scores, rounded as declared, agree unless one is within 0.0000000005 of a"
                    " rounding boundary)",
                )
            )
    else:
        evaluated_formula = formulas.declared_rounding(computed_cell, rounding.mode, EVAL_PLACES)
        if not formulas.spreadsheet_agrees(computed, rounding.places, rounding.mode):
            notes.append(
                (
                    bid.bidder_id,
                    "spreadsheet_rounding",
                    f"the evaluated price {price.evaluated} is computed from lines adding up to "
                    "within 0.0000000005 of a"
                    " rounding boundary; a spreadsheet recalculating this workbook rounds to "
                    f"{formulas.CLEAN_PLACES} places"
                    " first and may show a different last digit (result.json and the cached value are exact)",
                )
            )
    w.formula(r, columns.price, evaluated_formula, float(price.evaluated), f.money)
    stated, evaluated = _a1(r, stated_col), _a1(r, columns.price)
    # Both are money: a difference below 0.5e-9 is binary noise, never a real one.
    w.flag(
        r,
        error_col,
        f'IF({stated}="",FALSE,ROUND({stated}-{evaluated},{formulas.CLEAN_PLACES})<>0)',
        price.arithmetic_error,
    )
