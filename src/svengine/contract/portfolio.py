"""The portfolio: every contract's report against the authority's targets (portfolio.yaml).

Committed (over the term) and accepted (to date) social value by theme, by supplier and by supplier
size (SME, VCSE); the share of contract value with SMEs and VCSEs; each target met or not; contracts
falling behind (accepted below committed to date) listed first, the furthest behind first; and the
KPI assessments due within 60 days of the as-of date: PA 2023 s.71(2) asks for an assessment at
least once in every twelve months and on termination, so each contract's next one is due twelve
months after the end of the last period with KPI results (or after the start, when none), and no
later than the end of the term.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from svengine.contract.figures import money, pct
from svengine.contract.periods import add_years

DUE_WINDOW_DAYS = 60


def next_assessment(report: dict[str, Any], last_day_of: dict[str, date]) -> date | None:
    """When the next KPI assessment is due under s.71(2) (None for a contract with no KPIs)."""
    contract = report["contract"]
    if not contract["kpis"]:
        return None
    periods = [row["period"] for row in report["kpis"]]
    start = date.fromisoformat(contract["start"])
    last = max((last_day_of[p] for p in periods), default=start - timedelta(days=1))
    end = date.fromisoformat(contract["end"])
    return min(add_years(last, 1), end)


def _f(text: str | None) -> Fraction:
    return Fraction(text) if text else Fraction(0)


def portfolio(
    reports: list[tuple[str, dict[str, Any], dict[str, date]]],
    targets: dict[str, Decimal],
    as_of: date,
) -> dict[str, Any]:
    """The portfolio document from each contract's (folder, report, last day of each period)."""
    groups: dict[str, dict[str, list[Fraction]]] = {
        "theme": defaultdict(lambda: [Fraction(0)] * 2),
        "supplier": defaultdict(lambda: [Fraction(0)] * 2),
        "size": defaultdict(lambda: [Fraction(0)] * 2),
    }
    spend: dict[str, Fraction] = defaultdict(Fraction)
    contracts = []
    due = []
    total_value = total_committed = Fraction(0)
    for folder, report, last_day_of in reports:
        c, cum = report["contract"], report["cumulative"]
        value = _f(c["contract_value"])
        total_value += value
        committed_term = _f(cum["committed_value_term"])
        total_committed += committed_term
        sizes = [
            c["supplier"]["size"]
            if c["supplier"]["size"] in ("sme", "micro")
            else "large_or_unknown"
        ]
        if c["supplier"]["size"] == "micro":
            sizes = ["sme"]
        if c["supplier"]["vcse"]:
            sizes.append("vcse")
        for size in sizes:
            spend[size] += value
            groups["size"][size][0] += committed_term
            groups["size"][size][1] += _f(cum["accepted_value"])
        supplier = f"{c['supplier']['id']} {c['supplier']['name']}"
        groups["supplier"][supplier][0] += committed_term
        groups["supplier"][supplier][1] += _f(cum["accepted_value"])
        for theme in report["themes"]:  # to date: committed and accepted over the same periods
            groups["theme"][theme["theme"]][0] += _f(theme["committed_value"])
            groups["theme"][theme["theme"]][1] += _f(theme["accepted_value"])
        committed_pct = pct(committed_term, value)[0]
        delivered = pct(_f(cum["accepted_value"]), _f(cum["committed_value"]))
        behind = _f(cum["accepted_value"]) < _f(cum["committed_value"])
        minimum = targets.get("min_sv_pct_over_100k")
        below_minimum = (
            minimum is not None
            and value > 100_000
            and committed_term * 100 < value * Fraction(minimum)
        )
        contracts.append(
            {
                "folder": folder,
                "id": c["id"],
                "title": c["title"],
                "supplier": c["supplier"],
                "contract_value": c["contract_value"],
                "committed_value_term": cum["committed_value_term"],
                "committed_pct_of_contract_value": committed_pct,
                "committed_value": cum["committed_value"],
                "accepted_value": cum["accepted_value"],
                "accepted_pct_of_committed": delivered[0],
                "behind": behind,
                "below_minimum_social_value": below_minimum,
                "overall_rating": report["overall"]["rating"],
                "_rank": (not behind, _f(delivered[1]) if delivered[1] else Fraction(100), c["id"]),
            }
        )
        next_due = next_assessment(report, last_day_of)
        if next_due is not None and next_due <= as_of + timedelta(days=DUE_WINDOW_DAYS):
            due.append(
                {
                    "contract": c["id"],
                    "due": next_due.isoformat(),
                    "overdue": next_due < as_of,
                    "rule": "s.71(2): at least once in every twelve months, and on termination",
                }
            )
    contracts.sort(key=lambda row: row["_rank"])
    for row in contracts:
        del row["_rank"]
    additionality = pct(total_committed, total_value)[0]
    checks: list[dict[str, Any]] = []
    for name, figure in (
        ("additionality_pct", additionality),
        ("sme_spend_pct", pct(spend["sme"], total_value)[0]),
        ("vcse_spend_pct", pct(spend["vcse"], total_value)[0]),
    ):
        if name in targets:
            checks.append(
                {
                    "target": name,
                    "value": figure,
                    "goal": str(targets[name]),
                    "met": figure is not None and Decimal(figure) >= targets[name],
                }
            )
    if "min_sv_pct_over_100k" in targets:
        failing = [row["id"] for row in contracts if row["below_minimum_social_value"]]
        checks.append(
            {
                "target": "min_sv_pct_over_100k",
                "value": None,
                "goal": str(targets["min_sv_pct_over_100k"]),
                "met": not failing,
                "contracts_below": failing,
            }
        )

    def table(group: dict[str, list[Fraction]]) -> list[dict[str, str]]:
        return [
            {"name": k, "committed_value_term": money(v[0]), "accepted_value": money(v[1])}
            for k, v in sorted(group.items())
        ]

    return {
        "as_of": as_of.isoformat(),
        "contracts": contracts,
        "totals": {
            "contracts": len(contracts),
            "contract_value": money(total_value),
            "committed_value_term": money(total_committed),
            "accepted_value": money(sum((_f(r["accepted_value"]) for r in contracts), Fraction(0))),
            "additionality_pct": additionality,
            "sme_spend_pct": pct(spend["sme"], total_value)[0],
            "vcse_spend_pct": pct(spend["vcse"], total_value)[0],
        },
        "targets": checks,
        "by_theme": table(groups["theme"]),
        "by_supplier": table(groups["supplier"]),
        "by_size": table(groups["size"]),
        "kpi_assessments_due": sorted(due, key=lambda d: d["due"]),
    }
