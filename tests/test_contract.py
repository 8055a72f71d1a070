"""After award: periods, targets, the KPI rating rule at every boundary, s.52, returns, moderation,
the contract report's figures (worked by hand below), refusals, the award's proxies, portfolio, OCDS."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svengine.cli.main import main
from svengine.contract.model import Contract, Kpi, LibraryCopy, Supplier
from svengine.contract.ocds import CLASSIFICATION
from svengine.contract.periods import term_periods
from svengine.contract.portfolio import next_assessment
from svengine.contract.rating import rate
from svengine.contract.rules import contract_problems
from svengine.contract.targets import due_quantities
from svengine.io.contract_files import read_contract_folder
from svengine.io.schemas import validate
from svengine.model.library import MeasureLibrary

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "contract-housing-repairs"
D = Decimal


# --- periods -------------------------------------------------------------------------------------


def test_quarterly_periods_of_a_three_year_term() -> None:
    periods = term_periods(date(2026, 4, 1), 3, "quarterly")
    assert [p.name for p in periods][:3] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert len(periods) == 12 and periods[-1].name == "2029-Q1"
    assert periods[-1].last == date(2029, 3, 31)


def test_monthly_and_annual_names_and_partial_periods() -> None:
    months = term_periods(date(2026, 4, 15), 1, "monthly")
    assert months[0].name == "2026-04" and months[0].first == date(2026, 4, 15)
    assert months[-1].name == "2027-04" and months[-1].last == date(2027, 4, 14)
    assert len(months) == 13
    years = term_periods(date(2026, 4, 1), 3, "annual")
    assert [p.name for p in years] == ["2026", "2027", "2028", "2029"]


# --- the rating rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("95", "good"),  # = target
        ("95.000001", "good"),
        ("94.999999", "approaching_target"),
        ("90.25", "approaching_target"),  # 95 x 0.95, inclusive
        ("90.249999", "requires_improvement"),
        ("76", "requires_improvement"),  # 95 x 0.80, inclusive
        ("75.999999", "inadequate"),
    ],
)
def test_higher_is_better_boundaries(value: str, expected: str) -> None:
    assert rate(D(value), D("95"), "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", "good"),
        ("10.5", "approaching_target"),  # 10 x 1.05, inclusive
        ("10.500001", "requires_improvement"),
        ("12", "requires_improvement"),  # 10 x 1.20, inclusive
        ("12.000001", "inadequate"),
    ],
)
def test_lower_is_better_boundaries(value: str, expected: str) -> None:
    assert rate(D(value), D("10"), "lower") == expected


def test_declared_thresholds_are_used() -> None:
    # K3 of the example: target 10 days, approaching 10 %, inadequate 30 %: 11 and 13 are the edges.
    assert rate(D("11"), D("10"), "lower", D("10"), D("30")) == "approaching_target"
    assert rate(D("13"), D("10"), "lower", D("10"), D("30")) == "requires_improvement"
    assert rate(D("13.01"), D("10"), "lower", D("10"), D("30")) == "inadequate"


ORDER = ["good", "approaching_target", "requires_improvement", "inadequate"]
decimals = st.decimals(
    min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False
)


@given(decimals, decimals, decimals)
def test_rating_never_improves_as_a_higher_is_better_value_falls(t: D, a: D, b: D) -> None:
    low, high = sorted((a, b))
    assert ORDER.index(rate(low, t, "higher")) >= ORDER.index(rate(high, t, "higher"))
    assert ORDER.index(rate(high, t, "lower")) >= ORDER.index(rate(low, t, "lower"))


# --- s.52 ----------------------------------------------------------------------------------------

LIBRARY = MeasureLibrary.model_validate(
    {
        "id": "t",
        "version": "1",
        "currency": "GBP",
        "licence": "test",
        "measures": [
            {
                "id": "A",
                "theme": "Jobs",
                "outcome": "o",
                "title": "a",
                "unit": "u",
                "proxy_value": "100",
            },
            {
                "id": "W",
                "theme": "Growth",
                "outcome": "o",
                "title": "w",
                "unit": "u",
                "proxy_value": "1",
                "basis": "total",
            },
            {
                "id": "F",
                "theme": "Jobs",
                "outcome": "o",
                "title": "f",
                "unit": "u",
                "proxy_value": "10",
                "first_year_only": True,
            },
        ],
    }
)


def _contract(value: str, kpis: int, **extra: object) -> Contract:
    made = [Kpi(f"K{i}", "t", "%", D("95")) for i in range(kpis)]
    return Contract(
        id="C",
        title="t",
        supplier=Supplier("S", "s"),
        start=date(2026, 4, 1),
        years=3,
        reporting="quarterly",
        contract_value=D(value),
        currency="GBP",
        library=LibraryCopy("library.yaml", "0" * 64),
        kpis=tuple(made),
        **extra,  # type: ignore[arg-type]
    )


def _codes(contract: Contract) -> list[str]:
    return [p.code for p in contract_problems(contract, LIBRARY)]


def test_over_five_million_needs_three_kpis() -> None:
    assert _codes(_contract("5000000.01", 2)) == ["too_few_kpis"]
    assert _codes(_contract("5000000.01", 3)) == []
    assert _codes(_contract("5000000", 0)) == []  # not over £5m
    assert _codes(_contract("9000000", 0, no_kpis_reason="a one-off delivery")) == []


@pytest.mark.parametrize("kind", ["framework", "concession", "light_touch", "private_utility"])
def test_s52_exemptions(kind: str) -> None:
    assert _codes(_contract("9000000", 0, kind=kind)) == []


# --- targets -------------------------------------------------------------------------------------


def test_targets_per_year_first_year_only_and_whole_term() -> None:
    from svengine.contract.model import Commitment

    contract = _contract("1", 0)
    per_year = due_quantities(contract, Commitment("A", D("5"), 2), LIBRARY.by_id["A"])
    assert per_year["2026-Q2"] == Fraction(5, 4) and per_year["2028-Q1"] == Fraction(5, 4)
    assert "2028-Q2" not in per_year and sum(per_year.values()) == 10  # 2 of 3 years
    first = due_quantities(contract, Commitment("F", D("3"), 3), LIBRARY.by_id["F"])
    assert (
        sorted(first) == ["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"] and sum(first.values()) == 3
    )
    whole = due_quantities(contract, Commitment("W", D("450000"), 1), LIBRARY.by_id["W"])
    assert len(whole) == 12 and whole["2027-Q3"] == 37500


# --- s.71(2): the next assessment ----------------------------------------------------------------


def test_next_assessment_is_twelve_months_after_the_last_and_never_after_the_end() -> None:
    report = {
        "contract": {"kpis": [{"id": "K1"}], "start": "2026-04-01", "end": "2029-03-31"},
        "kpis": [{"period": "2026-Q2"}, {"period": "2027-Q1"}],
    }
    last = {
        "2026-Q2": date(2026, 6, 30),
        "2027-Q1": date(2027, 3, 31),
        "2028-Q4": date(2028, 12, 31),
    }
    assert next_assessment(report, last) == date(2028, 3, 31)
    report["kpis"] = [{"period": "2028-Q4"}]
    assert next_assessment(report, last) == date(2029, 3, 31)  # termination comes first
    report["kpis"] = []
    assert next_assessment(report, last) == date(2027, 3, 31)  # none yet: a year from the start


# --- the example's report, worked by hand --------------------------------------------------------
# Each quarter commits: EX-JOB-1 5/4 FTE-years x 31,200 = 39,000; EX-JOB-6 92/4 = 23 weeks x 245 =
# 5,635; EX-GRO-1 450,000 / 12 quarters = 37,500 x 0.32 = 12,000; EX-SOC-1 120/4 = 30 h x 17.50 =
# 525; EX-SOC-4 6/4 = 1.5 x 185 = 277.50: 57,437.50 a quarter, 229,750.00 for four, 689,250.00 for
# twelve (the award's 689,250.00). 2026-Q4 claims 39,000 + 20 x 245 + 39,800 x 0.32 + 40 x 17.50 +
# 2 x 185 = 57,706.00 and accepts 57,006.00 (the 40 volunteering hours have no evidence and are
# rejected). Claimed to date 58,714 + 56,510 + 57,706 + 55,305 = 228,235.00; accepted 227,535.00
# (2027-Q1's school visit has no evidence but is accepted by moderation); 227,535 / 4,612,000 =
# 4.93 %; forecast 227,535 / 4 x 12 = 682,605.00.


@pytest.fixture
def report(tmp_path: Path) -> dict[str, object]:
    assert main(["contract", "report", str(EXAMPLE), "--out", str(tmp_path)]) == 0
    loaded: dict[str, object] = json.loads((tmp_path / "contract-report.json").read_text())
    return loaded


def test_example_report_figures(report: dict) -> None:  # type: ignore[type-arg]
    c = report["cumulative"]
    assert (c["committed_value"], c["claimed_value"], c["accepted_value"]) == (
        "229750.00",
        "228235.00",
        "227535.00",
    )
    assert c["accepted_pct_of_contract_value"] == "4.93"
    assert c["committed_value_term"] == "689250.00"
    assert c["forecast_value"] == "682605.00"
    rows = {
        p["period"]: (p["committed_value"], p["claimed_value"], p["accepted_value"])
        for p in report["periods"]
    }
    assert rows["2026-Q4"] == ("57437.50", "57706.00", "57006.00")
    assert [p["late"] for p in report["periods"]] == [False, True, False, False]
    k1 = [(k["period"], k["rating"]) for k in report["kpis"] if k["id"] == "K1"]
    assert k1[0] == ("2026-Q2", "good") and k1[-1] == ("2027-Q1", "requires_improvement")
    assert report["overall"]["rating"] == "requires_improvement"
    assert validate(report, "contract-report") == []


def test_report_is_the_same_bytes_twice_and_verifies(tmp_path: Path) -> None:
    assert main(["contract", "report", str(EXAMPLE), "--out", str(tmp_path / "a")]) == 0
    assert main(["contract", "report", str(EXAMPLE), "--out", str(tmp_path / "b")]) == 0
    a, b = (tmp_path / x / "contract-report.json" for x in "ab")
    assert a.read_bytes() == b.read_bytes()
    assert main(["contract", "verify", str(EXAMPLE), "--report", str(tmp_path / "a")]) == 0
    a.write_text(a.read_text().replace('"227535.00"', '"999999.00"', 1))
    assert main(["contract", "verify", str(EXAMPLE), "--report", str(tmp_path / "a")]) == 1


# --- refusals, each located ----------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "contract"
    shutil.copytree(EXAMPLE, copy)
    return copy


def _refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["contract", "report", str(folder), "--out", str(folder / "out")]) == 1
    return capsys.readouterr().err


def test_unknown_measure_is_located(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "returns" / "2027-Q1.csv").write_text(
        "measure,quantity,evidence,note\nEX-NOPE-9,3,x,\n"
    )
    err = _refused(folder, capsys)
    assert 'returns/2027-Q1.csv:2 (measure): the measure "EX-NOPE-9" is not in the library' in err


def test_period_outside_the_term(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "returns" / "2031-Q1.csv").write_text(
        "measure,quantity,evidence,note\nEX-JOB-1,1,x,\n"
    )
    (folder / "returns" / "2027-05.csv").write_text(
        "measure,quantity,evidence,note\nEX-JOB-1,1,x,\n"
    )
    err = _refused(folder, capsys)
    assert 'returns/2031-Q1.csv: "2031-Q1" is not a period of this contract\'s term' in err
    assert 'returns/2027-05.csv: "2027-05" is not a period' in err


def test_quantity_that_is_not_a_number(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "returns" / "2027-Q1.csv").write_text(
        "measure,quantity,evidence,note\nEX-JOB-1,about 2,x,\n"
    )
    assert 'returns/2027-Q1.csv:2 (quantity): quantity "about 2" is not a number' in _refused(
        folder, capsys
    )


def test_return_for_a_closed_period(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "returns" / "2026-Q2.csv").write_text(
        "measure,quantity,evidence,note\nEX-JOB-1,9,x,\n"
    )
    assert "returns/2026-Q2.csv: 2026-Q2 is closed" in _refused(folder, capsys)


def test_moderation_and_kpi_refusals(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "moderation" / "2027-Q1.csv").write_text(
        "measure,decision,accepted_quantity,rationale\nEX-JOB-6,reduce,99,too many\nEX-GRO-1,reject,,\n"
    )
    (folder / "kpis" / "2027-Q1.csv").write_text("kpi,value,note\nK9,1,\nK1,,\n")
    err = _refused(folder, capsys)
    assert (
        "moderation/2027-Q1.csv:2 (measure): accepted_quantity 99 must be between 0 and the 23 claimed"
        in err
    )
    assert "moderation/2027-Q1.csv:3 (measure): a decision to reject needs a rationale" in err
    assert 'kpis/2027-Q1.csv:2 (kpi): the KPI "K9"' in err
    assert "kpis/2027-Q1.csv:3 (kpi): no value is reported" in err


def test_other_when_no_value_and_a_reason(folder: Path) -> None:
    (folder / "kpis" / "2027-Q1.csv").write_text(
        "kpi,value,note\nK1,,system outage: no data\nK2,89,\nK3,9,\n"
    )
    read = read_contract_folder(folder)
    from svengine.contract.report import build_report

    document = build_report(read.contract, read.library, read.periods, read.files)
    last = [k for k in document["kpis"] if k["period"] == "2027-Q1"]
    assert [k["rating"] for k in last] == ["other", "approaching_target", "good"]
    assert document["overall"]["rating"] == "approaching_target"


# --- the proxies of award ------------------------------------------------------------------------


def test_start_copies_the_award_library_and_refuses_a_changed_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(
        ROOT / "examples" / "housing-repairs", tmp_path / "examples" / "housing-repairs"
    )
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    evaluation = tmp_path / "eval"
    assert (
        main(["evaluate", str(tmp_path / "examples" / "housing-repairs"), "--out", str(evaluation)])
        == 0
    )
    args = [
        "contract",
        "start",
        str(evaluation),
        "--bidder",
        "B1",
        "--start",
        "2026-04-01",
        "--reporting",
        "quarterly",
    ]
    assert main([*args, "--out", str(tmp_path / "c")]) == 0
    text = (tmp_path / "c" / "contract.yaml").read_text()
    assert 'proxy_value: "31200.00"' in text and "years: 3" in text
    assert (tmp_path / "c" / "award" / "result.json").read_bytes() == (
        evaluation / "result.json"
    ).read_bytes()
    # The library in toms/ changes after the award: the contract keeps pricing at the award's proxies.
    library = tmp_path / "toms" / "illustrative.yaml"
    library.write_text(library.read_text().replace('"31200.00"', '"99999.00"'))
    assert main(["contract", "report", str(tmp_path / "c"), "--out", str(tmp_path / "r")]) == 0
    written = json.loads((tmp_path / "r" / "contract-report.json").read_text())
    assert written["cumulative"]["committed_value_term"] == "689250.00"  # not at 99,999.00
    read = read_contract_folder(tmp_path / "c")
    assert read.library.by_id["EX-JOB-1"].proxy_value == D("31200.00")
    # ...and a new contract cannot be started from the evaluation against the changed library.
    assert main([*args, "--out", str(tmp_path / "d")]) == 1
    assert "the measure library has changed since the award" in capsys.readouterr().err
    # Editing the contract's own copy is refused too.
    copy = tmp_path / "c" / "library.yaml"
    copy.write_text(copy.read_text() + "\n")
    assert main(["contract", "report", str(tmp_path / "c"), "--out", str(tmp_path / "r2")]) == 1
    assert "library.yaml: the library copy's SHA-256" in capsys.readouterr().err


def test_start_refuses_a_bidder_not_awarded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evaluation = tmp_path / "eval"
    assert (
        main(["evaluate", str(ROOT / "examples" / "housing-repairs"), "--out", str(evaluation)])
        == 0
    )
    args = [
        "contract",
        "start",
        str(evaluation),
        "--bidder",
        "B2",
        "--start",
        "2026-04-01",
        "--reporting",
        "monthly",
    ]
    assert main([*args, "--out", str(tmp_path / "c")]) == 1
    assert "B2 was not awarded this contract" in capsys.readouterr().err


# --- template, portfolio, OCDS -------------------------------------------------------------------


def test_template_has_the_pinned_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "return.xlsx"
    assert (
        main(["contract", "template", str(EXAMPLE), "--period", "2027-Q2", "--out", str(out)]) == 0
    )
    sheet = load_workbook(out)["Return"]
    assert [c.value for c in sheet[1]] == ["measure", "quantity", "evidence", "note"]
    assert sheet["A2"].value == "EX-JOB-1"
    assert (
        main(
            [
                "contract",
                "template",
                str(EXAMPLE),
                "--period",
                "2026-Q2",
                "--out",
                str(tmp_path / "x.xlsx"),
            ]
        )
        == 1
    )
    assert "2026-Q2 is closed" in capsys.readouterr().err


def test_portfolio_example(tmp_path: Path) -> None:
    assert (
        main(["portfolio", str(ROOT / "examples" / "portfolio-district"), "--out", str(tmp_path)])
        == 0
    )
    document = json.loads((tmp_path / "portfolio.json").read_text())
    assert document["totals"]["contracts"] == 3
    assert [c["behind"] for c in document["contracts"]] == sorted(
        c["behind"] for c in document["contracts"]
    )[::-1]
    assert document["kpi_assessments_due"] == [
        {
            "contract": "GM-2026-022-G2",
            "due": "2027-09-30",
            "overdue": False,
            "rule": document["kpi_assessments_due"][0]["rule"],
        }
    ]


def test_ocds_classifications(tmp_path: Path) -> None:
    assert CLASSIFICATION == {
        "good": "met",
        "approaching_target": "slightlyBelow",
        "requires_improvement": "below",
        "inadequate": "significantlyBelow",
        "other": "other",
    }
    out = tmp_path / "release.json"
    assert main(["contract", "ocds", str(EXAMPLE), "--out", str(out)]) == 0
    release = json.loads(out.read_text())["releases"][0]
    contract = release["contracts"][0]
    assert [m["id"] for m in contract["agreedMetrics"]] == ["K1", "K2", "K3"]
    k1 = contract["implementation"]["metrics"][0]["observations"]
    assert [o["measureClassification"]["id"] for o in k1] == [
        "met",
        "slightlyBelow",
        "slightlyBelow",
        "below",
    ]


def test_contract_yaml_problems_are_located_by_json_path(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder / "contract.yaml"
    path.write_text(path.read_text().replace("reporting: quarterly", "reporting: weekly"))
    assert "contract.yaml $.reporting" in _refused(folder, capsys)


def test_every_example_contract_follows_the_schema() -> None:
    from svengine.io.documents import parse_yaml

    for path in sorted((ROOT / "examples").rglob("contract.yaml")):
        _document, problems = parse_yaml(path.read_text(), str(path))
        assert problems == []
        read = read_contract_folder(path.parent)
        assert read.contract.id and read.contract.periods
