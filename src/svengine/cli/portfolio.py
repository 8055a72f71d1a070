"""`svengine portfolio ROOT --out DIR`: every contract folder under ROOT against the targets."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from svengine.cli.common import EXIT_OK, NOTHING_WRITTEN


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "portfolio", help="all contracts under ROOT against portfolio.yaml's targets"
    )
    parser.add_argument("root", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--as-of",
        type=_date,
        help="the day the report is for (default: portfolio.yaml's as_of, else today)",
    )
    parser.add_argument("--force", action="store_true")
    parser.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


def run(args: argparse.Namespace) -> int:
    from svengine.report.portfolio import write_portfolio

    written = write_portfolio(args.root, args.out, args.as_of, args.force, sys.stderr)
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK
