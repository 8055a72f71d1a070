"""Pausing Python's cyclic garbage collector for a whole CLI command (evaluate, batch).

Reading a large folder makes a great many objects (models, their dicts, decimals, locations) and
evaluating it a great many result objects, that all stay alive: each young-generation collection
walks the newest of them and each full one walks them all, for nothing, as none of them is garbage.
Neither makes reference cycles of its own, so pausing the collector frees nothing late; reference
counting frees everything else as before. docs/performance.md records what the pause saves.

The collector is one switch for the whole process, so only the command line, which owns its
process, pauses it: a library call (`svengine.evaluate`, `evaluate_folder`, `load_folder`) never
touches it, as a tender system embedding svengine must not see its collector switched off
(tests/test_collector.py). The collector is restored, if it was on, when the command ends. Batch
workers forked while it is paused start paused too and end with their process.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

Command = Callable[[argparse.Namespace], int]


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; the collector's state is restored after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pausing(command: Command) -> Command:
    """`command` run with the collector paused."""

    @wraps(command)
    def run(args: argparse.Namespace) -> int:
        with paused():
            return command(args)

    return run
