"""`svengine template bids|prices|scores`: blank workbooks for bidders and for the panel, from a tender."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, NOTHING_WRITTEN, print_problems
from svengine.excel.folder import folder_bids
from svengine.excel.safety import Limits
from svengine.io.loaders import BIDS_FOLDER, TENDER_FILE, load_bids, load_tender
from svengine.io.output import refuse_existing
from svengine.model.bid import Bid
from svengine.model.tender import Tender
from svengine.problems import InvalidInput, Location, OutputExists, Problem


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "template", help="write a blank bids or scores workbook for a tender"
    )
    kinds = parser.add_subparsers(dest="template_kind", required=True, metavar="KIND")
    bids = kinds.add_parser("bids", help="a workbook for bidders: Bids and SocialValue sheets")
    bids.add_argument("tender", type=Path, help="the tender's tender.yaml (or its folder)")
    prices = kinds.add_parser(
        "prices",
        help="a workbook for bidders: the bids sheets plus the basket, schedule or parts to price",
    )
    prices.add_argument("tender", type=Path, help="the tender's tender.yaml (or its folder)")
    scores = kinds.add_parser(
        "scores", help="a workbook for the panel: one Scores sheet, no prices"
    )
    scores.add_argument(
        "tender",
        type=Path,
        help="tender.yaml (criteria only), or an evaluation folder (one row per bid and criterion)",
    )
    scores.add_argument(
        "--evaluators",
        help="comma-separated evaluator names: one row per bid, criterion and evaluator",
    )
    for sub in (bids, prices, scores):
        sub.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
        sub.add_argument("--force", action="store_true", help="replace the file if it exists")
        sub.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


def run(args: argparse.Namespace) -> int:
    # Excel libraries load only when this command runs, so `svengine evaluate` starts fast.
    from svengine.excel.price_template import NothingToPrice, prices_template
    from svengine.excel.templates import bids_template, scores_template, write_template

    if args.out.suffix.lower() != ".xlsx":
        print(f"svengine: --out must name an .xlsx file, not {args.out}", file=sys.stderr)
        return EXIT_USAGE
    evaluators = [
        name.strip()
        for name in (getattr(args, "evaluators", None) or "").split(",")
        if name.strip()
    ]
    if len(set(evaluators)) != len(evaluators):
        print("svengine: --evaluators lists a name twice", file=sys.stderr)
        return EXIT_USAGE
    try:
        refuse_existing([args.out], args.force)
        folder = args.tender if args.tender.is_dir() else None
        tender = load_tender(folder / TENDER_FILE if folder else args.tender)
        if args.template_kind == "bids":
            data = bids_template(tender)
        elif args.template_kind == "prices":
            data = prices_template(tender)
        else:
            bids = sorted(_bids(folder, tender), key=lambda b: b.bidder.id) if folder else None
            data = scores_template(tender, bids, evaluators)
        write_template(data, args.out, force=args.force)
    except InvalidInput as error:
        print_problems(error.problems, NOTHING_WRITTEN)
        return EXIT_PROBLEMS
    except NothingToPrice as error:
        tender_file = args.tender / TENDER_FILE if args.tender.is_dir() else args.tender
        print_problems(
            [
                Problem(
                    "nothing_to_price",
                    str(error),
                    Location(file=str(tender_file), path="$.price.model"),
                )
            ],
            NOTHING_WRITTEN,
        )
        return EXIT_PROBLEMS
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {args.out}")
    return EXIT_OK


def _bids(folder: Path, tender: Tender) -> list[Bid]:
    from_workbook = folder_bids(folder, tender.id, Limits(), tender.price.model)
    if from_workbook is not None:
        bids, problems = from_workbook
        if problems:
            raise InvalidInput(problems)
        return bids
    return load_bids(folder / BIDS_FOLDER)
