"""Readers for published HPA-axis data layouts, returning neuroendo's tidy long table.

* :func:`read_nelson_tsst` -- individual ACTH and cortisol during the Trier Social Stress Test
  (Nelson cohort, 58 subjects; the layout shared by C. Parker's ``NODE`` and ``VeVaPy``
  repositories). Only the measured time points (0, 15, 30, 40, 50, 65, 140 min) are kept by
  default: the values at 80-125 min are interpolated in the source.
* :func:`read_profile` -- two-column time/concentration curves (24-h group-mean profiles
  digitised from published figures, as shipped with VeVaPy).

Units are not written in these files; the readers record the units documented for them (ACTH
pg/mL, cortisol ug/dL, from magnitudes and the source papers) in the ``unit`` column and never
guess for an unknown file: pass ``unit=``/``time_unit=`` explicitly.

References
----------
.. [1] Parker C. VeVaPy: a Python platform for model validation (data files ``tsst_*_nelson.txt``,
   ``Carroll-2007-*``, ``Golier-2007-*``, ``Yehuda-1996-*``, ``Bremner-2007-*``),
   github.com/cparker-uc/VeVaPy.
.. [2] Kirschbaum C, Pirke KM, Hellhammer DH. The 'Trier Social Stress Test'. Neuropsychobiology.
   1993;28(1-2):76-81. doi:10.1159/000119004
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from neuroendo._core.columns import ANALYTE, SUBJECT, TIME, UNIT, VALUE
from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo._core.units import normalize_unit

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NELSON_MEASURED_MIN", "read_nelson_tsst", "read_profile"]

#: Sampling times (min) measured in the Nelson TSST data; 80-125 min are interpolated upstream.
NELSON_MEASURED_MIN = (0.0, 15.0, 30.0, 40.0, 50.0, 65.0, 140.0)
_NELSON_ALL_MIN = (0.0, 15.0, 30.0, 40.0, 50.0, 65.0, 80.0, 95.0, 110.0, 125.0, 140.0)
_NELSON_UNITS = {"acth": "pg/mL", "cortisol": "ug/dL"}
_SUBTYPES = {1: "atypical_MDD", 2: "melancholic_MDD", 3: "unspecified_MDD", 4: "control"}
_PROTOCOL = {"tsst_onset": 30.0, "tsst_duration": 15.0, "time_unit": "min"}

# file-name families of the VeVaPy literature profiles: (pattern, time unit)
_PROFILE_TIME = (
    (re.compile(r"^Carroll-2007", re.I), "min"),
    (re.compile(r"^Yehuda-1996", re.I), "min"),
    (re.compile(r"^Bangsgaard-Ottesen-2017", re.I), "h"),
    (re.compile(r"^Golier-2007", re.I), "h"),
    (re.compile(r"^Bremner-2007", re.I), "h"),
)


def _finish(df: pd.DataFrame, source: str) -> pd.DataFrame:
    df = df.sort_values([SUBJECT, ANALYTE, TIME], kind="stable").reset_index(drop=True)
    df.attrs["units"] = {TIME: "min"}
    df.attrs["protocol"] = dict(_PROTOCOL)
    df.attrs["source"] = source
    return df


def read_nelson_tsst(path: str | Path, *, measured_only: bool = True) -> pd.DataFrame:
    r"""Read the Nelson TSST ACTH/cortisol data into the tidy long table.

    Parameters
    ----------
    path : str or Path
        The folder ``parker_uc_tsst`` (reads ``nelson_tsst_long.csv``), that CSV itself
        (columns ``subject, source_patient_id, group, time_min, acth, cortisol,
        imputed_in_source``), or a folder with VeVaPy's ``tsst_acth_nelson.txt``,
        ``tsst_cort_nelson.txt`` (and optionally ``nelson-MDD-subtypes.txt``).
    measured_only : bool, default True
        Keep only the measured time points (0, 15, 30, 40, 50, 65, 140 min); the 80-125 min
        values are interpolated in the source.

    Returns
    -------
    pandas.DataFrame
        Columns ``subject, time, analyte, value, unit, group`` (subjects ``N01``...``N58``
        in file order, as in ``nelson_tsst_long.csv``); time in minutes after the first
        sample (``attrs["units"]["time"] == "min"``); ACTH in pg/mL, cortisol (plasma) in ug/dL;
        ``attrs["protocol"]`` records the TSST onset (30 min) and duration (15 min).

    Raises
    ------
    DataValidationError
        If the path holds none of the known files or a file has an unexpected layout.

    Notes
    -----
    The data are individual-level study data from E. Nelson's group (University of Cincinnati)
    without a redistribution licence: read them from a local copy, do not ship them.

    References
    ----------
    .. [1] Parker C. github.com/cparker-uc/NODE (``nelson_data_ACTH-and-CORT.xlsx``) and VeVaPy.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> row = chr(9).join(["1"] + ["20"] * 11)
    >>> _ = (d / "tsst_acth_nelson.txt").write_text(row)
    >>> _ = (d / "tsst_cort_nelson.txt").write_text(row)
    >>> df = read_nelson_tsst(d)
    >>> sorted(df["time"].unique().tolist())
    [0.0, 15.0, 30.0, 40.0, 50.0, 65.0, 140.0]
    """
    import pandas as pd

    p = Path(path)
    if p.is_dir() and (p / "nelson_tsst_long.csv").is_file():
        p = p / "nelson_tsst_long.csv"
    if p.is_file() and p.suffix.lower() == ".csv":
        raw = pd.read_csv(p)
        need = {"subject", "group", "time_min", "acth", "cortisol"}
        if not need <= set(raw.columns):
            raise DataValidationError(
                f"{p.name}: expected columns {sorted(need)}, got {list(raw.columns)}."
            )
        if measured_only:
            raw = raw[raw["time_min"].isin(NELSON_MEASURED_MIN)]
        long = raw.melt(
            id_vars=["subject", "group", "time_min"],
            value_vars=["acth", "cortisol"],
            var_name=ANALYTE,
            value_name=VALUE,
        ).rename(columns={"time_min": TIME})
        long[TIME] = long[TIME].astype(np.float64)
        long[UNIT] = long[ANALYTE].map(_NELSON_UNITS)
        return _finish(long[[SUBJECT, TIME, ANALYTE, VALUE, UNIT, "group"]], p.name)
    if p.is_dir() and (p / "tsst_acth_nelson.txt").is_file():
        frames = []
        groups: dict[int, str] = {}
        sub = p / "nelson-MDD-subtypes.txt"
        if sub.is_file():
            s = np.loadtxt(sub, ndmin=2)
            groups = {int(r[0]): _SUBTYPES.get(int(r[1]), "unknown") for r in s}
        for analyte, fname in (
            ("acth", "tsst_acth_nelson.txt"),
            ("cortisol", "tsst_cort_nelson.txt"),
        ):
            arr = np.loadtxt(p / fname, ndmin=2)
            if arr.shape[1] != 12:
                raise DataValidationError(
                    f"{fname}: expected 12 columns (patient id + 11 time points), got "
                    f"{arr.shape[1]}."
                )
            ids = arr[:, 0].astype(int)  # original patient ids; subjects are numbered by row
            labels = [f"N{k + 1:02d}" for k in range(ids.size)]
            vals = arr[:, 1:]
            times = np.array(_NELSON_ALL_MIN)
            keep = np.isin(times, NELSON_MEASURED_MIN) if measured_only else np.ones(11, bool)
            n = ids.size
            frames.append(
                pd.DataFrame(
                    {
                        SUBJECT: np.repeat(labels, keep.sum()),
                        TIME: np.tile(times[keep], n),
                        ANALYTE: analyte,
                        VALUE: vals[:, keep].ravel(),
                        UNIT: _NELSON_UNITS[analyte],
                        "group": np.repeat([groups.get(i, "unknown") for i in ids], keep.sum()),
                    }
                )
            )
        return _finish(pd.concat(frames, ignore_index=True), p.name)
    raise DataValidationError(
        f"{p}: no Nelson TSST data found; give the folder with nelson_tsst_long.csv or with "
        "tsst_acth_nelson.txt and tsst_cort_nelson.txt."
    )


def read_profile(
    path: str | Path,
    *,
    analyte: str | None = None,
    unit: str | None = None,
    time_unit: str | None = None,
    subject: str | None = None,
) -> pd.DataFrame:
    """Read a two-column (time, concentration) profile, e.g. a published 24-h group mean.

    Parameters
    ----------
    path : str or Path
        Whitespace-separated text file without header.
    analyte : str, optional
        ``"acth"`` or ``"cortisol"``; inferred from the file name when it contains ``ACTH`` or
        ``cortisol`` (case-insensitive).
    unit : str, optional
        UCUM unit of the values; defaults to pg/mL for ACTH and ug/dL for cortisol, the units
        of the VeVaPy literature files.
    time_unit : str, optional
        Unit of the time column; inferred for the known VeVaPy families (Carroll 2007 and
        Yehuda 1996 in minutes; Bangsgaard & Ottesen 2017, Golier 2007, Bremner 2007 in hours).
    subject : str, optional
        Label of the series (default: the file stem).

    Returns
    -------
    pandas.DataFrame
        Tidy table ``subject, time, analyte, value, unit``; ``attrs["units"]["time"]``.

    Raises
    ------
    UnitError
        If the analyte or time unit cannot be inferred and is not given.
    DataValidationError
        If the file does not have two numeric columns.

    References
    ----------
    .. [1] Carroll BJ et al. Pathophysiology of hypercortisolism in depression. Acta Psychiatr
       Scand. 2007;115(s433):90-103. doi:10.1111/j.1600-0447.2007.00967.x

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "Carroll-2007-controlGroupACTH.txt"
    >>> _ = p.write_text("0 14.5" + chr(10) + "10 17.1")
    >>> read_profile(p)[["time", "analyte", "value", "unit"]].to_numpy().tolist()
    [[0.0, 'acth', 14.5, 'pg/mL'], [10.0, 'acth', 17.1, 'pg/mL']]
    """
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise DataValidationError(f"{p}: file not found; check the path.")
    stem = p.stem
    if analyte is None:
        if re.search("acth", stem, re.I):
            analyte = "acth"
        elif re.search("cort", stem, re.I):
            analyte = "cortisol"
        else:
            raise UnitError(
                f"{p.name}: cannot tell the analyte from the file name; pass analyte=..."
            )
    if time_unit is None:
        time_unit = next((tu for rx, tu in _PROFILE_TIME if rx.search(stem)), None)
        if time_unit is None:
            raise UnitError(
                f"{p.name}: the time unit of this file is not known; pass time_unit='h' or 'min'."
            )
    if unit is None:
        if analyte not in _NELSON_UNITS:
            raise UnitError(f"{p.name}: give unit=... for analyte {analyte!r}.")
        unit = _NELSON_UNITS[analyte]
    try:
        arr = np.loadtxt(p, ndmin=2)
    except ValueError as exc:
        raise DataValidationError(f"{p.name}: not a numeric two-column file ({exc}).") from None
    if arr.shape[1] != 2:
        raise DataValidationError(f"{p.name}: expected 2 columns, got {arr.shape[1]}.")
    df = pd.DataFrame(
        {
            SUBJECT: subject or stem,
            TIME: arr[:, 0],
            ANALYTE: analyte,
            VALUE: arr[:, 1],
            UNIT: normalize_unit(unit),
        }
    )
    df.attrs["units"] = {TIME: normalize_unit(time_unit)}
    df.attrs["source"] = p.name
    return df
