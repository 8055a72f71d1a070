"""The garbage collector belongs to the host process: the library never touches it, the CLI may.

svengine/cli/collector.py pauses the collector for a whole `svengine evaluate` or `svengine batch`
command, which owns its process. A tender system calling `svengine.evaluate` or
`svengine.evaluate_folder` must see its collector exactly as it left it, during the call and after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import svengine
from svengine.cli import collector
from svengine.io.loaders import load_folder

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "housing-repairs"


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.enable()
    yield
    gc.enable()
    gc.set_threshold(*thresholds)


class _Watch:
    """A gc callback: records the collector's state each time a collection starts during a call."""

    def __init__(self) -> None:
        self.seen: list[bool] = []

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.seen.append(gc.isenabled())


def _watching(call: Any) -> tuple[Any, list[bool]]:
    watch = _Watch()
    gc.callbacks.append(watch)
    # A low threshold makes a young collection start every few allocations: were the collector
    # switched off inside the call, no collection would start from there on.
    thresholds = gc.get_threshold()
    gc.set_threshold(50, thresholds[1], thresholds[2])
    try:
        value = call()
    finally:
        gc.set_threshold(*thresholds)
        gc.callbacks.remove(watch)
    return value, watch.seen


def test_evaluate_folder_never_switches_the_collector_off() -> None:
    folder = EXAMPLE
    thresholds = gc.get_threshold()
    result, seen = _watching(lambda: svengine.evaluate_folder(folder))
    assert result.bids
    # Collections kept starting through the call (so the collector was on), and it is on after.
    assert len(seen) > 3 and all(seen)
    assert gc.isenabled() and gc.get_threshold() == thresholds


def test_evaluate_never_switches_the_collector_off() -> None:
    inputs = load_folder(EXAMPLE)
    thresholds = gc.get_threshold()
    result, seen = _watching(lambda: svengine.evaluate(inputs.tender, inputs.bids, inputs.scores))
    assert result.bids
    assert len(seen) > 3 and all(seen)
    assert gc.isenabled() and gc.get_threshold() == thresholds


def test_a_collector_the_caller_switched_off_stays_off_through_the_library() -> None:
    folder = EXAMPLE
    gc.disable()
    svengine.evaluate_folder(folder)
    assert not gc.isenabled()


def test_the_cli_pause_restores_the_collector_after_an_error() -> None:
    with pytest.raises(ValueError), collector.paused():
        assert not gc.isenabled()
        raise ValueError("a user mistake mid-read")
    assert gc.isenabled()


def test_the_cli_pause_leaves_a_collector_the_caller_switched_off_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_the_evaluate_command_runs_paused_and_restores_the_collector() -> None:
    import argparse

    seen: list[bool] = []

    def command(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    assert collector.pausing(command)(argparse.Namespace()) == 0
    assert seen == [False] and gc.isenabled()
