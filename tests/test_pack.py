"""`svengine pack DIR --out pack.html` (issue 15): the evaluation pack, checked in a real browser.

Headless Chromium (the system's /usr/bin/chromium, driven by Playwright; no browser is downloaded)
loads each pack with no console message and no request beyond the file itself, prints it to A4
PDF (page count asserted) and shows no horizontal overflow at the printed width.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_helpers import assert_offline_on_a4, chromium, print_to_a4
from svengine.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
A4_PRINTABLE_PX = 702  # 210 mm less the pack's 2 x 12 mm margins, at 96 px per inch


def _pack(example: str, out: Path) -> Path:
    evaluation = out / example
    assert main(["evaluate", str(ROOT / "examples" / example), "--out", str(evaluation)]) == 0
    target = out / f"{example}.html"
    assert main(["pack", str(evaluation), "--out", str(target)]) == 0
    return target


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("packs")
    return {name: _pack(name, out) for name in ("housing-repairs", "panel-grounds-maintenance")}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


# Pages when printed to A4 by Chromium 156 (the pack's own @page margins); a change of layout that
# adds or loses pages shows here.
PAGES = {"housing-repairs": 9, "panel-grounds-maintenance": 8}


@pytest.mark.parametrize("example", sorted(PAGES))
def test_chromium_loads_it_offline_and_prints_it_to_a4(
    browser: Any, packs: dict[str, Path], example: str
) -> None:
    assert_offline_on_a4(print_to_a4(browser, packs[example], A4_PRINTABLE_PX), PAGES[example])


def test_every_section_is_there_with_its_charts(packs: dict[str, Path]) -> None:
    text = packs["panel-grounds-maintenance"].read_text(encoding="utf-8")
    for heading in (
        "Summary",
        "Ranking",
        "Score by block",
        "Price against quality",
        "Social value",
        "Sign-off",
    ):
        assert heading in text, heading
    assert text.count("<svg ") >= 3
    assert "Panel" in text  # the panel example has a spread section
    housing = packs["housing-repairs"].read_text(encoding="utf-8")
    # examples/housing-repairs/expected: B1 82.97 appointed at £4,612,000.00 (result.json).
    assert "82.97" in housing and "£4,612,000.00" in housing
    # docs/methods.md, worked by hand: B1's 6.38 social value points are worth £1,324,925.43.
    assert (
        "B1: its 6.38 social value points are worth a price up to £1,324,925.43 higher" in housing
    )


def test_it_fetches_nothing_and_runs_nothing(packs: dict[str, Path]) -> None:
    for path in packs.values():
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text.lower()
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text, re.I)
        assert "@import" not in text and "@font-face" not in text
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text)


def test_same_evaluation_same_bytes(packs: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / "again.html"
    evaluation = packs["housing-repairs"].parent / "housing-repairs"
    assert main(["pack", str(evaluation), "--out", str(again)]) == 0
    assert again.read_bytes() == packs["housing-repairs"].read_bytes()


def test_bidder_text_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    shutil.copytree(ROOT / "examples" / "housing-repairs", folder)
    bid = folder / "bids" / "B1.json"
    document = json.loads(bid.read_text(encoding="utf-8"))
    document["bidder"]["name"] = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    bid.write_text(json.dumps(document), encoding="utf-8")
    tender = folder / "tender.yaml"
    library = (ROOT / "toms" / "illustrative.yaml").as_posix()
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("../../toms/illustrative.yaml", library),
        encoding="utf-8",
    )
    assert main(["evaluate", str(folder), "--out", str(tmp_path / "ev")]) == 0
    assert main(["pack", str(tmp_path / "ev"), "--out", str(tmp_path / "p.html")]) == 0
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


def test_refusals_in_words(
    packs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evaluation = packs["housing-repairs"].parent / "housing-repairs"
    assert main(["pack", str(tmp_path), "--out", str(tmp_path / "p.html")]) == 1
    assert "evaluate" in capsys.readouterr().err  # names the command that writes a folder
    existing = tmp_path / "exists.html"
    existing.write_text("keep", encoding="utf-8")
    assert main(["pack", str(evaluation), "--out", str(existing)]) != 0
    assert existing.read_text(encoding="utf-8") == "keep"
    assert main(["pack", str(evaluation), "--out", str(tmp_path / "p.pdf")]) == 2
    assert not (tmp_path / "p.pdf").exists()
