"""Pausing Python's cyclic garbage collector while a folder is read or a result is built.

Reading 20,000 bids makes about a million objects (models, their dicts, decimals, locations), and
evaluating them hundreds of thousands of result objects, that all stay alive; each young-generation
collection walks the newest of them and each full one walks them all, for nothing: none of them is
garbage. That was a quarter of the reading time and of the scoring time. Neither makes reference
cycles of its own, so pausing the collector frees nothing late; reference counting frees everything
else as before, and any cycle left is collected once the collector is back. The collector is
restored (if it was on) on the way out.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The collector is one switch for the whole process: evaluations overlapping in threads (a tender
# system serving several requests) count themselves in and out, and the last one out restores it.
_lock = threading.Lock()
_paused = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; the collector's state is restored after the last such block."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
