"""fit_cohort / map_subjects on Dask: determinism, failures as data, worker crashes, tables."""

from __future__ import annotations

import os
import signal
import sys

import numpy as np
import pandas as pd
import pytest

from neuroendo import DataValidationError, FitError
from neuroendo.cohort import CohortFit, fit_cohort, map_subjects, subject_seeds, summarize
from neuroendo.fit import ScaledInput
from neuroendo.models import get, inputs
from neuroendo.models.inputs import Constant
from neuroendo.simulation import simulate

distributed = pytest.importorskip("distributed")

SPEC = get("sriram2012")
T_MIN = np.array([0, 15, 30, 40, 50, 65, 140.0])
TSST = inputs.tsst(30, duration=15, shape="square")
SIG = 0.1
N = 5


def _synthetic(n: int = N, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y0 = simulate(SPEC, [200.0], t0=0.0).y[:, 0, -1]
    amp = 3.0 * np.exp(0.3 * rng.standard_normal(n))
    vs4 = 0.907 * np.exp(0.3 * rng.standard_normal(n))
    sol = simulate(
        SPEC,
        T_MIN / 60,
        params={"V_S4": vs4},
        inputs={"stress": Constant(amp) * TSST},
        y0=np.repeat(y0[:, None], n, axis=1),
    )
    rows = []
    for a in ("acth", "cortisol"):
        v = sol[a] * np.exp(SIG * rng.standard_normal((n, T_MIN.size)))
        for i in range(n):
            rows.append(
                pd.DataFrame(
                    {
                        "subject": f"s{i}",
                        "time": T_MIN,
                        "analyte": a,
                        "value": v[i],
                        "unit": "1",
                        "group": "control" if i % 2 else "mdd",
                    }
                )
            )
    df = pd.concat(rows, ignore_index=True)
    df.attrs["units"] = {"time": "min"}
    return df


KW = {
    "free": {"A": (0.01, 100.0), "V_S4": (0.0907, 9.07)},
    "fixed": {"sigma_acth": SIG, "sigma_cortisol": SIG},
    "inputs": {"stress": ScaledInput(TSST, "A")},
    "pre_equilibration": 200.0,
    "starts": 3,
    "ci": "wald",
}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return _synthetic()


@pytest.fixture(scope="module")
def reference(data: pd.DataFrame) -> CohortFit:
    """In-process run without Dask: the result every Dask run must reproduce exactly."""
    return fit_cohort("sriram2012", data, seed=11, client="synchronous", **KW)


@pytest.fixture(scope="module")
def threads2():
    """Two single-threaded workers in this process (closed after the module)."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def procs2():
    """Two worker processes (for crash tests: a crash must not take the test process down)."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=50,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        yield client


NUMERIC = ["estimate", "std_error", "ci_lower", "ci_upper", "objective", "aic", "n_evals"]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a.sort_values(["subject", "parameter"]).reset_index(drop=True)
    b = b.sort_values(["subject", "parameter"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        a[["subject", "parameter", "status"]],
        b[["subject", "parameter", "status"]],
    )
    np.testing.assert_array_equal(a[NUMERIC].to_numpy(float), b[NUMERIC].to_numpy(float))


def test_reference_recovers_and_tabulates(reference: CohortFit) -> None:
    t = reference.table
    assert list(t.columns[:3]) == ["subject", "group", "parameter"]
    assert len(t) == 2 * N
    assert (t["status"] == "converged").all()
    assert t.attrs["model"] == "sriram2012"
    assert t.attrs["seed"] == 11
    assert t.attrs["units"] == {"A": "1", "V_S4": "/h"}
    assert (t["ci_lower"] <= t["estimate"]).all()
    assert (t["estimate"] <= t["ci_upper"]).all()
    wide = reference.estimates()
    assert wide.shape == (N, 2)
    assert list(wide.columns) == ["A", "V_S4"]
    assert reference.n_failed == 0
    assert reference.subjects.loc["s0", "group"] == "mdd"


@pytest.mark.parametrize("n_workers", [1, 2])
def test_identical_for_1_and_2_workers(data, reference, n_workers) -> None:
    res = fit_cohort("sriram2012", data, seed=11, n_workers=n_workers, processes=False, **KW)
    _same(res.table, reference.table)


def test_identical_for_any_order_and_partition(data, reference, threads2) -> None:
    # reversed rows, a subset, and one task in flight at a time: same per-subject results
    shuffled = data.iloc[::-1].reset_index(drop=True)
    shuffled.attrs = dict(data.attrs)
    part = fit_cohort(
        "sriram2012",
        shuffled,
        subjects=["s3", "s1"],
        seed=11,
        client=threads2,
        max_in_flight=1,
        **KW,
    )
    assert list(part.subjects.index) == ["s3", "s1"]
    _same(part.table, reference.table[reference.table["subject"].isin(["s1", "s3"])])
    rest = fit_cohort(
        "sriram2012", data, subjects=["s0", "s2", "s4"], seed=11, client=threads2, **KW
    )
    _same(pd.concat([part.table, rest.table]), reference.table)


def test_seed_changes_starts_not_the_optimum(data, reference) -> None:
    other = fit_cohort("sriram2012", data, subjects=["s0"], seed=12, client="synchronous", **KW)
    ref0 = reference.table[reference.table["subject"] == "s0"]
    np.testing.assert_allclose(other.table["estimate"], ref0["estimate"], rtol=1e-3)
    assert other.table.attrs["seed"] == 12


def test_failed_subject_is_data_with_skip(data, reference, threads2) -> None:
    bad = data.copy()
    bad.loc[(bad["subject"] == "s2") & (bad["time"] == 15.0), "value"] = -1.0
    res = fit_cohort("sriram2012", bad, seed=11, client=threads2, on_error="skip", **KW)
    st = res.status
    assert st["s2"] == "failed"
    assert "DataValidationError" in res.subjects.loc["s2", "message"]
    assert res.n_failed == 1
    rows = res.table[res.table["subject"] == "s2"]
    assert list(rows["parameter"]) == ["A", "V_S4"]
    assert rows["estimate"].isna().all()
    ok = res.table[res.table["subject"] != "s2"]
    _same(ok, reference.table[reference.table["subject"] != "s2"])
    with pytest.raises(DataValidationError, match=r"s2|positive|> 0"):
        fit_cohort("sriram2012", bad, seed=11, client=threads2, on_error="raise", **KW)


def test_killed_worker_process_loses_no_finished_subject(data, reference, procs2) -> None:
    """SIGKILL a worker process after the first subject finishes: Dask reruns its task."""
    pids = procs2.run(os.getpid)
    finished: list[str] = []

    def kill_one(done: int, total: int, outcome) -> None:
        finished.append(outcome.subject)
        if done == 1:
            os.kill(next(iter(pids.values())), signal.SIGKILL)

    res = fit_cohort("sriram2012", data, seed=11, client=procs2, progress=kill_one, **KW)
    assert sorted(finished) == [f"s{i}" for i in range(N)]
    assert res.n_failed == 0
    _same(res.table, reference.table)
    procs2.wait_for_workers(2, timeout=60)


CRASH_HELPER = """
import os


def crash_on_s1(part, rng):
    if part["subject"].iloc[0] == "s1":
        os._exit(3)  # the worker process dies, as on a segfault or the OOM killer
    return str(part["subject"].iloc[0])
"""


def test_crashing_subject_marked_failed_others_kept(data, tmp_path, monkeypatch) -> None:
    """A task that kills its worker every time: the subject fails, the others are kept."""
    import dask

    # an importable helper module: spawned worker processes inherit sys.path
    (tmp_path / "neuroendo_crash_helper.py").write_text(CRASH_HELPER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    from neuroendo_crash_helper import crash_on_s1

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=50,
        ) as cl,
        distributed.Client(cl, set_as_default=False) as client,
    ):
        # one task in flight, so no other subject shares the dying worker's queue
        kw = {"seed": 1, "client": client, "max_in_flight": 1}
        _, out = map_subjects(crash_on_s1, data, on_error="skip", **kw)
        by = {o.subject: o for o in out}
        assert list(by) == [f"s{i}" for i in range(N)]
        assert not by["s1"].ok
        assert "KilledWorker" in by["s1"].message
        assert all(by[s].ok and by[s].value == s for s in by if s != "s1")
        with pytest.raises(FitError, match="worker process died"):
            map_subjects(crash_on_s1, data, on_error="raise", **kw)
    sys.modules.pop("neuroendo_crash_helper", None)


def test_parquet_round_trip_and_summary(reference, tmp_path) -> None:
    p = reference.to_parquet(tmp_path / "fits.parquet")
    back = pd.read_parquet(p)
    pd.testing.assert_frame_equal(back, reference.table)
    assert back.attrs["seed"] == 11
    s = summarize(back, by="group")
    assert list(s.index.names) == ["group", "parameter"]
    assert s.loc[("mdd", "A"), "n"] == 3
    assert s.loc[("control", "A"), "n"] == 2
    assert s.loc[("mdd", "V_S4"), "unit"] == "/h"
    mdd_a = reference.table.query("group == 'mdd' and parameter == 'A'")["estimate"]
    assert s.loc[("mdd", "A"), "median"] == pytest.approx(np.median(mdd_a))
    assert s.loc[("mdd", "A"), "geo_mean"] == pytest.approx(np.exp(np.log(mdd_a).mean()))
    whole = summarize(reference, by=None)
    assert list(whole.index) == ["A", "V_S4"]


def test_subject_seeds_are_order_and_subset_free() -> None:
    r1, a = subject_seeds(["b", "a", "c"], 5)
    _, b = subject_seeds(["c", "b", "a"], 5)
    assert r1 == 5
    assert all(a[s].integers(1 << 30) == b[s].integers(1 << 30) for s in "abc")
    root, _ = subject_seeds(["a"], None)
    assert isinstance(root, int)
    with pytest.raises(ValueError, match="seed"):
        subject_seeds(["a"], -1)


def test_bad_arguments(data) -> None:
    with pytest.raises(ValueError, match=r"on_error.*Did you mean 'skip'"):
        fit_cohort("sriram2012", data, on_error="skp", client="synchronous", **KW)
    with pytest.raises(DataValidationError, match="'subjects' names \\['s9'\\]"):
        fit_cohort("sriram2012", data, subjects=["s9"], client="synchronous", **KW)
    with pytest.raises(ValueError, match="sets 'subject' per subject"):
        fit_cohort("sriram2012", data, subject="s1", client="synchronous", **KW)
    with pytest.raises(DataValidationError, match="'subject' column"):
        fit_cohort("sriram2012", data.drop(columns="subject"), client="synchronous", **KW)
    with pytest.raises(DataValidationError, match="'by' column 'grp'"):
        summarize(
            pd.DataFrame({c: [] for c in ("subject", "parameter", "estimate", "status")}), by="grp"
        )
    with pytest.raises(ValueError, match="'covariates' names column"):
        fit_cohort("sriram2012", data, covariates=["sex"], client="synchronous", **KW)
