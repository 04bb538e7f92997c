"""Argument checking shared by the analysis functions (the public boundary)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError, ModelDefinitionError
from neuroendo._core.spec import ModelSpec
from neuroendo._core.validation import batch_length, did_you_mean

FloatArray = NDArray[np.float64]


def resolve_model(model: ModelSpec | str, variant: str | None = None) -> ModelSpec:
    """Return the spec of ``model`` (see :func:`neuroendo.models.resolve`)."""
    from neuroendo import models

    return models.resolve(model, variant)


def check_param_value(spec: ModelSpec, name: str, value: ArrayLike) -> FloatArray:
    """Check a parameter name and that its value(s) lie in the declared bounds."""
    p = spec.param(name)  # raises with a suggestion
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataValidationError(
            f"Parameter {name!r} must be a number or an array of numbers, got {value!r}."
        ) from None
    lo, hi = p.bounds
    bad = ~((arr >= lo) & (arr <= hi))  # NaN counts as out of bounds
    if bad.any():
        shown = float(np.atleast_1d(arr)[np.flatnonzero(np.atleast_1d(bad))[0]])
        raise ModelDefinitionError(
            f"Param {name!r}: value {shown:g} lies outside its bounds [{lo:g}, {hi:g}] in model "
            f"{spec.name!r}; choose values inside the bounds, or widen them with a model variant "
            f"if the source supports it ({p.source.key})."
        )
    return arr


def check_input_value(spec: ModelSpec, name: str, value: Any, t: float) -> FloatArray:
    """Check an input name; return its value held constant (a schedule is evaluated at ``t``)."""
    if name not in spec.input_names:
        shown = ", ".join(spec.input_names) or "none"
        raise ModelDefinitionError(
            f"Model {spec.name!r} has no input {name!r}; its inputs are: {shown}."
            + did_you_mean(name, spec.input_names)
        )
    if callable(value):
        value = value(t)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataValidationError(
            f"Input {name!r} must be a number, an array of numbers or a schedule, got {value!r}."
        ) from None
    if not np.isfinite(arr).all():
        raise DataValidationError(f"Input {name!r} must be finite, got {arr!r}.")
    return arr


def check_args(
    spec: ModelSpec,
    params: Mapping[str, ArrayLike] | None,
    inputs: Mapping[str, Any] | None,
    t: float = 0.0,
) -> tuple[dict[str, FloatArray], dict[str, FloatArray], int | None]:
    """Validate ``params`` and ``inputs``; return them as arrays and the common batch size."""
    n: int | None = None
    pv: dict[str, FloatArray] = {}
    for k, v in (params or {}).items():
        pv[k] = check_param_value(spec, k, v)
        n = batch_length(f"params[{k!r}]", pv[k], n)
    uv: dict[str, FloatArray] = {}
    for k, v in (inputs or {}).items():
        uv[k] = check_input_value(spec, k, v, t)
        n = batch_length(f"inputs[{k!r}]", uv[k], n)
    return pv, uv, n


def check_states(spec: ModelSpec, y: ArrayLike | Mapping[str, ArrayLike]) -> FloatArray:
    """Return ``y`` as (n_states, m): a mapping ``{state: value}`` or an array."""
    if isinstance(y, Mapping):
        for k in y:
            spec.state(k)
        cols = [np.asarray(y.get(s.name, s.y0), dtype=np.float64) for s in spec.states]
        arr = np.array(np.broadcast_arrays(*cols))
    else:
        arr = np.asarray(y, dtype=np.float64)
    if arr.ndim not in (1, 2) or arr.shape[0] != len(spec.states):
        raise DataValidationError(
            f"'y' must have shape ({len(spec.states)},) or ({len(spec.states)}, n) for the states "
            f"{', '.join(spec.state_names)}; got shape {arr.shape}."
        )
    if not np.isfinite(arr).all():
        raise DataValidationError("'y' must be finite (a state vector of the model).")
    return arr.reshape(len(spec.states), -1)
