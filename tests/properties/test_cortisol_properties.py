"""Property tests (hypothesis) of neuroendo.measures.cortisol."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroendo.measures import cortisol as m

conc_value = st.floats(min_value=0.0, max_value=1e3, allow_nan=False, allow_infinity=False)
gap = st.floats(min_value=0.5, max_value=120.0, allow_nan=False)


@st.composite
def profiles(draw, min_size=2, max_size=9, n_subjects=None):
    """(times, conc) with strictly increasing times and one or several subjects."""
    n = draw(st.integers(min_size, max_size))
    start = draw(st.floats(min_value=-60.0, max_value=60.0))
    times = start + np.cumsum([0.0, *draw(st.lists(gap, min_size=n - 1, max_size=n - 1))])
    k = n_subjects if n_subjects is not None else draw(st.integers(1, 4))
    conc = np.array(
        draw(st.lists(st.lists(conc_value, min_size=n, max_size=n), min_size=k, max_size=k))
    )
    return times, conc


@given(profiles(), conc_value)
def test_constant_profile_has_zero_auc_i(profile, level):
    times, _ = profile
    assert m.auc_i(times, np.full(times.shape, level)) == 0.0
    np.testing.assert_allclose(
        m.auc_g(times, np.full(times.shape, level)),
        level * (times[-1] - times[0]),
        rtol=1e-12,
        atol=1e-9,
    )


@given(profiles(), st.floats(min_value=1e-3, max_value=1e3))
def test_auc_is_linear_in_scale(profile, k):
    times, conc = profile
    for fn in (m.auc_g, m.auc_i):
        a, b = fn(times, k * conc), k * fn(times, conc)
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9 * (1 + np.abs(b).max()) * k)


@given(profiles(), st.floats(min_value=-1e3, max_value=1e3))
def test_auc_is_invariant_to_time_shift(profile, shift):
    times, conc = profile
    scale = 1 + np.abs(times).max() + abs(shift)
    for fn in (m.auc_g, m.auc_i):
        np.testing.assert_allclose(
            fn(times + shift, conc),
            fn(times, conc),
            rtol=1e-8,
            atol=1e-10 * scale * (1 + conc.max()) * (times[-1] - times[0]),
        )


@given(profiles(min_size=3), st.data())
def test_auc_g_is_additive_over_a_split(profile, data):
    times, conc = profile
    j = data.draw(st.integers(1, times.size - 2))
    whole = m.auc_g(times, conc)
    parts = m.auc_g(times[: j + 1], conc[:, : j + 1]) + m.auc_g(times[j:], conc[:, j:])
    np.testing.assert_allclose(whole, parts, rtol=1e-9, atol=1e-9 * (1 + np.abs(whole).max()))


@given(profiles())
def test_auc_i_equals_auc_g_minus_baseline_rectangle(profile):
    times, conc = profile
    rect = conc[:, 0] * (times[-1] - times[0])
    expected = m.auc_g(times, conc) - rect
    np.testing.assert_allclose(
        m.auc_i(times, conc), expected, rtol=1e-9, atol=1e-9 * (1 + np.abs(rect).max())
    )


@settings(deadline=None, max_examples=40)
@given(profiles(min_size=3, max_size=7), st.permutations(range(4)))
def test_features_ignore_subject_order_and_match_series(profile, order):
    times, conc = profile
    conc = np.resize(conc, (4, times.size))
    subjects = np.array(["a", "b", "c", "d"])
    rows = pd.DataFrame(
        {
            "subject": np.repeat(subjects, times.size),
            "sample": np.tile([f"S{k}" for k in range(times.size)], 4),
            "cortisol": conc.ravel(),
            "time": np.tile(times, 4),
        }
    )
    rows = rows.set_index("subject").loc[subjects[list(order)]].reset_index()
    rows.attrs["units"] = {"cortisol": "nmol/L", "time": "min"}
    out = m.features(rows)
    assert list(out.index) == ["a", "b", "c", "d"]
    np.testing.assert_allclose(out["cortisol_auc_g"], m.auc_g(times, conc), rtol=1e-12)
    np.testing.assert_allclose(out["cortisol_max_inc"], m.max_increase(times, conc), rtol=1e-12)


@settings(deadline=None, max_examples=40)
@given(profiles(min_size=2, max_size=7, n_subjects=2))
def test_features_unit_round_trip(profile):
    """nmol/L -> ug/dL table -> features(to_unit='nmol/L') gives the nmol/L features."""
    times, conc = profile
    n = times.size
    df = pd.DataFrame(
        {
            "subject": np.repeat(["a", "b"], n),
            "sample": np.tile([f"S{k}" for k in range(n)], 2),
            "cortisol": conc.ravel(),
            "time": np.tile(times, 2),
        }
    ).set_index(["subject", "sample"])
    df.attrs["units"] = {"cortisol": "nmol/L"}
    ug = df.copy()
    ug["cortisol"] = ug["cortisol"] * 362.46 / 1e4  # nmol/L -> ug/dL
    ug.attrs["units"] = {"cortisol": "ug/dL"}
    a = m.features(df)
    b = m.features(ug, to_unit="nmol/L")
    assert a.attrs["units"] == b.attrs["units"]
    for col in ("cortisol_auc_g", "cortisol_auc_i", "cortisol_max_val", "cortisol_mean"):
        scale = 1 + np.nanmax(np.abs(a[col].to_numpy(dtype=float)))
        np.testing.assert_allclose(b[col], a[col], rtol=1e-9, atol=1e-9 * scale)
