"""Reading a 100,000-row SocialValue sheet: svengine's reader (openpyxl, streaming) against python-calamine.

Run: `.venv/bin/pip install python-calamine && .venv/bin/python benchmarks/xlsx_read.py`
(python-calamine is not a dependency of svengine; without it only openpyxl is measured).
Figures and the decision they led to: docs/performance.md, section "Reading workbooks".
"""

from __future__ import annotations

import platform
import tempfile
import time
import tracemalloc
from pathlib import Path

import openpyxl
import xlsxwriter

from svengine.excel.safety import Limits
from svengine.excel.sheets import open_workbook, read_sheet

ROWS = 100_000


def make(path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("SocialValue")
    sheet.write_row(0, 0, ["bidder_id", "measure", "quantity", "years", "description"])
    for i in range(1, ROWS + 1):
        sheet.write_string(i, 0, f"B{i % 50:03d}")
        sheet.write_string(i, 1, f"EX-JOB-{i % 7 + 1}")
        sheet.write_number(i, 2, float(f"{i % 1000}.{i % 10}7"))
        sheet.write_number(i, 3, i % 4 + 1)
        sheet.write_string(i, 4, "Local people employed on the contract, year round")
    workbook.close()


def timed(label: str, run: object) -> None:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        count = run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    run()  # type: ignore[operator]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<44} {best:7.2f} s  peak {peak / 2**20:6.1f} MiB (Python heap)  {count} rows")


def main() -> None:
    print(
        f"{platform.platform()}; Python {platform.python_version()}; openpyxl {openpyxl.__version__}"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bids.xlsx"
        make(path)
        print(f"{ROWS:,} rows, {path.stat().st_size:,} bytes")

        def svengine_reader() -> int:
            workbook, _ = open_workbook(path, "bids.xlsx", Limits())
            assert workbook is not None
            sheet, problems = read_sheet(workbook, "SocialValue", "bids.xlsx", Limits())
            workbook.close()
            assert sheet is not None and not problems
            return len(sheet.rows)

        def openpyxl_values() -> int:
            workbook = openpyxl.load_workbook(
                path, read_only=True, data_only=True, keep_links=False
            )
            count = sum(1 for _ in workbook["SocialValue"].iter_rows(values_only=True))
            workbook.close()
            return count

        timed("svengine reader (openpyxl parser, one pass)", svengine_reader)
        timed("openpyxl read_only iter_rows(values_only)", openpyxl_values)
        try:
            import python_calamine
        except ImportError:
            print("python-calamine not installed: skipped (pip install python-calamine)")
            return

        def calamine() -> int:
            sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
                "SocialValue"
            )
            return len(sheet.to_python(skip_empty_area=False))

        timed("python-calamine to_python", calamine)


if __name__ == "__main__":
    main()
