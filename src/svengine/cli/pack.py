"""`svengine pack DIR --out pack.html [--force]`: the evaluation pack for the committee.

Reads only DIR/result.json and DIR/run.json (what `evaluate --out DIR` wrote) and writes only
--out, atomically: one self-contained HTML file (report/pack.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, NOTHING_WRITTEN
from svengine.cli.result_file import recorded_tender
from svengine.io.output import write_atomic
from svengine.model.result import Result

RESULT_FILE = "result.json"
RUN_FILE = "run.json"


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
    folder: Path = args.folder
    path = folder / RESULT_FILE
    try:
        data = path.read_bytes()
    except OSError as error:
        return _fail(
            f"cannot read {path}: {error.strerror}; give a folder written by"
            " `svengine evaluate FOLDER --out DIR`"
        )
    try:
        result = Result.model_validate_json(data)
    except ValidationError as error:
        return _fail(
            f"{path} is not a result.json this version can read ({error.error_count()} problems)"
        )
    run_path = folder / RUN_FILE
    run_record: dict[str, object] | None = None
    if run_path.exists():
        try:
            loaded = json.loads(run_path.read_bytes())
        except (OSError, ValueError) as error:
            return _fail(f"cannot read {run_path} as JSON: {error}")
        if not isinstance(loaded, dict):
            return _fail(f"{run_path} is not a run record (a JSON object was expected)")
        run_record = loaded
    from svengine.report.pack import PackInput, pack_html  # pygal is imported only to pack

    tender = recorded_tender(result, run_record)
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
