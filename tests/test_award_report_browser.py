"""`svengine award-report DIR --out award.html` (issue 15) in a real browser.

Headless Chromium loads each award report with no console message and no request beyond the file
itself, shows no horizontal overflow at the printed width of A4, and prints it to A4 PDF with the
page count asserted (the report's own `@page`: A4, 15 mm margins; report/document.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_helpers import assert_offline_on_a4, chromium, print_to_a4
from svengine.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
A4_PRINTABLE_PX = 680  # 210 mm less the report's 2 x 15 mm margins, at 96 px per inch

# Pages when printed to A4 by Chromium 156; a change of layout that adds or loses pages shows here.
PAGES = {"housing-repairs": 2, "framework-multi-lot": 4, "panel-grounds-maintenance": 2}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("award")
    written = {}
    for example in PAGES:
        evaluation = out / example
        assert main(["evaluate", str(ROOT / "examples" / example), "--out", str(evaluation)]) == 0
        target = out / f"{example}.html"
        assert main(["award-report", str(evaluation), "--out", str(target)]) == 0
        written[example] = target
    return written


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


@pytest.mark.parametrize("example", sorted(PAGES))
def test_chromium_loads_the_award_report_offline_and_prints_it_to_a4(
    browser: Any, reports: dict[str, Path], example: str
) -> None:
    assert_offline_on_a4(print_to_a4(browser, reports[example], A4_PRINTABLE_PX), PAGES[example])


def test_the_award_report_is_for_sign_off(reports: dict[str, Path]) -> None:
    text = reports["housing-repairs"].read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    # examples/housing-repairs/expected: B1 is awarded with 82.97 (result.json).
    assert "B1" in text and "82.97" in text
    assert "<h2>Sign-off</h2>" in text
    assert '<td class="r">82.97</td>' in text  # figures right-aligned
