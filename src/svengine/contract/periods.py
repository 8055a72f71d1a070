"""Reporting periods: calendar quarters (`2026-Q2`), months (`2026-04`) or years (`2026`).

A contract's term runs from its start date for a whole number of years (the day before the same
date `years` later). Its periods are the calendar periods of the reporting frequency that overlap
the term, in order; the first and last may be partial (a contract starting on 15 May reports for
15 May to 30 June as `2026-Q2`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Reporting = Literal["monthly", "quarterly", "annual"]
REPORTING: tuple[Reporting, ...] = ("monthly", "quarterly", "annual")

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: its name and its first and last calendar days (inclusive)."""

    first: date
    last: date
    name: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def add_years(day: date, years: int) -> date:
    """The same calendar date `years` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def term_end(start: date, years: int) -> date:
    """The last day of a term of `years` whole years from `start`."""
    return add_years(start, years) - timedelta(days=1)


def calendar_period(day: date, reporting: Reporting) -> Period:
    """The whole calendar period of `reporting` that holds `day`."""
    if reporting == "monthly":
        first = date(day.year, day.month, 1)
        return Period(
            first, add_months(first, 1) - timedelta(days=1), f"{day.year}-{day.month:02d}"
        )
    if reporting == "quarterly":
        quarter = (day.month - 1) // 3 + 1
        first = date(day.year, 3 * quarter - 2, 1)
        return Period(first, add_months(first, 3) - timedelta(days=1), f"{day.year}-Q{quarter}")
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), f"{day.year}")


def term_periods(start: date, years: int, reporting: Reporting) -> list[Period]:
    """The periods of the term, in order, each cut to the term (the first and last may be partial)."""
    end = term_end(start, years)
    periods: list[Period] = []
    day = start
    while day <= end:
        whole = calendar_period(day, reporting)
        periods.append(Period(max(whole.first, start), min(whole.last, end), whole.name))
        day = whole.last + timedelta(days=1)
    return periods


def period_kind(name: str) -> Reporting | None:
    """Which reporting frequency a period name belongs to, or None if it is not a period name."""
    if _QUARTER.fullmatch(name):
        return "quarterly"
    if _MONTH.fullmatch(name):
        return "monthly"
    if _YEAR.fullmatch(name):
        return "annual"
    return None


def contract_year(day: date, start: date) -> int:
    """Which year of the contract (1, 2, ...) `day` falls in."""
    year = day.year - start.year
    if add_years(start, year) > day:
        year -= 1
    return year + 1
