"""Readers of the Nelson TSST and literature-profile layouts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from neuroendo import DataValidationError, UnitError
from neuroendo.io.hpa_data import NELSON_MEASURED_MIN, read_nelson_tsst, read_profile


def test_nelson_long_csv(data_dir: Path) -> None:
    df = read_nelson_tsst(data_dir / "parker_uc_tsst")
    assert df["subject"].nunique() == 58
    assert sorted(df["time"].unique()) == list(NELSON_MEASURED_MIN)  # 80-125 min dropped
    assert len(df) == 58 * 7 * 2
    assert set(df["unit"]) == {"pg/mL", "ug/dL"}
    assert df.attrs["units"]["time"] == "min"
    assert df.attrs["protocol"]["tsst_onset"] == 30.0
    assert df.groupby("group")["subject"].nunique()["control"] == 15
    first = df[(df["subject"] == "N01") & (df["analyte"] == "acth")]["value"].tolist()
    assert first == [33.6, 29.3, 33.7, 29.5, 27.7, 26.0, 14.0]
    full = read_nelson_tsst(data_dir / "parker_uc_tsst", measured_only=False)
    assert full["time"].nunique() == 11


def test_nelson_vevapy_layout_matches(data_dir: Path) -> None:
    a = read_nelson_tsst(data_dir / "parker_uc_tsst")
    b = read_nelson_tsst(data_dir / "vevapy_hpa_literature")
    assert set(b["subject"]) == set(a["subject"])
    key = ["subject", "analyte", "time"]
    merged = a.merge(b, on=key, suffixes=("_a", "_b"))
    assert len(merged) == len(a)
    np.testing.assert_allclose(merged["value_a"], merged["value_b"], rtol=1e-12)
    assert (merged["group_a"] == merged["group_b"]).all()


def test_nelson_bad_path(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="no Nelson TSST data"):
        read_nelson_tsst(tmp_path)


def test_carroll_profile(data_dir: Path) -> None:
    df = read_profile(data_dir / "vevapy_hpa_literature" / "Carroll-2007-controlGroupCortisol.txt")
    assert len(df) == 145
    assert df.attrs["units"]["time"] == "min"
    assert df["analyte"].iloc[0] == "cortisol"
    assert df["unit"].iloc[0] == "ug/dL"
    # README summary: mean of the tabulated control cortisol points 5.56 ug/dL
    assert df["value"].mean() == pytest.approx(5.56, abs=0.01)


def test_golier_profile_hours(data_dir: Path) -> None:
    df = read_profile(data_dir / "vevapy_hpa_literature" / "Golier-2007-PTSD-ACTH.txt")
    assert df.attrs["units"]["time"] == "h"
    assert len(df) == 24


def test_profile_unknown_units(tmp_path: Path) -> None:
    p = tmp_path / "mystery_cortisol.txt"
    p.write_text("0 1\n1 2\n")
    with pytest.raises(UnitError, match="time unit"):
        read_profile(p)
    assert read_profile(p, time_unit="h").attrs["units"]["time"] == "h"
    q = tmp_path / "mystery.txt"
    q.write_text("0 1\n")
    with pytest.raises(UnitError, match="analyte"):
        read_profile(q, time_unit="h")
