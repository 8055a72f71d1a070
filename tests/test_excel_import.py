"""Reading bids.xlsx, scores.xlsx and measure sheets: same meaning as JSON/CSV, every problem at its cell."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from svengine import evaluate, load_folder
from svengine.cli.main import main
from svengine.excel.library_import import ColumnMapping, import_library, parse_map
from svengine.excel.safety import Limits, defused
from svengine.excel.workbooks import read_bids_workbook, read_scores_workbook
from svengine.io.loaders import load_library, read_folder
from xlsx_helpers import (
    as_workbook_folder,
    bid_documents,
    scores_rows,
    write_bids_workbook,
    write_scores_workbook,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "tender.yaml").exists())


def _copy_example(name: str, tmp_path: Path) -> Path:
    """An example and the illustrative library, laid out as in the repository (the tender names ../../toms)."""
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    return tmp_path / "examples" / name


def _xlsx_folder(name: str, tmp_path: Path) -> Path:
    return as_workbook_folder(ROOT / "examples" / name, _copy_example(name, tmp_path))


def _problems(folder: Path) -> list:
    inputs, problems = read_folder(folder)
    assert inputs is None
    return problems


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_gives_the_same_result_json_from_workbooks(
    example: Path, tmp_path: Path
) -> None:
    folder = _xlsx_folder(example.name, tmp_path)
    assert not (folder / "bids").exists() and not (folder / "scores.csv").exists()
    reference = load_folder(example)
    from_workbooks = load_folder(folder)
    assert (
        evaluate(
            from_workbooks.tender,
            from_workbooks.bids,
            from_workbooks.scores,
            from_workbooks.sv_moderation,
            decisions=from_workbooks.decisions,
        ).to_json()
        == evaluate(
            reference.tender,
            reference.bids,
            reference.scores,
            reference.sv_moderation,
            decisions=reference.decisions,
        ).to_json()
    )


def test_the_command_line_reads_workbooks_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _xlsx_folder("housing-repairs", tmp_path)
    assert main(["evaluate", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert (
        main(
            ["evaluate", str(ROOT / "examples" / "housing-repairs"), "--out", str(tmp_path / "ref")]
        )
        == 0
    )
    from_workbooks, from_json = (
        json.loads((tmp_path / name / "result.json").read_bytes()) for name in ("out", "ref")
    )
    # Identical except the audit record of which files were read (bids.xlsx rather than bids/*.json)
    # and the seal over it.
    assert sorted(from_workbooks["audit"]["inputs"]) == [
        "../../toms/illustrative.yaml",
        "bids.xlsx",
        "scores.xlsx",
        "tender.yaml",
    ]
    for document in (from_workbooks, from_json):
        del document["audit"]["inputs"], document["audit"]["result_sha256"]
    assert from_workbooks == from_json
    assert main(["validate", str(folder)]) == 0


def test_both_forms_at_once_is_an_error(tmp_path: Path) -> None:
    folder = _xlsx_folder("housing-repairs", tmp_path)
    shutil.copytree(ROOT / "examples" / "housing-repairs" / "bids", folder / "bids")
    shutil.copy(ROOT / "examples" / "housing-repairs" / "scores.csv", folder / "scores.csv")
    codes = [p.code for p in _problems(folder)]
    assert codes.count("both_forms") == 2


def test_measures_outside_the_allowed_list_and_twice_are_flagged_as_from_json(
    tmp_path: Path,
) -> None:
    example = ROOT / "examples" / "highways-lot"
    bids = bid_documents(example)
    bids[0]["social_value"].append(
        {"measure": "EX-JOB-3", "quantity": "2", "years": 1}
    )  # not in the tender's list
    bids[1]["social_value"].append(dict(bids[1]["social_value"][0]))  # the same measure twice
    json_folder = tmp_path / "json" / "examples" / "highways-lot"
    shutil.copytree(ROOT / "toms", tmp_path / "json" / "toms")
    (json_folder / "bids").mkdir(parents=True)
    shutil.copy(example / "tender.yaml", json_folder)
    shutil.copy(example / "scores.csv", json_folder)
    (json_folder / "bids" / "all.json").write_text(json.dumps(bids), encoding="utf-8")
    xlsx_folder = _copy_example("highways-lot", tmp_path / "xlsx")
    xlsx_folder.mkdir(parents=True)
    shutil.copy(example / "tender.yaml", xlsx_folder)
    write_bids_workbook(bids, xlsx_folder / "bids.xlsx")
    write_scores_workbook(scores_rows(example), xlsx_folder / "scores.xlsx")

    def result(folder: Path) -> str:
        inputs = load_folder(folder)
        return evaluate(inputs.tender, inputs.bids, inputs.scores).to_json()

    from_json, from_xlsx = result(json_folder), result(xlsx_folder)
    assert from_xlsx == from_json
    flags = {flag["code"] for bid in json.loads(from_xlsx)["bids"] for flag in bid["flags"]}
    assert {"measure_not_allowed", "duplicate_measure"} <= flags


def _bids_sheet(
    tmp_path: Path, rows: list[list[object]], social: list[list[object]] | None = None
) -> Path:
    """A bids workbook written with openpyxl (formulas get no saved value, as from a program)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Bids"
    sheet.append(
        [
            "bidder_id",
            "bidder_name",
            "employees",
            "turnover",
            "balance_sheet_total",
            "vcse",
            "price",
        ]
    )
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("SocialValue")
    other.append(["bidder_id", "measure", "quantity", "years", "description", "unit", "proxy"])
    for row in social or []:
        other.append(row)
    path = tmp_path / "bids.xlsx"
    workbook.save(path)
    return path


def test_text_in_a_price_cell_is_located_to_the_cell(tmp_path: Path) -> None:
    path = _bids_sheet(tmp_path, [["B1", "Acme", 10, None, None, False, "4,395,000.00 GBP"]])
    _, problems = read_bids_workbook(path, file="bids.xlsx")
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        'bids.xlsx Bids!G2: price "4,395,000.00 GBP" is not a number'
    )
    assert (problems[0].location.sheet, problems[0].location.row, problems[0].location.column) == (
        "Bids",
        2,
        "G",
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _bids_sheet(
        tmp_path,
        [
            ["B1", "Acme", 10, "=1+1", None, None, 100],
            ["B2", "Beta", "ten", None, None, None, 200],
            ["B3", "Gamma", 5, None, None, None, 300],
        ],
        [["B1", "EX-JOB-1", 2, 1, "x", "=VLOOKUP(B2,X,2)"]],
    )
    workbook = openpyxl.load_workbook(path)
    workbook["Bids"]["H1"] = "notes"  # an unknown column
    workbook["Bids"].merge_cells("B4:C4")  # merged cells in the data
    workbook.save(path)
    _, problems = read_bids_workbook(path, file="bids.xlsx")
    found = {(p.code, str(p.location)) for p in problems}
    assert ("unknown_column", "bids.xlsx Bids!H1") in found
    assert ("merged_cells", "bids.xlsx Bids!B4") in found
    # the problems of the cells are reported once the layout is fixed
    workbook["Bids"].delete_cols(8)
    workbook["Bids"].unmerge_cells("B4:C4")
    workbook.save(path)
    _, problems = read_bids_workbook(path, file="bids.xlsx")
    found = {(p.code, str(p.location)) for p in problems}
    assert found == {
        ("formula_without_value", "bids.xlsx Bids!D2"),
        ("not_a_number", "bids.xlsx Bids!C3"),
    }


def test_display_columns_and_blank_rows_are_ignored(tmp_path: Path) -> None:
    path = _bids_sheet(
        tmp_path,
        [
            ["B1", "Acme", 10, None, None, None, 100],
            [None] * 7,
            ["  ", None, None, None, None, None, None],
            ["B2", "Beta", None, None, None, None, 200],
        ],
        [
            ["B1", "EX-JOB-1", 2, 3, "x", "=VLOOKUP(B2,svengine!E:F,2,FALSE)", "=1/0"],
            [None, None, None, None, None, "=1"],
            ["B2", "EX-JOB-2", "1.5"],
        ],
    )
    bids, problems = read_bids_workbook(path)
    assert problems == []
    assert [b.bidder.id for b in bids] == ["B1", "B2"]
    assert bids[0].social_value[0].years == 3 and bids[1].social_value[0].quantity == Decimal("1.5")


def test_openpyxl_gives_a_float_and_the_reader_the_typed_decimal(tmp_path: Path) -> None:
    path = _bids_sheet(
        tmp_path, [["B1", "Acme", None, None, None, None, 57.7]], [["B1", "EX-JOB-1", 0.1, None]]
    )
    raw = openpyxl.load_workbook(path, read_only=True)["Bids"]["G2"].value
    assert isinstance(raw, float) and Decimal(raw) != Decimal(
        "57.7"
    )  # the binary float is not 57.7
    bids, problems = read_bids_workbook(path)
    assert problems == [] and bids[0].price == Decimal("57.7") and str(bids[0].price) == "57.7"
    assert str(bids[0].social_value[0].quantity) == "0.1"


@settings(max_examples=40, deadline=None)
@given(
    st.decimals(
        min_value=Decimal("0.000001"),
        max_value=Decimal("999999999.999999"),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_any_number_excel_can_hold_is_read_exactly(value: Decimal) -> None:
    # Excel holds 15 significant digits; within that, the cell's number reads back as the decimal typed.
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = workbook.add_worksheet("SocialValue")
    sheet.write_row(0, 0, ["bidder_id", "measure", "quantity"])
    sheet.write_row(1, 0, ["B1", "EX-JOB-1"])
    sheet.write_number(1, 2, float(value))
    bids_sheet = workbook.add_worksheet("Bids")
    bids_sheet.write_row(0, 0, ["bidder_id", "bidder_name", "price"])
    bids_sheet.write_row(1, 0, ["B1", "Acme", 1])
    workbook.close()
    path = Path(__import__("tempfile").mkdtemp()) / "bids.xlsx"
    path.write_bytes(stream.getvalue())
    bids, problems = read_bids_workbook(path)
    assert problems == []
    assert bids[0].social_value[0].quantity == value


def test_ids_keep_leading_zeros_and_numbers_in_id_columns_are_reported(tmp_path: Path) -> None:
    path = _bids_sheet(
        tmp_path,
        [["007", "Acme", None, None, None, None, 1], [8, "Beta", None, None, None, None, 2]],
    )
    bids, problems = read_bids_workbook(path, file="bids.xlsx")
    assert [(p.code, str(p.location)) for p in problems] == [("id_not_text", "bids.xlsx Bids!A3")]
    path = _bids_sheet(tmp_path, [["007", "Acme", None, None, None, None, 1]])
    bids, problems = read_bids_workbook(path)
    assert bids[0].bidder.id == "007"


def _scores_sheet(tmp_path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Scores"
    sheet.append(["bidder", "criterion", "evaluator", "score", "comment"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "scores.xlsx"
    workbook.save(path)
    return path


def test_a_blank_evaluator_is_the_agreed_score_and_a_duplicate_row_is_an_error(
    tmp_path: Path,
) -> None:
    path = _scores_sheet(
        tmp_path,
        [
            ["B1", "Q1", None, 4, "good"],
            ["B1", "Q1", "ann", 3, None],
            ["B1", "Q1", "ann", 2, None],
            ["B1", "Q2", None, 3.5],
        ],
    )
    scores, problems = read_scores_workbook(path, file="scores.xlsx")
    assert [(s.bidder, s.criterion, s.evaluator, s.score) for s in scores] == [
        ("B1", "Q1", None, Decimal(4)),
        ("B1", "Q1", "ann", Decimal(3)),
        ("B1", "Q2", None, Decimal("3.5")),
    ]
    assert [(p.code, str(p.location)) for p in problems] == [
        ("duplicate_score", "scores.xlsx Scores!4")
    ]
    assert "first given in row 3" in problems[0].message


def test_a_template_made_for_another_tender_is_refused(tmp_path: Path) -> None:
    folder = _xlsx_folder("housing-repairs", tmp_path)
    other = tmp_path / "other.xlsx"
    assert (
        main(
            [
                "template",
                "scores",
                str(ROOT / "examples" / "highways-lot" / "tender.yaml"),
                "--out",
                str(other),
            ]
        )
        == 0
    )
    shutil.copy(other, folder / "scores.xlsx")
    problems = _problems(folder)
    assert [p.code for p in problems] == ["wrong_tender"]
    assert 'made for tender "HW-2026-031", not for this tender "HR-2026-014"' in problems[0].message
    assert (
        main(
            [
                "template",
                "bids",
                str(ROOT / "examples" / "housing-repairs" / "tender.yaml"),
                "--out",
                str(other),
                "--force",
            ]
        )
        == 0
    )
    shutil.copy(other, folder / "scores.xlsx")  # a bids template where scores belong
    assert [p.code for p in _problems(folder)] == ["wrong_template"]


# -- safety ------------------------------------------------------------------------------------


def test_defusedxml_protection_is_on() -> None:
    assert openpyxl.xml.DEFUSEDXML is True
    assert defused()


def _rewrite(path: Path, part: str, change: object) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = change(parts[part])  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_an_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    path = _bids_sheet(tmp_path, [["B1", "Acme", None, None, None, None, 1]])
    # "billion laughs": ten levels of entities, each ten of the one below (10^9 copies of "lol")
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'.encode()

    def plant(data: bytes) -> bytes:
        assert b"Acme" in data
        return bomb + data.split(b"?>", 1)[-1].replace(b"Acme", b"&l9;")

    part = (
        "xl/sharedStrings.xml"
        if "xl/sharedStrings.xml" in zipfile.ZipFile(path).namelist()
        else "xl/worksheets/sheet1.xml"
    )
    _rewrite(path, part, plant)
    _, problems = read_bids_workbook(path)
    assert [p.code for p in problems] == ["unsafe_xml"]


def test_a_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _bids_sheet(tmp_path, [["B1", "Acme", None, None, None, None, 1]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    _, problems = read_bids_workbook(path)
    assert [p.code for p in problems] == ["zip_bomb"]
    _, problems = read_bids_workbook(
        path, limits=Limits(max_ratio=100_000, max_uncompressed_bytes=10 * 1024 * 1024)
    )
    assert [p.code for p in problems] == ["zip_too_large"]


def test_macro_workbooks_and_other_files_are_refused(tmp_path: Path) -> None:
    path = _bids_sheet(tmp_path, [["B1", "Acme", None, None, None, None, 1]])
    macro = path.with_suffix(".xlsm")
    shutil.copy(path, macro)
    assert [p.code for p in read_bids_workbook(macro)[1]] == ["macro_workbook"]
    fake = tmp_path / "fake.xlsx"
    fake.write_text("bidder_id,price\n", encoding="utf-8")
    assert [p.code for p in read_bids_workbook(fake)[1]] == ["not_xlsx"]


def test_the_row_limit_is_configurable_and_a_stray_cell_far_down_is_refused_quickly(
    tmp_path: Path,
) -> None:
    path = _bids_sheet(
        tmp_path,
        [["B1", "Acme", None, None, None, None, 1], ["B2", "Beta", None, None, None, None, 2]],
    )
    assert [p.code for p in read_bids_workbook(path, limits=Limits(max_rows=1))[1]] == [
        "too_many_rows"
    ]
    assert read_bids_workbook(path, limits=Limits(max_rows=2))[1] == []
    workbook = xlsxwriter.Workbook(str(tmp_path / "stray.xlsx"))
    sheet = workbook.add_worksheet("Scores")
    sheet.write_row(0, 0, ["bidder", "criterion", "evaluator", "score", "comment"])
    sheet.write(1_048_575, 16_383, "x")
    workbook.close()
    problems = read_scores_workbook(tmp_path / "stray.xlsx", file="stray.xlsx")[1]
    assert [str(p) for p in problems] == [
        "stray.xlsx Scores!1048576: the sheet has data in row 1,048,576; the limit is 200,000 "
        "rows under the header (delete stray cells, or raise the limit with --max-rows)"
    ]


def test_max_rows_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _xlsx_folder("housing-repairs", tmp_path)
    assert main(["validate", str(folder), "--max-rows", "5"]) == 1
    assert (
        "bids.xlsx Bids!7: the sheet has data in row 7; the limit is 5 rows under the header"
        in capsys.readouterr().err
    )
    assert main(["validate", str(folder), "--max-rows", "500"]) == 0


# -- library import ----------------------------------------------------------------------------


def _toms_sheet(tmp_path: Path, proxy: object = 31200) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "TOMs"
    sheet.append(["Our social value measures"])
    sheet.append([])
    sheet.append(["Ref", "Theme", "Outcome", "Measure", "Units", "Proxy (£)", "Notes"])
    sheet.append(
        [
            "NT01",
            "Jobs",
            "More local people in work",
            "Local people employed",
            "FTE-year",
            proxy,
            "ignored",
        ]
    )
    sheet.append(["NT02", "Skills", "Skills for work", "Apprenticeship weeks", "weeks", 57.7])
    path = tmp_path / "toms.xlsx"
    workbook.save(path)
    return path


def test_a_library_is_imported_from_a_buyers_sheet_with_a_column_mapping(tmp_path: Path) -> None:
    path = _toms_sheet(tmp_path)
    out = tmp_path / "lib.yaml"
    code = main(
        [
            "library",
            "import",
            str(path),
            "--out",
            str(out),
            "--header-row",
            "3",
            "--licence",
            "Own values",
            "--map",
            'id=Ref,title="Measure",unit=Units,proxy_value="Proxy (£)"',
        ]
    )
    assert code == 0
    library = load_library(out)
    assert [(m.id, m.unit, m.proxy_value) for m in library.measures] == [
        ("NT01", "FTE-year", Decimal("31200.00")),
        ("NT02", "weeks", Decimal("57.70")),
    ]
    assert (
        main(
            [
                "library",
                "import",
                str(path),
                "--out",
                str(out),
                "--licence",
                "x",
                "--header-row",
                "3",
            ]
        )
        == 1
    )  # exists, no --force


def test_library_import_problems_are_located_to_the_cell(tmp_path: Path) -> None:
    path = _toms_sheet(tmp_path, proxy="£31,200")
    mapping = ColumnMapping(
        parse_map('id=Ref,title="Measure",unit=Units,proxy_value="Proxy (£)"'),
        header_row=3,
        library={"licence": "x"},
    )
    _, _, problems = import_library(path, mapping, file="toms.xlsx")
    assert [str(p) for p in problems] == [
        'toms.xlsx TOMs!F4: proxy_value "£31,200" is not a number; type digits only, such as 4395000.00'
    ]
    workbook = openpyxl.load_workbook(path)
    workbook["TOMs"]["F4"] = -5
    workbook["TOMs"]["A5"] = "NT01"
    workbook.save(path)
    _, _, problems = import_library(path, mapping, file="toms.xlsx")
    assert {(p.code, str(p.location)) for p in problems} == {
        ("negative_proxy", "toms.xlsx TOMs!F4"),
        ("duplicate_measure_id", "toms.xlsx TOMs!A5"),
    }


def test_a_library_is_imported_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "toms.csv"
    path.write_text(
        'id,theme,outcome,title,unit,proxy_value\nNT01,Jobs,Work,Local people,FTE-year,"31,200"\n',
        encoding="utf-8",
    )
    _, _, problems = import_library(path, ColumnMapping(library={"licence": "x"}), file="toms.csv")
    assert [str(p) for p in problems] == [
        "toms.csv:2 (F): proxy_value must be a number with at most 15 digits before the decimal"
        ' point and 6 after it (no exponent); remove the thousands separators: write 31200, not "31,200"'
    ]
    path.write_text(
        "id,theme,outcome,title,unit,proxy_value\nNT01,Jobs,Work,Local people,FTE-year,31200.5\n",
        encoding="utf-8",
    )
    _, library, problems = import_library(
        path, ColumnMapping(library={"licence": "x", "id": "mine"})
    )
    assert (
        problems == []
        and library is not None
        and library.id == "mine"
        and library.measures[0].proxy_value == Decimal("31200.50")
    )


def test_a_mapping_file_gives_the_columns_and_the_library_details(tmp_path: Path) -> None:
    path = _toms_sheet(tmp_path)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        'sheet: TOMs\nheader_row: 3\ncolumns: {id: Ref, title: Measure, unit: Units, proxy_value: "Proxy (£)"}\n'
        'library: {id: our-toms, version: "2026.1", licence: "Own values"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "lib.yaml"
    assert (
        main(
            [
                "library",
                "import",
                str(path),
                "--mapping",
                str(mapping),
                "--out",
                str(out),
                "--version",
                "2026.2",
            ]
        )
        == 0
    )
    library = load_library(out)
    assert (library.id, library.version, library.licence, len(library.measures)) == (
        "our-toms",
        "2026.2",
        "Own values",
        2,
    )
    assert (
        main(
            [
                "library",
                "import",
                str(path),
                "--map",
                "colour=Red",
                "--out",
                str(tmp_path / "x.yaml"),
            ]
        )
        == 2
    )
