"""The contract report as a page (Markdown and self-contained HTML), from contract-report.json.

Built on the one document model (report/document.py). The charts (cumulative committed against
accepted, each KPI's trend against its target) are pygal SVG drawn inline in the HTML, fetching
nothing (report/charts.py); beside each, its figures stay in a table (text bars), which is also what
the Markdown shows; the rating history is a table of the reg. 39(5) categories.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from svengine.contract.rating import CATEGORY, DEFINITION, RATINGS
from svengine.report.document import Document

BAR = 30


def _f(text: str | None) -> Fraction:
    return Fraction(text) if text else Fraction(0)


def _bar(value: Fraction, top: Fraction) -> str:
    if top <= 0 or value <= 0:
        return ""
    return "█" * max(1, round(value * BAR / top))


def contract_page(report: dict[str, Any]) -> Document:
    c = report["contract"]
    cur = c["currency"]
    doc = Document(f"Contract report: {c['title']} ({c['id']})")
    doc.para(
        f"Supplier {c['supplier']['name']} ({c['supplier']['id']}, {c['supplier']['size']}"
        f"{', VCSE' if c['supplier']['vcse'] else ''}); {c['start']} to {c['end']}; reported "
        f"{c['reporting']}; contract value {c['contract_value']} {cur}."
    )
    doc.heading("What the figures say")
    doc.items(report["explanation"])
    cum = report["cumulative"]
    doc.heading("Cumulative")
    doc.table(
        ["Figure", f"Value ({cur})"],
        [
            ["Committed to date", cum["committed_value"]],
            ["Claimed to date", cum["claimed_value"]],
            ["Accepted to date", cum["accepted_value"]],
            ["Accepted, % of contract value", cum["accepted_pct_of_contract_value"] or "-"],
            ["Accepted, % of committed to date", cum["accepted_pct_of_committed"] or "-"],
            ["Committed over the term", cum["committed_value_term"]],
            ["Forecast to the end of the term", cum["forecast_value"]],
        ],
        right=[False, True],
    )
    doc.heading("Cumulative committed against accepted (chart)")
    rows = []
    committed = accepted = Fraction(0)
    points = []
    for p in report["periods"]:
        committed += _f(p["committed_value"])
        accepted += _f(p["accepted_value"])
        points.append((p["period"], committed, accepted))
    from svengine.report import charts  # pygal is imported only when a page is drawn

    doc.figure(
        charts.lines(
            "cumulative",
            f"Cumulative social value ({cur})",
            [name for name, _, _ in points],
            [
                ("Committed", [float(a) for _, a, _ in points]),
                ("Accepted (delivered)", [float(b) for _, _, b in points]),
            ],
            charts.money_label,
        ),
        "cumulative value committed against value accepted as delivered, period by period",
    )
    top = max([max(a, b) for _, a, b in points], default=Fraction(0))
    for name, a, b in points:
        rows.append([name, "committed " + _bar(a, top), "accepted " + _bar(b, top)])
    doc.table(["Period", "Committed (cumulative)", "Accepted (cumulative)"], rows)
    doc.heading("Periods")
    doc.table(
        ["Period", "Return", "Due", "Received", "Late", "Committed", "Claimed", "Accepted"],
        [
            [
                p["period"],
                p["return"],
                p["return_due"],
                p["received"] or "-",
                "yes" if p["late"] else ("no" if p["late"] is False else "-"),
                p["committed_value"],
                p["claimed_value"],
                p["accepted_value"],
            ]
            for p in report["periods"]
        ],
        right=[False] * 5 + [True] * 3,
    )
    for p in report["periods"]:
        moderated = [m for m in p["measures"] if m["decision"]]
        if moderated:
            doc.para(
                f"{p['period']} moderation: "
                + "; ".join(
                    f"{m['measure']} {m['decision']} ({m['rationale'] or 'no rationale'})"
                    for m in moderated
                )
            )
    doc.heading("By theme (to date)")
    doc.table(
        ["Theme", "Committed", "Claimed", "Accepted"],
        [
            [t["theme"], t["committed_value"], t["claimed_value"], t["accepted_value"]]
            for t in report["themes"]
        ],
        right=[False, True, True, True],
    )
    doc.heading("KPIs: trend and rating history")
    if not report["kpis"]:
        doc.para("No KPI results reported.")
    for kpi in c["kpis"]:
        history = [k for k in report["kpis"] if k["id"] == kpi["id"]]
        doc.heading(
            f"{kpi['id']} {kpi['title']} (target {kpi['target']} {kpi['unit']}, {kpi['direction']} is better)",
            3,
        )
        doc.figure(
            charts.lines(
                f"kpi-{len(doc.blocks)}",
                f"{kpi['id']}: value against target ({kpi['unit']})",
                [k["period"] for k in history],
                [
                    ("Value", [float(_f(k["value"])) if k["value"] else None for k in history]),
                    ("Target", [float(_f(kpi["target"]))] * len(history)),
                ],
                charts.figure_label,
            ),
            f"{kpi['id']} trend: the value reported each period against the target",
        )
        top = max([_f(k["value"]) for k in history] + [_f(kpi["target"])])
        doc.table(
            ["Period", "Value", "Trend", "Rating (reg. 39(5))"],
            [
                [k["period"], k["value"] or "-", _bar(_f(k["value"]), top), k["category"]]
                for k in history
            ],
            right=[False, True, False, False],
        )
    doc.heading("The ratings (Procurement Regulations 2024, reg. 39(5))", 3)
    doc.table(
        ["Rating", "Description"],
        [[CATEGORY[rating], DEFINITION[rating]] for rating in RATINGS],
    )
    overall = report["overall"]
    if overall["rating"]:
        doc.para(
            f"Overall rating for {overall['period']}: {overall['category']}. Rule: {overall['rule']}."
        )
    doc.heading("Audit")
    doc.para(f"report_sha256 {report['audit']['report_sha256']}; inputs:")
    doc.table(["File", "SHA-256"], sorted(report["audit"]["inputs"].items()))
    return doc
