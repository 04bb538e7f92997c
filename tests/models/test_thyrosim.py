"""Tests of the original THYROSIM (neuroendo.models.hpt.thyrosim).

Integrated directly with scipy's solve_ivp on ``MODEL.rhs`` (no dependence on the simulator).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neuroendo.models.hpt import thyrosim
from neuroendo.models.hpt.thyrosim import MODEL, outputs

DAY = 24.0  # h


def _run(
    spec: Any,
    t0: float,
    t1: float,
    y0: Any,
    *,
    inputs: Any = None,
    t_eval: Any = None,
    rtol: float = 1e-8,
    atol: float = 1e-12,
) -> Any:
    """Integrate ``spec`` with LSODA on [t0, t1] with constant inputs."""
    p = spec.default_params()
    u = spec.default_inputs() if inputs is None else inputs

    def f(t: float, y: Any) -> Any:
        return np.array(spec.rhs(t, y, p, u))

    sol = solve_ivp(f, (t0, t1), y0, method="LSODA", rtol=rtol, atol=atol, t_eval=t_eval)
    assert sol.status == 0, sol.message
    return sol


@pytest.fixture(scope="module")
def settled() -> Any:
    """30 days without doses from the published initial conditions, sampled every 15 min."""
    t_eval = np.arange(0.0, 30 * DAY + 1e-9, 0.25)
    return _run(MODEL, 0.0, 30 * DAY, MODEL.y0, t_eval=t_eval)


def test_spec_shape() -> None:
    assert MODEL.name == "thyrosim"
    assert MODEL.time_unit == "h"
    assert len(MODEL.states) == 19
    assert MODEL.state_names[:9] == (
        "t4", "t4_fast", "t4_slow", "t3", "t3_fast", "t3_slow", "tsh", "t3_brain",
        "t3_brain_lagged",
    )  # fmt: skip
    assert MODEL.state_names[-6:] == tuple(f"tsh_delay_{i}" for i in range(1, 7))
    # tsh_secretion: network port (default 1) added for neuroendo.models.net.network2026
    assert MODEL.input_names == ("t4_oral", "t3_oral", "t4_iv", "t3_iv", "tsh_secretion")
    for dial in ("dial1", "dial2", "dial3", "dial4"):
        assert dial in MODEL.param_names


def test_rhs_batch_equals_single() -> None:
    p = MODEL.default_params()
    dial1 = np.array([0.0, 0.5, 1.0])
    y = np.repeat(MODEL.y0[:, None], 3, axis=1)
    batch = np.array(MODEL.rhs(3.0, y, p._replace(dial1=dial1), MODEL.default_inputs()))
    for j, d in enumerate(dial1):
        single = np.array(MODEL.rhs(3.0, MODEL.y0, p._replace(dial1=d), MODEL.default_inputs()))
        np.testing.assert_allclose(batch[:, j], single, rtol=1e-14)


@pytest.mark.parametrize(
    ("name", "state"),
    [("t4_oral", "t4_pill"), ("t3_oral", "t3_pill"), ("t4_iv", "t4"), ("t3_iv", "t3")],
)
def test_dose_inputs_enter_their_compartment(name: str, state: str) -> None:
    p, u0 = MODEL.default_params(), MODEL.default_inputs()
    base = np.array(MODEL.rhs(1.0, MODEL.y0, p, u0))
    dosed = np.array(MODEL.rhs(1.0, MODEL.y0, p, u0._replace(**{name: 2.5})))
    diff = dosed - base
    i = MODEL.state_names.index(state)
    assert diff[i] == pytest.approx(2.5, rel=1e-12)
    assert np.count_nonzero(np.delete(diff, i)) == 0


def test_outputs_and_observables_agree() -> None:
    out = outputs(MODEL.y0)
    for obs in MODEL.observables:
        value = obs.scale * MODEL.y0[MODEL.state_names.index(obs.state)]
        assert out[obs.name] == pytest.approx(value, rel=1e-14)
    assert {o.unit for o in MODEL.observables} == {"ug/L", "m[IU]/L"}
    # volumes come from params when given
    assert outputs(MODEL.y0, {"Vp": 6.4})["tt4"] == pytest.approx(out["tt4"] / 2, rel=1e-14)
    with pytest.raises(ValueError, match="19 rows"):
        outputs(np.zeros(5))


@pytest.mark.golden
def test_euthyroid_steady_state_with_circadian_tsh(settled: Any, golden: Any) -> None:
    ref = {e["id"]: e for e in golden("thyrosim")["reference_interval"]}
    out = outputs(settled.y)
    last = settled.t > 29 * DAY
    prev = (settled.t > 28 * DAY) & (settled.t <= 29 * DAY)
    means = {k: float(np.mean(v[last])) for k, v in out.items()}
    for key in ("tt4", "tt3", "tsh"):
        lo, hi = ref[key]["interval"]
        assert lo <= means[key] <= hi, (key, means[key])
    # settled: day 30 repeats day 29 (24 h limit cycle, no drift)
    for key in ("tt4", "tt3", "tsh"):
        np.testing.assert_allclose(out[key][last], out[key][prev], rtol=1e-4)
    # circadian TSH: large peak-to-trough, period 24 h (not 12 h)
    tsh = out["tsh"][last]
    assert tsh.max() - tsh.min() > 1.0
    half = len(tsh) // 2
    assert np.max(np.abs(tsh[:half] - tsh[half:])) > 1.0
    entry = next(e for e in golden("thyrosim")["steady_state"] if e["id"] == "euthyroid-day30")
    for key, value in entry["expected"].items():
        got = {**means, "tsh_peak_to_trough": float(tsh.max() - tsh.min())}[key]
        assert got == pytest.approx(value, rel=entry["rtol"]), key


@pytest.mark.golden
def test_thyroidectomy_raises_tsh_and_depletes_t4(settled: Any, golden: Any) -> None:
    entry = golden("thyrosim")["thyroidectomy"][0]
    spec = MODEL.with_params(thyrosim.VARIANTS["thyroidectomy"])
    assert spec.param("dial1").value == spec.param("dial3").value == 0.0
    weeks = entry["weeks"]
    t_eval = np.arange(0.0, weeks * 7 * DAY + 1e-9, 1.0)
    sol = _run(spec, 0.0, weeks * 7 * DAY, settled.y[:, -1], t_eval=t_eval)
    out = outputs(sol.y)
    daily_t4 = out["tt4"][:-1].reshape(-1, 24).mean(axis=1)
    daily_tsh = out["tsh"][:-1].reshape(-1, 24).mean(axis=1)
    assert np.all(np.diff(daily_t4) < 0)  # T4 falls every day
    assert daily_tsh[-1] > 100.0  # models.md [recall]: TSH > 100 mU/L
    assert daily_t4[-1] < 1.0  # T4 -> ~0 ug/L
    exp = entry["expected"]
    assert daily_tsh[-1] == pytest.approx(exp["tsh_last_day_mean"], rel=entry["rtol"])
    assert daily_t4[-1] == pytest.approx(exp["tt4_last_day_mean"], rel=entry["rtol"])
    assert daily_tsh[13] == pytest.approx(exp["tsh_day14_mean"], rel=entry["rtol"])


@pytest.mark.golden
def test_single_oral_levothyroxine_dose(settled: Any, golden: Any) -> None:
    """400 ug T4 orally at 08:00 on day 31, as a 0.1 h infusion into the pill compartment."""
    entry = golden("thyrosim")["oral_t4"][0]
    dose = entry["dose_ug"] / thyrosim.T4_MOLAR_MASS  # umol
    dur, td = entry["infusion_h"], 30 * DAY + 8.0
    y30, u0 = settled.y[:, -1], MODEL.default_inputs()
    pre = _run(MODEL, 30 * DAY, td, y30)
    t_in = np.linspace(td, td + dur, 11)
    infusion = _run(
        MODEL, td, td + dur, pre.y[:, -1], inputs=u0._replace(t4_oral=dose / dur), t_eval=t_in
    )
    t_post = np.arange(td + dur, td + dur + 21 * DAY, 0.05)
    post = _run(MODEL, td + dur, t_post[-1], infusion.y[:, -1], t_eval=t_post)
    control = _run(MODEL, td, t_post[-1], pre.y[:, -1], t_eval=t_post)
    excess = outputs(post.y)["tt4"] - outputs(control.y)["tt4"]
    i = int(np.argmax(excess))
    peak, t_peak = excess[i], t_post[i] - td
    # absorption: peak within 1-6 h, then decline over days
    assert 1.0 < t_peak < 6.0
    assert peak > 10.0
    j14 = np.searchsorted(t_post, td + 14 * DAY)
    assert excess[j14] < 0.05 * peak
    assert np.all(excess[i:] > -0.5)
    # absorbed fraction: k4absorb / (k4absorb + k4excrete * dial2), from the gut equations
    p = MODEL.default_params()
    k_abs, k_exc = p.k4absorb, p.k4excrete * p.dial2
    t_all = np.concatenate([t_in, t_post[1:]])
    gut = np.concatenate([infusion.y[MODEL.state_names.index("t4_gut")],
                          post.y[MODEL.state_names.index("t4_gut")][1:]])  # fmt: skip
    absorbed = np.trapezoid(k_abs * gut, t_all) / dose
    assert absorbed == pytest.approx(k_abs / (k_abs + k_exc), rel=2e-3)
    exp = entry["expected"]
    assert peak == pytest.approx(exp["peak_excess_tt4"], rel=entry["rtol"])
    assert t_peak == pytest.approx(exp["time_to_peak_h"], abs=entry["atol_time_h"])
    assert excess[j14] == pytest.approx(exp["excess_tt4_day14"], rel=entry["rtol"])


@pytest.mark.golden
def test_solver_convergence(golden: Any) -> None:
    """30 days at rtol 1e-8 and 1e-10 agree to the stated tolerance on T4, T3 and TSH."""
    entry = golden("thyrosim")["convergence"][0]
    t_eval = np.arange(29 * DAY, 30 * DAY + 1e-9, 1.0)
    coarse = _run(MODEL, 0.0, 30 * DAY, MODEL.y0, t_eval=t_eval, rtol=1e-8, atol=1e-12)
    fine = _run(MODEL, 0.0, 30 * DAY, MODEL.y0, t_eval=t_eval, rtol=1e-10, atol=1e-14)
    oc, of = outputs(coarse.y), outputs(fine.y)
    for key in ("tt4", "tt3", "tsh"):
        np.testing.assert_allclose(oc[key], of[key], rtol=entry["rtol"])


def test_variants_are_valid_parameter_sets() -> None:
    for changes in thyrosim.VARIANTS.values():
        spec = MODEL.with_params(changes)
        for k, v in changes.items():
            assert spec.param(k).value == v


def test_simulate_if_available() -> None:
    """Cross-check with neuroendo.simulate (scipy backend); skipped while it does not exist."""
    try:
        from neuroendo.simulation import simulate
    except ImportError:
        pytest.skip("neuroendo.simulation.simulate is not available")
    t = np.arange(0.0, 2 * DAY + 1e-9, 1.0)
    sol = simulate("thyrosim", t=t, backend="scipy", rtol=1e-10, atol=1e-14)
    ref = _run(MODEL, 0.0, 2 * DAY, MODEL.y0, t_eval=t, rtol=1e-10, atol=1e-14)
    y = np.asarray(sol.y)[:, 0, :]
    np.testing.assert_allclose(y, ref.y, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(sol["tt4"], outputs(ref.y)["tt4"], rtol=1e-6)
