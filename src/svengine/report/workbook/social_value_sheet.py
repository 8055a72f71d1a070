"""The SocialValue sheet (each bid's social value, gross and net, additionality and score) and the Commitments
sheet (each commitment's value and net value)."""

from __future__ import annotations

from fractions import Fraction

import xlsxwriter

from svengine.model.library import DEFLATOR_FIELDS
from svengine.model.result import Result, counted_value
from svengine.model.tender import Tender
from svengine.report import formulas
from svengine.report.workbook.inputs_sheet import DEFLATOR_COL
from svengine.report.workbook.layout import (
    P_PRICE,
    Q_STATUS,
    Layout,
    note_rounding,
    write_published,
)
from svengine.report.workbook.quality_sheet import CRITERIA_SHEET
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
    sum_rows,
)

COMMITMENTS_SHEET = "Commitments"
"""The sheet of one row per commitment (its value, and net value): a table of its own, for print."""
VALUE_COL = 9
"""Commitments: each commitment's (gross) value; its net value follows when the tender reports net."""


def write_social_value_sheet(
    book: xlsxwriter.Workbook,
    w: Writer,
    commitments_writer: Writer,
    tender: Tender,
    result: Result,
    layout: Layout,
) -> None:
    _write_commitments(commitments_writer, result, layout)
    _write_bids(book, w, tender, result, layout)


def _write_commitments(w: Writer, result: Result, layout: Layout) -> None:
    """The Commitments sheet: each commitment's years counted, value and (when reported) net value."""
    f = w.formats
    net = layout.social.net is not None
    net_col = VALUE_COL + 1 if net else None
    description_col = VALUE_COL + 2 if net else VALUE_COL + 1
    w.headers(
        HEADER_ROW,
        0,
        [
            "bidder_id",
            "measure",
            "title",
            "unit",
            "quantity",
            "years_offered",
            "years_counted",
            "proxy_value",
            "counted",
            "value",
            *(["net_value"] if net else []),
            "description",
        ],
    )
    row = FIRST_ROW
    for bid in result.bids:
        rows: list[int] = []
        for commitment in bid.social_value.commitments:
            source = layout.measure_row[commitment.measure]
            w.text(row, 0, bid.bidder_id)
            w.text(row, 1, commitment.measure)
            w.wrapped(row, 2, commitment.title, 40)
            w.text(row, 3, commitment.unit)
            w.number(row, 4, commitment.quantity)
            w.number(row, 5, commitment.years_offered)
            first_year, basis = cell(source, 6, "Inputs"), cell(source, 5, "Inputs")
            offered = rel(row, 5)
            w.formula(
                row,
                6,
                f'IF(OR({first_year},{basis}="total"),1,IF({offered}="",1,{offered}))',
                commitment.years,
            )
            proxy = commitment.proxy_value if commitment.proxy_value is not None else 0
            w.formula(row, 7, cell(source, 4, "Inputs"), num(proxy), f.proxy)
            w.formula(row, 8, cell(source, 8, "Inputs"), int(commitment.counted), f.yes_no)
            w.formula(
                row,
                VALUE_COL,
                f"IF({rel(row, 8)},{rel(row, 7)}*{rel(row, 4)}*{rel(row, 6)},0)",
                num(commitment.value),
                f.money,
            )
            if net_col is not None:
                w.formula(
                    row,
                    net_col,
                    f"IF({rel(row, 8)},{net_value(row, source)},0)",
                    num(getattr(commitment, "net_value", commitment.value)),
                    f.money,
                )
            w.wrapped(row, description_col, commitment.description, 50)
            rows.append(row)
            row += 1
        layout.commitment_rows[bid_key(bid)] = rows
    w.sheet.set_column(0, 1, 11)
    w.sheet.set_column(2, 2, 40)
    w.sheet.set_column(3, 3, 14)
    w.sheet.set_column(4, 8, 11)
    w.sheet.set_column(VALUE_COL, description_col - 1, 16)
    w.sheet.set_column(description_col, description_col, 50)


def net_value(row: int, source: int) -> str:
    """`formulas.net_value` over a Commitments row (proxy, quantity, years counted) and its measure's
    deflators on the Inputs sheet's row `source`."""
    deflators = {
        name: cell(source, DEFLATOR_COL + offset, "Inputs")
        for offset, name in enumerate(DEFLATOR_FIELDS)
    }
    return formulas.net_value(rel(row, 7), rel(row, 4), rel(row, 6), deflators)


def _write_bids(
    book: xlsxwriter.Workbook, w: Writer, tender: Tender, result: Result, layout: Layout
) -> None:
    """The SocialValue sheet: each bid's social value £ (gross, net), additionality and score."""
    f = w.formats
    sc = layout.social
    c_id = sc["bidder_id"]
    c_price = sc["price"]
    c_status = sc["status"]
    c_add_price = sc["additionality_pct_of_price"]
    c_add = sc["additionality_pct"]
    c_per_price = sc["social_value_per_price"]
    c_total_in = sc["total_in_competition"]
    c_ratio_in = sc["per_price_in_competition"]
    c_quant = sc["quantitative_points"]
    c_crit = sc["criteria_points"]
    c_block = sc["social_value_block"]
    c_total = sc["social_value_total"]
    w.headers(HEADER_ROW, 0, list(sc.fields))
    social = tender.social_value
    reference = result.reference
    best_total = Fraction(reference.highest_social_value or 0)
    best_ratio = Fraction(reference.highest_social_value_per_price or 0)
    first, last = FIRST_ROW, FIRST_ROW + len(result.bids) - 1
    contract_values = {lot.id: lot.contract_value for lot in tender.lots or ()}
    for bid in result.bids:
        r = layout.bid_row[bid_key(bid)]
        ranked = is_ranked(bid)
        sv = bid.social_value
        gross, price = Fraction(sv.total), Fraction(bid.price.amount)
        net = getattr(sv, "net_value", None)
        total = Fraction(counted_value(sv))  # net with `count: net`, else gross
        w.text(r, c_id, bid.bidder_id)
        w.formula(r, c_price, cell(r, P_PRICE, "Price"), num(price), f.money)
        w.formula(r, c_status, cell(r, Q_STATUS, "Quality"), bid.status)
        status, total_cell = rel(r, c_status), rel(r, sc.counted)
        rows = layout.commitment_rows[bid_key(bid)]
        w.formula(
            r,
            c_total,
            sum_rows(rows, VALUE_COL, COMMITMENTS_SHEET),
            num(gross),
            f.money,
        )
        if sc.net is not None:  # the net values (docs/methods-net.md); scored with `count: net`
            w.formula(
                r,
                sc.net,
                sum_rows(rows, VALUE_COL + 1, COMMITMENTS_SHEET),
                num(net if net is not None else gross),
                f.money,
            )
        for col, base, published, what in (
            (c_add, "ContractValue", sv.additionality_pct, "additionality"),
            (
                c_add_price,
                rel(r, c_price),
                sv.additionality_pct_of_price,
                "additionality of price",
            ),
        ):
            contract_value = Fraction(
                contract_values[bid.lot] if bid.lot is not None else tender.contract_value
            )
            exact = total * 100 / (contract_value if base == "ContractValue" else price)
            w.formula(
                r,
                col,
                layout.per_lot(
                    formulas.declared_rounding(f"{total_cell}/{base}*100", tender.rounding.mode),
                    bid,
                ),
                num(published),
                f.pct,
            )
            note_rounding(layout, tender, bid, exact, published, what)
        w.formula(r, c_per_price, f"{total_cell}/{rel(r, c_price)}", num(total / price), f.exact)
        w.formula(
            r,
            c_total_in,
            f'IF({status}="ranked",{total_cell},"")',
            num(total) if ranked else None,
            f.money,
        )
        w.formula(
            r,
            c_ratio_in,
            f'IF({status}="ranked",{rel(r, c_per_price)},"")',
            num(total / price) if ranked else None,
            f.exact,
        )
        quant = (
            Fraction(sv.quantitative_points) if sv.quantitative_points is not None else Fraction(0)
        )
        quant_formula = (
            layout.per_lot(
                formulas.social_value_points(social.method, total_cell, rel(r, c_per_price)), bid
            )
            if social
            else "0"
        )
        w.formula(
            r,
            c_quant,
            f'IF({status}="ranked",{quant_formula},"")',
            num(quant) if ranked else None,
            f.exact,
        )
        criteria_points = sum((Fraction(c.points) for c in sv.criteria), Fraction(0))
        w.formula(
            r,
            c_crit,
            sum_rows(layout.quality_rows[bid_key(bid)][1], 9, CRITERIA_SHEET),
            num(criteria_points),
            f.exact,
        )
        block = quant + criteria_points
        w.formula(
            r,
            c_block,
            f'IF({status}="ranked",{rel(r, c_quant)}+{rel(r, c_crit)},"")',
            num(block) if ranked else None,
            f.exact,
        )
        write_published(
            w, layout, tender, bid, r, sc.score, c_block, block, sv.score, "social value score"
        )
        if layout.lots:
            w.text(r, sc.lot, bid.lot)
    if layout.lots:
        w.headers(HEADER_ROW, sc.lot, ["lot"])  # SV_max and SVPP_max are per lot: the Lots sheet
    for offset, (name, col, value, fmt) in enumerate(
        (("SV_max", c_total_in, best_total, f.money), ("SVPP_max", c_ratio_in, best_ratio, f.exact))
        if not layout.lots
        else (),
        start=FIRST_ROW,
    ):
        if offset == FIRST_ROW:
            w.headers(HEADER_ROW, sc.reference, ["reference", "value"])
        w.text(offset, sc.reference, name)
        w.formula(offset, sc.reference + 1, f"MAX({cell_range(first, last, col)})", num(value), fmt)
        book.define_name(name, "=" + cell(offset, sc.reference + 1, "SocialValue"))
    excluded_colour(w, first, last, c_id, sc.score, c_status)
    w.sheet.set_column(c_id, c_id, 11)
    w.sheet.set_column(c_id + 1, sc.score, 15)
    w.sheet.set_column(sc.reference, sc.reference + 1, 16)
