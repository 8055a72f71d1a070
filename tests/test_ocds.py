"""`svengine ocds` and `init --from-ocds` (issue 16): the package validates against OCDS 1.1 with its extensions."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

import ocds_schemas
from ocds_schemas import AWARD_EXTENSIONS, REPO, SCORES_EXTENSION
from svengine.cli.main import main


def package_validator(scores: bool) -> Draft4Validator:
    return ocds_schemas.package_validator(AWARD_EXTENSIONS, [SCORES_EXTENSION] if scores else [])


def _run(*args: str) -> None:
    # The command's entry point in this process (the process boundary is tests/test_cli.py's).
    assert main(list(args)) == 0


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ocds")
    _run("evaluate", str(REPO / "examples" / "framework-multi-lot"), "--out", str(out / "fw"))
    _run("evaluate", str(REPO / "examples" / "highways-lot"), "--out", str(out / "hl"))
    return out


@pytest.mark.parametrize("example", ["fw", "hl"])
@pytest.mark.parametrize("scores", [False, True])
def test_package_validates_with_the_extensions(recorded: Path, example: str, scores: bool) -> None:
    target = recorded / f"{example}-{scores}.json"
    _run(
        "ocds",
        str(recorded / example),
        "--out",
        str(target),
        "--buyer",
        "A Council",
        *(["--include-scores"] if scores else []),
    )
    package = json.loads(target.read_text(), parse_float=Decimal)
    errors = list(package_validator(scores).iter_errors(package))
    assert errors == [], [e.message for e in errors[:5]]
    bids = package["releases"][0]["bids"]["details"]
    assert all(("svengineScores" in b) == scores for b in bids)
    if (
        not scores
    ):  # without the option the scores extension would reject nothing, so check the text
        assert "svengineScores" not in target.read_text()


def test_statistics_hand_counted(recorded: Path) -> None:
    # framework-multi-lot, lot L3: S3, S4, S6, S7 bid; 3 SMEs, 1 VCSE, none excluded (result.json lots[2].summary).
    target = recorded / "fw-stats.json"
    _run("ocds", str(recorded / "fw"), "--out", str(target))
    release = json.loads(target.read_text(), parse_float=Decimal)["releases"][0]
    l3 = {
        s["measure"]: s["value"]
        for s in release["bids"]["statistics"]
        if s.get("relatedLot") == "L3"
    }
    assert l3 == {
        "bids": 4,
        "validBids": 4,
        "disqualifiedBids": 0,
        "finalStageBids": 4,
        "smeFinalStageBids": 3,
        "vcseFinalStageBids": 1,
    }
    assert [(a["relatedLots"], a["suppliers"][0]["id"]) for a in release["awards"]][:2] == [
        (["L1"], "S1"),
        (["L1"], "S2"),
    ]


def test_init_from_ocds_round_trip(recorded: Path, tmp_path: Path) -> None:
    release = recorded / "hl-init.json"
    _run("ocds", str(recorded / "hl"), "--out", str(release))
    library = str(REPO / "toms" / "illustrative.yaml")
    _run("init", str(tmp_path / "t"), "--from-ocds", str(release), "--library", library)
    import svengine

    started = svengine.load_tender(tmp_path / "t" / "tender.yaml")
    original = svengine.load_tender(REPO / "examples" / "highways-lot" / "tender.yaml")
    assert started.weights == original.weights
    assert [(c.title, c.weight, c.min_score) for c in started.quality_criteria] == [
        (c.title, c.weight, c.min_score) for c in original.quality_criteria
    ]
