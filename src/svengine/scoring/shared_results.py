"""Flags and award outcomes made once per distinct text, for the memory of large evaluations.

A flag or award outcome built by pydantic keeps a dict and a fields set of its own, and many
bids carry the same one (the same measure capped to its first year, the same quality minimum
missed). The models are frozen, so equal ones can be one object: these build each through
`construct.built` (a shared fields set) and keep recent ones for reuse. Equal to
`Flag(code=..., message=...)` and `BidAward(...)` in every field, fields set and serialised byte.
"""

from __future__ import annotations

from functools import lru_cache

from svengine.model.award_result import BidAward, Outcome, PassedOverReason
from svengine.model.construct import built
from svengine.model.result import Flag

_RECENT = 4096  # bounds what a long-running process keeps between evaluations (a few MiB at most)


@lru_cache(maxsize=_RECENT)
def flag(code: str, message: str) -> Flag:
    return built(Flag, code=code, message=message)


@lru_cache(maxsize=_RECENT)
def bid_award(outcome: Outcome, reason: PassedOverReason | None, message: str) -> BidAward:
    return built(BidAward, outcome=outcome, reason=reason, message=message)
