"""The `Panel` sheet of the evaluation workbook: each evaluator's score and how the score used was reached.

Written only when the scores carry individual evaluators (result.json's `panel` is not null).
One row per bid × panel-scored criterion (the Quality sheet's order): each evaluator's score in a
column of their own (blank where the criterion is not assigned to them), then, as formulas over
those cells, `mean` (AVERAGE), `median` (MEDIAN: of an even count, the mean of the middle two),
`spread` (MAX − MIN), `spread_pct` and `disagreement`; the moderated `consensus` (data), the
tender's `aggregate` rule, and `score`: the mean, median or consensus cell as the rule says. The
Quality sheet's `score` cell of a panel-scored criterion is a reference to this `score` cell, so
an auditor follows each figure from the evaluators to the total. Evaluators' comments and the
rationale are written as text, never formulas.
"""

from __future__ import annotations

from fractions import Fraction

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from svengine.model.result import Result
from svengine.report import formulas
from svengine.report.workbook.writer import FIRST_ROW, HEADER_ROW, Writer

PANEL_SHEET = "Panel"
SPREAD_TOLERANCE = "SpreadTolerancePct"

PanelKey = tuple[str, str, str]
"""(bidder id, block, criterion id)."""


def _a1(row: int, col: int) -> str:
    return str(xl_rowcol_to_cell(row, col))


def _abs(row: int, col: int, sheet: str | None = None) -> str:
    ref = str(xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True))
    return f"{sheet}!{ref}" if sheet else ref


def panel_sheet(
    book: xlsxwriter.Workbook, w: Writer, result: Result, criterion_row: dict[tuple[str, str], int]
) -> dict[PanelKey, str]:
    """Write the Panel sheet; returns the absolute reference of each bid × criterion's `score` cell."""
    panel = result.panel
    assert panel is not None
    f = w.formats
    evaluators = [e.id for e in panel.evaluators]
    n = len(evaluators)
    first_score = 5
    (MEAN, MEDIAN, SPREAD, SPREAD_PCT, DISAGREEMENT, CONSENSUS, AGGREGATE, SCORE, RATIONALE) = (
        range(first_score + n, first_score + n + 9)
    )
    first_comment = RATIONALE + 1
    w.headers(
        HEADER_ROW,
        0,
        ["bidder_id", "bidder_name", "block", "criterion", "max_score"]
        + [f"score {e}" for e in evaluators]
        + [
            "mean",
            "median",
            "spread",
            "spread_pct",
            "disagreement",
            "consensus",
            "aggregate",
            "score",
            "rationale",
        ]
        + [f"comment {e}" for e in evaluators],
    )
    cells: dict[PanelKey, str] = {}
    row = FIRST_ROW
    for bid in result.bids:
        for block, criteria in (
            ("quality", bid.quality.criteria),
            ("social_value", bid.social_value.criteria),
        ):
            for criterion in criteria:
                trail = criterion.panel
                if trail is None:
                    continue
                w.text(row, 0, bid.bidder_id)
                w.wrapped(row, 1, bid.bidder_name, 28)
                w.text(row, 2, block)
                w.text(row, 3, criterion.id)
                w.formula(
                    row,
                    4,
                    _abs(criterion_row[(block, criterion.id)], 5, "Inputs"),
                    float(criterion.max_score),
                    f.number,
                )
                for individual in trail.individual:
                    col = first_score + evaluators.index(individual.evaluator)
                    w.number(row, col, individual.score)
                    w.wrapped(
                        row,
                        first_comment + evaluators.index(individual.evaluator),
                        individual.comment,
                        40,
                    )
                scores = f"{_a1(row, first_score)}:{_a1(row, first_score + n - 1)}"
                spread = Fraction(trail.spread)
                w.formula(row, MEAN, f"AVERAGE({scores})", float(Fraction(trail.mean)), f.exact)
                w.formula(row, MEDIAN, f"MEDIAN({scores})", float(Fraction(trail.median)), f.exact)
                w.formula(row, SPREAD, f"MAX({scores})-MIN({scores})", float(spread), f.number)
                w.formula(
                    row,
                    SPREAD_PCT,
                    f"{_a1(row, SPREAD)}*100/{_a1(row, 4)}",
                    float(Fraction(trail.spread_pct)),
                    f.pct,
                )
                # 9 places first: a spread exactly at the tolerance is not a disagreement, whatever the binary noise.
                w.flag(
                    row,
                    DISAGREEMENT,
                    f"ROUND({_a1(row, SPREAD_PCT)},{formulas.CLEAN_PLACES})>{SPREAD_TOLERANCE}",
                    trail.disagreement,
                )
                w.number(row, CONSENSUS, trail.consensus)
                w.text(row, AGGREGATE, trail.aggregate)
                used = {"mean": MEAN, "median": MEDIAN, "consensus": CONSENSUS}[trail.aggregate]
                w.formula(row, SCORE, _a1(row, used), float(Fraction(criterion.score)), f.exact)
                w.wrapped(row, RATIONALE, trail.rationale, 50)
                cells[(bid.bidder_id, block, criterion.id)] = _abs(row, SCORE, PANEL_SHEET)
                row += 1

    reference = first_comment + n + 1
    w.headers(HEADER_ROW, reference, ["parameter", "value"])
    for offset, (label, value) in enumerate(
        (
            ("aggregate", panel.aggregate),
            ("spread_tolerance_pct", panel.spread_tolerance_pct),
            ("bias_tolerance_pct", panel.bias_tolerance_pct),
            ("min_evaluators", panel.min_evaluators),
        ),
        start=FIRST_ROW,
    ):
        w.text(offset, reference, label)
        if isinstance(value, str):
            w.text(offset, reference + 1, value)
        else:
            w.number(offset, reference + 1, value)
    book.define_name(SPREAD_TOLERANCE, "=" + _abs(FIRST_ROW + 1, reference + 1, PANEL_SHEET))

    w.sheet.set_column(0, 0, 11)
    w.sheet.set_column(1, 1, 28)
    w.sheet.set_column(2, 4, 11)
    w.sheet.set_column(first_score, SCORE, 10)
    w.sheet.set_column(RATIONALE, RATIONALE, 50)
    w.sheet.set_column(first_comment, first_comment + n - 1, 40)
    w.sheet.set_column(reference, reference, 22)
    return cells
