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


def _canonical_frame(result: Result) -> tuple[bytes, bytes]:
    """The canonical text of `result` without `audit.result_sha256`, before and after the bids'.

    The top level is written key by key, sorted as `sort_keys` would sort it; the bids array's
    content goes between the two parts, each bid's canonical text joined by commas.
    """
    document = result.model_dump(mode="json", exclude={"bids"})
    audit = document.get("audit")
    if isinstance(audit, dict):
        audit.pop("result_sha256", None)
    parts: list[str] = []
    for key in sorted([*document, "bids"]):
        parts.append(("," if parts else "") + _canonical(key) + ":")
        parts.append("[\0]" if key == "bids" else _canonical(document[key]))
    before, _, after = ("{" + "".join(parts) + "}").partition("\0")
    return before.encode("utf-8"), after.encode("utf-8")


def result_digest(result: Result) -> str:
    """SHA-256 of the canonical JSON of `result.to_dict()` without `audit.result_sha256`.

    Equal to `digests.result_sha256(result.to_dict())`: object keys sorted, no whitespace. The top
    level is written key by key (sorted, as `sort_keys` would) with the bids array streamed.
    """
    before, after = _canonical_frame(result)
    digest = hashlib.sha256(before)
    for index, batch in enumerate(_batches(result.bids)):
        digest.update(
            (b"," if index else b"")
            + b",".join([canonical_bytes(bid.model_dump(mode="json")) for bid in batch])
        )
    digest.update(after)
    return digest.hexdigest()


def _file_frame(result: Result) -> tuple[str, str] | None:
    """result.json's text before and after the bids array's content, or None if it cannot be split."""
    frame = result.model_copy(update={"bids": ()}).model_dump_json(indent=2) + "\n"
    before, found, after = frame.partition(_EMPTY_BIDS)
    if not found or _EMPTY_BIDS in after:  # cannot happen with the Result model; never guess
        return None
    return before + '\n  "bids": [\n', "\n  ],\n" + after


# The bytes of bid.model_dump_json(indent=2), indented one level more: in UTF-8 the byte of a line
# feed is never part of another character.
_INDENT, _BETWEEN = b"\n" + _BID_INDENT.encode(), b",\n" + _BID_INDENT.encode()


def _indented(texts: list[bytes], index: int) -> bytes:
    """A batch of bids' indented texts, as the bids array holds them (`index`: the batch's place)."""
    return (_BETWEEN if index else _BID_INDENT.encode()) + _BETWEEN.join(
        text.replace(b"\n", _INDENT) for text in texts
    )


def result_json_chunks(result: Result) -> Iterator[bytes]:
    """`result.to_json().encode("utf-8")`, in pieces of about one bid each."""
    frame = _file_frame(result)
    if frame is None or not result.bids:
        yield result.to_json().encode("utf-8")
        return
    before, after = frame
    yield before.encode("utf-8")
    for index, batch in enumerate(_batches(result.bids)):
        yield _indented([_bid_json(bid, indent=2) for bid in batch], index)
    yield after.encode("utf-8")


def with_seal(draft: Result, digest: str) -> Result:
    """`draft` with `digest` as its audit block's `result_sha256`."""
    assert draft.audit is not None
    return draft.model_copy(
        update={"audit": draft.audit.model_copy(update={"result_sha256": digest})}
    )


def file_sha256(result: Result) -> str:
    """SHA-256 of result.json's bytes (`result_json_chunks`), without holding the text whole."""
    digest = hashlib.sha256()
    for chunk in result_json_chunks(result):
        digest.update(chunk)
    return digest.hexdigest()


def _pretty(document: dict[str, Any], bid: BidResult) -> bytes:
    """`_bid_json(bid, indent=2)` from the bid's JSON document (orjson writes it alike, faster)."""
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits: pydantic writes it
        return _bid_json(bid, indent=2)


class SealedOnWrite:
    """result.json of a draft result, sealed while it is written: each bid is turned into its JSON
    document once, for the file and for the seal, instead of once for each (docs/performance.md).

    `draft`: a result whose audit block is complete but for `result_sha256`, which is "" (as
    `seal.digests.draft_with_input_digests` makes it). Iterating gives the bytes `result.to_json()` gives for the
    sealed result (the audit block comes after the bids in the file, so the seal is known when it
    is written); afterwards `sealed` is that result. tests/test_result_streaming.py compares both
    with the plain forms.
    """

    def __init__(self, draft: Result) -> None:
        if draft.audit is None or draft.audit.result_sha256 != "":
            raise ValueError("a draft result has an audit block whose result_sha256 is empty")
        self.draft = draft
        self._sealed: Result | None = None

    @property
    def sealed(self) -> Result:
        """The sealed result; available once every byte has been written."""
        if self._sealed is None:
            raise ValueError("the result is sealed only once result.json has been written whole")
        return self._sealed

    def __iter__(self) -> Iterator[bytes]:
        draft = self.draft
        frame = _file_frame(draft)
        if frame is None or not draft.bids:  # nothing to share: the plain way
            self._sealed = with_seal(draft, result_digest(draft))
            yield self._sealed.to_json().encode("utf-8")
            return
        canonical_before, canonical_after = _canonical_frame(draft)
        digest = hashlib.sha256(canonical_before)
        yield frame[0].encode("utf-8")
        for index, batch in enumerate(_batches(draft.bids)):
            documents = [bid.model_dump(mode="json") for bid in batch]
            digest.update(
                (b"," if index else b"") + b",".join([canonical_bytes(d) for d in documents])
            )
            yield _indented(
                [_pretty(d, bid) for d, bid in zip(documents, batch, strict=True)], index
            )
        digest.update(canonical_after)
        self._sealed = with_seal(draft, digest.hexdigest())
        sealed_frame = _file_frame(self._sealed)
        assert sealed_frame is not None and sealed_frame[0] == frame[0]
        yield sealed_frame[1].encode("utf-8")
