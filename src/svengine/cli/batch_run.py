"""Evaluating many tender folders: a pure map of one function over folders, in parallel processes.

`find_tenders(root)` lists every folder under `root` that holds a `tender.yaml`; `run_tender`
evaluates one and returns a small picklable `Outcome` (never raising for bad input), so the same
function can be mapped by a process pool here or by any distributed engine (see docs/scale.md).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svengine.io.loaders import TENDER_FILE, read_folder, sort_problems
from svengine.io.output import write_atomic
from svengine.problems import InvalidInput, MoreProblems, OutputExists, Problem, problem_count

if TYPE_CHECKING:
    from concurrent.futures import Future

RESULT_FILE = "result.json"
SUMMARY_FILE = "summary.csv"


@dataclass(frozen=True)
class Outcome:
    """What happened to one tender folder."""

    tender: str
    """The folder's path relative to the root (its name when it sits directly under the root)."""
    status: str
    """`evaluated`, `invalid` (input problems; nothing written) or `error` (an unexpected failure)."""
    seconds: float
    bids: int | None = None
    ranked: int | None = None
    winner: str = ""
    """The rank-1 bidder id; tied winners joined by `+`."""
    winner_total: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)
    """The problems listed (at most the first 1,000)."""
    more: int = 0
    """Problems counted beyond those listed (a hostile file can have millions)."""

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more


def find_tenders(root: Path) -> list[Path]:
    """Every folder under `root` (itself included) holding tender.yaml, sorted; not below a tender folder."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        if TENDER_FILE in files:
            found.append(Path(folder))
            subfolders.clear()  # a tender folder's own subfolders (bids/) are not tenders
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def tender_name(root: Path, folder: Path) -> str:
    """The output name of a tender folder: its path relative to the root, so names never collide."""
    relative = folder.relative_to(root)
    return relative.as_posix() if relative.parts else (root.resolve().name or "tender")


def _listed(problems: Sequence[Problem]) -> dict[str, Any]:
    """An Outcome's problems: those listed, as text, and how many more were only counted."""
    listed = [p for p in sort_problems(problems) if not isinstance(p, MoreProblems)]
    return {
        "problems": tuple(str(p) for p in listed),
        "more": problem_count(problems) - len(listed),
    }


def output_path(out: Path, name: str) -> Path:
    return out.joinpath(*name.split("/"), RESULT_FILE)


def run_tender(folder: str, name: str, out: str, force: bool = False) -> Outcome:
    """Evaluate one tender folder and write its result.json; every failure becomes an Outcome."""
    from svengine.audit.record import evaluate_inputs, winners

    start = time.perf_counter()
    try:
        inputs, problems = read_folder(folder)
        if inputs is None:
            return Outcome(
                name,
                "invalid",
                time.perf_counter() - start,
                **_listed(problems),
            )
        result = evaluate_inputs(
            inputs
        )  # the same record `svengine evaluate` writes, digests included
        write_atomic(output_path(Path(out), name), result.to_json(), force=force)
    except InvalidInput as error:
        return Outcome(
            name,
            "invalid",
            time.perf_counter() - start,
            **_listed(error.problems),
        )
    except OutputExists as error:
        return Outcome(name, "invalid", time.perf_counter() - start, problems=(str(error),))
    except Exception as error:
        return Outcome(
            name,
            "error",
            time.perf_counter() - start,
            problems=(f"unexpected {type(error).__name__}: {error}",),
        )
    winner, winner_total = winners(result)  # per lot for a tender with lots
    return Outcome(
        name,
        "evaluated",
        time.perf_counter() - start,
        bids=result.summary.bids,
        ranked=result.summary.ranked,
        winner=winner,
        winner_total=winner_total,
    )


def run_batch(
    root: Path,
    out: Path,
    jobs: int = 1,
    force: bool = False,
    progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Evaluate every tender under `root` with `jobs` processes (1: in this process), in folder order."""
    folders = find_tenders(root)
    names = [tender_name(root, folder) for folder in folders]
    outcomes: dict[str, Outcome] = {}
    for done, outcome in enumerate(_map(folders, names, out, jobs, force), start=1):
        outcomes[outcome.tender] = outcome
        if progress is not None:
            progress(outcome, done, len(folders))
    return [outcomes[name] for name in names]


def _map(
    folders: list[Path], names: list[str], out: Path, jobs: int, force: bool
) -> Iterator[Outcome]:
    if jobs <= 1 or len(folders) <= 1:
        for folder, name in zip(folders, names, strict=True):
            yield run_tender(str(folder), name, str(out), force)
        return
    from concurrent.futures import (
        ProcessPoolExecutor,
        as_completed,
    )  # only batches pay for multiprocessing

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures: dict[Future[Outcome], str] = {
            pool.submit(run_tender, str(folder), name, str(out), force): name
            for folder, name in zip(folders, names, strict=True)
        }
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as error:
                yield Outcome(
                    futures[future],
                    "error",
                    0.0,
                    problems=(f"the worker process failed: {type(error).__name__}: {error}",),
                )
