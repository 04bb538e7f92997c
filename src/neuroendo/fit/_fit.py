"""``fit_subject``: estimate one person's model parameters from their measurements."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.columns import ANALYTE, SUBJECT, TIME, UNIT, VALUE
from neuroendo._core.errors import (
    ConvergenceWarning,
    DataQualityWarning,
    DataValidationError,
    FitError,
    UnitError,
    warn,
)
from neuroendo._core.rng import as_generator
from neuroendo._core.spec import ModelSpec
from neuroendo._core.units import conversion_factor, dimension, normalize_unit
from neuroendo._core.validation import check_option, check_range, did_you_mean
from neuroendo.fit._optimize import batched_lm, fd_jacobian, polish, profile_walk, wald
from neuroendo.fit._problem import (
    DEFAULT_AMPLITUDE_BOUNDS,
    DEFAULT_LOG_SIGMA_BOUNDS,
    DEFAULT_SCALE_BOUNDS,
    FAILED_RESIDUAL,
    Observation,
    Problem,
    ScaledInput,
    check_noise,
    equilibrate,
    prepare_data,
    resolve_inputs,
)
from neuroendo.fit._result import FitResult, FitStatus, Profile
from neuroendo.fit._simulator import BatchSimulator
from neuroendo.models.inputs import tsst

__all__ = ["build_problem", "fit_subject", "tsst_input"]

FreeSpec = Sequence[str] | Mapping[str, Any]


def tsst_input(
    data: Any,
    amplitude: str = "A",
    *,
    shape: str = "square",
    onset: float | None = None,
    duration: float | None = None,
    time_unit: str | None = None,
) -> ScaledInput:
    r"""Build the TSST stress input of a fit from the protocol recorded with the data.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy table whose ``attrs["protocol"]`` holds ``tsst_onset``, ``tsst_duration`` and
        ``time_unit`` (set by :func:`neuroendo.io.hpa_data.read_nelson_tsst`).
    amplitude : str, default "A"
        Name of the amplitude parameter (estimate it with ``free=`` or fix it).
    shape : {"square", "bump", "sine2"}, default "square"
        Time course within the stress window.
    onset, duration : float, optional
        Override the recorded onset/duration (in ``time_unit``).
    time_unit : str, optional
        Unit of ``onset``/``duration`` (default: the protocol's).

    Returns
    -------
    ScaledInput
        ``amplitude * s(t)`` with :math:`s(t) = 1` for onset :math:`\le t <` onset + duration
        (square shape).

    Raises
    ------
    DataValidationError
        If the data carry no TSST protocol and none is given.

    Notes
    -----
    .. math:: u(t) = A\,s(t), \quad s(t) = \mathbf{1}[t_0 \le t < t_0 + D]

    References
    ----------
    .. [1] Kirschbaum C, Pirke KM, Hellhammer DH. Neuropsychobiology. 1993;28(1-2):76-81.
       doi:10.1159/000119004

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame()
    >>> df.attrs["protocol"] = {"tsst_onset": 30.0, "tsst_duration": 15.0, "time_unit": "min"}
    >>> u = tsst_input(df)
    >>> u.schedule([29.0, 30.0, 44.0, 45.0])
    array([0., 1., 1., 0.])
    """
    proto = dict(getattr(data, "attrs", {}).get("protocol", {}))
    on = onset if onset is not None else proto.get("tsst_onset")
    du = duration if duration is not None else proto.get("tsst_duration")
    tu = time_unit or proto.get("time_unit")
    if on is None or du is None or tu is None:
        raise DataValidationError(
            "The data carry no TSST protocol (data.attrs['protocol'] with tsst_onset, "
            "tsst_duration, time_unit); pass onset=, duration= and time_unit=."
        )
    sched = tsst(float(on), duration=float(du), level=1.0, shape=shape, time_unit=str(tu))
    return ScaledInput(sched, amplitude)


def resolve_backend(backend: str) -> str:
    """Return the simulation engine for ``backend`` (``"auto"``: numba if installed)."""
    import importlib.util

    check_option("backend", backend, ("auto", "stacked", "scipy", "numba"))
    if backend == "auto":
        return "numba" if importlib.util.find_spec("numba") is not None else "stacked"
    return backend


def _default_observations(spec: ModelSpec, data: Any) -> dict[str, Observation]:
    acol = ANALYTE if ANALYTE in data.columns else "observable"
    if acol not in data.columns:
        return {}
    out: dict[str, Observation] = {}
    declared = {o.name: o for o in spec.observables}
    for a in dict.fromkeys(map(str, data[acol].unique())):
        if a in declared:
            o = declared[a]
            out[a] = Observation(o.state, o.scale, None, o.unit)
        elif a in spec.state_names:
            st = spec.state(a)
            units = data.loc[data[acol] == a, UNIT] if UNIT in data.columns else []
            u = str(next(iter(units), ""))
            try:
                compatible = bool(u) and dimension(st.unit) == dimension(normalize_unit(u))
            except Exception:  # unknown unit: reported later by prepare_data
                compatible = False
            if not compatible:
                raise DataValidationError(
                    f"Analyte {a!r} is in {u or 'an unknown unit'!r} but state {a!r} of model "
                    f"{spec.name!r} is in {st.unit!r}; give a measurement model, e.g. "
                    f"observables={{{a!r}: Observation({a!r}, scale='scale_{a}')}}."
                )
            out[a] = Observation(a, 1.0, None, st.unit)
    if not out:
        raise DataValidationError(
            f"No analyte of 'data' matches a state or observable of model {spec.name!r} "
            f"(states: {', '.join(spec.state_names)}); pass observables={{...}}."
        )
    return out


def _parse_free(free: FreeSpec) -> dict[str, tuple[float, float, str] | None]:
    if isinstance(free, str):
        free = [free]
    out: dict[str, tuple[float, float, str] | None] = {}
    if isinstance(free, Mapping):
        for name, v in free.items():
            if v is None:
                out[name] = None
                continue
            v = tuple(v)
            if len(v) not in (2, 3):
                raise ValueError(
                    f"free[{name!r}] must be None, (lower, upper) or (lower, upper, scale); "
                    f"got {v!r}."
                )
            scale = str(v[2]) if len(v) == 3 else ""
            out[name] = (float(v[0]), float(v[1]), scale)
    else:
        out = dict.fromkeys(map(str, free))
    if not out:
        raise ValueError("'free' must name at least one parameter to estimate.")
    return out


def build_problem(
    model: ModelSpec | str,
    data: Any,
    *,
    free: FreeSpec,
    fixed: Mapping[str, float] | None = None,
    priors: Mapping[str, tuple[str, float, float]] | None = None,
    noise: str = "lognormal",
    observables: Mapping[str, Observation] | None = None,
    inputs: Mapping[str, Any] | None = None,
    y0: Mapping[str, float] | None = None,
    pre_equilibration: float | None = None,
    pre_equilibration_params: str = "nominal",
    subject: str | None = None,
    time_unit: str | None = None,
    backend: str = "auto",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    method: str = "LSODA",
) -> Problem:
    """Validate the arguments of :func:`fit_subject` and compile the estimation problem.

    Parameters are those of :func:`fit_subject`.

    Returns
    -------
    Problem
        Internal problem object (residuals, bounds, transforms).

    Raises
    ------
    DataValidationError, UnitError, ValueError, ModelDefinitionError
        See :func:`fit_subject`.
    """
    from neuroendo.models import resolve

    spec = resolve(model)
    noise = check_noise(noise)
    if hasattr(data, "columns") and UNIT not in data.columns:
        raise UnitError(
            "'data' has no 'unit' column: every value needs its unit (e.g. 'pg/mL', 'ug/dL'); "
            "add a unit column."
        )
    check_option("pre_equilibration_params", pre_equilibration_params, ("nominal", "current"))
    obs = dict(observables) if observables is not None else _default_observations(spec, data)
    for a, o in obs.items():
        if not isinstance(o, Observation):
            raise TypeError(f"observables[{a!r}] must be an Observation, got {o!r}.")
        spec.state(o.state)  # raises with a suggestion
        if o.sigma is None:
            obs[a] = Observation(o.state, o.scale, f"sigma_{a}", o.unit)
    fixed_d = {str(k): float(v) for k, v in (fixed or {}).items()}
    free_d = _parse_free(free)
    fixed_inputs, scaled = resolve_inputs(spec, inputs)

    # roles of names that are not model parameters
    roles: dict[str, tuple[str, tuple[float, float] | None, str]] = {}
    for name, s in scaled.items():
        unit = next(i.unit for i in spec.inputs if i.name == name)
        roles[s.amplitude] = ("amplitude", DEFAULT_AMPLITUDE_BOUNDS, unit)
    subject_data = prepare_data(data, spec, obs, subject=subject, time_unit=time_unit, noise=noise)
    used: set[str] = {s.amplitude for s in scaled.values()}
    for a, o in obs.items():
        st_unit = spec.state(o.state).unit
        d_unit = subject_data.units.get(a, o.unit or "1")
        present = a in subject_data.analytes
        if isinstance(o.scale, str):
            su = d_unit if st_unit == "1" else f"({d_unit})/({st_unit})"
            roles[o.scale] = ("scale", DEFAULT_SCALE_BOUNDS, su)
            if present:
                used.add(o.scale)
        if isinstance(o.sigma, str):
            if noise == "lognormal":
                roles[o.sigma] = ("sigma", DEFAULT_LOG_SIGMA_BOUNDS, "1")
            else:
                roles[o.sigma] = ("sigma", None, d_unit)
            if present:
                used.add(o.sigma)
                if o.sigma not in free_d and o.sigma not in fixed_d:
                    free_d[o.sigma] = None  # estimated by default (PEtab-style noise parameter)
    known = list(spec.param_names) + list(roles)
    for n in list(free_d) + list(fixed_d):
        if n not in known:
            raise ValueError(
                f"Unknown parameter {n!r}: model {spec.name!r} parameters, observation scales, "
                f"noise sigmas and input amplitudes are {', '.join(known)}."
                + did_you_mean(n, known)
            )
    both = sorted(set(free_d) & set(fixed_d))
    if both:
        raise ValueError(f"Parameter(s) {both} are both free and fixed; list each in one place.")
    for n in sorted(used):
        if n not in free_d and n not in fixed_d:
            raise ValueError(
                f"Parameter {n!r} ({roles[n][0]}) has no value: estimate it with free=[..., "
                f"{n!r}] or give it in fixed={{{n!r}: ...}}."
            )

    names = tuple(free_d)
    lower, upper, logs, units = [], [], [], []
    for n in names:
        given = free_d[n]
        if n in spec.param_names:
            p = spec.param(n)
            default: tuple[float, float] | None = p.bounds
            unit = p.unit
        else:
            _, default, unit = roles[n]
        if given is None:
            if default is None:
                raise ValueError(
                    f"Give bounds for {n!r}: free={{{n!r}: (lower, upper)}} (in {unit}); "
                    "a normal-noise sigma has no default range."
                )
            lo, hi, scale = float(default[0]), float(default[1]), ""
        else:
            lo, hi, scale = given
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"Bounds of {n!r} must be finite with lower < upper; got {lo}, {hi}.")
        scale = scale or ("log10" if lo > 0 else "lin")
        check_option(f"scale of {n!r}", scale, ("log10", "lin"))
        if scale == "log10" and lo <= 0:
            raise ValueError(
                f"{n!r} is on log10 scale, so its lower bound must be > 0; got {lo:g}."
            )
        lower.append(lo)
        upper.append(hi)
        logs.append(scale == "log10")
        units.append(unit)
    for n, v in fixed_d.items():
        if not math.isfinite(v):
            raise ValueError(f"fixed[{n!r}] must be finite, got {v!r}.")
    for a in subject_data.analytes:
        sg = obs[a].sigma
        if isinstance(sg, str) and sg in fixed_d and fixed_d[sg] <= 0:
            raise ValueError(f"Noise sigma {sg!r} must be > 0, got {fixed_d[sg]:g}.")
    prior_d: dict[str, tuple[str, float, float]] = {}
    for n, pr in (priors or {}).items():
        if n not in free_d:
            raise ValueError(f"A prior is given for {n!r}, which is not a free parameter.")
        kind, mu, sd = pr
        check_option(f"priors[{n!r}] kind", kind, ("normal", "lognormal"))
        check_range(f"priors[{n!r}] sd", sd, 0.0, None, inclusive=(False, True))
        prior_d[n] = (str(kind), float(mu), float(sd))

    n_data = sum(subject_data.values[a].size for a in subject_data.analytes)
    k = len(names)
    if n_data < k:
        raise DataValidationError(
            f"Too few data points for the free parameters: {n_data} measured value(s) for {k} "
            f"free parameter(s) ({', '.join(names)}). Fix some parameters (fixed=...), add "
            "priors, or add time points."
        )
    if n_data == k:
        warn(
            f"As many free parameters as data points ({k}): the fit has no residual degrees of "
            "freedom and the noise level cannot be checked.",
            DataQualityWarning,
        )
    for a in subject_data.analytes:
        sg = obs[a].sigma
        if isinstance(sg, str) and sg in free_d and subject_data.values[a].size < 3:
            warn(
                f"Noise sigma {sg!r} is estimated from only {subject_data.values[a].size} "
                f"value(s) of {a!r}; fix it (fixed={{{sg!r}: ...}}) for a meaningful fit.",
                DataQualityWarning,
            )

    # initial state: defaults, overrides, optional pre-equilibration (inputs at defaults)
    y_init = spec.y0.copy()
    for kname, v in (y0 or {}).items():
        y_init[spec.state_names.index(spec.state(kname).name)] = float(v)
    if pre_equilibration is not None:
        check_range("pre_equilibration", pre_equilibration, 0.0, None, inclusive=(False, True))
    base = np.array([fixed_d.get(p.name, p.value) for p in spec.params])
    if pre_equilibration is not None and pre_equilibration_params == "nominal":
        y_eq = equilibrate(spec, base[:, None], y_init, float(pre_equilibration))[:, 0]
        if not np.isfinite(y_eq).all():
            raise FitError(
                f"Pre-equilibration of model {spec.name!r} over {pre_equilibration:g} "
                f"{spec.time_unit} failed at the nominal parameters."
            )
        y_init = y_eq

    t_all = np.unique(np.concatenate([subject_data.times[a] for a in subject_data.analytes]))
    backend = resolve_backend(backend)
    sim = BatchSimulator(
        spec,
        t_all,
        fixed_inputs,
        {k2: s.schedule for k2, s in scaled.items()},
        t0=0.0,
        rtol=rtol,
        atol=atol,
        method=method,
        backend=backend,
    )
    if backend != "stacked":
        from neuroendo.fit._simulator import widen_bounds

        wide = widen_bounds(
            spec, {n: (lower[i], upper[i]) for i, n in enumerate(names) if n in spec.param_names}
        )
        sim.spec = wide
    fixed_report = dict(fixed_d.items())
    return Problem(
        spec=spec,
        data=subject_data,
        observations=obs,
        names=names,
        lower=np.array(lower),
        upper=np.array(upper),
        log=np.array(logs, dtype=bool),
        units=tuple(units),
        noise=noise,
        fixed=fixed_report,
        priors=prior_d,
        simulator=sim,
        y0=y_init,
        pre_equilibration=pre_equilibration,
        pre_equilibration_params=pre_equilibration_params,
        scaled_inputs=scaled,
    )


def _lhs(rng: np.random.Generator, n: int, lo: NDArray[np.float64], hi: NDArray[np.float64]) -> Any:
    from scipy.stats import qmc

    u = qmc.LatinHypercube(d=lo.size, seed=rng).random(n)
    return lo + u * (hi - lo)


def fit_subject(
    model: ModelSpec | str,
    data: Any,
    *,
    free: FreeSpec,
    fixed: Mapping[str, float] | None = None,
    priors: Mapping[str, tuple[str, float, float]] | None = None,
    noise: str = "lognormal",
    observables: Mapping[str, Observation] | None = None,
    inputs: Mapping[str, Any] | None = None,
    y0: Mapping[str, float] | None = None,
    pre_equilibration: float | None = None,
    pre_equilibration_params: str = "nominal",
    starts: int = 20,
    seed: int | np.random.Generator | None = None,
    ci: str = "profile",
    confidence: float = 0.95,
    subject: str | None = None,
    time_unit: str | None = None,
    backend: str = "auto",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    method: str = "LSODA",
    max_iter: int = 100,
) -> FitResult:
    r"""Fit a model to one subject's measurements: maximum likelihood with multistart.

    Parameters
    ----------
    model : ModelSpec or str
        The model (``"sriram2012"`` or a spec).
    data : pandas.DataFrame
        Tidy table with columns ``subject`` (optional when one subject), ``time``, ``analyte``
        (or ``observable``), ``value`` and ``unit``; the time unit comes from ``time_unit`` or
        ``data.attrs["units"]["time"]``. Times must be >= 0 (model time starts at 0).
    free : sequence of str or mapping
        Parameters to estimate: names (default bounds: the model's ``Param.bounds``; for
        observation scales 1e-4..1e4, log-normal sigmas 1e-3..10, input amplitudes 1e-3..1e3)
        or ``{name: (lower, upper)}`` / ``{name: (lower, upper, "lin" | "log10")}`` with linear
        bounds. Parameters with a positive lower bound are optimised on log10 scale by default.
        Names may be model parameters, observation scale or sigma names and amplitudes of
        :class:`ScaledInput` inputs.
    fixed : mapping, optional
        ``{name: value}`` for parameters held fixed (model parameters default to nominal).
    priors : mapping, optional
        ``{name: ("normal", mean, sd)}`` on the linear value or ``{name: ("lognormal", mu,
        sd)}`` on its natural log; added to the objective as :math:`((g(\theta)-\mu)/s)^2/2`.
    noise : {"lognormal", "normal"}, default "lognormal"
        Measurement noise model.
    observables : mapping, optional
        ``{analyte: Observation}``; default: declared model observables, or states of the same
        name and a compatible unit. Each observation's sigma defaults to an estimated
        ``"sigma_<analyte>"``.
    inputs : mapping, optional
        ``{input: Schedule | ScaledInput}`` (see :func:`tsst_input`); fixed protocol inputs.
    y0 : mapping, optional
        Initial states (before pre-equilibration), ``{state: value}``.
    pre_equilibration : float, optional
        Integrate this long (model time unit) with default inputs before the data start.
    pre_equilibration_params : {"nominal", "current"}, default "nominal"
        Pre-equilibrate once at the nominal/fixed parameters, or for each evaluated parameter
        set (cached per set).
    starts : int, default 20
        Latin-hypercube starts inside the bounds (in optimiser space).
    seed : int or Generator, optional
        Seed of the starts.
    ci : {"profile", "wald", "none"}, default "profile"
        Confidence intervals from profile likelihoods, from the Gauss-Newton covariance, or none.
    confidence : float, default 0.95
        Confidence level.
    subject : str, optional
        Subject to fit when ``data`` holds several.
    time_unit : str, optional
        Unit of ``data["time"]`` when the table does not record it.
    backend : str, default "auto"
        ``"stacked"``: SciPy ``solve_ivp`` on all parameter sets of an iteration at once; or a
        :mod:`neuroendo.simulation` backend (``"scipy"``, ``"numba"``: compiled DOPRI5 or
        Rosenbrock, about 4x faster per fit once compiled; the first fit of a model compiles it,
        ~30 s, cached on disk). ``"auto"``: ``"numba"`` when numba is installed (extra ``sim``),
        else ``"stacked"``.
    rtol, atol : float
        Solver tolerances.
    method : str, default "LSODA"
        ``solve_ivp`` method of the stacked backend.
    max_iter : int, default 100
        Levenberg-Marquardt iterations per start.

    Returns
    -------
    FitResult
        Estimates with units, standard errors, confidence intervals, objective, AIC/BIC,
        residuals, predicted trajectory, status, message and ``n_evals``.

    Raises
    ------
    DataValidationError
        Data not in the tidy layout, unsorted duplicates, fewer data than free parameters,
        non-positive values under log-normal noise.
    UnitError
        Missing or incompatible units (values or time).
    ValueError
        Unknown parameter names (with a suggestion), bad bounds or options.
    FitError
        Every start failed to simulate.

    Warns
    -----
    ConvergenceWarning
        The best start did not converge.
    DataQualityWarning
        Non-identifiable parameters (open profile or singular Fisher information), rows not
        sorted by time, no residual degrees of freedom.

    Notes
    -----
    The objective is the negative log-likelihood; for log-normal noise

    .. math:: -\ln L = \sum_i \left[\ln(\sqrt{2\pi}\,\sigma y_i)
              + \frac{(\ln y_i - \ln \hat y_i)^2}{2\sigma^2}\right],
              \qquad \hat y_i = s\,x(t_i;\theta).

    Multistart Levenberg-Marquardt runs all starts in lockstep (one batched simulation per
    iteration), the best start is polished by SciPy's trust-region reflective least squares,
    and profile-likelihood intervals are :math:`\{\theta_j: \min_{\theta_{-j}} (-\ln L) -
    (-\ln L)^* \le \chi^2_{1,\alpha}/2\}`. ``AIC = 2k - 2 ln L``, ``BIC = k ln n - 2 ln L``.

    References
    ----------
    .. [1] Raue A et al. Bioinformatics. 2009;25(15):1923-1929. doi:10.1093/bioinformatics/btp358
    .. [2] Schmiester L et al. PEtab - interoperable specification of parameter estimation
       problems in systems biology. PLoS Comput Biol. 2021;17(1):e1008646.
       doi:10.1371/journal.pcbi.1008646

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from neuroendo.fit import Observation
    >>> t = np.array([0.0, 1.0, 2.0, 4.0, 8.0, 12.0])
    >>> df = pd.DataFrame({"time": t, "analyte": "cortisol", "unit": "1",
    ...                    "value": 0.05 + 0.2 * np.exp(-0.3 * t)})
    >>> df.attrs["units"] = {"time": "1"}
    >>> res = fit_subject("gupta2007", df, free={"kad": (1.0, 100.0)},
    ...                   fixed={"sigma_cortisol": 0.05}, starts=3, seed=1, ci="wald",
    ...                   y0={"cortisol": 0.25})
    >>> res.status
    <FitStatus.CONVERGED: 'converged'>
    """
    check_option("ci", ci, ("profile", "wald", "none"))
    check_range("confidence", confidence, 0.0, 1.0, inclusive=(False, False))
    if int(starts) < 1:
        raise ValueError(f"'starts' must be >= 1, got {starts!r}.")
    prob = build_problem(
        model,
        data,
        free=free,
        fixed=fixed,
        priors=priors,
        noise=noise,
        observables=observables,
        inputs=inputs,
        y0=y0,
        pre_equilibration=pre_equilibration,
        pre_equilibration_params=pre_equilibration_params,
        subject=subject,
        time_unit=time_unit,
        backend=backend,
        rtol=rtol,
        atol=atol,
        method=method,
    )
    return run_fit(
        prob, starts=int(starts), seed=seed, ci=ci, confidence=confidence, max_iter=max_iter
    )


def run_fit(
    prob: Problem,
    *,
    starts: int,
    seed: int | np.random.Generator | None,
    ci: str,
    confidence: float,
    max_iter: int = 100,
) -> FitResult:
    """Optimise a compiled problem and assemble the :class:`FitResult`."""
    from scipy.stats import chi2, norm

    from neuroendo._version import __version__

    rng = as_generator(seed)
    lo, hi = prob.lo_t, prob.hi_t
    X0 = _lhs(rng, starts, lo, hi)
    fun = prob.residuals
    lm = batched_lm(fun, X0, lo, hi, max_iter=max_iter)
    order = np.argsort(lm.cost)
    best = lm.x[order[0]]
    fail_cost = 0.5 * FAILED_RESIDUAL**2
    if not np.isfinite(lm.cost[order[0]]) or lm.cost[order[0]] >= fail_cost:
        raise FitError(
            f"Model {prob.spec.name!r} could not be simulated at any of the {starts} starts; "
            "narrow the bounds, loosen the tolerances or check the protocol."
        )
    x, cost, ok, message, _ = polish(fun, best, lo, hi)
    if cost > lm.cost[order[0]]:  # keep the better point (polish should not get worse)
        x, cost = best, float(lm.cost[order[0]])
        ok = ok or bool(lm.converged[order[0]])
    status = FitStatus.CONVERGED if ok else FitStatus.NOT_CONVERGED
    if not ok:
        warn(
            f"Fit of model {prob.spec.name!r} (subject {prob.data.subject!r}) did not converge: "
            f"{message} Try more starts, max_iter, or fewer free parameters.",
            ConvergenceWarning,
        )
    r_opt, J = fd_jacobian(fun, x[None, :], lo, hi, 1e-6)
    r_opt, J = r_opt[0], J[0]
    objective = float(prob.objective_from_residuals(r_opt))
    nll = prob.data_nll(x)
    k = len(prob.names)
    n = prob.n_data
    cov, eig = wald(J)
    se_t = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    se_t = np.where(np.diag(cov) > 0, se_t, np.inf)
    est = prob.to_linear(x)
    ln10 = math.log(10.0)
    se_lin = np.where(prob.log, est * ln10 * se_t, se_t)
    alpha = 1.0 - confidence
    profiles: dict[str, Profile] = {}
    identifiable = np.ones(k, dtype=bool)
    ci_lo_t = np.full(k, np.nan)
    ci_hi_t = np.full(k, np.nan)
    span = hi - lo
    if ci == "wald":
        z = float(norm.ppf(1.0 - alpha / 2.0))
        ci_lo_t = np.clip(x - z * se_t, lo, hi)
        ci_hi_t = np.clip(x + z * se_t, lo, hi)
        identifiable = np.isfinite(se_t) & (2 * z * se_t < span)
    elif ci == "profile":
        thr = 0.5 * float(chi2.ppf(confidence, 1))
        walks = profile_walk(
            fun, x, cost, lo, hi, list(range(k)), se_t, thr, modes=_modes(lm.x, lm.cost, x, thr)
        )
        for i, name in enumerate(prob.names):
            w_lo = next(w for w in walks if w.index == i and w.direction < 0)
            w_hi = next(w for w in walks if w.index == i and w.direction > 0)
            ci_lo_t[i], ci_hi_t[i] = w_lo.bound, w_hi.bound
            vals = np.array(w_lo.values[::-1] + w_hi.values[1:])
            deltas = np.array(w_lo.costs[::-1] + w_hi.costs[1:])
            prof = Profile(
                name,
                prob.to_linear(_broadcast_col(vals, i, k, x))[:, i],
                deltas,
                thr,
                w_lo.open,
                w_hi.open,
            )
            profiles[name] = prof
            identifiable[i] = prof.identifiable
    if ci != "none":
        bad = [prob.names[i] for i in range(k) if not identifiable[i]]
        if bad:
            how = "its profile likelihood stays below" if ci == "profile" else "its Wald interval"
            warn(
                f"Parameter(s) {', '.join(bad)} of model {prob.spec.name!r} are not identifiable "
                f"from these data (subject {prob.data.subject!r}): {how} the "
                f"{100 * confidence:g}% threshold up to a bound. Fix them, add priors or add "
                "data.",
                DataQualityWarning,
            )
    elif eig.size and eig.min() <= 1e-10 * max(eig.max(), 1e-300):
        warn(
            "The Fisher information is singular at the optimum: some parameter combination is "
            "not identifiable from these data.",
            DataQualityWarning,
        )
    ci_lower = prob.to_linear(ci_lo_t) if ci != "none" else np.full(k, np.nan)
    ci_upper = prob.to_linear(ci_hi_t) if ci != "none" else np.full(k, np.nan)

    data_df, traj = _tables(prob, x, r_opt[:n])
    fixed_show = dict(prob.fixed)
    return FitResult(
        model=prob.spec.name,
        subject=prob.data.subject,
        parameters=prob.names,
        estimates=est,
        std_errors=se_lin,
        ci_lower=ci_lower,
        ci_upper=ci_upper,
        units=prob.units,
        scales=tuple("log10" if lg else "lin" for lg in prob.log),
        bounds=np.column_stack([prob.lower, prob.upper]),
        ci_method=ci,
        confidence=float(confidence),
        identifiable=identifiable,
        objective=objective,
        log_likelihood=-nll,
        aic=2 * k + 2 * nll,
        bic=k * math.log(n) + 2 * nll,
        n_data=n,
        residuals=r_opt[:n].copy(),
        data=data_df,
        trajectory=traj,
        status=status,
        message=message,
        n_evals=prob.n_evals,
        n_starts=starts,
        start_objectives=np.sort(lm.cost) + prob._const,
        profiles=profiles,
        fixed=fixed_show,
        noise=prob.noise,
        version=__version__,
    )


def _modes(
    xs: NDArray[np.float64], costs: NDArray[np.float64], x_best: NDArray[np.float64], thr: float
) -> NDArray[np.float64]:
    """Distinct local optima of the multistart (other than the best), at most three."""
    keep: list[NDArray[np.float64]] = [x_best]
    best = float(np.min(costs))
    for j in np.argsort(costs):
        if costs[j] > best + 10.0 * thr or len(keep) > 3:
            break
        if all(np.max(np.abs(xs[j] - q)) > 0.05 for q in keep):
            keep.append(xs[j])
    return np.array(keep[1:]).reshape(-1, x_best.size)


def _broadcast_col(vals: NDArray[np.float64], i: int, k: int, x: NDArray[np.float64]) -> Any:
    pts = np.repeat(x[None, :], vals.size, axis=0)
    pts[:, i] = vals
    return pts


def _tables(prob: Problem, x: NDArray[np.float64], resid: NDArray[np.float64]) -> tuple[Any, Any]:
    import pandas as pd

    sd = prob.data
    pred = prob.predictions(x[None, :])
    f = conversion_factor(prob.spec.time_unit, sd.data_time_unit)
    rows = []
    start = 0
    for a in sd.analytes:
        na = sd.values[a].size
        rows.append(
            pd.DataFrame(
                {
                    SUBJECT: sd.subject,
                    TIME: sd.times[a] * f,
                    ANALYTE: a,
                    VALUE: sd.values[a],
                    UNIT: sd.units[a],
                    "predicted": pred[a][0],
                    "residual": resid[start : start + na],
                }
            )
        )
        start += na
    data_df = pd.concat(rows, ignore_index=True)
    data_df.attrs["units"] = {TIME: sd.data_time_unit}
    t_end = float(max(sd.times[a].max() for a in sd.analytes))
    grid = np.union1d(np.linspace(0.0, t_end, 201), np.concatenate(list(sd.times.values())))
    traj_vals = prob.trajectory(x[None, :], grid)
    traj = pd.concat(
        [
            pd.DataFrame({TIME: grid * f, ANALYTE: a, VALUE: traj_vals[a], UNIT: sd.units[a]})
            for a in sd.analytes
        ],
        ignore_index=True,
    )
    traj.attrs["units"] = {TIME: sd.data_time_unit}
    return data_df, traj
