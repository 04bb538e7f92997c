"""Karin 2020 / Milo 2025: gland masses integrate stress; weeks-long after-effects."""

import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import root

from neuroendo import models
from neuroendo._core.errors import DataValidationError
from neuroendo.models import inputs
from neuroendo.models.hpa.karin2020 import steady_state_cortisol
from neuroendo.simulation import simulate

GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "karin2020.toml").read_text())
T = np.array([10.0, 20.0, 30.0, 35.0, 45.0, 60.0, 90.0, 365.0])  # days


def _fixed_point(spec, drive=1.0):
    p, u = spec.default_params(), spec.default_inputs()._replace(drive=drive)
    res = root(lambda y: np.array(spec.rhs(0.0, y, p, u)), spec.y0, tol=1e-14)
    assert res.success
    return res.x


def _stress_run(variant=None, t=T):
    """u = 2 on [0, 30) d from the u = 1 fixed point; states relative to baseline."""
    spec = models.get("karin2020", variant=variant)
    ss = _fixed_point(spec)
    sol = simulate(
        spec,
        t,
        y0=ss,
        t0=0.0,
        inputs={"drive": 1 + inputs.step(start=0, stop=30, level=1.0)},
        rtol=1e-8,
        atol=1e-12,
    )
    return {name: sol[name] / ss[i] for i, name in enumerate(spec.state_names)}


def test_baseline_fixed_point_near_one():
    ss = _fixed_point(models.get("karin2020"))
    np.testing.assert_allclose(ss, 1.0, atol=0.02)  # "all states ≈ 1"
    assert ss[2] == pytest.approx(steady_state_cortisol(1.0), rel=1e-5)


def test_dynamical_compensation_steady_state():
    """CRH and ACTH at steady state do not depend on u; cortisol does, sub-linearly (GR)."""
    spec = models.get("karin2020")
    ss1, ss2 = _fixed_point(spec, 1.0), _fixed_point(spec, 2.0)
    np.testing.assert_allclose(ss2[:2], ss1[:2], rtol=1e-5)  # x1, x2 pinned by the glands
    g = GOLDEN["steady_state_cortisol_u2"]
    assert ss2[2] == pytest.approx(g["expected"], rel=g["rtol"])
    assert steady_state_cortisol(2.0) == pytest.approx(g["expected"], rel=g["rtol"])
    assert 1.0 < ss2[2] / ss1[2] < 2.0  # sub-linear through GR
    # without GR engagement (large K_GR) cortisol is nearly proportional to the drive
    no_gr = spec.with_params(K_GR=20.0)
    ratio = _fixed_point(no_gr, 2.0)[2] / _fixed_point(no_gr, 1.0)[2]
    assert ratio == pytest.approx(2.0, rel=2e-3)


@pytest.mark.golden
@pytest.mark.parametrize("key", [k for k in GOLDEN if "variant" in GOLDEN[k]])
def test_golden_after_stress(key):
    g = GOLDEN[key]
    rel = _stress_run(g["variant"], t=np.array([g["time"]]))
    assert rel[g["state"]][-1] == pytest.approx(g["expected"], rel=g["rtol"])


@pytest.mark.parametrize("variant", ["karin2020", "milo2025"])
def test_signature_behaviour(variant):
    rel = _stress_run(variant)
    i = {t: k for k, t in enumerate(T)}
    # during the drive both gland masses grow
    assert rel["pituitary_mass"][i[30.0]] > 1.2
    assert rel["adrenal_mass"][i[30.0]] > 1.25
    assert np.all(np.diff(rel["adrenal_mass"][: i[30.0] + 1]) > 0)
    # after it: cortisol above and ACTH below baseline for weeks
    for day in (35.0, 45.0):
        assert rel["cortisol"][i[day]] > 1.1
    for day in (35.0, 45.0, 60.0, 90.0):
        assert rel["acth"][i[day]] < 0.97
    # and all states recover to baseline within a year
    np.testing.assert_allclose([rel[k][i[365.0]] for k in rel], 1.0, atol=0.01)


def test_milo_turnover_recovers_more_slowly():
    """Slower gland turnover (Milo 2025) prolongs the cortisol excess after the stress."""
    t = np.array([60.0, 90.0])
    karin, milo = _stress_run("karin2020", t), _stress_run("milo2025", t)
    assert milo["cortisol"][0] > karin["cortisol"][0]
    assert milo["adrenal_mass"][1] > karin["adrenal_mass"][1]


def test_drug_hooks_direction():
    """A cortisol-synthesis inhibitor lowers cortisol acutely; ACTH rises over weeks."""
    spec = models.get("karin2020")
    ss = _fixed_point(spec)
    sol = simulate(
        spec, [1.0, 30.0], y0=ss, t0=0.0, params={"I3": [1.0, 0.5]}, rtol=1e-8, atol=1e-12
    )
    assert sol["cortisol"].shape == (2, 2)  # (subjects, times)
    assert sol["cortisol"][1, 0] < 0.8 * sol["cortisol"][0, 0]
    assert sol["acth"][1, -1] > 1.1 * sol["acth"][0, -1]


def test_adrenal_adenoma_raises_cortisol_and_suppresses_acth():
    spec = models.get("karin2020")
    ss = _fixed_point(spec)
    sol = simulate(spec, [5.0], y0=ss, t0=0.0, inputs={"TA": 5.0}, rtol=1e-8)
    assert sol["cortisol"][-1] > 1.1 * ss[2]
    assert sol["acth"][-1] < 0.9 * ss[1]


def test_steady_state_cortisol_rejects_bad_drive():
    with pytest.raises(DataValidationError, match="drive"):
        steady_state_cortisol([1.0, -1.0])
