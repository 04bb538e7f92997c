"""Property tests (hypothesis) of neuroendo.measures.composite and .references."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroendo.measures import references as R
from neuroendo.measures.composite import SEEMAN1997, allostatic_load, balance_profile

SETTINGS = settings(max_examples=80, deadline=None)
SCORED = sorted(R.DEFAULT_REFERENCES)
DEMOGRAPHICS = {"free_testosterone": (30.0, "M")}  # the Ho 2006 reference is men 20-45 only


def _median(component: str, age: float, sex: str) -> float:
    """Reference median for the subject's stratum (z = 0)."""
    ref = R.get(R.DEFAULT_REFERENCES[component])
    st_ = next(
        s
        for s in ref.strata
        if (s.sex in (None, sex)) and (not ref.needs_age or s.age_from <= age < s.age_to)
    )
    if ref.kind == "percentiles":
        return st_.values[st_.percentiles.index(50.0)]
    return math.exp(st_.loc) if ref.kind == "lognormal" else st_.loc


def _score(component: str, x: float, age: float, sex: str) -> tuple[float, float]:
    unit = R.get(R.DEFAULT_REFERENCES[component]).unit  # the median is in the reference's unit
    bp = balance_profile({component: (x, unit)}, age=age, sex=sex)
    return float(bp.to_frame().loc[0, "score"]), float(bp.index)


@SETTINGS
@given(
    component=st.sampled_from(SCORED),
    a=st.floats(0.0, 1.0),
    b=st.floats(0.0, 1.0),
    above=st.booleans(),
    age=st.floats(20.0, 69.0),
    sex=st.sampled_from(["F", "M"]),
)
def test_more_extreme_value_never_scores_better(component, a, b, above, age, sex):
    """Further from the reference median on the same side -> component score and index >=."""
    age, sex = DEMOGRAPHICS.get(component, (age, sex))
    med = _median(component, age, sex)
    lo, hi = sorted((a, b))
    if above:  # values from the median up to 4x the median
        near, far = med * (1 + 3 * lo), med * (1 + 3 * hi)
    else:  # values from the median down to (almost) zero
        near, far = med * (1 - 0.99 * lo), med * (1 - 0.99 * hi)
    s_near, i_near = _score(component, near, age, sex)
    s_far, i_far = _score(component, far, age, sex)
    assert s_far >= s_near - 1e-12
    assert i_far >= i_near - 1e-12


@SETTINGS
@given(
    st.lists(st.floats(0.1, 10.0), min_size=2, max_size=12),
    st.lists(st.floats(5.0, 30.0), min_size=2, max_size=12),
    st.randoms(use_true_random=False),
)
def test_cohort_results_ignore_subject_order(tsh, ft4, rnd):
    n = min(len(tsh), len(ft4))
    df = pd.DataFrame({"tsh": tsh[:n], "ft4": ft4[:n], "age": 40.0, "sex": "F"})
    units = {"tsh": "m[IU]/L", "ft4": "pmol/L"}
    perm = list(range(n))
    rnd.shuffle(perm)
    a = balance_profile(df, units=units).index
    b = balance_profile(df.iloc[perm].reset_index(drop=True), units=units).index
    np.testing.assert_allclose(np.asarray(a)[perm], b, rtol=1e-12)


@SETTINGS
@given(st.lists(st.floats(0.0, 300.0), min_size=10, max_size=10), st.integers(0, 9))
def test_allostatic_load_counts_flags_and_is_monotone(vals, k):
    values = dict(zip(SEEMAN1997, vals, strict=True))
    al = allostatic_load(values)
    assert al.score == sum(al.flags.values())
    assert 0 <= al.score <= 10
    marker = list(SEEMAN1997)[k]
    worse = dict(values)  # moving one marker towards risk never lowers the score
    worse[marker] = values[marker] * 0.5 if marker in ("hdl", "dhea_s") else values[marker] * 2 + 1
    assert allostatic_load(worse).score >= al.score


@SETTINGS
@given(st.lists(st.floats(0.0, 1e3), min_size=1, max_size=40), st.floats(0.0, 100.0))
def test_weighted_percentile_lies_within_the_data(x, p):
    q = R.weighted_percentile(x, [p])[0]
    assert min(x) <= q <= max(x)
