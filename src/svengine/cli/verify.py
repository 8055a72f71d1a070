"""`svengine verify DIR | evaluation.zip`: re-run a recorded evaluation and report any difference."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.audit.verify import VerifyError, verify_bundle, verify_dir
from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS
from svengine.io.display import shown
from svengine.io.output import recover_set


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
            # A writer killed between its renames left a mix: put the old set back first, and say so.
            try:
                recovered = recover_set(record)
            except OSError as error:  # a folder we may read but not change: verify reports the mix
                recovered = [
                    f"{record}: a half-replaced set could not be put back ({error.strerror})"
                ]
            for sentence in recovered:
                print(f"svengine: {shown(sentence)}", file=sys.stderr)
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
