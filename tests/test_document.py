"""The one document model: what the methodology added (formulas, right-aligned figures) renders in both forms."""

from __future__ import annotations

from svengine.report.document import Document


def _doc() -> Document:
    doc = Document("T")
    doc.formula("score = 40 × P_min / P < 1 & more")
    doc.table(["bid", "price"], [["A", "1,000.00"], ["B\\|C", None]], right=[False, True])
    return doc


def test_formula_is_a_verbatim_code_block_in_markdown_and_escaped_pre_in_html() -> None:
    doc = _doc()
    assert "```\nscore = 40 × P_min / P < 1 & more\n```\n" in doc.markdown()
    assert "<pre>score = 40 × P_min / P &lt; 1 &amp; more</pre>" in doc.html()


def test_right_aligned_columns_in_both_forms() -> None:
    doc = _doc()
    md = doc.markdown().splitlines()
    assert md[md.index("| bid | price |") + 1] == "|---|---:|"
    assert '<tr><td>A</td><td class="r">1,000.00</td></tr>' in doc.html()
    assert "td.r{text-align:right}" in doc.html()


def test_a_backslash_before_a_pipe_cannot_split_a_markdown_cell() -> None:
    # "B\|C" must read as the text B\|C in one cell: the backslash and the pipe are both escaped.
    assert "| B\\\\\\|C | - |" in _doc().markdown()


def test_tables_without_alignment_are_left_aligned() -> None:
    doc = Document("T")
    doc.table(["a", "b"], [["1", "2"]])
    assert "|---|---|" in doc.markdown()
    assert "<tr><td>1</td><td>2</td></tr>" in doc.html()
