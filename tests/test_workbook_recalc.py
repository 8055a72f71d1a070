"""report.xlsx recalculated by a real spreadsheet program (LibreOffice) gives the engine's published figures.

LibreOffice keeps the cached values it finds in an .xlsx, so each workbook is copied without the
cached value of any formula cell; LibreOffice then has to compute every formula when it converts
the copy. All copies go through two `soffice --convert-to xlsx` calls run side by side (fresh profiles).
Every example and every constructed case in workbook_cases.py is checked: every formula cell
against the engine's cached value, and every published figure against result.json.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
import yaml

from svengine.cli.main import main
from svengine.report.workbook.writer import heading, words
from workbook_cases import (
    CASES,
    EXAMPLES,
    INJECTED_NAMES,
    NEAR_HALF,
    PANEL_CASES,
    PRICE_MODEL_CASES,
    all_folders,
    write_case,
)
from workbook_helpers import (
    FIRST,
    close,
    column,
    formula_cells,
    published,
    strip_cached_values,
    value,
)

SOFFICE = shutil.which("soffice")
NAMES = [f"example-{p.name}" for p in EXAMPLES] + list(CASES)
TAMPERED = "tampered-half-up"
NEAR = "near-half"


@dataclass
class Recalculated:
    result: dict[str, Any]
    places: int
    formulas: Any  # the workbook as written (formula text)
    cached: Any  # the workbook as written (cached values)
    recalculated: Any  # LibreOffice's recalculation of the stripped copy
    stripped: int


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Recalculated]:
    if SOFFICE is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed, so workbooks cannot be recalculated; CI "
            "installs libreoffice-calc-nogui"
        )
    root = tmp_path_factory.mktemp("recalc")
    folders = all_folders(root / "cases")
    folders[NEAR] = write_case(root / "cases" / NEAR, NEAR_HALF)
    stripped_dir, converted_dir = root / "stripped", root / "converted"
    stripped_dir.mkdir()
    reports, counts = {}, {}
    for name, folder in folders.items():
        out = root / "out" / name
        assert main(["evaluate", str(folder), "--out", str(out)]) == 0
        reports[name] = out
        counts[name] = strip_cached_values(out / "report.xlsx", stripped_dir / f"{name}.xlsx")
    # B2's price 4,000,000 becomes 2,000,000 in the copy: proof that LibreOffice really recalculates.
    counts[TAMPERED] = strip_cached_values(
        reports["half-up-lowest-relative"] / "report.xlsx",
        stripped_dir / f"{TAMPERED}.xlsx",
        edits={"xl/worksheets/sheet4.xml": (b"<v>4000000</v>", b"<v>2000000</v>")},  # Price
    )
    started = time.monotonic()
    # The machine has two cores and this process only waits meanwhile: the copies are shared between
    # two soffice processes (each with its own profile, as two instances cannot share one); the
    # time this saves is in docs/performance.md, "Test suite".
    stripped = sorted(str(p) for p in stripped_dir.iterdir())
    runs = [
        subprocess.Popen(
            [
                SOFFICE,
                f"-env:UserInstallation={(root / f'profile-{half}').as_uri()}",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(converted_dir),
                *stripped[half::2],
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for half in (0, 1)
    ]
    # Meanwhile the workbooks as written are read (formula text, and cached values), and their
    # results: work that would otherwise wait for LibreOffice.
    written: dict[str, tuple[dict[str, Any], Any, Any]] = {}
    for name in [*NAMES, TAMPERED, NEAR]:
        out = reports["half-up-lowest-relative" if name == TAMPERED else name]
        written[name] = (
            json.loads((out / "result.json").read_text(encoding="utf-8")),
            openpyxl.load_workbook(out / "report.xlsx"),
            openpyxl.load_workbook(out / "report.xlsx", data_only=True),
        )
    outputs = [run.communicate(timeout=600) for run in runs]
    print(
        f"\nLibreOffice recalculated {len(counts)} workbooks in {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    books = {}
    for name, (result, formulas, cached) in written.items():
        converted = converted_dir / f"{name}.xlsx"
        assert converted.is_file(), f"LibreOffice did not convert {name}: {outputs}"
        books[name] = Recalculated(
            result=result,
            places=_places(cached["Inputs"]),
            formulas=formulas,
            cached=cached,
            recalculated=openpyxl.load_workbook(converted, data_only=True),
            stripped=counts[name],
        )
    return books


def _places(inputs: Any) -> int:
    for row in inputs.iter_rows(min_row=FIRST, max_col=2):
        if row[0].value == "rounding_places":
            return int(row[1].value)
    raise AssertionError("no rounding_places on the Inputs sheet")


@pytest.mark.parametrize("name", NAMES)
def test_every_formula_recalculates_to_the_engines_cached_value(
    books: dict[str, Recalculated], name: str
) -> None:
    book = books[name]
    cells = formula_cells(book.formulas)
    assert len(cells) == book.stripped > 0, (
        "every formula cell lost its cached value before LibreOffice saw it"
    )
    wrong = []
    for sheet, coordinate, formula in cells:
        cached = book.cached[sheet][coordinate].value
        got = book.recalculated[sheet][coordinate].value
        if isinstance(cached, (int, float)) and not isinstance(cached, bool):
            same = isinstance(got, (int, float)) and abs(got - cached) <= 1e-9 * max(
                1.0, abs(cached)
            )
        else:
            same = got == cached or (cached in (None, "") and got in (None, ""))
        if not same:
            wrong.append(f"{sheet}!{coordinate} {formula}: engine {cached!r}, LibreOffice {got!r}")
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize("name", NAMES)
def test_recalculated_figures_equal_result_json(books: dict[str, Recalculated], name: str) -> None:
    book = books[name]
    places, wb = book.places, book.recalculated
    summary, quality, price, social = wb["Summary"], wb["Quality"], wb["Price"], wb["SocialValue"]
    criteria, commitments = wb["Criteria"], wb["Commitments"]
    criterion_row = commitment_row = FIRST
    for row, bid in enumerate(book.result["bids"], start=FIRST):
        sv = bid["social_value"]
        assert value(summary, row, "bidder_id") == bid["bidder_id"]
        assert value(summary, row, "status") == bid["status"]
        assert value(summary, row, "award") == words(bid["award"]["outcome"]) and value(
            summary, row, "award_reason"
        ) == words(bid["award"]["reason"])
        if bid["lot"] is not None:
            assert (
                value(summary, row, "lot") == bid["lot"] and value(price, row, "lot") == bid["lot"]
            )
        rank = value(summary, row, "rank")
        assert (rank in (None, "") and bid["rank"] is None) or rank == bid["rank"], (
            bid["bidder_id"],
            rank,
        )
        checks = {
            "quality": (value(summary, row, "quality"), bid["quality"]["score"]),
            "price": (value(summary, row, "price"), bid["price"]["score"]),
            "social_value": (value(summary, row, "social_value"), sv["score"]),
            "total": (value(summary, row, "total"), bid["total_score"]),
            "additionality_pct": (
                value(summary, row, "additionality_pct"),
                sv["additionality_pct"],
            ),
            "price_score": (value(price, row, "price_score"), bid["price"]["score"]),
            "quality_score": (value(quality, row, "quality_score"), bid["quality"]["score"]),
            "social_value_score": (value(social, row, "social_value_score"), sv["score"]),
            "additionality_pct_of_price": (
                value(social, row, "additionality_pct_of_price"),
                sv["additionality_pct_of_price"],
            ),
        }
        for what, (got, expected) in checks.items():
            assert published(got, expected, places), (
                f"{bid['bidder_id']} {what}: workbook {got!r}, result.json {expected!r}"
            )
        if sv.get("counted") == "net":  # the Summary shows the value counted (docs/methods-net.md)
            assert close(value(summary, row, "social_value_net"), sv["net_value"])
        else:
            assert close(value(summary, row, "social_value_total"), sv["total"])
        if "net_value" in sv:  # gross and net per bid; the counted one behind the figures above
            assert close(value(social, row, "net_value"), sv["net_value"])
        assert close(value(quality, row, "quality_points"), bid["quality"]["points"])
        if sv["quantitative_points"] is not None:
            assert close(value(social, row, "quantitative_points"), sv["quantitative_points"])
        for criterion in (*bid["quality"]["criteria"], *sv["criteria"]):
            assert value(criteria, criterion_row, "criterion") == criterion["id"]
            assert close(value(criteria, criterion_row, "points"), criterion["points"])
            criterion_row += 1
        for commitment in sv["commitments"]:
            assert value(commitments, commitment_row, "measure") == commitment["measure"]
            assert value(commitments, commitment_row, "years_counted") == commitment["years"]
            assert close(value(commitments, commitment_row, "value"), commitment["value"])
            if "net_value" in commitment:  # the tender reports net values (docs/methods-net.md)
                assert close(
                    value(commitments, commitment_row, "net_value"), commitment["net_value"]
                )
            commitment_row += 1
    if book.result["lots"] is not None:  # each lot's reference values, on the Lots sheet
        lots = wb["Lots"]
        for row, lot in enumerate(book.result["lots"], start=FIRST):
            assert value(lots, row, "lot") == lot["id"]
            assert close(value(lots, row, "contract_value"), lot["contract_value"])
            assert (
                value(lots, row, "bids") == lot["summary"]["bids"]
                and value(lots, row, "ranked") == lot["summary"]["ranked"]
            )
            _check_references(
                lot["reference"],
                {
                    label: value(lots, row, label)
                    for label in ("P_min", "P_max", "T_best", "SV_max", "SVPP_max")
                },
            )
        return
    _check_references(
        book.result["reference"],
        {
            label: _reference(sheet, label)
            for sheet, label in (
                (price, "P_min"),
                (price, "P_max"),
                (quality, "T_best"),
                (social, "SV_max"),
            )
        },
    )


def _check_references(reference: dict[str, Any], got: dict[str, Any]) -> None:
    fields = {
        "P_min": "lowest_price",
        "P_max": "highest_price",
        "T_best": "best_quality_points",
        "SV_max": "highest_social_value",
        "SVPP_max": "highest_social_value_per_price",
    }
    for label, figure in got.items():
        expected = reference[fields[label]]
        assert close(figure, expected or "0"), (
            f"{label}: workbook {figure!r}, result.json {expected!r}"
        )


def _reference(sheet: Any, label: str) -> Any:
    col = column(sheet, "reference")
    for row in range(FIRST, FIRST + 10):
        if sheet.cell(row, col).value == label:
            return sheet.cell(row, col + 1).value
    raise AssertionError(f"no {label} on {sheet.title}")


def test_the_constructed_halves_land_as_declared(books: dict[str, Recalculated]) -> None:
    """Hand-worked figures exactly on a rounding half (see workbook_cases.py), as LibreOffice computes them."""

    def price_score(name: str, bidder: str) -> Any:
        sheet = books[name].recalculated["Price"]
        row = next(
            r for r in range(FIRST, sheet.max_row + 1) if value(sheet, r, "bidder_id") == bidder
        )
        return value(sheet, row, "price_score")

    assert price_score("half-up-lowest-relative", "B2") == 14.01  # 14.005 half up
    assert price_score("half-even-min-max", "H2") == 14.00  # 14.005 half to even
    assert price_score("half-even-min-max", "H3") == 14.02  # 14.015 half to even
    assert price_score("down-proportional-target", "D2") == 14.00  # 14.005 down
    assert price_score("reference-linear-ratio", "R3") == 10.001
    social = books["down-proportional-target"].recalculated["SocialValue"]
    row = next(
        r
        for r in range(FIRST, social.max_row + 1)
        if value(social, r, "bidder_id", last=True) == "D2"
    )
    assert value(social, row, "additionality_pct") == 12.34  # 12.345 down
    # no-quality: S2's social value 30 × 0.215 / 1 + 10 × 5/5 = 16.45 -> 16.4 (one place, half to even).
    social = books["no-quality"].recalculated["SocialValue"]
    row = next(
        r
        for r in range(FIRST, social.max_row + 1)
        if value(social, r, "bidder_id", last=True) == "S2"
    )
    assert value(social, row, "social_value_score") == 16.4


def test_net_social_value_recalculates_with_drop_off_over_several_years(
    books: dict[str, Recalculated],
) -> None:
    """The hand-worked `count: net` case (workbook_cases.py, net-drop-off), as LibreOffice computes it."""
    commitments = books["net-drop-off"].recalculated["Commitments"]
    nets = [
        (
            value(commitments, r, "bidder_id"),
            value(commitments, r, "value"),
            round(value(commitments, r, "net_value"), 6),
        )
        for r in range(FIRST, FIRST + 4)
    ]
    # N1: 37,440 + 33,696 + 30,326.40 + 27,293.76 over 4 years; N3: 18,720 + 16,848 + 15,163.20.
    assert nets == [
        ("N1", 249600, 128756.16),
        ("N2", 160000, 126000),
        ("N2", 21500, 21500),
        ("N3", 93600, 50731.2),
    ]
    social = books["net-drop-off"].recalculated["SocialValue"]
    by_bid = {
        value(social, r, "bidder_id"): (
            value(social, r, "social_value_total"),
            round(value(social, r, "net_value"), 6),
            value(social, r, "additionality_pct"),
            value(social, r, "social_value_score"),
        )
        for r in range(FIRST, FIRST + 3)
    }
    # N2's net 147,500 is the highest (SV_max), though N1's gross is: the net value is scored.
    assert by_bid == {
        "N1": (249600, 128756.16, 1.29, 17.46),
        "N2": (181500, 147500, 1.48, 20),
        "N3": (93600, 50731.2, 0.51, 6.88),
    }
    assert _reference(social, "SV_max") == 147500
    # With `count: gross` the same net column is shown, and the gross values are scored.
    gross = books["net-shown-gross-counted"].recalculated["SocialValue"]
    assert [value(gross, r, "social_value_score") for r in range(FIRST, FIRST + 3)] == [
        20,
        14.54,
        7.5,
    ]
    formula = (
        books["net-drop-off"].formulas["Commitments"].cell(FIRST, column(commitments, "net_value"))
    )
    assert formula.value.startswith("=IF(I6,H6*E6*(1-Inputs!$J$") and "^G6" in formula.value
    lots = books["net-two-lots"].recalculated["Lots"]
    assert [value(lots, r, "SV_max") for r in (FIRST, FIRST + 1)] == [35568, 35568]  # net, per lot
    issues = books["net-drop-off"].cached["Issues"]
    assert "social_value_net" not in [c.value for row in issues.iter_rows() for c in row]


def test_ties_share_a_rank_and_tie_breaks_order_them(books: dict[str, Recalculated]) -> None:
    def ranks(name: str) -> dict[str, Any]:
        sheet = books[name].recalculated["Summary"]
        return {
            value(sheet, r, "bidder_id"): value(sheet, r, "rank")
            for r in range(FIRST, sheet.max_row + 1)
            if value(sheet, r, "bidder_id")
        }

    # Same total and same quality, and quality is the only tie-break: a shared rank 3, then nobody 4th.
    assert ranks("half-up-lowest-relative") == {"A1": 1, "B2": 2, "E5": 3, "F6": 3, "D4": None}
    # Same total (68.000); lowest_price puts R1 (2,500,000) before R2 (2,900,000).
    assert ranks("reference-linear-ratio") == {"R3": 1, "R1": 2, "R2": 3, "R4": 4}


def test_libreoffice_really_recalculates(books: dict[str, Recalculated]) -> None:
    """A changed price in the stripped copy changes the scores: the figures are computed, not kept."""
    sheet = books[TAMPERED].recalculated["Summary"]
    rows = {
        value(sheet, r, "bidder_id"): r
        for r in range(FIRST, sheet.max_row + 1)
        if value(sheet, r, "bidder_id")
    }
    # B2 at 2,000,000 is now the lowest valid price: 20 points; A1: 20 × 2,000,000 / 2,801,000 = 14.2806 -> 14.28.
    assert value(sheet, rows["B2"], "price") == 20
    assert value(sheet, rows["A1"], "price") == 14.28
    assert value(sheet, rows["B2"], "total") == 90.26  # 60 + 20 + 10.26
    assert value(sheet, rows["A1"], "total") == 82.28  # 48 + 14.28 + 20
    assert (value(sheet, rows["B2"], "rank"), value(sheet, rows["A1"], "rank")) == (1, 2)


def test_bidder_text_is_still_text_after_recalculation(books: dict[str, Recalculated]) -> None:
    summary = books["formula-injection"].recalculated["Summary"]
    names = [value(summary, r, "bidder_name") for r in range(FIRST, summary.max_row + 1)]
    assert sorted(n for n in names if n) == sorted(INJECTED_NAMES)
    social = books["formula-injection"].recalculated["Commitments"]
    assert "=EVIL()" in [value(social, r, "description") for r in range(FIRST, social.max_row + 1)]


def test_a_figure_a_hair_from_a_half_is_the_one_known_difference_and_is_flagged(
    books: dict[str, Recalculated],
) -> None:
    """20 × 2,801,000 / 4,000,000.000001 = 14.005 − 3.5e-12: the engine says 14.00, a spreadsheet 14.01."""
    book = books[NEAR]
    bid = next(b for b in book.result["bids"] if b["bidder_id"] == "B2")
    assert bid["price"]["score"] == "14.00"
    price = book.recalculated["Price"]
    row = next(r for r in range(FIRST, price.max_row + 1) if value(price, r, "bidder_id") == "B2")
    assert value(price, row, "price_score") == 14.01
    assert book.cached["Price"].cell(row, column(price, "price_score")).value == 14.00
    issues = [r for r in book.cached["Issues"].iter_rows(min_row=FIRST, values_only=True)]
    assert [(r[0], r[3]) for r in issues if r[2] == "workbook"] == [("B2", "spreadsheet_rounding")]


PRICED = [
    f"example-{p.name}"
    for p in EXAMPLES
    if yaml.safe_load((p / "tender.yaml").read_text(encoding="utf-8"))["price"].get(
        "model", "lump_sum"
    )
    != "lump_sum"
] + list(PRICE_MODEL_CASES)


def test_every_price_model_is_covered() -> None:
    models = {case["tender"]["price"]["model"] for case in PRICE_MODEL_CASES.values()}
    assert models == {"basket", "schedule_of_rates", "multi_part", "whole_life"}
    assert len(PRICED) == len(PRICE_MODEL_CASES) + 3  # and the three shipped examples


@pytest.mark.parametrize("name", PRICED)
def test_the_evaluated_price_recalculates_from_the_priced_lines(
    books: dict[str, Recalculated], name: str
) -> None:
    book = books[name]
    sheet, cached = book.recalculated["Price"], book.cached["Price"]
    places = _reference(cached, "evaluated_places")
    line_row = (
        next(r for r in range(FIRST, sheet.max_row + 1) if sheet.cell(r, 1).value == "Priced lines")
        + 2
    )
    headers = [c.value for c in sheet[line_row - 1]]
    amount_col = headers.index(heading("amount")) + 1
    item_col = headers.index(heading("item")) + 1
    for row, bid in enumerate(book.result["bids"], start=FIRST):
        price = bid["price"]
        assert price["model"] != "lump_sum"
        got = value(sheet, row, "price")
        if places is None:
            assert close(got, price["evaluated"]), (bid["bidder_id"], got, price["evaluated"])
        else:
            assert published(got, price["evaluated"], int(places)), (
                bid["bidder_id"],
                got,
                price["evaluated"],
            )
        assert close(value(sheet, row, "computed_price"), price["computed"])
        assert value(sheet, row, "arithmetic_error") == int(price["arithmetic_error"])  # Yes/No
        stated = value(sheet, row, "stated_price")
        assert (stated is None and price["stated"] is None) or close(stated, price["stated"])
        for line in price["lines"]:
            assert (sheet.cell(line_row, 1).value, sheet.cell(line_row, item_col).value) == (
                bid["bidder_id"],
                line["item"],
            )
            assert close(sheet.cell(line_row, amount_col).value, line["amount"]), (
                bid["bidder_id"],
                line,
            )
            line_row += 1


def test_priced_lines_on_a_half_land_as_declared(books: dict[str, Recalculated]) -> None:
    """The hand-worked figures of PRICE_MODEL_CASES (workbook_cases.py), as LibreOffice computes them."""

    def cell(name: str, bidder: str, header: str) -> Any:
        sheet = books[name].recalculated["Price"]
        row = next(
            r
            for r in range(FIRST, len(books[name].result["bids"]) + FIRST)
            if value(sheet, r, "bidder_id") == bidder
        )
        return value(sheet, row, header)

    assert cell("basket-half-even", "KA", "price") == 10010.00  # 10,010.005 half to even
    assert cell("basket-half-even", "KB", "price") == 9910.02  # 9,910.015 half to even
    assert cell("basket-half-even", "KA", "arithmetic_error") == 1  # stated 10,010.01
    assert cell("basket-half-even", "KC", "arithmetic_error") == 0
    assert (
        cell("basket-half-even", "KA", "price_score"),
        cell("basket-half-even", "KC", "price_score"),
    ) == (99.00, 98.12)
    assert cell("schedule-half-up", "SX", "price") == 1060.61  # 1,060.605 half up
    assert cell("schedule-half-up", "SY", "price") == 1034.09
    assert (
        cell("schedule-half-up", "SX", "arithmetic_error"),
        cell("schedule-half-up", "SY", "arithmetic_error"),
    ) == (0, 1)
    assert cell("schedule-half-up", "SZ", "price") == 505.05
    assert cell("multi-part-down", "MA", "price") == 3500.01  # 3,500.015 down
    assert cell("multi-part-down", "MB", "price") == 3320.00  # 3,320.005 down
    assert (
        cell("multi-part-down", "MB", "price_score"),
        cell("multi-part-down", "MA", "price_score"),
    ) == (100, 0)
    assert cell("whole-life-half-up", "W1", "price") == 1205.01  # 1,205.005 half up
    assert cell("whole-life-half-up", "W2", "price") == 1310.00
    assert cell("whole-life-half-up", "W3", "price") == 1185.94  # 1,185.941043...


PANELS = ["example-panel-grounds-maintenance", *PANEL_CASES]


@pytest.mark.parametrize("name", PANELS)
def test_the_panel_sheet_recalculates_to_each_criterions_trail(
    books: dict[str, Recalculated], name: str
) -> None:
    book = books[name]
    panel, quality = book.recalculated["Panel"], book.recalculated["Criteria"]
    evaluators = [e["id"] for e in book.result["panel"]["evaluators"]]
    row = quality_row = FIRST
    for bid in book.result["bids"]:
        for criterion in (*bid["quality"]["criteria"], *bid["social_value"]["criteria"]):
            trail = criterion["panel"]
            assert (value(panel, row, "bidder_id"), value(panel, row, "criterion")) == (
                bid["bidder_id"],
                criterion["id"],
            )
            given = {i["evaluator"]: i for i in trail["individual"]}
            for evaluator in evaluators:
                cell = value(panel, row, f"score {evaluator}")
                assert (cell is None and evaluator not in given) or close(
                    cell, given[evaluator]["score"]
                )
                assert value(panel, row, f"comment {evaluator}") == (
                    given[evaluator]["comment"] if evaluator in given else None
                )
            for header in ("mean", "median", "spread", "spread_pct"):
                assert close(value(panel, row, header), trail[header]), (
                    bid["bidder_id"],
                    criterion["id"],
                    header,
                )
            assert value(panel, row, "disagreement") == int(trail["disagreement"])  # Yes/No
            assert value(panel, row, "aggregate") == trail["aggregate"]
            assert value(panel, row, "rationale") == trail["rationale"]
            assert close(value(panel, row, "score"), criterion["score"])
            # the Quality sheet's score is the Panel sheet's, and its points follow from it
            assert value(quality, quality_row, "criterion") == criterion["id"]
            assert close(value(quality, quality_row, "score"), criterion["score"])
            assert close(value(quality, quality_row, "points"), criterion["points"])
            row += 1
            quality_row += 1
    assert value(panel, row, "bidder_id") is None


def test_mean_and_median_are_formulas_over_the_evaluators_cells(
    books: dict[str, Recalculated],
) -> None:
    """The hand-worked panels of PANEL_CASES (workbook_cases.py), as LibreOffice computes them."""

    def cell(name: str, bidder: str, criterion: str, header: str) -> Any:
        sheet = books[name].recalculated["Panel"]
        row = next(
            r
            for r in range(FIRST, sheet.max_row + 1)
            if (value(sheet, r, "bidder_id"), value(sheet, r, "criterion")) == (bidder, criterion)
        )
        return value(sheet, row, header)

    formulas = books["panel-mean"].formulas["Panel"]
    assert formulas["I6"].value == "=AVERAGE(F6:H6)" and formulas["J6"].value == "=MEDIAN(F6:H6)"
    assert (
        books["panel-mean"].formulas["Criteria"]["I6"].value == "=Panel!$P$6"
    )  # the score used, from the Panel sheet
    assert abs(cell("panel-mean", "PA", "Q1", "score") - 11 / 3) < 1e-12  # 2, 4, 5
    assert (
        cell("panel-mean", "PB", "Q1", "disagreement"),
        cell("panel-mean", "PA", "Q2", "disagreement"),
    ) == (1, 0)  # 80%, 20%: Yes, No
    assert (
        cell("panel-mean", "PA", "Q1", "comment A") == "=1+1"
    )  # text from an evaluator stays text
    summary = books["panel-mean"].recalculated["Summary"]
    totals = {
        value(summary, r, "bidder_id"): (value(summary, r, "quality"), value(summary, r, "status"))
        for r in range(FIRST, FIRST + 3)
    }
    # PA 22 + 20 = 42; PB 30 × (11/3) / 5 + 24 = 46; PC excluded below Q1's minimum (5/3 < 2).
    assert totals == {"PA": (42, "ranked"), "PB": (46, "ranked"), "PC": (None, "excluded")}
    assert cell("panel-median", "MA", "Q1", "score") == 3  # 2, 3, 5; D not assigned Q1 (blank)
    assert cell("panel-median", "MA", "Q1", "score D") is None
    assert (
        cell("panel-median", "MB", "Q2", "median") == 3.5
    )  # 2, 2, 5, 5: the mean of the middle two
    assert cell("panel-median", "MB", "Q2", "disagreement") == 1  # 60% > 50%
    assert cell("panel-median", "MA", "Q2", "disagreement") == 1  # 1 to 4: 60% > 50%


def test_two_lots_are_two_competitions_in_the_workbook(books: dict[str, Recalculated]) -> None:
    """The hand-worked two-lot case (workbook_cases.TWO_LOTS): per-lot references, ranks within each lot, the award."""
    wb = books["two-lots"].recalculated
    summary, lots = wb["Summary"], wb["Lots"]
    rows = {
        (value(summary, r, "lot"), value(summary, r, "bidder_id")): r
        for r in range(FIRST, FIRST + 6)
    }
    figures = {
        key: (
            value(summary, r, "total"),
            value(summary, r, "rank"),
            value(summary, r, "award_reason"),
        )
        for key, r in rows.items()
    }
    assert figures == {
        ("L1", "A"): (88, 1, None),
        ("L1", "B"): (87, 2, "Below the cut-off"),
        ("L1", "C"): (None, None, None),
        ("L2", "A"): (86.67, 1, "Lot limit reached"),
        ("L2", "D"): (76, 2, None),
        ("L2", "B"): (71.13, 3, "Below the cut-off"),
    }
    assert [
        value(summary, rows[key], "award") for key in (("L1", "A"), ("L1", "C"), ("L2", "D"))
    ] == ["Appointed", "Excluded", "Appointed"]
    # C's 1,000,000 is excluded below Q1's minimum and never sets L1's P_min; the lots' P_min differ
    assert [
        (
            value(lots, r, "lot"),
            value(lots, r, "P_min"),
            value(lots, r, "SV_max"),
            value(lots, r, "T_best"),
        )
        for r in (FIRST, FIRST + 1)
    ] == [("L1", 1800000, 62400, 60), ("L2", 400000, 62400, 60)]
    additionality = {key: value(summary, r, "additionality_pct") for key, r in rows.items()}
    assert (additionality[("L1", "A")], additionality[("L2", "D")], additionality[("L2", "B")]) == (
        3.12,
        12.48,
        6.4,
    )
    formulas = books["two-lots"].formulas
    price_points = (
        formulas["Price"].cell(rows[("L2", "B")], column(formulas["Price"], "price_points")).value
    )
    assert "Lots!$F$7" in price_points and "P_min" not in price_points  # L2's P_min, by reference
    assert formulas["Lots"]["F6"].value.startswith(
        '=_xlfn.MINIFS(Price!$C$6:$C$11,Quality!$J$6:$J$11,$A6,Quality!$B$6:$B$11,"ranked")'
    )


def test_a_lot_changes_nothing_in_another_lot(books: dict[str, Recalculated]) -> None:
    """Tampering is not needed: L2's B (400,000) is cheaper than all of L1, yet L1's price scores use L1's P_min."""
    wb = books["two-lots"].recalculated
    price = wb["Price"]
    scores = {
        (value(price, r, "lot"), value(price, r, "bidder_id")): value(price, r, "price_score")
        for r in range(FIRST, FIRST + 6)
    }
    assert scores[("L1", "B")] == 27 and scores[("L2", "A")] == 26.67 and scores[("L2", "D")] == 24
