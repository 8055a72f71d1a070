"""schemathesis against the served OpenAPI: bounded examples, no 5xx, every response in the contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("uvicorn")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from service_server import running_service  # noqa: E402

_service = running_service()
BASE = _service.__enter__()


@pytest.fixture(scope="module", autouse=True)
def _stop_service() -> Iterator[None]:
    yield
    _service.__exit__(None, None, None)


schema = schemathesis.openapi.from_url(f"{BASE}/openapi.json")


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_service_keeps_its_contract(case: schemathesis.Case) -> None:
    # Schema-valid documents may still break a rule between fields (weights that do not add up):
    # 422 is then the right answer, so "positive data is accepted" is not a check here.
    case.call_and_validate(excluded_checks=[positive_data_acceptance], timeout=60)
