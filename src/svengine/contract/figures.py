"""The contract report's figures: committed, claimed and accepted, per period, measure and theme.

Every figure is exact. Quantities and values are Fractions until they are written: money as a
decimal string when it terminates (`"7800.00"`), otherwise as an exact fraction (`"5635/3"`), the
convention of result.json; percentages are also given rounded to two places, half up.

- committed: the quantity due in the period (svengine.contract.targets) x the proxy of award.
- claimed: the quantity the supplier's return claims, x the proxy.
- accepted: a claim with evidence counts unless the buyer's moderation reduces or rejects it; a
  claim without evidence counts only when a moderation row accepts it. Record-only measures are
  worth 0.
- forecast: the accepted value to date / periods reported x periods in the term (the current rate).
- shortfalls are not carried forward unless contract.yaml says `carry_forward: true`; then a period's
  due value adds every earlier shortfall still open.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from svengine.contract.model import Contract, PeriodFiles
from svengine.contract.periods import Period
from svengine.contract.rating import CATEGORY, Rating, rate, thresholds, worst
from svengine.contract.rules import s52_applies
from svengine.contract.targets import due_quantities
from svengine.model.library import Measure, MeasureLibrary
from svengine.numbers import (
    exact_text,
    money_text,
    round_fraction,
    terminating_places,
    to_exact_decimal,
)

ZERO = Fraction(0)
OVERALL_RULE = (
    "the worst rating of the material KPIs (every KPI when none is marked material) in the latest "
    "period with KPI results; other only when none of them has a value"
)


def money(value: Fraction) -> str:
    """Money exactly: at least two decimals when it terminates, otherwise numerator/denominator."""
    if terminating_places(value) is not None:
        return money_text(to_exact_decimal(value))
    return exact_text(value)


def pct(part: Fraction, whole: Fraction) -> tuple[str | None, str | None]:
    """part as a percentage of whole: (rounded to 2 places half up, exact), or None for a zero base."""
    if not whole:
        return None, None
    value = part * 100 / whole
    return str(round_fraction(value, 2, "half_up")), exact_text(value)


def proxy(measure: Measure) -> Fraction:
    if measure.record_only or measure.proxy_value is None:
        return ZERO
    return Fraction(measure.proxy_value)


@dataclass
class Line:
    """One measure in one period (or cumulatively)."""

    measure: Measure
    committed: Fraction = ZERO
    claimed: Fraction = ZERO
    accepted: Fraction = ZERO
    evidence: bool = False
    decision: str | None = None
    rationale: str | None = None

    def add(self, other: Line) -> None:
        self.committed += other.committed
        self.claimed += other.claimed
        self.accepted += other.accepted

    def values(self) -> tuple[Fraction, Fraction, Fraction]:
        p = proxy(self.measure)
        return self.committed * p, self.claimed * p, self.accepted * p

    def to_json(self, period: bool) -> dict[str, Any]:
        committed, claimed, accepted = self.values()
        out: dict[str, Any] = {
            "measure": self.measure.id,
            "title": self.measure.title,
            "theme": self.measure.theme,
            "unit": self.measure.unit,
            "proxy_value": money(proxy(self.measure)),
            "committed_quantity": exact_text(self.committed),
            "claimed_quantity": exact_text(self.claimed),
            "accepted_quantity": exact_text(self.accepted),
            "committed_value": money(committed),
            "claimed_value": money(claimed),
            "accepted_value": money(accepted),
        }
        if period:
            out["evidence"] = self.evidence
            out["decision"] = self.decision
            out["rationale"] = self.rationale
        return out


def period_lines(
    contract: Contract, library: MeasureLibrary, period: Period, files: PeriodFiles | None
) -> dict[str, Line]:
    """Each measure's committed, claimed and accepted quantity in one period."""
    lines: dict[str, Line] = {}
    for commitment in contract.commitments:
        measure = library.by_id[commitment.measure]
        due = due_quantities(contract, commitment, measure).get(period.name, ZERO)
        line = lines.setdefault(measure.id, Line(measure))
        line.committed += due
    if files is None or files.returns is None:
        return lines
    decisions = {row.measure: row for row in files.moderation}
    for claim in files.returns:
        line = lines.setdefault(claim.measure, Line(library.by_id[claim.measure]))
        line.claimed += Fraction(claim.quantity)
        if claim.evidence:
            line.evidence = True
            line.accepted += Fraction(claim.quantity)
    for measure_id, line in lines.items():
        row = decisions.get(measure_id)
        if row is None:
            continue
        line.decision, line.rationale = row.decision, row.rationale or None
        if row.decision == "accept":
            line.accepted = line.claimed
        elif row.decision == "reject":
            line.accepted = ZERO
        else:
            assert row.accepted_quantity is not None
            line.accepted = Fraction(row.accepted_quantity)
    return lines


def _themes(lines: list[Line]) -> list[dict[str, str]]:
    by_theme: dict[str, list[Fraction]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for line in lines:
        totals = by_theme[line.measure.theme]
        for i, v in enumerate(line.values()):
            totals[i] += v
    return [
        {
            "theme": theme,
            "committed_value": money(c),
            "claimed_value": money(cl),
            "accepted_value": money(a),
        }
        for theme, (c, cl, a) in sorted(by_theme.items())
    ]


def _totals(lines: list[Line]) -> tuple[Fraction, Fraction, Fraction]:
    c = cl = a = ZERO
    for line in lines:
        vc, vcl, va = line.values()
        c, cl, a = c + vc, cl + vcl, a + va
    return c, cl, a


def _late(contract: Contract, period: Period) -> tuple[str | None, bool | None]:
    from datetime import timedelta

    due = period.last + timedelta(days=contract.return_due_days)
    received = contract.received.get(period.name)
    return due.isoformat(), (received > due) if received is not None else None


def kpi_rows(contract: Contract, reported: list[PeriodFiles]) -> list[dict[str, Any]]:
    """Each KPI's value, target and rating in each period with KPI results, in period order."""
    rows: list[dict[str, Any]] = []
    kpis = {k.id: k for k in contract.kpis}
    for files in reported:
        for report in files.kpis or ():
            kpi = kpis[report.kpi]
            approaching, inadequate = thresholds(
                kpi.target, kpi.direction, kpi.approaching_pct, kpi.inadequate_pct
            )
            rating: Rating = (
                "other"
                if report.value is None
                else rate(
                    report.value, kpi.target, kpi.direction, kpi.approaching_pct, kpi.inadequate_pct
                )
            )
            rows.append(
                {
                    "id": kpi.id,
                    "period": files.period,
                    "value": None if report.value is None else exact_text(Fraction(report.value)),
                    "target": exact_text(Fraction(kpi.target)),
                    "rating": rating,
                    "category": CATEGORY[rating],
                    "direction": kpi.direction,
                    "approaching_threshold": exact_text(approaching),
                    "inadequate_threshold": exact_text(inadequate),
                    "material": kpi.material,
                    "note": report.note or None,
                }
            )
    return rows


def overall(contract: Contract, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The overall rating and the rule that made it."""
    if not rows:
        return {"rating": None, "category": None, "period": None, "rule": OVERALL_RULE}
    latest = rows[-1]["period"]
    material = {k.id for k in contract.kpis if k.material} or {k.id for k in contract.kpis}
    ratings: list[Rating] = [
        r["rating"] for r in rows if r["period"] == latest and r["id"] in material
    ]
    result = worst(ratings)
    return {
        "rating": result,
        "category": CATEGORY[result] if result else None,
        "period": latest,
        "rule": OVERALL_RULE,
    }


def contract_figures(
    contract: Contract, library: MeasureLibrary, files: dict[str, PeriodFiles]
) -> dict[str, Any]:
    """Every figure of contract-report.json except its audit block, as JSON-ready values."""
    periods = contract.periods
    reported_names = [
        p.name for p in periods if p.name in files and files[p.name].returns is not None
    ]
    through = reported_names[-1] if reported_names else None
    upto = periods[: [p.name for p in periods].index(through) + 1] if through else []
    cumulative: dict[str, Line] = {}
    period_json: list[dict[str, Any]] = []
    carried = ZERO
    for period in upto:
        current = files.get(period.name)
        lines = period_lines(contract, library, period, current)
        ordered = [lines[k] for k in sorted(lines)]
        committed, claimed, accepted = _totals(ordered)
        due_value = committed + carried if contract.carry_forward else committed
        if contract.carry_forward:
            carried = max(ZERO, due_value - accepted)
        due_date, late = _late(contract, period)
        has_return = current is not None and current.returns is not None
        period_json.append(
            {
                "period": period.name,
                "first_day": period.first.isoformat(),
                "last_day": period.last.isoformat(),
                "return": "received" if has_return else "missing",
                "return_due": due_date,
                "received": contract.received[period.name].isoformat()
                if period.name in contract.received
                else None,
                "late": late,
                "closed": period.name in contract.closed,
                "committed_value": money(committed),
                "due_value": money(due_value),
                "claimed_value": money(claimed),
                "accepted_value": money(accepted),
                "accepted_pct_of_committed": pct(accepted, committed)[0],
                "measures": [line.to_json(True) for line in ordered],
                "themes": _themes(ordered),
            }
        )
        for key, line in lines.items():
            cumulative.setdefault(key, Line(line.measure)).add(line)
    all_lines = [cumulative[k] for k in sorted(cumulative)]
    committed, claimed, accepted = _totals(all_lines)
    term_committed = ZERO
    for commitment in contract.commitments:
        measure = library.by_id[commitment.measure]
        term_committed += sum(due_quantities(contract, commitment, measure).values(), ZERO) * proxy(
            measure
        )
    forecast = accepted * len(periods) / len(upto) if upto else ZERO
    value = Fraction(contract.contract_value)
    rows = kpi_rows(contract, [files[p.name] for p in periods if p.name in files])
    share_value, share_exact = pct(accepted, value)
    of_committed, of_committed_exact = pct(accepted, committed)
    forecast_pct, _ = pct(forecast, term_committed)
    return {
        "reported_through": through,
        "cumulative": {
            "committed_value": money(committed),
            "claimed_value": money(claimed),
            "accepted_value": money(accepted),
            "accepted_pct_of_contract_value": share_value,
            "accepted_pct_of_contract_value_exact": share_exact,
            "accepted_pct_of_committed": of_committed,
            "accepted_pct_of_committed_exact": of_committed_exact,
            "committed_value_term": money(term_committed),
            "committed_pct_of_contract_value": pct(term_committed, value)[0],
            "forecast_value": money(forecast),
            "forecast_pct_of_committed_term": forecast_pct,
            "periods_reported": len(reported_names),
            "periods_to_date": len(upto),
            "periods_in_term": len(periods),
            "returns_late": sum(1 for p in period_json if p["late"]),
            "returns_missing": sum(1 for p in period_json if p["return"] == "missing"),
        },
        "periods": period_json,
        "measures": [line.to_json(False) for line in all_lines],
        "themes": _themes(all_lines),
        "kpis": rows,
        "overall": overall(contract, rows),
        "s52": {
            "applies": s52_applies(contract),
            "kpis": len(contract.kpis),
            "material": [k.id for k in contract.kpis if k.material],
            "no_kpis_reason": contract.no_kpis_reason,
        },
    }
