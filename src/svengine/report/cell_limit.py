"""Excel's limit on the text of one cell (32,767 characters), never passed silently.

XlsxWriter cuts a longer string to the limit (and only warns on Python's warnings channel). The
workbook writer reports each such cell here; the Issues sheet then lists it and `evaluate` prints
it as a warning of the run. result.json always holds the whole text.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell

from svengine.display import quantity

EXCEL_TEXT_LIMIT = 32_767
"""Characters Excel holds in one cell."""


@dataclass(frozen=True)
class CutText:
    sheet: str
    row: int
    col: int
    length: int

    @property
    def message(self) -> str:
        return (
            f"{self.sheet}!{xl_rowcol_to_cell(self.row, self.col)}: the text is {quantity(self.length)}"
            f" characters; an Excel cell holds at most {quantity(EXCEL_TEXT_LIMIT)}, so the workbook shows"
            " only the start of it (result.json holds it whole)"
        )


_cut: ContextVar[list[CutText] | None] = ContextVar("svengine_cut_texts", default=None)


def watch() -> list[CutText]:
    """Start collecting the cells of the workbook about to be written; returns the list it fills."""
    cut: list[CutText] = []
    _cut.set(cut)
    return cut


def check(sheet: str, row: int, col: int, text: str) -> None:
    """Note a cell whose text Excel cannot hold whole (called for every text cell written)."""
    if len(text) > EXCEL_TEXT_LIMIT:
        cut = _cut.get()
        if cut is not None:
            cut.append(CutText(sheet, row, col, len(text)))


def last_cut() -> list[CutText]:
    """The cells cut in the workbook written last in this context (for the run's warnings)."""
    return list(_cut.get() or [])


def notes(cut: list[CutText]) -> list[tuple[str, str, str]]:
    """(bidder, code, message) rows for the Issues sheet."""
    return [("", "text_cut", item.message) for item in cut]
