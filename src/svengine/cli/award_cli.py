"""What `evaluate` prints and decides about awards: warnings, the methodology comparison, appointments."""

from __future__ import annotations

import sys
from pathlib import Path

from svengine.cli.common import NOTHING_EVALUATED, print_problems
from svengine.io.documents import read_document
from svengine.io.loaders import parse_tender
from svengine.model.result import Result
from svengine.model.tender import Tender
from svengine.problems import InvalidInput
from svengine.scoring.policy import compare_methods


def load_methodology(path: Path) -> Tender | None:
    """The published methodology: a tender file (its measure library resolved next to it).

    None after printing problems.
    """
    document, problems = read_document(path)
    if problems:
        print_problems(problems, NOTHING_EVALUATED)
        return None
    try:
        return parse_tender(document, str(path), base_dir=path.parent)
    except InvalidInput as error:
        print_problems(error.problems, NOTHING_EVALUATED)
        return None


def print_warnings(result: Result, tender: Tender, published: Tender | None) -> None:
    """Policy warnings (also in result.json) and differences from the published methodology (printed only)."""
    warnings = list(result.warnings) + (
        compare_methods(published, tender) if published is not None else []
    )
    for warning in warnings:
        print(f"svengine: warning {warning.code}: {warning.message}", file=sys.stderr)


def award_lines(result: Result) -> list[str]:
    lines = []
    if result.awards:
        lines += ["", "Awards:"]
        lines += [
            f"  {'lot ' + a.lot + ': ' if a.lot else ''}{a.bidder_id} (rank {a.rank})"
            for a in result.awards
        ]
    passed_over = [
        b for b in result.bids if b.award is not None and b.award.reason == "lot_limit_reached"
    ]
    lines += [
        f"  {b.lot}: {b.bidder_id} {b.award.message}" for b in passed_over if b.award is not None
    ]
    if result.warnings:
        lines += ["", "Policy warnings:", *(f"  {w.code}: {w.message}" for w in result.warnings)]
    return lines
