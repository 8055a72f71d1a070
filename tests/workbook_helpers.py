"""Reading report.xlsx back in tests: columns by header, and the workbook's figures per bid."""

from __future__ import annotations

import io
import re
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from svengine.report.workbook.writer import FIRST_ROW, HEADER_ROW, heading

_FORMULA_CELL = re.compile(
    rb'<c([^>]*?)(?: t="(?:str|b|e)")?><f>(.*?)</f><v>.*?</v></c>', re.DOTALL
)


HEADER = HEADER_ROW + 1
"""1-based row of every sheet's header (under the title block)."""
FIRST = FIRST_ROW + 1
"""1-based row of the first bid in every per-bid table (and of each sheet's first data row)."""


def column(sheet: Worksheet, header: str, last: bool = False) -> int:
    """1-based column of the field `header` (result.json's name; the sheet shows its words, `heading`)
    in the header row (the right-hand table's when `last`: bidder_id appears twice on SocialValue)."""
    words = heading(header)
    found = [cell.column for cell in sheet[HEADER] if cell.value == words]
    assert found, f"{sheet.title} has no column {header!r} ({words!r})"
    return found[-1] if last else found[0]


def value(sheet: Worksheet, row: int, header: str, last: bool = False) -> Any:
    return sheet.cell(row, column(sheet, header, last)).value


def strip_cached_values(
    source: Path, target: Path, edits: dict[str, tuple[bytes, bytes]] | None = None
) -> int:
    """Copy an .xlsx without the cached value of any formula cell, so a spreadsheet must compute them.

    `edits` maps a part name (`xl/worksheets/sheet3.xml`) to one (old, new) byte replacement, to
    change a data cell. Returns how many formula cells were stripped.
    """
    stripped = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, count = _FORMULA_CELL.subn(rb"<c\1><f>\2</f></c>", data)
                stripped += count
            if edits and item.filename in edits:
                old, new = edits[item.filename]
                assert data.count(old) == 1, f"{old!r} must occur once in {item.filename}"
                data = data.replace(old, new)
            zout.writestr(item, data)
    target.write_bytes(buffer.getvalue())
    return stripped


def formula_cells(formulas: Any) -> list[tuple[str, str, str]]:
    """(sheet, coordinate, formula) of every formula cell of a workbook opened with data_only=False."""
    return [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in formulas.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=") and cell.data_type == "f"
    ]


def exact(text: str) -> float:
    """A result.json figure (decimal or `25/3`) as the nearest float."""
    return float(Fraction(text))


def close(x: Any, text: str) -> bool:
    """An unrounded figure: equal to the exact value up to binary noise."""
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return False
    target = exact(text)
    return abs(x - target) <= 1e-9 * max(1.0, abs(target))


def published(x: Any, text: str | None, places: int) -> bool:
    """A published (rounded) figure: the same digits at the declared precision."""
    if text is None:
        return x in (None, "")
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return False
    return f"{x:.{places}f}" == text and abs(x - float(text)) <= 1e-9
