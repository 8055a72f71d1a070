"""Headless Chromium for the HTML documents' tests: the system's /usr/bin/chromium, driven by
Playwright (no browser is downloaded), loading a file offline and printing it to A4 PDF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> Iterator[Any]:
    """A launched browser (the body of a module-scoped fixture); skips without Chromium."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (.ci/run installs the Debian package chromium)")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@dataclass(frozen=True)
class Printed:
    url: str
    messages: list[str]
    """Console messages and page errors, as `type: text`."""
    requests: list[str]
    scroll_width: int
    client_width: int
    pages: int
    """Pages of the A4 PDF Chromium prints."""


def print_to_a4(browser: Any, path: Path, width_px: int) -> Printed:
    """Load `path` at `width_px` wide (the printable width), print it to A4 PDF, and say what happened."""
    page = browser.new_page(viewport={"width": width_px, "height": 1000})
    messages: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"error: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    url = path.resolve().as_uri()
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    pdf = page.pdf(format="A4")
    page.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    return Printed(url, messages, requests, scroll, client, pages)


def assert_offline_on_a4(printed: Printed, pages: int) -> None:
    """The page loaded without a console message or a fetch beyond itself, fits A4 across, and
    prints on `pages` pages."""
    assert printed.messages == []
    assert printed.requests == [printed.url]  # the file itself, nothing fetched
    width, client = printed.scroll_width, printed.client_width
    assert width <= client, f"{width}px of content in {client}px: something is wider than A4"
    assert printed.pages == pages
