"""``to_petab``: write a subject or cohort fitting problem as a PEtab v1 problem."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from neuroendo._core.columns import SUBJECT
from neuroendo._core.errors import FitError
from neuroendo.fit._fit import FreeSpec, build_problem
from neuroendo.fit._problem import Observation, Problem
from neuroendo.models.inputs import Bumps, Constant, PiecewiseConstant, Product, Schedule, Sum

__all__ = ["schedule_formula", "to_petab"]


def _num(x: float) -> str:
    return repr(float(x))


def schedule_formula(s: Schedule) -> str:
    """SBML L3 infix formula of a piecewise-constant schedule in the model's time unit.

    Parameters
    ----------
    s : Schedule
        A :class:`Constant` (scalar), non-periodic :class:`PiecewiseConstant`, square
        :class:`Bumps`, or sums/products of these.

    Returns
    -------
    str

    Raises
    ------
    FitError
        For schedules without an exact SBML formula here (smooth bumps, periodic, harmonic).
    """
    if isinstance(s, Constant):
        if s.value.ndim:
            raise FitError("Per-subject constant inputs cannot be written to one SBML model.")
        return _num(float(s.value))
    if isinstance(s, PiecewiseConstant) and not math.isfinite(s.period):
        expr = _num(s.before)
        for t, v in zip(s.times, s.values, strict=True):
            expr = f"piecewise({_num(v)}, time >= {_num(t)}, {expr})"
        return expr
    if isinstance(s, Bumps) and s.shape == "square":
        parts = [
            f"piecewise({_num(lv)}, time >= {_num(on)} && time < {_num(on + du)}, 0)"
            for on, du, lv in zip(s.onsets, s.durations, s.levels, strict=True)
        ]
        return " + ".join(parts) if parts else "0"
    if isinstance(s, Sum):
        return " + ".join(f"({schedule_formula(c)})" for c in s.children)
    if isinstance(s, Product):
        return " * ".join(f"({schedule_formula(c)})" for c in s.children)
    raise FitError(
        f"Cannot write the input schedule {type(s).__name__} to PEtab/SBML; use square "
        "pulses or steps (shape='square')."
    )


def _cid(subject: Any) -> str:
    s = re.sub(r"\W", "_", str(subject))
    return s if s and (s[0].isalpha() or s[0] == "_") else f"s_{s}"


def to_petab(
    model: Any,
    data: Any,
    directory: str | Path,
    *,
    free: FreeSpec,
    fixed: Mapping[str, float] | None = None,
    noise: str = "lognormal",
    observables: Mapping[str, Observation] | None = None,
    inputs: Mapping[str, Any] | None = None,
    y0: Mapping[str, float] | None = None,
    pre_equilibration: float | None = None,
    subjects: list[str | None] | None = None,
    time_unit: str | None = None,
    name: str = "problem",
) -> Path:
    r"""Write the fitting problem of one subject or a cohort as a PEtab v1 problem.

    Arguments mean what they mean in :func:`neuroendo.fit.fit_subject`. Each subject becomes
    one simulation condition; its free model parameters and input amplitudes are condition-specific
    PEtab parameters ``<name>__<subject>``, its observation scales and noise sigmas observable and
    noise parameters of the same form. Measurement times are written in the model's time unit
    and values in the observation unit. Log-normal noise is written as
    ``observableTransformation = log`` with ``noiseDistribution = normal`` (natural log).

    Parameters
    ----------
    model : ModelSpec or str
        The model.
    data : pandas.DataFrame
        Tidy measurement table (one or more subjects).
    directory : str or Path
        Output folder.
    free, fixed, noise, observables, inputs, y0, pre_equilibration, time_unit
        As in :func:`neuroendo.fit.fit_subject` (pre-equilibration only at nominal
        parameters: the equilibrated state is written as the SBML initial state).
    subjects : list of str, optional
        Subjects to include (default: all in ``data``).
    name : str, default "problem"
        Base name of the files.

    Returns
    -------
    Path
        The PEtab YAML file.

    Raises
    ------
    FitError
        If an input schedule has no exact SBML formula (smooth bumps, harmonics).

    Notes
    -----
    For log-normal noise PEtab's negative log-likelihood of one point is
    :math:`\ln(\sqrt{2\pi}\sigma y) + (\ln y - \ln \hat y)^2/(2\sigma^2)`, the same as
    :func:`~neuroendo.fit.fit_subject`'s objective.

    References
    ----------
    .. [1] Schmiester L et al. PLoS Comput Biol. 2021;17(1):e1008646.
       doi:10.1371/journal.pcbi.1008646

    Examples
    --------
    >>> import tempfile, numpy as np, pandas as pd
    >>> t = np.array([0.0, 1.0, 2.0, 4.0])
    >>> df = pd.DataFrame({"subject": "s1", "time": t, "analyte": "cortisol", "unit": "1",
    ...                    "value": [0.25, 0.2, 0.15, 0.1]})
    >>> df.attrs["units"] = {"time": "1"}
    >>> path = to_petab("gupta2007", df, tempfile.mkdtemp(), free=["kad"],
    ...                 fixed={"sigma_cortisol": 0.1})
    >>> path.name
    'problem.yaml'
    """
    import pandas as pd

    from neuroendo.io.petab import add_inputs, export
    from neuroendo.io.sbml import export as sbml_export

    if subjects is None:
        subjects = [str(s) for s in pd.unique(data[SUBJECT])] if SUBJECT in data.columns else [None]
    problems: list[Problem] = []
    for subj in subjects:
        problems.append(
            build_problem(
                model,
                data,
                free=free,
                fixed=fixed,
                noise=noise,
                observables=observables,
                inputs=inputs,
                y0=y0,
                pre_equilibration=pre_equilibration,
                subject=subj,
                time_unit=time_unit,
            )
        )
    p0 = problems[0]
    spec = p0.spec
    free_names = p0.names
    model_free = [n for n in free_names if n in spec.param_names]
    amp_names = {s.amplitude for s in p0.scaled_inputs.values()}
    model_fixed = {n: v for n, v in p0.fixed.items() if n in spec.param_names}
    sbml = sbml_export(
        spec.with_states(dict(zip(spec.state_names, map(float, p0.y0), strict=True))),
        params=model_fixed,
    )
    assignments: dict[str, str] = {}
    extra: dict[str, float] = {}
    for inp in spec.input_names:
        base = p0.simulator.fixed[inp]
        parts = []
        if not (isinstance(base, Constant) and base.value.ndim == 0 and float(base.value) == 0):
            parts.append(f"({schedule_formula(base)})")
        if inp in p0.scaled_inputs:
            amp = p0.scaled_inputs[inp].amplitude
            extra[amp] = float(p0.fixed.get(amp, 1.0))
            parts.append(f"{amp} * ({schedule_formula(p0.simulator.scaled[inp])})")
        if parts:
            assignments[inp] = " + ".join(parts)
    sbml = add_inputs(sbml, parameters=extra, assignments=assignments)

    cond_rows, meas_rows, par_rows = [], [], []
    obs_rows = []
    for a, o in p0.observations.items():
        if a not in p0.data.analytes:
            continue
        scale = (
            f"observableParameter1_obs_{a}" if isinstance(o.scale, str) else _num(float(o.scale))
        )
        sigma = f"noiseParameter1_obs_{a}" if isinstance(o.sigma, str) else _num(float(o.sigma))  # type: ignore[arg-type]
        obs_rows.append(
            {
                "observableId": f"obs_{a}",
                "observableName": a,
                "observableFormula": f"{scale} * {o.state}",
                "observableTransformation": "log" if noise == "lognormal" else "lin",
                "noiseFormula": sigma,
                "noiseDistribution": "normal",
            }
        )
    for prob in problems:
        cid = _cid(prob.data.subject if prob.data.subject is not None else "subject")
        row: dict[str, Any] = {"conditionId": cid}
        for n in [*model_free, *sorted(amp_names & set(free_names))]:
            row[n] = f"{n}__{cid}"
        cond_rows.append(row)
        lin_nominal = {n: spec.param(n).value for n in model_free}
        for i, n in enumerate(prob.names):
            lo, hi = float(prob.lower[i]), float(prob.upper[i])
            nom = lin_nominal.get(n, math.sqrt(lo * hi) if lo > 0 else 0.5 * (lo + hi))
            nom = min(max(nom, lo), hi)
            par_rows.append(
                {
                    "parameterId": f"{n}__{cid}",
                    "parameterName": n,
                    "parameterScale": "log10" if prob.log[i] else "lin",
                    "lowerBound": lo,
                    "upperBound": hi,
                    "nominalValue": nom,
                    "estimate": 1,
                }
            )

        def param_ref(v: Any, prob: Problem = prob, cid: str = cid) -> str:
            if isinstance(v, str):
                return f"{v}__{cid}" if v in prob.names else _num(prob.fixed[v])
            return _num(float(v))

        for a in prob.data.analytes:
            o = prob.observations[a]
            for t, y in zip(prob.data.times[a], prob.data.values[a], strict=True):
                meas_rows.append(
                    {
                        "observableId": f"obs_{a}",
                        "simulationConditionId": cid,
                        "time": float(t),
                        "measurement": float(y),
                        "observableParameters": param_ref(o.scale)
                        if isinstance(o.scale, str)
                        else "",
                        "noiseParameters": param_ref(o.sigma) if isinstance(o.sigma, str) else "",
                    }
                )
    conditions = pd.DataFrame(cond_rows)
    measurements = pd.DataFrame(meas_rows)
    for col in ("observableParameters", "noiseParameters"):
        if (measurements[col] == "").all():
            measurements = measurements.drop(columns=col)
    parameters = pd.DataFrame(par_rows)
    observables_df = pd.DataFrame(obs_rows)
    return export(
        directory,
        sbml=sbml,
        measurements=measurements,
        conditions=conditions,
        observables=observables_df,
        parameters=parameters,
        name=name,
    )
