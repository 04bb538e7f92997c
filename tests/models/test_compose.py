"""neuroendo.models.compose: prefixed union, couplings through input ports, exact zero coupling.

References
----------
.. [1] The toy components below are one-compartment production/clearance models (no source
   needed); the registered components cite their own papers.
"""

import numpy as np
import pytest

from neuroendo import ModelDefinitionError, models
from neuroendo.models import Coupling, Input, ModelSpec, Param, Ref, State, compose
from neuroendo.models._compose import coupling_value
from neuroendo.simulation import simulate
from neuroendo.testing import check_model

REF = Ref("toy2026")


def _rhs_a(t, y, p, u, xp=np):
    (x,) = y
    return (p.k0 * u.gain - p.k * x,)


def _rhs_b(t, y, p, u, xp=np):
    (z,) = y
    return (p.k0 * (1 + u.extra) * (1 + 0.5 * xp.sin(t / 60.0)) - p.k * z,)


TOY_A = ModelSpec(
    "toy_a", "other", (State("x", 1.0, "1"),),
    (Param("k0", 1.0, "/h", (0.0, 10.0), REF), Param("k", 0.5, "/h", (0.01, 10.0), REF)),
    _rhs_a, "h", inputs=(Input("gain", 1.0, "1", "multiplicative port"),), references=(REF,),
)  # fmt: skip
TOY_B = ModelSpec(
    "toy_b", "other", (State("z", 2.0, "ng/mL"),),
    (Param("k0", 0.1, "ng/mL/min", (0.0, 1.0), REF), Param("k", 0.05, "/min", (1e-3, 1.0), REF)),
    _rhs_b, "min", inputs=(Input("extra", 0.0, "1", "additive port"),), references=(REF,),
)  # fmt: skip


def _couplings(s1: float = 0.0, s2: float = 0.0) -> list[Coupling]:
    return [
        Coupling(
            "b_z", "a_gain", "hill_inhibition",
            Param("s_za", s1, "1", (0.0, 10.0), REF), Param("K_za", 2.0, "ng/mL", (0.1, 10.0), REF),
            n=2.0, ref=REF,
        ),
        Coupling("a_x", "b_extra", "linear", Param("c_xb", s2, "1", (0.0, 10.0), REF), ref=REF),
    ]  # fmt: skip


def _net(s1: float = 0.0, s2: float = 0.0) -> ModelSpec:
    return compose({"a": TOY_A, "b": TOY_B}, _couplings(s1, s2), time_unit="h", name="toy_net")


@pytest.mark.parametrize(
    ("form", "mode", "expected"),
    [
        ("hill_inhibition", "multiply", 1 / (1 + 2.0 * 4.0)),
        ("hill_inhibition", "add", 2.0 / (1 + 4.0)),
        ("hill_activation", "multiply", 1 + 2.0 * 4.0 / 5.0),
        ("hill_activation", "add", 2.0 * 4.0 / 5.0),
        ("linear", "multiply", 1 + 2.0 * 2.0),
        ("linear", "add", 2.0 * 2.0),
    ],
)
def test_coupling_value_forms(form, mode, expected):
    # x = 4, K = 2 -> r = 2, r^2 = 4; s = 2
    assert coupling_value(form, mode, 4.0, 2.0, 2.0, 2.0) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("form", ["hill_inhibition", "hill_activation", "linear"])
def test_zero_strength_is_exactly_neutral(form):
    x = np.array([0.0, 1e-3, 3.0, 1e6, -1e-14])
    assert np.all(coupling_value(form, "multiply", x, 0.0, 1.5, 2.5) == 1.0)
    assert np.all(coupling_value(form, "add", x, 0.0, 1.5, 2.5) == 0.0)


def test_coupling_validation_messages():
    s = Param("s", 0.0, "1", (0.0, 1.0), REF)
    with pytest.raises(ValueError, match="Did you mean 'linear'"):
        Coupling("a_x", "b_extra", "linaer", s, ref=REF)
    with pytest.raises(ModelDefinitionError, match="needs a half-effect constant"):
        Coupling("a_x", "b_extra", "hill_activation", s, ref=REF)
    with pytest.raises(ModelDefinitionError, match="literature source"):
        Coupling("a_x", "b_extra", "linear", s)
    with pytest.raises(ModelDefinitionError, match="must include 0"):
        Coupling("a_x", "b_extra", "linear", Param("s", 1.0, "1", (0.5, 2.0), REF), ref=REF)
    with pytest.raises(ValueError, match="needs the half-effect constant"):
        coupling_value("hill_inhibition", "multiply", 1.0, 1.0)


def test_names_params_inputs_and_references():
    net = _net()
    assert net.state_names == ("a_x", "b_z")
    assert net.param_names == ("a_k0", "a_k", "b_k0", "b_k", "s_za", "K_za", "c_xb")
    assert net.input_names == ("a_gain", "b_extra")
    assert net.param("b_k").unit == "/min"
    assert [r.key for r in net.references] == ["toy2026"]
    check_model(net)


def test_zero_coupling_rhs_is_bitwise_the_stand_alone_rhs():
    net = _net()
    rng = np.random.default_rng(1)
    y = rng.uniform(0.1, 5.0, size=(2, 4))
    t = 1.7
    d = net.rhs(t, y, net.default_params(), net.default_inputs())
    da = TOY_A.rhs(t, y[:1], TOY_A.default_params(), TOY_A.default_inputs())
    db = TOY_B.rhs(60 * t, y[1:], TOY_B.default_params(), TOY_B.default_inputs())
    assert np.array_equal(d[0], da[0])
    assert np.array_equal(d[1], 60 * db[0])  # per min -> per h


def test_coupling_enters_the_port_as_documented():
    net = _net(s1=1.5, s2=0.25)
    y = np.array([3.0, 4.0])
    d = net.rhs(0.0, y, net.default_params(), net.default_inputs())
    gain = 1.0 / (1 + 1.5 * (4.0 / 2.0) ** 2)  # hill inhibition of a's port by b_z
    assert d[0] == pytest.approx(1.0 * gain - 0.5 * 3.0, rel=1e-14)
    extra = 0.25 * 3.0  # linear, additive into b's port
    assert d[1] == pytest.approx(60 * (0.1 * (1 + extra) - 0.05 * 4.0), rel=1e-14)


def test_x0_param_makes_the_coupling_neutral_at_the_reference_level():
    x0 = Param("x0", 4.0, "ng/mL", (0.1, 10.0), REF)
    c = Coupling(
        "b_z", "a_gain", "hill_inhibition", Param("s", 2.0, "1", (0.0, 5.0), REF),
        Param("K", 2.0, "ng/mL", (0.1, 10.0), REF), n=2.0, ref=REF, x0_param=x0,
    )  # fmt: skip
    net = compose({"a": TOY_A, "b": TOY_B}, [c])
    at_ref = net.rhs(0.0, np.array([3.0, 4.0]), net.default_params(), net.default_inputs())
    assert at_ref[0] == pytest.approx(1.0 - 0.5 * 3.0, rel=1e-15)
    above = net.rhs(0.0, np.array([3.0, 6.0]), net.default_params(), net.default_inputs())
    assert above[0] < at_ref[0]  # more inhibitor -> less production


def test_time_conversion_reproduces_the_stand_alone_trajectory():
    net = _net()
    th = np.linspace(0.0, 3.0, 7)
    a = simulate(net, th, method="DOP853", rtol=1e-12, atol=1e-14)
    b = simulate(TOY_B, th * 60.0, method="DOP853", rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a["b_z"], b["z"], rtol=1e-9)
    sa = simulate(TOY_A, th, method="DOP853", rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a["a_x"], sa["x"], rtol=1e-9)


def test_shared_param_object_and_clashing_names():
    k = Param("K", 2.0, "ng/mL", (0.1, 10.0), REF)
    s = Param("s", 0.0, "1", (0.0, 1.0), REF)
    c1 = Coupling("b_z", "a_gain", "hill_inhibition", s, k, ref=REF)
    c2 = Coupling("b_z", "b_extra", "hill_activation", s, k, ref=REF)
    assert compose({"a": TOY_A, "b": TOY_B}, [c1, c2]).param_names[-2:] == ("s", "K")
    other = Coupling("b_z", "b_extra", "hill_activation", s, Param("K", 3.0, "1", (1, 5), REF),
                     ref=REF)  # fmt: skip
    with pytest.raises(ModelDefinitionError, match="Two different coupling Params"):
        compose({"a": TOY_A, "b": TOY_B}, [c1, other])


def test_bad_sources_targets_and_time_units():
    s = Param("s", 0.0, "1", (0.0, 1.0), REF)
    comps = {"a": TOY_A, "b": TOY_B}
    with pytest.raises(ModelDefinitionError, match="Did you mean 'b_z'"):
        compose(comps, [Coupling("b_zz", "a_gain", "linear", s, ref=REF)])
    with pytest.raises(ModelDefinitionError, match="Did you mean 'a_gain'"):
        compose(comps, [Coupling("b_z", "a_gian", "linear", s, ref=REF)])
    own = (Input("stress", 0.0, "1"),)
    with pytest.raises(ModelDefinitionError, match="input of the composed model itself"):
        compose(comps, [Coupling("b_z", "stress", "linear", s, ref=REF)], inputs=own)
    scaled = models.get("gupta2007")
    with pytest.raises(ModelDefinitionError, match="time_scales"):
        compose({"g": scaled, "a": TOY_A})
    ok = compose({"g": scaled, "a": TOY_A}, time_scales={"g": 2.0})
    assert ok.time_unit == "h"
    with pytest.raises(ModelDefinitionError, match="identifier"):
        compose({"a-1": TOY_A})


def test_composed_model_is_batchable_and_exports_to_sbml():
    pytest.importorskip("libsbml")
    from neuroendo.io.sbml import export, trace

    net = _net(s1=1.0, s2=0.5)
    formulas = trace(net)
    assert "K_za" in formulas["a_x"]
    assert "c_xb" in formulas["b_z"]
    assert "<rateRule" in export(net)
    sol = simulate(net, np.linspace(0, 2, 5), params={"s_za": [0.0, 1.0, 2.0]})
    x = sol["a_x"][:, -1]
    assert x[0] > x[1] > x[2]  # stronger inhibition of a's production
