"""The audit block of result.json, run.json, evaluation.zip, and byte-identical results."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

import svengine
from audit_folders import BIDS, make_evaluation
from svengine.cli.main import main
from svengine.io.schemas import result_schema
from svengine.seal.canonical import canonical_json
from svengine.seal.digests import method_sha256

REPO = Path(__file__).resolve().parents[1]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "svengine", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_evaluation(tmp_path)


def evaluate_out(folder: Path, out: Path, *extra: str) -> dict:
    assert main(["evaluate", str(folder), "--out", str(out), *extra]) == 0
    return json.loads((out / "result.json").read_text(encoding="utf-8"))


# -- canonical JSON ------------------------------------------------------------------------------


def test_canonical_json_sorts_keys_without_whitespace_and_keeps_decimals_fixed() -> None:
    value = {"b": [1, True, None], "a": {"é": Decimal("1E+2"), "d": Decimal("0.50")}}
    assert canonical_json(value) == '{"a":{"d":"0.50","é":"100"},"b":[1,true,null]}'.encode()


def test_canonical_json_refuses_binary_floats() -> None:
    with pytest.raises(TypeError, match="float"):
        canonical_json({"x": 0.1})


# -- the audit block -----------------------------------------------------------------------------


def test_audit_block_names_every_file_read_with_its_sha256(folder: Path, tmp_path: Path) -> None:
    result = evaluate_out(folder, tmp_path / "out")
    audit = result["audit"]
    assert audit["engine"] == {"name": "svengine", "version": svengine.__version__}
    expected = {
        "../lib/lib.yaml": tmp_path / "lib" / "lib.yaml",
        "bids/A1.json": folder / "bids" / "A1.json",
        "bids/A2.json": folder / "bids" / "A2.json",
        "bids/A3.json": folder / "bids" / "A3.json",
        "scores.csv": folder / "scores.csv",
        "tender.yaml": folder / "tender.yaml",
    }
    assert audit["inputs"] == {key: sha256(path.read_bytes()) for key, path in expected.items()}
    assert list(audit["inputs"]) == sorted(expected)  # written in sorted order


def test_result_digest_is_the_sha256_of_the_documented_canonical_form(
    folder: Path, tmp_path: Path
) -> None:
    result = evaluate_out(folder, tmp_path / "out")
    # Recomputed with the standard library only, exactly as docs/audit.md tells an auditor to.
    unsealed = json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))
    del unsealed["audit"]["result_sha256"]
    text = json.dumps(unsealed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert result["audit"]["result_sha256"] == sha256(text.encode("utf-8"))


def test_hand_computed_figures_of_the_test_folder(folder: Path, tmp_path: Path) -> None:
    # Guards the fixture the verify and explain tests rely on (worked out in audit_folders.py).
    result = evaluate_out(folder, tmp_path / "out")
    bids = {bid["bidder_id"]: bid for bid in result["bids"]}
    assert [bid["bidder_id"] for bid in result["bids"]] == ["A2", "A1", "A3"]
    assert bids["A2"]["total_score"] == "87.39" and bids["A2"]["social_value"]["score"] == "6.39"
    assert bids["A1"]["total_score"] == "84.00" and bids["A1"]["price"]["score"] == "30.00"
    assert bids["A3"]["status"] == "excluded"


def test_result_json_holds_no_time_host_or_absolute_path(folder: Path, tmp_path: Path) -> None:
    evaluate_out(folder, tmp_path / "out")
    text = (tmp_path / "out" / "result.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in text and "/tmp" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)
    host = socket.gethostname()
    if len(host) >= 6:  # a very short host name could occur by chance in any text
        assert host not in text


def test_result_json_matches_the_published_schema(folder: Path, tmp_path: Path) -> None:
    result = evaluate_out(folder, tmp_path / "out")
    jsonschema.Draft202012Validator(result_schema()).validate(result)
    published = json.loads((REPO / "schemas" / "result.schema.json").read_text(encoding="utf-8"))
    assert published == result_schema()  # regenerate with `python -m svengine.io.schemas`


def test_the_python_api_names_engine_and_method_but_no_files(folder: Path) -> None:
    inputs = svengine.load_folder(folder)
    result = svengine.evaluate(inputs.tender, inputs.bids, inputs.scores)
    assert result.audit is not None
    assert result.audit.inputs is None
    assert result.audit.method_sha256 == method_sha256(inputs.tender)
    assert result.audit.engine.version == svengine.__version__
    assert set(inputs.files) == {
        "../lib/lib.yaml",
        "bids/A1.json",
        "bids/A2.json",
        "bids/A3.json",
        "scores.csv",
        "tender.yaml",
    }
    assert inputs.files["tender.yaml"] == (folder / "tender.yaml").read_bytes()


def _method_digest(folder: Path) -> str:
    return method_sha256(svengine.load_folder(folder).tender)


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("evaluation/tender.yaml", "title: Audit test tender", "title: Renamed tender"),
        ("evaluation/tender.yaml", "title: Staffing,", "title: Staff and mobilisation,"),
        ("evaluation/tender.yaml", "id: AUD-1", "id: AUD-2"),
        ("lib/lib.yaml", "title: Carbon saved", "title: Tonnes of carbon saved"),
        ("lib/lib.yaml", 'licence: "CC0 - test values"', 'licence: "CC0"'),
    ],
)
def test_method_digest_ignores_wording(tmp_path: Path, file: str, old: str, new: str) -> None:
    before = _method_digest(make_evaluation(tmp_path))
    path = tmp_path / file
    assert old in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert _method_digest(tmp_path / "evaluation") == before


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("evaluation/tender.yaml", "price: 30, social_value: 10}", "price: 35, social_value: 5}"),
        ("evaluation/tender.yaml", "weight: 20}", "weight: 20, max_score: 10}"),
        ("evaluation/tender.yaml", "method: lowest_relative", "method: min_max_linear"),
        ("evaluation/tender.yaml", "mode: half_up", "mode: half_even"),
        ("evaluation/tender.yaml", "tie_break: [quality]", "tie_break: [price]"),
        ("evaluation/tender.yaml", 'contract_value: "1000000"', 'contract_value: "1000001"'),
        ("lib/lib.yaml", 'proxy_value: "250"', 'proxy_value: "251"'),
    ],
)
def test_method_digest_changes_with_the_method(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    before = _method_digest(make_evaluation(tmp_path))
    path = tmp_path / file
    assert old in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert _method_digest(tmp_path / "evaluation") != before


# -- byte-identical results ----------------------------------------------------------------------


def test_result_json_is_byte_identical_across_hash_seeds_and_locales(tmp_path: Path) -> None:
    folder = REPO / "examples" / "highways-lot"
    outputs = []
    for index, (seed, locale) in enumerate(
        [("0", "C"), ("1", "C.UTF-8"), ("4242", "POSIX"), ("random", "tr_TR.UTF-8")]
    ):
        out = tmp_path / f"out{index}"
        done = run_cli(
            "evaluate",
            str(folder),
            "--out",
            str(out),
            env={"PYTHONHASHSEED": seed, "LC_ALL": locale},
        )
        assert done.returncode == 0, done.stderr
        outputs.append((out / "result.json").read_bytes())
    assert all(output == outputs[0] for output in outputs[1:])


def test_bids_are_identical_whatever_the_bid_files_names_and_order(tmp_path: Path) -> None:
    first = make_evaluation(tmp_path / "one")
    second = make_evaluation(tmp_path / "two")
    for path in (second / "bids").iterdir():
        path.unlink()
    # Renamed so the file order is reversed, and two of the bids moved into one array file.
    (second / "bids" / "zz-first.json").write_text(json.dumps(BIDS["A1"]), encoding="utf-8")
    (second / "bids" / "aa-batch.json").write_text(
        json.dumps([BIDS["A3"], BIDS["A2"]]), encoding="utf-8"
    )
    results = []
    for index, folder in enumerate((first, second)):
        done = run_cli(
            "evaluate",
            str(folder),
            "--out",
            str(tmp_path / f"out{index}"),
            env={"PYTHONHASHSEED": str(index)},
        )
        assert done.returncode == 0, done.stderr
        results.append(
            json.loads((tmp_path / f"out{index}" / "result.json").read_text(encoding="utf-8"))
        )
    assert results[0]["bids"] == results[1]["bids"]
    assert results[0]["audit"]["method_sha256"] == results[1]["audit"]["method_sha256"]
    assert set(results[1]["audit"]["inputs"]) == {
        "../lib/lib.yaml",
        "bids/aa-batch.json",
        "bids/zz-first.json",
        "scores.csv",
        "tender.yaml",
    }


# -- run.json ------------------------------------------------------------------------------------


def test_run_json_records_where_when_and_on_what(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = evaluate_out(folder, out)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["engine"] == {"name": "svengine", "version": svengine.__version__}
    assert run["folder"] == str(folder.resolve())
    assert run["python"].endswith(".".join(map(str, sys.version_info[:3])))
    assert run["platform"]
    started = datetime.fromisoformat(run["started_at"].replace("Z", "+00:00"))
    finished = datetime.fromisoformat(run["finished_at"].replace("Z", "+00:00"))
    assert started <= finished
    places = {item["path"]: item for item in run["inputs"]}
    assert set(places) == set(result["audit"]["inputs"])
    assert places["../lib/lib.yaml"]["read_from"] == str((tmp_path / "lib" / "lib.yaml").resolve())
    for path, item in places.items():
        data = Path(item["read_from"]).read_bytes()
        assert item["sha256"] == sha256(data) == result["audit"]["inputs"][path]
        assert item["bytes"] == len(data)
    assert run["result"]["file_sha256"] == sha256((out / "result.json").read_bytes())
    assert run["result"]["result_sha256"] == result["audit"]["result_sha256"]
    assert run["bundle"] is None


def test_existing_run_json_is_refused_before_anything_is_written(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.json").write_text("keep me", encoding="utf-8")
    assert main(["evaluate", str(folder), "--out", str(out)]) == 1
    assert "run.json already exists" in capsys.readouterr().err
    assert not (out / "result.json").exists()
    assert (out / "run.json").read_text(encoding="utf-8") == "keep me"
    assert main(["evaluate", str(folder), "--out", str(out), "--force"]) == 0
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["folder"] == str(
        folder.resolve()
    )


def test_existing_bundle_is_refused_only_when_a_bundle_is_asked_for(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "evaluation.zip").write_bytes(b"old")
    assert main(["evaluate", str(folder), "--out", str(out), "--bundle"]) == 1
    assert not (out / "result.json").exists()
    assert main(["evaluate", str(folder), "--out", str(out)]) == 0
    assert (out / "evaluation.zip").read_bytes() == b"old"


def test_bundle_without_out_is_a_usage_error(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(folder), "--bundle"]) == 2
    assert "--bundle needs --out" in capsys.readouterr().err


# -- evaluation.zip ------------------------------------------------------------------------------


def test_bundle_holds_the_inputs_as_read_the_result_and_a_manifest(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    evaluate_out(folder, out, "--bundle")
    with zipfile.ZipFile(out / "evaluation.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
        assert archive.read("result.json") == (out / "result.json").read_bytes()
        manifest = json.loads(archive.read("manifest.json"))
        # The library sits at ../lib/lib.yaml from the folder, so the folder keeps its own name one level down.
        assert manifest["folder"] == "inputs/evaluation"
        assert archive.read("inputs/lib/lib.yaml") == (tmp_path / "lib" / "lib.yaml").read_bytes()
        assert (
            archive.read("inputs/evaluation/bids/A2.json")
            == (folder / "bids" / "A2.json").read_bytes()
        )
        listed = {item["path"]: item["sha256"] for item in manifest["files"]}
        assert set(listed) == set(names) - {"manifest.json"}
        for name, digest in listed.items():
            assert sha256(archive.read(name)) == digest
        assert {item["input"] for item in manifest["files"] if item["input"]} == set(
            json.loads(archive.read("result.json"))["audit"]["inputs"]
        )


def test_bundle_is_deterministic(folder: Path, tmp_path: Path) -> None:
    evaluate_out(folder, tmp_path / "one", "--bundle")
    done = run_cli(
        "evaluate",
        str(folder),
        "--out",
        str(tmp_path / "two"),
        "--bundle",
        env={"PYTHONHASHSEED": "7", "LC_ALL": "C"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "one" / "evaluation.zip").read_bytes() == (
        tmp_path / "two" / "evaluation.zip"
    ).read_bytes()


def test_bundle_of_a_folder_holding_its_library_has_no_parent_levels(tmp_path: Path) -> None:
    folder = make_evaluation(tmp_path)
    shutil.copy(tmp_path / "lib" / "lib.yaml", folder / "lib.yaml")
    tender = folder / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("../lib/lib.yaml", "lib.yaml"), encoding="utf-8"
    )
    evaluate_out(folder, tmp_path / "out", "--bundle")
    with zipfile.ZipFile(io.BytesIO((tmp_path / "out" / "evaluation.zip").read_bytes())) as archive:
        assert json.loads(archive.read("manifest.json"))["folder"] == "inputs"
        assert (
            "inputs/lib.yaml" in archive.namelist() and "inputs/tender.yaml" in archive.namelist()
        )
