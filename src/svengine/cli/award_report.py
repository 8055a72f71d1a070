"""`svengine award-report DIR --out FILE [--force]`: the award decision for sign-off.

The format follows FILE's suffix: `.html` (or `.htm`) writes a self-contained HTML page, `.md` (or
`.markdown`) Markdown. Exactly FILE is written; any other suffix is refused with nothing written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, NOTHING_WRITTEN
from svengine.cli.result_file import read_result
from svengine.io.output import refuse_existing, write_atomic
from svengine.problems import OutputExists
from svengine.report.award_report import award_report


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "award-report",
        help="write the award report (HTML or Markdown, by the suffix of --out) for sign-off",
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
        help="the file to write: award.html (a self-contained page) or award.md (Markdown)",
    )
    parser.add_argument("--force", action="store_true", help="replace files that already exist")
    parser.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


def run(args: argparse.Namespace) -> int:
    result = read_result(args.folder)
    if result is None:
        return EXIT_PROBLEMS
    out: Path = args.out
    suffix = out.suffix.lower()
    if suffix not in HTML_SUFFIXES + MARKDOWN_SUFFIXES:
        print(
            f"svengine: --out {out} must end in .html (a web page) or .md (Markdown): the"
            " suffix decides the format; nothing was written",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    doc = award_report(result)
    text = doc.html() if suffix in HTML_SUFFIXES else doc.markdown()
    try:
        refuse_existing([out], args.force)
        write_atomic(out, text, force=args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {out}")
    return EXIT_OK


HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
