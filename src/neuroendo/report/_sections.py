"""Report sections: compute the measures of each axis and describe them as tables and figures.

Each ``*_section`` function takes checked inputs and returns a :class:`Section` (plain data: text,
table cells as strings, figures as data URIs) that the Jinja2 template lays out. The numbers come
from the public measure functions (:mod:`neuroendo.measures`); nothing is recomputed here except
the per-sample means and standard errors drawn in the cortisol figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.errors import DataValidationError, NeuroendoError, UnitError
from neuroendo.report import _plots

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]

#: Identifier columns of lab tables (never treated as measurements).
ID_COLUMNS = ("subject", "condition", "group", "day", "time", "sample", "age", "sex", "unit")
THYROID_COLUMNS = ("tsh", "ft4", "ft3", "tt4", "tt3")
GONADAL_COLUMNS = ("testosterone", "shbg", "albumin", "lh", "fsh", "estradiol")
HRV_SHOWN = ("MeanNN", "SDNN", "RMSSD", "pNN50", "MeanHR", "LF", "HF", "LFHF", "LFn", "HFn", "TP")
_Z975 = 1.959963984540054  # standard normal quantile at 0.975


# --- plain data handed to the template -----------------------------------------------------------
@dataclass
class Table:
    """A table: header cells, body rows (strings) and one kind per column.

    ``kinds`` are ``"text"``, ``"num"`` (right-aligned), ``"formula"`` (LaTeX source in a code
    element) or ``"ref"`` (citations, small print).
    """

    caption: str
    columns: list[str]
    rows: list[list[str]]
    kinds: list[str]
    collapsed: bool = False


@dataclass
class Figure:
    """A figure: PNG data URI, alternative text and caption."""

    name: str
    src: str
    alt: str
    caption: str


@dataclass
class Section:
    """One report section."""

    key: str
    title: str
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RefInterval:
    """A reference interval (or a pointer to a stratified reference) for display."""

    low: float
    high: float
    unit: str
    name: str
    source: str
    population: str

    @property
    def bounded(self) -> bool:
        """Whether numeric bounds are known (False for age/sex-stratified tables)."""
        return math.isfinite(self.low) and math.isfinite(self.high)

    def text(self) -> str:
        """``"1.41-8.67 pmol/s"`` or a pointer to the stratified reference."""
        if self.bounded:
            unit = "" if self.unit == "1" else f" {self.unit}"
            return f"{fmt(self.low)}–{fmt(self.high)}{unit}"
        return f"by age and sex ({self.name})"


# --- formatting ----------------------------------------------------------------------------------
def fmt(x: Any, digits: int = 4) -> str:
    """Format a number with ``digits`` significant digits; NaN and None as an en dash."""
    if x is None:
        return "–"
    if isinstance(x, bool | np.bool_):
        return "yes" if x else "no"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(v):
        return "–"
    return f"{v:.{digits}g}"


def summary(values: Any) -> str:
    """One value as is; several as ``median [min–max] (n = k)``."""
    v = np.asarray(values, dtype=float).ravel()
    if v.size == 1:
        return fmt(v[0])
    ok = v[np.isfinite(v)]
    if ok.size == 0:
        return f"– (n = 0 of {v.size})"
    return f"{fmt(np.median(ok))} [{fmt(ok.min())}–{fmt(ok.max())}] (n = {ok.size})"


def mean_sd(values: Any) -> str:
    """``mean ± SD (n = k)`` of the finite values."""
    v = np.asarray(values, dtype=float).ravel()
    ok = v[np.isfinite(v)]
    if ok.size == 0:
        return "– (n = 0)"
    if ok.size == 1:
        return f"{fmt(ok[0])} (n = 1)"
    return f"{fmt(ok.mean())} ± {fmt(ok.std(ddof=1))} (n = {ok.size})"


# --- catalogue and references --------------------------------------------------------------------
def catalogue_entry(name: str) -> Any:
    """Catalogue :class:`~neuroendo.measures.Index` of an output name, or ``None``."""
    from neuroendo.measures import CATALOGUE

    if name in CATALOGUE:
        return CATALOGUE[name]
    m = re.fullmatch(r"(?P<p>\w+?)_slope\w+", name)
    if m and f"{m['p']}_slopeSiSj" in CATALOGUE:
        return CATALOGUE[f"{m['p']}_slopeSiSj"]
    return None


def formula_of(name: str) -> tuple[str, str]:
    """LaTeX formula and joined references of an output name (``"–"`` when unknown)."""
    entry = catalogue_entry(name)
    if entry is None:
        return "–", "–"
    return entry.formula, "; ".join(entry.references)


def reference_interval(measure: str) -> RefInterval | None:
    """Return the reference interval of a measure, from the thyroid table or ``references``.

    Thyroid indices use :data:`neuroendo.measures.thyroid.REFERENCE_RANGES`. Other measures use
    :mod:`neuroendo.measures.references` when present: the first parametric, unstratified
    reference (its central 95 %), else a pointer to the age/sex-stratified one.
    """
    from neuroendo.measures import thyroid

    if measure in thyroid.REFERENCE_RANGES:
        r = thyroid.REFERENCE_RANGES[measure]
        return RefInterval(r.low, r.high, r.unit, r.name, r.source, r.population)
    try:
        from neuroendo.measures import references as refs
    except ImportError:  # the references module is optional for the report
        return None
    try:
        names = [refs.DEFAULT_REFERENCES.get(measure), *refs.available(measure)]
        found = [refs.get(n) for n in dict.fromkeys(n for n in names if n)]
    except (NeuroendoError, AttributeError, KeyError):
        return None
    for ref in found:
        if ref.kind in ("normal", "lognormal") and len(ref.strata) == 1:
            st = ref.strata[0]
            lo, hi = st.loc - _Z975 * st.scale, st.loc + _Z975 * st.scale
            if ref.kind == "lognormal":
                lo, hi = math.exp(lo), math.exp(hi)
            pop = ref.population + (f" ({st.label})" if st.sex or st.age_from else "")
            return RefInterval(max(lo, 0.0), hi, ref.unit, ref.name, ref.source, pop)
    if found:
        first = found[0]
        return RefInterval(
            math.nan, math.nan, first.unit, first.name, first.source, first.population
        )
    return None


# --- inputs --------------------------------------------------------------------------------------
def _analyte(key: str) -> Any:
    from neuroendo._core.analytes import get

    try:
        return get(key)
    except (NeuroendoError, KeyError, TypeError):
        return None


def lab_columns(labs: pd.DataFrame) -> list[str]:
    """Numeric measurement columns of a lab table (identifier columns left out)."""
    import pandas as pd

    return [
        str(c)
        for c in labs.columns
        if str(c).lower() not in ID_COLUMNS and pd.api.types.is_numeric_dtype(labs[c].dtype)
    ]


def unit_of(units: Mapping[str, str], column: str, what: str) -> str:
    """Return the unit of ``column``; raise a :class:`UnitError` naming the fix."""
    try:
        return units[column]
    except KeyError:
        raise UnitError(
            f"The unit of column {column!r} is not given ({what}); write it in the header "
            f"('{column} [unit]'), in df.attrs['units'] or pass units={{'{column}': 'UNIT'}}."
        ) from None


def inputs_section(
    saliva: pd.DataFrame | None,
    labs: pd.DataFrame | None,
    lab_units: Mapping[str, str],
    recordings: Mapping[str, tuple[FloatArray, FloatArray]] | None,
    analyte: str,
) -> Section:
    """Build the inputs table: units, the catalogue's canonical units, reference intervals."""
    rows: list[list[str]] = []
    if saliva is not None:
        unit = str(saliva.attrs.get("units", {}).get(analyte, "not given"))
        a = _analyte("saliva_cortisol" if analyte == "cortisol" else analyte)
        values = saliva[analyte].to_numpy(dtype=float, na_value=np.nan)
        n_subj = saliva.reset_index().drop_duplicates(subject_columns(saliva)).shape[0]
        samples = saliva.reset_index()["sample"].astype(str).unique()
        rows.append(
            [
                f"{analyte} (saliva table)",
                a.name if a is not None else analyte,
                unit,
                a.canonical_unit if a is not None else "–",
                f"{n_subj} subjects × {len(samples)} samples ({', '.join(samples)})",
                summary(values),
                "none applied: saliva cortisol depends on the time of day, protocol and assay",
                "–",
            ]
        )
    if labs is not None:
        for col in lab_columns(labs):
            a = _analyte(col.lower())
            values = labs[col].to_numpy(dtype=float, na_value=np.nan)
            ref = reference_interval(a.key if a is not None else col.lower())
            rows.append(
                [
                    col,
                    a.name if a is not None else "(not in the analyte catalogue)",
                    lab_units.get(col, "not given"),
                    a.canonical_unit if a is not None else "–",
                    f"{np.isfinite(values).sum()} of {len(values)} rows",
                    summary(values),
                    (ref.text() + (f"; {ref.population}" if ref.population else ""))
                    if ref is not None
                    else "–",
                    ref.source if ref is not None else "–",
                ]
            )
        demo = [c for c in ("age", "sex") if c in labs.columns]
        for c in demo:
            v = labs[c]
            text = (
                summary(v.to_numpy(dtype=float, na_value=np.nan))
                if c == "age"
                else ", ".join(f"{k}: {n}" for k, n in v.astype(str).value_counts().items())
            )
            rows.append([c, "demographics", "a" if c == "age" else "–", "–", "", text, "–", "–"])
    if recordings:
        n = sum(len(rr) for _, rr in recordings.values())
        dur = [float(t[-1] - t[0]) for t, _ in recordings.values() if len(t)]
        rows.append(
            [
                "RR intervals",
                "inter-beat (NN) intervals",
                "ms",
                "ms",
                f"{len(recordings)} recording(s), {n} intervals, {summary(dur)} s",
                summary(np.concatenate([rr for _, rr in recordings.values()])),
                "see the HRV section",
                "–",
            ]
        )
    table = Table(
        "Inputs as given, the unit used and the catalogue's canonical unit",
        [
            "column",
            "analyte",
            "unit given",
            "canonical unit",
            "count",
            "value",
            "reference",
            "source",
        ],
        rows,
        ["text", "text", "text", "text", "text", "num", "text", "ref"],
    )
    return Section(
        "inputs",
        "Inputs",
        "Every input column with the unit it was read in (UCUM) and the canonical unit of the "
        "analyte catalogue. Values: one subject's value, or median [min–max] (n) over subjects. "
        "Reference intervals are population-, method- and assay-specific: prefer your "
        "laboratory's.",
        tables=[table],
    )


# --- cortisol ------------------------------------------------------------------------------------
def subject_columns(saliva: pd.DataFrame) -> list[str]:
    """Return the identifier levels of a saliva table other than ``sample``."""
    names = [str(n) for n in saliva.index.names if n is not None and n != "sample"]
    for c in ("condition", "day", "group", "subject"):
        if c in saliva.columns and c not in names:
            names.append(c)
    return names


def _natural_key(label: Hashable) -> list[tuple[int, Any]]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", str(label)) if p]


def _saliva_matrix(
    saliva: pd.DataFrame, keys: pd.Index, analyte: str, sample_times: Any
) -> tuple[list[str], FloatArray, FloatArray, bool]:
    """Sample labels, times (n_samples,), concentrations (n_subjects, n_samples) in ``keys`` order.

    The last item says whether per-subject times were averaged for plotting.
    """
    flat = saliva.reset_index()
    ids = [str(n) for n in keys.names]
    wide = flat.set_index([*ids, "sample"])[analyte].unstack("sample")
    labels = sorted(wide.columns, key=_natural_key)
    wide = wide.reindex(index=keys, columns=labels)
    conc = wide.to_numpy(dtype=float, na_value=np.nan)
    averaged = False
    if sample_times is not None:
        st = np.asarray(sample_times, dtype=float)
        if st.ndim == 2:
            st, averaged = np.nanmean(st, axis=0), True
        times = st
    else:
        t = flat.set_index([*ids, "sample"])["time"].unstack("sample").reindex(columns=labels)
        tm = t.to_numpy(dtype=float, na_value=np.nan)
        averaged = bool(np.nanmax(tm, axis=0).tolist() != np.nanmin(tm, axis=0).tolist())
        times = np.nanmean(tm, axis=0)
    if times.shape != (len(labels),):
        raise DataValidationError(
            f"sample_times has {times.shape[-1]} times but the table has {len(labels)} samples "
            f"({', '.join(map(str, labels))}); give one time per sample in minutes."
        )
    return [str(x) for x in labels], times, conc, averaged


def _group_labels(keys: pd.Index) -> tuple[str | None, list[str]]:
    for level in ("condition", "group"):
        if level in keys.names:
            return level, [str(v) for v in keys.get_level_values(level)]
    return None, ["all subjects"] * len(keys)


def _subject_label(key: Any) -> str:
    return " / ".join(map(str, key)) if isinstance(key, tuple) else str(key)


def cortisol_section(
    saliva: pd.DataFrame, cortisol_kwargs: Mapping[str, Any], analyte: str
) -> Section:
    """Cortisol curve(s) with AUC_G shading and the BioPsyKit feature table."""
    from neuroendo.measures import cortisol

    kw = dict(cortisol_kwargs)
    feats = cortisol.features(saliva, analyte=analyte, **kw)
    units: dict[str, str] = dict(feats.attrs.get("units", {}))
    conc_unit = units.get(f"{analyte}_max_val", "{input}")
    labels, times, conc, averaged = _saliva_matrix(
        saliva, feats.index, analyte, kw.get("sample_times")
    )
    if kw.get("to_unit"):
        from neuroendo._core.units import convert

        src_unit = saliva.attrs.get("units", {}).get(analyte, kw.get("unit"))
        conc = np.asarray(convert(conc, src_unit, kw["to_unit"], analyte=analyte), dtype=float)
    auc_mask = np.ones(len(labels), dtype=bool)
    if kw.get("remove_s0"):
        auc_mask = np.array([lab not in ("0", "S0") for lab in labels])
    order = np.argsort(times, kind="stable")
    times, conc, auc_mask = times[order], conc[:, order], auc_mask[order]
    sec = Section(
        "cortisol",
        "Cortisol (HPA axis)",
        "Features per subject from neuroendo.measures.cortisol.features (BioPsyKit names and "
        "formulas). The shaded area is the area under the curve with respect to ground (AUC_G)"
        + (", from S1 on (S0 removed)" if kw.get("remove_s0") else "")
        + ".",
    )
    level, groups = _group_labels(feats.index)
    n = len(feats)
    auc_name = f"{analyte}_auc_g"
    if n == 1:
        sec.figures.append(
            Figure(
                "cortisol_curve",
                _plots.cortisol_subject(
                    times,
                    conc[0],
                    auc_mask,
                    label=_subject_label(feats.index[0]),
                    unit=conc_unit,
                    auc_g=float(feats[auc_name].iloc[0]),
                ),
                "cortisol curve of one subject with the AUC_G area shaded",
                f"Cortisol over time ({conc_unit}); shaded: AUC_G = "
                f"{fmt(feats[auc_name].iloc[0])} {units.get(auc_name, '')}.",
            )
        )
    else:
        names = list(dict.fromkeys(groups))
        by_group = {g: conc[[i for i, x in enumerate(groups) if x == g]] for g in names}
        sec.figures.append(
            Figure(
                "cortisol_curve",
                _plots.cortisol_groups(times, by_group, auc_mask, unit=conc_unit),
                "group mean cortisol curves with standard errors and the AUC_G area shaded",
                f"Mean ± SE cortisol per {level or 'cohort'} ({conc_unit}); shaded: AUC_G of the "
                "mean curve.",
            )
        )
        sec.figures.append(
            Figure(
                "cortisol_subjects",
                _plots.cortisol_spaghetti(times, conc, groups, unit=conc_unit),
                "individual cortisol curves of every subject",
                f"Every subject's cortisol curve ({n} subjects), coloured by {level or 'cohort'}.",
            )
        )
    if averaged:
        sec.notes.append(
            "Sample times differ between subjects: the figures place each sample at its mean "
            "time; the features use each subject's own times."
        )
    rows: list[list[str]] = []
    names = list(dict.fromkeys(groups))
    for col in feats.columns:
        formula, refs = formula_of(str(col))
        values = feats[col].to_numpy(dtype=float, na_value=np.nan)
        if n == 1:
            cells = [fmt(values[0])]
        else:
            cells = [mean_sd(values[[x == g for x in groups]]) for g in names]
        rows.append([str(col), units.get(str(col), ""), *cells, formula, refs])
    head = ["value"] if n == 1 else [f"{g}: mean ± SD" for g in names]
    sec.tables.append(
        Table(
            "Cortisol features with the formula and reference of each",
            ["feature", "unit", *head, "formula", "reference"],
            rows,
            ["text", "text", *(["num"] * len(head)), "formula", "ref"],
        )
    )
    if n > 1:
        sec.tables.append(_per_subject_table(feats, units, "Cortisol features per subject"))
    return sec


def _per_subject_table(df: pd.DataFrame, units: Mapping[str, str], caption: str) -> Table:
    ids = [str(n) for n in df.index.names if n is not None] or ["row"]
    flat = df.reset_index() if df.index.names[0] is not None else df
    cols = [str(c) for c in df.columns]
    rows = [
        [str(r[i]) for i in ids if i in flat.columns]
        + [fmt(r[c], 4) for c in cols]
        for r in flat.to_dict(orient="records")
    ]  # fmt: skip
    header = [i for i in ids if i in flat.columns] + [
        f"{c} [{units[c]}]" if units.get(c) else c for c in cols
    ]
    kinds = ["text"] * (len(header) - len(cols)) + ["num"] * len(cols)
    return Table(caption, header, rows, kinds, collapsed=True)


# --- thyroid and gonadal -------------------------------------------------------------------------
def _col(labs: pd.DataFrame, name: str) -> FloatArray:
    return np.asarray(labs[name].to_numpy(dtype=float, na_value=np.nan), dtype=float)


def thyroid_indices(labs: pd.DataFrame, units: Mapping[str, str]) -> dict[str, FloatArray]:
    """SPINA-GT/GD, Jostel's TSH index, sTSHI, FT3/FT4 (and total-hormone SPINA) per row."""
    from neuroendo.measures import thyroid

    u = {c: unit_of(units, c, "thyroid") for c in THYROID_COLUMNS if c in labs.columns}
    out: dict[str, Any] = {}
    has = set(u)
    if {"tsh", "ft4"} <= has:
        tsh, ft4 = _col(labs, "tsh"), _col(labs, "ft4")
        tu, fu = u["tsh"], u["ft4"]
        out["spina_gt"] = thyroid.spina_gt(tsh, ft4, tsh_unit=tu, ft4_unit=fu)
        out["jostel_tsh_index"] = thyroid.jostel_tsh_index(tsh, ft4, tsh_unit=tu, ft4_unit=fu)
        out["stshi"] = thyroid.stshi(tsh, ft4, tsh_unit=tu, ft4_unit=fu)
    if {"ft4", "ft3"} <= has:
        ft4, ft3 = _col(labs, "ft4"), _col(labs, "ft3")
        out["spina_gd"] = thyroid.spina_gd(ft4, ft3, ft4_unit=u["ft4"], ft3_unit=u["ft3"])
        out["ft3_ft4_ratio"] = thyroid.ft3_ft4_ratio(ft3, ft4, ft3_unit=u["ft3"], ft4_unit=u["ft4"])
    if {"tsh", "tt4"} <= has:
        out["spina_gtt"] = thyroid.spina_gtt(
            _col(labs, "tsh"), _col(labs, "tt4"), tsh_unit=u["tsh"], tt4_unit=u["tt4"]
        )
    if {"tt4", "tt3"} <= has:
        out["spina_gdtt"] = thyroid.spina_gdtt(
            _col(labs, "tt4"), _col(labs, "tt3"), tt4_unit=u["tt4"], tt3_unit=u["tt3"]
        )
    return {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in out.items()}


def gonadal_indices(labs: pd.DataFrame, units: Mapping[str, str]) -> dict[str, FloatArray]:
    """Free/bioavailable testosterone (Vermeulen 1999), FAI, LH/FSH and E2/T ratios per row."""
    from neuroendo.measures import gonadal

    u = {c: unit_of(units, c, "gonadal") for c in GONADAL_COLUMNS if c in labs.columns}
    out: dict[str, Any] = {}
    if {"testosterone", "shbg"} <= set(u):
        t, shbg = _col(labs, "testosterone"), _col(labs, "shbg")
        kw: dict[str, Any] = {"t_unit": u["testosterone"], "shbg_unit": u["shbg"]}
        alb: dict[str, Any] = {}
        if "albumin" in u:
            alb = {"albumin": _col(labs, "albumin"), "albumin_unit": u["albumin"]}
        out["free_testosterone"] = gonadal.free_testosterone(t, shbg, **alb, **kw)
        out["bioavailable_testosterone"] = gonadal.bioavailable_testosterone(t, shbg, **alb, **kw)
        out["free_androgen_index"] = gonadal.free_androgen_index(t, shbg, **kw)
    if {"lh", "fsh"} <= set(u):
        out["lh_fsh_ratio"] = gonadal.lh_fsh_ratio(
            _col(labs, "lh"), _col(labs, "fsh"), lh_unit=u["lh"], fsh_unit=u["fsh"]
        )
    if {"estradiol", "testosterone"} <= set(u):
        out["estradiol_testosterone_ratio"] = gonadal.estradiol_testosterone_ratio(
            _col(labs, "estradiol"),
            _col(labs, "testosterone"),
            e2_unit=u["estradiol"],
            t_unit=u["testosterone"],
        )
    return {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in out.items()}


def _classify_counts(name: str, values: FloatArray) -> str:
    from neuroendo.measures import thyroid

    if name not in thyroid.REFERENCE_RANGES:
        return "–"
    cls = np.atleast_1d(thyroid.classify(name, values))
    if cls.size == 1:
        return str(cls[0])
    return ", ".join(f"{k} {int(np.sum(cls == k))}" for k in ("below", "within", "above"))


def indices_section(
    key: str,
    title: str,
    intro: str,
    indices: Mapping[str, FloatArray],
    labels: Sequence[str],
) -> Section:
    """Build a section of per-subject indices drawn against their reference bands."""
    sec = Section(key, title, intro)
    panels, rows = [], []
    n = len(next(iter(indices.values())))
    for name, values in indices.items():
        entry = catalogue_entry(name)
        unit = entry.unit if entry is not None else ""
        ref = reference_interval(name)
        band = (ref.low, ref.high) if ref is not None and ref.bounded else None
        if band is not None and ref is not None and ref.unit not in (unit, ""):
            band = None  # never draw a band in another unit than the values
        panels.append({"name": name, "unit": unit, "values": values, "band": band})
        formula, refs = formula_of(name)
        rows.append(
            [
                name,
                unit,
                summary(values),
                (ref.text() + (f" ({ref.population})" if ref.population else ""))
                if ref is not None
                else "–",
                _classify_counts(name, values),
                formula,
                refs + (f"; reference interval: {ref.source}" if ref is not None else ""),
            ]
        )
    sec.figures.append(
        Figure(
            f"{key}_indices",
            _plots.strip_with_bands(panels),
            f"{title}: index values against shaded reference intervals",
            "Index values (points; ◆ one subject) and reference intervals (shaded, where known).",
        )
    )
    sec.tables.append(
        Table(
            f"{title}: indices with formula and reference",
            [
                "index",
                "unit",
                "value",
                "reference interval",
                "vs reference",
                "formula",
                "reference",
            ],
            rows,
            ["text", "text", "num", "text", "text", "formula", "ref"],
        )
    )
    if n > 1:
        rows_s = [[labels[i], *(fmt(v[i]) for v in indices.values())] for i in range(n)]
        sec.tables.append(
            Table(
                f"{title}: indices per subject",
                ["subject", *indices],
                rows_s,
                ["text", *(["num"] * len(indices))],
                collapsed=True,
            )
        )
    return sec


# --- HRV -----------------------------------------------------------------------------------------
def recordings_of(rr: Any) -> dict[str, Any]:
    """Normalise RR input to ``{label: recording}`` (one array or dict with ``RRI`` each)."""
    if isinstance(rr, Mapping):
        if "RRI" in rr:
            return {"recording": rr}
        return {str(k): v for k, v in rr.items()}
    if isinstance(rr, list | tuple) and rr and np.ndim(rr[0]) >= 1:
        return {f"recording {i + 1}": r for i, r in enumerate(rr)}
    arr = np.asarray(rr, dtype=float)
    if arr.ndim == 2:
        return {f"recording {i + 1}": row for i, row in enumerate(arr)}
    return {"recording": arr}


def rr_series(rec: Any) -> tuple[FloatArray, FloatArray]:
    """Time (s) and RR (ms) of one recording."""
    if isinstance(rec, Mapping) or hasattr(rec, "columns"):
        rr = np.asarray(rec["RRI"], dtype=float)
        if "RRI_Time" in rec:
            return np.asarray(rec["RRI_Time"], dtype=float), rr
    else:
        rr = np.asarray(rec, dtype=float)
    return np.cumsum(rr) / 1000.0, rr


def hrv_section(recordings: Mapping[str, Any], max_plotted: int = 4) -> Section:
    """Time- and frequency-domain HRV with tachograms and Welch spectra."""
    from neuroendo.measures import _hrv_core, hrv

    td = hrv.time_domain_batch(dict(recordings))
    fd = hrv.frequency_domain_batch(dict(recordings))
    units = {**td.attrs.get("units", {}), **fd.attrs.get("units", {})}
    sec = Section(
        "hrv",
        "Heart rate variability (autonomic nervous system)",
        "Time-domain and frequency-domain indices (Task Force 1996) from "
        "neuroendo.measures.hrv.time_domain_batch and frequency_domain_batch, computed on the "
        "intervals as given (no artefact correction). Spectra: Welch PSD of the 4-Hz cubic-spline "
        "tachogram, as frequency_domain(method='welch') computes it.",
    )
    series = {k: rr_series(v) for k, v in list(recordings.items())[:max_plotted]}
    sec.figures.append(
        Figure(
            "hrv_tachogram",
            _plots.tachograms(series),
            "tachogram: RR intervals over time",
            "Tachogram: RR intervals (ms) over time (s)"
            + (f"; first {max_plotted} recordings" if len(recordings) > max_plotted else "")
            + ".",
        )
    )
    spectra = {}
    for name, (t, rr) in series.items():
        if len(rr) >= 4:
            y = _hrv_core.interpolate_tachogram(t, rr, 4.0, 3)
            spectra[name] = _hrv_core.welch_psd(y, 4.0)
    if spectra:
        sec.figures.append(
            Figure(
                "hrv_psd",
                _plots.psds(spectra, hrv.BANDS),
                "power spectral density of the RR tachogram with LF and HF bands",
                "Welch PSD (ms²/Hz, log scale); shaded: LF 0.04–0.15 Hz and HF 0.15–0.4 Hz.",
            )
        )
    rows = []
    for name in HRV_SHOWN:
        df = td if name in td.columns else fd
        if name not in df.columns:
            continue
        values = df[name].to_numpy(dtype=float, na_value=np.nan)
        formula, refs = formula_of(name)
        ref = reference_interval(name.lower())
        rows.append(
            [
                name,
                units.get(name, ""),
                summary(values),
                (ref.text() + (f" ({ref.population})" if ref.population else ""))
                if ref is not None
                else "–",
                formula,
                refs + (f"; reference: {ref.source}" if ref is not None else ""),
            ]
        )
    sec.tables.append(
        Table(
            "HRV indices with formula and reference",
            ["index", "unit", "value", "reference interval", "formula", "reference"],
            rows,
            ["text", "text", "num", "text", "formula", "ref"],
        )
    )
    if len(recordings) > 1:
        both = td.join(fd, rsuffix="_f")[[c for c in HRV_SHOWN if c in td or c in fd]]
        sec.tables.append(_per_subject_table(both, units, "HRV indices per recording"))
    return sec


# --- balance profile -----------------------------------------------------------------------------
def balance_section(
    labs: pd.DataFrame | None,
    lab_units: Mapping[str, str],
    hrv_values: Mapping[str, pd.Series] | None,
) -> Section | None:
    """Balance profile (``neuroendo.measures.composite``), or ``None`` when it cannot be built.

    Raises :class:`NeuroendoError` from ``balance_profile`` to the caller, which records it.
    """
    import importlib

    import pandas as pd

    try:
        composite = importlib.import_module("neuroendo.measures.composite")
    except ImportError:
        return None
    keys = set(getattr(composite, "COMPONENTS", {}))
    try:  # components without a default reference need one from the user: leave them out
        from neuroendo.measures.references import DEFAULT_REFERENCES

        with_ref = set(DEFAULT_REFERENCES)
    except ImportError:
        with_ref = keys
    skipped: list[str] = []
    cols: dict[str, Any] = {}
    units: dict[str, str] = {}
    n = 1
    if labs is not None:
        n = len(labs)
        for c in labs.columns:
            k = str(c).lower()
            if k in ("subject", "age", "sex"):
                cols[k] = labs[c].to_numpy()
            elif k in keys and k not in with_ref:
                skipped.append(k)
            elif k in keys and k != "cortisol":  # serum reference; a saliva value would mislead
                cols[k] = labs[c].to_numpy(dtype=float, na_value=np.nan)
                if str(c) in lab_units:
                    units[k] = lab_units[str(c)]
    for k, v in (hrv_values or {}).items():
        if k not in keys or k not in with_ref:
            continue
        if "subject" in cols:  # match recordings to subjects by label
            matched = v.reindex([str(x) for x in cols["subject"]]).to_numpy(dtype=float)
            if np.isfinite(matched).any():
                cols[k], units[k] = matched, "ms"
        elif n == 1 and len(v) == 1:
            cols[k], units[k] = v.to_numpy(dtype=float), "ms"
    if not any(k in keys for k in cols):
        return None
    df = pd.DataFrame(cols)
    if "subject" in df:
        df = df.set_index("subject")
    bp = composite.balance_profile(df, units=units, missing_demographics="skip")
    sec = Section(
        "balance",
        "Balance profile (research summary, not a diagnosis)",
        "Per-axis scores of neuroendo.measures.composite.balance_profile: each component's "
        "z-score against its declared reference, averaged within the axis with equal weights; "
        "activity is the signed mean (> 0 over-, < 0 under-activity). Every component is listed "
        "with its reference, because scoring choices change conclusions.",
    )
    activity = {a: np.atleast_1d(np.asarray(s.activity, dtype=float)) for a, s in bp.axes.items()}
    if activity:
        sec.figures.append(
            Figure(
                "balance_profile",
                _plots.balance_activity(activity),
                "balance profile: signed activity per axis",
                "Axis activity in z units per subject (shaded: ±2, about the central 95 % of the "
                "references).",
            )
        )
    rows = []
    for name, s in bp.axes.items():
        rows.append(
            [
                name.upper(),
                summary(s.score),
                summary(s.activity),
                ", ".join(s.components),
                summary(s.completeness),
                fmt(s.weight),
            ]
        )
    rows.append(["index", summary(bp.index), "", "", "", ""])
    sec.tables.append(
        Table(
            "Axis scores (mean |z|), activity (mean signed z), components and weights",
            ["axis", "score", "activity", "components", "completeness", "weight"],
            rows,
            ["text", "num", "num", "text", "num", "num"],
        )
    )
    comp = bp.to_frame()
    shown = [
        c
        for c in ("subject", "axis", "component", "value", "unit", "reference", "stratum",
                  "percentile", "z", "weight")
        if c in comp.columns
    ]  # fmt: skip
    crow = [
        [fmt(r[c]) if c in ("value", "percentile", "z", "weight") else str(r[c]) for c in shown]
        for r in comp.to_dict(orient="records")
    ]
    sec.tables.append(
        Table(
            "Every component with its reference",
            shown,
            crow,
            ["num" if c in ("value", "percentile", "z", "weight") else "text" for c in shown],
            collapsed=len(crow) > 12,
        )
    )
    if skipped:
        sec.notes.append(
            f"Left out (no default reference; pass one to balance_profile): {', '.join(skipped)}."
        )
    sec.notes.append(
        "Not validated against any clinical outcome; do not use it to diagnose or treat. Derived "
        "indices (SPINA-GT, Jostel's index) are left out because they reuse TSH and FT4."
    )
    return sec


# --- model fit -----------------------------------------------------------------------------------
def _field(obj: Any, *names: str) -> Any:
    for n in names:
        if isinstance(obj, Mapping) and n in obj:
            return obj[n]
        if not isinstance(obj, Mapping) and hasattr(obj, n):
            return getattr(obj, n)
    return None


def _from_fit_result(fit: Any) -> dict[str, Any]:
    """Plot data of a :class:`neuroendo.fit.FitResult` (its first analyte)."""
    traj, data = fit.trajectory, fit.data
    analyte = str(traj["analyte"].iloc[0])
    tr = traj[traj["analyte"] == analyte]
    d = data[data["analyte"] == analyte]
    tunit = traj.attrs.get("units", {}).get("time", "")
    return {
        "t": tr["time"].to_numpy(dtype=float),
        "predicted": tr["value"].to_numpy(dtype=float),
        "t_obs": d["time"].to_numpy(dtype=float),
        "observed": d["value"].to_numpy(dtype=float),
        "params": dict(fit.params),
        "model": f"{fit.model} ({getattr(fit.status, 'value', fit.status)})",
        "unit": f"{analyte} ({tr['unit'].iloc[0]}), time in {tunit}",
    }


def fit_section(fit: Any) -> Section:
    """Build the section of observed data against a fitted model trajectory and its parameters.

    ``fit`` is a mapping or object with ``t`` and ``predicted`` (optional ``observed``,
    ``t_obs``, ``params``, ``model``, ``unit``), or a :class:`neuroendo.fit.FitResult`.
    """
    if not isinstance(fit, Mapping) and hasattr(fit, "trajectory") and hasattr(fit, "data"):
        fit = _from_fit_result(fit)
    t = _field(fit, "t", "times")
    pred = _field(fit, "predicted", "prediction")
    if t is None or pred is None:
        raise DataValidationError(
            "fit must give 't' (times) and 'predicted' (model values at those times), as mapping "
            "keys or attributes; optional 'observed' with 't_obs', 'params', 'model', 'unit'."
        )
    t_arr = np.asarray(t, dtype=float)
    p_arr = np.asarray(pred, dtype=float)
    if t_arr.shape != p_arr.shape:
        raise DataValidationError(
            f"fit: 't' has shape {t_arr.shape} but 'predicted' has {p_arr.shape}; give one "
            "predicted value per time."
        )
    obs = _field(fit, "observed", "data")
    t_obs = _field(fit, "t_obs", "observed_times")
    o_arr = None if obs is None else np.asarray(obs, dtype=float)
    to_arr = None
    if o_arr is not None:
        to_arr = t_arr if t_obs is None else np.asarray(t_obs, dtype=float)
        if to_arr.shape != o_arr.shape:
            raise DataValidationError(
                f"fit: 'observed' has shape {o_arr.shape} but its times have {to_arr.shape}; pass "
                "'t_obs' with one time per observation."
            )
    model = str(_field(fit, "model", "name") or "")
    unit = str(_field(fit, "unit") or "")
    sec = Section(
        "fit",
        "Model fit",
        f"Observed values and the fitted trajectory of model {model!r}." if model else
        "Observed values and the fitted model trajectory.",
    )  # fmt: skip
    sec.figures.append(
        Figure(
            "model_fit",
            _plots.model_fit(t_arr, p_arr, to_arr, o_arr, label=model, unit=unit),
            "observed data and fitted model trajectory",
            "Observed (points) and fitted model (line)" + (f", in {unit}" if unit else "") + ".",
        )
    )
    params = _field(fit, "params", "parameters")
    if params:
        rows = [[str(k), fmt(v)] for k, v in dict(params).items()]
        sec.tables.append(Table("Fitted parameters", ["parameter", "value"], rows, ["text", "num"]))
    return sec


def ordered(items: Iterable[str], order: Sequence[str]) -> list[str]:
    """Items in the order of ``order`` (unknown items last)."""
    rank = {k: i for i, k in enumerate(order)}
    return sorted(items, key=lambda k: rank.get(k, len(rank)))
