import numpy as np
import pytest

from neuroendo._core.errors import DataValidationError, ModelDefinitionError
from neuroendo.analysis import (
    bifurcation_scan,
    jacobian,
    relaxed_steady_state,
    stability,
    steady_states,
)
from neuroendo.models import get


@pytest.mark.golden
def test_gupta2007_three_steady_states(golden):
    g = golden("analysis")["steady_states"][0]
    ss = steady_states(g["model"])
    assert ss.status == "ok"
    assert ss.stability.tolist() == g["expected_stability"]
    i = {n: k for k, n in enumerate(ss.state_names)}
    np.testing.assert_allclose(ss.states[:, i["gr"]], g["expected_gr"], rtol=g["rtol"])
    np.testing.assert_allclose(ss.states[:, i["crh"]], g["expected_crh"], rtol=g["rtol"])
    np.testing.assert_allclose(ss.states[:, i["cortisol"]], g["expected_cortisol"], rtol=g["rtol"])
    # each root really is a root, and the saddle has exactly one unstable direction
    spec = get("gupta2007")
    for y in ss.states:
        f = np.array(spec.rhs(0.0, y, spec.default_params(), spec.default_inputs()))
        assert np.abs(f).max() < 1e-12
    assert (ss.eigenvalues.real[1] > 0).sum() == 1
    assert ss.n_stable == 2


@pytest.mark.golden
def test_gupta2007_bistable_stress_range(golden):
    g = golden("analysis")["bistable_range"][0]
    scan = bifurcation_scan(g["model"], g["input"], np.linspace(0, 1, 11), rtol=1e-6)
    lo, hi = scan.multistable_range
    assert lo == pytest.approx(g["expected_low"], abs=g["atol"])
    assert hi == pytest.approx(g["expected_high"], abs=g["atol"])
    # inside the range both branches coexist (high and low GR), above it only the high branch
    below = steady_states("gupta2007", inputs={"stress": 0.9 * hi})
    above = steady_states("gupta2007", inputs={"stress": 1.1 * hi})
    assert below.n_stable == 2
    assert above.n_stable == 1
    gr = below.state_names.index("gr")
    assert below.states[below.stability == "stable", gr].min() < 0.2
    assert above.states[above.stability == "stable", gr][0] > 0.5
    assert set(scan.status) == {"ok"}
    df = scan.to_pandas()
    assert {"stress", "gr", "stability"} <= set(df.columns)


def test_scan_of_a_parameter_matches_single_calls():
    scan = bifurcation_scan("gupta2007", "krd", [0.7, 0.9, 1.1], rtol=0)
    for v, n in zip(scan.values, scan.n_stable, strict=True):
        assert steady_states("gupta2007", params={"krd": float(v)}).n_stable == n


def test_no_steady_state_in_box_is_a_status_not_nan():
    ss = steady_states("gupta2007", box={"gr": (0.6, 1.0)})
    assert ss.status == "none_found"
    assert "box" in ss.message
    assert ss.states.shape == (0, 4)
    assert len(ss.to_pandas()) == 0


def test_scan_outside_bounds_and_bad_names_raise():
    with pytest.raises(ModelDefinitionError, match=r"'krd'.*outside its bounds"):
        bifurcation_scan("gupta2007", "krd", [0.5, 20.0])
    with pytest.raises(DataValidationError, match="parameter or an input"):
        bifurcation_scan("gupta2007", "stres", [0.0, 1.0])
    with pytest.raises(DataValidationError, match="strictly increasing"):
        bifurcation_scan("gupta2007", "stress", [1.0, 0.0])
    with pytest.raises(ModelDefinitionError, match="outside its bounds"):
        steady_states("gupta2007", params={"kad": 1e6})
    with pytest.raises(DataValidationError, match="one parameter set"):
        steady_states("gupta2007", params={"krd": [0.8, 0.9]})


def test_jacobian_matches_analytic_vinther():
    spec = get("vinther2011")
    p = spec.default_params()
    y = np.array([10.0, 10.0, 2.0])
    jac = jacobian(spec, y)
    x3 = y[2]
    dh = p.alpha * p.c**p.alpha * x3 ** (p.alpha - 1) / (p.c**p.alpha + x3**p.alpha) ** 2
    h = x3**p.alpha / (p.c**p.alpha + x3**p.alpha)
    expected = np.array(
        [
            [-p.w1, 0.0, -p.k0 * p.rho * dh],
            [p.k1 * (1 - p.mu * h), -p.w2, -p.k1 * p.mu * dh * y[0]],
            [0.0, p.k2, -p.w3],
        ]
    )
    np.testing.assert_allclose(jac, expected, rtol=1e-8, atol=1e-12)
    # batch of columns equals single calls
    many = jacobian(spec, np.column_stack([y, 2 * y]))
    np.testing.assert_allclose(many[1], jacobian(spec, 2 * y), rtol=1e-12)


def test_stability_rejects_points_that_are_not_steady():
    with pytest.raises(DataValidationError, match="not a steady state"):
        stability("gupta2007", [0.6, 0.055, 0.08, 0.055])
    ss = steady_states("sriram2012")
    label, ev = stability("sriram2012", ss.states[0])
    assert label == "unstable"  # limit cycle around an unstable focus
    assert abs(ev[0].imag) > 0


def test_relaxed_state_follows_the_branch_batched():
    y, lab = relaxed_steady_state("gupta2007", params={"krd": [0.8, 0.9]})
    assert y.shape == (4, 2)
    assert lab.tolist() == ["stable", "stable"]
    # krd = 0.8 has only the high-GR state; krd = 0.9 from the default start: low GR
    assert y[2, 0] > 0.5
    assert y[2, 1] == pytest.approx(0.0809, rel=1e-3)
    high, _ = relaxed_steady_state("gupta2007", y0={"gr": 0.6})
    assert high[2] == pytest.approx(0.5482, rel=1e-3)
