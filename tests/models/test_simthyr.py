"""Tests of the SimThyr model (neuroendo.models.hpt.simthyr).

Integrated directly with scipy's solve_ivp on ``MODEL.rhs`` (no dependence on the simulator).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neuroendo._core.errors import ModelDefinitionError
from neuroendo.models.hpt import simthyr
from neuroendo.models.hpt.simthyr import MODEL, equilibrium, trh_circadian

DAY = 86400.0  # s

# SPINA constants, clinical.md §3.1 (R package SPINA 5.1.0), SI units
SPINA = {
    "alphaT": 0.1, "betaT": 1.1e-6, "DT": 2.75, "TBG": 3e-7, "TBPA": 4.5e-6, "k41": 2e10,
    "k42": 2e8, "alpha31": 0.026, "beta31": 8e-6, "KM1": 5e-7, "k30": 2e9,
}  # fmt: skip


def _spina_gt(tsh: Any, ft4_pmol: Any) -> Any:
    """SPINA-GT in pmol/s (clinical.md §3.1), inline so the test does not need measures."""
    ft4 = ft4_pmol * 1e-12
    c = SPINA
    bind = 1 + c["k41"] * c["TBG"] + c["k42"] * c["TBPA"]
    return c["betaT"] * (c["DT"] + tsh) * bind * ft4 / (c["alphaT"] * tsh) * 1e12


def _spina_gd(ft4_pmol: Any, ft3_pmol: Any) -> Any:
    """SPINA-GD in nmol/s (clinical.md §3.1)."""
    ft4, ft3 = ft4_pmol * 1e-12, ft3_pmol * 1e-12
    c = SPINA
    return (
        c["beta31"]
        * (c["KM1"] + ft4)
        * (1 + c["k30"] * c["TBG"])
        * ft3
        / (c["alpha31"] * ft4)
        * 1e9
    )


def _simulate(
    t_end: float,
    *,
    y0: Any = None,
    trh: Callable[[float], float] | None = None,
    t_eval: Any = None,
    rtol: float = 1e-10,
    atol: float = 1e-14,
) -> Any:
    """Integrate SimThyr with LSODA from ``y0`` (default: the model's reference values)."""
    p = MODEL.default_params()
    u_const = MODEL.default_inputs()

    def f(t: float, y: Any) -> Any:
        u = u_const if trh is None else MODEL.U(trh=trh(t))
        return np.array(MODEL.rhs(t, y, p, u))

    sol = solve_ivp(
        f, (0.0, t_end), MODEL.y0 if y0 is None else y0, method="LSODA", rtol=rtol, atol=atol,
        t_eval=t_eval,
    )  # fmt: skip
    assert sol.status == 0, sol.message
    return sol


def _state(name: str) -> int:
    return MODEL.state_names.index(name)


def _eq_vector(eq: dict[str, Any]) -> Any:
    return np.array([eq[n] for n in MODEL.state_names])


def test_spec_shape() -> None:
    assert MODEL.name == "simthyr"
    assert MODEL.axis == "hpt"
    assert MODEL.stiff
    assert len(MODEL.states) == 5 + 4 * simthyr.K_DELAY
    for name in ("tsh", "tsh_pituitary", "t4", "t3_central", "t3", "tsh_delay_1", "t4_delay_6"):
        assert name in MODEL.state_names
    out = MODEL.rhs(0.0, MODEL.y0, MODEL.default_params(), MODEL.default_inputs())
    assert len(out) == len(MODEL.states)
    assert np.all(np.isfinite(np.array(out)))


def test_rhs_batch_equals_single() -> None:
    p = MODEL.default_params()
    gt = np.array([1.0, 3.375, 6.0])
    pb = p._replace(GT=gt)
    y = np.repeat(MODEL.y0[:, None], 3, axis=1)
    batch = np.array(MODEL.rhs(0.0, y, pb, MODEL.default_inputs()))
    for j, g in enumerate(gt):
        single = np.array(MODEL.rhs(0.0, MODEL.y0, p._replace(GT=g), MODEL.default_inputs()))
        np.testing.assert_allclose(batch[:, j], single, rtol=1e-14)


@pytest.mark.golden
@pytest.mark.parametrize("case", ["simthyr-standard-values", "simthyr-gh817"])
def test_equilibrium_golden(golden: Any, case: str) -> None:
    entry = next(e for e in golden("simthyr")["equilibrium"] if e["id"] == case)
    eq = equilibrium(entry["params"] or None)
    for key, value in entry["expected"].items():
        assert eq[key] == pytest.approx(value, rel=entry["rtol"]), key


def test_equilibrium_is_euthyroid() -> None:
    # Reference intervals of SimThyr's StandardValues comment list (TSH 0.4-4 mU/L,
    # FT4 10-23 pmol/L) and FT3 3-6 pmol/L (adult laboratory intervals, cf. SHIP 3.8-7.0).
    eq = equilibrium()
    assert 0.4 <= eq["tsh"] <= 4.0
    assert 10.0 <= eq["ft4"] <= 23.0
    assert 3.0 <= eq["ft3"] <= 6.0
    # TT4 57.9-128.7 nmol/L (same list)
    assert 57.9 <= eq["t4"] <= 128.7


def test_equilibrium_is_a_root_of_the_rhs() -> None:
    """Every derivative vanishes at the analytic equilibrium (relative to its own time scale)."""
    eq = equilibrium()
    y = _eq_vector(eq)
    d = np.array(MODEL.rhs(0.0, y, MODEL.default_params(), MODEL.default_inputs()))
    fastest = 140.0 + 6 / 120.0  # largest rate in the model, 1/s (betaS2, TSH chain)
    assert np.max(np.abs(d) / (np.abs(y) * fastest)) < 1e-12


def test_equilibrium_unique_positive_root_and_monotone_in_trh() -> None:
    trh = np.array([0.5, 2.0, 6.9, 20.0, 100.0])
    eq = equilibrium(trh=trh)
    assert eq["tsh"].shape == (5,)
    assert np.all(np.diff(eq["tsh"]) > 0)  # more TRH drive -> more TSH
    assert np.all(np.diff(eq["ft4"]) > 0)
    y = np.array([eq[n] for n in MODEL.state_names])
    d = np.array(MODEL.rhs(0.0, y, MODEL.default_params(), MODEL.U(trh=trh)))
    assert np.max(np.abs(d) / (np.abs(y) * 140.1)) < 1e-12


def test_equilibrium_vectorised_equals_scalar_calls() -> None:
    gt = np.array([0.5, 1.5, 3.375, 8.0])
    batch = equilibrium({"GT": gt, "GD1": np.full(4, 20.0)})
    for j, g in enumerate(gt):
        single = equilibrium({"GT": float(g), "GD1": 20.0})
        for key in ("tsh", "ft4", "ft3", "t4", "t3"):
            assert batch[key][j] == pytest.approx(single[key], rel=1e-12)
    # primary hypothyroidism raises TSH and lowers FT4
    assert np.all(np.diff(batch["tsh"]) < 0)
    assert np.all(np.diff(batch["ft4"]) > 0)


def test_equilibrium_accepts_namedtuple() -> None:
    p = MODEL.default_params()._replace(GH=817.0)
    assert equilibrium(p)["tsh"] == pytest.approx(equilibrium({"GH": 817.0})["tsh"], rel=1e-14)


def test_equilibrium_rejects_bad_input() -> None:
    with pytest.raises(ModelDefinitionError, match="GTT"):
        equilibrium({"GTT": 1.0})
    with pytest.raises(ValueError, match="'GT'"):
        equilibrium({"GT": -1.0})
    with pytest.raises(ValueError, match="'trh'"):
        equilibrium(trh=-1.0)


@pytest.mark.golden
def test_derived_constants(golden: Any) -> None:
    entries = {e["id"]: e for e in golden("simthyr")["derived_constant"]}
    ls, gh = MODEL.param("LS").value, MODEL.param("GH").value
    assert ls == pytest.approx(entries["LS"]["value"], rel=entries["LS"]["rtol"])
    assert ls == pytest.approx(entries["LS-code-comment"]["value"], rel=0.01)
    assert gh == pytest.approx(entries["GH"]["value"], rel=entries["GH"]["rtol"])
    # the "817 mU/s" code comment is not what the formula gives (documented discrepancy)
    assert abs(gh - 817.0) > 100.0


@pytest.mark.golden
def test_time_course_converges_to_analytic_equilibrium() -> None:
    """Constant TRH, no noise: 200 days from SimThyr's reference values reach the cubic's root.

    The slowest closed-loop mode decays with a time constant of about 8 days (error 5e-4 at day
    50, 1e-6 at day 100), so after 200 days the remaining transient is ~1e-11; rel 1e-8 leaves
    room for the solver tolerance (rtol 1e-10).
    """
    sol = _simulate(200 * DAY, t_eval=[200 * DAY])
    expected = _eq_vector(equilibrium())
    np.testing.assert_allclose(sol.y[:, -1], expected, rtol=1e-8)


@pytest.mark.golden
def test_spina_inverts_the_simulated_equilibrium(golden: Any) -> None:
    """SPINA-GT/GD of the simulated steady state return the model's GT and GD1."""
    entry = golden("simthyr")["spina"][0]
    # the SPINA constants are the model's constants
    for name, si in (("alphaT", 1), ("betaT", 1), ("DT", 1), ("TBG", 1e-9), ("TBPA", 1e-6),
                     ("k41", 1), ("k42", 1), ("alpha31", 1), ("beta31", 1), ("KM1", 1e-6),
                     ("k30", 1)):  # fmt: skip
        assert MODEL.param(name).value * si == pytest.approx(SPINA[name], rel=1e-14), name
    sol = _simulate(200 * DAY, t_eval=[200 * DAY])
    y = sol.y[:, -1]
    tsh = y[_state("tsh")]
    obs = {o.name: o for o in MODEL.observables}
    ft4 = obs["ft4"].scale * y[_state("t4")]
    ft3 = obs["ft3"].scale * y[_state("t3")]
    gt, gd = _spina_gt(tsh, ft4), _spina_gd(ft4, ft3)
    assert gt == pytest.approx(entry["expected"]["spina_gt"], rel=entry["rtol"])
    assert gd == pytest.approx(entry["expected"]["spina_gd"], rel=entry["rtol"])
    assert gt == pytest.approx(MODEL.param("GT").value, rel=entry["rtol"])
    assert gd == pytest.approx(MODEL.param("GD1").value, rel=entry["rtol"])


def test_spina_inverts_equilibria_across_subjects() -> None:
    gt = np.array([1.0, 2.0, 3.375, 6.0])
    gd1 = np.array([15.0, 25.0, 28.0, 40.0])
    eq = equilibrium({"GT": gt, "GD1": gd1})
    np.testing.assert_allclose(_spina_gt(eq["tsh"], eq["ft4"]), gt, rtol=1e-10)
    np.testing.assert_allclose(_spina_gd(eq["ft4"], eq["ft3"]), gd1, rtol=1e-10)


def test_trh_circadian_matches_simthyr_form() -> None:
    t = np.array([0.0, 5 * 3600.0, 17 * 3600.0])
    trh = trh_circadian(t)
    assert trh[1] == pytest.approx(6.9 * 1.6, rel=1e-12)  # peak at 05:00: TRHs + 3/5 TRHs
    assert trh[2] == pytest.approx(6.9 * 0.4, rel=1e-12)  # trough 12 h later
    assert isinstance(trh_circadian(0.0), float)


@pytest.mark.golden
def test_circadian_trh_gives_24h_tsh_rhythm(golden: Any) -> None:
    entry = golden("simthyr")["circadian"][0]
    t_eval = np.arange(0.0, 10 * DAY + 1.0, 600.0)
    sol = _simulate(
        10 * DAY, y0=_eq_vector(equilibrium()), trh=trh_circadian, t_eval=t_eval, rtol=1e-8,
        atol=1e-12,
    )  # fmt: skip
    tsh = sol.y[_state("tsh")]
    last, prev = t_eval >= 9 * DAY, (t_eval >= 8 * DAY) & (t_eval < 9 * DAY)
    day = tsh[last][:-1]
    # 24 h period: day 9 repeats day 8 (T4 still settles slowly: < 0.2 %) ...
    np.testing.assert_allclose(day, tsh[prev], rtol=2e-3)
    # ... and not a 12 h one
    half = len(day) // 2
    assert np.max(np.abs(day[:half] - day[half:])) > 0.5
    peak_hour = (t_eval[last][np.argmax(tsh[last])] % DAY) / 3600.0
    exp = entry["expected"]
    assert tsh[last].max() - tsh[last].min() > 0.5  # mU/L
    assert tsh[last].min() == pytest.approx(exp["tsh_min"], rel=entry["rtol"])
    assert tsh[last].max() == pytest.approx(exp["tsh_max"], rel=entry["rtol"])
    assert tsh[last].mean() == pytest.approx(exp["tsh_mean"], rel=entry["rtol"])
    assert peak_hour == pytest.approx(exp["tsh_peak_hour"], abs=entry["atol_peak_hour"])
    # the TSH peak follows the TRH peak (05:00) by under 2 h
    assert 5.0 < peak_hour < 7.0


def test_variants_are_valid_parameter_sets() -> None:
    for name, changes in simthyr.VARIANTS.items():
        spec = MODEL.with_params(changes)
        assert spec.param(next(iter(changes))).value == next(iter(changes.values())), name
    hypo = equilibrium(simthyr.VARIANTS["primary_hypothyroidism"])
    assert hypo["tsh"] > 4.0
    assert hypo["ft4"] < equilibrium()["ft4"]


def test_simulate_batch_stays_at_equilibrium_if_available() -> None:
    """neuroendo.simulation.simulate on a batch started at each subject's equilibrium."""
    try:
        from neuroendo.simulation import simulate
    except ImportError:
        pytest.skip("neuroendo.simulation.simulate is not available")
    gt = np.array([1.5, 3.375, 6.0])
    eq = equilibrium({"GT": gt})
    y0 = np.array([eq[n] for n in MODEL.state_names])  # (n_states, n_subjects)
    t = np.linspace(0.0, 5 * DAY, 6)
    sol = simulate("simthyr", t=t, params={"GT": gt}, y0=y0, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(np.asarray(sol.y), np.repeat(y0[:, :, None], 6, axis=2), rtol=1e-8)
