import numpy as np
import pytest

from neuroendo._core.errors import DataValidationError, ModelDefinitionError
from neuroendo.analysis import (
    feedback_loops,
    local_sensitivity,
    relaxed_steady_state,
    sobol_estimates,
    sobol_indices,
    steady_states,
)


def test_gupta_loops_are_the_three_negative_feedbacks():
    loops = feedback_loops("gupta2007")
    names = {lp.name: lp for lp in loops}
    assert set(names) == {
        "acth->cortisol->acth",
        "crh->acth->cortisol->crh",
        "acth->cortisol->gr->acth",
    }
    assert all(lp.sign == -1 and lp.gain < 0 and lp.note == "" for lp in loops)


def test_loop_gain_formula_vinther():
    loops = feedback_loops("vinther2011")
    y, _ = relaxed_steady_state("vinther2011")
    from neuroendo.analysis import jacobian

    j = jacobian("vinther2011", y)
    crh_loop = next(lp for lp in loops if lp.name == "crh->acth->cortisol->crh")
    expected = (j[1, 0] * j[2, 1] * j[0, 2]) / (-j[0, 0] * -j[1, 1] * -j[2, 2])
    assert crh_loop.gain == pytest.approx(expected, rel=1e-12)


def test_loops_at_a_point_that_is_not_steady_raise():
    with pytest.raises(DataValidationError, match="not a steady state"):
        feedback_loops("gupta2007", y=[1.0, 1.0, 1.0, 1.0])


def test_local_sensitivity_matches_resolving_the_steady_state():
    s = local_sensitivity("gupta2007", which=["krd", "ki1"])
    h = 1e-3
    i = s.state_names.index("cortisol")
    for j, name in enumerate(s.param_names):
        v = {"krd": 0.9, "ki1": 0.1}[name]
        up, _ = relaxed_steady_state("gupta2007", params={name: v * (1 + h)})
        dn, _ = relaxed_steady_state("gupta2007", params={name: v * (1 - h)})
        brute = (np.log(up[i]) - np.log(dn[i])) / (np.log1p(h) - np.log1p(-h))
        assert s.states[i, j] == pytest.approx(brute, rel=1e-4, abs=1e-6)
    assert np.isfinite(s.loop_gains).all()
    df = s.to_pandas()
    assert "loop:crh->acth->cortisol->crh" in df.index


def test_local_sensitivity_homogeneity_vinther():
    # cortisol* = k2 * acth* / w3 exactly, so its log sensitivities to k2 and w3 are +-(1 - x)
    # for the same x, and they sum to 0
    s = local_sensitivity("vinther2011", which=["k2", "w3"])
    i = s.state_names.index("cortisol")
    assert s.states[i, 0] == pytest.approx(-s.states[i, 1], rel=1e-6)
    assert 0 < s.states[i, 0] < 1


@pytest.mark.golden
def test_sobol_estimator_on_ishigami(golden):
    from scipy.stats import qmc

    g = golden("analysis")["sobol"][0]
    n, k = 2**14, 3
    u = qmc.Sobol(2 * k, scramble=True, seed=1).random(n)
    a = -np.pi + 2 * np.pi * u[:, :k]
    b = -np.pi + 2 * np.pi * u[:, k:]

    def f(x):
        return (
            np.sin(x[:, 0])
            + g["a"] * np.sin(x[:, 1]) ** 2
            + g["b"] * x[:, 2] ** 4 * np.sin(x[:, 0])
        )

    ab = [np.where(np.arange(k) == i, b, a) for i in range(k)]
    s1, st = sobol_estimates(f(a), f(b), [f(x) for x in ab])
    np.testing.assert_allclose(s1, g["expected_s1"], atol=g["atol"])
    np.testing.assert_allclose(st, g["expected_st"], atol=g["atol"])


@pytest.mark.crosscheck
def test_sobol_estimator_equals_salib_on_the_same_samples():
    pytest.importorskip("SALib")
    from SALib.analyze import sobol as salib_sobol
    from SALib.sample import sobol as salib_sample

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = salib_sample.sample(problem, 1024, calc_second_order=False, seed=3)
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    ref = salib_sobol.analyze(problem, y, calc_second_order=False, seed=3)
    blocks = y.reshape(-1, 5)  # SALib layout per base sample: A, AB_1, AB_2, AB_3, B
    s1, st = sobol_estimates(blocks[:, 0], blocks[:, 4], blocks[:, 1:4].T)
    # SALib centres on the mean of all n(k+2) outputs, we on that of A and B: same estimator,
    # finite-sample difference of order 1e-8
    np.testing.assert_allclose(s1, ref["S1"], atol=1e-6)
    np.testing.assert_allclose(st, ref["ST"], rtol=1e-10, atol=1e-12)


def test_sobol_indices_on_a_model():
    si = sobol_indices("vinther2011", "cortisol", ["k2", "w3", "alpha"], n=256)
    df = si.to_pandas()
    assert list(df.index) == ["k2", "w3", "alpha"]
    # cortisol* = k2 acth*/w3: k2 and w3 matter about equally, the Hill coefficient barely
    assert si.st[0] == pytest.approx(si.st[1], abs=0.1)
    assert si.st[2] < 0.05
    assert (si.s1 <= si.st + 0.05).all()


def test_sobol_indices_bad_input():
    with pytest.raises(ModelDefinitionError, match="outside its bounds"):
        sobol_indices("gupta2007", "gr", {"krd": (0.5, 50.0)})
    with pytest.raises(ModelDefinitionError, match="no state"):
        sobol_indices("gupta2007", "cortsol", ["krd"])
    with pytest.raises(DataValidationError, match="zero variance"):
        sobol_estimates([1.0, 1.0], [1.0, 1.0], [[1.0, 1.0]])


def test_steady_states_of_every_registered_model_are_roots():
    from neuroendo.analysis._numerics import make_columns, rhs, state_scale
    from neuroendo.models import available, get

    for name in available():
        if name == "roblitz2013":  # 41 states: slow; covered by its own model tests
            continue
        spec = get(name)
        ss = steady_states(spec, n_starts=16)
        assert ss.status == "ok", name
        cols = make_columns(spec, {}, {}, ss.states.shape[0])
        res = np.abs(rhs(cols, ss.states.T)) / (np.abs(ss.states.T) + state_scale(spec)[:, None])
        assert res.max() < 1e-6, name
