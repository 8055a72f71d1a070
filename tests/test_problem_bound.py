"""At most 1,000 problems are kept and shown; the rest are counted (issue 14, docs/reliability.md).

A hostile bids file can hold millions of problems. Only the first 1,000 in `problem_order` (file,
line, JSON path with indices as numbers) are kept, deterministically; a last `more_problems`
stand-in carries how many more there are, to the CLI, to InvalidInput and to the service.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import svengine
from svengine.problems import (
    MAX_PROBLEMS,
    InvalidInput,
    Location,
    MoreProblems,
    Problem,
    bounded,
    problem_count,
    problem_order,
)

REPO = Path(__file__).resolve().parent.parent
BAD = 5_000


def hostile_folder(root: Path, commitments: int = BAD) -> Path:
    """housing-repairs plus bids/B9.json whose every commitment has the quantity "q"."""
    folder = root / "hostile"
    shutil.copytree(REPO / "examples" / "housing-repairs", folder)
    tender = folder / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("../../toms/illustrative.yaml", "illustrative"),
        encoding="utf-8",
    )
    bid = json.loads((folder / "bids" / "B1.json").read_text(encoding="utf-8"))
    bid["bidder"]["id"] = bid["bidder"]["name"] = "B9"
    bid["social_value"] = [
        {"measure": "EX-JOB-1", "quantity": "q", "years": 3} for _ in range(commitments)
    ]
    (folder / "bids" / "B9.json").write_text(json.dumps(bid), encoding="utf-8")
    return folder


def test_cli_shows_exactly_1000_problems_then_how_many_more(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "svengine", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    # 5,000 bad quantities and, as B9 has no scores, 4 missing scores (Q1, Q2, Q3, SV1)
    assert lines[0] == "5,004 problems found:"  # validate evaluates and writes nothing anyway
    shown = [line for line in lines[1:] if not line.startswith("  ... and")]
    assert len(shown) == MAX_PROBLEMS
    bid = str(folder / "bids" / "B9.json")
    assert shown == [
        f'  {bid} $.social_value[{i}].quantity: "quantity" must be a number with at most 15 digits'
        f' before the decimal point and 6 after it (no exponent), not "q"'
        for i in range(MAX_PROBLEMS)
    ]  # in document order: [10] after [9], not after [1]
    assert lines[-1] == (
        "  ... and 4,004 more problems (the first 1,000 are shown; fix those and run again)"
    )
    assert len(lines) == 1 + MAX_PROBLEMS + 1


def test_invalid_input_keeps_1000_and_counts_the_rest(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    try:
        svengine.load_folder(folder)
    except InvalidInput as error:
        caught = error
    else:
        raise AssertionError("the hostile folder was accepted")
    listed = [p for p in caught.problems if not isinstance(p, MoreProblems)]
    assert len(listed) == MAX_PROBLEMS
    assert caught.count == BAD + 4 and caught.more == BAD + 4 - MAX_PROBLEMS
    stand_in = caught.problems[-1]
    assert isinstance(stand_in, MoreProblems) and stand_in.code == "more_problems"
    assert stand_in.count == 4_004
    assert "... and 4,004 more problems" in stand_in.message
    assert str(caught).startswith("5,004 problems in the input:")


def test_parse_bids_of_a_hostile_bid_is_bounded_and_deterministic() -> None:
    bid = json.loads((REPO / "examples" / "housing-repairs" / "bids" / "B1.json").read_text())
    bid["social_value"] = [{"measure": "EX-JOB-1", "quantity": "q", "years": 3}] * 3_000
    answers = []
    for _ in range(2):
        try:
            svengine.parse_bids(bid, "B1.json")
        except InvalidInput as error:
            answers.append([p.to_dict() for p in error.problems])
    assert len(answers) == 2 and answers[0] == answers[1]
    assert len(answers[0]) == MAX_PROBLEMS + 1
    assert answers[0][-1]["code"] == "more_problems"
    assert answers[0][-1]["location"] == {"file": "B1.json"}
    assert "2,000 more problems" in str(answers[0][-1]["message"])


def test_service_problem_json_lists_1000_and_says_how_many_more() -> None:
    import pytest

    pytest.importorskip("uvicorn")
    httpx = pytest.importorskip("httpx")
    from service_server import running_service
    from svengine.api_json import dumps, folder_documents

    documents = folder_documents(REPO / "examples" / "housing-repairs")
    documents["bids"][0]["social_value"] = [
        {"measure": "EX-JOB-1", "quantity": "q", "years": 3}
    ] * BAD
    with running_service() as base:
        answer = httpx.post(f"{base}/v1/validate", content=dumps(documents).encode(), timeout=120)
    assert answer.status_code == 422
    body = answer.json()
    schema = json.loads((REPO / "schemas" / "problems.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(body["problems"])
    assert len(body["problems"]) == MAX_PROBLEMS + 1
    assert body["problems"][-1]["code"] == "more_problems"
    # 5,000 bad quantities; B1's scores are not also refused: a bid present but invalid still counts
    # as present (one mistake, one message), as in the folder reader
    assert body["detail"] == "5,000 problems in the input"  # validate evaluates nothing
    assert "4,000 more problems" in body["problems"][-1]["message"]


problems = st.lists(
    st.builds(
        lambda file, index, word: Problem(
            "schema", f"bad {word}", Location(file=file, path=f"$.social_value[{index}].quantity")
        ),
        st.sampled_from(["a.json", "b.json"]),
        st.integers(0, 30),
        st.sampled_from(["x", "y"]),
    ),
    unique_by=str,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(problems, st.integers(1, 20), st.randoms(use_true_random=False))
def test_bounded_keeps_the_first_in_order_whatever_the_arrival(
    found: list[Problem], limit: int, shuffle: random.Random
) -> None:
    arrived = list(found)
    shuffle.shuffle(arrived)
    kept = bounded(arrived, limit)
    if len(found) <= limit:
        assert kept == arrived  # nothing cut: the list as it came
        return
    assert kept[:-1] == sorted(found, key=problem_order)[:limit]
    stand_in = kept[-1]
    assert isinstance(stand_in, MoreProblems) and stand_in.count == len(found) - limit
    assert problem_count(kept) == len(found)
    # Cutting again (as when lists of several files are gathered) keeps the same and the count.
    assert bounded(kept, limit) == kept
    assert problem_count(bounded([*kept, *kept[:-1]], limit)) == len(found) + limit


def test_batch_counts_every_problem_of_a_hostile_tender(tmp_path: Path) -> None:
    hostile_folder(tmp_path / "root")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "svengine",
            "batch",
            str(tmp_path / "root"),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stderr
    with open(tmp_path / "out" / "summary.csv", encoding="utf-8", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert row["tender"] == "hostile" and row["status"] == "invalid"
    assert row["problems"] == "5004"  # 1,000 listed and 4,004 counted
    assert "hostile: invalid, 5,004 problems:" in run.stderr
    assert "  ... and 4,984 more (see" in run.stderr  # batch prints the first 20


def test_grammar_problems_past_the_bound_are_not_counted_twice() -> None:
    """1,500 binary floats: each is a grammar problem the schema would also see; once each."""
    bid = json.loads((REPO / "examples" / "housing-repairs" / "bids" / "B1.json").read_text())
    bid["social_value"] = [{"measure": "EX-JOB-1", "quantity": 0.1, "years": 3}] * 1_500
    try:
        svengine.parse_bids(bid, "B1.json")
    except InvalidInput as error:
        assert error.count == 1_500 and error.more == 500
        assert {p.code for p in error.problems} == {"bad_number", "more_problems"}
    else:
        raise AssertionError("binary floats were accepted")
