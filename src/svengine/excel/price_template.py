"""The prices template (`svengine template prices`): the bids workbook plus the lines to price.

It is a bids workbook (the hidden record says kind `bids`), so a bidder fills one file and it is
read back as `bids.xlsx`. To the `Bids` and `SocialValue` sheets it adds:

- `Prices`: one row per line to price, its item (or section) filled in and locked; the bidder
  types its bidder_id and the amount (or adjustment) on each row it prices. Display columns show
  the line's description, volume or multiplier, and the line total as the bidder types.
- `PriceLines`: the tender's basket, schedule or parts in full, and the price parameters
  (protected, never read).

A lump-sum tender has nothing to price line by line: the price goes in the Bids sheet, and
`prices_template` refuses (`NothingToPrice`) rather than write an empty sheet.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_col_to_name

from svengine.excel import layout
from svengine.excel.templates import LAST_ROW, bids_book
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.problems import SvengineError
from svengine.scoring.price_models import discount_rate_pct

_TEXT_WIDTH, _MONEY_WIDTH = 14, 16


class NothingToPrice(SvengineError):
    """The tender is priced as a lump sum: there are no lines to price."""

    def __init__(self, tender: Tender) -> None:
        super().__init__(
            f'tender "{tender.id}" is priced as a lump sum (price.model: lump_sum): there are no lines to price;'
            " bidders state their price in the Bids sheet of `svengine template bids`"
        )


def _years(years: tuple[int, ...] | None) -> str:
    return ", ".join(str(y) for y in years or ())


def prices_template(tender: Tender) -> bytes:
    """The bids workbook with the tender's lines to price; `NothingToPrice` for a lump-sum tender."""
    block = tender.price
    if block.model == "lump_sum":
        raise NothingToPrice(tender)
    book = bids_book(tender, f"Prices for {tender.id}: {tender.title}")
    add = book.workbook.add_format
    pct = add({"num_format": "0.00##", "locked": False})
    locked_text = add({"num_format": "@", "locked": True, "bg_color": "#F2F2F2"})
    schedule = block.model == "schedule_of_rates"

    if schedule:
        columns: list[tuple[str, int, Any]] = [
            ("bidder_id", _TEXT_WIDTH, book.text),
            ("adjustment_pct", 15, pct),
            ("section", _TEXT_WIDTH, locked_text),
            ("items", 50, book.shown),
            ("base_value", _MONEY_WIDTH, book.shown_money),
            ("line_total", _MONEY_WIDTH, book.shown_money),
        ]
    else:
        quantity = {"basket": "volume", "multi_part": "multiplier", "whole_life": "years"}[
            block.model
        ]
        columns = [
            ("bidder_id", _TEXT_WIDTH, book.text),
            ("item", 24, locked_text),
            ("amount", _MONEY_WIDTH, book.money),
            ("description", 50, book.shown),
            (quantity, 12, book.shown),
        ]
        if block.model != "whole_life":  # a discounted line total needs the factors: see PriceLines
            columns.append(("line_total", _MONEY_WIDTH, book.shown_money))
    # the last column, as on the Bids and SocialValue sheets; filled in: the lines are listed lot by
    # lot
    if tender.lots:
        columns.append((layout.LOT, 8, locked_text))
    prices = book.sheet(layout.PRICES_SHEET, columns)
    amount_col = 1 if schedule else 2
    if schedule:
        prices.data_validation(
            1,
            1,
            LAST_ROW,
            1,
            {
                "validate": "decimal",
                "criteria": ">",
                "value": -100,
                "error_message": "an adjustment in %, above -100 (negative is a discount)",
            },
        )
    else:
        prices.data_validation(
            1,
            2,
            LAST_ROW,
            2,
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "error_message": f"an amount in {tender.currency}, 0 or more",
            },
        )
    prices.write_comment(
        0,
        0,
        "Your bidder_id (as on the Bids sheet) on every row you price; rows left without one are not read."
        + (
            " The lines are listed once for each lot: price the lots you bid for."
            if tender.lots
            else ""
        ),
    )
    lots: list[str | None] = [lot.id for lot in tender.lots] if tender.lots else [None]
    lot_col = len(columns) - 1

    amount = xl_col_to_name(amount_col)
    if schedule:
        sections: dict[str, list[Any]] = {}
        for line in block.schedule or ():
            sections.setdefault(line.section, []).append(line)
        rows: list[tuple[str | None, str, float]] = [
            (
                None,
                "all sections: give one adjustment here, or one per section below (not both)",
                float(sum(line.volume * line.base_rate for line in block.schedule or ())),
            )
        ]
        rows += [
            (
                name,
                ", ".join(line.item for line in lines),
                float(sum(line.volume * line.base_rate for line in lines)),
            )
            for name, lines in sections.items()
        ]
        for row, (lot, (section, items, base)) in enumerate(
            ((lot, r) for lot in lots for r in rows), start=1
        ):
            if lot is not None:
                prices.write_string(row, lot_col, lot, locked_text)
            if section is not None:
                prices.write_string(row, 2, section, locked_text)
            prices.write_string(row, 3, items, book.shown)
            prices.write_number(row, 4, base, book.shown_money)
            prices.write_formula(
                row,
                5,
                f'=IF({amount}{row + 1}="","",E{row + 1}*(1+{amount}{row + 1}/100))',
                book.shown_money,
                "",
            )
    else:
        lines: list[tuple[str, str | None, str]] = (
            [(i.item, i.description, decimal_text(i.volume)) for i in block.basket or ()]
            if block.model == "basket"
            else [
                (
                    p.id,
                    p.description,
                    decimal_text(p.multiplier) if p.multiplier is not None else _years(p.years),
                )
                for p in block.parts or ()
            ]
        )
        for row, (lot, (item, description, quantity_text)) in enumerate(
            ((lot, line) for lot in lots for line in lines), start=1
        ):
            if lot is not None:
                prices.write_string(row, lot_col, lot, locked_text)
            prices.write_string(row, 1, item, locked_text)
            if description:
                prices.write_string(row, 3, description, book.shown)
            if block.model == "whole_life":
                prices.write_string(row, 4, quantity_text, book.shown)
            else:
                prices.write_number(row, 4, float(quantity_text), book.shown)
                prices.write_formula(
                    row,
                    5,
                    f'=IF({amount}{row + 1}="","",{amount}{row + 1}*E{row + 1})',
                    book.shown_money,
                    "",
                )

    _price_lines_sheet(book, tender)
    return book.close()


def _price_lines_sheet(book: Any, tender: Tender) -> None:
    block = tender.price
    if block.model == "basket":
        headers = ["item", "description", "volume"]
        rows: list[list[Any]] = [
            [i.item, i.description or "", i.volume] for i in block.basket or ()
        ]
    elif block.model == "schedule_of_rates":
        headers = ["item", "section", "description", "base_rate", "volume"]
        rows = [
            [i.item, i.section, i.description or "", i.base_rate, i.volume]
            for i in block.schedule or ()
        ]
    elif block.model == "multi_part":
        headers = ["part", "description", "multiplier"]
        rows = [[p.id, p.description or "", p.multiplier or 0] for p in block.parts or ()]
    else:
        headers = ["part", "description", "years"]
        rows = [[p.id, p.description or "", _years(p.years)] for p in block.parts or ()]
    sheet = book.sheet(
        layout.PRICE_LINES_SHEET, [(h, 50 if h == "description" else 14, None) for h in headers]
    )
    for row, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(row, col, value)
            else:  # a base rate, volume or multiplier, as the tender gives it
                sheet.write_number(
                    row,
                    col,
                    float(value),
                    book.shown_money if headers[col] == "base_rate" else book.shown,
                )
    rounding = block.evaluated_rounding
    parameters = [
        ("price_model", block.model),
        ("vat", block.vat),
        ("arithmetic", block.arithmetic),
        (
            "evaluated_rounding",
            f"{rounding.places} places, {rounding.mode}" if rounding else "none (exact)",
        ),
    ]
    if block.model == "whole_life":
        parameters.append(("discount_rate_pct", decimal_text(discount_rate_pct(block))))
    first = len(headers) + 1
    sheet.write_string(0, first, "parameter", book.header)
    sheet.write_string(0, first + 1, "value", book.header)
    sheet.set_column(first, first + 1, 20)
    for row, (name, value) in enumerate(parameters, start=1):
        sheet.write_string(row, first, name)
        sheet.write_string(row, first + 1, value)
