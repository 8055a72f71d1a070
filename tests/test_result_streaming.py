"""The fast ways result.json is built and written give exactly what the plain ways give.

- The result models are built with `model_construct` (no re-validation of the engine's own values):
  validating the built result again must give an equal object (same types, tuples not lists,
  Decimals not strings), for every example.
- result.json is written bid by bid and sealed bid by bid (`svengine.seal.streaming`): the bytes
  must equal `Result.to_json()` and the digest `result_sha256(result.to_dict())`, the whole-document
  forms docs/audit.md describes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from svengine.audit.record import evaluate_inputs
from svengine.io.loaders import load_folder
from svengine.model.result import Result
from svengine.seal.digests import result_sha256
from svengine.seal.streaming import (
    BATCH,
    SealedOnWrite,
    canonical_bytes,
    file_sha256,
    result_digest,
    result_json_chunks,
)

EXAMPLES = sorted(
    path.name for path in (REPO / "examples").iterdir() if (path / "tender.yaml").exists()
)


def _result(name: str) -> Result:
    return evaluate_inputs(load_folder(REPO / "examples" / name))


@pytest.mark.parametrize("name", EXAMPLES)
def test_validating_the_built_result_changes_nothing(name: str) -> None:
    result = _result(name)
    assert Result.model_validate(result.model_dump()) == result


@pytest.mark.parametrize("name", EXAMPLES)
def test_streamed_json_and_seal_equal_the_whole_document_forms(name: str) -> None:
    result = _result(name)
    assert b"".join(result_json_chunks(result)) == result.to_json().encode("utf-8")
    assert file_sha256(result) == hashlib.sha256(result.to_json().encode("utf-8")).hexdigest()
    assert result_digest(result) == result_sha256(result.to_dict())
    assert result.audit is not None and result.audit.result_sha256 == result_sha256(
        result.to_dict()
    )


def test_a_result_without_bids_streams_the_same(tmp_path: Path) -> None:
    result = _result("housing-repairs").model_copy(update={"bids": ()})
    assert b"".join(result_json_chunks(result)) == result.to_json().encode("utf-8")
    assert file_sha256(result) == hashlib.sha256(result.to_json().encode("utf-8")).hexdigest()
    assert result_digest(result) == result_sha256(result.to_dict())


def _standard(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def test_canonical_bytes_escape_every_character_as_the_standard_library_does() -> None:
    # orjson writes each bid's canonical text; a single differing escape would change the seal.
    for start in range(0, 0x110000, 0x1000):
        text = "".join(
            chr(code)
            for code in range(start, min(start + 0x1000, 0x110000))
            if not 0xD800 <= code <= 0xDFFF
        )
        assert canonical_bytes({text: text, "list": [text]}) == _standard(
            {text: text, "list": [text]}
        ), hex(start)


def test_canonical_bytes_of_integers_beyond_64_bits_fall_back_to_the_standard_library() -> None:
    for number in (2**63 - 1, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**40):
        assert canonical_bytes({"n": number, "m": [number]}) == _standard(
            {"n": number, "m": [number]}
        )


json_like = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_like)
def test_canonical_bytes_equal_the_standard_library(value: Any) -> None:
    # Keys are sorted by code point in both (UTF-8 byte order is code point order).
    assert canonical_bytes(value) == _standard(value)


def test_results_of_several_batches_stream_the_same() -> None:
    result = _result("housing-repairs")
    many = result.model_copy(update={"bids": result.bids * (2 * BATCH // len(result.bids) + 1)})
    assert len(many.bids) > 2 * BATCH
    assert b"".join(result_json_chunks(many)) == many.to_json().encode("utf-8")
    assert result_digest(many) == result_sha256(many.to_dict())


def _draft(result: Result) -> Result:
    assert result.audit is not None
    return result.model_copy(
        update={"audit": result.audit.model_copy(update={"result_sha256": ""})}
    )


@pytest.mark.parametrize("name", EXAMPLES)
def test_sealed_on_write_gives_the_sealed_bytes(name: str) -> None:
    # The CLI's `evaluate --out DIR --no-workbook` path: one JSON document per bid for the file and
    # the seal. The bytes and the seal must be those of the result sealed beforehand.
    result = _result(name)
    written = SealedOnWrite(_draft(result))
    assert b"".join(written) == result.to_json().encode("utf-8")
    assert written.sealed == result


def test_sealed_on_write_of_several_batches_and_of_no_bids() -> None:
    result = _result("housing-repairs")
    many = result.model_copy(update={"bids": result.bids * (2 * BATCH // len(result.bids) + 1)})
    for case in (many, result.model_copy(update={"bids": ()})):
        written = SealedOnWrite(_draft(case))
        data = b"".join(written)
        assert written.sealed.audit is not None
        assert written.sealed.audit.result_sha256 == result_sha256(case.to_dict())
        assert data == written.sealed.to_json().encode("utf-8")


def test_sealed_on_write_refuses_a_sealed_result_and_is_sealed_only_when_written() -> None:
    result = _result("housing-repairs")
    with pytest.raises(ValueError, match="result_sha256 is empty"):
        SealedOnWrite(result)
    written = SealedOnWrite(_draft(result))
    with pytest.raises(ValueError, match="written whole"):
        written.sealed  # noqa: B018


_HOUSING = evaluate_inputs(load_folder(REPO / "examples" / "housing-repairs"))


@settings(max_examples=200, deadline=None)
@given(
    st.text(min_size=1, max_size=40),
    st.one_of(st.none(), st.text(max_size=60)),
    st.integers(min_value=-(2**70), max_value=2**70),
)
def test_orjson_writes_a_bid_as_pydantic_does(name: str, comment: str | None, years: int) -> None:
    # SealedOnWrite writes each bid with orjson from its JSON document; the file must keep the
    # bytes pydantic's `model_dump_json(indent=2)` writes, on any text (escapes, any code point,
    # line separators) and any integer (beyond 64 bits pydantic writes it).
    bid = _HOUSING.bids[0]
    commitments = bid.social_value.commitments
    changed = bid.model_copy(
        update={
            "bidder_name": name,
            "social_value": bid.social_value.model_copy(
                update={
                    "commitments": tuple(
                        c.model_copy(update={"description": comment, "years": years})
                        for c in commitments
                    )
                }
            ),
        }
    )
    written = SealedOnWrite(_draft(_HOUSING.model_copy(update={"bids": (changed, *_HOUSING.bids)})))
    assert b"".join(written) == written.sealed.to_json().encode("utf-8")
