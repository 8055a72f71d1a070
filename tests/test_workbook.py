"""report.xlsx: its sheets, live formulas with the engine's cached values, safe text, formatting,
reproducible bytes, the audit digests, and how `svengine evaluate` writes it.

(Recalculation by a real spreadsheet program is in test_workbook_recalc.py.)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from svengine.cli.main import main
from svengine.report import formulas
from svengine.report.workbook import SHEETS
from svengine.report.workbook.writer import heading
from workbook_cases import CASES, EXAMPLES, INJECTED_NAMES, NEAR_HALF, write_case
from workbook_helpers import FIRST, HEADER, close, column, formula_cells, published, value

HOUSING = next(p for p in EXAMPLES if p.name == "housing-repairs")


def _evaluate(folder: Path, out: Path, *extra: str) -> int:
    return main(["evaluate", str(folder), "--out", str(out), *extra])


@pytest.fixture(scope="module")
def housing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("housing")
    assert _evaluate(HOUSING, out) == 0
    return out


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("injected")
    assert _evaluate(write_case(root / "case", CASES["formula-injection"]), root / "out") == 0
    return root / "out"


def _result(out: Path) -> dict[str, Any]:
    return json.loads((out / "result.json").read_text(encoding="utf-8"))


# -- layout and formulas -------------------------------------------------------------------------


def test_sheets_in_order_with_their_headers(housing: Path) -> None:
    book = openpyxl.load_workbook(housing / "report.xlsx")
    assert (
        book.sheetnames
        == list(SHEETS)
        == [
            "Summary",
            "Quality",
            "Criteria",
            "Price",
            "SocialValue",
            "Commitments",
            "Inputs",
            "Issues",
            "Audit",
        ]
    )
    assert [c.value for c in book["Summary"][HEADER]] == [
        heading(name)
        for name in [
            "bidder_id",
            "rank",
            "bidder_name",
            "quality",
            "price",
            "social_value",
            "total",
            "status",
            "social_value_total",
            "additionality_pct",
            "size",
            "vcse",
            "award",
            "award_reason",
        ]
    ]
    assert [c.value for c in book["Summary"][HEADER]][:4] == [
        "Bidder",
        "Rank",
        "Bidder name",
        "Quality",
    ]  # words, not field names
    assert [c.value for c in book["Issues"][HEADER]] == [
        "Bidder",
        "Bidder name",
        "Kind",
        "Code",
        "Message",
    ]
    for header in ("measure", "quantity", "years_counted", "proxy_value", "value", "description"):
        column(book["Commitments"], header)
    # The SocialValue sheet is one table (issue 15): each bid's figures from column A.
    assert [c.value for c in book["SocialValue"][HEADER]][:4] == [
        heading(name) for name in ("bidder_id", "price", "status", "social_value_total")
    ]
    assert "measure" not in [c.value for c in book["SocialValue"][HEADER]]
    assert book["Summary"]._charts, "the Summary sheet has the stacked bar chart of totals by block"


def test_every_derived_figure_is_a_formula_and_data_are_values(housing: Path) -> None:
    book = openpyxl.load_workbook(housing / "report.xlsx")
    summary, price, quality, social, criteria = (
        book["Summary"],
        book["Price"],
        book["Quality"],
        book["SocialValue"],
        book["Criteria"],
    )
    for row in range(FIRST, FIRST + 6):
        for header in (
            "rank",
            "quality",
            "price",
            "social_value",
            "total",
            "status",
            "additionality_pct",
        ):
            assert str(value(summary, row, header)).startswith("="), (row, header)
        for header in ("status", "reference_price", "price_points", "price_score"):
            assert str(value(price, row, header)).startswith("="), (row, header)
        assert isinstance(value(price, row, "price"), (int, float))  # the bid's price is data
        for header in ("quality_points", "quality_block", "quality_score", "status"):
            assert str(value(quality, row, header)).startswith("="), (row, header)
        for header in (
            "social_value_total",
            "quantitative_points",
            "social_value_score",
            "additionality_pct",
        ):
            assert str(value(social, row, header, last=True)).startswith("="), (row, header)
    for row in range(FIRST, criteria.max_row + 1):
        if value(criteria, row, "criterion"):
            assert isinstance(
                value(criteria, row, "score"), (int, float)
            )  # the panel's score is data
            assert value(criteria, row, "points") == f"=F{row}*I{row}/G{row}"
    # housing-repairs: lowest_relative price, half_up to 2 places, P_min over ranked bids only.
    assert value(price, FIRST, "price_points") == '=IF(D6="ranked",W_price*P_min/C6,"")'
    assert value(price, FIRST, "price_score") == '=IF(F6="","",ROUND(ROUND(F6,9),Places))'
    assert "=MIN(" in _reference(price, "P_min") and "$E$6:$E$11" in _reference(price, "P_min")
    # the Quality sheet's points and flags read the Criteria sheet (a table of its own)
    assert value(quality, FIRST, "quality_points") == "=SUM(Criteria!J6:J8)"
    assert value(quality, FIRST, "below_min_score") == "=IF(OR(Criteria!K6:K9),1,0)"
    names = set(book.defined_names)
    assert {
        "W_quality",
        "W_price",
        "W_social_value",
        "W_sv_quant",
        "Places",
        "ContractValue",
        "P_min",
        "P_max",
        "T_best",
        "SV_max",
    } <= names


def _reference(sheet: Any, label: str) -> Any:
    col = column(sheet, "reference")
    for row in range(FIRST, FIRST + 10):
        if sheet.cell(row, col).value == label:
            return sheet.cell(row, col + 1).value
    raise AssertionError(label)


def test_cached_values_are_the_engines_published_figures(housing: Path) -> None:
    result = _result(housing)
    summary = openpyxl.load_workbook(housing / "report.xlsx", data_only=True)["Summary"]
    for row, bid in enumerate(result["bids"], start=FIRST):
        assert value(summary, row, "bidder_id") == bid["bidder_id"]
        assert value(summary, row, "status") == bid["status"]
        assert (value(summary, row, "rank") or None) == bid["rank"]
        assert published(value(summary, row, "total"), bid["total_score"], 2)
        assert published(value(summary, row, "price"), bid["price"]["score"], 2)
        assert close(value(summary, row, "social_value_total"), bid["social_value"]["total"])
    # Hand check (README: B1 48.00 + 28.59 + 6.38 = 82.97, rank 1; B3 excluded below Q1's minimum).
    assert (
        value(summary, FIRST, "bidder_id"),
        value(summary, FIRST, "total"),
        value(summary, FIRST, "rank"),
    ) == ("B1", 82.97, 1)
    assert (value(summary, FIRST + 5, "bidder_id"), value(summary, FIRST + 5, "status")) == (
        "B3",
        "excluded",
    )


def test_rounding_formulas_for_each_mode() -> None:
    assert formulas.declared_rounding("F2", "half_up") == "ROUND(ROUND(F2,9),Places)"
    assert formulas.declared_rounding("F2", "down") == "ROUNDDOWN(ROUND(F2,9),Places)"
    half_even = formulas.declared_rounding("F2", "half_even")
    assert (
        half_even.startswith("IF(ROUND(ROUND(F2,9)*10^Places,9-Places)-INT(")
        and "MOD(" in half_even
    )


def test_spreadsheet_agreement_is_known_from_the_exact_value() -> None:
    # Exactly on a half: the 9-place clean-up changes nothing.
    assert formulas.spreadsheet_agrees(Fraction("14.005"), 2, "half_up")
    assert formulas.spreadsheet_agrees(Fraction("14.005"), 2, "half_even")
    assert formulas.spreadsheet_agrees(Fraction(25, 3), 2, "down")
    # A hair below the half: exact rounding gives 14.00, the spreadsheet's 14.005 gives 14.01.
    assert not formulas.spreadsheet_agrees(Fraction("14.005") - Fraction(1, 10**12), 2, "half_up")
    assert not formulas.spreadsheet_agrees(Fraction("14.00999999999"), 2, "down")


def test_rank_formula_compares_total_then_each_tie_break() -> None:
    text = formulas.rank(
        "H2", "$H$2:$H$4", [("$G$2:$G$4", "G2", ">"), ("P!$C$2:$C$4", "P!$C$2", "<")]
    )
    assert text == (
        'IF(H2="ranked",1+SUMPRODUCT(($H$2:$H$4="ranked")*(($G$2:$G$4>G2)+($G$2:$G$4=G2)*((P!$C$2:$C$4<P!$C$2)))),"")'
    )


def test_a_figure_a_hair_from_a_half_is_flagged_on_the_issues_sheet(tmp_path: Path) -> None:
    assert _evaluate(write_case(tmp_path / "case", NEAR_HALF), tmp_path / "out") == 0
    issues = list(
        openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")["Issues"].iter_rows(
            min_row=FIRST, values_only=True
        )
    )
    notes = [r for r in issues if r[2] == "workbook"]
    assert [(r[0], r[3]) for r in notes] == [("B2", "spreadsheet_rounding")]
    assert "price score 14.00" in notes[0][4]


def test_flags_and_exclusions_are_listed(housing: Path) -> None:
    rows = list(
        openpyxl.load_workbook(housing / "report.xlsx")["Issues"].iter_rows(
            min_row=FIRST, values_only=True
        )
    )
    assert ("B3", "Northgate Property Care Ltd", "exclusion", "below_min_score") in [
        r[:4] for r in rows
    ]
    assert ("B2", "Kingsmere Construction Services plc", "flag", "years_capped") in [
        r[:4] for r in rows
    ]


# -- text from bidders and evaluators ------------------------------------------------------------


def test_text_that_looks_like_a_formula_stays_text(injected: Path) -> None:
    book = openpyxl.load_workbook(injected / "report.xlsx")
    summary = book["Summary"]
    names = {}
    for row in range(FIRST, summary.max_row + 1):
        cell = summary.cell(row, column(summary, "bidder_name"))
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        names[value(summary, row, "bidder_id")] = cell.value
    assert names == {
        "I1": '=HYPERLINK("http://x","y")',
        "I2": "@SUM(A1)",
        "I3": "+cmd|' /C calc'!A0",
        "I4": "-2+3",
    }
    assert summary.cell(
        FIRST + 1, column(summary, "bidder_name")
    ).quotePrefix  # Excel keeps it text even when edited
    quality = book["Criteria"]
    comments = {
        quality.cell(r, column(quality, "comment")).data_type
        for r in range(FIRST, quality.max_row + 1)
        if value(quality, r, "comment")
    }
    assert comments == {"s"}
    assert value(quality, FIRST, "comment") == "=1+1"
    social = book["Commitments"]
    assert (
        value(social, FIRST, "description") == "=EVIL()"
        and social.cell(FIRST, column(social, "description")).data_type == "s"
    )
    # And in the file itself: no formula anywhere mentions what the bidders wrote.
    every_formula = " ".join(f for *_, f in formula_cells(book))
    for text in ("HYPERLINK", "EVIL", "cmd|", "SUM(A1)"):
        assert text not in every_formula
    assert sorted(names.values()) == sorted(INJECTED_NAMES)


# -- formatting --------------------------------------------------------------------------------


def test_formatting_a_procurement_officer_expects(housing: Path) -> None:
    book = openpyxl.load_workbook(housing / "report.xlsx")
    summary = book["Summary"]
    for name in ("Summary", "Quality", "Criteria", "Price", "SocialValue", "Commitments", "Issues"):
        assert book[name].freeze_panes == "B6", name
    assert book["Inputs"].freeze_panes == "B6" and book["Audit"].freeze_panes == "A6"
    assert summary.cell(FIRST, column(summary, "total")).number_format == "0.00"
    assert summary.cell(FIRST, column(summary, "social_value_total")).number_format == '"£"#,##0.00'
    assert book["Price"].cell(FIRST, column(book["Price"], "price")).number_format == '"£"#,##0.00'
    assert summary.cell(FIRST, column(summary, "additionality_pct")).number_format == '0.00"%"'
    assert summary.column_dimensions["C"].width > 30
    rules = [rule for cf in summary.conditional_formatting for rule in cf.rules]
    assert any(rule.formula == ['$H6="excluded"'] and rule.dxf.fill is not None for rule in rules)


def test_declared_places_and_other_currencies(tmp_path: Path) -> None:
    case = json.loads(json.dumps(CASES["reference-linear-ratio"]))
    case["tender"]["currency"] = "EUR"
    folder = write_case(tmp_path / "case", case)
    library = (
        (folder / "library.yaml")
        .read_text(encoding="utf-8")
        .replace("currency: GBP", "currency: EUR")
    )
    (folder / "library.yaml").write_text(library, encoding="utf-8")
    assert _evaluate(folder, tmp_path / "out") == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")
    summary = book["Summary"]
    assert summary.cell(FIRST, column(summary, "total")).number_format == "0.000"  # places: 3
    assert summary.cell(FIRST, column(summary, "social_value_total")).number_format == '"€"#,##0.00'


# -- reproducible, audited, written safely ------------------------------------------------------


def test_same_inputs_give_byte_identical_workbooks(tmp_path: Path) -> None:
    # The same files elsewhere on disk: digests and names are relative, so the bytes are the same too.
    elsewhere = tmp_path / "elsewhere" / "examples" / HOUSING.name
    shutil.copytree(HOUSING, elsewhere)
    shutil.copytree(HOUSING.parents[1] / "toms", tmp_path / "elsewhere" / "toms")
    assert _evaluate(HOUSING, tmp_path / "one") == 0
    assert _evaluate(HOUSING, tmp_path / "two") == 0
    assert _evaluate(elsewhere, tmp_path / "three") == 0
    first = (tmp_path / "one" / "report.xlsx").read_bytes()
    assert (
        first
        == (tmp_path / "two" / "report.xlsx").read_bytes()
        == (tmp_path / "three" / "report.xlsx").read_bytes()
    )
    with zipfile.ZipFile(tmp_path / "one" / "report.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core  # fixed creation time, not the clock


def test_audit_sheet_records_input_digests_and_engine_version(housing: Path) -> None:
    audit = openpyxl.load_workbook(housing / "report.xlsx")["Audit"]
    rows = {r[0]: r[1:] for r in audit.iter_rows(min_row=FIRST, values_only=True) if r[0]}
    from svengine import __version__

    assert rows["engine_version"][0] == __version__
    assert (
        rows["result_json_sha256"][0]
        == hashlib.sha256((housing / "result.json").read_bytes()).hexdigest()
    )
    expected = [
        "tender.yaml",
        "../../toms/illustrative.yaml",
        *[f"bids/B{i}.json" for i in range(1, 7)],
        "scores.csv",
    ]
    for name in expected:
        data = (HOUSING / name).read_bytes()
        assert rows[name] == (hashlib.sha256(data).hexdigest(), len(data)), name


def test_evaluate_writes_result_and_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _evaluate(HOUSING, tmp_path / "out") == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "report.xlsx",
        "result.json",
        "run.json",
    ]
    assert "report.xlsx" in capsys.readouterr().out


def test_no_workbook_writes_no_report_xlsx(tmp_path: Path) -> None:
    assert _evaluate(HOUSING, tmp_path / "out", "--no-workbook") == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["result.json", "run.json"]


def test_an_existing_workbook_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.xlsx").write_bytes(b"the panel's own file")
    assert _evaluate(HOUSING, out) == 1
    assert "report.xlsx already exists; use --force to replace" in capsys.readouterr().err
    assert not (out / "result.json").exists()  # checked before anything was written
    assert (out / "report.xlsx").read_bytes() == b"the panel's own file"
    assert _evaluate(HOUSING, out, "--no-workbook") == 0  # the workbook is not an output then
    assert _evaluate(HOUSING, out, "--force") == 0
    assert zipfile.is_zipfile(out / "report.xlsx")
