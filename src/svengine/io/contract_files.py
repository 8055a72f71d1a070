"""Reading a contract folder: contract.yaml, the library copied at award, and each period's files.

    CONTRACT_DIR/contract.yaml           the contract (schemas/contract.schema.json)
    CONTRACT_DIR/library.yaml            the measure library as it was at award (digest in contract.yaml)
    CONTRACT_DIR/returns/PERIOD.csv      measure,quantity,evidence,note   (the supplier's return)
    CONTRACT_DIR/returns/PERIOD.json     the same as {"lines": [{measure, quantity, evidence, note}]}
    CONTRACT_DIR/returns/PERIOD.xlsx     the same as the workbook `svengine contract template` writes
    CONTRACT_DIR/kpis/PERIOD.csv         kpi,value,note                   (KPI results)
    CONTRACT_DIR/moderation/PERIOD.csv   measure,decision,accepted_quantity,rationale (the buyer)

Every problem is located (file, line and column, or JSON path) and all are reported together.
"""

from __future__ import annotations

import hashlib
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from svengine.contract.model import (
    DECISIONS,
    Commitment,
    Contract,
    Decision,
    Kpi,
    KpiReport,
    LibraryCopy,
    ModerationRow,
    PeriodFiles,
    ReturnLine,
    Supplier,
)
from svengine.contract.periods import period_kind
from svengine.contract.rules import contract_problems, period_problems
from svengine.io.csv_table import missing_cells, read_csv_table
from svengine.io.documents import MAX_DOCUMENT_BYTES, parse_json, parse_yaml, read_input
from svengine.io.loaders import parse_library
from svengine.io.schemas import validate
from svengine.model.library import MeasureLibrary
from svengine.numbers import grammar_error, to_decimal
from svengine.problems import InvalidInput, Location, Problem, raise_if_any

CONTRACT_FILE = "contract.yaml"
RETURN_COLUMNS = ("measure", "quantity", "evidence", "note")
KPI_COLUMNS = ("kpi", "value", "note")
MODERATION_COLUMNS = ("measure", "decision", "accepted_quantity", "rationale")


@dataclass
class ContractFolder:
    """A contract folder read whole: the contract, its library, its periods and every file's bytes."""

    folder: Path
    contract: Contract
    library: MeasureLibrary
    periods: dict[str, PeriodFiles]
    files: dict[str, bytes] = field(default_factory=dict)
    """Every file read, by its path relative to the folder (the inputs of the report's audit block)."""


def _dates_as_text(value: Any) -> Any:
    """YAML reads 2026-04-01 as a date: back to text, so the schema sees what a JSON file would hold."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {_dates_as_text(k): _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value


def _date(text: str, file: str, path: str) -> tuple[date | None, list[Problem]]:
    try:
        return date.fromisoformat(text), []
    except ValueError:
        return None, [
            Problem(
                "bad_date",
                f'"{text}" is not a calendar date (YYYY-MM-DD)',
                Location(file=file, path=path),
            )
        ]


def parse_contract(
    document: Any, file: str = CONTRACT_FILE
) -> tuple[Contract | None, list[Problem]]:
    """The contract of a contract.yaml document, or every problem of it."""
    document = _dates_as_text(document)
    problems = validate(document, "contract", file)
    if problems:
        return None, problems
    start, problems = _date(document["start"], file, "$.start")
    received: dict[str, date] = {}
    for period, text in (document.get("received") or {}).items():
        day, found = _date(text, file, f"$.received['{period}']")
        problems += found
        if day is not None:
            received[period] = day
    if start is None or problems:
        return None, problems
    kind = document["reporting"]
    for period in [*(document.get("received") or {}), *(document.get("closed") or {})]:
        if period_kind(period) != kind:
            problems.append(
                Problem(
                    "period_outside_term",
                    f'"{period}" is not a {kind} period name',
                    Location(
                        file=file,
                        path="$.closed"
                        if period in (document.get("closed") or {})
                        else "$.received",
                    ),
                )
            )
    supplier = document["supplier"]
    commitments = tuple(
        Commitment(
            measure=c["measure"],
            quantity=to_decimal(c["quantity"]),
            years=c.get("years", 1),
            schedule={k: to_decimal(v) for k, v in c["schedule"].items()}
            if "schedule" in c
            else None,
        )
        for c in document.get("commitments") or []
    )
    kpis = tuple(
        Kpi(
            id=k["id"],
            title=k["title"],
            unit=k["unit"],
            target=to_decimal(k["target"]),
            direction=k["direction"],
            approaching_pct=to_decimal(k.get("approaching_pct", 5)),
            inadequate_pct=to_decimal(k.get("inadequate_pct", 20)),
            material=bool(k.get("material", False)),
        )
        for k in document.get("kpis") or []
    )
    estimated = document.get("estimated_value")
    contract = Contract(
        id=document["id"],
        title=document["title"],
        supplier=Supplier(
            supplier["id"],
            supplier["name"],
            supplier.get("size", "unknown"),
            supplier.get("vcse", False),
        ),
        start=start,
        years=document["years"],
        reporting=kind,
        contract_value=to_decimal(document["contract_value"]),
        currency=document["currency"],
        library=LibraryCopy(document["library"]["file"], document["library"]["sha256"]),
        commitments=commitments,
        kpis=kpis,
        kind=document.get("kind", "public_contract"),
        estimated_value=to_decimal(estimated) if estimated is not None else None,
        no_kpis_reason=document.get("no_kpis_reason") or None,
        carry_forward=document.get("carry_forward", False),
        return_due_days=document.get("return_due_days", 30),
        received=received,
        closed=dict(document.get("closed") or {}),
        tender=document.get("tender"),
        lot=document.get("lot"),
        award=dict(document.get("award") or {}),
    )
    return contract, problems


def _number(cell: str, column: str, where: Location) -> tuple[Decimal | None, list[Problem]]:
    message = grammar_error(cell)
    if message is not None:
        return None, [Problem("bad_number", f"{column} {message}", where)]
    return to_decimal(cell), []


def parse_return_csv(text: str, file: str) -> tuple[list[ReturnLine], list[Problem]]:
    rows, problems = read_csv_table(text, file, ("measure", "quantity"), ("evidence", "note"))
    lines = []
    for row in rows:
        found = missing_cells(row, ("measure", "quantity"), file)
        quantity = None
        if row.cells["quantity"]:
            quantity, more = _number(
                row.cells["quantity"],
                "quantity",
                Location(file=file, line=row.line, column="quantity"),
            )
            found += more
            if quantity is not None and quantity < 0:
                found.append(
                    Problem(
                        "bad_number",
                        "quantity must not be negative",
                        Location(file=file, line=row.line, column="quantity"),
                    )
                )
        if found or quantity is None:
            problems += found
            continue
        lines.append(
            ReturnLine(
                row.cells["measure"],
                quantity,
                row.cells.get("evidence", ""),
                row.cells.get("note", ""),
                Location(file=file, line=row.line, column="measure"),
            )
        )
    return lines, problems


def parse_return_json(text: str, file: str) -> tuple[list[ReturnLine], list[Problem]]:
    document, problems = parse_json(text, file)
    if problems:
        return [], problems
    items = document.get("lines") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return [], [
            Problem(
                "schema",
                'a JSON return is {"lines": [{"measure", "quantity", "evidence", "note"}]}',
                Location(file=file, path="$"),
            )
        ]
    lines = []
    for index, item in enumerate(items):
        path = f"$.lines[{index}]"
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("measure"), str)
            or "quantity" not in item
        ):
            problems.append(
                Problem(
                    "schema",
                    "each line needs a measure and a quantity",
                    Location(file=file, path=path),
                )
            )
            continue
        message = grammar_error(item["quantity"])
        if message is not None:
            problems.append(
                Problem(
                    "bad_number",
                    f"quantity {message}",
                    Location(file=file, path=f"{path}.quantity"),
                )
            )
            continue
        lines.append(
            ReturnLine(
                item["measure"],
                to_decimal(item["quantity"]),
                str(item.get("evidence") or ""),
                str(item.get("note") or ""),
                Location(file=file, path=path),
            )
        )
    return lines, problems


def parse_kpis_csv(text: str, file: str) -> tuple[list[KpiReport], list[Problem]]:
    rows, problems = read_csv_table(text, file, ("kpi", "value"), ("note",))
    reports = []
    for row in rows:
        found = missing_cells(row, ("kpi",), file)
        value = None
        if row.cells["value"]:
            value, more = _number(
                row.cells["value"], "value", Location(file=file, line=row.line, column="value")
            )
            found += more
        if found:
            problems += found
            continue
        reports.append(
            KpiReport(
                row.cells["kpi"],
                value,
                row.cells.get("note", ""),
                Location(file=file, line=row.line, column="kpi"),
            )
        )
    return reports, problems


def parse_moderation_csv(text: str, file: str) -> tuple[list[ModerationRow], list[Problem]]:
    rows, problems = read_csv_table(
        text, file, ("measure", "decision"), ("accepted_quantity", "rationale")
    )
    out = []
    for row in rows:
        found = missing_cells(row, ("measure", "decision"), file)
        decision = row.cells["decision"]
        if decision and decision not in DECISIONS:
            found.append(
                Problem(
                    "bad_value",
                    f'decision must be one of: {", ".join(DECISIONS)}; got "{decision}"',
                    Location(file=file, line=row.line, column="decision"),
                )
            )
        quantity = None
        if row.cells.get("accepted_quantity"):
            quantity, more = _number(
                row.cells["accepted_quantity"],
                "accepted_quantity",
                Location(file=file, line=row.line, column="accepted_quantity"),
            )
            found += more
        if found:
            problems += found
            continue
        out.append(
            ModerationRow(
                row.cells["measure"],
                typing.cast(Decision, decision),
                quantity,
                row.cells.get("rationale", ""),
                Location(file=file, line=row.line, column="measure"),
            )
        )
    return out, problems


def _text(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        return None, [
            Problem(
                "bad_encoding",
                f"the file is not UTF-8 text (byte {error.start})",
                Location(file=file),
            )
        ]


def _read(folder: Path, relative: str, files: dict[str, bytes]) -> bytes:
    """The file's bytes, read as every input is (a regular file, counted as read, bounded)."""
    data, problems = read_input(folder / relative, relative, MAX_DOCUMENT_BYTES)
    raise_if_any(problems)
    assert data is not None
    files[relative] = data
    return data


def _period_name(path: Path, folder: str) -> tuple[str, list[Problem]]:
    name = path.stem
    if period_kind(name) is None:
        return name, [
            Problem(
                "period_outside_term",
                f'"{path.name}" is not named after a period (2026-Q2, 2026-04 or 2026)',
                Location(file=f"{folder}/{path.name}"),
            )
        ]
    return name, []


RETURN_SUFFIXES = (".csv", ".json", ".xlsx")
ReturnReader = typing.Callable[[bytes, str], tuple[list[ReturnLine], list[Problem]]]
"""Reads a return workbook's bytes (`svengine.excel.contract_return.parse_return_workbook`): the
edges pass it in, as this layer does not read workbooks."""


def read_contract_folder(folder: Path, read_workbook: ReturnReader | None = None) -> ContractFolder:
    """Read and check a whole contract folder; raise InvalidInput listing every problem.

    `read_workbook` reads `returns/PERIOD.xlsx`; without it such a return is a located problem,
    never skipped."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    if not (folder / CONTRACT_FILE).is_file():
        raise InvalidInput(
            [
                Problem(
                    "missing_file",
                    f"{folder} has no {CONTRACT_FILE}: not a contract folder (svengine contract start makes one)",
                    Location(file=str(folder / CONTRACT_FILE)),
                )
            ]
        )
    text, problems = _text(_read(folder, CONTRACT_FILE, files), CONTRACT_FILE)
    raise_if_any(problems)
    assert text is not None
    document, problems = parse_yaml(text, CONTRACT_FILE)
    raise_if_any(problems)
    contract, problems = parse_contract(document)
    raise_if_any(problems)
    assert contract is not None
    library_file = contract.library.file
    if not (folder / library_file).is_file():
        raise InvalidInput(
            [
                Problem(
                    "missing_file",
                    "the library copied at award is missing",
                    Location(file=library_file),
                )
            ]
        )
    data = _read(folder, library_file, files)
    digest = hashlib.sha256(data).hexdigest()
    if digest != contract.library.sha256:
        raise InvalidInput(
            [
                Problem(
                    "library_changed",
                    f"the library copy's SHA-256 is {digest[:12]}…, not the {contract.library.sha256[:12]}… "
                    "recorded at award: delivered value must be priced at the proxies of the award, so the copy "
                    "must not change",
                    Location(file=library_file),
                )
            ]
        )
    text, problems = _text(data, library_file)
    raise_if_any(problems)
    assert text is not None
    library_document, problems = parse_yaml(text, library_file)
    raise_if_any(problems)
    library = parse_library(library_document, library_file)
    problems = contract_problems(contract, library)
    periods: dict[str, PeriodFiles] = {}
    found: dict[str, dict[str, Any]] = {}
    for sub, pattern in (("returns", "*"), ("kpis", "*.csv"), ("moderation", "*.csv")):
        if not (folder / sub).is_dir():
            continue
        for path in sorted((folder / sub).glob(pattern)):
            if path.name.startswith(".") or not path.is_file():
                continue
            relative = f"{sub}/{path.name}"
            if sub == "returns" and path.suffix not in RETURN_SUFFIXES:
                problems.append(
                    Problem(
                        "not_a_return",
                        f"{relative} is not a return: a return is PERIOD.csv, PERIOD.json or"
                        " PERIOD.xlsx (the workbook `svengine contract template` writes)",
                        Location(file=relative),
                    )
                )
                continue
            name, bad = _period_name(path, sub)
            if bad:
                problems += bad
                continue
            data = _read(folder, relative, files)
            if path.suffix == ".xlsx":
                text, bad = "", []
            else:
                text, bad = _text(data, relative)
            if text is None:
                problems += bad
                continue
            entry = found.setdefault(name, {})
            if sub == "returns":
                if "returns" in entry:
                    problems.append(
                        Problem(
                            "duplicate_return",
                            f"{name} has two returns ({entry['return_file']} and {relative});"
                            " keep one",
                            Location(file=relative),
                        )
                    )
                    continue
                lines: list[ReturnLine]
                if path.suffix == ".xlsx":
                    if read_workbook is None:
                        lines = []
                        bad = [
                            Problem(
                                "not_a_return",
                                f"{relative}: workbook returns are read by the svengine command",
                                Location(file=relative),
                            )
                        ]
                    else:
                        lines, bad = read_workbook(data, relative)
                elif path.suffix == ".json":
                    lines, bad = parse_return_json(text, relative)
                else:
                    lines, bad = parse_return_csv(text, relative)
                entry["returns"], entry["return_file"] = tuple(lines), relative
                entry["return_sha256"] = hashlib.sha256(data).hexdigest()
            elif sub == "kpis":
                reports, bad = parse_kpis_csv(text, relative)
                entry["kpis"] = tuple(reports)
            else:
                rows, bad = parse_moderation_csv(text, relative)
                entry["moderation"] = tuple(rows)
            problems += bad
    for name in sorted(found):
        files_of = PeriodFiles(period=name, **found[name])
        periods[name] = files_of
        problems += period_problems(contract, library, files_of)
    for name, sealed in contract.closed.items():
        if (name not in found or "returns" not in found[name]) and sealed is not None:
            problems.append(
                Problem(
                    "period_closed",
                    f"{name} was closed with a return that is now missing",
                    Location(file=f"returns/{name}.csv"),
                )
            )
    raise_if_any(problems)
    return ContractFolder(folder, contract, library, periods, files)
