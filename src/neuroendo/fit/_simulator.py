"""Batched simulation for fitting: many parameter sets of one model, one protocol, one call.

An optimiser asks for the model at many parameter sets at once: the columns of a
finite-difference Jacobian, the trial points of several multistart runs, the walkers of a profile.
:class:`BatchSimulator` integrates all of them in one call. The default ``"stacked"`` engine
integrates the whole batch as one stacked ODE system with :func:`scipy.integrate.solve_ivp`
(the model's ``rhs`` is already vectorised over a subject axis), so the Python overhead of the
integrator is paid once per batch instead of once per parameter set; sharing one step sequence also
makes finite-difference derivatives smooth. Any backend registered in
:mod:`neuroendo.simulation` (``"scipy"``, ``"numba"``) can be used instead through
:func:`neuroendo.simulation.simulate`, which keeps the simulation call pluggable.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.spec import ModelSpec
from neuroendo.models.inputs import (
    Bumps,
    Constant,
    PiecewiseConstant,
    Product,
    Schedule,
    Sum,
)

__all__ = ["BatchSimulator"]


def _piecewise_constant(s: Schedule) -> bool:
    """Whether ``s`` is constant between its breakpoints (so it can be evaluated once a segment)."""
    if isinstance(s, Constant | PiecewiseConstant):
        return True
    if isinstance(s, Bumps):
        return s.shape == "square"
    if isinstance(s, Sum | Product):
        return all(_piecewise_constant(c) for c in s.children)
    return False


def widen_bounds(spec: ModelSpec, bounds: Mapping[str, tuple[float, float]]) -> ModelSpec:
    """Return ``spec`` with parameter bounds widened to include the fit bounds."""
    params = []
    for p in spec.params:
        if p.name in bounds:
            lo, hi = bounds[p.name]
            lo, hi = min(lo, p.bounds[0]), max(hi, p.bounds[1])
            # a margin of 1e-9 (relative) for round-off: 10**log10(hi) may exceed hi by an ulp
            p = dataclasses.replace(p, bounds=(lo - 1e-9 * abs(lo), hi + 1e-9 * abs(hi)))
        params.append(p)
    return dataclasses.replace(spec, params=tuple(params), _types={})


class BatchSimulator:
    """Integrate one model under one protocol for a batch of parameter sets.

    Parameters
    ----------
    spec : ModelSpec
        The model.
    t_out : ndarray, shape (n_times,)
        Output times in the model's time unit (sorted, ``>= t0``).
    fixed_inputs : mapping
        ``{input: Schedule}`` in the model's time unit (inputs not listed keep their defaults).
    scaled_inputs : mapping
        ``{input: Schedule}`` multiplied by a per-column amplitude at call time (added to the
        fixed schedule of the same input, if any).
    t0 : float
        Start time of the integration.
    rtol, atol : float
        Solver tolerances.
    method : str
        ``solve_ivp`` method for the stacked engine.
    backend : str
        ``"stacked"`` or a backend name of :mod:`neuroendo.simulation`.
    """

    def __init__(
        self,
        spec: ModelSpec,
        t_out: NDArray[np.float64],
        fixed_inputs: Mapping[str, Schedule],
        scaled_inputs: Mapping[str, Schedule],
        *,
        t0: float = 0.0,
        rtol: float = 1e-6,
        atol: float = 1e-9,
        method: str = "LSODA",
        backend: str = "stacked",
    ) -> None:
        self.spec = spec
        self.t_out = np.asarray(t_out, dtype=np.float64)
        self.t0 = float(t0)
        self.rtol, self.atol, self.method, self.backend = rtol, atol, method, backend
        self.fixed = {i.name: fixed_inputs.get(i.name, Constant(i.default)) for i in spec.inputs}
        self.scaled = dict(scaled_inputs)
        self.n_calls = 0
        t_end = float(self.t_out[-1])
        scheds = [*self.fixed.values(), *self.scaled.values()]
        cuts = {self.t0, t_end}
        for s in scheds:
            cuts.update(float(b) for b in s.breakpoints(self.t0, t_end))
        self.cuts = sorted(c for c in cuts if self.t0 <= c <= t_end)
        self._pc = all(_piecewise_constant(s) for s in scheds)

    # --------------------------------------------------------------------------------------
    def __call__(
        self,
        params: NDArray[np.float64],
        amps: Mapping[str, NDArray[np.float64]],
        y0: NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Simulate every column.

        Parameters
        ----------
        params : ndarray, shape (n_params, m)
            Model parameters in ``spec.param_names`` order.
        amps : mapping
            ``{input: (m,)}`` amplitudes of the scaled inputs.
        y0 : ndarray, shape (n_states, m)
            Initial states at ``t0``.

        Returns
        -------
        y : ndarray, shape (n_states, m, n_times)
            States at ``t_out`` (NaN for failed columns).
        ok : ndarray of bool, shape (m,)
            Which columns succeeded.
        """
        self.n_calls += 1
        if self.backend != "stacked":
            return self._via_simulate(params, amps, y0)
        y, ok = self._stacked(params, amps, y0)
        if not ok.all() and ok.size > 1:  # isolate the failing columns, keep the others
            y = np.full_like(y, np.nan)
            for j in range(ok.size):
                yj, okj = self._stacked(
                    params[:, j : j + 1],
                    {k: v[j : j + 1] for k, v in amps.items()},
                    y0[:, j : j + 1],
                )
                y[:, j : j + 1] = yj
                ok[j] = bool(okj[0])
        return y, ok

    def _input_values(self, tt: float, amps: Mapping[str, NDArray[np.float64]]) -> Any:
        vals = []
        for name in self.spec.input_names:
            v: Any = self.fixed[name](tt)
            if name in self.scaled:
                v = v + amps[name] * self.scaled[name](tt)
            vals.append(v)
        return self.spec.U(*vals)

    def _stacked(
        self,
        params: NDArray[np.float64],
        amps: Mapping[str, NDArray[np.float64]],
        y0: NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        from scipy.integrate import solve_ivp

        spec = self.spec
        n_states, m = y0.shape
        p = spec.P(*params)
        rhs = spec.rhs
        t = self.t_out
        out = np.full((n_states, m, t.size), np.nan)
        # subject-major layout: the Jacobian is block diagonal with half-bandwidth n_states - 1
        state = np.array(y0.T, dtype=np.float64).ravel()
        at0 = t == self.cuts[0]
        out[:, :, at0] = y0[:, :, None]
        seg_end = [math.inf]
        u_const: list[Any] = [None]

        def fun(tt: float, yy: NDArray[np.float64]) -> NDArray[np.float64]:
            u = u_const[0]
            if u is None:
                u = self._input_values(min(tt, seg_end[0]), amps)
            d = rhs(tt, yy.reshape(m, n_states).T, p, u)
            out = np.empty((m, n_states))
            for i, di in enumerate(d):
                out[:, i] = di
            return out.ravel()

        kwargs: dict[str, Any] = {"rtol": self.rtol, "atol": self.atol}
        if self.method == "LSODA":
            kwargs.update(lband=n_states - 1, uband=n_states - 1)
        ok = np.ones(m, dtype=bool)
        with np.errstate(all="ignore"):
            for k in range(len(self.cuts) - 1):
                a, b = self.cuts[k], self.cuts[k + 1]
                if b <= a:
                    continue
                seg_end[0] = float(np.nextafter(b, a))
                u_const[0] = self._input_values(0.5 * (a + b), amps) if self._pc else None
                last = k == len(self.cuts) - 2
                sel = (t >= a) & ((t <= b) if last else (t < b))
                t_eval = t[sel]
                if t_eval.size == 0 or t_eval[-1] != b:
                    t_eval = np.append(t_eval, b)
                sol = solve_ivp(fun, (a, b), state, method=self.method, t_eval=t_eval, **kwargs)
                if sol.status != 0 or sol.y.shape[1] != t_eval.size:
                    ok[:] = False
                    return out, ok
                ys = sol.y.reshape(m, n_states, -1).transpose(1, 0, 2)
                n_sel = int(sel.sum())
                out[:, :, sel] = ys[:, :, :n_sel]
                state = sol.y[:, -1]
        bad = ~np.isfinite(out).all(axis=(0, 2))
        ok &= ~bad
        return out, ok

    def _via_simulate(
        self,
        params: NDArray[np.float64],
        amps: Mapping[str, NDArray[np.float64]],
        y0: NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        from neuroendo.simulation import Status, simulate

        inputs: dict[str, Any] = {}
        for name in self.spec.input_names:
            s = self.fixed[name]
            if name in self.scaled:
                s = s + Constant(np.asarray(amps[name], dtype=np.float64)) * self.scaled[name]
            inputs[name] = s
        m = y0.shape[1]
        sol = simulate(
            self.spec,
            self.t_out,
            params={n: params[j] for j, n in enumerate(self.spec.param_names)},
            inputs=inputs,
            y0=y0,
            t0=self.t0,
            backend=self.backend,
            rtol=self.rtol,
            atol=self.atol,
            on_error="skip",
        )
        y = np.asarray(sol.y, dtype=np.float64).reshape(y0.shape[0], m, self.t_out.size)
        ok = np.asarray(sol.status == Status.OK, dtype=bool).reshape(m)
        ok &= np.isfinite(y).all(axis=(0, 2))
        return y, ok
