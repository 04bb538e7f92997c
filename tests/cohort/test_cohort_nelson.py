"""fit_cohort on the Nelson TSST cohort (external data, skipped when absent): groups carried."""

from __future__ import annotations

import pytest

from neuroendo.cohort import fit_cohort, summarize
from neuroendo.fit import Observation, tsst_input
from neuroendo.io.hpa_data import read_nelson_tsst


def test_nelson_groups_are_carried_and_summarised(data_dir) -> None:
    path = data_dir / "parker_uc_tsst"
    if not path.is_dir():
        pytest.skip(f"Nelson data not present at {path}")
    df = read_nelson_tsst(path)
    # one subject of each group (the subtype file of the README: control and 3 MDD subtypes)
    pick = df.drop_duplicates("group").set_index("group")["subject"]
    assert sorted(pick.index) == [
        "atypical_MDD",
        "control",
        "melancholic_MDD",
        "unspecified_MDD",
    ]
    fits = fit_cohort(
        "sriram2012",
        df,
        subjects=list(pick),
        free={"A": (0.01, 1000.0), "scale_acth": (1e-3, 1e4), "scale_cort": (1e-3, 1e4)},
        fixed={"sigma_acth": 0.3, "sigma_cort": 0.3},
        observables={
            "acth": Observation("acth", scale="scale_acth", sigma="sigma_acth"),
            "cortisol": Observation("cortisol", scale="scale_cort", sigma="sigma_cort"),
        },
        inputs={"stress": tsst_input(df, "A")},
        pre_equilibration=200.0,
        starts=2,
        ci="none",
        seed=0,
        client="synchronous",
        on_error="skip",
    )
    assert fits.n_failed == 0
    subj = fits.subjects
    assert dict(zip(subj.index, subj["group"], strict=True)) == {s: g for g, s in pick.items()}
    s = summarize(fits, by="group")
    assert set(s.index.get_level_values("group")) == set(pick.index)
    assert (s["n"] == 1).all()
    # sriram2012 states are scaled ("1"), so the scale carries the data unit
    assert s.loc[("control", "scale_acth"), "unit"] == "pg/mL"
