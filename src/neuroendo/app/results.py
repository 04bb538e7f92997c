"""Measures over stored observations: latest values, balance profile, cortisol features.

Glue between the database and :mod:`neuroendo.measures`: observations are loaded into the tidy
table, converted to canonical units with :func:`neuroendo._core.units.convert` (one call per
analyte and unit, never per subject) and passed to the vectorised measures. Warnings raised by
the measures are caught and returned as messages, so the pages can show them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from neuroendo._core.errors import NeuroendoError

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

__all__ = [
    "balance",
    "cohort_table",
    "cortisol_features",
    "latest_values",
    "load_observations",
    "saliva_table",
]

_CORTISOL = ("saliva_cortisol", "cortisol")


def load_observations(session: Session, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Observations of some (default: all) subjects as a tidy table.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        An open session.
    codes : sequence of str, optional
        Subject codes.

    Returns
    -------
    pandas.DataFrame
        Columns ``subject, sex, age, analyte, value, unit, loinc, time, datetime, sample,
        condition, upload_id`` (``time`` in minutes).
    """
    import pandas as pd
    from sqlalchemy import select

    from neuroendo.app.store import Observation, Subject

    q = select(
        Subject.code.label("subject"),
        Subject.sex,
        Subject.age,
        Observation.analyte,
        Observation.value,
        Observation.unit,
        Observation.loinc,
        Observation.time,
        Observation.datetime,
        Observation.sample,
        Observation.condition,
        Observation.upload_id,
    ).join(Subject, Observation.subject_id == Subject.id)
    if codes is not None:
        q = q.where(Subject.code.in_(list(codes)))
    q = q.order_by(Subject.code, Observation.datetime, Observation.time, Observation.id)
    rows = session.execute(q).all()
    cols = [
        "subject",
        "sex",
        "age",
        "analyte",
        "value",
        "unit",
        "loinc",
        "time",
        "datetime",
        "sample",
        "condition",
        "upload_id",
    ]
    df = pd.DataFrame.from_records([tuple(r) for r in rows], columns=cols)
    df["datetime"] = pd.to_datetime(df["datetime"], utc=True, errors="coerce")
    df["time"] = pd.to_numeric(df["time"], errors="coerce").astype(float)
    df["value"] = df["value"].astype(float)
    return df


def _canonical(obs: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Add ``canonical`` (value in the analyte's canonical unit) and ``canonical_unit``."""
    import numpy as np

    from neuroendo._core.analytes import get
    from neuroendo._core.units import convert

    out = obs.copy()
    out["canonical"] = np.nan
    out["canonical_unit"] = ""
    messages: list[str] = []
    groups: dict[Any, Any] = dict(out.groupby(["analyte", "unit"]).groups)
    for key, idx in groups.items():
        analyte, unit = str(key[0]), str(key[1])
        try:
            target = get(str(analyte)).canonical_unit
            vals = convert(out.loc[idx, "value"].to_numpy(dtype=float), str(unit), target, analyte)
        except NeuroendoError as exc:
            messages.append(f"{analyte} in {unit}: {exc}")
            continue
        out.loc[idx, "canonical"] = vals
        out.loc[idx, "canonical_unit"] = target
    return out, messages


def latest_values(obs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """Return the latest value of each analyte per subject, in canonical units.

    Parameters
    ----------
    obs : pandas.DataFrame
        From :func:`load_observations`.

    Returns
    -------
    (pandas.DataFrame, dict, list of str)
        One row per subject (index ``subject``; columns per analyte, plus ``age`` and ``sex``),
        the unit of each analyte column, and conversion messages.
    """
    import pandas as pd

    if obs.empty:
        return pd.DataFrame(index=pd.Index([], name="subject")), {}, []
    conv, messages = _canonical(obs)
    conv = conv[conv["canonical"].notna()]
    conv = conv.sort_values(["subject", "analyte", "datetime", "time"], na_position="first")
    last = conv.groupby(["subject", "analyte"], sort=True).last()
    wide = last["canonical"].unstack("analyte")
    units = last["canonical_unit"].groupby(level="analyte").first().to_dict()
    demo = obs.groupby("subject")[["age", "sex"]].first()
    wide = wide.join(demo, how="left")
    wide.columns.name = None
    return wide, {str(k): str(v) for k, v in units.items()}, messages


def balance(wide: pd.DataFrame, units: dict[str, str]) -> dict[str, Any]:
    """Balance profile of the subjects in ``wide`` (one row each).

    Parameters
    ----------
    wide : pandas.DataFrame
        From :func:`latest_values`.
    units : dict
        Column units.

    Returns
    -------
    dict
        ``axes`` (records: subject, per-axis score/activity, index), ``components`` (records)
        and ``messages`` (warnings and why components were left out).
    """
    import numpy as np

    from neuroendo.measures import composite, references

    comps = [
        c for c in wide.columns if c in composite.COMPONENTS and c in references.DEFAULT_REFERENCES
    ]
    out: dict[str, Any] = {"axes": [], "components": [], "messages": [], "index": None}
    if wide.empty or not comps:
        out["messages"].append(
            "no component with a default reference (tsh, ft4, testosterone, cortisol ...)"
        )
        return out
    table = wide[comps].copy()
    table.attrs["units"] = {c: units[c] for c in comps if c in units}
    age = wide["age"].to_numpy(dtype=float) if "age" in wide else None
    sex = wide["sex"].to_numpy(dtype=object) if "sex" in wide else None
    if sex is not None:
        sex = np.array([s if isinstance(s, str) and s else None for s in sex], dtype=object)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            bp = composite.balance_profile(table, age=age, sex=sex, missing_demographics="skip")
        except (NeuroendoError, ValueError) as exc:
            out["messages"].append(" ".join(str(exc).split()))
            bp = None
    out["messages"].extend(" ".join(str(w.message).split()) for w in caught)
    if bp is None:
        return out
    axes = bp.axes_frame()
    axes.index = list(wide.index)
    axes.index.name = "subject"
    out["axes"] = _records(axes.reset_index())
    comp = bp.to_frame()
    if "subject" not in comp.columns and len(wide) == 1:
        comp.insert(0, "subject", str(wide.index[0]))
    out["components"] = _records(comp)
    idx = np.atleast_1d(np.asarray(bp.index, dtype=float))
    out["index"] = [None if not np.isfinite(v) else float(v) for v in idx]
    return out


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    import math

    recs = []
    for rec in df.to_dict("records"):
        clean = {}
        for k, v in rec.items():
            if hasattr(v, "item"):
                v = v.item()
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            clean[str(k)] = v if isinstance(v, str | int | float | bool | type(None)) else str(v)
        recs.append(clean)
    return recs


def saliva_table(obs: pd.DataFrame) -> tuple[pd.DataFrame | None, list[str]]:
    """Saliva cortisol series (3 or more timed samples) in BioPsyKit's long layout.

    Parameters
    ----------
    obs : pandas.DataFrame
        From :func:`load_observations`.

    Returns
    -------
    (pandas.DataFrame or None, list of str)
        Index ``subject, sample``; columns ``cortisol`` (nmol/L) and ``time`` (min); messages.
    """
    import pandas as pd

    conv, messages = _canonical(obs)
    series = conv[
        conv["analyte"].isin(_CORTISOL) & conv["time"].notna() & conv["canonical"].notna()
    ].copy()
    if series.empty:
        return None, messages
    n = series.groupby("subject")["time"].transform("size")
    series = series[n >= 3]
    if series.empty:
        return None, messages
    series = series.sort_values(["subject", "time"])
    rank = series.groupby("subject").cumcount()
    series["sample"] = series["sample"].where(series["sample"].notna(), "S" + rank.astype(str))
    table = pd.DataFrame(
        {"cortisol": series["canonical"].to_numpy(), "time": series["time"].to_numpy()},
        index=pd.MultiIndex.from_arrays(
            [series["subject"].to_numpy(), series["sample"].to_numpy()],
            names=["subject", "sample"],
        ),
    )
    table.attrs["units"] = {"cortisol": "nmol/L", "time": "min"}
    return table, messages


def cortisol_features(obs: pd.DataFrame) -> tuple[pd.DataFrame | None, list[str]]:
    """BioPsyKit cortisol features of every saliva series with 3 or more timed samples.

    Parameters
    ----------
    obs : pandas.DataFrame
        From :func:`load_observations`.

    Returns
    -------
    (pandas.DataFrame or None, list of str)
        :func:`neuroendo.measures.cortisol.features` (AUCs in nmol.min/L) and messages.
    """
    from neuroendo.measures import cortisol

    table, messages = saliva_table(obs)
    if table is None:
        return None, messages
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            feats = cortisol.features(table)
        except (NeuroendoError, ValueError) as exc:
            messages.append("cortisol features: " + " ".join(str(exc).split()))
            feats = None
    messages.extend(" ".join(str(w.message).split()) for w in caught)
    return feats, messages


def cohort_table(obs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """One row per subject: latest values, balance scores and cortisol features.

    Parameters
    ----------
    obs : pandas.DataFrame
        From :func:`load_observations`.

    Returns
    -------
    (pandas.DataFrame, dict, list of str)
        The table (index ``subject``), units of its columns, messages.
    """
    import pandas as pd

    wide, units, messages = latest_values(obs)
    bal = balance(wide, units)
    messages.extend(bal["messages"])
    table = wide.copy()
    if bal["axes"]:
        axes = pd.DataFrame.from_records(bal["axes"]).set_index("subject")
        axes = axes.rename(columns=lambda c: c if c.startswith("balance_") else f"balance_{c}")
        table = table.join(axes, how="left")
    feats, more = cortisol_features(obs)
    messages.extend(more)
    if feats is not None:
        flat = feats.copy()
        if isinstance(flat.index, pd.MultiIndex):
            flat = flat.reset_index().groupby("subject").first()
        table = table.join(flat.select_dtypes("number"), how="left")
        units.update({k: str(v) for k, v in feats.attrs.get("units", {}).items()})
    table.index.name = "subject"
    return table, units, messages
