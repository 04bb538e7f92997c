"""Optimisers that evaluate many points per call (multistart LM, polish, profiles).

Lockstep multistart Levenberg-Marquardt, SciPy trust-region polish, and batched profile
likelihoods.

Every routine takes ``fun(X) -> R``, mapping a batch of points ``X`` (m, k) in the optimiser's
space to residual vectors ``R`` (m, n); the objective is ``0.5 * ||r||^2``. Batching is what makes
fitting fast: the finite-difference Jacobians and trial points of all multistart runs (or all
profile walkers) of an iteration are one simulation call.

References
----------
.. [1] Marquardt DW. An algorithm for least-squares estimation of nonlinear parameters. J Soc Ind
   Appl Math. 1963;11(2):431-441. doi:10.1137/0111030
.. [2] Raue A et al. Structural and practical identifiability analysis of partially observed
   dynamical models by exploiting the profile likelihood. Bioinformatics. 2009;25(15):1923-1929.
   doi:10.1093/bioinformatics/btp358
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["LMResult", "batched_lm", "fd_jacobian", "polish", "profile_walk", "wald"]

Fun = Callable[[NDArray[np.float64]], NDArray[np.float64]]
_LAMBDAS = np.array([0.1, 1.0, 10.0])


def fd_jacobian(
    fun: Fun, X: NDArray[np.float64], lo: NDArray[np.float64], hi: NDArray[np.float64], h: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Forward-difference Jacobians at each row of ``X`` in one batched call.

    Returns ``R`` (m, n) at ``X`` and ``J`` (m, n, k). Steps point inward at an upper bound.
    """
    m, k = X.shape
    step = h * (1.0 + np.abs(X))
    step = np.where(X + step > hi, -step, step)
    pts = np.repeat(X[:, None, :], k + 1, axis=1)  # (m, k+1, k)
    idx = np.arange(k)
    pts[:, idx + 1, idx] += step
    R = fun(pts.reshape(m * (k + 1), k)).reshape(m, k + 1, -1)
    J = (R[:, 1:, :] - R[:, :1, :]) / step[:, :, None]  # (m, k, n)
    return R[:, 0, :], np.swapaxes(J, 1, 2)


@dataclass
class LMResult:
    """Outcome of :func:`batched_lm` for each start."""

    x: NDArray[np.float64]
    cost: NDArray[np.float64]
    converged: NDArray[np.bool_]
    n_iter: NDArray[np.int64]


def _lm_steps(
    r: NDArray[np.float64],
    J: NDArray[np.float64],
    x: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    lam: NDArray[np.float64],
    fixed: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Projected LM trial points for three damping factors per start: (m, 3, k), gradient."""
    g = np.einsum("mnk,mn->mk", J, r)
    H = np.einsum("mnk,mnj->mkj", J, J)
    at_lo = (x <= lo + 1e-12) & (g > 0)
    at_hi = (x >= hi - 1e-12) & (g < 0)
    frozen = fixed | at_lo | at_hi
    g_free = np.where(frozen, 0.0, g)
    d = np.einsum("mkk->mk", H).copy()
    d = np.maximum(d, 1e-12 * (1.0 + d.max(axis=1, keepdims=True)))
    k = x.shape[1]
    eye = np.eye(k)
    keep = ~frozen
    Hm = H * keep[:, :, None] * keep[:, None, :] + eye * frozen[:, :, None]
    trials = np.empty((x.shape[0], _LAMBDAS.size, k))
    for i, f in enumerate(_LAMBDAS):
        A = Hm + eye * ((lam * f)[:, None] * d * keep)[:, :, None]
        try:
            delta = np.linalg.solve(A, -g_free[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            delta = -g_free / (d * (1.0 + lam * f)[:, None])
        delta = np.where(frozen, 0.0, delta)
        trials[:, i] = np.clip(x + delta, lo, hi)
    return trials, g_free


def batched_lm(
    fun: Fun,
    X0: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    *,
    fixed: NDArray[np.bool_] | None = None,
    max_iter: int = 100,
    ftol: float = 1e-8,
    gtol: float = 1e-6,
    h: float = 1e-6,
) -> LMResult:
    """Run bound-constrained Levenberg-Marquardt from every row of ``X0`` in lockstep.

    Each iteration makes two batched calls: the Jacobians of all unfinished starts, then three
    damped trial steps per start (damping 0.1, 1 and 10 times the current one, the best kept).
    Coordinates at a bound whose gradient points outward, and those in ``fixed``, do not move.
    """
    X = np.clip(np.array(X0, dtype=np.float64), lo, hi)
    m, k = X.shape
    fixed = np.zeros((m, k), dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    cost = np.full(m, np.inf)
    lam = np.full(m, 1e-2)
    done = np.zeros(m, dtype=bool)
    conv = np.zeros(m, dtype=bool)
    n_iter = np.zeros(m, dtype=np.int64)
    for _ in range(max_iter):
        act = np.flatnonzero(~done)
        if act.size == 0:
            break
        r, J = fd_jacobian(fun, X[act], lo, hi, h)
        J[:, :, :] = np.where(fixed[act][:, None, :], 0.0, J)
        c0 = 0.5 * np.sum(r**2, axis=1)
        trials, g = _lm_steps(r, J, X[act], lo, hi, lam[act], fixed[act])
        small_g = np.max(np.abs(g), axis=1) <= gtol * (1.0 + c0)
        Rt = fun(trials.reshape(-1, k)).reshape(act.size, _LAMBDAS.size, -1)
        ct = 0.5 * np.sum(Rt**2, axis=2)
        best = np.argmin(ct, axis=1)
        cbest = ct[np.arange(act.size), best]
        improved = cbest < c0
        rel = (c0 - cbest) / (1.0 + np.abs(c0))
        for i, s in enumerate(act):  # bookkeeping over starts, not over data
            n_iter[s] += 1
            if improved[i]:
                X[s] = trials[i, best[i]]
                cost[s] = cbest[i]
                lam[s] = max(lam[s] * _LAMBDAS[best[i]] * 0.3, 1e-9)
                if rel[i] < ftol:
                    done[s] = conv[s] = True
            else:
                cost[s] = c0[i]
                lam[s] *= 100.0
                if small_g[i]:
                    done[s] = conv[s] = True
                elif lam[s] > 1e12:
                    done[s] = True
                    conv[s] = bool(rel[i] > -1e-9 and small_g[i])
    # starts that ran out of iterations keep their last cost
    return LMResult(X, cost, conv, n_iter)


def polish(
    fun: Fun,
    x0: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    *,
    h: float = 1e-6,
    max_nfev: int = 200,
) -> tuple[NDArray[np.float64], float, bool, str, int]:
    """Refine one point with SciPy's trust-region reflective least squares (batched Jacobian).

    Returns ``x``, cost, converged, message, number of iterations.
    """
    from scipy.optimize import least_squares

    def f(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(fun(x[None, :])[0], dtype=np.float64)

    def jac(x: NDArray[np.float64]) -> NDArray[np.float64]:
        _, J = fd_jacobian(fun, x[None, :], lo, hi, h)
        return np.asarray(J[0], dtype=np.float64)

    # keep strictly inside the bounds for trf
    span = hi - lo
    x_in = np.clip(x0, lo + 1e-10 * span, hi - 1e-10 * span)
    res = least_squares(
        f,
        x_in,
        jac=jac,
        bounds=(lo, hi),
        method="trf",
        x_scale="jac",
        ftol=1e-10,
        xtol=1e-10,
        gtol=1e-8,
        max_nfev=max_nfev,
    )
    ok = bool(res.status > 0)
    return np.asarray(res.x), float(res.cost), ok, str(res.message), int(res.nfev)


def wald(J: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Covariance (Gauss-Newton, pseudo-inverse) and eigenvalues of ``J^T J``."""
    H = J.T @ J
    cov = np.asarray(np.linalg.pinv(H, rcond=1e-12, hermitian=True), dtype=np.float64)
    eig = np.asarray(np.linalg.eigvalsh(H), dtype=np.float64)
    return cov, eig


@dataclass
class Walk:
    """One side of one parameter's profile."""

    index: int
    direction: int
    x: NDArray[np.float64]
    step: float
    values: list[float]
    costs: list[float]
    bound: float = np.nan  # CI end in optimiser space
    open: bool = False
    done: bool = False


def profile_walk(
    fun: Fun,
    x_opt: NDArray[np.float64],
    cost_opt: float,
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    indices: list[int],
    se: NDArray[np.float64],
    threshold: float,
    *,
    max_steps: int = 25,
    inner_iter: int = 40,
    h: float = 1e-6,
    modes: NDArray[np.float64] | None = None,
) -> list[Walk]:
    """Profile likelihood of each parameter in ``indices``: both directions, walkers in lockstep.

    Each walker moves its parameter away from the optimum, re-optimises the others (warm-started
    lockstep LM) and stops when the objective has risen by ``threshold`` (the crossing is
    interpolated linearly) or the bound is reached (an open interval: practical
    non-identifiability on that side). Other local optima found by the multistart (``modes``,
    shape (q, k)) are used as extra starting points of every re-optimisation, so that a profile
    can switch to another branch of a multimodal likelihood.
    """
    modes = np.empty((0, x_opt.size)) if modes is None else np.atleast_2d(modes)
    n_c = 1 + modes.shape[0]
    walks = []
    for i in indices:
        s0 = float(np.clip(0.5 * se[i], 1e-3 * (hi[i] - lo[i]), 0.1 * (hi[i] - lo[i])))
        if not np.isfinite(s0):
            s0 = 0.05 * (hi[i] - lo[i])
        for d in (-1, 1):
            walks.append(Walk(i, d, x_opt.copy(), s0, [float(x_opt[i])], [0.0]))
    for _ in range(max_steps):
        live = [w for w in walks if not w.done]
        if not live:
            break
        X = np.empty((len(live), n_c, x_opt.size))
        fixed = np.zeros_like(X, dtype=bool)
        for j, w in enumerate(live):
            xi = w.x[w.index] + w.direction * w.step
            xi = float(np.clip(xi, lo[w.index], hi[w.index]))
            X[j, 0] = w.x
            X[j, 1:] = modes
            X[j, :, w.index] = xi
            fixed[j, :, w.index] = True
        res = batched_lm(
            fun,
            X.reshape(-1, x_opt.size),
            lo,
            hi,
            fixed=fixed.reshape(-1, x_opt.size),
            max_iter=inner_iter,
            ftol=1e-7,
            h=h,
        )
        costs = res.cost.reshape(len(live), n_c)
        xs = res.x.reshape(len(live), n_c, x_opt.size)
        pick = np.argmin(costs, axis=1)
        for j, w in enumerate(live):
            xj = xs[j, pick[j]]
            xi = float(xj[w.index])
            delta = max(float(costs[j, pick[j]] - cost_opt), 0.0)
            prev_x, prev_d = w.values[-1], w.costs[-1]
            w.values.append(xi)
            w.costs.append(delta)
            w.x = xj.copy()
            if delta >= threshold:
                frac = (threshold - prev_d) / max(delta - prev_d, 1e-300)
                w.bound = prev_x + frac * (xi - prev_x)
                w.done = True
            elif xi <= lo[w.index] or xi >= hi[w.index]:
                w.bound = xi
                w.open = True
                w.done = True
            else:
                rise = delta - prev_d
                if rise < 0.1 * threshold:
                    w.step *= 2.0
                elif rise > 0.5 * threshold:
                    w.step *= 0.5
                w.step = min(w.step, 0.5 * (hi[w.index] - lo[w.index]))
    for w in walks:
        if not w.done:  # ran out of steps below the threshold: report an open interval
            w.bound = w.values[-1]
            w.open = True
            w.done = True
    return walks
