"""Every example runs, every published schema is valid Draft 2020-12, and results follow the result schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import svengine
from conftest import EXAMPLES, REPO
from svengine.io.schemas import result_schema, schema

SCHEMA_FILES = sorted((REPO / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_published_schemas_are_valid_draft_2020_12(path: Path) -> None:
    document = json.loads(path.read_text())
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_result_schema_file_matches_the_result_model() -> None:
    assert json.loads((REPO / "schemas" / "result.schema.json").read_text()) == result_schema(), (
        "regenerate with: python -m svengine.io.schemas"
    )


def test_at_least_two_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_example_evaluates_and_its_result_follows_the_schema(folder: Path) -> None:
    inputs = svengine.load_folder(folder)
    result = svengine.evaluate(inputs.tender, inputs.bids, inputs.scores)
    document = json.loads(result.to_json())
    Draft202012Validator(schema("result")).validate(document)
    assert result.summary.bids == len(inputs.bids) >= 4
    text = result.to_json()
    assert str(folder) not in text and "tender.yaml" not in text  # no file paths in the result


def test_housing_repairs_example_figures() -> None:
    """A spot check worked by hand from examples/housing-repairs.

    B1: quality 25×4/5 + 20×4/5 + 15×8/10 = 48; price 30 × 4,395,000/4,612,000 = 28.588.. -> 28.59;
    social value £689,250 (14.36% of £4.8m); £ part 6 × 689,250/1,038,180 = 3.983.., SV1 4 × 3/5 = 2.4,
    block 6.383.. -> 6.38; total 48.00 + 28.59 + 6.38 = 82.97.
    """
    inputs = svengine.load_folder(REPO / "examples" / "housing-repairs")
    b1 = svengine.evaluate(inputs.tender, inputs.bids, inputs.scores).bid("B1")
    assert (b1.quality.score, b1.price.score, b1.social_value.score, b1.total_score) == tuple(
        Decimal(v) for v in ["48.00", "28.59", "6.38", "82.97"]
    )
    assert b1.social_value.total == Decimal("689250.00")
    assert b1.rank == 1


def test_illustrative_library_is_labelled_and_broad() -> None:
    library = svengine.load_library(REPO / "toms" / "illustrative.yaml")
    assert "illustrative" in library.licence.lower() and "not the National TOMs" in library.licence
    assert len(library.measures) >= 30
    assert {m.theme for m in library.measures} == {
        "Jobs",
        "Growth",
        "Social",
        "Environment",
        "Innovation",
    }
    units = {m.unit for m in library.measures}
    assert {"FTE-year", "weeks", "hours", "£ spent", "tCO2e"} <= units
    assert all(m.id.startswith("EX-") for m in library.measures)


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_the_python_api_gives_the_bytes_the_command_writes(folder: Path, tmp_path: Path) -> None:
    """A tender system calling the API and a panel using the CLI get the same result.json, byte for byte."""
    from svengine.cli.main import main

    assert main(["evaluate", str(folder), "--out", str(tmp_path), "--no-workbook"]) == 0
    assert (
        svengine.evaluate_folder(folder).to_json().encode("utf-8")
        == (tmp_path / "result.json").read_bytes()
    )
