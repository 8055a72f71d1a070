"""Small builders for tenders, bids and scores in tests: plain dicts through the public parse_* API."""

from __future__ import annotations

import copy
from typing import Any

import svengine

LIBRARY: dict[str, Any] = {
    "id": "test-lib",
    "version": "1",
    "currency": "GBP",
    "licence": "CC0 - test values",
    "measures": [
        {
            "id": "JOB",
            "theme": "Jobs",
            "outcome": "Local jobs",
            "title": "Local FTE",
            "unit": "FTE-year",
            "proxy_value": "30000",
        },
        {
            "id": "SPEND",
            "theme": "Growth",
            "outcome": "Local spend",
            "title": "Local SME spend",
            "unit": "£ spent",
            "proxy_value": "0.25",
            "basis": "total",
        },
        {
            "id": "HIRE",
            "theme": "Jobs",
            "outcome": "Inclusive hiring",
            "title": "Disadvantaged hires",
            "unit": "people",
            "proxy_value": "20000",
            "first_year_only": True,
        },
        {
            "id": "RLW",
            "theme": "Jobs",
            "outcome": "Fair work",
            "title": "Real Living Wage",
            "unit": "%",
            "record_only": True,
        },
        {
            "id": "CO2",
            "theme": "Environment",
            "outcome": "Carbon",
            "title": "tCO2e saved",
            "unit": "tCO2e",
            "proxy_value": "250",
        },
    ],
}


def tender_doc(**overrides: Any) -> dict[str, Any]:
    """A valid tender: 60/30/10, two quality criteria, lowest-relative price, SV relative to highest."""
    doc: dict[str, Any] = {
        "id": "T-1",
        "title": "Test tender",
        "currency": "GBP",
        "contract_value": "1000000",
        "duration_years": 3,
        "weights": {"quality": 60, "price": 30, "social_value": 10},
        "quality": {
            "method": "absolute",
            "scale_max": 5,
            "criteria": [
                {"id": "Q1", "title": "Method", "weight": 40},
                {"id": "Q2", "title": "Staffing", "weight": 20},
            ],
        },
        "price": {"method": "lowest_relative"},
        "social_value": {"library": "lib.yaml", "method": "relative_to_highest"},
        "rounding": {"places": 2, "mode": "half_up"},
    }
    for key, value in overrides.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def tender(library: dict[str, Any] | None = None, **overrides: Any) -> svengine.Tender:
    return svengine.parse_tender(
        tender_doc(**overrides), library=svengine.parse_library(copy.deepcopy(library or LIBRARY))
    )


def bid(
    bidder_id: str, price: str, social_value: list[dict[str, Any]] | None = None, **bidder: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "bidder": {"id": bidder_id, "name": f"Bidder {bidder_id}", **bidder},
        "price": price,
    }
    if social_value is not None:
        doc["social_value"] = social_value
    return doc


def scores(marks: dict[str, dict[str, Any]]) -> list[svengine.Score]:
    """{bidder: {criterion: score}} as Score objects."""
    return svengine.parse_scores(
        [
            {"bidder": b, "criterion": c, "score": str(s)}
            for b, row in marks.items()
            for c, s in row.items()
        ]
    )


def run(
    tender_obj: svengine.Tender, bid_docs: list[dict[str, Any]], marks: dict[str, dict[str, Any]]
) -> svengine.Result:
    return svengine.evaluate(tender_obj, svengine.parse_bids(bid_docs), scores(marks))
