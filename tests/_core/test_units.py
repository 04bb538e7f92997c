import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuroendo import UnitError, UnknownAnalyteError
from neuroendo.units import (
    Value,
    conversion_factor,
    convert,
    dimension,
    is_compatible,
    normalize_unit,
)


@pytest.mark.golden
def test_conversion_factors_golden(golden):
    g = golden("units")
    for case in g["factor"]:
        f = conversion_factor(case["from_unit"], case["to_unit"], analyte=case["analyte"])
        assert f == pytest.approx(case["expected"], rel=case["rtol"]), case["id"]
        if "quoted" in case:  # the rounded factor labs quote agrees to its printed digits
            assert f == pytest.approx(case["quoted"], rel=5e-3), case["id"]
    for case in g["point"]:
        v = convert(case["value"], case["from_unit"], case["to_unit"], analyte=case["analyte"])
        assert v == pytest.approx(case["expected"], rel=case["rtol"]), case["id"]


@pytest.mark.parametrize(
    ("spelling", "ucum"),
    [
        ("mIU/L", "m[IU]/L"),
        ("mIU/mL", "m[IU]/mL"),
        ("uIU/mL", "u[IU]/mL"),
        ("µIU/mL", "u[IU]/mL"),
        ("µg/dl", "ug/dL"),
        ("μg/dL", "ug/dL"),
        ("mcg/dL", "ug/dL"),
        ("nmol/l", "nmol/L"),
        ("pg/ml", "pg/mL"),
        (" ng/dL ", "ng/dL"),
        ("mmHg", "mm[Hg]"),
        ("m[IU]/L", "m[IU]/L"),
        ("nmol.min/L", "nmol.min/L"),
    ],
)
def test_lab_spellings_normalise_to_ucum(spelling, ucum):
    assert normalize_unit(spelling) == ucum


def test_scalar_in_scalar_out_and_arrays():
    assert isinstance(convert(1.0, "g/dL", "g/L"), float)
    out = convert(np.array([[1.0, 2.0], [np.nan, 4.0]]), "g/dL", "g/L")
    assert out.shape == (2, 2)
    assert np.isnan(out[1, 0])
    np.testing.assert_allclose(out[0], [10.0, 20.0])


def test_time_and_auc_units():
    assert conversion_factor("nmol.min/L", "nmol.h/L") == pytest.approx(1 / 60)
    assert conversion_factor("h", "min") == pytest.approx(60.0)
    assert conversion_factor("ms2", "s2") == pytest.approx(1e-6)
    assert conversion_factor("%", "1") == pytest.approx(0.01)
    assert conversion_factor("10*9/L", "/nL") == pytest.approx(1.0)


def test_dimension_text():
    assert dimension("ug/dL") == "[mass] / [length] ** 3"
    assert dimension("1") == "dimensionless"
    assert "international_unit" in dimension("m[IU]/L")


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("foo", "nmol/L", None), "Unknown unit 'foo'"),
        (("ng/dl)", "nmol/L", None), "Did you mean 'ng/dL'"),
        (("", "nmol/L", None), "non-empty UCUM string"),
        (("ug/dL", "nmol/L", None), "needs a molar mass: pass analyte"),
        (("nmol/L", "m[IU]/L", "tsh"), "international units"),
        (("m[IU]/L", "ug/dL", None), "international units"),
        (("mU/L", "m[IU]/L", "tsh"), "enzyme unit"),
        (("pg/mL", "pmol/L", "shbg"), "no single molar mass"),
        (("nmol/L", "s", None), "Incompatible units"),
        (("ng/mL", "m[IU]/L", "prolactin"), "does not suit 'prolactin'"),
    ],
)
def test_unit_errors_name_the_problem(args, match):
    with pytest.raises(UnitError, match=match):
        conversion_factor(*args)


def test_unit_error_is_a_value_error():
    with pytest.raises(ValueError, match="Unknown unit"):
        convert(1.0, "nmol/LL", "nmol/L")


def test_unknown_analyte():
    with pytest.raises(UnknownAnalyteError, match="Did you mean 'cortisol'"):
        convert(1.0, "ug/dL", "nmol/L", analyte="cortisl")
    with pytest.raises(KeyError):
        convert(1.0, "ug/dL", "nmol/L", analyte="cortisl")


def test_non_string_unit():
    with pytest.raises(UnitError, match="non-empty UCUM string"):
        normalize_unit(None)  # type: ignore[arg-type]


def test_is_compatible():
    assert is_compatible("ng/dL", "pmol/L", analyte="ft4")
    assert not is_compatible("ng/dL", "pmol/L")
    assert not is_compatible("m[IU]/L", "pmol/L", analyte="tsh")


def test_value_round_trip():
    v = Value(10.0, "ug/dL").to("nmol/L", analyte="cortisol").to("ug/dL", analyte="cortisol")
    assert float(v) == pytest.approx(10.0, rel=1e-12)
    assert v.unit == "ug/dL"


MASS_MOLAR = [
    ("cortisol", "ug/dL", "nmol/L"),
    ("ft4", "ng/dL", "pmol/L"),
    ("ft3", "pg/mL", "pmol/L"),
    ("testosterone", "ng/dL", "nmol/L"),
    ("estradiol", "pg/mL", "pmol/L"),
    ("dhea_s", "ug/dL", "umol/L"),
]


@given(
    value=st.floats(min_value=1e-6, max_value=1e6, allow_nan=False),
    case=st.sampled_from(MASS_MOLAR),
)
def test_round_trip_property(value, case):
    analyte, a, b = case
    back = convert(convert(value, a, b, analyte=analyte), b, a, analyte=analyte)
    assert math.isclose(back, value, rel_tol=1e-12)


@given(x=st.floats(min_value=0, max_value=1e6), y=st.floats(min_value=0, max_value=1e6))
def test_conversion_is_linear(x, y):
    f = conversion_factor("ug/dL", "nmol/L", analyte="cortisol")
    assert math.isclose(
        convert(x + y, "ug/dL", "nmol/L", analyte="cortisol"),
        f * (x + y),
        rel_tol=1e-12,
        abs_tol=1e-12,
    )
