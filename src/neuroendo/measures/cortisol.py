"""Cortisol indices: AUC (Pruessner 2003), BioPsyKit saliva features, CAR, diurnal slope, TSST.

Two kinds of function live here:

* **Series functions** take arrays: ``times`` (1-D, shared, or 2-D, one row per subject) and
  ``conc`` (``(n_samples,)`` or ``(n_subjects, n_samples)``) and return a float for one series or an
  array with one value per subject: :func:`auc_g`, :func:`auc_i`, :func:`max_increase`,
  :func:`slope`, :func:`diurnal_slope`, :func:`sine_score`.
* **Table functions** take BioPsyKit's long saliva layout (index levels or columns ``subject`` and
  ``sample``, optional further levels such as ``condition`` or ``day``, a value column named after
  the analyte, e.g. ``cortisol``, and a ``time`` column in minutes or explicit ``sample_times``) and
  return one row per subject (and further level): :func:`features`, :func:`car_features`,
  :func:`tsst_responder`. They pivot the table once to an ``(n_subjects, n_samples)`` array and
  compute every index with NumPy, without a per-subject loop.

NaN policy (as BioPsyKit): a missing sample makes a subject's AUC, initial value, slope, skewness
and kurtosis NaN (no interpolation); maxima, mean, standard deviation and ``argmax`` skip missing
samples. Subjects with different sample sets are aligned on the union of sample labels, missing
samples being NaN.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core import columns as C
from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo._core.units import conversion_factor, convert, normalize_unit
from neuroendo._core.validation import (
    as_float_array,
    check_finite,
    check_nonnegative,
    check_option,
    check_range,
    check_same_length,
    check_times,
    did_you_mean,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "auc_g",
    "auc_i",
    "car_features",
    "diurnal_slope",
    "features",
    "max_increase",
    "sine_score",
    "slope",
    "tsst_responder",
]

FloatArray = NDArray[np.float64]

#: Labels BioPsyKit's ``remove_s0`` drops (the pre-baseline control sample).
_S0_LABELS = ("0", "S0")

#: Miller et al. (2013) responder thresholds: criterion -> (quantity, threshold).
_MILLER2013: dict[str, tuple[str, float]] = {
    "absolute": ("increase", 1.5),  # nmol/L
    "conservative": ("increase", 2.5),  # nmol/L
    "relative": ("increase_percent", 15.5),  # %
}


# ------------------------------------------------------------------------------------------------
# validation helpers (public boundary)
# ------------------------------------------------------------------------------------------------


def _validate_times(
    t: FloatArray, name: str, keys: Any = None, *, allow_nan: bool = False
) -> FloatArray:
    """Check times strictly increasing along the last axis, vectorised over rows.

    The row-wise check of :func:`check_times` is only called for the first offending row, to
    produce its message; valid 2-D input costs a few array operations.
    """
    if t.ndim == 1:
        return check_times(t, name=name, allow_nan=allow_nan)
    check_finite(name, t, allow_nan=allow_nan)
    valid = ~np.isnan(t)
    running = np.maximum.accumulate(np.where(valid, t, -np.inf), axis=1)
    previous = np.concatenate([np.full((t.shape[0], 1), -np.inf), running[:, :-1]], axis=1)
    bad = (valid & (t <= previous)).any(axis=1)
    if bad.any():
        row = int(np.argmax(bad))
        who = str(keys[row]) if keys is not None else None
        check_times(t[row], name=name, subject=who, allow_nan=allow_nan)
    return t


def _validate_conc(c: FloatArray, name: str) -> None:
    check_finite(name, c, allow_nan=True)
    check_nonnegative(name, c)


def _series(
    times: ArrayLike, conc: ArrayLike, *, min_samples: int = 2
) -> tuple[FloatArray, FloatArray]:
    """Validate the arrays of a series function; return (times, conc) as float arrays."""
    c = as_float_array("conc", conc, ndim=(1, 2))
    t = as_float_array("times", times, ndim=(1, 2))
    check_same_length(times=t, conc=c)
    if t.ndim == 2 and t.shape != c.shape:
        raise DataValidationError(
            f"2-D 'times' must have the shape of 'conc' (one row per subject); got times "
            f"{t.shape} and conc {c.shape}. Pass 1-D times when all subjects share them."
        )
    if c.shape[-1] < min_samples:
        raise DataValidationError(f"At least {min_samples} samples are needed, got {c.shape[-1]}.")
    _validate_conc(c, "conc")
    _validate_times(t, "times")
    return t, c


def _out(x: FloatArray) -> float | FloatArray:
    return float(x) if np.ndim(x) == 0 else x


# ------------------------------------------------------------------------------------------------
# kernels (trust their inputs; rows are subjects, the last axis is samples)
# ------------------------------------------------------------------------------------------------


def _auc_g(t: FloatArray, c: FloatArray) -> FloatArray:
    return np.asarray(np.trapezoid(c, x=t, axis=-1), dtype=np.float64)


def _auc_i(t: FloatArray, c: FloatArray) -> FloatArray:
    # trapezoid of (c - c0), as BioPsyKit: AUC_G - c0 (t_n - t_0) up to rounding
    return np.asarray(np.trapezoid(c - c[..., :1], x=t, axis=-1), dtype=np.float64)


def _nanmax(c: FloatArray) -> FloatArray:
    # fmax ignores NaN and returns NaN for an all-NaN row, without a RuntimeWarning
    return np.asarray(np.fmax.reduce(c, axis=-1), dtype=np.float64)


def _percent_of(inc: FloatArray, base: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pct = 100.0 * inc / np.abs(base)
    return np.where(base == 0, np.nan, pct)


def _max_inc(c: FloatArray, percent: bool) -> FloatArray:
    inc = _nanmax(c[..., 1:]) - c[..., 0]
    return _percent_of(inc, c[..., 0]) if percent else inc


def _slope(t: FloatArray, c: FloatArray, i: int, j: int) -> FloatArray:
    return np.asarray((c[..., j] - c[..., i]) / (t[..., j] - t[..., i]), dtype=np.float64)


def _standard_features(c: FloatArray) -> dict[str, Any]:
    """argmax, mean, std (ddof 1), skew and kurtosis (biased, Fisher) of each row."""
    valid = ~np.isnan(c)
    n = valid.sum(axis=1)
    filled = np.where(valid, c, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = filled.sum(axis=1) / n
        dev = np.where(valid, c - mean[:, None], 0.0)
        std = np.sqrt((dev * dev).sum(axis=1) / (n - 1))
    std = np.where(n >= 2, std, np.nan)
    # skewness and kurtosis propagate NaN (scipy.stats default nan_policy="propagate")
    m = c.mean(axis=1)
    d = c - m[:, None]
    d2 = d * d
    m2 = d2.mean(axis=1)
    m3 = (d2 * d).mean(axis=1)
    m4 = (d2 * d2).mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        # scipy's rule: a variance below rounding error of the mean means constant data -> NaN
        zero = m2 <= (np.finfo(np.float64).eps * m) ** 2
        skew = np.where(zero, np.nan, m3 / m2**1.5)
        kurt = np.where(zero, np.nan, m4 / (m2 * m2) - 3.0)
    argmax = np.where(valid, c, -np.inf).argmax(axis=1)
    return {"argmax": (argmax, n == 0), "mean": mean, "std": std, "skew": skew, "kurtosis": kurt}


# ------------------------------------------------------------------------------------------------
# series functions
# ------------------------------------------------------------------------------------------------


def auc_g(times: ArrayLike, conc: ArrayLike) -> float | FloatArray:
    r"""Area under the curve with respect to ground, AUC_G (trapezoid rule).

    Parameters
    ----------
    times : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Sampling times in minutes (any time unit works; the result is in that unit), strictly
        increasing; 2-D for per-subject times.
    conc : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Concentrations (any unit, e.g. nmol/L), non-negative; any NaN in a series makes that
        series' AUC NaN (no interpolation, as BioPsyKit).

    Returns
    -------
    float or ndarray, shape (n_subjects,)
        AUC_G in the unit of ``conc`` times the unit of ``times`` (e.g. nmol/L·min).

    Raises
    ------
    DataValidationError
        For non-numeric input, times not strictly increasing, mismatched lengths, infinite or
        negative concentrations, or fewer than two samples.

    Notes
    -----
    .. math:: AUC_G = \sum_{i=1}^{n-1} \frac{(m_{i+1} + m_i)\,(t_{i+1} - t_i)}{2}

    References
    ----------
    .. [1] Pruessner JC, Kirschbaum C, Meinlschmid G, Hellhammer DH. Two formulas for computation
       of the area under the curve represent measures of total hormone concentration versus
       time-dependent change. Psychoneuroendocrinology. 2003;28(7):916-931.
       doi:10.1016/S0306-4530(02)00108-7

    Examples
    --------
    >>> auc_g([1, 2, 3, 4, 5], [3.5, 7, 14, 7, 10])
    34.75
    >>> auc_g([0, 10, 15, 30, 45], [[3.5, 7, 14, 7, 10], [1, 1, 1, 1, 1]])
    array([390.,  45.])
    """
    t, c = _series(times, conc)
    return _out(_auc_g(t, c))


def auc_i(times: ArrayLike, conc: ArrayLike) -> float | FloatArray:
    r"""Area under the curve with respect to increase, AUC_I (Pruessner 2003; may be negative).

    Parameters
    ----------
    times : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Sampling times in minutes, strictly increasing; 2-D for per-subject times.
    conc : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Concentrations (any unit), non-negative; any NaN in a series gives NaN for it.

    Returns
    -------
    float or ndarray, shape (n_subjects,)
        AUC_I in the unit of ``conc`` times minutes (e.g. nmol/L·min).

    Raises
    ------
    DataValidationError
        As :func:`auc_g`.

    Notes
    -----
    The area above the first sample, computed (as BioPsyKit) as the trapezoid of
    :math:`m_i - m_1`:

    .. math:: AUC_I = AUC_G - m_1 \, (t_n - t_1)

    References
    ----------
    .. [1] Pruessner JC et al. Psychoneuroendocrinology. 2003;28(7):916-931.
       doi:10.1016/S0306-4530(02)00108-7

    Examples
    --------
    >>> auc_i([1, 2, 3, 4, 5], [3.5, 7, 14, 7, 10])
    20.75
    >>> auc_i([0, 10, 15, 30, 45], [3.5, 7, 14, 7, 10])
    232.5
    """
    t, c = _series(times, conc)
    return _out(_auc_i(t, c))


def max_increase(times: ArrayLike, conc: ArrayLike, percent: bool = False) -> float | FloatArray:
    r"""Maximum increase: the largest later sample minus the first sample.

    Parameters
    ----------
    times : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Sampling times in minutes, strictly increasing (checked; the value does not depend on
        them).
    conc : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Concentrations (any unit), non-negative. Missing later samples (NaN) are skipped; a missing
        first sample gives NaN.
    percent : bool, default False
        Return the increase in percent of the first sample (NaN when the first sample is 0).

    Returns
    -------
    float or ndarray, shape (n_subjects,)
        Increase in the unit of ``conc``, or in % when ``percent``.

    Raises
    ------
    DataValidationError
        As :func:`auc_g`.

    Notes
    -----
    .. math:: \Delta_{max} = \max_{i \ge 2} m_i - m_1, \qquad
              \Delta_{max}^{\%} = 100 \, \frac{\max_{i \ge 2} m_i - m_1}{|m_1|}

    References
    ----------
    .. [1] Richer R et al. BioPsyKit: A Python package for the analysis of biopsychological data.
       J Open Source Softw. 2021;6(66):3702. doi:10.21105/joss.03702 (``saliva.max_increase``)

    Examples
    --------
    >>> max_increase([1, 2, 3, 4, 5], [3.5, 7, 14, 7, 10])
    10.5
    >>> max_increase([1, 2, 3, 4, 5], [3.5, 7, 14, 7, 10], percent=True)
    300.0
    """
    _, c = _series(times, conc)
    return _out(_max_inc(c, bool(percent)))


def _position(name: str, value: Any, n: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name!r} must be an integer sample position, got {value!r}.")
    v = int(value)
    if not -n <= v < n:
        raise ValueError(
            f"{name!r} must be a sample position in [{-n}, {n - 1}] for {n} samples, got {v}."
        )
    return v % n


def _pair(i: Any, j: Any, n: int) -> tuple[int, int]:
    a, b = _position("i", i, n), _position("j", j, n)
    if a >= b:
        raise ValueError(
            f"The slope needs an earlier sample 'i' and a later sample 'j'; got positions {a} and "
            f"{b}. Swap them or pick different samples."
        )
    return a, b


def slope(times: ArrayLike, conc: ArrayLike, i: int, j: int) -> float | FloatArray:
    r"""Slope between two samples, :math:`(c_j - c_i)/(t_j - t_i)`.

    Parameters
    ----------
    times : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Sampling times in minutes, strictly increasing.
    conc : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Concentrations (any unit), non-negative; NaN at sample i or j gives NaN.
    i, j : int
        Positions of the two samples (0-based; negative counts from the end), ``i`` before ``j``.

    Returns
    -------
    float or ndarray, shape (n_subjects,)
        Slope in the unit of ``conc`` per minute (e.g. nmol/L/min).

    Raises
    ------
    ValueError
        If a position is out of range or ``i`` is not before ``j``.
    DataValidationError
        As :func:`auc_g`.

    Notes
    -----
    .. math:: s_{ij} = \frac{m_j - m_i}{t_j - t_i}

    References
    ----------
    .. [1] Richer R et al. J Open Source Softw. 2021;6(66):3702. doi:10.21105/joss.03702
       (``saliva.slope``)

    Examples
    --------
    >>> round(slope([-1, 30, 40, 50], [4.0, 6.0, 8.0, 7.0], 0, 2), 6)
    0.097561
    """
    t, c = _series(times, conc)
    a, b = _pair(i, j, c.shape[-1])
    return _out(_slope(t, c, a, b))


_DIURNAL_METHODS = ("wake_to_bed", "peak_to_bed", "ols", "ols_log")


def diurnal_slope(
    times: ArrayLike,
    conc: ArrayLike,
    *,
    method: Literal["wake_to_bed", "peak_to_bed", "ols", "ols_log"] = "wake_to_bed",
    peak: int | Literal["max"] = 1,
    exclude_car: bool = False,
    car_window: tuple[float, float] = (0.0, 1.0),
) -> float | FloatArray:
    r"""Diurnal cortisol slope: wake-to-bed, peak-to-bed or least-squares (raw or ln).

    Parameters
    ----------
    times : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Sampling times in **hours since waking** (the first sample is the waking sample, the last
        the bedtime sample), strictly increasing.
    conc : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Cortisol (any unit, e.g. nmol/L), non-negative; positive for ``"ols_log"``.
    method : {"wake_to_bed", "peak_to_bed", "ols", "ols_log"}, default "wake_to_bed"
        ``"wake_to_bed"`` (WBS): first to last sample. ``"peak_to_bed"`` (PBS): peak sample to last
        sample. ``"ols"``: least-squares slope of concentration on time. ``"ols_log"``:
        least-squares slope of ln(concentration), a fractional decline per hour.
    peak : int or "max", default 1
        For ``"peak_to_bed"``: the position of the peak sample (default 1, the +30 min sample of
        the usual protocol) or ``"max"`` for each subject's highest sample (NaN skipped).
    exclude_car : bool, default False
        For the OLS methods: leave out samples in the awakening-response window ``car_window``
        (the +30 min sample of the usual protocol), as Whitehall-type analyses do.
    car_window : (float, float), default (0.0, 1.0)
        Hours since waking; samples with ``car_window[0] < t <= car_window[1]`` are excluded when
        ``exclude_car`` is true.

    Returns
    -------
    float or ndarray, shape (n_subjects,)
        Slope in the unit of ``conc`` per hour (nmol/L/h for nmol/L); 1/h for ``"ols_log"``.
        Negative values mean the normal daytime decline.

    Raises
    ------
    ValueError
        For an unknown ``method`` or a ``peak`` at or after the last sample.
    DataValidationError
        As :func:`auc_g`; for ``"ols_log"`` also zero concentrations (ln 0 is undefined).

    Notes
    -----
    With samples :math:`(t_k, m_k)`, waking sample 1, bedtime sample n and peak p:

    .. math::

        WBS = \frac{m_n - m_1}{t_n - t_1}, \qquad PBS = \frac{m_n - m_p}{t_n - t_p}, \qquad
        OLS = \frac{\sum_k (t_k - \bar t)(y_k - \bar y)}{\sum_k (t_k - \bar t)^2}

    with :math:`y = m` (``"ols"``) or :math:`y = \ln m` (``"ols_log"``), over the samples kept.
    NaN: WBS and PBS are NaN when an anchor sample is missing; the OLS slopes skip missing samples
    and are NaN with fewer than two samples left. The day's AUC_G in nmol/L·h is
    :func:`auc_g` with the same times in hours.

    References
    ----------
    .. [1] Adam EK, Quinn ME, Tavernier R, McQuillan MT, Dahlke KA, Gilbert KE. Diurnal cortisol
       slopes and mental and physical health outcomes: a systematic review and meta-analysis.
       Psychoneuroendocrinology. 2017;83:25-41. doi:10.1016/j.psyneuen.2017.05.018
    .. [2] Kumari M, Shipley M, Stafford M, Kivimaki M. Association of diurnal patterns in salivary
       cortisol with all-cause and cardiovascular mortality: findings from the Whitehall II study.
       J Clin Endocrinol Metab. 2011;96(5):1478-1485. doi:10.1210/jc.2010-2137

    Examples
    --------
    >>> t = [0, 0.5, 5.5, 11.5, 16]
    >>> c = [15, 22, 8, 4, 2]
    >>> diurnal_slope(t, c)
    -0.8125
    >>> round(diurnal_slope(t, c, method="ols", exclude_car=True), 5)
    -0.80171
    """
    check_option("method", method, _DIURNAL_METHODS)
    t, c = _series(times, conc)
    n = c.shape[-1]
    if method == "wake_to_bed":
        return _out(_slope(t, c, 0, n - 1))
    if method == "peak_to_bed":
        if isinstance(peak, str):
            check_option("peak", peak, ("max",))
            p = np.where(np.isnan(c), -np.inf, c).argmax(axis=-1)
            cp = np.take_along_axis(c, p[..., None], axis=-1)[..., 0]
            tp = np.take_along_axis(np.broadcast_to(t, c.shape), p[..., None], axis=-1)[..., 0]
            with np.errstate(divide="ignore", invalid="ignore"):
                out = (c[..., -1] - cp) / (t[..., -1] - tp)
            # a subject whose peak is the bedtime sample has no peak-to-bed decline
            return _out(np.where(p == n - 1, np.nan, out))
        pos = _position("peak", peak, n)
        if pos >= n - 1:
            raise ValueError(
                f"'peak' must come before the last (bedtime) sample, got position {pos} of {n}."
            )
        return _out(_slope(t, c, pos, n - 1))
    y = c
    if method == "ols_log":
        if (c == 0).any():
            raise DataValidationError(
                "'conc' contains zeros; ln(0) is undefined for method='ols_log'. Use method='ols' "
                "or replace values below the detection limit first."
            )
        y = np.log(c)
    tb = np.broadcast_to(t, c.shape)
    keep = ~np.isnan(y)
    if exclude_car:
        lo, hi = car_window
        keep &= ~((tb > lo) & (tb <= hi))
    return _out(_ols_slope(tb, y, keep))


def _ols_slope(t: FloatArray, y: FloatArray, keep: NDArray[np.bool_]) -> FloatArray:
    w = keep.astype(np.float64)
    n = w.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        tm = (w * t).sum(axis=-1) / n
        ym = (w * np.where(keep, y, 0.0)).sum(axis=-1) / n
        dt = np.where(keep, t - tm[..., None], 0.0)
        dy = np.where(keep, y - ym[..., None], 0.0)
        out = (dt * dy).sum(axis=-1) / (dt * dt).sum(axis=-1)
    return np.asarray(np.where(n >= 2, out, np.nan), dtype=np.float64)


def sine_score(clock_times: ArrayLike, conc: ArrayLike) -> float | FloatArray:
    r"""Cortisol Sine Score (CSS): concentrations weighted by :math:`\sin(2\pi t/24)`.

    Parameters
    ----------
    clock_times : array-like, shape (n_samples,) or (n_subjects, n_samples)
        **Clock times** of the samples in hours (0-24, e.g. 6.5 for 06:30), not times since waking.
    conc : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Cortisol (any unit), non-negative; any NaN gives NaN (the score is a sum over a fixed
        design).

    Returns
    -------
    float or ndarray, shape (n_subjects,)
        The score in the unit of ``conc``: positive for a morning-weighted profile, negative for
        an evening-shifted or inverted one.

    Raises
    ------
    DataValidationError
        For non-numeric, non-finite times, negative concentrations or mismatched lengths.

    Notes
    -----
    .. math:: CSS = \sum_i m_i \sin\!\left(\frac{2\pi t_i}{24}\right)

    Morning samples (0-12 h) get positive and evening samples (12-24 h) negative weights. The
    score is model-free; it depends on the sampling design, so compare it only between subjects
    sampled at the same clock times.

    References
    ----------
    .. [1] Anzà S. CortSineScore: Compute Cortisol Sine Score (CSS) for Diurnal Cortisol Analysis.
       R package version 0.1.0, CRAN 2025. doi:10.32614/CRAN.package.CortSineScore
    .. [2] Anzà S, Rosa BA, Herzberg MP, et al. Simplifying daily cortisol cycle analysis:
       validation and benchmarking of the Cortisol Sine Score (2025; as cited by [1]).

    Examples
    --------
    >>> sine_score([2, 6, 10, 14, 18, 22], [2, 5, 4, 3, 1, 0.5])
    5.25
    """
    c = as_float_array("conc", conc, ndim=(1, 2))
    t = as_float_array("clock_times", clock_times, ndim=(1, 2))
    check_same_length(clock_times=t, conc=c)
    check_finite("clock_times", t)
    _validate_conc(c, "conc")
    return _out(np.asarray((c * np.sin(2.0 * np.pi * t / 24.0)).sum(axis=-1)))


# ------------------------------------------------------------------------------------------------
# the long saliva table
# ------------------------------------------------------------------------------------------------


@dataclass
class _Wide:
    """A long saliva table pivoted to (n_subjects, n_samples)."""

    keys: pd.Index  # subject (+ further levels), one entry per row of conc
    labels: list[Hashable]  # sample labels, in sample order
    conc: FloatArray  # (n_subjects, n_samples)
    times: FloatArray | None  # (n_samples,) shared, (n_subjects, n_samples) or None
    measured: bool  # times came from the table's time column
    unit: str | None  # UCUM unit of conc, None when unknown
    extra: dict[str, FloatArray]  # further pivoted numeric columns


def _natural_key(label: Hashable) -> list[tuple[int, Any]]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", str(label)) if p]


def _numeric_column(df: pd.DataFrame, col: str) -> FloatArray:
    import pandas as pd

    s = df[col]
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        kind = pd.api.types.infer_dtype(s, skipna=True)
        if kind not in ("floating", "integer", "mixed-integer-float", "decimal", "empty"):
            raise DataValidationError(
                f"Column {col!r} must be numeric, got values of type {kind!r} (dtype {s.dtype}); "
                f"convert it with pandas.to_numeric first."
            )
    return as_float_array(f"df[{col!r}]", s.to_numpy(dtype=np.float64, na_value=np.nan))


def _table_unit(df: pd.DataFrame, analyte: str, unit: str | None) -> str | None:
    """Return the checked UCUM unit of the value column (``unit`` or ``df.attrs["units"]``)."""
    units = df.attrs.get("units")
    if unit is None and isinstance(units, dict):
        unit = units.get(analyte)
    if unit is None:
        return None
    u = normalize_unit(unit)
    key = _catalogue_key(analyte)
    if key is not None:  # a known analyte: the unit must be one of its concentration units
        conversion_factor(u, "nmol/L" if key == "saliva_cortisol" else u, analyte=key)
    return u


def _to_wide(
    df: pd.DataFrame,
    *,
    analyte: str,
    sample_times: ArrayLike | None,
    unit: str | None,
    need_times: bool,
    time_col: str = C.TIME,
    extra_cols: Sequence[str] = (),
) -> _Wide:
    """Validate a long saliva table and pivot it once (no per-subject loop)."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"'df' must be a pandas DataFrame, got {type(df).__name__}.")
    if not isinstance(analyte, str):
        raise TypeError(f"'analyte' must be a column name (str), got {analyte!r}.")
    conc_unit = _table_unit(df, analyte, unit)
    units = df.attrs.get("units")
    time_unit = units.get(time_col) if isinstance(units, dict) else None

    names = list(df.index.names)
    missing = [c for c in (C.SUBJECT, C.SAMPLE) if c not in names]
    if missing:
        absent = [c for c in missing if c not in df.columns]
        if absent:
            raise DataValidationError(
                f"The saliva table needs {C.SUBJECT!r} and {C.SAMPLE!r} as index levels or "
                f"columns; missing {absent}. Index levels are {names}, columns "
                f"{list(df.columns)}."
            )
        default_index = df.index.nlevels == 1 and df.index.name is None
        df = df.set_index(missing, append=not default_index)
    if time_col in df.index.names:
        df = df.reset_index(time_col)
    if analyte not in df.columns:
        hint = did_you_mean(analyte, [str(c) for c in df.columns])
        raise DataValidationError(
            f"Column {analyte!r} (the 'analyte' argument) not found; columns are "
            f"{list(df.columns)}.{hint}"
        )
    values = _numeric_column(df, analyte)
    _validate_conc(values, f"df[{analyte!r}]")

    idx = df.index
    if not isinstance(idx, pd.MultiIndex):  # subject and sample are both levels by now
        raise DataValidationError(f"Expected a MultiIndex, got {type(idx).__name__}.")
    level_names = list(idx.names)
    s_pos = level_names.index(C.SAMPLE)
    key_pos = [i for i in range(idx.nlevels) if i != s_pos]
    key_codes = [np.asarray(idx.codes[i], dtype=np.int64) for i in key_pos]
    s_codes = np.asarray(idx.codes[s_pos], dtype=np.int64)
    for i, codes in zip([*key_pos, s_pos], [*key_codes, s_codes], strict=True):
        if (codes < 0).any():
            row = int(np.argmax(codes < 0))
            raise DataValidationError(
                f"Index level {level_names[i]!r} has a missing label (row {row}); every row needs "
                "a subject and a sample label."
            )
    if len(key_codes) == 1:
        combined = key_codes[0]
    else:
        dims = tuple(len(idx.levels[i]) for i in key_pos)
        combined = np.ravel_multi_index(tuple(key_codes), dims)
    inv, uniq = pd.factorize(combined, sort=True)
    inv = np.asarray(inv, dtype=np.int64)
    n_subj = len(uniq)
    if len(key_pos) == 1:
        keys: pd.Index = idx.levels[key_pos[0]].take(np.asarray(uniq))
        keys.name = level_names[key_pos[0]]
    else:
        dims = tuple(len(idx.levels[i]) for i in key_pos)
        parts = np.unravel_index(np.asarray(uniq), dims)
        mi_levels: Any = [idx.levels[i] for i in key_pos]
        mi_codes: Any = [np.asarray(q) for q in parts]
        keys = pd.MultiIndex(
            levels=mi_levels,
            codes=mi_codes,
            names=[level_names[i] for i in key_pos],
            verify_integrity=False,
        ).remove_unused_levels()

    # sample order: natural label order (S2 before S10), then by mean time when times are given
    s_levels: Any = idx.levels[s_pos]
    used = np.flatnonzero(np.bincount(s_codes, minlength=len(s_levels)))
    used = np.array(sorted(used, key=lambda k: _natural_key(s_levels[k])), dtype=np.int64)
    raw_times: FloatArray | None = None
    if sample_times is None and time_col in df.columns:
        raw_times = _numeric_column(df, time_col)
        bad = np.isnan(raw_times) & ~np.isnan(values)
        if bad.any() or np.isinf(raw_times).any():
            row = int(np.argmax(bad | np.isinf(raw_times)))
            raise DataValidationError(
                f"Column {time_col!r} has a missing or infinite time at row {row} where "
                f"{analyte!r} is present; every measured sample needs its time."
            )
        if time_unit is not None and normalize_unit(time_unit) != "min":
            raw_times = np.asarray(convert(raw_times, time_unit, "min"), dtype=np.float64)
        ok = ~np.isnan(raw_times)
        sums = np.bincount(s_codes[ok], weights=raw_times[ok], minlength=len(s_levels))
        cnt = np.bincount(s_codes[ok], minlength=len(s_levels))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_t = sums[used] / cnt[used]
        used = used[np.argsort(np.where(np.isnan(mean_t), np.inf, mean_t), kind="stable")]
    n_samp = len(used)
    lut = np.full(len(s_levels), -1, dtype=np.int64)
    lut[used] = np.arange(n_samp)
    flat = inv * n_samp + lut[s_codes]
    counts = np.bincount(flat, minlength=n_subj * n_samp)
    if (counts > 1).any():
        cell = int(np.argmax(counts > 1))
        raise DataValidationError(
            f"Subject {keys[cell // n_samp]!r} has {int(counts[cell])} rows for sample "
            f"{s_levels[used[cell % n_samp]]!r}; each subject needs one row per sample (average "
            "duplicate assays first)."
        )

    def pivot(v: FloatArray) -> FloatArray:
        out = np.full(n_subj * n_samp, np.nan)
        out[flat] = v
        return out.reshape(n_subj, n_samp)

    conc = pivot(values)
    labels = [s_levels[k] for k in used]
    times: FloatArray | None = None
    measured = False
    if sample_times is not None:
        times = as_float_array("sample_times", sample_times, ndim=(1, 2))
        expected = (n_samp,) if times.ndim == 1 else (n_subj, n_samp)
        if times.shape != expected:
            raise DataValidationError(
                f"'sample_times' must have shape {expected} (samples {labels}"
                + ("" if times.ndim == 1 else f" for {n_subj} subjects")
                + f"), got {times.shape}."
            )
        times = _validate_times(times, "sample_times", keys)
    elif raw_times is not None:
        t2 = pivot(raw_times)
        lo, hi = np.fmin.reduce(t2, axis=0), np.fmax.reduce(t2, axis=0)
        if np.array_equal(lo, hi) and not np.isnan(lo).any():
            times = _validate_times(hi, f"df[{time_col!r}]")
        else:
            times = _validate_times(t2, f"df[{time_col!r}]", keys, allow_nan=True)
        measured = True
    elif need_times:
        raise DataValidationError(
            f"No sampling times: the table has no {time_col!r} column (minutes) and "
            "'sample_times' was not given. Add the column or pass sample_times=[...]."
        )
    extra = {col: pivot(_numeric_column(df, col)) for col in extra_cols if col in df.columns}
    return _Wide(keys, labels, conc, times, measured, conc_unit, extra)


def _convert_conc(wide: _Wide, analyte: str, to_unit: str) -> None:
    if wide.unit is None:
        raise UnitError(
            f"Cannot convert {analyte!r} to {to_unit!r}: the table gives no unit for it. Set "
            f"df.attrs['units'] = {{{analyte!r}: 'nmol/L'}} (or the right unit) or pass unit=..."
        )
    key = _catalogue_key(analyte)
    wide.conc = np.asarray(convert(wide.conc, wide.unit, to_unit, analyte=key), dtype=np.float64)
    wide.unit = normalize_unit(to_unit)


def _catalogue_key(analyte: str) -> str | None:
    """Catalogue key for unit conversions: a ``cortisol`` column of a saliva table is saliva."""
    from neuroendo._core.analytes import ANALYTES

    if analyte.lower() == "cortisol":
        return "saliva_cortisol"
    return analyte if analyte.lower() in ANALYTES else None


def _time_unit(conc_unit: str | None) -> str:
    if conc_unit is None:
        return "{input}.min"
    num, sep, den = conc_unit.partition("/")
    return f"{num}.min/{den}" if sep else f"{conc_unit}.min"


def _resolve_sample(name: str, value: Any, labels: Sequence[Hashable]) -> int:
    """Return the position in ``labels`` of a sample given as position (int) or label."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return _position(name, value, len(labels))
    for k, lab in enumerate(labels):
        if lab == value or str(lab) == str(value):
            return k
    raise ValueError(
        f"{name!r}: no sample labelled {value!r}; the samples are {list(labels)}. Give a label or "
        "an integer position."
    )


def _slope_columns(
    wide: _Wide, prefix: str, slopes: Sequence[tuple[Any, Any]], conc: FloatArray
) -> dict[str, FloatArray]:
    out: dict[str, FloatArray] = {}
    for pair in slopes:
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise ValueError(
                f"Each entry of 'slopes' must be a pair (i, j) of sample positions or labels, "
                f"got {pair!r}."
            )
        a = _resolve_sample("slopes", pair[0], wide.labels)
        b = _resolve_sample("slopes", pair[1], wide.labels)
        if a >= b:
            raise ValueError(
                f"'slopes' pair {tuple(pair)!r}: the first sample must come before the second "
                f"(positions {a} and {b})."
            )
        assert wide.times is not None
        out[f"{prefix}_slope{pair[0]}{pair[1]}"] = _slope(wide.times, conc, a, b)
    return out


def _frame(columns: dict[str, Any], keys: pd.Index, units: dict[str, str]) -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame(columns, index=keys)
    out.attrs["units"] = units
    return out


def _nullable_int(values: NDArray[np.int64], mask: NDArray[np.bool_]) -> Any:
    import pandas as pd

    return pd.arrays.IntegerArray(values.astype(np.int64), mask)


def _nullable_bool(values: NDArray[np.bool_], mask: NDArray[np.bool_]) -> Any:
    import pandas as pd

    return pd.arrays.BooleanArray(values.astype(bool), mask)


def _auc_i_post(t: FloatArray, c: FloatArray) -> FloatArray:
    """AUC_I over the samples with t >= 0, baseline = first such sample."""
    if t.ndim == 1:
        post = np.flatnonzero(t >= 0)
        if post.size == 0:
            raise DataValidationError(
                f"compute_auc_post=True needs samples at t >= 0 (after the stressor); the sample "
                f"times are {', '.join(f'{x:g}' for x in t)}."
            )
        return _auc_i(t[post], c[:, post])
    # per-subject times: post samples are a suffix of each row; a missing sample (NaN time) counts
    # as post when an earlier sample is post and as pre when a later sample is pre, else the split
    # is unknown and the result NaN
    post_k = np.logical_or.accumulate(t >= 0, axis=1)
    pre_k = np.logical_or.accumulate((t < 0)[:, ::-1], axis=1)[:, ::-1]
    ambiguous = (~post_k & ~pre_k).any(axis=1) | ~post_k.any(axis=1)
    b = post_k.argmax(axis=1)
    rows = np.arange(c.shape[0])
    cb = c[rows, b]
    tb = t[rows, b]
    with np.errstate(invalid="ignore"):
        contrib = (c[:, 1:] + c[:, :-1] - 2.0 * cb[:, None]) * np.diff(t, axis=1) / 2.0
    total = np.where(post_k[:, :-1], contrib, 0.0).sum(axis=1)
    total = np.where(np.isnan(cb) | np.isnan(tb), np.nan, total)
    return np.where(ambiguous, np.nan, total)


def features(
    df: pd.DataFrame,
    sample_times: ArrayLike | None = None,
    *,
    analyte: str = "cortisol",
    remove_s0: bool = False,
    compute_auc_post: bool = False,
    slopes: Sequence[tuple[Any, Any]] = (),
    unit: str | None = None,
    to_unit: str | None = None,
) -> pd.DataFrame:
    r"""BioPsyKit's saliva features, one row per subject, from a long saliva table.

    Parameters
    ----------
    df : pandas.DataFrame
        BioPsyKit's long layout: index levels (or columns) ``subject`` and ``sample``, optional
        further levels (``condition``, ``day`` ...) that are carried into the output index, a
        value column named ``analyte`` and, unless ``sample_times`` is given, a ``time`` column in
        minutes (another time unit in ``df.attrs["units"]["time"]`` is converted). The
        concentration unit is read from ``df.attrs["units"][analyte]`` (or ``unit``).
    sample_times : array-like, shape (n_samples,) or (n_subjects, n_samples), optional
        Sample times in minutes, overriding the ``time`` column: 1-D when shared, 2-D with rows in
        the order of the output index. They include the S0 sample when ``remove_s0`` is set.
    analyte : str, default "cortisol"
        Name of the value column; also the prefix of the output columns.
    remove_s0 : bool, default False
        Drop the sample labelled ``0``, ``"0"`` or ``"S0"`` (a pre-baseline control sample) for
        the AUCs, ``max_val``, ``ini_val`` and ``max_inc`` (BioPsyKit's semantic). The standard
        features (``argmax``, ``mean``, ``std``, ``skew``, ``kurtosis``) and the slopes always use
        all samples, as BioPsyKit's ``standard_features`` and ``slope`` do.
    compute_auc_post : bool, default False
        Add ``<analyte>_auc_i_post``: AUC_I over the samples at t >= 0 (after the stressor), with
        the first of them as baseline. With per-subject times each subject's own post samples are
        used (BioPsyKit omits the column in that case).
    slopes : sequence of (i, j), default ()
        Sample pairs for ``<analyte>_slope<i><j>`` = :math:`(c_j - c_i)/(t_j - t_i)`. Integers are
        positions in the full sample order (S0 included; ``(1, 4)`` -> ``cortisol_slope14``);
        other values are sample labels (``("S1", "S4")`` -> ``cortisol_slopeS1S4``).
    unit : str, optional
        UCUM unit of the value column, when ``df.attrs["units"]`` does not give it.
    to_unit : str, optional
        Convert concentrations to this unit first (e.g. ``"nmol/L"`` from ``"ug/dL"``; cortisol
        uses its molar mass, 362.46 g/mol). Needs a known input unit.

    Returns
    -------
    pandas.DataFrame
        One row per subject (index: all levels of ``df`` except ``sample``), columns (for
        ``analyte="cortisol"``): ``cortisol_auc_g``, ``cortisol_auc_i`` (unit × min),
        [``cortisol_auc_i_post``], ``cortisol_max_val``, ``cortisol_ini_val``,
        ``cortisol_max_inc`` (unit), ``cortisol_max_inc_percent`` (%), [``cortisol_slope..``
        (unit/min)], ``cortisol_argmax`` (0-based position over all samples, nullable integer),
        ``cortisol_mean``, ``cortisol_std`` (ddof = 1), ``cortisol_skew``, ``cortisol_kurtosis``
        (biased, Fisher). ``attrs["units"]`` maps each column to its UCUM unit (``nmol.min/L``
        for AUCs of nmol/L input; ``{input}`` stands for an unknown input unit).

    Raises
    ------
    DataValidationError
        Missing ``subject``/``sample``/analyte column, non-numeric or negative values, duplicate
        (subject, sample) rows, no times, times not strictly increasing, ``remove_s0`` without an
        S0 sample, or ``compute_auc_post`` without samples at t >= 0.
    UnitError
        An unknown unit string, or ``to_unit`` without a known input unit.
    ValueError
        A bad ``slopes`` entry.

    Notes
    -----
    Per subject with samples :math:`m_1..m_n` at times :math:`t_1..t_n` (minutes):

    .. math::

        AUC_G = \sum_{i=1}^{n-1} \frac{(m_{i+1} + m_i)(t_{i+1} - t_i)}{2}, \quad
        AUC_I = AUC_G - m_1 (t_n - t_1), \quad
        \Delta_{max} = \max_{i \ge 2} m_i - m_1

    Skewness :math:`g_1 = m_3 / m_2^{3/2}` and excess kurtosis :math:`g_2 = m_4 / m_2^2 - 3` use
    the biased central moments :math:`m_k` (``scipy.stats.skew``/``kurtosis`` defaults); constant
    profiles give NaN. NaN policy: AUCs, ``ini_val``, slopes, skewness and kurtosis are NaN when a
    sample they use is missing; ``max_val``, ``max_inc``, ``mean``, ``std`` and ``argmax`` skip
    missing samples. Subjects with different sample sets are aligned on the union of labels.
    Samples are ordered by label (naturally: S2 before S10) and then by their mean time.

    The column is named ``cortisol_kurtosis`` as in BioPsyKit 0.14's actual output (its docstring
    says ``kurt``).

    References
    ----------
    .. [1] Pruessner JC et al. Psychoneuroendocrinology. 2003;28(7):916-931.
       doi:10.1016/S0306-4530(02)00108-7
    .. [2] Richer R, Küderle A, Ullrich M, Rohleder N, Eskofier BM. BioPsyKit: A Python package for
       the analysis of biopsychological data. J Open Source Softw. 2021;6(66):3702.
       doi:10.21105/joss.03702

    Examples
    --------
    >>> from neuroendo.datasets import load_cortisol_sample
    >>> df = load_cortisol_sample()
    >>> out = features(df, remove_s0=True, compute_auc_post=True, slopes=[(1, 4)])
    >>> out.shape
    (26, 13)
    >>> round(float(out.loc[("Control", "Vp03"), "cortisol_auc_g"]), 4)
    870.4181
    >>> out.attrs["units"]["cortisol_auc_g"]
    'nmol.min/L'
    """
    wide = _to_wide(df, analyte=analyte, sample_times=sample_times, unit=unit, need_times=True)
    if to_unit is not None:
        _convert_conc(wide, analyte, to_unit)
    assert wide.times is not None
    t_all, c_all = wide.times, wide.conc
    if c_all.shape[1] < 2:
        raise DataValidationError(
            f"At least 2 samples per subject are needed, the table has {c_all.shape[1]}."
        )
    t, c = t_all, c_all
    if remove_s0:
        is_s0 = np.array([str(lab) in _S0_LABELS for lab in wide.labels])
        if not is_s0.any():
            raise DataValidationError(
                f"remove_s0=True but no sample is labelled 0, '0' or 'S0'; the samples are "
                f"{wide.labels}. Drop the pre-baseline sample yourself or set remove_s0=False."
            )
        t, c = t_all[..., ~is_s0], c_all[:, ~is_s0]
        if c.shape[1] < 2:
            raise DataValidationError("After remove_s0 fewer than 2 samples are left.")
    p = analyte
    u = wide.unit if wide.unit is not None else "{input}"
    cols: dict[str, Any] = {f"{p}_auc_g": _auc_g(t, c), f"{p}_auc_i": _auc_i(t, c)}
    units = {f"{p}_auc_g": _time_unit(wide.unit), f"{p}_auc_i": _time_unit(wide.unit)}
    if compute_auc_post:
        cols[f"{p}_auc_i_post"] = _auc_i_post(t, c)
        units[f"{p}_auc_i_post"] = _time_unit(wide.unit)
    cols[f"{p}_max_val"] = _nanmax(c)
    cols[f"{p}_ini_val"] = c[:, 0].copy()
    cols[f"{p}_max_inc"] = _max_inc(c, False)
    cols[f"{p}_max_inc_percent"] = _percent_of(cols[f"{p}_max_inc"], c[:, 0])
    units.update({f"{p}_max_val": u, f"{p}_ini_val": u, f"{p}_max_inc": u})
    units[f"{p}_max_inc_percent"] = "%"
    for name, val in _slope_columns(wide, p, slopes, c_all).items():
        cols[name] = val
        units[name] = f"{u}/min"
    std = _standard_features(c_all)
    argmax, empty = std["argmax"]
    cols[f"{p}_argmax"] = _nullable_int(argmax, empty)
    units[f"{p}_argmax"] = "1"
    for k in ("mean", "std", "skew", "kurtosis"):
        cols[f"{p}_{k}"] = std[k]
        units[f"{p}_{k}"] = u if k in ("mean", "std") else "1"
    return _frame(cols, wide.keys, units)


def car_features(
    df: pd.DataFrame,
    sample_times: ArrayLike | None = None,
    *,
    analyte: str = "cortisol",
    wake_delay: str = "wake_delay",
    max_delay: float = 5.0,
    window: float = 7.5,
    slopes: Sequence[tuple[Any, Any]] = (),
    unit: str | None = None,
) -> pd.DataFrame:
    r"""Cortisol awakening response (CAR) indices, one row per subject (and day).

    Parameters
    ----------
    df : pandas.DataFrame
        Long saliva table (index levels or columns ``subject``, ``sample``, optional ``day`` ...)
        with the value column ``analyte``. A ``time`` column holds the **measured** sampling times
        in minutes since awakening; S1 is the first sample (nominally at awakening). An optional
        column ``wake_delay`` gives the delay (minutes) between awakening and S1, one value per
        subject and day.
    sample_times : array-like, shape (n_samples,), optional
        The **nominal** schedule in minutes since awakening (e.g. ``[0, 15, 30, 45]``). Without a
        ``time`` column the indices are computed on it and ``car_times_nominal`` is true; with a
        ``time`` column it serves only to flag samples taken off schedule.
    analyte : str, default "cortisol"
        Name of the value column.
    wake_delay : str, default "wake_delay"
        Column with the awakening-to-S1 delay in minutes. Without it the delay is S1's measured
        time (times count from awakening); with nominal times only, it is unknown (NA).
    max_delay : float, default 5.0
        Largest awakening-to-S1 delay (min) counted as adherent (Smyth et al. 2015: > 5 min is
        non-adherent).
    window : float, default 7.5
        Half-width (min) of the window around each nominal time within which a measured sample
        counts as on schedule. This default (half of the common 15-min spacing) is a convention of
        this package, not a published cut-off.
    slopes : sequence of (i, j), default ()
        Sample pairs for ``car_slope<i><j>`` (positions or labels, as in :func:`features`).
    unit : str, optional
        UCUM unit of the value column, when ``df.attrs["units"]`` does not give it.

    Returns
    -------
    pandas.DataFrame
        Columns ``car_s1`` (unit), ``car_auc_g``, ``car_auc_i`` (unit × min), ``car_mninc``,
        ``car_peak_inc`` (unit), ``car_peak_inc_percent`` (%), optional slopes (unit/min),
        ``car_s1_delay`` (min), ``car_adherent`` (nullable bool; NA when the delay is unknown),
        ``car_n_off_schedule`` (nullable int: samples more than ``window`` minutes from their
        nominal time; NA without both schedules) and ``car_times_nominal`` (bool).
        ``attrs["units"]`` gives the units.

    Raises
    ------
    DataValidationError
        As :func:`features`; also a ``wake_delay`` that differs between a subject's rows.

    Notes
    -----
    With S1..Sk at times :math:`t_1..t_k` (minutes since awakening):

    .. math::

        CAR_{AUC_I} = AUC_G(S_1..S_k) - S_1 (t_k - t_1), \qquad
        MnInc = \frac{1}{k-1}\sum_{i=2}^{k} S_i - S_1, \qquad
        \Delta_{peak} = \max_{i \ge 2} S_i - S_1

    and :math:`\Delta_{peak}^{\%} = 100\,\Delta_{peak}/S_1`. NaN: the AUCs and MnInc are NaN when
    any sample is missing; the peak increase skips missing later samples. Use measured times:
    with nominal times the AUCs are wrong whenever a sample was delayed.

    References
    ----------
    .. [1] Stalder T, Kirschbaum C, Kudielka BM, et al. Assessment of the cortisol awakening
       response: expert consensus guidelines. Psychoneuroendocrinology. 2016;63:414-432.
       doi:10.1016/j.psyneuen.2015.10.010
    .. [2] Smyth N, et al. Detailed time course of the cortisol awakening response in healthy
       participants. Psychoneuroendocrinology. 2015 (PMID 26318630).
    .. [3] Pruessner JC et al. Psychoneuroendocrinology. 2003;28(7):916-931.
       doi:10.1016/S0306-4530(02)00108-7

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"subject": ["a"] * 4, "sample": ["S1", "S2", "S3", "S4"],
    ...                    "cortisol": [10.0, 16.0, 20.0, 18.0], "time": [2.0, 17.0, 32.0, 47.0]})
    >>> df.attrs["units"] = {"cortisol": "nmol/L", "time": "min"}
    >>> out = car_features(df, sample_times=[0, 15, 30, 45])
    >>> float(out.loc["a", "car_auc_i"]), float(out.loc["a", "car_mninc"])
    (300.0, 8.0)
    >>> bool(out.loc["a", "car_adherent"])
    True
    """
    check_range("max_delay", max_delay, 0)
    check_range("window", window, 0)
    wide = _to_wide(
        df,
        analyte=analyte,
        sample_times=None,
        unit=unit,
        need_times=False,
        extra_cols=(wake_delay,),
    )
    nominal: FloatArray | None = None
    if sample_times is not None:
        nominal = as_float_array("sample_times", sample_times, ndim=1)
        if nominal.shape != (len(wide.labels),):
            raise DataValidationError(
                f"'sample_times' must give one nominal time per sample ({len(wide.labels)}: "
                f"{wide.labels}), got {nominal.shape[0]}."
            )
        nominal = _validate_times(nominal, "sample_times")
    if wide.times is None:
        if nominal is None:
            raise DataValidationError(
                "No sampling times: the table has no 'time' column (measured minutes since "
                "awakening) and 'sample_times' (the nominal schedule) was not given."
            )
        wide.times = nominal
    t, c = wide.times, wide.conc
    n_subj, n = c.shape
    if n < 2:
        raise DataValidationError(f"The CAR needs at least 2 samples, the table has {n}.")
    u = wide.unit if wide.unit is not None else "{input}"
    cols: dict[str, Any] = {"car_s1": c[:, 0].copy()}
    cols["car_auc_g"] = _auc_g(t, c)
    cols["car_auc_i"] = _auc_i(t, c)
    cols["car_mninc"] = c[:, 1:].mean(axis=1) - c[:, 0]
    cols["car_peak_inc"] = _max_inc(c, False)
    cols["car_peak_inc_percent"] = _percent_of(cols["car_peak_inc"], c[:, 0])
    cols.update(_slope_columns(wide, "car", slopes, c))
    # adherence: awakening -> S1 delay
    if wake_delay in wide.extra:
        d2 = wide.extra[wake_delay]
        lo, hi = np.fmin.reduce(d2, axis=1), np.fmax.reduce(d2, axis=1)
        differs = ~((lo == hi) | (np.isnan(lo) & np.isnan(hi)))
        if differs.any():
            row = int(np.argmax(differs))
            raise DataValidationError(
                f"Column {wake_delay!r} must hold one value per subject and day; subject "
                f"{wide.keys[row]!r} has {lo[row]:g} and {hi[row]:g}."
            )
        delay = lo
    elif wide.measured:
        delay = np.broadcast_to(t, c.shape)[:, 0].astype(np.float64)
    else:
        delay = np.full(n_subj, np.nan)
    with np.errstate(invalid="ignore"):
        adherent = delay <= max_delay
    cols["car_s1_delay"] = delay
    cols["car_adherent"] = _nullable_bool(adherent, np.isnan(delay))
    if wide.measured and nominal is not None:
        tm = np.broadcast_to(t, c.shape)
        with np.errstate(invalid="ignore"):
            off = (np.abs(tm - nominal) > window).sum(axis=1)
        cols["car_n_off_schedule"] = _nullable_int(off, np.zeros(n_subj, dtype=bool))
    else:
        cols["car_n_off_schedule"] = _nullable_int(
            np.zeros(n_subj, dtype=np.int64), np.ones(n_subj, dtype=bool)
        )
    cols["car_times_nominal"] = np.full(n_subj, not wide.measured)
    units = {
        "car_s1": u,
        "car_auc_g": _time_unit(wide.unit),
        "car_auc_i": _time_unit(wide.unit),
        "car_mninc": u,
        "car_peak_inc": u,
        "car_peak_inc_percent": "%",
        "car_s1_delay": "min",
        "car_adherent": "1",
        "car_n_off_schedule": "1",
        "car_times_nominal": "1",
    }
    units.update({k: f"{u}/min" for k in cols if k.startswith("car_slope")})
    return _frame(cols, wide.keys, units)


def tsst_responder(
    df: pd.DataFrame,
    sample_times: ArrayLike | None = None,
    *,
    analyte: str = "cortisol",
    criterion: Literal["absolute", "relative", "conservative"] = "absolute",
    baseline: Any = None,
    peak: Any = None,
    threshold: float | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    r"""Classify cortisol responders to a stressor (TSST) by Miller et al. (2013).

    Parameters
    ----------
    df : pandas.DataFrame
        Long saliva table (as :func:`features`); times in minutes relative to the stressor
        (t < 0 before, t >= 0 after), from the ``time`` column or ``sample_times``.
    sample_times : array-like, shape (n_samples,) or (n_subjects, n_samples), optional
        Sample times in minutes, overriding the ``time`` column.
    analyte : str, default "cortisol"
        Name of the value column (saliva cortisol).
    criterion : {"absolute", "relative", "conservative"}, default "absolute"
        ``"absolute"``: increase >= 1.5 nmol/L; ``"conservative"``: increase >= 2.5 nmol/L;
        ``"relative"``: increase >= 15.5 % of baseline.
    baseline : int or label, optional
        The baseline sample (position or label). Default: each subject's last sample before the
        stressor (t < 0).
    peak : int, label or sequence of them, optional
        The sample(s) whose maximum is the peak. Default: the maximum over the samples at
        t >= 0 (missing samples skipped).
    threshold : float, optional
        Override the criterion's threshold (nmol/L, or % for ``"relative"``).
    unit : str, optional
        UCUM unit of the value column, when ``df.attrs["units"]`` does not give it. The absolute
        criteria need it: values are converted to nmol/L (molar mass 362.46 g/mol).

    Returns
    -------
    pandas.DataFrame
        One row per subject: ``tsst_baseline``, ``tsst_peak``, ``tsst_increase`` (nmol/L, or the
        input unit for ``"relative"`` with an unknown unit), ``tsst_increase_percent`` (%),
        ``tsst_responder`` (nullable bool; NA when a needed sample is missing) and
        ``tsst_criterion`` (the rule applied, as text).

    Raises
    ------
    UnitError
        An absolute criterion with an unknown or non-concentration unit.
    DataValidationError
        As :func:`features`; also no sample before or after the stressor for the defaults.
    ValueError
        Unknown ``criterion``, or a ``baseline``/``peak`` sample that does not exist.

    Notes
    -----
    .. math::

        \Delta = \max_{t_i \ge 0} m_i - m_{base}, \qquad
        \Delta^{\%} = 100\,\Delta / m_{base}

    Responder if :math:`\Delta \ge 1.5` nmol/L (absolute), :math:`\Delta \ge 2.5` nmol/L
    (conservative, the traditional rule that Miller et al. found overly strict) or
    :math:`\Delta^{\%} \ge 15.5` % (relative).

    References
    ----------
    .. [1] Miller R, Plessow F, Kirschbaum C, Stalder T. Classification criteria for distinguishing
       cortisol responders from nonresponders to psychosocial stress: evaluation of salivary
       cortisol pulse detection in panel designs. Psychosom Med. 2013;75(9):832-840.
       doi:10.1097/PSY.0000000000000002

    Examples
    --------
    >>> from neuroendo.datasets import load_cortisol_sample
    >>> out = tsst_responder(load_cortisol_sample())
    >>> int(out["tsst_responder"].sum())
    9
    """
    check_option("criterion", criterion, tuple(_MILLER2013))
    quantity, default_threshold = _MILLER2013[criterion]
    thr = default_threshold if threshold is None else check_range("threshold", threshold, 0)
    need_times = baseline is None or peak is None
    wide = _to_wide(
        df, analyte=analyte, sample_times=sample_times, unit=unit, need_times=need_times
    )
    if quantity == "increase":
        if wide.unit is None:
            raise UnitError(
                f"The {criterion!r} criterion compares an increase in nmol/L, but the table gives "
                f"no unit for {analyte!r}. Set df.attrs['units'] = {{{analyte!r}: 'nmol/L'}} (or "
                "'ug/dL' ...) or pass unit=...; criterion='relative' needs no unit."
            )
        if wide.unit != "nmol/L":
            _convert_conc(wide, analyte, "nmol/L")
    c = wide.conc
    n_subj, n = c.shape
    rows = np.arange(n_subj)
    tb = None if wide.times is None else np.broadcast_to(wide.times, c.shape)
    if baseline is None:
        assert tb is not None
        pre = tb < 0
        if not pre.any(axis=1).all():
            row = int(np.argmax(~pre.any(axis=1)))
            raise DataValidationError(
                f"Subject {wide.keys[row]!r} has no sample before the stressor (t < 0) to serve "
                "as baseline; pass baseline=<label or position>."
            )
        b = n - 1 - pre[:, ::-1].argmax(axis=1)
        base = c[rows, b]
    else:
        base = c[:, _resolve_sample("baseline", baseline, wide.labels)]
    if peak is None:
        assert tb is not None
        post = tb >= 0
        if not post.any(axis=1).all():
            row = int(np.argmax(~post.any(axis=1)))
            raise DataValidationError(
                f"Subject {wide.keys[row]!r} has no sample after the stressor (t >= 0); pass "
                "peak=<labels or positions>."
            )
        top = _nanmax(np.where(post, c, np.nan))
    else:
        chosen = peak if isinstance(peak, (list, tuple)) else [peak]
        pos = [_resolve_sample("peak", q, wide.labels) for q in chosen]
        top = _nanmax(c[:, pos])
    inc = top - base
    pct = _percent_of(inc, base)
    value = inc if quantity == "increase" else pct
    with np.errstate(invalid="ignore"):
        responder = value >= thr
    rule = (
        f"{criterion}: increase >= {thr:g} nmol/L"
        if quantity == "increase"
        else f"{criterion}: increase >= {thr:g} % of baseline"
    )
    u = wide.unit if wide.unit is not None else "{input}"
    cols: dict[str, Any] = {
        "tsst_baseline": base,
        "tsst_peak": top,
        "tsst_increase": inc,
        "tsst_increase_percent": pct,
        "tsst_responder": _nullable_bool(responder, np.isnan(value)),
        "tsst_criterion": [rule] * n_subj,
    }
    units = {
        "tsst_baseline": u,
        "tsst_peak": u,
        "tsst_increase": u,
        "tsst_increase_percent": "%",
        "tsst_responder": "1",
        "tsst_criterion": "1",
    }
    return _frame(cols, wide.keys, units)
