"""``fit_cohort``: fit one model to every subject of a tidy table, one Dask task per subject."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from neuroendo._core.columns import ANALYTE, SUBJECT, TIME, UNIT, VALUE
from neuroendo._core.spec import ModelSpec
from neuroendo._core.validation import check_option
from neuroendo.cohort._map import SubjectOutcome, map_subjects
from neuroendo.fit import FitResult, FitStatus, fit_subject

__all__ = ["TABLE_COLUMNS", "CohortFit", "fit_cohort"]

#: Columns of :attr:`CohortFit.table` (covariate columns such as ``group`` follow ``subject``).
TABLE_COLUMNS = (
    SUBJECT,
    "parameter",
    "estimate",
    "std_error",
    "ci_lower",
    "ci_upper",
    "unit",
    "scale",
    "identifiable",
    "status",
    "message",
    "objective",
    "log_likelihood",
    "aic",
    "bic",
    "n_data",
    "n_evals",
    "n_starts",
    "seconds",
    "warnings",
)
_STANDARD = {SUBJECT, TIME, ANALYTE, "observable", VALUE, UNIT, "loinc"}
_RESERVED = ("subject", "seed")


@dataclass(frozen=True)
class CohortFit:
    """Per-subject fits of one model to a cohort (frozen).

    Attributes
    ----------
    table : pandas.DataFrame
        Long table, one row per subject and free parameter: ``subject``, covariates (e.g.
        ``group``), ``parameter``, ``estimate``, ``std_error``, ``ci_lower``, ``ci_upper``
        (linear scale, in ``unit``), ``scale``, ``identifiable``, ``status`` (``converged``,
        ``not_converged`` or ``failed``), ``message``, ``objective`` (negative
        log-likelihood), ``log_likelihood``, ``aic``, ``bic``, ``n_data``, ``n_evals``,
        ``n_starts``, ``seconds`` (wall time of the fit) and ``warnings``. A failed subject has
        NaN estimates. ``table.attrs`` records model, seed, ci method, confidence and version.
    results : mapping
        ``{subject: FitResult}`` when ``keep_results=True`` (else empty).
    model : str
        Model name.
    seed : int
        Root seed of the per-subject streams (repeat the run with it).
    """

    table: Any
    results: Mapping[str, FitResult] = field(default_factory=dict)
    model: str = ""
    seed: int = 0

    @property
    def subjects(self) -> Any:
        """One row per subject: covariates, status, message and fit statistics.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``subject``.
        """
        per = [c for c in self.table.columns if c not in _PER_PARAMETER]
        return self.table[per].drop_duplicates(SUBJECT).set_index(SUBJECT)

    @property
    def status(self) -> Any:
        """Status of each subject (``converged``, ``not_converged``, ``failed``).

        Returns
        -------
        pandas.Series
        """
        return self.subjects["status"]

    @property
    def n_failed(self) -> int:
        """Number of subjects whose fit failed."""
        return int((self.status == str(FitStatus.FAILED)).sum())

    def estimates(self) -> Any:
        """Estimates as a wide table: one row per subject, one column per parameter.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``subject``; failed subjects hold NaN; ``attrs["units"]`` per parameter.
        """
        t = self.table[self.table["parameter"].notna()]
        wide = t.pivot(index=SUBJECT, columns="parameter", values="estimate")
        wide = wide.reindex(
            index=list(self.subjects.index), columns=list(dict.fromkeys(t["parameter"]))
        )
        wide.columns.name = None
        wide.attrs["units"] = dict(self.table.attrs.get("units", {}))
        return wide

    def to_parquet(self, path: str | Path) -> Path:
        """Write :attr:`table` (with its ``attrs``) as Parquet.

        Parameters
        ----------
        path : str or Path
            Output file (``.parquet``).

        Returns
        -------
        Path
            The file written; read it back with ``pandas.read_parquet``.
        """
        p = Path(path)
        self.table.to_parquet(p, index=False)
        return p


_PER_PARAMETER = {
    "parameter",
    "estimate",
    "std_error",
    "ci_lower",
    "ci_upper",
    "unit",
    "scale",
    "identifiable",
}


def _fit_task(
    part: Any, rng: Any, *, model: Any, keep: bool, fit_kwargs: Mapping[str, Any]
) -> dict[str, Any]:
    """Worker side: fit one subject; return a compact record (and the FitResult if asked)."""
    subject = str(part[SUBJECT].iloc[0])
    res = fit_subject(model, part, subject=subject, seed=rng, **fit_kwargs)
    return {
        "model": res.model,
        "parameters": res.parameters,
        "estimate": res.estimates,
        "std_error": res.std_errors,
        "ci_lower": res.ci_lower,
        "ci_upper": res.ci_upper,
        "unit": res.units,
        "scale": res.scales,
        "identifiable": res.identifiable,
        "status": str(res.status),
        "message": res.message,
        "objective": res.objective,
        "log_likelihood": res.log_likelihood,
        "aic": res.aic,
        "bic": res.bic,
        "n_data": res.n_data,
        "n_evals": res.n_evals,
        "n_starts": res.n_starts,
        "ci_method": res.ci_method,
        "confidence": res.confidence,
        "noise": res.noise,
        "version": res.version,
        "result": res if keep else None,
    }


def _covariates(data: Any, covariates: Sequence[str] | None) -> list[str]:
    """Columns constant within each subject (``group``, ``sex`` ...), or the ones named."""
    if covariates is not None:
        missing = [c for c in covariates if c not in data.columns]
        if missing:
            raise ValueError(
                f"'covariates' names column(s) {missing} not in 'data' (columns: "
                f"{', '.join(map(str, data.columns))})."
            )
        return list(covariates)
    extra = [c for c in data.columns if c not in _STANDARD and c not in TABLE_COLUMNS]
    if not extra:
        return []
    n_unique = data.groupby(data[SUBJECT].astype(str))[extra].nunique(dropna=False).max()
    return [c for c in extra if int(n_unique[c]) <= 1]


def _table(
    outcomes: Sequence[SubjectOutcome], cov: Any, covariates: Sequence[str]
) -> tuple[Any, dict[str, Any]]:
    """Assemble the long result table from per-subject outcomes."""
    import pandas as pd

    ok = [o for o in outcomes if o.ok]
    params: tuple[str, ...] = ok[0].value["parameters"] if ok else ()
    frames = []
    for o in outcomes:  # assembling rows of finished fits, not a computation
        base: dict[str, Any] = {SUBJECT: o.subject}
        for c in covariates:
            base[c] = cov.loc[o.subject, c]
        if o.ok:
            v = o.value
            k = len(v["parameters"])
            per = {n: list(v[n]) for n in _PER_PARAMETER if n != "parameter"}
            rows = {"parameter": list(v["parameters"]), **per}
            subj = {
                n: v[n]
                for n in (
                    "status",
                    "message",
                    "objective",
                    "log_likelihood",
                    "aic",
                    "bic",
                    "n_data",
                    "n_evals",
                    "n_starts",
                )
            }
        else:
            k = max(len(params), 1)
            nan = [np.nan] * k
            rows = {
                "parameter": list(params) if params else [None],
                "estimate": nan,
                "std_error": nan,
                "ci_lower": nan,
                "ci_upper": nan,
                "unit": list(ok[0].value["unit"]) if ok else [None],
                "scale": list(ok[0].value["scale"]) if ok else [None],
                "identifiable": [False] * k,
            }
            subj = {
                "status": str(FitStatus.FAILED),
                "message": o.message,
                "objective": np.nan,
                "log_likelihood": np.nan,
                "aic": np.nan,
                "bic": np.nan,
                "n_data": 0,
                "n_evals": 0,
                "n_starts": 0,
            }
        frame = pd.DataFrame(rows)
        for name, val in {**base, **subj}.items():
            frame[name] = [val] * k
        frame["seconds"] = o.seconds
        frame["warnings"] = "\n".join(o.warnings)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    order = [SUBJECT, *covariates, *(c for c in TABLE_COLUMNS if c != SUBJECT)]
    table = table[order]
    table["identifiable"] = table["identifiable"].astype(bool)
    for c in ("n_data", "n_evals", "n_starts"):
        table[c] = table[c].astype(np.int64)
    info = {}
    if ok:
        v0 = ok[0].value
        info = {k2: v0[k2] for k2 in ("model", "ci_method", "confidence", "noise", "version")}
        info["units"] = dict(zip(v0["parameters"], v0["unit"], strict=True))
    return table, info


def fit_cohort(
    model: ModelSpec | str,
    data: Any,
    *,
    free: Sequence[str] | Mapping[str, Any],
    subjects: Sequence[str] | None = None,
    seed: int | None = None,
    client: Any = None,
    n_workers: int | None = None,
    processes: bool = True,
    on_error: str = "raise",
    covariates: Sequence[str] | None = None,
    keep_results: bool = False,
    max_in_flight: int | None = None,
    retries: int = 0,
    progress: Callable[[int, int, SubjectOutcome], None] | None = None,
    **fit_kwargs: Any,
) -> CohortFit:
    r"""Fit a model to every subject of a cohort: one Dask task per subject.

    Each subject is fitted by :func:`neuroendo.fit.fit_subject` (multistart maximum
    likelihood, confidence intervals) with its own random stream, on a local Dask cluster or a
    remote scheduler, and the fits are collected into one long table.

    Parameters
    ----------
    model : ModelSpec or str
        The model (``"sriram2012"`` or a spec).
    data : pandas.DataFrame
        Tidy table ``subject, time, analyte, value, unit`` (time unit in
        ``data.attrs["units"]["time"]`` or ``time_unit=``), e.g. from
        :func:`neuroendo.io.hpa_data.read_nelson_tsst`.
    free : sequence of str or mapping
        Free parameters and bounds, as in :func:`~neuroendo.fit.fit_subject`.
    subjects : sequence of str, optional
        Subjects to fit (default: all). A subject's result does not depend on which others
        are fitted.
    seed : int, optional
        Root seed; subject *i* in sorted label order gets stream *i* of
        ``SeedSequence(seed).spawn(n)``. ``None`` draws one (stored in :attr:`CohortFit.seed`).
    client : distributed.Client, str or None
        ``None``: a :class:`distributed.LocalCluster` started for the call and closed after it;
        ``"tcp://host:8786"``: a running scheduler (neuroendo must be installed on its
        workers); a ``Client``: used as is; ``"synchronous"``: in this process, without Dask.
    n_workers : int, optional
        Local cluster size (default: the number of cores).
    processes : bool, default True
        Local cluster of processes (parallel fits) or of threads (fits run one at a time).
    on_error : {"raise", "skip"}, default "raise"
        With ``"skip"`` a subject whose fit raises a :class:`~neuroendo.NeuroendoError` (bad
        data, no start simulates) or whose worker keeps dying becomes rows with
        ``status="failed"``, the ``message`` and NaN values; finished subjects are always
        kept. Other exceptions are bugs and raise.
    covariates : sequence of str, optional
        Per-subject columns of ``data`` copied to the table (default: every non-standard column
        that is constant within each subject, e.g. ``group``).
    keep_results : bool, default False
        Also return each subject's full :class:`~neuroendo.fit.FitResult` (with data and
        trajectories) in :attr:`CohortFit.results`; off by default to bound memory.
    max_in_flight : int, optional
        Tasks submitted at a time (default: twice the worker threads).
    retries : int, default 0
        Dask retries of a task that raised.
    progress : callable, optional
        ``progress(done, total, outcome)`` after each subject (e.g. to drive a progress bar).
    **fit_kwargs
        Passed to :func:`~neuroendo.fit.fit_subject`: ``fixed``, ``priors``, ``noise``,
        ``observables``, ``inputs``, ``y0``, ``pre_equilibration``, ``starts``, ``ci``,
        ``confidence``, ``time_unit``, ``backend``, ``rtol``, ``atol``, ``max_iter``.

    Returns
    -------
    CohortFit
        ``.table`` (long: subject x parameter, with estimates, standard errors, confidence
        bounds in the parameters' units, status and fit statistics), ``.estimates()`` (wide),
        ``.subjects``, ``.to_parquet(path)``.

    Raises
    ------
    DataValidationError
        No ``subject`` column, unknown ``subjects``; with ``on_error="raise"`` any subject's
        data error.
    FitError
        With ``on_error="raise"``: a subject's fit failed, or its worker kept dying.
    ValueError
        Bad options (also those of :func:`~neuroendo.fit.fit_subject`).

    Notes
    -----
    Each subject's fit minimises its own negative log-likelihood (log-normal noise)

    .. math:: -\ln L_j(\theta_j) = \sum_i \left[\ln(\sqrt{2\pi}\,\sigma y_{ij})
              + \frac{(\ln y_{ij} - \ln \hat y_{ij}(\theta_j))^2}{2\sigma^2}\right],

    independently of the other subjects, so the cohort result equals the per-subject fits
    whatever the number of workers or their order.

    References
    ----------
    .. [1] Rocklin M. Dask: parallel computation with blocked algorithms and task scheduling.
       Proc. 14th Python in Science Conf. 2015:126-132. doi:10.25080/Majora-7b98e3ed-013
    .. [2] Raue A et al. Bioinformatics. 2009;25(15):1923-1929. doi:10.1093/bioinformatics/btp358

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> t = np.array([0.0, 1.0, 2.0, 4.0, 8.0, 12.0])
    >>> df = pd.concat([pd.DataFrame({"subject": s, "time": t, "analyte": "cortisol",
    ...                               "unit": "1", "group": g,
    ...                               "value": 0.05 + a * np.exp(-0.3 * t)})
    ...                 for s, g, a in [("s1", "ctl", 0.2), ("s2", "mdd", 0.3)]])
    >>> df.attrs["units"] = {"time": "1"}
    >>> fits = fit_cohort("gupta2007", df, free={"kad": (1.0, 100.0)},
    ...                   fixed={"sigma_cortisol": 0.05}, y0={"cortisol": 0.25},
    ...                   starts=2, ci="wald", seed=1, client="synchronous")
    >>> fits.table[["subject", "group", "parameter", "status"]]
      subject group parameter     status
    0      s1   ctl       kad  converged
    1      s2   mdd       kad  converged
    """
    import pandas as pd

    check_option("on_error", on_error, ("raise", "skip"))
    for name in _RESERVED:
        if name in fit_kwargs:
            raise ValueError(
                f"fit_cohort sets {name!r} per subject; use subjects=[...] to choose subjects "
                "and seed= for the root seed."
            )
    if "ci" in fit_kwargs:
        check_option("ci", fit_kwargs["ci"], ("profile", "wald", "none"))
    has_subjects = hasattr(data, "columns") and SUBJECT in data.columns
    cov_names = _covariates(data, covariates) if has_subjects else []
    fk = {"free": free, **fit_kwargs}
    root, outcomes = map_subjects(
        _fit_task,
        data,
        subjects=subjects,
        seed=seed,
        client=client,
        n_workers=n_workers,
        processes=processes,
        on_error=on_error,
        retries=retries,
        max_in_flight=max_in_flight,
        progress=progress,
        model=model,
        keep=keep_results,
        fit_kwargs=fk,
    )
    cov = (
        data.assign(**{SUBJECT: data[SUBJECT].astype(str)})
        .drop_duplicates(SUBJECT)
        .set_index(SUBJECT)[cov_names]
        if cov_names
        else pd.DataFrame()
    )
    table, info = _table(outcomes, cov, cov_names)
    name = info.get("model") or (model if isinstance(model, str) else model.name)
    table.attrs = {
        "model": name,
        "seed": root,
        "ci_method": info.get("ci_method", fit_kwargs.get("ci", "profile")),
        "confidence": info.get("confidence", fit_kwargs.get("confidence", 0.95)),
        "noise": info.get("noise", fit_kwargs.get("noise", "lognormal")),
        "version": info.get("version", ""),
        "units": info.get("units", {}),
        "covariates": list(cov_names),
    }
    results = {o.subject: o.value["result"] for o in outcomes if o.ok and keep_results}
    return CohortFit(table=table, results=results, model=str(name), seed=root)
