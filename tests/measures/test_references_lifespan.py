"""Cortisol references by time of day, and the reference each FT4/RMSSD/cortisol score names.

Age-dependent FT4, RMSSD and cortisol references are not shipped (no table could be read and
cited; see docs/measures/balance.md). What is shipped for cortisol is a choice by time of day
(08:00-09:00 and about 20:00 serum); these tests pin that the choice changes the percentile in
the direction of the diurnal fall and that every lookup and profile row names what it used.
"""

import numpy as np
import pytest

from neuroendo.measures import references as R
from neuroendo.measures.composite import balance_profile

MORNING, EVENING = "cortisol_serum_0800_cmmc", "cortisol_serum_2000_cmmc"


def test_a_fixed_cortisol_ranks_higher_against_the_evening_reference():
    # serum cortisol falls from morning to evening (08:00-09:00: 165-635 nmol/L; ~20:00: 0-248)
    x = np.array([150.0, 300.0])
    am = R.lookup(MORNING, x, unit="nmol/L")
    pm = R.lookup(EVENING, x, unit="nmol/L")
    assert (pm.percentile > am.percentile + 30).all()
    assert am.reference == MORNING
    assert pm.reference == EVENING
    assert "CMMC" in am.source
    assert "CMMC" in pm.source
    assert "08:00" in R.get(MORNING).population
    assert "20:00" in R.get(EVENING).population


def test_cortisol_reference_is_converted_from_mass_units():
    # 10 ug/dL = 275.9 nmol/L (cortisol 362.46 g/mol)
    by_mass = R.lookup(MORNING, 10.0, unit="ug/dL")
    by_mol = R.lookup(MORNING, 275.89, unit="nmol/L")
    assert by_mass.percentile == pytest.approx(by_mol.percentile, abs=1e-2)


def test_balance_profile_names_the_time_of_day_reference_it_used():
    data = {"cortisol": [300.0, 300.0], "ft4": [16.0, 16.0], "rmssd": [42.0, 42.0]}
    am = balance_profile(data, age=[30, 60], sex=["F", "M"]).to_frame()
    pm = balance_profile(data, age=[30, 60], sex=["F", "M"], references={"cortisol": EVENING})
    pm_frame = pm.to_frame()
    row_am = am[am.component == "cortisol"]
    row_pm = pm_frame[pm_frame.component == "cortisol"]
    assert set(row_am.reference) == {MORNING}
    assert set(row_pm.reference) == {EVENING}
    assert (row_pm.percentile.to_numpy() > row_am.percentile.to_numpy()).all()
    for comp, name in (("ft4", "ship2005_ft4"), ("rmssd", "nunan2010_rmssd")):
        rows = am[am.component == comp]
        assert set(rows.reference) == {name}
        assert set(rows.source) == {R.get(name).source}
