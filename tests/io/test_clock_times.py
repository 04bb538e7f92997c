"""clock_to_minutes: clock strings, Excel times and fractions, references, midnight rollover."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from neuroendo._core.errors import DataQualityWarning, DataValidationError
from neuroendo.io.tables import clock_to_minutes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("07:30", 450.0),
        ("7:30", 450.0),
        (" 07:30 ", 450.0),
        ("7:30:15", 450.25),
        ("07:30:30.5", 450.0 + 30.5 / 60),
        ("07.30", 450.0),
        ("7h30", 450.0),
        ("00:00", 0.0),
        ("23:59", 1439.0),
        ("7:30 PM", 1170.0),
        ("7:30 a.m.", 450.0),
        ("12:15 AM", 15.0),
        ("12:15 pm", 735.0),
        (dt.time(7, 30), 450.0),
        (dt.time(7, 30, 15), 450.25),
        (0.3125, 450.0),
        (0.0, 0.0),
        (np.float64(0.5), 720.0),
    ],
)
def test_single_formats(value, expected):
    out = clock_to_minutes(value)
    assert isinstance(out, float)
    assert out == pytest.approx(expected, abs=1e-9)


def test_array_in_array_out_and_missing_times():
    out = clock_to_minutes(["07:00", None, np.nan, "08:00"])
    assert isinstance(out, np.ndarray)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [420.0, np.nan, np.nan, 480.0])


def test_missing_time_does_not_break_rollover():
    # 23:00, missing, 01:00: the drop is measured against the last time that is present
    np.testing.assert_allclose(
        clock_to_minutes(["23:00", None, "01:00"], reference="first"), [0.0, np.nan, 120.0]
    )


def test_reference_first_and_fixed_clock():
    t = ["06:30", "06:45", "07:00", "07:30"]
    np.testing.assert_allclose(clock_to_minutes(t, reference="first"), [0, 15, 30, 60])
    np.testing.assert_allclose(clock_to_minutes(t, reference="07:00"), [-30, -15, 0, 30])
    np.testing.assert_allclose(clock_to_minutes(t, reference=dt.time(6, 0)), [30, 45, 60, 90])
    np.testing.assert_allclose(clock_to_minutes(t, reference=0.25), [30, 45, 60, 90])


def test_per_row_reference_such_as_awakening_times():
    times = ["06:30", "07:00", "07:45", "08:15"]
    wake = ["06:30", "06:30", "07:45", "07:45"]
    np.testing.assert_allclose(clock_to_minutes(times, reference=wake), [0, 30, 0, 30])


def test_groups_give_each_subject_its_own_first_sample_and_rollover():
    times = ["22:00", "23:30", "00:30", "07:00", "07:30", "08:00"]
    groups = ["a", "a", "a", "b", "b", "b"]
    out = clock_to_minutes(times, reference="first", groups=groups)
    np.testing.assert_allclose(out, [0, 90, 150, 0, 30, 60])
    # without groups subject b's 07:00 would be read as after a's 00:30 on the same night
    np.testing.assert_allclose(
        clock_to_minutes(times, reference="first"), [0, 90, 150, 540, 570, 600]
    )


def test_groups_equal_a_loop_over_subjects():
    rng = np.random.default_rng(3)
    n_subj, n_samp = 50, 6
    start = rng.integers(5 * 60, 23 * 60, size=n_subj)
    steps = rng.integers(10, 180, size=(n_subj, n_samp)).cumsum(axis=1)
    clock = (start[:, None] + steps) % 1440
    text = [f"{int(m) // 60:02d}:{int(m) % 60:02d}" for m in clock.ravel()]
    groups = np.repeat([f"s{i}" for i in range(n_subj)], n_samp)
    out = clock_to_minutes(text, reference="first", groups=groups).reshape(n_subj, n_samp)
    expected = np.vstack([clock_to_minutes(text[i * n_samp : (i + 1) * n_samp], reference="first")
                          for i in range(n_subj)])  # fmt: skip
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(out, steps - steps[:, :1])


def test_series_with_subject_level_is_grouped():
    idx = pd.MultiIndex.from_product([["a", "b"], ["S0", "S1"]], names=["subject", "sample"])
    s = pd.Series(["08:00", "08:30", "09:00", "09:20"], index=idx)
    np.testing.assert_allclose(clock_to_minutes(s, reference="first"), [0, 30, 0, 20])


def test_rollover_past_midnight_once_and_twice():
    np.testing.assert_allclose(clock_to_minutes(["22:00", "01:00", "06:00"]), [1320, 1500, 1800])
    np.testing.assert_allclose(
        clock_to_minutes(["20:00", "08:00", "20:00", "08:00"], reference="first"),
        [0, 720, 1440, 2160],
    )


def test_no_rollover_refuses_a_midnight_crossing():
    with pytest.raises(DataValidationError, match=r"'01:00' at index 1 .* day_rollover=True"):
        clock_to_minutes(["22:00", "01:00"], day_rollover=False)


def test_no_rollover_keeps_a_small_drop_for_order_checks_downstream():
    np.testing.assert_allclose(clock_to_minutes(["07:30", "07:20"], day_rollover=False), [450, 440])


def test_rollover_that_leaves_a_long_gap_warns():
    with pytest.warns(DataQualityWarning, match=r"'07:20' at index 1 .* sort them"):
        out = clock_to_minutes(["07:30", "07:20"])
    np.testing.assert_allclose(out, [450, 440 + 1440])


def test_timestamps_use_their_dates():
    ts = pd.to_datetime(["2024-03-01 23:00", "2024-03-02 01:00", "2024-03-03 01:00"])
    np.testing.assert_allclose(clock_to_minutes(list(ts), reference="first"), [0, 120, 1560])
    np.testing.assert_allclose(clock_to_minutes(np.asarray(ts)), [1380, 1500, 2940])
    # with dates, going back in time is not a rollover
    back = [dt.datetime(2024, 3, 1, 8, 0), dt.datetime(2024, 3, 1, 7, 0)]
    np.testing.assert_allclose(clock_to_minutes(back, reference="first"), [0, -60])


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ("25:00", "hour or minute out of range: '25:00' at index 1"),
        ("07:60", "hour or minute out of range"),
        ("13:00 PM", "hour or minute out of range"),
        ("7h30x", "not a clock time: '7h30x' at index 1"),
        ("0.3125", "not a clock time"),
        ("", "not a clock time"),
        ("2024-01-01 07:30", "not a clock time"),
        (1.5, "Excel day fraction and must lie in [0, 1)"),
        (-0.1, "Excel day fraction"),
        (object(), "not a clock time"),
        (True, "not a clock time"),
    ],
)
def test_malformed_times_name_index_value_and_fix(bad, fragment):
    with pytest.raises(DataValidationError) as info:
        clock_to_minutes(["07:00", bad, "08:00"])
    msg = str(info.value)
    assert fragment in msg
    assert "'times'" in msg
    assert "; " in msg  # a fix follows


def test_dates_mixed_with_clock_times_are_refused():
    with pytest.raises(DataValidationError, match="dates mixed with bare clock times"):
        clock_to_minutes([pd.Timestamp("2024-01-01 07:00"), "08:00"])


def test_bad_reference_and_groups():
    with pytest.raises(ValueError, match=r"Invalid value for 'reference'.*'frist'"):
        clock_to_minutes(["07:00"], reference="frist")
    with pytest.raises(DataValidationError, match="'reference' has 2 values"):
        clock_to_minutes(["07:00", "08:00", "09:00"], reference=["07:00", "07:00"])
    with pytest.raises(DataValidationError, match="'groups' has 1 labels"):
        clock_to_minutes(["07:00", "08:00"], groups=["a"])
    with pytest.raises(DataValidationError, match="'reference' must be a clock time"):
        clock_to_minutes(["07:00"], reference=pd.Timestamp("2024-01-01 07:00"))
    with pytest.raises(ValueError, match="day_rollover"):
        clock_to_minutes(["07:00"], day_rollover="yes")
