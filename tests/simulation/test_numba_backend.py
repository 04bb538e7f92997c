"""The compiled (numba) backend: agreement with SciPy, inputs in-kernel, breakpoints, stiffness."""

import subprocess
import sys

import numpy as np
import pytest

from neuroendo import SimulationError, models
from neuroendo.models import Input, ModelSpec, Param, Ref, State, inputs
from neuroendo.simulation import Status, simulate

pytest.importorskip("numba")

from neuroendo.simulation._numba import evaluate_inputs

# one horizon per model time unit: long enough to exercise the dynamics, short enough for the
# large HPT/HPG models
HORIZON = {"1": 50.0, "h": 48.0, "min": 600.0, "s": 3600.0, "d": 30.0}
SHORT = {"walker2010": 120.0, "roblitz2013": 10.0, "simthyr": 1800.0, "thyrosim": 24.0,
         "network": 12.0, "network_immune": 12.0}  # fmt: skip
# SciPy's reference at rtol 1e-12 costs 5-20 s per subject on the large stiff models: there the
# 100 numba subjects are compared on their first REF_SUBSET subjects
REF_SUBSET = {"network": 10, "network_immune": 10, "roblitz2013": 20, "walker2010": 20}


def _rel_err(a, b, floor=0.0):
    """Max |a - b| / |b|, with a floor of 1e-6 of each trajectory's peak (values near 0).

    ``floor`` is an absolute floor for trajectories that stay at exactly 0 (e.g. an immune state
    without an endotoxin input): pass the solver's ``atol``, below which a difference is within
    the requested tolerance by definition.
    """
    scale = np.nanmax(np.abs(b), axis=-1, keepdims=True)
    den = np.maximum(np.abs(b), np.maximum(1e-6 * scale, floor) + 1e-300)
    return float(np.nanmax(np.abs(a - b) / den))


def _random_params(spec, n, rng):
    out = {}
    for p in spec.params:
        lo, hi = p.bounds
        out[p.name] = np.clip(p.value * rng.uniform(0.8, 1.2, n), lo, hi)
    return out


def _gate(name, n):
    spec = models.get(name)
    t = np.linspace(0.0, SHORT.get(name, HORIZON.get(spec.time_unit, 10.0)), 41)
    params = _random_params(spec, n, np.random.default_rng(7))
    # rtol 1e-10: oscillating models (smith1980) amplify phase errors past 1e-4 at rtol 1e-8,
    # for SciPy's RK45 as for DOPRI5
    a = simulate(spec, t, params=params, backend="numba", rtol=1e-10, atol=1e-12, on_error="skip")
    assert a.ok.all(), (name, a.message)
    m = REF_SUBSET.get(name, n)
    ref_method = "Radau" if spec.stiff else "DOP853"
    b = simulate(
        spec, t, params={k: v[:m] for k, v in params.items()}, backend="scipy", rtol=1e-12,
        atol=1e-14, method=ref_method, on_error="skip",
    )  # fmt: skip
    both = b.ok
    assert both.sum() >= 0.95 * m, (name, b.ok.sum())
    return _rel_err(a.y[:, :m][:, both], b.y[:, both], floor=1e-12)  # numba's atol


@pytest.mark.parametrize("name", ["gupta2007", "vinther2011"])
def test_accuracy_gate_fast_models(name):
    """Max relative error vs DOP853 (rtol 1e-12) <= 1e-4 on 100 random subjects."""
    assert _gate(name, 100) <= 1e-4


def test_agreement_with_circadian_drive():
    spec = models.get("gupta2007")
    t = np.linspace(0, 72, 433)
    rng = np.random.default_rng(0)
    n = 24
    drive = inputs.circadian(rng.uniform(0.4, 0.6, n), rng.uniform(5, 7, n), time_unit="1")
    params = _random_params(spec, n, rng)
    a = simulate(spec, t, params=params, inputs={"drive": drive}, backend="numba", rtol=1e-6,
                 atol=1e-9)  # fmt: skip
    b = simulate(spec, t, params=params, inputs={"drive": drive}, rtol=1e-13, atol=1e-15)
    assert (a.status == Status.OK).all()
    assert _rel_err(a.y[3], b.y[3]) <= 1e-4  # cortisol, as in performance.md §1


def test_deterministic():
    spec = models.get("gupta2007")
    params = _random_params(spec, 19, np.random.default_rng(3))
    t = np.linspace(0, 30, 31)
    a = simulate(spec, t, params=params, backend="numba")
    b = simulate(spec, t, params=params, backend="numba")
    np.testing.assert_array_equal(a.y, b.y)


def test_subject_order_and_batch_invariance():
    """A subject's result does not depend on its lane, block or neighbours (bitwise)."""
    spec = models.get("gupta2007")
    params = _random_params(spec, 21, np.random.default_rng(4))
    t = np.linspace(0, 30, 31)
    a = simulate(spec, t, params=params, backend="numba")
    perm = np.random.default_rng(5).permutation(21)
    b = simulate(spec, t, params={k: v[perm] for k, v in params.items()}, backend="numba")
    np.testing.assert_array_equal(a.y[:, perm], b.y)
    one = simulate(spec, t, params={k: v[[7]] for k, v in params.items()}, backend="numba")
    np.testing.assert_array_equal(one.y[:, 0], a.y[:, 7])


def test_wide_blocks_of_large_cohorts_equal_narrow_blocks_bitwise():
    """From WIDE_FROM subjects on DOPRI5 runs 32-lane blocks: same numbers as 8-lane blocks."""
    from neuroendo.simulation import _numba

    spec = models.get("gupta2007")
    n = _numba.WIDE_FROM + 13  # a last block of 13 subjects: the rounded-up vector width
    params = _random_params(spec, n, np.random.default_rng(6))
    amp = 0.5 * np.random.default_rng(8).uniform(0.8, 1.2, n)
    drive = inputs.circadian(amp, 6.0, time_unit="1")
    t = np.linspace(0, 72, 145)
    wide = simulate(spec, t, params=params, inputs={"drive": drive}, backend="numba")
    assert _numba._load(spec, _numba.WIDE_LANES).LANES == 32
    assert wide.ok.all()

    def run(sl):
        sub = {k: v[sl] for k, v in params.items()}
        d = inputs.circadian(amp[sl], 6.0, time_unit="1")
        return simulate(spec, t, params=sub, inputs={"drive": d}, backend="numba")

    parts = [run(slice(0, n // 2)), run(slice(n // 2, n))]
    np.testing.assert_array_equal(wide.y, np.concatenate([p.y for p in parts], axis=1))


def test_inputs_in_kernel_equal_python_schedules():
    spec = models.get("gupta2007")
    n = 3
    drive = (
        inputs.circadian([0.5, 0.3, 0.1], [6.0, 7.0, 8.0], time_unit="1")
        + inputs.step(5.0, 9.0, 0.7, time_unit="1")
        + inputs.ramp(2.0, 4.0, 1.5, time_unit="1")
    )
    stress = (
        inputs.pulses([1.0, 3.0, 10.0], 0.5, 2.0)
        + inputs.PiecewiseConstant([7.0, 23.0], [1.0, 0.0], period=24.0)
        * inputs.Bumps([12.0, 30.0], 4.0, 1.0, shape="bump")
        + inputs.Bumps([20.0], 3.0, 2.0, shape="sine2")
        + inputs.PiecewiseLinear([0.0, 5.0, 20.0], [0.0, 1.0, -1.0])
    )
    t = np.linspace(-1.0, 60.0, 1221)
    got = evaluate_inputs(spec, {"drive": drive, "stress": stress}, t, n)
    np.testing.assert_allclose(got[0], np.broadcast_to(stress(t), (n, t.size)), rtol=1e-13,
                               atol=1e-14)  # fmt: skip
    np.testing.assert_allclose(got[1], drive(t), rtol=1e-13, atol=1e-14)


def test_short_pulse_is_not_stepped_over():
    """A 0.05-unit pulse late in a 1000-unit run changes the result, as in SciPy."""
    t = np.array([0.0, 499.0, 1000.0])
    pulse = {"stress": inputs.pulse(500.0, 0.05, 100.0)}
    none = simulate("vinther2011", t, backend="numba")
    hit = simulate("vinther2011", t, inputs=pulse, backend="numba")
    ref = simulate("vinther2011", t, inputs=pulse, rtol=1e-11, atol=1e-13)
    assert not np.allclose(none.y[..., -1], hit.y[..., -1], rtol=1e-6)
    np.testing.assert_allclose(hit.y, ref.y, rtol=1e-5)


def test_pulse_at_an_output_time_uses_the_left_limit():
    """A square pulse starting exactly at the end of a segment is seen only after it."""
    t = np.linspace(0.0, 20.0, 21)
    sched = {"stress": inputs.step(10.0, 12.0, 3.0)}
    a = simulate("gupta2007", t, inputs=sched, backend="numba", rtol=1e-10, atol=1e-12)
    b = simulate("gupta2007", t, inputs=sched, rtol=1e-12, atol=1e-14)
    assert _rel_err(a.y, b.y) <= 1e-6


@pytest.mark.parametrize("name", ["thyrosim"])
def test_stiff_model_with_rosenbrock(name):
    spec = models.get(name)
    assert spec.stiff
    t = np.linspace(0.0, 24.0, 25)
    params = _random_params(spec, 4, np.random.default_rng(2))
    a = simulate(spec, t, params=params, backend="numba")  # default: rosenbrock for stiff
    b = simulate(spec, t, params=params, rtol=1e-11, atol=1e-13, method="Radau")
    assert a.ok.all()
    assert _rel_err(a.y, b.y) <= 1e-4


def test_rosenbrock_on_a_nonstiff_model_agrees():
    t = np.linspace(0, 40, 41)
    a = simulate("gupta2007", t, backend="numba", method="rosenbrock")
    b = simulate("gupta2007", t, rtol=1e-12, atol=1e-14)
    assert _rel_err(a.y, b.y) <= 1e-4


def _blowup_model():
    ref = Ref("test")
    return ModelSpec(
        name="blowup",
        axis="other",
        states=(State("x", 1.0, "1"),),
        params=(Param("k", 0.1, "1", (0.0, 10.0), ref),),
        inputs=(Input("stress", 0.0, "1"),),
        rhs=lambda t, y, p, u, xp=np: (p.k * y[0] * y[0],),  # finite-time blow-up at 1/k
        time_unit="1",
        references=(ref,),
    )


@pytest.mark.parametrize("method", ["dopri5", "rosenbrock"])
def test_failed_subject_is_data_not_an_exception(method):
    spec = _blowup_model()
    t = np.linspace(0, 5, 6)
    sol = simulate(spec, t, params={"k": [0.1, 1.0, 0.05]}, backend="numba", method=method,
                   on_error="skip")  # fmt: skip
    assert sol.status.tolist() == [Status.OK, Status.FAILED, Status.OK]
    assert np.isnan(sol.y[:, 1]).all()
    assert np.isfinite(sol.y[:, [0, 2]]).all()
    assert "t = " in sol.message[1]
    np.testing.assert_allclose(sol.y[0, 0], 1 / (1 - 0.1 * t), rtol=1e-6)
    with pytest.raises(SimulationError, match="subject 1"):
        simulate(spec, t, params={"k": [0.1, 1.0]}, backend="numba", method=method)


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="method"):
        simulate("gupta2007", [0.0, 1.0], backend="numba", method="rk4")


def test_model_with_if_on_values_cannot_be_traced():
    from neuroendo import ModelDefinitionError

    ref = Ref("test")

    def rhs(t, y, p, u, xp=np):
        return (-p.k * y[0] if y[0] > 0 else 0.0,)

    spec = ModelSpec("branchy", "other", (State("x", 1.0, "1"),),
                     (Param("k", 1.0, "1", (0.0, 2.0), ref),), rhs, "1")  # fmt: skip
    with pytest.raises(ModelDefinitionError, match=r"xp\.where"):
        simulate(spec, [0.0, 1.0], backend="numba")


def test_import_of_simulation_does_not_load_numba():
    code = "import sys, neuroendo.simulation; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_block_width_by_cohort_size_method_and_output_buffer():
    from neuroendo.simulation._numba import LANES, WIDE_LANES, _lanes

    assert _lanes("dopri5", 10_000, 4, 433) == WIDE_LANES == 32
    assert _lanes("dopri5", 2047, 4, 433) == LANES == 8  # the optimiser's batches stay narrow
    assert _lanes("rosenbrock", 10_000, 4, 433) == LANES  # one subject per task anyway
    # 32 lanes x 32 states x 100,000 times would buffer 819 MB per block: narrow instead
    assert _lanes("dopri5", 10_000, 32, 100_000) == LANES
