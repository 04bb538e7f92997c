"""Public test helpers: the model contract (``check_model``) and solution comparison.

Like scikit-learn's ``check_estimator``, :func:`check_model` runs one contract over any
:class:`~neuroendo.models.ModelSpec`, so a new model (yours or the package's) is checked the same
way as every registered one.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import numpy as np

from neuroendo._core.errors import ModelDefinitionError, UnitError
from neuroendo._core.spec import ModelSpec
from neuroendo._core.units import normalize_unit

__all__ = ["assert_solution_allclose", "check_model"]


def _fail(spec: ModelSpec, what: str) -> None:
    raise AssertionError(f"Model {spec.name!r} fails the model contract: {what}")


def _check_declarations(spec: ModelSpec) -> None:
    for kind, items in (
        ("state", spec.states),
        ("param", spec.params),
        ("input", spec.inputs),
        ("observable", spec.observables),
    ):
        names = [i.name for i in items]
        if len(set(names)) != len(names):
            _fail(spec, f"duplicate {kind} names {names}")
    for unit, where in [
        (spec.time_unit, "time_unit"),
        *((s.unit, f"state {s.name!r}") for s in spec.states),
        *((p.unit, f"param {p.name!r}") for p in spec.params),
        *((i.unit, f"input {i.name!r}") for i in spec.inputs),
        *((o.unit, f"observable {o.name!r}") for o in spec.observables),
    ]:
        try:
            normalize_unit(unit)
        except UnitError as exc:
            _fail(spec, f"the unit of {where} does not parse: {exc}")
    for p in spec.params:
        lo, hi = p.bounds
        if not p.source.key:
            _fail(spec, f"param {p.name!r} has no source (Ref key)")
        if not (lo <= p.value <= hi):
            _fail(spec, f"param {p.name!r} = {p.value:g} lies outside its bounds {p.bounds}")
    if not spec.references:
        _fail(spec, "no references")


def _check_rhs(spec: ModelSpec, n: int = 3) -> None:
    p, u = spec.default_params(), spec.default_inputs()
    d = spec.rhs(0.0, spec.y0, p, u)
    if not isinstance(d, tuple):
        _fail(spec, f"rhs must return a tuple, got {type(d).__name__}")
    if len(d) != len(spec.states):
        _fail(spec, f"rhs returns {len(d)} derivatives for {len(spec.states)} states")
    d1 = np.asarray(d, dtype=np.float64)
    if not np.isfinite(d1).all():
        _fail(spec, f"rhs is not finite at y0: {d1}")
    # a batch of n perturbed subjects equals n single calls
    rng = np.random.default_rng(0)
    factors = rng.uniform(0.9, 1.1, size=(len(spec.states), n))
    yb = spec.y0[:, None] * factors
    pf = rng.uniform(0.95, 1.05, size=(len(spec.params), n))
    pvals = np.clip(
        spec.param_values[:, None] * pf,
        [[q.bounds[0]] for q in spec.params],
        [[q.bounds[1]] for q in spec.params],
    )
    db = np.stack(
        [
            np.broadcast_to(np.asarray(x, dtype=np.float64), (n,))
            for x in spec.rhs(0.0, yb, spec.P(*pvals), u)
        ]
    )
    for i in range(n):
        di = np.asarray(spec.rhs(0.0, yb[:, i], spec.P(*pvals[:, i]), u), dtype=np.float64)
        if not np.allclose(db[:, i], di, rtol=1e-12, atol=1e-300):
            _fail(
                spec, f"batched rhs differs from a single call for subject {i}: {db[:, i]} vs {di}"
            )


def _check_dimensions(spec: ModelSpec) -> None:
    """Evaluate the RHS on unit-carrying quantities; each derivative must be state/time."""
    from neuroendo._core.units import _parse  # the package's only door to pint

    def q(value: float, unit: str) -> Any:
        return value * _parse(normalize_unit(unit))

    y = [q(s.y0, s.unit) for s in spec.states]
    p = spec.P(*(q(x.value, x.unit) for x in spec.params))
    u = spec.U(*(q(i.default, i.unit) for i in spec.inputs))
    try:
        d = spec.rhs(0.0, y, p, u)  # t as a number in time_unit (explicit clocks in rhs)
    except Exception as exc:  # pint raises DimensionalityError on inconsistent sums
        _fail(spec, f"the rhs is not dimensionally consistent with the declared units: {exc}")
    for s, di in zip(spec.states, d, strict=True):
        want = _parse(normalize_unit(s.unit)) / _parse(normalize_unit(spec.time_unit))
        got = getattr(di, "dimensionality", None)
        # a plain number is dimensionless
        ok = not want.dimensionality if got is None else got == want.dimensionality
        if not ok:
            _fail(
                spec,
                f"d{s.name}/dt has dimension {got or 'dimensionless'}, expected "
                f"{want.dimensionality or 'dimensionless'} ({s.unit} per {spec.time_unit})",
            )


def _check_nonnegative(spec: ModelSpec) -> None:
    from neuroendo.simulation import simulate

    t = np.linspace(0.0, 10.0, 11)
    scale = {"min": 60.0, "h": 1.0, "d": 1.0 / 24.0}.get(spec.time_unit, 1.0)
    sol = simulate(spec, t * scale, rtol=1e-6, atol=1e-9, on_error="raise")
    if not (sol.y >= -1e-8 * (1 + np.abs(sol.y).max())).all():
        _fail(spec, "a state became negative from y0 within a short simulation")


def _check_docstring(spec: ModelSpec) -> None:
    module = importlib.import_module(spec.rhs.__module__)
    doc = inspect.getdoc(module) or ""
    if "References" not in doc:
        _fail(spec, f"the module docstring of {module.__name__} has no 'References' section")


def check_model(spec: ModelSpec, *, simulate_short: bool = True) -> None:
    """Check a model against the package's model contract.

    Parameters
    ----------
    spec : ModelSpec
        The model.
    simulate_short : bool, default True
        Also simulate about 10 hours (or 10 scaled time units) from ``y0`` and require
        non-negative states.

    Raises
    ------
    AssertionError
        Naming the model and the first broken rule.

    Notes
    -----
    Rules: unique names; every unit parses (UCUM); every ``Param`` has a source and lies in its
    bounds; the model has references; ``rhs`` returns a tuple of ``len(states)`` finite values
    at ``y0``; a batch ``(n_states, n)`` equals ``n`` single calls; the RHS evaluated on
    unit-carrying quantities (through ``_core.units``) gives each derivative the dimension of
    ``state.unit / time_unit`` — this checks sums and the final dimension, not the magnitude
    of unit prefixes, and ``t`` itself is passed as a plain number in ``time_unit`` (so an
    explicit clock such as ``sin(pi/12 * t)`` is accepted); states stay non-negative over a
    short simulation; the module docstring has a ``References`` section.

    References
    ----------
    .. [1] Pedregosa F et al. Scikit-learn: machine learning in Python (``check_estimator``).
       J Mach Learn Res. 2011;12:2825-2830.

    Examples
    --------
    >>> from neuroendo import models
    >>> check_model(models.get("vinther2011"))
    """
    if not isinstance(spec, ModelSpec):
        raise ModelDefinitionError(f"check_model needs a ModelSpec, got {type(spec).__name__}.")
    _check_declarations(spec)
    _check_rhs(spec)
    _check_dimensions(spec)
    _check_docstring(spec)
    if simulate_short:
        _check_nonnegative(spec)


def assert_solution_allclose(
    actual: Any,
    desired: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 0.0,
    states: tuple[str, ...] | None = None,
) -> None:
    """Assert that two solutions (or a solution and an array) agree within tolerances.

    Parameters
    ----------
    actual : Solution
        The solution under test.
    desired : Solution or array-like
        Reference solution, or an array shaped like ``actual.y``.
    rtol, atol : float
        Tolerances, as in :func:`numpy.testing.assert_allclose`.
    states : tuple of str, optional
        Compare only these states.

    Raises
    ------
    AssertionError
        If times, state names or values differ.

    References
    ----------
    .. [1] Harris CR et al. Array programming with NumPy. Nature. 2020;585:357-362.

    Examples
    --------
    >>> import numpy as np
    >>> from neuroendo.simulation import simulate
    >>> a = simulate("vinther2011", np.linspace(0, 30, 4))
    >>> assert_solution_allclose(a, a)
    """
    ya = np.asarray(actual.y)
    names = tuple(actual.state_names)
    if hasattr(desired, "y"):
        np.testing.assert_allclose(actual.t, desired.t, rtol=1e-12, err_msg="times differ")
        if tuple(desired.state_names) != names:
            raise AssertionError(f"state names differ: {names} vs {desired.state_names}")
        yd = np.asarray(desired.y)
    else:
        yd = np.asarray(desired, dtype=np.float64)
    idx = [names.index(s) for s in states] if states else list(range(len(names)))
    for i in idx:
        np.testing.assert_allclose(
            ya[i], yd[i], rtol=rtol, atol=atol, err_msg=f"state {names[i]!r} differs"
        )
