"""The garbage-collector pause used while a folder is read and a result is built (svengine/collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from svengine import collector


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_back_after_an_error_inside_the_pause() -> None:
    with pytest.raises(ValueError), collector.paused():
        assert not gc.isenabled()
        raise ValueError("a user mistake mid-read")
    assert gc.isenabled()


def test_overlapping_pauses_restore_the_collector_only_when_the_last_one_ends() -> None:
    # Two evaluations in two threads of one tender system: the first to finish must not switch the
    # collector back on under the other.
    first, second = collector.paused(), collector.paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_the_caller_switched_off_stays_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()
