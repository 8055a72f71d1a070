"""What people read: the evaluation workbook (`report.xlsx`)."""
