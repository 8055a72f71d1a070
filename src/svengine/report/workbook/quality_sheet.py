"""The Quality sheet (each bid's T, its status and quality score) and the Criteria sheet (each criterion's points)."""

from __future__ import annotations

from fractions import Fraction

import xlsxwriter

from svengine.model.result import BidResult, ReferenceValues, Result
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.report import formulas
from svengine.report.workbook.layout import (
    Q_AVAILABLE,
    Q_BELOW,
    Q_BLOCK,
    Q_ID,
    Q_LOT,
    Q_REF,
    Q_REQUIRED,
    Q_SCORE,
    Q_STATUS,
    Q_T,
    Q_T_IN,
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
    sum_rows,
    words,
)
from svengine.scoring.award import DECIDED_EXCLUSIONS
from svengine.scoring.quality import deduction, quality_block_points

DEDUCTION_COL = 12
"""fictitious_price: each quality criterion's deduction (Criteria sheet), money_value × score / max_score."""

CRITERIA_SHEET = "Criteria"
"""The sheet of one row per bid and criterion (quality, then social value criteria): a table of its own, for print."""


def write_quality_sheet(
    book: xlsxwriter.Workbook,
    w: Writer,
    criteria_writer: Writer,
    tender: Tender,
    result: Result,
    layout: Layout,
) -> None:
    _write_criteria(criteria_writer, tender, result, layout)
    _write_bids(book, w, tender, result, layout)


def _write_criteria(w: Writer, tender: Tender, result: Result, layout: Layout) -> None:
    """The Criteria sheet: each bid's score and points on each criterion."""
    f = w.formats
    w.headers(
        HEADER_ROW,
        0,
        [
            "bidder_id",
            "bidder_name",
            "block",
            "criterion",
            "title",
            "weight_points",
            "max_score",
            "min_score",
            "score",
            "points",
            "below_min_score",
            "comment",
        ],
    )
    by_id = {c.id: c for c in tender.quality_criteria}
    money_values = (
        {c.id: c.money_value for c in tender.quality_criteria if c.money_value is not None}
        if tender.award_rule.model == "fictitious_price"
        else {}
    )
    if money_values:
        w.headers(HEADER_ROW, DEDUCTION_COL, ["deduction"])
    row = FIRST_ROW
    for bid in result.bids:
        rows: tuple[list[int], list[int]] = ([], [])
        for block, criteria, target in (
            ("quality", bid.quality.criteria, rows[0]),
            ("social_value", bid.social_value.criteria, rows[1]),
        ):
            for criterion in criteria:
                source = layout.criterion_row[(block, criterion.id)]
                w.text(row, 0, bid.bidder_id)
                w.wrapped(row, 1, bid.bidder_name, 30)
                w.text(row, 2, words(block))
                w.text(row, 3, criterion.id)
                w.wrapped(row, 4, criterion.title, 36)
                w.formula(row, 5, cell(source, 4, "Inputs"), num(criterion.weight), f.number)
                w.formula(row, 6, cell(source, 5, "Inputs"), num(criterion.max_score), f.number)
                if criterion.min_score is not None:
                    w.formula(row, 7, cell(source, 6, "Inputs"), num(criterion.min_score), f.number)
                panel_score = layout.panel_scores.get((bid.bidder_id, block, criterion.id))
                if panel_score is not None:
                    # the panel's mean, median or consensus, worked on the Panel sheet
                    w.formula(row, 8, panel_score, float(criterion.score), f.number)
                elif isinstance(criterion.score, Fraction):
                    # a panel mean that does not terminate (11/3): kept exact as a formula, never rounded
                    w.formula(
                        row,
                        8,
                        f"{criterion.score.numerator}/{criterion.score.denominator}",
                        float(criterion.score),
                        f.number,
                    )
                else:
                    w.number(row, 8, criterion.score)
                w.formula(
                    row,
                    9,
                    f"{rel(row, 5)}*{rel(row, 8)}/{rel(row, 6)}",
                    num(Fraction(criterion.points)),
                    f.exact,
                )
                below = criterion.min_score is not None and criterion.score < criterion.min_score
                w.flag(row, 10, f"AND(ISNUMBER({rel(row, 7)}),{rel(row, 8)}<{rel(row, 7)})", below)
                w.wrapped(row, 11, criterion.comment, 50)
                money = money_values.get(criterion.id) if block == "quality" else None
                if money is not None:  # fictitious_price: what the mark is worth (docs/methods.md)
                    w.formula(
                        row,
                        DEDUCTION_COL,
                        formulas.deduction(decimal_text(money), rel(row, 8), rel(row, 6)),
                        num(deduction(tender, by_id[criterion.id], criterion.score)),
                        f.money,
                    )
                target.append(row)
                row += 1
        layout.quality_rows[bid_key(bid)] = rows
    w.sheet.set_column(0, 0, 11)
    w.sheet.set_column(1, 1, 30)
    w.sheet.set_column(2, 3, 12)
    w.sheet.set_column(4, 4, 36)
    w.sheet.set_column(5, 10, 11)
    w.sheet.set_column(11, 11, 50)


def _write_bids(
    book: xlsxwriter.Workbook, w: Writer, tender: Tender, result: Result, layout: Layout
) -> None:
    """The Quality sheet: each bid's quality points (from the Criteria sheet), status and score."""
    f = w.formats
    w.headers(
        HEADER_ROW,
        Q_ID,
        [
            "bidder_id",
            "status",
            "quality_points",
            "available",
            "required",
            "below_min_score",
            "points_in_competition",
            "quality_block",
            "quality_score",
        ],
    )
    quality = tender.quality
    min_pct = quality.min_total_pct if quality is not None and quality.criteria else None
    first, last = FIRST_ROW, FIRST_ROW + len(result.bids) - 1
    for bid in result.bids:
        r = layout.bid_row[bid_key(bid)]
        best_text = _reference(result, bid).best_quality_points
        best = Fraction(best_text) if best_text else None
        quality_rows, social_rows = layout.quality_rows[bid_key(bid)]
        points = Fraction(bid.quality.points)
        w.text(r, Q_ID, bid.bidder_id)
        w.formula(r, Q_T, sum_rows(quality_rows, 9, CRITERIA_SHEET), num(points), f.exact)
        w.formula(
            r,
            Q_AVAILABLE,
            sum_rows(quality_rows, 5, CRITERIA_SHEET),
            num(bid.quality.available),
            f.number,
        )
        checks = []
        if min_pct is not None:
            required = Fraction(bid.quality.available) * Fraction(min_pct) / 100
            w.formula(
                r, Q_REQUIRED, f"{rel(r, Q_AVAILABLE)}*MinTotalPct/100", num(required), f.exact
            )
            checks.append(
                f"ROUND({rel(r, Q_T)},{formulas.CLEAN_PLACES})<ROUND({rel(r, Q_REQUIRED)},{formulas.CLEAN_PLACES})"
            )
        all_rows = quality_rows + social_rows
        # A bid's criteria rows are contiguous: quality, then social value.
        below_cells = (
            f"{CRITERIA_SHEET}!{rel(all_rows[0], 10)}:{rel(all_rows[-1], 10)}" if all_rows else ""
        )
        below = any(
            c.min_score is not None and c.score < c.min_score
            for c in (*bid.quality.criteria, *bid.social_value.criteria)
        )
        w.flag(r, Q_BELOW, f"OR({below_cells})" if all_rows else "FALSE()", below)
        checks.insert(0, rel(r, Q_BELOW))
        if any(e.code in DECIDED_EXCLUSIONS for e in bid.exclusions):
            checks.append(
                "TRUE()"
            )  # excluded by a decision or a failed gate, not a formula: the Issues sheet says why
        w.formula(r, Q_STATUS, f'IF(OR({",".join(checks)}),"excluded","ranked")', bid.status)
        status = rel(r, Q_STATUS)
        w.formula(
            r,
            Q_T_IN,
            f'IF({status}="ranked",{rel(r, Q_T)},"")',
            num(points) if is_ranked(bid) else None,
            f.exact,
        )
        if quality is None:
            block_formula, block_value = "0", Fraction(0)
        elif quality.method == "absolute":
            block_formula, block_value = rel(r, Q_T), points
        else:
            block_formula = layout.per_lot(
                formulas.quality_points(quality.method, rel(r, Q_T)), bid
            )
            block_value = quality_block_points(
                tender, Fraction(tender.weights.quality), points, best
            )
        w.formula(
            r,
            Q_BLOCK,
            f'IF({status}="ranked",{block_formula},"")',
            num(block_value) if is_ranked(bid) else None,
            f.exact,
        )
        write_published(
            w,
            layout,
            tender,
            bid,
            r,
            Q_SCORE,
            Q_BLOCK,
            block_value,
            bid.quality.score,
            "quality score",
        )
        if layout.lots:
            w.text(r, Q_LOT, bid.lot)
    if layout.lots:
        w.headers(HEADER_ROW, Q_LOT, ["lot"])  # T_best is per lot: the Lots sheet
    else:
        best_text = result.reference.best_quality_points
        w.headers(HEADER_ROW, Q_REF, ["reference", "value"])
        w.text(FIRST_ROW, Q_REF, "T_best")
        w.formula(
            FIRST_ROW,
            Q_REF + 1,
            f"MAX({cell_range(first, last, Q_T_IN)})",
            num(Fraction(best_text) if best_text else 0),
            f.exact,
        )
        book.define_name("T_best", "=" + cell(FIRST_ROW, Q_REF + 1, "Quality"))
    excluded_colour(w, first, last, Q_ID, Q_SCORE, Q_STATUS)
    w.sheet.set_column(Q_ID, Q_SCORE, 13)
    w.sheet.set_column(Q_REF, Q_REF + 1, 13)


def _reference(result: Result, bid: BidResult) -> ReferenceValues:
    """The reference values of the bid's competition: its lot's, or the tender's."""
    if bid.lot is not None and result.lots is not None:
        return next(lot.reference for lot in result.lots if lot.id == bid.lot)
    return result.reference
