"""Property tests (hypothesis) for thyroid and gonadal indices: unit round trips, monotonicity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroendo._core.units import convert
from neuroendo.measures.gonadal import (
    bioavailable_testosterone,
    free_androgen_index,
    free_testosterone,
)
from neuroendo.measures.thyroid import jostel_tsh_index, spina_gd, spina_gt

tsh_values = st.floats(min_value=0.01, max_value=100.0, allow_nan=False)
ft4_values = st.floats(min_value=0.5, max_value=100.0, allow_nan=False)
ft3_values = st.floats(min_value=0.1, max_value=50.0, allow_nan=False)
tt_values = st.floats(min_value=0.05, max_value=100.0, allow_nan=False)  # nmol/L
shbg_values = st.floats(min_value=1.0, max_value=300.0, allow_nan=False)  # nmol/L
alb_values = st.floats(min_value=15.0, max_value=60.0, allow_nan=False)  # g/L


@given(tsh=tsh_values, ft4=ft4_values)
def test_spina_gt_unit_round_trip(tsh, ft4):
    ft4_ngdl = convert(ft4, "pmol/L", "ng/dL", analyte="ft4")
    assert spina_gt(tsh, ft4_ngdl, ft4_unit="ng/dL") == pytest.approx(spina_gt(tsh, ft4), rel=1e-12)
    assert spina_gt(tsh, ft4, tsh_unit="uIU/mL") == pytest.approx(spina_gt(tsh, ft4), rel=1e-12)


@given(ft4=ft4_values, ft3=ft3_values)
def test_spina_gd_unit_round_trip(ft4, ft3):
    ft4_ngdl = convert(ft4, "pmol/L", "ng/dL", analyte="ft4")
    ft3_pgml = convert(ft3, "pmol/L", "pg/mL", analyte="ft3")
    got = spina_gd(ft4_ngdl, ft3_pgml, ft4_unit="ng/dL", ft3_unit="pg/mL")
    assert got == pytest.approx(spina_gd(ft4, ft3), rel=1e-12)


@given(tsh=tsh_values, ft4=ft4_values)
def test_jostel_unit_round_trip(tsh, ft4):
    ft4_ngdl = convert(ft4, "pmol/L", "ng/dL", analyte="ft4")
    assert jostel_tsh_index(tsh, ft4_ngdl, ft4_unit="ng/dL") == pytest.approx(
        jostel_tsh_index(tsh, ft4), rel=1e-12, abs=1e-12
    )


@given(tsh=tsh_values, ft4=ft4_values, factor=st.floats(min_value=1.01, max_value=10.0))
def test_spina_gt_increases_with_ft4_and_falls_with_tsh(tsh, ft4, factor):
    assert spina_gt(tsh, ft4 * factor) > spina_gt(tsh, ft4)
    assert spina_gt(tsh * factor, ft4) < spina_gt(tsh, ft4)


@given(tt=tt_values, shbg=shbg_values, alb=alb_values)
@settings(max_examples=200)
def test_free_t_bounds(tt, shbg, alb):
    ft = free_testosterone(tt, shbg, alb)
    bio = bioavailable_testosterone(tt, shbg, alb)
    assert 0 < ft < tt
    assert bio >= ft
    assert bio <= tt * (1 + 1e-12)


@given(tt=tt_values, shbg=shbg_values, alb=alb_values, factor=st.floats(1.01, 5.0))
def test_free_t_monotone(tt, shbg, alb, factor):
    ft = free_testosterone(tt, shbg, alb)
    assert free_testosterone(tt * factor, shbg, alb) > ft  # increasing in total T
    assert free_testosterone(tt, shbg * factor, alb) < ft  # decreasing in SHBG


@given(tt=tt_values, shbg=shbg_values, alb=alb_values)
def test_free_t_unit_round_trip(tt, shbg, alb):
    tt_ngdl = convert(tt, "nmol/L", "ng/dL", analyte="testosterone")
    got = free_testosterone(tt_ngdl, shbg, alb / 10, t_unit="ng/dL", albumin_unit="g/dL")
    assert got == pytest.approx(free_testosterone(tt, shbg, alb), rel=1e-9)


@given(
    tt=st.lists(tt_values, min_size=1, max_size=20),
    shbg=shbg_values,
)
def test_vectorised_equals_elementwise(tt, shbg):
    arr = free_testosterone(np.array(tt), shbg)
    single = [free_testosterone(t, shbg) for t in tt]
    np.testing.assert_allclose(arr, single, rtol=1e-14)
    np.testing.assert_allclose(free_androgen_index(np.array(tt), shbg), 100 * np.array(tt) / shbg)
