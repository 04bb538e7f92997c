"""Simulate models: ``simulate(model, t, params, inputs)`` → :class:`Solution`.

Subjects are an array axis: give any parameter, input level or initial state as an array of
length ``n`` to simulate ``n`` subjects at once (scalars are shared). Backends sit behind
:class:`AbstractBackend`; ``"scipy"`` (``solve_ivp``) is the reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import (
    DataValidationError,
    ModelDefinitionError,
    SimulationError,
    UnitError,
)
from neuroendo._core.spec import ModelSpec
from neuroendo._core.units import conversion_factor
from neuroendo._core.validation import batch_length, check_option, check_times, did_you_mean
from neuroendo.models import resolve
from neuroendo.models.inputs import Schedule, as_schedule
from neuroendo.simulation._backend import (
    AbstractBackend,
    BackendResult,
    SolverOptions,
    available_backends,
    get_backend,
    register_backend,
)
from neuroendo.simulation._cohort import (
    LogNormal,
    Uniform,
    sample_parameters,
    simulate_cohort,
    to_parquet,
    to_zarr,
)
from neuroendo.simulation._solution import Solution, Status

__all__ = [
    "AbstractBackend",
    "BackendResult",
    "LogNormal",
    "Solution",
    "SolverOptions",
    "Status",
    "Uniform",
    "available_backends",
    "get_backend",
    "register_backend",
    "sample_parameters",
    "simulate",
    "simulate_cohort",
    "to_parquet",
    "to_zarr",
]


def _check_params(spec: ModelSpec, params: Mapping[str, ArrayLike]) -> dict[str, NDArray[Any]]:
    out: dict[str, NDArray[Any]] = {}
    for name, value in params.items():
        if name not in spec.param_names:
            raise ModelDefinitionError(
                f"Model {spec.name!r} has no parameter {name!r}; parameters are "
                f"{', '.join(spec.param_names)}.{did_you_mean(name, spec.param_names)}"
            )
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise DataValidationError(
                f"Parameter {name!r} must be a number or an array of numbers, got {value!r}."
            ) from None
        p = spec.param(name)
        lo, hi = p.bounds
        bad = ~((arr >= lo) & (arr <= hi))  # NaN is out of bounds too
        if bad.any():
            idx = np.flatnonzero(np.atleast_1d(bad))
            shown = np.atleast_1d(arr)[idx[0]]
            who = f" (subject {int(idx[0])})" if arr.ndim else ""
            raise ModelDefinitionError(
                f"Param {name!r}: value {shown:g}{who} lies outside its bounds [{lo:g}, {hi:g}]; "
                f"widen the bounds or check the source ({p.source.key})."
            )
        out[name] = arr
    return out


def _convert_input(spec: ModelSpec, name: str, value: Any) -> Schedule:
    if name not in spec.input_names:
        shown = ", ".join(spec.input_names) or "none"
        raise ModelDefinitionError(
            f"Model {spec.name!r} has no input {name!r}; its inputs are: {shown}."
            + did_you_mean(name, spec.input_names)
        )
    sched = as_schedule(value)
    declared = next(i for i in spec.inputs if i.name == name)
    if sched.unit is not None and sched.unit != declared.unit:
        try:
            factor = conversion_factor(sched.unit, declared.unit, analyte=declared.analyte)
        except UnitError as exc:
            raise UnitError(
                f"Input {name!r} of model {spec.name!r} is in {declared.unit!r}, but the schedule "
                f"is in {sched.unit!r}: {exc}"
            ) from None
        sched = factor * sched
    if sched.time_unit is not None and sched.time_unit != spec.time_unit:
        try:
            sched = sched.to_time_unit(spec.time_unit)
        except UnitError:
            raise UnitError(
                f"Input {name!r}: the schedule's time unit {sched.time_unit!r} cannot be "
                f"converted to the time unit of model {spec.name!r}, {spec.time_unit!r}. Build "
                f"the schedule with time_unit={spec.time_unit!r} (for scaled-time models, state "
                "what one model time unit stands for)."
            ) from None
    return sched


def _initial_states(spec: ModelSpec, y0: Any, n: int | None) -> tuple[NDArray[Any], int | None]:
    if y0 is None:
        return spec.y0, n
    if isinstance(y0, Mapping):
        for k in y0:
            spec.state(k)  # raises with a suggestion
        cols = []
        for s in spec.states:
            v = np.asarray(y0.get(s.name, s.y0), dtype=np.float64)
            n = batch_length(f"y0[{s.name!r}]", v, n)
            cols.append(v)
        return np.array(np.broadcast_arrays(*cols)), n
    arr = np.asarray(y0, dtype=np.float64)
    if arr.shape[0:1] != (len(spec.states),) or arr.ndim > 2:
        raise DataValidationError(
            f"'y0' must have shape ({len(spec.states)},) or ({len(spec.states)}, n_subjects) "
            f"for the states {', '.join(spec.state_names)}; got shape {arr.shape}."
        )
    if arr.ndim == 2:
        n = batch_length("y0", arr[0], n)
    return arr, n


def simulate(
    model: ModelSpec | str,
    t: ArrayLike,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Schedule | ArrayLike] | None = None,
    y0: Mapping[str, ArrayLike] | ArrayLike | None = None,
    *,
    t0: float | None = None,
    backend: str = "scipy",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    method: str | None = None,
    max_step: float = np.inf,
    on_error: str = "raise",
) -> Solution:
    r"""Simulate a model for one or many subjects.

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name (``"gupta2007"``; see
        :func:`neuroendo.models.available`).
    t : array-like, shape (n_times,)
        Output times in the model's ``time_unit``; non-negative and strictly increasing.
    params : mapping, optional
        ``{name: value}``; a value is a scalar (shared) or an array of length ``n_subjects``.
        Unlisted parameters keep their nominal values. Each value must lie in the parameter's
        bounds.
    inputs : mapping, optional
        ``{input name: schedule or constant}``; schedules come from
        :mod:`neuroendo.models.inputs`. A schedule in another time unit is converted
        (``"min"`` → ``"h"``); one in a non-convertible unit raises ``UnitError``.
    y0 : mapping or array-like, optional
        Initial state at ``t0``: ``{state: value}`` (others default) or an array of shape
        ``(n_states,)`` or ``(n_states, n_subjects)``.
    t0 : float, optional
        Time at which ``y0`` holds (default ``t[0]``); must be ≤ ``t[0]``.
    backend : str, default "scipy"
        Solver backend (see :func:`available_backends`).
    rtol, atol : float
        Relative and absolute tolerances.
    method : str, optional
        Backend method (for ``"scipy"``: a ``solve_ivp`` method; default DOP853, or Radau for
        models declared stiff).
    max_step : float, default inf
        Largest solver step, in the model's time unit.
    on_error : {"raise", "skip"}, default "raise"
        With ``"skip"`` failed subjects get NaN trajectories, ``Status.FAILED`` and a message.

    Returns
    -------
    Solution
        ``y`` of shape (n_states, n_subjects, n_times); ``sol["cortisol"]`` has shape
        ``(n_times,)`` when no argument was per-subject.

    Raises
    ------
    ModelDefinitionError
        Unknown model, parameter, input or state names (with a suggestion); parameter values
        outside their bounds.
    DataValidationError
        Times negative, not finite or not increasing; per-subject arrays of unequal length.
    UnitError
        An input schedule whose time or value unit cannot be converted to the model's.
    SimulationError
        The integrator failed (``on_error="raise"``); the message names model, subject, time and
        solver message.

    Notes
    -----
    Solves :math:`\dot y = f(t, y, p, u(t))`, :math:`y(t_0) = y_0` for each subject.

    References
    ----------
    .. [1] Virtanen P et al. SciPy 1.0: fundamental algorithms for scientific computing in
       Python. Nat Methods. 2020;17:261-272. doi:10.1038/s41592-019-0686-2

    Examples
    --------
    >>> import numpy as np
    >>> from neuroendo.models import inputs
    >>> sol = simulate("gupta2007", t=np.linspace(0, 300, 601), params={"krd": [0.8, 0.9, 1.0]},
    ...                inputs={"stress": inputs.step(start=0, stop=10, level=1.0)})
    >>> sol.y.shape
    (4, 3, 601)
    >>> bool((sol.status == Status.OK).all())
    True
    """
    spec = resolve(model)
    check_option("on_error", on_error, ("raise", "skip"))
    tt = check_times(t, name="t")
    if tt.ndim != 1 or tt.size == 0:
        raise DataValidationError(f"'t' must be a non-empty 1-D array of times, got {tt.shape}.")
    if tt[0] < 0:
        raise DataValidationError(
            f"'t' must be non-negative (model time starts at 0); got t[0] = {tt[0]:g} "
            f"{spec.time_unit}. Shift the times."
        )
    start = float(tt[0]) if t0 is None else float(t0)
    if not (np.isfinite(start) and 0 <= start <= tt[0]):
        raise DataValidationError(f"'t0' must lie in [0, t[0]] = [0, {tt[0]:g}], got {t0!r}.")

    pvals = _check_params(spec, params or {})
    n: int | None = None
    for k, v in pvals.items():
        n = batch_length(f"params[{k!r}]", v, n)
    scheds = {name: _convert_input(spec, name, v) for name, v in (inputs or {}).items()}
    for k, s in scheds.items():
        if s.batch_size is not None:
            n = batch_length(f"inputs[{k!r}]", np.empty(s.batch_size), n)
    for i in spec.inputs:
        scheds.setdefault(i.name, as_schedule(i.default))
    y_init, n = _initial_states(spec, y0, n)
    batched = n is not None
    n_sub = n or 1

    table = np.empty((len(spec.params), n_sub))
    for j, p in enumerate(spec.params):
        table[j] = pvals.get(p.name, p.value)
    y_init = np.broadcast_to(y_init.reshape(len(spec.states), -1), (len(spec.states), n_sub))
    if not np.isfinite(y_init).all():
        raise DataValidationError("'y0' must be finite.")
    options = SolverOptions(rtol=rtol, atol=atol, method=method, t0=start, max_step=max_step)
    result = get_backend(backend).solve(spec, tt, np.array(y_init), table, scheds, options)

    failed = np.flatnonzero(result.status != Status.OK)
    if failed.size and on_error == "raise":
        first = int(failed[0])
        raise SimulationError(
            f"Simulation of model {spec.name!r} failed for subject {first} "
            f"{result.message[first]}. "
            "Try a stiff method (method='Radau' or 'LSODA'), looser tolerances, or check the "
            "parameters; use on_error='skip' to keep the other subjects."
        )
    units = {s.name: s.unit for s in spec.states}
    units["time"] = spec.time_unit
    return Solution(
        model=spec.name,
        t=tt,
        y=result.y,
        state_names=spec.state_names,
        units=units,
        params={p.name: table[j].copy() for j, p in enumerate(spec.params)},
        status=result.status,
        message=result.message,
        batched=batched,
        spec=spec,
    )
