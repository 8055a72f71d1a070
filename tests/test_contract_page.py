"""contract-report.html (issue 17, "Reports"): what a reader of the page sees, from the example."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from svengine.cli.main import main
from svengine.contract.rating import CATEGORY, DEFINITION

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "contract-housing-repairs"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report")
    assert main(["contract", "report", str(EXAMPLE), "--out", str(out), "--force"]) == 0
    return html.unescape((out / "contract-report.html").read_text(encoding="utf-8"))


def test_the_page_gives_the_regulations_ratings_with_their_descriptions(page: str) -> None:
    assert "The ratings (Procurement Regulations 2024, reg. 39(5))" in page
    for rating, words in DEFINITION.items():
        assert CATEGORY[rating] in page and words in page
    # legislation.gov.uk/uksi/2024/692/regulation/39/made, the first two rows word for word:
    assert (
        DEFINITION["good"] == "Performance is meeting or exceeding the key performance indicators"
    )
    assert DEFINITION["approaching_target"] == (
        "Performance is close to meeting the key performance indicators"
    )


def test_the_kpi_history_is_in_words(page: str) -> None:
    # K1 in examples/contract-housing-repairs/kpis: 96, 94, 91, 88 against 95 (5% / 20%).
    assert "Requires improvement" in page and "Approaching target" in page
