"""Virtual cohorts: sampling, chunking and order invariance, reducers, Parquet output."""

import numpy as np
import pandas as pd
import pytest

from neuroendo import DataValidationError, ModelDefinitionError
from neuroendo.models import inputs
from neuroendo.simulation import (
    LogNormal,
    Solution,
    Uniform,
    sample_parameters,
    simulate,
    simulate_cohort,
    to_parquet,
    to_zarr,
)

pytest.importorskip("numba")

T = np.linspace(0.0, 48.0, 97)
PARAMS = {
    **{k: Uniform(factor=(0.8, 1.2)) for k in ("ki1", "kcd", "ki2", "kad", "k", "kcr", "krd")},
    "amp": Uniform(factor=(0.8, 1.2), nominal=0.5),
    "phi": Uniform(factor=(0.8, 1.2), nominal=6.0),
}
DRIVE = {"drive": lambda d: inputs.circadian(d["amp"], d["phi"], time_unit="1")}
KW = {"params": PARAMS, "inputs": DRIVE, "rtol": 1e-6, "atol": 1e-9}


def test_seed_determinism_and_difference():
    a = simulate_cohort("gupta2007", T, 20, seed=1, reduce="max:cortisol", **KW)
    b = simulate_cohort("gupta2007", T, 20, seed=1, reduce="max:cortisol", **KW)
    c = simulate_cohort("gupta2007", T, 20, seed=2, reduce="max:cortisol", **KW)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["cortisol_max"], c["cortisol_max"])


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_chunking_invariance(chunk):
    ref = simulate_cohort("gupta2007", T, 20, seed=5, reduce=["auc", "argmax:cortisol"], **KW)
    got = simulate_cohort(
        "gupta2007", T, 20, seed=5, reduce=["auc", "argmax:cortisol"], chunk_size=chunk, **KW
    )
    pd.testing.assert_frame_equal(ref, got)


def test_full_solution_chunking_and_features_agree():
    sol = simulate_cohort("gupta2007", T, 18, seed=3, chunk_size=5, **KW)
    assert isinstance(sol, Solution)
    assert sol.y.shape == (4, 18, T.size)
    one = simulate_cohort("gupta2007", T, 18, seed=3, chunk_size=18, **KW)
    np.testing.assert_array_equal(sol.y, one.y)
    feats = simulate_cohort("gupta2007", T, 18, seed=3, reduce="auc:cortisol", **KW)
    np.testing.assert_allclose(feats["cortisol_auc"], np.trapezoid(sol.y[3], T, axis=-1))
    ds = sol.to_xarray()
    assert ds["cortisol"].dims == ("subject", "time")


def test_subject_order_invariance_with_a_parameter_table():
    draws = sample_parameters("gupta2007", 12, {k: PARAMS[k] for k in ("kcd", "krd")}, seed=9)
    table = pd.DataFrame(draws)
    a = simulate_cohort("gupta2007", T, params=table, reduce="mean", rtol=1e-6, atol=1e-9)
    perm = np.random.default_rng(0).permutation(12)
    b = simulate_cohort(
        "gupta2007", T, params=table.iloc[perm].reset_index(drop=True), reduce="mean", rtol=1e-6,
        atol=1e-9,
    )  # fmt: skip
    np.testing.assert_array_equal(a["cortisol_mean"].to_numpy()[perm], b["cortisol_mean"])


def test_cohort_matches_direct_simulation():
    draws = sample_parameters("gupta2007", 10, PARAMS, seed=4)
    params = {k: v for k, v in draws.items() if k not in ("amp", "phi")}
    drive = inputs.circadian(draws["amp"], draws["phi"], time_unit="1")
    direct = simulate("gupta2007", T, params=params, inputs={"drive": drive}, backend="numba",
                      rtol=1e-6, atol=1e-9)  # fmt: skip
    cohort = simulate_cohort("gupta2007", T, 10, seed=4, **KW)
    np.testing.assert_array_equal(direct.y, cohort.y)


def test_sampling_is_a_function_of_subject_index():
    a = sample_parameters("gupta2007", 30, LogNormal(0.3), seed=11)
    b = sample_parameters("gupta2007", 10, LogNormal(0.3), seed=11, start=20)
    for k in a:
        np.testing.assert_array_equal(a[k][20:], b[k])
    # quantities get independent streams
    assert not np.allclose(a["kcd"] / 1.0, a["krd"] / 0.9)


def test_lognormal_and_uniform_statistics():
    d = sample_parameters("gupta2007", 40_000, {"kcd": LogNormal(0.2), "krd": Uniform()}, seed=1)
    log = np.log(d["kcd"])
    assert abs(np.exp(np.median(log)) - 1.0) < 0.01
    assert abs(np.std(log) - np.sqrt(np.log1p(0.04))) < 0.005
    lo, hi = (1e-2, 10.0)  # krd bounds
    assert d["krd"].min() >= lo
    assert d["krd"].max() <= hi
    assert abs(d["krd"].mean() - (lo + hi) / 2) < 0.1


def test_callable_reducer_and_units():
    def peak_ratio(sol):
        return {"ratio": sol["cortisol"].max(axis=1) / sol["cortisol"].min(axis=1)}

    df = simulate_cohort("gupta2007", T, 9, seed=2, reduce=peak_ratio, chunk_size=4, **KW)
    assert list(df.columns[:1]) == ["ratio"]
    assert (df["ratio"] > 1).all()
    assert (df["status"] == "ok").all()
    df2 = simulate_cohort("gupta2007", T, 3, seed=2, reduce="auc:cortisol", **KW)
    assert df2.attrs["units"]["cortisol_auc"] == "1"


def test_parquet_output(tmp_path):
    df = simulate_cohort("gupta2007", T, 11, seed=2, reduce="max", chunk_size=4, **KW)
    path = simulate_cohort(
        "gupta2007", T, 11, seed=2, reduce="max", chunk_size=4, output=tmp_path / "f.parquet", **KW
    )
    back = pd.read_parquet(path).set_index("subject")
    pd.testing.assert_frame_equal(back, df, check_like=True, check_index_type=False)
    sol = simulate_cohort("gupta2007", T, 3, seed=2, **KW)
    long = pd.read_parquet(to_parquet(sol, tmp_path / "traj.parquet"))
    assert len(long) == 3 * T.size
    np.testing.assert_array_equal(long["cortisol"].to_numpy().reshape(3, -1), sol.y[3])
    streamed = simulate_cohort("gupta2007", T, 3, seed=2, output=tmp_path / "s.parquet", **KW)
    assert pd.read_parquet(streamed)["cortisol"].tolist() == long["cortisol"].tolist()


def test_errors_name_the_argument():
    with pytest.raises(ModelDefinitionError, match="no parameter 'kdc'"):
        simulate_cohort("gupta2007", T, 4, params={"kdc": LogNormal(0.1)})
    with pytest.raises(DataValidationError, match="'n'"):
        simulate_cohort("gupta2007", T, 0)
    with pytest.raises(DataValidationError, match="chunk_size"):
        simulate_cohort("gupta2007", T, 4, chunk_size=0)
    with pytest.raises(ValueError, match="reduce"):
        simulate_cohort("gupta2007", T, 4, reduce="median")
    with pytest.raises(DataValidationError, match="rows"):
        simulate_cohort("gupta2007", T, 4, params=pd.DataFrame({"kcd": [1.0, 1.1]}))
    with pytest.raises(ValueError, match="cv"):
        LogNormal(-1.0)


@pytest.mark.parametrize("reduce", [None, "max:cortisol"])
def test_progress_callback_reports_every_chunk(reduce):
    calls = []
    simulate_cohort(
        "gupta2007",
        T,
        10,
        seed=1,
        reduce=reduce,
        chunk_size=4,
        progress=lambda d, n: calls.append((d, n)),
        **KW,
    )
    assert calls == [(4, 10), (8, 10), (10, 10)]


def test_uninitialised_output_is_fully_written():
    # the kernel allocates its output with np.empty: every entry of a partial lane block (11
    # subjects = one block of 8 and one of 3) and at t = t0 must be written
    sol = simulate_cohort("gupta2007", T, 11, seed=4, chunk_size=11, **KW)
    assert np.isfinite(sol.y).all()
    np.testing.assert_array_equal(sol.y[:, :, 0], np.repeat(sol.y[:, :1, 0], 11, axis=1))


@pytest.mark.parametrize("reduce", [None, "max:cortisol"])
def test_zarr_output_streams_chunks(tmp_path, reduce):
    xr = pytest.importorskip("xarray")
    pytest.importorskip("zarr")
    ref = simulate_cohort("gupta2007", T, 10, seed=2, reduce=reduce, **KW)
    path = simulate_cohort(
        "gupta2007", T, 10, seed=2, reduce=reduce, chunk_size=4, output=tmp_path / "c.zarr", **KW
    )
    ds = xr.open_zarr(path, consolidated=False)
    assert ds["subject"].values.tolist() == list(range(10))
    if reduce is None:
        np.testing.assert_array_equal(ds["cortisol"].values, ref.y[3])
        assert ds["cortisol"].dims == ("subject", "time")
    else:
        np.testing.assert_array_equal(ds["cortisol_max"].values, ref["cortisol_max"].to_numpy())
    assert set(ds["status"].values.tolist()) == {"ok"}
    again = to_zarr(ref, tmp_path / "d.zarr")
    assert xr.open_zarr(again, consolidated=False).sizes["subject"] == 10
