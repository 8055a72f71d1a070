"""The fast ways result.json is built and written give exactly what the plain ways give.

- The result models are built with `model_construct` (no re-validation of the engine's own values):
  validating the built result again must give an equal object (same types, tuples not lists,
  Decimals not strings), for every example.
- result.json is written bid by bid and sealed bid by bid (`svengine.audit.streaming`): the bytes
  must equal `Result.to_json()` and the digest `result_sha256(result.to_dict())`, the whole-document
  forms docs/audit.md describes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from svengine.audit.digests import result_sha256
from svengine.audit.record import evaluate_inputs
from svengine.audit.streaming import result_digest, result_json_chunks
from svengine.io.loaders import load_folder
from svengine.model.result import Result

EXAMPLES = sorted(path.name for path in (REPO / "examples").iterdir() if (path / "tender.yaml").exists())


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
    assert result_digest(result) == result_sha256(result.to_dict())
    assert result.audit is not None and result.audit.result_sha256 == result_sha256(result.to_dict())


def test_a_result_without_bids_streams_the_same(tmp_path: Path) -> None:
    result = _result("housing-repairs").model_copy(update={"bids": ()})
    assert b"".join(result_json_chunks(result)) == result.to_json().encode("utf-8")
    assert result_digest(result) == result_sha256(result.to_dict())
