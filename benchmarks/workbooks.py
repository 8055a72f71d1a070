"""`python -m benchmarks.workbooks`: reading bids.xlsx and writing report.xlsx (issue 9, targets 4 and 5).

Writes its own section of docs/performance.md (between the workbooks markers); every figure is a
median of several runs next to a baseline measured in the same run.

- Reading: a 100,000-row SocialValue sheet read with every import check (`read_bids_workbook`),
  and the sheet alone (`excel.sheets.read_sheet`), against python-calamine's raw read of the same
  sheet; then 1,000,000 rows (row limit raised) in a fresh process each, peak RSS from wait4.
- Writing: the evaluation workbook of a 5,000-bid tender (`report.workbook.workbook_bytes`) against
  openpyxl write-only writing the same cells (values, and formulas as strings; no formats), the
  two run in turn so that both see the same load, wall-clock and CPU time.
- Recalculating: `svengine evaluate` (exact) against LibreOffice recalculating the same tender's
  exported workbook with every cached value stripped (as tests/test_workbook_recalc.py does).

Needs python-calamine for the reading baseline (`pip install python-calamine`) and soffice for
the recalculation; either missing is reported and skipped.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.__main__ import DOC, Run, machine, median_call, median_process
from benchmarks.generate import write_evaluation

START, END = (
    "<!-- benchmarks: workbooks (python -m benchmarks.workbooks) -->",
    "<!-- /benchmarks: workbooks -->",
)
SVENGINE = [sys.executable, "-m", "svengine"]
_FORMULA_CELL = re.compile(rb"<c([^>]*)><f>([^<]*)</f><v>[^<]*</v></c>")


def make_bids_workbook(path: Path, rows: int) -> None:
    """bids.xlsx: 50 bidders and `rows` SocialValue rows, with shared strings as Excel saves them."""
    import xlsxwriter

    # Not constant_memory: that mode writes inline strings, which Excel itself never saves.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": rows > 200_000})
    money = book.add_format({"num_format": "#,##0.00"})
    bids = book.add_worksheet("Bids")
    bids.write_row(
        0,
        0,
        [
            "bidder_id",
            "bidder_name",
            "employees",
            "turnover",
            "balance_sheet_total",
            "vcse",
            "price",
        ],
    )
    for i in range(50):
        bids.write_row(i + 1, 0, [f"B{i:03d}", f"Bidder {i}", 100 + i, 5000000, 2000000, False])
        bids.write_number(i + 1, 6, 4395000 + i, money)
    sheet = book.add_worksheet("SocialValue")
    sheet.write_row(0, 0, ["bidder_id", "measure", "quantity", "years", "description"])
    for i in range(1, rows + 1):
        sheet.write_string(i, 0, f"B{i % 50:03d}")
        sheet.write_string(i, 1, f"EX-JOB-{i % 7 + 1}")
        sheet.write_number(i, 2, float(f"{i % 1000}.{i % 10}7"))
        sheet.write_number(i, 3, i % 4 + 1)
        sheet.write_string(i, 4, "Local people employed on the contract, year round")
    book.close()


def _read_all(path: Path) -> int:
    from svengine.excel.safety import Limits
    from svengine.excel.workbooks import read_bids_workbook

    bids, problems = read_bids_workbook(path, limits=Limits(max_rows=2_000_000))
    assert not problems, problems[:3]
    return sum(len(bid.social_value) for bid in bids)


def _read_sheet(path: Path) -> int:
    from svengine.excel.safety import Limits
    from svengine.excel.sheets import open_workbook, read_sheet

    limits = Limits(max_rows=2_000_000)
    workbook, _ = open_workbook(path, "bids.xlsx", limits)
    assert workbook is not None
    sheet, problems = read_sheet(workbook, "SocialValue", "bids.xlsx", limits)
    workbook.close()
    assert sheet is not None and not problems
    return len(sheet.rows)


def _calamine(path: Path) -> int:
    import python_calamine

    return len(
        python_calamine.CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name("SocialValue")
        .to_python()
    )


def reading(folder: Path, rows: int, big: int, repeats: int) -> list[str]:
    path = folder / "bids.xlsx"
    make_bids_workbook(path, rows)
    lines = [
        f"### Reading bids.xlsx: {rows:,} SocialValue rows ({path.stat().st_size / 2**20:.1f} MiB xlsx)",
        "",
        "| what | median | ratio to calamine |",
        "| --- | ---: | ---: |",
    ]
    try:
        import python_calamine  # noqa: F401

        base = median_call(lambda: _calamine(path), repeats)
    except ImportError:
        base = None
        print(
            "python-calamine is not installed: the baseline is skipped (pip install python-calamine)"
        )
    measured = [
        ("python-calamine `to_python()`, values only (baseline)", base),
        (
            "svengine `read_sheet` (cells with saved value, formula flag, error flag, places; merged ranges)",
            median_call(lambda: _read_sheet(path), repeats),
        ),
        (
            "svengine `read_bids_workbook` (every import check, Bid and Commitment models)",
            median_call(lambda: _read_all(path), repeats),
        ),
    ]
    for label, seconds in measured:
        if seconds is not None:
            ratio = f"{seconds / base:.2f}×" if base else ""
            lines.append(f"| {label} | {seconds:.2f} s | {ratio} |")
    lines += ["", "Target: every import check within 2× of calamine.", ""]
    if big:
        path = folder / "bids-big.xlsx"
        make_bids_workbook(path, big)
        lines += [
            f"### {big:,} SocialValue rows ({path.stat().st_size / 2**20:.1f} MiB xlsx), a fresh "
            "process each, peak RSS",
            "",
            "| what | time | peak memory |",
            "| --- | ---: | ---: |",
        ]
        for label, what in [
            ("the sheet's XML streamed (`sheet_xml.SheetXml.rows`), nothing kept", "stream"),
            ("`read_sheet` (every cell kept)", "sheet"),
            ("`read_bids_workbook` (every import check, models)", "all"),
        ]:
            run = median_process(
                [sys.executable, "-m", "benchmarks.workbooks", "--read-one", what, str(path)], 1
            )
            lines.append(f"| {label} | {run.seconds:.1f} s | {run.peak_mib:.0f} MiB |")
        lines += ["", "Target: under 500 MiB.", ""]
    return lines


def _stream(path: Path) -> int:
    from openpyxl.reader.strings import read_string_table

    from svengine.excel.sheet_xml import SheetXml

    with zipfile.ZipFile(path) as archive:
        shared = []
        if (
            "xl/sharedStrings.xml" in archive.namelist()
        ):  # absent when every string is inline (constant_memory)
            with archive.open("xl/sharedStrings.xml") as strings:
                shared = read_string_table(strings)
        with archive.open("xl/worksheets/sheet2.xml") as source:
            return sum(len(cells) for _, cells in SheetXml(shared, None, set(), set()).rows(source))


def _cells_of(data: bytes) -> list[tuple[str, list[list[object]]]]:
    """Every sheet's rows of a workbook, formulas as their text, for the openpyxl baseline."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = []
    for sheet in book.worksheets:
        sheets.append((sheet.title, [[cell.value for cell in row] for row in sheet.iter_rows()]))
    return sheets


def _openpyxl_write(sheets: list[tuple[str, list[list[object]]]]) -> int:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return len(buffer.getvalue())


def strip_cached_values(source: bytes, target: Path) -> int:
    stripped = 0
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as zin,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, count = _FORMULA_CELL.subn(rb"<c\1><f>\2</f></c>", data)
                stripped += count
            zout.writestr(item, data)
    target.write_bytes(buffer.getvalue())
    return stripped


def writing(folder: Path, bids: int, repeats: int) -> list[str]:
    from svengine import load_folder
    from svengine.audit.record import evaluate_inputs
    from svengine.report.workbook import workbook_bytes

    tender_folder = write_evaluation(folder / "tender", bids=bids, commitments=10, criteria=8)
    inputs = load_folder(tender_folder)
    result = evaluate_inputs(inputs)
    data = workbook_bytes(inputs.tender, result)
    sheets = _cells_of(data)
    cells = sum(1 for _, rows in sheets for row in rows for value in row if value is not None)
    formulas = sum(
        1
        for _, rows in sheets
        for row in rows
        for value in row
        if isinstance(value, str) and value.startswith("=")
    )
    (base, base_cpu), (ours, ours_cpu) = _paired(
        lambda: _openpyxl_write(sheets), lambda: workbook_bytes(inputs.tender, result), repeats
    )
    lines = [
        f"### Writing report.xlsx: {bids:,} bids × 10 commitments × 8 criteria ({cells:,} cells, "
        f"{formulas:,} formulas, {len(data) / 2**20:.1f} MiB)",
        "",
        "| what | median | ratio | median CPU time | ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
        "| openpyxl write-only, the same cells (values and formula text, no formats) (baseline) "
        f"| {base:.2f} s | 1.00× | {base_cpu:.2f} s | 1.00× |",
        "| svengine `workbook_bytes` (XlsxWriter: formats, cached values, notes, conditional "
        f"formats) | {ours:.2f} s | {ours / base:.2f}× | {ours_cpu:.2f} s | "
        f"{ours_cpu / base_cpu:.2f}× |",
        "",
        "Target: within 2× of openpyxl write-only. The two are run in turn (baseline, ours, baseline, ...),"
        " so that both see the same load on a shared machine; CPU time is the process's own.",
        "",
    ]
    soffice = shutil.which("soffice")
    evaluate = median_process(
        [
            *SVENGINE,
            "evaluate",
            str(tender_folder),
            "--out",
            str(folder / "out"),
            "--force",
            "--no-workbook",
        ],
        repeats,
    )
    in_process = median_call(lambda: evaluate_inputs(load_folder(tender_folder)), repeats)
    lines += [
        f"### Recalculating the {bids:,}-bid evaluation",
        "",
        "| what | median | LibreOffice ÷ this |",
        "| --- | ---: | ---: |",
    ]
    office: Run | None = None
    if soffice is None:
        print("soffice is not installed: the LibreOffice recalculation is skipped")
    else:
        stripped = folder / "stripped.xlsx"
        count = strip_cached_values(data, stripped)
        profile = folder / "profile"

        def recalc() -> list[str]:
            shutil.rmtree(profile, ignore_errors=True)
            return [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(folder / "converted"),
                str(stripped),
            ]

        office = Run(*_median_runs([recalc() for _ in range(repeats)]))
        assert (folder / "converted" / "stripped.xlsx").exists(), "LibreOffice wrote no workbook"
        lines.append(
            "| LibreOffice `soffice --headless --convert-to xlsx` of the workbook with its "
            f"{count:,} cached formula values stripped (start-up included) | {office.seconds:.1f} "
            "s | 1.00× |"
        )
    for label, seconds in [
        (
            "`svengine evaluate --no-workbook` (a fresh process: start-up, reading, validation, "
            "exact scoring, result.json)",
            evaluate.seconds,
        ),
        ("`svengine.evaluate` in process (loading the folder and exact scoring)", in_process),
    ]:
        ratio = f"{office.seconds / seconds:.1f}×" if office else ""
        lines.append(f"| {label} | {seconds:.2f} s | {ratio} |")
    lines += ["", "Target: svengine at least 50× faster than LibreOffice.", ""]
    return lines


def _paired(
    base: Callable[[], object], ours: Callable[[], object], repeats: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall, CPU) seconds of each, the two run in turn so that both see the same machine load."""
    runs: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for _ in range(repeats):
        for function, times in ((base, runs[0]), (ours, runs[1])):
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            times.append((time.perf_counter() - wall, time.process_time() - cpu))
    medians = [
        (statistics.median(w for w, _ in times), statistics.median(c for _, c in times))
        for times in runs
    ]
    return medians[0], medians[1]


def _median_runs(commands: list[list[str]]) -> tuple[float, float]:
    from benchmarks.__main__ import run_process

    runs = [run_process(command) for command in commands]
    runs.sort(key=lambda r: r.seconds)
    middle = runs[len(runs) // 2]
    return middle.seconds, max(r.peak_mib for r in runs)


def write_section(lines: list[str]) -> None:
    text = DOC.read_text(encoding="utf-8")
    section = "\n".join([START, "## Workbooks", "", *lines, END])
    if START in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.workbooks",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--quick", action="store_true", help="small sizes; prints, writes no file")
    parser.add_argument("--read-one", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read_one:
        what, path = args.read_one
        print({"stream": _stream, "sheet": _read_sheet, "all": _read_all}[what](Path(path)))
        return
    rows, big, bids, repeats = (
        (2_000, 20_000, 100, 3) if args.quick else (100_000, 1_000_000, 5_000, 3)
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        lines = [f"Measured {time.strftime('%Y-%m-%d')} on: {machine()}.", ""]
        lines += reading(folder, rows, big, repeats)
        print("\n".join(lines), flush=True)
        lines += writing(folder, bids, repeats)
        load = os.getloadavg()
        lines.append(f"Load average at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}.")
    print("\n".join(lines))
    if not args.quick:
        write_section(lines)


if __name__ == "__main__":
    main()
