"""`svengine pack DIR --out pack.html [--force]`: the evaluation pack for the committee.

Reads only DIR/result.json and DIR/run.json (what `evaluate --out DIR` wrote) and writes only
--out, atomically: one self-contained HTML file (report/pack.py).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, NOTHING_WRITTEN
from svengine.cli.result_file import read_result_file, read_run, recorded_tender
from svengine.io.output import write_atomic
from svengine.problems import SvengineError


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "pack", help="write the evaluation pack for the committee (one self-contained HTML file)"
    )
    parser.add_argument(
        "folder",
        type=Path,
        help="a folder written by `evaluate --out` (its result.json and run.json are read)",
    )
    parser.add_argument("--out", type=Path, required=True, help="the pack to write: FILE.html")
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")
    parser.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


def _fail(message: str) -> int:
    print(f"svengine pack: {message}", file=sys.stderr)
    return EXIT_PROBLEMS


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() not in (".html", ".htm"):
        print(f"svengine pack: --out must end in .html, not {out.name!r}", file=sys.stderr)
        return EXIT_USAGE
    if out.exists() and not args.force:
        return _fail(f"{out} already exists; use --force to replace")
    read = read_result_file(args.folder)
    if read is None:
        return EXIT_PROBLEMS
    result, data = read
    readable, run_record = read_run(args.folder)
    if not readable:
        return EXIT_PROBLEMS
    from svengine.report.pack import PackInput, pack_html  # pygal is imported only to pack

    try:  # without the tender the pack only leaves out the premium lines: no reason to refuse
        tender = recorded_tender(args.folder, result, run_record).tender
    except SvengineError:  # the tender no longer loads (InvalidInput)
        tender = None
    premium = None
    if tender is not None:
        from svengine.analysis.premium import premium_lines, premium_report

        lines = premium_lines(
            premium_report(tender, result), result.tender.currency, tender.rounding.places
        )
        premium = tuple(lines[2:])  # the bids' and the tender's lines, without the heading
    pack = PackInput(result, run_record, hashlib.sha256(data).hexdigest(), premium)
    write_atomic(out, pack_html(pack), force=args.force)  # OutputExists: printed by cli.main
    print(f"wrote {out}")
    return EXIT_OK
