"""A contract after award, as contract.yaml declares it, and what is reported against it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from svengine.contract.periods import Period, Reporting, term_end, term_periods
from svengine.contract.rating import Direction
from svengine.problems import Location

Kind = Literal["public_contract", "framework", "concession", "light_touch", "private_utility"]
KINDS: tuple[Kind, ...] = (
    "public_contract",
    "framework",
    "concession",
    "light_touch",
    "private_utility",
)
Decision = Literal["accept", "reduce", "reject"]
DECISIONS: tuple[Decision, ...] = ("accept", "reduce", "reject")


@dataclass(frozen=True)
class Supplier:
    id: str
    name: str
    size: str = "unknown"
    """sme, micro, large or unknown, as the award recorded it."""
    vcse: bool = False


@dataclass(frozen=True)
class Commitment:
    """One social value commitment of the awarded bid: a quantity in the measure's unit."""

    measure: str
    quantity: Decimal
    """Per year for a per-year measure; for the whole term for a whole-term measure."""
    years: int = 1
    schedule: dict[str, Decimal] | None = None
    """Quantities due per period, when the contract sets them instead of the even spread."""


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    unit: str
    target: Decimal
    direction: Direction = "higher"
    approaching_pct: Decimal = Decimal(5)
    inadequate_pct: Decimal = Decimal(20)
    material: bool = False


@dataclass(frozen=True)
class LibraryCopy:
    file: str
    sha256: str


@dataclass(frozen=True)
class Contract:
    id: str
    title: str
    supplier: Supplier
    start: date
    years: int
    reporting: Reporting
    contract_value: Decimal
    currency: str
    library: LibraryCopy
    commitments: tuple[Commitment, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    kind: Kind = "public_contract"
    estimated_value: Decimal | None = None
    no_kpis_reason: str | None = None
    carry_forward: bool = False
    return_due_days: int = 30
    received: dict[str, date] = field(default_factory=dict)
    closed: dict[str, str | None] = field(default_factory=dict)
    """Closed periods, each with the SHA-256 of its return file as it was when closed (None: none)."""
    tender: str | None = None
    lot: str | None = None
    award: dict[str, str] = field(default_factory=dict)

    @property
    def end(self) -> date:
        return term_end(self.start, self.years)

    @property
    def periods(self) -> list[Period]:
        return term_periods(self.start, self.years, self.reporting)


@dataclass(frozen=True)
class ReturnLine:
    measure: str
    quantity: Decimal
    evidence: str
    note: str
    where: Location


@dataclass(frozen=True)
class KpiReport:
    kpi: str
    value: Decimal | None
    note: str
    where: Location


@dataclass(frozen=True)
class ModerationRow:
    measure: str
    decision: Decision
    accepted_quantity: Decimal | None
    rationale: str
    where: Location


@dataclass(frozen=True)
class PeriodFiles:
    """What was reported for one period: the return, the KPI results, the buyer's moderation."""

    period: str
    returns: tuple[ReturnLine, ...] | None = None
    kpis: tuple[KpiReport, ...] | None = None
    moderation: tuple[ModerationRow, ...] = ()
    return_file: str | None = None
    return_sha256: str | None = None
