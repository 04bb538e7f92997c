"""Vinther et al. 2011: a unique, stable fixed point and no sustained oscillation."""

import numpy as np
import pytest
from scipy.optimize import root

from neuroendo import models
from neuroendo.simulation import simulate

MODEL = models.get("vinther2011")


def _f(y):
    return np.array(MODEL.rhs(0.0, y, MODEL.default_params(), MODEL.default_inputs()))


def _jacobian(y, h=1e-6):
    return np.array([(_f(y + h * e) - _f(y - h * e)) / (2 * h) for e in np.eye(len(y))]).T


def _fixed_point():
    res = root(_f, MODEL.y0, tol=1e-14)
    assert res.success
    return res.x


def test_stable_fixed_point():
    y = _fixed_point()
    assert (y > 0).all()
    np.testing.assert_allclose(_f(y), 0.0, atol=1e-12)
    assert np.linalg.eigvals(_jacobian(y)).real.max() < 0


def test_unique_fixed_point_from_many_guesses():
    rng = np.random.default_rng(1)
    y_star = _fixed_point()
    for guess in rng.uniform(0.1, 50.0, size=(10, 3)):
        res = root(_f, guess, tol=1e-14)
        if res.success:
            np.testing.assert_allclose(res.x, y_star, rtol=1e-6)


def test_positive_starts_converge_without_oscillation():
    y_star = _fixed_point()
    starts = np.array([[1.0, 50.0, 0.5], [20.0, 1.0, 10.0], [5.0, 5.0, 5.0]]).T  # (3, 3)
    t = np.linspace(0.0, 6000.0, 601)  # 100 h; slowest rate ~ ln2/76 min
    sol = simulate(MODEL, t, y0=starts, rtol=1e-9, atol=1e-12)
    end = sol.y[:, :, -1]
    np.testing.assert_allclose(end, np.repeat(y_star[:, None], 3, axis=1), rtol=1e-4)
    # no sustained oscillation: the last 20 h vary by < 1e-4 relative
    tail = sol.y[:, :, -120:]
    assert (np.ptp(tail, axis=-1) / y_star[:, None] < 1e-4).all()


@pytest.mark.parametrize("stress", [0.5, 1.0])
def test_stress_raises_cortisol(stress):
    t = [3000.0]
    base = simulate(MODEL, t, t0=0.0)["cortisol"][-1]
    high = simulate(MODEL, t, t0=0.0, inputs={"stress": stress})["cortisol"][-1]
    assert high > base
