"""Each commitment as quantities due per reporting period, exactly.

- A per-year measure committed for N years is due in each of the first N contract years (never
  beyond the term), each year's quantity spread evenly over that year's periods.
- A first-year-only measure is due once, spread evenly over the first contract year's periods.
- A whole-term measure (`basis: total`) is spread evenly over every period of the term.
- A commitment with a `schedule` is due exactly as the schedule says.

A period belongs to the contract year in which its first day (within the term) falls. Quantities
are Fractions: a year's 5 FTE-years over 12 months is 5/12 a month, never a rounded 0.4167.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from svengine.contract.model import Commitment, Contract
from svengine.contract.periods import Period, contract_year
from svengine.model.library import Measure


def years_due(commitment: Commitment, measure: Measure, term_years: int) -> int:
    """How many contract years a commitment is due in (1 for first-year-only and whole-term)."""
    if measure.first_year_only or measure.basis == "total":
        return 1
    return max(1, min(commitment.years, term_years))


def due_quantities(
    contract: Contract, commitment: Commitment, measure: Measure
) -> dict[str, Fraction]:
    """The quantity of one commitment due in each period of the term (periods with none left out)."""
    periods = contract.periods
    if commitment.schedule is not None:
        return {name: Fraction(q) for name, q in commitment.schedule.items() if q}
    if measure.basis == "total" and not measure.first_year_only:
        share = Fraction(commitment.quantity) / len(periods)
        return {p.name: share for p in periods}
    by_year: dict[int, list[Period]] = defaultdict(list)
    for period in periods:
        by_year[contract_year(period.first, contract.start)].append(period)
    due: dict[str, Fraction] = {}
    for year in range(1, years_due(commitment, measure, contract.years) + 1):
        in_year = by_year.get(year, [])
        for period in in_year:
            due[period.name] = due.get(period.name, Fraction(0)) + Fraction(
                commitment.quantity
            ) / len(in_year)
    return due


def committed_total(contract: Contract, commitment: Commitment, measure: Measure) -> Fraction:
    """The whole quantity committed over the term (the sum of what is due)."""
    return sum(due_quantities(contract, commitment, measure).values(), Fraction(0))
