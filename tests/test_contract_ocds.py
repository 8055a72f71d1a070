"""`svengine contract ocds` (issue 17, "Published as OCDS"): a release package that validates against
OCDS 1.1 with the metrics and UK extensions, and that ocdskit compiles with the award's package from
`svengine ocds` into one contracting process (issue 16: "passes ocdskit's tools")."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import ocds_schemas
from ocds_schemas import AWARD_EXTENSIONS, CONTRACT_EXTENSIONS, REPO
from svengine.cli.main import main

EXAMPLE = REPO / "examples" / "contract-housing-repairs"


def _svengine(*args: str) -> None:
    # The command's entry point in this process (the process boundary is tests/test_cli.py's).
    assert main(list(args)) == 0


def _ocdskit(*args: str, stdin: bytes) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ocdskit", *args], input=stdin, check=True, capture_output=True
    )
    return done.stdout.decode("utf-8")


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The award of examples/housing-repairs and the performance of the contract started from it."""
    out = tmp_path_factory.mktemp("published")
    _svengine("evaluate", str(REPO / "examples" / "housing-repairs"), "--out", str(out / "ev"))
    _svengine("ocds", str(out / "ev"), "--out", str(out / "award.json"))
    _svengine("contract", "ocds", str(EXAMPLE), "--out", str(out / "contract.json"))
    return out


def test_contract_package_validates_with_the_metrics_and_uk_extensions(published: Path) -> None:
    package = _load(published / "contract.json")
    errors = list(ocds_schemas.package_validator(CONTRACT_EXTENSIONS).iter_errors(package))
    assert errors == [], [e.message for e in errors[:5]]
    contract = package["releases"][0]["contracts"][0]
    # The example's K1 (repairs within target time, target 95%, higher is better): Q2 96 good,
    # Q3 94 and Q4 91 approaching (within 5% of 95: >= 90.25), Q1 88 requires improvement
    # (>= 76 = 95 x 0.8); examples/contract-housing-repairs/kpis/*.csv.
    k1 = contract["implementation"]["metrics"][0]["observations"]
    assert [(o["measure"], o["measureClassification"]) for o in k1] == [
        ("96", {"id": "met", "description": "Good"}),
        ("94", {"id": "slightlyBelow", "description": "Approaching target"}),
        ("91", {"id": "slightlyBelow", "description": "Approaching target"}),
        ("88", {"id": "below", "description": "Requires improvement"}),
    ]
    assert k1[0]["period"] == {
        "startDate": "2026-04-01T00:00:00Z",
        "endDate": "2026-06-30T23:59:59Z",
    }


def test_a_contract_without_kpis_gives_the_rationale_and_still_validates(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(EXAMPLE, folder)
    for name in (folder / "kpis").iterdir():
        name.unlink()
    document = yaml.safe_load((folder / "contract.yaml").read_text(encoding="utf-8"))
    document.update(
        kind="framework", kpis=[], no_kpis_reason="A framework agreement: s.52 does not apply."
    )
    (folder / "contract.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    assert main(["contract", "ocds", str(folder), "--out", str(tmp_path / "r.json")]) == 0
    package = _load(tmp_path / "r.json")
    errors = list(ocds_schemas.package_validator(CONTRACT_EXTENSIONS).iter_errors(package))
    assert errors == [], [e.message for e in errors[:5]]
    release = package["releases"][0]
    assert release["contracts"][0]["noAgreedMetricsRationale"] == (
        "A framework agreement: s.52 does not apply."
    )
    assert "implementation" not in release["contracts"][0] and release["tag"] == ["contract"]


def test_same_folder_same_bytes(published: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    assert main(["contract", "ocds", str(EXAMPLE), "--out", str(again)]) == 0
    assert again.read_bytes() == (published / "contract.json").read_bytes()
    # The default date is the latest return received (contract.yaml `received`), not the clock.
    assert _load(again)["publishedDate"] == "2027-04-28T00:00:00Z"


def test_ocdskit_detects_both_packages(published: Path) -> None:
    for name in ("award.json", "contract.json"):
        found = _ocdskit("detect-format", str(published / name), stdin=b"")
        assert found.strip() == f"{published / name}: release package"


def test_ocdskit_compiles_the_award_and_the_contract_into_one_process(
    published: Path, tmp_path: Path
) -> None:
    schema = ocds_schemas.patched_release_schema(sorted({*AWARD_EXTENSIONS, *CONTRACT_EXTENSIONS}))
    (tmp_path / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    packages = (published / "award.json").read_bytes() + (published / "contract.json").read_bytes()
    lines = _ocdskit("compile", "--schema", str(tmp_path / "schema.json"), stdin=packages)
    compiled = [json.loads(line, parse_float=Decimal) for line in lines.splitlines()]
    assert len(compiled) == 1  # one OCID: the award and the contract are one contracting process
    release = compiled[0]
    assert release["ocid"] == "ocds-xxxxxx-HR-2026-014"
    assert [a["id"] for a in release["awards"]] == ["1-B1"]
    assert [(c["id"], c["awardID"]) for c in release["contracts"]] == [("HR-2026-014-B1", "1-B1")]
    assert release["awards"][0]["suppliers"] == [
        {"id": "B1", "name": "Calder Valley Building Services Ltd"}
    ]
    validator = ocds_schemas.package_validator(sorted({*AWARD_EXTENSIONS, *CONTRACT_EXTENSIONS}))
    as_package = {
        "uri": "urn:test",
        "version": "1.1",
        "publishedDate": release["date"],
        "publisher": {"name": "test"},
        "releases": [release],
    }
    errors = list(validator.iter_errors(as_package))
    assert errors == [], [e.message for e in errors[:5]]
