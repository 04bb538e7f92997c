"""The result of a personal model fit: :class:`FitResult` and :class:`Profile`."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["FitResult", "FitStatus", "Profile"]


class FitStatus(enum.StrEnum):
    """Outcome of one fit: converged, stopped before converging, or failed."""

    CONVERGED = "converged"
    NOT_CONVERGED = "not_converged"
    FAILED = "failed"


@dataclass(frozen=True)
class Profile:
    """Profile likelihood of one parameter.

    Parameters
    ----------
    parameter : str
        Parameter name.
    values : ndarray
        Parameter values (linear scale, sorted) at which the other parameters were re-optimised.
    delta_objective : ndarray
        Rise of the objective (negative log-likelihood) above its minimum at ``values``.
    threshold : float
        Rise that bounds the confidence interval (half the chi-square quantile).
    open_lower, open_upper : bool
        Whether the profile stayed below the threshold up to the bound on that side.
    """

    parameter: str
    values: NDArray[np.float64]
    delta_objective: NDArray[np.float64]
    threshold: float
    open_lower: bool
    open_upper: bool

    @property
    def identifiable(self) -> bool:
        """Whether the confidence interval is closed on both sides."""
        return not (self.open_lower or self.open_upper)


@dataclass(frozen=True)
class FitResult:
    """Estimated parameters of one subject, with uncertainty and fit diagnostics (frozen).

    Attributes
    ----------
    model : str
        Model name.
    subject : str or None
        Subject label from the data.
    parameters : tuple of str
        Free parameter names, in order.
    estimates, std_errors, ci_lower, ci_upper : ndarray, shape (n_free,)
        Estimates, standard errors (delta method on the parameter scale) and confidence bounds,
        all on the linear scale in ``units``.
    units : tuple of str
        UCUM unit of each parameter.
    scales : tuple of str
        ``"log10"`` or ``"lin"``: the scale each parameter was optimised on.
    bounds : ndarray, shape (n_free, 2)
        Lower and upper bounds (linear).
    ci_method : str
        ``"profile"``, ``"wald"`` or ``"none"``.
    confidence : float
        Confidence level of the intervals.
    identifiable : ndarray of bool
        Whether each parameter is (practically) identifiable.
    objective : float
        Negative log-likelihood (plus prior penalties) at the optimum.
    log_likelihood, aic, bic : float
        Log-likelihood of the data and information criteria (``k`` = number of free parameters).
    n_data : int
        Number of data points.
    residuals : ndarray, shape (n_data,)
        Residuals in noise units (``(ln y - ln y_hat)/sigma`` for log-normal noise).
    data : pandas.DataFrame
        The data used, with ``predicted`` and ``residual`` columns (data units).
    trajectory : pandas.DataFrame
        Predicted observables on a fine grid: ``time`` (data time unit), ``analyte``,
        ``value``, ``unit``.
    status : FitStatus
        ``converged``, ``not_converged`` or ``failed``.
    message : str
        Optimiser message.
    n_evals : int
        Number of model simulations (parameter sets) used, including Jacobian columns.
    n_starts : int
        Number of starts.
    start_objectives : ndarray, shape (n_starts,)
        Final objective of each start, sorted.
    profiles : mapping
        ``{parameter: Profile}`` when ``ci_method == "profile"``.
    fixed : mapping
        Values of the fixed parameters that differ from nominal or are not model parameters.
    noise : str
        ``"lognormal"`` or ``"normal"``.
    version : str
        neuroendo version that produced the fit.
    """

    model: str
    subject: str | None
    parameters: tuple[str, ...]
    estimates: NDArray[np.float64]
    std_errors: NDArray[np.float64]
    ci_lower: NDArray[np.float64]
    ci_upper: NDArray[np.float64]
    units: tuple[str, ...]
    scales: tuple[str, ...]
    bounds: NDArray[np.float64]
    ci_method: str
    confidence: float
    identifiable: NDArray[np.bool_]
    objective: float
    log_likelihood: float
    aic: float
    bic: float
    n_data: int
    residuals: NDArray[np.float64]
    data: Any
    trajectory: Any
    status: FitStatus
    message: str
    n_evals: int
    n_starts: int
    start_objectives: NDArray[np.float64]
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    fixed: Mapping[str, float] = field(default_factory=dict)
    noise: str = "lognormal"
    version: str = ""

    @property
    def converged(self) -> bool:
        """Whether the optimiser met its convergence criterion."""
        return self.status is FitStatus.CONVERGED

    @property
    def n_free(self) -> int:
        """Number of free parameters."""
        return len(self.parameters)

    def __getitem__(self, name: str) -> float:
        """Estimate of parameter ``name`` (linear scale)."""
        try:
            return float(self.estimates[self.parameters.index(name)])
        except ValueError:
            raise KeyError(
                f"{name!r} is not a free parameter of this fit; free parameters are "
                f"{', '.join(self.parameters)}."
            ) from None

    @property
    def params(self) -> dict[str, float]:
        """``{name: estimate}`` (linear scale)."""
        return {n: float(v) for n, v in zip(self.parameters, self.estimates, strict=True)}

    def to_frame(self) -> Any:
        """Estimates table: one row per free parameter.

        Returns
        -------
        pandas.DataFrame
            Index ``parameter``; columns ``estimate``, ``std_error``, ``ci_lower``,
            ``ci_upper``, ``unit``, ``scale``, ``lower_bound``, ``upper_bound``,
            ``identifiable``.
        """
        import pandas as pd

        df = pd.DataFrame(
            {
                "estimate": self.estimates,
                "std_error": self.std_errors,
                "ci_lower": self.ci_lower,
                "ci_upper": self.ci_upper,
                "unit": list(self.units),
                "scale": list(self.scales),
                "lower_bound": self.bounds[:, 0],
                "upper_bound": self.bounds[:, 1],
                "identifiable": self.identifiable,
            },
            index=pd.Index(list(self.parameters), name="parameter"),
        )
        df.attrs["units"] = dict(zip(self.parameters, self.units, strict=True))
        return df

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (estimates, intervals, fit statistics, provenance).

        Returns
        -------
        dict
        """

        def num(v: Any) -> Any:
            v = float(v)
            return v if math.isfinite(v) else None

        return {
            "model": self.model,
            "subject": self.subject,
            "status": str(self.status),
            "message": self.message,
            "noise": self.noise,
            "objective": num(self.objective),
            "log_likelihood": num(self.log_likelihood),
            "aic": num(self.aic),
            "bic": num(self.bic),
            "n_data": self.n_data,
            "n_evals": self.n_evals,
            "n_starts": self.n_starts,
            "ci_method": self.ci_method,
            "confidence": self.confidence,
            "parameters": [
                {
                    "name": n,
                    "estimate": num(self.estimates[i]),
                    "std_error": num(self.std_errors[i]),
                    "ci_lower": num(self.ci_lower[i]),
                    "ci_upper": num(self.ci_upper[i]),
                    "unit": self.units[i],
                    "scale": self.scales[i],
                    "identifiable": bool(self.identifiable[i]),
                }
                for i, n in enumerate(self.parameters)
            ],
            "fixed": {k: num(v) for k, v in self.fixed.items()},
            "version": self.version,
        }

    def __str__(self) -> str:
        lines = [
            f"FitResult(model={self.model!r}, subject={self.subject!r}, status={self.status}, "
            f"objective={self.objective:.4g}, AIC={self.aic:.4g}, n_evals={self.n_evals})"
        ]
        pct = f"{100 * self.confidence:g}%"
        for i, n in enumerate(self.parameters):
            flag = "" if self.identifiable[i] else "  (not identifiable)"
            lines.append(
                f"  {n:>14s} = {self.estimates[i]:.4g} {self.units[i]}  {pct} CI "
                f"[{self.ci_lower[i]:.4g}, {self.ci_upper[i]:.4g}]{flag}"
            )
        return "\n".join(lines)
