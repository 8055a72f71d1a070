"""`svengine portfolio`: reading every contract folder under ROOT and portfolio.yaml; writing the report.

portfolio.yaml (optional) holds `authority`, `as_of`, `contracts` (folders relative to ROOT; every
folder under ROOT holding a contract.yaml when absent) and `targets`: `additionality_pct`,
`min_sv_pct_over_100k`, `sme_spend_pct`, `vcse_spend_pct` (percentages).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from svengine.contract.portfolio import portfolio
from svengine.contract.report import build_report
from svengine.excel.contract_return import parse_return_workbook
from svengine.io.contract_files import CONTRACT_FILE, read_contract_folder
from svengine.io.documents import parse_yaml
from svengine.io.output import refuse_existing, write_atomic
from svengine.numbers import grammar_error, to_decimal
from svengine.problems import InvalidInput, Location, Problem, raise_if_any
from svengine.report.document import Document

TARGETS = ("additionality_pct", "min_sv_pct_over_100k", "sme_spend_pct", "vcse_spend_pct")


def _settings(root: Path) -> dict[str, Any]:
    path = root / "portfolio.yaml"
    if not path.is_file():
        return {}
    document, problems = parse_yaml(path.read_text(encoding="utf-8-sig"), "portfolio.yaml")
    raise_if_any(problems)
    if not isinstance(document, dict):
        raise InvalidInput(
            [Problem("schema", "portfolio.yaml must be a mapping", Location(file="portfolio.yaml"))]
        )
    return document


def write_portfolio(
    root: Path, out: Path, as_of: date | None, force: bool, progress: TextIO
) -> list[Path]:
    settings = _settings(root)
    targets: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for name, value in (settings.get("targets") or {}).items():
        where = Location(file="portfolio.yaml", path=f"$.targets.{name}")
        if name not in TARGETS:
            problems.append(
                Problem(
                    "unknown_target",
                    f'unknown target "{name}"; the targets are {", ".join(TARGETS)}',
                    where,
                )
            )
        elif (message := grammar_error(value)) is not None:
            problems.append(Problem("bad_number", f"{name} {message}", where))
        else:
            targets[name] = to_decimal(value)
    raise_if_any(problems)
    day = as_of or settings.get("as_of") or date.today()
    if isinstance(day, str):
        day = date.fromisoformat(day)
    listed = settings.get("contracts")
    folders = (
        [root / p for p in listed]
        if listed
        else sorted(p.parent for p in root.rglob(CONTRACT_FILE))
    )
    reports = []
    for index, folder in enumerate(folders, start=1):
        try:
            read = read_contract_folder(folder, parse_return_workbook)
        except InvalidInput as error:
            prefix = folder.relative_to(root) if folder.is_relative_to(root) else folder
            raise InvalidInput(
                [p.at(file=f"{prefix}/{p.location.file or ''}") for p in error.problems]
            ) from None
        report = build_report(read.contract, read.library, read.periods, read.files)
        reports.append(
            (
                str(folder.relative_to(root)) if folder.is_relative_to(root) else str(folder),
                report,
                {p.name: p.last for p in read.contract.periods},
            )
        )
        width = 30
        done = width * index // len(folders)
        progress.write(f"\r[{'#' * done}{'.' * (width - done)}] {index}/{len(folders)} contracts")
        progress.flush()
    if folders:
        progress.write("\n")
    document = {"authority": settings.get("authority"), **portfolio(reports, targets, day)}
    outputs = {
        out / "portfolio.json": json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        out / "portfolio.html": _page(document).html(),
    }
    refuse_existing(outputs, force)
    for path, text in outputs.items():
        write_atomic(path, text, force)
    return list(outputs)


def _page(document: dict[str, Any]) -> Document:
    who = f": {document['authority']}" if document.get("authority") else ""
    doc = Document(f"Social value portfolio{who} (as of {document['as_of']})")
    t = document["totals"]
    doc.para(
        f"{t['contracts']} contracts worth {t['contract_value']}; committed social value over their terms "
        f"{t['committed_value_term']} ({t['additionality_pct']}% of contract value); "
        f"accepted to date {t['accepted_value']}; "
        f"SME share of contract value {t['sme_spend_pct']}%, VCSE {t['vcse_spend_pct']}%."
    )
    doc.heading("Targets")
    doc.table(
        ["Target", "Goal", "Value", "Met"],
        [
            [c["target"], c["goal"], c["value"] or "-", "yes" if c["met"] else "no"]
            for c in document["targets"]
        ],
    )
    doc.heading("Contracts (falling behind first)")
    doc.table(
        [
            "Contract",
            "Supplier",
            "Committed (term)",
            "Committed to date",
            "Accepted",
            "% of committed",
            "Behind",
            "KPI rating",
        ],
        [
            [
                c["id"],
                c["supplier"]["name"],
                c["committed_value_term"],
                c["committed_value"],
                c["accepted_value"],
                c["accepted_pct_of_committed"] or "-",
                "yes" if c["behind"] else "no",
                c["overall_rating"] or "-",
            ]
            for c in document["contracts"]
        ],
    )
    for key, title in (
        ("by_theme", "By theme (to date)"),
        ("by_supplier", "By supplier"),
        ("by_size", "By supplier size"),
    ):
        doc.heading(title)
        doc.table(
            ["", "Committed", "Accepted"],
            [[r["name"], r["committed_value_term"], r["accepted_value"]] for r in document[key]],
        )
    doc.heading("KPI assessments due in the next 60 days (s.71(2))")
    doc.table(
        ["Contract", "Due", "Overdue"],
        [
            [d["contract"], d["due"], "yes" if d["overdue"] else "no"]
            for d in document["kpi_assessments_due"]
        ],
    )
    return doc
