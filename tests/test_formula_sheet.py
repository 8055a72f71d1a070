"""The workbook's formulas as XlsxWriter's own Worksheet writes them (issue 13).

report.xlsx is written by stock XlsxWriter worksheets: no override of XlsxWriter's private formula
preparation (it once broke every lots workbook on another XlsxWriter release). These check the
formula text of every example workbook: each calls only functions Excel 2007 and LibreOffice know,
plus MINIFS and MAXIFS (Excel 2019), which carry the `_xlfn.` prefix Excel requires for them.
"""

from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path

import pytest

from svengine.cli.main import main
from workbook_cases import EXAMPLES

PLAIN_FUNCTIONS = frozenset(
    {
        "ABS",
        "AND",
        "AVERAGE",
        "FALSE",
        "IF",
        "INT",
        "ISNUMBER",
        "MAX",
        "MEDIAN",
        "MIN",
        "MOD",
        "NOT",
        "OR",
        "ROUND",
        "ROUNDDOWN",
        "ROUNDUP",
        "SUM",
        "SUMPRODUCT",
        "TRUE",
    }
)
PREFIXED_FUNCTIONS = frozenset({"_xlfn.MINIFS", "_xlfn.MAXIFS"})
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


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


def test_every_example_formula_calls_only_known_functions(example_formulas: list[str]) -> None:
    assert len(example_formulas) > 1000  # every example, every sheet
    called = {name for formula in example_formulas for name in _CALL.findall(formula)}
    assert called <= PLAIN_FUNCTIONS | PREFIXED_FUNCTIONS, called - PLAIN_FUNCTIONS
    assert not any(formula.startswith("=") for formula in example_formulas)


def test_minifs_and_maxifs_are_written_prefixed(example_formulas: list[str]) -> None:
    lots = [f for f in example_formulas if "MINIFS(" in f or "MAXIFS(" in f]
    assert lots  # the Lots sheet of the multi-lot examples
    assert all(re.search(r"(?<!_xlfn\.)\b(MINIFS|MAXIFS)\(", formula) is None for formula in lots)


def test_the_workbook_is_written_by_stock_worksheets() -> None:
    from svengine.report.workbook import book as workbook

    assert not hasattr(workbook, "FormulaSheet")
    assert not Path(workbook.__file__).parent.with_name("formula_sheet.py").exists()
