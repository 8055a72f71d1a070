"""`svengine explain DIR --bidder ID`: how one bid's total was reached, from DIR/result.json alone."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from svengine.audit.explanation import explain_text
from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS
from svengine.model.result import Result

RESULT_FILE = "result.json"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "explain", help="explain in plain English how one bid's total was reached"
    )
    parser.add_argument(
        "folder",
        type=Path,
        help="a folder written by `evaluate --out` (only its result.json is read)",
    )
    parser.add_argument("--bidder", required=True, help="the bidder id, e.g. B3")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = args.folder / RESULT_FILE
    if not path.exists() and any(
        (args.folder / n).is_file() for n in ("tender.yaml", "tender.yml", "tender.json")
    ):
        print(
            f"svengine: {args.folder} is an evaluation's input folder; explain reads a recorded"
            f" evaluation: run `svengine evaluate {args.folder} --out DIR`, then"
            f" `svengine explain DIR --bidder {args.bidder}`",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    try:
        result = Result.model_validate_json(path.read_bytes())
    except OSError as error:
        print(f"svengine: cannot read {path}: {error.strerror}", file=sys.stderr)
        return EXIT_PROBLEMS
    except ValidationError as error:
        print(
            f"svengine: {path} is not a result.json this version can read ({error.error_count()} problems)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    try:
        print(explain_text(result, args.bidder))
    except KeyError:
        known = ", ".join(bid.bidder_id for bid in sorted(result.bids, key=lambda b: b.bidder_id))
        print(
            f"svengine: no bidder {args.bidder} in {path}; the bidders are {known}", file=sys.stderr
        )
        return EXIT_PROBLEMS
    return EXIT_OK
