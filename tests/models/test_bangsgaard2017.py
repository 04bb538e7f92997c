"""Bangsgaard & Ottesen 2017: a 24-h ACTH/cortisol rhythm from the circadian CRH drive."""

import tomllib
from pathlib import Path

import numpy as np
import pytest

from neuroendo import models
from neuroendo.models.hpa.bangsgaard2017 import DAY, MODEL, circadian_drive
from neuroendo.simulation import simulate

GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "bangsgaard2017.toml").read_text())
DAY20 = np.arange(20 * DAY, 21 * DAY + 0.5, 1.0)  # day 21, every minute


def _cycle(variant=None, t=DAY20, **kw):
    return simulate(
        models.get("bangsgaard2017", variant=variant), t, t0=0.0, rtol=1e-8, atol=1e-10, **kw
    )


def _check(key, value):
    g = GOLDEN[key]
    assert value == pytest.approx(g["expected"], rel=g.get("rtol"), abs=g.get("atol"))


def test_bracket_maximum_supports_inverse_normalisation():
    """max of the c(t) bracket is 0.5217, so N_c = 1/0.5217 makes max c(t) = 1."""
    t = np.linspace(0.0, DAY, 144001)
    p = MODEL.default_params()
    assert circadian_drive(t, p).max() == pytest.approx(1.0, abs=2e-4)
    coded = models.get("bangsgaard2017", variant="as_coded").default_params()
    assert circadian_drive(t, coded).max() == pytest.approx(0.5217**2, rel=1e-3)  # ≈ 0.272


def test_locks_onto_24h_cycle():
    clock = np.array([123.0, 443.0, 587.0, 1000.0])  # nadir, peak, ultradian peak, evening
    o = _cycle(t=np.concatenate([19 * DAY + clock, 20 * DAY + clock]))["cortisol"]
    np.testing.assert_allclose(o[:4], o[4:], rtol=1e-3)


@pytest.mark.golden
def test_circadian_cortisol_rhythm_golden():
    sol = _cycle()
    o, a = sol["cortisol"], sol["acth"]
    clock = DAY20 - 20 * DAY
    _check("cycle_cortisol_peak", o.max())
    _check("cycle_cortisol_peak_time", clock[o.argmax()])
    _check("cycle_cortisol_nadir", o.min())
    _check("cycle_acth_mean", a[:-1].mean())
    # the rhythm: morning peak (06-10 h), nadir in the night (22-04 h), peak/nadir > 5
    assert 360.0 <= clock[o.argmax()] <= 600.0
    assert clock[o.argmin()] <= 240.0 or clock[o.argmin()] >= 1320.0
    assert o.max() / o.min() > 5.0
    # ACTH rhythm leads cortisol: its peak is not after the cortisol peak
    assert clock[a.argmax()] <= clock[o.argmax()]


@pytest.mark.golden
def test_first_day_peak_golden():
    t = np.arange(0.0, DAY + 0.5, 1.0)
    _check("first_day_cortisol_peak", _cycle(t=t)["cortisol"].max())


def test_hypercortisolemic_variant_has_more_cortisol():
    sols = {v: _cycle(v)["cortisol"] for v in ("patient_f", "hypercortisolemic")}
    assert sols["hypercortisolemic"].mean() > 1.2 * sols["patient_f"].mean()


def test_stress_input_raises_cortisol():
    t = np.array([DAY])
    o = _cycle(t=t, inputs={"stress": np.array([0.0, 0.5])})["cortisol"]
    assert o[1, -1] > o[0, -1]


def _rms_first_day(data_dir, variant):
    folder = data_dir / "vevapy_hpa_literature"
    acth = np.loadtxt(folder / "Bangsgaard-Ottesen-2017-patient-f-ACTH-data.txt")
    cort = np.loadtxt(folder / "Bangsgaard-Ottesen-2017-patient-f-cortisol-data.txt")
    t = np.unique(np.concatenate([acth[:, 0], cort[:, 0]]) * 60.0)  # hours → minutes
    sol = _cycle(variant, t=t)
    sim_a = np.interp(acth[:, 0] * 60.0, t, sol["acth"])
    sim_o = np.interp(cort[:, 0] * 60.0, t, sol["cortisol"])
    rms = lambda x, y: float(np.sqrt(np.mean((x - y) ** 2)))  # noqa: E731
    return rms(sim_a, acth[:, 1]), rms(sim_o, cort[:, 1]), sim_o.max(), cort[:, 1].max()


def test_normalised_drive_fits_patient_f_better(data_dir):
    """N_c = 1/0.5217 reproduces patient f's first day far better than N_c = 0.5217."""
    a_inv, o_inv, peak_inv, peak_data = _rms_first_day(data_dir, "patient_f")
    a_cod, o_cod, peak_cod, _ = _rms_first_day(data_dir, "as_coded")
    assert o_inv < 0.75 * o_cod
    assert a_inv < 0.75 * a_cod
    assert peak_inv == pytest.approx(peak_data, rel=0.1)  # 17.7 vs 18.0 µg/dL
    assert peak_cod < 0.6 * peak_data
