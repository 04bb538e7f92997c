"""Cohort *fit* jobs: fit an HPA model to every selected subject's ACTH/cortisol series.

The job reads the stored observations (:func:`neuroendo.app.results.load_observations`),
keeps plasma ``acth`` and ``cortisol`` with a time, turns them into the tidy fit table
(``subject, time, analyte, value, unit``; time in minutes) and runs
:func:`neuroendo.cohort.fit_cohort` with ``on_error="skip"``. Subjects without enough data
(fewer than :data:`MIN_CORTISOL_TIMES` cortisol times, negative times, fewer data than estimated
parameters) are not fitted: they become rows with ``status="skipped"`` and the reason.

The fits run in the job's thread with ``client="synchronous"`` (no Dask cluster inside a web
worker; ``JobRunner.fit_client`` may name a Dask scheduler address instead). Fits in one
process run one at a time (see :mod:`neuroendo.cohort`), and the job's progress is written to
the ``jobs`` table after each subject through ``fit_cohort(progress=...)``.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from neuroendo._core.errors import NeuroendoError

if TYPE_CHECKING:
    import pandas as pd

    from neuroendo._core.spec import ModelSpec
    from neuroendo.app.jobs import JobRunner

__all__ = [
    "DEFAULT_MODEL",
    "FIT_ANALYTES",
    "MAX_FIT_SUBJECTS",
    "MAX_STARTS",
    "MIN_CORTISOL_TIMES",
    "check_fit_params",
    "fit_models",
    "run_fit_job",
    "tidy_fit_data",
]

#: Model of a fit job when none is named: the model of the ``neuroendo cohort fit`` examples.
DEFAULT_MODEL = "sriram2012"
#: Analytes a fit job reads (plasma/serum; saliva cortisol is a different quantity).
FIT_ANALYTES = ("acth", "cortisol")
#: A subject is fitted only with cortisol at this many distinct times or more.
MIN_CORTISOL_TIMES = 4
#: ACTH is used when measured at this many distinct times or more (else it is left out).
MIN_ACTH_TIMES = 3
#: Upper bound of the multistart count of a web job.
MAX_STARTS = 50
#: Upper bound of the number of subjects named in one fit job.
MAX_FIT_SUBJECTS = 1000
#: Upper bound of the number of free parameters named in one fit job.
MAX_FREE = 12

#: Per-model defaults: free parameters (besides the automatic scales, sigmas and amplitude) and
#: the pre-equilibration time in the model's time unit.
_MODEL_DEFAULTS: dict[str, dict[str, Any]] = {
    "sriram2012": {"free": ("V_S4",), "pre_equilibration": 200.0},
}
_AMPLITUDE = "A"


def fit_models() -> tuple[str, ...]:
    """Return the models a fit job can use: HPA models with ACTH and cortisol states.

    The model's time unit must be convertible from minutes (the time unit of stored
    observations), so models in scaled, dimensionless time are not offered.

    Returns
    -------
    tuple of str
        Model names, sorted.

    References
    ----------
    .. [1] Sriram K, Rodriguez-Fernandez M, Doyle FJ III. PLoS Comput Biol. 2012;8(2):e1002379.

    Examples
    --------
    >>> "sriram2012" in fit_models()
    True
    >>> "gupta2007" in fit_models()  # time in scaled units
    False
    """
    from neuroendo._core.units import conversion_factor
    from neuroendo.models import available, get

    out = []
    for name in available("hpa"):
        spec = get(name)
        if not {"acth", "cortisol"} <= set(spec.state_names):
            continue
        try:
            conversion_factor("min", spec.time_unit)
        except NeuroendoError:
            continue
        out.append(name)
    return tuple(out)


def _needs_scale(spec: ModelSpec, analyte: str) -> bool:
    """Whether the model state's unit cannot hold the analyte's canonical unit."""
    from neuroendo._core.analytes import get
    from neuroendo._core.units import conversion_factor

    try:
        conversion_factor(get(analyte).canonical_unit, spec.state(analyte).unit, analyte=analyte)
    except NeuroendoError:
        return True
    return False


def _parse_free(items: Sequence[str]) -> dict[str, tuple[float, float] | None]:
    """``NAME`` or ``NAME=LOWER:UPPER`` strings to a ``free=`` mapping."""
    out: dict[str, tuple[float, float] | None] = {}
    for raw in items:
        item = str(raw).strip()
        name, sep, rng = item.partition("=")
        name = name.strip()
        if not name:
            raise ValueError(f"'free' item {raw!r}: write NAME or NAME=LOWER:UPPER (e.g. V_S4).")
        if not sep:
            out[name] = None
            continue
        lo, colon, hi = rng.partition(":")
        try:
            if not colon:
                raise ValueError
            bounds = (float(lo), float(hi))
        except ValueError:
            raise ValueError(
                f"'free' item {raw!r}: write NAME or NAME=LOWER:UPPER (e.g. V_S4=0.1:10)."
            ) from None
        if not (math.isfinite(bounds[0]) and math.isfinite(bounds[1]) and bounds[0] < bounds[1]):
            raise ValueError(
                f"'free' item {raw!r}: bounds must be finite with LOWER < UPPER, got "
                f"{bounds[0]:g}:{bounds[1]:g}."
            )
        out[name] = bounds
    return out


def check_fit_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the parameters of a fit job and return them completed with defaults.

    Parameters
    ----------
    params : mapping
        ``model`` (default :data:`DEFAULT_MODEL`), ``free`` (list of ``NAME`` or
        ``NAME=LOWER:UPPER``; default per model), ``fixed`` (``{name: value}``), ``starts``
        (1 to :data:`MAX_STARTS`), ``seed``, ``sigma`` (log-normal noise SD of every analyte,
        natural-log units; ``None`` estimates one per analyte), ``ci`` (``"wald"``,
        ``"profile"``, ``"none"``), ``pre_equilibration`` (model time unit; ``None``: the
        model's default, 0: none), ``tsst_onset`` and ``tsst_duration`` (minutes; with an
        onset the CRH drive gets a TSST window of amplitude ``A``), ``subjects``, ``query``.

    Returns
    -------
    dict
        JSON-ready parameters, as stored with the job.

    Raises
    ------
    ValueError
        Unknown model or parameter name, bad bounds or values; the message names the value
        and the allowed ones.

    Notes
    -----
    Parameters that a fit estimates without being named: ``scale_<analyte>`` (when the
    model's state is in arbitrary units, the measured value is ``scale * state``),
    ``sigma_<analyte>`` (unless ``sigma`` is given) and the TSST amplitude ``A`` (when
    ``tsst_onset`` is given); give any of them in ``fixed`` to hold it.

    References
    ----------
    .. [1] Raue A et al. Bioinformatics. 2009;25(15):1923-1929. doi:10.1093/bioinformatics/btp358

    Examples
    --------
    >>> p = check_fit_params({"model": "sriram2012", "free": ["V_S4=0.1:10"]})
    >>> p["free"], p["starts"], p["pre_equilibration"]
    (['V_S4=0.1:10'], 5, 200.0)
    >>> try:
    ...     check_fit_params({"model": "sriram2012", "free": ["VS4"]})
    ... except ValueError as exc:
    ...     print(str(exc).split(":")[0])
    Unknown parameter 'VS4' for a fit of model 'sriram2012'
    """
    from neuroendo._core.validation import check_option, did_you_mean
    from neuroendo.models import get

    model = str(params.get("model") or DEFAULT_MODEL)
    check_option("model", model, fit_models())
    spec = get(model)
    defaults = _MODEL_DEFAULTS.get(model, {})
    free_items = [str(x) for x in (params.get("free") or defaults.get("free") or ())]
    if not free_items:
        raise ValueError(
            f"'free' is empty: name the parameters of model {model!r} to estimate, e.g. "
            f"free=[{spec.param_names[0]!r}] (parameters: {', '.join(spec.param_names)})."
        )
    if len(free_items) > MAX_FREE:
        raise ValueError(f"'free' names {len(free_items)} parameters; at most {MAX_FREE}.")
    free = _parse_free(free_items)
    fixed_in = params.get("fixed") or {}
    if not isinstance(fixed_in, Mapping):
        raise ValueError(f"'fixed' must map parameter names to numbers, got {fixed_in!r}.")
    fixed: dict[str, float] = {}
    for k, v in fixed_in.items():
        try:
            val = float(v)
        except (TypeError, ValueError):
            raise ValueError(f"fixed[{k!r}] must be a number, got {v!r}.") from None
        if not math.isfinite(val):
            raise ValueError(f"fixed[{k!r}] must be finite, got {v!r}.")
        fixed[str(k)] = val
    tsst_onset = params.get("tsst_onset")
    tsst_duration = float(params.get("tsst_duration") or 15.0)
    if tsst_onset is not None:
        tsst_onset = float(tsst_onset)
        if not (math.isfinite(tsst_onset) and tsst_onset >= 0):
            raise ValueError(f"'tsst_onset' must be >= 0 minutes, got {tsst_onset!r}.")
    if not (math.isfinite(tsst_duration) and tsst_duration > 0):
        raise ValueError(f"'tsst_duration' must be > 0 minutes, got {tsst_duration!r}.")
    if tsst_onset is not None and "stress" not in {i.name for i in spec.inputs}:
        raise ValueError(f"Model {model!r} has no 'stress' input; leave 'tsst_onset' empty.")
    known = list(spec.param_names)
    known += [f"scale_{a}" for a in FIT_ANALYTES if _needs_scale(spec, a)]
    known += [f"sigma_{a}" for a in FIT_ANALYTES]
    if tsst_onset is not None:
        known.append(_AMPLITUDE)
    for name in [*free, *fixed]:
        if name not in known:
            raise ValueError(
                f"Unknown parameter {name!r} for a fit of model {model!r}: allowed are "
                f"{', '.join(known)}." + did_you_mean(name, known)
            )
    both = sorted(set(free) & set(fixed))
    if both:
        raise ValueError(f"Parameter(s) {both} are both free and fixed; list each in one place.")
    starts = params.get("starts", 5)
    if isinstance(starts, bool) or not isinstance(starts, int) or not 1 <= starts <= MAX_STARTS:
        raise ValueError(f"'starts' must be an integer from 1 to {MAX_STARTS}, got {starts!r}.")
    seed = params.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise ValueError(f"'seed' must be a non-negative integer or empty, got {seed!r}.")
    sigma = params.get("sigma")
    if sigma is not None:
        sigma = float(sigma)
        if not (math.isfinite(sigma) and sigma > 0):
            raise ValueError(f"'sigma' must be > 0 (natural-log units), got {sigma!r}.")
    ci = str(params.get("ci") or "wald")
    check_option("ci", ci, ("wald", "profile", "none"))
    pre = params.get("pre_equilibration")
    if pre is None:
        pre = defaults.get("pre_equilibration")
    if pre is not None:
        pre = float(pre)
        if not (math.isfinite(pre) and pre >= 0):
            raise ValueError(f"'pre_equilibration' must be >= 0 ({spec.time_unit}), got {pre!r}.")
    subjects = params.get("subjects")
    if subjects is not None:
        subjects = [str(s) for s in subjects]
        if len(subjects) > MAX_FIT_SUBJECTS:
            raise ValueError(
                f"A fit job takes at most {MAX_FIT_SUBJECTS} subjects; got {len(subjects)}. "
                "Split the cohort into several jobs."
            )
    return {
        "model": model,
        "free": free_items,
        "fixed": fixed,
        "starts": int(starts),
        "seed": seed,
        "sigma": sigma,
        "ci": ci,
        "pre_equilibration": pre,
        "tsst_onset": tsst_onset,
        "tsst_duration": tsst_duration,
        "subjects": subjects,
        "query": str(params.get("query") or ""),
    }


def tidy_fit_data(obs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Turn stored observations into the tidy fit table; report subjects that cannot be fitted.

    Parameters
    ----------
    obs : pandas.DataFrame
        From :func:`neuroendo.app.results.load_observations` (``subject, analyte, value,
        unit, time, datetime, ...``; ``time`` in minutes).

    Returns
    -------
    data : pandas.DataFrame
        ``subject, time, analyte, value, unit`` for :data:`FIT_ANALYTES` only, time in
        minutes (``attrs["units"]["time"] = "min"``); a missing time is taken from the
        date-time, as minutes after the subject's first sample. Only subjects with cortisol
        at >= :data:`MIN_CORTISOL_TIMES` distinct times and no negative time; ACTH is kept
        when measured at >= :data:`MIN_ACTH_TIMES` distinct times.
    skipped : dict
        ``{subject: reason}`` for every other subject of ``obs``.

    References
    ----------
    .. [1] Wickham H. Tidy data. J Stat Softw. 2014;59(10):1-23. doi:10.18637/jss.v059.i10

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"subject": ["a"] * 4 + ["b"], "analyte": ["cortisol"] * 4
    ...                     + ["tsh"], "value": [300.0, 420, 380, 310, 2.0],
    ...                     "unit": ["nmol/L"] * 4 + ["m[IU]/L"], "time": [0.0, 20, 40, 60, 0],
    ...                     "datetime": pd.NaT})
    >>> data, skipped = tidy_fit_data(obs)
    >>> sorted(data["subject"].unique()), skipped["b"][:23]
    (['a'], 'no cortisol series (has')
    """
    import numpy as np
    import pandas as pd

    cols = ["subject", "time", "analyte", "value", "unit"]
    subjects = list(dict.fromkeys(obs["subject"].astype(str)))
    skipped: dict[str, str] = {}
    df = obs[obs["analyte"].isin(FIT_ANALYTES)].copy()
    df["subject"] = df["subject"].astype(str)
    t = pd.to_numeric(df["time"], errors="coerce").astype(float)
    if "datetime" in df.columns and t.isna().any():
        dtm = pd.to_datetime(df["datetime"], utc=True, errors="coerce")
        first = dtm.groupby(df["subject"]).transform("min")
        t = t.fillna((dtm - first).dt.total_seconds() / 60.0)
    df["time"] = t
    df = df[np.isfinite(df["time"].to_numpy(float)) & np.isfinite(df["value"].to_numpy(float))]
    n_times = df.groupby(["subject", "analyte"])["time"].nunique()
    has = obs.groupby(obs["subject"].astype(str))["analyte"].agg(lambda a: sorted(set(map(str, a))))
    t_min = df.groupby("subject")["time"].min()
    keep: list[str] = []
    for s in subjects:  # one decision per subject (not a computation)
        n_cort = int(n_times.get((s, "cortisol"), 0))
        if n_cort == 0:
            kinds = ", ".join(has.get(s, [])) or "none"
            skipped[s] = (
                f"no cortisol series (has {kinds}); a fit needs plasma cortisol at >= "
                f"{MIN_CORTISOL_TIMES} times (saliva cortisol is not fitted)"
            )
        elif n_cort < MIN_CORTISOL_TIMES:
            skipped[s] = f"cortisol at {n_cort} time(s); a fit needs >= {MIN_CORTISOL_TIMES} times"
        elif float(t_min.get(s, 0.0)) < 0:
            skipped[s] = (
                f"times start at {float(t_min[s]):g} min; model time starts at 0: store "
                "the times relative to the first sample"
            )
        else:
            keep.append(s)
    df = df[df["subject"].isin(keep)]
    few_acth = {s for s in keep if 0 < int(n_times.get((s, "acth"), 0)) < MIN_ACTH_TIMES}
    df = df[~((df["analyte"] == "acth") & df["subject"].isin(few_acth))]
    out = df[cols].sort_values(["subject", "analyte", "time"], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs["units"] = {"time": "min"}
    return out, skipped


def _problem(spec: ModelSpec, params: Mapping[str, Any], analytes: Sequence[str]) -> dict[str, Any]:
    """fit_cohort arguments for subjects measured in ``analytes``."""
    from neuroendo.fit import Observation, ScaledInput
    from neuroendo.models import inputs

    free: dict[str, Any] = dict(_parse_free(params["free"]))
    fixed = dict(params["fixed"])
    observables = {}
    for a in analytes:
        scale: float | str = f"scale_{a}" if _needs_scale(spec, a) else 1.0
        observables[a] = Observation(a, scale=scale)
        auto = [scale] if isinstance(scale, str) else []
        if params["sigma"] is not None and f"sigma_{a}" not in free:
            fixed.setdefault(f"sigma_{a}", float(params["sigma"]))
        for name in auto:
            if name not in fixed:
                free.setdefault(name, None)
    kwargs: dict[str, Any] = {}
    if params["tsst_onset"] is not None:
        sched = inputs.tsst(
            float(params["tsst_onset"]),
            duration=float(params["tsst_duration"]),
            shape="square",
            time_unit="min",
        )
        kwargs["inputs"] = {"stress": ScaledInput(sched, _AMPLITUDE)}
        if _AMPLITUDE not in fixed:
            free.setdefault(_AMPLITUDE, None)
    other = [a for a in FIT_ANALYTES if a not in analytes]
    for a in other:  # names of an analyte this group lacks would be unknown to the fit
        for name in (f"scale_{a}", f"sigma_{a}"):
            free.pop(name, None)
            fixed.pop(name, None)
    n_est = len(free) + sum(
        1 for a in analytes if f"sigma_{a}" not in free and f"sigma_{a}" not in fixed
    )
    pre = params["pre_equilibration"]
    return {
        "free": free,
        "fixed": fixed,
        "observables": observables,
        "pre_equilibration": float(pre) if pre else None,
        "n_estimated": n_est,
        **kwargs,
    }


_PER_SUBJECT = ("status", "message", "n_data", "objective", "aic", "seconds")


def _wide(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per subject: status, message, estimate and CI per parameter, fit statistics."""
    import pandas as pd

    per = table.drop_duplicates("subject").set_index("subject")[list(_PER_SUBJECT)]
    t = table[table["parameter"].notna()]
    units = dict(zip(t["parameter"], t["unit"].fillna("1"), strict=True))
    parts = [per[["status", "message"]]]
    names = list(dict.fromkeys(t["parameter"]))
    for field, suffix in (("estimate", ""), ("ci_lower", "_ci_lower"), ("ci_upper", "_ci_upper")):
        w = t.pivot(index="subject", columns="parameter", values=field).reindex(columns=names)
        w.columns = [f"{c}{suffix}" for c in w.columns]
        parts.append(w)
    wide = pd.concat(parts, axis=1).reindex(per.index)
    order = ["status", "message"]
    for n in names:
        order += [n, f"{n}_ci_lower", f"{n}_ci_upper"]
    wide = wide[order].join(per[["n_data", "objective", "aic", "seconds"]])
    col_units = {f"{n}{s}": units[n] for n in names for s in ("", "_ci_lower", "_ci_upper")}
    return wide, col_units


def run_fit_job(runner: JobRunner, job_id: str, params: Mapping[str, Any]) -> str:
    r"""Run one fit job: load data, fit each subject, write the CSV and the derived results.

    Parameters
    ----------
    runner : JobRunner
        The runner executing the job (database, data directory, progress updates, Dask client
        in ``runner.fit_client``, cancellation).
    job_id : str
        The job's id (32 hex digits).
    params : mapping
        As returned by :func:`check_fit_params` (validated again here).

    Returns
    -------
    str
        Summary message (subjects converged, not converged, failed, skipped; root seed).

    Raises
    ------
    ValueError
        Invalid parameters, or no subject selected.

    Notes
    -----
    Each subject's fit maximises its log-normal likelihood (see
    :func:`neuroendo.cohort.fit_cohort`)

    .. math:: -\ln L(\theta) = \sum_i \left[\ln(\sqrt{2\pi}\,\sigma y_i)
              + \frac{(\ln y_i - \ln \hat y_i(\theta))^2}{2\sigma^2}\right].

    The CSV has one row per subject: ``subject, status, message``, then per estimated
    parameter ``<p> [unit]``, ``<p>_ci_lower [unit]``, ``<p>_ci_upper [unit]``, then
    ``n_data, objective, aic, seconds``. ``status`` is ``converged``, ``not_converged``,
    ``failed`` or ``skipped``.

    References
    ----------
    .. [1] Raue A et al. Bioinformatics. 2009;25(15):1923-1929. doi:10.1093/bioinformatics/btp358

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from neuroendo.app import Settings, create_app
    >>> app = create_app(Settings(data_dir=tempfile.mkdtemp()))
    >>> runner = app.state.ctx.runner
    >>> job = runner.submit("fit", check_fit_params({"free": ["V_S4"], "starts": 1}))
    >>> runner.wait(job, timeout=60)
    >>> Path(app.state.ctx.data_dir, "results", f"{job}.csv").read_text()
    'subject,status,message\n'
    >>> runner.shutdown()
    """
    import pandas as pd
    from sqlalchemy import select

    from neuroendo import __version__
    from neuroendo.app.jobs import JobCancelled, result_path
    from neuroendo.app.results import load_observations
    from neuroendo.app.store import Subject
    from neuroendo.cohort import fit_cohort
    from neuroendo.models import get

    p = check_fit_params(params)
    spec = get(p["model"])
    codes: list[str] | None = p["subjects"]
    with runner.store.read() as s:
        if codes is None:
            q = select(Subject.code).order_by(Subject.code)
            if p["query"]:
                q = q.where(Subject.code.contains(p["query"], autoescape=True))
            codes = list(s.scalars(q))
        obs = load_observations(s, codes)
        pairs = s.execute(select(Subject.code, Subject.id).where(Subject.code.in_(codes)))
        ids = {str(c): int(i) for c, i in pairs}
    data, skipped = tidy_fit_data(obs)
    for code in codes:
        if code not in ids:
            skipped[code] = "no such subject"
    # group subjects by the analytes they were measured in (at most two groups)
    measured: dict[str, tuple[str, ...]] = {}
    for subj, analyte in dict.fromkeys(zip(data["subject"], data["analyte"], strict=True)):
        measured[str(subj)] = tuple(sorted({*measured.get(str(subj), ()), str(analyte)}))
    groups: dict[tuple[str, ...], list[str]] = {}
    for subj, analytes in measured.items():
        prob = _problem(spec, p, analytes)
        n_data = int((data["subject"] == subj).sum())
        if n_data <= prob["n_estimated"]:
            skipped[str(subj)] = (
                f"{n_data} values for {prob['n_estimated']} estimated parameters; add time "
                "points or fix parameters"
            )
            continue
        groups.setdefault(tuple(analytes), []).append(str(subj))
    total = sum(len(v) for v in groups.values())
    seed = p["seed"] if p["seed"] is not None else secrets.randbelow(2**32)
    runner.report(job_id, 0.1, f"fitting {total} subjects ({p['model']})")
    done_before = 0

    def progress(done: int, n: int, outcome: Any) -> None:
        if runner.stopping:
            raise JobCancelled("cancelled: the server stopped")
        k = done_before + done
        runner.report(
            job_id,
            0.1 + 0.85 * k / max(total, 1),
            f"fitted {k} of {total} subjects (last: {outcome.subject})",
        )

    tables = []
    units: dict[str, str] = {}
    for analytes, members in groups.items():  # at most two groups, each a whole cohort fit
        if runner.stopping:
            raise JobCancelled("cancelled: the server stopped")
        prob = _problem(spec, p, analytes)
        fits = fit_cohort(
            spec,
            data,
            free=prob["free"],
            fixed=prob["fixed"],
            observables=prob["observables"],
            inputs=prob.get("inputs"),
            pre_equilibration=prob["pre_equilibration"],
            subjects=members,
            seed=seed,
            client=runner.fit_client,
            on_error="skip",
            progress=progress,
            starts=p["starts"],
            ci=p["ci"],
            time_unit="min",
        )
        done_before += len(members)
        tables.append(fits.table)
        units.update(fits.table.attrs.get("units", {}))
    if tables:
        wide, col_units = _wide(pd.concat(tables, ignore_index=True))
    else:
        wide, col_units = pd.DataFrame(columns=["status", "message"]), {}
    wide.index.name = "subject"
    if skipped:
        extra = pd.DataFrame(
            {"status": "skipped", "message": list(skipped.values())},
            index=pd.Index(list(skipped), name="subject"),
        )
        wide = extra if wide.empty else pd.concat([wide, extra])
    wide = wide.sort_index(kind="stable")
    if "n_data" in wide.columns:
        wide["n_data"] = wide["n_data"].astype("Int64")
    out = result_path(runner.data_dir, job_id)
    assert out is not None  # job ids are generated by the runner
    out.parent.mkdir(parents=True, exist_ok=True)
    header = wide.rename(columns=lambda c: f"{c} [{col_units[c]}]" if c in col_units else c)
    tmp = out.with_suffix(".tmp")
    header.to_csv(tmp)
    tmp.replace(out)
    _store_estimates(runner, job_id, tables, ids, f"{spec.name} fit", __version__)
    status = wide["status"] if len(wide) else pd.Series(dtype=str)
    counts = {k: int((status == k).sum()) for k in ("converged", "not_converged", "failed")}
    return (
        f"{len(wide)} subjects: {counts['converged']} converged, "
        f"{counts['not_converged']} not converged, {counts['failed']} failed, "
        f"{len(skipped)} skipped (model {spec.name}, seed {seed})"
    )


def _store_estimates(
    runner: JobRunner,
    job_id: str,
    tables: Sequence[pd.DataFrame],
    ids: Mapping[str, int],
    method: str,
    version: str,
) -> None:
    """One ``derived_results`` row per fitted subject and parameter (estimate, its unit)."""
    from sqlalchemy import insert

    from neuroendo.app.store import DerivedResult

    rows = []
    for t in tables:
        ok = t[(t["status"] != "failed") & t["parameter"].notna() & t["estimate"].notna()]
        for rec in ok[["subject", "parameter", "estimate", "unit"]].to_dict("records"):
            rows.append(
                {
                    "subject_id": ids.get(str(rec["subject"])),
                    "job_id": job_id,
                    "name": str(rec["parameter"]),
                    "value": float(rec["estimate"]),
                    "unit": str(rec["unit"] or "1"),
                    "method": method,
                    "package_version": version,
                }
            )
    if rows:
        with runner.store.write() as s:
            s.execute(insert(DerivedResult), rows)
