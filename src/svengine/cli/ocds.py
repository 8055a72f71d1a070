"""`svengine ocds DIR --out release.json`: the award of a recorded evaluation as an OCDS 1.1 release package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, NOTHING_WRITTEN
from svengine.cli.result_file import RUN_FILE, read_result, read_run, recorded_tender
from svengine.io.output import write_atomic
from svengine.ocds import OcdsOptions, dumps_exact, release_package
from svengine.problems import OutputExists


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ocds",
        help="publish the award of a recorded evaluation as an OCDS 1.1 release package",
        description=(
            "Writes an OCDS 1.1 release package (bids, lots, award criteria, UK extension statistics,"
            " awards) from a folder written by `svengine evaluate --out`. See docs/ocds.md."
        ),
    )
    parser.add_argument("folder", type=Path, help="a folder written by `evaluate --out`")
    parser.add_argument("--out", type=Path, required=True, help="the release package to write")
    parser.add_argument(
        "--include-scores",
        action="store_true",
        help="add each bid's scores and rank (confidential until published: off by default)",
    )
    parser.add_argument(
        "--ocid-prefix",
        default="ocds-xxxxxx",
        help="your registered OCID prefix (placeholder by default)",
    )
    parser.add_argument("--publisher", default="svengine", help="the publisher's name")
    parser.add_argument("--buyer", help="the buyer's name (adds a party with the buyer role)")
    parser.add_argument("--uri", help="where the package will be published (default: a URN)")
    parser.add_argument(
        "--published", help="the release date (RFC 3339); default: when the evaluation finished"
    )
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    parser.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


def _fail(message: str) -> int:
    print(f"svengine: {message}", file=sys.stderr)
    return EXIT_PROBLEMS


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    result = read_result(folder)
    if result is None:
        return EXIT_PROBLEMS
    readable, record = read_run(folder, required=True)
    if not readable or record is None:
        return EXIT_PROBLEMS
    finished = record.get("finished_at")
    if not isinstance(finished, str):
        return _fail(f"{folder / RUN_FILE} cannot be read as a run record: it has no finished_at")
    found = recorded_tender(folder, result, record)
    if found.tender is None:
        return _fail(found.why)
    tender = found.tender
    options = OcdsOptions(
        published=args.published or finished,
        ocid_prefix=args.ocid_prefix,
        publisher=args.publisher,
        uri=args.uri,
        buyer=args.buyer,
        include_scores=args.include_scores,
    )
    text = dumps_exact(release_package(result, tender, options))
    out: Path = args.out
    if out.exists() and not args.force:
        raise OutputExists(f"{out} exists already; pass --force to replace it")
    write_atomic(out, text, force=args.force)
    scores = " with per-bid scores" if args.include_scores else ""
    print(f"wrote {out}: an OCDS 1.1 release package for {result.tender.id}{scores}")
    return EXIT_OK
