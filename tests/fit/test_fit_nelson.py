"""Real data: the Nelson TSST cohort (not shipped; read through the data_dir fixture)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from neuroendo.fit import Observation, fit_subject, tsst_input
from neuroendo.io.hpa_data import read_nelson_tsst

FREE = {
    "A": (0.01, 1000.0),
    "k_i": (0.151, 15.1),
    "K_P2": (0.83, 83.0),
    "K_P3": (0.0945, 9.45),
    "V_S4": (0.0907, 9.07),
    "scale_acth": (1e-3, 1e4),
    "scale_cort": (1e-3, 1e4),
    "sigma_acth": (0.01, 10.0),
    "sigma_cort": (0.01, 10.0),
}
OBS = {
    "acth": Observation("acth", scale="scale_acth", sigma="sigma_acth"),
    "cortisol": Observation("cortisol", scale="scale_cort", sigma="sigma_cort"),
}


@pytest.fixture(scope="module")
def nelson(data_dir: Path):
    return read_nelson_tsst(data_dir / "parker_uc_tsst")


def _fit(df, subject: str, ci: str = "wald"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # this design leaves A, k_i, K_P2 poorly identified
        return fit_subject(
            "sriram2012",
            df,
            subject=subject,
            free=FREE,
            observables=OBS,
            inputs={"stress": tsst_input(df, "A")},
            pre_equilibration=200.0,
            starts=20,
            seed=0,
            ci=ci,
        )


def test_fit_one_nelson_subject(nelson) -> None:
    r = _fit(nelson, "N01")
    assert r.converged
    # the same optimum as PEtab + pyPESTO + libRoadRunner reach on the exported problem
    assert r.objective == pytest.approx(25.0367, abs=2e-3)
    rel = np.abs(r.data["value"] / r.data["predicted"] - 1)
    assert np.median(rel) < 0.2


@pytest.mark.slow
def test_fit_all_58_subjects(nelson) -> None:
    rows = [_fit(nelson, s) for s in sorted(nelson["subject"].unique())]
    assert len(rows) == 58
    assert np.mean([r.converged for r in rows]) >= 0.95
    med = np.median([np.median(np.abs(r.data["value"] / r.data["predicted"] - 1)) for r in rows])
    assert med < 0.25
