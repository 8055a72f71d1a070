"""`svengine evaluate FOLDER [--out DIR] [--force]`: rank the bids, print or write result.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, print_problems, table
from svengine.io.loaders import read_folder
from svengine.io.output import refuse_existing, write_atomic
from svengine.model.result import Result
from svengine.problems import OutputExists
from svengine.scoring.evaluate import evaluate

RESULT_FILE = "result.json"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("evaluate", help="evaluate a tender folder and rank its bids")
    parser.add_argument("folder", type=Path, help="folder holding tender.yaml, bids/ and scores.csv")
    parser.add_argument("--out", type=Path, help="write DIR/result.json instead of printing a table")
    parser.add_argument("--force", action="store_true", help="replace output files that already exist")
    # Accepted now so scripts and benchmarks can pass it; it takes effect when the workbook output lands.
    parser.add_argument("--no-workbook", action="store_true", help="write result.json only, no evaluation workbook")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    outputs = [args.out / RESULT_FILE] if args.out else []
    try:
        refuse_existing(outputs, args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    inputs, problems = read_folder(args.folder)
    if inputs is None:
        print_problems(problems)
        return EXIT_PROBLEMS
    result = evaluate(inputs.tender, inputs.bids, inputs.scores)
    if args.out:
        try:
            write_atomic(args.out / RESULT_FILE, result.to_json(), force=args.force)
        except OutputExists as error:
            print(f"svengine: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"wrote {args.out / RESULT_FILE}")
    else:
        print(ranked_table(result))
    return EXIT_OK


def ranked_table(result: Result) -> str:
    """The ranking as a plain-text table, with flags and exclusions listed under it."""
    tender = result.tender
    lines = [f"{tender.id}: {tender.title} ({tender.currency}, contract value {tender.contract_value:,})", ""]
    rows = []
    for bid in result.bids:
        rows.append(
            [
                str(bid.rank) if bid.rank is not None else "-",
                bid.bidder_id,
                bid.bidder_name,
                _or_dash(bid.quality.score),
                _or_dash(bid.price.score),
                _or_dash(bid.social_value.score),
                _or_dash(bid.total_score),
                f"{bid.social_value.total:,}",
                f"{bid.social_value.additionality_pct}%",
                bid.size,
                bid.status,
            ]
        )
    headers = ["rank", "bidder", "name", "quality", "price", "social value", "total", "SV £", "SV % of value", "size", "status"]
    lines.append(table(headers, rows, right=[True, False, False, True, True, True, True, True, True, False, False]))
    notes = [
        f"  {bid.bidder_id} {kind} {flag.code}: {flag.message}"
        for bid in result.bids
        for kind, flags in (("excluded", bid.exclusions), ("flag", bid.flags))
        for flag in flags
    ]
    if notes:
        lines += ["", "Exclusions and flags:", *notes]
    summary = result.summary
    lines += [
        "",
        f"{summary.bids} bids: {summary.ranked} ranked, {summary.excluded} excluded; "
        f"{summary.sme} SME, {summary.vcse} VCSE, {summary.size_unknown} of unknown size",
    ]
    return "\n".join(lines)


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)
