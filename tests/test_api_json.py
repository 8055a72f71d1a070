"""The exact JSON API: documents in, the folder's Result out (svengine.loads, evaluate_documents)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import svengine
from svengine.api_json import dumps, folder_documents

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if (p / "tender.yaml").exists())


def without_input_record(result_json: str) -> dict[str, Any]:
    """result.json without the audit block's record of the inputs (documents, not files)."""
    document: dict[str, Any] = json.loads(result_json)
    del document["audit"]["inputs"], document["audit"]["result_sha256"]
    return document


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_documents_give_the_folders_result_json(folder: Path) -> None:
    from_documents = svengine.evaluate_documents(**folder_documents(folder))
    from_folder = svengine.evaluate_folder(folder)
    assert without_input_record(from_documents.to_json()) == without_input_record(
        from_folder.to_json()
    )
    assert from_documents.audit is not None and from_documents.audit.inputs is not None
    assert set(from_documents.audit.inputs) <= {
        "tender",
        "library",
        "bids",
        "scores",
        "sv_moderation",
        "decisions",
    }


def test_numbers_as_json_numbers_or_strings_give_the_same_result() -> None:
    documents = folder_documents(REPO / "examples" / "housing-repairs")
    as_numbers = svengine.evaluate_documents(**svengine.loads(dumps(documents)))
    as_strings = svengine.evaluate_documents(
        **json.loads(dumps(documents), parse_float=str)
        | {"tender": documents["tender"], "library": documents["library"]}
    )
    assert without_input_record(as_numbers.to_json()) == without_input_record(as_strings.to_json())


def test_loads_reads_numbers_exactly_and_refuses_floats_nan_and_duplicates() -> None:
    assert svengine.loads('{"price": 4395000.00}')["price"] == Decimal("4395000.00")
    assert str(svengine.loads(b"[0.1]")[0]) == "0.1"
    for text, code in [
        ('{"a": NaN}', "bad_number"),
        ('{"a": 1, "a": 2}', "duplicate_key"),
        ("{", "malformed_json"),
        (b"\xff", "not_utf8"),
    ]:
        with pytest.raises(svengine.InvalidInput) as caught:
            svengine.loads(text)
        assert caught.value.problems[0].code == code, text


def test_a_binary_float_in_a_document_is_located() -> None:
    documents = folder_documents(REPO / "examples" / "housing-repairs")
    documents["bids"][1]["price"] = 4395000.0
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.evaluate_documents(**documents)
    problem = caught.value.problems[0]
    assert (problem.code, problem.location.file, problem.location.path) == (
        "bad_number",
        "bids",
        "$[1].price",
    )


def test_wrong_argument_types_raise_type_error_with_a_sentence() -> None:
    documents = folder_documents(REPO / "examples" / "housing-repairs")
    with pytest.raises(TypeError, match="takes JSON text"):
        svengine.loads(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tender must be a JSON object"):
        svengine.evaluate_documents(**(documents | {"tender": "tender.yaml"}))
    with pytest.raises(TypeError, match="bids must be a parsed document"):
        svengine.evaluate_documents(**(documents | {"bids": "[]"}))
    with pytest.raises(TypeError, match="library must be a MeasureLibrary"):
        svengine.parse_tender(documents["tender"], library="toms/illustrative.yaml")  # type: ignore[arg-type]


def test_parse_tender_with_a_library_needs_no_library_path() -> None:
    documents = folder_documents(REPO / "examples" / "housing-repairs")
    library = svengine.parse_library(documents["library"])
    tender_document = dict(documents["tender"])
    tender_document["social_value"] = {
        k: v for k, v in tender_document["social_value"].items() if k != "library"
    }
    tender = svengine.parse_tender(tender_document, library=library)
    assert tender.measure_library == library
    result = svengine.evaluate_documents(**(documents | {"tender": tender_document}))
    expected = svengine.evaluate_folder(REPO / "examples" / "housing-repairs")
    assert without_input_record(result.to_json()) == without_input_record(expected.to_json())


def test_model_dump_json_and_json_give_the_bytes_of_to_json() -> None:
    result = svengine.evaluate_folder(REPO / "examples" / "panel-grounds-maintenance")
    assert result.model_dump_json() == result.to_json()
    assert result.json() == result.to_json()


def test_the_readme_json_example_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### From JSON documents", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    monkeypatch.chdir(REPO)
    exec(compile(code.group(1), "README.md", "exec"), {})


def test_the_published_request_example_is_the_housing_repairs_folder() -> None:
    text = (REPO / "docs" / "examples" / "evaluate-request.json").read_text(encoding="utf-8")
    assert text == dumps(folder_documents(REPO / "examples" / "housing-repairs"))


@given(st.decimals(min_value=-(10**14), max_value=10**14, places=6, allow_nan=False))
def test_dumps_then_loads_keeps_every_decimal(value: Decimal) -> None:
    assert svengine.loads(dumps({"x": value}))["x"] == value
