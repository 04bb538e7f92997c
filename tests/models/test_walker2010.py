"""Walker et al. 2010: ultradian oscillation only for an intermediate CRH drive; chain delay."""

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import find_peaks

from neuroendo import models
from neuroendo.models.hpa.walker2010 import N_DELAY, build, minutes_per_time_unit
from neuroendo.simulation import simulate

GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "walker2010.toml").read_text())


def _rel_amplitude(variant, p1):
    """Peak-to-peak / mean of cortisol over t = 150-250 (after a 150-unit transient)."""
    t = np.linspace(150.0, 250.0, 2001)
    o = simulate(
        models.get("walker2010", variant=variant),
        t,
        t0=0.0,
        params={"p1": np.asarray(p1, dtype=float)},
        rtol=1e-7,
        atol=1e-9,
    )["cortisol"]
    return np.ptp(o, axis=-1) / o.mean(axis=-1)


def _period(spec, t_end=300.0):
    t = np.arange(100.0, t_end + 1e-9, 0.01)
    o = simulate(spec, t, t0=0.0, rtol=1e-8, atol=1e-11)["cortisol"]
    peaks, _ = find_peaks(o)
    assert peaks.size >= 10, "no sustained oscillation"
    return (t[peaks[-1]] - t[peaks[0]]) / (peaks.size - 1)


def _spec(variant, k=N_DELAY):
    values = {p.name: p.value for p in models.get("walker2010", variant=variant).params}
    return build(k).with_params(values)


@pytest.mark.parametrize(
    ("variant", "low", "mid", "high"),
    [("rat", 5.0, 30.0, 200.0), ("human", 10.0, 60.0, 300.0)],
)
def test_oscillation_only_for_intermediate_drive(variant, low, mid, high):
    amp = _rel_amplitude(variant, [low, mid, high])
    assert amp[0] < 1e-3  # low CRH: steady state
    assert amp[1] > 0.5  # intermediate CRH: sustained ultradian oscillation
    assert amp[2] < 1e-3  # high CRH: steady state again


def test_mean_cortisol_rises_with_drive():
    t = np.array([300.0])
    o = simulate("walker2010", t, t0=0.0, params={"p1": [5.0, 200.0]}, rtol=1e-7)["cortisol"]
    assert o[1, -1] > o[0, -1]


@pytest.mark.golden
def test_rat_period():
    g = GOLDEN["rat_period"]
    assert _period(models.get("walker2010")) == pytest.approx(g["expected"], rel=g["rtol"])


@pytest.mark.golden
def test_human_period_in_minutes():
    g = GOLDEN["human_period_minutes"]
    period = _period(models.get("walker2010", variant="human")) * minutes_per_time_unit(15.0)
    assert period == pytest.approx(g["expected"], rel=g["rtol"])
    assert 60.0 < period < 180.0  # ultradian (1-3 h)


def test_doubling_chain_length_changes_period_by_under_two_percent():
    """K = 16 → 32 moves the period by < 2 % (rat, 0.8 % observed): the chain has converged."""
    p16, p32 = _period(_spec("rat", 16), 250.0), _period(_spec("rat", 32), 250.0)
    assert abs(p16 - p32) / p32 < 0.02
    assert p32 < p16  # approaching the discrete delay from above


def _dde_period(variant, t_end=200.0, h=0.004):
    """Method-of-steps reference: Heun's method on the DDE with constant history 1."""
    p = models.get("walker2010", variant=variant).default_params()
    lag = round(p.tau / h)
    n = round(t_end / h)
    a, r, o = np.ones(n + 1), np.ones(n + 1), np.ones(n + 1)

    def f(ai, ri, oi, ad):
        ro = ri * oi
        return (
            p.p1 / (1 + p.p2 * ro) - p.p3 * ai,
            ro**2 / (p.p4 + ro**2) + p.p5 - p.p6 * ri,
            ad - oi,
        )

    for i in range(n):
        ad0 = a[i - lag] if i >= lag else 1.0
        ad1 = a[i + 1 - lag] if i + 1 >= lag else 1.0
        k1 = f(a[i], r[i], o[i], ad0)
        k2 = f(a[i] + h * k1[0], r[i] + h * k1[1], o[i] + h * k1[2], ad1)
        a[i + 1] = a[i] + h / 2 * (k1[0] + k2[0])
        r[i + 1] = r[i] + h / 2 * (k1[1] + k2[1])
        o[i + 1] = o[i] + h / 2 * (k1[2] + k2[2])
    t = np.arange(n + 1) * h
    keep = t >= 100.0
    peaks, _ = find_peaks(o[keep])
    return (t[keep][peaks[-1]] - t[keep][peaks[0]]) / (peaks.size - 1)


def test_chain_period_close_to_method_of_steps_dde():
    """The K = 16 chain period is within 1 % of a discrete-delay (method-of-steps) solution."""
    chain = _period(models.get("walker2010", variant="human"), 200.0)
    assert chain == pytest.approx(_dde_period("human"), rel=0.01)


def test_human_variant_values():
    p = models.get("walker2010", variant="human").default_params()
    assert p.p3 == pytest.approx(15.0 / 20.0)  # t½ CORT / t½ ACTH
    assert p.tau * minutes_per_time_unit(15.0) == pytest.approx(24.2278, rel=1e-5)  # minutes
    assert math.isclose(minutes_per_time_unit(15.0), 15.0 / math.log(2.0))


def test_build_rejects_bad_chain_length():
    with pytest.raises(ValueError, match="positive integer"):
        build(0)


def test_minutes_per_time_unit_rejects_bad_half_life():
    with pytest.raises(ValueError, match="cortisol_half_life"):
        minutes_per_time_unit(-1.0)
