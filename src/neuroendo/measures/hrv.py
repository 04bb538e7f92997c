r"""Heart rate variability (HRV) from RR intervals: time, frequency and nonlinear indices.

Every function takes RR (inter-beat) intervals **in milliseconds**, as

* a 1-D array-like of intervals (times are their cumulative sum), or
* NeuroKit2's dictionary (or DataFrame) ``{"RRI": rr_ms, "RRI_Time": t_s}``, where ``RRI_Time``
  is the time in seconds of the beat that *ends* each interval. With time stamps, intervals whose
  stamps are not ``RRI`` apart (within 10 ms) follow a gap (a removed beat): no successive
  difference is taken across a gap, as in NeuroKit2 0.2.13. :func:`from_peaks`, :func:`read_rr`
  and :func:`clean_rr` return this form.

Nothing is cleaned silently: artefact handling is the separate, explicit step :func:`clean_rr`,
which reports what it changed. Values are never guessed: RR intervals given in seconds are
detected (median below 3) and rejected with the fix (``rr_ms = rr_s * 1000``).

Conventions differ between libraries; the choices here are

* SDNN, SDSD, SD1, SD2 use the sample SD (ddof = 1), as NeuroKit2 and pyhrv.
* pNN50/pNN20 divide by the number of successive differences by default (a proportion of pairs,
  as pyhrv and Kubios); ``pnn_denominator="intervals"`` divides by the number of intervals
  (differences + 1), as NeuroKit2 does.
* Band powers are absolute (ms²) Welch estimates with NeuroKit2 0.2.13's segment rules, so they
  equal ``nk.hrv_frequency(..., normalize=False, interpolation_rate=4)`` when the tachogram is
  interpolated the same way (``interpolation="quadratic"``). ``LFn``/``HFn`` are Task Force
  normalised units, 100·LF/(LF+HF): NeuroKit2's ``LFn`` is LF/TP with TP including VLF and VHF,
  a different number.

References
----------
.. [1] Task Force of the European Society of Cardiology and the North American Society of Pacing
   and Electrophysiology. Heart rate variability: standards of measurement, physiological
   interpretation and clinical use. Eur Heart J. 1996;17:354-381.
.. [2] Makowski D et al. NeuroKit2: A Python toolbox for neurophysiological signal processing.
   Behav Res Methods. 2021;53:1689-1696. doi:10.3758/s13428-020-01516-y
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataQualityWarning, DataValidationError, NeuroendoError, warn
from neuroendo._core.validation import as_float_array, check_finite, check_option, check_range
from neuroendo.measures import _hrv_core as core

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BANDS",
    "MIN_DURATION_S",
    "CleanedRR",
    "clean_rr",
    "frequency_domain",
    "frequency_domain_batch",
    "from_peaks",
    "nonlinear",
    "read_rr",
    "time_domain",
    "time_domain_batch",
    "windowed",
]

FloatArray = NDArray[np.float64]

#: Frequency bands in Hz, ``[low, high)``: Task Force 1996 LF/HF, NeuroKit2's ULF/VLF/VHF edges
#: (the Task Force's ULF/VLF boundary is 0.003 Hz; 0.0033 Hz = 1/300 s is NeuroKit2's).
BANDS: dict[str, tuple[float, float]] = {
    "ULF": (0.0, 0.0033),
    "VLF": (0.0033, 0.04),
    "LF": (0.04, 0.15),
    "HF": (0.15, 0.4),
    "VHF": (0.4, 0.5),
}

#: Shortest recording (s) for which each band is reported without a warning. HF 1 min and LF
#: 2 min are the Task Force's own figures ("approximately 1 min ... HF, 2 min ... LF"); VLF 5 min is
#: the short-term recording on which the Task Force defines VLF (its Table 2); VHF follows the
#: Task Force rule of ten cycles of the band's lower edge (10/0.4 Hz); ULF is defined on 24-h
#: recordings only, read here as at least 20 h to allow for Holter hook-up losses (PhysioNet nsr2db
#: records last 22.5-23.6 h). Durations within 5 % below a minimum are accepted ("approximately").
MIN_DURATION_S: dict[str, float] = {
    "ULF": 20 * 3600.0,
    "VLF": 300.0,
    "LF": 120.0,
    "HF": 60.0,
    "VHF": 25.0,
}
_DURATION_SLACK = 0.95

_MALIK1989 = (
    "Malik M et al. Heart rate variability in relation to prognosis after myocardial infarction: "
    "selection of optimal processing techniques. Eur Heart J. 1989;10(12):1060-1074."
)
_KAMATH1995 = (
    "Kamath MV, Fallen EL. Correction of the heart rate variability signal for ectopics and "
    "missing beats. In: Malik M, Camm AJ, eds. Heart Rate Variability. Futura; 1995:75-85."
)

if TYPE_CHECKING:
    from typing import TypeAlias

    RRInput: TypeAlias = ArrayLike | Mapping[str, Any] | pd.DataFrame | "CleanedRR"


# --------------------------------------------------------------------------- input handling
def _coerce(rr_ms: Any, name: str = "rr_ms") -> tuple[FloatArray, FloatArray | None]:
    """Return (intervals, time stamps or None) from any accepted input form."""
    if isinstance(rr_ms, CleanedRR):
        return rr_ms.rr_ms, rr_ms.time_s
    keys = None
    if isinstance(rr_ms, Mapping):
        keys = list(rr_ms.keys())
    elif hasattr(rr_ms, "columns"):
        keys = list(rr_ms.columns)
    if keys is not None:
        if "RRI" not in keys:
            raise DataValidationError(
                f"{name!r}: a dictionary or table needs an 'RRI' entry (RR intervals in ms, "
                f"NeuroKit2's format), got keys {keys[:6]}. For R-peak positions use "
                "hrv.from_peaks(peaks, sampling_rate=...)."
            )
        rr = as_float_array(f"{name}['RRI']", rr_ms["RRI"], ndim=1)
        t = None
        if "RRI_Time" in keys and rr_ms["RRI_Time"] is not None:
            t = as_float_array(f"{name}['RRI_Time']", rr_ms["RRI_Time"], ndim=1)
            if t.shape != rr.shape:
                raise DataValidationError(
                    f"{name!r}: 'RRI_Time' has {t.size} values but 'RRI' has {rr.size}; give one "
                    "time stamp (s, beat ending the interval) per interval."
                )
        return rr, t
    return as_float_array(name, rr_ms, ndim=1), None


def _validate(
    rr: FloatArray, t: FloatArray | None, name: str = "rr_ms", min_intervals: int = 3
) -> None:
    """Check one recording: finite, positive, in ms, long enough, increasing time stamps."""
    check_finite(name, rr)
    bad = np.flatnonzero(rr <= 0)
    if bad.size:
        vals = ", ".join(f"{rr[i]:g}" for i in bad[:3])
        raise DataValidationError(
            f"{name!r} must contain positive RR intervals (ms); got {vals} at position(s) "
            f"{', '.join(str(int(i)) for i in bad[:5])}. Intervals cannot be zero or negative: "
            "check the peak detection, or clean with hrv.clean_rr(rr_ms)."
        )
    if rr.size < min_intervals:
        raise DataValidationError(
            f"{name!r} has {rr.size} RR interval(s); at least {min_intervals} are needed."
        )
    med = float(np.median(rr))
    if med < 3.0:
        raise DataValidationError(
            f"{name!r} looks like RR intervals in seconds (median {med:.4g}); this function "
            "takes milliseconds: pass rr_ms = rr_s * 1000."
        )
    if med > 6000.0:
        raise DataValidationError(
            f"{name!r} has a median of {med:.6g} ms (a heart rate below 10/min): these are not "
            "RR intervals in ms. Peak sample positions? Use hrv.from_peaks(peaks, "
            "sampling_rate=...). Microseconds? Divide by 1000."
        )
    if t is not None:
        check_finite(f"{name}['RRI_Time']", t)
        d = np.diff(t)
        if (d <= 0).any():
            i = int(np.argmax(d <= 0))
            raise DataValidationError(
                f"{name!r}: 'RRI_Time' must be strictly increasing (s); got {t[i]:g}, "
                f"{t[i + 1]:g} at positions {i}-{i + 1}."
            )
        if t.size > 2:
            succ = np.abs(d * 1000.0 - rr[1:]) <= core.SUCCESSIVE_TOLERANCE_MS
            if succ.mean() < 0.5:
                raise DataValidationError(
                    f"{name!r}: fewer than half of the 'RRI_Time' steps equal the RR intervals "
                    f"({succ.mean():.0%}). 'RRI_Time' must be the time in seconds of the beat "
                    "that ends each interval (e.g. cumsum(rr_ms) / 1000); time stamps in ms "
                    "must be divided by 1000."
                )


def _prepare(rr_ms: Any, name: str = "rr_ms", min_intervals: int = 3) -> core.Flat:
    rr, t = _coerce(rr_ms, name)
    _validate(rr, t, name, min_intervals)
    return core.make_flat([rr], [t])


def _scalarise(values: Mapping[str, FloatArray], keys: Sequence[str]) -> dict[str, float]:
    return {k: float(values[k][0]) for k in keys}


# --------------------------------------------------------------------------- time domain
def time_domain(
    rr_ms: RRInput,
    *,
    pnn_denominator: Literal["differences", "intervals"] = "differences",
    segment_s: float = 300.0,
) -> dict[str, float]:
    r"""Time-domain HRV indices of one recording (Task Force 1996).

    Computed on the intervals as given: nothing is removed or corrected (see :func:`clean_rr`).

    Parameters
    ----------
    rr_ms : array-like, shape (n_intervals,), or dict / DataFrame with ``RRI`` (and ``RRI_Time``)
        RR (NN) intervals in ms, at least 3; with ``RRI_Time`` (s), no successive difference is
        taken across a gap.
    pnn_denominator : {"differences", "intervals"}, default "differences"
        Denominator of pNN50/pNN20: the number of successive differences (pyhrv, Kubios; a true
        proportion of adjacent pairs) or the number of intervals, i.e. differences + 1
        (NeuroKit2).
    segment_s : float, default 300
        Segment length in s for SDANN and SDNN index (Task Force: 5 min).

    Returns
    -------
    dict of str to float
        ``MeanNN, SDNN, RMSSD, SDSD, MedianNN, MinNN, MaxNN, IQRNN`` (ms); ``NN50, NN20``
        (counts); ``pNN50, pNN20`` (%); ``CVNN = SDNN/MeanNN`` and ``CVSD = RMSSD/MeanNN``
        (ratios, not %); ``MeanHR, SDHR, MinHR, MaxHR`` (beats/min, from 60000/RR); ``HTI``
        (HRV triangular index, 1/128 s bins anchored at 0 ms); ``SDANN`` and ``SDNNI`` (ms, over
        complete ``segment_s`` segments; NaN with fewer than 3 complete segments).

    Raises
    ------
    DataValidationError
        NaN or infinite values, non-positive intervals, fewer than 3 intervals, intervals that
        look like seconds (median < 3) or sample positions (median > 6000).
    ValueError
        Unknown ``pnn_denominator``.

    Notes
    -----
    With :math:`\Delta_i = RR_{i+1} - RR_i` over the :math:`M` successive pairs:

    .. math::

        SDNN = \sqrt{\tfrac{1}{N-1}\sum (RR_i - \overline{RR})^2}, \quad
        RMSSD = \sqrt{\tfrac{1}{M}\sum \Delta_i^2}, \quad
        pNN50 = 100\,\#\{|\Delta_i| > 50\,\mathrm{ms}\} / M

    (``M + 1`` with ``pnn_denominator="intervals"``). HTI = N / (height of the RR histogram).
    SDANN is the SD (ddof = 1) of the segment means and SDNNI the mean of the segment SDs, a beat
    belonging to the segment in which it ends. NeuroKit2's ``SDANN5``/``SDNNI5`` place windows
    differently and are not the same numbers.

    References
    ----------
    .. [1] Task Force of the ESC and NASPE. Heart rate variability: standards of measurement,
       physiological interpretation and clinical use. Eur Heart J. 1996;17:354-381.
    .. [2] Makowski D et al. NeuroKit2. Behav Res Methods. 2021;53:1689-1696.
       doi:10.3758/s13428-020-01516-y

    Examples
    --------
    >>> from neuroendo.measures import hrv
    >>> out = hrv.time_domain([800, 810, 790, 850, 820])
    >>> round(out["RMSSD"], 4), round(out["SDNN"], 4), out["pNN50"]
    (35.3553, 23.0217, 25.0)
    >>> hrv.time_domain([800, 810, 790, 850, 820], pnn_denominator="intervals")["pNN50"]
    20.0
    """
    check_option("pnn_denominator", pnn_denominator, ("differences", "intervals"))
    check_range("segment_s", segment_s, 0.0, None, inclusive=(False, True))
    flat = _prepare(rr_ms)
    res = core.time_domain(flat, pnn_denominator=pnn_denominator, segment_s=segment_s)
    return _scalarise(res, core.TIME_KEYS)


def _recordings(recordings: Any) -> tuple[list[Any], list[Any]]:
    """Split batch input into (labels, per-recording inputs)."""
    if isinstance(recordings, np.ndarray) and recordings.ndim == 2:
        return list(range(recordings.shape[0])), list(recordings)
    if isinstance(recordings, Mapping) and "RRI" not in recordings:
        return list(recordings.keys()), list(recordings.values())
    if isinstance(recordings, (str, bytes)) or not isinstance(recordings, Sequence):
        arr = np.asarray(recordings)
        if arr.ndim == 2:
            return list(range(arr.shape[0])), list(arr)
        raise DataValidationError(
            "'recordings' must be a 2-D array (one recording per row), a sequence of 1-D "
            f"recordings or a dict of them; got {type(recordings).__name__}."
        )
    return list(range(len(recordings))), list(recordings)


def time_domain_batch(
    recordings: Any,
    *,
    pnn_denominator: Literal["differences", "intervals"] = "differences",
    segment_s: float = 300.0,
    on_error: Literal["raise", "skip"] = "raise",
) -> pd.DataFrame:
    """Time-domain HRV of many recordings at once (a cohort), without a per-recording loop.

    Parameters
    ----------
    recordings : 2-D array, sequence or dict of recordings
        ``(n_recordings, n_intervals)`` array of RR intervals in ms, or a list (or dict keyed by
        recording label) of recordings of any length, each in a form :func:`time_domain` takes.
    pnn_denominator : {"differences", "intervals"}, default "differences"
        See :func:`time_domain`.
    segment_s : float, default 300
        Segment length in s for SDANN/SDNNI.
    on_error : {"raise", "skip"}, default "raise"
        ``"skip"`` turns a recording that fails validation into a row of NaN with
        ``status="failed"`` and the error ``message``; ``status`` and ``message`` columns are
        added only then.

    Returns
    -------
    pandas.DataFrame
        One row per recording (index ``recording``: position or dict key), columns as the keys
        of :func:`time_domain`, with the same units; ``df.attrs["units"]`` maps column to UCUM.

    Raises
    ------
    DataValidationError
        With ``on_error="raise"``, the first recording that fails (named in the message).

    Notes
    -----
    All recordings are concatenated once and every statistic is a grouped reduction
    (``np.bincount``, one sort for medians and quartiles), so the cost is linear in the total
    number of beats. Formulas as in :func:`time_domain`.

    References
    ----------
    .. [1] Task Force of the ESC and NASPE. Eur Heart J. 1996;17:354-381.

    Examples
    --------
    >>> import numpy as np
    >>> from neuroendo.measures import hrv
    >>> df = hrv.time_domain_batch([[800, 810, 790, 850, 820], [1000, 1000, 1000]])
    >>> df["RMSSD"].round(4).tolist()
    [35.3553, 0.0]
    >>> bad = hrv.time_domain_batch([[800, 810, 790], [0.8, 0.81, 0.79]], on_error="skip")
    >>> bad["status"].tolist()
    ['ok', 'failed']
    """
    import pandas as pd

    check_option("pnn_denominator", pnn_denominator, ("differences", "intervals"))
    check_option("on_error", on_error, ("raise", "skip"))
    check_range("segment_s", segment_s, 0.0, None, inclusive=(False, True))
    labels, items = _recordings(recordings)
    coerced: list[tuple[FloatArray, FloatArray | None] | None] = []
    errors: dict[int, str] = {}
    for pos, (label, item) in enumerate(zip(labels, items, strict=True)):
        try:
            coerced.append(_coerce(item, f"recordings[{label!r}]"))
        except NeuroendoError as exc:
            if on_error == "raise":
                raise
            coerced.append(None)
            errors[pos] = str(exc)
    # Screen all recordings at once; only suspicious ones go through the per-recording checks
    # that word the error (min >= 3 and max <= 6000 bound the median that _validate tests).
    ok_idx = [i for i, c in enumerate(coerced) if c is not None]
    if ok_idx:
        lengths = np.array([coerced[i][0].size for i in ok_idx])  # type: ignore[index]
        allrr = np.concatenate([coerced[i][0] for i in ok_idx])  # type: ignore[index]
        seg = np.repeat(np.arange(len(ok_idx)), lengths)
        nonfinite = np.bincount(seg, weights=~np.isfinite(allrr), minlength=len(ok_idx)) > 0
        mn, mx = core.group_min_max(np.nan_to_num(allrr), lengths)
        timed = np.array([coerced[i][1] is not None for i in ok_idx])  # type: ignore[index]
        with np.errstate(invalid="ignore"):
            suspicious = nonfinite | (lengths < 3) | ~(mn >= 3.0) | ~(mx <= 6000.0) | timed
        for j in np.flatnonzero(suspicious):
            i = ok_idx[j]
            rr, t = coerced[i]  # type: ignore[misc]
            try:
                _validate(rr, t, f"recordings[{labels[i]!r}]")
            except NeuroendoError as exc:
                if on_error == "raise":
                    raise
                errors[i] = str(exc)
    ok_pos = [i for i in range(len(items)) if i not in errors]
    rrs = [coerced[i][0] for i in ok_pos]  # type: ignore[index]
    times = [coerced[i][1] for i in ok_pos]  # type: ignore[index]
    status = ["failed" if i in errors else "ok" for i in range(len(items))]
    messages = [errors.get(i, "") for i in range(len(items))]
    out = np.full((len(items), len(core.TIME_KEYS)), np.nan)
    if rrs:
        flat = core.make_flat(rrs, times)
        res = core.time_domain(flat, pnn_denominator=pnn_denominator, segment_s=segment_s)
        out[ok_pos] = np.column_stack([res[k] for k in core.TIME_KEYS])
    df = pd.DataFrame(out, columns=list(core.TIME_KEYS), index=pd.Index(labels, name="recording"))
    if on_error == "skip":
        df["status"] = status
        df["message"] = messages
    df.attrs["units"] = {k: _UNITS[k] for k in core.TIME_KEYS}
    return df


# --------------------------------------------------------------------------- frequency domain
FREQ_KEYS = ("ULF", "VLF", "LF", "HF", "VHF", "TP", "LFHF", "LFn", "HFn", "LnHF")


def _frequency(
    rr: FloatArray,
    time: FloatArray,
    method: str,
    interpolation_rate: float,
    interpolation: str,
    bands: Mapping[str, tuple[float, float]],
    on_short: str,
) -> tuple[dict[str, float], list[str]]:
    """Band powers of one recording, and the bands it is too short for (see ``on_short``)."""
    duration = time[-1] - time[0] + rr[0] / 1000.0
    f_max = max(hi for _, hi in bands.values())
    if duration <= 10.0:
        raise DataValidationError(
            f"'rr_ms' lasts {duration:.3g} s, too short for a spectrum: the lowest frequency the "
            f"Welch segments resolve, 4/T = {4 / duration:.3g} Hz, lies above the HF band "
            "(0.15-0.4 Hz). Use a recording of at least 1 min (HF) or 2 min (LF)."
        )
    if method == "welch":
        order = 3 if interpolation == "cubic" else 2
        if rr.size < order + 1:
            raise DataValidationError(
                f"'rr_ms' has {rr.size} intervals; a {interpolation} spline needs {order + 1}."
            )
        y = core.interpolate_tachogram(time, rr, interpolation_rate, order)
        f, p = core.welch_psd(y, interpolation_rate)
    else:
        f, p = core.lomb_psd(time, rr, f_max)
    keep = f <= f_max
    f, p = f[keep], p[keep]
    power = {name: core.band_power(f, p, lo, hi) for name, (lo, hi) in bands.items()}
    short = [
        name
        for name in bands
        if np.isfinite(power[name]) and duration < _DURATION_SLACK * MIN_DURATION_S[name]
    ]
    if short and on_short == "raise":
        raise DataValidationError(_short_message(duration, short, bands))
    if on_short == "nan":
        for n in short:
            power[n] = float("nan")
    out = dict(power)
    low = [power[n] for n in ("ULF", "VLF", "LF", "HF") if n in power]
    finite = [v for v in low if np.isfinite(v)]
    out["TP"] = float(np.sum(finite)) if finite else float("nan")
    lf, hf = power.get("LF", np.nan), power.get("HF", np.nan)
    out["LFHF"] = lf / hf
    out["LFn"] = 100.0 * lf / (lf + hf)
    out["HFn"] = 100.0 * hf / (lf + hf)
    out["LnHF"] = float(np.log(hf))
    return {k: float(out[k]) for k in FREQ_KEYS}, short


def _short_message(
    duration: float, short: list[str], bands: Mapping[str, tuple[float, float]]
) -> str:
    listed = ", ".join(
        f"{n} ({bands[n][0]:g}-{bands[n][1]:g} Hz) needs {MIN_DURATION_S[n]:g} s" for n in short
    )
    return (
        f"The recording lasts {duration:.1f} s, too short for {listed} (Task Force 1996: about "
        "ten cycles of the band's lower edge; ~1 min for HF, ~2 min for LF). Use a longer "
        "recording, or on_short='nan' to return NaN for these bands."
    )


def _check_bands(bands: Mapping[str, tuple[float, float]] | None) -> dict[str, tuple[float, float]]:
    merged = dict(BANDS)
    if bands is not None:
        for name, edges in bands.items():
            check_option("bands key", name, tuple(BANDS))
            lo, hi = (float(e) for e in edges)
            if not (0.0 <= lo < hi):
                raise ValueError(
                    f"Band {name!r} must satisfy 0 <= low < high (Hz), got ({lo:g}, {hi:g})."
                )
            merged[name] = (lo, hi)
    return merged


def frequency_domain(
    rr_ms: RRInput,
    method: Literal["welch", "lomb"] = "welch",
    interpolation_rate: float = 4.0,
    *,
    interpolation: Literal["cubic", "quadratic"] = "cubic",
    bands: Mapping[str, tuple[float, float]] | None = None,
    on_short: Literal["warn", "nan", "raise", "ignore"] = "warn",
) -> dict[str, float]:
    r"""Frequency-domain HRV: absolute band powers in ms² and their ratios.

    Parameters
    ----------
    rr_ms : array-like, shape (n_intervals,), or dict / DataFrame with ``RRI`` (and ``RRI_Time``)
        RR intervals in ms (times: cumulative sum, or ``RRI_Time`` in s).
    method : {"welch", "lomb"}, default "welch"
        ``"welch"``: spline-interpolate the tachogram at ``interpolation_rate`` Hz and estimate the
        PSD with Welch's method using NeuroKit2 0.2.13's segment rules (see Notes).
        ``"lomb"``: Lomb-Scargle periodogram of the uninterpolated series (no resampling).
    interpolation_rate : float, default 4
        Resampling rate in Hz for ``"welch"`` (4 Hz as Kubios; NeuroKit2's default is 100 Hz).
    interpolation : {"cubic", "quadratic"}, default "cubic"
        Spline order of the tachogram interpolation. NeuroKit2 0.2.13 uses a quadratic spline;
        pass ``"quadratic"`` to reproduce its numbers exactly.
    bands : dict, optional
        Edges in Hz, ``[low, high)``, overriding :data:`BANDS` for the named bands
        (``ULF, VLF, LF, HF, VHF``).
    on_short : {"warn", "nan", "raise", "ignore"}, default "warn"
        What to do with a band the recording is too short for (:data:`MIN_DURATION_S`): warn
        (:class:`~neuroendo.DataQualityWarning`), return NaN for it, raise
        :class:`~neuroendo.DataValidationError`, or keep it silently.

    Returns
    -------
    dict of str to float
        ``ULF, VLF, LF, HF, VHF`` band powers (ms²; NaN when no spectral estimate lies in the
        band), ``TP`` = ULF + VLF + LF + HF (power up to 0.4 Hz, ms²; Task Force's total power,
        NaN bands skipped), ``LFHF`` = LF/HF, ``LFn`` and ``HFn`` (Task Force normalised units,
        100·LF/(LF+HF) and 100·HF/(LF+HF)), ``LnHF`` = ln(HF / ms²).

    Raises
    ------
    DataValidationError
        Invalid intervals (see :func:`time_domain`), a recording of 10 s or less (no spectral
        estimate below 0.4 Hz), or a too-short band with ``on_short="raise"``.
    ValueError
        Unknown ``method``, ``interpolation`` or ``on_short``, or bad band edges.

    Warns
    -----
    DataQualityWarning
        A band the recording is too short for (``on_short="warn"``).

    Notes
    -----
    **Welch.** The tachogram (RR against the time of the beat ending it) is interpolated with a
    spline on the grid ``t_0, t_0 + 1/f_s, ...`` up to the last beat (end values held
    outside), mean-centred, and split into Hann-windowed segments of
    :math:`L = \lfloor (2/f_{min}) f_s \rfloor \approx N/2` samples, :math:`f_{min} = 4 f_s / N`,
    overlapping by :math:`L/2` and zero-padded to :math:`2L`; the one-sided density estimates are
    averaged and frequencies below :math:`f_{min}` (two cycles per segment) are discarded. These
    are NeuroKit2 0.2.13's ``signal_psd`` defaults. For a 5-min recording at 4 Hz the spectrum
    starts at 0.0133 Hz, so VLF is only its upper part.

    **Lomb-Scargle.** The classical periodogram :math:`P(f)` of the mean-centred intervals at their
    beat times, on frequencies :math:`1/T, 1/T + 1/(4T), ..., 0.5` Hz, scaled to a density
    :math:`S(f) = 2\,\overline{\Delta t}\,P(f)` (:math:`\overline{\Delta t}` the mean interval in
    s) so that :math:`\int S\,df` equals the variance.

    Band power (ms²) is the trapezoid integral :math:`\int_{f_{lo}}^{f_{hi}} S(f)\,df` over the
    spectral estimates with :math:`f_{lo} \le f < f_{hi}`.
    :math:`LF_{n.u.} = 100\,LF/(LF + HF)` (Task Force, equal to 100·LF/(TP − VLF) when TP has no
    ULF); NeuroKit2's ``LFn`` is LF/TP with TP summing all five bands, not comparable.

    References
    ----------
    .. [1] Task Force of the ESC and NASPE. Eur Heart J. 1996;17:354-381.
    .. [2] Welch P. The use of fast Fourier transform for the estimation of power spectra.
       IEEE Trans Audio Electroacoust. 1967;15(2):70-73. doi:10.1109/TAU.1967.1161901
    .. [3] Lomb NR. Least-squares frequency analysis of unequally spaced data. Astrophys Space
       Sci. 1976;39:447-462. doi:10.1007/BF00648343
    .. [4] Makowski D et al. NeuroKit2. Behav Res Methods. 2021;53:1689-1696.

    Examples
    --------
    A 0.1 Hz oscillation of amplitude 50 ms has power 50²/2 = 1250 ms², all of it in LF:

    >>> import numpy as np
    >>> from neuroendo.measures import hrv
    >>> t = np.arange(0, 300, 0.8)
    >>> rr = 800 + 50 * np.sin(2 * np.pi * 0.1 * t)
    >>> out = hrv.frequency_domain(rr)
    >>> round(out["LF"] / 1250, 2), round(out["LFn"], 1)
    (1.0, 99.9)
    """
    check_option("method", method, ("welch", "lomb"))
    check_option("interpolation", interpolation, ("cubic", "quadratic"))
    check_option("on_short", on_short, ("warn", "nan", "raise", "ignore"))
    check_range("interpolation_rate", interpolation_rate, 1.0, None)
    edges = _check_bands(bands)
    flat = _prepare(rr_ms, min_intervals=4)
    out, short = _frequency(
        flat.rr, flat.time, method, interpolation_rate, interpolation, edges, on_short
    )
    if short and on_short == "warn":
        warn(_short_message(float(flat.time[-1]), short, edges), DataQualityWarning)
    return out


def frequency_domain_batch(
    recordings: Any,
    method: Literal["welch", "lomb"] = "welch",
    interpolation_rate: float = 4.0,
    *,
    interpolation: Literal["cubic", "quadratic"] = "cubic",
    bands: Mapping[str, tuple[float, float]] | None = None,
    on_short: Literal["warn", "nan", "raise", "ignore"] = "warn",
    on_error: Literal["raise", "skip"] = "raise",
) -> pd.DataFrame:
    """Frequency-domain HRV of many recordings (one spectrum per recording).

    Parameters
    ----------
    recordings : 2-D array, sequence or dict of recordings
        As for :func:`time_domain_batch` (RR intervals in ms).
    method, interpolation_rate, interpolation, bands, on_short
        As for :func:`frequency_domain`. With ``on_short="warn"`` one warning lists every
        recording that is too short.
    on_error : {"raise", "skip"}, default "raise"
        ``"skip"``: a failing recording becomes a NaN row with ``status="failed"`` and
        ``message`` (columns added only then).

    Returns
    -------
    pandas.DataFrame
        One row per recording, columns as :func:`frequency_domain` (ms², ratios, n.u.).

    Raises
    ------
    DataValidationError
        With ``on_error="raise"``, the first failing recording.

    Notes
    -----
    Each recording has its own interpolation grid and spectrum, so this loops over recordings
    (a heavy task per recording); see :func:`frequency_domain` for the formulas.

    References
    ----------
    .. [1] Task Force of the ESC and NASPE. Eur Heart J. 1996;17:354-381.

    Examples
    --------
    >>> import numpy as np
    >>> from neuroendo.measures import hrv
    >>> t = np.arange(0, 300, 0.8)
    >>> recs = [800 + a * np.sin(2 * np.pi * 0.25 * t) for a in (20.0, 40.0)]
    >>> (hrv.frequency_domain_batch(recs)["HF"] / [200.0, 800.0]).round(2).tolist()
    [1.0, 1.0]
    """
    import pandas as pd

    check_option("method", method, ("welch", "lomb"))
    check_option("interpolation", interpolation, ("cubic", "quadratic"))
    check_option("on_short", on_short, ("warn", "nan", "raise", "ignore"))
    check_option("on_error", on_error, ("raise", "skip"))
    check_range("interpolation_rate", interpolation_rate, 1.0, None)
    edges = _check_bands(bands)
    labels, items = _recordings(recordings)
    out = np.full((len(items), len(FREQ_KEYS)), np.nan)
    status: list[str] = []
    messages: list[str] = []
    short: list[str] = []
    for pos, (label, item) in enumerate(zip(labels, items, strict=True)):
        name = f"recordings[{label!r}]"
        try:
            rr, t = _coerce(item, name)
            _validate(rr, t, name, 4)
            flat = core.make_flat([rr], [t])
            res, too_short = _frequency(
                flat.rr, flat.time, method, interpolation_rate, interpolation, edges, on_short
            )
            if too_short and on_short == "warn":
                short.append(str(label))
        except NeuroendoError as exc:
            if on_error == "raise":
                raise
            status.append("failed")
            messages.append(str(exc))
            continue
        out[pos] = [res[k] for k in FREQ_KEYS]
        status.append("ok")
        messages.append("")
    if short:
        shown = ", ".join(short[:5]) + (", ..." if len(short) > 5 else "")
        warn(
            f"{len(short)} recording(s) ({shown}) are too short for some bands "
            f"(minimum durations {MIN_DURATION_S} s); their powers are unreliable. Use "
            "on_short='nan' to return NaN for them.",
            DataQualityWarning,
        )
    df = pd.DataFrame(out, columns=list(FREQ_KEYS), index=pd.Index(labels, name="recording"))
    if on_error == "skip":
        df["status"] = status
        df["message"] = messages
    df.attrs["units"] = {k: _UNITS[k] for k in FREQ_KEYS}
    return df


# --------------------------------------------------------------------------- nonlinear
NONLINEAR_KEYS = ("SD1", "SD2", "SD1SD2", "DFA_alpha1", "DFA_alpha2", "SampEn")


def _nonlinear(
    flat: core.Flat,
    dfa_alpha1: tuple[int, int],
    dfa_alpha2: tuple[int, int],
    dfa_overlap: bool,
    sampen_m: int,
    sampen_r: float,
    quiet: bool = False,
) -> dict[str, float]:
    rr = flat.rr
    sd1, sd2 = core.poincare(rr, flat.successive)
    out: dict[str, float] = {"SD1": sd1, "SD2": sd2, "SD1SD2": sd1 / sd2 if sd2 > 0 else np.nan}
    notes: list[str] = []
    for key, (lo, hi) in (("DFA_alpha1", dfa_alpha1), ("DFA_alpha2", dfa_alpha2)):
        if rr.size < 2 * hi:
            out[key] = float("nan")
            notes.append(
                f"{key} needs at least {2 * hi} intervals (two windows of {hi} beats), "
                f"got {rr.size}"
            )
        else:
            out[key] = core.dfa_alpha(rr, lo, hi, dfa_overlap)
    r = sampen_r * float(np.std(rr, ddof=1))
    if rr.size < sampen_m + 3 or r == 0.0:
        out["SampEn"] = float("nan")
        notes.append("SampEn is undefined for fewer than m + 3 intervals or zero variability")
    else:
        a, b = core.sample_entropy_counts(rr, sampen_m, r)
        if b == 0:
            out["SampEn"] = float("nan")
            notes.append(f"SampEn is undefined: no template pairs of length {sampen_m} match")
        elif a == 0:
            out["SampEn"] = float("inf")
            notes.append(f"SampEn is infinite: no template pairs of length {sampen_m + 1} match")
        else:
            out["SampEn"] = float(-np.log(a / b))
    if notes and not quiet:
        warn("nonlinear(): " + "; ".join(notes) + ".", DataQualityWarning)
    return out


def nonlinear(
    rr_ms: RRInput,
    *,
    dfa_alpha1: tuple[int, int] = (4, 16),
    dfa_alpha2: tuple[int, int] = (16, 64),
    dfa_overlap: bool = False,
    sampen_m: int = 2,
    sampen_r: float = 0.2,
) -> dict[str, float]:
    r"""Nonlinear HRV: Poincaré SD1/SD2, DFA α1/α2 and sample entropy.

    Parameters
    ----------
    rr_ms : array-like, shape (n_intervals,), or dict / DataFrame with ``RRI`` (and ``RRI_Time``)
        RR intervals in ms, at least 3 (DFA α2 needs 2 × 64 = 128 with the default scales).
    dfa_alpha1, dfa_alpha2 : (int, int), default (4, 16) and (16, 64)
        Inclusive window sizes in beats over which the DFA exponents are fitted (Peng 1995).
        NeuroKit2 0.2.13 uses (4, 11) and (12, N/10).
    dfa_overlap : bool, default False
        Non-overlapping windows (Peng 1995); ``True`` uses windows every ``n // 2`` beats as
        NeuroKit2's ``fractal_dfa``.
    sampen_m : int, default 2
        Template length m of sample entropy.
    sampen_r : float, default 0.2
        Tolerance r as a multiple of the SD (ddof = 1) of the intervals.

    Returns
    -------
    dict of str to float
        ``SD1, SD2`` (ms), ``SD1SD2`` (ratio), ``DFA_alpha1, DFA_alpha2, SampEn``
        (dimensionless).

    Raises
    ------
    DataValidationError
        Invalid intervals (see :func:`time_domain`).

    Warns
    -----
    DataQualityWarning
        When an index cannot be computed (too few beats for the DFA scales, no SampEn template
        matches) and is returned as NaN (or +inf for SampEn with B > 0, A = 0).

    Notes
    -----
    Poincaré (Brennan 2001), over successive pairs :math:`(RR_i, RR_{i+1})`:

    .. math::

        SD1 = \mathrm{SD}\big((RR_i - RR_{i+1})/\sqrt2\big), \quad
        SD2 = \mathrm{SD}\big((RR_i + RR_{i+1})/\sqrt2\big)

    DFA (Peng 1995): profile :math:`y(k) = \sum_{i \le k}(RR_i - \overline{RR})`, split into
    windows of n beats, each detrended by least squares; :math:`F(n)` is the root mean square of
    the residuals and α the slope of :math:`\log F(n)` against :math:`\log n`.

    Sample entropy (Richman & Moorman 2000): with B (A) the number of pairs :math:`i < j` of
    templates of length m (m + 1), both taken at the first :math:`N - m` positions, whose
    Chebyshev distance is at most :math:`r`, :math:`SampEn = -\ln(A/B)`. The pair count is
    O(N²), computed on blocks with NumPy broadcasting.

    References
    ----------
    .. [1] Brennan M, Palaniswami M, Kamen P. Do existing measures of Poincaré plot geometry
       reflect nonlinear features of heart rate variability? IEEE Trans Biomed Eng.
       2001;48(11):1342-1347. doi:10.1109/10.959330
    .. [2] Peng CK, Havlin S, Stanley HE, Goldberger AL. Quantification of scaling exponents and
       crossover phenomena in nonstationary heartbeat time series. Chaos. 1995;5(1):82-87.
       doi:10.1063/1.166141
    .. [3] Richman JS, Moorman JR. Physiological time-series analysis using approximate entropy
       and sample entropy. Am J Physiol Heart Circ Physiol. 2000;278(6):H2039-H2049.
       doi:10.1152/ajpheart.2000.278.6.H2039

    Examples
    --------
    White noise: SD1 = SD2, α ≈ 0.5 (slightly above at the short scales of α1), and SampEn
    near its theoretical value for Gaussian noise at r = 0.2 SD, -ln P(|X - Y| <= 0.2) = 2.18:

    >>> import numpy as np
    >>> from neuroendo.measures import hrv
    >>> rr = 800 + np.random.default_rng(1).normal(0, 30, 1000)
    >>> out = hrv.nonlinear(rr)
    >>> round(out["SD1"] / out["SD2"], 1), round(out["DFA_alpha2"], 1), round(out["SampEn"], 1)
    (1.0, 0.5, 2.2)
    """
    lo1, hi1 = (int(v) for v in dfa_alpha1)
    lo2, hi2 = (int(v) for v in dfa_alpha2)
    for nm, lo, hi in (("dfa_alpha1", lo1, hi1), ("dfa_alpha2", lo2, hi2)):
        if not (2 <= lo < hi):
            raise ValueError(
                f"{nm!r} must be (low, high) beats with 2 <= low < high, got {lo, hi}."
            )
    if int(sampen_m) < 1:
        raise ValueError(f"'sampen_m' must be a positive integer, got {sampen_m!r}.")
    check_range("sampen_r", sampen_r, 0.0, None, inclusive=(False, True))
    flat = _prepare(rr_ms)
    return _nonlinear(flat, (lo1, hi1), (lo2, hi2), bool(dfa_overlap), int(sampen_m), sampen_r)


# --------------------------------------------------------------------------- cleaning
@dataclass(frozen=True)
class CleanedRR:
    """Result of :func:`clean_rr`: the NN series and a record of every change.

    Attributes
    ----------
    rr_ms : ndarray, shape (n_out,)
        NN intervals in ms after correction.
    time_s : ndarray, shape (n_out,)
        Time in s of the beat ending each interval (gaps where beats were removed).
    flag : ndarray of str, shape (n_in,)
        Per input interval: ``"ok"``, ``"too_short"``, ``"too_long"`` or ``"ectopic"``.
    action : ndarray of str, shape (n_in,)
        Per input interval: ``"kept"``, ``"interpolated"`` or ``"removed"``.
    method : str
        Detection method used.
    report : dict
        Counts: ``n_in, n_out, too_short, too_long, ectopic, interpolated, removed`` and
        ``percent_changed``.
    """

    rr_ms: FloatArray
    time_s: FloatArray
    flag: NDArray[np.str_]
    action: NDArray[np.str_]
    method: str
    report: dict[str, float] = field(default_factory=dict)

    @property
    def mask(self) -> NDArray[np.bool_]:
        """Boolean mask over the input intervals: True where the interval was changed."""
        return np.asarray(self.action != "kept")

    def as_rri(self) -> dict[str, FloatArray]:
        """Return NeuroKit2's ``{"RRI": ms, "RRI_Time": s}`` dictionary."""
        return {"RRI": self.rr_ms, "RRI_Time": self.time_s}

    def __getitem__(self, key: str) -> FloatArray:
        """Allow ``cleaned["RRI"]`` and ``cleaned["RRI_Time"]`` like NeuroKit2's dict."""
        return self.as_rri()[key]


def _relative_rule(rr: FloatArray, valid: NDArray[np.bool_], low: float, high: float) -> Any:
    """Flag in-range intervals outside [low, high] × the preceding in-range interval."""
    pos = np.where(valid, np.arange(rr.size), -1)
    last = np.maximum.accumulate(pos)  # index of the latest in-range interval at or before i
    prev = np.concatenate(([-1], last[:-1]))
    has_prev = prev >= 0
    ref = rr[np.maximum(prev, 0)]
    ratio = rr / ref
    return valid & has_prev & ((ratio < low) | (ratio > high))


def clean_rr(
    rr_ms: RRInput,
    method: Literal["malik1989", "kamath1995", "limits"] = "malik1989",
    *,
    limits: tuple[float, float] = (300.0, 2000.0),
    threshold: float = 0.2,
    correction: Literal["interpolate", "remove"] = "interpolate",
) -> CleanedRR:
    r"""Find artefacts and ectopic beats in RR intervals and correct them, reporting each change.

    Two stages: intervals outside physiological ``limits`` are flagged; then, among the rest,
    ectopic intervals are found by a published rule relative to the preceding interval.
    Flagged intervals are replaced by linear interpolation between the nearest accepted
    neighbours (by beat number) or removed.

    Parameters
    ----------
    rr_ms : array-like or dict / DataFrame with ``RRI`` (and ``RRI_Time``)
        RR intervals in ms.
    method : {"malik1989", "kamath1995", "limits"}, default "malik1989"
        ``"malik1989"``: ectopic if it differs from the preceding interval by more than
        ``threshold`` (20 %) of it (Malik et al. 1989). ``"kamath1995"``: ectopic if it is more
        than 32.5 % longer or 24.5 % shorter than the preceding interval (Kamath & Fallen
        1995). ``"limits"``: physiological limits only.
    limits : (float, float), default (300, 2000)
        Shortest and longest plausible interval in ms (200 and 30 beats/min).
    threshold : float, default 0.2
        Relative change for ``"malik1989"``.
    correction : {"interpolate", "remove"}, default "interpolate"
        ``"interpolate"`` keeps the beat count (flagged intervals at either end, which have no
        accepted neighbour on one side, are removed); ``"remove"`` drops flagged intervals and
        keeps the original beat times, so later successive differences skip the gaps.

    Returns
    -------
    CleanedRR
        ``rr_ms``, ``time_s``, per-interval ``flag`` and ``action``, ``mask`` (changed) and a
        ``report`` of counts; pass it (or ``.as_rri()``) to any HRV function.

    Raises
    ------
    DataValidationError
        Invalid input (see :func:`time_domain`) or no interval left after cleaning.
    ValueError
        Unknown ``method`` or ``correction``, bad ``limits`` or ``threshold``.

    Notes
    -----
    The reference of each interval is the preceding interval within the physiological limits
    (the first interval has none and is judged by the limits only). A premature beat and its
    compensatory pause are both flagged; as the reference is the preceding *measured* interval,
    not the last accepted one, a flag never propagates along the series (comparing with the last
    accepted interval can lock onto a short beat and reject thousands of normal ones), but the
    interval after a long pause may be flagged too:

    .. math::

        |RR_i - RR_{ref}| > 0.2\,RR_{ref} \quad (\text{malik1989}), \qquad
        RR_i \notin [0.755, 1.325]\,RR_{ref} \quad (\text{kamath1995})

    Interpolated intervals get new beat times (cumulative sums from the original first beat).
    Lipponen & Tarvainen's (2019) adaptive method is not implemented; NeuroKit2 offers it as
    ``signal_fixpeaks(method="kubios")``. Report what was changed (Task Force 1996).

    References
    ----------
    .. [1] Malik M et al. Heart rate variability in relation to prognosis after myocardial
       infarction: selection of optimal processing techniques. Eur Heart J.
       1989;10(12):1060-1074.
    .. [2] Kamath MV, Fallen EL. Correction of the heart rate variability signal for ectopics and
       missing beats. In: Malik M, Camm AJ, eds. Heart Rate Variability. Futura; 1995:75-85.
    .. [3] Task Force of the ESC and NASPE. Eur Heart J. 1996;17:354-381.

    Examples
    --------
    A premature beat (600 ms) and its compensatory pause (1000 ms):

    >>> from neuroendo.measures import hrv
    >>> c = hrv.clean_rr([800, 810, 600, 1000, 805, 795])
    >>> c.flag.tolist()
    ['ok', 'ok', 'ectopic', 'ectopic', 'ok', 'ok']
    >>> c.rr_ms.tolist()
    [800.0, 810.0, 808.3333333333334, 806.6666666666666, 805.0, 795.0]
    >>> c.report["ectopic"], c.report["interpolated"]
    (2, 2)
    """
    check_option("method", method, ("malik1989", "kamath1995", "limits"))
    check_option("correction", correction, ("interpolate", "remove"))
    lo_lim, hi_lim = (float(v) for v in limits)
    if not (0.0 < lo_lim < hi_lim):
        raise ValueError(f"'limits' must be (low, high) in ms with 0 < low < high, got {limits}.")
    check_range("threshold", threshold, 0.0, 1.0, inclusive=(False, False))
    rr, t = _coerce(rr_ms)
    _validate(rr, t, min_intervals=1)
    if t is None:
        t = np.cumsum(rr) / 1000.0
    too_short = rr < lo_lim
    too_long = rr > hi_lim
    in_range = ~(too_short | too_long)
    if method == "malik1989":
        ectopic = _relative_rule(rr, in_range, 1.0 - threshold, 1.0 + threshold)
    elif method == "kamath1995":
        ectopic = _relative_rule(rr, in_range, 1.0 - 0.245, 1.0 + 0.325)
    else:
        ectopic = np.zeros(rr.size, dtype=bool)
    flag = np.full(rr.size, "ok", dtype="<U9")
    flag[ectopic] = "ectopic"
    flag[too_short] = "too_short"
    flag[too_long] = "too_long"
    good = flag == "ok"
    if not good.any():
        raise DataValidationError(
            f"clean_rr: all {rr.size} intervals were flagged (limits {lo_lim:g}-{hi_lim:g} ms, "
            f"method {method!r}); check the unit (ms) and the peak detection."
        )
    action = np.full(rr.size, "kept", dtype="<U12")
    if correction == "remove":
        action[~good] = "removed"
        out_rr = rr[good]
        out_t = t[good]
    else:
        pos = np.arange(rr.size)
        gi = np.flatnonzero(good)
        inside = (pos > gi[0]) & (pos < gi[-1])
        fix = ~good & inside
        new = rr.copy()
        new[fix] = np.interp(pos[fix], gi, rr[gi])
        action[fix] = "interpolated"
        action[~good & ~inside] = "removed"
        keep = action != "removed"
        out_rr = new[keep]
        start = t[keep][0] - rr[keep][0] / 1000.0  # original time of the first kept beat's start
        out_t = start + np.cumsum(out_rr) / 1000.0
    report: dict[str, float] = {
        "n_in": int(rr.size),
        "n_out": int(out_rr.size),
        "too_short": int(too_short.sum()),
        "too_long": int(too_long.sum()),
        "ectopic": int((flag == "ectopic").sum()),
        "interpolated": int((action == "interpolated").sum()),
        "removed": int((action == "removed").sum()),
        "percent_changed": float(100.0 * (action != "kept").mean()),
    }
    return CleanedRR(
        rr_ms=out_rr, time_s=out_t, flag=flag, action=action, method=method, report=report
    )


# --------------------------------------------------------------------------- readers
def from_peaks(peaks: ArrayLike, sampling_rate: float | None = None) -> dict[str, FloatArray]:
    r"""RR intervals from R-peak (or pulse) positions.

    Parameters
    ----------
    peaks : array-like, shape (n_peaks,)
        Peak times in seconds, or sample indices when ``sampling_rate`` is given; strictly
        increasing, at least 2.
    sampling_rate : float, optional
        Sampling rate in Hz of the signal the sample indices refer to.

    Returns
    -------
    dict
        ``{"RRI": intervals in ms, "RRI_Time": time in s of the beat ending each interval,
        from the first peak}`` (NeuroKit2's format; accepted by every function here).

    Raises
    ------
    DataValidationError
        Non-finite, non-increasing or fewer than 2 peaks.

    Notes
    -----
    :math:`RR_i = 1000\,(p_{i+1} - p_i)/f_s` for sample numbers (exact for integers), and
    :math:`RR_i = 1000\,(t_{i+1} - t_i)` rounded to 1 ns for times in s, so that floating-point
    noise cannot push a difference of exactly 50 ms over the NN50 threshold.

    References
    ----------
    .. [1] Task Force of the ESC and NASPE. Eur Heart J. 1996;17:354-381.

    Examples
    --------
    >>> from neuroendo.measures import hrv
    >>> hrv.from_peaks([100, 900, 1710], sampling_rate=1000)["RRI"].tolist()
    [800.0, 810.0]
    >>> hrv.from_peaks([0.0, 0.8, 1.61])["RRI_Time"].round(3).tolist()
    [0.8, 1.61]
    """
    from neuroendo._core.validation import check_times

    p = check_times(peaks, name="peaks")
    if p.ndim != 1 or p.size < 2:
        raise DataValidationError(
            f"'peaks' must be 1-D with at least 2 peaks, got shape {p.shape}."
        )
    if sampling_rate is not None:
        sr = check_range("sampling_rate", sampling_rate, 0.0, None, inclusive=(False, True))
        # difference the sample numbers first: exact for integer samples (as NeuroKit2)
        return {"RRI": np.diff(p) / sr * 1000.0, "RRI_Time": (p[1:] - p[0]) / sr}
    # times in s: round to 1 ns so that e.g. 0.85 - 0.80 s counts as 50 ms, not 50.0000000001
    return {"RRI": np.round(np.diff(p) * 1000.0, 6), "RRI_Time": p[1:] - p[0]}


_SPLIT = re.compile(r"[,;\t ]+")


def read_rr(
    path: str | Path, *, unit: Literal["auto", "ms", "s"] = "auto"
) -> dict[str, FloatArray]:
    r"""Read a Polar/Kubios-style RR text file (one interval per line, ms or s).

    Blank lines, lines starting with ``#`` and non-numeric header lines are skipped. Lines with
    several columns (comma, semicolon, tab or space separated) use the last column as the
    interval (e.g. Kubios' ``time  RR`` export).

    Parameters
    ----------
    path : str or Path
        Text file.
    unit : {"auto", "ms", "s"}, default "auto"
        Unit of the values. ``"auto"``: seconds when the median is below 3, milliseconds when it
        is at least 200; anything between is ambiguous and raises.

    Returns
    -------
    dict
        ``{"RRI": intervals in ms, "RRI_Time": cumulative time in s}``.

    Raises
    ------
    DataValidationError
        A line that is neither a number nor a header, no values, or an ambiguous unit.
    ValueError
        Unknown ``unit``.

    Notes
    -----
    Seconds are converted with :math:`RR_{ms} = 1000\,RR_s`. Values are not cleaned; PhysioNet
    ``*_rr_secs.txt`` files start with an offset (not an interval) that the caller drops.

    References
    ----------
    .. [1] Task Force of the ESC and NASPE. Eur Heart J. 1996;17:354-381.

    Examples
    --------
    >>> import tempfile, os
    >>> from neuroendo.measures import hrv
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "rr.txt")
    ...     with open(p, "w") as fh:
    ...         _ = fh.write("RR\n0.800\n0.810\n0.790\n")
    ...     hrv.read_rr(p)["RRI"].round(6).tolist()
    [800.0, 810.0, 790.0]
    """
    check_option("unit", unit, ("auto", "ms", "s"))
    values: list[float] = []
    path = Path(path)
    with path.open(encoding="utf-8-sig") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            last = _SPLIT.split(line)[-1]
            try:
                values.append(float(last))
            except ValueError:
                if values:  # text after numbers is an error, a leading header is not
                    raise DataValidationError(
                        f"{path.name}, line {lineno}: {line[:40]!r} is not a number; the file "
                        "must hold one RR interval per line."
                    ) from None
    if not values:
        raise DataValidationError(f"{path.name}: no RR intervals found.")
    rr = np.asarray(values, dtype=np.float64)
    if unit == "auto":
        med = float(np.median(rr))
        if med < 3.0:
            unit = "s"
        elif med >= 200.0:
            unit = "ms"
        else:
            raise DataValidationError(
                f"{path.name}: median value {med:g} is neither seconds (< 3) nor milliseconds "
                "(>= 200); pass unit='ms' or unit='s'."
            )
    if unit == "s":
        rr = np.round(rr * 1000.0, 6)  # to 1 ns: no floating-point noise at the NN50 threshold
    return {"RRI": rr, "RRI_Time": np.cumsum(rr) / 1000.0}


# --------------------------------------------------------------------------- windowed
def windowed(
    rr_ms: RRInput,
    window: float = 300.0,
    step: float | None = None,
    measures: Sequence[str] = ("RMSSD", "SDNN", "MeanNN"),
    *,
    pnn_denominator: Literal["differences", "intervals"] = "differences",
    interpolation_rate: float = 4.0,
) -> pd.DataFrame:
    r"""Time-resolved HRV: indices over sliding windows.

    Parameters
    ----------
    rr_ms : array-like or dict / DataFrame with ``RRI`` (and ``RRI_Time``)
        RR intervals in ms.
    window : float, default 300
        Window length in s.
    step : float, optional
        Step between window starts in s (default: ``window``, i.e. adjacent windows).
    measures : sequence of str, default ("RMSSD", "SDNN", "MeanNN")
        Any keys of :func:`time_domain` (computed for all windows at once), of
        :func:`frequency_domain` (Welch, cubic, with ``on_short="nan"``) or of :func:`nonlinear`
        (both looped over windows).
    pnn_denominator : {"differences", "intervals"}, default "differences"
        See :func:`time_domain`.
    interpolation_rate : float, default 4
        For frequency-domain measures (Hz).

    Returns
    -------
    pandas.DataFrame
        Index ``window_start_s`` (s from the start of the recording), a column ``n_beats`` and
        one column per measure (units as in the source function; a window where a measure cannot
        be computed holds NaN).

    Raises
    ------
    DataValidationError
        Invalid intervals, or a recording shorter than one window.
    ValueError
        Unknown measure names or non-positive ``window``/``step``.

    Notes
    -----
    Window k covers the beats ending in :math:`[k\,step, k\,step + window)`; only windows that
    fit inside the recording are returned. Successive differences never cross a window edge or
    a gap.

    References
    ----------
    .. [1] Task Force of the ESC and NASPE. Eur Heart J. 1996;17:354-381.

    Examples
    --------
    >>> import numpy as np
    >>> from neuroendo.measures import hrv
    >>> rr = np.tile([800.0, 820.0], 500)  # 13.5 min, alternating: RMSSD = 20 ms
    >>> df = hrv.windowed(rr, window=300, step=150, measures=("RMSSD",))
    >>> df.index.tolist(), df["RMSSD"].round(6).tolist()
    ([0.0, 150.0, 300.0, 450.0], [20.0, 20.0, 20.0, 20.0])
    """
    import pandas as pd

    check_range("window", window, 0.0, None, inclusive=(False, True))
    step = window if step is None else check_range("step", step, 0.0, None, inclusive=(False, True))
    check_option("pnn_denominator", pnn_denominator, ("differences", "intervals"))
    known = set(core.TIME_KEYS) | set(FREQ_KEYS) | set(NONLINEAR_KEYS)
    for m in measures:
        check_option("measures", m, sorted(known))
    flat = _prepare(rr_ms)
    total = float(flat.time[-1])
    if total < window:
        raise DataValidationError(
            f"'rr_ms' lasts {total:.1f} s, shorter than one window of {window:g} s; use a "
            "smaller window."
        )
    starts = np.arange(0.0, total - window + 1e-9, step)
    lo = np.searchsorted(flat.time, starts, side="left")
    hi = np.searchsorted(flat.time, starts + window, side="left")
    counts = hi - lo
    n_win = starts.size
    # indices of every (window, beat) pair, built without a loop over windows
    seg = np.repeat(np.arange(n_win, dtype=np.intp), counts)
    first = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    idx = first + np.arange(seg.size)
    rr = flat.rr[idx]
    time = flat.time[idx] - np.repeat(starts, counts)
    succ_orig = np.concatenate((flat.successive, [False]))
    successive = (seg[1:] == seg[:-1]) & succ_orig[idx[:-1]] & (idx[1:] == idx[:-1] + 1)
    wflat = core.Flat(rr=rr, time=time, seg=seg, n_seg=n_win, successive=successive)
    cols: dict[str, FloatArray] = {"n_beats": counts.astype(np.float64)}
    tkeys = [m for m in measures if m in core.TIME_KEYS]
    if tkeys:
        res = core.time_domain(wflat, pnn_denominator=pnn_denominator, segment_s=window)
        with np.errstate(invalid="ignore"):
            enough = counts >= 3
        for k in tkeys:
            cols[k] = np.where(enough, res[k], np.nan)
    fkeys = [m for m in measures if m in FREQ_KEYS]
    nkeys = [m for m in measures if m in NONLINEAR_KEYS]
    if fkeys or nkeys:
        bounds = np.concatenate(([0], np.cumsum(counts)))
        fvals = {k: np.full(n_win, np.nan) for k in (*fkeys, *nkeys)}
        for w in range(n_win):  # spectra and nonlinear indices: a heavy task per window
            a, b = bounds[w], bounds[w + 1]
            if b - a < 4:
                continue
            sub = core.Flat(
                rr=rr[a:b],
                time=time[a:b],
                seg=np.zeros(b - a, dtype=np.intp),
                n_seg=1,
                successive=successive[a : b - 1],
            )
            if fkeys:
                try:
                    fr, _ = _frequency(
                        sub.rr, sub.time, "welch", interpolation_rate, "cubic", BANDS, "nan"
                    )
                    for k in fkeys:
                        fvals[k][w] = fr[k]
                except NeuroendoError:
                    pass
            if nkeys:
                nl = _nonlinear(sub, (4, 16), (16, 64), False, 2, 0.2, quiet=True)
                for k in nkeys:
                    fvals[k][w] = nl[k]
        cols.update(fvals)
    df = pd.DataFrame(cols, index=pd.Index(starts, name="window_start_s"))
    df = df[["n_beats", *measures]]
    df.attrs["units"] = {"n_beats": "1", **{m: _UNITS[m] for m in measures}}
    return df


_UNITS: dict[str, str] = {
    "MeanNN": "ms",
    "SDNN": "ms",
    "RMSSD": "ms",
    "SDSD": "ms",
    "NN50": "1",
    "pNN50": "%",
    "NN20": "1",
    "pNN20": "%",
    "MedianNN": "ms",
    "MinNN": "ms",
    "MaxNN": "ms",
    "IQRNN": "ms",
    "CVNN": "1",
    "CVSD": "1",
    "MeanHR": "/min",
    "SDHR": "/min",
    "MinHR": "/min",
    "MaxHR": "/min",
    "HTI": "1",
    "SDANN": "ms",
    "SDNNI": "ms",
    "ULF": "ms2",
    "VLF": "ms2",
    "LF": "ms2",
    "HF": "ms2",
    "VHF": "ms2",
    "TP": "ms2",
    "LFHF": "1",
    "LFn": "%",
    "HFn": "%",
    "LnHF": "1",
    "SD1": "ms",
    "SD2": "ms",
    "SD1SD2": "1",
    "DFA_alpha1": "1",
    "DFA_alpha2": "1",
    "SampEn": "1",
}
