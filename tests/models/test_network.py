"""The coupled neuroendocrine network (models.net.network2026): exact zero coupling, stress.

References
----------
.. [1] Nicoloff JT et al. J Clin Invest. 1970;49:1922-1929 (glucocorticoids suppress TSH).
.. [2] Whirledge S, Cidlowski JA. Endocrinology. 2013;154:4450-4468 (glucocorticoids suppress
   the HPG axis centrally).
"""

import tomllib
from pathlib import Path

import numpy as np
import pytest

from neuroendo import models
from neuroendo.models import inputs
from neuroendo.models.net import network2026 as net_module
from neuroendo.simulation import simulate

NET = models.get("network")
UNCOUPLED = models.get("network", variant="uncoupled")
GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "network.toml").read_text())
STAND_ALONE = {"hpa": "sriram2012", "hpt": "thyrosim", "hpg": "smith1980"}


def _idx(prefix, spec):
    return [NET.state_names.index(f"{prefix}_{n}") for n in spec.state_names]


def test_registered_with_components_hub_and_couplings():
    assert NET.name == "network"
    assert NET.axis == "network"
    assert NET.time_unit == "h"
    assert "network" in models.available("network")
    assert models.variants("network") == ("coupled", "uncoupled")
    assert len(NET.states) == 4 + 19 + 3 + 2
    assert {"stress", "circadian", "hpt_tsh_secretion", "hpg_lhrh_secretion"} <= set(
        NET.input_names
    )
    for c in net_module.COUPLINGS:  # every coupling: strength Param with a source, and a Ref
        assert c.ref.key
        assert c.strength_param.source.key
        assert NET.param(c.strength_param.name).bounds[0] == 0.0
    assert NET.observables[-1].name == "ans_rmssd"
    assert NET.observables[-1].unit == "ms"


def test_uncoupled_rhs_is_bitwise_each_stand_alone_rhs():
    rng = np.random.default_rng(7)
    y = NET.y0[:, None] * rng.uniform(0.5, 1.5, size=(len(NET.states), 3))
    u = UNCOUPLED.U(*(np.full(3, i.default) for i in UNCOUPLED.inputs))
    u = u._replace(stress=np.array([0.0, 1.0, 2.0]), circadian=np.array([0.3, -0.2, 0.1]))
    d = UNCOUPLED.rhs(5.3, y, UNCOUPLED.default_params(), u)
    for prefix, name in STAND_ALONE.items():
        spec = models.get(name)
        idx = _idx(prefix, spec)
        ref = spec.rhs(5.3, y[idx], spec.default_params(), spec.default_inputs())
        for k, i in enumerate(idx):
            assert np.array_equal(d[i], np.broadcast_to(ref[k], (3,))), NET.state_names[i]


def test_uncoupled_network_reproduces_stand_alone_trajectories():
    """All strengths 0 except the hub gain: network stress == sriram2012's own stress input."""
    t = np.linspace(0.0, 4.0, 9)
    stress = inputs.step(1.0, 2.5, level=0.8)
    spec = UNCOUPLED.with_params(c_stress_hpa=1.0)
    opts = {"method": "DOP853", "rtol": 1e-13, "atol": 1e-16}
    sol = simulate(spec, t, inputs={"stress": stress}, **opts)
    for prefix, name in STAND_ALONE.items():
        alone = simulate(name, t, inputs={"stress": stress} if prefix == "hpa" else None, **opts)
        idx = _idx(prefix, models.get(name))
        np.testing.assert_allclose(sol.y[idx], alone.y, rtol=1e-9, atol=1e-15, err_msg=name)


@pytest.mark.golden
def test_chronic_stress_lowers_tsh_lh_testosterone_and_vagal_tone():
    g = GOLDEN["chronic_stress"][0]
    t = np.arange(0.0, 240.01, 0.25)
    level = np.array(g["levels"])
    sol = simulate(
        NET, t, inputs={"stress": inputs.step(48.0) * inputs.constant(level)},
        rtol=1e-8, atol=1e-10,
    )  # fmt: skip
    w = t >= 72.0
    means = {k: sol[k][:, w].mean(axis=1) for k in ("hpa_cortisol", "hpt_tsh", "hpg_lh",
                                                     "hpg_testosterone", "ans_vagal")}  # fmt: skip
    # directions reported in the literature, and dose-dependent
    assert np.all(np.diff(means["hpa_cortisol"]) > 0)
    for k in ("hpt_tsh", "hpg_lh", "hpg_testosterone", "ans_vagal"):
        assert np.all(np.diff(means[k]) < 0), k
    for k, v in means.items():
        np.testing.assert_allclose(v, g[k], rtol=g["rtol"], err_msg=k)
    rmssd = sol.observables["ans_rmssd"][:, w].mean(axis=1)
    np.testing.assert_allclose(rmssd, 42.0 * means["ans_vagal"], rtol=1e-12)


def test_same_stress_without_coupling_leaves_tsh_and_lh_unchanged():
    """The stress effect on TSH/LH comes only through the couplings (negative control)."""
    t = np.linspace(0.0, 12.0, 25)
    spec = UNCOUPLED.with_params(c_stress_hpa=1.0)
    sol = simulate(spec, t, inputs={"stress": inputs.constant(np.array([0.0, 1.0]))},
                   method="BDF", rtol=1e-8, atol=1e-10)  # fmt: skip
    for k in ("hpt_tsh", "hpg_lh"):  # equal up to the integration error of separate runs
        np.testing.assert_allclose(sol[k][0], sol[k][1], rtol=1e-5)
    assert abs(sol["hpa_cortisol"][1, -1] / sol["hpa_cortisol"][0, -1] - 1) > 0.01
