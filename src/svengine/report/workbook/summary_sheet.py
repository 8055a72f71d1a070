"""The Summary sheet: the block scores, total, rank and award of each bid, and the chart."""

from __future__ import annotations

from fractions import Fraction

import xlsxwriter

from svengine.model.result import BidResult, Result, counted_value
from svengine.model.tender import Tender
from svengine.report import formulas
from svengine.report.workbook.layout import (
    FORMULA_RANK_MODELS,
    P_PRICE,
    P_SCORE,
    Q_SCORE,
    Q_STATUS,
    SUM_ADD,
    SUM_AWARD,
    SUM_ID,
    SUM_LOT,
    SUM_NAME,
    SUM_PRICE,
    SUM_QUALITY,
    SUM_RANK,
    SUM_REASON,
    SUM_SIZE,
    SUM_SOCIAL,
    SUM_STATUS,
    SUM_SV_TOTAL,
    SUM_TOTAL,
    SUM_VCSE,
    Layout,
)
from svengine.report.workbook.quality_sheet import CRITERIA_SHEET, DEDUCTION_COL
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
    words,
)
from svengine.scoring.quality import fictitious_price, total_deduction

_MODEL_NOTE = (
    "award model {model}: the rank is the award model's order (docs/award.md), copied from the engine as a value;"
    " the block scores and totals are still formulas"
)
_AWARD_NOTE = (
    "award and award_reason (Summary) are the award rule's decision copied from the engine (places, cut-off ties,"
    " lot limit allocated lot by lot): values, not formulas"
)


_CHART_ON_FIRST_PAGE = 12
"""The chart follows the table on the first page up to this row; below it, a page break comes first."""


_FICTITIOUS_NOTE = (
    "award model fictitious_price: fictitious_price (Summary) = the evaluated price (Price) less the"
    " deductions (Criteria, deduction = money_value × score / max_score); bids rank by it, lowest"
    " first (the rank is copied from the engine); the invoiced price stays the bid's price"
)


def _fictitious(tender: Tender, bid: BidResult) -> Fraction:
    by_id = {c.id: c for c in tender.quality_criteria}
    marks = [(by_id[c.id], c.score) for c in bid.quality.criteria if c.id in by_id]
    return fictitious_price(Fraction(bid.price.evaluated), total_deduction(tender, marks))


def _rank_columns(first: int, last: int, r: int) -> dict[str, tuple[str, str]]:
    """Each ranking figure's column: every bid's values and row r's cell."""
    columns = {
        figure: (cell_range(first, last, col), rel(r, col))
        for figure, col in (
            ("total", SUM_TOTAL),
            ("quality", SUM_QUALITY),
            ("price", SUM_PRICE),
            ("social_value", SUM_SOCIAL),
        )
    }
    columns["price_amount"] = (cell_range(first, last, P_PRICE, "Price"), cell(r, P_PRICE, "Price"))
    return columns


def write_summary_sheet(
    book: xlsxwriter.Workbook, w: Writer, tender: Tender, result: Result, layout: Layout
) -> None:
    f = w.formats
    # With `count: net` the social value £ shown is the net value, the one scored and behind the
    # additionality beside it (docs/methods-net.md); otherwise the gross total.
    counts_net = layout.social.counted != layout.social["social_value_total"]
    w.headers(
        HEADER_ROW,
        0,
        [
            "bidder_id",
            "rank",
            "bidder_name",
            "quality",
            "price",
            "social_value",
            "total",
            "status",
            "social_value_net" if counts_net else "social_value_total",
            "additionality_pct",
            "size",
            "vcse",
            "award",
            "award_reason",
            *(["lot"] if layout.lots else []),
        ],
    )
    formula_ranks = tender.award_rule.model in FORMULA_RANK_MODELS
    fictitious_col = None
    if tender.award_rule.model == "fictitious_price":
        fictitious_col = (SUM_LOT if layout.lots else SUM_REASON) + 1
        w.headers(HEADER_ROW, fictitious_col, ["fictitious_price"])
    first, last = FIRST_ROW, FIRST_ROW + len(result.bids) - 1
    statuses = cell_range(first, last, SUM_STATUS)
    for bid in result.bids:
        r = layout.bid_row[bid_key(bid)]
        w.text(r, SUM_ID, bid.bidder_id)
        w.wrapped(r, SUM_NAME, bid.bidder_name, 38)
        for col, source, value in (
            (SUM_QUALITY, cell(r, Q_SCORE, "Quality"), bid.quality.score),
            (SUM_PRICE, cell(r, P_SCORE, "Price"), bid.price.score),
            (SUM_SOCIAL, cell(r, layout.social.score, "SocialValue"), bid.social_value.score),
        ):
            w.formula(r, col, source, num(value) if value is not None else None, f.score)
        w.formula(r, SUM_STATUS, cell(r, Q_STATUS, "Quality"), bid.status)
        status = rel(r, SUM_STATUS)
        blocks = "+".join(rel(r, c) for c in (SUM_QUALITY, SUM_PRICE, SUM_SOCIAL))
        # The blocks are already rounded; ROUND only removes binary noise from their sum.
        w.formula(
            r,
            SUM_TOTAL,
            f'IF({status}="ranked",ROUND({blocks},{formulas.PLACES}),"")',
            num(bid.total_score) if bid.total_score is not None else None,
            f.score,
        )
        same_lot = (
            f"({cell_range(first, last, SUM_LOT)}={rel(r, SUM_LOT)})" if layout.lots else None
        )
        if formula_ranks:
            # The ranking steps are the engine's own (rules.rank_keys); here only their columns.
            keys = formulas.rank_keys(
                tender.award_rule.model, tender.tie_break, _rank_columns(first, last, r)
            )
            w.formula(r, SUM_RANK, formulas.rank(status, statuses, keys, same_lot), bid.rank)
        elif bid.rank is not None:
            w.number(r, SUM_RANK, bid.rank)  # the award model's order, copied (Issues: award_model)
        w.formula(
            r,
            SUM_SV_TOTAL,
            cell(r, layout.social.counted, "SocialValue"),
            num(counted_value(bid.social_value)),
            f.money,
        )
        w.formula(
            r,
            SUM_ADD,
            cell(r, layout.social["additionality_pct"], "SocialValue"),
            num(bid.social_value.additionality_pct),
            f.pct,
        )
        w.text(r, SUM_SIZE, words(bid.size))
        w.text(r, SUM_VCSE, {True: "Yes", False: "No", None: "Unknown"}[bid.vcse])
        if (
            bid.award is not None
        ):  # the award rule's decision: values, not formulas (docs/workbook.md)
            w.text(r, SUM_AWARD, words(bid.award.outcome))
            w.text(r, SUM_REASON, words(bid.award.reason))
        if layout.lots:
            w.text(r, SUM_LOT, bid.lot)
        if fictitious_col is not None:  # award on value (docs/methods.md): a live formula
            deductions = sum_rows(
                layout.quality_rows[bid_key(bid)][0], DEDUCTION_COL, CRITERIA_SHEET
            )
            w.formula(
                r,
                fictitious_col,
                formulas.fictitious_price(cell(r, P_PRICE, "Price"), deductions),
                num(_fictitious(tender, bid)),
                f.money,
            )
    if fictitious_col is not None:
        layout.notes.append(("", "fictitious_price", _FICTITIOUS_NOTE))
    if not formula_ranks:
        layout.notes.append(("", "award_model", _MODEL_NOTE.format(model=tender.award_rule.model)))
    if (
        tender.lots or tender.award is not None
    ):  # an award rule to apply (otherwise: the ranked bids, best first)
        layout.notes.append(("", "award", _AWARD_NOTE))
    excluded_colour(w, first, last, SUM_ID, SUM_LOT if layout.lots else SUM_REASON, SUM_STATUS)
    w.sheet.set_column(SUM_ID, SUM_RANK, 10)
    w.sheet.set_column(SUM_NAME, SUM_NAME, 38)
    w.sheet.set_column(SUM_QUALITY, SUM_STATUS, 12)
    w.sheet.set_column(SUM_SV_TOTAL, SUM_SV_TOTAL, 18)
    w.sheet.set_column(SUM_ADD, SUM_VCSE, 14)
    w.sheet.set_column(SUM_AWARD, SUM_REASON, 16)
    w.sheet.autofilter(HEADER_ROW, 0, max(last, FIRST_ROW), SUM_LOT if layout.lots else SUM_REASON)

    ranked = sum(1 for b in result.bids if is_ranked(b))
    if ranked:
        chart = book.add_chart({"type": "bar", "subtype": "stacked"})
        for col, colour in (
            (SUM_QUALITY, "#4472C4"),
            (SUM_PRICE, "#ED7D31"),
            (SUM_SOCIAL, "#70AD47"),
        ):
            chart.add_series(
                {
                    "name": ["Summary", HEADER_ROW, col],
                    "categories": ["Summary", first, SUM_NAME, first + ranked - 1, SUM_NAME],
                    "values": ["Summary", first, col, first + ranked - 1, col],
                    "fill": {"color": colour},
                }
            )
        chart.set_title({"name": "Total score by block (ranked bids)"})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis(
            {"min": 0, "max": float(tender.points_total), "major_gridlines": {"visible": True}}
        )
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 900, "height": min(120 + 28 * ranked, 560)})
        # On a page of its own when the table fills the first: never split across two pages.
        chart_row = max(last, FIRST_ROW) + 2
        if chart_row > _CHART_ON_FIRST_PAGE:
            w.sheet.set_h_pagebreaks([chart_row])
        w.sheet.insert_chart(chart_row, 0, chart, {"object_position": 3})
