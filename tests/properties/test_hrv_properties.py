"""Property tests (hypothesis) of neuroendo.measures.hrv."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuroendo.measures import hrv

# plausible RR intervals in ms (30-200 beats/min)
rr_values = st.floats(min_value=300.0, max_value=2000.0, allow_nan=False, allow_infinity=False)
rr_series = arrays(np.float64, st.integers(min_value=3, max_value=300), elements=rr_values)
SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(value=rr_values, n=st.integers(min_value=3, max_value=500))
def test_constant_rr_has_zero_variability(value, n):
    out = hrv.time_domain(np.full(n, value))
    assert out["SDNN"] == pytest.approx(0.0, abs=1e-9)
    assert out["RMSSD"] == 0.0
    assert out["SDSD"] == 0.0
    assert out["pNN50"] == 0.0
    assert out["MeanNN"] == pytest.approx(value)


@SETTINGS
@given(rr=rr_series, k=st.floats(min_value=0.5, max_value=2.0))
def test_scaling_rr_scales_sdnn_and_rmssd(rr, k):
    a = hrv.time_domain(rr)
    b = hrv.time_domain(rr * k)
    for key in ("SDNN", "RMSSD", "SDSD", "MeanNN", "IQRNN"):
        assert b[key] == pytest.approx(k * a[key], rel=1e-9, abs=1e-9)
    assert b["CVNN"] == pytest.approx(a["CVNN"], rel=1e-9, abs=1e-12)


@pytest.mark.filterwarnings(
    "ignore:nonlinear():neuroendo.DataQualityWarning"
)  # DFA on short series
@SETTINGS
@given(rr=rr_series)
def test_reversal_keeps_rmssd_and_sdnn(rr):
    a = hrv.time_domain(rr)
    b = hrv.time_domain(rr[::-1])
    for key in ("RMSSD", "SDNN", "SDSD", "pNN50", "NN20", "MedianNN", "HTI"):
        assert b[key] == pytest.approx(a[key], rel=1e-9, abs=1e-9)
    pa, pb = hrv.nonlinear(rr)["SD1"], hrv.nonlinear(rr[::-1])["SD1"]
    assert pb == pytest.approx(pa, rel=1e-9, abs=1e-9)


@SETTINGS
@given(rr=rr_series, shift=st.floats(min_value=-200.0, max_value=200.0))
def test_shift_leaves_difference_measures(rr, shift):
    a = hrv.time_domain(rr)
    b = hrv.time_domain(rr + shift)
    for key in ("RMSSD", "SDSD", "SDNN", "NN50"):
        assert b[key] == pytest.approx(a[key], rel=1e-7, abs=1e-7)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    mean=st.floats(min_value=600.0, max_value=1100.0),
    sd=st.floats(min_value=1.0, max_value=80.0),
    method=st.sampled_from(["welch", "lomb"]),
)
def test_band_powers_are_positive_and_lf_plus_hf_within_tp(seed, mean, sd, method):
    rng = np.random.default_rng(seed)
    n = int(300_000 / mean) + 2
    rr = mean + sd * rng.standard_normal(n)
    out = hrv.frequency_domain(rr, method=method)
    for band in ("VLF", "LF", "HF"):
        assert out[band] > 0
    assert out["LF"] + out["HF"] <= out["TP"] * (1 + 1e-12)
    assert 0 <= out["LFn"] <= 100
    # total power is close to the variance (Welch/Lomb estimate of the same quantity)
    assert out["TP"] + out["VHF"] == pytest.approx(np.var(rr), rel=0.6)


@SETTINGS
@given(recs=st.lists(rr_series, min_size=1, max_size=6), seed=st.integers(0, 1000))
def test_batch_ignores_recording_order(recs, seed):
    order = np.random.default_rng(seed).permutation(len(recs))
    a = hrv.time_domain_batch(recs)
    b = hrv.time_domain_batch([recs[i] for i in order])
    np.testing.assert_allclose(
        b.to_numpy(), a.to_numpy()[order], rtol=1e-12, atol=1e-9, equal_nan=True
    )
