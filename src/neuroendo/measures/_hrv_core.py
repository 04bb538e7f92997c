"""Private HRV kernels: segmented time-domain statistics, spectra, DFA, sample entropy.

The functions here trust their inputs (validated once in :mod:`neuroendo.measures.hrv`).
Recordings are stored *flat*: one float array of RR intervals in ms for all recordings, an int
array of recording ids (``seg``, non-decreasing, contiguous) and the number of recordings, so that
cohort statistics are ``np.bincount`` reductions instead of per-recording Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

#: HRV triangular-index histogram bin width: 1/128 s (Task Force 1996), in ms.
HTI_BIN_MS = 1000.0 / 128.0

#: Tolerance (ms) for deciding that two RR intervals are successive from their time stamps, as
#: NeuroKit2's ``intervals_successive`` (``thresh_unequal=10``).
SUCCESSIVE_TOLERANCE_MS = 10.0

TIME_KEYS = (
    "MeanNN",
    "SDNN",
    "RMSSD",
    "SDSD",
    "NN50",
    "pNN50",
    "NN20",
    "pNN20",
    "MedianNN",
    "MinNN",
    "MaxNN",
    "IQRNN",
    "CVNN",
    "CVSD",
    "MeanHR",
    "SDHR",
    "MinHR",
    "MaxHR",
    "HTI",
    "SDANN",
    "SDNNI",
)


@dataclass(frozen=True)
class Flat:
    """Several recordings stored flat (see module docstring).

    Attributes
    ----------
    rr : ndarray of float, shape (n_total,)
        RR intervals in ms.
    time : ndarray of float, shape (n_total,)
        Time of the beat that ends each interval, in s from the start of its recording (the
        start being the beat that begins the first interval).
    seg : ndarray of int, shape (n_total,)
        Recording id of each interval (0 .. n_seg - 1, non-decreasing).
    n_seg : int
        Number of recordings.
    successive : ndarray of bool, shape (n_total - 1,)
        Whether interval ``i + 1`` directly follows interval ``i`` (same recording, no gap).
    """

    rr: FloatArray
    time: FloatArray
    seg: IntArray
    n_seg: int
    successive: BoolArray


def make_flat(rrs: list[FloatArray], times: list[FloatArray | None]) -> Flat:
    """Concatenate recordings; derive beat times (cumulative sums) where none were given."""
    lengths = np.array([r.size for r in rrs], dtype=np.intp)
    n_seg = len(rrs)
    rr = np.concatenate(rrs) if rrs else np.zeros(0)
    seg = np.repeat(np.arange(n_seg, dtype=np.intp), lengths)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.intp)
    # cumulative time within each recording, without a per-recording loop
    csum = np.cumsum(rr) / 1000.0
    offset = np.where(starts > 0, csum[np.maximum(starts - 1, 0)], 0.0)
    time = csum - np.repeat(offset, lengths)
    same = seg[1:] == seg[:-1]
    successive = same.copy()
    given = [i for i, t in enumerate(times) if t is not None]
    if given:
        tt = time.copy()
        for i in given:  # only recordings that came with their own time stamps
            t_i = times[i]
            assert t_i is not None
            # express given stamps relative to the beat that starts the first interval
            tt[starts[i] : starts[i] + lengths[i]] = t_i - t_i[0] + rrs[i][0] / 1000.0
        has_time = np.zeros(n_seg, dtype=bool)
        has_time[given] = True
        gap = np.abs(np.diff(tt) * 1000.0 - rr[1:]) > SUCCESSIVE_TOLERANCE_MS
        successive = same & ~(gap & has_time[seg[1:]])
        time = tt
    return Flat(rr=rr, time=time, seg=seg, n_seg=n_seg, successive=successive)


def _group_mean_sd(
    x: FloatArray, g: IntArray, n_groups: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Count, mean and sample SD (ddof = 1, two-pass) of ``x`` per group."""
    n = np.bincount(g, minlength=n_groups).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=x, minlength=n_groups) / n
        dev = x - mean[g]
        ss = np.bincount(g, weights=dev * dev, minlength=n_groups)
        sd = np.sqrt(ss / (n - 1.0))
    sd[n < 2] = np.nan
    return n, mean, sd


def _sorted_within_groups(x: FloatArray, g: IntArray, n: IntArray) -> FloatArray:
    """``x`` sorted within each contiguous group (``g`` non-decreasing, ``n`` group sizes)."""
    n_groups = n.size
    width = int(n.max()) if n_groups else 0
    if n_groups * width <= 4 * x.size + 1024:
        # similar group sizes (cohorts of 5-min recordings): one row-wise sort of a padded table
        starts = np.concatenate(([0], np.cumsum(n)[:-1]))
        col = np.arange(x.size) - starts[g]
        table = np.full((n_groups, width), np.inf)
        table[g, col] = x
        table.sort(axis=1)
        return np.asarray(table[g, col], dtype=np.float64)
    return np.asarray(x[np.lexsort((x, g))], dtype=np.float64)


def _group_quantiles(
    x: FloatArray, g: IntArray, n_groups: int, qs: tuple[float, ...]
) -> list[FloatArray]:
    """Per-group quantiles with numpy's default ``linear`` rule, sorting once."""
    n = np.bincount(g, minlength=n_groups)
    xs = _sorted_within_groups(x, g, n)
    starts = np.concatenate(([0], np.cumsum(n)[:-1]))
    out = []
    ok = n > 0
    for q in qs:  # a handful of quantiles, not recordings
        res = np.full(n_groups, np.nan)
        pos = q * (n[ok] - 1)
        lo = np.floor(pos).astype(np.intp)
        hi = np.minimum(lo + 1, n[ok] - 1)
        t = pos - lo
        a = xs[starts[ok] + lo]
        b = xs[starts[ok] + hi]
        diff = b - a
        # numpy's _lerp: a + (b - a) t, computed from the nearer end for t >= 0.5
        res[ok] = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
        out.append(res)
    return out


def group_min_max(x: FloatArray, n: IntArray) -> tuple[FloatArray, FloatArray]:
    """Minimum and maximum of each contiguous group (NaN for empty groups)."""
    mn = np.full(n.size, np.nan)
    mx = np.full(n.size, np.nan)
    ok = n > 0
    if ok.any():
        starts = np.concatenate(([0], np.cumsum(n)[:-1]))[ok]
        mn[ok] = np.minimum.reduceat(x, starts)
        mx[ok] = np.maximum.reduceat(x, starts)
    return mn, mx


def _group_count_max(keys: IntArray, n_groups: int, width: int) -> FloatArray:
    """Per group, the largest count of equal ``keys % width`` (keys = group * width + bin)."""
    if n_groups * width <= 50_000_000:
        counts = np.bincount(keys, minlength=n_groups * width).reshape(n_groups, width)
        return np.asarray(counts.max(axis=1), dtype=np.float64)
    uniq, cnt = np.unique(keys, return_counts=True)
    height = np.zeros(n_groups)
    np.maximum.at(height, uniq // width, cnt.astype(np.float64))
    return height


def time_domain(
    flat: Flat, *, pnn_denominator: str = "differences", segment_s: float = 300.0
) -> dict[str, FloatArray]:
    """Time-domain indices of every recording in ``flat``; arrays of shape (n_seg,)."""
    rr, seg, k = flat.rr, flat.seg, flat.n_seg
    n, mean, sdnn = _group_mean_sd(rr, seg, k)

    # successive differences, only within a recording and across no gap
    d = np.diff(rr)[flat.successive]
    dseg = seg[1:][flat.successive]
    nd, _, sdsd = _group_mean_sd(d, dseg, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        rmssd = np.sqrt(np.bincount(dseg, weights=d * d, minlength=k) / nd)
        nn50 = np.bincount(dseg, weights=(np.abs(d) > 50.0).astype(np.float64), minlength=k)
        nn20 = np.bincount(dseg, weights=(np.abs(d) > 20.0).astype(np.float64), minlength=k)
        den = nd if pnn_denominator == "differences" else nd + 1.0
        pnn50 = 100.0 * nn50 / den
        pnn20 = 100.0 * nn20 / den
    rmssd[nd < 1] = np.nan
    pnn50[nd < 1] = np.nan
    pnn20[nd < 1] = np.nan

    q25, median, q75 = _group_quantiles(rr, seg, k, (0.25, 0.5, 0.75))
    mn, mx = group_min_max(rr, np.bincount(seg, minlength=k))

    hr = 60000.0 / rr
    _, mean_hr, sd_hr = _group_mean_sd(hr, seg, k)

    # HRV triangular index: N / height of the histogram with 1/128 s bins anchored at 0 ms.
    b = np.floor(rr / HTI_BIN_MS).astype(np.intp)
    # np.histogram (used by NeuroKit2) closes its last bin: a maximum lying exactly on a bin
    # edge counts in the bin below it.
    on_edge = (b * HTI_BIN_MS == rr) & (rr == mx[seg])
    b = np.where(on_edge, b - 1, b)
    nbins = int(b.max()) + 1 if b.size else 1
    height = _group_count_max(seg * nbins + b, k, nbins)
    with np.errstate(invalid="ignore", divide="ignore"):
        hti = n / height

    sdann, sdnni = _segment_indices(flat, segment_s)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {
            "MeanNN": mean,
            "SDNN": sdnn,
            "RMSSD": rmssd,
            "SDSD": sdsd,
            "NN50": nn50,
            "pNN50": pnn50,
            "NN20": nn20,
            "pNN20": pnn20,
            "MedianNN": median,
            "MinNN": mn,
            "MaxNN": mx,
            "IQRNN": q75 - q25,
            "CVNN": sdnn / mean,
            "CVSD": rmssd / mean,
            "MeanHR": mean_hr,
            "SDHR": sd_hr,
            "MinHR": 60000.0 / mx,
            "MaxHR": 60000.0 / mn,
            "HTI": hti,
            "SDANN": sdann,
            "SDNNI": sdnni,
        }
    return out


def _segment_indices(flat: Flat, segment_s: float) -> tuple[FloatArray, FloatArray]:
    """SDANN and SDNN index over complete ``segment_s`` windows (NaN if fewer than 3)."""
    k = flat.n_seg
    _, total = group_min_max(flat.time, np.bincount(flat.seg, minlength=k))
    total = np.nan_to_num(total)
    n_complete = np.floor(total / segment_s).astype(np.intp)
    sdann = np.full(k, np.nan)
    sdnni = np.full(k, np.nan)
    if not (n_complete >= 3).any():  # e.g. a cohort of 5-min recordings: nothing to do
        return sdann, sdnni
    # a beat belongs to the window in which it ends; start of recording is time 0
    w = np.floor(flat.time / segment_s).astype(np.intp)
    keep = (w < n_complete[flat.seg]) & (n_complete[flat.seg] >= 3)
    wmax = int(w[keep].max()) + 1
    key = flat.seg[keep] * wmax + w[keep]
    uniq, inv = np.unique(key, return_inverse=True)
    _, wmean, wsd = _group_mean_sd(flat.rr[keep], inv.astype(np.intp), uniq.size)
    gseg = (uniq // wmax).astype(np.intp)
    _, _, sd_a = _group_mean_sd(wmean, gseg, k)
    good = np.isfinite(wsd)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd_i = np.bincount(gseg[good], weights=wsd[good], minlength=k) / np.bincount(
            gseg[good], minlength=k
        )
    ok = n_complete >= 3
    sdann[ok] = sd_a[ok]
    sdnni[ok] = sd_i[ok]
    return sdann, sdnni


# --------------------------------------------------------------------------- frequency domain
def interpolate_tachogram(time: FloatArray, rr: FloatArray, rate: float, order: int) -> FloatArray:
    """Spline (order 3 cubic / 2 quadratic) through (time, rr), sampled at ``rate`` Hz.

    The grid is ``np.arange(t0, t_end + 1/rate, 1/rate)`` and values outside ``[t0, t_end]`` are
    the end values, as in NeuroKit2 0.2.13's ``intervals_process`` (``interp1d`` splines).
    """
    from scipy.interpolate import make_interp_spline

    x_new = np.arange(time[0], time[-1] + 1.0 / rate, 1.0 / rate)
    spline = make_interp_spline(time, rr, k=order)
    y = spline(x_new)
    y = np.where(x_new < time[0], rr[0], y)
    return np.asarray(np.where(x_new > time[-1], rr[-1], y), dtype=np.float64)


def welch_psd(y: FloatArray, rate: float) -> tuple[FloatArray, FloatArray]:
    """One-sided Welch PSD (ms²/Hz) with NeuroKit2 0.2.13's default segment rules.

    The signal is mean-centred; the lowest frequency kept is ``min_f = 2 rate / (N/2)`` (two
    cycles per half recording); segments are ``int((2 / min_f) rate)`` samples (at most N/2),
    Hann-windowed, overlapping by half, zero-padded to twice their length (``nfft``), with no
    further detrending. Returns frequencies >= ``min_f``.
    """
    sig = y - np.mean(y)
    n = len(sig)
    min_f = (2 * rate) / (n / 2)
    nperseg = int((2 / min_f) * rate)
    if nperseg > n / 2:
        nperseg = int(n / 2)
    # Welch's average of modified periodograms, written out (as scipy.signal.welch with
    # detrend=False, scaling="density", noverlap=nperseg // 2) to skip scipy's per-call overhead
    nfft = 2 * nperseg
    step = nperseg - nperseg // 2
    n_seg = (n - nperseg) // step + 1
    win = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(nperseg) / nperseg)  # periodic Hann
    frames = sig[np.arange(n_seg)[:, None] * step + np.arange(nperseg)[None, :]] * win
    spec = np.fft.rfft(frames, n=nfft, axis=1)
    p = (spec.real**2 + spec.imag**2) / (rate * np.sum(win * win))
    p[:, 1:-1] *= 2.0  # one-sided; nfft is even, so the last bin is Nyquist
    p = p.mean(axis=0)
    f = np.fft.rfftfreq(nfft, 1.0 / rate)
    keep = f >= min_f
    return np.asarray(f[keep], dtype=np.float64), np.asarray(p[keep], dtype=np.float64)


def lomb_psd(
    time: FloatArray, rr: FloatArray, f_max: float, oversampling: int = 4
) -> tuple[FloatArray, FloatArray]:
    """Lomb-Scargle PSD (ms²/Hz) of the uninterpolated series.

    Frequencies run from ``1/T`` to ``f_max`` in steps of ``1/(oversampling T)`` (T = duration).
    The classical periodogram P(f) (scipy, unnormalised) is scaled to a one-sided density
    ``S(f) = 2 Δt P(f)`` with Δt the mean RR interval in s, so that ∫S df equals the variance.
    """
    from scipy.signal import lombscargle

    duration = time[-1] - time[0]
    df = 1.0 / (oversampling * duration)
    f = np.arange(1.0 / duration, f_max + df / 2, df)
    y = rr - np.mean(rr)
    p = lombscargle(time, y, 2 * np.pi * f)
    dt = duration / (len(rr) - 1)
    return f, 2.0 * dt * np.asarray(p, dtype=np.float64)


def band_power(f: FloatArray, p: FloatArray, lo: float, hi: float) -> float:
    """Trapezoid integral of the PSD over ``lo <= f < hi``; NaN when the band holds no power."""
    where = (f >= lo) & (f < hi)
    if where.sum() < 1:
        return float("nan")
    power = float(np.trapezoid(p[where], f[where]))
    return float("nan") if power == 0.0 else power


# --------------------------------------------------------------------------- nonlinear
def poincare(rr: FloatArray, successive: BoolArray) -> tuple[float, float]:
    """SD1 and SD2 (ddof = 1) of the rotated Poincaré coordinates of successive pairs."""
    a = rr[:-1][successive]
    b = rr[1:][successive]
    x1 = (a - b) / np.sqrt(2.0)
    x2 = (a + b) / np.sqrt(2.0)
    if x1.size < 2:
        return float("nan"), float("nan")
    return float(np.std(x1, ddof=1)), float(np.std(x2, ddof=1))


def dfa_fluctuation(profile: FloatArray, scales: IntArray, overlap: bool) -> FloatArray:
    """Root-mean-square fluctuation F(n) of the linearly detrended profile for each scale n.

    ``overlap=False`` uses non-overlapping windows from the start (Peng et al. 1995);
    ``overlap=True`` uses windows starting every ``n // 2`` samples at ``0 .. N - n - 1``, as
    NeuroKit2's ``fractal_dfa``. F(n)² is the mean over windows of the residual variance.
    """
    n_total = profile.size
    out = np.empty(scales.size)
    for i, n in enumerate(scales):  # a few dozen scales; windows are vectorised
        step = n // 2 if overlap else n
        stop = n_total - n if overlap else n_total - n + 1
        starts = np.arange(0, stop, step)
        idx = starts[:, None] + np.arange(n)[None, :]
        seg = profile[idx]
        x = np.arange(n, dtype=np.float64) - (n - 1) / 2.0
        yc = seg - seg.mean(axis=1, keepdims=True)
        slope = (yc @ x) / (x @ x)
        resid = yc - slope[:, None] * x[None, :]
        var = np.mean(resid * resid, axis=1)
        var = var[var > 1e-8]  # windows with no residual carry no information (as NeuroKit2)
        out[i] = np.sqrt(np.mean(var)) if var.size else np.nan
    return out


def dfa_alpha(rr: FloatArray, lo: int, hi: int, overlap: bool) -> float:
    """DFA scaling exponent: slope of log F(n) on log n for n = lo .. hi beats."""
    profile = np.cumsum(rr - np.mean(rr))
    scales = np.arange(lo, hi + 1, dtype=np.intp)
    fl = dfa_fluctuation(profile, scales, overlap)
    if not np.all(np.isfinite(fl)) or np.any(fl <= 0):
        return float("nan")
    return float(np.polyfit(np.log(scales), np.log(fl), 1)[0])


def sample_entropy_counts(x: FloatArray, m: int, r: float, chunk: int = 2048) -> tuple[int, int]:
    """Numbers of template pairs (i < j) matching at length m (B) and m + 1 (A).

    Templates start at 0 .. N - m - 1 for both lengths (Richman & Moorman 2000), distance is
    Chebyshev, a match is ``distance <= r``. Work is O(N²), done on row blocks with broadcasting.
    """
    n_t = x.size - m
    # columns k of the embedding: emb[:, k] = x[k : k + n_t]
    emb = np.stack([x[k : k + n_t] for k in range(m + 1)], axis=1)
    b_count = 0
    a_count = 0
    for start in range(0, n_t, chunk):  # row blocks bound the memory, not per-recording loops
        stop = min(start + chunk, n_t)
        rows = emb[start:stop]
        dist = np.zeros((stop - start, n_t))
        for k in range(m):
            np.maximum(dist, np.abs(rows[:, k, None] - emb[None, :, k]), out=dist)
        upper = np.arange(n_t)[None, :] > np.arange(start, stop)[:, None]
        match_m = (dist <= r) & upper
        b_count += int(match_m.sum())
        last = np.abs(rows[:, m, None] - emb[None, :, m]) <= r
        a_count += int((match_m & last).sum())
    return a_count, b_count
