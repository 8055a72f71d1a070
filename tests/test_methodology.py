"""The published methodology is generated from the Tender the engine computes with, so they cannot drift."""

from __future__ import annotations

import html.parser
from fractions import Fraction
from pathlib import Path

from analysis_fixtures import EXAMPLES, tender
from svengine import load_tender
from svengine.cli.main import main
from svengine.report.methodology import (
    illustrative_prices,
    render_methodology,
    worked_price_example,
)
from svengine.scoring.price import price_points


def test_housing_example_publishes_blocks_criteria_thresholds_and_rules() -> None:
    text = render_methodology(load_tender(EXAMPLES / "housing-repairs" / "tender.yaml"), "markdown")
    assert "| quality | 60 | absolute |" in text
    assert "| price | 30 | lowest relative |" in text
    assert "| Q1 | Method statement | 25 | 5 | 2 |" in text
    assert "| Q3 | Customer care | 15 | 10 | none |" in text
    # min_total_pct 50 of the 60 quality points available
    assert (
        "fewer than 50% of the 60 quality points available (that is, T below 30) is excluded"
        in text
    )
    assert "price score = 30 × P_min / P" in text
    assert "social value points = 6 × SV / SV_max" in text
    assert "rounded to 2 decimal places, halves rounded up" in text
    assert (
        "Equal totals are decided by the higher quality score, then the higher price score, then "
        "the higher social value score." in text
    )
    # the allowed measures are the whole illustrative library (no allowed list in this tender)
    assert (
        "| EX-JOB-1 | Jobs | Local people (FTE) employed on the contract | FTE-year | 31,200.00 | "
        "quantity per year × years |" in text
    )


def test_worked_example_by_hand_for_lowest_relative() -> None:
    # 90%, 100% and 115% of the contract value 4,800,000; 30 × 4,320,000 / P, rounded half up to 2 places.
    example = worked_price_example(load_tender(EXAMPLES / "housing-repairs" / "tender.yaml"))
    assert [(str(e.price), e.points, str(e.published)) for e in example] == [
        ("4320000", Fraction(30), "30.00"),
        ("4800000", Fraction(27), "27.00"),
        ("5520000", Fraction(30 * 4320000, 5520000), "23.48"),
    ]
    text = render_methodology(load_tender(EXAMPLES / "housing-repairs" / "tender.yaml"), "markdown")
    assert "| Bid C | 5,520,000.00 | 30 × 4,320,000.00 / 5,520,000.00 | 23.47826… | 23.48 |" in text


def test_worked_example_numbers_are_the_engines_price_function() -> None:
    for name in ("housing-repairs", "highways-lot"):
        t = load_tender(EXAMPLES / name / "tender.yaml")
        prices = [Fraction(p) for _, p in illustrative_prices(t)]
        for entry in worked_price_example(t):
            assert entry.points == price_points(
                t.price, Fraction(t.weights.price), Fraction(entry.price), prices
            )


def test_reference_linear_example_shows_the_clamp_at_both_bounds() -> None:
    t = tender(price={"method": "reference_linear", "ceiling": "1200", "floor": "800"})
    # 50 × clamp((1200 − P) / 400, 0, 1): below the floor 50, at 900 37.5, at 1100 12.5, above the ceiling 0.
    example = worked_price_example(t)
    assert [(str(e.price), str(e.published)) for e in example] == [
        ("780", "50.00"),
        ("900", "37.50"),
        ("1100", "12.50"),
        ("1220", "0.00"),
    ]
    assert "Ceiling 1,200.00 GBP (0 points at or above it); floor 800.00 GBP" in render_methodology(
        t, "markdown"
    )


def test_changing_a_weight_changes_the_text() -> None:
    before = render_methodology(tender(), "markdown")
    after = render_methodology(
        tender(
            weights={"quality": 40, "price": 60, "social_value": 0},
            quality={
                "method": "absolute",
                "scale_max": 5,
                "criteria": [{"id": "Q1", "title": "Method", "weight": 40}],
            },
        ),
        "markdown",
    )
    assert "## Price (50 points)" in before and "## Price (60 points)" in after
    assert "price score = 60 × P_min / P" in after
    assert "| Q1 | Method | 40 | 5 | none |" in after


def test_percent_of_block_weights_are_shown_with_their_points() -> None:
    t = tender(
        weights={"quality": 60, "price": 40, "social_value": 0},
        quality={
            "method": "relative_to_best",
            "scale_max": 5,
            "weights_basis": "percent_of_block",
            "criteria": [
                {"id": "Q1", "title": "Method", "weight": 75},
                {"id": "Q2", "title": "Team", "weight": 25},
            ],
        },
    )
    text = render_methodology(t, "markdown")
    assert "| Q1 | Method | 75% | 45 | 5 | none |" in text  # 60 × 75 / 100
    assert "| Q2 | Team | 25% | 15 | 5 | none |" in text
    assert "quality score = 60 × T / T_best" in text


def test_social_value_target_and_allowed_measures() -> None:
    text = render_methodology(load_tender(EXAMPLES / "highways-lot" / "tender.yaml"), "markdown")
    assert "social value points = 10 × min(additionality / 20%, 1)" in text
    assert "Only these measures count" in text
    assert (
        "| EX-JOB-1 |" in text and "| EX-JOB-3 |" not in text
    )  # EX-JOB-3 is not on the allowed list
    assert "rounded to the even neighbour" in text


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_everything_and_loads_nothing_external() -> None:
    hostile = '<script>alert("x")</script> & <img src=http://evil.example/x.png>'
    page = render_methodology(tender(title=hostile, description="A | B <b>bold</b>"), "html")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=http://evil.example/x.png&gt;"
        in page
    )
    parser = _Collector()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert tags <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "h3",
        "p",
        "pre",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    assert all(not ({"src", "href"} & set(attrs)) for _, attrs in parser.tags)
    assert "url(" not in page and "@import" not in page
    assert hostile in "".join(parser.text)  # the reader sees the title exactly as written


def test_markdown_table_cells_cannot_break_the_table() -> None:
    t = tender(
        quality={
            "method": "absolute",
            "scale_max": 5,
            "criteria": [{"id": "Q1", "title": "Cost | quality", "weight": 50}],
        }
    )
    assert "| Q1 | Cost \\| quality | 50 | 5 | none |" in render_methodology(t, "markdown")


def test_cli_writes_markdown_and_html_chosen_by_extension(tmp_path: Path, capsys: object) -> None:
    source = str(EXAMPLES / "housing-repairs" / "tender.yaml")
    assert main(["methodology", source, "--out", str(tmp_path / "m.md")]) == 0
    assert main(["methodology", source, "--out", str(tmp_path / "m.html")]) == 0
    assert (
        (tmp_path / "m.md")
        .read_text(encoding="utf-8")
        .startswith("# Evaluation method: HR-2026-014")
    )
    assert (tmp_path / "m.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["methodology", source, "--out", str(tmp_path / "m.pdf")]) == 2
    assert not (tmp_path / "m.pdf").exists()


def test_cli_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "m.md"
    out.write_text("keep me", encoding="utf-8")
    source = str(EXAMPLES / "housing-repairs" / "tender.yaml")
    assert main(["methodology", source, "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["methodology", source, "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Evaluation method")
    assert [p.name for p in tmp_path.iterdir()] == ["m.md"]  # no temporary file left behind


def test_cli_invalid_tender_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "tender.yaml"
    bad.write_text("id: X\ntitle: broken\n", encoding="utf-8")
    assert main(["methodology", str(bad), "--out", str(tmp_path / "m.md")]) == 1
    assert not (tmp_path / "m.md").exists()
