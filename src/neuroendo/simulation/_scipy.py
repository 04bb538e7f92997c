"""Reference backend: :func:`scipy.integrate.solve_ivp`, one subject at a time.

Correctness first: each subject gets its own adaptive integration (so one failing subject does
not disturb the others), the integration restarts at every input breakpoint (step edges, pulse
ends) so a short pulse cannot be stepped over, and outputs are taken exactly at the requested
times (``t_eval``). Other backends are tested against this one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.spec import ModelSpec
from neuroendo.models.inputs import Schedule
from neuroendo.simulation._backend import AbstractBackend, BackendResult, SolverOptions
from neuroendo.simulation._solution import Status

__all__ = ["ScipyBackend"]


class ScipyBackend(AbstractBackend):
    """``solve_ivp`` with DOP853 (non-stiff) or Radau (``spec.stiff``) by default."""

    name: ClassVar[str] = "scipy"

    def solve(
        self,
        spec: ModelSpec,
        t: NDArray[np.float64],
        y0: NDArray[np.float64],
        params: NDArray[np.float64],
        inputs: Mapping[str, Schedule],
        options: SolverOptions,
    ) -> BackendResult:
        """Integrate each subject over ``[options.t0, t[-1]]``; see the module docstring."""
        n_states, n = y0.shape
        y = np.full((n_states, n, t.size), np.nan)
        status = np.full(n, Status.OK, dtype=object)
        messages = ["" for _ in range(n)]
        t_end = float(t[-1])
        cuts = [options.t0]
        if inputs:
            bp = np.unique(
                np.concatenate([s.breakpoints(options.t0, t_end) for s in inputs.values()])
            )
            cuts += [float(b) for b in bp]
        cuts.append(t_end)
        for i in range(n):  # reference backend: a loop over subjects is the point
            ok, msg, yi = self._one(spec, t, y0[:, i], params[:, i], inputs, options, cuts, i)
            if ok:
                y[:, i, :] = yi
            else:
                status[i] = Status.FAILED
                messages[i] = msg
        return BackendResult(y, status, tuple(messages))

    def _one(
        self,
        spec: ModelSpec,
        t: NDArray[np.float64],
        y0: NDArray[np.float64],
        pvals: NDArray[np.float64],
        inputs: Mapping[str, Schedule],
        options: SolverOptions,
        cuts: list[float],
        i: int,
    ) -> tuple[bool, str, NDArray[np.float64]]:
        from scipy.integrate import solve_ivp

        p = spec.P(*(float(v) for v in pvals))
        U = spec.U
        rhs = spec.rhs
        scheds = [inputs[name] for name in spec.input_names]
        batched = [s.batch_size is not None for s in scheds]

        def u_at(tt: float) -> Any:
            vals = []
            for s, b in zip(scheds, batched, strict=True):
                v = s(tt)
                vals.append(float(v[i]) if b else v)
            return U(*vals)

        seg_end = [math.inf]

        def fun(tt: float, yy: NDArray[np.float64]) -> NDArray[np.float64]:
            # inputs are right-continuous: inside [a, b) the solver may evaluate at b itself,
            # where the next segment's value (a dose pulse switching on) must not leak in
            return np.asarray(rhs(tt, yy, p, u_at(min(tt, seg_end[0]))), dtype=np.float64)

        method = options.method or ("Radau" if spec.stiff else "DOP853")
        out = np.full((y0.size, t.size), np.nan)
        state = np.asarray(y0, dtype=np.float64)
        out[:, t == cuts[0]] = state[:, None]  # output times at t0 are the initial state
        with np.errstate(all="ignore"):  # failures show up as non-finite values or solver status
            for k in range(len(cuts) - 1):
                a, b = cuts[k], cuts[k + 1]
                seg_end[0] = float(np.nextafter(b, a))
                last = k == len(cuts) - 2
                sel = (t >= a) & ((t <= b) if last else (t < b))
                t_eval = t[sel]
                if t_eval.size == 0 or t_eval[-1] != b:
                    t_eval = np.append(t_eval, b)
                if b <= a:
                    continue
                kwargs: dict[str, Any] = {"rtol": options.rtol, "atol": options.atol}
                if math.isfinite(options.max_step):
                    kwargs["max_step"] = options.max_step
                sol = solve_ivp(fun, (a, b), state, method=method, t_eval=t_eval, **kwargs)
                if sol.status != 0 or not np.isfinite(sol.y).all():
                    t_fail = float(sol.t[-1]) if sol.t.size else a
                    why = sol.message if sol.status != 0 else "state became non-finite"
                    return False, f"at t = {t_fail:g} {spec.time_unit}: {why}", out
                n_sel = int(sel.sum())
                out[:, sel] = sol.y[:, :n_sel]
                state = sol.y[:, -1]
        return True, "", out
