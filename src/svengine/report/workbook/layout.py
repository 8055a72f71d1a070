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
    social: SocialColumns = field(default_factory=lambda: SocialColumns.for_tender(False))
    """The SocialValue sheet's per-bid columns (with `net_value` when the tender reports net values)."""
    refs: dict[str | None, dict[str, str]] = field(default_factory=dict)
    """Where each bid's lot keeps its reference values (lots_sheet.references); the workbook names without lots."""

    @property
    def lots(self) -> bool:
        return None not in self.refs

    def per_lot(self, formula: str, bid: BidResult) -> str:
        """`formula` reading the bid's own lot's P_min, T_best, contract value... (unchanged without lots)."""
        return lots_sheet.per_lot(formula, self.refs[bid.lot]) if self.lots else formula


# Per-bid table columns: Quality, Price, Summary (SocialValue: `SocialColumns`).
Q_ID, Q_STATUS, Q_T, Q_AVAILABLE, Q_REQUIRED, Q_BELOW, Q_T_IN, Q_BLOCK, Q_SCORE = range(9)
Q_REF = 10
P_ID, P_NAME, P_PRICE, P_STATUS, P_REF_PRICE, P_POINTS, P_SCORE = range(7)
P_REF = 8
SOCIAL_FIELDS = (
    "bidder_id",
    "price",
    "status",
    "social_value_total",
    "net_value",
    "additionality_pct",
    "additionality_pct_of_price",
    "social_value_per_price",
    "total_in_competition",
    "per_price_in_competition",
    "quantitative_points",
    "criteria_points",
    "social_value_block",
    "social_value_score",
)
"""The SocialValue sheet's per-bid table, from column A; `net_value` only when the tender reports net values."""


@dataclass(frozen=True)
class SocialColumns:
    """Columns of the SocialValue sheet's per-bid table (`net_value` is there only when net is reported)."""

    fields: tuple[str, ...]
    count_net: bool = False
    """`social_value.count: net`: the net value is scored and counts for additionality."""

    @classmethod
    def for_tender(cls, net: bool, count_net: bool = False) -> SocialColumns:
        return cls(tuple(f for f in SOCIAL_FIELDS if net or f != "net_value"), count_net)

    def __getitem__(self, name: str) -> int:
        return self.fields.index(name)

    @property
    def net(self) -> int | None:
        return self["net_value"] if "net_value" in self.fields else None

    @property
    def counted(self) -> int:
        """The social value £ that is scored: the net value with `count: net`, else the gross total."""
        net = self.net
        return net if self.count_net and net is not None else self["social_value_total"]

    @property
    def score(self) -> int:
        return len(self.fields) - 1

    @property
    def lot(self) -> int:
        """With lots, the bid's lot follows the score."""
        return len(self.fields)

    @property
    def reference(self) -> int:
        """The reference box (SV_max, SVPP_max), one column clear of the table."""
        return len(self.fields) + 1


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
Q_LOT, SUM_LOT = Q_SCORE + 1, SUM_REASON + 1
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
