"""Small tenders, bids and panel scores built in memory for the panel tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from svengine.io.loaders import load_library, parse_bids, parse_tender
from svengine.io.moderation_csv import parse_sv_moderation_csv
from svengine.io.scores_csv import parse_scores_csv
from svengine.model.bid import Bid
from svengine.model.panel import SvModeration
from svengine.model.scores import Score
from svengine.model.tender import Tender

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = load_library(ROOT / "toms" / "illustrative.yaml")
EXAMPLE = ROOT / "examples" / "panel-grounds-maintenance"

BASE_TENDER: dict[str, Any] = {
    "id": "T-1",
    "title": "Panel test",
    "currency": "GBP",
    "contract_value": "1000000",
    "weights": {"quality": 50, "price": 40, "social_value": 10},
    "quality": {
        "method": "absolute",
        "scale_max": 5,
        "criteria": [
            {"id": "Q1", "title": "Method", "weight": 30},
            {"id": "Q2", "title": "Staffing", "weight": 20, "max_score": 10},
        ],
    },
    "price": {"method": "lowest_relative"},
    "social_value": {"library": "toms/illustrative.yaml", "method": "relative_to_highest"},
    "rounding": {"places": 2, "mode": "half_up"},
}


def tender(panel: dict[str, Any] | None = None, **changes: Any) -> Tender:
    document = copy.deepcopy(BASE_TENDER)
    document.update(changes)
    if panel is not None:
        document["panel"] = panel
    return parse_tender(document, library=LIBRARY)


def bids(*ids: str) -> list[Bid]:
    return parse_bids(
        [
            {
                "bidder": {"id": bidder, "name": f"Bidder {bidder}"},
                "price": "900000",
                "social_value": [
                    {
                        "measure": "EX-JOB-1",
                        "quantity": "4",
                        "years": 2,
                        "description": "Four local hires",
                    },
                    {"measure": "EX-SOC-1", "quantity": "100"},
                ],
            }
            for bidder in ids
        ]
    )


def scores(text: str) -> list[Score]:
    """Scores from CSV text (the header `bidder,criterion,evaluator,score,comment` is added)."""
    parsed, problems = parse_scores_csv(
        "bidder,criterion,evaluator,score,comment\n" + text.strip() + "\n", "scores.csv"
    )
    assert not problems, problems
    return parsed


def moderation(text: str) -> list[SvModeration]:
    parsed, problems = parse_sv_moderation_csv(
        "bidder,measure,decision,accepted_quantity,rationale\n" + text.strip() + "\n",
        "sv_moderation.csv",
    )
    assert not problems, problems
    return parsed


def full_panel_scores(
    cells: dict[tuple[str, str], dict[str, str]],
    consensus: dict[tuple[str, str], str] | None = None,
) -> list[Score]:
    """CSV rows from {(bidder, criterion): {evaluator: score}} and optional consensus scores (with a rationale)."""
    lines = []
    for (bidder, criterion), by_evaluator in cells.items():
        for evaluator, value in by_evaluator.items():
            lines.append(f"{bidder},{criterion},{evaluator},{value},")
        if consensus and (bidder, criterion) in consensus:
            lines.append(
                f"{bidder},{criterion},consensus,{consensus[(bidder, criterion)]},agreed at moderation"
            )
    return scores("\n".join(lines))


def codes(problems: Any) -> list[str]:
    return sorted(p.code for p in problems)
