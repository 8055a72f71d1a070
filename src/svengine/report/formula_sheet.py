"""An XlsxWriter worksheet that skips the formula rewriting our formulas never need.

XlsxWriter's `write_formula` passes every formula through `Worksheet._prepare_formula`, which
tries 29 regular-expression substitutions (adding the `_xlfn.` prefix to Excel 365's dynamic
array functions such as FILTER or SORT) on every formula. The evaluation workbook writes half a
million formulas for 5,000 bids, built only from Excel 2007 functions that are never rewritten,
and those substitutions were about a third of the time spent writing it.

`FormulaSheet` gives the same text as XlsxWriter for every formula: when each function the formula
calls is one of `PLAIN_FUNCTIONS` (none of which XlsxWriter rewrites), none of XlsxWriter's
patterns can match (each needs one of its own function names before the bracket), so the formula
only loses its leading `=` as it would there; anything else is handed to XlsxWriter unchanged.
The override only ever saves time: were a future XlsxWriter to rename the method, it would no
longer be called and the workbook would be written exactly as before.
"""

from __future__ import annotations

import re

from xlsxwriter.worksheet import Worksheet

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
"""Excel 2007 functions the workbook uses; XlsxWriter rewrites none of them."""

# A call of anything else: the whole run of name characters before a "(" (nothing of it before
# the run), unless the run is exactly a plain function. Any function XlsxWriter rewrites would
# show here as (or inside) such a run; its patterns all end in a letter or digit before the
# bracket, so a bare bracket after an operator (a group) is never theirs.
_OTHER_CALL = re.compile(
    r"(?<![A-Za-z0-9_.])(?!(?:" + "|".join(sorted(PLAIN_FUNCTIONS)) + r")\()[A-Za-z0-9_.]+\("
)


class FormulaSheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose formulas made only of `PLAIN_FUNCTIONS` skip XlsxWriter's rewriting."""

    # XlsxWriter 3.1.0 to 3.1.3 (allowed by pyproject) define `_prepare_formula(self, formula)`, later
    # versions add `expand_future_functions`: whatever XlsxWriter passed is passed back unchanged.
    def _prepare_formula(self, formula: str, *expand_future_functions: bool) -> str:
        if (
            self.use_future_functions
            or any(expand_future_functions)
            or formula.startswith("{")
            or formula.endswith("}")
        ):
            return str(super()._prepare_formula(formula, *expand_future_functions))
        stripped = formula[1:] if formula.startswith("=") else formula
        if _OTHER_CALL.search(stripped):
            return str(super()._prepare_formula(formula, *expand_future_functions))
        return stripped
