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


def test_the_charts_are_drawn_inline_and_fetch_nothing_in_a_real_browser(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("no /usr/bin/chromium (.ci/run installs the Debian package chromium)")
    out = tmp_path_factory.mktemp("browser")
    assert main(["contract", "report", str(EXAMPLE), "--out", str(out)]) == 0
    page_file = out / "contract-report.html"
    text = page_file.read_text(encoding="utf-8")
    # One cumulative chart and one trend chart for each of the example's three KPIs.
    assert text.count("<figure><svg") == 4 and "<script" not in text
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=args)
        page = browser.new_page(viewport={"width": 702, "height": 1000})
        messages: list[str] = []
        requests: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        page.emulate_media(media="print")
        width, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        browser.close()
    assert messages == [] and requests == [page_file.as_uri()]
    assert width <= client
