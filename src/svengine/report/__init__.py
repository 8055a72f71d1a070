"""What people read: the evaluation workbook, the published methodology, and other documents
rendered from the same objects the engine computes."""

WORKBOOK_FILE = "report.xlsx"
