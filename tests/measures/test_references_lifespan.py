"""References by time of day and by age, and the reference each FT4/RMSSD/cortisol score names.

Age-dependent FT4 and cortisol references are not shipped (no table could be read and cited;
see docs/measures/balance.md). RMSSD by age is shipped for 35-65 years (Sinnreich et al. 1998,
5-min recordings); cortisol is chosen by time of day (08:00-09:00 and about 20:00 serum). These
tests pin the direction each source reports and that every lookup and profile row names what it
used.
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


SINNREICH = "sinnreich1998_rmssd"


def test_rmssd_by_age_is_entered_as_printed():
    # the journal table's 25th-75th percentiles of ln RMSSD per age group (free breathing)
    ref = R.get(SINNREICH)
    for age, lo, hi in ((40, 3.14, 3.80), (50, 2.80, 3.45), (60, 2.69, 3.46)):
        res = ref.lookup(np.exp([lo, hi]), age=age, unit="ms")
        np.testing.assert_allclose(res.percentile, [25.0, 75.0], atol=1e-9)
    assert ref.age_range == (35.0, 66.0)
    assert "Heart 1998" in ref.source
    sdnn = R.get("sinnreich1998_sdnn")
    for age, lo, hi in ((40, 3.62, 4.22), (50, 3.32, 3.87), (60, 3.23, 4.06)):
        res = sdnn.lookup(np.exp([lo, hi]), age=age, unit="ms")
        np.testing.assert_allclose(res.percentile, [25.0, 75.0], atol=1e-9)
    assert ref.provenance == "paper"


def test_a_fixed_rmssd_ranks_higher_with_age():
    # RMSSD falls with age (Sinnreich 1998: median ln RMSSD 3.49, 3.20, 3.08 by age group), so
    # the same 25 ms is a higher percentile at 60 than at 40
    res = R.lookup(SINNREICH, np.full(3, 25.0), age=[40, 50, 60], unit="ms")
    assert np.all(np.diff(res.percentile) > 0)
    assert res.percentile[0] < 40.0 < res.percentile[2]
    assert res.reference == SINNREICH


def test_rmssd_by_age_refuses_ages_outside_the_study():
    with pytest.raises(R.DataValidationError, match="ages 35-65"):
        R.lookup(SINNREICH, 30.0, age=30)
    with pytest.raises(R.DataValidationError, match="age"):
        R.lookup(SINNREICH, 30.0)


def test_balance_profile_uses_the_age_reference_for_rmssd_and_says_so():
    data = {"rmssd": [25.0, 25.0]}
    prof = balance_profile(data, age=[40, 60], references={"rmssd": SINNREICH}).to_frame()
    rows = prof[prof.component == "rmssd"]
    assert set(rows.reference) == {SINNREICH}
    assert set(rows.source) == {R.get(SINNREICH).source}
    assert rows.percentile.iloc[1] > rows.percentile.iloc[0]
