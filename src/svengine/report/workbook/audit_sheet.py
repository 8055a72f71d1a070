"""The Audit sheet: engine, version, the result's digest and the input files' digests."""

from __future__ import annotations

from svengine.io.digests import AuditTrail
from svengine.model.tender import Tender
from svengine.report import formulas
from svengine.report.workbook.writer import (
    FIRST_ROW,
    HEADER_ROW,
    Writer,
    library_name,
)
from svengine.version import __version__


def write_audit_sheet(w: Writer, tender: Tender, audit: AuditTrail | None) -> None:
    f = w.formats
    w.headers(HEADER_ROW, 0, ["item", "value", "bytes"])
    items = [
        ("engine", "svengine"),
        ("engine_version", __version__),
        ("tender_id", tender.id),
        ("measure_library", library_name(tender) or ""),
        (
            "result_json_sha256",
            audit.result_sha256 if audit and audit.result_sha256 else "(not written)",
        ),
        (
            "recalculation",
            f"figures rounded to {formulas.CLEAN_PLACES} places before the declared rounding",
        ),
    ]
    for row, (label, value) in enumerate(items, start=FIRST_ROW):
        w.text(row, 0, label)
        w.text(row, 1, value)
    row = FIRST_ROW + len(items) + 1
    w.sheet.write_string(row, 0, "Input files (SHA-256)", f.title)
    w.headers(row + 1, 0, ["file", "sha256", "bytes"])
    for offset, digest in enumerate(audit.inputs if audit else (), start=row + 2):
        w.text(offset, 0, digest.name)
        w.text(offset, 1, digest.sha256)
        w.number(offset, 2, digest.size)
    w.sheet.set_column(0, 0, 34)
    w.sheet.set_column(1, 1, 68)
    w.sheet.set_column(2, 2, 10)
