"""Where things are in the evaluation workbook: each bid's row, the per-bid table columns, and the
rows a formula on one sheet reads on another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from svengine.model.result import BidResult
from svengine.model.tender import Tender
from svengine.report import formulas
from svengine.report.workbook import lots_sheet
from svengine.report.workbook.writer import (
    BidKey,
    Writer,
    num,
    rel,
)


@dataclass
class Layout:
    """Where things are, so that formulas on one sheet can point at cells on another."""

    bid_row: dict[BidKey, int] = field(default_factory=dict)
    """Row of each bid in every per-bid table (the same on every sheet: result order)."""
    criterion_row: dict[tuple[str, str], int] = field(default_factory=dict)
    """Inputs row of each criterion, by (block, id)."""
    measure_row: dict[str, int] = field(default_factory=dict)
    """Inputs row of each measure that a bid offers."""
    quality_rows: dict[BidKey, tuple[list[int], list[int]]] = field(default_factory=dict)
    """Quality sheet rows of each bid's quality criteria and social value criteria."""
    commitment_rows: dict[BidKey, list[int]] = field(default_factory=dict)
    """SocialValue sheet rows of each bid's commitments."""
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    """(bidder, code, message) for the Issues sheet: figures a spreadsheet might round differently."""
    panel_scores: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """The Panel sheet's score cell of each (bidder, block, criterion) a panel scored."""
    refs: dict[str | None, dict[str, str]] = field(default_factory=dict)
    """Where each bid's lot keeps its reference values (lots_sheet.references); the workbook names without lots."""

    @property
    def lots(self) -> bool:
        return None not in self.refs

    def per_lot(self, formula: str, bid: BidResult) -> str:
        """`formula` reading the bid's own lot's P_min, T_best, contract value... (unchanged without lots)."""
        return lots_sheet.per_lot(formula, self.refs[bid.lot]) if self.lots else formula


# Per-bid table columns: Quality, Price, SocialValue (right-hand table), Summary.
Q_ID, Q_STATUS, Q_T, Q_AVAILABLE, Q_REQUIRED, Q_BELOW, Q_T_IN, Q_BLOCK, Q_SCORE = range(9)
Q_REF = 10
P_ID, P_NAME, P_PRICE, P_STATUS, P_REF_PRICE, P_POINTS, P_SCORE = range(7)
P_REF = 8
(
    S_ID,
    S_PRICE,
    S_STATUS,
    S_TOTAL,
    S_ADD,
    S_ADD_PRICE,
    S_PER_PRICE,
    S_TOTAL_IN,
    S_RATIO_IN,
    S_QUANT,
    S_CRIT,
    S_BLOCK,
    S_SCORE,
) = range(12, 25)
S_REF = 26
(
    SUM_ID,
    SUM_RANK,
    SUM_NAME,
    SUM_QUALITY,
    SUM_PRICE,
    SUM_SOCIAL,
    SUM_TOTAL,
    SUM_STATUS,
    SUM_SV_TOTAL,
    SUM_ADD,
    SUM_SIZE,
    SUM_VCSE,
    SUM_AWARD,
    SUM_REASON,
) = range(14)
# With lots, each per-bid table ends with the bid's `lot` (no column before it moves); the
# reference boxes give way to the Lots sheet.
Q_LOT, S_LOT, SUM_LOT = Q_SCORE + 1, S_SCORE + 1, SUM_REASON + 1
FORMULA_RANK_MODELS = ("weighted", "fixed_price")
"""Award models whose rank is a formula (by total); the others' ranks are copied from the engine (Issues says so)."""


def write_published(
    w: Writer,
    layout: Layout,
    tender: Tender,
    bid: BidResult,
    row: int,
    col: int,
    source_col: int,
    exact: Fraction,
    published: Decimal | None,
    what: str,
) -> None:
    """A published figure: the unrounded cell rounded as declared, blank for an excluded bid."""
    source = rel(row, source_col)
    rounding = formulas.declared_rounding(source, tender.rounding.mode)
    w.formula(
        row,
        col,
        f'IF({source}="","",{rounding})',
        num(published) if published is not None else None,
        w.formats.score,
    )
    if published is not None:
        note_rounding(layout, tender, bid, exact, published, what)


def note_rounding(
    layout: Layout, tender: Tender, bid: BidResult, exact: Fraction, published: Decimal, what: str
) -> None:
    places, mode = tender.rounding.places, tender.rounding.mode
    if not formulas.spreadsheet_agrees(exact, places, mode):
        layout.notes.append(
            (
                bid.bidder_id,
                "spreadsheet_rounding",
                f"the {what} {published} lies within 0.0000000005 of a rounding boundary; a spreadsheet"
                f" recalculating this workbook rounds to {formulas.CLEAN_PLACES} places first and may show a"
                f" different last digit (result.json and the cached value are exact)",
            )
        )
