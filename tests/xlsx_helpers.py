"""Writing real xlsx files for the tests: an example folder's bids and scores as workbooks."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from svengine.excel import layout


def _number(text: Any) -> float | int:
    # Written as a real number cell, as a person typing into Excel would produce.
    value = Decimal(str(text))
    return int(value) if value == value.to_integral_value() else float(value)


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _shown_as(workbook: xlsxwriter.Workbook, text: Any, formats: dict[int, Any]) -> Any:
    # The number format that shows the decimals the JSON text has ("4395000.00" -> #,##0.00).
    places = len(str(text).partition(".")[2])
    if places not in formats:
        formats[places] = workbook.add_format(
            {"num_format": "#,##0" + ("." + "0" * places if places else "")}
        )
    return formats[places]


def bid_documents(folder: Path) -> list[dict[str, Any]]:
    bids: list[dict[str, Any]] = []
    for path in sorted((folder / "bids").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        bids += document if isinstance(document, list) else [document]
    return bids


def write_bids_workbook(bids: list[dict[str, Any]], path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    text = workbook.add_format({"num_format": "@"})
    formats: dict[int, Any] = {}
    lots = any(
        "lot" in b for b in bids
    )  # a tender with lots: `lot` is the last column of every sheet
    sheet = workbook.add_worksheet(layout.BIDS_SHEET)
    sheet.write_row(0, 0, (*layout.BIDS_COLUMNS, *((layout.LOT,) if lots else ())))
    row = 1
    for bid in bids:
        bidder = bid["bidder"]
        if "lot" in bid:
            sheet.write_string(row, len(layout.BIDS_COLUMNS), bid["lot"], text)
        sheet.write_string(row, 0, bidder["id"], text)
        sheet.write_string(row, 1, bidder["name"])
        for column, key in ((2, "employees"), (3, "turnover"), (4, "balance_sheet_total")):
            if key in bidder:
                sheet.write_number(
                    row, column, _number(bidder[key]), _shown_as(workbook, bidder[key], formats)
                )
        if "vcse" in bidder:
            sheet.write_boolean(row, 5, bidder["vcse"])
        if "price" in bid:  # the stated price: optional where the tender prices lines
            sheet.write_number(
                row, 6, _number(bid["price"]), _shown_as(workbook, bid["price"], formats)
            )
        row += 1
    sheet = workbook.add_worksheet(layout.SOCIAL_VALUE_SHEET)
    sheet.write_row(
        0,
        0,
        (
            *layout.SOCIAL_VALUE_COLUMNS,
            *layout.SOCIAL_VALUE_DISPLAY,
            *((layout.LOT,) if lots else ()),
        ),
    )
    lot_column = len(layout.SOCIAL_VALUE_COLUMNS) + len(layout.SOCIAL_VALUE_DISPLAY)
    row = 1
    for bid in bids:
        for commitment in bid.get("social_value", []):
            sheet.write_string(row, 0, bid["bidder"]["id"], text)
            if "lot" in bid:
                sheet.write_string(row, lot_column, bid["lot"], text)
            sheet.write_string(row, 1, commitment["measure"], text)
            sheet.write_number(
                row,
                2,
                _number(commitment["quantity"]),
                _shown_as(workbook, commitment["quantity"], formats),
            )
            if "years" in commitment:
                sheet.write_number(row, 3, commitment["years"])
            if "description" in commitment:
                sheet.write_string(row, 4, commitment["description"])
            sheet.write_formula(row, 5, f'=IF(B{row + 1}="","","unit")', None, "")
            row += 1
    _write_prices_sheet(workbook, bids, text, formats)
    workbook.close()


def _write_prices_sheet(
    workbook: xlsxwriter.Workbook, bids: list[dict[str, Any]], text: Any, formats: dict[int, Any]
) -> None:
    """The bids' priced lines, if any: `bidder_id, item, amount`, or `bidder_id, adjustment_pct, section`."""
    schedule = any("adjustment_pct" in b or "adjustments_pct" in b for b in bids)
    if not schedule and not any("prices" in b for b in bids):
        return  # lump sums: no Prices sheet, as a bidder's workbook for such a tender has none
    sheet = workbook.add_worksheet(layout.PRICES_SHEET)
    columns = layout.PRICES_SCHEDULE_COLUMNS if schedule else layout.PRICES_COLUMNS
    lots = any("lot" in b for b in bids)
    sheet.write_row(0, 0, (*columns, *((layout.LOT,) if lots else ())))
    lines: list[tuple[str, str | None, str | None, Any]] = []
    for bid in bids:
        who, lot = bid["bidder"]["id"], bid.get("lot")
        if "adjustment_pct" in bid:
            lines.append((who, lot, None, bid["adjustment_pct"]))
        lines += [(who, lot, key, value) for key, value in bid.get("adjustments_pct", {}).items()]
        lines += [(who, lot, key, value) for key, value in bid.get("prices", {}).items()]
    for row, (who, lot, key, amount) in enumerate(lines, start=1):
        sheet.write_string(row, 0, who, text)
        if lot is not None:
            sheet.write_string(row, len(columns), lot, text)
        amount_column, key_column = (1, 2) if schedule else (2, 1)
        sheet.write_number(
            row, amount_column, _number(amount), _shown_as(workbook, amount, formats)
        )
        if key is not None:
            sheet.write_string(row, key_column, key, text)


def write_scores_workbook(rows: list[dict[str, str]], path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet(layout.SCORES_SHEET)
    lots = any(row.get("lot") for row in rows)
    sheet.write_row(0, 0, (*layout.SCORES_COLUMNS, *((layout.LOT,) if lots else ())))
    for index, row in enumerate(rows, start=1):
        sheet.write_string(index, 0, row["bidder"])
        sheet.write_string(index, 1, row["criterion"])
        if row.get("evaluator"):
            sheet.write_string(index, 2, row["evaluator"])
        if row["score"].strip().casefold() in layout.VERDICTS or not _is_number(row["score"]):
            sheet.write_string(
                index, 3, row["score"]
            )  # a pass/fail verdict (or a mistake) is text, as typed
        else:
            sheet.write_number(index, 3, _number(row["score"]))
        if row.get("lot"):
            sheet.write_string(index, len(layout.SCORES_COLUMNS), row["lot"])
        if row.get("comment"):
            sheet.write_string(index, 4, row["comment"])
    workbook.close()


def scores_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "scores.csv").open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def as_workbook_folder(example: Path, target: Path) -> Path:
    """A copy of `example` whose bids and scores are workbooks (the library copied alongside)."""
    target.mkdir(parents=True)
    shutil.copy(example / "tender.yaml", target / "tender.yaml")
    write_bids_workbook(bid_documents(example), target / "bids.xlsx")
    write_scores_workbook(scores_rows(example), target / "scores.xlsx")
    for name in (
        "sv_moderation.csv",
        "decisions.yaml",
    ):  # moderation and decisions stay as they are in either form
        if (example / name).exists():
            shutil.copy(example / name, target / name)
    return target
