"""PEtab export: valid under petablint, and the same optimum in pyPESTO (crosscheck)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroendo import DataValidationError, ModelDefinitionError
from neuroendo.fit import Observation, ScaledInput, fit_subject, to_petab
from neuroendo.fit._petab import schedule_formula
from neuroendo.io.petab import add_inputs, export
from neuroendo.io.sbml import export as sbml_export
from neuroendo.models import get, inputs
from neuroendo.models.inputs import Constant
from neuroendo.simulation import simulate

petab = pytest.importorskip("petab")

SPEC = get("sriram2012")
T_MIN = np.array([0, 15, 30, 40, 50, 65, 80, 95, 110, 140.0])
TSST = inputs.tsst(30, duration=15, shape="square")


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    y0 = simulate(SPEC, [200.0], t0=0.0).y[:, 0, -1]
    sol = simulate(
        SPEC,
        T_MIN / 60,
        params={"V_S4": np.array([0.8, 1.1])},
        inputs={"stress": Constant(np.array([2.0, 4.0])) * TSST},
        y0=np.repeat(y0[:, None], 2, axis=1),
    )
    frames = []
    for a in ("acth", "cortisol"):
        v = sol[a] * np.exp(0.1 * rng.standard_normal((2, T_MIN.size)))
        frames += [
            pd.DataFrame(
                {"subject": f"p{i}", "time": T_MIN, "analyte": a, "value": v[i], "unit": "1"}
            )
            for i in range(2)
        ]
    df = pd.concat(frames, ignore_index=True)
    df.attrs["units"] = {"time": "min"}
    return df


KW = {
    "free": {"A": (0.01, 100.0), "V_S4": (0.0907, 9.07)},
    "observables": {
        "acth": Observation("acth", scale="scale_acth", sigma="sigma_acth"),
        "cortisol": Observation("cortisol", sigma="sigma_cortisol"),
    },
    "fixed": {"scale_acth": 1.0, "sigma_acth": 0.1, "sigma_cortisol": 0.1},
    "inputs": {"stress": ScaledInput(TSST, "A")},
    "pre_equilibration": 200.0,
}


def _lint(yaml: Path) -> bool:
    from petab.v1 import Problem, lint_problem

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # petab's own pandas deprecation warnings
        return bool(lint_problem(Problem.from_yaml(str(yaml))))  # True means errors


def test_cohort_export_is_valid(data: pd.DataFrame, tmp_path: Path) -> None:
    yaml = to_petab("sriram2012", data, tmp_path, **KW)
    assert not _lint(yaml)
    cond = pd.read_csv(tmp_path / "problem_conditions.tsv", sep="\t")
    assert list(cond["conditionId"]) == ["p0", "p1"]
    assert cond.loc[0, "V_S4"] == "V_S4__p0"
    meas = pd.read_csv(tmp_path / "problem_measurements.tsv", sep="\t")
    assert len(meas) == 40
    assert meas["time"].max() == pytest.approx(140 / 60)  # model time unit (h)
    sbml = (tmp_path / "problem_model.xml").read_text()
    assert "assignmentRule" in sbml
    assert "piecewise" in sbml


def test_export_missing_column(tmp_path: Path) -> None:
    m = pd.DataFrame({"observableId": ["o"], "time": [0.0]})
    with pytest.raises(DataValidationError, match="measurements table lacks"):
        export(tmp_path, sbml="", measurements=m, conditions=m, observables=m, parameters=m)


def test_add_inputs_errors() -> None:
    text = sbml_export(SPEC)
    with pytest.raises(ModelDefinitionError, match="no parameter 'nope'"):
        add_inputs(text, assignments={"nope": "1"})
    with pytest.raises(ModelDefinitionError, match="already exists"):
        add_inputs(text, parameters={"k_i": 1.0})


def test_schedule_formula() -> None:
    f = schedule_formula(TSST.to_time_unit("h"))
    assert f == "piecewise(1.0, time >= 0.5 && time < 0.75, 0)"
    with pytest.raises(Exception, match="Cannot write"):
        schedule_formula(inputs.tsst(30, duration=15))  # smooth bump


@pytest.mark.crosscheck
def test_pypesto_reaches_the_same_optimum(data: pd.DataFrame, tmp_path: Path) -> None:
    pytest.importorskip("pypesto")
    pytest.importorskip("roadrunner")
    import pypesto.optimize as optimize
    import pypesto.petab

    one = data[data["subject"] == "p0"].copy()
    one.attrs = dict(data.attrs)
    ours = fit_subject("sriram2012", one, starts=5, seed=0, ci="none", **KW)
    yaml = to_petab("sriram2012", one, tmp_path, **KW)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        problem = petab.v1.Problem.from_yaml(str(yaml))
        prob = pypesto.petab.PetabImporter(problem, simulator_type="roadrunner").create_problem()
        res = optimize.minimize(
            prob,
            optimizer=optimize.ScipyOptimizer(method="L-BFGS-B", options={"maxfun": 2000}),
            n_starts=3,
            progress_bar=False,
        )
    best = res.optimize_result.list[0]
    assert best.fval == pytest.approx(ours.objective, abs=1e-3)
    est = dict(zip(prob.x_names, 10 ** np.asarray(best.x), strict=True))
    assert est["A__p0"] == pytest.approx(ours["A"], rel=1e-2)
    assert est["V_S4__p0"] == pytest.approx(ours["V_S4"], rel=1e-2)
