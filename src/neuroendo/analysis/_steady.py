r"""Steady states, their stability and one-parameter bifurcation scans.

A steady state :math:`y^*` solves :math:`f(y^*, p, u) = 0` with the inputs :math:`u` held
constant. All roots are searched at once: a batch of starting points (log-uniform around the
model's initial state) goes through one damped Newton iteration in which every start is a column
of the RHS batch axis, and the converged roots are merged. Stability comes from the eigenvalues
of the finite-difference Jacobian at each root (step :math:`\epsilon^{1/3}` relative, see
:mod:`neuroendo.analysis._numerics`).

References
----------
.. [1] Deuflhard P. Newton Methods for Nonlinear Problems: Affine Invariance and Adaptive
   Algorithms. Springer; 2004. doi:10.1007/978-3-642-23899-4
.. [2] Strogatz SH. Nonlinear Dynamics and Chaos. 2nd ed. Westview Press; 2015.
.. [3] Gupta S, Aslakson E, Gurbaxani BM, Vernon SD. Theor Biol Med Model. 2007;4:8.
   doi:10.1186/1742-4682-4-8
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError
from neuroendo._core.rng import as_generator
from neuroendo._core.spec import ModelSpec
from neuroendo._core.validation import check_range
from neuroendo.analysis import _numerics as N
from neuroendo.analysis._common import (
    check_args,
    check_input_value,
    check_param_value,
    check_states,
    resolve_model,
)

__all__ = [
    "BifurcationScan",
    "SteadyStates",
    "bifurcation_scan",
    "jacobian",
    "relaxed_steady_state",
    "stability",
    "steady_states",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SteadyStates:
    """All steady states found for one parameter set, with their stability.

    Parameters
    ----------
    model : str
        Model name.
    state_names : tuple of str
        Names of the columns of ``states``.
    states : ndarray, shape (n_found, n_states)
        Steady states, in the states' units, ordered along the state in which they differ most.
    eigenvalues : ndarray of complex, shape (n_found, n_states)
        Jacobian eigenvalues at each steady state (1/time unit), by decreasing real part.
    stability : ndarray of str, shape (n_found,)
        ``"stable"`` (all real parts < 0), ``"unstable"`` (one > 0) or ``"marginal"``.
    status : str
        ``"ok"``, or ``"none_found"`` when no start converged inside the search box (then the
        arrays have zero rows; nothing is NaN).
    message : str
        Why nothing was found, and what to try (empty when ``status == "ok"``).
    """

    model: str
    state_names: tuple[str, ...]
    states: FloatArray
    eigenvalues: NDArray[np.complex128]
    stability: NDArray[np.str_]
    status: str = "ok"
    message: str = ""

    @property
    def n_stable(self) -> int:
        """Number of stable steady states."""
        return int((self.stability == "stable").sum())

    def to_pandas(self) -> Any:
        """Return one row per steady state: states, ``stability``, ``max_real_eigenvalue``."""
        import pandas as pd

        df = pd.DataFrame(self.states, columns=list(self.state_names))
        df["stability"] = self.stability
        df["max_real_eigenvalue"] = self.eigenvalues.real[:, 0] if len(df) else []
        df.index.name = "steady_state"
        return df


def _spec_and_columns(
    model: ModelSpec | str,
    params: Mapping[str, ArrayLike] | None,
    inputs: Mapping[str, Any] | None,
    t: float,
    variant: str | None = None,
) -> tuple[ModelSpec, dict[str, FloatArray], dict[str, FloatArray]]:
    spec = resolve_model(model, variant)
    pv, uv, n = check_args(spec, params, inputs, t)
    if n is not None:
        raise DataValidationError(
            "Steady-state analysis takes one parameter set (scalars); got per-subject arrays. "
            "Scan one parameter with bifurcation_scan, or call once per parameter set."
        )
    return spec, pv, uv


def jacobian(
    model: ModelSpec | str,
    y: ArrayLike | Mapping[str, ArrayLike],
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    t: float = 0.0,
) -> FloatArray:
    r"""Finite-difference Jacobian :math:`\partial f_i / \partial y_k` of a model's RHS.

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name.
    y : array-like, shape (n_states,) or (n_states, n), or mapping
        State(s) at which to differentiate, in the states' units (a mapping fills the other
        states with their initial values).
    params : mapping, optional
        ``{name: value}``; scalars, or arrays of length ``n`` (one per column of ``y``).
    inputs : mapping, optional
        ``{name: value}`` held constant (a schedule is evaluated at ``t``).
    t : float, default 0.0
        Model time passed to the RHS, in the model's time unit.

    Returns
    -------
    ndarray, shape (n_states, n_states) or (n, n_states, n_states)
        ``J[i, k] = d f_i / d y_k`` in 1/time unit (times the ratio of the state units).

    Raises
    ------
    ModelDefinitionError
        Unknown names, or parameter values outside their bounds.
    DataValidationError
        ``y`` of the wrong shape or not finite.

    Notes
    -----
    Central differences, all :math:`2 n_{states}` perturbations evaluated in one batched RHS
    call:

    .. math:: J_{ik} \approx \frac{f_i(y + h_k e_k) - f_i(y - h_k e_k)}{2 h_k},\quad
              h_k = \epsilon^{1/3}\max(|y_k|, s_k)

    with :math:`s_k` the scale of the state's declared initial value; the lower point is
    clipped at 0, which makes the difference one-sided at the boundary.

    References
    ----------
    .. [1] Press WH et al. Numerical Recipes. 3rd ed. Cambridge University Press; 2007. §5.7.

    Examples
    --------
    >>> J = jacobian("vinther2011", [10.0, 10.0, 2.0])
    >>> round(float(J[2, 2]), 6)  # d(cortisol')/d(cortisol) = -w3
    -0.009073
    """
    spec = resolve_model(model)
    arr = check_states(spec, y)
    pv, uv, n = check_args(spec, params, inputs, t)
    m = arr.shape[1] if n is None else n
    if arr.shape[1] not in (1, m):
        raise DataValidationError(
            f"'y' has {arr.shape[1]} columns but the parameters/inputs have {m} values."
        )
    arr = np.broadcast_to(arr, (arr.shape[0], m)).copy()
    cols = N.make_columns(spec, pv, uv, m, t)
    jac = N.jacobian(cols, arr, N.state_scale(spec))
    single = np.ndim(y) == 1 if not isinstance(y, Mapping) else n is None
    return jac[0] if single and m == 1 else jac


def stability(
    model: ModelSpec | str,
    y: ArrayLike | Mapping[str, ArrayLike],
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> tuple[str, NDArray[np.complex128]]:
    r"""Linear stability of a steady state from the eigenvalues of its Jacobian.

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name.
    y : array-like, shape (n_states,), or mapping
        The steady state.
    params, inputs : mapping, optional
        As :func:`jacobian` (scalars).

    Returns
    -------
    label : str
        ``"stable"``, ``"unstable"`` or ``"marginal"``.
    eigenvalues : ndarray of complex, shape (n_states,)
        In 1/time unit, by decreasing real part.

    Raises
    ------
    DataValidationError
        ``y`` is not a steady state (its scaled Newton correction exceeds 1e-6): stability of
        a point that is not a fixed point has no meaning.

    Notes
    -----
    Stable iff :math:`\max_i \operatorname{Re}\lambda_i(J(y^*)) < 0`; a leading real part
    within :math:`10^{-9}\max|\lambda|` of zero is reported as marginal.

    References
    ----------
    .. [1] Strogatz SH. Nonlinear Dynamics and Chaos. 2nd ed. Westview Press; 2015. §6.3.

    Examples
    --------
    >>> ss = steady_states("gupta2007")
    >>> stability("gupta2007", ss.states[1])[0]
    'unstable'
    """
    spec, pv, uv = _spec_and_columns(model, params, inputs, 0.0)
    arr = check_states(spec, y)[:, :1]
    cols = N.make_columns(spec, pv, uv, 1)
    scale = N.state_scale(spec)
    jac = N.jacobian(cols, arr, scale)
    step = np.max(np.abs(N.solve(jac, N.rhs(cols, arr).T).T) / (np.abs(arr) + scale[:, None]))
    if not step < 1e-6:
        raise DataValidationError(
            f"'y' is not a steady state of {spec.name!r} (scaled Newton correction {step:.2g} "
            "> 1e-6); find steady states with steady_states() first."
        )
    ev = N.eigenvalues(jac)
    return str(N.classify(ev)[0]), ev[0]


def _search(
    spec: ModelSpec,
    cols: Any,
    n_starts: int,
    spread: float,
    rng: np.random.Generator,
    scale: FloatArray,
) -> N.NewtonResult:
    """Newton from ``n_starts`` starts per column of ``cols`` (start-major within column)."""
    n = len(spec.states)
    base = np.maximum(np.abs(spec.y0), scale)
    starts = base[:, None] * 10.0 ** rng.uniform(-spread, spread, (n, n_starts))
    starts[:, 0] = spec.y0  # the declared initial state is always one start
    m = cols.m
    big = cols.repeat(n_starts)
    return N.newton(big, np.tile(starts, (1, m)), scale)


def _collect(
    spec: ModelSpec,
    cols: Any,
    y: FloatArray,
    ok: NDArray[np.bool_],
    box: tuple[FloatArray, FloatArray] | None,
    scale: FloatArray,
) -> tuple[FloatArray, NDArray[np.complex128], NDArray[np.str_]]:
    """Merge the converged roots of one parameter set; return states, eigenvalues, labels."""
    if box is not None:
        ok = ok & ((y >= box[0][:, None]) & (y <= box[1][:, None])).all(axis=0)
    roots = y[:, ok]
    roots = roots[:, N.unique_roots(roots, scale)]
    roots = roots[:, N.order_roots(roots, scale)]
    k = roots.shape[1]
    n = len(spec.states)
    if k == 0:
        return np.empty((0, n)), np.empty((0, n), dtype=np.complex128), np.empty(0, dtype=str)
    jac = N.jacobian(cols.repeat(k), roots, scale)
    ev = N.eigenvalues(jac)
    return roots.T.copy(), ev, N.classify(ev)


def _box(spec: ModelSpec, box: Mapping[str, tuple[float, float]] | None) -> Any:
    if box is None:
        return None
    lo = np.full(len(spec.states), -np.inf)
    hi = np.full(len(spec.states), np.inf)
    for name, (a, b) in box.items():
        i = spec.state_names.index(spec.state(name).name)
        if not a <= b:
            raise DataValidationError(f"box[{name!r}] must be (low, high) with low <= high.")
        lo[i], hi[i] = a, b
    return lo, hi


def steady_states(
    model: ModelSpec | str,
    params: Mapping[str, float] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    n_starts: int = 64,
    spread: float = 1.0,
    box: Mapping[str, tuple[float, float]] | None = None,
    rng: np.random.Generator | int | None = 0,
) -> SteadyStates:
    r"""Find all steady states of a model (many Newton starts at once) and their stability.

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name.
    params : mapping, optional
        ``{name: value}`` (scalars; each must lie in the parameter's bounds).
    inputs : mapping, optional
        ``{name: value}`` held constant (default: each input's declared default).
    variant : str, optional
        Named parameter set of a registered model.
    n_starts : int, default 64
        Number of starting points (the model's initial state is always one of them).
    spread : float, default 1.0
        Starts are drawn log-uniformly in :math:`[s_k 10^{-\text{spread}}, s_k
        10^{\text{spread}}]` around each state's initial value :math:`s_k`.
    box : mapping, optional
        ``{state: (low, high)}``: keep only roots inside this region (states' units).
    rng : Generator, int or None, default 0
        Random source of the starts (reproducible by default).

    Returns
    -------
    SteadyStates
        States, eigenvalues and stability labels; ``status="none_found"`` with a message and
        empty arrays when no root lies in the search region.

    Raises
    ------
    ModelDefinitionError
        Unknown names, or parameter values outside their bounds.
    DataValidationError
        Per-subject arrays (use :func:`bifurcation_scan`), or a malformed ``box``.
    ValueError
        ``n_starts`` < 1 or ``spread`` <= 0.

    Notes
    -----
    Roots of :math:`f(y^*) = 0` by damped Newton with Deuflhard's natural monotonicity test,
    all starts in one batched iteration; a root is kept when its scaled Newton correction is
    below :math:`10^{-10}`, and two roots are merged when they agree to :math:`10^{-6}`
    (relative). A search from finitely many starts can miss a root; more starts or a larger
    ``spread`` make that less likely.

    References
    ----------
    .. [1] Deuflhard P. Newton Methods for Nonlinear Problems. Springer; 2004.
    .. [2] Gupta S et al. Theor Biol Med Model. 2007;4:8. doi:10.1186/1742-4682-4-8

    Examples
    --------
    >>> ss = steady_states("gupta2007")
    >>> ss.stability.tolist()
    ['stable', 'unstable', 'stable']
    >>> ss.states[:, 2].round(4).tolist()  # GR
    [0.0809, 0.3391, 0.5482]
    """
    spec, pv, uv = _spec_and_columns(model, params, inputs, 0.0, variant)
    n_starts = int(check_range("n_starts", n_starts, 1))
    spread = check_range("spread", spread, 0.0, inclusive=(False, True))
    gen = as_generator(rng)
    scale = N.state_scale(spec)
    cols = N.make_columns(spec, pv, uv, 1)
    res = _search(spec, cols, n_starts, spread, gen, scale)
    states, ev, lab = _collect(spec, cols, res.y, res.converged, _box(spec, box), scale)
    status, msg = "ok", ""
    if states.shape[0] == 0:
        status = "none_found"
        where = "inside the box " + repr(dict(box)) if box else "from any start"
        msg = (
            f"No steady state of {spec.name!r} was found {where} ({n_starts} Newton starts). "
            "The model may have none for these parameters/inputs (e.g. unbounded growth), or "
            "the roots lie outside the region searched: widen 'box', raise 'spread' or "
            "'n_starts'."
        )
    return SteadyStates(spec.name, spec.state_names, states, ev, lab, status, msg)


def relaxed_steady_state(
    model: ModelSpec | str,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, Any] | None = None,
    y0: ArrayLike | Mapping[str, ArrayLike] | None = None,
    *,
    variant: str | None = None,
) -> tuple[FloatArray, NDArray[np.str_]]:
    r"""Return the steady state reached from ``y0`` by following the flow (batched).

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name.
    params : mapping, optional
        ``{name: value}``; arrays of length ``n`` give ``n`` subjects.
    inputs : mapping, optional
        Constant inputs (scalars or per subject).
    y0 : array-like or mapping, optional
        Starting state (default: the model's initial state).
    variant : str, optional
        Named parameter set of a registered model.

    Returns
    -------
    y : ndarray, shape (n_states,) or (n_states, n)
        Steady state(s), in the states' units.
    stability : str or ndarray of str
        ``"stable"``, ``"unstable"``, ``"marginal"`` per subject; ``"not_converged"`` where no
        steady state was reached (then ``y`` holds the last iterate, not a steady state).

    Notes
    -----
    Pseudo-transient continuation, :math:`(I/\Delta t_k - J)\delta_k = f(y_k)` with
    :math:`\Delta t` growing as the residual falls, polished by Newton. For a model on a limit
    cycle it ends on the (unstable) fixed point inside the cycle, which is flagged.

    References
    ----------
    .. [1] Kelley CT, Keyes DE. Convergence analysis of pseudo-transient continuation. SIAM J
       Numer Anal. 1998;35(2):508-523. doi:10.1137/S0036142996304796

    Examples
    --------
    >>> y, lab = relaxed_steady_state("gupta2007")
    >>> round(float(y[2]), 4), str(lab)
    (0.0809, 'stable')
    """
    spec = resolve_model(model, variant)
    pv, uv, n = check_args(spec, params, inputs)
    m = n or 1
    start = spec.y0[:, None] if y0 is None else check_states(spec, y0)
    start = np.broadcast_to(start, (len(spec.states), m)).copy()
    cols = N.make_columns(spec, pv, uv, m)
    scale = N.state_scale(spec)
    rel = N.relax(cols, start, scale)
    pol = N.newton(cols, rel.y, scale)
    lab = N.classify(N.eigenvalues(N.jacobian(cols, pol.y, scale)))
    lab = np.where(pol.converged, lab, "not_converged").astype(str)
    if n is None:
        return pol.y[:, 0], lab[0]
    return pol.y, lab


@dataclass(frozen=True, eq=False)
class BifurcationScan:
    """Steady states along a scan of one parameter or constant input.

    Parameters
    ----------
    model : str
        Model name.
    name : str
        The scanned parameter or input.
    kind : str
        ``"param"`` or ``"input"``.
    values : ndarray, shape (n_values,)
        Scan values.
    state_names : tuple of str
        State names (columns of ``states``).
    value : ndarray, shape (n_rows,)
        Scan value of each steady state found (long format: one row per steady state).
    states : ndarray, shape (n_rows, n_states)
        The steady states.
    stability : ndarray of str, shape (n_rows,)
        Stability of each.
    max_real : ndarray, shape (n_rows,)
        Leading real part of the Jacobian eigenvalues (1/time unit).
    n_stable : ndarray of int, shape (n_values,)
        Number of stable steady states at each scan value.
    status : ndarray of str, shape (n_values,)
        ``"ok"`` or ``"none_found"`` per scan value.
    multistable_range : tuple of float or None
        ``(low, high)``: the smallest and largest scan values with >= 2 stable steady states,
        refined by bisection to ``rtol`` at each end that lies inside the scan; ``None`` when
        no value is multistable.
    """

    model: str
    name: str
    kind: str
    values: FloatArray
    state_names: tuple[str, ...]
    value: FloatArray
    states: FloatArray
    stability: NDArray[np.str_]
    max_real: FloatArray
    n_stable: NDArray[np.int64]
    status: NDArray[np.str_]
    multistable_range: tuple[float, float] | None

    def to_pandas(self) -> Any:
        """Return the long table: scan value, states, stability, leading eigenvalue."""
        import pandas as pd

        df = pd.DataFrame(self.states, columns=list(self.state_names))
        df.insert(0, self.name, self.value)
        df["stability"] = self.stability
        df["max_real_eigenvalue"] = self.max_real
        return df


def _scan_once(
    spec: ModelSpec,
    name: str,
    kind: str,
    values: FloatArray,
    pv: dict[str, FloatArray],
    uv: dict[str, FloatArray],
    n_starts: int,
    spread: float,
    seed: int,
    scale: FloatArray,
) -> list[tuple[FloatArray, NDArray[np.complex128], NDArray[np.str_]]]:
    m = values.size
    pcols = {k: np.full(m, float(v)) for k, v in pv.items()}
    ucols = {k: np.full(m, float(v)) for k, v in uv.items()}
    (pcols if kind == "param" else ucols)[name] = values
    cols = N.make_columns(spec, pcols, ucols, m)
    res = _search(spec, cols, n_starts, spread, as_generator(seed), scale)
    out = []
    for j in range(m):  # merge roots per scan value (a few roots each)
        sl = slice(j * n_starts, (j + 1) * n_starts)
        out.append(
            _collect(spec, cols.take(np.array([j])), res.y[:, sl], res.converged[sl], None, scale)
        )
    return out


def bifurcation_scan(
    model: ModelSpec | str,
    name: str,
    values: ArrayLike,
    params: Mapping[str, float] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    n_starts: int = 32,
    spread: float = 1.0,
    rtol: float = 1e-4,
    rng: int = 0,
) -> BifurcationScan:
    r"""Scan one parameter or constant input: all steady states and their stability per value.

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name.
    name : str
        A parameter name (values must lie in its bounds) or an input name (held constant at
        each value, e.g. the stress level ``F`` of ``gupta2007``).
    values : array-like, shape (n_values,)
        Scan values, increasing, in the parameter's or input's unit.
    params, inputs : mapping, optional
        Other fixed values (scalars).
    variant : str, optional
        Named parameter set of a registered model.
    n_starts : int, default 32
        Newton starts per scan value (all values and starts run as one batch).
    spread : float, default 1.0
        Decades around the initial state in which starts are drawn.
    rtol : float, default 1e-4
        Relative precision (of the scan width) to which the ends of the multistable range are
        refined by bisection; 0 disables refinement.
    rng : int, default 0
        Seed of the starting points.

    Returns
    -------
    BifurcationScan
        Long table of steady states with stability, stable counts per value and the
        multistable range.

    Raises
    ------
    ModelDefinitionError
        ``name`` is neither a parameter nor an input (with a suggestion), or a scan value lies
        outside the parameter's bounds.
    DataValidationError
        ``values`` empty, not finite or not increasing.

    Notes
    -----
    A fold (saddle-node) bifurcation is where a stable and an unstable branch meet and vanish;
    between two folds the model is bistable. The refinement bisects on the number of stable
    steady states, so the reported ends are the fold values to within ``rtol`` of the scan width.

    References
    ----------
    .. [1] Strogatz SH. Nonlinear Dynamics and Chaos. 2nd ed. Westview Press; 2015. §3.1, §3.7.
    .. [2] Gupta S et al. Theor Biol Med Model. 2007;4:8. doi:10.1186/1742-4682-4-8

    Examples
    --------
    >>> scan = bifurcation_scan("gupta2007", "stress", [0.0, 0.1, 0.5], rtol=0)
    >>> scan.n_stable.tolist()
    [2, 2, 1]
    """
    spec = resolve_model(model, variant)
    vals = np.asarray(values, dtype=np.float64).ravel()
    if vals.size == 0 or not np.isfinite(vals).all() or np.any(np.diff(vals) <= 0):
        raise DataValidationError(
            f"'values' must be a non-empty, finite, strictly increasing array; got {vals!r}."
        )
    if name in spec.param_names:
        kind = "param"
        check_param_value(spec, name, vals)
    elif name in spec.input_names:
        kind = "input"
        check_input_value(spec, name, vals, 0.0)
    else:
        from neuroendo._core.validation import did_you_mean

        names = (*spec.param_names, *spec.input_names)
        raise DataValidationError(
            f"'name' must be a parameter or an input of {spec.name!r}, got {name!r}; parameters: "
            f"{', '.join(spec.param_names)}; inputs: {', '.join(spec.input_names) or 'none'}."
            + did_you_mean(name, names)
        )
    _, pv, uv = _spec_and_columns(spec, params, inputs, 0.0)
    pv.pop(name, None)
    uv.pop(name, None)
    n_starts = int(check_range("n_starts", n_starts, 1))
    spread = check_range("spread", spread, 0.0, inclusive=(False, True))
    rtol = check_range("rtol", rtol, 0.0, 1.0)
    scale = N.state_scale(spec)
    found = _scan_once(spec, name, kind, vals, pv, uv, n_starts, spread, rng, scale)
    n_stable = np.array([int((lab == "stable").sum()) for _, _, lab in found], dtype=np.int64)
    multi = np.flatnonzero(n_stable >= 2)
    rng_out: tuple[float, float] | None = None
    if multi.size:
        lo_i, hi_i = int(multi[0]), int(multi[-1])
        lo, hi = float(vals[lo_i]), float(vals[hi_i])
        width = float(vals[-1] - vals[0]) or 1.0

        def count(v: float) -> int:
            res = _scan_once(spec, name, kind, np.array([v]), pv, uv, n_starts, spread, rng, scale)
            return int((res[0][2] == "stable").sum())

        if rtol > 0 and lo_i > 0:  # bisect between a monostable and a multistable value
            a, b = float(vals[lo_i - 1]), lo
            while b - a > rtol * width:
                mid = 0.5 * (a + b)
                a, b = (a, mid) if count(mid) >= 2 else (mid, b)
            lo = b
        if rtol > 0 and hi_i < vals.size - 1:
            a, b = hi, float(vals[hi_i + 1])
            while b - a > rtol * width:
                mid = 0.5 * (a + b)
                a, b = (mid, b) if count(mid) >= 2 else (a, mid)
            hi = a
        rng_out = (lo, hi)
    value = np.concatenate(
        [np.full(s.shape[0], v) for v, (s, _, _) in zip(vals, found, strict=True)]
    )
    states = np.concatenate([s for s, _, _ in found], axis=0)
    ev = np.concatenate([e.real[:, 0] for _, e, _ in found]) if states.size else np.empty(0)
    lab = np.concatenate([lab for _, _, lab in found]).astype(str)
    status = np.array(["ok" if s.shape[0] else "none_found" for s, _, _ in found])
    return BifurcationScan(
        spec.name,
        name,
        kind,
        vals,
        spec.state_names,
        value,
        states,
        lab,
        ev,
        n_stable,
        status,
        rng_out,
    )
