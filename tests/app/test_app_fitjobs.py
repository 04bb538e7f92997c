"""Cohort fit jobs in the web app: upload simulated subjects, fit them in the background, download.

Three subjects are simulated with the Sriram 2012 model (the fit jobs' default model) under a
square TSST window, each with its own ACTH clearance ``V_S4`` and 10 % log-normal noise, and
uploaded as a CSV in pg/mL and nmol/L (true measurement scales 40 and 30). The fit job must
recover each ``V_S4`` and list subjects without enough cortisol as skipped rows.
"""

from __future__ import annotations

import io
import time

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")


from neuroendo import simulate
from neuroendo.models import get, inputs
from neuroendo.models.inputs import Constant

T_MIN = np.array([0, 15, 30, 40, 50, 65, 80, 95, 110, 140.0])
TRUE_VS4 = {"f1": 0.6, "f2": 0.9, "f3": 1.4}
SCALE = {"acth": 40.0, "cortisol": 30.0}
SIG = 0.1
FIT = {
    "kind": "fit",
    "model": "sriram2012",
    "free": ["V_S4=0.0907:9.07"],
    "fixed": {"A": 3.0},
    "sigma": SIG,
    "tsst_onset": 30,
    "tsst_duration": 15,
    "starts": 3,
    "seed": 1,
}


def _simulated_csv() -> str:
    spec = get("sriram2012")
    rng = np.random.default_rng(11)
    n = len(TRUE_VS4)
    y0 = simulate(spec, [200.0], t0=0.0).y[:, 0, -1]  # on the limit cycle, as pre-equilibrated
    sol = simulate(
        spec,
        T_MIN / 60,
        params={"V_S4": np.array(list(TRUE_VS4.values()))},
        inputs={"stress": Constant(np.full(n, 3.0)) * inputs.tsst(30, duration=15, shape="square")},
        y0=np.repeat(y0[:, None], n, axis=1),
    )
    acth = SCALE["acth"] * sol["acth"] * np.exp(SIG * rng.standard_normal((n, T_MIN.size)))
    cort = SCALE["cortisol"] * sol["cortisol"] * np.exp(SIG * rng.standard_normal((n, T_MIN.size)))
    lines = ["subject,time [min],acth [pg/mL],cortisol [nmol/L]"]
    for i, code in enumerate(TRUE_VS4):
        lines += [f"{code},{t:g},{acth[i, k]:.4f},{cort[i, k]:.3f}" for k, t in enumerate(T_MIN)]
    # not fittable: ACTH only; cortisol at 3 times only
    lines += [f"x_acth,{t:g},{acth[0, k]:.4f}," for k, t in enumerate(T_MIN)]
    lines += [f"x_few,{t:g},{acth[0, k]:.4f},{cort[0, k]:.3f}" for k, t in enumerate(T_MIN[:3])]
    return "\n".join(lines) + "\n"


def _upload(client, name: str, text: str) -> None:
    r = client.post("/api/uploads", files={"file": (name, text.encode(), "text/csv")})
    assert r.status_code == 201, r.text


def _poll(client, job_id: str, limit: float = 60.0) -> tuple[dict, list[float]]:
    """Poll the job as a client would; return the final state and the progress seen."""
    seen = []
    deadline = time.monotonic() + limit
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        seen.append(job["progress"])
        if job["status"] in ("done", "failed"):
            return job, seen
        assert time.monotonic() < deadline, f"job still {job['status']} after {limit} s: {job}"
        time.sleep(0.05)


def test_fit_job_recovers_simulated_parameters(client, app):
    from sqlalchemy import select

    from neuroendo import __version__
    from neuroendo.app.store import DerivedResult, Subject

    _upload(client, "hpa.csv", _simulated_csv())
    r = client.post("/api/jobs", json=FIT)
    assert r.status_code == 202, r.text
    assert r.json()["kind"] == "fit"
    job, seen = _poll(client, r.json()["id"])
    assert job["status"] == "done", job
    assert job["progress"] == 1.0
    assert seen == sorted(seen)  # progress only moves forward
    assert "3 converged" in job["message"], job
    assert "2 skipped" in job["message"]
    assert "seed 1" in job["message"]
    res = client.get(job["result_url"])
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/csv")
    table = pd.read_csv(io.StringIO(res.text)).set_index("subject")
    assert sorted(table.index) == ["f1", "f2", "f3", "x_acth", "x_few"]
    assert {"V_S4 [/h]", "V_S4_ci_lower [/h]", "V_S4_ci_upper [/h]"} <= set(table.columns)
    assert "scale_acth [pg/mL]" in table.columns  # dimensionless states: scales estimated
    for code, truth in TRUE_VS4.items():
        row = table.loc[code]
        assert row["status"] == "converged", row["message"]
        est, lo, hi = row["V_S4 [/h]"], row["V_S4_ci_lower [/h]"], row["V_S4_ci_upper [/h]"]
        assert lo <= est <= hi
        assert (lo <= truth <= hi) or abs(est / truth - 1) < 0.3, (code, est, lo, hi, truth)
        assert row["scale_cortisol [nmol/L]"] == pytest.approx(SCALE["cortisol"], rel=0.3)
        assert row["n_data"] == 2 * T_MIN.size
    assert table.loc["x_acth", "status"] == "skipped"
    assert "no cortisol series" in table.loc["x_acth", "message"]
    assert table.loc["x_few", "status"] == "skipped"
    assert "cortisol at 3 time(s)" in table.loc["x_few", "message"]
    assert np.isnan(table.loc["x_few", "V_S4 [/h]"])
    # derived results: one estimate per fitted subject and parameter, with method and version
    with app.state.ctx.store.read() as s:
        rows = s.execute(
            select(Subject.code, DerivedResult)
            .join(Subject, DerivedResult.subject_id == Subject.id)
            .where(DerivedResult.job_id == job["id"], DerivedResult.name == "V_S4")
        ).all()
    assert sorted(code for code, _ in rows) == ["f1", "f2", "f3"]
    for code, d in rows:
        assert d.method == "sriram2012 fit"
        assert d.package_version == __version__
        assert d.unit == "/h"
        assert d.value == pytest.approx(table.loc[code, "V_S4 [/h]"])


def test_fit_job_without_cortisol_lists_skipped_subjects(client, app):
    from sqlalchemy import func, select

    from neuroendo.app.store import DerivedResult

    _upload(
        client,
        "saliva.csv",
        "subject,time [min],saliva_cortisol [nmol/L],acth [pg/mL]\n"
        + "".join(
            f"s{i},{t},{5 + t / 10:.1f},{20 + i}\n" for i in range(2) for t in (0, 10, 20, 30)
        ),
    )
    r = client.post("/api/jobs", json={"kind": "fit", "starts": 1, "seed": 0})
    assert r.status_code == 202, r.text
    job, _ = _poll(client, r.json()["id"])
    assert job["status"] == "done", job
    assert "0 converged" in job["message"], job
    assert "2 skipped" in job["message"]
    table = pd.read_csv(io.StringIO(client.get(job["result_url"]).text))
    assert list(table["subject"]) == ["s0", "s1"]
    assert set(table["status"]) == {"skipped"}
    assert all("saliva_cortisol" in m for m in table["message"])
    with app.state.ctx.store.read() as s:
        n = s.scalar(select(func.count()).where(DerivedResult.job_id == job["id"]))
    assert n == 0
    # unknown subject codes are reported, not fitted
    r = client.post("/api/jobs", json={"kind": "fit", "subjects": ["nobody"], "starts": 1})
    job, _ = _poll(client, r.json()["id"])
    assert job["status"] == "done", job
    table = pd.read_csv(io.StringIO(client.get(job["result_url"]).text))
    assert table.to_dict("records") == [
        {"subject": "nobody", "status": "skipped", "message": "no such subject"}
    ]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"model": "sriram2021"}, "Invalid value for 'model'"),
        ({"model": "gupta2007"}, "Invalid value for 'model'"),  # dimensionless time
        ({"free": ["VS4"]}, "Unknown parameter 'VS4'"),
        ({"free": ["V_S4=1:0.1"]}, "LOWER < UPPER"),
        ({"free": ["V_S4=a:b"]}, "NAME=LOWER:UPPER"),
        ({"fixed": {"K_P3": 1.0}, "free": ["K_P3"]}, "both free and fixed"),
        ({"fixed": {"A": 3.0}}, "Unknown parameter 'A'"),  # no TSST window given
        ({"model": "bangsgaard2017", "free": ["scale_acth"]}, "Unknown parameter 'scale_acth'"),
        ({"model": "karin2020"}, "'free' is empty"),
        ({"starts": 0}, "greater than or equal to 1"),
        ({"starts": 51}, "less than or equal to 50"),
        ({"ci": "bootstrap"}, "'wald', 'profile' or 'none'"),
        ({"subjects": [f"s{i}" for i in range(1001)]}, "at most 1000 subjects"),
        ({"sigma": 0}, "greater than 0"),
    ],
)
def test_invalid_fit_parameters_are_422(client, body, needle):
    r = client.post("/api/jobs", json={"kind": "fit", **body})
    assert r.status_code == 422, r.text
    assert needle in r.text
    assert client.get("/api/jobs").json() == []


def test_measures_job_ignores_fit_fields(client, app):
    r = client.post("/api/jobs", json={"kind": "measures", "query": "zzz"})
    assert r.status_code == 202
    app.state.ctx.runner.wait(r.json()["id"], timeout=60)
    with app.state.ctx.store.read() as s:
        from neuroendo.app.store import Job

        assert s.get(Job, r.json()["id"]).params == {"subjects": None, "query": "zzz"}


def test_jobs_page_starts_a_fit_and_shows_errors(client, app):
    import re

    page = client.get("/jobs")
    assert page.status_code == 200
    assert '<option value="sriram2012" selected>' in page.text
    assert 'name="kind" value="fit"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "kind": "fit", "free": "V_S4, K_P9", "starts": "2"}
    r = client.post("/jobs", data=form, follow_redirects=False)
    assert r.status_code == 422
    assert "Unknown parameter &#39;K_P9&#39;" in r.text
    assert 'value="V_S4, K_P9"' in r.text  # the form keeps what was typed
    r = client.post("/jobs", data={**form, "fixed": "A3"}, follow_redirects=False)
    assert r.status_code == 422
    assert "write NAME=VALUE" in r.text
    # without the CSRF token nothing starts
    r = client.post("/jobs", data={**form, "csrf_token": "x"}, follow_redirects=False)
    assert r.status_code == 403
    _upload(client, "hpa.csv", _simulated_csv())
    good = {
        **form,
        "query": "f1",
        "free": "V_S4",
        "fixed": "A=3",
        "sigma": "0.1",
        "tsst_onset": "30",
        "seed": "2",
    }
    r = client.post("/jobs", data=good, follow_redirects=False)
    assert r.status_code == 303, r.text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    job, _ = _poll(client, job_id)
    assert job["status"] == "done", job
    lines = client.get(job["result_url"]).text.splitlines()
    assert lines[0].startswith("subject,status,message,V_S4 [/h]")
    assert [ln.split(",")[:2] for ln in lines[1:]] == [["f1", "converged"]]
    assert "(fit)" in client.get(f"/jobs/{job_id}").text


def test_shutdown_cancels_running_and_queued_fit_jobs(client, app):
    _upload(client, "hpa.csv", _simulated_csv())
    runner = app.state.ctx.runner
    ids = [runner.submit("fit", {**FIT, "seed": k}) for k in range(3)]  # 2 threads: one queued
    runner.shutdown()
    for job_id in ids:
        job = client.get(f"/api/jobs/{job_id}").json()
        assert job["status"] == "failed", job
        assert job["message"] == "cancelled: the server stopped"
    # a later job runs on new threads
    job, _ = _poll(client, runner.submit("fit", {**FIT, "subjects": ["f2"]}))
    assert job["status"] == "done", job


def test_tidy_fit_data_times_and_reasons():
    from neuroendo.app.fitjobs import tidy_fit_data

    t0 = pd.Timestamp("2024-01-01T08:00:00Z")
    obs = pd.DataFrame(
        {
            "subject": ["d"] * 4 + ["n"] * 4 + ["a"] * 6,
            "analyte": ["cortisol"] * 8 + ["cortisol"] * 4 + ["acth"] * 2,
            "value": [300.0, 400, 350, 320, 300, 400, 350, 320, 300, 400, 350, 320, 20, 25],
            "unit": ["nmol/L"] * 12 + ["pg/mL"] * 2,
            "time": [np.nan] * 4 + [-5.0, 10, 20, 30] + [0.0, 10, 20, 30, 0, 10],
            "datetime": [t0 + pd.Timedelta(minutes=m) for m in (0, 15, 30, 60)] + [pd.NaT] * 10,
        }
    )
    data, skipped = tidy_fit_data(obs)
    assert data.attrs["units"] == {"time": "min"}
    assert list(data.columns) == ["subject", "time", "analyte", "value", "unit"]
    d = data[data["subject"] == "d"]
    assert d["time"].tolist() == [0.0, 15.0, 30.0, 60.0]  # minutes after the first sample
    assert "times start at -5 min" in skipped["n"]
    a = data[data["subject"] == "a"]
    assert set(a["analyte"]) == {"cortisol"}  # ACTH at 2 times is left out
    assert set(skipped) == {"n"}
