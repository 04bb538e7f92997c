"""Smith 1980 male HPG loop: equilibrium, stability switch, castration and exogenous T."""

import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import root
from scipy.signal import find_peaks

from neuroendo import models
from neuroendo._core.errors import DataValidationError
from neuroendo.models.hpg.smith1980 import equilibrium
from neuroendo.simulation import simulate

MODEL = models.get("smith1980")
WEAK = models.get("smith1980", variant="weak_feedback")
GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "smith1980.toml").read_text())
STATES = ("gnrh", "lh", "testosterone")


def _f(spec, y):
    return np.array(spec.rhs(0.0, y, spec.default_params(), spec.default_inputs()))


def _jacobian(spec, y, h=1e-6):
    cols = []
    for j in range(len(y)):
        e = np.zeros_like(y)
        e[j] = h * max(1.0, abs(y[j]))
        cols.append((_f(spec, y + e) - _f(spec, y - e)) / (2 * e[j]))
    return np.array(cols).T


@pytest.mark.golden
def test_weak_feedback_equilibrium_root_and_simulation_agree():
    g = GOLDEN["equilibrium_weak_feedback"]
    eq = equilibrium({"h": g["h"]})
    expected = [g[s] for s in STATES]
    np.testing.assert_allclose([eq[s] for s in STATES], expected, rtol=g["rtol"])
    res = root(lambda y: _f(WEAK, y), np.array([10.0, 100.0, 60.0]), tol=1e-12)
    assert np.abs(_f(WEAK, res.x)).max() < 1e-9  # a root, whatever the xtol report says
    np.testing.assert_allclose(res.x, [eq[s] for s in STATES], rtol=1e-9)
    # root finding from scattered starts (secretion switched on) lands on the same point
    for start in ([1.0, 10.0, 5.0], [30.0, 300.0, 95.0], [5.0, 50.0, 20.0]):
        other = root(lambda y: _f(WEAK, y), np.array(start), tol=1e-12)
        np.testing.assert_allclose(other.x, res.x, rtol=1e-8)
    assert np.linalg.eigvals(_jacobian(WEAK, res.x)).real.max() < 0
    sol = simulate(WEAK, np.linspace(0.0, 90.0, 901))
    np.testing.assert_allclose(sol.final_state().ravel(), res.x, rtol=1e-6)


def test_weak_feedback_no_sustained_oscillation():
    t = np.linspace(0.0, 100.0, 2001)
    lh = simulate(WEAK, t)["lh"].ravel()
    early, late = lh[(t > 10) & (t < 30)], lh[t > 70]
    assert np.ptp(late) < 1e-5 * late.mean()  # oscillation amplitude decays to nothing
    assert np.ptp(late) < 1e-3 * np.ptp(early)


@pytest.mark.golden
def test_published_feedback_unstable_focus_and_bounded_oscillation():
    g = GOLDEN["oscillation_published"]
    eq = equilibrium()
    assert eq["stable"] is False
    y_eq = np.array([eq[s] for s in STATES])
    assert np.abs(_f(MODEL, y_eq)).max() < 1e-9
    eig = np.linalg.eigvals(_jacobian(MODEL, y_eq))
    assert eig.real.max() > 0  # unstable ...
    assert np.abs(eig.imag).max() > 0  # ... focus
    t = np.arange(0.0, 150.0, 0.005)
    lh = simulate(MODEL, t)["lh"].ravel()
    late, tl = lh[t > 100], t[t > 100]
    idx, _ = find_peaks(late, prominence=1.0)
    assert idx.size >= 10  # sustained
    assert np.diff(tl[idx]).mean() == pytest.approx(g["period"], rel=g["rtol"])
    assert late.max() == pytest.approx(g["lh_max"], rel=g["rtol"])
    assert late.min() == pytest.approx(g["lh_min"], rel=g["rtol"])


def test_routh_hurwitz_threshold():
    # stable just below h* = ((b1+b2+b3)(b1b2+b1b3+b2b3) - b1b2b3) / (g1 g2), unstable above
    b1, b2, b3, g1, g2 = 1.29, 0.97, 1.39, 10.0, 0.7
    h_star = ((b1 + b2 + b3) * (b1 * b2 + b1 * b3 + b2 * b3) - b1 * b2 * b3) / (g1 * g2)
    assert equilibrium({"h": 0.99 * h_star})["stable"] is True
    assert equilibrium({"h": 1.01 * h_star})["stable"] is False


@pytest.mark.parametrize("spec", [MODEL, WEAK], ids=["published", "weak_feedback"])
def test_castration_raises_lh(spec):
    t = np.linspace(0.0, 100.0, 2001)
    intact = simulate(spec, t)["lh"].ravel()[t > 50].mean()
    castrated = simulate(spec.with_params(g2=0.0), t)
    assert castrated["testosterone"].ravel()[-1] < 1e-6
    assert castrated["lh"].ravel()[t > 50].mean() > 3 * intact


@pytest.mark.parametrize("spec", [MODEL, WEAK], ids=["published", "weak_feedback"])
def test_exogenous_testosterone_lowers_lh(spec):
    t = np.linspace(0.0, 100.0, 2001)
    base = simulate(spec, t)["lh"].ravel()[t > 50].mean()
    treated = simulate(spec, t, inputs={"wT": 50.0})["lh"].ravel()[t > 50].mean()
    assert treated < 0.7 * base


def test_equilibrium_batch_and_errors():
    eq = equilibrium({"h": [1.0, 12.0]})
    assert eq["stable"].tolist() == [True, False]
    assert equilibrium({"wT": 200.0})["gnrh"] == 0.0  # secretion switched off
    with pytest.raises(DataValidationError, match="unknown parameter"):
        equilibrium({"k": 1.0})
    with pytest.raises(DataValidationError, match="b2"):
        equilibrium({"b2": 0.0})
