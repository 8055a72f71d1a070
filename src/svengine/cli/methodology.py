"""`svengine methodology TENDER --out FILE.md|FILE.html [--force]`: the method as the buyer publishes it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, NOTHING_WRITTEN
from svengine.cli.result_file import RESULT_FILE, TENDER_FILES, evaluation_tender
from svengine.io.loaders import load_tender
from svengine.io.output import write_atomic
from svengine.problems import OutputExists
from svengine.report.methodology import render_methodology

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "methodology", help="write the evaluation method as the text a buyer publishes"
    )
    parser.add_argument(
        "tender",
        type=Path,
        help="the tender file (tender.yaml), its folder, or a folder written by `evaluate --out`",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="FILE.md (Markdown) or FILE.html (self-contained HTML)",
    )
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")
    parser.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


def run(args: argparse.Namespace) -> int:
    fmt = FORMATS.get(args.out.suffix.lower())
    if fmt is None:
        print(
            f"svengine methodology: --out must end in .md or .html, not {args.out.name!r}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.out.exists() and not args.force:
        print(f"svengine: {args.out} already exists; use --force to replace", file=sys.stderr)
        return EXIT_PROBLEMS
    source: Path = args.tender
    if source.is_dir() and (source / RESULT_FILE).is_file():  # a folder written by evaluate --out
        found = evaluation_tender(source)
        if found is None:
            print("svengine: methodology also takes the tender file itself", file=sys.stderr)
            return EXIT_PROBLEMS
        tender = found
    else:
        if source.is_dir():  # an evaluation's input folder: its tender
            source = next((source / n for n in TENDER_FILES if (source / n).is_file()), source)
        tender = load_tender(source)  # InvalidInput is printed by cli.main (exit 1)
    try:
        write_atomic(args.out, render_methodology(tender, fmt), force=args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {args.out}")
    return EXIT_OK
