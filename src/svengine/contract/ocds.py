"""A contract's KPIs and assessments as an OCDS release (docs/contracts.md, "Published as OCDS").

KPIs become `contracts[].agreedMetrics` (or `noAgreedMetricsRationale` when none were set); each
period's KPI results become `contracts[].implementation.metrics[].observations[]` with `period`,
`measure`, `unit` and the UK extension's `measureClassification`. The five ratings map:

    good -> met, approaching_target -> slightlyBelow, requires_improvement -> below,
    inadequate -> significantlyBelow, other -> other

Standalone: this module builds the JSON only; validation against the OCDS schema and the UK
extension belongs to `svengine.ocds` (another branch) and is not done here.
"""

from __future__ import annotations

from typing import Any

from svengine.contract.model import Contract

CLASSIFICATION = {
    "good": "met",
    "approaching_target": "slightlyBelow",
    "requires_improvement": "below",
    "inadequate": "significantlyBelow",
    "other": "other",
}


def ocds_release(contract: Contract, report: dict[str, Any]) -> dict[str, Any]:
    """One OCDS release holding the contract's KPIs and every reported assessment."""
    periods = {p.name: p for p in contract.periods}
    metrics = []
    for kpi in contract.kpis:
        observations = []
        for row in report["kpis"]:
            if row["id"] != kpi.id:
                continue
            period = periods[row["period"]]
            observation: dict[str, Any] = {
                "id": f"{kpi.id}-{row['period']}",
                "period": {
                    "startDate": period.first.isoformat(),
                    "endDate": period.last.isoformat(),
                },
                "measure": row["value"],
                "unit": {"name": kpi.unit},
                "measureClassification": CLASSIFICATION[row["rating"]],
            }
            if row["note"]:
                observation["notes"] = row["note"]
            observations.append(observation)
        metrics.append({"id": kpi.id, "title": kpi.title, "observations": observations})
    agreed = [
        {
            "id": kpi.id,
            "title": kpi.title,
            "observations": [
                {"id": f"{kpi.id}-target", "measure": str(kpi.target), "unit": {"name": kpi.unit}}
            ],
        }
        for kpi in contract.kpis
    ]
    entry: dict[str, Any] = {
        "id": contract.id,
        "awardID": contract.tender or contract.id,
        "title": contract.title,
        "period": {"startDate": contract.start.isoformat(), "endDate": contract.end.isoformat()},
        "value": {"amount": str(contract.contract_value), "currency": contract.currency},
        "implementation": {"metrics": metrics},
    }
    if agreed:
        entry["agreedMetrics"] = agreed
    else:
        entry["noAgreedMetricsRationale"] = contract.no_kpis_reason or ""
    return {
        "ocid": f"ocds-svengine-{contract.tender or contract.id}",
        "id": f"{contract.id}-performance-{report['reported_through'] or 'none'}",
        "date": None,
        "tag": ["contractImplementation"],
        "initiationType": "tender",
        "contracts": [entry],
    }
