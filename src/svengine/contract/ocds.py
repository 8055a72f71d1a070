"""A contract's KPIs and assessments as an OCDS 1.1 release package (docs/contracts.md).

KPIs become `contracts[].agreedMetrics` (the metrics extension; or the UK extension's
`noAgreedMetricsRationale` when none were set); each period's KPI results become
`contracts[].implementation.metrics[].observations[]` with `period`, `measure`, `unit` and the UK
extension's `measureClassification` (a Classification whose `id` is one of the five UK values and
whose `description` is the reg. 39(5) words). The five ratings map:

    good -> met, approaching_target -> slightlyBelow, requires_improvement -> below,
    inadequate -> significantlyBelow, other -> other

The release has the award's OCID (`{prefix}-{tender id}`, as `svengine ocds` writes it) and the
contract's `awardID` is that package's award id, so ocdskit's `compile` merges the award and the
contract's performance into one compiled release. tests/test_contract_ocds.py validates the package
against OCDS 1.1 with the metrics and UK extensions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from svengine.contract.model import Contract

CLASSIFICATION = {
    "good": "met",
    "approaching_target": "slightlyBelow",
    "requires_improvement": "below",
    "inadequate": "significantlyBelow",
    "other": "other",
}
RATING_WORDS = {
    "good": "Good",
    "approaching_target": "Approaching target",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    "other": "Other",
}
"""The reg. 39(5) category names (Procurement Regulations 2024) shown as the description."""
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json",
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
]
SINGLE_LOT = "1"
"""The lot id of a tender not divided into lots, as `svengine ocds` writes the award's id."""


@dataclass(frozen=True)
class ContractOcdsOptions:
    """What the release needs that a contract folder does not record (`svengine contract ocds`)."""

    ocid_prefix: str = "ocds-xxxxxx"
    """The publisher's registered OCID prefix (the same as the award's package)."""
    published: str | None = None
    """RFC 3339 date-time; by default the latest return received, else the last period's end."""
    publisher: str = "svengine"
    uri: str | None = None


def published_date(contract: Contract, report: dict[str, Any]) -> str:
    """The default release date: deterministic, from what the contract folder records."""
    received = [
        contract.received[row["period"]]
        for row in report["periods"]
        if row["period"] in contract.received
    ]
    if received:
        return f"{max(received).isoformat()}T00:00:00Z"
    periods = {p.name: p for p in contract.periods}
    through = report.get("reported_through")
    day = periods[through].last if through in periods else contract.start
    return f"{day.isoformat()}T00:00:00Z"


def ocds_release(
    contract: Contract, report: dict[str, Any], options: ContractOcdsOptions | None = None
) -> dict[str, Any]:
    """The release package holding one release: the contract's KPIs and every assessment."""
    options = options or ContractOcdsOptions()
    published = options.published or published_date(contract, report)
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
                    "startDate": f"{period.first.isoformat()}T00:00:00Z",
                    "endDate": f"{period.last.isoformat()}T23:59:59Z",
                },
            }
            if row["value"] is not None:
                observation["measure"] = row["value"]
            observation["unit"] = {"name": kpi.unit}
            observation["measureClassification"] = {
                "id": CLASSIFICATION[row["rating"]],
                "description": RATING_WORDS[row["rating"]],
            }
            if row["note"]:
                observation["notes"] = row["note"]
            observations.append(observation)
        metric: dict[str, Any] = {"id": kpi.id, "title": kpi.title}
        if observations:
            metric["observations"] = observations
        metrics.append(metric)
    entry: dict[str, Any] = {
        "id": contract.id,
        "awardID": f"{contract.lot or SINGLE_LOT}-{contract.supplier.id}",
        "title": contract.title,
        "period": {
            "startDate": f"{contract.start.isoformat()}T00:00:00Z",
            "endDate": f"{contract.end.isoformat()}T23:59:59Z",
        },
        "value": {"amount": contract.contract_value, "currency": contract.currency},
    }
    if contract.kpis:
        entry["agreedMetrics"] = [
            {
                "id": kpi.id,
                "title": kpi.title,
                "observations": [
                    {
                        "id": f"{kpi.id}-target",
                        "measure": str(kpi.target),
                        "unit": {"name": kpi.unit},
                    }
                ],
            }
            for kpi in contract.kpis
        ]
    else:
        entry["noAgreedMetricsRationale"] = contract.no_kpis_reason or "No KPIs were set."
    reported = [m for m in metrics if "observations" in m]
    if reported:
        entry["implementation"] = {"metrics": reported}
    through = report.get("reported_through")
    release = {
        "ocid": f"{options.ocid_prefix}-{contract.tender or contract.id}",
        "id": f"{contract.id}-performance-{through or 'none'}",
        "date": published,
        "tag": ["implementation"] if reported else ["contract"],
        "initiationType": "tender",
        "language": "en",
        "contracts": [entry],
    }
    return {
        "uri": options.uri or f"urn:svengine:ocds:{contract.id}:performance",
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": published,
        "publisher": {"name": options.publisher},
        "releases": [release],
    }
