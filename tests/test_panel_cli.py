"""The grounds maintenance example end to end: `svengine evaluate`, `svengine panel` and moderation.xlsx.

Hand-worked figures (examples/panel-grounds-maintenance, proxies from toms/illustrative.yaml):
- G2 Q1: AH 2, BK 4, CM 5 -> mean 11/3, spread 3 = 60% of 0-5 > 40%: flagged; consensus 4 ->
  25 × 4 / 5 = 20 points. G2 quality = 20 + 15 × 4/5 + 10 × 3/5 = 38.
- G1 EX-JOB-1 offered 4 FTE-years × 4 years, reduced to 2 at moderation: 2 × 4 × 31,200 = 249,600;
  EX-JOB-6 46 × 4 × 245 = 45,080; EX-SOC-1 80 × 4 × 17.50 = 5,600; total 300,280.
- G4 EX-ENV-3 (500 trees a year, no description) rejected: 0; EX-JOB-1 2 × 4 × 31,200 = 249,600;
  EX-SOC-4 4 × 4 × 185 = 2,960; total 252,560.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from panel_helpers import EXAMPLE, ROOT
from svengine.cli.main import main
from svengine.io.loaders import load_folder
from svengine.io.schemas import result_schema
from svengine.scoring.evaluate import evaluate


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def example_result() -> dict:  # type: ignore[type-arg]
    inputs = load_folder(EXAMPLE)
    return json.loads(
        evaluate(inputs.tender, inputs.bids, inputs.scores, inputs.sv_moderation).to_json()
    )


def test_the_example_evaluates_with_its_panel_trail_and_moderation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, _ = run(capsys, "evaluate", str(EXAMPLE), "--out", str(tmp_path))
    assert code == 0
    result = json.loads((tmp_path / "result.json").read_text())
    jsonschema.validate(result, result_schema())
    bids = {b["bidder_id"]: b for b in result["bids"]}
    q1 = bids["G2"]["quality"]["criteria"][0]
    assert (q1["score"], q1["points"], q1["panel"]["mean"], q1["panel"]["spread_pct"]) == (
        "4",
        "20",
        "11/3",
        "60",
    )
    assert q1["panel"]["rationale"].startswith("AH's Sunday staffing concern")
    assert bids["G2"]["quality"]["score"] == "38.00"
    assert [f["code"] for f in bids["G2"]["flags"]] == ["spread"]
    assert [f["code"] for f in bids["G4"]["flags"]] == ["spread", "sv_moderated"]
    job = bids["G1"]["social_value"]["commitments"][0]
    assert job["quantity"] == "2" and job["value"] == "249600.00"
    assert job["moderation"] == {
        "decision": "reduce",
        "quantity_offered": "4",
        "quantity_accepted": "2",
        "rationale": "Only the two posts made permanent are evidenced; the two 'to be confirmed' "
        "posts have no supporting description",
    }
    assert bids["G1"]["social_value"]["total"] == "300280.00"
    assert bids["G4"]["social_value"]["total"] == "252560.00"
    assert result["panel"]["disagreements"] == 2 and result["panel"]["flags"] == []
    # G3 Q3: AH 3, BK 5 -> spread 2 = exactly 40%: not a disagreement.
    assert bids["G3"]["quality"]["criteria"][2]["panel"]["disagreement"] is False


def test_result_json_holds_no_moderation_metadata() -> None:
    text = json.dumps(example_result())
    for word in ("moderated_by", "moderator", "moderated_on", "date", "time"):
        assert f'"{word}"' not in text


def test_the_example_result_does_not_depend_on_row_order(tmp_path: Path) -> None:
    folder = tmp_path / "shuffled"
    shutil.copytree(EXAMPLE, folder)
    lines = (folder / "scores.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "scores.csv").write_text(lines[0] + "".join(reversed(lines[1:])), encoding="utf-8")
    (folder / "tender.yaml").write_text(
        (EXAMPLE / "tender.yaml").read_text().replace("../../toms", str(ROOT / "toms"))
    )
    inputs = load_folder(folder)
    assert (
        json.loads(
            evaluate(inputs.tender, inputs.bids, inputs.scores, inputs.sv_moderation).to_json()
        )
        == example_result()
    )


def test_panel_prints_the_moderation_sheet_disagreements_first_without_prices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "panel", str(EXAMPLE))
    assert code == 0
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("bidder"))
    body = lines[header + 2 :]
    assert len(body) == 16
    assert body[0].split()[:8] == ["G2", "Q1", "2", "4", "5", "3", "(60.00%)", "DISAGREE"]
    assert body[1].split()[:7] == ["G4", "SV1", "-", "1", "4", "3", "(60.00%)"]
    assert all("DISAGREE" not in line for line in body[2:])
    for price in ("2310000", "2,310,000", "2195000", "2,195,000", "2150000", "2390000"):
        assert price not in out


def test_panel_works_before_moderation_but_evaluate_does_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "before"
    shutil.copytree(EXAMPLE, folder)
    (folder / "tender.yaml").write_text(
        (EXAMPLE / "tender.yaml").read_text().replace("../../toms", str(ROOT / "toms"))
    )
    rows = (folder / "scores.csv").read_text().splitlines(keepends=True)
    (folder / "scores.csv").write_text("".join(r for r in rows if ",consensus," not in r))
    code, out, _ = run(capsys, "panel", str(folder))
    assert code == 0 and "?" in out.splitlines()[5]
    code, _, err = run(capsys, "evaluate", str(folder))
    assert code == 1
    assert err.count("no consensus score for bidder") == 16


def test_every_problem_in_a_folder_is_reported_together(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(EXAMPLE, folder)
    tender = (EXAMPLE / "tender.yaml").read_text().replace("../../toms", str(ROOT / "toms"))
    tender = tender.replace(
        "{id: BK, criteria: [Q1, Q3, SV1], conflict_declared: true}",
        "{id: BK, criteria: [Q1, Q3, SV1]}",
    )
    (folder / "tender.yaml").write_text(tender)
    with (folder / "scores.csv").open("a") as stream:
        stream.write("G1,Q2,BK,3,not assigned\nG1,Q1,AH,4,twice\nG1,Q1,XY,4,\nG2,Q3,AH,7,\n")
    with (folder / "sv_moderation.csv").open("a") as stream:
        stream.write("G3,EX-GRO-1,reject,,not offered\n")
    code, _, err = run(capsys, "evaluate", str(folder))
    assert code == 1
    for text in (
        "tender.yaml:",  # then the line and column of the evaluator, and the JSON path
        "$.panel.evaluators[1].conflict_declared",
        "scores.csv:54: evaluator BK scored Q2, which is not assigned to them (assigned: Q1, Q3, SV1)",
        "scores.csv:55: evaluator AH scored this bid and criterion twice (first given at",
        'scores.csv:56: evaluator "XY" is not on the panel',
        "scores.csv:57: criterion Q3",
        "score 7 is above the maximum of 5",
        "scores.csv:57: evaluator AH scored this bid and criterion twice (first given at",
        "broken/scores.csv:22)",
        "sv_moderation.csv:5 (measure): bidder G3 offers no EX-GRO-1 commitment",
    ):
        assert text in err, text
    assert err.startswith("7 problems found")


def test_moderation_xlsx_is_written_once_and_holds_text_as_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "injection"
    shutil.copytree(EXAMPLE, folder)
    (folder / "tender.yaml").write_text(
        (EXAMPLE / "tender.yaml").read_text().replace("../../toms", str(ROOT / "toms"))
    )
    scores = (
        (folder / "scores.csv")
        .read_text()
        .replace(
            "Sunday litter round looks unstaffed", '"=HYPERLINK(""http://x.invalid"",""click"")"'
        )
    )
    (folder / "scores.csv").write_text(
        scores.replace("Adequate programme with volunteer support", "+44 1234 cmd|' /C calc'!A0")
    )
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, "panel", str(folder), "--out", str(out))
    assert code == 0 and stdout.strip() == f"wrote {out / 'moderation.xlsx'}"
    code, _, err = run(capsys, "panel", str(folder), "--out", str(out))
    assert code == 1 and "already exists" in err
    assert run(capsys, "panel", str(folder), "--out", str(out), "--force")[0] == 0

    workbook = load_workbook(out / "moderation.xlsx")
    assert workbook.sheetnames == ["Moderation", "Social value"]
    sheet = workbook["Moderation"]
    headers = [c.value for c in sheet[3]]
    assert headers[:8] == [
        "Bidder",
        "Bidder name",
        "Criterion",
        "Criterion title",
        "Max",
        "AH",
        "BK",
        "CM",
    ]
    first = dict(zip(headers, sheet[4], strict=True))
    assert (first["Bidder"].value, first["Criterion"].value, first["Disagreement"].value) == (
        "G2",
        "Q1",
        "yes",
    )
    assert (
        first["AH"].value,
        first["Spread %"].value,
        first["Mean"].value,
        first["Consensus"].value,
    ) == (2, 60, "11/3", 4)
    comment = first["AH comment"]
    assert comment.value == '=HYPERLINK("http://x.invalid","click")' and comment.data_type == "s"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert "Price" not in headers
    social = workbook["Social value"]
    rows = [[c.value for c in row] for row in social.iter_rows(min_row=4)]
    g1_job = next(r for r in rows if r[0] == "G1" and r[2] == "EX-JOB-1")
    assert (g1_job[5], g1_job[8], g1_job[9]) == (4, "reduce", 2)


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; the recalculation check needs it",
)
def test_libreoffice_reads_evaluator_text_as_text_not_formulas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "injection"
    shutil.copytree(EXAMPLE, folder)
    (folder / "tender.yaml").write_text(
        (EXAMPLE / "tender.yaml").read_text().replace("../../toms", str(ROOT / "toms"))
    )
    scores = (
        (folder / "scores.csv").read_text().replace("Sunday litter round looks unstaffed", '"=1+1"')
    )
    (folder / "scores.csv").write_text(scores)
    assert run(capsys, "panel", str(folder), "--out", str(tmp_path))[0] == 0
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "moderation.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with (tmp_path / "moderation.csv").open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    headers = rows[2]
    g2 = dict(zip(headers, rows[3], strict=True))
    assert g2["AH comment"] == "=1+1"  # evaluated, it would read 2
    assert (g2["AH"], g2["Mean"], g2["Consensus"]) == ("2", "11/3", "4")


def test_plain_examples_have_no_panel() -> None:
    inputs = load_folder(ROOT / "examples" / "housing-repairs")
    result = evaluate(inputs.tender, inputs.bids, inputs.scores)
    assert result.panel is None and inputs.sv_moderation == ()
    assert Decimal(str(result.bids[0].total_score)) == Decimal("82.97")  # README table, unchanged


def test_published_schemas_know_the_panel() -> None:
    written = json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8"))
    assert written == result_schema()  # regenerate with python -m svengine.io.schemas
    tender_schema = json.loads(
        (ROOT / "schemas" / "tender.schema.json").read_text(encoding="utf-8")
    )
    panel = tender_schema["properties"]["panel"]
    assert panel["additionalProperties"] is False
    assert set(panel["properties"]) == {
        "aggregate",
        "spread_tolerance_pct",
        "bias_tolerance_pct",
        "min_evaluators",
        "evaluators",
    }
    assert tender_schema["$defs"]["evaluator"]["additionalProperties"] is False


def test_json_scores_may_name_their_evaluator() -> None:
    from svengine.io.loaders import parse_scores

    rows = parse_scores(
        [
            {"bidder": "B1", "criterion": "Q1", "score": "3", "evaluator": "AH"},
            {
                "bidder": "B1",
                "criterion": "Q1",
                "score": 3,
                "evaluator": "consensus",
                "comment": "why",
            },
        ]
    )
    assert [r.evaluator for r in rows] == ["AH", "consensus"]


def test_validate_reads_the_moderation_file_as_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "validate", str(EXAMPLE / "sv_moderation.csv"))
    assert (code, out.strip()) == (
        0,
        f"{EXAMPLE / 'sv_moderation.csv'}: valid social value moderation file",
    )
    bad = tmp_path / "sv_moderation.csv"
    bad.write_text("bidder,measure,decision\nG1,EX-JOB-1,maybe\n")
    code, _, err = run(capsys, "validate", str(bad))
    assert (
        code == 1
        and "sv_moderation.csv:2 (decision): decision must be one of: accept, reduce, reject" in err
    )


def test_panel_refuses_a_folder_without_panel_scores(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "panel", str(ROOT / "examples" / "housing-repairs"))
    assert code == 1 and "the scores name no evaluator and the tender declares no panel" in err


def test_panel_sheet_for_a_mean_tender_has_no_consensus(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "mean"
    shutil.copytree(EXAMPLE, folder)
    tender = (
        (EXAMPLE / "tender.yaml")
        .read_text()
        .replace("../../toms", str(ROOT / "toms"))
        .replace("aggregate: consensus", "aggregate: mean")
    )
    (folder / "tender.yaml").write_text(tender)
    rows = (folder / "scores.csv").read_text().splitlines(keepends=True)
    (folder / "scores.csv").write_text("".join(r for r in rows if ",consensus," not in r))
    code, out, _ = run(capsys, "panel", str(folder))
    assert code == 0 and "aggregate: mean" in out
    assert out.splitlines()[5].split()[:10] == [
        "G2",
        "Q1",
        "2",
        "4",
        "5",
        "3",
        "(60.00%)",
        "DISAGREE",
        "3.67",  # the mean 11/3 for people (display.quantity); result.json keeps 11/3
        "-",
    ]
    inputs = load_folder(folder)
    result = evaluate(inputs.tender, inputs.bids, inputs.scores, inputs.sv_moderation)
    # G2 quality with means: Q1 25 × (11/3)/5 = 55/3; Q2 15 × 4/5 = 12; Q3 10 × 3/5 = 6 -> 109/3 = 36.33
    assert result.bid("G2").quality.points == "109/3" and result.bid("G2").quality.score == Decimal(
        "36.33"
    )
