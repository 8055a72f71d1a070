"""Builders for lots, gates and award rules in tests (plain dicts through the public API)."""

from __future__ import annotations

from typing import Any

import svengine
from builders import tender


def lot_bid(bidder_id: str, lot: str | None, price: str, jobs: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "bidder": {"id": bidder_id, "name": f"Bidder {bidder_id}"},
        "price": price,
    }
    if lot is not None:
        doc["lot"] = lot
    if jobs is not None:
        doc["social_value"] = [{"measure": "JOB", "quantity": jobs}]
    return doc


def lot_scores(rows: list[tuple[str | None, str, str, Any]]) -> list[svengine.Score]:
    """(lot, bidder, criterion, score) rows; a score may be "pass" or "fail"."""
    return svengine.parse_scores(
        [
            {
                "bidder": b,
                "criterion": c,
                "score": str(s),
                **({"lot": lot} if lot is not None else {}),
            }
            for lot, b, c, s in rows
        ]
    )


def marks(
    lot: str | None, bidder: str, q1: Any, q2: Any, **gates: str
) -> list[tuple[str | None, str, str, Any]]:
    return [
        (lot, bidder, "Q1", q1),
        (lot, bidder, "Q2", q2),
        *((lot, bidder, g, v) for g, v in gates.items()),
    ]


def lotted(lots: list[tuple[str, str]], **overrides: Any) -> svengine.Tender:
    """A tender (builders.tender_doc) with lots [(id, contract value)]."""
    return tender(
        lots=[{"id": i, "title": f"Lot {i}", "contract_value": v} for i, v in lots], **overrides
    )


def evaluate(
    tender_obj: svengine.Tender,
    bids: list[dict[str, Any]],
    rows: list[tuple[str | None, str, str, Any]],
    decisions: Any = None,
) -> svengine.Result:
    from svengine.model.award import Decisions

    parsed = Decisions.model_validate(decisions) if decisions is not None else None
    return svengine.evaluate(
        tender_obj, svengine.parse_bids(bids), lot_scores(rows), decisions=parsed
    )


def codes(error: svengine.InvalidInput) -> list[str]:
    return sorted(p.code for p in error.problems)
