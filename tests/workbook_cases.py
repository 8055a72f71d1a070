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
MULTI_LOT_EXAMPLES = [p for p in ALL_EXAMPLES if "\nlots:" in (p / "tender.yaml").read_text(encoding="utf-8")]
"""Tenders with lots get no report.xlsx (docs/award.md): the workbook computes one competition."""
EXAMPLES = [p for p in ALL_EXAMPLES if p not in MULTI_LOT_EXAMPLES]
LIBRARY = REPO / "toms" / "illustrative.yaml"

Case = dict[str, Any]


def _bid(bidder: str, price: str, commitments: list[dict[str, Any]] | None = None, name: str | None = None, **bidder_fields: Any) -> dict[str, Any]:
    return {
        "bidder": {"id": bidder, "name": name or f"Bidder {bidder} Ltd", **bidder_fields},
        "price": price,
        "social_value": commitments or [],
    }


def _tender(case_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": case_id, "title": f"Constructed case {case_id}", "currency": "GBP", "contract_value": "10000000", **fields}


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
        "scores": {"H1": (3, 4), "H2": (4, 4), "H3": (5, 2), "H4": (3, 3), "X8": (0, 5), "X9": (1, 1)},
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
    # No decimal places, half_even: M2's quality 40 × 5/10 + 20 × 2.5/4 = 32.5 -> 32. Social value with a qualitative criterion (its own
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
            quality={**_two_criteria(), "criteria": [{"id": "PF1", "title": "Insurance", "pass_fail": True}, *_two_criteria()["criteria"]]},
            price={"method": "lowest_relative"},
            social_value=SV_RELATIVE,
            rounding={"places": 2, "mode": "half_up"},
        ),
        "bids": [_bid("G1", "2000000", JOB1_2Y), _bid("G2", "2500000"), _bid("G3", "1000000"), _bid("G4", "1500000")],
        "scores": {"G1": ("pass", 4, 4), "G2": ("pass", 5, 5), "G3": ("fail", 5, 5), "G4": ("pass", 5, 5)},
        "decisions": {"disregarded": [{"bidder": "G4", "ground": "late", "decided_by": "Head of Procurement", "date": "2026-02-13"}]},
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
        "bids": [_bid("S1", "3000000", JOB1_2Y), _bid("S2", "3150000", JOB2_CAPPED), _bid("S3", "1000000", JOB1_2Y)],
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
            _bid("I1", "3000000", [{"measure": "EX-JOB-1", "quantity": "1", "description": "=EVIL()"}],
                 name='=HYPERLINK("http://x","y")'),
            _bid("I2", "3100000", JOB1_2Y, name="@SUM(A1)"),
            _bid("I3", "3200000", name="+cmd|' /C calc'!A0"),
            _bid("I4", "3300000", name="-2+3"),
        ],
        "scores": {"I1": (4, 4), "I2": (3, 3), "I3": (2, 2), "I4": (5, 5)},
        "comment": "=1+1",
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
        (folder / "bids" / f"{bid['bidder']['id']}.json").write_text(json.dumps(bid, indent=2), encoding="utf-8")
    if "decisions" in case:
        (folder / "decisions.yaml").write_text(json.dumps(case["decisions"], indent=2), encoding="utf-8")
    criteria = [c["id"] for c in tender.get("quality", {}).get("criteria", [])]
    criteria += [c["id"] for c in tender.get("social_value", {}).get("criteria", [])]
    with (folder / "scores.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["bidder", "criterion", "score", "comment"])
        for bidder, scores in case["scores"].items():
            for criterion, score in zip(criteria, scores, strict=True):
                writer.writerow([bidder, criterion, score, case.get("comment", "")])
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
