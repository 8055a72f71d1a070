"""`svengine stress TENDER [--seed N] [--bids K] [--out FILE.json]`: test the method on dummy bids before publishing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from svengine.analysis.stress import stress_report, stress_text
from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, written_with_out
from svengine.io.loaders import load_tender
from svengine.io.output import write_atomic
from svengine.problems import OutputExists


def _positive(text: str) -> int:
    value = int(text)
    if not 2 <= value <= 1_000:
        raise argparse.ArgumentTypeError("must be a whole number from 2 to 1,000")
    return value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "stress",
        help="run the tender's method on generated dummy bids and report perverse outcomes",
    )
    parser.add_argument("tender", type=Path, help="the tender file (tender.yaml)")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the dummy bids (default 0); the same seed gives the same report",
    )
    parser.add_argument("--bids", type=_positive, default=8, help="how many dummy bids (default 8)")
    parser.add_argument("--out", type=Path, help="also write the report as JSON to this file")
    parser.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    parser.set_defaults(run=run, problems_outcome=written_with_out)


def run(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.exists() and not args.force:
        print(f"svengine: {args.out} already exists; use --force to replace", file=sys.stderr)
        return EXIT_PROBLEMS
    tender = load_tender(args.tender)  # InvalidInput is printed by cli.main (exit 1)
    report = stress_report(tender, count=args.bids, seed=args.seed)
    print(stress_text(report, tender.currency))
    if args.out is not None:
        try:
            write_atomic(
                args.out, json.dumps(report, indent=2, ensure_ascii=False) + "\n", force=args.force
            )
        except OutputExists as error:
            print(f"svengine: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"\nwrote {args.out}")
    return EXIT_OK
