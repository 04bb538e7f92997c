r"""Feedback loops and their gains, local and global (variance-based) sensitivity.

* :func:`feedback_loops` finds every feedback loop (elementary circuit of the interaction graph
  of the Jacobian) at a steady state, with its sign and static loop gain.
* :func:`local_sensitivity` gives logarithmic sensitivities of the steady state and of every
  loop gain to every parameter.
* :func:`sobol_indices` gives first-order and total Sobol indices of a steady-state output over
  parameter ranges, with the Saltelli (2010) and Jansen (1999) estimators implemented in NumPy
  (:func:`sobol_estimates`); SALib gives the same numbers on the same samples (tested when SALib
  is installed) but is not needed.

References
----------
.. [1] Thomas R, D'Ari R. Biological Feedback. CRC Press; 1990.
.. [2] Savageau MA. Biochemical Systems Analysis. Addison-Wesley; 1976.
.. [3] Saltelli A et al. Variance based sensitivity analysis of model output. Design and
   estimator for the total sensitivity index. Comput Phys Commun. 2010;181(2):259-270.
   doi:10.1016/j.cpc.2009.09.018
.. [4] Jansen MJW. Analysis of variance designs for model output. Comput Phys Commun.
   1999;117(1-2):35-43. doi:10.1016/S0010-4655(98)00154-4
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError, SimulationError
from neuroendo._core.rng import as_generator
from neuroendo._core.spec import ModelSpec
from neuroendo._core.validation import as_float_array, check_range
from neuroendo.analysis import _numerics as N
from neuroendo.analysis._common import check_args, check_param_value, check_states, resolve_model

__all__ = [
    "FeedbackLoop",
    "LocalSensitivity",
    "SobolIndices",
    "feedback_loops",
    "local_sensitivity",
    "sobol_estimates",
    "sobol_indices",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class FeedbackLoop:
    """One feedback loop at a steady state.

    Parameters
    ----------
    states : tuple of str
        The loop, as the states visited (each acts on the next, the last on the first).
    sign : int
        +1 positive feedback, -1 negative feedback (sign of the product of the couplings).
    gain : float
        Static loop gain (dimensionless), see :func:`feedback_loops`; NaN only when ``note``
        says why (a state of the loop without self-decay).
    note : str
        Empty, or why ``gain`` is undefined.
    """

    states: tuple[str, ...]
    sign: int
    gain: float
    note: str = ""

    @property
    def name(self) -> str:
        """``"crh->acth->cortisol->crh"``."""
        return "->".join((*self.states, self.states[0]))


def _cycles(adj: NDArray[np.bool_], max_length: int, limit: int) -> list[tuple[int, ...]]:
    """Elementary circuits of a directed graph (``adj[i, k]``: edge k -> i), smallest first node.

    Depth-first search from each start node over nodes with a larger index (each circuit is
    found once, rooted at its smallest node).
    """
    n = adj.shape[0]
    out: list[tuple[int, ...]] = []
    succ = [np.flatnonzero(adj[:, k]) for k in range(n)]  # k acts on these
    for s in range(n):
        stack: list[tuple[int, list[int]]] = [(s, [s])]
        while stack:
            node, path = stack.pop()
            for nxt in succ[node]:
                if nxt == s and len(path) >= 2:
                    out.append(tuple(path))
                    if len(out) >= limit:
                        return out
                elif nxt > s and nxt not in path and len(path) < max_length:
                    stack.append((int(nxt), [*path, int(nxt)]))
    return sorted(out, key=lambda c: (len(c), c))


def _loop_gains(
    jac: FloatArray, loops: Sequence[tuple[int, ...]]
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Gains of ``loops`` for stacked Jacobians (m, n, n): (n_loops, m) and self-decay flags."""
    m = jac.shape[0]
    gains = np.empty((len(loops), m))
    defined = np.empty((len(loops), m), dtype=bool)
    diag = np.diagonal(jac, axis1=1, axis2=2)  # (m, n)
    for i, c in enumerate(loops):  # a handful of loops
        nxt = (*c[1:], c[0])
        prod = np.prod([jac[:, b, a] for a, b in zip(c, nxt, strict=True)], axis=0)
        decay = -diag[:, list(c)]
        defined[i] = (decay > 0).all(axis=1)
        with np.errstate(all="ignore"):
            gains[i] = np.where(defined[i], prod / np.prod(decay, axis=1), np.nan)
    return gains, defined


def feedback_loops(
    model: ModelSpec | str,
    y: ArrayLike | Mapping[str, ArrayLike] | None = None,
    params: Mapping[str, float] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    max_length: int = 8,
    max_loops: int = 200,
    rtol: float = 1e-9,
) -> tuple[FeedbackLoop, ...]:
    r"""Feedback loops of a model at a steady state, with sign and static loop gain.

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name.
    y : array-like or mapping, optional
        The steady state (default: the one reached from the model's initial state, see
        :func:`~neuroendo.analysis._steady.relaxed_steady_state`).
    params, inputs : mapping, optional
        Scalars (parameters within bounds; inputs held constant).
    variant : str, optional
        Named parameter set of a registered model.
    max_length : int, default 8
        Longest loop (number of states) searched.
    max_loops : int, default 200
        Stop after this many loops (large models have very many).
    rtol : float, default 1e-9
        A coupling :math:`J_{ik}` counts as an edge when :math:`|J_{ik}| > \text{rtol}
        \max|J|`.

    Returns
    -------
    tuple of FeedbackLoop
        Shortest loops first.

    Raises
    ------
    DataValidationError
        ``y`` is not a steady state.

    Notes
    -----
    An edge :math:`k \to i` exists where :math:`\partial f_i/\partial y_k \ne 0` (:math:`i \ne
    k`). Each loop :math:`x_1 \to x_2 \to \dots \to x_L \to x_1` is an elementary circuit; its
    static (zero-frequency) loop gain is the product of the steady-state gains of its stages,
    each stage being :math:`\dot x_{i+1} = J_{i+1,i} x_i + J_{i+1,i+1} x_{i+1}`:

    .. math:: G = \prod_{i=1}^{L} \frac{J_{x_{i+1} x_i}}{-J_{x_{i+1} x_{i+1}}}

    The sign of :math:`G` is the loop's sign (negative feedback: :math:`G < 0`); :math:`|G|`
    measures how strongly the loop opposes (or amplifies) a perturbation. It is undefined when
    a state of the loop has no self-decay (:math:`J_{ii} \ge 0`).

    References
    ----------
    .. [1] Thomas R, D'Ari R. Biological Feedback. CRC Press; 1990.
    .. [2] Alon U. An Introduction to Systems Biology. 2nd ed. CRC Press; 2019.

    Examples
    --------
    >>> loops = feedback_loops("vinther2011")
    >>> [(lp.name, lp.sign) for lp in loops]
    [('acth->cortisol->acth', -1), ('crh->acth->cortisol->crh', -1)]
    """
    from neuroendo.analysis._steady import relaxed_steady_state, stability

    spec = resolve_model(model, variant)
    max_length = int(check_range("max_length", max_length, 2))
    max_loops = int(check_range("max_loops", max_loops, 1))
    if y is None:
        ys, lab = relaxed_steady_state(spec, params, inputs)
        if str(lab) == "not_converged":
            raise SimulationError(
                f"No steady state of {spec.name!r} was reached from its initial state; pass "
                "y= (a steady state from steady_states())."
            )
    else:
        ys = check_states(spec, y)[:, 0]
        stability(spec, ys, params, inputs)  # raises if not a steady state
    pv, uv, _ = check_args(spec, params, inputs)
    cols = N.make_columns(spec, pv, uv, 1)
    jac = N.jacobian(cols, ys[:, None], N.state_scale(spec))
    adj = np.abs(jac[0]) > rtol * np.abs(jac[0]).max()
    np.fill_diagonal(adj, False)
    loops = _cycles(adj, max_length, max_loops)
    gains, defined = _loop_gains(jac, loops)
    names = spec.state_names
    out = []
    for i, c in enumerate(loops):
        nxt = (*c[1:], c[0])
        sign = int(np.sign(np.prod([jac[0, b, a] for a, b in zip(c, nxt, strict=True)])))
        note = ""
        if not defined[i, 0]:
            note = "a state of this loop has no self-decay (J_ii >= 0); static gain undefined"
        out.append(FeedbackLoop(tuple(names[k] for k in c), sign, float(gains[i, 0]), note))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class LocalSensitivity:
    r"""Logarithmic sensitivities at a steady state.

    Parameters
    ----------
    param_names : tuple of str
        Columns.
    state_names : tuple of str
        Rows of ``states``.
    states : ndarray, shape (n_states, n_params)
        :math:`\\partial \\ln y_i^* / \\partial \\ln p_j` (dimensionless); NaN where
        :math:`y_i^* = 0` (a log sensitivity of zero is undefined), listed in ``note``.
    loops : tuple of FeedbackLoop
        The loops (rows of ``loop_gains``).
    loop_gains : ndarray, shape (n_loops, n_params)
        :math:`\\partial \\ln |G| / \\partial \\ln p_j` for each loop gain.
    steady_state : ndarray, shape (n_states,)
        The steady state differentiated.
    note : str
        What, if anything, is undefined.
    """

    param_names: tuple[str, ...]
    state_names: tuple[str, ...]
    states: FloatArray
    loops: tuple[FeedbackLoop, ...]
    loop_gains: FloatArray
    steady_state: FloatArray
    note: str = ""

    def to_pandas(self) -> Any:
        """Return one table: rows ``state:<name>`` and ``loop:<a->b->a>``, columns parameters."""
        import pandas as pd

        rows = [f"state:{s}" for s in self.state_names] + [f"loop:{lp.name}" for lp in self.loops]
        data = np.vstack([self.states, self.loop_gains])
        return pd.DataFrame(data, index=pd.Index(rows, name="quantity"), columns=self.param_names)


def local_sensitivity(
    model: ModelSpec | str,
    params: Mapping[str, float] | None = None,
    inputs: Mapping[str, Any] | None = None,
    *,
    y: ArrayLike | Mapping[str, ArrayLike] | None = None,
    variant: str | None = None,
    which: Sequence[str] | None = None,
    rel_step: float = 1e-4,
) -> LocalSensitivity:
    r"""Local logarithmic sensitivities of the steady state and of each loop gain.

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name.
    params, inputs : mapping, optional
        Scalars; the nominal point.
    y : array-like or mapping, optional
        The steady state (default: the one reached from the initial state).
    variant : str, optional
        Named parameter set of a registered model.
    which : sequence of str, optional
        Parameters to differentiate against (default: all).
    rel_step : float, default 1e-4
        Relative parameter step of the central differences.

    Returns
    -------
    LocalSensitivity
        State and loop-gain sensitivities (dimensionless).

    Raises
    ------
    ModelDefinitionError
        Unknown parameter names, or a perturbed value outside the bounds (a nominal value on
        its bound: pick an interior point).

    Notes
    -----
    States by the implicit function theorem (no re-solving):

    .. math:: \frac{\partial y^*}{\partial p_j} = -J^{-1}\frac{\partial f}{\partial p_j},
              \qquad S_{ij} = \frac{p_j}{y_i^*}\frac{\partial y_i^*}{\partial p_j}

    with :math:`\partial f/\partial p_j` by central differences (all parameters in one batched
    RHS call). Loop gains: the steady state is re-solved by Newton at
    :math:`p_j(1 \pm h)` (all :math:`2 n_p` points as one batch), and
    :math:`\partial\ln|G|/\partial\ln p_j \approx [\ln|G^+| - \ln|G^-|]/[\ln(1+h) - \ln(1-h)]`.

    References
    ----------
    .. [1] Savageau MA. Biochemical Systems Analysis. Addison-Wesley; 1976.
    .. [2] Varma A, Morbidelli M, Wu H. Parametric Sensitivity in Chemical Systems. Cambridge
       University Press; 1999.

    Examples
    --------
    >>> s = local_sensitivity("vinther2011", which=["k0", "w3"])
    >>> s.to_pandas().loc["state:cortisol"].round(3).tolist()
    [0.5, -0.5]
    """
    from neuroendo.analysis._steady import relaxed_steady_state, stability

    spec = resolve_model(model, variant)
    pv, uv, n = check_args(spec, params, inputs)
    if n is not None:
        raise DataValidationError("local_sensitivity takes scalar parameters (one point).")
    names = tuple(spec.param_names if which is None else which)
    for pname in names:
        spec.param(pname)
    h = check_range("rel_step", rel_step, 0.0, 0.1, inclusive=(False, True))
    if y is None:
        ys, lab = relaxed_steady_state(spec, params, inputs)
        if str(lab) == "not_converged":
            raise SimulationError(
                f"No steady state of {spec.name!r} was reached from its initial state; pass y=."
            )
    else:
        ys = check_states(spec, y)[:, 0]
        stability(spec, ys, params, inputs)
    loops = feedback_loops(spec, ys, params, inputs)
    scale = N.state_scale(spec)
    nominal = np.array([float(pv.get(k, spec.param(k).value)) for k in names])
    k = len(names)
    pert = np.concatenate([nominal * (1 + h), nominal * (1 - h)])  # (2k,)
    pcols = {p: np.full(2 * k, float(pv.get(p, spec.param(p).value))) for p in spec.param_names}
    for j, name in enumerate(names):
        pcols[name][j] = pert[j]
        pcols[name][k + j] = pert[k + j]
    for name in names:
        check_param_value(spec, name, pcols[name])
    ucols = {u: np.full(2 * k, float(v)) for u, v in uv.items()}
    cols = N.make_columns(spec, pcols, ucols, 2 * k)
    base = N.make_columns(spec, pv, uv, 1)
    ycol = np.repeat(ys[:, None], 2 * k, axis=1)
    df = (N.rhs(cols, ycol)[:, :k] - N.rhs(cols, ycol)[:, k:]) / (2 * h * nominal)  # (n, k)
    jac = N.jacobian(base, ys[:, None], scale)[0]
    dy = -np.linalg.solve(jac, df)  # (n_states, k)
    with np.errstate(all="ignore"):
        s_states = np.where(ys[:, None] != 0, dy * nominal[None, :] / ys[:, None], np.nan)
    note = ""
    if (ys == 0).any():
        zero = [spec.state_names[i] for i in np.flatnonzero(ys == 0)]
        note = f"states at 0 have no log sensitivity (NaN rows): {', '.join(zero)}"
    gains = np.empty((len(loops), k))
    if loops:
        roots = N.newton(cols, ycol, scale)
        jacs = N.jacobian(cols, roots.y, scale)
        idx = [tuple(spec.state_names.index(s) for s in lp.states) for lp in loops]
        g, _ = _loop_gains(jacs, idx)
        with np.errstate(all="ignore"):
            gains = (np.log(np.abs(g[:, :k])) - np.log(np.abs(g[:, k:]))) / (
                np.log1p(h) - np.log1p(-h)
            )
        if not roots.converged.all():
            bad = sorted({names[j % k] for j in np.flatnonzero(~roots.converged)})
            gains[:, [names.index(b) for b in bad]] = np.nan
            note += ("; " if note else "") + (
                f"steady state not re-solved when perturbing {', '.join(bad)} (NaN columns)"
            )
    return LocalSensitivity(names, spec.state_names, s_states, loops, gains, ys, note)


def sobol_estimates(
    f_a: ArrayLike, f_b: ArrayLike, f_ab: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    r"""First-order and total Sobol indices from the A, B and A_B^(i) model evaluations.

    Parameters
    ----------
    f_a, f_b : array-like, shape (n,)
        Model outputs on the base sample matrices A and B.
    f_ab : array-like, shape (k, n)
        Outputs on :math:`A_B^{(i)}`: A with column i taken from B, for each of k inputs.

    Returns
    -------
    s1 : ndarray, shape (k,)
        First-order indices (Saltelli 2010).
    st : ndarray, shape (k,)
        Total indices (Jansen 1999).

    Raises
    ------
    DataValidationError
        Shapes disagree, values not finite, or the output has zero variance (indices are then
        undefined).

    Notes
    -----
    With :math:`V = \operatorname{Var}[f_A \cup f_B]` (outputs centred on their mean first, which
    leaves the expectations unchanged and lowers the estimator variance, as SALib does):

    .. math::
        S_i = \frac{\tfrac1n\sum_j f_B^{(j)}\,(f_{A_B^{(i)}}^{(j)} - f_A^{(j)})}{V},\qquad
        S_{T_i} = \frac{\tfrac1{2n}\sum_j (f_A^{(j)} - f_{A_B^{(i)}}^{(j)})^2}{V}

    References
    ----------
    .. [1] Saltelli A et al. Comput Phys Commun. 2010;181(2):259-270. Table 2 (b), (f).
    .. [2] Jansen MJW. Comput Phys Commun. 1999;117(1-2):35-43.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.uniform(size=(2, 4096, 2))
    >>> f = lambda x: x[:, 0] + 0.0 * x[:, 1]
    >>> ab = np.stack([np.column_stack([b[:, 0], a[:, 1]]), np.column_stack([a[:, 0], b[:, 1]])])
    >>> s1, st = sobol_estimates(f(a), f(b), [f(x) for x in ab])
    >>> st.round(2).tolist()
    [1.0, 0.0]
    """
    fa = as_float_array("f_a", f_a, ndim=1)
    fb = as_float_array("f_b", f_b, ndim=1)
    fab = as_float_array("f_ab", f_ab, ndim=2)
    if fb.shape != fa.shape or fab.shape[1] != fa.shape[0]:
        raise DataValidationError(
            f"'f_a' and 'f_b' must have shape (n,) and 'f_ab' (k, n); got {fa.shape}, "
            f"{fb.shape}, {fab.shape}."
        )
    if not (np.isfinite(fa).all() and np.isfinite(fb).all() and np.isfinite(fab).all()):
        raise DataValidationError("Model outputs must be finite to estimate Sobol indices.")
    # centring does not change the estimators' expectations but cuts their variance
    centre = float(np.mean(np.concatenate([fa, fb])))
    fa, fb, fab = fa - centre, fb - centre, fab - centre
    var = float(np.var(np.concatenate([fa, fb])))
    if not var > 0:
        raise DataValidationError(
            "The output has zero variance over the sample; Sobol indices are undefined (does the "
            "output depend on the parameters varied?)."
        )
    s1 = np.mean(fb[None, :] * (fab - fa[None, :]), axis=1) / var
    st = 0.5 * np.mean((fa[None, :] - fab) ** 2, axis=1) / var
    return s1, st


@dataclass(frozen=True, eq=False)
class SobolIndices:
    """Variance-based sensitivity of one steady-state output.

    Parameters
    ----------
    output : str
        The state analysed.
    param_names : tuple of str
        Parameters varied.
    ranges : ndarray, shape (k, 2)
        Lower and upper ends of each parameter's uniform range.
    s1, st : ndarray, shape (k,)
        First-order and total indices.
    s1_conf, st_conf : ndarray, shape (k,)
        Half-widths of 95 % bootstrap intervals.
    n : int
        Base sample size (model evaluated ``n * (k + 2)`` times).
    """

    output: str
    param_names: tuple[str, ...]
    ranges: FloatArray
    s1: FloatArray
    st: FloatArray
    s1_conf: FloatArray
    st_conf: FloatArray
    n: int

    def to_pandas(self) -> Any:
        """One row per parameter: ``low``, ``high``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``."""
        import pandas as pd

        return pd.DataFrame(
            {
                "low": self.ranges[:, 0],
                "high": self.ranges[:, 1],
                "S1": self.s1,
                "S1_conf": self.s1_conf,
                "ST": self.st,
                "ST_conf": self.st_conf,
            },
            index=pd.Index(self.param_names, name="parameter"),
        )


def sobol_indices(
    model: ModelSpec | str,
    output: str,
    params: Sequence[str] | Mapping[str, tuple[float, float]],
    inputs: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    spread: float = 0.2,
    n: int = 512,
    n_boot: int = 200,
    rng: np.random.Generator | int | None = 0,
) -> SobolIndices:
    r"""Sobol indices of a steady-state output over uniform parameter ranges.

    Parameters
    ----------
    model : ModelSpec or str
        A model spec or a registered name.
    output : str
        State whose steady-state value is analysed.
    params : sequence of str or mapping
        Parameters to vary: names (range nominal :math:`\times (1 \pm \text{spread})`) or
        ``{name: (low, high)}``; every range must lie within the parameter's bounds.
    inputs : mapping, optional
        Constant inputs.
    variant : str, optional
        Named parameter set of a registered model.
    spread : float, default 0.2
        Relative half-width of the default ranges.
    n : int, default 512
        Base sample size (a power of 2 keeps the scrambled Sobol' sequence balanced).
    n_boot : int, default 200
        Bootstrap resamples for the confidence half-widths.
    rng : Generator, int or None, default 0
        Seed of the scrambled Sobol' sequence and of the bootstrap.

    Returns
    -------
    SobolIndices

    Raises
    ------
    ModelDefinitionError
        A range outside the parameter's bounds.
    SimulationError
        No steady state reached for some samples (the message gives how many).

    Notes
    -----
    Samples A, B from a scrambled Sobol' sequence in :math:`2k` dimensions; each of the
    :math:`n(k+2)` parameter sets is relaxed to the steady state reached from the model's
    initial state (pseudo-transient continuation, one batch); estimators as
    :func:`sobol_estimates`.

    References
    ----------
    .. [1] Saltelli A et al. Comput Phys Commun. 2010;181(2):259-270.
    .. [2] Jansen MJW. Comput Phys Commun. 1999;117(1-2):35-43.
    .. [3] Sobol' IM. Global sensitivity indices for nonlinear mathematical models and their
       Monte Carlo estimates. Math Comput Simul. 2001;55:271-280.

    Examples
    --------
    >>> si = sobol_indices("vinther2011", "cortisol", ["k2", "w3", "alpha"], n=256)
    >>> bool(si.st[2] < 0.05 < si.st[0])
    True
    """
    from scipy.stats import qmc

    spec = resolve_model(model, variant)
    if output not in spec.state_names:
        spec.state(output)
    _, uv, nb = check_args(spec, None, inputs)
    if nb is not None:
        raise DataValidationError("sobol_indices takes scalar (shared) inputs.")
    spread = check_range("spread", spread, 0.0, 1.0, inclusive=(False, False))
    n = int(check_range("n", n, 8))
    if isinstance(params, Mapping):
        ranges = {q: (float(a), float(b)) for q, (a, b) in params.items()}
    else:
        ranges = {
            q: (spec.param(q).value * (1 - spread), spec.param(q).value * (1 + spread))
            for q in params
        }
    if not ranges:
        raise DataValidationError("'params' must name at least one parameter to vary.")
    for pname, (a, b) in ranges.items():
        check_param_value(spec, pname, [a, b])
        if not a < b:
            raise DataValidationError(
                f"Range of {pname!r} must have low < high, got ({a:g}, {b:g})."
            )
    names = tuple(ranges)
    k = len(names)
    lo = np.array([ranges[p][0] for p in names])
    hi = np.array([ranges[p][1] for p in names])
    gen = as_generator(rng)
    seed = int(gen.integers(2**31))
    u = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random(n)
    a = lo + (hi - lo) * u[:, :k]
    b = lo + (hi - lo) * u[:, k:]
    ab = np.repeat(a[None], k, axis=0)
    for i in range(k):
        ab[i, :, i] = b[:, i]
    design = np.concatenate([a, b, ab.reshape(k * n, k)], axis=0)  # (n(k+2), k)
    m = design.shape[0]
    pcols = {p: design[:, j] for j, p in enumerate(names)}
    ucols = {name: np.full(m, float(v)) for name, v in uv.items()}
    cols = N.make_columns(spec, pcols, ucols, m)
    scale = N.state_scale(spec)
    start = np.repeat(spec.y0[:, None], m, axis=1)
    rel = N.relax(cols, start, scale)
    pol = N.newton(cols, rel.y, scale)
    if not pol.converged.all():
        raise SimulationError(
            f"No steady state reached for {int((~pol.converged).sum())} of {m} parameter sets of "
            f"{spec.name!r}; narrow the ranges."
        )
    f = pol.y[spec.state_names.index(output)]
    fa, fb, fab = f[:n], f[n : 2 * n], f[2 * n :].reshape(k, n)
    s1, st = sobol_estimates(fa, fb, fab)
    idx = gen.integers(0, n, size=(int(n_boot), n))
    b1 = np.empty((int(n_boot), k))
    bt = np.empty((int(n_boot), k))
    for r in range(int(n_boot)):  # bootstrap replicates, not subjects
        b1[r], bt[r] = sobol_estimates(fa[idx[r]], fb[idx[r]], fab[:, idx[r]])
    z = 1.959963984540054
    return SobolIndices(
        output,
        names,
        np.column_stack([lo, hi]),
        s1,
        st,
        z * b1.std(axis=0, ddof=1),
        z * bt.std(axis=0, ddof=1),
        n,
    )
