"""Tests of neuroendo.measures.dynamic_tests: cut-off boundaries, T4, result objects, validation."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import numpy as np
import pytest

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo.measures import dynamic_tests
from neuroendo.measures._catalogue import CATALOGUE
from neuroendo.measures.dynamic_tests import (
    ACTH_CUTOFFS,
    CRH_CRITERIA,
    DST_CRITERIA,
    NOT_A_DIAGNOSIS,
    DynamicTestResult,
    acth_stimulation,
    crh_stimulation,
    dex_crh,
    dexamethasone_suppression,
    percent_rise,
)

GOLDEN = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "golden" / "dynamic_tests.toml").read_text("utf-8")
)


# --- golden ---------------------------------------------------------------------------------------
@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["crh_percent_rise"], ids=lambda c: c["id"])
def test_crh_t4(case):
    r = crh_stimulation(
        case["acth_basal"], case["acth_post"], case["cortisol_basal"], case["cortisol_post"]
    )
    for name, expected in case["expected"].items():
        assert r.details[name] == pytest.approx(expected, abs=case["atol"]), name
    assert r.category == case["expected_category"]
    assert percent_rise(case["acth_basal"], case["acth_post"]) == pytest.approx(
        case["expected"]["acth_rise_pct"], abs=case["atol"]
    )


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["dst"], ids=lambda c: c["id"])
def test_dst_boundaries(case):
    r = dexamethasone_suppression(case["cortisol"], unit=case["unit"], criterion=case["criterion"])
    assert r.category.tolist() == case["expected"]


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["acth"], ids=lambda c: c["id"])
def test_acth_boundaries(case):
    n = len(case["cortisol_30"])
    r = acth_stimulation(np.full(n, 200.0), case["cortisol_30"], cutoff=case["cutoff"])
    assert r.category.tolist() == case["expected"]


# --- DST ------------------------------------------------------------------------------------------
def test_dst_result_object():
    r = dexamethasone_suppression(62.0)
    assert isinstance(r, DynamicTestResult)
    assert r.test == "dexamethasone_suppression"
    assert r.criterion == "nieman2008"
    assert r.category == "not_suppressed"
    assert r.value == 62.0
    assert r.unit == "nmol/L"
    assert "62 nmol/L" in r.reason
    assert "50 nmol/L" in r.reason
    assert r.cutoff is DST_CRITERIA["nieman2008"]
    assert "Nieman" in r.cutoff.source
    assert r.cutoff.assay_note
    assert r.note == NOT_A_DIAGNOSIS
    assert "not a diagnosis" in r.note
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.category = "suppressed"  # type: ignore[misc]


def test_dst_ugdl_values_compared_in_ugdl():
    r = dexamethasone_suppression(1.8, unit="ug/dL")
    assert r.unit == "ug/dL"
    assert r.category == "not_suppressed"  # < 1.8 ug/dL is normal, as printed
    # the same cortisol in nmol/L (49.66) is below 50 nmol/L: the documented unit effect
    assert dexamethasone_suppression(1.8 * 27.589).category == "suppressed"


def test_dst_other_units_converted_to_nmol():
    r = dexamethasone_suppression(0.06, unit="umol/L")
    assert r.unit == "nmol/L"
    assert r.value == pytest.approx(60.0)
    assert r.category == "not_suppressed"


def test_dst_arrays_and_missing():
    r = dexamethasone_suppression([30.0, np.nan, 200.0], criterion="fassnacht2016")
    assert r.category.tolist() == ["suppressed", "missing", "not_suppressed"]
    assert "missing" in r.reason[1]
    assert "138 nmol/L" in r.reason[2]
    assert r.value.shape == (3,)


def test_dst_bad_inputs():
    with pytest.raises(DataValidationError, match="non-negative"):
        dexamethasone_suppression(-1.0)
    with pytest.raises(UnitError, match="unit"):
        dexamethasone_suppression(40.0, unit="m[IU]/L")
    with pytest.raises(UnitError, match="unit"):
        dexamethasone_suppression(40.0, unit="nmoll")
    with pytest.raises(ValueError, match="Did you mean 'nieman2008'"):
        dexamethasone_suppression(40.0, criterion="neiman2008")
    with pytest.raises(DataValidationError, match="infinite"):
        dexamethasone_suppression(np.inf)


# --- ACTH -----------------------------------------------------------------------------------------
def test_acth_peak_of_30_and_60():
    r = acth_stimulation(250.0, 480.0, 520.0)
    assert r.category == "adequate_response"
    assert r.value == 520.0
    assert r.details == {"basal": 250.0, "peak": 520.0, "increment": 270.0}
    assert "peak cortisol 520 nmol/L" in r.reason
    # uk_550 uses the 30-min value only
    r = acth_stimulation(250.0, 480.0, 600.0, cutoff="uk_550")
    assert r.category == "subnormal_response"
    assert r.value == 480.0


def test_acth_ugdl_classic_18():
    assert acth_stimulation(5.0, 18.0, unit="ug/dL").category == "adequate_response"
    assert acth_stimulation(5.0, 17.9, unit="ug/dL").category == "subnormal_response"


def test_acth_assay_specific_cutoffs():
    cases = [
        ("siemens_centaur_499", 499.0),
        ("immulite_474", 474.0),
        ("roche_e170_male_574", 574.0),
        ("roche_e170_female_524", 524.0),
    ]
    for key, expected in cases:
        assert ACTH_CUTOFFS[key].thresholds == (expected,)
        r = acth_stimulation([200.0, 200.0], [expected, expected + 0.1], cutoff=key)
        assert r.category.tolist() == ["subnormal_response", "adequate_response"]
        assert "El-Farhan" in r.cutoff.source


def test_acth_missing_and_bad_inputs():
    r = acth_stimulation([200.0, 200.0], [np.nan, 600.0], [600.0, 600.0])
    assert r.category.tolist() == ["missing", "adequate_response"]
    with pytest.raises(ValueError, match="Did you mean 'classic_500'"):
        acth_stimulation(200.0, 500.0, cutoff="clasic_500")
    with pytest.raises(DataValidationError, match="shape"):
        acth_stimulation([200.0, 200.0], [500.0, 500.0, 500.0])
    with pytest.raises(DataValidationError, match="non-negative"):
        acth_stimulation(200.0, -500.0)
    with pytest.raises(UnitError, match="unit"):
        acth_stimulation(200.0, 500.0, unit="pg")


# --- CRH ------------------------------------------------------------------------------------------
def test_crh_batched_two_subjects():
    r = crh_stimulation(
        [[30, 34], [30, 34]], [[55, 60], [31, 33]], [[400, 420], [400, 420]],
        [[520, 540], [410, 420]],
    )  # fmt: skip
    assert r.category.tolist() == ["response", "no_response"]
    np.testing.assert_allclose(r.details["acth_criterion_met"], [1.0, 0.0])
    assert r.unit == "%"


def test_crh_boundaries_ge():
    # exactly +35 % ACTH meets Nieman's criterion; +34.9 % with a 19.9 % cortisol rise does not
    assert crh_stimulation(100.0, 135.0, 100.0, 100.0).category == "response"
    assert crh_stimulation(100.0, 134.9, 100.0, 119.9).category == "no_response"
    assert crh_stimulation(100.0, 100.0, 100.0, 120.0).category == "response"
    r = crh_stimulation(100.0, 145.0, 100.0, 100.0, criterion="peters2006")
    assert r.category == "no_response"
    assert CRH_CRITERIA["elenius2023"].thresholds == (40.0, 40.0)


def test_crh_units_and_bad_inputs():
    r = crh_stimulation(6.6, 12.0, 400.0, 520.0, acth_unit="pmol/L", cortisol_unit="ug/dL")
    assert r.category == "response"
    with pytest.raises(UnitError, match="acth_unit"):
        crh_stimulation(30.0, 55.0, 400.0, 520.0, acth_unit="m[IU]/L")
    with pytest.raises(ValueError, match="Did you mean 'nieman1993'"):
        crh_stimulation(30.0, 55.0, 400.0, 520.0, criterion="nieman1933")
    with pytest.raises(DataValidationError, match="'basal' must have a mean > 0"):
        crh_stimulation(0.0, 55.0, 400.0, 520.0)
    with pytest.raises(DataValidationError, match="non-negative"):
        crh_stimulation(30.0, -55.0, 400.0, 520.0)
    r = crh_stimulation([30.0, np.nan], [55.0, 60.0], 400.0, 520.0)
    assert r.category == "missing"


def test_percent_rise_shapes():
    np.testing.assert_allclose(percent_rise([[100.0], [50.0]], [[150.0], [50.0]]), [50.0, 0.0])
    assert percent_rise(100.0, 80.0) == pytest.approx(-20.0)


# --- DEX/CRH --------------------------------------------------------------------------------------
def test_dex_crh():
    r = dex_crh([75.3, 75.4, np.nan])
    assert r.category.tolist() == ["suppressed", "not_suppressed", "missing"]
    assert r.details == {}
    r = dex_crh([50.0, 80.0], [[100.0, 150.0], [200.0, 180.0]])
    np.testing.assert_allclose(r.details["peak"], [150.0, 200.0])
    np.testing.assert_allclose(r.details["increment"], [100.0, 120.0])
    with pytest.raises(ValueError, match="'criterion'"):
        dex_crh(50.0, criterion="heuser1994")
    with pytest.raises(DataValidationError, match="non-negative"):
        dex_crh(50.0, [-1.0])


def test_docstrings_say_not_a_diagnosis():
    for f in (dexamethasone_suppression, acth_stimulation, crh_stimulation, dex_crh):
        assert "never a diagnosis" in f.__doc__


def test_catalogue_entries():
    for name in ("dexamethasone_suppression", "acth_stimulation", "crh_acth_rise_pct",
                 "crh_cortisol_rise_pct", "percent_rise", "dex_crh"):  # fmt: skip
        entry = CATALOGUE[name]
        assert callable(getattr(dynamic_tests, entry.function.rsplit(".", 1)[1]))
    assert CATALOGUE["dexamethasone_suppression"].methods[0] == "nieman2008"
