"""`svengine batch ROOT --out DIR [--jobs N] [--force]`: evaluate every tender folder under ROOT.

Each tender's result.json goes to DIR/<folder path relative to ROOT>/result.json (so two folders
named `lot1` in different parents never collide); DIR/summary.csv lists every tender. A tender
with problems is reported and the others go on; the exit code is 1 if any tender had problems.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from svengine.cli import collector
from svengine.cli.batch_run import (
    SUMMARY_FILE,
    Outcome,
    find_tenders,
    output_path,
    run_batch,
    tender_name,
)
from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, table
from svengine.display import fixed, quantity
from svengine.io.csv_table import csv_safe
from svengine.io.display import shown as display
from svengine.io.output import write_atomic

SUMMARY_COLUMNS = (
    "tender",
    "status",
    "bids",
    "ranked",
    "winner",
    "winner_total",
    "seconds",
    "problems",
    "first_problem",
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "batch", help="evaluate every tender folder under ROOT, in parallel"
    )
    parser.add_argument(
        "root", type=Path, help="a folder whose subfolders (at any depth) hold tender.yaml"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="write DIR/<tender>/result.json and DIR/summary.csv"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="parallel processes (default: one per core)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace output files that already exist"
    )
    parser.set_defaults(run=collector.pausing(run))


def run(args: argparse.Namespace) -> int:
    if not args.root.is_dir():
        print(f"svengine: {args.root} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs < 1:
        print("svengine: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    folders = find_tenders(args.root)
    if not folders:
        print(f"svengine: no folder under {args.root} holds a tender.yaml", file=sys.stderr)
        return EXIT_PROBLEMS
    # Refuse before doing any work, rather than leave half a batch behind.
    planned = [
        args.out / SUMMARY_FILE,
        *(output_path(args.out, tender_name(args.root, f)) for f in folders),
    ]
    existing = [str(p) for p in planned if p.exists()]
    if existing and not args.force:
        shown = ", ".join(existing[:3]) + (
            f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        )
        print(f"svengine: {display(shown)} already exist; use --force to replace", file=sys.stderr)
        return EXIT_PROBLEMS

    outcomes = run_batch(
        args.root, args.out, jobs=args.jobs, force=args.force, progress=_progress(sys.stderr)
    )
    write_atomic(args.out / SUMMARY_FILE, summary_csv(outcomes), force=args.force)
    print(summary_table(outcomes))
    failed = [o for o in outcomes if o.status != "evaluated"]
    for outcome in failed:
        print(
            f"\n{display(outcome.tender)}: {outcome.status}, {quantity(outcome.problem_count)} "
            f"problem{'s' if outcome.problem_count != 1 else ''}:",
            file=sys.stderr,
        )
        for line in outcome.problems[:20]:
            print(f"  {display(line)}", file=sys.stderr)
        if outcome.problem_count > 20:
            print(
                f"  ... and {quantity(outcome.problem_count - 20)} more"
                f" (see {args.out / SUMMARY_FILE} and `svengine validate`)",
                file=sys.stderr,
            )
    print(
        f"\n{len(outcomes) - len(failed)} of {len(outcomes)} tenders evaluated; wrote {args.out / SUMMARY_FILE}"
    )
    return EXIT_PROBLEMS if failed else EXIT_OK


def _progress(stream: TextIO) -> Callable[[Outcome, int, int], None]:
    interactive = getattr(stream, "isatty", lambda: False)()

    def show(outcome: Outcome, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} tenders"
        if interactive:  # redraw one line; a log file gets one line per tender instead
            print(f"\r{bar}", end="\n" if done == total else "", file=stream, flush=True)
        else:
            print(f"{bar}  {display(outcome.tender)}: {outcome.status}", file=stream, flush=True)

    return show


def summary_table(outcomes: list[Outcome]) -> str:
    rows = [
        [
            o.tender,
            "-" if o.bids is None else str(o.bids),
            o.winner or "-",
            fixed(Decimal(o.seconds), 2) + "s",  # a float, exactly as a Decimal
            str(o.problem_count),
            o.status,
        ]
        for o in outcomes
    ]
    return table(
        ["tender", "bids", "winner", "time", "problems", "status"],
        rows,
        right=[False, True, False, True, True, False],
    )


def summary_csv(outcomes: list[Outcome]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for o in outcomes:
        writer.writerow(
            [
                # Folder names, bidder ids and messages come from outside: never a formula.
                csv_safe(o.tender),
                o.status,
                "" if o.bids is None else o.bids,
                "" if o.ranked is None else o.ranked,
                csv_safe(o.winner),
                csv_safe(o.winner_total),
                f"{o.seconds:.3f}",
                o.problem_count,
                csv_safe(o.problems[0]) if o.problems else "",
            ]
        )
    return text.getvalue()
