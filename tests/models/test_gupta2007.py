"""Gupta et al. 2007: three steady states with F = 0 and the stress-switching thresholds."""

import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import root

from neuroendo import models
from neuroendo.models import inputs
from neuroendo.simulation import simulate

MODEL = models.get("gupta2007")
GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "gupta2007.toml").read_text())
ORDER = MODEL.state_names  # crh, acth, gr, cortisol


def _f(y):
    return np.array(MODEL.rhs(0.0, y, MODEL.default_params(), MODEL.default_inputs()))


def _jacobian(y, h=1e-7):
    cols = []
    for j in range(len(y)):
        e = np.zeros_like(y)
        e[j] = h * max(1.0, abs(y[j]))
        cols.append((_f(y + e) - _f(y - e)) / (2 * e[j]))
    return np.array(cols).T


def _steady(entry):
    guess = np.array([entry[s] for s in ORDER]) * 1.02
    res = root(_f, guess, tol=1e-12)
    assert np.abs(_f(res.x)).max() < 1e-12, res.message  # a root, whatever xtol reports
    return res.x


@pytest.mark.golden
@pytest.mark.parametrize("entry", GOLDEN["steady_state"], ids=lambda e: e["id"])
def test_steady_states(entry):
    y = _steady(entry)
    expected = [entry[s] for s in ORDER]
    np.testing.assert_allclose(y, expected, atol=entry["atol"])
    eig = np.linalg.eigvals(_jacobian(y))
    assert (eig.real.max() < 0) == entry["stable"], eig


def test_three_distinct_steady_states():
    grs = sorted(_steady(e)[ORDER.index("gr")] for e in GOLDEN["steady_state"])
    assert np.all(np.diff(grs) > 0.2)


def _normal_state():
    return _steady(GOLDEN["steady_state"][0])


@pytest.mark.golden
@pytest.mark.parametrize("entry", GOLDEN["switching"], ids=lambda e: e["id"])
def test_switching_thresholds(entry):
    y0 = _normal_state()
    gr = ORDER.index("gr")
    for duration, switches in [(d, True) for d in entry["switches"]] + [
        (d, False) for d in entry["stays"]
    ]:
        sol = simulate(
            MODEL,
            t=[duration + 200.0],
            t0=0.0,
            y0=y0,
            inputs={"stress": inputs.step(0.0, duration, entry["level"])},
            rtol=1e-7,
            atol=1e-10,
        )
        r_end = sol.y[gr, 0, -1]
        target = entry["gr_high"] if switches else GOLDEN["steady_state"][0]["gr"]
        assert r_end == pytest.approx(target, abs=entry["atol"]), (duration, r_end)


def test_drive_input_defaults_to_paper():
    """The package's ``drive`` input is 1 by default, so the paper's eq. 9 is unchanged."""
    y = _normal_state()
    p = MODEL.default_params()
    with_drive = MODEL.rhs(0.0, y, p, MODEL.U(stress=0.0, drive=1.0))
    np.testing.assert_allclose(with_drive, _f(y))
    doubled = MODEL.rhs(0.0, y, p, MODEL.U(stress=0.0, drive=2.0))
    assert doubled[0] > with_drive[0]


def test_circadian_drive_batch():
    """Performance problem 1 in miniature: per-subject amplitude and phase of D(t)."""
    d = inputs.circadian([0.5, 0.4], [6.0, 7.0], time_unit="1")
    sol = simulate(MODEL, np.linspace(0, 72, 433), inputs={"drive": d}, rtol=1e-6, atol=1e-9)
    assert sol.y.shape == (4, 2, 433)
    assert (sol.status == "ok").all()
    crh = sol["crh"]
    # the drive peaks at 6 (+24k); CRH follows within a few time units
    assert 4 <= sol.t[np.argmax(crh[0, 200:]) + 200] % 24 <= 12
