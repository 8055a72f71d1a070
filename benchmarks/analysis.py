"""`python -m benchmarks.analysis`: robustness, stress and in-process re-evaluation (issue 13).

Measures, in one run so that the ratios mean something on a shared machine:

- `svengine robustness` on a 1,000-bid tender (8 criteria, 10 commitments per bid) and
  `svengine stress --bids 1000` on the same tender, as fresh processes (start-up included), next to
  `svengine --version`; target: each under 10 s;
- re-evaluating 5,000 already-parsed bids in process on the columnar exact path
  (`svengine.analysis.robustness.columns_for`, then `score_columns`), against LibreOffice
  recalculating the same tender's exported workbook with its cached values stripped; target: at
  least 50× faster;
- where the full exact evaluation's time goes (the collector's pauses, the result models, the
  explanations, the seal and the rest), each part timed alone in the same run.

Writes its section of docs/performance.md (`--quick`: small sizes, prints only).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from benchmarks.__main__ import (
    DOC,
    SVENGINE,
    machine,
    median_call,
    median_process,
    row,
)
from benchmarks.generate import write_evaluation

if TYPE_CHECKING:
    from svengine.io.loaders import EvaluationInput
    from svengine.model.result import Result

START, END = (
    "<!-- benchmarks: analysis (python -m benchmarks.analysis) -->",
    "<!-- /benchmarks: analysis -->",
)


def analysis(work: Path, bids: int, repeats: int) -> list[str]:
    folder = write_evaluation(work / f"analysis-{bids}", bids=bids, commitments=10, criteria=8)
    version = median_process([*SVENGINE, "--version"], repeats)
    robustness = median_process([*SVENGINE, "robustness", str(folder)], repeats)
    stress = median_process(
        [*SVENGINE, "stress", str(folder / "tender.yaml"), "--bids", str(bids)], repeats
    )
    return [
        f"### Robustness and stress: {bids:,} bids × 10 commitments × 8 criteria",
        "",
        "Fresh processes, start-up, reading and validation included (median of"
        f" {repeats}); the tender is `benchmarks/generate.py`'s (weighted award, lowest_relative"
        " price, social value relative to the highest).",
        "",
        row("command", "median", "peak memory", "ratio to `svengine --version`", "target"),
        row("---", "---:", "---:", "---:", "---"),
        row(
            "`svengine --version`",
            f"{version.seconds:.2f} s",
            f"{version.peak_mib:.0f} MiB",
            "1.00×",
            "",
        ),
        row(
            f"`svengine robustness` ({bids:,} bids)",
            f"{robustness.seconds:.2f} s",
            f"{robustness.peak_mib:.0f} MiB",
            f"{robustness.seconds / version.seconds:.1f}×",
            "< 10 s",
        ),
        row(
            f"`svengine stress --bids {bids}`",
            f"{stress.seconds:.2f} s",
            f"{stress.peak_mib:.0f} MiB",
            f"{stress.seconds / version.seconds:.1f}×",
            "< 10 s",
        ),
        "",
    ]


def reevaluation(work: Path, bids: int, repeats: int) -> list[str]:
    from benchmarks.workbooks import strip_cached_values
    from svengine import load_folder
    from svengine.analysis.robustness import columns_for
    from svengine.audit.record import evaluate_inputs
    from svengine.report.workbook import workbook_bytes

    folder = write_evaluation(work / f"reevaluate-{bids}", bids=bids, commitments=10, criteria=8)
    inputs = load_folder(folder)
    result = evaluate_inputs(inputs)
    columns = columns_for(inputs.tender, result)
    assert columns is not None, "the generated tender is one the columnar path reproduces"
    columnar = median_call(lambda: columns.scores(columns.prices), repeats)
    exact = median_call(lambda: evaluate_inputs(inputs), repeats)
    lines = [
        f"### Re-evaluating {bids:,} parsed bids in process against LibreOffice",
        "",
        "The bids are parsed and validated once; each re-evaluation starts from the parsed inputs."
        " The columnar row scores the ranked bids (excluded bids stay excluded) from the arrays"
        " `columns_for` builds after checking they reproduce the evaluation.",
        "",
        row("what", "median", "LibreOffice ÷ this"),
        row("---", "---:", "---:"),
    ]
    soffice = shutil.which("soffice")
    office: float | None = None
    if soffice is None:
        print("soffice is not installed: the LibreOffice recalculation is skipped")
    else:
        stripped = work / "stripped.xlsx"
        count = strip_cached_values(workbook_bytes(inputs.tender, result), stripped)
        profile = work / "profile"
        shutil.rmtree(profile, ignore_errors=True)
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(work / "converted"),
            str(stripped),
        ]
        office = median_process(command, 1).seconds
        lines.append(
            row(
                f"LibreOffice recalculating the workbook ({count:,} cached formula values stripped;"
                " one run, start-up included)",
                f"{office:.1f} s",
                "1.00×",
            )
        )
    for label, seconds in (
        ("`svengine.evaluate` on the parsed inputs (exact, with explanations)", exact),
        ("columnar exact path (`score_columns` on the parsed arrays)", columnar),
    ):
        ratio = f"{office / seconds:,.0f}×" if office else ""
        lines.append(row(label, f"{seconds * 1000:.1f} ms", ratio))
    lines += ["", "Target: at least 50× faster than LibreOffice.", ""]
    return lines + parts_of_evaluation(inputs, result, exact, office, repeats)


def parts_of_evaluation(
    inputs: EvaluationInput, result: Result, exact: float, office: float | None, repeats: int
) -> list[str]:
    """Where the exact evaluation's time goes, each part timed alone in the same run.

    The collector's pauses are summed through `gc.callbacks` during whole evaluations (the
    collector stays on, as in a tender system embedding svengine); the other parts are timed with
    the collector paused, so that its pauses are counted once and the parts add up; the explanations are re-written
    from the arguments `explain_bid` was called with; the models are every distinct result model of
    the bids rebuilt with `model_construct` from its own fields; the seal is `result_digest`.
    """
    from svengine.audit.record import evaluate_inputs
    from svengine.scoring import explain
    from svengine.seal.streaming import result_digest

    calls: list[tuple[Any, ...]] = []
    write = explain.explain_bid

    def recorded(*args: Any) -> Any:
        calls.append(args)
        return write(*args)

    explain.explain_bid = recorded
    try:
        evaluate_inputs(inputs)
    finally:
        explain.explain_bid = write
    models = {id(model): model for bid in result.bids for model in _models(bid)}
    rebuild = [(type(m), m.model_fields_set, dict(m)) for m in models.values()]
    paused, full = _collector_pauses(lambda: evaluate_inputs(inputs), repeats)
    parts = {
        f"the collector's pauses (on, as in an embedding host; full collections: {full})": paused,
        f"building the {len(rebuild) / len(result.bids):.1f} distinct result models per bid"
        " (`model_construct`)": _without_collector(
            lambda: [kind.model_construct(given, **values) for kind, given, values in rebuild],
            repeats,
        ),
        "writing the explanations (`explain_bid`)": _without_collector(
            lambda: [write(*args) for args in calls], repeats
        ),
        "the seal (`result_digest`: canonical JSON and SHA-256)": _without_collector(
            lambda: result_digest(result), repeats
        ),
    }
    rest = exact - sum(parts.values())
    lines = [
        f"Where the exact evaluation's {exact * 1000:,.0f} ms go (each part timed alone, median of"
        f" {repeats}; `benchmarks/analysis.py` `parts_of_evaluation`):",
        "",
        row("part", "time", "share"),
        row("---", "---:", "---:"),
    ]
    for label, seconds in [*parts.items(), ("scoring, the working and the figures' text", rest)]:
        lines.append(row(label, f"{seconds * 1000:,.0f} ms", f"{seconds / exact:.0%}"))
    if office:
        floor = rest
        lines += [
            "",
            f"Even if the collector, the models, the explanations and the seal cost nothing, the"
            f" rest alone is {floor * 1000:,.0f} ms: {office / floor:,.0f}× LibreOffice.",
        ]
    return [*lines, ""]


def _models(model: BaseModel) -> Iterator[BaseModel]:
    yield model
    for value in dict(model).values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, BaseModel):
                yield from _models(item)


def _without_collector(function: Callable[[], object], repeats: int) -> float:
    """`median_call` with the collector paused (this benchmark's own process, never the library)."""
    gc.disable()
    try:
        return median_call(function, repeats)
    finally:
        gc.enable()


def _collector_pauses(evaluation: Callable[[], object], repeats: int) -> tuple[float, int]:
    """The median time the collector paused an evaluation, and its full collections in the last."""
    started: list[float] = []
    totals: list[float] = []
    full: list[int] = []

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
            return
        totals[-1] += time.perf_counter() - started.pop()
        full[-1] += info["generation"] == 2

    gc.callbacks.append(timed)
    try:
        for _ in range(repeats):
            totals.append(0.0)
            full.append(0)
            evaluation()
    finally:
        gc.callbacks.remove(timed)
    return statistics.median(totals), full[-1]


def write_section(lines: list[str]) -> None:
    text = DOC.read_text(encoding="utf-8")
    section = "\n".join([START, *lines, END])
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.analysis")
    parser.add_argument("--quick", action="store_true", help="small sizes; prints, writes no file")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    bids, reevaluate = (100, 500) if args.quick else (1_000, 5_000)
    with tempfile.TemporaryDirectory(prefix="svengine-bench-") as name:
        work = Path(name)
        lines = ["## Robustness, stress and re-evaluation (issue 13)", ""]
        lines += [f"Measured {time.strftime('%Y-%m-%d')} on: {machine()}.", ""]
        print("benchmarks.analysis: robustness and stress...", file=sys.stderr, flush=True)
        lines += analysis(work, bids, args.repeats)
        print("benchmarks.analysis: re-evaluation...", file=sys.stderr, flush=True)
        lines += reevaluation(work, reevaluate, args.repeats)
        load = os.getloadavg()
        lines.append(f"Load average at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}.")
    print("\n".join(lines))
    if not args.quick:
        write_section(lines)


if __name__ == "__main__":
    main()
