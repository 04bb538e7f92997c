"""Property-based run of the JSON API against its OpenAPI schema: no server errors."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from neuroendo.app import Settings, create_app, load_demo  # noqa: E402


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # schemathesis calls the ASGI app as host "testserver"
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("schemathesis"),
        allowed_hosts=("testserver", "127.0.0.1", "localhost"),
    )
    application = create_app(settings)
    load_demo(application)
    yield application
    application.state.ctx.runner.shutdown()


def test_openapi_schema_has_the_operations(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as c:
        spec = c.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/subjects",
        "/api/uploads",
        "/api/uploads/lint",
        "/api/simulate",
        "/api/jobs",
        "/api/jobs/{job_id}/result",
        "/api/subjects/{code}/balance",
    } <= paths


def _fuzz(operation, failures):
    from hypothesis import given

    @given(operation.as_strategy())
    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call()
        if response.status_code >= 500:
            failures.append(f"{operation.label}: {response.status_code} {response.text[:200]}")
        case.validate_response(response, checks=[not_a_server_error])

    run()


def test_api_fuzz_no_server_errors(app):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    labels = []
    for op in schema.get_all_operations():
        operation = op.ok()
        labels.append(operation.label)
        _fuzz(operation, failures)
    assert len(labels) >= 14
    assert failures == []
