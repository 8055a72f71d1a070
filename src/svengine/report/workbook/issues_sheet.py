"""The Issues sheet: exclusions, flags and the workbook's own notes."""

from __future__ import annotations

from svengine.model.result import Result
from svengine.report.workbook.layout import (
    Layout,
)
from svengine.report.workbook.writer import (
    FIRST_ROW,
    HEADER_ROW,
    Writer,
)


def write_issues_sheet(w: Writer, result: Result, layout: Layout) -> None:
    w.headers(HEADER_ROW, 0, ["bidder_id", "bidder_name", "kind", "code", "message"])
    names = {b.bidder_id: b.bidder_name for b in result.bids}
    lots = layout.lots
    if lots:
        w.headers(HEADER_ROW, 5, ["lot"])
    rows: list[tuple[str, str | None, str, str, str]] = [
        (bid.bidder_id, bid.lot, kind, flag.code, flag.message)
        for bid in result.bids
        for kind, flags in (("exclusion", bid.exclusions), ("flag", bid.flags))
        for flag in flags
    ]
    rows += [(bidder, None, "workbook", code, message) for bidder, code, message in layout.notes]
    for row, (bidder, lot, kind, code, message) in enumerate(rows, start=FIRST_ROW):
        w.text(row, 0, bidder)
        w.wrapped(row, 1, names.get(bidder), 36)
        w.text(row, 2, kind)
        w.text(row, 3, code)
        w.wrapped(row, 4, message, 100)
        w.text(row, 5, lot)
        if kind == "exclusion":
            w.row_formats[row] = w.formats.excluded
    w.sheet.set_column(0, 0, 11)
    w.sheet.set_column(1, 1, 36)
    w.sheet.set_column(2, 3, 22)
    w.sheet.set_column(4, 4, 100)
