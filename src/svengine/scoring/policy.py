"""Policy checks: warnings about the published method, never changing a figure.

They look at the tender and the result only (no other file), so result.json stays reproducible
from its recorded inputs. Comparison with a published methodology file is `compare_methods`, run by
the command line (docs/award.md).
"""

from __future__ import annotations

from typing import Any

from svengine.model.award_result import PolicyWarning
from svengine.model.result import Result
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.seal.digests import method_document

PPN_002_MIN_SOCIAL_VALUE = 10
"""PPN 002 (Procurement Act 2023; formerly PPN 06/20): central government gives social value at
least 10% of the total.
"""


def policy_warnings(tender: Tender, result: Result) -> list[PolicyWarning]:
    warnings: list[PolicyWarning] = []
    share = tender.weights.social_value * 100 / tender.points_total  # % of the declared total
    if tender.authority == "central_government" and share < PPN_002_MIN_SOCIAL_VALUE:
        note = "PPN 06/20" if tender.regime in ("pcr2015", "pcsr2015") else "PPN 002"
        warnings.append(
            PolicyWarning(
                code="social_value_below_ppn",
                message="central government gives social value "
                f"{decimal_text(share)}% of the total;"
                f" {note} expects at least {PPN_002_MIN_SOCIAL_VALUE}%",
            )
        )
    if tender.price.method == "min_max_linear" and tender.weights.price > 0:
        lots = (
            [(lot.id, lot.summary.ranked) for lot in result.lots]
            if result.lots is not None
            else [(None, result.summary.ranked)]
        )
        for lot_id, ranked in lots:
            if ranked == 2:
                where = f"lot {lot_id}: " if lot_id is not None else ""
                warnings.append(
                    PolicyWarning(
                        code="min_max_two_bids",
                        message=f"{where}min-max linear price scoring met only two valid bids: the "
                        "lower price gets every price point"
                        " and the other none, so it collapses to lowest price wins the price block",
                    )
                )
    if tender.regime is None and (tender.lots or tender.award is not None or tender.gates):
        warnings.append(
            PolicyWarning(
                code="regime_not_stated",
                message="the tender does not say which regime applies (regime: pa2023, pcr2015 or pcsr2015)",
            )
        )
    return warnings


def compare_methods(published: Tender, used: Tender) -> list[PolicyWarning]:
    """Every field of the evaluation method where the tender differs from the published methodology.

    Both are compared as their method documents (the tender without its wording; docs/audit.md), field
    by field, so weights, thresholds, formulas, rounding, award rules and measure values are all covered.
    """
    differences: list[PolicyWarning] = []
    for path, was, now in _walk(method_document(published), method_document(used), ""):
        differences.append(
            PolicyWarning(
                code="differs_from_methodology",
                message=f"{path}: the published methodology says {_show(was)}, this tender says {_show(now)}",
            )
        )
    return differences


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "nothing"
    return "null" if value is None else str(value)


_ABSENT = object()


def _walk(a: Any, b: Any, path: str) -> list[tuple[str, Any, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in [*a, *(k for k in b if k not in a)]:
            joined = (
                f"{path}{key}" if key.startswith("[") else f"{path}.{key}" if path else str(key)
            )
            out += _walk(a.get(key, _ABSENT), b.get(key, _ABSENT), joined)
        return out
    if isinstance(a, list) and isinstance(b, list):
        keyed_a, keyed_b = _by_id(a), _by_id(b)
        if keyed_a is not None and keyed_b is not None:
            return _walk(keyed_a, keyed_b, path)
        if len(a) == len(b):
            return [
                d
                for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in _walk(x, y, f"{path}[{i}]")
            ]
    return [] if a == b else [(path, a, b)]


def _by_id(items: list[Any]) -> dict[str, Any] | None:
    if items and all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        ids = [i["id"] for i in items]
        if len(set(ids)) == len(ids):
            return {f"[{i}]": item for i, item in zip(ids, items, strict=True)}
    return None
