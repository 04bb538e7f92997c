"""Tests of neuroendo.measures.questionnaires: scoring keys, ranges, missing items, PSQI."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroendo._core.errors import DataValidationError
from neuroendo.measures import questionnaires as q

GOLDEN = tomllib.loads((Path(__file__).parents[1] / "golden" / "questionnaires.toml").read_text())


def _num(xs):
    return [float("nan") if x == "nan" else x for x in xs]


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["score"], ids=lambda c: c["id"])
def test_golden_scores(case):
    res = q.score([_num(case["answers"])], case["instrument"])
    assert res[case["instrument"]].iloc[0] == pytest.approx(case["expected"], rel=case["rtol"])
    if "severity" in case:
        assert res[f"{case['instrument']}_severity"].iloc[0] == case["severity"]


@pytest.mark.golden
@pytest.mark.parametrize("case", GOLDEN["psqi"], ids=lambda c: c["id"])
def test_golden_psqi(case):
    res = q.psqi([case["answers"]])
    assert res[list(q.PSQI_COMPONENTS)].iloc[0].tolist() == case["components"]
    assert res["psqi"].iloc[0] == case["expected"]


def test_wrappers_equal_score_and_find_columns():
    rng = np.random.default_rng(1)
    ans = rng.integers(0, 5, size=(5, 10))
    df = pd.DataFrame(ans, columns=[f"PSS{k:02d}" for k in range(1, 11)],
                      index=pd.Index(list("abcde"), name="subject"))  # fmt: skip
    res = q.pss10(df)
    assert list(res.index) == list("abcde")
    np.testing.assert_array_equal(res["pss10"], q.score(ans, "pss10")["pss10"])
    rev = ans.copy()
    rev[:, [3, 4, 6, 7]] = 4 - rev[:, [3, 4, 6, 7]]
    np.testing.assert_array_equal(res["pss10"], rev.sum(axis=1))


def test_stai_trait_uses_items_21_to_40():
    df = pd.DataFrame([[1] * 20], columns=[f"stai_{k}" for k in range(21, 41)])
    assert q.stai(df, form="trait")["stai_trait"].iloc[0] == 47.0
    with pytest.raises(DataValidationError, match="stai_1"):
        q.stai(df, form="state")
    with pytest.raises(ValueError, match="form"):
        q.stai(df, form="trate")


def test_out_of_range_answer_names_item_row_and_value():
    df = pd.DataFrame([[2] * 9, [1, 1, 1, 4, 1, 1, 1, 1, 1]],
                      columns=[f"phq_{k}" for k in range(1, 10)], index=["s1", "s2"])  # fmt: skip
    with pytest.raises(DataValidationError, match=r"'phq_4' has answer 4 in row 's2'.*0-3"):
        q.phq9(df)
    with pytest.raises(DataValidationError, match="whole numbers"):
        q.gad7([[1, 1, 1.5, 1, 1, 1, 1]])


def test_missing_items_rules():
    one = [[2, 2, np.nan, 2, 2, 2, 2, 2, 2, 2]]
    assert np.isnan(q.pss10(one)["pss10"].iloc[0])  # no published rule: no imputation
    prorated = q.pss10(one, max_missing=1)
    assert prorated["pss10"].iloc[0] == pytest.approx(20.0)
    assert prorated["pss10_n_missing"].iloc[0] == 1
    state = np.full((1, 20), 2.0)
    state[0, [2, 3, 6]] = np.nan  # three missing: the manual says do not score
    assert np.isnan(q.stai(state)["stai_state"].iloc[0])
    with pytest.raises(DataValidationError, match="max_missing"):
        q.pss10(one, max_missing=10)


def test_severity_bands_boundaries():
    sums = [0, 4, 5, 9, 10, 14, 15, 19, 20, 27]
    rows = [[min(3, max(0, s - 3 * k)) for k in range(9)] for s in sums]
    res = q.phq9(rows)
    assert res["phq9"].tolist() == sums
    assert res["phq9_severity"].tolist() == [
        "minimal", "minimal", "mild", "mild", "moderate", "moderate",
        "moderately_severe", "moderately_severe", "severe", "severe",
    ]  # fmt: skip
    miss = q.gad7([[np.nan, 1, 1, 1, 1, 1, 1]])
    assert miss["gad7_severity"].iloc[0] is None


def test_custom_instrument_with_subscales():
    inst = q.Instrument("demo", items=range(1, 5), low=1, high=5, reversed=(2,),
                        subscales={"a": (1, 2), "b": (3, 4)}, source="test")  # fmt: skip
    res = q.score([[1, 1, 3, 4], [5, 5, np.nan, 1]], inst, max_missing=1)
    assert res["demo"].tolist() == [13.0, pytest.approx(7 / 3 * 4)]
    assert res["demo_a"].tolist() == [6.0, 6.0]
    assert res["demo_b"].iloc[0] == 7.0
    assert res["demo_b"].iloc[1] == 2.0


def test_instrument_declaration_is_checked():
    with pytest.raises(DataValidationError, match="not in 'items'"):
        q.Instrument("bad", items=(1, 2), low=0, high=3, reversed=(3,))
    with pytest.raises(DataValidationError, match="'high'"):
        q.Instrument("bad", items=(1, 2), low=3, high=3)
    with pytest.raises(ValueError, match="instrument"):
        q.score([[1]], "pss11")


def test_column_errors():
    df = pd.DataFrame([[1] * 9], columns=[f"item{k}" for k in range(1, 10)])
    with pytest.raises(DataValidationError, match="columns="):
        q.phq9(df)
    res = q.phq9(df, columns=[f"item{k}" for k in range(1, 10)])
    assert res["phq9"].iloc[0] == 9
    with pytest.raises(DataValidationError, match="text"):
        q.phq9(df.astype(str), columns=list(df.columns))
    with pytest.raises(DataValidationError, match="9 item columns"):
        q.phq9([[1] * 8])


def test_psqi_dataframe_clock_text_and_missing():
    cols = [f"psqi_{k}" for k in ("1", "2", "3", "4", *[f"5{c}" for c in "abcdefghij"],
                                  "6", "7", "8", "9")]  # fmt: skip
    row1 = ["23:00", 20, "07:00", 7.5, 1, 1, 0, 0, 0, 0, 0, 1, 0, np.nan, 1, 0, 0, 1]
    row2 = [23.0, 20, 7.0, np.nan, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1]
    df = pd.DataFrame([row1, row2], columns=cols)
    res = q.psqi(df)
    assert res["psqi"].iloc[0] == 4.0  # 5j empty counts 0
    assert np.isnan(res["psqi_duration"].iloc[1])
    assert np.isnan(res["psqi"].iloc[1])


def test_psqi_errors():
    base = [23.0, 20, 7.0, 7.5, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1]
    bad = list(base)
    bad[14] = 4
    with pytest.raises(DataValidationError, match="psqi_6"):
        q.psqi([bad])
    same = list(base)
    same[2] = 23.0
    with pytest.raises(DataValidationError, match="time in bed is 0"):
        q.psqi([same])
    text = list(base)
    text[0] = "late"
    with pytest.raises(DataValidationError, match="as a time"):
        q.psqi([text])
    late = list(base)
    late[0] = 25.0
    with pytest.raises(DataValidationError, match="0-24"):
        q.psqi([late])


def test_psqi_duration_and_efficiency_boundaries():
    def dur(hours, in_bed_end=9.0):
        r = [1.0, 10, in_bed_end, hours, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        return r

    res = q.psqi([dur(h) for h in (7.01, 7.0, 6.0, 5.99, 5.0, 4.99)])
    assert res["psqi_duration"].tolist() == [0, 1, 1, 2, 2, 3]
    # 8 h in bed: 6.8 h = 85 % -> 0; 6.76 h = 84.5 % rounds half up to 85 -> 0; 6.72 -> 84 -> 1
    res = q.psqi([dur(h) for h in (6.8, 6.76, 6.72, 5.2, 5.1)])
    assert res["psqi_efficiency"].tolist() == [0, 0, 1, 2, 3]
