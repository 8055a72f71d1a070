"""contract-report.json: the figures, the words that explain them, and the audit block."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from svengine.contract.figures import contract_figures
from svengine.contract.model import Contract, PeriodFiles
from svengine.model.library import MeasureLibrary
from svengine.numbers import money_text
from svengine.seal.canonical import canonical_json, sha256_hex
from svengine.version import __version__

REPORT_FILE = "contract-report.json"


def _explain(contract: Contract, figures: dict[str, Any]) -> list[str]:
    c = figures["cumulative"]
    cur = contract.currency
    words = [
        f"{contract.title} ({contract.id}) with {contract.supplier.name} runs from "
        f"{contract.start.isoformat()} to {contract.end.isoformat()} ({contract.years} years), reported "
        f"{contract.reporting} in {c['periods_in_term']} periods; contract value "
        f"{money_text(contract.contract_value)} {cur}.",
        f"Committed social value over the whole term is {c['committed_value_term']} {cur}: each commitment's "
        "quantity due in each period times the proxy value of the measure library copied at award.",
    ]
    if figures["reported_through"] is None:
        words.append("No return has been received yet, so nothing is claimed or accepted.")
        return words
    words += [
        f"To {figures['reported_through']} ({c['periods_to_date']} periods, {c['periods_reported']} with a return), "
        f"{c['committed_value']} {cur} was committed, {c['claimed_value']} {cur} claimed and "
        f"{c['accepted_value']} {cur} accepted: a claim with evidence counts unless the buyer reduced or "
        "rejected it; a claim without evidence counts only when the buyer accepted it.",
        f"Accepted social value is {c['accepted_pct_of_contract_value']}% of the contract value and "
        f"{c['accepted_pct_of_committed']}% of the value committed to date.",
        f"At the current rate (accepted value to date / {c['periods_to_date']} periods x "
        f"{c['periods_in_term']} periods) the term would deliver {c['forecast_value']} {cur}, "
        f"{c['forecast_pct_of_committed_term']}% of the value committed for the term.",
    ]
    if c["returns_late"] or c["returns_missing"]:
        words.append(
            f"{c['returns_late']} return(s) arrived late and {c['returns_missing']} are missing."
        )
    overall = figures["overall"]
    if overall["rating"]:
        words.append(
            f"Overall KPI rating for {overall['period']}: {overall['category']} ({overall['rule']})."
        )
    return words


def build_report(
    contract: Contract,
    library: MeasureLibrary,
    periods: Mapping[str, PeriodFiles],
    files: Mapping[str, bytes],
) -> dict[str, Any]:
    """The whole contract-report.json document, sealed by report_sha256."""
    figures = contract_figures(contract, library, dict(periods))
    document: dict[str, Any] = {
        "contract": {
            "id": contract.id,
            "title": contract.title,
            "tender": contract.tender,
            "lot": contract.lot,
            "kind": contract.kind,
            "supplier": {
                "id": contract.supplier.id,
                "name": contract.supplier.name,
                "size": contract.supplier.size,
                "vcse": contract.supplier.vcse,
            },
            "start": contract.start.isoformat(),
            "end": contract.end.isoformat(),
            "years": contract.years,
            "reporting": contract.reporting,
            "contract_value": money_text(contract.contract_value),
            "currency": contract.currency,
            "library": {
                "file": contract.library.file,
                "sha256": contract.library.sha256,
                "id": library.id,
                "version": library.version,
            },
            "kpis": [
                {
                    "id": k.id,
                    "title": k.title,
                    "unit": k.unit,
                    "target": str(k.target),
                    "direction": k.direction,
                    "approaching_pct": str(k.approaching_pct),
                    "inadequate_pct": str(k.inadequate_pct),
                    "material": k.material,
                }
                for k in contract.kpis
            ],
        },
        **figures,
        "explanation": _explain(contract, figures),
        "audit": {
            "engine": {"name": "svengine", "version": __version__},
            "inputs": {
                path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())
            },
        },
    }
    document["audit"]["report_sha256"] = sha256_hex(canonical_json(document))
    return document


def report_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def seal_ok(document: dict[str, Any]) -> bool:
    """Whether a contract-report.json document matches its report_sha256."""
    audit = dict(document.get("audit") or {})
    recorded = audit.pop("report_sha256", None)
    return bool(recorded == sha256_hex(canonical_json({**document, "audit": audit})))
