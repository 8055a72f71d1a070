"""`svengine verify DIR | evaluation.zip`: re-run a recorded evaluation and report any difference."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.audit.verify import VerifyError, verify_bundle, verify_dir
from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="re-run a recorded evaluation (an --out folder or an evaluation.zip) and compare",
    )
    parser.add_argument(
        "record", type=Path, help="a folder written by `evaluate --out`, or an evaluation.zip"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    record: Path = args.record
    try:
        if record.is_dir():
            report = verify_dir(record)
        elif record.is_file():
            report = verify_bundle(record)
        else:
            raise VerifyError(f"{record} does not exist")
    except VerifyError as error:
        print(f"svengine: cannot verify: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(report.text())
    return EXIT_OK if report.verified else EXIT_PROBLEMS
