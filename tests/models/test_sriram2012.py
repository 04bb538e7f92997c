"""Sriram et al. 2012: autonomous ~24 h limit cycle; variants in the documented direction."""

import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import find_peaks

from neuroendo import models
from neuroendo.simulation import simulate

GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "sriram2012.toml").read_text())
T = np.linspace(500.0, 1000.0, 5001)  # after a 500 h transient, every 0.1 h


def _cortisol(variant=None, rtol=1e-8):
    sol = simulate(models.get("sriram2012", variant=variant), T, t0=0.0, rtol=rtol, atol=1e-10)
    return sol["cortisol"]


def _period(z):
    peaks, _ = find_peaks(z)
    assert peaks.size >= 15, "no sustained oscillation"
    return float(np.mean(np.diff(T[peaks])))


@pytest.mark.golden
def test_autonomous_circadian_period():
    g = GOLDEN["period"]
    z = _cortisol()
    assert _period(z) == pytest.approx(g["expected"], rel=g["rtol"])
    # sustained: amplitude does not decay between the first and the last 100 h
    early, late = z[:1000], z[-1000:]
    assert np.ptp(late) == pytest.approx(np.ptp(early), rel=1e-3)
    assert np.ptp(late) > 10.0


def test_period_is_near_24h():
    assert 23.0 < _period(_cortisol()) < 25.0


def test_convergence_tighter_rtol():
    """Tightening rtol from 1e-8 to 1e-10 moves the period by less than the golden rtol."""
    p1 = _period(_cortisol(rtol=1e-8))
    p2 = _period(_cortisol(rtol=1e-10))
    assert abs(p1 - p2) / p2 < GOLDEN["period"]["rtol"] / 10


def test_variants_direction():
    """Illustrative variants (not the paper's Table 1): depression > normal > PTSD cortisol."""
    means = {v: _cortisol(v).mean() for v in ("normal", "depression", "ptsd")}
    assert means["depression"] > means["normal"] > means["ptsd"]
    assert _cortisol("ptsd").min() < _cortisol("normal").min()  # lower nadir in PTSD
    assert models.variants("sriram2012") == ("normal", "depression", "ptsd")
