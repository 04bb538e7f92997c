"""Population view of a cohort fit: parameter summaries by group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from neuroendo._core.columns import SUBJECT
from neuroendo._core.errors import DataValidationError
from neuroendo._core.validation import did_you_mean

__all__ = ["summarize"]

_NEEDED = (SUBJECT, "parameter", "estimate", "status")


def summarize(
    table: Any,
    by: str | Sequence[str] | None = "group",
    *,
    parameters: Sequence[str] | None = None,
    statuses: Sequence[str] = ("converged", "not_converged"),
) -> Any:
    r"""Summarise fitted parameters by group (e.g. MDD subtypes vs controls).

    Parameters
    ----------
    table : pandas.DataFrame or CohortFit
        The long table of :func:`fit_cohort` (or its Parquet file read with
        ``pandas.read_parquet``).
    by : str, sequence of str or None, default "group"
        Covariate column(s) to group by; ``None`` summarises the whole cohort.
    parameters : sequence of str, optional
        Parameters to summarise (default: all).
    statuses : sequence of str, default ("converged", "not_converged")
        Fit statuses whose estimates are used; failed subjects are counted in ``n_failed``.

    Returns
    -------
    pandas.DataFrame
        Index ``(*by, parameter)``; columns ``n`` (subjects used), ``n_failed``, ``median``,
        ``q25``, ``q75``, ``geo_mean`` (geometric mean, for positive estimates), ``mean``,
        ``sd`` and ``unit`` (the parameter's unit). Estimates are on the linear scale.

    Raises
    ------
    DataValidationError
        The table lacks the columns of a cohort fit or the ``by`` column(s).

    Notes
    -----
    The geometric mean suits parameters fitted on log10 scale:

    .. math:: \bar\theta_g = 10^{\frac{1}{n}\sum_j \log_{10}\theta_j}

    References
    ----------
    .. [1] Kirkwood TBL. Geometric means and measures of dispersion. Biometrics.
       1979;35(4):908-909.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"subject": ["a", "b", "c"], "group": ["x", "x", "y"],
    ...                   "parameter": "k", "estimate": [1.0, 4.0, 3.0], "unit": "1/h",
    ...                   "status": "converged"})
    >>> summarize(t)[["n", "median", "geo_mean"]]
                     n  median  geo_mean
    group parameter
    x     k          2     2.5       2.0
    y     k          1     3.0       3.0
    """
    import pandas as pd

    t = getattr(table, "table", table)
    missing = [c for c in _NEEDED if c not in t.columns]
    if missing:
        raise DataValidationError(
            f"'table' lacks column(s) {missing}: pass the table of fit_cohort (or its Parquet "
            "file read with pandas.read_parquet)."
        )
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    for k in keys:
        if k not in t.columns:
            cols = [c for c in t.columns if c not in _NEEDED]
            raise DataValidationError(
                f"'by' column {k!r} is not in the table (columns: {', '.join(map(str, cols))}); "
                "pass covariates=[...] to fit_cohort or by=None." + did_you_mean(k, cols)
            )
    t = t[t["parameter"].notna()]
    if parameters is not None:
        unknown = sorted(set(parameters) - set(t["parameter"]))
        if unknown:
            raise DataValidationError(
                f"'parameters' names {unknown}, not in the table (parameters: "
                f"{', '.join(dict.fromkeys(t['parameter']))})."
            )
        t = t[t["parameter"].isin(list(parameters))]
    grp = [*keys, "parameter"]
    used = t[t["status"].isin(list(statuses))].copy()
    est = used["estimate"].astype(np.float64)
    used["_log"] = np.log10(est.where(est > 0))
    g = used.groupby(grp, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "n": g["estimate"].count(),
            "median": g["estimate"].median(),
            "q25": g["estimate"].quantile(0.25),
            "q75": g["estimate"].quantile(0.75),
            "geo_mean": 10.0 ** g["_log"].mean(),
            "mean": g["estimate"].mean(),
            "sd": g["estimate"].std(),
        }
    )
    failed = (t["status"] == "failed").groupby([t[c] for c in grp], observed=True).sum()
    out["n_failed"] = failed.reindex(out.index, fill_value=0).astype(np.int64)
    if "unit" in t.columns:
        units = t.dropna(subset=["unit"]).drop_duplicates("parameter").set_index("parameter")
        out["unit"] = [units["unit"].get(p, "") for p in out.index.get_level_values("parameter")]
    out["n"] = out["n"].astype(np.int64)
    cols = ["n", "n_failed", "median", "q25", "q75", "geo_mean", "mean", "sd"]
    return out[[*cols, *(["unit"] if "unit" in out.columns else [])]]
