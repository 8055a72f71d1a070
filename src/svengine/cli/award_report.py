"""`svengine award-report DIR --out report.md [--force]`: the award decision for sign-off (.md and .html)."""

from __future__ import annotations

import argparse
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS
from svengine.cli.result_file import read_result
from svengine.io.output import refuse_existing, write_atomic
from svengine.report.award_report import award_report


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "award-report",
        help="write the award report (Markdown and HTML) from an evaluation's result.json",
    )
    parser.add_argument(
        "folder",
        type=Path,
        help="a folder written by `evaluate --out` (only its result.json is read)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the Markdown file to write; the HTML goes next to it with .html",
    )
    parser.add_argument("--force", action="store_true", help="replace files that already exist")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = read_result(args.folder)
    if result is None:
        return EXIT_PROBLEMS
    doc = award_report(result)
    markdown = (
        args.out if args.out.suffix.lower() == ".md" else args.out.with_name(args.out.name + ".md")
    )
    outputs = {markdown: doc.markdown(), markdown.with_suffix(".html"): doc.html()}
    refuse_existing(outputs, args.force)
    for path, text in outputs.items():
        write_atomic(path, text, force=args.force)
    print("wrote " + ", ".join(str(p) for p in outputs))
    return EXIT_OK
