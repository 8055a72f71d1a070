"""The evaluation workbook (`report.xlsx`), written by `book.workbook_bytes` (docs/workbook.md).

`writer` holds the shared `Writer` (text as text, formulas with cached values) and the cell
references; `layout` says where each bid and table is; each sheet has its own module
(`inputs_sheet`, `quality_sheet`, `panel_sheet`, `price_sheet` with `price_working`,
`social_value_sheet`, `summary_sheet`, `lots_sheet`, `issues_sheet`, `audit_sheet`).
"""

from svengine.report.workbook.book import FIXED_CREATED, SHEETS, workbook_bytes, write_workbook

__all__ = ["FIXED_CREATED", "SHEETS", "workbook_bytes", "write_workbook"]
