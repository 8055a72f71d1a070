"""The HTTP service, called over real HTTP: the same result.json as the CLI, problems as RFC 9457."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from jsonschema import Draft202012Validator  # noqa: E402

import svengine  # noqa: E402
from service_server import running_service  # noqa: E402
from svengine.api_json import dumps, folder_documents  # noqa: E402
from svengine.service.openapi import openapi_text  # noqa: E402
from xlsx_helpers import as_workbook_folder  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if (p / "tender.yaml").exists())


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    with running_service() as base:
        yield base


def without_input_record(text: str | bytes) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    del document["audit"]["inputs"], document["audit"]["result_sha256"]
    return document


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_evaluate_answers_the_clis_result_json(service: str, folder: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "svengine", "evaluate", str(folder), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    answer = httpx.post(
        f"{service}/v1/evaluate",
        content=dumps(folder_documents(folder)).encode(),
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    expected = (tmp_path / "result.json").read_bytes()
    assert without_input_record(answer.content) == without_input_record(expected)
    assert answer.text == svengine.evaluate_documents(**folder_documents(folder)).to_json()


def test_invalid_input_is_a_422_problem_with_the_clis_codes(service: str) -> None:
    documents = folder_documents(REPO / "examples" / "housing-repairs")
    documents["bids"][2]["price"] = "12.5e3"
    answer = httpx.post(f"{service}/v1/evaluate", content=dumps(documents).encode(), timeout=60)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    schema = json.loads((REPO / "schemas" / "problems.schema.json").read_text())
    Draft202012Validator(schema).validate(problem["problems"])
    found = problem["problems"][0]
    assert found["code"] == "bad_number"
    assert found["location"] == {"file": "bids", "path": "$[2].price"}


@pytest.mark.parametrize(
    ("endpoint", "detail"),
    [
        ("/v1/evaluate", "1 problem in the input; nothing was evaluated"),
        ("/v1/explain/B1", "1 problem in the input; nothing was evaluated"),
        (
            "/v1/validate",
            "1 problem in the input",
        ),  # validate evaluates nothing, so does not say so
    ],
)
def test_the_problem_detail_says_what_was_not_done_only_where_it_would_have_been(
    service: str, endpoint: str, detail: str
) -> None:
    documents = folder_documents(REPO / "examples" / "housing-repairs")
    documents["bids"][2]["price"] = "12.5e3"
    answer = httpx.post(f"{service}{endpoint}", content=dumps(documents).encode(), timeout=60)
    assert answer.status_code == 422
    assert answer.json()["detail"] == detail


def test_methodology_problems_do_not_say_nothing_was_evaluated(service: str) -> None:
    tender = folder_documents(REPO / "examples" / "housing-repairs")["tender"]
    answer = httpx.post(
        f"{service}/v1/methodology",
        content=dumps({"tender": {**tender, "colour": "blue"}}).encode(),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == "1 problem in the input"


def test_a_body_over_the_limit_is_413_and_the_service_stays_up() -> None:
    with running_service({"SVENGINE_MAX_BODY_BYTES": "1000"}) as base:
        answer = httpx.post(f"{base}/v1/evaluate", content=b"[" + b"1," * 2000 + b"1]")
        assert answer.status_code == 413
        assert answer.json()["problems"][0]["code"] == "too_large"
        assert httpx.get(f"{base}/healthz").status_code == 200


def test_too_many_bids_is_413() -> None:
    documents = folder_documents(REPO / "examples" / "housing-repairs")
    with running_service({"SVENGINE_MAX_BIDS": "3"}) as base:
        answer = httpx.post(f"{base}/v1/evaluate", content=dumps(documents).encode(), timeout=60)
    assert answer.status_code == 413
    assert answer.json()["problems"][0]["code"] == "too_many_bids"


def test_with_a_token_requests_need_it() -> None:
    body = (REPO / "docs" / "examples" / "evaluate-request.json").read_bytes()
    with running_service({"SVENGINE_API_TOKEN": "s3cret"}) as base:
        assert httpx.post(f"{base}/v1/validate", content=body).status_code == 401
        wrong = {"authorization": "Bearer nope"}
        assert httpx.post(f"{base}/v1/validate", content=body, headers=wrong).status_code == 401
        right = {"authorization": "Bearer s3cret"}
        answer = httpx.post(f"{base}/v1/validate", content=body, headers=right, timeout=60)
        assert answer.json() == {"valid": True, "bids": 6}


def test_serve_refuses_a_public_address_without_a_token() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "svengine", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env={k: v for k, v in __import__("os").environ.items() if k != "SVENGINE_API_TOKEN"},
        timeout=60,
    )
    assert done.returncode == 2
    assert "without a token" in done.stderr


def test_workbooks_upload_gives_the_folders_result(service: str, tmp_path: Path) -> None:
    folder = REPO / "examples" / "housing-repairs"
    as_workbook_folder(folder, tmp_path / "wb")
    documents = folder_documents(folder)
    answer = httpx.post(
        f"{service}/v1/evaluate/workbooks",
        files={
            "tender": (None, dumps(documents["tender"])),
            "library": (None, dumps(documents["library"])),
            "bids": ("bids.xlsx", (tmp_path / "wb" / "bids.xlsx").read_bytes()),
            "scores": ("scores.xlsx", (tmp_path / "wb" / "scores.xlsx").read_bytes()),
        },
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    assert without_input_record(answer.content) == without_input_record(
        svengine.evaluate_folder(folder).to_json()
    )
    assert sorted(json.loads(answer.content)["audit"]["inputs"]) == [
        "bids.xlsx",
        "library",
        "scores.xlsx",
        "tender",
    ]


@pytest.mark.parametrize(
    ("example", "bidder", "lot"),
    [("housing-repairs", "B1", None), ("framework-multi-lot", "S6", "L3")],
)
def test_a_refused_bid_in_bids_xlsx_is_one_problem_not_a_bidder_with_no_bid(
    service: str, tmp_path: Path, example: str, bidder: str, lot: str | None
) -> None:
    # The bidder's scores (and, for S6, the decision that its Lot 3 price is abnormally low) were
    # reported as belonging to a bidder "who has no bid": four and five false problems before.
    import openpyxl

    folder = REPO / "examples" / example
    as_workbook_folder(folder, tmp_path / "wb")
    book = openpyxl.load_workbook(tmp_path / "wb" / "bids.xlsx")
    sheet = book["Bids"]
    heading = [c.value for c in sheet[1]]
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, 1).value == bidder
        and (lot is None or sheet.cell(r, heading.index("lot") + 1).value == lot)
    )
    price = heading.index("price") + 1
    sheet.cell(row, price).value = "4,612,000"
    book.save(tmp_path / "wb" / "bids.xlsx")
    documents = folder_documents(folder)
    answer = httpx.post(
        f"{service}/v1/evaluate/workbooks",
        files={
            **{
                name: (None, dumps(documents[name]))
                for name in ("tender", "library", "decisions")
                if documents.get(name) is not None
            },
            "bids": ("bids.xlsx", (tmp_path / "wb" / "bids.xlsx").read_bytes()),
            "scores": ("scores.xlsx", (tmp_path / "wb" / "scores.xlsx").read_bytes()),
        },
        timeout=60,
    )
    assert answer.status_code == 422, answer.text
    assert [(p["code"], p["location"]) for p in answer.json()["problems"]] == [
        (
            "not_a_number",
            {"file": "bids.xlsx", "sheet": "Bids", "row": row, "column": "G"},
        )
    ]
    assert answer.json()["detail"] == "1 problem in the input; nothing was evaluated"


def test_the_other_endpoints_answer(service: str) -> None:
    body = (REPO / "docs" / "examples" / "evaluate-request.json").read_bytes()
    workbook = httpx.post(f"{service}/v1/workbook", content=body, timeout=60)
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    explained = httpx.post(f"{service}/v1/explain/B1", content=body, timeout=60)
    assert explained.status_code == 200 and "Ranked 1 of 5" in explained.text
    unknown = httpx.post(f"{service}/v1/explain/ZZ", content=body, timeout=60)
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["code"] == "unknown_bidder"
    summaries = httpx.post(f"{service}/v1/summaries", content=body, timeout=60).json()
    assert sorted(summaries) == ["B1", "B2", "B3", "B4", "B5", "B6"]
    robustness = httpx.post(f"{service}/v1/robustness?samples=50", content=body, timeout=60)
    assert robustness.json()["information_only"] is True
    request = json.loads(body)
    method = httpx.post(
        f"{service}/v1/methodology",
        json={"tender": request["tender"], "library": request["library"]},
        timeout=60,
    )
    assert method.status_code == 200 and method.headers["content-type"].startswith("text/markdown")


def test_openapi_served_equals_the_published_file(service: str) -> None:
    served = httpx.get(f"{service}/openapi.json").json()
    assert served == json.loads((REPO / "schemas" / "openapi.json").read_text(encoding="utf-8"))
    assert (REPO / "schemas" / "openapi.json").read_text(encoding="utf-8") == openapi_text(), (
        "regenerate with: python -m svengine.service.openapi"
    )
