"""`svengine contract start|template|report|verify|ocds`: a contract after award (docs/contracts.md)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, NOTHING_WRITTEN
from svengine.contract.periods import REPORTING
from svengine.contract.report import REPORT_FILE, build_report, report_json, seal_ok
from svengine.io.contract_files import ContractFolder, read_contract_folder
from svengine.io.contract_start import start_contract
from svengine.io.output import refuse_existing, write_atomic
from svengine.problems import InvalidInput, Location, Problem


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "contract", help="carry an award into a contract: targets, returns, KPIs, reports"
    )
    commands = parser.add_subparsers(dest="contract_command", required=True, metavar="ACTION")

    start = commands.add_parser("start", help="make a contract folder from a recorded evaluation")
    start.add_argument(
        "evaluation", type=Path, help="a folder written by `svengine evaluate --out`"
    )
    start.add_argument("--bidder", required=True, help="the awarded bidder's id")
    start.add_argument("--lot", help="the lot, when the evaluation has lots")
    start.add_argument(
        "--start", type=_date, required=True, help="the contract's first day, YYYY-MM-DD"
    )
    start.add_argument("--reporting", choices=REPORTING, required=True)
    start.add_argument(
        "--years", type=int, help="the term in years (default: the tender's duration_years)"
    )
    start.add_argument("--out", type=Path, required=True, help="the contract folder to make")
    start.add_argument("--force", action="store_true", help="replace files that already exist")
    start.set_defaults(run=run_start, problems_outcome=NOTHING_WRITTEN)

    template = commands.add_parser("template", help="a return workbook for one period")
    template.add_argument("contract", type=Path)
    template.add_argument("--period", required=True, help="2026-Q2, 2026-04 or 2026")
    template.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    template.add_argument("--force", action="store_true")
    template.set_defaults(run=run_template, problems_outcome=NOTHING_WRITTEN)

    report = commands.add_parser("report", help="contract-report.json, .xlsx and .html")
    report.add_argument("contract", type=Path)
    report.add_argument(
        "--out", type=Path, help="the folder to write to (default CONTRACT_DIR/report)"
    )
    report.add_argument("--force", action="store_true")
    report.set_defaults(run=run_report, problems_outcome=NOTHING_WRITTEN)

    verify = commands.add_parser(
        "verify", help="re-read a contract folder and check its contract-report.json"
    )
    verify.add_argument("contract", type=Path)
    verify.add_argument(
        "--report",
        type=Path,
        help="the folder holding contract-report.json (default CONTRACT_DIR/report)",
    )
    verify.set_defaults(run=run_verify)

    ocds = commands.add_parser(
        "ocds", help="the contract's KPIs and assessments as an OCDS 1.1 release package"
    )
    ocds.add_argument("contract", type=Path)
    ocds.add_argument("--out", type=Path, required=True, help="the .json file to write")
    ocds.add_argument(
        "--ocid-prefix",
        default="ocds-xxxxxx",
        help="your registered OCID prefix, as given to `svengine ocds` (placeholder by default)",
    )
    ocds.add_argument(
        "--published",
        help="the release date (RFC 3339); default: the latest return received, else the last"
        " reported period's end",
    )
    ocds.add_argument("--publisher", default="svengine", help="the publisher's name")
    ocds.add_argument("--uri", help="where the package will be published (default: a URN)")
    ocds.add_argument("--force", action="store_true")
    ocds.set_defaults(run=run_ocds, problems_outcome=NOTHING_WRITTEN)


def _read_folder(folder: Path) -> ContractFolder:
    """The contract folder, its workbook returns read too (openpyxl is imported only here)."""
    from svengine.excel.contract_return import parse_return_workbook

    return read_contract_folder(folder, parse_return_workbook)


def run_start(args: argparse.Namespace) -> int:
    started = start_contract(
        args.evaluation,
        args.bidder,
        args.lot,
        args.start,
        args.reporting,
        args.out,
        args.years,
        args.force,
    )
    print(
        "wrote "
        + ", ".join(
            str(started.folder / n) for n in ("contract.yaml", "library.yaml", "award/result.json")
        )
    )
    for warning in started.warnings:
        print(f"svengine: warning: {warning}", file=sys.stderr)
    return EXIT_OK


def run_template(args: argparse.Namespace) -> int:
    from svengine.report.contract_workbook import return_template

    folder = _read_folder(args.contract)
    names = [p.name for p in folder.contract.periods]
    if args.period not in names:
        raise InvalidInput(
            [
                Problem(
                    "period_outside_term",
                    f'"{args.period}" is not a period of the term ({names[0]} to {names[-1]})',
                    Location(path="--period"),
                )
            ]
        )
    if args.period in folder.contract.closed:
        raise InvalidInput(
            [
                Problem(
                    "period_closed",
                    f"{args.period} is closed: no return can be made for it",
                    Location(path="--period"),
                )
            ]
        )
    write_atomic(args.out, return_template(folder, args.period), args.force)
    print(f"wrote {args.out}")
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from svengine.report.contract_page import contract_page
    from svengine.report.contract_workbook import report_workbook

    folder = _read_folder(args.contract)
    document = build_report(folder.contract, folder.library, folder.periods, folder.files)
    out = args.out or args.contract / "report"
    outputs = {
        out / REPORT_FILE: report_json(document),
        out / "contract-report.xlsx": report_workbook(document),
        out / "contract-report.html": contract_page(document).html().encode("utf-8"),
    }
    refuse_existing(outputs, args.force)
    for path, data in outputs.items():
        write_atomic(path, data, force=args.force)
    print("wrote " + ", ".join(str(p) for p in outputs))
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    path = (args.report or args.contract / "report") / REPORT_FILE
    if not path.is_file():
        raise InvalidInput(
            [
                Problem(
                    "missing_file",
                    "no contract-report.json here (svengine contract report writes it)",
                    Location(file=str(path)),
                )
            ]
        )
    recorded = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    if not seal_ok(recorded):
        problems.append(
            f"{path}: the report does not match its report_sha256 (edited after it was written)"
        )
    folder = _read_folder(args.contract)
    again = build_report(folder.contract, folder.library, folder.periods, folder.files)
    for name, digest in recorded.get("audit", {}).get("inputs", {}).items():
        now = again["audit"]["inputs"].get(name)
        if now != digest:
            problems.append(
                f"{name}: {'missing now' if now is None else 'changed since the report'}"
            )
    for name in sorted(
        set(again["audit"]["inputs"]) - set(recorded.get("audit", {}).get("inputs", {}))
    ):
        problems.append(f"{name}: new since the report")
    if not problems and report_json(again) != path.read_bytes():
        problems.append(f"{path}: re-computed figures differ from the recorded ones")
    if problems:
        print("NOT VERIFIED:\n" + "\n".join(f"  {p}" for p in problems))
        return EXIT_PROBLEMS
    print(f"verified: {path} is sealed and the same inputs give the same report byte for byte")
    return EXIT_OK


def run_ocds(args: argparse.Namespace) -> int:
    from svengine.contract.ocds import ContractOcdsOptions, ocds_release
    from svengine.ocds import dumps_exact

    folder = _read_folder(args.contract)
    document = build_report(folder.contract, folder.library, folder.periods, folder.files)
    options = ContractOcdsOptions(
        ocid_prefix=args.ocid_prefix,
        published=args.published,
        publisher=args.publisher,
        uri=args.uri,
    )
    package = ocds_release(folder.contract, document, options)
    write_atomic(args.out, dumps_exact(package) + "\n", args.force)
    print(f"wrote {args.out}")
    return EXIT_OK
