"""`svengine evaluate FOLDER [--out DIR [--bundle] [--no-workbook]] [--force]`.

Rank the bids, print or write the record.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import UTC, datetime
from pathlib import Path

from svengine.audit import record
from svengine.cli import award_cli, collector
from svengine.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    NOTHING_EVALUATED,
    positive_int,
    print_problems,
    table,
)
from svengine.display import amount, percent
from svengine.excel.safety import DEFAULT_MAX_ROWS
from svengine.io.digests import AuditTrail, digests_of_files
from svengine.io.display import shown
from svengine.io.loaders import read_folder
from svengine.io.output import refuse_existing
from svengine.model.result import Result, counted_value
from svengine.problems import OutputExists
from svengine.seal.streaming import file_sha256

RESULT_FILE = record.RESULT_FILE


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("evaluate", help="evaluate a tender folder and rank its bids")
    parser.add_argument(
        "folder", type=Path, help="folder holding tender.yaml, bids/ and scores.csv"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="also write DIR/result.json, DIR/run.json and DIR/report.xlsx (the ranking is printed too)",
    )
    parser.add_argument(
        "--bundle",
        action="store_true",
        help="also write DIR/evaluation.zip: inputs, result and manifest",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace output files that already exist"
    )
    parser.add_argument(
        "--no-workbook", action="store_true", help="with --out, do not write report.xlsx"
    )
    parser.add_argument(
        "--max-rows",
        type=positive_int,
        default=DEFAULT_MAX_ROWS,
        help="most data rows read from any sheet of bids.xlsx or scores.xlsx",
    )
    parser.add_argument(
        "--methodology",
        type=Path,
        help="the published methodology (a tender YAML/JSON file): warn where this tender differs",
    )
    parser.set_defaults(run=collector.pausing(run), problems_outcome=NOTHING_EVALUATED)


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    if args.bundle and not args.out:
        print("svengine: --bundle needs --out DIR", file=sys.stderr)
        return EXIT_USAGE
    published = award_cli.load_methodology(args.methodology) if args.methodology else None
    if args.methodology and published is None:
        return EXIT_PROBLEMS
    outputs = (
        record.output_paths(args.out, args.bundle, workbook=not args.no_workbook)
        if args.out
        else []
    )
    try:
        refuse_existing(outputs, args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.out and args.out.exists() and not args.out.is_dir():
        print(
            f"svengine: --out {shown(str(args.out))} is a file; --out needs a folder (it is"
            " created if missing), for example --out results",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    inputs, problems = read_folder(args.folder, max_rows=args.max_rows)
    if inputs is None:
        print_problems(problems, NOTHING_EVALUATED)
        return EXIT_PROBLEMS
    digests = digests_of_files(inputs.files)
    if not args.bundle:
        # Memory: without a bundle the input files' bytes are needed only for their digests (the
        # seal, run.json, the workbook's audit sheet); letting them go before evaluating lowers
        # the peak of a large folder (docs/performance.md).
        inputs = dataclasses.replace(inputs, files={})
    if args.out and args.no_workbook and not args.bundle:
        # Sealed while result.json is written: each bid becomes JSON once, not twice (the workbook
        # and the bundle need the sealed result's bytes before they are written).
        result = record.draft_inputs(inputs, digests)
    else:
        result = record.evaluate_inputs(inputs, digests)
    award_cli.print_warnings(result, inputs.tender, published)
    if args.out:
        # Every output is made before any is written, so a failure leaves nothing half done.
        workbook = None
        if not args.no_workbook:
            audit = AuditTrail(digests, file_sha256(result))
            from svengine.report.workbook import (
                workbook_bytes,  # XlsxWriter loads only when a workbook is written
            )

            # The date run.json records as started_at (UTC): the workbook's date of evaluation.
            workbook = workbook_bytes(inputs.tender, result, audit, started.date())
            from svengine.report.cell_limit import last_cut

            for cut in last_cut():  # never silently: also on the workbook's Issues sheet
                print(f"svengine: warning text_cut: report.xlsx {cut.message}", file=sys.stderr)
        try:
            written = record.write_outputs(
                args.out,
                args.folder,
                inputs,
                result,
                bundle=args.bundle,
                force=args.force,
                started=started,
                workbook=workbook,
                digests=digests,
                notice=lambda sentence: print(f"svengine: {shown(sentence)}", file=sys.stderr),
            )
        except OutputExists as error:
            print(f"svengine: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        except OSError as error:  # a full disk, a file held open: the old set is left whole
            print(
                f"svengine: cannot read or write {shown(str(error.filename or args.out))}:"
                f" {error.strerror or error}; nothing in {shown(str(args.out))} was changed",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        print(ranked_table(result))  # the ranking first, as without --out; then what was written
        print("wrote " + ", ".join(shown(str(path)) for path in written))
    else:
        print(ranked_table(result))
    return EXIT_OK


def ranked_table(result: Result) -> str:
    """The ranking as a plain-text table, with flags and exclusions listed under it."""
    tender = result.tender
    lines = [
        shown(
            f"{tender.id}: {tender.title} (contract value"
            f" {amount(tender.contract_value, tender.currency)})"
        ),
        "",
    ]
    rows = []
    lots = result.lots is not None
    # `count: net`: the £ beside the additionality is the net value that made it (methods-net.md)
    counts_net = any(counted_value(b.social_value) is not b.social_value.total for b in result.bids)
    for bid in result.bids:
        rows.append(
            [
                *([bid.lot or "-"] if lots else []),
                str(bid.rank) if bid.rank is not None else "-",
                bid.bidder_id,
                bid.bidder_name,
                _or_dash(bid.quality.score),
                _or_dash(bid.price.score),
                _or_dash(bid.social_value.score),
                _or_dash(bid.total_score),
                amount(counted_value(bid.social_value), tender.currency),
                percent(bid.social_value.additionality_pct),
                bid.size,
                bid.status,
                *([bid.award.outcome.replace("_", " ")] if bid.award is not None else []),
            ]
        )
    headers = [
        "rank",
        "bidder",
        "name",
        "quality",
        "price",
        "social value",
        "total",
        "net social value offered" if counts_net else "social value offered",
        "% of contract value",
        "size",
        "status",
        "award",
    ]
    right = [True, False, False, True, True, True, True, True, True, False, False, False]
    lines.append(
        table(
            ["lot", *headers] if lots else headers, rows, right=[False, *right] if lots else right
        )
    )
    notes = [
        "  " + shown(f"{bid.bidder_id} {kind} {flag.code}: {flag.message}")
        for bid in result.bids
        for kind, flags in (("excluded", bid.exclusions), ("flag", bid.flags))
        for flag in flags
    ]
    if notes:
        lines += ["", "Exclusions and flags:", *notes]
    lines += award_cli.award_lines(result)
    if result.panel is not None and result.panel.flags:
        lines += [
            "",
            "Panel flags:",
            *("  " + shown(f"{flag.code}: {flag.message}") for flag in result.panel.flags),
        ]
    summary = result.summary
    lines += [
        "",
        f"{summary.bids} bids: {summary.ranked} ranked, {summary.excluded} excluded; "
        f"{summary.sme} SME, {summary.vcse} VCSE, {summary.size_unknown} of unknown size",
    ]
    return "\n".join(lines)


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)
