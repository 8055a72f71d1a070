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
    s1 = summaries(result)["S1"].markdown()
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
    assert "| L3 | S6 Fenwick Community Works CIC | 2 |" in text
    assert "S6 (abnormally low accepted): the price was accepted after explanation" in text
    # 11 tenders from 6 suppliers; SME tenders: S2×2, S3×2, S4×2, S6 = 7; VCSE: S6. Appointed: S1,
    # S2, S6, S3 (SME: S2, S3, S6).
    assert "Tenders: 11 (9 ranked, 2 excluded); suppliers: 6" in text
    assert "SME tenders: 7 (micro 0); VCSE tenders: 1" in text
    assert "Appointed suppliers: 4, of which SME 3 and VCSE 1" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # exactly the file asked


def test_award_report_is_in_words_for_sign_off(evaluated: Path) -> None:
    from datetime import date

    from svengine.report.award_report import award_report

    result = Result.model_validate_json((evaluated / "result.json").read_bytes())
    doc = award_report(result, on=date(2026, 3, 2))
    text = doc.markdown()
    for code in ("lowest_relative", "appoint_all", "below_cutoff", "lot_value_desc", "absolute"):
        assert code not in text, code
    assert not re.search(r"\bsme\b|pa2023|local_government|not stated|not_appointed", text)
    assert "Report date: 2 March 2026. Contract value £4,000,000.00." in text
    assert "lowest price scores full marks, others in proportion" in text
    assert "Ties at the last place: every tender level with the last place is appointed." in text
    assert "Procurement rules: Procurement Act 2023." in text
    # Figures right-aligned, money with its symbol and two places, decisions in words.
    assert "|---:|---|---:|---:|---:|---:|---:|---:|---|" in text
    assert (
        "| 3 | S3 Castle Building Contractors Ltd (small or medium-sized) | 36.00 | 27.14 | 5.00"
        " | 68.14 | £1,990,000.00 | £62,400.00 | not appointed (not among the places awarded) |"
    ) in text
    # The abnormally-low flag as people read it (result.json keeps 35.714285…).
    assert "35.71% below the mean of the other valid bids (466,666.67)" in text
    assert "…" not in text
    # The sign-off block: roles, with names, signatures and dates to fill in.
    sign_off = text[text.index("## Sign-off") :]
    assert "| role | name | signature | date |" in sign_off
    assert "| Evaluation lead |  |  |  |" in sign_off
    assert "| Budget holder (approves the award) |  |  |  |" in sign_off
    page = doc.html()
    assert '<td class="r">£1,990,000.00</td>' in page and "table{max-width:100%" in page


def test_award_report_format_follows_the_suffix_and_writes_exactly_that_file(
    evaluated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["award-report", str(evaluated), "--out", str(tmp_path / "award.html")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["award.html"]
    assert (tmp_path / "award.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert capsys.readouterr().out == f"wrote {tmp_path / 'award.html'}\n"
    assert main(["award-report", str(evaluated), "--out", str(tmp_path / "award.md")]) == 0
    assert (tmp_path / "award.md").read_text(encoding="utf-8").startswith("# Award report:")
    assert main(["award-report", str(evaluated), "--out", str(tmp_path / "award.pdf")]) == 1
    assert "must end in .html (a web page) or .md (Markdown)" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["award.html", "award.md"]


def test_summaries_give_the_successful_tender_by_default_as_reg_31_requires(
    evaluated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = Result.model_validate_json((evaluated / "result.json").read_bytes())
    s3 = summaries(result)["S3"].markdown()
    lot1 = s3[s3.index("## Lot L1") : s3.index("## Lot L3")]
    # S3 was passed over in L1, won by S1: S1's scores per criterion with the panel's explanation
    # (its id taken out), its block sub-totals and its total; never its name or id.
    assert "reg. 31(3)(d)" in lot1
    assert (
        "| Q1 | Method and programme | 4 of 5 | 28 | 21 | Good: detailed and credible"
        " (the successful supplier method, lot L1) |"
    ) in lot1
    assert "| total | 86.42 | 68.14 |" in lot1 and "| price | 28.42 | 27.14 |" in lot1
    assert not re.search(r"\bS1\b|Acme", s3)
    assert (
        "Your tender was not appointed: only the 2 highest-ranked tenders in the lot are appointed,"
        " and yours ranked 3." in lot1
    )
    assert "did not rank within" not in s3
    # In L3 S3 was appointed: no successful tender's scores there.
    assert "successful tender" not in s3[s3.index("## Lot L3") :]
    # The old flag is accepted, changes nothing and says so.
    for flags in ([], ["--include-winner"]):
        out = tmp_path / ("with" if flags else "without")
        assert main(["summaries", str(evaluated), "--out", str(out), *flags]) == 0
    assert "--include-winner is no longer needed" in capsys.readouterr().err
    assert (tmp_path / "with" / "S3.md").read_text(encoding="utf-8") == (
        tmp_path / "without" / "S3.md"
    ).read_text(encoding="utf-8")


def test_unsafe_bidder_ids_are_refused_as_file_names(evaluated: Path, tmp_path: Path) -> None:
    document = json.loads((evaluated / "result.json").read_text(encoding="utf-8"))
    document["bids"][0]["bidder_id"] = "../evil"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "result.json").write_text(json.dumps(document), encoding="utf-8")
    assert main(["summaries", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()
