"""Cross-checks of neuroendo.measures.hrv against NeuroKit2 0.2.13 (skipped without neurokit2).

Inputs: PhysioNet 24-h RR records (nsr2db, Irurzun et al. healthy subjects) and R peaks that
NeuroKit2 itself detects on its example ECGs (peak detection is not what is compared). Tolerances:

* time domain, and frequency domain with the same (quadratic) interpolation: rtol 1e-9 - the same
  formulas on the same numbers, differing only in floating-point summation order;
* frequency domain with neuroendo's default cubic spline against NeuroKit2's quadratic one: rtol
  5 % for VLF/LF/HF - the two splines differ by a fraction of a ms between beats, which changes
  band powers by 0.05-2 % on these records (VHF, near the 4 Hz grid's smoothing, is not compared);
* nonlinear indices with NeuroKit2's DFA scales and overlapping windows: rtol 1e-9.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroendo._core.errors import DataQualityWarning
from neuroendo.measures import hrv

pytestmark = pytest.mark.crosscheck

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # NeuroKit2 and its dependencies warn on import (pandas 3)
    nk = pytest.importorskip("neurokit2")

TIME_KEYS = (
    "MeanNN",
    "SDNN",
    "RMSSD",
    "SDSD",
    "pNN50",
    "pNN20",
    "MedianNN",
    "MinNN",
    "MaxNN",
    "IQRNN",
    "CVNN",
    "CVSD",
    "HTI",
)
BAND_KEYS = ("VLF", "LF", "HF", "VHF", "LFHF", "LnHF")


def _nk(func, *args, **kwargs):
    """Call NeuroKit2 with its own warnings silenced (they are not ours to test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = func(*args, **kwargs)
    return out.iloc[0] if isinstance(out, pd.DataFrame) else out


def _records_24h(data_dir: Path) -> dict[str, np.ndarray]:
    base = data_dir / "physionet_rr_rhrvbook"
    out = {}
    for p in sorted((base / "nsr2db").glob("*_rr_secs.txt")):
        out[p.stem] = hrv.read_rr(p)["RRI"][1:]
    for p in sorted((base / "rr_healthy_irurzun_ms").glob("*.txt")):
        out[f"irurzun_{p.stem}"] = hrv.read_rr(p)["RRI"]
    return out


@pytest.fixture(scope="module")
def ecg_peaks(data_dir) -> dict[str, tuple[np.ndarray, int]]:
    base = data_dir / "neurokit_data"
    out = {}
    for name, rate in (
        ("bio_resting_5min_100hz", 100),
        ("bio_resting_8min_100hz", 100),
        ("ecg_1000hz", 1000),
    ):
        ecg = pd.read_csv(base / f"{name}.csv")["ECG"].to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, info = nk.ecg_peaks(ecg, sampling_rate=rate)
        out[name] = (np.asarray(info["ECG_R_Peaks"]), rate)
    return out


def _assert_rel(mine: dict, theirs, keys, rtol, what):
    for k in keys:
        a, b = mine[k], float(theirs[f"HRV_{k}"])
        if np.isnan(b):
            assert np.isnan(a), (what, k, a)
        else:
            assert a == pytest.approx(b, rel=rtol, abs=1e-12), (what, k, a, b)


def test_time_domain_24h_records(data_dir):
    for name, rr in _records_24h(data_dir).items():
        nn = hrv.clean_rr(rr).rr_ms
        theirs = _nk(nk.hrv_time, {"RRI": nn})
        mine = hrv.time_domain(nn, pnn_denominator="intervals")
        _assert_rel(mine, theirs, TIME_KEYS, 1e-9, name)


def test_time_domain_ecg_peaks(ecg_peaks):
    for name, (peaks, rate) in ecg_peaks.items():
        theirs = _nk(nk.hrv_time, peaks, sampling_rate=rate)
        mine = hrv.time_domain(
            hrv.from_peaks(peaks, sampling_rate=rate), pnn_denominator="intervals"
        )
        _assert_rel(mine, theirs, TIME_KEYS, 1e-9, name)
        # the default denominator differs exactly by n/(n+1)
        n_diff = peaks.size - 2
        ours = hrv.time_domain(hrv.from_peaks(peaks, sampling_rate=rate))["pNN50"]
        assert ours == pytest.approx(theirs["HRV_pNN50"] * (n_diff + 1) / n_diff, rel=1e-12)


def test_frequency_domain_ecg_peaks_quadratic_is_neurokit(ecg_peaks):
    for name in ("bio_resting_5min_100hz", "bio_resting_8min_100hz"):
        peaks, rate = ecg_peaks[name]
        theirs = _nk(
            nk.hrv_frequency, peaks, sampling_rate=rate, normalize=False, interpolation_rate=4
        )
        mine = hrv.frequency_domain(
            hrv.from_peaks(peaks, sampling_rate=rate), interpolation="quadratic"
        )
        _assert_rel(mine, theirs, BAND_KEYS, 1e-9, name)
        # NeuroKit2's TP adds VHF; its LFn is LF/TP, not the Task Force n.u.
        assert mine["TP"] + mine["VHF"] == pytest.approx(theirs["HRV_TP"], rel=1e-9)
        assert theirs["HRV_LFn"] == pytest.approx(mine["LF"] / theirs["HRV_TP"], rel=1e-9)
        assert mine["LFn"] == pytest.approx(100 * mine["LF"] / (mine["LF"] + mine["HF"]))
        assert abs(mine["LFn"] - 100 * theirs["HRV_LFn"]) > 1.0


def test_frequency_domain_cubic_close_to_neurokit(ecg_peaks):
    for name in ("bio_resting_5min_100hz", "bio_resting_8min_100hz"):
        peaks, rate = ecg_peaks[name]
        theirs = _nk(
            nk.hrv_frequency, peaks, sampling_rate=rate, normalize=False, interpolation_rate=4
        )
        mine = hrv.frequency_domain(hrv.from_peaks(peaks, sampling_rate=rate))
        _assert_rel(mine, theirs, ("VLF", "LF", "HF"), 0.05, name)


def test_frequency_domain_one_hour_of_nsr2db(data_dir):
    rr = hrv.clean_rr(_records_24h(data_dir)["nsr001_rr_secs"]).rr_ms
    hour = rr[np.cumsum(rr) < 3.6e6]
    theirs = _nk(nk.hrv_frequency, {"RRI": hour}, normalize=False, interpolation_rate=4)
    with pytest.warns(DataQualityWarning, match=r"too short for ULF"):  # ULF wants 24 h
        mine = hrv.frequency_domain(hour, interpolation="quadratic")
    _assert_rel(mine, theirs, ("ULF", *BAND_KEYS), 1e-9, "nsr001 first hour")


def _poincare_nk(rr: np.ndarray) -> dict[str, float]:
    from neurokit2.hrv.hrv_nonlinear import _hrv_nonlinear_poincare

    return _hrv_nonlinear_poincare(rr, out={})


def test_nonlinear_against_neurokit(data_dir, ecg_peaks):
    peaks, rate = ecg_peaks["bio_resting_5min_100hz"]
    series = {
        "ecg5min": hrv.from_peaks(peaks, sampling_rate=rate)["RRI"],
        "irurzun_003_2000": hrv.clean_rr(_records_24h(data_dir)["irurzun_003"]).rr_ms[:2000],
    }
    for name, rr in series.items():
        mine = hrv.nonlinear(rr, dfa_alpha1=(4, 11), dfa_alpha2=(12, 40), dfa_overlap=True)
        p = _poincare_nk(rr)
        for k in ("SD1", "SD2", "SD1SD2"):
            assert mine[k] == pytest.approx(p[k], rel=1e-9), (name, k)
        a1, _ = _nk(nk.fractal_dfa, rr, scale=np.arange(4, 12))
        a2, _ = _nk(nk.fractal_dfa, rr, scale=np.arange(12, 41))
        assert mine["DFA_alpha1"] == pytest.approx(a1, rel=1e-9), name
        assert mine["DFA_alpha2"] == pytest.approx(a2, rel=1e-9), name
        se, _ = _nk(nk.entropy_sample, rr, delay=1, dimension=2, tolerance=0.2 * np.std(rr, ddof=1))
        assert mine["SampEn"] == pytest.approx(se, rel=1e-9), name
