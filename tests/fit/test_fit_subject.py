"""fit_subject on synthetic TSST data: API, result contents, and bad input."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from neuroendo import ConvergenceWarning, DataQualityWarning, DataValidationError, UnitError
from neuroendo.fit import FitResult, FitStatus, Observation, ScaledInput, fit_subject, tsst_input
from neuroendo.models import get, inputs
from neuroendo.models.inputs import Constant
from neuroendo.simulation import simulate

SPEC = get("sriram2012")
T_MIN = np.array([0, 15, 30, 40, 50, 65, 80, 95, 110, 140.0])
SIG = 0.1
TSST = inputs.tsst(30, duration=15, shape="square")


def synthetic(n: int, true: dict[str, float], seed: int = 1, sigma: float = SIG) -> tuple:
    """Simulate ``n`` subjects (A, K_P2, V_S4 spread log-normally) with log-normal noise."""
    rng = np.random.default_rng(seed)
    y0 = simulate(SPEC, [200.0], t0=0.0).y[:, 0, -1]
    p = {k: v * np.exp(0.3 * rng.standard_normal(n)) for k, v in true.items()}
    amp = p.get("A", np.full(n, 3.0))
    sol = simulate(
        SPEC,
        T_MIN / 60,
        params={k: v for k, v in p.items() if k != "A"},
        inputs={"stress": Constant(amp) * TSST},
        y0=np.repeat(y0[:, None], n, axis=1),
    )
    rows = []
    for a in ("acth", "cortisol"):
        v = sol[a] * np.exp(sigma * rng.standard_normal((n, T_MIN.size)))
        for i in range(n):
            rows.append(
                pd.DataFrame(
                    {"subject": f"s{i}", "time": T_MIN, "analyte": a, "value": v[i], "unit": "1"}
                )
            )
    df = pd.concat(rows, ignore_index=True)
    df.attrs["units"] = {"time": "min"}
    return df, p


@pytest.fixture(scope="module")
def one() -> tuple:
    return synthetic(1, {"A": 3.0, "V_S4": 0.907})


KW = {
    "observables": {"acth": Observation("acth"), "cortisol": Observation("cortisol")},
    "free": {"A": (0.01, 100.0), "V_S4": (0.0907, 9.07)},
    "fixed": {"sigma_acth": SIG, "sigma_cortisol": SIG},
    "inputs": {"stress": ScaledInput(TSST, "A")},
    "pre_equilibration": 200.0,
    "starts": 5,
    "seed": 0,
}


@pytest.fixture(scope="module")
def result(one: tuple) -> FitResult:
    return fit_subject("sriram2012", one[0], **KW)


def test_result_contents(result: FitResult, one: tuple) -> None:
    truth = one[1]
    assert result.status is FitStatus.CONVERGED
    assert result.converged
    assert result.parameters == ("A", "V_S4")
    assert result.units == ("1", "/h")
    assert result.scales == ("log10", "log10")
    assert result.ci_method == "profile"
    for i, name in enumerate(result.parameters):
        assert result.ci_lower[i] <= result.estimates[i] <= result.ci_upper[i]
        assert result.ci_lower[i] <= truth[name][0] <= result.ci_upper[i]
        assert result.std_errors[i] > 0
    assert result.n_data == 20
    assert result.residuals.shape == (20,)
    assert result.n_evals > 100
    assert result.version
    assert set(result.profiles) == {"A", "V_S4"}
    assert result.trajectory["time"].max() == pytest.approx(140.0)
    assert result.data["predicted"].notna().all()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.objective = 0.0  # type: ignore[misc]


def test_objective_is_negative_log_likelihood(result: FitResult) -> None:
    """Recompute the log-normal NLL from the data table by the formula in the docstring."""
    d = result.data
    r = (np.log(d["value"]) - np.log(d["predicted"])) / SIG
    nll = np.sum(np.log(math.sqrt(2 * math.pi) * SIG * d["value"]) + 0.5 * r**2)
    assert result.objective == pytest.approx(nll, rel=1e-6)
    assert result.log_likelihood == pytest.approx(-nll, rel=1e-6)
    assert result.aic == pytest.approx(2 * 2 + 2 * nll, rel=1e-6)
    assert result.bic == pytest.approx(2 * math.log(20) + 2 * nll, rel=1e-6)
    # predictions and residuals come from separate solver calls (batch composition differs)
    np.testing.assert_allclose(result.residuals, r.to_numpy(), atol=1e-6)


def test_to_frame_and_dict(result: FitResult) -> None:
    df = result.to_frame()
    assert list(df.index) == ["A", "V_S4"]
    assert df.loc["V_S4", "unit"] == "/h"
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["status"] == "converged"
    assert payload["parameters"][0]["name"] == "A"
    assert result["A"] == pytest.approx(result.params["A"])
    with pytest.raises(KeyError, match="not a free parameter"):
        result["k_i"]
    assert "95% CI" in str(result)


def test_wald_and_estimated_sigma(one: tuple) -> None:
    kw = {**KW, "fixed": {}, "ci": "wald"}
    res = fit_subject("sriram2012", one[0], **kw)
    assert res.parameters == ("A", "V_S4", "sigma_acth", "sigma_cortisol")
    assert res.converged
    sig = res.params["sigma_acth"]
    assert 0.03 < sig < 0.3  # true 0.1, 10 points


def test_same_seed_same_result(one: tuple, result: FitResult) -> None:
    again = fit_subject("sriram2012", one[0], **{**KW, "ci": "none"})
    np.testing.assert_allclose(again.estimates, result.estimates, rtol=1e-6)
    assert np.isnan(again.ci_lower).all()


def test_normal_noise_needs_sigma_bounds(one: tuple) -> None:
    kw = {**KW, "fixed": {}, "noise": "normal", "ci": "none"}
    with pytest.raises(ValueError, match="Give bounds for 'sigma_acth'"):
        fit_subject("sriram2012", one[0], **kw)
    kw["fixed"] = {"sigma_acth": 0.05, "sigma_cortisol": 0.5}
    res = fit_subject("sriram2012", one[0], **kw)
    assert res.noise == "normal"
    assert res.converged


def test_tsst_input_from_protocol() -> None:
    df = pd.DataFrame()
    df.attrs["protocol"] = {"tsst_onset": 30.0, "tsst_duration": 15.0, "time_unit": "min"}
    u = tsst_input(df, "A")
    assert u.amplitude == "A"
    assert u.schedule.to_time_unit("h")([0.49, 0.5, 0.74, 0.75]).tolist() == [0, 1, 1, 0]
    with pytest.raises(DataValidationError, match="no TSST protocol"):
        tsst_input(pd.DataFrame())


# --- bad input ----------------------------------------------------------------------------
def test_too_few_points(one: tuple) -> None:
    df = one[0]
    few = df[(df["analyte"] == "acth") & (df["time"] < 20)]
    with pytest.raises(DataValidationError, match="Too few data points"):
        fit_subject("sriram2012", few, **{**KW, "free": {**KW["free"], "K_P2": None}})


def test_as_many_parameters_as_points_warns(one: tuple) -> None:
    df = one[0]
    two = df[(df["analyte"] == "acth") & (df["time"].isin([0.0, 40.0]))]
    with pytest.warns(DataQualityWarning):
        fit_subject("sriram2012", two, **{**KW, "ci": "none"})


def test_missing_units(one: tuple) -> None:
    df = one[0]
    with pytest.raises(UnitError, match="no 'unit' column"):
        fit_subject("sriram2012", df.drop(columns="unit"), **KW)
    blank = df.copy()
    blank.loc[3, "unit"] = ""
    with pytest.raises(UnitError, match="without a unit"):
        fit_subject("sriram2012", blank, **KW)
    no_time = df.copy()
    no_time.attrs = {}
    with pytest.raises(UnitError, match="unit of 'time' is missing"):
        fit_subject("sriram2012", no_time, **KW)


def test_incompatible_units(one: tuple) -> None:
    df = one[0].copy()
    df["unit"] = np.where(df["analyte"] == "acth", "pg/mL", "1")
    obs = {"acth": Observation("acth", unit="1"), "cortisol": Observation("cortisol")}
    with pytest.raises(UnitError, match="acth"):
        fit_subject("sriram2012", df, **{**KW, "observables": obs})


def test_unsorted_times_warn_and_fit(one: tuple, result: FitResult) -> None:
    shuffled = one[0].sample(frac=1.0, random_state=3)
    shuffled.attrs = dict(one[0].attrs)
    with pytest.warns(DataQualityWarning, match="not sorted by time"):
        res = fit_subject("sriram2012", shuffled, **{**KW, "ci": "none"})
    np.testing.assert_allclose(res.estimates, result.estimates, rtol=1e-4)


def test_duplicate_times(one: tuple) -> None:
    df = one[0]
    dup = pd.concat([df, df.iloc[[0]]], ignore_index=True)
    dup.attrs = dict(df.attrs)
    with pytest.raises(DataValidationError, match="two values at time 0"):
        fit_subject("sriram2012", dup, **KW)


def test_unknown_parameter_suggests(one: tuple) -> None:
    with pytest.raises(ValueError, match="Did you mean 'K_P2'"):
        fit_subject("sriram2012", one[0], **{**KW, "free": {"K_p2": None}})


def test_nonpositive_values_lognormal(one: tuple) -> None:
    df = one[0].copy()
    df.loc[0, "value"] = 0.0
    with pytest.raises(DataValidationError, match="positive values"):
        fit_subject("sriram2012", df, **KW)


def test_several_subjects_need_subject() -> None:
    df, _ = synthetic(2, {"A": 3.0})
    with pytest.raises(DataValidationError, match="pass subject"):
        fit_subject("sriram2012", df, **KW)


def test_non_identifiable_parameter_warns_and_profile_is_flat(one: tuple) -> None:
    """A stress pulse after the last sample: its amplitude cannot affect the data."""
    late = ScaledInput(inputs.tsst(150, duration=15, shape="square"), "B")
    kw = {
        **KW,
        "free": {"V_S4": (0.0907, 9.07), "B": (0.01, 100.0)},
        "inputs": {"stress": late},
    }
    with pytest.warns(DataQualityWarning, match="B of model 'sriram2012' are not identifiable"):
        res = fit_subject("sriram2012", one[0], **kw)
    prof = res.profiles["B"]
    assert prof.open_lower
    assert prof.open_upper
    assert np.max(prof.delta_objective) < 1e-3  # flat up to solver noise
    assert not res.identifiable[1]
    assert res.identifiable[0]


def test_not_converged_warns(one: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    from neuroendo.fit import _fit

    def stuck(fun, x0, *args, **kwargs):  # the polish reports no convergence
        return x0, 1e9, False, "maximum number of evaluations reached.", 1

    monkeypatch.setattr(_fit, "polish", stuck)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        res = fit_subject("sriram2012", one[0], **{**KW, "ci": "none", "max_iter": 1})
    assert res.status is FitStatus.NOT_CONVERGED


@pytest.mark.parametrize("backend", ["stacked", "scipy"])
def test_engines_reach_the_same_optimum(one: tuple, result: FitResult, backend: str) -> None:
    # the default ("auto": compiled numba when installed) against SciPy LSODA on the stacked
    # system and SciPy looped per parameter set: same data, same starts -> same optimum
    other = fit_subject("sriram2012", one[0], **{**KW, "ci": "none", "backend": backend})
    assert other.converged
    np.testing.assert_allclose(other.estimates, result.estimates, rtol=2e-3)
    assert other.objective == pytest.approx(result.objective, abs=1e-3)


def test_unknown_backend_names_the_choices(one: tuple) -> None:
    with pytest.raises(ValueError, match="backend"):
        fit_subject("sriram2012", one[0], **{**KW, "backend": "jax"})


def test_normal_prior_pulls_the_estimate_and_enters_the_objective(one: tuple) -> None:
    # a tight prior far from the data's optimum moves V_S4 towards the prior mean, and the
    # objective includes the prior penalty ((v - mu) / sd)^2 / 2
    free = dict(KW["free"])
    base = fit_subject("sriram2012", one[0], **{**KW, "ci": "none"})
    mu, sd = 2.0 * base.params["V_S4"], 0.05 * base.params["V_S4"]
    res = fit_subject(
        "sriram2012",
        one[0],
        **{**KW, "free": free, "ci": "none", "priors": {"V_S4": ("normal", mu, sd)}},
    )
    # the penalised optimum lies strictly between the likelihood optimum and the prior mean
    assert base.params["V_S4"] * 1.05 < res.params["V_S4"] < mu
    penalty = 0.5 * ((res.params["V_S4"] - mu) / sd) ** 2
    assert res.objective > base.objective
    assert res.objective >= penalty - 1e-9


def test_lognormal_prior_on_a_non_free_parameter_is_an_error(one: tuple) -> None:
    with pytest.raises(ValueError, match="not a free parameter"):
        fit_subject("sriram2012", one[0], **{**KW, "priors": {"K_P3": ("lognormal", 0.0, 1.0)}})
