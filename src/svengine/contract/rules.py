"""The rules a contract folder must follow, as located problems (docs/contracts.md).

- PA 2023 s.52: a public contract with an estimated value over £5 million needs at least three KPIs,
  unless the authority states why its performance could not appropriately be assessed by KPIs
  (`no_kpis_reason`); frameworks, concessions, light-touch contracts and utilities contracts
  awarded by private utilities are exempt.
- Returns: every measure known to the library copied at award, every period one of the term's,
  every quantity a number, no return for a period already closed (changed after closing).
- Moderation: a decision for a claimed measure only; reduce needs an accepted quantity no larger
  than the claim; reduce and reject need a rationale.
- KPI results: a known KPI, a value or (when there is none) a reason.
"""

from __future__ import annotations

from decimal import Decimal

from svengine.contract.model import Contract, PeriodFiles
from svengine.model.library import MeasureLibrary
from svengine.problems import Location, Problem

KPI_THRESHOLD = Decimal(5_000_000)
KPI_MINIMUM = 3
EXEMPT_KINDS = ("framework", "concession", "light_touch", "private_utility")


def s52_applies(contract: Contract) -> bool:
    """Whether s.52 requires at least three KPIs for this contract."""
    value = (
        contract.estimated_value
        if contract.estimated_value is not None
        else contract.contract_value
    )
    return contract.kind not in EXEMPT_KINDS and value > KPI_THRESHOLD


def contract_problems(
    contract: Contract, library: MeasureLibrary, file: str = "contract.yaml"
) -> list[Problem]:
    """Every problem of the contract itself: KPIs under s.52, measures, schedules, KPI fields."""
    problems: list[Problem] = []
    if s52_applies(contract) and len(contract.kpis) < KPI_MINIMUM and not contract.no_kpis_reason:
        value = (
            contract.estimated_value
            if contract.estimated_value is not None
            else contract.contract_value
        )
        problems.append(
            Problem(
                "too_few_kpis",
                f"a {contract.kind.replace('_', ' ')} with an estimated value of {value:,f} "
                f"{contract.currency} (over 5,000,000) needs at least three KPIs (Procurement Act "
                f"2023 s.52(1)); {len(contract.kpis)} set. Add KPIs, or state in no_kpis_reason why "
                "the supplier's performance could not appropriately be assessed by KPIs",
                Location(file=file, path="$.kpis"),
            )
        )
    material = [k for k in contract.kpis if k.material]
    if len(material) > KPI_MINIMUM:
        problems.append(
            Problem(
                "too_many_material",
                f"{len(material)} KPIs are marked material; the contract details notice publishes the "
                "three most material (reg. 32(2)(r)): mark at most three",
                Location(file=file, path="$.kpis"),
            )
        )
    seen: set[str] = set()
    for index, kpi in enumerate(contract.kpis):
        where = Location(file=file, path=f"$.kpis[{index}]")
        if kpi.id in seen:
            problems.append(
                Problem("duplicate_kpi", f'the KPI "{kpi.id}" is declared twice', where)
            )
        seen.add(kpi.id)
        if kpi.inadequate_pct < kpi.approaching_pct:
            problems.append(
                Problem(
                    "bad_thresholds",
                    f"inadequate_pct ({kpi.inadequate_pct}) must be at least approaching_pct "
                    f"({kpi.approaching_pct})",
                    where,
                )
            )
    names = {p.name for p in contract.periods}
    for index, commitment in enumerate(contract.commitments):
        where = Location(file=file, path=f"$.commitments[{index}]")
        if commitment.measure not in library.by_id:
            problems.append(
                Problem(
                    "unknown_measure",
                    f'the measure "{commitment.measure}" is not in the library copied at award',
                    where,
                )
            )
        for period in commitment.schedule or {}:
            if period not in names:
                problems.append(
                    Problem(
                        "period_outside_term",
                        f'the schedule names "{period}", which is not a period of the term '
                        f"({contract.periods[0].name} to {contract.periods[-1].name})",
                        where,
                    )
                )
    for period in [*contract.closed, *contract.received]:
        if period not in names:
            problems.append(
                Problem(
                    "period_outside_term",
                    f'"{period}" is not a period of the term ({contract.periods[0].name} to '
                    f"{contract.periods[-1].name})",
                    Location(file=file),
                )
            )
    return problems


def period_problems(
    contract: Contract, library: MeasureLibrary, files: PeriodFiles
) -> list[Problem]:
    """Every problem of one period's return, KPI results and moderation."""
    problems: list[Problem] = []
    names = [p.name for p in contract.periods]
    if files.period not in names:
        span = f"{names[0]} to {names[-1]}, {contract.reporting}"
        problems.append(
            Problem(
                "period_outside_term",
                f'"{files.period}" is not a period of this contract\'s term ({span})',
                Location(file=files.return_file or f"returns/{files.period}.csv"),
            )
        )
        return problems
    closed = files.period in contract.closed and files.returns is not None
    if closed and files.return_sha256 != contract.closed[files.period]:
        problems.append(
            Problem(
                "period_closed",
                f"{files.period} is closed (contract.yaml closed:) and this return is not the "
                "one it was closed with; a closed period's return cannot be replaced",
                Location(file=files.return_file),
            )
        )
    claimed: set[str] = set()
    for line in files.returns or ():
        if line.measure not in library.by_id:
            problems.append(
                Problem(
                    "unknown_measure",
                    f'the measure "{line.measure}" is not in the library copied at award '
                    f"({contract.library.file})",
                    line.where,
                )
            )
        claimed.add(line.measure)
    decided: set[str] = set()
    for row in files.moderation:
        if row.measure in decided:
            problems.append(
                Problem("duplicate_decision", f"{row.measure} has two decisions", row.where)
            )
        decided.add(row.measure)
        if row.measure not in claimed:
            problems.append(
                Problem(
                    "nothing_claimed",
                    f"{row.measure} is not claimed in the {files.period} return; there is nothing "
                    "to moderate",
                    row.where,
                )
            )
        if row.decision in ("reduce", "reject") and not row.rationale:
            problems.append(
                Problem(
                    "missing_rationale",
                    f"a decision to {row.decision} needs a rationale",
                    row.where,
                )
            )
        if row.decision == "reduce":
            total = sum(
                (line.quantity for line in files.returns or () if line.measure == row.measure),
                Decimal(0),
            )
            if row.accepted_quantity is None:
                problems.append(
                    Problem("missing_value", "a reduction needs accepted_quantity", row.where)
                )
            elif row.accepted_quantity > total or row.accepted_quantity < 0:
                problems.append(
                    Problem(
                        "bad_reduction",
                        f"accepted_quantity {row.accepted_quantity} must be between 0 and the "
                        f"{total} claimed",
                        row.where,
                    )
                )
    known = {k.id for k in contract.kpis}
    for report in files.kpis or ():
        if report.kpi not in known:
            problems.append(
                Problem(
                    "unknown_kpi",
                    f'the KPI "{report.kpi}" is not one of the contract\'s ({", ".join(sorted(known)) or "none"})',
                    report.where,
                )
            )
        if report.value is None and not report.note:
            problems.append(
                Problem(
                    "missing_value",
                    "no value is reported; give the value, or a note saying why there is none "
                    "(rated other)",
                    report.where,
                )
            )
    return problems
