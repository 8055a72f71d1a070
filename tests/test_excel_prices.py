"""Priced lines in Excel: `svengine template prices`, and the `Prices` sheet of bids.xlsx read back.

Every example with a price model round-trips through bids.xlsx in test_excel_import.py; here the
template itself is filled in as a bidder would, and each problem only a sheet can have is located.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from svengine import evaluate, load_folder
from svengine.cli.main import main
from svengine.excel.workbooks import read_bids_workbook
from svengine.io.loaders import read_folder
from xlsx_helpers import bid_documents, write_bids_workbook

ROOT = Path(__file__).resolve().parents[1]
PRICED = ["repairs-schedule-of-rates", "services-multi-part", "equipment-whole-life"]

# A basket tender (no shipped example uses one): 100 × unit price of J1 + 20 × unit price of J2.
BASKET_TENDER = {
    "id": "T-BASKET",
    "title": "Basket of typical jobs",
    "currency": "GBP",
    "contract_value": "1000000",
    "weights": {"quality": 0, "price": 100, "social_value": 0},
    "price": {
        "method": "lowest_relative",
        "model": "basket",
        "basket": [
            {"item": "J1", "description": "Clear a blocked drain", "volume": 100},
            {"item": "J2", "description": "Renew a door", "volume": 20},
        ],
    },
    "rounding": {"places": 2, "mode": "half_up"},
}
BASKET_BIDS = [
    # K1: 100 × 50.25 + 20 × 400 = 13,025.00, stated correctly.
    {
        "bidder": {"id": "K1", "name": "Kestrel Ltd"},
        "price": "13025.00",
        "prices": {"J1": "50.25", "J2": "400.00"},
    },
    # K2: 100 × 48 + 20 × 420.10 = 13,202.00; states 13,200.00 (an arithmetic error), and no stated price would do too.
    {
        "bidder": {"id": "K2", "name": "Kite Ltd"},
        "price": "13200.00",
        "prices": {"J1": "48", "J2": "420.10"},
    },
]


def _folder(tmp_path: Path, tender: dict[str, Any], name: str = "f") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "tender.yaml").write_text(json.dumps(tender), encoding="utf-8")
    (folder / "scores.csv").write_text("bidder,criterion,score,comment\n", encoding="utf-8")
    return folder


def _problems(folder: Path) -> list[Any]:
    inputs, problems = read_folder(folder)
    assert inputs is None
    return problems


def test_a_basket_tender_reads_the_same_from_bids_xlsx_as_from_json(tmp_path: Path) -> None:
    json_folder = _folder(tmp_path, BASKET_TENDER, "json")
    (json_folder / "bids").mkdir()
    (json_folder / "bids" / "all.json").write_text(json.dumps(BASKET_BIDS), encoding="utf-8")
    xlsx_folder = _folder(tmp_path, BASKET_TENDER, "xlsx")
    write_bids_workbook(BASKET_BIDS, xlsx_folder / "bids.xlsx")
    results = []
    for folder in (json_folder, xlsx_folder):
        inputs = load_folder(folder)
        results.append(evaluate(inputs.tender, inputs.bids, inputs.scores).to_json())
    assert results[0] == results[1]
    bids = {b["bidder_id"]: b["price"] for b in json.loads(results[1])["bids"]}
    assert (bids["K1"]["evaluated"], bids["K1"]["arithmetic_error"]) == ("13025.00", False)
    assert (bids["K2"]["evaluated"], bids["K2"]["stated"], bids["K2"]["arithmetic_error"]) == (
        "13202.00",
        "13200.00",
        True,
    )


def _fill(template: Path, target: Path, bids: list[dict[str, Any]]) -> None:
    """Fill a prices template as bidders would: the first bid on the listed rows, the others below them."""
    workbook = openpyxl.load_workbook(template)
    sheet, prices = workbook["Bids"], workbook["Prices"]
    schedule = prices["B1"].value == "adjustment_pct"
    listed = {prices.cell(r, 3 if schedule else 2).value: r for r in range(2, prices.max_row + 1)}
    next_row = prices.max_row + 1
    for index, bid in enumerate(bids):
        bidder = bid["bidder"]
        sheet.append(
            [
                bidder["id"],
                bidder["name"],
                bidder.get("employees"),
                bidder.get("turnover"),
                bidder.get("balance_sheet_total"),
                bidder.get("vcse"),
                float(bid["price"]) if "price" in bid else None,
            ]
        )
        lines = [(None, bid["adjustment_pct"])] if "adjustment_pct" in bid else []
        lines += list(bid.get("adjustments_pct", {}).items()) + list(bid.get("prices", {}).items())
        for key, amount in lines:
            row = listed[key] if index == 0 else next_row
            next_row += index != 0
            prices.cell(row, 1, bidder["id"])
            prices.cell(
                row, 2 if schedule else 3, amount
            )  # typed as text in the decimal grammar: read exactly
            prices.cell(row, 3 if schedule else 2, key)
    workbook.save(target)


@pytest.mark.parametrize("example", PRICED)
def test_the_prices_template_filled_in_gives_the_examples_result(
    example: str, tmp_path: Path
) -> None:
    source = ROOT / "examples" / example
    template = tmp_path / "prices.xlsx"
    assert main(["template", "prices", str(source / "tender.yaml"), "--out", str(template)]) == 0
    folder = tmp_path / "examples" / example
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    folder.mkdir(parents=True)
    for name in ("tender.yaml", "scores.csv"):
        shutil.copy(source / name, folder / name)
    bids = bid_documents(source)
    for bid in bids:  # prices are what is compared; commitments are read as in test_excel_import
        bid.pop("social_value", None)
    _fill(template, folder / "bids.xlsx", bids)
    reference = load_folder(source)
    from_template = load_folder(folder)
    expected = json.loads(evaluate(reference.tender, reference.bids, reference.scores).to_json())
    got = json.loads(
        evaluate(from_template.tender, from_template.bids, from_template.scores).to_json()
    )
    by_bidder = {bid["bidder_id"]: bid for bid in expected["bids"]}
    assert sorted(by_bidder) == sorted(bid["bidder_id"] for bid in got["bids"])
    for mine in got["bids"]:
        theirs = by_bidder[mine["bidder_id"]]
        assert mine["price"]["evaluated"] == theirs["price"]["evaluated"]
        assert mine["price"]["lines"] == theirs["price"]["lines"]
        assert mine["price"]["arithmetic_error"] == theirs["price"]["arithmetic_error"]


def test_the_prices_template_follows_the_template_conventions(tmp_path: Path) -> None:
    path = tmp_path / "prices.xlsx"
    assert (
        main(
            [
                "template",
                "prices",
                str(ROOT / "examples" / "services-multi-part"),
                "--out",
                str(path),
            ]
        )
        == 0
    )
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Bids", "SocialValue", "svengine", "Prices", "PriceLines"]
    meta = workbook["svengine"]
    assert meta.sheet_state == "hidden"
    assert [meta["A2"].value, meta["B2"].value, meta["C2"].value] == [
        "bids",
        "1",
        load_folder(ROOT / "examples" / "services-multi-part").tender.id,
    ]
    prices = workbook["Prices"]
    assert [c.value for c in prices[1]] == [
        "bidder_id",
        "item",
        "amount",
        "description",
        "multiplier",
        "line_total",
    ]
    assert [prices.cell(r, 2).value for r in range(2, 6)] == [
        "annual_fee_initial",
        "annual_fee_extension",
        "mobilisation",
        "additional_works_day_rate",
    ]
    assert prices.protection.sheet and workbook["PriceLines"].protection.sheet
    # input columns unlocked (XlsxWriter formats whole columns); the listed items locked; ids as text
    columns = {d.min: d for d in prices.column_dimensions.values()}
    assert (
        not columns[1].protection.locked
        and not columns[3].protection.locked
        and columns[2].protection.locked
    )
    assert (
        columns[1].number_format == "@"
        and prices["B2"].number_format == "@"
        and prices["B2"].protection.locked
    )
    rules = {str(dv.sqref).split(":")[0]: dv for dv in prices.data_validations.dataValidation}
    assert rules["C2"].type == "decimal" and rules["C2"].operator == "greaterThanOrEqual"
    # byte-identical for the same tender
    again = tmp_path / "again.xlsx"
    assert (
        main(
            [
                "template",
                "prices",
                str(ROOT / "examples" / "services-multi-part"),
                "--out",
                str(again),
            ]
        )
        == 0
    )
    assert again.read_bytes() == path.read_bytes()


def test_a_schedule_template_lists_the_sections_and_the_all_sections_row(tmp_path: Path) -> None:
    path = tmp_path / "prices.xlsx"
    assert (
        main(
            [
                "template",
                "prices",
                str(ROOT / "examples" / "repairs-schedule-of-rates"),
                "--out",
                str(path),
            ]
        )
        == 0
    )
    prices = openpyxl.load_workbook(path)["Prices"]
    assert [c.value for c in prices[1]] == [
        "bidder_id",
        "adjustment_pct",
        "section",
        "items",
        "base_value",
        "line_total",
    ]
    assert [prices.cell(r, 3).value for r in range(2, 8)] == [
        None,
        "plumbing",
        "electrical",
        "carpentry",
        "roofing",
        "voids",
    ]
    # plumbing: 2,400 × 62.40 + 540 × 186.75 + 1,800 × 94.20 = 149,760 + 100,845 + 169,560 = 420,165
    assert prices["E3"].value == 420165
    rules = {str(dv.sqref).split(":")[0]: dv for dv in prices.data_validations.dataValidation}
    assert rules["B2"].operator == "greaterThan" and rules["B2"].formula1 == "-100"


def test_a_lump_sum_tender_has_nothing_to_price(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "prices.xlsx"
    assert (
        main(
            [
                "template",
                "prices",
                str(ROOT / "examples" / "housing-repairs" / "tender.yaml"),
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "priced as a lump sum" in capsys.readouterr().err
    assert not out.exists()


def _priced_workbook(
    tmp_path: Path, bids: list[list[Any]], prices: list[list[Any]], header: list[str] | None = None
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Bids"
    sheet.append(["bidder_id", "bidder_name", "price"])
    for row in bids:
        sheet.append(row)
    workbook.create_sheet("SocialValue").append(["bidder_id", "measure", "quantity"])
    other = workbook.create_sheet("Prices")
    other.append(header or ["bidder_id", "item", "amount", "description"])
    for row in prices:
        other.append(row)
    path = tmp_path / "bids.xlsx"
    workbook.save(path)
    return path


def test_prices_rows_are_read_into_the_bid_and_unpriced_template_rows_are_skipped(
    tmp_path: Path,
) -> None:
    path = _priced_workbook(
        tmp_path,
        [["K1", "Kestrel", None], ["K2", "Kite", "13200.00"]],
        [
            ["K1", "J1", "50.25", "display text"],
            [None, "J2", None, "a line nobody priced"],
            ["K1", "J2", 400],
            ["K2", "J1", 48],
            ["K2", "J2", "420.10"],
        ],
    )
    bids, problems = read_bids_workbook(path, price_model="basket")
    assert problems == []
    assert [
        (b.bidder.id, b.price, {k: str(v) for k, v in (b.prices or {}).items()}) for b in bids
    ] == [
        ("K1", None, {"J1": "50.25", "J2": "400"}),
        ("K2", Decimal("13200.00"), {"J1": "48", "J2": "420.10"}),
    ]


def test_problems_on_the_prices_sheet_are_located_at_the_cell(tmp_path: Path) -> None:
    path = _priced_workbook(
        tmp_path,
        [["K1", "Kestrel", None]],
        [
            ["K1", "J1", "£50"],
            ["K1", "J2", 1],
            ["K1", "J2", 2],
            ["K9", "J1", 3],
            ["K1", None, 4],
            [7, "J1", 5],
        ],
    )
    _, problems = read_bids_workbook(path, file="bids.xlsx", price_model="basket")
    found = sorted((p.code, str(p.location)) for p in problems)
    assert found == [
        ("duplicate_price_line", "bids.xlsx Prices!4"),
        ("id_not_text", "bids.xlsx Prices!A7"),
        ("missing_value", "bids.xlsx Prices!6"),
        ("not_a_number", "bids.xlsx Prices!C2"),
        ("unknown_bidder", "bids.xlsx Prices!A5"),
    ]
    duplicate = next(p for p in problems if p.code == "duplicate_price_line")
    assert "first in row 3" in duplicate.message


def test_a_schedule_sheet_gives_one_adjustment_or_one_per_section(tmp_path: Path) -> None:
    path = _priced_workbook(
        tmp_path,
        [["R1", "One", None], ["R2", "Two", None]],
        [
            ["R1", "-4.5", None],
            ["R2", "-6", "plumbing"],
            ["R2", 2, "roofing"],
            ["R2", "1", "roofing"],
        ],
        header=["bidder_id", "adjustment_pct", "section", "items"],
    )
    bids, problems = read_bids_workbook(path, file="bids.xlsx", price_model="schedule_of_rates")
    assert [(p.code, str(p.location)) for p in problems] == [
        ("duplicate_price_line", "bids.xlsx Prices!5")
    ]
    path.unlink()
    path = _priced_workbook(
        tmp_path,
        [["R1", "One", None], ["R2", "Two", None]],
        [["R1", "-4.5", None], ["R2", "-6", "plumbing"], ["R2", 2, "roofing"]],
        header=["bidder_id", "adjustment_pct", "section"],
    )
    bids, problems = read_bids_workbook(path, price_model="schedule_of_rates")
    assert problems == []
    assert (str(bids[0].adjustment_pct), bids[0].adjustments_pct) == ("-4.5", None)
    assert bids[1].adjustment_pct is None and {
        k: str(v) for k, v in (bids[1].adjustments_pct or {}).items()
    } == {"plumbing": "-6", "roofing": "2"}


def test_the_wrong_layout_for_the_tenders_model_is_a_header_problem(tmp_path: Path) -> None:
    path = _priced_workbook(tmp_path, [["R1", "One", None]], [["R1", "J1", 5]])
    _, problems = read_bids_workbook(path, file="bids.xlsx", price_model="schedule_of_rates")
    assert {(p.code, str(p.location)) for p in problems} >= {
        ("unknown_column", "bids.xlsx Prices!B1"),
        ("missing_column", "bids.xlsx Prices!1"),
    }


def test_the_stated_price_is_optional_only_when_lines_are_priced(tmp_path: Path) -> None:
    path = _priced_workbook(tmp_path, [["K1", "Kestrel", None]], [["K1", "J1", 5]])
    _, problems = read_bids_workbook(path, file="bids.xlsx", price_model="lump_sum")
    assert sorted((p.code, str(p.location)) for p in problems) == [
        ("missing_value", "bids.xlsx Bids!2"),
        ("unexpected_sheet", "bids.xlsx Prices!2"),
    ]
    assert read_bids_workbook(path, price_model="basket")[1] == []
    # without a tender (svengine validate bids.xlsx), a Prices sheet says the lines are priced
    assert read_bids_workbook(path)[1] == []


def test_an_unknown_item_is_refused_by_the_engine_at_the_bid(tmp_path: Path) -> None:
    folder = _folder(tmp_path, BASKET_TENDER)
    _priced_workbook(folder, [["K1", "Kestrel", None]], [["K1", "J1", 5], ["K1", "J3", 6]])
    found = {(p.code, str(p.location)) for p in _problems(folder)}
    assert ("missing_price_item", f"{folder / 'bids.xlsx'} Bids!2 $.prices") in found
    assert ("unknown_price_item", f"{folder / 'bids.xlsx'} Bids!2 $.prices.J3") in found
