"""Safety rules of issue 8 that the corpus cannot show: no network, decimal grammar first, outputs written safely."""

from __future__ import annotations

import json
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import referencing.exceptions
from jsonschema import Draft202012Validator

import svengine
from svengine.io import output, schemas
from svengine.io.documents import parse_json
from svengine.problems import OutputExists

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Any attempt to open a connection or resolve a name is recorded and refused."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network use refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.mark.parametrize("name", [*schemas.SCHEMA_NAMES, "result"])
def test_published_schemas_refer_only_to_themselves(name: str) -> None:
    refs = list(_refs(schemas.schema(name)))
    assert all(ref.startswith("#") for ref in refs), refs
    on_disk = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert all(ref.startswith("#") for ref in _refs(on_disk))


def test_a_remote_ref_is_refused_never_fetched(no_network: list[Any]) -> None:
    # Users cannot supply a schema; this shows what the validator we build would do if one slipped in.
    remote = {"$ref": "https://example.invalid/schema.json"}
    validator = Draft202012Validator(remote, registry=schemas.OFFLINE)
    with pytest.raises(referencing.exceptions.Unresolvable):
        validator.validate({"anything": 1})
    with pytest.raises(referencing.exceptions.NoSuchResource):
        schemas.OFFLINE.get_or_retrieve("https://example.invalid/schema.json")
    assert no_network == []


def test_the_validators_in_use_are_offline() -> None:
    for name in schemas.SCHEMA_NAMES:
        assert schemas._validator(name)._registry is schemas.OFFLINE


def test_ref_keys_in_a_document_are_data(no_network: list[Any]) -> None:
    bid = {"$ref": "https://example.invalid/bid.json"}
    with pytest.raises(svengine.InvalidInput) as caught:
        svengine.parse_bids(bid)
    assert any('"$ref"' in p.message for p in caught.value.problems)
    tender = {
        "$schema": "https://example.invalid/permissive.json",
        "$ref": "http://169.254.169.254/",
    }
    with pytest.raises(svengine.InvalidInput):
        svengine.parse_tender(tender)
    assert no_network == []


def test_a_whole_evaluation_uses_no_network(no_network: list[Any], housing: Path) -> None:
    inputs = svengine.load_folder(housing)
    svengine.evaluate(inputs.tender, inputs.bids, inputs.scores)
    assert no_network == []


def test_the_grammar_is_checked_before_any_number_is_made() -> None:
    # 1e999999 never becomes a Decimal with a huge exponent, and a 100,000-digit integer never an int.
    document, problems = parse_json('{"a": 1e999999, "b": ' + "9" * 100_000 + "}")
    assert {p.location.path for p in problems} == {"$.a", "$.b"}
    assert not isinstance(document["b"], int)


# -- outputs ---------------------------------------------------------------------------------------------


def test_outputs_get_ordinary_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        output.write_atomic(tmp_path / "a.json", "{}")
        os.umask(0o027)
        output.write_atomic(tmp_path / "b.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o640


def test_an_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    target.write_text("old")
    with pytest.raises(OutputExists):
        output.write_atomic(target, "new")
    assert target.read_text() == "old"
    output.write_atomic(target, "new", force=True)
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_temporary_files_of_dead_writers_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    dead = 2**22 + 12345  # above Linux's default pid_max (4,194,304): no such process
    assert not output._running(dead)
    left = tmp_path / f".result.json.{dead}.abc123.tmp"
    alive = tmp_path / f".result.json.{os.getppid()}.def456.tmp"  # our parent is running
    other = (
        tmp_path / f".run.json.{dead}.abc123.tmp"
    )  # another output's: left for its own next write
    for path in (left, alive, other):
        path.write_text("half")
    output.write_atomic(target, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["result.json", alive.name, other.name]
    )


def test_workbook_limits_are_configurable_through_the_api(tmp_path: Path) -> None:
    from svengine.excel.safety import Limits
    from xlsx_helpers import as_workbook_folder

    folder = as_workbook_folder(REPO / "examples" / "housing-repairs", tmp_path / "wb")
    (folder / "tender.yaml").write_text(
        (folder / "tender.yaml").read_text().replace("../../toms/", str(REPO / "toms") + "/")
    )
    assert (
        len(svengine.load_folder(folder).bids) == 6
    )  # the safe defaults accept an ordinary workbook
    size = (folder / "bids.xlsx").stat().st_size
    for limits, code in (
        (Limits(max_file_bytes=size - 1), "file_too_large"),
        (Limits(max_members=3), "too_many_parts"),
        (Limits(max_uncompressed_bytes=1000), "zip_too_large"),
        (Limits(max_rows=2), "too_many_rows"),
    ):
        with pytest.raises(svengine.InvalidInput) as caught:
            svengine.load_folder(folder, limits=limits)
        assert code in {p.code for p in caught.value.problems}, limits
