r"""Stress-response metrics of a hormone time series, measured or simulated alike.

One function, :func:`stress_response`, takes times and values (one row per subject) and returns
baseline, peak reactivity, time to peak, recovery half-time, area above baseline, AUC_I and the
time spent outside a reference band. The same definitions apply to a TSST series measured in a
laboratory and to a simulated trajectory; the series is read as piecewise linear between samples
(so areas, crossings and times outside the band are exact for that interpolation).

References
----------
.. [1] Kirschbaum C, Pirke KM, Hellhammer DH. The 'Trier Social Stress Test'. Neuropsychobiology.
   1993;28(1-2):76-81. doi:10.1159/000119004
.. [2] Pruessner JC et al. Two formulas for computation of the area under the curve represent
   measures of total hormone concentration versus time-dependent change.
   Psychoneuroendocrinology. 2003;28(7):916-931. doi:10.1016/S0306-4530(02)00108-7
.. [3] McEwen BS. Protective and damaging effects of stress mediators. N Engl J Med.
   1998;338(3):171-179. doi:10.1056/NEJM199801153380307
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError
from neuroendo._core.validation import as_float_array, check_finite, check_times
from neuroendo.measures.cortisol import auc_i

__all__ = ["StressResponse", "stress_response"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class StressResponse:
    r"""Stress-response metrics, one value per subject (floats for a single series).

    Times are in the unit of the input times, concentrations in the unit of the values.

    Parameters
    ----------
    baseline : float or ndarray
        Pre-stress level.
    peak : float or ndarray
        Maximum at or after the onset.
    reactivity : float or ndarray
        ``peak - baseline``.
    reactivity_percent : float or ndarray
        ``100 * reactivity / baseline`` (%).
    time_to_peak : float or ndarray
        Time from onset to the peak.
    recovery_half_time : float or ndarray
        Time from the peak until the series first falls back to half the reactivity above
        baseline; NaN when ``status`` says ``"not_recovered"`` or ``"no_response"``.
    area_above_baseline : float or ndarray
        :math:`\\int_{onset}^{end} \\max(c - b, 0)\\,dt` (concentration x time).
    auc_i : float or ndarray
        Pruessner's AUC_I from the last pre-onset sample to the end, computed by
        :func:`neuroendo.measures.cortisol.auc_i` (may be negative).
    time_above, time_below : float or ndarray
        Time above the band's upper and below its lower limit over the whole series (NaN when
        no band was given, with ``band_note`` saying so).
    fraction_outside : float or ndarray
        ``(time_above + time_below) / duration``.
    status : str or ndarray of str
        ``"ok"``, ``"no_response"`` (peak not above baseline), or ``"not_recovered"`` (the
        series ends before half recovery).
    message : str or ndarray of str
        Explanation of a status other than ``"ok"``.
    band_note : str
        Empty, or why the band metrics are NaN.
    """

    baseline: Any
    peak: Any
    reactivity: Any
    reactivity_percent: Any
    time_to_peak: Any
    recovery_half_time: Any
    area_above_baseline: Any
    auc_i: Any
    time_above: Any
    time_below: Any
    fraction_outside: Any
    status: Any
    message: Any
    band_note: str = ""

    _FIELDS = (
        "baseline",
        "peak",
        "reactivity",
        "reactivity_percent",
        "time_to_peak",
        "recovery_half_time",
        "area_above_baseline",
        "auc_i",
        "time_above",
        "time_below",
        "fraction_outside",
        "status",
        "message",
    )

    def to_pandas(self) -> Any:
        """Return one row per subject, one column per metric."""
        import pandas as pd

        return pd.DataFrame({k: np.atleast_1d(getattr(self, k)) for k in self._FIELDS})


def _pos_area(a: FloatArray, b: FloatArray, dt: FloatArray) -> FloatArray:
    """Exact area of max(x, 0) for x linear from a to b over dt (elementwise)."""
    both = (a >= 0) & (b >= 0)
    cross = (a > 0) != (b > 0)
    p = np.maximum(np.maximum(a, b), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        part = dt * p**2 / (2.0 * (np.abs(a) + np.abs(b)))
    return np.where(both, 0.5 * (a + b) * dt, np.where(cross & ~both, part, 0.0))


def _pos_time(a: FloatArray, b: FloatArray, dt: FloatArray) -> FloatArray:
    """Time during which x > 0 for x linear from a to b over dt (elementwise)."""
    both = (a > 0) & (b > 0)
    cross = (a > 0) != (b > 0)
    p = np.maximum(np.maximum(a, b), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        part = dt * p / (np.abs(a) + np.abs(b))
    return np.where(both, dt, np.where(cross, part, 0.0))


def _out(x: FloatArray, single: bool) -> Any:
    if single:
        v = x[0]
        return str(v) if isinstance(v, str | np.str_) else float(v)
    return x


def stress_response(
    times: ArrayLike,
    values: ArrayLike,
    *,
    onset: float,
    baseline: ArrayLike | None = None,
    band: tuple[float, float] | None = None,
) -> StressResponse:
    r"""Stress-response metrics of hormone series (measured or simulated; same definitions).

    Parameters
    ----------
    times : array-like, shape (n_samples,)
        Sample times, strictly increasing, shared by all subjects (any time unit; results are
        in the same unit).
    values : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Concentrations (any unit), finite and non-negative (no missing values: drop or impute
        them first).
    onset : float
        Stressor onset, in the unit of ``times``.
    baseline : float or array-like, shape (n_subjects,), optional
        Pre-stress level. Default: the mean of the samples at or before ``onset``.
    band : (float, float), optional
        Reference band ``(low, high)`` in the unit of ``values``; time spent above / below it
        over the whole series measures chronic over- or under-stimulation.

    Returns
    -------
    StressResponse
        Floats for a single series, arrays with one value per subject otherwise; a per-subject
        ``status`` and ``message`` explain every NaN.

    Raises
    ------
    DataValidationError
        Times not increasing, fewer than 2 samples, NaN/negative values, no sample at or
        before the onset (without ``baseline``), no sample after it, or a band with
        ``low > high``.

    Notes
    -----
    With baseline :math:`b`, peak :math:`c_{max} = \max_{t_i \ge t_0} c_i` at :math:`t_p`,
    reactivity :math:`R = c_{max} - b`, and :math:`c(t)` linear between samples:

    .. math::
        t_{1/2} = \min\{t > t_p : c(t) \le b + R/2\} - t_p, \qquad
        A_{+} = \int_{t_0}^{t_n} \max(c(t) - b, 0)\,dt

    .. math::
        T_{above} = |\{t : c(t) > h\}|,\quad T_{below} = |\{t : c(t) < l\}|

    References
    ----------
    .. [1] Kirschbaum C et al. Neuropsychobiology. 1993;28(1-2):76-81.
    .. [2] Pruessner JC et al. Psychoneuroendocrinology. 2003;28(7):916-931.
    .. [3] McEwen BS. N Engl J Med. 1998;338(3):171-179.

    Examples
    --------
    >>> r = stress_response([0, 10, 20, 30, 40, 60], [5, 5, 15, 10, 7, 5], onset=10)
    >>> r.baseline, r.reactivity, r.time_to_peak, r.recovery_half_time
    (5.0, 10.0, 10.0, 10.0)
    >>> r.area_above_baseline
    180.0
    >>> stress_response([0, 10, 20], [5, 5, 15], onset=10).status
    'not_recovered'
    """
    t = check_times(as_float_array("times", times, ndim=1), name="times")
    c = as_float_array("values", values, ndim=(1, 2))
    single = c.ndim == 1
    c = np.atleast_2d(c)
    if c.shape[1] != t.size:
        raise DataValidationError(
            f"'values' must have {t.size} samples per subject (one per time); got {c.shape[1]}."
        )
    if t.size < 2:
        raise DataValidationError(f"At least 2 samples are needed, got {t.size}.")
    check_finite("values", c)
    if (c < 0).any():
        raise DataValidationError("'values' must be non-negative concentrations.")
    onset = float(onset)
    pre = t <= onset
    post = t >= onset
    if not post.any() or t[-1] <= onset:
        raise DataValidationError(
            f"No sample after the onset {onset:g} (last time {t[-1]:g}); the series cannot show "
            "a response. Check 'onset' and the time unit."
        )
    if baseline is None:
        if not pre.any():
            raise DataValidationError(
                f"No sample at or before the onset {onset:g} (first time {t[0]:g}) to define the "
                "baseline; pass baseline=... ."
            )
        base = c[:, pre].mean(axis=1)
    else:
        base = np.broadcast_to(as_float_array("baseline", baseline), (c.shape[0],)).astype(float)
        check_finite("baseline", base)
    rows = np.arange(c.shape[0])
    masked = np.where(post[None, :], c, -np.inf)
    ip = np.argmax(masked, axis=1)
    peak = c[rows, ip]
    tp = t[ip]
    react = peak - base
    with np.errstate(divide="ignore", invalid="ignore"):
        react_pct = np.where(base > 0, 100.0 * react / base, np.nan)
    # recovery: first sample after the peak at or below the half-recovery level
    thr = base + 0.5 * react
    idx = np.arange(t.size)
    below = (idx[None, :] > ip[:, None]) & (c <= thr[:, None])
    has = below.any(axis=1)
    k = np.argmax(below, axis=1)
    k0 = np.maximum(k - 1, 0)
    c0, c1 = c[rows, k0], c[rows, k]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(c1 != c0, (thr - c0) / (c1 - c0), 0.0)
    t_cross = t[k0] + frac * (t[k] - t[k0])
    responded = react > 0
    half = np.where(has & responded, t_cross - tp, np.nan)
    status = np.where(~responded, "no_response", np.where(has, "ok", "not_recovered"))
    message = np.where(
        ~responded,
        "the peak after onset is not above baseline: no response, so no recovery time",
        np.where(
            has,
            "",
            f"the series ends at t = {t[-1]:g} before falling back to half the reactivity "
            "above baseline; extend the series to measure recovery",
        ),
    )
    # areas over [onset, end], the segment containing the onset cut at the onset
    tt = np.concatenate([[onset], t[t > onset]])
    cc = np.column_stack([_interp_rows(t, c, onset), c[:, t > onset]])
    d = cc - base[:, None]
    area = _pos_area(d[:, :-1], d[:, 1:], np.diff(tt)[None, :]).sum(axis=1)
    last_pre = int(np.flatnonzero(pre)[-1]) if pre.any() else 0
    aucs = np.atleast_1d(np.asarray(auc_i(t[last_pre:], c[:, last_pre:]), dtype=np.float64))
    band_note = ""
    if band is None:
        above = below_t = frac_out = np.full(c.shape[0], np.nan)
        band_note = "no reference band given (band=(low, high)): band metrics are NaN"
    else:
        lo, hi = float(band[0]), float(band[1])
        if not lo <= hi:
            raise DataValidationError(f"'band' must be (low, high) with low <= high, got {band}.")
        dt = np.diff(t)[None, :]
        up = c - hi
        dn = lo - c
        above = _pos_time(up[:, :-1], up[:, 1:], dt).sum(axis=1)
        below_t = _pos_time(dn[:, :-1], dn[:, 1:], dt).sum(axis=1)
        frac_out = (above + below_t) / (t[-1] - t[0])
    return StressResponse(
        baseline=_out(base, single),
        peak=_out(peak, single),
        reactivity=_out(react, single),
        reactivity_percent=_out(react_pct, single),
        time_to_peak=_out(tp - onset, single),
        recovery_half_time=_out(half, single),
        area_above_baseline=_out(area, single),
        auc_i=_out(aucs, single),
        time_above=_out(above, single),
        time_below=_out(below_t, single),
        fraction_outside=_out(frac_out, single),
        status=_out(status.astype(str), single),
        message=_out(message.astype(str), single),
        band_note=band_note,
    )


def _interp_rows(t: FloatArray, c: FloatArray, x: float) -> FloatArray:
    """Linear interpolation of every row of ``c`` at time ``x`` (vectorised)."""
    j = int(np.clip(np.searchsorted(t, x, side="right") - 1, 0, t.size - 2))
    w = (x - t[j]) / (t[j + 1] - t[j])
    return np.asarray(c[:, j] + np.clip(w, 0.0, 1.0) * (c[:, j + 1] - c[:, j]))
