"""SBML export: valid documents for every model, and agreement with libRoadRunner."""

import numpy as np
import pytest

from neuroendo import ModelDefinitionError, models
from neuroendo.models import inputs
from neuroendo.simulation import simulate

libsbml = pytest.importorskip("libsbml")

from neuroendo.io.sbml import export, trace  # noqa: E402


@pytest.mark.parametrize("name", models.available())
def test_every_model_exports_valid_sbml(name, tmp_path):
    spec = models.get(name)
    path = tmp_path / f"{name}.xml"
    text = export(spec, path)
    doc = libsbml.readSBMLFromString(text)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, False)
    doc.checkConsistency()
    errors = [
        doc.getError(i)
        for i in range(doc.getNumErrors())
        if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]
    assert errors == []
    assert path.read_text() == text
    m = doc.getModel()
    assert m.getNumRules() == len(spec.states)  # one rate rule per state
    assert {m.getParameter(i).getId() for i in range(m.getNumParameters())} >= set(
        spec.state_names + spec.param_names
    )


def test_trace_matches_numeric_rhs():
    """The traced formulas, evaluated with Python's math, equal the rhs at a random point."""
    import math

    spec = models.get("sriram2012")
    formulas = trace(spec)
    rng = np.random.default_rng(0)
    y = spec.y0 * rng.uniform(0.5, 1.5, size=spec.y0.shape)
    env = dict(zip(spec.state_names, y, strict=True))
    env.update({p.name: p.value for p in spec.params})
    env.update({i.name: i.default for i in spec.inputs})
    env.update({"time": 3.0, "exp": math.exp, "ln": math.log, "sqrt": math.sqrt})
    numeric = spec.rhs(3.0, y, spec.default_params(), spec.default_inputs())
    for name, value in zip(spec.state_names, numeric, strict=True):
        expr = formulas[name].replace("^", "**")
        assert eval(expr, {"__builtins__": {}}, env) == pytest.approx(value, rel=1e-12)


def test_untraceable_rhs_is_a_clear_error():
    from neuroendo._core.spec import ModelSpec, Param, Ref, State

    def rhs(t, y, p, u, xp=np):
        (x,) = y
        return (-p.k * x if x > 0 else 0.0,)

    spec = ModelSpec(
        "branchy",
        "other",
        (State("x", 1.0, "1"),),
        (Param("k", 1.0, "1", (0.0, 2.0), Ref("t")),),
        rhs,
        "1",
    )
    with pytest.raises(ModelDefinitionError, match=r"xp\.where"):
        export(spec)


def test_unknown_override_names():
    spec = models.get("gupta2007")
    with pytest.raises(ModelDefinitionError, match="Did you mean 'krd'"):
        export(spec, params={"krdd": 1.0})
    with pytest.raises(ModelDefinitionError, match="has no input 'stres'"):
        export(spec, inputs={"stres": 1.0})


# --- libRoadRunner cross-checks -------------------------------------------------------------------
roadrunner = pytest.importorskip("roadrunner")


def _rr(text_or_path, rtol=1e-10, atol=1e-12):
    rr = roadrunner.RoadRunner(str(text_or_path))
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    return rr


@pytest.mark.crosscheck
def test_exported_gupta2007_runs_in_roadrunner_and_agrees():
    spec = models.get("gupta2007")
    t = np.linspace(0.0, 60.0, 121)
    rr = _rr(export(spec, inputs={"stress": 0.5}, params={"krd": 0.8}))
    res = rr.simulate(0.0, 60.0, 121, ["time", *spec.state_names])
    ours = simulate(spec, t, params={"krd": 0.8}, inputs={"stress": 0.5}, rtol=1e-11, atol=1e-13)
    # tolerance: both integrators run at rtol <= 1e-10; 1e-6 leaves room for CVODE's error
    # control on the slow GR mode without hiding an equation error (which gives O(1) changes)
    for i, name in enumerate(spec.state_names):
        np.testing.assert_allclose(res[:, i + 1], ours[name], rtol=1e-6, atol=1e-9)


@pytest.mark.crosscheck
@pytest.mark.parametrize(
    ("file", "stress", "r0"),
    [
        ("MODEL1006230111.xml", inputs.step(0.0, 1.0, 1.0), 0.08),
        ("MODEL1006230036.xml", inputs.pulses([0, 4, 8, 12, 16], 1.0, 1.0, shape="square"), 0.01),
    ],
)
def test_biomodels_gupta2007_agrees_with_our_model(data_dir, file, stress, r0):
    """BioModels' own SBML (models A and B, stress pulses) against neuroendo's gupta2007."""
    rr = _rr(data_dir / "sbml" / file)
    # output on a grid that contains every pulse edge, so CVODE restarts there too
    t = np.linspace(0.0, 40.0, 4001)
    res = rr.simulate(times=t, selections=["time", "c", "a", "r", "o"])
    ours = simulate(
        "gupta2007", t, inputs={"stress": stress}, y0={"gr": r0}, rtol=1e-11, atol=1e-13
    )
    for j, name in enumerate(("crh", "acth", "gr", "cortisol"), start=1):
        np.testing.assert_allclose(res[:, j], ours[name], rtol=1e-5, atol=1e-8)
