"""The simulator behind the "what if" page: one model, one protocol, trajectories and metrics."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

from neuroendo._core.errors import NeuroendoError

__all__ = ["PROTOCOLS", "SimulationRequest", "model_catalogue", "run_simulation"]

#: Protocols offered by the simulator page (functions of :mod:`neuroendo.models.inputs`).
PROTOCOLS = ("none", "step", "tsst", "levothyroxine")
#: Bounds that keep one request to a fraction of a second of solver time.
MAX_POINTS = 2000
MAX_SPAN = 1e5


@dataclass
class SimulationRequest:
    """What to simulate (times in the model's own time unit)."""

    model: str
    variant: str | None = None
    protocol: str = "tsst"
    input: str | None = None
    onset: float = 10.0
    duration: float = 15.0
    level: float = 1.0
    dose: float = 100.0
    t_end: float = 120.0
    n_points: int = 241
    params: dict[str, float] = field(default_factory=dict)
    output: str | None = None


def model_catalogue() -> list[dict[str, Any]]:
    """Every registered model with its states, inputs, parameters and variants."""
    from neuroendo import models

    out = []
    for name in models.available():
        spec = models.get(name)
        out.append(
            {
                "name": name,
                "axis": spec.axis,
                "time_unit": spec.time_unit,
                "states": [{"name": s.name, "unit": s.unit} for s in spec.states],
                "inputs": [{"name": i.name, "unit": i.unit} for i in spec.inputs],
                "params": [
                    {
                        "name": p.name,
                        "value": p.value,
                        "unit": p.unit,
                        "bounds": list(p.bounds) if p.bounds is not None else None,
                    }
                    for p in spec.params
                ],
                "variants": list(models.variants(name)),
            }
        )
    return out


def _schedule(req: SimulationRequest) -> Any:
    from neuroendo.models import inputs

    if req.protocol == "none":
        return None
    if req.protocol == "step":
        return inputs.step(req.onset, req.onset + req.duration, level=req.level)
    if req.protocol == "tsst":
        # tsst() with the model's own time unit (None): times are given in the model's unit
        return inputs.Bumps([req.onset], req.duration, req.level, shape="bump", time_unit=None)
    return inputs.levothyroxine(req.dose, times=[req.onset], duration=req.duration, time_unit="h")


def run_simulation(req: SimulationRequest) -> dict[str, Any]:
    """Simulate ``req`` and compute stress-response metrics of the output state.

    Parameters
    ----------
    req : SimulationRequest
        The request; bad names or values raise.

    Returns
    -------
    dict
        ``t``, ``time_unit``, ``states`` ({name: values}), ``units``, ``output``, ``metrics``
        (from :func:`neuroendo.analysis.stress_response`, or ``None``), ``messages``.

    Raises
    ------
    NeuroendoError, ValueError
        Unknown model, parameter or input; values out of bounds; solver failure.
    """
    import numpy as np

    import neuroendo
    from neuroendo import models
    from neuroendo._core.validation import check_option, check_range

    check_option("protocol", req.protocol, PROTOCOLS)
    check_range("t_end", req.t_end, 0.0, MAX_SPAN, inclusive=(False, True))
    check_range("n_points", req.n_points, 2, MAX_POINTS)
    for name in ("onset", "duration", "level", "dose"):
        value = float(getattr(req, name))
        if not math.isfinite(value):
            raise ValueError(f"{name!r} must be a finite number, got {value!r}.")
    check_range("onset", req.onset, 0.0, req.t_end)
    check_range("duration", req.duration, 0.0, MAX_SPAN, inclusive=(False, True))
    check_range("level", req.level, 0.0, 1e6)
    check_range("dose", req.dose, 0.0, 1e6)
    spec = models.get(req.model, variant=req.variant or None)
    t = np.linspace(0.0, float(req.t_end), int(req.n_points))
    inputs_ = {}
    sched = _schedule(req)
    if sched is not None:
        names = [i.name for i in spec.inputs]
        if not names:
            raise ValueError(f"model {spec.name!r} has no inputs; choose protocol 'none'.")
        target = req.input or names[0]
        check_option("input", target, names)
        inputs_[target] = sched
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sol = neuroendo.simulate(
            spec, t, params=dict(req.params) or None, inputs=inputs_ or None, rtol=1e-6, atol=1e-9
        )
    messages.extend(" ".join(str(w.message).split()) for w in caught)
    states = [s.name for s in spec.states]
    y = np.asarray(sol.y)[:, 0, :]
    traj = {n: [_num(v) for v in y[i]] for i, n in enumerate(states)}
    output = req.output or next(
        (s for s in ("cortisol", "tsh", "t4", "testosterone") if s in states), states[-1]
    )
    check_option("output", output, states)
    metrics = None
    if sched is not None and req.protocol != "none":
        from neuroendo.analysis import stress_response

        try:
            r = stress_response(t, np.clip(y[states.index(output)], 0, None), onset=req.onset)
        except NeuroendoError as exc:
            messages.append("stress-response metrics: " + " ".join(str(exc).split()))
        else:
            metrics = {
                k: _num(getattr(r, k)) if not isinstance(getattr(r, k), str) else getattr(r, k)
                for k in (
                    "baseline",
                    "peak",
                    "reactivity",
                    "time_to_peak",
                    "recovery_half_time",
                    "area_above_baseline",
                    "status",
                )
                if hasattr(r, k)
            }
    return {
        "model": spec.name,
        "t": [_num(v) for v in t],
        "time_unit": spec.time_unit,
        "states": traj,
        "units": {s.name: s.unit for s in spec.states},
        "output": output,
        "metrics": metrics,
        "messages": messages,
    }


def _num(v: Any) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None
