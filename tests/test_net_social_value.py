"""Net social value: deflators on library measures, tender overrides, `social_value.count`.

Sources: the hand-computed check of issue 18 (10 units × £1,000 a year for 3 years, deadweight 25%,
attribution 20%, drop-off 10%: £6,000, £5,400 and £4,860, net £16,260), which is the HCA
Additionality Guide's and SROI's arithmetic (gross × (1 − deadweight) × (1 − attribution) ×
(1 − displacement) × (1 − leakage), and each later year (1 − drop-off) of the year before).
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import svengine
from builders import LIBRARY, bid, run, tender
from svengine.io.schemas import schema
from svengine.model.library import Deflators
from svengine.scoring.social_value import net_amount, net_years, reports_net, value_commitments
from svengine.seal.digests import method_sha256

HAND = {
    "id": "HAND",
    "theme": "Test",
    "outcome": "Issue 18 hand check",
    "title": "Hand check",
    "unit": "units",
    "proxy_value": "1000",
    "deadweight_pct": "25",
    "attribution_pct": "20",
    "drop_off_pct": "10",
}
MARKS = {"A": {"Q1": 3, "Q2": 3}, "B": {"Q1": 3, "Q2": 3}}


def _library(*extra: dict[str, Any]) -> dict[str, Any]:
    library = copy.deepcopy(LIBRARY)
    library["measures"].extend(copy.deepcopy(list(extra)))
    return library


def _social_value(**fields: Any) -> dict[str, Any]:
    return {"library": "lib.yaml", "method": "relative_to_highest", **fields}


def _bids() -> list[dict[str, Any]]:
    return [
        bid("A", "100000", [{"measure": "HAND", "quantity": "10", "years": 3}]),
        bid("B", "90000", [{"measure": "JOB", "quantity": "1"}]),
    ]


def test_issue_18_hand_check_year_by_year() -> None:
    """Issue 18: £6,000, £5,400 and £4,860, net £16,260 (gross £30,000)."""
    result = run(tender(_library(HAND)), _bids(), MARKS).to_dict()
    social = next(b["social_value"] for b in result["bids"] if b["bidder_id"] == "A")
    [commitment] = social["commitments"]
    assert commitment["value"] == "30000.00"
    assert commitment["net_by_year"] == ["6000.00", "5400.00", "4860.00"]
    assert commitment["net_value"] == "16260.00"
    assert commitment["deflators"] == {
        "deadweight_pct": "25",
        "attribution_pct": "20",
        "displacement_pct": None,
        "leakage_pct": None,
        "drop_off_pct": "10",
    }
    assert social["total"] == "30000.00"
    assert social["net_value"] == "16260.00"
    assert social["counted"] == "gross"


def test_hand_check_in_the_explanation() -> None:
    result = run(tender(_library(HAND)), _bids(), MARKS)
    words = result.bid("A").explain.social_value
    assert "net of deadweight 25%, attribution 20%: 6,000.00 in the first year" in words
    assert "6,000.00 + 5,400.00 + 4,860.00 = 16,260.00 net" in words
    assert "Gross social value 30,000.00, net of deflators 16,260.00" in words
    assert "counts the gross value" in words


def test_count_gross_is_the_default_and_scores_as_before() -> None:
    """Declaring deflators with `count: gross` shows net but scores exactly as without them."""
    plain = dict(HAND)
    for key in ("deadweight_pct", "attribution_pct", "drop_off_pct"):
        plain.pop(key)
    with_deflators = run(tender(_library(HAND)), _bids(), MARKS)
    without = run(tender(_library(plain)), _bids(), MARKS)
    for bidder in ("A", "B"):
        a, b = with_deflators.bid(bidder), without.bid(bidder)
        assert a.total_score == b.total_score
        assert a.social_value.score == b.social_value.score
        assert a.social_value.additionality_pct == b.social_value.additionality_pct
    assert "net_value" not in json.dumps(without.to_dict())


def test_count_net_scores_and_counts_the_net_value() -> None:
    result = run(tender(_library(HAND), social_value=_social_value(count="net")), _bids(), MARKS)
    a, b = result.bid("A").social_value, result.bid("B").social_value
    assert a.total == Decimal("30000.00")  # gross is still shown
    assert a.net_value == Decimal("16260.00")  # type: ignore[union-attr]
    assert a.counted == "net"  # type: ignore[union-attr]
    # 16,260 of a £1,000,000 contract = 1.626% (rounded half up to 2 places).
    assert a.additionality_pct == Decimal("1.63")
    assert a.additionality_pct_of_price == Decimal("16.26")
    # relative_to_highest on net: B's £30,000 (no deflators) is highest; A: 10 × 16,260 / 30,000.
    assert result.reference.highest_social_value == Decimal("30000.00")
    assert a.quantitative_points == "5.42"
    assert b.quantitative_points == "10"
    assert "the tender counts the net value" in result.bid("A").explain.social_value


def test_tender_override_replaces_field_by_field() -> None:
    overrides = {"HAND": {"deadweight_pct": "50", "leakage_pct": "10"}}
    result = run(
        tender(_library(HAND), social_value=_social_value(deflators=overrides)), _bids(), MARKS
    )
    [commitment] = next(
        b["social_value"]["commitments"] for b in result.to_dict()["bids"] if b["bidder_id"] == "A"
    )
    # 10,000 × 0.5 × 0.8 × 0.9 = 3,600; then 3,240 and 2,916: 9,756.
    assert commitment["deflators"]["deadweight_pct"] == "50"
    assert commitment["deflators"]["attribution_pct"] == "20"  # the library's, kept
    assert commitment["net_by_year"] == ["3600.00", "3240.00", "2916.00"]
    assert commitment["net_value"] == "9756.00"


def test_whole_term_and_first_year_measures_have_no_drop_off() -> None:
    spend = {**next(m for m in LIBRARY["measures"] if m["id"] == "SPEND")}
    spend.update(id="SPEND2", deadweight_pct="10", drop_off_pct="50")
    hire = {**next(m for m in LIBRARY["measures"] if m["id"] == "HIRE")}
    hire.update(id="HIRE2", attribution_pct="25", drop_off_pct="50")
    bids = [
        bid(
            "A",
            "100000",
            [
                {"measure": "SPEND2", "quantity": "40000"},
                {"measure": "HIRE2", "quantity": "2", "years": 3},
            ],
        ),
        bid("B", "90000", []),
    ]
    result = run(tender(_library(spend, hire)), bids, MARKS)
    rows = result.to_dict()["bids"][0]["social_value"]["commitments"]
    by_measure = {row["measure"]: row for row in rows}
    assert by_measure["SPEND2"]["net_by_year"] == ["9000.00"]  # 40,000 × 0.25 × 0.9
    assert by_measure["HIRE2"]["net_by_year"] == ["30000.00"]  # 2 × 20,000 × 0.75, one year
    assert by_measure["HIRE2"]["net_value"] == "30000.00"


def test_result_with_net_values_follows_the_result_schema() -> None:
    result = run(tender(_library(HAND), social_value=_social_value(count="net")), _bids(), MARKS)
    Draft202012Validator(schema("result")).validate(result.to_dict())
    again = svengine.Result.model_validate(result.to_dict())
    assert again.to_json() == result.to_json()


def test_count_net_without_deflators_reports_net_equal_to_gross() -> None:
    result = run(tender(social_value=_social_value(count="net")), _bids()[1:], {"B": MARKS["B"]})
    social = result.to_dict()["bids"][0]["social_value"]
    assert social["net_value"] == social["total"] == "30000.00"
    assert "no deflator declared" in result.bid("B").explain.social_value


def test_deflators_are_part_of_the_method_digest() -> None:
    plain = tender()
    assert method_sha256(plain) == method_sha256(tender(social_value=_social_value()))
    assert method_sha256(plain) != method_sha256(tender(social_value=_social_value(count="net")))
    assert method_sha256(tender(_library(HAND))) != method_sha256(
        tender(_library({**HAND, "deadweight_pct": "30"}))
    )


@pytest.mark.parametrize("value", ["-1", "100.5", "250"])
def test_a_deflator_outside_0_to_100_is_a_located_problem(value: str) -> None:
    with pytest.raises(svengine.InvalidInput) as raised:
        tender(_library({**HAND, "leakage_pct": value}))
    [problem] = raised.value.problems
    assert problem.code == "bad_parameter"
    assert problem.location.path == "$.measures[5].leakage_pct"
    assert "a deflator is a % from 0 to 100" in problem.message


def test_an_override_of_an_unknown_measure_is_a_located_problem() -> None:
    with pytest.raises(svengine.InvalidInput) as raised:
        tender(
            social_value=_social_value(
                deflators={"NOPE": {"deadweight_pct": "10"}, "JOB": {"attribution_pct": "101"}}
            )
        )
    found = {(p.code, p.location.path) for p in raised.value.problems}
    assert ("unknown_measure", "$.social_value.deflators.NOPE") in found
    assert ("bad_parameter", "$.social_value.deflators.JOB.attribution_pct") in found


def test_an_unknown_deflator_name_is_refused_by_the_schema() -> None:
    with pytest.raises(svengine.InvalidInput):
        tender(_library({**HAND, "dead_weight_pct": "10"}))


_PCT = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    gross=st.decimals(min_value=0, max_value=10**9, places=2),
    years=st.integers(min_value=1, max_value=12),
    d=_PCT,
    a=_PCT,
    disp=_PCT,
    leak=_PCT,
    drop=_PCT,
)
def test_net_years_are_the_closed_form_exactly(
    gross: Decimal, years: int, d: Decimal, a: Decimal, disp: Decimal, leak: Decimal, drop: Decimal
) -> None:
    """Each year k (from 0) is gross × Π(1 − x) × (1 − drop)^k, exactly, and never above gross."""
    from fractions import Fraction

    deflators = Deflators(
        deadweight_pct=d,
        attribution_pct=a,
        displacement_pct=disp,
        leakage_pct=leak,
        drop_off_pct=drop,
    )
    by_year = net_years(gross, years, deflators)
    keep = [1 - Fraction(x) / 100 for x in (d, a, disp, leak)]
    factor = keep[0] * keep[1] * keep[2] * keep[3]
    expected = [Fraction(gross) * factor * (1 - Fraction(drop) / 100) ** k for k in range(years)]
    assert [Fraction(v) for v in by_year] == expected
    assert all(0 <= v <= gross for v in by_year)


@settings(max_examples=200, deadline=None)
@given(
    gross=st.decimals(min_value=0, max_value=10**9, places=2),
    years=st.integers(min_value=1, max_value=12),
    drop=_PCT,
    d=_PCT,
)
def test_the_net_value_is_the_sum_of_its_years(
    gross: Decimal, years: int, drop: Decimal, d: Decimal
) -> None:
    """rules.NET_VALUE (the workbook's one-cell closed form) is exactly the sum of rules.NET_YEAR."""
    deflators = Deflators(deadweight_pct=d, drop_off_pct=drop)
    from fractions import Fraction

    years_sum = sum((Fraction(v) for v in net_years(gross, years, deflators)), Fraction(0))
    assert (
        Fraction(net_amount(gross, years, deflators)) == years_sum
    )  # exactly (no decimal context)


def test_the_workbook_formula_is_the_rule_as_excel_text() -> None:
    from svengine.report.workbook.social_value_sheet import net_value
    from svengine.scoring import rules

    formula = net_value(5, 20)  # row 6 of Commitments, a measure on row 21 of Inputs
    assert formula == rules.excel(
        rules.NET_VALUE,
        {
            "proxy": "H6",
            "q": "E6",
            "n": "G6",
            "deadweight_pct": "Inputs!$J$21",
            "attribution_pct": "Inputs!$K$21",
            "displacement_pct": "Inputs!$L$21",
            "leakage_pct": "Inputs!$M$21",
            "drop_off_pct": "Inputs!$N$21",
        },
    )
    assert formula == (
        "H6*E6*(1-Inputs!$J$21/100)*(1-Inputs!$K$21/100)*(1-Inputs!$L$21/100)*(1-Inputs!$M$21/100)"
        "*IF(Inputs!$N$21=0,G6,(1-(1-Inputs!$N$21/100)^G6)/(Inputs!$N$21/100))"
    )


def test_a_net_tenders_workbook_shows_net_values_by_formula() -> None:
    from io import BytesIO

    import openpyxl

    from svengine.report.workbook import workbook_bytes

    counted = tender(_library(HAND), social_value=_social_value(count="net"))
    book = openpyxl.load_workbook(BytesIO(workbook_bytes(counted, run(counted, _bids(), MARKS))))
    cells = [str(c.value) for row in book["Issues"].iter_rows() for c in row]
    assert "social_value_net" not in cells  # the formulas now show net values: no note
    cached = openpyxl.load_workbook(
        BytesIO(workbook_bytes(counted, run(counted, _bids(), MARKS))), data_only=True
    )
    headers = [c.value for c in cached["Commitments"][5]]
    net = headers.index("Net value") + 1
    by_bidder = {
        cached["Commitments"].cell(r, 1).value: cached["Commitments"].cell(r, net).value
        for r in (6, 7)
    }
    assert by_bidder == {"A": 16260, "B": 30000}  # A: the hand check; B: no deflator, net = gross
    assert str(book["Commitments"].cell(6, net).value).startswith("=IF(I6,")
    social = [c.value for c in book["SocialValue"][5]]
    # additionality reads the net total (column E) when the tender counts net
    assert social[3:5] == ["Social value (£)", "Net value"]
    assert book["SocialValue"]["F6"].value == "=ROUND(ROUND(E6/ContractValue*100,9),Places)"


def test_the_summary_and_the_terminal_show_the_counted_net_value_beside_its_additionality() -> None:
    """With `count: net` the £ shown beside the additionality is the net value that made it
    (A: the hand check's £16,260 is 1.63% of £1,000,000), not the gross £30,000."""
    from io import BytesIO

    import openpyxl

    from svengine.cli.evaluate import ranked_table
    from svengine.report.workbook import workbook_bytes

    counted = tender(_library(HAND), social_value=_social_value(count="net"))
    result = run(counted, _bids(), MARKS)
    book = openpyxl.load_workbook(BytesIO(workbook_bytes(counted, result)))
    cached = openpyxl.load_workbook(BytesIO(workbook_bytes(counted, result)), data_only=True)
    headers = [c.value for c in cached["Summary"][5]]
    column = headers.index("Net social value (£)") + 1
    row = next(r for r in range(6, 8) if cached["Summary"].cell(r, 1).value == "A")
    assert cached["Summary"].cell(row, column).value == 16260
    assert str(book["Summary"].cell(row, column).value).startswith("=SocialValue!$E$")  # net column
    text = ranked_table(result)
    assert "net social value offered" in text and "£16,260.00" in text and "£30,000.00" in text

    gross = tender(_library(HAND))  # deflators declared, gross counted: the gross total, as before
    headers = [
        c.value
        for c in openpyxl.load_workbook(BytesIO(workbook_bytes(gross, run(gross, _bids(), MARKS))))[
            "Summary"
        ][5]
    ]
    assert "Social value (£)" in headers and "Net social value (£)" not in headers


def test_the_methodology_says_whether_gross_or_net_is_scored_and_lists_the_deflators() -> None:
    """A bidder reads which value counts: net with the rule and each measure's deflators, or gross
    with the net shown for information; a library without deflators reads as before."""
    from svengine.report.methodology import render_methodology

    net = render_methodology(
        tender(_library(HAND), social_value=_social_value(count="net")), "markdown"
    )
    assert "Social value is counted net" in net
    assert "The net social value is scored and counts for additionality." in net
    assert "(1 − deadweight) × (1 − attribution) × (1 − displacement) × (1 − leakage)" in net
    assert "deadweight 25%, attribution 20%, drop-off a year 10%" in net  # the HAND measure's row

    override = {"HAND": {"deadweight_pct": "50"}}
    gross = render_methodology(
        tender(_library(HAND), social_value=_social_value(deflators=override)), "markdown"
    )
    assert "Social value is counted gross" in gross
    assert "for information only" in gross
    assert "deadweight 50%, attribution 20%, drop-off a year 10%" in gross  # the tender's override

    plain = render_methodology(tender(_library()), "markdown")
    assert "counted gross" not in plain and "counted net" not in plain
    assert "deflators" not in plain


def test_reports_net_by_a_library_measure_an_override_or_count_net() -> None:
    plain = _library()
    assert not reports_net(tender(plain, social_value=_social_value()))
    assert reports_net(tender(_library(HAND), social_value=_social_value()))  # a measure's deflator
    assert reports_net(
        tender(plain, social_value=_social_value(deflators={"JOB": {"leakage_pct": "5"}}))
    )
    assert reports_net(tender(plain, social_value=_social_value(count="net")))


def test_valuing_with_net_asked_once_gives_what_asking_per_bid_gives() -> None:
    # evaluate asks reports_net once per competition and passes it to value_commitments.
    gross_only = {k: v for k, v in HAND.items() if not k.endswith("_pct")}
    for library in (_library(gross_only), _library(HAND)):
        t = tender(library, social_value=_social_value())
        for b in svengine.parse_bids(_bids()):
            assert value_commitments(t, b, reports_net(t)) == value_commitments(t, b)
