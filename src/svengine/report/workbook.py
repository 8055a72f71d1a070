"""The evaluation workbook (`report.xlsx`): every derived figure a live formula, cached at the engine's value.

Sheets: Summary, Quality, (Panel,) Price, SocialValue, Inputs, Issues, Audit (layout in docs/workbook.md).
Data cells hold what the tender, the bids and the panel gave; everything computed from them is an
Excel formula over those cells and the named parameters of the Inputs sheet, so an auditor can
follow each figure cell by cell and a spreadsheet recalculates the engine's published numbers.
Each formula also carries the engine's own value as its cached result, so the file reads right
even in a program that does not recalculate.

Text that came from bidders, evaluators or the buyer is always written as text, never as a
formula (OWASP ASVS 1.2.10). Document properties are fixed, so equal inputs give equal bytes.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from svengine.checks import quantitative_weight
from svengine.io.digests import AuditTrail
from svengine.io.output import write_atomic
from svengine.model.result import BidResult, ReferenceValues, Result
from svengine.model.tender import Tender
from svengine.report import cell_limit, formulas, lots_sheet, panel_sheet, price_working
from svengine.scoring.award import DECIDED_EXCLUSIONS
from svengine.scoring.price import price_points
from svengine.scoring.quality import quality_block_points
from svengine.version import __version__

SHEETS = ("Summary", "Quality", "Price", "SocialValue", "Inputs", "Issues", "Audit")
FIXED_CREATED = datetime(2000, 1, 1, tzinfo=UTC)
"""Document creation time: fixed, so that the same inputs give a byte-identical workbook."""

_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")

Cached = float | str | bool


def _num(value: Fraction | Decimal | int) -> float:
    """A cached value: the nearest binary float to the engine's exact figure."""
    return float(value)


BidKey = tuple[str | None, str]


def _key(bid: BidResult) -> BidKey:
    """A bid is (lot, bidder id): with lots one bidder may have a row in each lot."""
    return (bid.lot, bid.bidder_id)


def _ranked(bid: BidResult) -> bool:
    return bid.status == "ranked"


@functools.cache
def _column(col: int) -> str:
    """Column letters (a handful of columns, each named hundreds of thousands of times for 5,000 bids)."""
    return str(xl_col_to_name(col))


def _cell(row: int, col: int, sheet: str | None = None) -> str:
    ref = f"${_column(col)}${row + 1}"  # as xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)
    return f"{sheet}!{ref}" if sheet else ref


def _rel(row: int, col: int) -> str:
    return f"{_column(col)}{row + 1}"  # as xl_rowcol_to_cell(row, col)


def _range(first: int, last: int, col: int, sheet: str | None = None) -> str:
    ref = f"{_cell(first, col)}:{_cell(last, col)}"
    return f"{sheet}!{ref}" if sheet else ref


@dataclass
class _Formats:
    header: Format
    text: Format
    risky_text: Format
    money: Format
    proxy: Format
    score: Format
    exact: Format
    pct: Format
    number: Format
    excluded: Format
    title: Format


def _formats(book: xlsxwriter.Workbook, tender: Tender) -> _Formats:
    currency = "".join(ch for ch in tender.currency if ch.isalnum())
    symbol = _CURRENCY_SYMBOLS.get(currency)
    money = f'"{symbol}"#,##0.00' if symbol else f'#,##0.00 "{currency}"'
    proxy = f'"{symbol}"#,##0.00####' if symbol else f'#,##0.00#### "{currency}"'
    places = tender.rounding.places
    score = "0." + "0" * places if places else "0"
    return _Formats(
        header=book.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "bottom": 1, "text_wrap": True, "valign": "top"}
        ),
        text=book.add_format({}),
        risky_text=book.add_format({"quote_prefix": True}),
        money=book.add_format({"num_format": money}),
        proxy=book.add_format({"num_format": proxy}),
        score=book.add_format({"num_format": score}),
        exact=book.add_format({"num_format": "0.000000"}),
        pct=book.add_format({"num_format": score + '"%"'}),
        number=book.add_format({"num_format": "#,##0.######"}),
        excluded=book.add_format({"bg_color": "#F4CCCC", "font_color": "#7F0000"}),
        title=book.add_format({"bold": True}),
    )


@dataclass
class _Writer:
    """Writes cells the safe way: text as text, formulas with their cached values."""

    sheet: Worksheet
    formats: _Formats

    def text(self, row: int, col: int, value: str | None, fmt: Format | None = None) -> None:
        if value is None or value == "":
            return
        cell_limit.check(self.sheet.name, row, col, value)  # over 32,767 characters: on Issues
        risky = value.startswith(_RISKY_START)
        self.sheet.write_string(
            row, col, value, self.formats.risky_text if risky else (fmt or self.formats.text)
        )

    def number(
        self, row: int, col: int, value: Decimal | int | None, fmt: Format | None = None
    ) -> None:
        if value is None:
            return
        self.sheet.write_number(row, col, float(value), fmt or self.formats.number)

    def boolean(self, row: int, col: int, value: bool) -> None:
        self.sheet.write_boolean(row, col, value)

    def formula(
        self, row: int, col: int, formula: str, value: Cached | None, fmt: Format | None = None
    ) -> None:
        self.sheet.write_formula(row, col, "=" + formula, fmt, "" if value is None else value)

    def headers(self, row: int, col: int, names: Sequence[str]) -> None:
        for offset, name in enumerate(names):
            self.sheet.write_string(row, col + offset, name, self.formats.header)


@dataclass
class _Layout:
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


# Per-bid table columns: Quality (right-hand table), Price, SocialValue (right-hand table), Summary.
Q_ID, Q_STATUS, Q_T, Q_AVAILABLE, Q_REQUIRED, Q_BELOW, Q_T_IN, Q_BLOCK, Q_SCORE = range(13, 22)
Q_REF = 23
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


def workbook_bytes(tender: Tender, result: Result, audit: AuditTrail | None = None) -> bytes:
    """The evaluation workbook for `result` (evaluated from `tender`), as the bytes of an .xlsx file."""
    cut = cell_limit.watch()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties(
        {
            "title": f"Evaluation of {tender.id}",
            "subject": tender.title,
            "author": f"svengine {__version__}",
            "comments": "Generated by svengine evaluate; every derived figure is a formula.",
            "created": FIXED_CREATED,
        }
    )
    book.set_calc_mode("auto")
    formats = _formats(book, tender)
    names = list(SHEETS)
    if result.panel is not None:  # individual evaluators' scores: the Panel sheet follows Quality
        names.insert(names.index("Quality") + 1, panel_sheet.PANEL_SHEET)
    if tender.lots:  # each lot's reference values, right after the Summary
        names.insert(names.index("Summary") + 1, lots_sheet.LOTS_SHEET)
    sheets = {name: book.add_worksheet(name) for name in names}
    layout = _Layout(
        bid_row={_key(bid): index + 1 for index, bid in enumerate(result.bids)},
        refs=lots_sheet.references(tender),
    )
    _inputs_sheet(book, _Writer(sheets["Inputs"], formats), tender, result, layout)
    if result.panel is not None:
        layout.panel_scores = panel_sheet.panel_sheet(
            book, _Writer(sheets[panel_sheet.PANEL_SHEET], formats), result, layout.criterion_row
        )
    _quality_sheet(book, _Writer(sheets["Quality"], formats), tender, result, layout)
    _price_sheet(book, _Writer(sheets["Price"], formats), tender, result, layout)
    _social_value_sheet(book, _Writer(sheets["SocialValue"], formats), tender, result, layout)
    _summary_sheet(book, _Writer(sheets["Summary"], formats), tender, result, layout)
    if tender.lots:
        first, last = 1, max(len(result.bids), 1)
        lots_sheet.write_lots_sheet(
            _Writer(sheets[lots_sheet.LOTS_SHEET], formats),
            tender,
            result,
            lots_sheet.Tables(
                lot=lots_sheet.Column("Quality", Q_LOT, first, last),
                status=lots_sheet.Column("Quality", Q_STATUS, first, last),
                price=lots_sheet.Column("Price", P_PRICE, first, last),
                quality_points=lots_sheet.Column("Quality", Q_T, first, last),
                social_value_total=lots_sheet.Column("SocialValue", S_TOTAL, first, last),
                social_value_per_price=lots_sheet.Column("SocialValue", S_PER_PRICE, first, last),
            ),
        )
        layout.notes += [("", "lots", message) for message in _lot_notes(tender)]
    layout.notes += cell_limit.notes(cut)
    _issues_sheet(_Writer(sheets["Issues"], formats), result, layout)
    _audit_sheet(_Writer(sheets["Audit"], formats), tender, audit)
    sheets["Summary"].activate()
    book.close()
    return buffer.getvalue()


def write_workbook(
    path: str | os.PathLike[str],
    tender: Tender,
    result: Result,
    audit: AuditTrail | None = None,
    force: bool = False,
) -> None:
    """Write the workbook atomically; an existing file is replaced only with `force`."""
    write_atomic(Path(path), workbook_bytes(tender, result, audit), force=force)


# -- Inputs ------------------------------------------------------------------------------------


def _inputs_sheet(
    book: xlsxwriter.Workbook, w: _Writer, tender: Tender, result: Result, layout: _Layout
) -> None:
    f = w.formats
    quality, price, social = tender.quality, tender.price, tender.social_value
    w.headers(0, 0, ["parameter", "value", "meaning"])
    params: list[tuple[str, str | None, Any, Format | None, str]] = [
        # (parameter, workbook name, value, format, meaning)
        ("tender_id", None, tender.id, None, "the tender"),
        ("tender_title", None, tender.title, None, ""),
        ("currency", None, tender.currency, None, "ISO 4217"),
        (
            "contract_value",
            "ContractValue",
            tender.contract_value,
            f.money,
            "the base of additionality",
        ),
        (
            "duration_years",
            None,
            tender.duration_years,
            None,
            "contract term; longer commitments are flagged",
        ),
        (
            "weight_quality",
            "W_quality",
            tender.weights.quality,
            f.number,
            "points of 100 for quality",
        ),
        ("weight_price", "W_price", tender.weights.price, f.number, "points of 100 for price"),
        (
            "weight_social_value",
            "W_social_value",
            tender.weights.social_value,
            f.number,
            "points of 100 for social value",
        ),
        (
            "quality_method",
            None,
            quality.method if quality else None,
            None,
            "absolute: T; relative_to_best: W_quality × T / T_best",
        ),
        (
            "quality_scale_max",
            None,
            tender.scale_max,
            f.number,
            "default maximum score of a criterion",
        ),
        (
            "quality_min_total_pct",
            "MinTotalPct",
            quality.min_total_pct if quality else None,
            f.number,
            "excluded below this % of the quality points available",
        ),
        (
            "quality_weights_basis",
            None,
            quality.weights_basis if quality else None,
            None,
            "points, or percent_of_block (weight points = W_quality × weight / 100)",
        ),
        ("price_method", None, price.method, None, _PRICE_MEANING[price.method]),
        (
            "price_ceiling",
            "Price_ceiling",
            price.ceiling,
            f.money,
            "reference_linear: 0 points at or above",
        ),
        (
            "price_floor",
            "Price_floor",
            price.floor,
            f.money,
            "reference_linear: full points at or below",
        ),
        (
            "social_value_method",
            None,
            social.method if social else None,
            None,
            _SV_MEANING[social.method] if social else "",
        ),
        (
            "social_value_target_pct",
            "TargetPct",
            social.target_pct if social else None,
            f.number,
            "target: additionality % for full points",
        ),
        (
            "social_value_quantitative_weight",
            "W_sv_quant",
            None,
            f.number,
            "points for the £ part of social value",
        ),
        (
            "social_value_measures",
            None,
            ", ".join(social.measures) if social and social.measures is not None else None,
            None,
            "only these measures count (blank: all)",
        ),
        (
            "measure_library",
            None,
            _library_name(tender),
            None,
            "proxy values come from this library",
        ),
        (
            "rounding_places",
            "Places",
            tender.rounding.places,
            None,
            "decimal places of published figures",
        ),
        (
            "rounding_mode",
            None,
            tender.rounding.mode,
            None,
            _ROUNDING_MEANING[tender.rounding.mode],
        ),
        (
            "tie_break",
            None,
            ", ".join(tender.tie_break) or None,
            None,
            "after the total, in this order (lowest_price: lower price wins)",
        ),
        (
            "supplier_size_rule",
            None,
            tender.supplier_size.rule,
            None,
            "the SME definition used for the size column",
        ),
    ]
    for index, (label, name, value, fmt, meaning) in enumerate(params, start=1):
        w.text(index, 0, label)
        if label == "social_value_quantitative_weight":
            if social is not None and social.quantitative_weight is None:
                # Not declared: the whole social value weight (criteria require it to be declared).
                w.formula(index, 1, "W_social_value", _num(quantitative_weight(tender)), fmt)
            else:
                w.number(index, 1, quantitative_weight(tender), fmt)
        elif isinstance(value, str):
            w.text(index, 1, value)
        elif value is not None:
            w.number(index, 1, value, fmt)
        w.text(index, 2, meaning)
        if name:
            book.define_name(name, "=" + _cell(index, 1, "Inputs"))

    row = len(params) + 2
    w.sheet.write_string(row, 0, "Criteria", f.title)
    w.headers(
        row + 1,
        0,
        ["criterion", "block", "title", "weight", "weight_points", "max_score", "min_score"],
    )
    row += 2
    blocks = [("quality", c) for c in tender.quality_criteria] + [
        ("social_value", c) for c in tender.social_value_criteria
    ]
    percent = quality is not None and quality.weights_basis == "percent_of_block"
    for block, criterion in blocks:
        w.text(row, 0, criterion.id)
        w.text(row, 1, block)
        w.text(row, 2, criterion.title)
        w.number(row, 3, criterion.weight)
        if block == "quality" and percent:
            points = Fraction(tender.weights.quality) * Fraction(criterion.weight) / 100
            w.formula(row, 4, f"W_quality*{_rel(row, 3)}/100", _num(points), f.number)
        else:
            w.formula(row, 4, _rel(row, 3), _num(criterion.weight), f.number)
        w.number(row, 5, tender.max_score(criterion))
        w.number(row, 6, criterion.min_score)
        layout.criterion_row[(block, criterion.id)] = row
        row += 1

    row += 1
    w.sheet.write_string(row, 0, "Measures offered", f.title)
    w.headers(
        row + 1,
        0,
        [
            "measure",
            "title",
            "unit",
            "theme",
            "proxy_value",
            "basis",
            "first_year_only",
            "record_only",
            "counted",
        ],
    )
    row += 2
    library = tender.measure_library
    offered = sorted({c.measure for bid in result.bids for c in bid.social_value.commitments})
    allowed = set(social.measures) if social is not None and social.measures is not None else None
    for measure_id in offered:
        assert library is not None
        measure = library.by_id[measure_id]
        w.text(row, 0, measure.id)
        w.text(row, 1, measure.title)
        w.text(row, 2, measure.unit)
        w.text(row, 3, measure.theme)
        w.number(row, 4, measure.proxy_value if not measure.record_only else None, f.proxy)
        w.text(row, 5, measure.basis)
        w.boolean(row, 6, measure.first_year_only)
        w.boolean(row, 7, measure.record_only)
        w.boolean(row, 8, allowed is None or measure.id in allowed)
        layout.measure_row[measure.id] = row
        row += 1

    w.sheet.freeze_panes(1, 1)
    w.sheet.set_column(0, 0, 34)
    w.sheet.set_column(1, 1, 22)
    w.sheet.set_column(2, 2, 60)
    w.sheet.set_column(3, 8, 14)


_PRICE_MEANING = {
    "lowest_relative": "W_price × P_min / price",
    "min_max_linear": "W_price × (P_max − price) / (P_max − P_min); all equal: W_price",
    "proportional_deviation": "W_price × max(0, 1 − (price − P_min) / P_min)",
    "reference_linear": "W_price × clamp((ceiling − price) / (ceiling − floor), 0, 1)",
}
_SV_MEANING = {
    "relative_to_highest": "W_sv_quant × SV / SV_max",
    "relative_to_highest_ratio": "W_sv_quant × (SV / price) / max(SV / price)",
    "target": "W_sv_quant × min(additionality / target_pct, 1)",
}
_ROUNDING_MEANING = {
    "half_up": "halves away from zero (ROUND)",
    "half_even": "halves to the even neighbour (spelt out: Excel has no function for it)",
    "down": "towards zero (ROUNDDOWN)",
}


def _library_name(tender: Tender) -> str | None:
    library = tender.measure_library
    return f"{library.id} {library.version}" if library is not None else None


# -- Quality -----------------------------------------------------------------------------------


def _quality_sheet(
    book: xlsxwriter.Workbook, w: _Writer, tender: Tender, result: Result, layout: _Layout
) -> None:
    f = w.formats
    w.headers(
        0,
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
    row = 1
    for bid in result.bids:
        rows: tuple[list[int], list[int]] = ([], [])
        for block, criteria, target in (
            ("quality", bid.quality.criteria, rows[0]),
            ("social_value", bid.social_value.criteria, rows[1]),
        ):
            for criterion in criteria:
                source = layout.criterion_row[(block, criterion.id)]
                w.text(row, 0, bid.bidder_id)
                w.text(row, 1, bid.bidder_name)
                w.text(row, 2, block)
                w.text(row, 3, criterion.id)
                w.text(row, 4, criterion.title)
                w.formula(row, 5, _cell(source, 4, "Inputs"), _num(criterion.weight), f.number)
                w.formula(row, 6, _cell(source, 5, "Inputs"), _num(criterion.max_score), f.number)
                if criterion.min_score is not None:
                    w.formula(
                        row, 7, _cell(source, 6, "Inputs"), _num(criterion.min_score), f.number
                    )
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
                    f"{_rel(row, 5)}*{_rel(row, 8)}/{_rel(row, 6)}",
                    _num(Fraction(criterion.points)),
                    f.exact,
                )
                below = criterion.min_score is not None and criterion.score < criterion.min_score
                w.formula(
                    row, 10, f"AND(ISNUMBER({_rel(row, 7)}),{_rel(row, 8)}<{_rel(row, 7)})", below
                )
                w.text(row, 11, criterion.comment)
                target.append(row)
                row += 1
        layout.quality_rows[_key(bid)] = rows

    w.headers(
        0,
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
    first, last = 1, len(result.bids)
    for bid in result.bids:
        r = layout.bid_row[_key(bid)]
        best_text = _reference(result, bid).best_quality_points
        best = Fraction(best_text) if best_text else None
        quality_rows, social_rows = layout.quality_rows[_key(bid)]
        points = Fraction(bid.quality.points)
        w.text(r, Q_ID, bid.bidder_id)
        w.formula(r, Q_T, _sum(quality_rows, 9), _num(points), f.exact)
        w.formula(r, Q_AVAILABLE, _sum(quality_rows, 5), _num(bid.quality.available), f.number)
        checks = []
        if min_pct is not None:
            required = Fraction(bid.quality.available) * Fraction(min_pct) / 100
            w.formula(
                r, Q_REQUIRED, f"{_rel(r, Q_AVAILABLE)}*MinTotalPct/100", _num(required), f.exact
            )
            checks.append(
                f"ROUND({_rel(r, Q_T)},{formulas.CLEAN_PLACES})<ROUND({_rel(r, Q_REQUIRED)},{formulas.CLEAN_PLACES})"
            )
        all_rows = quality_rows + social_rows
        below_cells = ",".join(_rel(x, 10) for x in all_rows)
        below = any(
            c.min_score is not None and c.score < c.min_score
            for c in (*bid.quality.criteria, *bid.social_value.criteria)
        )
        w.formula(r, Q_BELOW, f"OR({below_cells})" if all_rows else "FALSE()", below)
        checks.insert(0, _rel(r, Q_BELOW))
        if any(e.code in DECIDED_EXCLUSIONS for e in bid.exclusions):
            checks.append(
                "TRUE()"
            )  # excluded by a decision or a failed gate, not a formula: the Issues sheet says why
        w.formula(r, Q_STATUS, f'IF(OR({",".join(checks)}),"excluded","ranked")', bid.status)
        status = _rel(r, Q_STATUS)
        w.formula(
            r,
            Q_T_IN,
            f'IF({status}="ranked",{_rel(r, Q_T)},"")',
            _num(points) if _ranked(bid) else None,
            f.exact,
        )
        if quality is None:
            block_formula, block_value = "0", Fraction(0)
        elif quality.method == "absolute":
            block_formula, block_value = _rel(r, Q_T), points
        else:
            block_formula = layout.per_lot(
                formulas.quality_points(quality.method, _rel(r, Q_T)), bid
            )
            block_value = quality_block_points(
                tender, Fraction(tender.weights.quality), points, best
            )
        w.formula(
            r,
            Q_BLOCK,
            f'IF({status}="ranked",{block_formula},"")',
            _num(block_value) if _ranked(bid) else None,
            f.exact,
        )
        _published(
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
        w.headers(0, Q_LOT, ["lot"])  # T_best is per lot: the Lots sheet
    else:
        best_text = result.reference.best_quality_points
        w.text(0, Q_REF, "reference")
        w.sheet.write_string(0, Q_REF + 1, "value", f.header)
        w.text(1, Q_REF, "T_best")
        w.formula(
            1,
            Q_REF + 1,
            f"MAX({_range(first, last, Q_T_IN)})",
            _num(Fraction(best_text) if best_text else 0),
            f.exact,
        )
        book.define_name("T_best", "=" + _cell(1, Q_REF + 1, "Quality"))
    _excluded_colour(w, first, last, Q_ID, Q_SCORE, Q_STATUS)
    w.sheet.freeze_panes(1, 1)
    w.sheet.set_column(0, 0, 11)
    w.sheet.set_column(1, 1, 30)
    w.sheet.set_column(2, 3, 12)
    w.sheet.set_column(4, 4, 36)
    w.sheet.set_column(5, 10, 11)
    w.sheet.set_column(11, 11, 50)
    w.sheet.set_column(12, 12, 3)
    w.sheet.set_column(Q_ID, Q_SCORE, 13)
    w.sheet.set_column(Q_REF, Q_REF + 1, 13)


def _reference(result: Result, bid: BidResult) -> ReferenceValues:
    """The reference values of the bid's competition: its lot's, or the tender's."""
    if bid.lot is not None and result.lots is not None:
        return next(lot.reference for lot in result.lots if lot.id == bid.lot)
    return result.reference


_MODEL_NOTE = (
    "award model {model}: the rank is the award model's order (docs/award.md), copied from the engine as a value;"
    " the block scores and totals are still formulas"
)
_AWARD_NOTE = (
    "award and award_reason (Summary) are the award rule's decision copied from the engine (places, cut-off ties,"
    " lot limit allocated lot by lot): values, not formulas"
)


def _lot_notes(tender: Tender) -> list[str]:
    return [
        f"lots {pair} differ only in case; a spreadsheet compares text without case, so its per-lot figures for them are"
        " not the engine's (result.json is)"
        for pair in lots_sheet.case_clashes(tender)
    ]


def _sum(rows: Sequence[int], col: int, sheet: str | None = None) -> str:
    """SUM over the rows of one bid (contiguous), or 0 when it has none."""
    if not rows:
        return "0"
    prefix = f"{sheet}!" if sheet else ""
    return f"SUM({prefix}{_rel(rows[0], col)}:{_rel(rows[-1], col)})"


def _published(
    w: _Writer,
    layout: _Layout,
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
    source = _rel(row, source_col)
    rounding = formulas.declared_rounding(source, tender.rounding.mode)
    w.formula(
        row,
        col,
        f'IF({source}="","",{rounding})',
        _num(published) if published is not None else None,
        w.formats.score,
    )
    if published is not None:
        _note_rounding(layout, tender, bid, exact, published, what)


def _note_rounding(
    layout: _Layout, tender: Tender, bid: BidResult, exact: Fraction, published: Decimal, what: str
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


def _excluded_colour(
    w: _Writer, first: int, last: int, col_first: int, col_last: int, status_col: int
) -> None:
    if last < first:
        return
    status = f"${xl_col_to_name(status_col)}{first + 1}"
    w.sheet.conditional_format(
        first,
        col_first,
        last,
        col_last,
        {"type": "formula", "criteria": f'={status}="excluded"', "format": w.formats.excluded},
    )


# -- Price -------------------------------------------------------------------------------------


def _price_sheet(
    book: xlsxwriter.Workbook, w: _Writer, tender: Tender, result: Result, layout: _Layout
) -> None:
    f = w.formats
    priced = (
        tender.price.model != "lump_sum"
    )  # the price is then computed from the priced lines (price_working.py)
    extra = list(price_working.EXTRA_HEADERS) if priced else []
    w.headers(
        0,
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
        if _ranked(b):
            ranked_prices.setdefault(b.lot, []).append(Fraction(b.price.amount))
    # price_points only reads the lowest and highest price: passing just those keeps it linear in the bids.
    reference_prices = {lot: [min(prices), max(prices)] for lot, prices in ranked_prices.items()}
    weight = Fraction(tender.weights.price)
    first, last = 1, len(result.bids)
    for bid in result.bids:
        r = layout.bid_row[_key(bid)]
        w.text(r, P_ID, bid.bidder_id)
        w.text(r, P_NAME, bid.bidder_name)
        if not priced:
            w.number(r, P_PRICE, bid.price.amount, f.money)
        w.formula(r, P_STATUS, _cell(r, Q_STATUS, "Quality"), bid.status)
        status, price = _rel(r, P_STATUS), _rel(r, P_PRICE)
        ranked = _ranked(bid)
        w.formula(
            r,
            P_REF_PRICE,
            f'IF({status}="ranked",{price},"")',
            _num(bid.price.amount) if ranked else None,
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
            _num(exact) if ranked else None,
            f.exact,
        )
        _published(
            w, layout, tender, bid, r, P_SCORE, P_POINTS, exact, bid.price.score, "price score"
        )
        if layout.lots:
            w.text(r, ref - 1, bid.lot)
    if priced:
        columns = price_working.Columns(price=P_PRICE, first_extra=P_SCORE + 1, reference=ref)
        price_working.write_price_working(
            book, w, tender, result, layout.bid_row, columns, layout.notes
        )
    w.headers(0, ref, ["reference", "value"])
    if layout.lots:
        w.headers(0, ref - 1, ["lot"])
    for offset, (name, function, value) in enumerate(
        (
            ("P_min", "MIN", result.reference.lowest_price),
            ("P_max", "MAX", result.reference.highest_price),
        ),
        start=1,
    ):
        w.text(offset, ref, name)
        if layout.lots:
            w.text(offset, ref + 1, "per lot: the Lots sheet")
            continue
        w.formula(
            offset,
            ref + 1,
            f"{function}({_range(first, last, P_REF_PRICE)})",
            _num(value or 0),
            f.money,
        )
        book.define_name(name, "=" + _cell(offset, ref + 1, "Price"))
    _excluded_colour(w, first, last, P_ID, P_SCORE + len(extra), P_STATUS)
    w.sheet.freeze_panes(1, 1)
    w.sheet.set_column(P_ID, P_ID, 11)
    w.sheet.set_column(P_NAME, P_NAME, 36)
    w.sheet.set_column(P_PRICE, P_SCORE, 16)
    w.sheet.set_column(ref, ref + 1, 16)


# -- SocialValue -------------------------------------------------------------------------------


def _social_value_sheet(
    book: xlsxwriter.Workbook, w: _Writer, tender: Tender, result: Result, layout: _Layout
) -> None:
    f = w.formats
    w.headers(
        0,
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
    row = 1
    for bid in result.bids:
        rows: list[int] = []
        for commitment in bid.social_value.commitments:
            source = layout.measure_row[commitment.measure]
            w.text(row, 0, bid.bidder_id)
            w.text(row, 1, commitment.measure)
            w.text(row, 2, commitment.title)
            w.text(row, 3, commitment.unit)
            w.number(row, 4, commitment.quantity)
            w.number(row, 5, commitment.years_offered)
            first_year, basis = _cell(source, 6, "Inputs"), _cell(source, 5, "Inputs")
            offered = _rel(row, 5)
            w.formula(
                row,
                6,
                f'IF(OR({first_year},{basis}="total"),1,IF({offered}="",1,{offered}))',
                commitment.years,
            )
            proxy = commitment.proxy_value if commitment.proxy_value is not None else 0
            w.formula(row, 7, _cell(source, 4, "Inputs"), _num(proxy), f.proxy)
            w.formula(row, 8, _cell(source, 8, "Inputs"), commitment.counted)
            w.formula(
                row,
                9,
                f"IF({_rel(row, 8)},{_rel(row, 7)}*{_rel(row, 4)}*{_rel(row, 6)},0)",
                _num(commitment.value),
                f.money,
            )
            w.text(row, 10, commitment.description)
            rows.append(row)
            row += 1
        layout.commitment_rows[_key(bid)] = rows

    w.headers(
        0,
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
    first, last = 1, len(result.bids)
    contract_values = {lot.id: lot.contract_value for lot in tender.lots or ()}
    for bid in result.bids:
        r = layout.bid_row[_key(bid)]
        ranked = _ranked(bid)
        sv = bid.social_value
        total, price = Fraction(sv.total), Fraction(bid.price.amount)
        w.text(r, S_ID, bid.bidder_id)
        w.formula(r, S_PRICE, _cell(r, P_PRICE, "Price"), _num(price), f.money)
        w.formula(r, S_STATUS, _cell(r, Q_STATUS, "Quality"), bid.status)
        status, total_cell = _rel(r, S_STATUS), _rel(r, S_TOTAL)
        w.formula(r, S_TOTAL, _sum(layout.commitment_rows[_key(bid)], 9), _num(total), f.money)
        for col, base, published, what in (
            (S_ADD, "ContractValue", sv.additionality_pct, "additionality"),
            (
                S_ADD_PRICE,
                _rel(r, S_PRICE),
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
                _num(published),
                f.pct,
            )
            _note_rounding(layout, tender, bid, exact, published, what)
        w.formula(r, S_PER_PRICE, f"{total_cell}/{_rel(r, S_PRICE)}", _num(total / price), f.exact)
        w.formula(
            r,
            S_TOTAL_IN,
            f'IF({status}="ranked",{total_cell},"")',
            _num(total) if ranked else None,
            f.money,
        )
        w.formula(
            r,
            S_RATIO_IN,
            f'IF({status}="ranked",{_rel(r, S_PER_PRICE)},"")',
            _num(total / price) if ranked else None,
            f.exact,
        )
        quant = (
            Fraction(sv.quantitative_points) if sv.quantitative_points is not None else Fraction(0)
        )
        quant_formula = (
            layout.per_lot(
                formulas.social_value_points(social.method, total_cell, _rel(r, S_PER_PRICE)), bid
            )
            if social
            else "0"
        )
        w.formula(
            r,
            S_QUANT,
            f'IF({status}="ranked",{quant_formula},"")',
            _num(quant) if ranked else None,
            f.exact,
        )
        criteria_points = sum((Fraction(c.points) for c in sv.criteria), Fraction(0))
        w.formula(
            r,
            S_CRIT,
            _sum(layout.quality_rows[_key(bid)][1], 9, "Quality"),
            _num(criteria_points),
            f.exact,
        )
        block = quant + criteria_points
        w.formula(
            r,
            S_BLOCK,
            f'IF({status}="ranked",{_rel(r, S_QUANT)}+{_rel(r, S_CRIT)},"")',
            _num(block) if ranked else None,
            f.exact,
        )
        _published(
            w, layout, tender, bid, r, S_SCORE, S_BLOCK, block, sv.score, "social value score"
        )
        if layout.lots:
            w.text(r, S_LOT, bid.lot)
    if layout.lots:
        w.headers(0, S_LOT, ["lot"])  # SV_max and SVPP_max are per lot: the Lots sheet
    for offset, (name, col, value, fmt) in enumerate(
        (("SV_max", S_TOTAL_IN, best_total, f.money), ("SVPP_max", S_RATIO_IN, best_ratio, f.exact))
        if not layout.lots
        else (),
        start=1,
    ):
        if offset == 1:
            w.headers(0, S_REF, ["reference", "value"])
        w.text(offset, S_REF, name)
        w.formula(offset, S_REF + 1, f"MAX({_range(first, last, col)})", _num(value), fmt)
        book.define_name(name, "=" + _cell(offset, S_REF + 1, "SocialValue"))
    _excluded_colour(w, first, last, S_ID, S_SCORE, S_STATUS)
    w.sheet.freeze_panes(1, 1)
    w.sheet.set_column(0, 1, 11)
    w.sheet.set_column(2, 2, 40)
    w.sheet.set_column(3, 3, 14)
    w.sheet.set_column(4, 8, 11)
    w.sheet.set_column(9, 9, 16)
    w.sheet.set_column(10, 10, 50)
    w.sheet.set_column(11, 11, 3)
    w.sheet.set_column(S_ID, S_SCORE, 15)
    w.sheet.set_column(S_REF, S_REF + 1, 16)


# -- Summary -----------------------------------------------------------------------------------


def _summary_sheet(
    book: xlsxwriter.Workbook, w: _Writer, tender: Tender, result: Result, layout: _Layout
) -> None:
    f = w.formats
    w.headers(
        0,
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
            "social_value_total",
            "additionality_pct",
            "size",
            "vcse",
            "award",
            "award_reason",
            *(["lot"] if layout.lots else []),
        ],
    )
    formula_ranks = tender.award_rule.model in FORMULA_RANK_MODELS
    first, last = 1, len(result.bids)
    statuses = _range(first, last, SUM_STATUS)
    for bid in result.bids:
        r = layout.bid_row[_key(bid)]
        w.text(r, SUM_ID, bid.bidder_id)
        w.text(r, SUM_NAME, bid.bidder_name)
        for col, source, value in (
            (SUM_QUALITY, _cell(r, Q_SCORE, "Quality"), bid.quality.score),
            (SUM_PRICE, _cell(r, P_SCORE, "Price"), bid.price.score),
            (SUM_SOCIAL, _cell(r, S_SCORE, "SocialValue"), bid.social_value.score),
        ):
            w.formula(r, col, source, _num(value) if value is not None else None, f.score)
        w.formula(r, SUM_STATUS, _cell(r, Q_STATUS, "Quality"), bid.status)
        status = _rel(r, SUM_STATUS)
        blocks = "+".join(_rel(r, c) for c in (SUM_QUALITY, SUM_PRICE, SUM_SOCIAL))
        # The blocks are already rounded; ROUND only removes binary noise from their sum.
        w.formula(
            r,
            SUM_TOTAL,
            f'IF({status}="ranked",ROUND({blocks},{formulas.PLACES}),"")',
            _num(bid.total_score) if bid.total_score is not None else None,
            f.score,
        )
        keys = [(_range(first, last, SUM_TOTAL), _rel(r, SUM_TOTAL), ">")]
        for name in tender.tie_break:
            if name == "lowest_price":
                keys.append(
                    (_range(first, last, P_PRICE, "Price"), _cell(r, P_PRICE, "Price"), "<")
                )
            else:
                col = {"quality": SUM_QUALITY, "price": SUM_PRICE, "social_value": SUM_SOCIAL}[name]
                keys.append((_range(first, last, col), _rel(r, col), ">"))
        same_lot = f"({_range(first, last, SUM_LOT)}={_rel(r, SUM_LOT)})" if layout.lots else None
        if formula_ranks:
            w.formula(r, SUM_RANK, formulas.rank(status, statuses, keys, same_lot), bid.rank)
        elif bid.rank is not None:
            w.number(r, SUM_RANK, bid.rank)  # the award model's order, copied (Issues: award_model)
        w.formula(
            r, SUM_SV_TOTAL, _cell(r, S_TOTAL, "SocialValue"), _num(bid.social_value.total), f.money
        )
        w.formula(
            r,
            SUM_ADD,
            _cell(r, S_ADD, "SocialValue"),
            _num(bid.social_value.additionality_pct),
            f.pct,
        )
        w.text(r, SUM_SIZE, bid.size)
        w.text(r, SUM_VCSE, {True: "yes", False: "no", None: "unknown"}[bid.vcse])
        if (
            bid.award is not None
        ):  # the award rule's decision: values, not formulas (docs/workbook.md)
            w.text(r, SUM_AWARD, bid.award.outcome)
            w.text(r, SUM_REASON, bid.award.reason)
        if layout.lots:
            w.text(r, SUM_LOT, bid.lot)
    if not formula_ranks:
        layout.notes.append(("", "award_model", _MODEL_NOTE.format(model=tender.award_rule.model)))
    if (
        tender.lots or tender.award is not None
    ):  # an award rule to apply (otherwise: the ranked bids, best first)
        layout.notes.append(("", "award", _AWARD_NOTE))
    _excluded_colour(w, first, last, SUM_ID, SUM_LOT if layout.lots else SUM_REASON, SUM_STATUS)
    w.sheet.freeze_panes(1, 1)
    w.sheet.set_column(SUM_ID, SUM_RANK, 10)
    w.sheet.set_column(SUM_NAME, SUM_NAME, 38)
    w.sheet.set_column(SUM_QUALITY, SUM_STATUS, 12)
    w.sheet.set_column(SUM_SV_TOTAL, SUM_SV_TOTAL, 18)
    w.sheet.set_column(SUM_ADD, SUM_VCSE, 14)
    w.sheet.set_column(SUM_AWARD, SUM_REASON, 16)
    w.sheet.autofilter(0, 0, max(last, 1), SUM_LOT if layout.lots else SUM_REASON)

    ranked = sum(1 for b in result.bids if _ranked(b))
    if ranked:
        chart = book.add_chart({"type": "bar", "subtype": "stacked"})
        for col, colour in (
            (SUM_QUALITY, "#4472C4"),
            (SUM_PRICE, "#ED7D31"),
            (SUM_SOCIAL, "#70AD47"),
        ):
            chart.add_series(
                {
                    "name": ["Summary", 0, col],
                    "categories": ["Summary", first, SUM_NAME, ranked, SUM_NAME],
                    "values": ["Summary", first, col, ranked, col],
                    "fill": {"color": colour},
                }
            )
        chart.set_title({"name": "Total score by block (ranked bids)"})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 720, "height": 120 + 28 * ranked})
        w.sheet.insert_chart(last + 3, 0, chart)


# -- Issues and Audit --------------------------------------------------------------------------


def _issues_sheet(w: _Writer, result: Result, layout: _Layout) -> None:
    w.headers(0, 0, ["bidder_id", "bidder_name", "kind", "code", "message"])
    names = {b.bidder_id: b.bidder_name for b in result.bids}
    lots = layout.lots
    if lots:
        w.headers(0, 5, ["lot"])
    rows: list[tuple[str, str | None, str, str, str]] = [
        (bid.bidder_id, bid.lot, kind, flag.code, flag.message)
        for bid in result.bids
        for kind, flags in (("exclusion", bid.exclusions), ("flag", bid.flags))
        for flag in flags
    ]
    rows += [(bidder, None, "workbook", code, message) for bidder, code, message in layout.notes]
    for row, (bidder, lot, kind, code, message) in enumerate(rows, start=1):
        w.text(row, 0, bidder)
        w.text(row, 1, names.get(bidder))
        w.text(row, 2, kind)
        w.text(row, 3, code)
        w.text(row, 4, message)
        w.text(row, 5, lot)
        if kind == "exclusion":
            w.sheet.set_row(row, None, w.formats.excluded)
    w.sheet.freeze_panes(1, 1)
    w.sheet.set_column(0, 0, 11)
    w.sheet.set_column(1, 1, 36)
    w.sheet.set_column(2, 3, 22)
    w.sheet.set_column(4, 4, 100)


def _audit_sheet(w: _Writer, tender: Tender, audit: AuditTrail | None) -> None:
    f = w.formats
    w.headers(0, 0, ["item", "value", "bytes"])
    items = [
        ("engine", "svengine"),
        ("engine_version", __version__),
        ("tender_id", tender.id),
        ("measure_library", _library_name(tender) or ""),
        (
            "result_json_sha256",
            audit.result_sha256 if audit and audit.result_sha256 else "(not written)",
        ),
        (
            "recalculation",
            f"figures rounded to {formulas.CLEAN_PLACES} places before the declared rounding",
        ),
    ]
    for row, (label, value) in enumerate(items, start=1):
        w.text(row, 0, label)
        w.text(row, 1, value)
    row = len(items) + 2
    w.sheet.write_string(row, 0, "Input files (SHA-256)", f.title)
    w.headers(row + 1, 0, ["file", "sha256", "bytes"])
    for offset, digest in enumerate(audit.inputs if audit else (), start=row + 2):
        w.text(offset, 0, digest.name)
        w.text(offset, 1, digest.sha256)
        w.number(offset, 2, digest.size)
    w.sheet.freeze_panes(1, 0)
    w.sheet.set_column(0, 0, 34)
    w.sheet.set_column(1, 1, 68)
    w.sheet.set_column(2, 2, 10)
