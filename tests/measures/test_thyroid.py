"""Tests of neuroendo.measures.thyroid: golden values (SPINA), units, validation, ranges."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo._core.units import convert
from neuroendo.measures import thyroid
from neuroendo.measures._catalogue import CATALOGUE
from neuroendo.measures.thyroid import (
    PTFQI_PARAMETERS_EXAMPLE,
    REFERENCE_RANGES,
    classify,
    ft3_ft4_ratio,
    jostel_tsh_index,
    ptfqi,
    reference_range,
    sgd,
    spina_gd,
    spina_gdtt,
    spina_gt,
    spina_gtt,
    stshi,
    tfqi,
    ttsi,
)

GOLDEN = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "golden" / "thyroid.toml").read_text("utf-8")
)


def _compute(name: str, case: dict) -> float:
    tsh, ft4, ft3 = case["tsh"], case["ft4"], case["ft3"]
    funcs = {
        "spina_gt": lambda: spina_gt(tsh, ft4),
        "spina_gd": lambda: spina_gd(ft4, ft3),
        "sgd": lambda: sgd(ft4, ft3),
        "jostel_tsh_index": lambda: jostel_tsh_index(tsh, ft4),
        "stshi": lambda: stshi(tsh, ft4),
        "ft3_ft4_ratio": lambda: ft3_ft4_ratio(ft3, ft4),
        "ttsi": lambda: ttsi(tsh, ft4, case["uln"]),
    }
    return float(funcs[name]())


# --- golden values -------------------------------------------------------------------------------
@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["spina"], ids=lambda c: c["id"])
def test_spina_golden(case):
    for name, expected in case["expected"].items():
        got = _compute(name, case)
        assert got == pytest.approx(expected, rel=case.get("rtol", 0), abs=case.get("atol", 0)), (
            f"{case['id']}: {name}"
        )


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["tsh_indices"], ids=lambda c: c["id"])
def test_tsh_indices_golden(case):
    for name, expected in case["expected"].items():
        assert _compute(name, case) == pytest.approx(expected, abs=case["atol"]), name
    assert _compute("ttsi", case) == pytest.approx(case["expected_ttsi"], abs=case["atol_ttsi"])


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["testthat"], ids=lambda c: c["id"])
def test_spina_testthat_scenarios(case):
    for name, expected in case["expected"].items():
        assert abs(_compute(name, case) - expected) < case["atol"], f"{case['id']}: {name}"


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["mass_units"], ids=lambda c: c["id"])
def test_spina_from_mass_units(case):
    gt = spina_gt(case["tsh"], case["ft4_ng_dl"], ft4_unit="ng/dL")
    gd = spina_gd(case["ft4_ng_dl"], case["ft3_pg_ml"], ft4_unit="ng/dL", ft3_unit="pg/mL")
    assert gt == pytest.approx(case["expected"]["spina_gt"], rel=case["rtol"])
    assert gd == pytest.approx(case["expected"]["spina_gd"], rel=case["rtol"])
    # and the difference is the documented one, not zero: molar masses, not SPINA's 12.8
    assert gt / case["expected"]["spina_gt"] == pytest.approx(12.872 / 12.8, rel=1e-4)


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["totals"], ids=lambda c: c["id"])
def test_spina_totals(case):
    gtt = spina_gtt(case["tsh"], case["tt4"])
    gdtt = spina_gdtt(case["tt4"], case["tt3"])
    assert gtt == pytest.approx(case["expected"]["spina_gtt"], rel=case["rtol"])
    assert gdtt == pytest.approx(case["expected"]["spina_gdtt"], rel=case["rtol"])
    assert gdtt == pytest.approx(case["r_gdtt"], rel=case["r_rtol"])
    assert gdtt > case["r_gdtt"]  # the 1e9 factor makes ours slightly higher than R's 1e12


def test_gdtt_equals_gd_with_standard_binding():
    # With TT3 = (1 + K30 TBG) FT3 and TT4 = (1 + K41 TBG + K42 TBPA) FT4, GDTT == GD.
    ft4, ft3 = 16.5, 4.5
    tt4 = ft4 * 6901 / 1000  # nmol/L
    tt3 = ft3 * 601 / 1000
    assert spina_gdtt(tt4, tt3) == pytest.approx(spina_gd(ft4, ft3), rel=1e-12)
    assert spina_gtt(1.0, tt4) == pytest.approx(spina_gt(1.0, ft4), rel=1e-12)


def test_vectorised_equals_scalar():
    tsh = np.array([1.0, 3.24, 0.7, 0.2])
    ft4 = np.array([16.5, 7.7, 9.0, 5.12])
    ft3 = np.array([4.5, 28.0, 6.2, 2.0])
    gt = spina_gt(tsh, ft4)
    assert isinstance(gt, np.ndarray)
    assert gt.shape == (4,)
    np.testing.assert_allclose(gt, [spina_gt(a, b) for a, b in zip(tsh, ft4, strict=True)])
    np.testing.assert_allclose(
        spina_gd(ft4, ft3), [spina_gd(a, b) for a, b in zip(ft4, ft3, strict=True)]
    )
    assert isinstance(spina_gt(1.0, 16.5), float)


def test_broadcast_scalar_against_array():
    np.testing.assert_allclose(ttsi([1.0, 2.0], [16.5, 9.0], 18.0), [91.6666667, 100.0])


# --- units ---------------------------------------------------------------------------------------
def test_tsh_unit_spellings_equivalent():
    ref = spina_gt(1.0, 16.5)
    assert spina_gt(1.0, 16.5, tsh_unit="m[IU]/L") == ref
    assert spina_gt(1.0, 16.5, tsh_unit="uIU/mL") == pytest.approx(ref, rel=1e-12)
    assert spina_gt(0.001, 16.5, tsh_unit="[IU]/L") == pytest.approx(ref, rel=1e-12)


def test_total_units():
    tt4_ugdl = convert(90.0, "nmol/L", "ug/dL", analyte="tt4")
    tt3_ngdl = convert(2.5, "nmol/L", "ng/dL", analyte="tt3")
    assert spina_gtt(1.0, tt4_ugdl, tt4_unit="ug/dL") == pytest.approx(3.7125, rel=1e-12)
    assert spina_gdtt(tt4_ugdl, tt3_ngdl, tt4_unit="ug/dL", tt3_unit="ng/dL") == pytest.approx(
        spina_gdtt(90.0, 2.5), rel=1e-12
    )


def test_ft3_ft4_ratio_mixed_units_is_molar():
    ft3 = convert(4.5, "pmol/L", "pg/mL", analyte="ft3")
    assert ft3_ft4_ratio(ft3, 16.5, ft3_unit="pg/mL") == pytest.approx(4.5 / 16.5, rel=1e-12)


@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (lambda: spina_gt(1.0, 16.5, ft4_unit="m[IU]/L"), "ft4_unit"),
        (lambda: spina_gt(1.0, 16.5, tsh_unit="pmol/L"), "tsh_unit"),
        (lambda: spina_gd(16.5, 4.5, ft3_unit="furlong"), "ft3_unit"),
        (lambda: spina_gtt(1.0, 90.0, tt4_unit="m[IU]/L"), "tt4_unit"),
        (lambda: spina_gdtt(90.0, 2.5, tt3_unit="s"), "tt3_unit"),
        (lambda: jostel_tsh_index(1.0, 16.5, ft4_unit="mg"), "ft4_unit"),
        (lambda: ft3_ft4_ratio(4.5, 16.5, ft3_unit="m[IU]/L"), "ft3_unit"),
        (lambda: ttsi(1.0, 16.5, 18.0, tsh_unit="nmol/L"), "tsh_unit"),
    ],
)
def test_bad_units_raise_unit_error_naming_argument(call, arg):
    with pytest.raises(UnitError, match=arg):
        call()


# --- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda: spina_gt(-1.0, 16.5),
        lambda: spina_gt(1.0, -16.5),
        lambda: spina_gd(16.5, -4.5),
        lambda: spina_gtt(1.0, -90.0),
        lambda: spina_gdtt(90.0, -2.5),
        lambda: jostel_tsh_index(1.0, -1.0),
        lambda: ttsi(1.0, -16.5, 18.0),
        lambda: ttsi(1.0, 16.5, -18.0),
        lambda: ft3_ft4_ratio(-4.5, 16.5),
        lambda: sgd(16.5, -4.5),
    ],
)
def test_negative_concentrations_raise(call):
    with pytest.raises(DataValidationError, match="non-negative"):
        call()


def test_infinite_values_raise():
    with pytest.raises(DataValidationError, match="infinite"):
        spina_gt(np.inf, 16.5)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: spina_gt([1.0, 0.0], 16.5), "tsh"),
        (lambda: spina_gtt(0.0, 90.0), "tsh"),
        (lambda: jostel_tsh_index(0.0, 16.5), "tsh"),
        (lambda: stshi(0.0, 16.5), "tsh"),
        (lambda: spina_gd(0.0, 4.5), "ft4"),
        (lambda: spina_gdtt(0.0, 2.5), "tt4"),
        (lambda: ft3_ft4_ratio(4.5, 0.0), "ft4"),
        (lambda: ttsi(1.0, 16.5, 0.0), "ft4_upper_limit"),
    ],
)
def test_zero_denominator_or_log_raises_naming_value(call, name):
    with pytest.raises(DataValidationError, match=rf"'{name}' must be > 0.*position\(s\)"):
        call()


def test_ttsi_zero_tsh_is_zero():
    assert ttsi(0.0, 16.5, 18.0) == 0.0


def test_nan_propagates_per_subject():
    gt = spina_gt([1.0, np.nan, 3.24], [16.5, 9.0, np.nan])
    assert np.isfinite(gt[0])
    assert np.isnan(gt[1:]).all()
    assert math.isnan(spina_gd(np.nan, 4.5))
    assert math.isnan(jostel_tsh_index(np.nan, 16.5))
    assert math.isnan(ttsi(1.0, np.nan, 18.0))


def test_mismatched_shapes_name_both():
    pattern = r"'tsh' has shape \(3,\).*'ft4' has shape \(2,\)"
    with pytest.raises(DataValidationError, match=pattern):
        spina_gt([1.0, 2.0, 3.0], [16.5, 9.0])


def test_non_numeric_raises():
    with pytest.raises(DataValidationError, match="numbers"):
        spina_gt("high", 16.5)


def test_sd_must_be_positive():
    with pytest.raises(ValueError, match="'sd'"):
        stshi(1.0, 16.5, sd=0.0)
    with pytest.raises(ValueError, match="'sd_ft4'"):
        ptfqi(1.0, 16.5, **{**PTFQI_PARAMETERS_EXAMPLE, "sd_ft4": -1.0})


# --- TFQI ----------------------------------------------------------------------------------------
def test_tfqi_empirical_cdf():
    ref_tsh = [0.5, 1.0, 1.5, 2.0]
    ref_ft4 = [12.0, 14.0, 16.0, 18.0]
    # F_FT4(15) = 2/4, F_TSH(1.5) = 3/4 -> 0.5 - 0.25
    assert tfqi(1.5, 15.0, reference_tsh=ref_tsh, reference_ft4=ref_ft4) == 0.25
    out = tfqi([0.1, 5.0, np.nan], [10.0, 20.0, 15.0], reference_tsh=ref_tsh, reference_ft4=ref_ft4)
    np.testing.assert_allclose(out[:2], [-1.0, 1.0])
    assert np.isnan(out[2])


def test_tfqi_reference_unit_follows_input_unit():
    ref_tsh = [0.5, 1.0, 1.5, 2.0]
    ref_ft4 = np.array([12.0, 14.0, 16.0, 18.0])
    ref_ng = convert(ref_ft4, "pmol/L", "ng/dL", analyte="ft4")
    ft4_ng = convert(15.0, "pmol/L", "ng/dL", analyte="ft4")
    assert tfqi(
        1.5, ft4_ng, reference_tsh=ref_tsh, reference_ft4=ref_ng, ft4_unit="ng/dL"
    ) == pytest.approx(0.25)


def test_tfqi_bad_reference():
    with pytest.raises(DataValidationError, match="reference_ft4"):
        tfqi(1.0, 15.0, reference_tsh=[1.0, 2.0], reference_ft4=[np.nan, 14.0])
    with pytest.raises(DataValidationError, match="reference_tsh"):
        tfqi(1.0, 15.0, reference_tsh=[1.0], reference_ft4=[12.0, 14.0])


def test_ptfqi_at_population_centre_is_zero_and_bounded():
    p = dict(PTFQI_PARAMETERS_EXAMPLE)
    centre = ptfqi(math.exp(p["mean_ln_tsh"]), p["mean_ft4"], **p)
    assert centre == pytest.approx(0.0, abs=1e-12)
    out = ptfqi([0.01, 100.0], [1.0, 40.0], **p)
    assert out[0] == pytest.approx(-1.0, abs=1e-6)
    assert out[1] == pytest.approx(1.0, abs=1e-6)


def test_ptfqi_parameters_are_required():
    with pytest.raises(TypeError):
        ptfqi(1.0, 15.0)  # type: ignore[call-arg]


# --- reference ranges ----------------------------------------------------------------------------
def test_reference_ranges_have_sources():
    assert reference_range("spina_gt").low == 1.41
    assert reference_range("spina_gt").high == 8.67
    assert reference_range("jostel_tsh_index").unit == "1"
    for r in REFERENCE_RANGES.values():
        assert r.source
        assert r.low < r.high
        assert r.name in CATALOGUE


def test_reference_range_unknown_name_suggests():
    with pytest.raises(ValueError, match="Did you mean 'spina_gt'"):
        reference_range("spina_tg")


def test_classify_inclusive_bounds_and_missing():
    out = classify("spina_gd", [19.99, 20.0, 40.0, 40.01, np.nan])
    assert out.tolist() == ["below", "within", "within", "above", "missing"]
    assert classify("spina_gd", 25.0) == "within"


# --- catalogue -----------------------------------------------------------------------------------
def test_catalogue_entries():
    for name in ("spina_gt", "spina_gd", "spina_gtt", "spina_gdtt", "jostel_tsh_index", "stshi",
                 "ttsi", "tfqi", "ptfqi", "ft3_ft4_ratio", "sgd"):  # fmt: skip
        entry = CATALOGUE[name]
        func = getattr(thyroid, entry.function.rsplit(".", 1)[1])
        assert callable(func)
        assert entry.formula
        assert entry.references
    assert CATALOGUE["spina_gt"].loinc == "82368-2"
    assert CATALOGUE["spina_gd"].loinc == "82367-4"
    assert CATALOGUE["spina_gt"].unit == "pmol/s"
    assert CATALOGUE["spina_gd"].unit == "nmol/s"


def test_spina_constants_exposed():
    c = thyroid.SPINA_CONSTANTS
    assert c["K41"] == 2e10
    assert c["beta_31"] == 8e-6
    with pytest.raises(TypeError):
        c["K41"] = 1.0  # type: ignore[index]
