"""Matplotlib figures of the report, embedded as base64 PNG data URIs (no external files).

Every function here takes plain arrays and returns a ``data:image/png;base64,...`` string. The
figures are drawn with the non-interactive Agg canvas directly (no pyplot state machine), so
rendering a report never opens a window, never touches the global backend and is thread-safe.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FloatArray = NDArray[np.float64]

#: Colour cycle (Okabe-Ito, colour-blind safe).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
BAND_COLOUR = "#009E73"
DPI = 110


def new_figure(width: float = 7.0, height: float = 3.6, ncols: int = 1) -> tuple[Figure, Any]:
    """Return a figure on an Agg canvas and its axes (``ncols`` side by side)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, axes


def to_data_uri(fig: Figure) -> str:
    """Encode a figure as a PNG data URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _style(ax: Axes) -> None:
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def cortisol_subject(
    times: FloatArray,
    conc: FloatArray,
    auc_mask: NDArray[np.bool_],
    *,
    label: str,
    unit: str,
    auc_g: float,
) -> str:
    """One subject's curve with the AUC_G area shaded (samples in ``auc_mask``)."""
    fig, (ax,) = new_figure()
    ok = np.isfinite(conc)
    ax.plot(times[ok], conc[ok], "o-", color=COLOURS[0], label=label)
    sel = auc_mask & ok
    ax.fill_between(
        times[sel], 0.0, conc[sel], color=COLOURS[0], alpha=0.18, label=f"AUC_G = {auc_g:.4g}"
    )
    ax.set_xlabel("time (min)")
    ax.set_ylabel(f"cortisol ({unit})")
    ax.set_ylim(bottom=0.0)
    ax.legend(loc="best", frameon=False)
    _style(ax)
    return to_data_uri(fig)


def cortisol_groups(
    times: FloatArray,
    groups: Mapping[str, FloatArray],
    auc_mask: NDArray[np.bool_],
    *,
    unit: str,
) -> str:
    """Group mean ± SE per sample, with the AUC_G area under each mean curve shaded.

    ``groups`` maps a group label to its ``(n_subjects, n_samples)`` concentrations.
    """
    fig, (ax,) = new_figure()
    for k, (name, conc) in enumerate(groups.items()):
        colour = COLOURS[k % len(COLOURS)]
        n = np.sum(np.isfinite(conc), axis=0)
        mean = np.nanmean(conc, axis=0) if conc.size else np.full(times.shape, np.nan)
        sd = np.nanstd(conc, axis=0, ddof=1) if conc.shape[0] > 1 else np.zeros_like(mean)
        se = np.where(n > 1, sd / np.sqrt(np.maximum(n, 1)), 0.0)
        ax.errorbar(
            times,
            mean,
            yerr=se,
            fmt="o-",
            color=colour,
            capsize=3,
            label=f"{name} (n = {len(conc)})",
        )
        ok = auc_mask & np.isfinite(mean)
        ax.fill_between(times[ok], 0.0, mean[ok], color=colour, alpha=0.12)
    ax.set_xlabel("time (min)")
    ax.set_ylabel(f"cortisol ({unit}), mean ± SE")
    ax.set_ylim(bottom=0.0)
    ax.legend(loc="best", frameon=False)
    _style(ax)
    return to_data_uri(fig)


def cortisol_spaghetti(
    times: FloatArray, conc: FloatArray, group: Sequence[str], *, unit: str
) -> str:
    """Every subject's curve, coloured by group."""
    fig, (ax,) = new_figure()
    names = list(dict.fromkeys(group))
    t = np.broadcast_to(times, conc.shape)
    for k, name in enumerate(names):
        colour = COLOURS[k % len(COLOURS)]
        rows = [i for i, g in enumerate(group) if g == name]
        for j, i in enumerate(rows):
            ok = np.isfinite(conc[i])
            ax.plot(
                t[i][ok], conc[i][ok], "-", color=colour, alpha=0.55, linewidth=1.0,
                label=name if j == 0 else None,
            )  # fmt: skip
    ax.set_xlabel("time (min)")
    ax.set_ylabel(f"cortisol ({unit})")
    ax.set_ylim(bottom=0.0)
    ax.legend(loc="best", frameon=False)
    _style(ax)
    return to_data_uri(fig)


def strip_with_bands(
    panels: Sequence[Mapping[str, Any]],
) -> str:
    """One panel per index: subject values as points over the shaded reference band.

    Each panel mapping has ``name``, ``unit``, ``values`` (1-D) and ``band`` (``(low, high)`` or
    ``None``) and optionally ``band_label``.
    """
    n = len(panels)
    fig, axes = new_figure(width=max(3.0, 2.3 * n), height=3.4, ncols=n)
    for ax, panel in zip(axes, panels, strict=True):
        values = np.asarray(panel["values"], dtype=float)
        ok = np.isfinite(values)
        band = panel.get("band")
        if band is not None:
            ax.axhspan(band[0], band[1], color=BAND_COLOUR, alpha=0.18, linewidth=0)
            for y in band:
                ax.axhline(y, color=BAND_COLOUR, linewidth=0.8, linestyle="--")
        # deterministic jitter so the figure is reproducible
        x = np.linspace(-0.15, 0.15, ok.sum()) if ok.sum() > 1 else np.zeros(int(ok.sum()))
        marker = "D" if ok.sum() == 1 else "o"
        ax.plot(x, values[ok], marker, color=COLOURS[0], alpha=0.8, markersize=6)
        ax.set_xlim(-0.6, 0.6)
        ax.set_xticks([])
        ax.set_title(panel["name"], fontsize=10)
        ax.set_ylabel(panel["unit"])
        _style(ax)
    return to_data_uri(fig)


def tachograms(recordings: Mapping[str, tuple[FloatArray, FloatArray]]) -> str:
    """RR interval (ms) against time (s), one line per recording."""
    fig, (ax,) = new_figure()
    for k, (name, (t, rr)) in enumerate(recordings.items()):
        ax.plot(t, rr, "-", color=COLOURS[k % len(COLOURS)], linewidth=0.9, label=name)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("RR interval (ms)")
    if len(recordings) > 1:
        ax.legend(loc="best", frameon=False)
    _style(ax)
    return to_data_uri(fig)


def psds(
    spectra: Mapping[str, tuple[FloatArray, FloatArray]],
    bands: Mapping[str, tuple[float, float]],
) -> str:
    """Welch PSD (ms²/Hz) per recording with the LF and HF bands shaded."""
    fig, (ax,) = new_figure()
    for k, (name, band) in enumerate(b for b in bands.items() if b[0] in ("LF", "HF")):
        ax.axvspan(band[0], band[1], color=COLOURS[4 + k], alpha=0.15, linewidth=0)
        ax.text(
            (band[0] + band[1]) / 2, 0.97, name, transform=ax.get_xaxis_transform(),
            ha="center", va="top", fontsize=9,
        )  # fmt: skip
    for k, (name, (f, p)) in enumerate(spectra.items()):
        keep = (f <= 0.5) & (p > 0)
        ax.semilogy(f[keep], p[keep], "-", color=COLOURS[k % len(COLOURS)], label=name)
    ax.set_xlim(0.0, 0.5)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("PSD (ms²/Hz)")
    if len(spectra) > 1:
        ax.legend(loc="best", frameon=False)
    _style(ax)
    return to_data_uri(fig)


def balance_activity(axes_values: Mapping[str, FloatArray]) -> str:
    """Signed axis activity (z units) per axis: points per subject, ±2 band shaded."""
    names = list(axes_values)
    fig, (ax,) = new_figure(height=max(2.2, 0.55 * len(names) + 1.2))
    ax.axvspan(-2.0, 2.0, color=BAND_COLOUR, alpha=0.12, linewidth=0)
    ax.axvline(0.0, color="#555555", linewidth=0.8)
    for k, name in enumerate(names):
        v = np.asarray(axes_values[name], dtype=float)
        v = v[np.isfinite(v)]
        y = k + (np.linspace(-0.15, 0.15, v.size) if v.size > 1 else np.zeros(v.size))
        ax.plot(v, y, "D" if v.size == 1 else "o", color=COLOURS[k % len(COLOURS)], alpha=0.8)
    ax.set_yticks(range(len(names)), [n.upper() for n in names])
    ax.set_ylim(-0.7, len(names) - 0.3)
    lim = max(
        3.0,
        *(float(np.nanmax(np.abs(v))) + 0.5 for v in axes_values.values() if np.isfinite(v).any()),
    )
    ax.set_xlim(-lim, lim)
    ax.set_xlabel("axis activity (weighted mean signed z); < 0 under, > 0 over")
    _style(ax)
    return to_data_uri(fig)


def model_fit(
    t: FloatArray,
    predicted: FloatArray,
    t_obs: FloatArray | None,
    observed: FloatArray | None,
    *,
    label: str,
    unit: str,
) -> str:
    """Observed data (points) and the fitted model trajectory (line)."""
    fig, (ax,) = new_figure()
    ax.plot(t, predicted, "-", color=COLOURS[1], label=f"model: {label}" if label else "model")
    if observed is not None and t_obs is not None:
        ax.plot(t_obs, observed, "o", color=COLOURS[0], label="observed")
    ax.set_xlabel("time")
    ax.set_ylabel(unit or "value")
    ax.legend(loc="best", frameon=False)
    _style(ax)
    return to_data_uri(fig)
