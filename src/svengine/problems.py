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

import heapq
import re
from collections.abc import Iterable
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


MAX_PROBLEMS = 1_000
"""Problems kept in full; beyond them a hostile file's problems (millions) are only counted."""


@dataclass(frozen=True)
class MoreProblems(Problem):
    """Stands for `count` problems that were found and counted but not kept (code `more_problems`).

    It ends a problem list cut at MAX_PROBLEMS, so the count travels with the list wherever it
    goes (InvalidInput, the service's problem+json, batch); `problem_count` adds it back.
    """

    count: int = 0


def more_problems(count: int, file: str | None = None) -> MoreProblems:
    """The stand-in for `count` problems not kept, in `file` when they are all in one file."""
    code = "more_problems"
    return MoreProblems(
        code,
        f"... and {count:,} more problem{'s' if count != 1 else ''} (only the first"
        f" {MAX_PROBLEMS:,} are listed; fix those and check again)",
        Location(file=file),
        count=count,
    )


def problem_count(problems: Iterable[Problem]) -> int:
    """How many problems a list stands for: those listed and those only counted."""
    return sum(p.count if isinstance(p, MoreProblems) else 1 for p in problems)


_INDEX = re.compile(r"\[(\d+)\]")


def problem_order(problem: Problem) -> tuple[object, ...]:
    """The order problems are listed in: by file, then line, then JSON path with list indices
    compared as numbers (so `$.bids[10]` comes after `$.bids[9]`), then row. Deterministic."""
    location = problem.location
    path: list[tuple[int, int | str]] = []
    for number, part in enumerate(_INDEX.split(location.path or "")):
        if part:
            path.append((0, int(part)) if number % 2 else (1, part))
    return (location.file or "", location.line or 0, path, location.row or 0, problem.message)


def bounded(problems: Iterable[Problem], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The first `limit` problems in `problem_order`, then one `more_problems` counting the rest.

    `problems` is consumed lazily, holding at most `limit` problems at a time, so a file with
    millions of problems costs their count, not their memory. A list of at most `limit` problems
    (and no stand-in) comes back as it was, in its own order. Deterministic: the same problems in
    the same order give the same first `limit` and the same count.
    """
    heap: list[tuple[_Reverse, Problem]] = []  # the smallest `limit` so far; its root the largest
    counted, files = 0, set[str | None]()
    for arrival, problem in enumerate(problems):
        if isinstance(problem, MoreProblems):
            counted += problem.count
            files.add(problem.location.file)
            continue
        entry = (_Reverse(problem_order(problem), arrival), problem)
        if len(heap) < limit:
            heapq.heappush(heap, entry)
            continue
        dropped = heapq.heappushpop(heap, entry)[1]
        counted += 1
        files.add(dropped.location.file)
    if not counted:
        return [problem for _, problem in sorted(heap, key=lambda entry: entry[0].arrival)]
    listed = [problem for _, problem in sorted(heap, key=lambda entry: entry[0], reverse=True)]
    listed.append(more_problems(counted, files.pop() if len(files) == 1 else None))
    return listed


def gathered(problems: list[Problem], found: Iterable[Problem]) -> list[Problem]:
    """`problems` with `found` added, cut back to MAX_PROBLEMS (and a count) once past twice that:
    for collecting the problems of many files or many bids without holding millions."""
    problems.extend(found)
    return bounded(problems) if len(problems) > 2 * MAX_PROBLEMS else problems


class _Reverse:
    """A problem's order reversed, so heapq's smallest-first heap keeps the smallest `limit`
    problems at hand; the arrival breaks ties, so two keys never compare equal."""

    __slots__ = ("arrival", "key")

    def __init__(self, key: tuple[object, ...], arrival: int) -> None:
        self.key, self.arrival = key, arrival

    def __lt__(self, other: _Reverse) -> bool:
        return bool((other.key, other.arrival) < (self.key, self.arrival))


class SvengineError(Exception):
    """Base of every error svengine raises on purpose."""


class InvalidInput(SvengineError, ValueError):
    """The input has problems; nothing was evaluated or written."""

    def __init__(self, problems: Iterable[Problem]):
        # At most MAX_PROBLEMS are kept; a last `MoreProblems` counts the rest (see `count`).
        self.problems: tuple[Problem, ...] = tuple(bounded(problems))
        count = self.count
        head = f"{count:,} problem{'s' if count != 1 else ''} in the input"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))

    @property
    def count(self) -> int:
        """How many problems the input has: those listed and those only counted."""
        return problem_count(self.problems)

    @property
    def more(self) -> int:
        """How many problems were counted but not listed (beyond the first MAX_PROBLEMS)."""
        return self.count - sum(1 for p in self.problems if not isinstance(p, MoreProblems))


class OutputExists(SvengineError, FileExistsError):
    """An output file exists already and replacing it was not asked for."""


def raise_if_any(problems: Iterable[Problem]) -> None:
    """Raise InvalidInput listing every problem (the first MAX_PROBLEMS of them), if there is any."""
    collected = bounded(problems)
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
