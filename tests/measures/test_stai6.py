"""STAI-6 (Marteau & Bekker 1992): items, reversed items, 20/6 scaling, missing items.

The six items are STAI Form Y-1 items 1, 3, 6, 15, 16, 17 (calm, tense, upset, relaxed, content,
worried). The short form must therefore agree with the full-form key restricted to these items:
that is checked against neuroendo's own ``stai_state`` declaration (Spielberger 1983 key) and,
as a cross-check, against BioPsyKit's reverse-scoring helper. BioPsyKit 0.14 has no STAI-6 (its
``stai_short`` is a 10-item German form), so no BioPsyKit score can be compared directly.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroendo._core.errors import DataValidationError
from neuroendo.measures import questionnaires as q

FULL_FORM_ITEMS = (1, 3, 6, 15, 16, 17)  # calm, tense, upset, relaxed, content, worried


def test_reversed_items_are_the_full_form_key_restricted_to_the_six_items():
    full_key = set(q.INSTRUMENTS["stai_state"].reversed)
    expected = tuple(pos for pos, item in enumerate(FULL_FORM_ITEMS, 1) if item in full_key)
    assert expected == (1, 4, 5)  # calm, relaxed, content
    assert q.INSTRUMENTS["stai6"].reversed == expected


def test_stai6_from_a_full_form_sheet_equals_20_over_6_times_the_keyed_item_sum():
    rng = np.random.default_rng(6)
    sheet = pd.DataFrame(
        rng.integers(1, 5, size=(50, 20)), columns=[f"stai_{k}" for k in range(1, 21)]
    )
    ours = q.stai6(sheet, columns=[f"stai_{k}" for k in FULL_FORM_ITEMS])["stai6"]
    key = set(q.INSTRUMENTS["stai_state"].reversed)
    keyed = sum(5 - sheet[f"stai_{k}"] if k in key else sheet[f"stai_{k}"] for k in FULL_FORM_ITEMS)
    np.testing.assert_allclose(ours.to_numpy(), keyed.to_numpy() * 20 / 6, rtol=1e-12)


def test_range_is_the_full_form_metric():
    res = q.stai6([[4, 1, 1, 4, 4, 1], [1, 4, 4, 1, 1, 4], [2, 2, 2, 2, 2, 2]])
    np.testing.assert_allclose(res["stai6"].to_numpy(), [20.0, 80.0, 50.0], rtol=1e-12)
    assert res["stai6_n_missing"].tolist() == [0, 0, 0]


def test_more_anxiety_present_gives_a_higher_score():
    low = q.stai6([[3, 2, 2, 3, 3, 2]])["stai6"].iloc[0]
    high = q.stai6([[3, 3, 2, 3, 3, 2]])["stai6"].iloc[0]  # more "tense"
    calmer = q.stai6([[4, 2, 2, 3, 3, 2]])["stai6"].iloc[0]  # more "calm" (reversed)
    assert high == pytest.approx(low + 20 / 6)
    assert calmer == pytest.approx(low - 20 / 6)


def test_missing_item_gives_nan_unless_prorating_is_asked_for():
    answers = [[2, 3, 3, 2, 2, np.nan]]
    default = q.stai6(answers)
    assert np.isnan(default["stai6"].iloc[0])
    assert default["stai6_n_missing"].iloc[0] == 1
    prorated = q.stai6(answers, max_missing=1)["stai6"].iloc[0]
    assert prorated == pytest.approx(20 * np.mean([3, 3, 3, 3, 3]))  # mean of keyed answers x 20
    assert q.INSTRUMENTS["stai6"].max_missing == 0
    assert "no missing-item rule" in q.INSTRUMENTS["stai6"].missing_source


def test_columns_found_by_prefix_and_bad_answers_rejected():
    df = pd.DataFrame([[2, 2, 2, 2, 2, 2]], columns=[f"STAI6_{k:02d}" for k in range(1, 7)])
    assert q.stai6(df)["stai6"].iloc[0] == pytest.approx(50.0)
    with pytest.raises(DataValidationError, match="STAI6_03"):
        q.stai6(df.assign(STAI6_03=5))
    with pytest.raises(DataValidationError, match="stai6_6"):
        q.stai6(df.drop(columns="STAI6_06"))


# --- cross-check: BioPsyKit's reverse scoring on the same items ---------------------------------
SCRIPT = textwrap.dedent(
    """
    import sys
    import warnings

    import pandas as pd

    from biopsykit.questionnaires.utils import invert

    warnings.simplefilter("ignore")
    src, dst = sys.argv[1], sys.argv[2]
    data = pd.read_csv(src, index_col=0)
    keyed = invert(data, score_range=[1, 4], cols=[0, 3, 4])  # calm, relaxed, content
    (keyed.sum(axis=1) * 20 / 6).rename("stai6").to_frame().to_csv(dst)
    """
)


@pytest.mark.crosscheck
def test_stai6_equals_biopsykit_reverse_scoring(run_biopsykit, tmp_path: Path) -> None:
    rng = np.random.default_rng(1992)
    df = pd.DataFrame(
        rng.integers(1, 5, size=(200, 6)), columns=[f"stai6_{k}" for k in range(1, 7)]
    )
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    df.to_csv(src)
    run_biopsykit(SCRIPT, src, dst)
    theirs = pd.read_csv(dst, index_col=0)["stai6"].to_numpy()
    np.testing.assert_allclose(q.stai6(df)["stai6"].to_numpy(), theirs, rtol=1e-12)
