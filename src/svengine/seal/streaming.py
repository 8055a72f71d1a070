"""result.json and its seal, bid by bid: the same bytes as `Result.to_json()` and `result_sha256`.

A large tender's result.json is mostly its bids, with their explanations. Building the whole
document as one Python dict (for the digest) and as one string (for the file) held several copies
of it at once (docs/performance.md). Here each bid is turned into text on its own and
passed on (to the hash, to the file), so memory holds one bid's text at a time, and the canonical
form is written by the C JSON encoder without the general `canonical._plain` walk: a document made
by `model_dump(mode="json")` from the result models holds only str, int, bool, None, lists and dicts
(no result field is a float or `Any`), which is exactly what that walk lets through.

Each bid's canonical text is written by orjson (sorted keys, compact, UTF-8, the same escapes as
the standard library's `ensure_ascii=False`: tests/test_result_streaming.py compares them on every
code point), which is much faster than `json.dumps(sort_keys=True)`; what orjson cannot
write (an integer beyond 64 bits) is written by the standard library. Bids are hashed and written
in batches, so the hash and the file see a few large pieces rather than one per bid.

tests/test_result_bytes.py and tests/test_result_streaming.py check both forms against the
whole-document writers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import orjson
from pydantic import TypeAdapter

from svengine.model.result import BidResult, Result

# A top-level key of result.json written by pydantic with indent=2: two spaces, then the key. Nested
# keys are indented by at least four spaces and JSON strings never hold a raw newline, so this text
# occurs once, where the (emptied) bids array is.
_EMPTY_BIDS = '\n  "bids": [],\n'
_BID_INDENT = "    "
_bid_json = TypeAdapter(BidResult).dump_json  # what bid.model_dump_json encodes, as bytes


BATCH = 64
"""Bids per piece handed to the hash and to the file (a few hundred KiB)."""


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(value: Any) -> bytes:
    """`_canonical(value).encode("utf-8")` for a document of str, int, bool, None, lists and dicts."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, or nesting deeper than orjson goes
        return _canonical(value).encode("utf-8")


def _batches(bids: tuple[BidResult, ...]) -> Iterator[tuple[BidResult, ...]]:
    for start in range(0, len(bids), BATCH):
        yield bids[start : start + BATCH]


def result_digest(result: Result) -> str:
    """SHA-256 of the canonical JSON of `result.to_dict()` without `audit.result_sha256`.

    Equal to `digests.result_sha256(result.to_dict())`: object keys sorted, no whitespace. The top
    level is written key by key (sorted, as `sort_keys` would) with the bids array streamed.
    """
    document = result.model_dump(mode="json", exclude={"bids"})
    audit = document.get("audit")
    if isinstance(audit, dict):
        audit.pop("result_sha256", None)
    digest = hashlib.sha256()
    keys = sorted([*document, "bids"])
    digest.update(b"{")
    for position, key in enumerate(keys):
        digest.update((("," if position else "") + _canonical(key) + ":").encode("utf-8"))
        if key != "bids":
            digest.update(_canonical(document[key]).encode("utf-8"))
            continue
        digest.update(b"[")
        for index, batch in enumerate(_batches(result.bids)):
            digest.update(
                (b"," if index else b"")
                + b",".join([canonical_bytes(bid.model_dump(mode="json")) for bid in batch])
            )
        digest.update(b"]")
    digest.update(b"}")
    return digest.hexdigest()


def result_json_chunks(result: Result) -> Iterator[bytes]:
    """`result.to_json().encode("utf-8")`, in pieces of about one bid each."""
    frame = result.model_copy(update={"bids": ()}).model_dump_json(indent=2) + "\n"
    before, found, after = frame.partition(_EMPTY_BIDS)
    if not found or _EMPTY_BIDS in after:  # cannot happen with the Result model; never guess
        yield result.to_json().encode("utf-8")
        return
    if not result.bids:
        yield frame.encode("utf-8")
        return
    yield (before + '\n  "bids": [\n').encode("utf-8")
    # The bytes of bid.model_dump_json(indent=2) (which decodes these), indented one level more: in
    # UTF-8 the byte of a line feed is never part of another character.
    indent, between = b"\n" + _BID_INDENT.encode(), b",\n" + _BID_INDENT.encode()
    for index, batch in enumerate(_batches(result.bids)):
        texts = [_bid_json(bid, indent=2).replace(b"\n", indent) for bid in batch]
        yield (between if index else _BID_INDENT.encode()) + between.join(texts)
    yield ("\n  ],\n" + after).encode("utf-8")
