"""`python -m benchmarks`: the speed and scale suite; writes its section of docs/performance.md.

Every figure is the median of several runs, next to a baseline measured in the same run, so the
ratios mean something even on a busy machine (the absolute seconds do not). Command-line figures
are separate processes timed from outside, start-up included, with their peak memory (max RSS
from wait4). Needs the bench extra: `pip install -e '.[bench]'`.

    python -m benchmarks                  the full suite (about 10 minutes on 2 cores)
    python -m benchmarks --quick          small sizes, to check the suite itself runs (prints, writes no file)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import write_evaluation

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
PLOT = ROOT / "docs" / "performance.png"
START, END = (
    "<!-- benchmarks: evaluation speed (python -m benchmarks) -->",
    "<!-- /benchmarks: evaluation speed -->",
)
SVENGINE = [sys.executable, "-m", "svengine"]
PEERS = [sys.executable, "-m", "benchmarks.peers"]


@dataclass
class Run:
    seconds: float
    peak_mib: float


def run_process(command: Sequence[str]) -> Run:
    """Run a command to the end; its wall time and its own peak memory (not this process's)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(
                f"{' '.join(command)} exited {process.returncode}: {errors.read().decode()[-2000:]}"
            )
    return Run(elapsed, usage.ru_maxrss / 1024)


def median_process(command: Sequence[str], repeats: int) -> Run:
    runs = [run_process(command) for _ in range(repeats)]
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs))


def median_call(function: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory_text = f"{int(memory) / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory_text = "unknown memory"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    versions = []
    for name in (
        "pydantic",
        "pydantic_core",
        "jsonschema",
        "jsonschema_rs",
        "numpy",
        "pandas",
        "bid_evaluation",
    ):
        try:
            from importlib.metadata import version

            versions.append(f"{name} {version(name.replace('_', '-'))}")
        except Exception:
            continue
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_text}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; load average at start {load}; {', '.join(versions)}"
    )


def row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×"


# -- the measurements ------------------------------------------------------------------------------


def startup(work: Path, repeats: int) -> list[str]:
    folder = write_evaluation(work / "startup-30", bids=30, commitments=10, criteria=8)
    version = median_process([*SVENGINE, "--version"], repeats)
    evaluate = median_process([*SVENGINE, "evaluate", str(folder)], repeats)
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, svengine.cli.main, svengine.cli.evaluate; "
            "print(sorted(m for m in ('numpy', 'pandas', 'openpyxl', 'xlsxwriter') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    return [
        "### Start-up (panel latency)",
        "",
        row("command", "median", "ratio to `svengine --version`", "target"),
        row("---", "---:", "---:", "---"),
        row("`svengine --version`", f"{version.seconds * 1000:.0f} ms", "1.00×", ""),
        row(
            "`svengine evaluate` (30 bids, table)",
            f"{evaluate.seconds * 1000:.0f} ms",
            ratio(evaluate.seconds, version.seconds),
            "≤ 1.5×",
        ),
        "",
        f"Heavy libraries imported by the CLI before any work: {heavy} (numpy, pandas, openpyxl "
        "and XlsxWriter load only when used).",
        "",
    ]


def evaluation(work: Path, bids: int, repeats: int) -> list[str]:
    folder = write_evaluation(work / f"eval-{bids}", bids=bids, commitments=10, criteria=8)
    out = work / "eval-out"
    ours = median_process(
        [*SVENGINE, "evaluate", str(folder), "--out", str(out), "--no-workbook", "--force"], repeats
    )
    parse = median_process([*PEERS, "stdlib", str(folder)], repeats)
    peer = median_process([*PEERS, "bid-evaluation", str(folder)], repeats)
    size = (out / "result.json").stat().st_size / 1024 / 1024
    return [
        f"### `svengine evaluate --no-workbook`: {bids:,} bids × 10 commitments × 8 criteria",
        "",
        "Validation of every bid, exact scoring, explanations and result.json included.",
        "",
        row("what", "median", "peak memory", "ratio to stdlib parse", "ratio to bid-evaluation"),
        row("---", "---:", "---:", "---:", "---:"),
        row(
            "stdlib json + csv parse of the same files (baseline)",
            f"{parse.seconds:.2f} s",
            f"{parse.peak_mib:.0f} MiB",
            "1.00×",
            "",
        ),
        row(
            "bid-evaluation: pandas load + float price/quality scoring",
            f"{peer.seconds:.2f} s",
            f"{peer.peak_mib:.0f} MiB",
            ratio(peer.seconds, parse.seconds),
            "1.00×",
        ),
        row(
            f"svengine evaluate (result.json {size:.0f} MiB)",
            f"{ours.seconds:.2f} s",
            f"{ours.peak_mib:.0f} MiB",
            ratio(ours.seconds, parse.seconds),
            ratio(ours.seconds, peer.seconds),
        ),
        "",
        "Targets: ≤ 3× the stdlib parse, ≤ 1.5× bid-evaluation, peak memory < 1 GiB.",
        "",
    ]


def columnar_inputs(n: int, criteria: int = 7, seed: int = 2026) -> tuple[object, ...]:
    import numpy as np

    rng = np.random.default_rng(seed)
    prices = (
        rng.integers(38_000_000_00, 52_000_000_00, n, dtype=np.int64) * 10_000
    )  # pence, as 10**-6 units
    quality = rng.integers(0, 6, (n, criteria), dtype=np.int64) * 10**6
    social = rng.integers(0, 10**7 * 100, n, dtype=np.int64) * 10_000
    sv_criterion = rng.integers(0, 6, (n, 1), dtype=np.int64) * 10**6
    return prices, quality, social, sv_criterion


def columnar(work: Path, n: int, repeats: int) -> tuple[list[str], float]:
    import numpy as np
    import pandas as pd
    from bid_evaluation import Evaluator

    from svengine.io.loaders import load_tender
    from svengine.scoring.columnar import score_columns

    folder = write_evaluation(work / "columnar-tender", bids=1, commitments=1, criteria=8)
    tender = load_tender(folder / "tender.yaml")
    prices, quality, social, sv_scores = columnar_inputs(n)
    weights = np.array([float(c.weight) for c in tender.quality_criteria])

    def exact() -> object:
        return score_columns(tender, prices, quality, social, sv_scores)

    def floats() -> (
        object
    ):  # the same formulas in binary floats, rounded with np.round (half-even on floats)
        p, q, s, c = prices / 1e6, quality / 1e6, social / 1e6, sv_scores[:, 0] / 1e6
        t = (q / 5) @ weights
        valid = (q[:, 0] >= 1) & (t >= 0.4 * weights.sum())
        qs = np.round(t, 2)
        ps = np.round(30 * p[valid].min() / p, 2)
        ss = np.round(6 * s / s[valid].max() + 4 * c / 5, 2)
        total = np.where(valid, qs + ps + ss, -1)
        order = np.lexsort((-ss, -ps, -qs, -total))
        return total, order

    frame = pd.DataFrame(
        {"price": prices / 1e6, **{f"Q{i}": quality[:, i] / 1e6 for i in range(quality.shape[1])}}
    )
    peer = Evaluator().min_ratio("price", weight=30)
    for i in range(quality.shape[1]):
        peer.direct(f"Q{i}", weight=60 / quality.shape[1], input_scale=5)

    exact()  # warm caches and imports before timing
    t_exact = median_call(exact, repeats)
    t_float = median_call(floats, repeats)
    t_peer = median_call(lambda: peer.evaluate(frame), repeats)
    lines = [
        f"### Columnar scoring core: {n:,} bids (`svengine.scoring.columnar.score_columns`)",
        "",
        "Arrays in (fixed-point integers), exact published scores and ranks out: exclusions, all "
        "three blocks, the declared "
        "rounding on scaled integers, totals and the tie-break chain. Building result objects is not included.",
        "",
        row("what", "median", "ratio to numpy floats", "ratio to bid-evaluation"),
        row("---", "---:", "---:", "---:"),
        row(
            "plain numpy floats, same formulas (baseline)",
            f"{t_float * 1000:.1f} ms",
            "1.00×",
            ratio(t_float, t_peer),
        ),
        row(
            "bid-evaluation `Evaluator.evaluate` (floats, price + quality only)",
            f"{t_peer * 1000:.1f} ms",
            ratio(t_peer, t_float),
            "1.00×",
        ),
        row(
            "svengine exact columnar",
            f"{t_exact * 1000:.1f} ms",
            ratio(t_exact, t_float),
            ratio(t_exact, t_peer),
        ),
        "",
        "Targets: ≤ 3× numpy floats and no slower than bid-evaluation.",
        "",
    ]
    return lines, t_exact


def growth(
    work: Path, sizes: Sequence[int], columnar_sizes: Sequence[int], repeats: int, plot: Path
) -> list[str]:
    from svengine.io.loaders import load_tender
    from svengine.scoring.columnar import score_columns

    lines = [
        "### Growth",
        "",
        row(
            "bids",
            "evaluate (CLI) time",
            "evaluate peak memory",
            "µs per bid",
            "stdlib parse",
            "ratio",
        ),
        row("---:", "---:", "---:", "---:", "---:", "---:"),
    ]
    points = []
    for n in sizes:
        folder = write_evaluation(work / f"growth-{n}", bids=n, commitments=10, criteria=8)
        times = repeats if n <= 20_000 else 1
        ours = median_process(
            [
                *SVENGINE,
                "evaluate",
                str(folder),
                "--out",
                str(work / "growth-out"),
                "--no-workbook",
                "--force",
            ],
            times,
        )
        parse = median_process([*PEERS, "stdlib", str(folder)], times)
        points.append((n, ours.seconds, ours.peak_mib))
        lines.append(
            row(
                f"{n:,}",
                f"{ours.seconds:.2f} s",
                f"{ours.peak_mib:.0f} MiB",
                f"{ours.seconds / n * 1e6:.0f}",
                f"{parse.seconds:.2f} s",
                ratio(ours.seconds, parse.seconds),
            )
        )
        shutil.rmtree(folder)
    tender = load_tender(
        write_evaluation(work / "growth-tender", bids=1, commitments=1, criteria=8) / "tender.yaml"
    )
    lines += ["", row("bids", "columnar exact time", "µs per bid"), row("---:", "---:", "---:")]
    column_points = []
    for n in columnar_sizes:
        arrays = columnar_inputs(n)
        t = median_call(lambda: score_columns(tender, *arrays), repeats)  # noqa: B023
        column_points.append((n, t))
        lines.append(row(f"{n:,}", f"{t * 1000:.1f} ms", f"{t / n * 1e6:.2f}"))
    _plot(points, column_points, plot)
    lines += ["", "![growth](performance.png)", ""]
    return lines


def _plot(
    points: list[tuple[int, float, float]], column_points: list[tuple[int, float]], target: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.loglog(
        [p[0] for p in points], [p[1] for p in points], "o-", label="svengine evaluate (CLI)"
    )
    left.loglog(
        [p[0] for p in column_points],
        [p[1] for p in column_points],
        "s-",
        label="columnar exact core",
    )
    left.set_xlabel("bids")
    left.set_ylabel("seconds (median)")
    left.set_title("Time")
    left.legend()
    right.loglog([p[0] for p in points], [p[2] for p in points], "o-")
    right.set_xlabel("bids")
    right.set_ylabel("peak MiB")
    right.set_title("Memory of svengine evaluate")
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(target, dpi=100, metadata={"Software": None})
    plt.close(figure)


def batch(work: Path, tenders: int, bids: int, repeats: int) -> list[str]:
    root = work / "batch-root"
    for index in range(tenders):
        write_evaluation(
            root / f"tender-{index:03d}", bids=bids, commitments=10, criteria=8, seed=index
        )
    results = {}
    for jobs in (1, 2):
        results[jobs] = median_process(
            [
                *SVENGINE,
                "batch",
                str(root),
                "--out",
                str(work / "batch-out"),
                "--jobs",
                str(jobs),
                "--force",
            ],
            repeats,
        )
    per_hour = {jobs: tenders / run.seconds * 3600 for jobs, run in results.items()}
    return [
        f"### Batch: {tenders} tenders of {bids} bids (`svengine batch --jobs N`)",
        "",
        row("jobs", "median", "tenders per hour", "speed-up"),
        row("---:", "---:", "---:", "---:"),
        *(
            row(
                jobs,
                f"{run.seconds:.2f} s",
                f"{per_hour[jobs]:,.0f}",
                f"{results[1].seconds / run.seconds:.2f}×",
            )
            for jobs, run in results.items()
        ),
        "",
    ]


def write_section(lines: list[str]) -> None:
    section = "\n".join([START, *lines, END])
    text = (
        DOC.read_text(encoding="utf-8")
        if DOC.exists()
        else "# Performance\n\nFigures measured by `python -m benchmarks`; each section says how it was measured.\n"
    )
    if START in text and END in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes: checks the suite runs (figures not comparable)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="runs per figure (median); default 5, or 3 for big ones",
    )
    parser.add_argument(
        "--growth", default="1000,10000,100000", help="bid counts for the evaluate growth table"
    )
    parser.add_argument(
        "--note",
        default="",
        help="a sentence on the conditions of this run, written under the machine line",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    repeats = args.repeats or (3 if quick else 5)
    big_repeats = args.repeats or 3
    sizes = [1000, 3000] if quick else [int(x) for x in args.growth.split(",")]
    columnar_sizes = [1000, 10_000] if quick else [1000, 10_000, 100_000, 1_000_000]
    with tempfile.TemporaryDirectory(prefix="svengine-bench-") as temporary:
        work = Path(temporary)
        lines = [
            "## Evaluation speed",
            "",
            f"Measured {time.strftime('%Y-%m-%d')} on: {machine()}.",
            "",
        ]
        if args.note:
            lines += [args.note, ""]
        steps: list[tuple[str, Callable[[], list[str]]]] = [
            ("start-up", lambda: startup(work, 2 * repeats + 1)),
            ("evaluate", lambda: evaluation(work, 2000 if quick else 20_000, big_repeats)),
            ("columnar", lambda: columnar(work, 10_000 if quick else 100_000, repeats)[0]),
            (
                "growth",
                lambda: growth(
                    work,
                    sizes,
                    columnar_sizes,
                    big_repeats,
                    work / "performance.png" if quick else PLOT,
                ),
            ),
            ("batch", lambda: batch(work, 4 if quick else 16, 100 if quick else 500, big_repeats)),
        ]
        for name, step in steps:
            print(f"benchmarks: {name}...", file=sys.stderr, flush=True)
            lines += step()
        lines.append(f"Load average at the end: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}.")
    if (
        quick
    ):  # small sizes are not comparable with the recorded figures: show them, keep the record
        print("\n".join(lines))
        return
    write_section(lines)
    print(f"wrote {DOC.relative_to(ROOT)} and {PLOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
