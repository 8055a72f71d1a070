"""The one formatter for people (svengine.display, issue 15): properties over exact values."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svengine.display import amount, figure, percent, quantity, readable, score

fractions = st.fractions(max_denominator=10**6).filter(lambda f: abs(f) < 10**12)


def _half_up(value: Fraction, places: int) -> Decimal:
    # The reference: exact decimal arithmetic at high precision, then ROUND_HALF_UP.
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if value.denominator != 1
        else Decimal(value.numerator)
    )
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.00" for people


@given(fractions)
def test_money_is_the_exact_value_rounded_half_up_with_symbol_and_separators(
    value: Fraction,
) -> None:
    text = amount(value, "GBP")
    rounded = _half_up(value, 2)
    sign = "-" if rounded < 0 else ""
    assert text == f"{sign}£{abs(rounded):,.2f}"
    assert "/" not in text and "…" not in text


@given(fractions, st.sampled_from(["CHF", "SEK"]))
def test_a_currency_without_a_symbol_follows_the_amount(value: Fraction, code: str) -> None:
    assert amount(value, code).endswith(f" {code}")


@given(fractions, st.integers(min_value=0, max_value=4))
def test_scores_show_exactly_the_declared_places(value: Fraction, places: int) -> None:
    text = score(value, places)
    assert text == f"{_half_up(value, places):,.{places}f}"


@given(fractions)
def test_percentages_show_two_places(value: Fraction) -> None:
    assert percent(value) == f"{_half_up(value, 2):,.2f}%"


@given(fractions)
def test_quantities_show_at_most_two_places_and_no_trailing_zeros(value: Fraction) -> None:
    text = quantity(value)
    assert Decimal(text.replace(",", "")) == _half_up(value, 2)
    assert not ("." in text and text.endswith("0"))


@given(fractions)
def test_a_recorded_figure_made_readable_equals_the_exact_value_rounded(value: Fraction) -> None:
    # figure() is the record's form (six places, cut, with …); readable() turns it into the people's
    # form, which must be what rounding the exact value gives (the half-way point at 2 places is
    # itself a 6-place number, so cutting at 6 never changes the 2-place rounding).
    recorded = figure(value)
    shown = readable(f"a flag: {recorded} below the mean")
    if "…" in recorded:
        assert shown == f"a flag: {_half_up(value, 2):,.2f} below the mean"
    else:
        assert shown == f"a flag: {recorded} below the mean"


def test_the_figures_the_issue_quotes() -> None:
    # issue 15: 11/3 as a panel mean, the abnormally-low flag, a robustness price cut.
    assert quantity(Fraction(11, 3)) == "3.67"
    assert readable("35.714285…% below the mean (466,666.666666…)") == (
        "35.71% below the mean (466,666.67)"
    )
    assert amount(Decimal("195774.01"), "GBP") == "£195,774.01"
    assert amount(Fraction(-1, 8), "GBP") == "-£0.13"  # half up: away from zero


# ---- No figure for people formatted anywhere but display.py -----------------------------------
# A scan of the modules that write text for people: the terminal (cli/), Markdown, HTML and
# workbook labels (report/, except report/workbook/, whose number formats are Excel's), the text
# renderers of analysis/ (functions whose name says text or lines), the explanations and verify's
# messages. A number format written there (`:,`, `:.2f`, `%.4f`, `format(x, ",f")`) or `round(` is
# a second formatter beside svengine.display, which is how 11/3, `… GBP` and `0.248291…` reached
# people before issue 15.

SRC = Path(__file__).resolve().parent.parent / "src" / "svengine"
HUMAN_TEXT_MODULES = (
    "cli/*.py",
    "report/*.py",
    "scoring/explain.py",
    "audit/explanation.py",
    "audit/verify.py",
)
TEXT_RENDERERS = "analysis/*.py"
"""Modules of data and text together: only their functions named for text or lines are scanned."""

NUMBER_SPEC = re.compile(r"[,_]|\.\d|[eEfFgGn%]$")
PRINTF_NUMBER = re.compile(r"%[-+ 0#]*(?:\d+|\*)?(?:\.\d+)?[dieEfFgG]")
FORMAT_FIELD = re.compile(r"\{[^{}]*:[^{}]*(?:,|\.\d|[eEfFgG%])[^{}]*\}")

ALLOWED = {
    # (module, function, what): why it is not a figure for people
    ("cli/batch.py", "summary_csv", "format spec :.3f"): (
        "batch-summary.csv is data, not text for people: the seconds a tender took, to the millisecond"
    ),
    ("report/contract_page.py", "_bar", "round("): "a bar's length in characters, not a figure",
    ("report/pack.py", "_heat", "round("): "a colour channel (0-255) of the heat map, not a figure",
    ("report/pack.py", "heat_map", "format spec :.2f"): "a CSS column width, not a figure",
}


def _spec(node: ast.JoinedStr) -> str:
    return "".join(v.value for v in node.values if isinstance(v, ast.Constant))


def _number_formats(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            spec = _spec(node.format_spec)
            if NUMBER_SPEC.search(spec):
                yield node, f"format spec :{spec}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "round":
                yield node, "round("
            elif (
                node.func.id == "format"
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
                and NUMBER_SPEC.search(node.args[1].value)
            ):
                yield node, f"format spec {node.args[1].value}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)
            and FORMAT_FIELD.search(node.func.value.value)
        ):
            yield node, "str.format with a number format"
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and PRINTF_NUMBER.search(node.left.value)
        ):
            yield node, "%-formatting of a number"


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _found(path: Path) -> set[tuple[str, str, str, int]]:
    """(module, innermost function, what, line) of each number format in a module's human text."""
    module = path.relative_to(SRC).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = list(_functions(tree))

    def owner(node: ast.AST) -> str:
        line = getattr(node, "lineno", 0)
        around = [f for f in functions if f.lineno <= line <= (f.end_lineno or f.lineno)]
        return max(around, key=lambda f: f.lineno).name if around else "<module>"

    if path.match(TEXT_RENDERERS):
        renderers = [f for f in functions if "text" in f.name or "line" in f.name]
        scanned: list[ast.AST] = list(renderers)
    else:
        scanned = [tree]
    return {
        (module, owner(node), what, getattr(node, "lineno", 0))
        for root in scanned
        for node, what in _number_formats(root)
    }


def _human_text_files() -> list[Path]:
    return sorted(
        {path for pattern in (*HUMAN_TEXT_MODULES, TEXT_RENDERERS) for path in SRC.glob(pattern)}
    )


def test_numbers_for_people_are_formatted_only_by_display() -> None:
    found = set().union(*(_found(path) for path in _human_text_files()))
    unexplained = sorted(f for f in found if f[:3] not in ALLOWED)
    assert unexplained == [], (
        "format these with svengine.display (or allow one with a reason):\n"
        + (
            "\n".join(
                f"  {module}:{line} in {function}: {what}"
                for module, function, what, line in unexplained
            )
        )
    )


def test_every_allowed_exception_is_still_there() -> None:
    # An exception whose code has gone must leave the list: the list stays small and true.
    found = {f[:3] for path in _human_text_files() for f in _found(path)}
    assert sorted(set(ALLOWED) - found) == []


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ('f"{x:,}"', "format spec :,"),
        ('f"{x:.2f}"', "format spec :.2f"),
        ('f"{x:>10.4f}"', "format spec :>10.4f"),
        ('"%.1f%%" % x', "%-formatting of a number"),
        ('"{:.2f}".format(x)', "str.format with a number format"),
        ('format(x, ",f")', "format spec ,f"),
        ("round(x, 2)", "round("),
    ],
)
def test_the_scan_finds_each_kind_of_number_format(source: str, what: str) -> None:
    assert [found for _, found in _number_formats(ast.parse(source))] == [what]


@pytest.mark.parametrize("source", ['f"{name:>10}"', 'f"{text!r}"', '"%s: %r" % (a, b)', 'f"{x}"'])
def test_the_scan_leaves_text_that_formats_no_number(source: str) -> None:
    assert list(_number_formats(ast.parse(source))) == []
