"""The SocialValue sheet: each commitment's value, each bid's social value total and score."""

from __future__ import annotations

from fractions import Fraction

import xlsxwriter

from svengine.model.result import Result
from svengine.model.tender import Tender
from svengine.report import formulas
from svengine.report.workbook.layout import (
    P_PRICE,
    Q_STATUS,
    S_ADD,
    S_ADD_PRICE,
    S_BLOCK,
    S_CRIT,
    S_ID,
    S_LOT,
    S_PER_PRICE,
    S_PRICE,
    S_QUANT,
    S_RATIO_IN,
    S_REF,
    S_SCORE,
    S_STATUS,
    S_TOTAL,
    S_TOTAL_IN,
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
from svengine.scoring.social_value import counts_net


def write_social_value_sheet(
    book: xlsxwriter.Workbook, w: Writer, tender: Tender, result: Result, layout: Layout
) -> None:
    f = w.formats
    if counts_net(tender):  # not shown by formula yet: said, never silent (docs/methods-net.md)
        layout.notes.append(
            (
                "",
                "social_value_net",
                "social_value.count is net: this sheet's formulas sum the gross values, so its"
                " social value £, additionality and social value scores are the gross ones; the"
                " evaluation counted the net values (result.json's net_value), which decide",
            )
        )
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
                9,
                f"IF({rel(row, 8)},{rel(row, 7)}*{rel(row, 4)}*{rel(row, 6)},0)",
                num(commitment.value),
                f.money,
            )
            w.wrapped(row, 10, commitment.description, 50)
            rows.append(row)
            row += 1
        layout.commitment_rows[bid_key(bid)] = rows

    w.headers(
        HEADER_ROW,
        S_ID,
        [
            "bidder_id",
            "price",
            "status",
            "social_value_total",
            "additionality_pct",
            "additionality_pct_of_price",
            "social_value_per_price",
            "total_in_competition",
            "per_price_in_competition",
            "quantitative_points",
            "criteria_points",
            "social_value_block",
            "social_value_score",
        ],
    )
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
        total, price = Fraction(sv.total), Fraction(bid.price.amount)
        w.text(r, S_ID, bid.bidder_id)
        w.formula(r, S_PRICE, cell(r, P_PRICE, "Price"), num(price), f.money)
        w.formula(r, S_STATUS, cell(r, Q_STATUS, "Quality"), bid.status)
        status, total_cell = rel(r, S_STATUS), rel(r, S_TOTAL)
        w.formula(
            r, S_TOTAL, sum_rows(layout.commitment_rows[bid_key(bid)], 9), num(total), f.money
        )
        for col, base, published, what in (
            (S_ADD, "ContractValue", sv.additionality_pct, "additionality"),
            (
                S_ADD_PRICE,
                rel(r, S_PRICE),
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
        w.formula(r, S_PER_PRICE, f"{total_cell}/{rel(r, S_PRICE)}", num(total / price), f.exact)
        w.formula(
            r,
            S_TOTAL_IN,
            f'IF({status}="ranked",{total_cell},"")',
            num(total) if ranked else None,
            f.money,
        )
        w.formula(
            r,
            S_RATIO_IN,
            f'IF({status}="ranked",{rel(r, S_PER_PRICE)},"")',
            num(total / price) if ranked else None,
            f.exact,
        )
        quant = (
            Fraction(sv.quantitative_points) if sv.quantitative_points is not None else Fraction(0)
        )
        quant_formula = (
            layout.per_lot(
                formulas.social_value_points(social.method, total_cell, rel(r, S_PER_PRICE)), bid
            )
            if social
            else "0"
        )
        w.formula(
            r,
            S_QUANT,
            f'IF({status}="ranked",{quant_formula},"")',
            num(quant) if ranked else None,
            f.exact,
        )
        criteria_points = sum((Fraction(c.points) for c in sv.criteria), Fraction(0))
        w.formula(
            r,
            S_CRIT,
            sum_rows(layout.quality_rows[bid_key(bid)][1], 9, CRITERIA_SHEET),
            num(criteria_points),
            f.exact,
        )
        block = quant + criteria_points
        w.formula(
            r,
            S_BLOCK,
            f'IF({status}="ranked",{rel(r, S_QUANT)}+{rel(r, S_CRIT)},"")',
            num(block) if ranked else None,
            f.exact,
        )
        write_published(
            w, layout, tender, bid, r, S_SCORE, S_BLOCK, block, sv.score, "social value score"
        )
        if layout.lots:
            w.text(r, S_LOT, bid.lot)
    if layout.lots:
        w.headers(HEADER_ROW, S_LOT, ["lot"])  # SV_max and SVPP_max are per lot: the Lots sheet
    for offset, (name, col, value, fmt) in enumerate(
        (("SV_max", S_TOTAL_IN, best_total, f.money), ("SVPP_max", S_RATIO_IN, best_ratio, f.exact))
        if not layout.lots
        else (),
        start=FIRST_ROW,
    ):
        if offset == FIRST_ROW:
            w.headers(HEADER_ROW, S_REF, ["reference", "value"])
        w.text(offset, S_REF, name)
        w.formula(offset, S_REF + 1, f"MAX({cell_range(first, last, col)})", num(value), fmt)
        book.define_name(name, "=" + cell(offset, S_REF + 1, "SocialValue"))
    excluded_colour(w, first, last, S_ID, S_SCORE, S_STATUS)
    w.sheet.set_column(0, 1, 11)
    w.sheet.set_column(2, 2, 40)
    w.sheet.set_column(3, 3, 14)
    w.sheet.set_column(4, 8, 11)
    w.sheet.set_column(9, 9, 16)
    w.sheet.set_column(10, 10, 50)
    w.sheet.set_column(11, 11, 3)
    w.sheet.set_column(S_ID, S_SCORE, 15)
    w.sheet.set_column(S_REF, S_REF + 1, 16)
