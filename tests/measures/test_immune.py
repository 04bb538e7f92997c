"""Tests of neuroendo.measures.immune: CRP categories and exclusion, cytokine units, ratios."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from neuroendo._core.errors import DataQualityWarning, DataValidationError, UnitError
from neuroendo.measures import immune as im

GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "immune.toml").read_text())


@pytest.mark.golden
def test_crp_categories_at_the_cutoffs():
    case = GOLDEN["crp_category"][0]
    got = im.crp_risk_category(case["crp_mg_l"])
    assert got.tolist() == case["expected"]


def test_crp_category_scalar_nan_and_units():
    assert im.crp_risk_category(0.25, crp_unit="mg/dL") == "average"
    assert im.crp_risk_category([np.nan]).tolist() == ["missing"]
    assert im.crp_risk_category(2500.0, crp_unit="ng/mL") == "average"


def test_hs_crp_excludes_acute_values_with_a_warning():
    with pytest.warns(DataQualityWarning, match="position"):
        res = im.hs_crp([0.5, 12.0, 10.0, 9.99])
    np.testing.assert_array_equal(np.isnan(res), [False, True, True, False])
    kept = im.hs_crp([12.0], exclude_acute=False)
    assert kept.tolist() == [12.0]
    assert im.hs_crp(1.2, crp_unit="ug/mL") == pytest.approx(1.2)


def test_crp_rejects_molar_and_negative():
    with pytest.raises(UnitError, match="mass concentration"):
        im.hs_crp(1.0, crp_unit="nmol/L")
    with pytest.raises(DataValidationError, match="non-negative"):
        im.hs_crp(-1.0)
    with pytest.raises(ValueError, match="acute_threshold"):
        im.crp_risk_category(1.0, acute_threshold=2.0)


def test_cytokine_units():
    assert im.il6(2.0, il6_unit="ng/L") == pytest.approx(2.0)
    assert im.tnf_alpha(0.003, tnf_unit="ng/mL") == pytest.approx(3.0)
    with pytest.raises(UnitError, match="il6_unit"):
        im.il6(1.0, il6_unit="[IU]/mL")
    with pytest.raises(UnitError, match="tnf_unit"):
        im.tnf_alpha(1.0, tnf_unit="pg/mm")


@pytest.mark.golden
def test_nlr_golden_and_units():
    case = GOLDEN["nlr"][0]
    got = im.nlr(case["neutrophils"], case["lymphocytes"],
                 neutrophil_unit=case["unit"], lymphocyte_unit=case["unit"])  # fmt: skip
    np.testing.assert_allclose(got, case["expected"], rtol=case["rtol"])
    assert im.nlr(4.2, 2100, lymphocyte_unit="/uL") == pytest.approx(2.0)
    assert im.nlr(60.0, 30.0, neutrophil_unit="%", lymphocyte_unit="%") == pytest.approx(2.0)
    with pytest.raises(UnitError, match="both"):
        im.nlr(4.2, 30.0, lymphocyte_unit="%")
    with pytest.raises(DataValidationError, match="> 0"):
        im.nlr(4.2, 0.0)


def test_glucocorticoid_resistance_ratios():
    assert im.cortisol_crp_ratio(400.0, 2.0) == pytest.approx(200.0)
    # cortisol 14.5 ug/dL = 400.04 nmol/L; CRP 0.2 mg/dL = 2 mg/L
    r = im.cortisol_crp_ratio(14.5, 0.2, cortisol_unit="ug/dL", crp_unit="mg/dL")
    assert r == pytest.approx(200.02, rel=1e-4)
    res = im.cortisol_il6_ratio([400.0, 300.0], [2.0, np.nan])
    assert res[0] == pytest.approx(200.0)
    assert np.isnan(res[1])
    with pytest.raises(DataValidationError, match="'crp' must be > 0"):
        im.cortisol_crp_ratio(400.0, 0.0)
