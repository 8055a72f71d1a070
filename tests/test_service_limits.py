"""The service's time and concurrency limits (issue 16, "Limits"), over real HTTP on loopback.

With SVENGINE_TIMEOUT_SECONDS tiny, every evaluation outlives its time limit: the caller gets 503
"Evaluation took too long" with Retry-After, and the worker goes on to its end holding its slot.
With SVENGINE_MAX_CONCURRENT=1, a request arriving while that worker still runs gets 503 "Service
busy"; once the worker ends the slot is free again. The service stays up throughout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from service_server import running_service  # noqa: E402
from svengine.api_json import dumps, folder_documents  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from benchmarks.generate import write_evaluation  # noqa: E402

SMALL = (REPO / "docs" / "examples" / "evaluate-request.json").read_bytes()


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 1,000-bid evaluation request: its worker runs for far longer than a few milliseconds."""
    folder = write_evaluation(tmp_path_factory.mktemp("large") / "t", 1000)
    return dumps(folder_documents(folder)).encode()


def _title(answer: httpx.Response) -> str:
    assert answer.status_code == 503, answer.text[:300]
    assert answer.headers["retry-after"] == "5"
    assert answer.headers["content-type"].startswith("application/problem+json")
    return str(answer.json()["title"])


def test_time_limit_then_busy_then_free_again(large: bytes) -> None:
    limits = {"SVENGINE_TIMEOUT_SECONDS": "0.001", "SVENGINE_MAX_CONCURRENT": "1"}
    with running_service(limits) as base, httpx.Client(base_url=base, timeout=120) as client:
        assert _title(client.post("/v1/evaluate", content=large)) == "Evaluation took too long"
        # The 1,000-bid worker still holds the only slot: the next request cannot start.
        assert _title(client.post("/v1/evaluate", content=SMALL)) == "Service busy"
        assert client.get("/healthz").status_code == 200
        # Once the worker ends the slot is released: a request starts again. At 1 ms it then
        # either runs out of time itself or, on a quick start, is answered; never "busy" again.
        deadline = time.monotonic() + 120
        while True:
            answer = client.post("/v1/evaluate", content=SMALL)
            if answer.status_code == 200 or _title(answer) != "Service busy":
                break
            assert time.monotonic() < deadline, "the slot was never released"
            time.sleep(0.2)
        assert answer.status_code == 200 or _title(answer) == "Evaluation took too long"


def test_within_the_limits_the_same_request_is_answered() -> None:
    with running_service({"SVENGINE_MAX_CONCURRENT": "1"}) as base:
        answer = httpx.post(f"{base}/v1/evaluate", content=SMALL, timeout=120)
        assert answer.status_code == 200
        assert answer.json()["tender"]["id"] == "HR-2026-014"


def test_a_limit_that_is_not_a_positive_number_stops_the_service_with_a_sentence() -> None:
    for value in ("0", "-1", "soon"):
        done = subprocess.run(
            [sys.executable, "-m", "svengine", "serve", "--port", "1"],
            capture_output=True,
            text=True,
            env={**os.environ, "SVENGINE_TIMEOUT_SECONDS": value},
            timeout=60,
        )
        assert done.returncode != 0
        assert "SVENGINE_TIMEOUT_SECONDS must be" in done.stderr
        assert "Traceback" not in done.stderr


def test_several_worker_processes_keep_the_options_given() -> None:
    # `--workers 2`: uvicorn starts each process from the import string; the limits given as
    # options reach them through the environment (a request over --max-bids is still refused).
    documents = folder_documents(REPO / "examples" / "housing-repairs")
    with running_service({}, "--workers", "2", "--max-bids", "3") as base:
        over = httpx.post(f"{base}/v1/evaluate", content=dumps(documents).encode(), timeout=120)
        assert over.status_code == 413
        assert over.json()["problems"][0]["code"] == "too_many_bids"
    with running_service({}, "--workers", "2") as base:
        answers = [httpx.post(f"{base}/v1/evaluate", content=SMALL, timeout=120) for _ in range(4)]
        assert {a.status_code for a in answers} == {200}
        assert len({a.content for a in answers}) == 1  # any process gives the same bytes
