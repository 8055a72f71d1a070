"""FormulaSheet (report/formula_sheet.py) writes every formula exactly as XlsxWriter's own Worksheet would.

Its shortcut skips XlsxWriter's 29 `_xlfn.` substitutions only for formulas that call nothing
but plain Excel 2007 functions; these tests compare its text with XlsxWriter's on the formulas of
every example workbook and on generated formulas mixing plain functions with the ones XlsxWriter
rewrites (FILTER, SORT, XLOOKUP, LAMBDA, the `\\SINGLE(` pattern, future functions).
"""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

from svengine.cli.main import main
from svengine.report.formula_sheet import PLAIN_FUNCTIONS, FormulaSheet
from workbook_cases import EXAMPLES


def _sheets(future: bool = False) -> tuple[Worksheet, FormulaSheet]:
    """A stock worksheet and a FormulaSheet of the same kind of workbook."""
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True, "use_future_functions": future})
    stock = book.add_worksheet("stock")
    ours = book.add_worksheet("ours", worksheet_class=FormulaSheet)
    assert isinstance(ours, FormulaSheet)
    return stock, ours


def test_the_overridden_method_still_exists_in_xlsxwriter() -> None:
    # Were it renamed, the override would silently stop saving time (the output would not change).
    assert "_prepare_formula" in vars(Worksheet)


@pytest.fixture(scope="module")
def example_formulas(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    found: set[str] = set()
    for folder in EXAMPLES:
        out = tmp_path_factory.mktemp(folder.name)
        assert main(["evaluate", str(folder), "--out", str(out)]) == 0
        with zipfile.ZipFile(out / "report.xlsx") as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    found.update(
                        unescape(f)
                        for f in re.findall(r"<f>([^<]*)</f>", archive.read(name).decode("utf-8"))
                    )
    return sorted(found)


def test_every_example_formula_is_written_as_xlsxwriter_writes_it(
    example_formulas: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stock, ours = _sheets()
    assert len(example_formulas) > 1000  # every example, every sheet
    for formula in example_formulas:
        assert (
            ours._prepare_formula("=" + formula) == stock._prepare_formula("=" + formula) == formula
        )
    # The shortcut is taken: only the Lots sheet's formulas (MINIFS, MAXIFS) reach XlsxWriter's own rewriting.
    handed_over: list[str] = []
    rewrite = Worksheet._prepare_formula

    def counted(self: Worksheet, formula: str, expand: bool = False) -> str:
        handed_over.append(formula)
        return str(rewrite(self, formula, expand))

    monkeypatch.setattr(Worksheet, "_prepare_formula", counted)
    for formula in example_formulas:
        ours._prepare_formula("=" + formula)
    assert handed_over and all("_xlfn.MINIFS(" in f or "_xlfn.MAXIFS(" in f for f in handed_over)


def test_formulas_calling_rewritten_functions_are_left_to_xlsxwriter() -> None:
    stock, ours = _sheets()
    for formula, expected in [
        ("=SUM(FILTER(A1:A9,B1:B9))", "SUM(_xlfn._xlws.FILTER(A1:A9,B1:B9))"),
        ("=IF(A1,SORT(B1:B9),0)", "IF(A1,_xlfn._xlws.SORT(B1:B9),0)"),
        ("=ROUND(XLOOKUP(A1,B:B,C:C),2)", "ROUND(_xlfn.XLOOKUP(A1,B:B,C:C),2)"),
        (
            "=ASINGLE(A1)",
            "A_xlfn.SINGLE(A1)",
        ),  # XlsxWriter's own pattern is \SINGLE\( (any non-space, then INGLE)
        ("=MAX(1,2)", "MAX(1,2)"),
    ]:
        assert stock._prepare_formula(formula) == expected
        assert ours._prepare_formula(formula) == expected


_NAMES = [
    *sorted(PLAIN_FUNCTIONS),
    "FILTER",
    "SORT",
    "SORTBY",
    "SEQUENCE",
    "LAMBDA",
    "XLOOKUP",
    "SINGLE",
    "ASINGLE",
    "BETA.DIST",
    "F.DIST.RT",
    "CONCAT",
    "IFS",
    "MAXIFS",
    "X.SORT",
    "SUMX",
    "_xlfn.MINIFS",
]
_TOKENS = st.one_of(
    st.sampled_from(_NAMES).map(lambda name: name + "("),
    st.sampled_from(
        [
            "(",
            ")",
            ",",
            "+",
            "*",
            "-",
            "/",
            "=",
            "<",
            ">",
            "&",
            " ",
            ".",
            "A1",
            "$B$2",
            "Places",
            '"ranked"',
            '"FILTER("',
            "Price!$C$2",
            "10^2",
            "{",
            "}",
        ]
    ),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ._(é ", max_size=8),
)


@settings(max_examples=400, deadline=None)
@given(tokens=st.lists(_TOKENS, max_size=14), equals=st.booleans(), future=st.booleans())
def test_any_formula_is_written_as_xlsxwriter_writes_it(
    tokens: list[str], equals: bool, future: bool
) -> None:
    stock, ours = _sheets(future)
    formula = ("=" if equals else "") + "".join(tokens)
    assert ours._prepare_formula(formula) == stock._prepare_formula(formula)
    assert ours._prepare_formula(formula, True) == stock._prepare_formula(formula, True)


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_the_workbook_bytes_are_those_of_stock_worksheets(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from svengine import load_folder
    from svengine.audit.record import evaluate_inputs
    from svengine.report import workbook

    inputs = load_folder(folder)
    result = evaluate_inputs(inputs)
    ours = workbook.workbook_bytes(inputs.tender, result)
    monkeypatch.setattr(workbook, "FormulaSheet", Worksheet)
    assert workbook.workbook_bytes(inputs.tender, result) == ours


class _SheetOf31(Worksheet):  # type: ignore[misc]
    """XlsxWriter 3.1.0 to 3.1.3's signature (pyproject allows them): `_prepare_formula(self, formula)`."""

    def _prepare_formula(self, formula: str) -> str:
        return str(super()._prepare_formula(formula))


class _FormulaSheetOn31(FormulaSheet, _SheetOf31):  # type: ignore[misc]
    pass


def test_formulas_handed_to_an_xlsxwriter_31_signature_are_written_as_it_writes_them() -> None:
    # The Lots sheet's MINIFS/MAXIFS are handed to XlsxWriter: with 3.1.0 installed, a lots tender's
    # report.xlsx failed with a TypeError (two arguments passed back to a one-argument method).
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    old = book.add_worksheet("old", worksheet_class=_SheetOf31)
    ours = book.add_worksheet("ours", worksheet_class=_FormulaSheetOn31)
    for formula in [
        "=_xlfn.MINIFS(A1:A9,B1:B9,1)",
        "=MINIFS(A1:A9,B1:B9,1)",
        "=SUM(FILTER(A1:A9,B1:B9))",
        "{=SUM(A1:A2)}",
        "=MAX(1,2)",
    ]:
        assert ours._prepare_formula(formula) == old._prepare_formula(formula)
