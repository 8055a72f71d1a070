"""The Inputs sheet: the tender's parameters (named cells), criteria and the measures offered."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from svengine.model.library import DEFLATOR_FIELDS
from svengine.model.result import Result
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.report.workbook.layout import (
    Layout,
)
from svengine.report.workbook.writer import (
    FIRST_ROW,
    HEADER_ROW,
    Writer,
    cell,
    library_name,
    num,
    rel,
)
from svengine.scoring import rules
from svengine.scoring.social_value import deflators_for
from svengine.scoring.weights import quantitative_weight

DEFLATOR_COL = 9
"""Measures offered: the first deflator column (deadweight_pct ... drop_off_pct), when the tender reports net values."""


def write_inputs_sheet(
    book: xlsxwriter.Workbook, w: Writer, tender: Tender, result: Result, layout: Layout
) -> None:
    f = w.formats
    quality, price, social = tender.quality, tender.price, tender.social_value
    w.headers(HEADER_ROW, 0, ["parameter", "value", "meaning"])
    total = decimal_text(tender.points_total)  # the declared total_points (100 by default)
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
            f"points of {total} for quality",
        ),
        ("weight_price", "W_price", tender.weights.price, f.number, f"points of {total} for price"),
        (
            "weight_social_value",
            "W_social_value",
            tender.weights.social_value,
            f.number,
            f"points of {total} for social value",
        ),
        (
            "quality_method",
            None,
            quality.method if quality else None,
            None,
            "; ".join(f"{method}: {_meaning(rule)}" for method, rule in rules.QUALITY.items()),
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
        ("price_method", None, price.method, None, _meaning(rules.PRICE[price.method])),
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
            _meaning(rules.SOCIAL_VALUE[social.method]) if social else "",
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
            library_name(tender),
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
    for index, (label, name, value, fmt, meaning) in enumerate(params, start=FIRST_ROW):
        w.text(index, 0, label)
        if label == "social_value_quantitative_weight":
            if social is not None and social.quantitative_weight is None:
                # Not declared: the whole social value weight (criteria require it to be declared).
                w.formula(index, 1, "W_social_value", num(quantitative_weight(tender)), fmt)
            else:
                w.number(index, 1, quantitative_weight(tender), fmt)
        elif isinstance(value, str):
            w.text(index, 1, value)
        elif value is not None:
            w.number(index, 1, value, fmt)
        w.wrapped(index, 2, meaning, 60)
        if name:
            book.define_name(name, "=" + cell(index, 1, "Inputs"))

    row = FIRST_ROW + len(params) + 1
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
        w.wrapped(row, 2, criterion.title, 60)
        w.number(row, 3, criterion.weight)
        if block == "quality" and percent:
            points = Fraction(tender.weights.quality) * Fraction(criterion.weight) / 100
            w.formula(row, 4, f"W_quality*{rel(row, 3)}/100", num(points), f.number)
        else:
            w.formula(row, 4, rel(row, 3), num(criterion.weight), f.number)
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
            *(DEFLATOR_FIELDS if layout.social.net is not None else ()),
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
        w.wrapped(row, 1, measure.title, 22)
        w.text(row, 2, measure.unit)
        w.text(row, 3, measure.theme)
        w.number(row, 4, measure.proxy_value if not measure.record_only else None, f.proxy)
        w.text(row, 5, measure.basis)
        w.flag(row, 6, None, measure.first_year_only)
        w.flag(row, 7, None, measure.record_only)
        w.flag(row, 8, None, allowed is None or measure.id in allowed)
        if (
            layout.social.net is not None
        ):  # the deflators applied: the library's, with the tender's overrides
            deflators = deflators_for(tender, measure)
            for offset, name in enumerate(DEFLATOR_FIELDS):
                w.number(row, DEFLATOR_COL + offset, getattr(deflators, name), f.number)
        layout.measure_row[measure.id] = row
        row += 1

    w.sheet.set_column(0, 0, 34)
    w.sheet.set_column(1, 1, 22)
    w.sheet.set_column(2, 2, 60)
    w.sheet.set_column(3, 8 + len(DEFLATOR_FIELDS), 14)


def _meaning(rule: rules.Expr) -> str:
    """A rule as the Inputs sheet describes it, from its one definition (scoring/rules.py): the
    formula, and for a rule with an edge case what it gives then (`when P_max = P_min: W_price`)."""
    text = rules.formula(rule)
    when = rules.condition(rule)
    if when is not None:
        text += f"; when {when}: {rules.formula(rule.args[2])}"
    return text


_ROUNDING_MEANING = {
    "half_up": "halves away from zero (ROUND)",
    "half_even": "halves to the even neighbour (spelt out: Excel has no function for it)",
    "down": "towards zero (ROUNDDOWN)",
}
