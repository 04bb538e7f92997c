"""The branch-free math of the compiled kernels against numpy (ulp-level accuracy)."""

import numpy as np
import pytest

numba = pytest.importorskip("numba")

from neuroendo.simulation._numba_math import (  # noqa: E402
    fast_cos,
    fast_exp,
    fast_log,
    fast_pow,
    fast_rroot5,
)


def _elementwise(f):
    """A compiled loop applying the (inlined) scalar kernel ``f`` to every element."""

    @numba.njit(error_model="numpy")
    def apply(a, o):
        for i in range(a.size):
            o[i] = f(a[i])

    return apply


_exp, _log, _cos, _rroot5 = (_elementwise(f) for f in (fast_exp, fast_log, fast_cos, fast_rroot5))


@numba.njit(error_model="numpy")
def _pow(a, b, o):
    for i in range(a.size):
        o[i] = fast_pow(a[i], b[i])


def _ulps(got, ref):
    ok = np.isfinite(ref) & (ref != 0)
    return float(np.max(np.abs(got[ok] - ref[ok]) / np.spacing(np.abs(ref[ok]))))


RNG = np.random.default_rng(20261124)


def test_exp_within_one_ulp_over_the_whole_range():
    x = np.concatenate([RNG.uniform(-745.0, 709.7, 200_000), RNG.uniform(-1.0, 1.0, 50_000)])
    o = np.empty_like(x)
    _exp(x, o)
    assert _ulps(o, np.exp(x)) <= 1.0


def test_log_within_one_ulp_including_subnormals():
    x = np.concatenate(
        [np.exp(RNG.uniform(-700, 700, 200_000)), RNG.uniform(0.5, 2.0, 50_000), [5e-324, 1e-310]]
    )
    o = np.empty_like(x)
    _log(x, o)
    assert _ulps(o, np.log(x)) <= 1.0


def test_special_values_follow_numpy():
    x = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 800.0, -800.0, 1e-320])
    o = np.empty_like(x)
    _exp(x, o)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(o, np.exp(x), rtol=3e-16)  # within 1 ulp
        ref = np.log(x)
    _log(x, o)
    np.testing.assert_allclose(o, ref, rtol=3e-16)


def test_pow_hill_terms_and_numpy_sign_rules():
    a = np.exp(RNG.uniform(-10, 10, 100_000))
    b = RNG.uniform(0.5, 12.0, a.size)
    o = np.empty_like(a)
    _pow(a, b, o)
    ref = a**b
    ok = np.isfinite(ref) & (ref > 1e-300)
    # relative error grows like |b log a| ulp (argument of exp); Hill terms stay near 1e-14
    assert np.max(np.abs(o[ok] / ref[ok] - 1.0)) < 5e-14
    base = np.array([-2.0, -2.0, -2.0, 0.0, 0.0, 0.0, 2.0, np.nan, 1.0, np.inf])
    expo = np.array([3.0, 2.0, 0.5, 0.0, 2.5, -1.0, 0.0, 0.0, np.nan, -2.0])
    o = np.empty_like(base)
    _pow(base, expo, o)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(o, np.power(base, expo), rtol=1e-15, equal_nan=True)


def test_cos_within_three_ulp_for_model_time_arguments():
    # circadian phases: omega * t with t up to years in hours; dense near the zeros of cos
    x = np.concatenate(
        [
            RNG.uniform(-1e4, 1e4, 300_000),
            RNG.uniform(-7.0, 7.0, 100_000),
            np.pi / 2 * np.arange(-200, 201) + RNG.uniform(-1e-6, 1e-6, 401),
            [0.0, -0.0, 1e-300],
        ]
    )
    o = np.empty_like(x)
    _cos(x, o)
    ref = np.cos(x)
    # measured 3 ulp (rounding in the 12-term Horner sum near |sin r| = 1), 3.3e-16 absolute
    assert _ulps(o, ref) <= 3.0
    assert np.max(np.abs(o - ref)) <= 3.4e-16
    assert np.all(np.abs(o) <= 1.0)


def test_step_factor_root_exact_where_not_clipped_and_monotone():
    # 0.9 err**(-1/5) is clipped to [0.2, 10] outside err in [5.9e-6, 1845]
    x = np.exp(RNG.uniform(np.log(2e-6), np.log(5e3), 200_000))
    o = np.empty_like(x)
    _rroot5(x, o)
    # the 4th Newton step leaves ~1e-16; with numpy's own rounding of x**-0.2 the measured
    # maximum is 5.6e-16, so 3 ulp of 1.0
    assert np.max(np.abs(o / x**-0.2 - 1.0)) <= 3 * np.spacing(1.0)
    grid = np.geomspace(2e-6, 5e3, 100_001)
    g = np.empty_like(grid)
    _rroot5(grid, g)
    assert np.all(np.diff(g) <= 0.0)
    # clamped outside the range (the controller clips there anyway); NaN stays NaN
    edge = np.array([0.0, 1e-300, 1e300, np.inf, np.nan])
    e = np.empty_like(edge)
    _rroot5(edge, e)
    np.testing.assert_allclose(e[:4], [2e-6**-0.2, 2e-6**-0.2, 5e3**-0.2, 5e3**-0.2], rtol=1e-15)
    assert np.isnan(e[4])
