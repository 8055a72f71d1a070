"""`svengine panel FOLDER [--out DIR] [--force]`: the moderation sheet, printed or as moderation.xlsx."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, print_problems, table, written_with_out
from svengine.display import percent, readable, score
from svengine.io.loaders import read_folder
from svengine.io.output import refuse_existing, write_atomic
from svengine.model.bid import Bid
from svengine.model.panel import Panel
from svengine.model.scores import Score
from svengine.model.tender import Tender
from svengine.numbers import decimal_text
from svengine.problems import OutputExists, Problem
from svengine.scoring.lots import split_lots
from svengine.scoring.panel import (
    SheetRow,
    effective_panel,
    moderation_sheet,
    panel_evaluators,
    panel_result,
)

MODERATION_FILE = "moderation.xlsx"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "panel", help="print the panel's moderation sheet (or write moderation.xlsx)"
    )
    parser.add_argument(
        "folder",
        type=Path,
        help="folder holding tender.yaml, bids/ and scores.csv with an evaluator column",
    )
    parser.add_argument("--out", type=Path, help="write DIR/moderation.xlsx instead of printing")
    parser.add_argument(
        "--force", action="store_true", help="replace output files that already exist"
    )
    parser.set_defaults(run=run, problems_outcome=written_with_out)


def run(args: argparse.Namespace) -> int:
    # Excel libraries load only when this command runs, so `svengine evaluate` starts fast.
    from svengine.io.moderation_xlsx import moderation_workbook

    outputs = [args.out / MODERATION_FILE] if args.out else []
    try:
        refuse_existing(outputs, args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    inputs, problems = read_folder(args.folder, pending_moderation=True)
    if inputs is None:
        print_problems(problems, written_with_out(args))
        return EXIT_PROBLEMS
    tender, scores = inputs.tender, inputs.scores
    panel = effective_panel(tender, scores)
    if panel is None:
        print_problems(
            [
                Problem(
                    "no_panel",
                    "the scores name no evaluator and the tender declares no panel, so there is nothing to moderate",
                )
            ],
            written_with_out(args),
        )
        return EXIT_PROBLEMS
    rows = lot_sheet(tender, inputs.bids, scores)
    evaluators = [e.id for e in panel_evaluators(panel, scores)]
    if args.out:
        data = moderation_workbook(tender, evaluators, rows, inputs.bids, inputs.sv_moderation)
        try:
            write_atomic(args.out / MODERATION_FILE, data, force=args.force)
        except OutputExists as error:
            print(f"svengine: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"wrote {args.out / MODERATION_FILE}")
        return EXIT_OK
    disagreements = sum(1 for row in rows if row.trail.disagreement)
    print(
        f"{tender.id}: {tender.title} - moderation sheet (aggregate: {panel.aggregate}; no prices)"
    )
    print(
        f"{len(rows)} bid × criterion cells; {disagreements} with a spread above "
        f"{percent(panel.spread_tolerance_pct)} of the scale, listed first\n"
    )
    print(sheet_table(rows, evaluators, tender.rounding.places))
    bias = panel_flags(tender, panel, inputs.bids, scores)
    if bias:
        print("\nPanel flags:")
        for flag in bias:
            print(f"  {flag}")
    return EXIT_OK


def lot_sheet(tender: Tender, bids: Sequence[Bid], scores: Sequence[Score]) -> list[SheetRow]:
    """The moderation sheet, lot by lot on a tender with lots (a bid is identified by lot and bidder,
    so one bidder's scores in two lots are two bids, never one cell). Pass/fail verdicts are decided
    once for each bid, not by evaluators, so they are not on the sheet."""
    rows: list[SheetRow] = []
    for part in split_lots(tender, bids, scores):
        names = {bid.bidder.id: bid.bidder.name for bid in part.bids}
        rows += [
            replace(row, lot=part.lot_id)
            for row in moderation_sheet(part.tender, names, part.scores)
        ]
    if tender.lots:
        rows.sort(
            key=lambda row: not row.trail.disagreement
        )  # stable: disagreements of every lot first, each lot's order kept
    return rows


def panel_flags(
    tender: Tender, panel: Panel, bids: Sequence[Bid], scores: Sequence[Score]
) -> list[str]:
    """Each evaluator_bias flag as `code: message`; on a tender with lots, measured within each lot."""
    lines: list[str] = []
    for part in split_lots(tender, bids, scores):
        if effective_panel(part.tender, part.scores) is None:
            continue  # no evaluator scored in this lot
        disagreements = sum(
            1 for row in moderation_sheet(part.tender, {}, part.scores) if row.trail.disagreement
        )
        prefix = f"lot {part.lot_id}: " if part.lot_id is not None else ""
        lines += [
            f"{flag.code}: {prefix}{readable(flag.message)}"
            for flag in panel_result(part.tender, panel, part.scores, disagreements).flags
        ]
    return lines


def sheet_table(rows: list[SheetRow], evaluators: list[str], places: int) -> str:
    """Individual scores by evaluator (`-` where not assigned), spread, mean, consensus and rationale.

    Scores are shown as entered; the mean (exact in the record) to the tender's declared `places`.
    """
    body = []
    lotted = any(row.lot is not None for row in rows)
    for row in rows:
        by_evaluator = {s.evaluator: decimal_text(s.score) for s in row.trail.individual}
        body.append(
            [
                *([row.lot or ""] if lotted else []),
                row.bidder,
                row.criterion.id,
                *(by_evaluator.get(e, "-") for e in evaluators),
                f"{decimal_text(row.trail.spread)} ({percent(Fraction(row.trail.spread_pct))})",
                "DISAGREE" if row.trail.disagreement else "",
                score(Fraction(row.trail.mean), places),
                _consensus(row),
                _one_line(row.trail.rationale or ""),
            ]
        )
    headers = [
        *(["lot"] if lotted else []),
        "bidder",
        "criterion",
        *evaluators,
        "spread",
        "",
        "mean",
        "consensus",
        "rationale",
    ]
    right = [
        *([False] if lotted else []),
        False,
        False,
        *(True for _ in evaluators),
        True,
        False,
        True,
        True,
        False,
    ]
    return table(headers, body, right=right)


def _consensus(row: SheetRow) -> str:
    if row.trail.aggregate != "consensus":
        return "-"  # the tender weights the mean or median; there is no consensus to agree
    return decimal_text(row.trail.consensus) if row.trail.consensus is not None else "?"


def _one_line(text: str) -> str:
    return " ".join(text.split())
