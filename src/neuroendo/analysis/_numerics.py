r"""Batched numerics on a model's right-hand side: evaluation, Jacobians, Newton, relaxation.

Every function here works on *columns*: ``y`` has shape ``(n_states, m)`` and the parameter and
input tables have shapes ``(n_params, m)`` and ``(n_inputs, m)``, so one call handles many
starting points, parameter values or subjects at once (the RHS supports the batch axis, see
:mod:`neuroendo._core.spec`). Private: callers validate their arguments.

Finite differences
------------------
The Jacobian uses central differences with step :math:`h_k = \\epsilon^{1/3}
\\max(|y_k|, s_k)`, :math:`\\epsilon` the float64 machine epsilon (so :math:`h_k \\approx 6
\\times 10^{-6}` relative) and :math:`s_k` the typical scale of state :math:`k`. The lower point
is clipped at 0 (states are non-negative), which makes the difference one-sided at the boundary.
All :math:`2n` perturbed points of all columns are evaluated in a single RHS call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.spec import ModelSpec

FloatArray = NDArray[np.float64]

#: Relative finite-difference step, eps**(1/3) (optimal order for central differences).
FD_STEP = float(np.finfo(np.float64).eps ** (1.0 / 3.0))


@dataclass(frozen=True)
class Columns:
    """Parameter and input tables of a batch of columns (validated by the caller)."""

    spec: ModelSpec
    ptab: FloatArray  # (n_params, m)
    utab: FloatArray  # (n_inputs, m)
    t: float = 0.0

    @property
    def m(self) -> int:
        """Number of columns."""
        return int(self.ptab.shape[1])

    def repeat(self, k: int) -> Columns:
        """Each column repeated ``k`` times consecutively (column j -> j*k ... j*k+k-1)."""
        return Columns(
            self.spec, np.repeat(self.ptab, k, axis=1), np.repeat(self.utab, k, axis=1), self.t
        )

    def take(self, idx: NDArray[np.intp]) -> Columns:
        """Return the columns ``idx``."""
        return Columns(self.spec, self.ptab[:, idx], self.utab[:, idx], self.t)


def make_columns(
    spec: ModelSpec,
    params: dict[str, FloatArray],
    inputs: dict[str, FloatArray],
    m: int,
    t: float = 0.0,
) -> Columns:
    """Build tables of ``m`` columns: nominal values overridden by ``params``/``inputs``."""
    ptab = np.empty((len(spec.params), m))
    for j, p in enumerate(spec.params):
        ptab[j] = params.get(p.name, p.value)
    utab = np.empty((len(spec.inputs), m))
    for j, i in enumerate(spec.inputs):
        utab[j] = inputs.get(i.name, i.default)
    return Columns(spec, ptab, utab, t)


def state_scale(spec: ModelSpec) -> FloatArray:
    """Typical magnitude of each state (from the declared initial state), never zero."""
    y0 = np.abs(spec.y0)
    floor = 1e-6 * max(float(y0.max(initial=0.0)), 1.0)
    return np.maximum(y0, floor)


def rhs(cols: Columns, y: FloatArray) -> FloatArray:
    """Evaluate the RHS on columns: ``y`` (n_states, m) -> (n_states, m)."""
    spec = cols.spec
    p = spec.P(*cols.ptab)
    u = spec.U(*cols.utab)
    with np.errstate(all="ignore"):
        out = spec.rhs(cols.t, y, p, u, xp=np)
    m = y.shape[1]
    return np.stack([np.broadcast_to(np.asarray(d, dtype=np.float64), (m,)) for d in out])


def jacobian(cols: Columns, y: FloatArray, scale: FloatArray) -> FloatArray:
    """Finite-difference Jacobian at each column: returns (m, n_states, n_states).

    ``J[j, i, k] = d f_i / d y_k`` at column ``j``; see the module docstring for the step.
    """
    n, m = y.shape
    h = FD_STEP * np.maximum(np.abs(y), scale[:, None])  # (n, m)
    hi = y + h
    lo = np.maximum(y - h, 0.0)
    eye = np.eye(n)
    # perturbed points: (n_states, m, 2n) -> flattened columns, m major
    up = y[:, :, None] + eye[:, None, :] * (hi - y)[:, :, None]
    dn = y[:, :, None] + eye[:, None, :] * (lo - y)[:, :, None]
    pts = np.concatenate([up, dn], axis=2).reshape(n, m * 2 * n)
    f = rhs(cols.repeat(2 * n), pts).reshape(n, m, 2 * n)
    denom = (hi - lo).T  # (m, n)
    diff = (f[:, :, :n] - f[:, :, n:]).transpose(1, 0, 2)  # (m, n_i, n_k)
    return np.asarray(diff / denom[:, None, :])


def solve(a: FloatArray, b: FloatArray) -> FloatArray:
    """Solve stacked systems ``a[j] x[j] = b[j]`` (pseudo-inverse where ``a[j]`` is singular)."""
    with np.errstate(all="ignore"):
        try:
            return np.asarray(np.linalg.solve(a, b[..., None])[..., 0])
        except np.linalg.LinAlgError:
            return np.asarray(np.einsum("jik,jk->ji", np.linalg.pinv(a), b))


@dataclass(frozen=True)
class NewtonResult:
    """Roots (n_states, m), convergence mask (m,), final scaled step size (m,)."""

    y: FloatArray
    converged: NDArray[np.bool_]
    step: FloatArray


def newton(
    cols: Columns,
    y0: FloatArray,
    scale: FloatArray,
    *,
    xtol: float = 1e-10,
    maxiter: int = 60,
) -> NewtonResult:
    """Damped Newton on ``f(y) = 0`` for every column at once (Deuflhard's monotonicity test).

    A step is accepted when the simplified Newton correction at the new point is smaller than
    the Newton step (natural level function, affine invariant), else it is halved (up to 12
    times). States are kept non-negative by clipping. A column converges when its scaled step
    ``max_k |dy_k| / (|y_k| + s_k)`` falls below ``xtol``.
    """
    y = np.array(y0, dtype=np.float64)
    _n, m = y.shape
    done = np.zeros(m, dtype=bool)
    last = np.full(m, np.inf)
    for _ in range(maxiter):
        act = np.flatnonzero(~done)
        if act.size == 0:
            break
        c = cols.take(act)
        ya = y[:, act]
        f = rhs(c, ya)
        jac = jacobian(c, ya, scale)
        dy = solve(jac, -f.T).T
        w = np.abs(ya) + scale[:, None]
        size = np.max(np.abs(dy) / w, axis=0)
        lam = np.ones(act.size)
        accepted = np.zeros(act.size, dtype=bool)
        y_new = ya.copy()
        for _halving in range(13):
            trial = np.maximum(ya + lam * dy, 0.0)
            f_t = rhs(c, trial)
            dy_bar = solve(jac, -f_t.T).T
            size_bar = np.max(np.abs(dy_bar) / w, axis=0)
            ok = np.isfinite(size_bar) & (size_bar <= (1.0 - lam / 4.0) * size + 1e-300)
            ok |= size < xtol  # converged already: accept the (tiny) step
            new = ok & ~accepted
            y_new[:, new] = trial[:, new]
            accepted |= ok
            if accepted.all():
                break
            lam = np.where(accepted, lam, lam / 2.0)
        bad = ~np.isfinite(size)
        y[:, act] = np.where(accepted, y_new, ya)
        last[act] = size
        conv = (size < xtol) & ~bad
        stuck = ~accepted | bad
        done[act[conv | stuck]] = True
    final = np.isfinite(last) & (last < xtol)
    return NewtonResult(y, final, last)


def relax(
    cols: Columns,
    y0: FloatArray,
    scale: FloatArray,
    *,
    xtol: float = 1e-10,
    maxiter: int = 1000,
) -> NewtonResult:
    r"""Pseudo-transient continuation: follow the flow from ``y0`` to a steady state.

    Linearly implicit Euler steps :math:`(I/\Delta t - J)\,\delta = f(y)` with a step that grows
    by switched evolution relaxation (:math:`\Delta t_{k+1} = \Delta t_k \|f_k\|/\|f_{k+1}\|`,
    x1.2 to x10 per step while the residual falls, shrinking when it rises). Small steps follow
    the trajectory, so the result is the steady state the system relaxes to from ``y0`` (for a
    bistable model, the branch a simulation would reach); large steps become Newton steps and
    converge quadratically at the end.
    """
    y = np.array(y0, dtype=np.float64)
    n, m = y.shape
    f = rhs(cols, y)
    jac = jacobian(cols, y, scale)
    diag = np.abs(np.diagonal(jac, axis1=1, axis2=2))
    rate = np.max(np.where(np.isfinite(diag), diag, 0.0), axis=1)
    dt = 0.05 / np.maximum(rate, 1e-12)
    dt_max = 1e12 * dt
    fnorm = np.max(np.abs(f) / scale[:, None], axis=0)
    done = np.zeros(m, dtype=bool)
    last = np.full(m, np.inf)
    eye = np.eye(n)
    for _ in range(maxiter):
        act = np.flatnonzero(~done)
        if act.size == 0:
            break
        c = cols.take(act)
        ya = y[:, act]
        fa = rhs(c, ya)
        ja = jacobian(c, ya, scale)
        a = eye[None] / dt[act][:, None, None] - ja
        d = solve(a, fa.T).T
        trial = np.maximum(ya + d, 0.0)
        ft = rhs(c, trial)
        fn_new = np.max(np.abs(ft) / scale[:, None], axis=0)
        good = np.isfinite(fn_new) & np.isfinite(trial).all(axis=0)
        y[:, act] = np.where(good, trial, ya)
        w = np.abs(ya) + scale[:, None]
        size = np.where(good, np.max(np.abs(d) / w, axis=0), np.inf)
        ratio = np.where(good, fnorm[act] / np.maximum(fn_new, 1e-300), 0.1)
        # grow at least x1.2 while the residual falls, so slow passages (ghosts of folds) end;
        # shrink when it rises (the step was too Newton-like to follow the flow)
        grow = np.where(ratio >= 1.0, np.clip(ratio, 1.2, 10.0), np.clip(ratio, 0.1, 1.0))
        dt[act] = np.minimum(dt[act] * np.where(good, grow, 0.1), dt_max[act])
        fnorm[act] = np.where(good, fn_new, fnorm[act])
        last[act] = size
        conv = good & (size < xtol) & (dt[act] > 1e4 * dt_max[act] * 1e-12)
        done[act[conv]] = True
    return NewtonResult(y, done, last)


def eigenvalues(jac: FloatArray) -> NDArray[np.complex128]:
    """Eigenvalues of each stacked Jacobian, sorted by decreasing real part: (m, n)."""
    ev = np.linalg.eigvals(jac)
    order = np.argsort(-ev.real, axis=1, kind="stable")
    return np.asarray(np.take_along_axis(ev, order, axis=1), dtype=np.complex128)


def classify(ev: NDArray[np.complex128], rtol: float = 1e-9) -> NDArray[np.str_]:
    """``"stable"``, ``"unstable"`` or ``"marginal"`` from the leading real part per row.

    A real part within ``rtol * max|lambda|`` of 0 is marginal (the finite-difference Jacobian
    cannot decide its sign).
    """
    lead = ev.real[:, 0]
    tol = rtol * np.max(np.abs(ev), axis=1) + 1e-14
    return np.where(lead < -tol, "stable", np.where(lead > tol, "unstable", "marginal")).astype(str)


def unique_roots(y: FloatArray, scale: FloatArray, rtol: float = 1e-6) -> NDArray[np.intp]:
    """Return indices of distinct columns of ``y`` (scaled distance above ``rtol``)."""
    if y.shape[1] == 0:
        return np.empty(0, dtype=np.intp)
    w = np.abs(y) + scale[:, None]
    keep: list[int] = []
    for j in range(y.shape[1]):  # a handful of converged roots, not subjects
        if not keep:
            keep.append(j)
            continue
        k = np.asarray(keep)
        d = np.max(np.abs(y[:, k] - y[:, [j]]) / np.maximum(w[:, k], w[:, [j]]), axis=0)
        if (d > rtol).all():
            keep.append(j)
    return np.asarray(keep, dtype=np.intp)


def order_roots(y: FloatArray, scale: FloatArray) -> NDArray[np.intp]:
    """Order roots along the state in which they differ most (relative to its scale)."""
    if y.shape[1] <= 1:
        return np.arange(y.shape[1])
    spread = (y.max(axis=1) - y.min(axis=1)) / (np.abs(y).max(axis=1) + scale)
    k = int(np.argmax(spread))
    return np.asarray(np.argsort(y[k], kind="stable"))


def as_param_columns(spec: ModelSpec, values: dict[str, Any], m: int) -> dict[str, FloatArray]:
    """Broadcast each ``{name: scalar or (m,)}`` value to shape (m,)."""
    return {
        k: np.broadcast_to(np.asarray(v, dtype=np.float64), (m,)).copy() for k, v in values.items()
    }
