"""``render_report`` and ``write_report``: one self-contained HTML file per subject or cohort."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuroendo._core.errors import DataValidationError, NeuroendoError
from neuroendo._core.validation import check_option
from neuroendo.report import _sections as S

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SECTIONS", "render_report", "write_report"]

#: Section keys in report order; ``inputs``, ``warnings`` and ``methods`` are always present.
SECTIONS: tuple[str, ...] = (
    "inputs",
    "cortisol",
    "thyroid",
    "gonadal",
    "hrv",
    "balance",
    "fit",
    "warnings",
    "methods",
)
_OPTIONAL = ("cortisol", "thyroid", "gonadal", "hrv", "balance", "fit")
_TEMPLATE = "report.html.j2"


def _is_saliva(df: pd.DataFrame, analyte: str) -> bool:
    return "sample" in (df.index.names or []) or ("sample" in df.columns and analyte in df.columns)


def _load_template(name: str) -> str:
    return resources.files("neuroendo.report").joinpath("templates", name).read_text("utf-8")


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _warning_rows(
    caught: Sequence[warnings.WarningMessage], prior: Sequence[Any]
) -> list[list[str]]:
    """Deduplicated rows (category, message, count) in order of first appearance."""
    seen: dict[tuple[str, str], int] = {}
    for w in [*prior, *caught]:
        if isinstance(w, warnings.WarningMessage):
            key = (w.category.__name__, str(w.message))
        elif isinstance(w, Warning):
            key = (type(w).__name__, str(w))
        else:
            key = ("note", str(w))
        seen[key] = seen.get(key, 0) + 1
    return [[cat, msg, str(n)] for (cat, msg), n in seen.items()]


def _methods_section(sections: Sequence[S.Section], sources: Sequence[str]) -> S.Section:
    used: dict[str, list[str]] = {}
    for sec in sections:
        for table in sec.tables:
            if "formula" not in table.kinds or table.collapsed:
                continue
            fi = table.kinds.index("formula")
            for row in table.rows:
                if row[fi] != "–" and row[0] not in used:
                    entry = S.catalogue_entry(row[0])
                    used[row[0]] = [
                        row[0],
                        getattr(entry, "description", "") or "–",
                        row[fi],
                        "; ".join(getattr(entry, "references", ())) or "–",
                    ]
    refs: list[str] = []
    for row in used.values():
        for r in row[3].split("; "):
            if r != "–" and r not in refs:
                refs.append(r)
    sec = S.Section(
        "methods",
        "Methods and references",
        "Each measure with its formula (LaTeX notation, as in the function's docstring and the "
        "measure catalogue neuroendo.measures.CATALOGUE) and its published source.",
    )
    if used:
        sec.tables.append(
            S.Table(
                "Measures used in this report",
                ["measure", "description", "formula", "references"],
                list(used.values()),
                ["text", "text", "formula", "ref"],
            )
        )
    sec.notes.extend(f"Data: {s}" for s in sources)
    sec.notes.extend(f"[{i + 1}] {r}" for i, r in enumerate(refs))
    return sec


def _versions() -> str:
    import importlib.metadata as md

    import neuroendo

    parts = [f"neuroendo {neuroendo.__version__}"]
    for pkg in ("numpy", "pandas", "matplotlib", "jinja2"):
        try:
            parts.append(f"{pkg} {md.version(pkg)}")
        except md.PackageNotFoundError:  # pragma: no cover - all are installed with the extra
            continue
    return ", ".join(parts)


def render_report(
    data: pd.DataFrame | None = None,
    *,
    title: str = "neuroendo report",
    measures: Sequence[str] | None = None,
    saliva: pd.DataFrame | None = None,
    labs: pd.DataFrame | None = None,
    rr: Any = None,
    fit: Any = None,
    units: Mapping[str, str] | None = None,
    cortisol_kwargs: Mapping[str, Any] | None = None,
    analyte: str = "cortisol",
    subject: str | None = None,
    date: str | None = None,
    source: str | None = None,
    prior_warnings: Sequence[Any] = (),
) -> str:
    r"""Render a self-contained HTML report of one subject or a cohort.

    The page needs no network: CSS is inline, plots are PNG data URIs drawn with matplotlib (Agg),
    and there is no JavaScript. Sections: header, inputs (units, canonical units, reference
    intervals), cortisol, thyroid, gonadal, HRV, balance profile, model fit (each when its data
    are given), warnings raised while computing, and methods with every formula and reference.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        A saliva table (BioPsyKit long layout: ``sample`` in the index or columns, a value column
        named ``analyte``, times in minutes in ``time``) is used as ``saliva``; any other table
        as ``labs``.
    title : str, default "neuroendo report"
        Page title.
    measures : sequence of str, optional
        Sections to include, from ``cortisol``, ``thyroid``, ``gonadal``, ``hrv``, ``balance``,
        ``fit``; default every section the data allow. Naming one without its data raises.
    saliva : pandas.DataFrame, optional
        Saliva cortisol table for :func:`neuroendo.measures.cortisol.features`; the unit of the
        value column comes from ``attrs["units"]``, ``units`` or ``cortisol_kwargs["unit"]``.
    labs : pandas.DataFrame, optional
        One row per subject with analyte columns (``tsh``, ``ft4``, ``ft3``, ``tt4``, ``tt3``,
        ``testosterone``, ``shbg``, ``albumin``, ``lh``, ``fsh``, ``estradiol`` ...) and
        optionally ``subject``, ``age`` (years), ``sex``; units in ``attrs["units"]`` (as
        :func:`neuroendo.io.tables.read_table` sets them) or ``units``.
    rr : array-like, mapping or sequence, optional
        RR intervals in ms: one recording (1-D array, or ``{"RRI": ..., "RRI_Time": ...}``), a 2-D
        array (one row per recording), a list of recordings or ``{label: recording}``.
    fit : mapping or object, optional
        A model fit, given as keys or attributes ``t`` and ``predicted`` (model values at
        ``t``), optional ``observed`` with ``t_obs`` (default ``t``), ``params`` (name ->
        value), ``model`` (name) and ``unit``.
    units : mapping, optional
        Column -> UCUM unit, overriding the tables' ``attrs["units"]``.
    cortisol_kwargs : mapping, optional
        Keyword arguments for :func:`neuroendo.measures.cortisol.features` (``sample_times``,
        ``remove_s0``, ``compute_auc_post``, ``slopes``, ``unit``, ``to_unit``).
    analyte : str, default "cortisol"
        Value column of the saliva table.
    subject : str, optional
        Label shown in the header (default: the subject ID, or "cohort of n subjects").
    date : str, optional
        Date shown in the header (default: now, UTC); fix it for reproducible output.
    source : str, optional
        Data source shown in the header and methods (default ``attrs["source"]`` of the tables).
    prior_warnings : sequence, optional
        Warnings caught before the call (e.g. while reading files), listed with the others.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    DataValidationError
        No data, a requested section without its data, or invalid inputs (from the measures).
    UnitError
        A measurement column without a unit, or an unknown unit.
    ValueError
        Unknown section name in ``measures``.

    Notes
    -----
    Every warning raised while computing (``warnings.catch_warnings(record=True)``) is listed in
    the warnings section, once per distinct message with its count, instead of being printed.
    The cortisol figure shades

    .. math:: AUC_G = \sum_{i=1}^{n-1} \frac{(m_{i+1} + m_i)(t_{i+1} - t_i)}{2}

    under one subject's curve, or under each group's mean curve (mean ± SE per sample) for a
    cohort. A failing balance profile (e.g. no reference for a component) is recorded as a
    warning and the section left out; failures in the other sections raise.

    References
    ----------
    .. [1] Pruessner JC et al. Psychoneuroendocrinology. 2003;28(7):916-931.
       doi:10.1016/S0306-4530(02)00108-7
    .. [2] Task Force of the ESC and NASPE. Heart rate variability. Eur Heart J.
       1996;17:354-381.

    Examples
    --------
    >>> from neuroendo import datasets
    >>> html = render_report(
    ...     datasets.load_cortisol_sample(), cortisol_kwargs={"remove_s0": True}, date="2024-01-01"
    ... )
    >>> html.startswith("<!DOCTYPE html>")
    True
    >>> 'id="sec-cortisol"' in html and "AUC_G" in html
    True
    """
    import pandas as pd

    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise DataValidationError(
                f"'data' must be a pandas DataFrame (a saliva or lab table), got "
                f"{type(data).__name__}; pass RR intervals as rr= and a model fit as fit=."
            )
        if _is_saliva(data, analyte):
            if saliva is not None:
                raise DataValidationError("Both 'data' and 'saliva' hold a saliva table; pass one.")
            saliva = data
        else:
            if labs is not None:
                raise DataValidationError("Both 'data' and 'labs' hold a lab table; pass one.")
            labs = data
    if saliva is None and labs is None and rr is None and fit is None:
        raise DataValidationError(
            "Nothing to report: pass a saliva or lab table (data=), RR intervals (rr=) or a "
            "model fit (fit=)."
        )
    wanted = set(_OPTIONAL)
    if measures is not None:
        wanted = {check_option("measures", m, _OPTIONAL) for m in measures}
    explicit = measures is not None
    units = dict(units or {})
    ckw = dict(cortisol_kwargs or {})
    if saliva is not None and analyte in units:
        ckw.setdefault("unit", units[analyte])
    lab_units: dict[str, str] = {}
    if labs is not None:
        lab_units = {str(k): str(v) for k, v in labs.attrs.get("units", {}).items()}
        lab_units.update({k: v for k, v in units.items() if k in labs.columns})

    def need(key: str, present: bool, what: str) -> bool:
        if key not in wanted:
            return False
        if not present and explicit:
            raise DataValidationError(
                f"measures includes {key!r} but {what}; drop it from measures or add the data."
            )
        return present

    sections: list[S.Section] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        recordings = S.recordings_of(rr) if rr is not None else {}
        series = {k: S.rr_series(v) for k, v in recordings.items()}
        sections.append(S.inputs_section(saliva, labs, lab_units, series, analyte))
        if need("cortisol", saliva is not None, "no saliva table is given") and saliva is not None:
            sections.append(S.cortisol_section(saliva, ckw, analyte))
        labels = _row_labels(labs)
        if labs is not None:
            cols = set(labs.columns)
            if need("thyroid", {"tsh", "ft4"} <= cols or {"ft4", "ft3"} <= cols, "no tsh/ft4/ft3"):
                ind = S.thyroid_indices(labs, lab_units)
                sections.append(
                    S.indices_section(
                        "thyroid",
                        "Thyroid (HPT axis)",
                        "Structure parameters of thyroid homeostasis (SPINA) and Jostel's TSH "
                        "index from neuroendo.measures.thyroid, against their reference intervals.",
                        ind,
                        labels,
                    )
                )
            gon = {"testosterone", "shbg"} <= cols or {"lh", "fsh"} <= cols
            if need("gonadal", gon, "the lab table has no testosterone+shbg or lh+fsh"):
                sections.append(
                    S.indices_section(
                        "gonadal",
                        "Gonadal (HPG axis)",
                        "Free and bioavailable testosterone (Vermeulen 1999), free androgen index "
                        "and hormone ratios from neuroendo.measures.gonadal.",
                        S.gonadal_indices(labs, lab_units),
                        labels,
                    )
                )
        else:
            need("thyroid", False, "no lab table is given")
            need("gonadal", False, "no lab table is given")
        hrv_values: dict[str, Any] = {}
        if need("hrv", bool(recordings), "no RR intervals are given"):
            sec = S.hrv_section(recordings)
            sections.append(sec)
            hrv_values = _hrv_components(recordings)
        if "balance" in wanted:
            try:
                bal = S.balance_section(labs, lab_units, hrv_values)
            except NeuroendoError as exc:
                warnings.warn(f"Balance profile not computed: {exc}", UserWarning, stacklevel=1)
                bal = None
            if bal is not None:
                sections.append(bal)
            elif explicit:
                raise DataValidationError(
                    "measures includes 'balance' but no balance-profile component is given (or "
                    "neuroendo.measures.composite is missing); see the warnings for details."
                )
        if need("fit", fit is not None, "no model fit is given"):
            sections.append(S.fit_section(fit))
    rows = _warning_rows(caught, prior_warnings)
    sections.append(
        S.Section(
            "warnings",
            "Warnings",
            "Every warning raised while reading and computing, once per distinct message."
            if rows
            else "No warnings were raised while computing this report.",
            tables=[S.Table("Warnings", ["category", "message", "count"], rows, ["text"] * 3)]
            if rows
            else [],
        )
    )
    sources = [
        s
        for s in dict.fromkeys(
            [source] if source else [d.attrs.get("source") for d in (saliva, labs) if d is not None]
        )
        if s
    ]
    sections.append(_methods_section(sections, [str(s) for s in sources]))
    sections.sort(key=lambda s: SECTIONS.index(s.key))
    who = subject or _who(saliva, labs, recordings)
    context = {
        "title": title,
        "who": who,
        "date": date or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": _versions(),
        "sources": sources,
        "sections": sections,
        "n_warnings": len(rows),
    }
    return str(_environment().get_template(_TEMPLATE).render(**context))


def _row_labels(labs: pd.DataFrame | None) -> list[str]:
    if labs is None:
        return []
    if "subject" in labs.columns:
        return [str(s) for s in labs["subject"]]
    return [str(i) for i in labs.index]


def _hrv_components(recordings: Mapping[str, Any]) -> dict[str, Any]:
    """RMSSD and SDNN per recording, for the balance profile (one recording per lab row)."""
    from neuroendo.measures import hrv

    td = hrv.time_domain_batch(dict(recordings))
    td.index = [str(i) for i in td.index]
    return {"rmssd": td["RMSSD"], "sdnn": td["SDNN"]}


def _who(
    saliva: pd.DataFrame | None, labs: pd.DataFrame | None, recordings: Mapping[str, Any]
) -> str:
    ids: list[str] = []
    if saliva is not None:
        flat = saliva.reset_index()
        cols = S.subject_columns(saliva)
        key = "subject" if "subject" in flat.columns else cols[0] if cols else None
        if key is not None:
            ids.extend(str(s) for s in flat[key].unique())
    if labs is not None:
        ids.extend(_row_labels(labs))
    uniq = list(dict.fromkeys(ids))
    if not uniq:
        n = len(recordings)
        return "one recording" if n == 1 else f"{n} recordings"
    if len(uniq) == 1:
        return f"subject {uniq[0]}"
    return f"cohort of {len(uniq)} subjects"


def write_report(path: str | Path, data: pd.DataFrame | None = None, **kwargs: Any) -> Path:
    """Render a report (:func:`render_report`) and write it as UTF-8 HTML.

    Parameters
    ----------
    path : str or Path
        Output file (``.html``); parent folders must exist.
    data : pandas.DataFrame, optional
        As for :func:`render_report`.
    **kwargs
        Passed to :func:`render_report` (``title``, ``saliva``, ``labs``, ``rr``, ``fit`` ...).

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    DataValidationError
        As :func:`render_report`, or when the parent folder of ``path`` does not exist.

    Notes
    -----
    The file is self-contained (inline CSS, PNG data URIs, no scripts): open it in any browser,
    offline, or attach it to an e-mail.

    References
    ----------
    .. [1] Pruessner JC et al. Psychoneuroendocrinology. 2003;28(7):916-931.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from neuroendo import datasets
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_report(out, datasets.load_cortisol_sample(), date="2024-01-01").name
    'report.html'
    """
    p = Path(path)
    if not p.parent.is_dir():
        raise DataValidationError(
            f"Cannot write the report to {p}: folder {p.parent} does not exist; create it first."
        )
    html = render_report(data, **kwargs)
    p.write_text(html, encoding="utf-8")
    return p
