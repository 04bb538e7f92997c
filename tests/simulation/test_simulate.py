import numpy as np
import pytest

from neuroendo import DataValidationError, ModelDefinitionError, SimulationError, UnitError
from neuroendo.models import ModelSpec, Param, Ref, State, inputs
from neuroendo.simulation import Solution, Status, get_backend, simulate
from neuroendo.testing import assert_solution_allclose

T = np.linspace(0, 50, 11)


def test_single_subject_shapes_and_accessors():
    sol = simulate("gupta2007", T)
    assert isinstance(sol, Solution)
    assert sol.y.shape == (4, 1, 11)
    assert sol["cortisol"].shape == (11,)
    assert sol.units == {"crh": "1", "acth": "1", "gr": "1", "cortisol": "1", "time": "1"}
    assert sol.status.tolist() == [Status.OK]
    np.testing.assert_array_equal(sol.y[:, 0, 0], sol.spec.y0)
    df = sol.to_pandas()
    assert list(df.columns) == ["crh", "acth", "gr", "cortisol"]
    assert df.index.name == "time"
    assert df.attrs["units"]["time"] == "1"
    ds = sol.to_xarray()
    assert ds["cortisol"].dims == ("subject", "time")
    assert ds["cortisol"].attrs["units"] == "1"


def test_batch_equals_single_runs():
    krd = [0.8, 0.9, 1.0]
    sol = simulate("gupta2007", T, params={"krd": krd})
    assert sol.y.shape == (4, 3, 11)
    assert sol["gr"].shape == (3, 11)
    for i, k in enumerate(krd):
        one = simulate("gupta2007", T, params={"krd": k})
        np.testing.assert_allclose(sol.y[:, i], one.y[:, 0], rtol=1e-12)
    df = sol.to_pandas()
    assert df.index.names == ["subject", "time"]
    assert len(df) == 33
    np.testing.assert_array_equal(sol.params["krd"], krd)


def test_convergence_rtol():
    """Tightening rtol 1e-8 -> 1e-11 changes Gupta trajectories by < 1e-6 relative."""
    stress = {"stress": inputs.step(0, 10, 1.0)}
    t = np.linspace(0, 100, 51)
    a = simulate("gupta2007", t, inputs=stress, rtol=1e-8)
    b = simulate("gupta2007", t, inputs=stress, rtol=1e-11, atol=1e-13)
    assert_solution_allclose(a, b, rtol=1e-6)


def test_breakpoints_catch_short_pulses():
    """A 0.05-unit pulse late in a long run is not stepped over."""
    t = np.array([0.0, 1000.0])
    none = simulate("vinther2011", t)
    pulse = simulate("vinther2011", t, inputs={"stress": inputs.pulse(500.0, 0.05, 100.0)})
    assert not np.allclose(none.y, pulse.y, rtol=1e-6)


def test_time_unit_conversion_of_inputs():
    t = np.linspace(0, 5, 6)
    in_h = simulate("sriram2012", t, inputs={"stress": inputs.step(1, 2, 1.0, time_unit="h")})
    in_min = simulate(
        "sriram2012", t, inputs={"stress": inputs.step(60, 120, 1.0, time_unit="min")}
    )
    assert_solution_allclose(in_h, in_min, rtol=1e-9)


def test_unknown_names_suggest():
    with pytest.raises(ModelDefinitionError, match="Did you mean 'gupta2007'"):
        simulate("gupta2070", T)
    with pytest.raises(ModelDefinitionError, match=r"no parameter 'kdr'.*Did you mean 'krd'"):
        simulate("gupta2007", T, params={"kdr": 1.0})
    with pytest.raises(ModelDefinitionError, match=r"no input 'stres'.*Did you mean 'stress'"):
        simulate("gupta2007", T, inputs={"stres": 1.0})
    with pytest.raises(ModelDefinitionError, match="no state 'cort'"):
        simulate("gupta2007", T, y0={"cort": 1.0})


def test_values_outside_bounds():
    with pytest.raises(ModelDefinitionError, match=r"'krd': value 12 lies outside .*\[0.01, 10\]"):
        simulate("gupta2007", T, params={"krd": 12.0})
    with pytest.raises(ModelDefinitionError, match=r"value 20 \(subject 1\)"):
        simulate("gupta2007", T, params={"krd": [1.0, 20.0]})


def test_bad_times():
    with pytest.raises(DataValidationError, match="non-negative"):
        simulate("gupta2007", [-1.0, 0.0, 1.0])
    with pytest.raises(DataValidationError, match="strictly increasing"):
        simulate("gupta2007", [0.0, 2.0, 1.0])
    with pytest.raises(DataValidationError, match="t0"):
        simulate("gupta2007", [1.0, 2.0], t0=5.0)


def test_input_in_wrong_time_unit():
    with pytest.raises(UnitError, match=r"'h'.*'gupta2007'.*'1'"):
        simulate("gupta2007", T, inputs={"stress": inputs.tsst(0.0, time_unit="h")})


def test_input_in_wrong_value_unit():
    with pytest.raises(UnitError, match="'mg/h'"):
        simulate("gupta2007", T, inputs={"stress": inputs.dexamethasone()})


def test_batch_length_mismatch():
    with pytest.raises(DataValidationError, match="same length"):
        simulate("gupta2007", T, params={"krd": [1.0, 0.9], "kcd": [1.0, 1.0, 1.0]})


def test_unknown_backend_and_option():
    with pytest.raises(ValueError, match="Did you mean 'scipy'"):
        simulate("gupta2007", T, backend="scpy")
    with pytest.raises(ValueError, match="Did you mean 'skip'"):
        simulate("gupta2007", T, on_error="skp")
    assert get_backend("scipy").name == "scipy"


def _blowup():
    ref = Ref("toy2026")

    def rhs(t, y, p, u, xp=np):
        (x,) = y
        return (p.k * x * x,)

    return ModelSpec(
        "blowup",
        "other",
        (State("cortisol", 1.0, "1"),),
        (Param("k", 1.0, "1", (0.0, 10.0), ref),),
        rhs,
        "1",
        references=(ref,),
    )


def test_failure_raises_or_skips():
    spec = _blowup()
    t = [0.0, 0.5, 2.0]
    with pytest.raises(SimulationError, match=r"'blowup' failed for subject 0 at t = "):
        simulate(spec, t)
    sol = simulate(spec, t, y0=[[1.0, 0.0]], on_error="skip")
    assert sol.status.tolist() == [Status.FAILED, Status.OK]
    assert np.isnan(sol.y[:, 0]).all()
    assert (sol.y[:, 1] == 0).all()
    assert sol.message[0]
    assert not sol.message[1]


def test_observables_scale_states():
    from neuroendo.models import Observable

    spec = _blowup()
    import dataclasses

    spec = dataclasses.replace(
        spec,
        params=(Param("k", 0.0, "1", (0.0, 10.0), Ref("toy2026")),),
        observables=(Observable("cortisol_nmol", "cortisol", 27.589, "nmol/L"),),
        _types={},
    )
    sol = simulate(spec, [0.0, 1.0])
    np.testing.assert_allclose(sol["cortisol_nmol"], [27.589, 27.589])
    assert sol.observable_units == {"cortisol_nmol": "nmol/L"}
    assert "cortisol_nmol" in sol.to_xarray()
