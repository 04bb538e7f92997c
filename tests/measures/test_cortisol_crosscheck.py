"""Cross-check of neuroendo.measures.cortisol.features against biopsykit itself.

biopsykit pins numpy<2, so it runs in a separate interpreter named by the environment variable
``NEUROENDO_BIOPSYKIT_PYTHON`` (e.g. a venv with ``biopsykit==0.14.0``); the test skips when it is
unset or cannot import biopsykit.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroendo.datasets import load_cortisol_sample
from neuroendo.measures import cortisol as m

pytestmark = pytest.mark.crosscheck

SCRIPT = textwrap.dedent(
    """
    import sys
    import warnings

    import pandas as pd

    import biopsykit as bp
    from biopsykit import saliva

    warnings.simplefilter("ignore")
    src, dst = sys.argv[1], sys.argv[2]
    data = pd.read_csv(src).set_index(["condition", "subject", "sample"])
    times = [-30, -1, 30, 40, 50, 60, 70]
    kw = dict(saliva_type="cortisol")
    parts = [
        saliva.auc(data, remove_s0=True, compute_auc_post=True, sample_times=times, **kw),
        saliva.max_value(data, remove_s0=True, **kw),
        saliva.initial_value(data, remove_s0=True, **kw),
        saliva.max_increase(data, remove_s0=True, **kw),
        saliva.max_increase(data, remove_s0=True, percent=True, **kw),
        saliva.slope(data, sample_idx=[1, 4], sample_times=times, **kw),
        saliva.standard_features(data, **kw),
    ]
    out = pd.concat(parts, axis=1)
    out.columns = [str(c) for c in out.columns]
    out.to_csv(dst)
    print(bp.__version__)
    """
)


def test_features_equal_biopsykit(run_biopsykit, tmp_path: Path) -> None:
    df = load_cortisol_sample()
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    df[["cortisol"]].to_csv(src)
    run_biopsykit(SCRIPT, src, dst)
    theirs = pd.read_csv(dst).set_index(["condition", "subject"]).sort_index()
    ours = m.features(df, remove_s0=True, compute_auc_post=True, slopes=[("S1", "S4")])
    assert len(theirs) == len(ours) == 26
    shared = [c for c in ours.columns if c in theirs.columns]
    # every neuroendo column has a biopsykit counterpart under the same name
    assert sorted(shared) == sorted(ours.columns), set(ours.columns) ^ set(theirs.columns)
    for col in shared:
        np.testing.assert_allclose(
            ours[col].to_numpy(dtype=float),
            theirs.loc[ours.index, col].to_numpy(dtype=float),
            rtol=1e-10,
            atol=1e-12,
            err_msg=col,
        )


def test_nan_policy_equals_biopsykit(run_biopsykit, tmp_path: Path) -> None:
    df = load_cortisol_sample()
    df.loc[("Control", "Vp03", "S3"), "cortisol"] = np.nan  # a missing post sample
    df.loc[("Intervention", "Vp01", "S1"), "cortisol"] = np.nan  # a missing first sample
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    df[["cortisol"]].to_csv(src)
    run_biopsykit(SCRIPT, src, dst)
    theirs = pd.read_csv(dst).set_index(["condition", "subject"]).sort_index()
    ours = m.features(df, remove_s0=True, compute_auc_post=True, slopes=[("S1", "S4")])
    for col in (
        "cortisol_auc_g",
        "cortisol_auc_i",
        "cortisol_max_val",
        "cortisol_max_inc",
        "cortisol_mean",
        "cortisol_std",
        "cortisol_skew",
        "cortisol_slopeS1S4",
    ):
        a = ours[col].to_numpy(dtype=float)
        b = theirs.loc[ours.index, col].to_numpy(dtype=float)
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=col)
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, equal_nan=True, err_msg=col)
