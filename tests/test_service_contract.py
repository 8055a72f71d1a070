"""schemathesis against the served OpenAPI: bounded examples, no 5xx, every response in the contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("uvicorn")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from service_server import running_service  # noqa: E402

# One service process for the whole module (started at import: the schema is loaded from it to
# collect one test per operation), stopped when the module's last test has run.
_service = running_service()
BASE = _service.__enter__()


@pytest.fixture(scope="module", autouse=True)
def _stop_service() -> Iterator[None]:
    yield
    _service.__exit__(None, None, None)


# Every JSON endpoint reads its body with the same code (`_request_documents` then `_checked` in
# service/app.py) before it does its own work, and they all take the same folder document. The
# coverage phase's negative cases (about 1,900 malformed documents, each refused there with 422)
# are therefore drawn in full against /v1/validate, the endpoint whose whole job is that reading;
# /v1/evaluate/workbooks (multipart, its own reader) and /healthz keep them too. The other JSON
# endpoints get the coverage phase's positive cases (about 440 each: every boundary value the
# schema allows) and the fuzzing phase, so each one's own work is still driven with edge documents.
# The time this saves: docs/performance.md, "Test suite".
SHARED_READER = "^/v1/(evaluate|workbook|methodology|explain/[^/]+|summaries|robustness)$"
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-path-regex": SHARED_READER,
                "phases": {"coverage": {"generation": {"mode": "positive"}}},
            }
        ]
    }
)
schema = schemathesis.openapi.from_url(f"{BASE}/openapi.json", config=CONFIG)


@schema.parametrize()
@settings(
    # The fuzzing phase's bound per operation (the coverage phase above is deterministic and not
    # bounded by it): 15 random documents each, reproducible (derandomize).
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_service_keeps_its_contract(case: schemathesis.Case) -> None:
    # Schema-valid documents may still break a rule between fields (weights that do not add up):
    # 422 is then the right answer, so "positive data is accepted" is not a check here.
    case.call_and_validate(excluded_checks=[positive_data_acceptance], timeout=60)


def test_the_shared_reader_rule_names_every_json_endpoint_but_validate() -> None:
    # If an endpoint is added or renamed, the rule above must be reconsidered, not silently missed.
    posts = {
        path
        for path, item in schema.raw_schema["paths"].items()
        if "post" in item and path not in ("/v1/validate", "/v1/evaluate/workbooks")
    }
    assert posts == {
        "/v1/evaluate",
        "/v1/workbook",
        "/v1/methodology",
        "/v1/explain/{bidder}",
        "/v1/summaries",
        "/v1/robustness",
    }
