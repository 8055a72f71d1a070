"""The methodology's formulas and edge-case sentences come from scoring/rules.py, the rules the
engine evaluates: change a rule (or its words) and the published method changes with it."""

from __future__ import annotations

from typing import Any

import pytest

import svengine
from analysis_fixtures import bid, score, tender
from svengine.report.methodology import render_methodology, worked_price_example
from svengine.scoring import rules

_SOCIAL_VALUE = {"library": "toms/illustrative.yaml", "method": "relative_to_highest"}
_SV_WEIGHTS = {"quality": 50, "price": 40, "social_value": 10}
_RELATIVE_QUALITY = {
    "method": "relative_to_best",
    "scale_max": 5,
    "criteria": [{"id": "Q1", "title": "Method", "weight": 50}],
}
_BOUNDS = {"ceiling": "1200", "floor": "800"}

PRICE_LINES = {
    "lowest_relative": "price score = 50 × P_min / P",
    "min_max_linear": "price score = 50 × (P_max − P) / (P_max − P_min)",
    "proportional_deviation": "price score = 50 × max(0, 1 − (P − P_min) / P_min)",
    "reference_linear": "price score = 50 × clamp((ceiling − P) / (ceiling − floor), 0, 1)",
}
SOCIAL_VALUE_LINES = {
    "relative_to_highest": "social value points = 10 × SV / SV_max",
    "relative_to_highest_ratio": "social value points = 10 × (SV / P) / max(SV / P)",
    "target": "social value points = 10 × min(additionality / 20%, 1)",
}


def _price_tender(method: str) -> svengine.Tender:
    return tender(price={"method": method, **(_BOUNDS if method == "reference_linear" else {})})


def _social_tender(method: str, **fields: Any) -> svengine.Tender:
    block = {**_SOCIAL_VALUE, "method": method, **fields}
    if method == "target":
        block["target_pct"] = "20"
    return tender(weights=_SV_WEIGHTS, social_value=block)


def _marks(*bidders: str) -> list[svengine.Score]:
    return [score(b, "Q1", "3") for b in bidders]


def _formula_lines(text: str, start: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(start)]


@pytest.mark.parametrize("method", sorted(rules.PRICE))
def test_each_price_formula_line_is_the_rule_rendered(method: str) -> None:
    text = render_methodology(_price_tender(method), "markdown")
    rendered = rules.formula(rules.PRICE[method], {rules.W_PRICE: "50"})  # type: ignore[index]
    assert _formula_lines(text, "price score = ") == [f"price score = {rendered}"]
    assert rendered == PRICE_LINES[method].removeprefix(
        "price score = "
    )  # and it reads as published


@pytest.mark.parametrize("method", sorted(rules.SOCIAL_VALUE))
def test_each_social_value_formula_line_is_the_rule_rendered(method: str) -> None:
    text = render_methodology(_social_tender(method), "markdown")
    shown = {rules.W_SV_QUANT: "10", rules.TARGET_PCT: "20%"}
    rendered = rules.formula(rules.SOCIAL_VALUE[method], shown)  # type: ignore[index]
    assert _formula_lines(text, "social value points = ") == [f"social value points = {rendered}"]
    assert f"social value points = {rendered}" == SOCIAL_VALUE_LINES[method]


def test_the_quality_and_per_criterion_lines_are_the_rules_rendered() -> None:
    text = render_methodology(tender(quality=_RELATIVE_QUALITY), "markdown")
    assert "quality score = 50 × T / T_best" in text
    assert "When T_best = 0: no bid scored any quality points, so each scores 0." in text
    assert (
        "criterion points = criterion weight (points) × score / maximum score;"
        "   T = sum of the criterion points" in text
    )


def test_a_changed_price_rule_is_what_the_methodology_publishes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A methodology that wrote its own formula text would keep saying "50 × P_min / P".
    changed = rules.W_PRICE * rules.P_MIN / rules.P * rules.P_MIN / rules.P
    monkeypatch.setitem(rules.PRICE, "lowest_relative", changed)  # type: ignore[arg-type]
    text = render_methodology(tender(contract_value="1000"), "markdown")
    assert "price score = 50 × P_min / P × P_min / P" in text
    assert "50 × P_min / P\n" not in text
    # The worked example's working follows the rule too: 900, 1000 and 1150 with P_min = 900.
    workings = [e.working for e in worked_price_example(tender(contract_value="1000"))]
    assert workings[2] == "50 × 900.00 / 1,150.00 × 900.00 / 1,150.00"


def test_a_changed_social_value_rule_is_what_the_methodology_publishes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    changed = rules.W_SV_QUANT * rules.minimum(rules.ADDITIONALITY / rules.TARGET_PCT / 2, 1)
    monkeypatch.setitem(rules.SOCIAL_VALUE, "target", changed)  # type: ignore[arg-type]
    text = render_methodology(_social_tender("target"), "markdown")
    assert _formula_lines(text, "social value points = ") == [
        "social value points = 10 × min(additionality / 20% / 2, 1)"
    ]


def test_min_max_linear_all_equal_reads_the_same_in_the_method_and_the_explanation() -> None:
    t = _price_tender("min_max_linear")
    text = render_methodology(t, "markdown")
    assert (
        "When P_max = P_min: every valid bid has the same price P, so each gets the full 50."
        in text
    )
    assert "when every valid price is the same" not in text  # the old, second wording is gone
    result = svengine.evaluate(t, [bid("A", "500"), bid("B", "500")], _marks("A", "B"))
    assert result.bid("A").explain.price == (
        "Min-max linear: every valid bid has the same price 500.00, so each gets the full 50 = 50 → "
        "50.00 (rounded half up to 2 places)."
    )


def test_nobody_offering_social_value_reads_the_same_in_the_method_and_the_explanation() -> None:
    t = _social_tender("relative_to_highest")
    text = render_methodology(t, "markdown")
    assert (
        "When SV_max = 0: nobody offered any social value, so the £ part scores 0 for everyone."
        in text
    )
    assert "If nobody offers any social value" not in text
    result = svengine.evaluate(t, [bid("A", "500"), bid("B", "600")], _marks("A", "B"))
    assert "Nobody offered any social value, so the £ part scores 0 for everyone." in (
        result.bid("A").explain.social_value
    )


def test_an_edge_case_sentence_is_written_once_for_both(monkeypatch: pytest.MonkeyPatch) -> None:
    how = rules.SOCIAL_VALUE_WORDS["relative_to_highest"]
    reworded = rules.Words(how.title, how.labels, how.label_last, "no offers, so nobody scores")
    monkeypatch.setitem(rules.SOCIAL_VALUE_WORDS, "relative_to_highest", reworded)  # type: ignore[arg-type]
    t = _social_tender("relative_to_highest")
    assert "When SV_max = 0: no offers, so nobody scores." in render_methodology(t, "markdown")
    result = svengine.evaluate(t, [bid("A", "500")], _marks("A"))
    assert " No offers, so nobody scores." in result.bid("A").explain.social_value


def test_no_quality_points_anywhere_is_the_edge_case_not_a_division_by_zero() -> None:
    t = tender(quality=_RELATIVE_QUALITY)
    result = svengine.evaluate(
        t, [bid("A", "500"), bid("B", "600")], [score("A", "Q1", "0"), score("B", "Q1", "0")]
    )
    quality = result.bid("A").explain.quality
    assert (
        "Relative to best: no bid scored any quality points, so each scores 0 = 0 → 0.00" in quality
    )
    assert "/ 0" not in quality


def test_unweighted_price_and_social_value_share_their_words() -> None:
    t = tender(weights={"quality": 50, "price": 0, "social_value": 50}, social_value={
        **_SOCIAL_VALUE, "quantitative_weight": 0,
        "criteria": [{"id": "SV1", "title": "Plan", "weight": 50}]})  # fmt: skip
    text = render_methodology(t, "markdown")
    assert "The price weight is 0, so the score is 0." in text
    assert {e.working for e in worked_price_example(t)} == {
        "the price weight is 0, so the score is 0"
    }
    assert "The £ part has no weight." in text
    assert "social value points =" not in text
    marks = [score("A", "Q1", "3"), score("A", "SV1", "3")]
    explained = svengine.evaluate(t, [bid("A", "500")], marks).bid("A").explain
    assert explained.price == "Price 500.00; the price weight is 0, so the score is 0."
    assert " The £ part has no weight." in explained.social_value


def _inputs_meanings(tender_: svengine.Tender) -> dict[str, str]:
    """The Inputs sheet's meaning of each parameter (column C), by the parameter's name (column A)."""
    from io import BytesIO

    from openpyxl import load_workbook

    from svengine.report.workbook import workbook_bytes

    result = svengine.evaluate(tender_, [bid("A", "900"), bid("B", "1000")], _marks("A", "B"))
    sheet = load_workbook(BytesIO(workbook_bytes(tender_, result)))["Inputs"]
    return {str(row[0]): str(row[2]) for row in sheet.iter_rows(values_only=True) if row[0]}


def test_the_workbook_describes_each_method_with_the_rule_it_evaluates() -> None:
    meanings = _inputs_meanings(_price_tender("min_max_linear"))
    # The edge case is the rule's own if_equal: when every price is the lowest, full weight.
    assert meanings["price_method"] == (
        "W_price × (P_max − P) / (P_max − P_min); when P_max = P_min: W_price"
    )
    assert (
        meanings["quality_method"] == "absolute: T; relative_to_best: W_quality × T / T_best;"
        " when T_best = 0: 0"
    )
    social = _inputs_meanings(_social_tender("relative_to_highest_ratio"))
    assert social["social_value_method"] == (
        "W_sv_quant × (SV / P) / max(SV / P); when max(SV / P) = 0: 0"
    )


def test_a_changed_price_rule_is_what_the_workbook_describes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An Inputs sheet that kept its own text would still say "W_price × P_min / P".
    changed = rules.W_PRICE * rules.P_MIN / rules.P * rules.P_MIN / rules.P
    monkeypatch.setitem(rules.PRICE, "lowest_relative", changed)  # type: ignore[arg-type]
    assert _inputs_meanings(tender())["price_method"] == "W_price × P_min / P × P_min / P"
