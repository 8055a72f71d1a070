"""`svengine summaries DIR --out SUMMARIES [--force]`: an assessment summary per supplier.

Every unsuccessful supplier's summary gives the successful tender's scores, as Procurement
Regulations 2024 reg. 31(3)(d) requires; `--include-winner`, which used to ask for them, is still
accepted and changes nothing (a note says so).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, NOTHING_WRITTEN, print_problems
from svengine.cli.result_file import read_result
from svengine.io.loaders import load_tender
from svengine.io.output import refuse_existing, write_atomic
from svengine.problems import InvalidInput
from svengine.report.summaries import summaries, unsafe_ids


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "summaries", help="write an assessment summary (.md and .html) for every supplier"
    )
    parser.add_argument(
        "folder",
        type=Path,
        help="a folder written by `evaluate --out` (only its result.json is read)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="folder for SUPPLIER.md and SUPPLIER.html, one pair per supplier",
    )
    parser.add_argument(
        "--include-winner",
        action="store_true",
        help="no longer needed: the successful tender's scores are always given (reg. 31(3)(d))",
    )
    parser.add_argument(
        "--tender",
        type=Path,
        help="the tender.yaml evaluated: its score scales and descriptors are written too",
    )
    parser.add_argument("--force", action="store_true", help="replace summaries that already exist")
    parser.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


def run(args: argparse.Namespace) -> int:
    result = read_result(args.folder)
    if result is None:
        return EXIT_PROBLEMS
    unsafe = unsafe_ids(result)
    if unsafe:
        print(
            f"svengine: bidder ids {', '.join(repr(i) for i in unsafe)} cannot be file names "
            "(letters, digits, '.', '_' and '-' only,"
            " starting with a letter or digit); nothing was written",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if args.include_winner:
        print(
            "svengine: note: --include-winner is no longer needed: every unsuccessful supplier's"
            " summary gives the successful tender's scores, as reg. 31(3)(d) of the Procurement"
            " Regulations 2024 requires",
            file=sys.stderr,
        )
    tender = None
    if args.tender is not None:
        try:
            tender = load_tender(args.tender)
        except InvalidInput as error:
            print_problems(error.problems, NOTHING_WRITTEN)
            return EXIT_PROBLEMS
    documents = summaries(result, tender=tender)
    outputs = {
        args.out / f"{bidder}{suffix}": text
        for bidder, doc in documents.items()
        for suffix, text in ((".md", doc.markdown()), (".html", doc.html()))
    }
    refuse_existing(outputs, args.force)  # every file is checked before any is written
    for path, text in outputs.items():
        write_atomic(path, text, force=args.force)
    print(f"wrote {len(outputs)} files for {len(documents)} suppliers in {args.out}")
    return EXIT_OK
