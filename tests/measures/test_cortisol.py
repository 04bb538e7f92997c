"""Tests of neuroendo.measures.cortisol: golden values, table handling, NaN policy, bad input."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo.datasets import load_cortisol_sample
from neuroendo.measures import CATALOGUE
from neuroendo.measures import cortisol as m

GOLDEN_FILE = Path(__file__).resolve().parents[1] / "golden" / "cortisol.toml"
with open(GOLDEN_FILE, "rb") as fh:
    GOLDEN = tomllib.load(fh)

TIMES = [-30.0, -1.0, 30.0, 40.0, 50.0, 60.0, 70.0]


def long_table(conc, times=None, subjects=None, labels=None, unit="nmol/L", **levels):
    """Build BioPsyKit's long layout from an (n_subjects, n_samples) array."""
    conc = np.atleast_2d(np.asarray(conc, dtype=float))
    n_subj, n = conc.shape
    subjects = subjects or [f"s{i:02d}" for i in range(n_subj)]
    labels = labels or [f"S{k}" for k in range(n)]
    rows = {
        "subject": np.repeat(subjects, n),
        "sample": np.tile(labels, n_subj),
        "cortisol": conc.ravel(),
    }
    if times is not None:
        rows["time"] = np.broadcast_to(np.asarray(times, dtype=float), conc.shape).ravel()
    for name, values in levels.items():
        rows[name] = np.repeat(values, n)
    df = pd.DataFrame(rows).set_index([*levels, "subject", "sample"])
    df.attrs["units"] = {"cortisol": unit, "time": "min"}
    return df


# ------------------------------------------------------------------------------ golden values


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["auc"], ids=lambda c: c["id"])
def test_auc_pruessner2003(case):
    for fn in ("auc_g", "auc_i"):
        got = getattr(m, fn)(case["times"], case["conc"])
        assert isinstance(got, float)
        np.testing.assert_allclose(got, case["expected"][fn], rtol=case["rtol"], atol=case["atol"])
    # the same series stacked as subjects gives the same value per row
    stacked = m.auc_g(case["times"], [case["conc"]] * 3)
    np.testing.assert_allclose(stacked, [case["expected"]["auc_g"]] * 3, rtol=case["rtol"])


@pytest.mark.golden
def test_diurnal_t3():
    case = GOLDEN["diurnal"][0]
    t, c, exp = case["times_h"], case["conc"], case["expected"]
    got = {
        "wake_to_bed": m.diurnal_slope(t, c, method="wake_to_bed"),
        "peak_to_bed": m.diurnal_slope(t, c, method="peak_to_bed"),
        "ols_excl_car": m.diurnal_slope(t, c, method="ols", exclude_car=True),
        "ols_log_excl_car": m.diurnal_slope(t, c, method="ols_log", exclude_car=True),
        "ols_all": m.diurnal_slope(t, c, method="ols"),
        "auc_g_h": m.auc_g(t, c),
    }
    for key, value in exp.items():
        np.testing.assert_allclose(got[key], value, rtol=case["rtol"], err_msg=key)
    # peak="max" is the +30 min sample here
    assert m.diurnal_slope(t, c, method="peak_to_bed", peak="max") == got["peak_to_bed"]


@pytest.mark.golden
def test_sine_score_golden():
    case = GOLDEN["sine_score"][0]
    got = m.sine_score(case["clock_times_h"], case["conc"])
    np.testing.assert_allclose(got, case["expected"], rtol=case["rtol"], atol=case["atol"])


def _golden_biopsykit_table():
    cases = GOLDEN["biopsykit_features"]
    st = GOLDEN["biopsykit_settings"]
    df = long_table(
        [c["conc"] for c in cases],
        times=st["sample_times"],
        subjects=[c["subject"] for c in cases],
        labels=st["sample_labels"],
        condition=[c["condition"] for c in cases],
    )
    return cases, st, df


@pytest.mark.golden
def test_features_match_biopsykit_golden():
    cases, st, df = _golden_biopsykit_table()
    out = m.features(
        df,
        remove_s0=st["remove_s0"],
        compute_auc_post=st["compute_auc_post"],
        slopes=[tuple(p) for p in st["slopes"]],
    )
    assert list(out.index.names) == ["condition", "subject"]
    for case in cases:
        row = out.loc[(case["condition"], case["subject"])]
        for col, expected in case["expected"].items():
            np.testing.assert_allclose(
                float(row[col]), expected, rtol=case["rtol"], atol=case["atol"], err_msg=col
            )
        # not in BioPsyKit's file, but defined by its max_value/initial_value (S0 removed)
        assert row["cortisol_max_val"] == max(case["conc"][1:])
        assert row["cortisol_ini_val"] == case["conc"][1]


def test_features_match_biopsykit_all_subjects(data_dir):
    base = data_dir / "biopsykit"
    ref = pd.read_csv(base / "reference_outputs" / "biopsykit_saliva_features_cortisol_sample.csv")
    ref = ref.set_index(["condition", "subject"]).sort_index()
    raw = pd.read_csv(base / "cortisol_sample.csv")
    long = raw.melt(id_vars=["subject", "condition"], var_name="sample", value_name="cortisol")
    long["sample"] = long["sample"].astype(int)  # BioPsyKit's labels 0..6
    long = long.set_index(["condition", "subject", "sample"]).sort_index()
    long.attrs["units"] = {"cortisol": "nmol/L"}
    out = m.features(long, TIMES, remove_s0=True, compute_auc_post=True, slopes=[(1, 4)])
    assert len(ref) == 26
    out = out.loc[ref.index]
    for col in ref.columns:
        np.testing.assert_allclose(
            out[col].to_numpy(dtype=float),
            ref[col].to_numpy(dtype=float),
            rtol=1e-10,
            atol=1e-12,
            err_msg=col,
        )
    # the bundled copy of the data gives the same numbers
    bundled = m.features(
        load_cortisol_sample(), remove_s0=True, compute_auc_post=True, slopes=[(1, 4)]
    )
    pd.testing.assert_frame_equal(bundled.loc[ref.index], out, check_exact=False, rtol=1e-14)


@pytest.mark.golden
@pytest.mark.parametrize("criterion", ["absolute", "conservative", "relative"])
def test_tsst_responder_golden(criterion):
    case = GOLDEN["tsst"][0]
    df = long_table(case["conc"], times=case["times"], subjects=case["subjects"])
    out = m.tsst_responder(df, criterion=criterion)
    np.testing.assert_allclose(out["tsst_increase"], case["expected_increase"], atol=case["atol"])
    np.testing.assert_allclose(
        out["tsst_increase_percent"], case["expected_increase_percent"], rtol=case["rtol"]
    )
    assert out["tsst_responder"].tolist() == case[f"expected_{criterion}"]
    assert out["tsst_criterion"].str.startswith(criterion).all()
    assert out.attrs["units"]["tsst_increase"] == "nmol/L"


# ------------------------------------------------------------------------------ series functions


def test_series_2d_times_and_scalar_output():
    t = np.array([[0, 10, 20], [0, 5, 20]], dtype=float)
    c = np.array([[1, 2, 3], [1, 2, 3]], dtype=float)
    np.testing.assert_allclose(m.auc_g(t, c), [40.0, 45.0])
    np.testing.assert_allclose(m.auc_i(t, c), [20.0, 25.0])
    np.testing.assert_allclose(m.slope(t, c, 0, -1), [0.1, 0.1])
    assert isinstance(m.max_increase([0, 1], [2.0, 3.0]), float)
    assert m.max_increase([0, 1, 2], [2.0, 0.0, 3.0], percent=True) == 50.0


def test_series_nan_policy():
    t = [0, 10, 20, 30]
    c = [[1.0, np.nan, 3.0, 2.0], [np.nan, 2.0, 3.0, 2.0], [1.0, 2.0, np.nan, np.nan]]
    assert np.isnan(m.auc_g(t, c)).all()
    assert np.isnan(m.auc_i(t, c)).all()
    # maxima skip NaN; a missing first sample gives NaN
    np.testing.assert_allclose(m.max_increase(t, c), [2.0, np.nan, 1.0])
    assert np.isnan(m.max_increase([0, 1], [0.0, 1.0], percent=True))  # % of 0 is undefined


def test_diurnal_methods_2d_and_nan():
    t = [0, 0.5, 5.5, 11.5, 16]
    c = np.array([[15, 22, 8, 4, 2], [10, 12, np.nan, 5, 4]], dtype=float)
    ols = m.diurnal_slope(t, c, method="ols")
    single = m.diurnal_slope([0, 0.5, 11.5, 16], [10, 12, 5, 4], method="ols")
    np.testing.assert_allclose(ols[1], single)  # OLS skips the missing sample
    pbs = m.diurnal_slope(t, c, method="peak_to_bed", peak="max")
    np.testing.assert_allclose(pbs, [(2 - 22) / 15.5, (4 - 12) / 15.5])
    # a profile whose highest sample is the bedtime sample has no peak-to-bed decline
    assert np.isnan(m.diurnal_slope([0, 1, 2], [1.0, 2.0, 3.0], method="peak_to_bed", peak="max"))


# ------------------------------------------------------------------------------ features: tables


def test_features_layouts_and_extra_levels():
    conc = [[5.0, 6.0, 9.0, 7.0], [3.0, 3.5, 4.0, 3.0]]
    times = [-1.0, 10.0, 20.0, 30.0]
    df = long_table(conc, times=times, day=["d1", "d2"])
    out = m.features(df)
    assert list(out.index.names) == ["day", "subject"]
    np.testing.assert_allclose(out["cortisol_auc_g"], m.auc_g(times, conc))
    # subject and sample as plain columns give the same result
    flat = df.reset_index()
    flat.attrs = df.attrs
    out2 = m.features(flat.drop(columns="day"))
    np.testing.assert_allclose(out2["cortisol_auc_i"], out["cortisol_auc_i"])
    assert out.attrs["units"]["cortisol_auc_g"] == "nmol.min/L"
    assert out.attrs["units"]["cortisol_max_inc_percent"] == "%"
    assert str(out["cortisol_argmax"].dtype) == "Int64"


def test_features_every_column_has_a_catalogue_entry():
    out = m.features(load_cortisol_sample(), remove_s0=True, compute_auc_post=True, slopes=[(1, 4)])
    for col in out.columns:
        name = "cortisol_slopeSiSj" if col.startswith("cortisol_slope") else col
        assert CATALOGUE[name].function == "neuroendo.measures.cortisol.features"
    for fn in m.__all__:
        assert any(e.function == f"neuroendo.measures.cortisol.{fn}" for e in CATALOGUE.values())


def test_features_ragged_subjects_union_with_nan():
    df = long_table([[5.0, 6.0, 9.0, 7.0], [3.0, 3.5, 4.0, 3.0]], times=[-1.0, 10, 20, 30])
    df = df.drop(("s01", "S2"))  # s01 misses S2
    out = m.features(df, slopes=[("S1", "S3")])
    assert np.isnan(out.loc["s01", "cortisol_auc_g"])
    assert np.isnan(out.loc["s01", "cortisol_skew"])
    assert out.loc["s01", "cortisol_max_val"] == 3.5  # max skips the gap
    np.testing.assert_allclose(out.loc["s01", "cortisol_mean"], np.mean([3.0, 3.5, 3.0]))
    np.testing.assert_allclose(out.loc["s01", "cortisol_std"], np.std([3.0, 3.5, 3.0], ddof=1))
    np.testing.assert_allclose(out.loc["s01", "cortisol_slopeS1S3"], (3.0 - 3.5) / 20)
    np.testing.assert_allclose(
        out.loc["s00", "cortisol_auc_g"], m.auc_g([-1, 10, 20, 30], [5, 6, 9, 7])
    )


def test_features_sample_order_natural_and_by_time():
    labels = [f"S{k}" for k in range(12)]
    conc = np.arange(1.0, 13.0)
    times = np.arange(12.0) * 10
    df = long_table([conc], times=times, labels=labels)
    out = m.features(df.sample(frac=1.0, random_state=1))  # shuffled rows
    np.testing.assert_allclose(out["cortisol_auc_g"], m.auc_g(times, conc))
    assert int(out["cortisol_argmax"].iloc[0]) == 11


def test_features_per_subject_times():
    conc = np.array([[4.0, 6.0, 8.0, 5.0], [4.0, 5.0, 7.0, 6.0]])
    times = np.array([[-5.0, 0.0, 15.0, 30.0], [-3.0, 2.0, 12.0, 40.0]])
    df = long_table(conc, times=times)
    out = m.features(df, compute_auc_post=True, slopes=[(0, 2)])
    np.testing.assert_allclose(out["cortisol_auc_g"], m.auc_g(times, conc))
    np.testing.assert_allclose(out["cortisol_slope02"], m.slope(times, conc, 0, 2))
    # per-subject post-stressor AUC_I equals the series function on each subject's t >= 0 part
    expected = [m.auc_i(times[i, 1:], conc[i, 1:]) for i in range(2)]
    np.testing.assert_allclose(out["cortisol_auc_i_post"], expected)
    # explicit 2-D sample_times override the column
    out2 = m.features(df.drop(columns="time"), sample_times=times)
    np.testing.assert_allclose(out2["cortisol_auc_i"], m.auc_i(times, conc))


def test_features_auc_post_per_subject_missing_first_post_sample_is_nan():
    conc = np.array([[4.0, 6.0, 8.0, 5.0], [4.0, 5.0, 7.0, 6.0]])
    times = np.array([[-5.0, 0.0, 15.0, 30.0], [-3.0, 2.0, 12.0, 40.0]])
    df = long_table(conc, times=times).drop(("s01", "S1"))
    out = m.features(df, compute_auc_post=True)
    assert np.isnan(out.loc["s01", "cortisol_auc_i_post"])  # t of S1 unknown: split unknown
    np.testing.assert_allclose(
        out.loc["s00", "cortisol_auc_i_post"], m.auc_i([0, 15, 30], [6, 8, 5])
    )


def test_features_time_unit_and_to_unit():
    conc = [[5.0, 6.0, 9.0, 7.0]]
    df = long_table(conc, times=[-1.0, 10, 20, 30])
    in_h = df.copy()
    in_h["time"] = in_h["time"] / 60
    in_h.attrs["units"] = {"cortisol": "nmol/L", "time": "h"}
    a, b = m.features(df), m.features(in_h)
    np.testing.assert_allclose(b["cortisol_auc_g"], a["cortisol_auc_g"], rtol=1e-12)
    ug = df.copy()
    ug["cortisol"] = ug["cortisol"] / 27.589
    ug.attrs["units"] = {"cortisol": "ug/dL"}
    c = m.features(ug, to_unit="nmol/L")
    np.testing.assert_allclose(c["cortisol_auc_g"], a["cortisol_auc_g"], rtol=1e-4)
    assert c.attrs["units"]["cortisol_auc_g"] == "nmol.min/L"
    assert m.features(ug).attrs["units"]["cortisol_auc_g"] == "ug.min/dL"


def test_features_unknown_unit_is_recorded_as_text():
    df = long_table([[5.0, 6.0]], times=[0, 10])
    df.attrs = {}
    out = m.features(df)
    assert out.attrs["units"]["cortisol_auc_g"] == "{input}.min"
    with pytest.raises(UnitError, match="gives no unit"):
        m.features(df, to_unit="nmol/L")


# ------------------------------------------------------------------------------ CAR


def test_car_features_measured_times_and_adherence():
    conc = [[10.0, 16.0, 20.0, 18.0], [8.0, 9.0, 12.0, 10.0]]
    times = np.array([[2.0, 17.0, 32.0, 47.0], [9.0, 20.0, 39.0, 54.0]])
    df = long_table(conc, times=times, day=["d1", "d1"])
    out = m.car_features(df, sample_times=[0, 15, 30, 45], slopes=[(0, 2)])
    assert list(out.index.names) == ["day", "subject"]
    np.testing.assert_allclose(out["car_auc_i"], m.auc_i(times, conc))
    np.testing.assert_allclose(out["car_auc_g"], m.auc_g(times, conc))
    np.testing.assert_allclose(out["car_mninc"], [8.0, 31 / 3 - 8])
    np.testing.assert_allclose(out["car_peak_inc"], [10.0, 4.0])
    np.testing.assert_allclose(out["car_peak_inc_percent"], [100.0, 50.0])
    np.testing.assert_allclose(out["car_slope02"], m.slope(times, conc, 0, 2))
    np.testing.assert_allclose(out["car_s1_delay"], [2.0, 9.0])
    assert out["car_adherent"].tolist() == [True, False]
    assert out["car_n_off_schedule"].tolist() == [0, 3]  # |9-0|, |39-30|, |54-45| > 7.5
    assert not out["car_times_nominal"].any()


def test_car_features_nominal_times_and_wake_delay_column():
    conc = [[10.0, 16.0, 20.0, 18.0]]
    df = long_table(conc)
    df["wake_delay"] = 12.0
    out = m.car_features(df, sample_times=[0, 15, 30, 45])
    assert out["car_times_nominal"].all()
    assert out["car_adherent"].tolist() == [False]
    assert out["car_n_off_schedule"].isna().all()
    no_delay = m.car_features(df.drop(columns="wake_delay"), sample_times=[0, 15, 30, 45])
    assert no_delay["car_adherent"].isna().all()
    df.loc[("s00", "S2"), "wake_delay"] = 3.0
    with pytest.raises(DataValidationError, match="one value per subject"):
        m.car_features(df, sample_times=[0, 15, 30, 45])
    with pytest.raises(DataValidationError, match="No sampling times"):
        m.car_features(long_table(conc))


# ------------------------------------------------------------------------------ TSST


def test_tsst_units_and_options():
    df = long_table([[5.0, 5.0, 6.4, 6.0]], times=[-10.0, -1.0, 20.0, 30.0])
    ug = df.copy()
    ug["cortisol"] = ug["cortisol"] / 27.589
    ug.attrs["units"] = {"cortisol": "ug/dL"}
    a = m.tsst_responder(df)
    b = m.tsst_responder(ug)
    np.testing.assert_allclose(b["tsst_increase"], a["tsst_increase"], rtol=1e-4)
    no_unit = df.copy()
    no_unit.attrs = {}
    with pytest.raises(UnitError, match="criterion compares an increase in nmol/L"):
        m.tsst_responder(no_unit)
    rel = m.tsst_responder(no_unit, criterion="relative")
    assert rel["tsst_responder"].tolist() == [True]
    c = m.tsst_responder(df, baseline="S0", peak=["S3"], threshold=1.0)
    np.testing.assert_allclose(c["tsst_increase"], [1.0])
    assert c["tsst_responder"].tolist() == [True]
    with pytest.raises(ValueError, match="allowed values are"):
        m.tsst_responder(df, criterion="absolut")
    with pytest.raises(ValueError, match="no sample labelled 'S9'"):
        m.tsst_responder(df, baseline="S9")
    with pytest.raises(DataValidationError, match="no sample before the stressor"):
        m.tsst_responder(long_table([[5.0, 6.0]], times=[0.0, 10.0]))


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("times", "match"),
    [
        ([0, 20, 10], "strictly increasing.*decreasing"),
        ([0, 10, 10], "strictly increasing.*duplicate"),
        ([0, np.nan, 10], "NaN or infinite"),
        (["a", "b", "c"], "must contain numbers only"),
    ],
)
def test_series_bad_times(times, match):
    with pytest.raises(DataValidationError, match=match):
        m.auc_g(times, [1.0, 2.0, 3.0])


def test_series_bad_conc_and_lengths():
    with pytest.raises(DataValidationError, match="must be non-negative"):
        m.auc_i([0, 1, 2], [1.0, -2.0, 3.0])
    with pytest.raises(DataValidationError, match="Lengths do not match"):
        m.auc_g([0, 1, 2], [1.0, 2.0])
    with pytest.raises(DataValidationError, match="infinite values"):
        m.auc_g([0, 1, 2], [1.0, np.inf, 2.0])
    with pytest.raises(DataValidationError, match="shape of 'conc'"):
        m.auc_g([[0, 1, 2]], [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    with pytest.raises(DataValidationError, match="At least 2 samples"):
        m.auc_g([0], [1.0])
    with pytest.raises(ValueError, match="earlier sample 'i'"):
        m.slope([0, 1, 2], [1.0, 2.0, 3.0], 2, 1)
    with pytest.raises(ValueError, match="sample position in"):
        m.slope([0, 1, 2], [1.0, 2.0, 3.0], 0, 5)
    with pytest.raises(ValueError, match="allowed values are"):
        m.diurnal_slope([0, 1], [1.0, 2.0], method="wbs")
    with pytest.raises(DataValidationError, match="ln\\(0\\)"):
        m.diurnal_slope([0, 1, 2], [1.0, 0.0, 2.0], method="ols_log")
    with pytest.raises(ValueError, match="before the last"):
        m.diurnal_slope([0, 1, 2], [1.0, 3.0, 2.0], method="peak_to_bed", peak=2)


def test_features_bad_tables():
    df = long_table([[5.0, 6.0, 9.0]], times=[-1.0, 10, 20])
    with pytest.raises(DataValidationError, match=r"'cortisool'.*Did you mean 'cortisol'"):
        m.features(df, analyte="cortisool")
    with pytest.raises(DataValidationError, match="No sampling times"):
        m.features(df.drop(columns="time"))
    with pytest.raises(DataValidationError, match="needs 'subject' and 'sample'"):
        m.features(df.reset_index("sample", drop=True))
    bad_unit = df.copy()
    bad_unit.attrs["units"] = {"cortisol": "nmol/LL"}
    with pytest.raises(UnitError, match="Unknown unit 'nmol/LL'"):
        m.features(bad_unit)
    with pytest.raises(
        UnitError, match="Incompatible units for 'saliva_cortisol': 'furlongs' is \\[length\\]"
    ):
        m.features(df, unit="furlongs")
    neg = df.copy()
    neg.iloc[1, 0] = -1.0
    with pytest.raises(DataValidationError, match="must be non-negative"):
        m.features(neg)
    text = df.copy()
    text["cortisol"] = ["5", "x", "9"]
    with pytest.raises(DataValidationError, match="must be numeric"):
        m.features(text)
    unsorted = df.copy()
    unsorted["time"] = [-1.0, 20.0, 20.0]
    with pytest.raises(DataValidationError, match="strictly increasing"):
        m.features(unsorted)
    dup = pd.concat([df, df.iloc[:1]])
    with pytest.raises(DataValidationError, match="rows for sample 'S0'"):
        m.features(dup)
    with pytest.raises(DataValidationError, match="'sample_times' must have shape"):
        m.features(df, sample_times=[0, 10])
    with pytest.raises(DataValidationError, match="remove_s0=True but no sample"):
        m.features(df.rename(index={"S0": "A"}), remove_s0=True)
    with pytest.raises(DataValidationError, match="needs samples at t >= 0"):
        m.features(df, sample_times=[-30, -20, -10], compute_auc_post=True)
    with pytest.raises(ValueError, match="must be a pair"):
        m.features(df, slopes=[(0, 1, 2)])
    with pytest.raises(TypeError, match="pandas DataFrame"):
        m.features(np.zeros((3, 2)))  # type: ignore[arg-type]


def test_features_per_subject_times_error_names_subject():
    df = long_table([[5.0, 6.0, 9.0], [5.0, 6.0, 9.0]], times=[[-1.0, 10, 20], [-1.0, 30, 20]])
    with pytest.raises(DataValidationError, match=r"strictly increasing.*'s01'"):
        m.features(df)
