"""A measure library from a buyer's own TOMs-style sheet (xlsx or CSV), with column mapping.

The buyer says which of their columns holds each library field (`id=Ref,title=Measure,
proxy_value=Proxy (£)`); unmapped fields are looked for under their own name. The library's own
details (id, version, currency, licence) are given separately, since such sheets rarely hold them.
The result goes through exactly the checks `load_library` applies, and every problem is located at
the cell it came from. Numbers are read exactly (see `excel.cells`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from svengine.excel.cells import CellReader
from svengine.excel.safety import Limits
from svengine.excel.sheets import Cell, open_workbook, read_sheet
from svengine.io.documents import read_text
from svengine.io.loaders import _library
from svengine.model.library import MeasureLibrary
from svengine.numbers import decimal_text
from svengine.problems import Location, Problem

FIELDS = (
    "id",
    "theme",
    "outcome",
    "title",
    "unit",
    "proxy_value",
    "basis",
    "first_year_only",
    "record_only",
    "description",
)
REQUIRED = ("id", "theme", "outcome", "title", "unit")
_PATH = re.compile(r"^\$\.measures\[(\d+)\](?:\.(\w+))?")


@dataclass(frozen=True)
class ColumnMapping:
    """Which column holds each field, where the header is, and the library's own details."""

    columns: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int = 1
    library: dict[str, str] = field(default_factory=dict)


def parse_map(text: str) -> dict[str, str]:
    """`id=Ref,title="Measure",proxy_value="Proxy (£)"` as {field: column}; quotes allow commas."""
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    pairs: dict[str, str] = {}
    for item in next(reader, []):
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise ValueError(f'"{item}" is not field=column')
        if name.strip() not in FIELDS:
            raise ValueError(
                f'"{name.strip()}" is not a library field; the fields are {", ".join(FIELDS)}'
            )
        pairs[name.strip()] = column.strip().strip('"')
    return pairs


def mapping_from_document(document: Any) -> ColumnMapping:
    """A mapping file: {sheet, header_row, columns: {field: column}, library: {id, version, ...}}."""
    if not isinstance(document, dict) or set(document) - {
        "sheet",
        "header_row",
        "columns",
        "library",
    }:
        raise ValueError("a mapping file holds only sheet, header_row, columns and library")
    columns = {str(k): str(v) for k, v in (document.get("columns") or {}).items()}
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise ValueError(
            f"{', '.join(sorted(unknown))} not library fields; the fields are {', '.join(FIELDS)}"
        )
    return ColumnMapping(
        columns,
        document.get("sheet"),
        int(document.get("header_row", 1)),
        {str(k): str(v) for k, v in (document.get("library") or {}).items()},
    )


def _csv_rows(path: Path, file: str) -> tuple[list[tuple[int, dict[int, Cell]]], list[Problem]]:
    text, problems = read_text(path, file)
    if text is None:
        return [], problems
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for record in reader:
            cells = {
                i: Cell(reader.line_num, i, value)
                for i, value in enumerate(record, start=1)
                if value.strip()
            }
            if cells:
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        return [], [
            Problem(
                "malformed_csv",
                f"this is not valid CSV: {error}",
                Location(file=file, line=reader.line_num),
            )
        ]
    return rows, []


@dataclass
class _Read:
    measures: list[dict[str, Any]]
    problems: list[Problem]
    origins: dict[int, tuple[int, dict[str, Cell]]]
    """Each measure's row and cells, by its index in `measures`."""
    reader: CellReader


def read_measures(
    path: Path, mapping: ColumnMapping, file: str | None = None, limits: Limits | None = None
) -> _Read:
    """Measure documents from the sheet, the problems, and where each measure came from."""
    name = file or str(path)
    limits = limits or Limits()
    sheet_name: str | None = None
    if path.suffix.lower() == ".csv":
        rows, problems = _csv_rows(path, name)
    else:
        workbook, problems = open_workbook(path, name, limits)
        if workbook is None:
            return _Read([], problems, {}, CellReader(name, None))
        try:
            sheet_name = mapping.sheet or workbook.sheetnames[0]
            if sheet_name not in workbook.sheetnames:
                missing = Problem(
                    "missing_sheet",
                    f'the workbook has no sheet named "{sheet_name}"; the sheets are {", ".join(workbook.sheetnames)}',
                    Location(file=name),
                )
                return _Read([], [missing], {}, CellReader(name, None))
            sheet, problems = read_sheet(workbook, sheet_name, name, limits)
            rows = sheet.rows if sheet is not None else []
        finally:
            workbook.close()
    reader = CellReader(name, sheet_name)
    if problems:
        return _Read([], problems, {}, reader)
    header = dict(rows).get(mapping.header_row)
    if header is None:
        empty = Problem(
            "missing_header",
            f"row {mapping.header_row} (the header row) is empty",
            Location(file=name, sheet=sheet_name, row=mapping.header_row),
        )
        return _Read([], [empty], {}, reader)
    # Titles match without regard to case or surrounding spaces: "Theme" is the theme column.
    titles = {
        cell.value.strip().casefold(): index
        for index, cell in header.items()
        if isinstance(cell.value, str)
    }
    shown_titles = [cell.value.strip() for cell in header.values() if isinstance(cell.value, str)]
    position: dict[str, int] = {}
    for name_ in FIELDS:
        column = mapping.columns.get(name_, name_)
        if column.strip().casefold() in titles:
            position[name_] = titles[column.strip().casefold()]
        elif name_ in REQUIRED or name_ in mapping.columns:
            shown = f'"{column}"' + (f" (for {name_})" if column != name_ else "")
            problems.append(
                Problem(
                    "missing_column",
                    f"the header has no column {shown}; the columns are {', '.join(shown_titles)}",
                    Location(
                        file=name,
                        sheet=sheet_name,
                        row=mapping.header_row if sheet_name else None,
                        line=None if sheet_name else mapping.header_row,
                    ),
                )
            )
    if problems:
        return _Read([], problems, {}, reader)
    measures: list[dict[str, Any]] = []
    origins: dict[int, tuple[int, dict[str, Cell]]] = {}
    for number, cells in rows:
        if number <= mapping.header_row:
            continue
        by_field = {f: cells[i] for f, i in position.items() if i in cells}
        if not by_field:
            continue
        measure: dict[str, Any] = {}
        for key in ("id", "theme", "outcome", "title", "unit", "description", "basis"):
            reader_fn = reader.identifier if key == "id" else reader.text
            value = reader_fn(by_field.get(key), key)
            if value:
                measure[key] = value
        proxy = reader.decimal(by_field.get("proxy_value"), "proxy_value")
        if proxy is not None:
            measure["proxy_value"] = decimal_text(proxy, min_places=2)
        for key in ("first_year_only", "record_only"):
            flag = reader.boolean(by_field.get(key), key)
            if flag is not None:
                measure[key] = flag
        origins[len(measures)] = (number, by_field)
        measures.append(measure)
    return _Read(measures, reader.problems, origins, reader)


def _relocate(
    problems: list[Problem], origins: Mapping[int, tuple[int, dict[str, Cell]]], reader: CellReader
) -> list[Problem]:
    """Problems found on the library document, moved from its JSON path to the cell they came from."""
    out = []
    for problem in problems:
        found = _PATH.match(problem.location.path or "")
        if found and int(found.group(1)) in origins:
            row, cells = origins[int(found.group(1))]
            cell = cells.get(found.group(2) or "")
            if cell is not None:
                where = reader.where(cell)
            elif reader.sheet is None:
                where = Location(file=reader.file, line=row)
            else:
                where = Location(file=reader.file, sheet=reader.sheet, row=row)
            problem = Problem(
                problem.code, problem.message, where, problem.bidder, problem.criterion
            )
        out.append(problem)
    return out


def import_library(
    path: Path, mapping: ColumnMapping, file: str | None = None, limits: Limits | None = None
) -> tuple[dict[str, Any] | None, MeasureLibrary | None, list[Problem]]:
    """The library document and the checked library, or every problem located at its cell."""
    name = file or str(path)
    read = read_measures(path, mapping, name, limits)
    if read.problems:
        return None, None, read.problems
    details = {"id": path.stem, "version": "1", "currency": "GBP", **mapping.library}
    if "licence" not in details:
        return (
            None,
            None,
            [
                Problem(
                    "missing_licence",
                    "say under which licence the proxy values may be used (--licence); the "
                    "National TOMs values are CC BY-NC-ND",
                    Location(file=name),
                )
            ],
        )
    document: dict[str, Any] = {
        key: details[key] for key in ("id", "version", "currency", "licence")
    }
    if "description" in details:
        document["description"] = details["description"]
    document["measures"] = read.measures
    library, problems = _library(document, name)
    if problems:
        return None, None, _relocate(problems, read.origins, read.reader)
    return document, library, []


def library_yaml(document: dict[str, Any]) -> str:
    """The library as YAML, numbers as quoted decimal strings (read back exactly)."""
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
