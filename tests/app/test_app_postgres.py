"""The app on PostgreSQL: migrations, the upload -> subject -> job flow, one-transaction uploads.

Uses ``NEUROENDO_TEST_POSTGRES_URL`` (e.g.
``postgresql://neuroendo:neuroendo@127.0.0.1:5432/neuroendo_test``; the psycopg 3 driver is
selected for ``postgresql://`` URLs) and skips when it is unset or the server is unreachable.
Each test runs in its own schema, dropped afterwards. Load and crash tests on PostgreSQL are in
``test_app_reliability.py``.
"""

from __future__ import annotations

import json
import os
import secrets

import pytest

pytest.importorskip("fastapi")
sqlalchemy = pytest.importorskip("sqlalchemy")


from neuroendo.app import Settings, create_app  # noqa: E402

LABS = (
    "subject,sex,age,tsh [mIU/L],ft4 [pmol/L],testosterone [nmol/L]\n"
    "s1,F,40,1.5,16.0,1.0\n"
    "s2,M,50,3.0,12.0,15.0\n"
)
FHIR = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {
            "resource": {
                "resourceType": "Observation",
                "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "14920-3"}]},
                "subject": {"reference": "Patient/f1"},
                "effectiveDateTime": "2024-03-05T08:00:00+01:00",
                "valueQuantity": {
                    "value": 16.5,
                    "unit": "pmol/L",
                    "system": "http://unitsofmeasure.org",
                    "code": "pmol/L",
                },
            }
        }
    ],
}


def _schema_url(base: str, schema: str) -> str:
    url = sqlalchemy.engine.make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def pg_url():
    base = os.environ.get("NEUROENDO_TEST_POSTGRES_URL", "").strip()
    if not base:
        pytest.skip("PostgreSQL not configured: set NEUROENDO_TEST_POSTGRES_URL")
    pytest.importorskip("psycopg")
    schema = f"ne_test_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(_schema_url(base, "public"))
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sqlalchemy.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at NEUROENDO_TEST_POSTGRES_URL not reachable: {exc}")
    try:
        yield _schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def app(pg_url, tmp_path):
    application = create_app(Settings(data_dir=tmp_path / "data", database_url=pg_url))
    yield application
    application.state.ctx.runner.shutdown()
    application.state.ctx.store.dispose()


def _upload(client, name, text):
    return client.post("/api/uploads", files={"file": (name, text.encode(), "text/csv")})


def test_migrations_on_postgres_reach_head_and_are_idempotent(app, pg_url):
    from neuroendo.app.migrations import HEAD, current
    from neuroendo.app.store import Store

    store = app.state.ctx.store
    assert store.engine.dialect.name == "postgresql"
    assert current(store.engine) == HEAD
    again = Store(pg_url)  # a second start migrates nothing and fails nothing
    try:
        assert current(again.engine) == HEAD
        names = set(sqlalchemy.inspect(again.engine).get_table_names())
    finally:
        again.dispose()
    assert {"subjects", "uploads", "observations", "jobs", "derived_results"} <= names


def test_upload_subject_balance_job_on_postgres(client, app):
    r = _upload(client, "labs.csv", LABS)
    assert r.status_code == 201, r.text
    assert r.json()["upload"]["n_observations"] == 6
    assert _upload(client, "again.csv", LABS).status_code == 409
    r = client.post("/api/uploads", files={"file": ("b.json", json.dumps(FHIR).encode())})
    assert r.status_code == 201, r.text
    subjects = client.get("/api/subjects", params={"q": "s"}).json()
    assert [(s["code"], s["sex"], s["age"]) for s in subjects] == [
        ("s1", "F", 40.0),
        ("s2", "M", 50.0),
    ]
    f1 = client.get("/api/subjects/f1").json()
    assert f1["observations"][0]["datetime"].startswith("2024-03-05T07:00:00")
    bal = client.get("/api/subjects/s1/balance").json()
    assert bal["index"] is not None
    assert client.get("/subjects/s1").status_code == 200
    r = client.post("/api/jobs", json={"kind": "measures", "query": "s"})
    assert r.status_code == 202
    job_id = r.json()["id"]
    app.state.ctx.runner.wait(job_id, timeout=60)
    job = client.get(f"/api/jobs/{job_id}").json()
    assert job["status"] == "done", job
    lines = client.get(job["result_url"]).text.splitlines()
    assert {ln.split(",")[0] for ln in lines[1:]} == {"s1", "s2"}
    assert [j["id"] for j in client.get("/api/jobs").json()] == [job_id]


def test_failed_transaction_leaves_nothing_on_postgres(client, monkeypatch, tmp_path):
    def boom(*args, **kwargs):  # fails after the upload and subject rows were written
        raise RuntimeError("disk full")

    monkeypatch.setattr(sqlalchemy, "insert", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        _upload(client, "labs.csv", LABS)
    monkeypatch.undo()
    assert client.get("/api/subjects").json() == []
    assert client.get("/api/uploads").json() == []
    assert not any((tmp_path / "data" / "files").glob("*.csv"))
    assert _upload(client, "labs.csv", LABS).status_code == 201
