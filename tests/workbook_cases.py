"""Evaluation folders for the workbook tests: the shipped examples and constructed tenders.

The constructed tenders exercise every price method, social value method and rounding mode, ties,
excluded bids that would otherwise set the reference prices, percent_of_block weights,
relative_to_best quality, and figures that land exactly on a rounding half (worked by hand below).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ALL_EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if (p / "tender.yaml").is_file())
MULTI_LOT_EXAMPLES = [
    p for p in ALL_EXAMPLES if "\nlots:" in (p / "tender.yaml").read_text(encoding="utf-8")
]
"""Tenders with lots: the workbook computes each lot as its own competition (the Lots sheet)."""
EXAMPLES = ALL_EXAMPLES
LIBRARY = REPO / "toms" / "illustrative.yaml"

Case = dict[str, Any]


def _bid(
    bidder: str,
    price: str,
    commitments: list[dict[str, Any]] | None = None,
    name: str | None = None,
    **bidder_fields: Any,
) -> dict[str, Any]:
    return {
        "bidder": {"id": bidder, "name": name or f"Bidder {bidder} Ltd", **bidder_fields},
        "price": price,
        "social_value": commitments or [],
    }


def _tender(case_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": case_id,
        "title": f"Constructed case {case_id}",
        "currency": "GBP",
        "contract_value": "10000000",
        **fields,
    }


def _two_criteria(method: str = "absolute", **extra: Any) -> dict[str, Any]:
    return {
        "method": method,
        "scale_max": 5,
        "criteria": [
            {"id": "Q1", "title": "Method", "weight": 30, "min_score": 2},
            {"id": "Q2", "title": "Team", "weight": 30},
        ],
        **extra,
    }


SV_RELATIVE = {"library": "library.yaml", "method": "relative_to_highest"}
JOB1_2Y = [{"measure": "EX-JOB-1", "quantity": "1", "years": 2}]  # 31,200 × 1 × 2 = 62,400
GRO1_TOTAL = [{"measure": "EX-GRO-1", "quantity": "100000"}]  # basis total: 0.32 × 100,000 = 32,000
JOB2_CAPPED = [
    {"measure": "EX-JOB-2", "quantity": "1", "years": 3},  # first year only: 21,500
    {"measure": "EX-JOB-9", "quantity": "5"},  # record only: 0
]

CASES: dict[str, Case] = {
    # lowest_relative, half_up. P_min = 2,801,000 (C1, whose 1,000,000 is excluded below Q1's minimum).
    # B2: 20 × 2,801,000 / 4,000,000 = 14.005 exactly -> 14.01 (half up). E5 and F6 are identical: a shared rank.
    "half-up-lowest-relative": {
        "tender": _tender(
            "C-HALF-UP",
            weights={"quality": 60, "price": 20, "social_value": 20},
            quality=_two_criteria(),
            price={"method": "lowest_relative"},
            social_value=SV_RELATIVE,
            rounding={"places": 2, "mode": "half_up"},
            tie_break=["quality"],
        ),
        "bids": [
            _bid("A1", "2801000", JOB1_2Y),
            _bid("B2", "4000000", GRO1_TOTAL),
            _bid("D4", "1000000", [{"measure": "EX-ENV-2", "quantity": "1000"}]),
            _bid("E5", "3000000", JOB2_CAPPED),
            _bid("F6", "3000000", JOB2_CAPPED),
        ],
        "scores": {"A1": (4, 4), "B2": (5, 5), "D4": (1, 5), "E5": (4, 3), "F6": (4, 3)},
    },
    # min_max_linear, half_even. P_min 1,000,000 and P_max 3,000,000 among valid bids (the excluded X8 at
    # 500,000 and X9 at 5,000,000 are outside the reference set): 20 × (3,000,000 − P) / 2,000,000.
    # H2 at 1,599,500 scores 14.005 -> 14.00 (half to even); H3 at 1,598,500 scores 14.015 -> 14.02.
    # Quality relative to best, weights as percent of the block.
    "half-even-min-max": {
        "tender": _tender(
            "C-HALF-EVEN",
            weights={"quality": 60, "price": 20, "social_value": 20},
            quality={
                "method": "relative_to_best",
                "scale_max": 5,
                "weights_basis": "percent_of_block",
                "min_total_pct": 40,
                "criteria": [
                    {"id": "Q1", "title": "Method", "weight": 70, "min_score": 1},
                    {"id": "Q2", "title": "Team", "weight": 30},
                ],
            },
            price={"method": "min_max_linear"},
            social_value=SV_RELATIVE,
            rounding={"places": 2, "mode": "half_even"},
            tie_break=["quality", "price", "social_value"],
        ),
        "bids": [
            _bid("H1", "1000000", JOB1_2Y),
            _bid("H2", "1599500", GRO1_TOTAL),
            _bid("H3", "1598500", JOB2_CAPPED),
            _bid("H4", "3000000", JOB1_2Y),
            _bid("X8", "500000", JOB1_2Y),
            _bid("X9", "5000000", JOB1_2Y),
        ],
        "scores": {
            "H1": (3, 4),
            "H2": (4, 4),
            "H3": (5, 2),
            "H4": (3, 3),
            "X8": (0, 5),
            "X9": (1, 1),
        },
    },
    # proportional_deviation, down, social value against a 10% target on a 10,000,000 contract.
    # P_min 2,000,000: D2 at 2,599,500 scores 20 × (1 − 599,500 / 2,000,000) = 14.005 -> 14.00 (down);
    # D3 at 4,500,000 deviates by more than 100%: 0. D4 (cheapest) is excluded below Q1's minimum.
    # D2 offers 1,234,500 (EX-SOC-2 at 1.00 each): additionality 12.345% -> 12.34 (down), above the
    # 10% target: the full 20.
    "down-proportional-target": {
        "tender": _tender(
            "C-DOWN",
            weights={"quality": 60, "price": 20, "social_value": 20},
            quality=_two_criteria(),
            price={"method": "proportional_deviation"},
            social_value={"library": "library.yaml", "method": "target", "target_pct": 10},
            rounding={"places": 2, "mode": "down"},
            tie_break=["price"],
        ),
        "bids": [
            _bid("D1", "2000000", JOB1_2Y),
            _bid("D2", "2599500", [{"measure": "EX-SOC-2", "quantity": "1234500"}]),
            _bid("D3", "4500000", [{"measure": "EX-SOC-2", "quantity": "500000.5"}]),
            _bid("D4", "1500000", [{"measure": "EX-SOC-2", "quantity": "3000000"}]),
        ],
        "scores": {"D1": (3, 3), "D2": (4, 3), "D3": (5, 5), "D4": (1, 1)},
    },
    # reference_linear (ceiling 5,000,000, floor 3,000,000), SV relative to the highest £ per £ of price,
    # 3 places half_up, tie-break on the lower price. R1 and R2 are both below the floor (full points) with
    # the same scores and no social value: equal totals, R1's lower price breaks the tie.
    # R3 at 3,999,900: 20 × 1,000,100 / 2,000,000 = 10.001; R4 at 5,500,000: 0.
    "reference-linear-ratio": {
        "tender": _tender(
            "C-REFLIN",
            weights={"quality": 60, "price": 20, "social_value": 20},
            quality=_two_criteria(),
            price={"method": "reference_linear", "ceiling": "5000000", "floor": "3000000"},
            social_value={"library": "library.yaml", "method": "relative_to_highest_ratio"},
            rounding={"places": 3, "mode": "half_up"},
            tie_break=["lowest_price"],
        ),
        "bids": [
            _bid("R1", "2500000"),
            _bid("R2", "2900000"),
            _bid("R3", "3999900", JOB1_2Y),
            _bid("R4", "5500000", GRO1_TOTAL),
        ],
        "scores": {"R1": (4, 4), "R2": (4, 4), "R3": (3, 5), "R4": (5, 5)},
    },
    # Every valid price equal under min_max_linear: everyone gets the full 30 (the excluded M9 is cheaper).
    # No decimal places, half_even: M2's quality 40 × 5/10 + 20 × 2.5/4 = 32.5 -> 32. Social value
    # with a qualitative criterion (its own
    # minimum excludes M9) and an allowed list that leaves EX-GRO-1 out (flagged, worth 0).
    "all-equal-min-max": {
        "tender": _tender(
            "C-ALL-EQUAL",
            weights={"quality": 60, "price": 30, "social_value": 10},
            quality={
                "method": "absolute",
                "scale_max": 10,
                "criteria": [
                    {"id": "Q1", "title": "Method", "weight": 40},
                    {"id": "Q2", "title": "Team", "weight": 20, "max_score": 4},
                ],
            },
            price={"method": "min_max_linear"},
            social_value={
                "library": "library.yaml",
                "method": "relative_to_highest",
                "quantitative_weight": 5,
                "criteria": [{"id": "SV1", "title": "Delivery plan", "weight": 5, "min_score": 1}],
                "measures": ["EX-JOB-1", "EX-JOB-2"],
            },
            rounding={"places": 0, "mode": "half_even"},
        ),
        "bids": [
            _bid("M1", "3000000", JOB1_2Y),
            _bid("M2", "3000000", JOB1_2Y + GRO1_TOTAL),
            _bid("M3", "3000000", JOB2_CAPPED),
            _bid("M9", "2000000", JOB1_2Y),
        ],
        "scores": {"M1": (6, 3, 3), "M2": (5, 2.5, 4), "M3": (10, 4, 5), "M9": (10, 4, 0)},
    },
    # No social value block at all; quality relative to best with percent_of_block weights.
    "no-social-value": {
        "tender": _tender(
            "C-NO-SV",
            weights={"quality": 70, "price": 30, "social_value": 0},
            quality={
                "method": "relative_to_best",
                "scale_max": 5,
                "weights_basis": "percent_of_block",
                "criteria": [
                    {"id": "Q1", "title": "Method", "weight": 50},
                    {"id": "Q2", "title": "Team", "weight": 50},
                ],
            },
            price={"method": "lowest_relative"},
            rounding={"places": 2, "mode": "half_up"},
        ),
        "bids": [_bid("N1", "3000000"), _bid("N2", "3300000"), _bid("N3", "2900000")],
        "scores": {"N1": (4, 3), "N2": (5, 5), "N3": (3, 3)},
    },
    # A pass/fail gate and a disregarded tender (docs/award.md): G3 (1,000,000) fails PF1 and G4 (1,500,000) was
    # late, so both leave the reference set: P_min = 2,000,000 (G1). G2: 20 × 2,000,000 / 2,500,000 = 16.00.
    "gate-and-disregarded": {
        "tender": _tender(
            "C-GATES",
            weights={"quality": 60, "price": 20, "social_value": 20},
            quality={
                **_two_criteria(),
                "criteria": [
                    {"id": "PF1", "title": "Insurance", "pass_fail": True},
                    *_two_criteria()["criteria"],
                ],
            },
            price={"method": "lowest_relative"},
            social_value=SV_RELATIVE,
            rounding={"places": 2, "mode": "half_up"},
        ),
        "bids": [
            _bid("G1", "2000000", JOB1_2Y),
            _bid("G2", "2500000"),
            _bid("G3", "1000000"),
            _bid("G4", "1500000"),
        ],
        "scores": {
            "G1": ("pass", 4, 4),
            "G2": ("pass", 5, 5),
            "G3": ("fail", 5, 5),
            "G4": ("pass", 5, 5),
        },
        "decisions": {
            "disregarded": [
                {
                    "bidder": "G4",
                    "ground": "late",
                    "decided_by": "Head of Procurement",
                    "date": "2026-02-13",
                }
            ]
        },
    },
    # Every bid excluded: no ranks, no reference prices, no chart; the workbook still recalculates.
    "all-excluded": {
        "tender": _tender(
            "C-NONE-LEFT",
            weights={"quality": 60, "price": 20, "social_value": 20},
            quality=_two_criteria(),
            price={"method": "lowest_relative"},
            social_value=SV_RELATIVE,
            rounding={"places": 2, "mode": "half_up"},
        ),
        "bids": [_bid("Z1", "3000000", JOB1_2Y), _bid("Z2", "2000000")],
        "scores": {"Z1": (1, 5), "Z2": (0, 0)},
    },
    # No quality block: price and social value only, where a social value criterion's minimum excludes S3.
    "no-quality": {
        "tender": _tender(
            "C-NO-QUALITY",
            weights={"quality": 0, "price": 60, "social_value": 40},
            price={"method": "proportional_deviation"},
            social_value={
                "library": "library.yaml",
                "method": "target",
                "target_pct": 1,
                "quantitative_weight": 30,
                "criteria": [{"id": "SV1", "title": "Delivery plan", "weight": 10, "min_score": 2}],
            },
            rounding={"places": 1, "mode": "half_even"},
        ),
        "bids": [
            _bid("S1", "3000000", JOB1_2Y),
            _bid("S2", "3150000", JOB2_CAPPED),
            _bid("S3", "1000000", JOB1_2Y),
        ],
        "scores": {"S1": (3,), "S2": (5,), "S3": (1,)},
    },
    # Text that looks like formulas, from bidders and evaluators: it must stay text.
    "formula-injection": {
        "tender": _tender(
            "C-INJECT",
            weights={"quality": 60, "price": 20, "social_value": 20},
            quality=_two_criteria(),
            price={"method": "lowest_relative"},
            social_value=SV_RELATIVE,
            rounding={"places": 2, "mode": "half_up"},
        ),
        "bids": [
            _bid(
                "I1",
                "3000000",
                [{"measure": "EX-JOB-1", "quantity": "1", "description": "=EVIL()"}],
                name='=HYPERLINK("http://x","y")',
            ),
            _bid("I2", "3100000", JOB1_2Y, name="@SUM(A1)"),
            _bid("I3", "3200000", name="+cmd|' /C calc'!A0"),
            _bid("I4", "3300000", name="-2+3"),
        ],
        "scores": {"I1": (4, 4), "I2": (3, 3), "I3": (2, 2), "I4": (5, 5)},
        "comment": "=1+1",
    },
}


def _priced(bidder: str, stated: str | None = None, **lines: Any) -> dict[str, Any]:
    """A bid priced line by line (`prices`, `adjustment_pct` or `adjustments_pct`), with an optional stated price."""
    return {
        "bidder": {"id": bidder, "name": f"Bidder {bidder} Ltd"},
        **({"price": stated} if stated else {}),
        **lines,
    }


def _price_only(case_id: str, price: dict[str, Any]) -> dict[str, Any]:
    return _tender(
        case_id,
        weights={"quality": 0, "price": 100, "social_value": 0},
        price=price,
        rounding={"places": 2, "mode": "half_up"},
    )


# Price models: the evaluated price is a formula over the priced lines on the Price sheet. Each case
# lands a bid's lines exactly on a half of the declared evaluated rounding (worked by hand).
PRICE_MODEL_CASES: dict[str, Case] = {
    # basket, evaluated to 2 places half to even. KA: 100 × 100.00 + 0.5 × 20.01 = 10,010.005 -> 10,010.00
    # (it states 10,010.01, rounding half up: an arithmetic error). KB: 100 × 99 + 0.5 × 20.03 = 9,910.015
    # -> 9,910.02. KC: 100 × 101 + 0.5 × 0 = 10,100.00. P_min 9,910.02: KA 100 × 9,910.02 / 10,010 = 99.0012
    # -> 99.00; KC 100 × 9,910.02 / 10,100 = 98.1190 -> 98.12.
    "basket-half-even": {
        "tender": _price_only(
            "C-BASKET",
            {
                "method": "lowest_relative",
                "model": "basket",
                "evaluated_rounding": {"places": 2, "mode": "half_even"},
                "basket": [
                    {"item": "J1", "description": "Clear a drain", "volume": 100},
                    {"item": "J2", "description": "Half a door", "volume": "0.5"},
                ],
            },
        ),
        "bids": [
            _priced("KA", "10010.01", prices={"J1": "100.00", "J2": "20.01"}),
            _priced("KB", prices={"J1": "99.00", "J2": "20.03"}),
            _priced("KC", "10100.00", prices={"J1": "101", "J2": "0"}),
        ],
        "scores": {},
    },
    # schedule of rates, 2 places half up. SX: 1 × 10.10 × 1.05 + 10 × 100 × 1.05 = 10.605 + 1,050 = 1,060.605
    # -> 1,060.61 (stated so). SY (per section a −10%, b +2.5%): 9.09 + 1,025 = 1,034.09 (states 1,034.10: an
    # error). SZ (−50% on all): 5.05 + 500 = 505.05.
    "schedule-half-up": {
        "tender": _price_only(
            "C-SCHEDULE",
            {
                "method": "lowest_relative",
                "model": "schedule_of_rates",
                "evaluated_rounding": {"places": 2, "mode": "half_up"},
                "schedule": [
                    {
                        "item": "S1",
                        "section": "a",
                        "description": "Ease a door",
                        "base_rate": "10.10",
                        "volume": 1,
                    },
                    {
                        "item": "S2",
                        "section": "b",
                        "description": "Renew a tile",
                        "base_rate": "100",
                        "volume": 10,
                    },
                ],
            },
        ),
        "bids": [
            _priced("SX", "1060.61", adjustment_pct="5"),
            _priced("SY", "1034.10", adjustments_pct={"a": "-10", "b": "2.5"}),
            _priced("SZ", adjustment_pct="-50"),
        ],
        "scores": {},
    },
    # multi-part, 2 places down, min_max_linear. MA: 3 × 1,000.005 + 1 × 500 + 2 × 0 = 3,500.015 -> 3,500.01.
    # MB: 3 × 1,100 + 0 + 2 × 10.0025 = 3,320.005 -> 3,320.00. P_min 3,320.00, P_max 3,500.01: MB 100, MA 0.
    "multi-part-down": {
        "tender": _price_only(
            "C-MULTI",
            {
                "method": "min_max_linear",
                "model": "multi_part",
                "evaluated_rounding": {"places": 2, "mode": "down"},
                "parts": [
                    {"id": "annual", "description": "Annual fee", "multiplier": 3},
                    {"id": "mobilisation", "description": "Mobilisation", "multiplier": 1},
                    {"id": "option", "description": "Optional extra", "multiplier": 2},
                ],
            },
        ),
        "bids": [
            _priced("MA", prices={"annual": "1000.005", "mobilisation": "500", "option": "0"}),
            _priced(
                "MB", "3320.00", prices={"annual": "1100", "mobilisation": "0", "option": "10.0025"}
            ),
        ],
        "scores": {},
    },
    # whole life at 5%, 2 places half up. W1: 1,000.005 + 110.25/1.05 + 110.25/1.05² = 1,000.005 + 105 + 100
    # = 1,205.005 -> 1,205.01. W2: 900 + 210 + 200 = 1,310.00. W3: 1,000 + 100/1.05 + 100/1.1025
    # = 1,000 + 95.238095… + 90.702947… = 1,185.941043… -> 1,185.94.
    "whole-life-half-up": {
        "tender": _price_only(
            "C-WHOLE-LIFE",
            {
                "method": "lowest_relative",
                "model": "whole_life",
                "discount_rate_pct": "5",
                "evaluated_rounding": {"places": 2, "mode": "half_up"},
                "parts": [
                    {"id": "purchase", "description": "Purchase", "years": [0]},
                    {"id": "running", "description": "Running costs", "years": [1, 2]},
                ],
            },
        ),
        "bids": [
            _priced("W1", "1205.01", prices={"purchase": "1000.005", "running": "110.25"}),
            _priced("W2", prices={"purchase": "900", "running": "220.50"}),
            _priced("W3", prices={"purchase": "1000", "running": "100"}),
        ],
        "scores": {},
    },
    # whole life at the Green Book 3.5% with no evaluated_rounding: the exact fraction is scored.
    # Discount factors 1/1.035 = 200/207, 1/1.035² = 40,000/42,849, 1/1.035³ = 8,000,000/8,869,743
    # (8,869,743 = 207³). XA, 100 a year in years 1-3: 100 × (8,569,800 + 8,280,000 + 8,000,000)/8,869,743
    # = 2,484,980,000/8,869,743 ≈ 280.163698 (stated 280.16: not the exact figure, an arithmetic error).
    # XB, 30 now and 90 a year: 30 + 90 × 24,849,800/8,869,743 = 2,502,574,290/8,869,743
    # = 278,063,810/985,527 ≈ 282.147328. Lowest relative: XA 100.00; XB 100 × 2,484,980,000/2,502,574,290
    # = 24,849,800,000/250,257,429 ≈ 99.296952 -> 99.30.
    "whole-life-exact": {
        "tender": _price_only(
            "C-WHOLE-LIFE-EXACT",
            {
                "method": "lowest_relative",
                "model": "whole_life",
                "parts": [
                    {"id": "purchase", "description": "Purchase", "years": [0]},
                    {"id": "running", "description": "Running costs", "years": [1, 2, 3]},
                ],
            },
        ),
        "bids": [
            _priced("XA", "280.16", prices={"purchase": "0", "running": "100"}),
            _priced("XB", prices={"purchase": "30", "running": "90"}),
        ],
        "scores": {},
    },
}
CASES.update(PRICE_MODEL_CASES)


def _panel_tender(case_id: str, panel: dict[str, Any]) -> dict[str, Any]:
    return _tender(
        case_id,
        weights={"quality": 60, "price": 40, "social_value": 0},
        quality=_two_criteria(),
        price={"method": "lowest_relative"},
        rounding={"places": 2, "mode": "half_up"},
        panel=panel,
    )


# Panels aggregating by formula on the Panel sheet. Q1 and Q2 are worth 30 points each out of 5 marks
# (Q1 with a minimum of 2).
PANEL_CASES: dict[str, Case] = {
    # mean of three: PA Q1 2, 4, 5 -> 11/3 (it never terminates) -> 30 × 11/3 / 5 = 22 points; Q2 3, 3, 4
    # -> 10/3 -> 20 (spread 1 = 20% of the scale). PB Q1 1, 5, 5 -> 11/3, spread 4 = 80% > 40%: a
    # disagreement; Q2 4 -> 24.
    # PC Q1 1, 2, 2 -> 5/3, below Q1's minimum of 2: excluded. An evaluator's "=1+1" stays text.
    "panel-mean": {
        "tender": _panel_tender("C-PANEL-MEAN", {"aggregate": "mean"}),
        "bids": [_bid("PA", "3000000"), _bid("PB", "2500000"), _bid("PC", "2000000")],
        "panel_scores": {
            ("PA", "Q1"): {"A": 2, "B": 4, "C": 5},
            ("PA", "Q2"): {"A": 3, "B": 3, "C": 4},
            ("PB", "Q1"): {"A": 1, "B": 5, "C": 5},
            ("PB", "Q2"): {"A": 4, "B": 4, "C": 4},
            ("PC", "Q1"): {"A": 1, "B": 2, "C": 2},
            ("PC", "Q2"): {"A": 5, "B": 5, "C": 5},
        },
        "comment": "=1+1",
    },
    # median, with D assigned Q2 only (a blank cell on Q1). MA Q1 2, 3, 5 -> 3 -> 18 points; Q2 1, 4, 4, 4 -> 4
    # -> 24. MB Q1 3, 3, 4 -> 3 -> 18; Q2 2, 2, 5, 5 -> (2 + 5) / 2 = 3.5 (the mean of the middle two) -> 21,
    # spread 3 = 60% > 50%: a disagreement.
    "panel-median": {
        "tender": _panel_tender(
            "C-PANEL-MEDIAN",
            {
                "aggregate": "median",
                "spread_tolerance_pct": 50,
                "evaluators": [
                    {"id": "A", "criteria": "all", "conflict_declared": True},
                    {"id": "B", "criteria": "all", "conflict_declared": True},
                    {"id": "C", "criteria": "all", "conflict_declared": True},
                    {"id": "D", "criteria": ["Q2"], "conflict_declared": True},
                ],
            },
        ),
        "bids": [_bid("MA", "3000000"), _bid("MB", "2800000")],
        "panel_scores": {
            ("MA", "Q1"): {"A": 2, "B": 3, "C": 5},
            ("MA", "Q2"): {"A": 1, "B": 4, "C": 4, "D": 4},
            ("MB", "Q1"): {"A": 3, "B": 3, "C": 4},
            ("MB", "Q2"): {"A": 2, "B": 2, "C": 5, "D": 5},
        },
    },
}
CASES.update(PANEL_CASES)

# Two lots with different reference prices and contract values; bidder A bids for both; one supplier
# per lot, at most one lot each, lots in declared order. Worked by hand (weights 60/30/10, Q1 and Q2
# worth 30 points each on a 0-5 scale, Q1 minimum 2):
# L1 (contract 2,000,000): C (1,000,000) is excluded below Q1's minimum, so P_min = 1,800,000 (A), not C's.
#   A: quality 48, price 30 × 1.8/1.8 = 30, SV 10 × 62,400/62,400 = 10 -> 88.00; additionality 3.12%.
#   B: quality 60, price 30 × 1.8/2.0 = 27, SV 0 -> 87.00. Ranks: A 1, B 2; A appointed, B below the cut-off.
# L2 (contract 500,000): P_min = 400,000 (B), SV_max = 62,400 (D).
#   A: 60 + 30 × 400/450 = 26.67 + 0 -> 86.67 (rank 1, but A already holds L1: lot_limit_reached).
#   D: 42 + 24 + 10 -> 76.00 (rank 2, appointed); additionality 62,400 / 500,000 = 12.48%.
#   B: 36 + 30 + 10 × 32,000/62,400 = 5.13 -> 71.13 (rank 3, below the cut-off); additionality 6.40%.
TWO_LOTS: Case = {
    "tender": _tender(
        "C-TWO-LOTS",
        weights={"quality": 60, "price": 30, "social_value": 10},
        quality=_two_criteria(),
        price={"method": "lowest_relative"},
        social_value=SV_RELATIVE,
        rounding={"places": 2, "mode": "half_up"},
        regime="pa2023",
        lots=[
            {"id": "L1", "title": "Large works", "contract_value": "2000000"},
            {"id": "L2", "title": "Small works", "contract_value": "500000"},
        ],
        award={
            "model": "weighted",
            "suppliers_per_lot": 1,
            "max_lots_per_supplier": 1,
            "allocation": "lot_order",
        },
    ),
    "bids": [
        {**_bid("A", "1800000", JOB1_2Y), "lot": "L1"},
        {**_bid("B", "2000000"), "lot": "L1"},
        {**_bid("C", "1000000"), "lot": "L1"},
        {**_bid("A", "450000"), "lot": "L2"},
        {**_bid("B", "400000", GRO1_TOTAL), "lot": "L2"},
        {**_bid("D", "500000", JOB1_2Y), "lot": "L2"},
    ],
    "scores": {
        ("L1", "A"): (4, 4),
        ("L1", "B"): (5, 5),
        ("L1", "C"): (1, 5),
        ("L2", "A"): (5, 5),
        ("L2", "B"): (3, 3),
        ("L2", "D"): (4, 3),
    },
}
CASES["two-lots"] = TWO_LOTS

# Award on value on a 200-point total (docs/methods.md): deduction = money_value × score / 5.
# V1 2,000,000 − (1,500,000 + 750,000) = −250,000 (negative: ranks first, flagged); V4 1,800,000 −
# (1,200,000 + 375,000) = 225,000; V2 1,500,000 − (900,000 + 300,000) = 300,000; V3 is below Q1's
# minimum of 2 and excluded.
CASES["fictitious-price-200"] = {
    "tender": _tender(
        "C-VALUE",
        total_points=200,
        weights={"quality": 120, "price": 80, "social_value": 0},
        quality={
            "method": "absolute",
            "scale_max": 5,
            "criteria": [
                {"id": "Q1", "title": "Method", "weight": 60, "min_score": 2,
                 "money_value": "1500000"},
                {"id": "Q2", "title": "Team", "weight": 60, "money_value": "750000"},
            ],
        },
        price={"method": "lowest_relative"},
        rounding={"places": 2, "mode": "half_up"},
        tie_break=["lowest_price"],
        award={"model": "fictitious_price"},
    ),
    "bids": [
        _bid("V1", "2000000"),
        _bid("V2", "1500000"),
        _bid("V3", "1000000"),
        _bid("V4", "1800000"),
    ],
    "scores": {"V1": (5, 5), "V2": (3, 2), "V3": (1, 5), "V4": (4, 2.5)},
}  # fmt: skip

# Net social value (docs/methods-net.md), `count: net`: the tender's deflators on two measures.
# EX-JOB-1 (31,200 a year): deadweight 25%, attribution 20%, drop-off 10%: 31,200 × 0.75 × 0.8 = 18,720
# in the first year per FTE, then 10% less each year. EX-GRO-1 (basis total, 0.32 per £): displacement
# 12.5%, leakage 10%, one year. EX-JOB-2 (first year only, 21,500): no deflator.
#   N1: 2 FTE for 4 years: gross 249,600; net 37,440 + 33,696 + 30,326.40 + 27,293.76 = 128,756.16.
#   N2: £500,000 local spend: gross 160,000, net 160,000 × 0.875 × 0.9 = 126,000; and EX-JOB-2 21,500
#       (3 years offered, 1 counted): gross 181,500, net 147,500 (the highest net, but not the highest gross).
#   N3: 1 FTE for 3 years: gross 93,600; net 18,720 + 16,848 + 15,163.20 = 50,731.20.
# SV_max = 147,500 (net): N2 20.00, N1 20 × 128,756.16 / 147,500 = 17.4584... -> 17.46, N3 6.88;
# additionality of contract value (10,000,000): N2 1.475 -> 1.48 (gross would be 1.815 -> 1.82).
NET_DEFLATORS = {
    "EX-JOB-1": {"deadweight_pct": "25", "attribution_pct": "20", "drop_off_pct": "10"},
    "EX-GRO-1": {"displacement_pct": "12.5", "leakage_pct": "10"},
}
NET_BIDS = [
    _bid("N1", "2000000", [{"measure": "EX-JOB-1", "quantity": "2", "years": 4}]),
    _bid("N2", "2500000", [{"measure": "EX-GRO-1", "quantity": "500000"}, *JOB2_CAPPED[:1]]),
    _bid("N3", "3000000", [{"measure": "EX-JOB-1", "quantity": "1", "years": 3}]),
]
CASES["net-drop-off"] = {
    "tender": _tender(
        "C-NET",
        weights={"quality": 60, "price": 20, "social_value": 20},
        quality=_two_criteria(),
        price={"method": "lowest_relative"},
        social_value={**SV_RELATIVE, "count": "net", "deflators": NET_DEFLATORS},
        rounding={"places": 2, "mode": "half_up"},
    ),
    "bids": NET_BIDS,
    "scores": {"N1": (4, 4), "N2": (4, 4), "N3": (4, 4)},
}
# The same deflators with `count: gross` (the default): the net values are shown, the gross scored.
CASES["net-shown-gross-counted"] = {
    **CASES["net-drop-off"],
    "tender": {
        **CASES["net-drop-off"]["tender"],
        "id": "C-NET-GROSS",
        "social_value": {**SV_RELATIVE, "deflators": NET_DEFLATORS},
    },
}

# Two lots counting net: each lot's SV_max (Lots sheet) is over the net values. L1: A's EX-JOB-1 for
# 2 years nets 18,720 + 16,848 = 35,568; L2: D's the same 35,568, B's EX-GRO-1 32,000 × 0.875 × 0.9 = 25,200.
CASES["net-two-lots"] = {
    **TWO_LOTS,
    "tender": {
        **TWO_LOTS["tender"],
        "id": "C-NET-LOTS",
        "social_value": {**SV_RELATIVE, "count": "net", "deflators": NET_DEFLATORS},
    },
}

INJECTED_NAMES = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3"]


def write_case(folder: Path, case: Case) -> Path:
    """Write a constructed case as an evaluation folder (tender.yaml, library.yaml, bids/, scores.csv)."""
    tender = case["tender"]
    (folder / "bids").mkdir(parents=True)
    (folder / "tender.yaml").write_text(json.dumps(tender, indent=2), encoding="utf-8")
    shutil.copyfile(LIBRARY, folder / "library.yaml")
    for bid in case["bids"]:
        name = f"{bid['bidder']['id']}-{bid['lot']}" if "lot" in bid else bid["bidder"]["id"]
        (folder / "bids" / f"{name}.json").write_text(json.dumps(bid, indent=2), encoding="utf-8")
    if "decisions" in case:
        (folder / "decisions.yaml").write_text(
            json.dumps(case["decisions"], indent=2), encoding="utf-8"
        )
    criteria = [c["id"] for c in tender.get("quality", {}).get("criteria", [])]
    criteria += [c["id"] for c in tender.get("social_value", {}).get("criteria", [])]
    with (folder / "scores.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        if (
            "panel_scores" in case
        ):  # individual evaluators: {(bidder, criterion): {evaluator: score}}
            writer.writerow(["bidder", "criterion", "evaluator", "score", "comment"])
            for (bidder, criterion), by_evaluator in case["panel_scores"].items():
                for evaluator, score in by_evaluator.items():
                    writer.writerow(
                        [
                            bidder,
                            criterion,
                            evaluator,
                            score,
                            case.get("comment", f"{evaluator} on {bidder} {criterion}"),
                        ]
                    )
            return folder
        lots = "lots" in tender  # scores keyed by (lot, bidder)
        writer.writerow(["bidder", "criterion", "score", "comment", *(["lot"] if lots else [])])
        for key, scores in case["scores"].items():
            bidder, lot = (key[1], [key[0]]) if lots else (key, [])
            for criterion, score in zip(criteria, scores, strict=True):
                writer.writerow([bidder, criterion, score, case.get("comment", ""), *lot])
    return folder


def all_folders(root: Path) -> dict[str, Path]:
    """The examples (as they are) and every constructed case (written under `root`)."""
    folders = {f"example-{p.name}": p for p in EXAMPLES}
    for name, case in CASES.items():
        folders[name] = write_case(root / name, case)
    return folders


# B2's price is a millionth of a pound above 4,000,000: 20 × 2,801,000 / 4,000,000.000001 is
# 14.005 − 3.5e-12, which the engine rounds (half up, exactly) to 14.00. A spreadsheet, rounding to
# 9 places first, sees 14.005 and shows 14.01. The workbook says so on its Issues sheet.
NEAR_HALF: Case = {
    **CASES["half-up-lowest-relative"],
    "bids": [
        _bid("A1", "2801000", JOB1_2Y),
        _bid("B2", "4000000.000001", GRO1_TOTAL),
    ],
    "scores": {"A1": (4, 4), "B2": (5, 5)},
}
