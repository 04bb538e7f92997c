r"""Inputs to models as data: stress protocols, circadian drives, light, drugs and dynamic tests.

Every function here returns a :class:`Schedule`: an immutable description of an input over time
that is also a pure, callable function of time and composes with ``+``, ``-`` and ``*``::

    u = inputs.tsst(onset=30) + inputs.circadian(amplitude=0.3, phase=8.0)
    u(45.0)          # value at t = 45 (in u.time_unit)

Representation (what a compiled kernel evaluates)
-------------------------------------------------
A schedule is a tree whose leaves are four primitives, each holding only NumPy arrays:

* :class:`Constant` ``value`` — scalar, or shape ``(n_subjects,)`` for one value per subject;
* :class:`PiecewiseConstant` ``times`` (m,), ``values`` (m,), ``before`` and ``period``:
  ``values[i]`` on ``[times[i], times[i+1])``, ``values[-1]`` after the last breakpoint and
  ``before`` before the first; with a finite ``period`` the pattern repeats (``t mod period``,
  times in ``[0, period)``) and the last value wraps round to the start of the period;
* :class:`PiecewiseLinear` ``times`` (m,), ``values`` (m,): linear interpolation, constant
  extrapolation (``np.interp``);
* :class:`Harmonic` ``offset``, ``amplitudes`` (K,) or (K, n_subjects), ``phases`` like
  ``amplitudes`` and ``period``:
  :math:`\\mathrm{offset} + \\sum_k a_k \\cos(2\\pi k (t - \\varphi_k)/P)`;
* :class:`Bumps` ``onsets``, ``durations``, ``levels`` (m,) and a ``shape`` code
  (``"square"``, ``"bump"`` = smooth compact :math:`C^\\infty` bump, ``"sine2"``), summed.

Inner nodes are :class:`Sum` and :class:`Product` of their children. Each schedule declares its
``time_unit`` (UCUM, e.g. ``"h"``, ``"min"``; ``None`` = "in the model's own time unit") and
optionally its value ``unit`` (``None`` = the unit of the model input it feeds). ``simulate``
converts a schedule whose time unit differs from the model's (``"h"`` → ``"min"``) and raises
:class:`~neuroendo._core.errors.UnitError`, naming both units, when no conversion exists
(``"h"`` against a scaled-time model in ``"1"``). :meth:`Schedule.breakpoints` lists the times of
discontinuities and pulse edges so that solvers restart there instead of stepping over a pulse.

Doses
-----
Drugs given as an amount (an oral tablet, an i.v. bolus) are represented as **rate inputs**: the
dose is spread evenly over a short administration window (``duration``), so the schedule value is
``dose / duration`` in ``<dose unit>/<time unit>`` and its integral is the dose. A model that has
an absorption compartment adds that rate to it. This keeps every input a function of time (no
state jumps), which all backends and SBML support.

Protocol functions whose defaults are physical durations (``tsst``, ``circadian``, the drugs)
declare a time unit by default; generic shapes (``step``, ``pulse``, ``pulses``,
``chronic_stress``, ``ramp``) default to the model's own time unit (``time_unit=None``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import UnitError
from neuroendo._core.units import conversion_factor, normalize_unit
from neuroendo._core.validation import check_option

__all__ = [
    "Bumps",
    "Constant",
    "Harmonic",
    "PiecewiseConstant",
    "PiecewiseLinear",
    "Product",
    "Schedule",
    "Sum",
    "acth_injection",
    "as_schedule",
    "chronic_stress",
    "circadian",
    "constant",
    "crh_injection",
    "dexamethasone",
    "endotoxin",
    "gnrh_analogue",
    "levothyroxine",
    "light_dark",
    "liothyronine",
    "pulse",
    "pulses",
    "ramp",
    "step",
    "tsst",
]

_SHAPES = ("square", "bump", "sine2")


def _arr(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=np.float64)


def _unit(u: str | None) -> str | None:
    return None if u is None else normalize_unit(u)


class Schedule:
    """Base class of input schedules: callable, composable, convertible between time units.

    Subclasses are frozen dataclasses of arrays (see the module docstring for the layout).
    """

    time_unit: str | None
    unit: str | None

    # --- evaluation -------------------------------------------------------------------------
    def _eval(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        """Evaluate at ``t`` of shape ``S + (1,)``; return shape ``S + (1,)`` or ``S + (n,)``."""
        raise NotImplementedError

    @property
    def batch_size(self) -> int | None:
        """Number of subjects when parameters are per subject, else ``None``."""
        return None

    def __call__(self, t: ArrayLike) -> Any:
        """Value at time(s) ``t`` (in :attr:`time_unit`).

        Returns a float for a scalar ``t``; an array of the shape of ``t``; for per-subject
        schedules, an array of shape ``(n_subjects,) + t.shape``.
        """
        tt = _arr(t)
        out = np.broadcast_to(self._eval(tt[..., None]), (*tt.shape, self.batch_size or 1))
        if self.batch_size is None:
            res = out[..., 0]
            return float(res) if res.ndim == 0 else np.array(res)
        return np.array(np.moveaxis(out, -1, 0))

    def breakpoints(self, t0: float, t1: float) -> NDArray[np.float64]:
        """Sorted times in the open interval ``(t0, t1)`` where a solver should restart.

        These are discontinuities (steps, pulse edges) and the ends of localised features
        (bumps), so an adaptive solver cannot step over a short pulse.
        """
        return np.empty(0)

    # --- units ------------------------------------------------------------------------------
    def _scale_time(self, factor: float, unit: str) -> Schedule:
        raise NotImplementedError

    def to_time_unit(self, unit: str) -> Schedule:
        """Return the same schedule with its times expressed in ``unit`` (e.g. ``"h"`` → ``"min"``).

        Raises
        ------
        UnitError
            If the schedule declares no time unit, or the units are not both times.
        """
        unit = normalize_unit(unit)
        if self.time_unit is None:
            if _time_free(self):
                return self
            raise UnitError(
                f"This schedule declares no time unit (time_unit=None, i.e. the model's own time "
                f"unit), so it cannot be converted to {unit!r}; create it with time_unit=... ."
            )
        if self.time_unit == unit:
            return self
        try:
            f = conversion_factor(self.time_unit, unit)
        except UnitError:
            raise UnitError(
                f"Cannot use a schedule in time unit {self.time_unit!r} with time unit {unit!r}: "
                "the units are not convertible. Create the schedule with "
                f"time_unit={unit!r} (scaled-time models use '1')."
            ) from None
        return self._scale_time(f, unit)

    # --- composition ------------------------------------------------------------------------
    def __add__(self, other: Any) -> Schedule:
        return Sum._of(self, as_schedule(other))

    def __radd__(self, other: Any) -> Schedule:
        return Sum._of(as_schedule(other), self)

    def __mul__(self, other: Any) -> Schedule:
        return Product._of(self, as_schedule(other))

    def __rmul__(self, other: Any) -> Schedule:
        return Product._of(as_schedule(other), self)

    def __neg__(self) -> Schedule:
        return Product._of(Constant(-1.0), self)

    def __sub__(self, other: Any) -> Schedule:
        return self + (-as_schedule(other))

    def __rsub__(self, other: Any) -> Schedule:
        return as_schedule(other) + (-self)


def _time_free(s: Schedule) -> bool:
    if isinstance(s, Constant):
        return True
    if isinstance(s, Sum | Product):
        return all(_time_free(c) for c in s.children)
    return False


@dataclass(frozen=True, eq=False)
class Constant(Schedule):
    """A constant input; ``value`` is a scalar or one value per subject, shape ``(n,)``."""

    value: Any
    unit: str | None = None
    time_unit: str | None = None

    def __post_init__(self) -> None:
        v = _arr(self.value)
        if v.ndim > 1:
            raise ValueError(f"'value' must be a scalar or 1-D per-subject array, got {v.shape}.")
        object.__setattr__(self, "value", v)
        object.__setattr__(self, "unit", _unit(self.unit))

    @property
    def batch_size(self) -> int | None:  # noqa: D102
        return None if self.value.ndim == 0 else int(self.value.shape[0])

    def _eval(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.broadcast_to(self.value, np.broadcast_shapes(t.shape, self.value.shape))

    def _scale_time(self, factor: float, unit: str) -> Schedule:
        return dataclasses.replace(self, time_unit=unit)


@dataclass(frozen=True, eq=False)
class PiecewiseConstant(Schedule):
    """``values[i]`` on ``[times[i], times[i+1])``; ``before`` earlier; optionally periodic."""

    times: Any
    values: Any
    before: float = 0.0
    period: float = math.inf
    time_unit: str | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        t, v = _arr(self.times).ravel(), _arr(self.values).ravel()
        if t.size == 0 or t.shape != v.shape:
            raise ValueError(
                f"'times' and 'values' must be non-empty and of equal length, got {t.size} and "
                f"{v.size}."
            )
        if np.any(np.diff(t) < 0) or not np.isfinite(t).all():
            raise ValueError(f"'times' must be finite and non-decreasing, got {t.tolist()}.")
        if math.isfinite(self.period) and (t[0] < 0 or t[-1] >= self.period):
            raise ValueError(
                f"Periodic schedule: 'times' must lie in [0, period={self.period:g}), "
                f"got {t.tolist()}."
            )
        object.__setattr__(self, "times", t)
        object.__setattr__(self, "values", v)
        object.__setattr__(self, "time_unit", _unit(self.time_unit))
        object.__setattr__(self, "unit", _unit(self.unit))

    def _eval(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        periodic = math.isfinite(self.period)
        tm = np.mod(t, self.period) if periodic else t
        idx = np.searchsorted(self.times, tm, side="right") - 1
        vals = self.values[np.maximum(idx, 0)]
        first = self.values[-1] if periodic else self.before
        return np.where(idx < 0, first, vals)

    def breakpoints(self, t0: float, t1: float) -> NDArray[np.float64]:  # noqa: D102
        if not math.isfinite(self.period):
            b = self.times
        else:
            k0 = math.floor(t0 / self.period)
            k1 = math.ceil(t1 / self.period)
            b = (np.arange(k0, k1 + 1)[:, None] * self.period + self.times[None, :]).ravel()
        return np.unique(b[(b > t0) & (b < t1)])

    def _scale_time(self, factor: float, unit: str) -> Schedule:
        return dataclasses.replace(
            self, times=self.times * factor, period=self.period * factor, time_unit=unit
        )


@dataclass(frozen=True, eq=False)
class PiecewiseLinear(Schedule):
    """Linear interpolation between ``(times[i], values[i])``; constant outside."""

    times: Any
    values: Any
    time_unit: str | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        t, v = _arr(self.times).ravel(), _arr(self.values).ravel()
        if t.size == 0 or t.shape != v.shape:
            raise ValueError("'times' and 'values' must be non-empty and of equal length.")
        if np.any(np.diff(t) <= 0):
            raise ValueError(f"'times' must be strictly increasing, got {t.tolist()}.")
        object.__setattr__(self, "times", t)
        object.__setattr__(self, "values", v)
        object.__setattr__(self, "time_unit", _unit(self.time_unit))
        object.__setattr__(self, "unit", _unit(self.unit))

    def _eval(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(np.interp(t, self.times, self.values), dtype=np.float64)

    def breakpoints(self, t0: float, t1: float) -> NDArray[np.float64]:  # noqa: D102
        times: NDArray[np.float64] = self.times
        return times[(times > t0) & (times < t1)]

    def _scale_time(self, factor: float, unit: str) -> Schedule:
        return dataclasses.replace(self, times=self.times * factor, time_unit=unit)


@dataclass(frozen=True, eq=False)
class Harmonic(Schedule):
    """``offset + sum_k amplitudes[k] * cos(2 pi (k+1) (t - phases[k]) / period)``.

    ``amplitudes`` and ``phases`` have shape ``(K,)`` or ``(K, n_subjects)``; ``offset`` is a
    scalar or ``(n_subjects,)``.
    """

    offset: Any
    amplitudes: Any
    phases: Any
    period: float
    time_unit: str | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        a, ph, off = _arr(self.amplitudes), _arr(self.phases), _arr(self.offset)
        a = a[None] if a.ndim == 0 else a
        ph = np.broadcast_to(ph[None] if ph.ndim == 0 else ph, a.shape).copy()
        if a.ndim > 2 or off.ndim > 1:
            raise ValueError("'amplitudes'/'phases' must be (K,) or (K, n); 'offset' (n,).")
        if not (math.isfinite(self.period) and self.period > 0):
            raise ValueError(f"'period' must be positive and finite, got {self.period!r}.")
        object.__setattr__(self, "amplitudes", a)
        object.__setattr__(self, "phases", ph)
        object.__setattr__(self, "offset", off)
        object.__setattr__(self, "time_unit", _unit(self.time_unit))
        object.__setattr__(self, "unit", _unit(self.unit))
        _ = self.batch_size  # checks consistent subject counts

    @property
    def batch_size(self) -> int | None:  # noqa: D102
        sizes = {x.shape[-1] for x in (self.amplitudes, self.phases) if x.ndim == 2}
        if self.offset.ndim == 1:
            sizes.add(self.offset.shape[0])
        if len(sizes) > 1:
            raise ValueError(f"Per-subject harmonic parameters disagree in length: {sizes}.")
        return sizes.pop() if sizes else None

    def _eval(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.broadcast_to(self.offset, self.offset.shape) + 0.0 * t
        w = 2.0 * np.pi / self.period
        for k in range(self.amplitudes.shape[0]):  # a handful of harmonics
            out = out + self.amplitudes[k] * np.cos((k + 1) * w * (t - self.phases[k]))
        return np.asarray(out, dtype=np.float64)

    def _scale_time(self, factor: float, unit: str) -> Schedule:
        return dataclasses.replace(
            self, phases=self.phases * factor, period=self.period * factor, time_unit=unit
        )


@dataclass(frozen=True, eq=False)
class Bumps(Schedule):
    r"""A sum of localised pulses: ``levels[i] * shape((t - onsets[i]) / durations[i])``.

    Shapes on :math:`s = (t - \\mathrm{onset})/\\mathrm{duration} \\in [0, 1)`: ``"square"`` = 1;
    ``"sine2"`` = :math:`\\sin^2(\\pi s)`; ``"bump"`` = :math:`\\exp(1 - 1/(1 - x^2))` with
    :math:`x = 2s - 1` (smooth, compact, peak 1 at mid-window); all are 0 outside the window.
    """

    onsets: Any
    durations: Any
    levels: Any
    shape: str = "square"
    time_unit: str | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        on = _arr(self.onsets).ravel()
        du = np.broadcast_to(_arr(self.durations), on.shape).astype(np.float64)
        lv = np.broadcast_to(_arr(self.levels), on.shape).astype(np.float64)
        check_option("shape", self.shape, _SHAPES)
        if not (np.isfinite(on).all() and (du > 0).all() and np.isfinite(du).all()):
            raise ValueError(
                f"Pulse onsets must be finite and durations positive, got onsets {on.tolist()}, "
                f"durations {du.tolist()}."
            )
        object.__setattr__(self, "onsets", on)
        object.__setattr__(self, "durations", du)
        object.__setattr__(self, "levels", lv)
        object.__setattr__(self, "time_unit", _unit(self.time_unit))
        object.__setattr__(self, "unit", _unit(self.unit))

    def _eval(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        s = (t[..., None] - self.onsets) / self.durations  # S + (1, m)
        inside = (s >= 0.0) & (s < 1.0)
        if self.shape == "square":
            f = np.where(inside, 1.0, 0.0)
        elif self.shape == "sine2":
            f = np.where(inside, np.sin(np.pi * s) ** 2, 0.0)
        else:
            inside = (s > 0.0) & (s < 1.0)  # open window: 1 - x^2 > 0 where evaluated
            x = np.where(inside, 2.0 * s - 1.0, 0.0)
            f = np.where(inside, np.exp(1.0 - 1.0 / (1.0 - x * x)), 0.0)
        return np.asarray((f * self.levels).sum(axis=-1), dtype=np.float64)

    def breakpoints(self, t0: float, t1: float) -> NDArray[np.float64]:  # noqa: D102
        b = np.concatenate([self.onsets, self.onsets + self.durations])
        if self.shape != "square":  # also the peak, so the solver resolves the bump
            b = np.concatenate([b, self.onsets + 0.5 * self.durations])
        return np.unique(b[(b > t0) & (b < t1)])

    def _scale_time(self, factor: float, unit: str) -> Schedule:
        return dataclasses.replace(
            self, onsets=self.onsets * factor, durations=self.durations * factor, time_unit=unit
        )


def _common_units(children: Sequence[Schedule], op: str) -> tuple[list[Schedule], str | None]:
    """Bring children to one time unit (converting where needed)."""
    declared = [c.time_unit for c in children if c.time_unit is not None]
    timed = [c for c in children if not _time_free(c)]
    if declared and any(c.time_unit is None for c in timed):
        raise UnitError(
            f"Cannot {op} a schedule in the model's time unit (time_unit=None) with one in "
            f"{declared[0]!r}; give both the same time_unit."
        )
    tu = declared[0] if declared else None
    out = [
        c.to_time_unit(tu) if (tu is not None and c.time_unit is not None) else c for c in children
    ]
    return out, tu


@dataclass(frozen=True, eq=False)
class Sum(Schedule):
    """Sum of schedules (same value unit; time units converted to the first one's)."""

    children: tuple[Schedule, ...]
    time_unit: str | None = None
    unit: str | None = None

    @classmethod
    def _of(cls, a: Schedule, b: Schedule) -> Sum:
        kids = [
            *(a.children if isinstance(a, Sum) else (a,)),
            *(b.children if isinstance(b, Sum) else (b,)),
        ]
        kids, tu = _common_units(kids, "add")
        units = {c.unit for c in kids if c.unit is not None}
        if len(units) > 1:
            raise UnitError(f"Cannot add schedules with different value units {sorted(units)}.")
        sizes = {c.batch_size for c in kids} - {None}
        if len(sizes) > 1:
            raise ValueError(f"Per-subject schedules disagree in subject count: {sizes}.")
        return cls(tuple(kids), tu, units.pop() if units else None)

    @property
    def batch_size(self) -> int | None:  # noqa: D102
        sizes = {c.batch_size for c in self.children} - {None}
        return sizes.pop() if sizes else None

    def _eval(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        out = self.children[0]._eval(t)
        for c in self.children[1:]:
            out = out + c._eval(t)
        return out

    def breakpoints(self, t0: float, t1: float) -> NDArray[np.float64]:  # noqa: D102
        return np.unique(np.concatenate([c.breakpoints(t0, t1) for c in self.children]))

    def _scale_time(self, factor: float, unit: str) -> Schedule:
        kids = tuple(c.to_time_unit(unit) if c.time_unit else c for c in self.children)
        return dataclasses.replace(self, children=kids, time_unit=unit)


@dataclass(frozen=True, eq=False)
class Product(Schedule):
    """Product of schedules (at most one factor may carry a value unit)."""

    children: tuple[Schedule, ...]
    time_unit: str | None = None
    unit: str | None = None

    @classmethod
    def _of(cls, a: Schedule, b: Schedule) -> Product:
        kids = [
            *(a.children if isinstance(a, Product) else (a,)),
            *(b.children if isinstance(b, Product) else (b,)),
        ]
        kids, tu = _common_units(kids, "multiply")
        units = [c.unit for c in kids if c.unit is not None and c.unit != "1"]
        if len(units) > 1:
            raise UnitError(
                f"Cannot multiply schedules that both carry value units ({units}); "
                "give dimensionless factors."
            )
        sizes = {c.batch_size for c in kids} - {None}
        if len(sizes) > 1:
            raise ValueError(f"Per-subject schedules disagree in subject count: {sizes}.")
        return cls(tuple(kids), tu, units[0] if units else None)

    @property
    def batch_size(self) -> int | None:  # noqa: D102
        sizes = {c.batch_size for c in self.children} - {None}
        return sizes.pop() if sizes else None

    def _eval(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        out = self.children[0]._eval(t)
        for c in self.children[1:]:
            out = out * c._eval(t)
        return out

    def breakpoints(self, t0: float, t1: float) -> NDArray[np.float64]:  # noqa: D102
        return np.unique(np.concatenate([c.breakpoints(t0, t1) for c in self.children]))

    def _scale_time(self, factor: float, unit: str) -> Schedule:
        kids = tuple(c.to_time_unit(unit) if c.time_unit else c for c in self.children)
        return dataclasses.replace(self, children=kids, time_unit=unit)


# --------------------------------------------------------------------------------------------
# Public constructors
# --------------------------------------------------------------------------------------------
def as_schedule(value: Schedule | ArrayLike) -> Schedule:
    """Return ``value`` as a :class:`Schedule` (numbers and per-subject arrays become constants).

    Parameters
    ----------
    value : Schedule, float or array-like of shape (n_subjects,)
        A schedule, or a constant (one per subject for an array).

    Returns
    -------
    Schedule

    References
    ----------
    .. [1] neuroendo architecture, §4 "Inputs are data".

    Examples
    --------
    >>> as_schedule(2.0)(10.0)
    2.0
    """
    if isinstance(value, Schedule):
        return value
    return Constant(value)


def constant(value: ArrayLike, *, unit: str | None = None) -> Constant:
    """Return a constant input (a scalar, or one value per subject).

    Parameters
    ----------
    value : float or array-like, shape (n_subjects,)
        The level, in ``unit`` (or the model input's unit when ``unit`` is None).
    unit : str, optional
        UCUM value unit.

    Returns
    -------
    Constant

    References
    ----------
    .. [1] neuroendo architecture, §4 "Inputs are data".

    Examples
    --------
    >>> constant([1.0, 2.0])(0.0)
    array([1., 2.])
    """
    return Constant(value, unit=unit)


def step(
    start: float,
    stop: float | None = None,
    level: float = 1.0,
    *,
    time_unit: str | None = None,
    unit: str | None = None,
) -> PiecewiseConstant:
    r"""Return a step: ``level`` from ``start`` (until ``stop`` if given), 0 otherwise.

    Parameters
    ----------
    start : float
        Onset time, in ``time_unit``.
    stop : float, optional
        End time (exclusive); ``None`` keeps the level forever.
    level : float, default 1.0
        Value during the step, in ``unit``.
    time_unit : str, optional
        UCUM time unit; ``None`` means the model's own time unit.
    unit : str, optional
        UCUM value unit; ``None`` means the model input's unit.

    Returns
    -------
    PiecewiseConstant

    Notes
    -----
    .. math:: u(t) = \text{level}\cdot\mathbf{1}[\text{start} \le t < \text{stop}]

    References
    ----------
    .. [1] Gupta S et al. Theor Biol Med Model. 2007;4:8 (stress F(t) as a step).

    Examples
    --------
    >>> s = step(0, 10, level=1.0)
    >>> s([-1.0, 0.0, 5.0, 10.0])
    array([0., 1., 1., 0.])
    """
    if stop is None:
        return PiecewiseConstant([start], [level], time_unit=time_unit, unit=unit)
    if stop <= start:
        raise ValueError(f"'stop' must be after 'start'; got start={start:g}, stop={stop:g}.")
    return PiecewiseConstant([start, stop], [level, 0.0], time_unit=time_unit, unit=unit)


def pulse(
    start: float,
    duration: float,
    level: float = 1.0,
    *,
    time_unit: str | None = None,
    unit: str | None = None,
) -> Bumps:
    """One square pulse of ``level`` on ``[start, start + duration)``.

    Parameters
    ----------
    start : float
        Onset, in ``time_unit``.
    duration : float
        Length (> 0), in ``time_unit``.
    level : float, default 1.0
        Height, in ``unit``.
    time_unit : str, optional
        UCUM time unit; ``None`` means the model's own time unit.
    unit : str, optional
        UCUM value unit.

    Returns
    -------
    Bumps

    References
    ----------
    .. [1] Gupta S et al. Theor Biol Med Model. 2007;4:8 (model A: one unit-length pulse).

    Examples
    --------
    >>> pulse(1.0, 2.0, 3.0)([0.5, 1.0, 2.9, 3.0])
    array([0., 3., 3., 0.])
    """
    return pulses([start], duration, level, time_unit=time_unit, unit=unit)


def pulses(
    starts: ArrayLike,
    duration: ArrayLike,
    level: ArrayLike = 1.0,
    *,
    shape: str = "square",
    time_unit: str | None = None,
    unit: str | None = None,
) -> Bumps:
    """Return a train of pulses (overlapping pulses add up).

    Parameters
    ----------
    starts : array-like, shape (m,)
        Onsets, in ``time_unit``.
    duration : float or array-like, shape (m,)
        Lengths (> 0), in ``time_unit``.
    level : float or array-like, shape (m,)
        Heights, in ``unit``.
    shape : {"square", "bump", "sine2"}, default "square"
        Pulse shape (see :class:`Bumps`).
    time_unit : str, optional
        UCUM time unit; ``None`` means the model's own time unit.
    unit : str, optional
        UCUM value unit.

    Returns
    -------
    Bumps

    References
    ----------
    .. [1] Gupta S et al. Theor Biol Med Model. 2007;4:8 (model B: five pulses every 4 units).

    Examples
    --------
    >>> pulses([0, 4, 8], 1.0)([0.5, 2.0, 4.5, 8.5])
    array([1., 0., 1., 1.])
    """
    return Bumps(starts, duration, level, shape=shape, time_unit=time_unit, unit=unit)


def ramp(
    start: float,
    stop: float,
    level: float = 1.0,
    *,
    time_unit: str | None = None,
    unit: str | None = None,
) -> PiecewiseLinear:
    r"""Return a linear ramp from 0 at ``start`` to ``level`` at ``stop``, then constant.

    Parameters
    ----------
    start, stop : float
        Ramp ends, in ``time_unit`` (``stop > start``).
    level : float, default 1.0
        Final value, in ``unit``.
    time_unit : str, optional
        UCUM time unit; ``None`` means the model's own time unit.
    unit : str, optional
        UCUM value unit.

    Returns
    -------
    PiecewiseLinear

    Notes
    -----
    .. math:: u(t) = \text{level}\cdot\min(1, \max(0, (t - t_0)/(t_1 - t_0)))

    References
    ----------
    .. [1] neuroendo architecture, §4 "Inputs are data".

    Examples
    --------
    >>> ramp(0, 10, 2.0)([0.0, 5.0, 20.0])
    array([0., 1., 2.])
    """
    return PiecewiseLinear([start, stop], [0.0, level], time_unit=time_unit, unit=unit)


def tsst(
    onset: float = 0.0,
    *,
    duration: float = 15.0,
    level: float = 1.0,
    shape: str = "bump",
    time_unit: str = "min",
    unit: str | None = None,
) -> Bumps:
    r"""Return a Trier Social Stress Test-like stressor: a smooth bump of stress drive.

    Parameters
    ----------
    onset : float, default 0.0
        Start of the stress period (speech preparation), in ``time_unit``.
    duration : float, default 15.0
        Length of the stress period (TSST: ~5 min preparation, 5 min speech, 5 min mental
        arithmetic), in ``time_unit``.
    level : float, default 1.0
        Peak stress drive, in ``unit`` (model-specific; dimensionless for most models).
    shape : {"bump", "sine2", "square"}, default "bump"
        Time course within the window (see :class:`Bumps`).
    time_unit : str, default "min"
        UCUM time unit of ``onset`` and ``duration``; converted to the model's time unit.
    unit : str, optional
        UCUM value unit.

    Returns
    -------
    Bumps

    Notes
    -----
    With :math:`x = 2(t - t_0)/D - 1`, the default shape is
    :math:`u(t) = \text{level}\cdot \exp(1 - 1/(1 - x^2))` for :math:`|x| < 1`, else 0.

    References
    ----------
    .. [1] Kirschbaum C, Pirke KM, Hellhammer DH. The 'Trier Social Stress Test' - a tool for
       investigating psychobiological stress responses in a laboratory setting.
       Neuropsychobiology. 1993;28(1-2):76-81. doi:10.1159/000119004

    Examples
    --------
    >>> s = tsst(onset=10.0)
    >>> s([5.0, 17.5, 30.0])
    array([0., 1., 0.])
    >>> s.to_time_unit("h").durations
    array([0.25])
    """
    return Bumps([onset], duration, level, shape=shape, time_unit=time_unit, unit=unit)


def chronic_stress(
    start: float,
    level: float = 1.0,
    *,
    stop: float | None = None,
    ramp_time: float = 0.0,
    baseline: float = 0.0,
    time_unit: str | None = None,
    unit: str | None = None,
) -> Schedule:
    r"""Sustained stress: ``baseline + level`` from ``start`` to ``stop``, optional linear ramps.

    Parameters
    ----------
    start : float
        Onset, in ``time_unit``.
    level : float, default 1.0
        Added drive during the stress period, in ``unit``.
    stop : float, optional
        End (``None`` = never ends).
    ramp_time : float, default 0.0
        Duration of the linear rise (and fall) in ``time_unit``; 0 gives a step.
    baseline : float, default 0.0
        Value outside the stress period (e.g. 1.0 for a multiplicative drive).
    time_unit : str, optional
        UCUM time unit; ``None`` means the model's own time unit.
    unit : str, optional
        UCUM value unit.

    Returns
    -------
    Schedule

    Notes
    -----
    Karin et al. (2020) double the hypothalamic drive (``baseline=1, level=1``) for weeks.

    References
    ----------
    .. [1] Karin O et al. A new model for the HPA axis explains dysregulation of stress hormones
       on the timescale of weeks. Mol Syst Biol. 2020;16:e9510. doi:10.15252/msb.20209510

    Examples
    --------
    >>> chronic_stress(0.0, 1.0, stop=30.0, baseline=1.0)([-1.0, 10.0, 40.0])
    array([1., 2., 1.])
    """
    if ramp_time < 0:
        raise ValueError(f"'ramp_time' must be >= 0, got {ramp_time:g}.")
    if stop is not None and stop <= start + ramp_time:
        raise ValueError(
            f"'stop' must come after start + ramp_time = {start + ramp_time:g}, got {stop:g}."
        )
    if ramp_time == 0:
        body: Schedule = step(start, stop, level, time_unit=time_unit, unit=unit)
    else:
        t = [start, start + ramp_time]
        v = [0.0, level]
        if stop is not None:
            t += [stop, stop + ramp_time]
            v += [level, 0.0]
        body = PiecewiseLinear(t, v, time_unit=time_unit, unit=unit)
    return body + baseline if baseline else body


def circadian(
    amplitude: ArrayLike = 0.5,
    phase: ArrayLike = 6.0,
    *,
    period: float = 24.0,
    offset: ArrayLike = 1.0,
    harmonics: Sequence[tuple[float, float]] = (),
    time_unit: str = "h",
    unit: str | None = None,
) -> Harmonic:
    r"""Return a circadian drive in the published cosine form (optional extra harmonics).

    Parameters
    ----------
    amplitude : float or array-like, shape (n_subjects,), default 0.5
        Relative amplitude of the 24 h component (dimensionless).
    phase : float or array-like, shape (n_subjects,), default 6.0
        Time of the maximum of the first harmonic, in ``time_unit`` (clock time when model
        time 0 is midnight).
    period : float, default 24.0
        Period, in ``time_unit``.
    offset : float or array-like, default 1.0
        Mean level.
    harmonics : sequence of (amplitude, phase), optional
        Components 2, 3, ... (period/2, period/3, ...), each with its own phase.
    time_unit : str, default "h"
        UCUM time unit of ``phase`` and ``period``; use ``"1"`` for scaled-time models whose
        time unit stands for hours (e.g. ``gupta2007`` in the cohort benchmark).
    unit : str, optional
        UCUM value unit.

    Returns
    -------
    Harmonic

    Notes
    -----
    .. math::
        D(t) = \text{offset} + A\cos\left(\frac{2\pi (t - \varphi)}{P}\right)
               + \sum_{k \ge 2} A_k \cos\left(\frac{2\pi k (t - \varphi_k)}{P}\right)

    References
    ----------
    .. [1] Grosskopf et al. The stochastic nature of cortisol ultradian rhythms (two-harmonic
       circadian drive of the HPA axis), code in YanivGros/cortisol-ultradian-stochastic.
    .. [2] neuroendo performance problem 1: D(t) = 1 + amp·cos(2π(t − phi)/24), amp 0.5, phi 6 h.

    Examples
    --------
    >>> d = circadian(0.5, 6.0)
    >>> d([6.0, 18.0])
    array([1.5, 0.5])
    >>> circadian([0.5, 0.2], 6.0)(6.0)
    array([1.5, 1.2])
    """
    amp = _arr(amplitude)
    ph = _arr(phase)
    if harmonics:
        if amp.ndim or ph.ndim:
            raise ValueError("Per-subject amplitudes with extra harmonics are not supported.")
        extra = np.array(harmonics, dtype=np.float64).reshape(-1, 2)
        amps = np.concatenate([[float(amp)], extra[:, 0]])
        phs = np.concatenate([[float(ph)], extra[:, 1]])
        return Harmonic(offset, amps, phs, period, time_unit=time_unit, unit=unit)
    a2, p2 = np.broadcast_arrays(amp, ph)
    return Harmonic(offset, a2[None], p2[None], period, time_unit=time_unit, unit=unit)


def light_dark(
    lights_on: float = 7.0,
    lights_off: float = 23.0,
    *,
    light: float = 1.0,
    dark: float = 0.0,
    period: float = 24.0,
    time_unit: str = "h",
) -> PiecewiseConstant:
    """Return a repeating light/dark schedule (``light`` from ``lights_on`` to ``lights_off``).

    Parameters
    ----------
    lights_on, lights_off : float
        Clock times in ``[0, period)``, in ``time_unit`` (``lights_on > lights_off`` for
        night-time light, e.g. shift work).
    light, dark : float
        Levels in light and dark (e.g. 1 and 0, or lux).
    period : float, default 24.0
        Period, in ``time_unit``.
    time_unit : str, default "h"
        UCUM time unit.

    Returns
    -------
    PiecewiseConstant
        A periodic piecewise-constant schedule.

    References
    ----------
    .. [1] Rao R, Androulakis IP. The physiological significance of the circadian dynamics of the
       HPA axis: interplay between circadian rhythms, allostasis and stress resilience. Horm Behav.
       2019;110:77-89. doi:10.1016/j.yhbeh.2019.02.018

    Examples
    --------
    >>> ld = light_dark(7, 23)
    >>> ld([6.0, 7.0, 22.9, 23.0, 31.0])
    array([0., 1., 1., 0., 1.])
    """
    if lights_on == lights_off:
        raise ValueError("'lights_on' and 'lights_off' must differ.")
    if lights_on < lights_off:
        times, values = [lights_on, lights_off], [light, dark]
    else:
        times, values = [lights_off, lights_on], [dark, light]
    return PiecewiseConstant(times, values, period=period, time_unit=time_unit)


def _doses(
    dose: ArrayLike,
    times: ArrayLike,
    duration: float,
    dose_unit: str,
    time_unit: str,
) -> Bumps:
    t = _arr(times).ravel()
    d = np.broadcast_to(_arr(dose), t.shape)
    if (d < 0).any():
        raise ValueError(f"'dose' must be non-negative, got {d.tolist()}.")
    if not duration > 0:
        raise ValueError(f"'duration' (administration window) must be > 0, got {duration!r}.")
    rate_unit = normalize_unit(f"{normalize_unit(dose_unit)}/{normalize_unit(time_unit)}")
    return Bumps(t, duration, d / duration, shape="square", time_unit=time_unit, unit=rate_unit)


def _dose_times(
    times: ArrayLike | None, interval: float | None, start: float, n_doses: int | None
) -> NDArray[np.float64]:
    if times is not None:
        return _arr(times).ravel()
    if interval is None or n_doses is None:
        raise ValueError("Give either 'times', or both 'interval' and 'n_doses'.")
    if interval <= 0 or n_doses < 1:
        raise ValueError(f"'interval' must be > 0 and 'n_doses' >= 1, got {interval}, {n_doses}.")
    return start + interval * np.arange(int(n_doses), dtype=np.float64)


def dexamethasone(
    dose: ArrayLike = 1.0,
    time: ArrayLike = 23.0,
    *,
    duration: float = 0.5,
    dose_unit: str = "mg",
    time_unit: str = "h",
) -> Bumps:
    r"""Oral dexamethasone (dexamethasone suppression test) as a short absorption-rate input.

    Parameters
    ----------
    dose : float or array-like, default 1.0
        Dose per administration, in ``dose_unit`` (overnight DST: 1 mg at 23:00).
    time : float or array-like, default 23.0
        Administration time(s), in ``time_unit``.
    duration : float, default 0.5
        Window over which the dose is delivered as a constant rate, in ``time_unit``.
    dose_unit : str, default "mg"
        UCUM mass unit.
    time_unit : str, default "h"
        UCUM time unit.

    Returns
    -------
    Bumps
        Rate input, value ``dose/duration`` in ``dose_unit/time_unit`` (e.g. mg/h).

    Notes
    -----
    .. math:: r(t) = \frac{\text{dose}}{\Delta}\,\mathbf{1}[t_d \le t < t_d + \Delta],
       \quad \int r\,dt = \text{dose}

    References
    ----------
    .. [1] Nieman LK et al. The diagnosis of Cushing's syndrome: an Endocrine Society clinical
       practice guideline. J Clin Endocrinol Metab. 2008;93(5):1526-1540.
       doi:10.1210/jc.2008-0125

    Examples
    --------
    >>> dx = dexamethasone(1.0, 23.0)
    >>> dx(23.1), dx.unit
    (2.0, 'mg/h')
    """
    return _doses(dose, time, duration, dose_unit, time_unit)


def crh_injection(
    dose: ArrayLike = 100.0,
    time: ArrayLike = 0.0,
    *,
    duration: float = 1.0,
    dose_unit: str = "ug",
    time_unit: str = "min",
) -> Bumps:
    """Return an i.v. CRH bolus (CRH stimulation test) as a one-minute rate input.

    Parameters
    ----------
    dose : float or array-like, default 100.0
        Dose, in ``dose_unit`` (standard test: 100 µg or 1 µg/kg ovine/human CRH).
    time : float or array-like, default 0.0
        Injection time(s), in ``time_unit``.
    duration : float, default 1.0
        Injection window, in ``time_unit``.
    dose_unit : str, default "ug"
        UCUM mass unit.
    time_unit : str, default "min"
        UCUM time unit.

    Returns
    -------
    Bumps
        Rate input ``dose/duration`` in ``dose_unit/time_unit``.

    References
    ----------
    .. [1] Nieman LK et al. J Clin Endocrinol Metab. 2008;93(5):1526-1540.

    Examples
    --------
    >>> crh_injection(100.0, 0.0)(0.5)
    100.0
    """
    return _doses(dose, time, duration, dose_unit, time_unit)


def acth_injection(
    dose: ArrayLike = 250.0,
    time: ArrayLike = 0.0,
    *,
    duration: float = 1.0,
    dose_unit: str = "ug",
    time_unit: str = "min",
) -> Bumps:
    """Return an i.v. ACTH (cosyntropin) bolus, the short Synacthen test, as a rate input.

    Parameters
    ----------
    dose : float or array-like, default 250.0
        Dose, in ``dose_unit`` (standard test 250 µg; low-dose test 1 µg).
    time : float or array-like, default 0.0
        Injection time(s), in ``time_unit``.
    duration : float, default 1.0
        Injection window, in ``time_unit``.
    dose_unit : str, default "ug"
        UCUM mass unit.
    time_unit : str, default "min"
        UCUM time unit.

    Returns
    -------
    Bumps
        Rate input ``dose/duration`` in ``dose_unit/time_unit``.

    References
    ----------
    .. [1] Bornstein SR et al. Diagnosis and treatment of primary adrenal insufficiency: an
       Endocrine Society clinical practice guideline. J Clin Endocrinol Metab.
       2016;101(2):364-389. doi:10.1210/jc.2015-1710

    Examples
    --------
    >>> acth_injection()(0.0)
    250.0
    """
    return _doses(dose, time, duration, dose_unit, time_unit)


def endotoxin(
    dose: ArrayLike = 2.0,
    time: ArrayLike = 0.0,
    *,
    duration: float = 1.0 / 60.0,
    dose_unit: str = "ng/kg",
    time_unit: str = "h",
) -> Bumps:
    r"""Return an i.v. endotoxin (LPS) bolus, human experimental endotoxemia, as a rate input.

    Parameters
    ----------
    dose : float or array-like, default 2.0
        Dose per administration, in ``dose_unit`` (the usual human challenge is 2 ng/kg
        *E. coli* LPS; 0.4-4 ng/kg are used).
    time : float or array-like, default 0.0
        Administration time(s), in ``time_unit``.
    duration : float, default 1/60
        Injection window, in ``time_unit`` (one minute).
    dose_unit : str, default "ng/kg"
        UCUM unit of the dose (body-weight normalised).
    time_unit : str, default "h"
        UCUM time unit.

    Returns
    -------
    Bumps
        Rate input ``dose/duration`` in ``dose_unit/time_unit`` (ng/kg/h), for the ``endotoxin``
        port (``imm_endotoxin`` in ``network_immune``, :mod:`neuroendo.models.net.immune2026`).

    Raises
    ------
    ValueError
        For a negative dose or a non-positive ``duration``.

    Notes
    -----
    .. math:: e(t) = \frac{\text{dose}}{\Delta}\,\mathbf{1}[t_d \le t < t_d + \Delta],
       \qquad \int e\,dt = \text{dose}

    References
    ----------
    .. [1] Copeland S et al. Acute inflammatory response to endotoxin in mice and humans. Clin
       Diagn Lab Immunol. 2005;12(1):60-67. doi:10.1128/CDLI.12.1.60-67.2005

    Examples
    --------
    >>> e = endotoxin(2.0, 24.0)
    >>> e(24.005), e.unit
    (120.0, 'ng/kg/h')
    >>> e(25.0)
    0.0
    """
    t = _arr(time).ravel()
    d = np.broadcast_to(_arr(dose), t.shape)
    if (d < 0).any():
        raise ValueError(f"'dose' must be non-negative, got {d.tolist()}; pass a dose >= 0.")
    if not duration > 0:
        raise ValueError(
            f"'duration' (injection window) must be > 0, got {duration!r}; e.g. 1/60 h."
        )
    unit = normalize_unit(f"{normalize_unit(dose_unit)}/{normalize_unit(time_unit)}")
    return Bumps(t, duration, d / duration, shape="square", time_unit=time_unit, unit=unit)


def levothyroxine(
    dose: ArrayLike = 100.0,
    times: ArrayLike | None = None,
    *,
    interval: float | None = 24.0,
    start: float = 8.0,
    n_doses: int | None = None,
    duration: float = 1.0,
    dose_unit: str = "ug",
    time_unit: str = "h",
) -> Bumps:
    """Oral levothyroxine (T4) tablets as rate inputs (absorbed over ``duration``).

    Parameters
    ----------
    dose : float or array-like, default 100.0
        Dose per tablet, in ``dose_unit``.
    times : array-like, optional
        Dosing times, in ``time_unit``. If omitted, ``n_doses`` doses every ``interval``
        from ``start``.
    interval : float, default 24.0
        Dosing interval, in ``time_unit`` (used when ``times`` is None).
    start : float, default 8.0
        First dose (used when ``times`` is None).
    n_doses : int, optional
        Number of doses (required when ``times`` is None).
    duration : float, default 1.0
        Absorption window, in ``time_unit``.
    dose_unit : str, default "ug"
        UCUM mass unit.
    time_unit : str, default "h"
        UCUM time unit.

    Returns
    -------
    Bumps
        Rate input ``dose/duration`` in ``dose_unit/time_unit``; the model's gut compartment
        (e.g. THYROSIM) applies the absorbed fraction.

    References
    ----------
    .. [1] Eisenberg M, Samuels M, DiStefano JJ 3rd. Extensions, validation, and clinical
       applications of a feedback control system simulator of the hypothalamo-pituitary-thyroid
       axis. Thyroid. 2008;18(10):1071-1085. doi:10.1089/thy.2007.0388

    Examples
    --------
    >>> lt4 = levothyroxine(100.0, n_doses=3)
    >>> lt4.onsets
    array([ 8., 32., 56.])
    >>> lt4(8.5)
    100.0
    """
    return _doses(
        dose, _dose_times(times, interval, start, n_doses), duration, dose_unit, time_unit
    )


def liothyronine(
    dose: ArrayLike = 20.0,
    times: ArrayLike | None = None,
    *,
    interval: float | None = 24.0,
    start: float = 8.0,
    n_doses: int | None = None,
    duration: float = 1.0,
    dose_unit: str = "ug",
    time_unit: str = "h",
) -> Bumps:
    """Oral liothyronine (T3) tablets as rate inputs (absorbed over ``duration``).

    Parameters
    ----------
    dose : float or array-like, default 20.0
        Dose per tablet, in ``dose_unit``.
    times : array-like, optional
        Dosing times, in ``time_unit``; else ``n_doses`` every ``interval`` from ``start``.
    interval : float, default 24.0
        Dosing interval, in ``time_unit``.
    start : float, default 8.0
        First dose time.
    n_doses : int, optional
        Number of doses (required when ``times`` is None).
    duration : float, default 1.0
        Absorption window, in ``time_unit``.
    dose_unit : str, default "ug"
        UCUM mass unit.
    time_unit : str, default "h"
        UCUM time unit.

    Returns
    -------
    Bumps
        Rate input ``dose/duration`` in ``dose_unit/time_unit``.

    References
    ----------
    .. [1] Eisenberg M et al. Thyroid. 2008;18(10):1071-1085. doi:10.1089/thy.2007.0388

    Examples
    --------
    >>> liothyronine(20.0, times=[8.0])(8.0)
    20.0
    """
    return _doses(
        dose, _dose_times(times, interval, start, n_doses), duration, dose_unit, time_unit
    )


def gnrh_analogue(
    dose: ArrayLike = 3.75,
    times: ArrayLike | None = None,
    *,
    interval: float | None = 28.0,
    start: float = 0.0,
    n_doses: int | None = None,
    duration: float = 1.0,
    dose_unit: str = "mg",
    time_unit: str = "d",
) -> Bumps:
    """Return a GnRH agonist/antagonist (e.g. a monthly depot) as a rate input.

    Parameters
    ----------
    dose : float or array-like, default 3.75
        Dose per administration, in ``dose_unit`` (leuprorelin 1-month depot 3.75 mg).
    times : array-like, optional
        Administration times, in ``time_unit``; else ``n_doses`` every ``interval``.
    interval : float, default 28.0
        Dosing interval, in ``time_unit``.
    start : float, default 0.0
        First administration.
    n_doses : int, optional
        Number of doses (required when ``times`` is None).
    duration : float, default 1.0
        Release window, in ``time_unit`` (a depot releases slowly: lengthen it as needed).
    dose_unit : str, default "mg"
        UCUM mass unit.
    time_unit : str, default "d"
        UCUM time unit.

    Returns
    -------
    Bumps
        Rate input ``dose/duration`` in ``dose_unit/time_unit``.

    References
    ----------
    .. [1] Röblitz S et al. A mathematical model of the human menstrual cycle for the
       administration of GnRH analogues. J Theor Biol. 2013;321:8-27.
       doi:10.1016/j.jtbi.2012.11.020

    Examples
    --------
    >>> gnrh_analogue(n_doses=2).onsets
    array([ 0., 28.])
    """
    return _doses(
        dose, _dose_times(times, interval, start, n_doses), duration, dose_unit, time_unit
    )
