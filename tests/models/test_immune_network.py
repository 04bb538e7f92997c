"""HPA-immune network (models.net.immune2026): zero coupling, endotoxin challenge, GR sensitivity.

References
----------
.. [1] Somvanshi PR et al. Am J Physiol Endocrinol Metab. 2020;319:E48-E66 [recall] (reduced
   inflammatory pathway, GR sensitivity).
.. [2] Copeland S et al. Clin Diagn Lab Immunol. 2005;12:60-67 (human endotoxemia: IL-6 about
   1000 pg/mL, peaking 2 h after 2 ng/kg LPS).
.. [3] Schreiber W et al. Neuroendocrinology. 1993;58:123-128 (ACTH and cortisol rise after the
   cytokines; hypothalamic and, to a lesser degree, pituitary stimulation).
"""

import tomllib
from pathlib import Path

import numpy as np
import pytest

from neuroendo import models
from neuroendo.models import inputs
from neuroendo.models.net import immune2026 as imm
from neuroendo.simulation import simulate

SPEC = models.get("network_immune")
NET = models.get("network")
IMM_OFF = models.get("network_immune", variant="immune_uncoupled")
GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "immune_network.toml").read_text())
SHARED = [SPEC.state_names.index(n) for n in NET.state_names]
IMM = [SPEC.state_names.index(f"imm_{s.name}") for s in imm.IMMUNE.states]


def test_registered_with_immune_block_ports_and_variants():
    assert "network_immune" in models.available("network")
    assert models.variants("network_immune") == (
        "coupled", "immune_uncoupled", "uncoupled", "gr_resistant",
    )  # fmt: skip
    assert len(SPEC.states) == len(NET.states) + 4
    assert SPEC.state_names[: len(NET.states)] == NET.state_names
    assert {"imm_endotoxin", "imm_cortisol", "stress", "circadian"} <= set(SPEC.input_names)
    assert imm.STRENGTHS == ("c_il6_crh", "c_il6_acth", "c_cort_il6")
    assert "hpa_acth_secretion" in SPEC.input_names
    for name in imm.STRENGTHS:
        assert SPEC.param(name).bounds[0] == 0.0
        assert SPEC.param(name).source.key
    assert SPEC.param("imm_gr_sensitivity").value == 1.0
    assert SPEC.param("x0_il6").value == pytest.approx(1.5 / 1.625)


def test_immune_uncoupled_rhs_is_bitwise_network_rhs():
    rng = np.random.default_rng(3)
    y = SPEC.y0[:, None] * rng.uniform(0.5, 1.5, size=(len(SPEC.states), 3))
    y[IMM] = rng.uniform(0.0, 50.0, size=(4, 3))  # an inflamed immune block
    u = IMM_OFF.U(*(np.full(3, i.default) for i in IMM_OFF.inputs))
    u = u._replace(stress=np.array([0.0, 1.0, 0.5]), imm_endotoxin=np.array([0.0, 5.0, 1.0]))
    d = IMM_OFF.rhs(7.1, y, IMM_OFF.default_params(), u)
    un = NET.U(*(np.full(3, i.default) for i in NET.inputs))._replace(stress=u.stress)
    ref = NET.rhs(7.1, y[SHARED], NET.default_params(), un)
    for k, i in enumerate(SHARED):
        assert np.array_equal(d[i], ref[k]), SPEC.state_names[i]


def test_immune_coupling_zero_reproduces_network_trajectories():
    """An endotoxin bolus with both immune strengths 0 leaves every network state unchanged."""
    t = np.linspace(0.0, 3.0, 7)
    opts = {"method": "DOP853", "rtol": 1e-13, "atol": 1e-16}
    sol = simulate(IMM_OFF, t, inputs={"imm_endotoxin": inputs.endotoxin(2.0, 0.5)}, **opts)
    alone = simulate(NET, t, **opts)
    np.testing.assert_allclose(sol.y[SHARED], alone.y, rtol=1e-9, atol=1e-15)
    assert np.max(sol["imm_il6"]) > 10 * imm.IL6_BASAL  # the immune block did respond


@pytest.fixture(scope="module")
def challenge():
    """Subjects: bolus (normal GR), bolus (GR resistant), no bolus, bolus without IL-6 -> HPA,
    bolus with the IL-6 -> CRH route only, bolus with the IL-6 -> ACTH route only."""
    g = GOLDEN["endotoxin_challenge"][0]
    t = np.arange(0.0, g["t_end"] + 1e-9, 0.05)
    crh, acth = SPEC.param("c_il6_crh").value, SPEC.param("c_il6_acth").value
    sol = simulate(
        SPEC, t,
        params={"imm_gr_sensitivity": [1.0, g["gr_resistant"], 1.0, 1.0, 1.0, 1.0],
                "c_il6_crh": [crh, crh, crh, 0.0, crh, 0.0],
                "c_il6_acth": [acth, acth, acth, 0.0, 0.0, acth]},
        inputs={"imm_endotoxin": inputs.endotoxin(g["dose"], g["t_bolus"])
                * np.array([1.0, 1.0, 0.0, 1.0, 1.0, 1.0])},
        method="BDF", rtol=1e-7, atol=1e-9,
    )  # fmt: skip
    assert list(sol.status) == ["ok"] * 6
    w = t >= g["t_bolus"]
    return g, t[w] - g["t_bolus"], sol["imm_il6"][:, w], sol["hpa_cortisol"][:, w]


def test_cortisol_rises_above_no_bolus_trajectory_after_il6_peak(challenge):
    _, t, il6, cort = challenge
    t_il6 = t[np.argmax(il6[0])]
    excess = cort[0] - cort[2]
    t_cort = t[np.argmax(excess)]
    assert 1.5 <= t_il6 <= 2.5  # human endotoxemia: IL-6 peak at 2 h after LPS [2]
    assert 500.0 < il6[0].max() < 2000.0  # ~1000 pg/mL after 2 ng/kg [2]
    assert excess.max() > 0.2 * cort[2].mean()
    assert t_cort > t_il6
    # the rise comes through the IL-6 -> CRH/ACTH couplings (negative control)
    np.testing.assert_allclose(cort[3], cort[2], rtol=1e-5)


def test_both_il6_routes_raise_cortisol_hypothalamic_route_larger(challenge):
    """Each route alone raises cortisol; the CRH route carries the larger share [3]."""
    _, _, _, cort = challenge
    ex_crh, ex_acth = (cort[4] - cort[2]).max(), (cort[5] - cort[2]).max()
    assert ex_acth > 0.02 * cort[2].mean()
    assert ex_crh > ex_acth
    assert (cort[0] - cort[2]).max() > ex_crh + ex_acth  # the two routes multiply


@pytest.mark.golden
def test_challenge_golden_values(challenge):
    g, t, il6, cort = challenge
    excess = cort[0] - cort[2]
    got = {
        "il6_peak": il6[0].max(),
        "il6_peak_time": t[np.argmax(il6[0])],
        "cortisol_excess_peak": excess.max(),
        "cortisol_excess_peak_time": t[np.argmax(excess)],
    }
    for k, v in got.items():
        np.testing.assert_allclose(v, g[k], rtol=g["rtol"], atol=g["atol_time"], err_msg=k)


def test_weaker_gr_sensitivity_gives_larger_longer_il6_response(challenge):
    g, t, il6, _ = challenge
    above = il6[:2] - il6[2]  # over the no-bolus baseline
    auc = np.trapezoid(above, t, axis=1)
    duration = (above > g["duration_threshold"]).sum(axis=1) * (t[1] - t[0])
    assert auc[1] > 1.2 * auc[0]
    assert duration[1] > duration[0]
    assert il6[1].max() > il6[0].max()


def test_endotoxin_input_dose_and_errors():
    e = inputs.endotoxin([2.0, 4.0], [1.0, 30.0])
    np.testing.assert_allclose(e([0.99, 1.005, 1.02, 30.005]), [0.0, 120.0, 0.0, 240.0])
    assert e.unit == "ng/kg/h"
    assert inputs.endotoxin(1.0, 0.0, dose_unit="ug/kg", time_unit="min").unit == "ug/kg/min"
    assert imm.endotoxin is inputs.endotoxin  # re-exported by the model module
    assert "endotoxin" in inputs.__all__
    with pytest.raises(ValueError, match="dose"):
        inputs.endotoxin(-1.0)
    with pytest.raises(ValueError, match="duration"):
        inputs.endotoxin(2.0, duration=0.0)
