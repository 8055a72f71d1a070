"""Assessment summaries never show another supplier; the award report holds the decision for sign-off."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import REPO
from svengine.cli.main import main
from svengine.model.result import Result
from svengine.report.summaries import summaries

FRAMEWORK = REPO / "examples" / "framework-multi-lot"


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fw") / "out"
    assert main(["evaluate", str(FRAMEWORK), "--out", str(out), "--no-workbook"]) == 0
    return out


def _secrets(folder: Path) -> dict[str, list[str]]:
    """Every string that identifies a supplier or its tender, read from the inputs (not from the engine).

    Prices are matched as whole numbers (1,450,000 does not contain the price 450,000)."""
    found: dict[str, list[str]] = {}
    for path in sorted((folder / "bids").glob("*.json")):
        bid = json.loads(path.read_text(encoding="utf-8"))
        who = bid["bidder"]["id"]
        price = bid["price"]
        whole = price.split(".")[0]
        strings = found.setdefault(who, [bid["bidder"]["name"]])
        strings += [price, whole, f"{int(whole):,}", f"{int(whole):,}.00"]
        strings += [c["description"] for c in bid.get("social_value", [])]
    for line in (folder / "scores.csv").read_text(encoding="utf-8").splitlines()[1:]:
        who, comment = line.split(",")[1], line.split(",", 4)[4].strip('"')
        found[who].append(comment)
    return found


@pytest.mark.parametrize("include_winner", [False, True])
def test_no_summary_shows_anything_of_another_supplier(
    evaluated: Path, tmp_path: Path, include_winner: bool
) -> None:
    out = tmp_path / "summaries"
    assert (
        main(
            [
                "summaries",
                str(evaluated),
                "--out",
                str(out),
                *(["--include-winner"] if include_winner else []),
            ]
        )
        == 0
    )
    secrets = _secrets(FRAMEWORK)
    files = sorted(out.iterdir())
    assert [f.name for f in files] == sorted(
        f"{who}{ext}" for who in secrets for ext in (".md", ".html")
    )
    for file in files:
        own = file.stem
        text = file.read_text(encoding="utf-8")
        import html

        plain = html.unescape(text)
        assert secrets[own][0] in plain  # its own name is there
        for other, strings in secrets.items():
            if other == own:
                continue
            assert not re.search(rf"\b{re.escape(other)}\b", plain), (file.name, other)
            for secret in strings:
                assert not re.search(rf"(?<![\d,.]){re.escape(secret)}(?![\d])", plain), (
                    file.name,
                    other,
                    secret,
                )


def test_summary_content_for_a_supplier_passed_over_by_the_lot_limit(evaluated: Path) -> None:
    result = Result.model_validate_json((evaluated / "result.json").read_bytes())
    s1 = summaries(result, include_winner=True)["S1"].markdown()
    assert (
        "| Q1 | Method and programme | 35 | 5 | - |" in s1
    )  # the criteria with their weights and maxima
    assert (
        "| Q1 | Method and programme | 4 of 5 | 28 | Good: detailed and credible (S1 method, lot L1) |"
        in s1
    )
    assert "| total | 76.75 |" in s1 and "Your tender ranked 1 of 4 ranked tenders." in s1
    assert "at most 2 lots" in s1
    # L3's successful tender (S6, rank 2): its scores, never its name or price.
    assert "| total | 71.00 | 76.75 |" in s1
    s5 = summaries(result)["S5"].markdown()
    assert "failed the pass/fail criterion PF1" in s5 and "| PF1 | Insurance cover" in s5


def test_html_is_escaped_and_self_contained(tmp_path: Path) -> None:
    from svengine.report.document import Document

    doc = Document("Summary <script>alert(1)</script>")
    doc.table(["a"], [["<img src=x onerror=alert(1)> | pipe"]])
    page, markdown = doc.html(), doc.markdown()
    assert "<script>" not in page and "<img" not in page and "&lt;img src=x" in page
    assert not re.search(r"<[^>]*\s(src|href)=", page) and "http" not in page
    assert "<img" not in markdown and "\\| pipe" in markdown


def test_outputs_are_refused_when_they_exist_unless_forced(
    evaluated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s"
    out.mkdir()
    (out / "S3.html").write_text("keep", encoding="utf-8")
    assert main(["summaries", str(evaluated), "--out", str(out)]) == 1
    assert (
        sorted(p.name for p in out.iterdir()) == ["S3.html"]
        and (out / "S3.html").read_text() == "keep"
    )
    assert main(["summaries", str(evaluated), "--out", str(out), "--force"]) == 0
    assert len(list(out.iterdir())) == 12
    report = tmp_path / "r" / "report.md"
    assert main(["award-report", str(evaluated), "--out", str(report)]) == 0
    assert main(["award-report", str(evaluated), "--out", str(report)]) == 1
    assert "already exist" in capsys.readouterr().err


def test_award_report(evaluated: Path, tmp_path: Path) -> None:
    assert main(["award-report", str(evaluated), "--out", str(tmp_path / "report.md")]) == 0
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "- S4 Dunmore Facilities Ltd: tender disregarded (late)" in text
    assert "- S5 Elmstead Construction plc: failed the pass/fail criterion PF1" in text
    assert "| L3 | S6 | Fenwick Community Works CIC | 2 |" in text
    assert "abnormally_low_accepted" in text
    # 11 tenders from 6 suppliers; SME tenders: S2×2, S3×2, S4×2, S6 = 7; VCSE: S6. Appointed: S1,
    # S2, S6, S3 (SME: S2, S3, S6).
    assert "Tenders: 11 (9 ranked, 2 excluded); suppliers: 6" in text
    assert "SME tenders: 7 (micro 0); VCSE tenders: 1" in text
    assert "Appointed suppliers: 4, of which SME 3 and VCSE 1" in text
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_unsafe_bidder_ids_are_refused_as_file_names(evaluated: Path, tmp_path: Path) -> None:
    document = json.loads((evaluated / "result.json").read_text(encoding="utf-8"))
    document["bids"][0]["bidder_id"] = "../evil"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "result.json").write_text(json.dumps(document), encoding="utf-8")
    assert main(["summaries", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()
