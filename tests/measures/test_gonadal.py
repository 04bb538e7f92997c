"""Tests of neuroendo.measures.gonadal: Vermeulen free T (T9), FAI, ratios, validation."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo._core.units import convert
from neuroendo.measures import gonadal
from neuroendo.measures._catalogue import CATALOGUE
from neuroendo.measures.gonadal import (
    ALBUMIN_MOLAR_MASS_VERMEULEN,
    KA_ALBUMIN,
    KT_SHBG,
    bioavailable_testosterone,
    estradiol_testosterone_ratio,
    free_androgen_index,
    free_testosterone,
    lh_fsh_ratio,
    testosterone_cortisol_ratio,
)

GOLDEN = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "golden" / "gonadal.toml").read_text("utf-8")
)


def test_constants_are_vermeulens():
    assert KA_ALBUMIN == 3.6e4
    assert KT_SHBG == 1e9
    assert ALBUMIN_MOLAR_MASS_VERMEULEN == 69_000.0


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["vermeulen"], ids=lambda c: c["id"])
def test_vermeulen_t9(case):
    tt, shbg, alb = case["total_t"], case["shbg"], case["albumin"]
    ft = free_testosterone(tt, shbg, alb)
    got = {
        "free_testosterone": ft,
        "free_percent": 100 * ft / tt,
        "bioavailable_testosterone": bioavailable_testosterone(tt, shbg, alb),
    }
    for name, expected in case["expected"].items():
        assert got[name] == pytest.approx(expected, abs=case["atol"][name]), name


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["issam"], ids=lambda c: c["id"])
def test_issam_calculator_values(case):
    ft = free_testosterone(case["total_t"], case["shbg"], case["albumin"])
    assert abs(ft - case["expected"]) <= case["atol"]


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["fai"], ids=lambda c: c["id"])
def test_fai_example(case):
    assert free_androgen_index(case["total_t"], case["shbg"]) == pytest.approx(
        case["expected"], rel=case["rtol"]
    )


def test_default_albumin_is_43_g_per_l():
    assert free_testosterone(15.0, 40.0) == free_testosterone(15.0, 40.0, 43.0)


def test_mass_balance_holds():
    tt, shbg, alb = np.array([15.0, 1.0, 40.0]), np.array([40.0, 100.0, 5.0]), 43.0
    ft = free_testosterone(tt, shbg, alb) * 1e-9
    n = 1 + KA_ALBUMIN * alb / ALBUMIN_MOLAR_MASS_VERMEULEN
    shbg_bound = shbg * 1e-9 * KT_SHBG * ft / (1 + KT_SHBG * ft)
    np.testing.assert_allclose(n * ft + shbg_bound, tt * 1e-9, rtol=1e-12)


def test_stable_in_extreme_ranges():
    # tiny T with huge SHBG (b >> 0) and huge T with no SHBG (b << 0): no cancellation, no NaN
    ft_small = free_testosterone(1e-4, 500.0)
    n = 1 + KA_ALBUMIN * 43.0 / ALBUMIN_MOLAR_MASS_VERMEULEN
    approx = 1e-4 / (n + KT_SHBG * 500e-9)  # linear regime: FT = TT / (N + Kt SHBG)
    assert ft_small == pytest.approx(approx, rel=1e-6)
    assert free_testosterone(1000.0, 0.0) == pytest.approx(1000.0 / n, rel=1e-12)
    assert free_testosterone(0.0, 40.0) == 0.0


def test_units():
    ref = free_testosterone(15.0, 40.0, 43.0)
    tt_ngdl = convert(15.0, "nmol/L", "ng/dL", analyte="testosterone")
    assert free_testosterone(tt_ngdl, 40.0, 4.3, t_unit="ng/dL", albumin_unit="g/dL") == (
        pytest.approx(ref, rel=1e-12)
    )
    alb_mol = 43.0 / ALBUMIN_MOLAR_MASS_VERMEULEN
    assert free_testosterone(15.0, 40.0, alb_mol * 1e6, albumin_unit="umol/L") == pytest.approx(
        ref, rel=1e-12
    )
    assert free_androgen_index(tt_ngdl, 40.0, t_unit="ng/dL") == pytest.approx(37.5)


def test_vectorised_and_broadcast():
    out = free_testosterone([15.0, 10.0, 20.0], 40.0)
    assert out.shape == (3,)
    np.testing.assert_allclose(out[0], free_testosterone(15.0, 40.0))
    assert isinstance(free_testosterone(15.0, 40.0), float)


def test_nan_propagates():
    out = free_testosterone([15.0, np.nan], [40.0, 40.0], [43.0, 43.0])
    assert np.isfinite(out[0])
    assert np.isnan(out[1])
    assert math.isnan(bioavailable_testosterone(15.0, 40.0, np.nan))
    assert math.isnan(free_androgen_index(np.nan, 40.0))


def test_ratios():
    assert lh_fsh_ratio(12.0, 5.0) == pytest.approx(2.4)
    assert lh_fsh_ratio(12.0, 5.0, lh_unit="mIU/mL", fsh_unit="m[IU]/mL") == pytest.approx(2.4)
    assert estradiol_testosterone_ratio(100.0, 20.0) == pytest.approx(0.005)
    e2_pgml = convert(100.0, "pmol/L", "pg/mL", analyte="estradiol")
    assert estradiol_testosterone_ratio(e2_pgml, 20.0, e2_unit="pg/mL") == pytest.approx(0.005)
    assert testosterone_cortisol_ratio(20.0, 400.0) == pytest.approx(0.05)
    c_ugdl = convert(400.0, "nmol/L", "ug/dL", analyte="cortisol")
    assert testosterone_cortisol_ratio(20.0, c_ugdl, cortisol_unit="ug/dL") == pytest.approx(0.05)


@pytest.mark.parametrize(
    "call",
    [
        lambda: free_testosterone(-1.0, 40.0),
        lambda: free_testosterone(15.0, -40.0),
        lambda: free_testosterone(15.0, 40.0, -43.0),
        lambda: bioavailable_testosterone(-15.0, 40.0),
        lambda: free_androgen_index(-10.0, 40.0),
        lambda: lh_fsh_ratio(-1.0, 5.0),
        lambda: estradiol_testosterone_ratio(-1.0, 20.0),
        lambda: testosterone_cortisol_ratio(20.0, -400.0),
    ],
)
def test_negative_raises(call):
    with pytest.raises(DataValidationError, match="non-negative"):
        call()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: free_androgen_index(10.0, 0.0), "shbg"),
        (lambda: lh_fsh_ratio(10.0, 0.0), "fsh"),
        (lambda: estradiol_testosterone_ratio(100.0, 0.0), "total_t"),
        (lambda: testosterone_cortisol_ratio(20.0, 0.0), "cortisol"),
    ],
)
def test_zero_denominator_raises(call, name):
    with pytest.raises(DataValidationError, match=f"'{name}' must be > 0"):
        call()


@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (lambda: free_testosterone(15.0, 40.0, t_unit="m[IU]/L"), "t_unit"),
        (lambda: free_testosterone(15.0, 40.0, shbg_unit="ug/dL"), "shbg_unit"),
        (lambda: free_testosterone(15.0, 40.0, albumin_unit="m[IU]/L"), "albumin_unit"),
        (lambda: free_testosterone(15.0, 40.0, albumin_unit="lbs"), "albumin_unit"),
        (lambda: free_androgen_index(10.0, 40.0, t_unit="bogus"), "t_unit"),
        (lambda: lh_fsh_ratio(10.0, 5.0, lh_unit="nmol/L"), "lh_unit"),
        (lambda: estradiol_testosterone_ratio(1.0, 2.0, e2_unit="m[IU]/L"), "e2_unit"),
        (lambda: testosterone_cortisol_ratio(1.0, 2.0, cortisol_unit="s"), "cortisol_unit"),
    ],
)
def test_bad_units(call, arg):
    with pytest.raises(UnitError, match=arg):
        call()


def test_unknown_method_suggests():
    with pytest.raises(ValueError, match="Did you mean 'vermeulen1999'"):
        free_testosterone(15.0, 40.0, method="vermuelen1999")
    with pytest.raises(ValueError, match="'method'"):
        bioavailable_testosterone(15.0, 40.0, method="sodergard1982")


def test_shape_mismatch_names_shapes():
    with pytest.raises(DataValidationError, match=r"'total_t' has shape \(3,\).*'shbg'"):
        free_testosterone([1.0, 2.0, 3.0], [40.0, 30.0])


def test_catalogue_entries():
    for name in ("free_testosterone", "bioavailable_testosterone", "free_androgen_index",
                 "estradiol_testosterone_ratio", "lh_fsh_ratio",
                 "testosterone_cortisol_ratio"):  # fmt: skip
        entry = CATALOGUE[name]
        assert callable(getattr(gonadal, entry.function.rsplit(".", 1)[1]))
        assert entry.formula
        assert entry.references
    assert CATALOGUE["free_testosterone"].methods == ("vermeulen1999",)
    assert CATALOGUE["free_testosterone"].unit == "nmol/L"
