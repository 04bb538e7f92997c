"""Röblitz et al. 2013 (GynCycle): SBML cross-check, regular 28-day cycle, antagonist dosing."""

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import find_peaks

from neuroendo import models
from neuroendo.models import inputs
from neuroendo.models.hpg import roblitz2013
from neuroendo.simulation import simulate

MODEL = models.get("roblitz2013")
GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "roblitz2013.toml").read_text())
DT = 0.02  # d, output spacing of the behaviour run

#: neuroendo state name -> SBML species id in BIOMD0000000494
SBML_IDS = {
    "gnrh": "GnRH",
    "gnrh_receptor_active": "R_GnRH_a",
    "gnrh_receptor_inactive": "R_GnRH_i",
    "gnrh_complex_active": "GnRH_R_a",
    "gnrh_complex_inactive": "GnRH_R_i",
    "lh_pituitary": "LH_Pit",
    "lh": "LH_bld",
    "fsh_pituitary": "FSH_pit",
    "fsh": "FSH_bld",
    "lh_receptor": "R_LH",
    "lh_receptor_bound": "LH_R",
    "lh_receptor_desens": "R_LH_des",
    "fsh_receptor": "R_FSH",
    "fsh_receptor_bound": "FSH_R",
    "fsh_receptor_desens": "R_FSH_des",
    "af1": "AF1",
    "af2": "AF2",
    "af3": "AF3",
    "af4": "AF4",
    "prf": "PrF",
    "ovf": "OvF",
    "sc1": "Sc1",
    "sc2": "Sc2",
    "lut1": "Lut1",
    "lut2": "Lut2",
    "lut3": "Lut3",
    "lut4": "Lut4",
    "e2": "E2",
    "p4": "P4",
    "inha": "InhA",
    "inha_delay": "InhA_delay",
    "inhb": "InhB",
    "r_foll": "R_Foll",
    "agonist_depot": "Ago_d",
    "agonist": "Ago_c",
    "agonist_complex_active": "Ago_R_a",
    "agonist_complex_inactive": "Ago_R_i",
    "antagonist_depot": "Ant_d",
    "antagonist": "Ant_c",
    "antagonist_peripheral": "Ant_p",
    "antagonist_complex": "Ant_R",
}


def _roadrunner(data_dir, *, t_ago=1e9, t_ant=1e9):
    rr_mod = pytest.importorskip("roadrunner")
    path = data_dir / "sbml" / "BIOMD0000000494.xml"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    rr = rr_mod.RoadRunner(str(path))
    rr["p269"] = t_ago  # t_0_Ago: agonist event time
    rr["p469"] = t_ant  # t_0_Ant: antagonist event time
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    return rr


def test_states_map_onto_sbml_species():
    assert set(SBML_IDS) == set(MODEL.state_names)


def test_initial_values_match_sbml_order_of_magnitude():
    # spot-check transcription of the published initial values
    y0 = dict(zip(MODEL.state_names, MODEL.y0, strict=True))
    assert (y0["lh"], y0["fsh"], y0["e2"], y0["p4"]) == (2.667, 4.1, 45.0, 2.41)


@pytest.mark.crosscheck
def test_crosscheck_roadrunner_drug_free(data_dir):
    cfg = GOLDEN["crosscheck"]
    rr = _roadrunner(data_dir)
    rr.reset()
    ids = list(rr.model.getFloatingSpeciesIds())
    rates = dict(zip(ids, rr.model.getFloatingSpeciesConcentrationRates(), strict=True))
    ours = MODEL.rhs(0.0, np.array(MODEL.y0), MODEL.default_params(), MODEL.default_inputs())
    for name, d in zip(MODEL.state_names, ours, strict=True):  # compartment size 1
        assert d == pytest.approx(rates[SBML_IDS[name]], rel=1e-10, abs=1e-12), name
    t = np.linspace(0.0, cfg["horizon"], 851)
    sel = [f"[{SBML_IDS[s]}]" for s in MODEL.state_names]
    ref = np.asarray(rr.simulate(0.0, cfg["horizon"], t.size, sel)).T
    sol = simulate(MODEL, t)
    y = np.asarray(sol.y)[:, 0, :]
    for i, name in enumerate(MODEL.state_names):
        peak = np.abs(ref[i]).max()
        np.testing.assert_allclose(
            y[i], ref[i], rtol=0, atol=cfg["rtol"] * peak + 1e-300, err_msg=name
        )


@pytest.mark.crosscheck
def test_crosscheck_antagonist_dose_event(data_dir):
    cfg = GOLDEN["antagonist_event"]
    rr = _roadrunner(data_dir, t_ant=cfg["time"])
    t = np.linspace(0.0, 60.0, 1201)
    ref = np.asarray(rr.simulate(0.0, 60.0, t.size, ["[LH_bld]", "[Ant_c]"])).T
    w = cfg["window"]
    dose = inputs.pulse(cfg["time"], w, level=cfg["dose"] / w)
    sol = simulate(MODEL, t, inputs={"antagonist_dose": dose}, method="BDF")
    for k, (name, tol) in enumerate(
        [("lh", cfg["rtol_lh"]), ("antagonist", cfg["rtol_antagonist"])]
    ):
        np.testing.assert_allclose(
            sol[name].ravel(), ref[k], rtol=0, atol=tol * ref[k].max(), err_msg=name
        )


@pytest.fixture(scope="module")
def cycle():
    t = np.arange(0.0, 141.0 + DT / 2, DT)
    sol = simulate(MODEL, t, method="BDF")
    return t, {s: sol[s].ravel() for s in ("lh", "fsh", "e2", "p4")}


def _peaks(t, y, prominence):
    """Peak times and heights, refined by a parabola through the three grid points."""
    idx, _ = find_peaks(y, prominence=prominence)
    y0, y1, y2 = y[idx - 1], y[idx], y[idx + 1]
    d = 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2)
    return t[idx] + d * (t[1] - t[0]), y1 - 0.25 * (y0 - y2) * d


@pytest.mark.golden
def test_regular_cycle_period_and_surge(cycle):
    cfg = GOLDEN["cycle"]
    t, y = cycle
    surges, heights = _peaks(t, y["lh"], prominence=50.0)
    assert surges.size == 5  # one surge per cycle over five cycles
    period = np.diff(surges[-4:]).mean()
    assert period == pytest.approx(cfg["period"], rel=cfg["rtol_period"])
    assert np.ptp(np.diff(surges[1:])) < 0.1  # regular after the first cycle
    assert heights[-1] == pytest.approx(cfg["surge_amplitude"], rel=cfg["rtol_amplitude"])
    # between surges LH stays low (no second surge): below 15 % of the surge height
    mid = (t > surges[-2] + 4) & (t < surges[-1] - 4)
    assert y["lh"][mid].max() < 0.15 * heights[-1]


def test_fsh_two_peaks_and_luteal_p4(cycle):
    cfg = GOLDEN["cycle"]
    t, y = cycle
    surges, _ = _peaks(t, y["lh"], prominence=50.0)
    fsh_t, _ = _peaks(t, y["fsh"], prominence=0.5)
    p4_t, p4_h = _peaks(t, y["p4"], prominence=1.0)
    for a, b in itertools.pairwise(surges[1:]):
        in_cycle = (fsh_t >= a - 2) & (fsh_t < b - 2)
        assert in_cycle.sum() == 2, fsh_t[in_cycle]  # early-follicular peak + mid-cycle peak
        luteal = (p4_t > a) & (p4_t < b)
        assert luteal.sum() == 1
        assert p4_t[luteal][0] - a == pytest.approx(cfg["p4_delay"], abs=cfg["atol_p4_delay"])
        assert p4_h[luteal][0] == pytest.approx(cfg["p4_peak"], rel=cfg["rtol_amplitude"])
        # the E2 preovulatory peak precedes the surge by less than two days
        e2_t, _ = _peaks(t, y["e2"], prominence=20.0)
        pre = e2_t[(e2_t > a + 14) & (e2_t < b)]
        assert pre.size == 1
        assert 0 < b - pre[0] < 2


def test_antagonist_daily_doses_suppress_lh_surge():
    cfg = GOLDEN["antagonist_suppression"]
    t = np.arange(0.0, 55.0 + 0.025, 0.05)
    days = cfg["first_dose"] + np.arange(cfg["n_doses"], dtype=float)
    dosing = inputs.gnrh_analogue(cfg["dose"], times=days, duration=0.1, dose_unit="1")
    lh = np.vstack(
        [
            simulate(MODEL, t, method="BDF")["lh"],  # drug-free
            simulate(MODEL, t, inputs={"antagonist_dose": dosing}, method="BDF")["lh"],
        ]
    )
    w = (t >= cfg["first_dose"]) & (t <= cfg["first_dose"] + cfg["n_doses"])
    assert lh[0, w].max() > 100.0  # the drug-free surge happens in the window
    assert lh[1, w].max() < cfg["max_lh_ratio"] * lh[0, w].max()


def test_single_antagonist_dose_lowers_lh_next_day():
    t = np.arange(0.0, 36.0 + 0.025, 0.05)
    dose = inputs.pulse(34.0, 0.1, level=500 / 0.1)
    free = simulate(MODEL, t, method="BDF")["lh"].ravel()
    treated = simulate(MODEL, t, inputs={"antagonist_dose": dose}, method="BDF")["lh"].ravel()
    k = np.searchsorted(t, 35.0)
    assert treated[k] < 0.9 * free[k]  # > 10 % lower one day after the dose


def test_gnrh_helpers_match_rhs_inputs():
    p = MODEL.default_params()
    f = roblitz2013.gnrh_pulse_frequency(np.array([45.0, 300.0]), np.array([2.41, 0.5]), p)
    assert f[1] > f[0]  # high E2 / low P4 speeds the pulse generator
    assert roblitz2013.gnrh_pulse_mass(45.0, p) > 0
