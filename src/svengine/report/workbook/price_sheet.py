"""The Price sheet: each bid's price, price points and price score (P_min, P_max)."""

from __future__ import annotations

from fractions import Fraction

import xlsxwriter

from svengine.model.result import Result
from svengine.model.tender import Tender
from svengine.report import formulas
from svengine.report.workbook import price_working
from svengine.report.workbook.layout import (
    P_ID,
    P_NAME,
    P_POINTS,
    P_PRICE,
    P_REF,
    P_REF_PRICE,
    P_SCORE,
    P_STATUS,
    Q_STATUS,
    Layout,
    write_published,
)
from svengine.report.workbook.writer import (
    FIRST_ROW,
    HEADER_ROW,
    Writer,
    bid_key,
    cell,
    cell_range,
    excluded_colour,
    is_ranked,
    num,
    rel,
)
from svengine.scoring.price import price_points


def write_price_sheet(
    book: xlsxwriter.Workbook, w: Writer, tender: Tender, result: Result, layout: Layout
) -> None:
    f = w.formats
    priced = (
        tender.price.model != "lump_sum"
    )  # the price is then computed from the priced lines (price_working.py)
    extra = list(price_working.EXTRA_HEADERS) if priced else []
    w.headers(
        HEADER_ROW,
        0,
        [
            "bidder_id",
            "bidder_name",
            "price",
            "status",
            "reference_price",
            "price_points",
            "price_score",
            *extra,
        ],
    )
    ref = P_SCORE + len(extra) + 2 if priced else P_REF
    ranked_prices: dict[str | None, list[Fraction]] = {}
    for b in result.bids:
        if is_ranked(b):
            ranked_prices.setdefault(b.lot, []).append(Fraction(b.price.amount))
    # price_points only reads the lowest and highest price: passing just those keeps it linear in the bids.
    reference_prices = {lot: [min(prices), max(prices)] for lot, prices in ranked_prices.items()}
    weight = Fraction(tender.weights.price)
    first, last = FIRST_ROW, FIRST_ROW + len(result.bids) - 1
    for bid in result.bids:
        r = layout.bid_row[bid_key(bid)]
        w.text(r, P_ID, bid.bidder_id)
        w.wrapped(r, P_NAME, bid.bidder_name, 36)
        if not priced:
            w.number(r, P_PRICE, bid.price.amount, f.money)
        w.formula(r, P_STATUS, cell(r, Q_STATUS, "Quality"), bid.status)
        status, price = rel(r, P_STATUS), rel(r, P_PRICE)
        ranked = is_ranked(bid)
        w.formula(
            r,
            P_REF_PRICE,
            f'IF({status}="ranked",{price},"")',
            num(bid.price.amount) if ranked else None,
            f.money,
        )
        exact = (
            price_points(
                tender.price, weight, Fraction(bid.price.amount), reference_prices[bid.lot]
            )
            if ranked
            else Fraction(0)
        )
        points_formula = layout.per_lot(formulas.price_points(tender.price.method, price), bid)
        w.formula(
            r,
            P_POINTS,
            f'IF({status}="ranked",{points_formula},"")',
            num(exact) if ranked else None,
            f.exact,
        )
        write_published(
            w, layout, tender, bid, r, P_SCORE, P_POINTS, exact, bid.price.score, "price score"
        )
        if layout.lots:
            w.text(r, ref - 1, bid.lot)
    if priced:
        columns = price_working.Columns(price=P_PRICE, first_extra=P_SCORE + 1, reference=ref)
        price_working.write_price_working(
            book, w, tender, result, layout.bid_row, columns, layout.notes
        )
    w.headers(HEADER_ROW, ref, ["reference", "value"])
    if layout.lots:
        w.headers(HEADER_ROW, ref - 1, ["lot"])
    for offset, (name, function, value) in enumerate(
        (
            ("P_min", "MIN", result.reference.lowest_price),
            ("P_max", "MAX", result.reference.highest_price),
        ),
        start=FIRST_ROW,
    ):
        w.text(offset, ref, name)
        if layout.lots:
            w.text(offset, ref + 1, "per lot: the Lots sheet")
            continue
        w.formula(
            offset,
            ref + 1,
            f"{function}({cell_range(first, last, P_REF_PRICE)})",
            num(value or 0),
            f.money,
        )
        book.define_name(name, "=" + cell(offset, ref + 1, "Price"))
    excluded_colour(w, first, last, P_ID, P_SCORE + len(extra), P_STATUS)
    w.sheet.set_column(P_ID, P_ID, 11)
    w.sheet.set_column(P_NAME, P_NAME, price_working.DESCRIPTION_WIDTH)
    w.sheet.set_column(P_PRICE, P_SCORE, 16)
    w.sheet.set_column(ref, ref + 1, 16)
