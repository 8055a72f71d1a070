"""Helpers shared by the methodology, stress and robustness tests: small tenders built from documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import svengine

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def library() -> svengine.MeasureLibrary:
    return svengine.load_library(ROOT / "toms" / "illustrative.yaml")


def tender(**overrides: Any) -> svengine.Tender:
    return svengine.parse_tender(tender_document(**overrides), library=library())


def bid(
    bidder_id: str, price: str, social_value: list[dict[str, Any]] | None = None
) -> svengine.Bid:
    return svengine.parse_bids(
        {
            "bidder": {"id": bidder_id, "name": f"Bidder {bidder_id}"},
            "price": price,
            "social_value": social_value or [],
        }
    )[0]


def score(
    bidder_id: str, criterion: str, value: str, evaluator: str | None = None
) -> svengine.Score:
    return svengine.Score(bidder=bidder_id, criterion=criterion, score=value, evaluator=evaluator)


def tender_document(**overrides: Any) -> dict[str, Any]:
    """A small valid tender: one quality criterion worth 50, lowest-relative price worth 50."""
    document: dict[str, Any] = {
        "id": "T-1",
        "title": "Test tender",
        "currency": "GBP",
        "contract_value": "1000",
        "weights": {"quality": 50, "price": 50, "social_value": 0},
        "quality": {
            "method": "absolute",
            "scale_max": 5,
            "criteria": [{"id": "Q1", "title": "Method", "weight": 50}],
        },
        "price": {"method": "lowest_relative"},
        "rounding": {"places": 2, "mode": "half_up"},
        "tie_break": ["quality"],
    }
    document.update(overrides)
    return document
