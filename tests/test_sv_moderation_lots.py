"""Social value moderation on a tender with lots: each row names the lot of the bid it moderates.

Hand-worked from examples/framework-multi-lot (the figures of tests/test_lots.py; EX-JOB-1 is
£31,200 an FTE-year in toms/illustrative.yaml). S1 offers 4 FTE-years in L1 and 3 in L2. The
panel reduces S1's L1 commitment to 2 FTE-years and accepts its L2 commitment as offered:
- L1: S1 2 × 31,200 = £62,400, so the highest social value of the lot is now S2's 3 × 31,200 =
  £93,600 (S5's 5 FTE-years do not count: S5 failed the pass/fail gate). Quality 35×s1/5 + 25×s2/5,
  price 30 × 1,800,000 / P, social value 10 × SV / 93,600:
  S1 48 + 28.42 + 6.67 = 83.09; S2 43 + 30 + 10 = 83.00; S3 36 + 27.14 + 6.67 (62,400) = 69.81.
- L2 as without moderation: S1 3 × 31,200 = £93,600, total 93.00; S2 76.64.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import svengine
from panel_helpers import bids as panel_bids
from panel_helpers import tender as panel_tender
from svengine.cli.main import main
from svengine.io.loaders import parse_bids
from svengine.io.moderation_csv import parse_sv_moderation_csv
from svengine.model.panel import SvModeration
from svengine.problems import InvalidInput, Problem

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "examples" / "framework-multi-lot"
HEADER = "lot,bidder,measure,decision,accepted_quantity,rationale\n"
REDUCED_AND_ACCEPTED = (
    HEADER + "L1,S1,EX-JOB-1,reduce,2,Only two posts evidenced for lot "
    "L1\nL2,S1,EX-JOB-1,accept,,Recruitment plan evidenced for lot L2\n"
)


def rows(text: str) -> list[SvModeration]:
    parsed, problems = parse_sv_moderation_csv(text, "sv_moderation.csv")
    assert not problems, problems
    return parsed


def refused(inputs: svengine.EvaluationInput, text: str) -> list[Problem]:
    with pytest.raises(InvalidInput) as error:
        svengine.evaluate(inputs.tender, inputs.bids, inputs.scores, rows(text), inputs.decisions)
    return list(error.value.problems)


@pytest.fixture(scope="module")
def framework() -> svengine.EvaluationInput:
    return svengine.load_folder(FRAMEWORK)


def folder(tmp_path: Path, moderation: str) -> Path:
    """A copy of the framework example with sv_moderation.csv (toms/ beside it, as the tender's library path needs)."""
    shutil.copytree(ROOT / "toms", tmp_path / "toms")
    target = tmp_path / "examples" / "framework"
    shutil.copytree(FRAMEWORK, target)
    (target / "sv_moderation.csv").write_text(moderation, encoding="utf-8")
    return target


def test_the_same_bidder_is_reduced_in_one_lot_and_accepted_in_the_other(
    framework: svengine.EvaluationInput,
) -> None:
    result = svengine.evaluate(
        framework.tender,
        framework.bids,
        framework.scores,
        rows(REDUCED_AND_ACCEPTED),
        framework.decisions,
    )
    l1, l2 = result.bid("S1", lot="L1").social_value, result.bid("S1", lot="L2").social_value
    assert (l1.total, l2.total) == (Decimal("62400.00"), Decimal("93600.00"))
    job1, job2 = l1.commitments[0], l2.commitments[0]
    assert job1.moderation is not None and job2.moderation is not None
    assert (
        job1.moderation.decision,
        job1.moderation.quantity_offered,
        job1.moderation.quantity_accepted,
    ) == ("reduce", 4, 2)
    assert (
        job2.moderation.decision,
        job2.moderation.quantity_offered,
        job2.moderation.quantity_accepted,
    ) == ("accept", 3, 3)
    assert job2.moderation.rationale == "Recruitment plan evidenced for lot L2"
    assert [f.code for f in result.bid("S1", lot="L1").flags if f.code == "sv_moderated"] == [
        "sv_moderated"
    ]
    assert not [
        f for f in result.bid("S1", lot="L2").flags if f.code == "sv_moderated"
    ]  # accept raises no flag
    assert result.lots is not None
    assert [lot.reference.highest_social_value for lot in result.lots] == [
        Decimal("93600.00"),
        Decimal("93600.00"),
        Decimal("31200.00"),
    ]
    got = {
        (b.lot, b.bidder_id): b.total_score
        for b in result.bids
        if b.lot in ("L1", "L2") and b.rank is not None
    }
    assert got == {
        ("L1", "S1"): Decimal("83.09"),
        ("L1", "S2"): Decimal("83.00"),
        ("L1", "S3"): Decimal("69.81"),
        ("L2", "S1"): Decimal("93.00"),
        ("L2", "S2"): Decimal("76.64"),
    }


def test_rows_are_split_per_lot() -> None:
    from svengine.scoring.award import split_lots

    inputs = svengine.load_folder(FRAMEWORK)
    parts = split_lots(inputs.tender, inputs.bids, inputs.scores, rows(REDUCED_AND_ACCEPTED))
    assert [(p.lot_id, [(m.bidder, m.decision) for m in p.sv_moderation]) for p in parts] == [
        ("L1", [("S1", "reduce")]),
        ("L2", [("S1", "accept")]),
        ("L3", []),
    ]


def test_a_row_without_its_lot_or_with_an_unknown_one_is_refused(
    framework: svengine.EvaluationInput,
) -> None:
    problems = refused(
        framework,
        HEADER + ",S1,EX-JOB-1,reject,,No lot named\nL9,S1,EX-JOB-1,reject,,No such lot\n",
    )
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("missing_lot", 2, "lot"),
        ("unknown_lot", 3, "lot"),
    ]
    assert "L1, L2, L3" in problems[1].message
    # Without the lot column at all, every row is missing its lot.
    problems = refused(
        framework,
        "bidder,measure,decision,accepted_quantity,rationale\nS1,EX-JOB-1,reject,,No lot\n",
    )
    assert [(p.code, p.location.file, p.location.line) for p in problems] == [
        ("missing_lot", "sv_moderation.csv", 2)
    ]


def test_a_row_for_a_bid_or_commitment_the_lot_lacks_is_refused_with_its_line(
    framework: svengine.EvaluationInput,
) -> None:
    # S2 bid for L1 and L2 but not L3.
    problems = refused(
        framework, REDUCED_AND_ACCEPTED + "L3,S2,EX-JOB-1,reject,,S2 did not bid here\n"
    )
    assert [(p.code, p.location.line, p.location.column, p.bidder) for p in problems] == [
        ("unknown_commitment", 4, "bidder", "S2")
    ]
    assert 'no bid from bidder "S2" in lot L3' in problems[0].message
    # B1 offers EX-SOC-1 in lot A but not in lot B: the row is checked against the bid of its own lot.
    lotted = panel_tender(
        lots=[
            {"id": "A", "title": "Lot A", "contract_value": "600000"},
            {"id": "B", "title": "Lot B", "contract_value": "400000"},
        ]
    )
    offers = [
        {"measure": "EX-JOB-1", "quantity": "4", "years": 2, "description": "Four local hires"}
    ]
    bids = parse_bids(
        [
            {
                "bidder": {"id": "B1", "name": "Bidder B1"},
                "lot": "A",
                "price": "500000",
                "social_value": [*offers, {"measure": "EX-SOC-1", "quantity": "100"}],
            },
            {
                "bidder": {"id": "B1", "name": "Bidder B1"},
                "lot": "B",
                "price": "300000",
                "social_value": offers,
            },
        ]
    )
    problems = svengine.checks.check_sv_moderation(
        lotted,
        bids,
        rows(
            HEADER
            + "A,B1,EX-SOC-1,accept,,Evidenced\nB,B1,EX-SOC-1,reject,,Not offered in this lot\n"
        ),
    )
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("unknown_commitment", 3, "measure")
    ]
    assert (
        problems[0].message
        == "bidder B1 offers no EX-SOC-1 commitment in lot B to moderate (it offers EX-JOB-1)"
    )


def test_the_same_commitment_may_be_moderated_once_in_each_lot_but_not_twice_in_one(
    framework: svengine.EvaluationInput,
) -> None:
    problems = refused(framework, REDUCED_AND_ACCEPTED + "L1,S1,EX-JOB-1,reject,,Second thoughts\n")
    assert [(p.code, p.location.line) for p in problems] == [("duplicate_moderation", 4)]
    assert "in lot L1" in problems[0].message


def test_a_lot_on_a_tender_without_lots_is_refused() -> None:
    text = HEADER + "L1,B1,EX-JOB-1,reduce,1.5,Only 1.5 FTE are evidenced\n"
    problems = svengine.checks.check_sv_moderation(
        panel_tender(), panel_bids("B1", "B2"), rows(text)
    )
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("unexpected_lot", 2, "lot")
    ]
    assert problems[0].message == 'the row names lot "L1" but the tender has no lots'


def test_evaluate_command_applies_each_lots_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = folder(tmp_path, REDUCED_AND_ACCEPTED)
    assert main(["evaluate", str(source), "--out", str(tmp_path / "out")]) == 0
    result = json.loads((tmp_path / "out" / "result.json").read_text())
    totals = {
        (b["lot"], b["bidder_id"]): b["social_value"]["total"]
        for b in result["bids"]
        if b["bidder_id"] == "S1"
    }
    assert totals == {("L1", "S1"): "62400.00", ("L2", "S1"): "93600.00", ("L3", "S1"): "31200.00"}
    capsys.readouterr()


def test_evaluate_command_refuses_a_row_without_its_lot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = folder(
        tmp_path,
        "bidder,measure,decision,accepted_quantity,rationale\nS1,EX-JOB-1,reject,,No lot\n",
    )
    assert main(["evaluate", str(source), "--out", str(tmp_path / "out")]) == 1
    out, err = capsys.readouterr()
    assert (
        "sv_moderation.csv:2 (lot): the tender has lots (L1, L2, L3); every moderation row needs "
        "the lot column [bidder S1]" in out + err
    )
    assert not (tmp_path / "out" / "result.json").exists()


def panel_scores(source: Path) -> None:
    """scores.csv rewritten as two evaluators' rows (gates stay one verdict); BK marks L2 S1 Q1 three lower."""
    with (source / "scores.csv").open(encoding="utf-8", newline="") as handle:
        original = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lot", "bidder", "criterion", "evaluator", "score", "comment"])
    for row in original:
        if row["criterion"] == "PF1":
            writer.writerow(
                [row["lot"], row["bidder"], row["criterion"], "", row["score"], row["comment"]]
            )
            continue
        bk = (
            int(row["score"]) - 3
            if (row["lot"], row["bidder"], row["criterion"]) == ("L2", "S1", "Q1")
            else int(row["score"])
        )
        writer.writerow([row["lot"], row["bidder"], row["criterion"], "AH", row["score"], "AH"])
        writer.writerow([row["lot"], row["bidder"], row["criterion"], "BK", bk, "BK"])
    (source / "scores.csv").write_text(out.getvalue(), encoding="utf-8")


def test_panel_command_lists_each_lots_bids_apart_with_their_moderation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = folder(tmp_path, REDUCED_AND_ACCEPTED)
    panel_scores(source)
    assert main(["panel", str(source)]) == 0
    out = capsys.readouterr().out
    # L1..L3: S1 Q1,Q2 in three lots, S2 in two, S3 in two, S4 in two, S5 in one, S6 in one = 11 bids × 2 criteria.
    assert "22 bid × criterion cells; 1 with a spread above" in out
    # The disagreement (spread 3 = 60% of 0-5, above the default 40%) is listed first: L2 S1 Q1 (AH 4, BK 1),
    # apart from S1's Q1 in L1 (AH 4, BK 4), never one cell of both lots.
    lines = [line.split() for line in out.splitlines()]
    assert lines[5][:6] == ["L2", "S1", "Q1", "4", "1", "3"]
    assert ["L1", "S1", "Q1", "4", "4", "0"] in [line[:6] for line in lines]
    assert main(["panel", str(source), "--out", str(tmp_path / "sheet")]) == 0
    capsys.readouterr()
    workbook = load_workbook(tmp_path / "sheet" / "moderation.xlsx")
    moderation = list(workbook["Moderation"].iter_rows(min_row=3, values_only=True))
    assert moderation[0][:3] == ("Lot", "Bidder", "Bidder name")
    assert moderation[1][0] == "L2" and moderation[1][1] == "S1"
    sheet = list(workbook["Social value"].iter_rows(min_row=3, values_only=True))
    assert sheet[0][:2] == ("Lot", "Bidder")
    s1 = {r[0]: (r[3], r[6], r[9], r[10]) for r in sheet[1:] if r[1] == "S1"}
    assert s1 == {
        "L1": ("EX-JOB-1", 4, "reduce", 2),
        "L2": ("EX-JOB-1", 3, "accept", None),
        "L3": ("EX-JOB-1", 1, None, None),
    }


def test_robustness_command_scores_each_lot_as_moderated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = folder(tmp_path, REDUCED_AND_ACCEPTED)
    assert main(["robustness", str(source), "--out", str(tmp_path / "out"), "--samples", "50"]) == 0
    capsys.readouterr()
    report = json.loads((tmp_path / "out" / "robustness.json").read_text())
    ranking = {
        lot["lot"]["id"]: [(b["bidder_id"], b["total_score"]) for b in lot["result"]["ranking"]]
        for lot in report["lots"]
    }
    assert ranking["L1"] == [("S1", "83.09"), ("S2", "83.00"), ("S3", "69.81")]
    assert ranking["L2"] == [("S1", "93.00"), ("S2", "76.64")]
