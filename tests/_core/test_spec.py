import numpy as np
import pytest

from neuroendo import ModelDefinitionError
from neuroendo._core.spec import Input, ModelSpec, Observable, Param, Ref, State

REF = Ref("test2026", doi="10.0/x")


def _rhs(t, y, p, u, xp=np):
    (x,) = y
    return (u.drive - p.k * x,)


def _spec(**kw):
    base = {
        "name": "toy",
        "axis": "hpa",
        "states": (State("cortisol", 1.0, "nmol/L"),),
        "params": (Param("k", 0.5, "/h", (0.01, 10.0), REF.at("eq. 1")),),
        "rhs": _rhs,
        "time_unit": "h",
        "inputs": (Input("drive", 1.0, "nmol/L/h"),),
        "references": (REF,),
        "observables": (Observable("cortisol_ugdl", "cortisol", 1 / 27.589, "ug/dL"),),
    }
    base.update(kw)
    return ModelSpec(**base)


def test_spec_basics():
    s = _spec()
    assert s.state_names == ("cortisol",)
    assert s.default_params().k == 0.5
    assert s.default_inputs().drive == 1.0
    np.testing.assert_array_equal(s.y0, [1.0])
    (d,) = s.rhs(0.0, s.y0, s.default_params(), s.default_inputs())
    assert d == pytest.approx(0.5)
    assert str(REF.at("eq. 1")) == "test2026, eq. 1 (doi:10.0/x)"


def test_with_params_and_states():
    s = _spec().with_params(k=2.0)
    assert s.default_params().k == 2.0
    assert s.with_states(cortisol=3.0).y0[0] == 3.0
    with pytest.raises(ModelDefinitionError, match=r"no parameter 'kk'.*Did you mean 'k'"):
        s.with_params(kk=1.0)
    with pytest.raises(ModelDefinitionError, match=r"outside its bounds \[0.01, 10\]"):
        s.with_params(k=20.0)
    with pytest.raises(ModelDefinitionError, match="no state 'cortsol'"):
        s.with_states(cortsol=1.0)


def test_definition_errors():
    with pytest.raises(ModelDefinitionError, match="outside its bounds"):
        Param("k", 11.0, "1", (0.0, 10.0), REF)
    with pytest.raises(ModelDefinitionError, match="bounds must be ordered"):
        Param("k", 1.0, "1", (10.0, 0.0), REF)
    with pytest.raises(ModelDefinitionError, match="duplicate state names"):
        _spec(states=(State("a", 1, "1"), State("a", 1, "1")))
    with pytest.raises(ModelDefinitionError, match="axis must be one of"):
        _spec(axis="liver")
    with pytest.raises(ModelDefinitionError, match="Python identifiers"):
        _spec(states=(State("free t4", 1, "1"),))
    with pytest.raises(ModelDefinitionError, match="reads unknown state"):
        _spec(observables=(Observable("x", "cortsol", 1.0, "1"),))
