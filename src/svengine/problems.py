"""Problems with input: data with a stable code, a sentence and a precise place.

Readers and checks collect every problem rather than stopping at the first, so a procurement
officer fixes all mistakes in one go. An evaluation refuses to run while any problem is left.

Exceptions a caller can catch::

    SvengineError
     +-- InvalidInput          input has problems; `.problems` lists every one with its place
     +-- OutputExists          a file to be written exists already (pass force=True to replace it)
     +-- VerifyError           svengine.audit.verify: a recorded evaluation cannot be checked
     +-- BundleError           svengine.audit.bundle: a bundle cannot be written or read
     +-- SheetRefused          svengine.excel.sheets: a workbook is refused before it is parsed
     +-- NothingToPrice        svengine.excel.price_template: the tender has no priced lines

Every code a `Problem` may carry is declared in `svengine.problem_codes` (docs/problems.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace

from svengine.problem_codes import PROBLEM_CODES


# Slots: every imported row and score keeps one, so its size counts (docs/performance.md).
@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file and, inside it, a line, a JSON path or a sheet cell."""

    file: str | None = None
    line: int | None = None
    path: str | None = None  # JSON path, for example $.bids[0].price
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if self.sheet is not None:
            cell = f"{self.sheet}!{self.column or ''}{self.row or ''}"
            where = f"{where} {cell}" if where else cell
        elif self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
            if self.column:
                where += f" ({self.column})"
        if self.path and self.path != "$":
            where = f"{where} {self.path}" if where else self.path
        return where or "(input)"

    def to_dict(self) -> dict[str, str | int]:
        values = ((f.name, getattr(self, f.name)) for f in fields(self))
        return {k: v for k, v in values if v is not None}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    `code` is stable (tender systems switch on it); `message` is a sentence for a person.
    `bidder` and `criterion` name what the problem concerns, when it concerns one.
    """

    code: str
    message: str
    location: Location = field(default_factory=Location)
    bidder: str | None = None
    criterion: str | None = None

    def __post_init__(self) -> None:
        if (
            self.code not in PROBLEM_CODES
        ):  # an engine bug: every code is declared, with its meaning
            raise ValueError(
                f"problem code {self.code!r} is not declared in svengine.problem_codes"
            )

    def __str__(self) -> str:
        about = ", ".join(
            part
            for part in (
                f"bidder {self.bidder}" if self.bidder else "",
                f"criterion {self.criterion}" if self.criterion else "",
            )
            if part
        )
        return f"{self.location}: {self.message}" + (f" [{about}]" if about else "")

    def at(self, **where: object) -> Problem:
        """The same problem with its location filled in further."""
        return replace(self, location=replace(self.location, **where))  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "message": self.message}
        out["location"] = self.location.to_dict()
        if self.bidder:
            out["bidder"] = self.bidder
        if self.criterion:
            out["criterion"] = self.criterion
        return out


class SvengineError(Exception):
    """Base of every error svengine raises on purpose."""


class InvalidInput(SvengineError, ValueError):
    """The input has problems; nothing was evaluated or written."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class OutputExists(SvengineError, FileExistsError):
    """An output file exists already and replacing it was not asked for."""


def raise_if_any(problems: Iterable[Problem]) -> None:
    """Raise InvalidInput listing every problem, if there is any."""
    collected = list(problems)
    if collected:
        raise InvalidInput(collected)


def json_path(parts: Iterable[str | int]) -> str:
    """A JSON path such as `$.social_value[2].quantity` from its parts."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}"
        else:
            text += f"[{part!r}]"
    return text
