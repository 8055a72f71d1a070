"""`python -m benchmarks.analysis`: robustness, stress and in-process re-evaluation (issue 13).

Measures, in one run so that the ratios mean something on a shared machine:

- `svengine robustness` on a 1,000-bid tender (8 criteria, 10 commitments per bid) and
  `svengine stress --bids 1000` on the same tender, as fresh processes (start-up included), next to
  `svengine --version`; target: each under 10 s;
- re-evaluating 5,000 already-parsed bids in process on the columnar exact path
  (`svengine.analysis.robustness.columns_for`, then `score_columns`), against LibreOffice
  recalculating the same tender's exported workbook with its cached values stripped; target: at
  least 50× faster.

Writes its section of docs/performance.md (`--quick`: small sizes, prints only).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.__main__ import (
    DOC,
    SVENGINE,
    machine,
    median_call,
    median_process,
    row,
)
from benchmarks.generate import write_evaluation

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
    return lines


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
