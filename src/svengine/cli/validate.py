"""`svengine validate FOLDER|FILE`: every check `evaluate` runs, without evaluating."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, positive_int, print_problems
from svengine.excel.safety import DEFAULT_MAX_ROWS
from svengine.io.decisions import DECISIONS_FILE, read_decisions
from svengine.io.display import shown
from svengine.io.documents import read_document
from svengine.io.loaders import _bids, _library, _tender, read_folder
from svengine.io.moderation_csv import SV_MODERATION_FILE, read_sv_moderation_csv
from svengine.io.scores_csv import read_scores_csv
from svengine.problems import Problem


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate", help="check a tender folder or one file; list every problem"
    )
    parser.add_argument(
        "target", type=Path, help="an evaluation folder, or a tender, library, bid or scores file"
    )
    parser.add_argument(
        "--max-rows",
        type=positive_int,
        default=DEFAULT_MAX_ROWS,
        help="most data rows read from any sheet of bids.xlsx or scores.xlsx",
    )
    parser.set_defaults(run=run)


def problems_of_file(path: Path) -> tuple[str, list[Problem]]:
    """What kind of file `path` is and every problem in it (a bid alone is checked against its schema)."""
    if path.name.lower() == SV_MODERATION_FILE:
        return "social value moderation file", read_sv_moderation_csv(path)[1]
    if path.name.lower() == DECISIONS_FILE:
        return "decisions file", read_decisions(path)[1]
    if path.suffix.lower() == ".csv":
        return "scores", read_scores_csv(path)[1]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from svengine.excel.workbooks import (
            workbook_problems,  # openpyxl loads only for a workbook
        )

        return workbook_problems(path)
    document, problems = read_document(path)
    if problems:
        return "file", problems
    kind = _kind(document)
    if kind == "library":
        return kind, _library(document, str(path))[1]
    if kind == "tender":
        return kind, _tender(document, str(path), path.parent, None)[1]
    return kind, _bids(document, str(path))[1]


def _kind(document: Any) -> str:
    if isinstance(document, dict) and "measures" in document:
        return "library"
    if isinstance(document, dict) and "weights" in document:
        return "tender"
    return "bid"


def run(args: argparse.Namespace) -> int:
    target: Path = args.target
    if target.is_dir():
        kind, problems = "evaluation folder", read_folder(target, max_rows=args.max_rows)[1]
    elif os.path.lexists(target):  # a link or a device is refused by the reader, with its name
        kind, problems = problems_of_file(target)
    else:
        print(f"svengine: {shown(str(target))} does not exist", file=sys.stderr)
        return EXIT_PROBLEMS
    if problems:
        print_problems(problems)
        return EXIT_PROBLEMS
    print(f"{shown(str(target))}: valid {kind}")
    return EXIT_OK
