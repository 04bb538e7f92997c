import numpy as np
import pandas as pd
import pytest

from neuroendo._core.errors import DataValidationError
from neuroendo.analysis import simulate_tsst, stress_response
from neuroendo.measures.cortisol import auc_i


@pytest.mark.golden
def test_hand_worked_example(golden):
    g = golden("analysis")["stress_response"][0]
    r = stress_response(g["times"], g["values"], onset=g["onset"], band=tuple(g["band"]))
    for k, v in g["expected"].items():
        assert getattr(r, k) == pytest.approx(v, rel=g["rtol"]), k
    assert r.status == "ok"
    assert r.message == ""
    assert r.auc_i == auc_i([10, 20, 30, 40, 60], [5, 15, 10, 7, 5])


def test_too_short_and_no_response_are_statuses():
    short = stress_response([0, 10, 20, 30], [5, 5, 15, 14], onset=10)
    assert short.status == "not_recovered"
    assert np.isnan(short.recovery_half_time)
    assert "extend" in short.message
    flat = stress_response([0, 10, 20, 30], [5, 5, 4, 3], onset=10)
    assert flat.status == "no_response"
    assert np.isnan(flat.recovery_half_time)
    assert flat.reactivity == 0.0  # the peak after onset is the onset sample itself
    none = stress_response([0, 10, 20], [5, 5, 6], onset=10)
    assert np.isnan(none.time_above)
    assert "band" in none.band_note


def test_bad_input_raises():
    with pytest.raises(DataValidationError, match="before the onset"):
        stress_response([10, 20, 30], [5, 6, 5], onset=5)
    with pytest.raises(DataValidationError, match="after the onset"):
        stress_response([0, 10, 20], [5, 6, 5], onset=20)
    with pytest.raises(DataValidationError, match="samples per subject"):
        stress_response([0, 10, 20], [[5, 6]], onset=5)
    with pytest.raises(DataValidationError, match=r"finite|NaN"):
        stress_response([0, 10, 20], [5, np.nan, 5], onset=5)
    with pytest.raises(DataValidationError, match="low <= high"):
        stress_response([0, 10, 20], [5, 6, 5], onset=5, band=(3, 1))


def test_batch_equals_single_series():
    t = np.array([0, 10, 20, 30, 45, 60, 90.0])
    c = np.array([[4, 4.2, 9, 12, 8, 6, 4.5], [6, 6, 7, 8, 7.5, 7, 6.2]])
    both = stress_response(t, c, onset=10, band=(3, 10))
    for i in range(2):
        one = stress_response(t, c[i], onset=10, band=(3, 10))
        for k in (
            "baseline",
            "reactivity",
            "recovery_half_time",
            "area_above_baseline",
            "time_above",
            "auc_i",
        ):
            assert getattr(both, k)[i] == pytest.approx(getattr(one, k), rel=1e-12)


def _nelson(data_dir):
    df = pd.read_csv(data_dir / "parker_uc_tsst" / "nelson_tsst_long.csv")
    wide = df.pivot(index="subject", columns="time_min", values="cortisol")
    return wide.columns.to_numpy(dtype=float), wide.to_numpy(dtype=float), wide.index


def test_nelson_tsst_real_data(data_dir):
    """Real TSST series (TSST begins at 30 min; plasma cortisol, probably ug/dL)."""
    t, c, subjects = _nelson(data_dir)
    r = stress_response(t, c, onset=30.0, band=(3.0, 15.0))
    n = len(subjects)
    assert r.reactivity.shape == (n,)
    # baseline = mean of the 0, 15, 30 min samples, per subject, exactly
    np.testing.assert_allclose(r.baseline, c[:, :3].mean(axis=1))
    # every NaN is explained by a status
    nan = np.isnan(r.recovery_half_time)
    assert set(r.status[nan]) <= {"not_recovered", "no_response"}
    assert (r.status[~nan] == "ok").all()
    # the group responds: median cortisol peak ~ 35 min after onset, positive reactivity
    assert np.median(r.reactivity) > 0
    assert 15 <= np.median(r.time_to_peak) <= 60
    assert np.nanmedian(r.recovery_half_time) > 0
    # AUC_I is Pruessner's from the measures module, on the samples from onset
    np.testing.assert_allclose(r.auc_i, auc_i(t[2:], c[:, 2:]))
    # a subject checked by hand: N01
    i = list(subjects).index("N01")
    row = c[i]
    assert r.peak[i] == row[t >= 30].max()
    assert r.reactivity[i] == pytest.approx(row[t >= 30].max() - row[:3].mean())


def test_same_definitions_on_a_simulation():
    """The simulated TSST uses stress_response itself; recomputing on its output agrees."""
    sim = simulate_tsst("vinther2011", level=5.0)
    r = stress_response(sim.minutes, sim.trajectories["cortisol"][0], onset=0.0)
    assert r.time_to_peak == sim.scores["cortisol_peak_minute"][0]
    assert r.recovery_half_time == pytest.approx(sim.scores["cortisol_recovery_half_time"][0])
    assert r.status == "ok"
    assert r.reactivity > 0
    # the half-recovery level is crossed at the reported time
    level = r.baseline + 0.5 * r.reactivity
    t_half = r.time_to_peak + r.recovery_half_time
    assert np.interp(t_half, sim.minutes, sim.trajectories["cortisol"][0]) == pytest.approx(
        level, rel=1e-9
    )
    # a simulation cut too short for recovery reports it
    cut = sim.minutes <= r.time_to_peak + 5
    short = stress_response(sim.minutes[cut], sim.trajectories["cortisol"][0][cut], onset=0.0)
    assert short.status == "not_recovered"
