"""Make docs/pack.png: the first screen of the housing-repairs evaluation pack in headless Chromium.

python docs/examples/pack_screenshot.py      (needs the test extra: playwright; /usr/bin/chromium)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from svengine.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def screenshot(target: Path = ROOT / "docs" / "pack.png") -> None:
    with tempfile.TemporaryDirectory() as work:
        evaluation, pack = Path(work) / "ev", Path(work) / "pack.html"
        main(["evaluate", str(ROOT / "examples" / "housing-repairs"), "--out", str(evaluation)])
        main(["pack", str(evaluation), "--out", str(pack)])
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 900, "height": 1300})
            page.goto(pack.as_uri())
            page.screenshot(path=str(target))
            browser.close()


if __name__ == "__main__":
    screenshot()
