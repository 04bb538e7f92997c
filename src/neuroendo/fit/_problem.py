r"""The estimation problem: data, measurement model, noise model, free parameters.

:class:`Problem` turns a batch of points in the optimiser's (transformed) parameter space into a
batch of residual vectors whose half squared norm is the negative log-likelihood (plus priors) up
to a constant, so any least-squares method minimises the likelihood:

* data residuals :math:`r_i = (\\ln y_i - \\ln \\hat y_i)/\\sigma` (log-normal noise) or
  :math:`(y_i - \\hat y_i)/\\sigma` (normal noise), with :math:`\\hat y = s\\,x(t)` (a state times a
  scale factor);
* for each estimated noise sigma shared by :math:`n_k` points, one extra residual
  :math:`e_k = \\sqrt{2 n_k (\\ln\\sigma_k - \\ln\\sigma_{k,\\min} + 1)}`, so that
  :math:`e_k^2/2 = n_k \\ln \\sigma_k + \\text{const}` (the sigma term of the Gaussian likelihood;
  the argument stays positive inside the bounds);
* for each prior, :math:`(g(\\theta) - \\mu)/s`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.columns import ANALYTE, SUBJECT, TIME, UNIT, VALUE
from neuroendo._core.errors import (
    DataQualityWarning,
    DataValidationError,
    UnitError,
    warn,
)
from neuroendo._core.spec import ModelSpec
from neuroendo._core.units import conversion_factor, normalize_unit
from neuroendo._core.validation import check_option, did_you_mean
from neuroendo.fit._simulator import BatchSimulator
from neuroendo.models.inputs import Schedule, as_schedule

__all__ = ["Observation", "Problem", "ScaledInput", "SubjectData", "prepare_data"]

_LOG2PI = math.log(2.0 * math.pi)
#: Residual given to every data point of a parameter set whose simulation failed.
FAILED_RESIDUAL = 1e3
#: Default bounds of parameters that are not model parameters (linear scale).
DEFAULT_SCALE_BOUNDS = (1e-4, 1e4)
DEFAULT_LOG_SIGMA_BOUNDS = (1e-3, 10.0)
DEFAULT_AMPLITUDE_BOUNDS = (1e-3, 1e3)


@dataclass(frozen=True, slots=True)
class Observation:
    """How a measured analyte is computed from the model: ``value = scale * state``.

    Parameters
    ----------
    state : str
        Model state read by the measurement.
    scale : float or str, default 1.0
        Scale factor from the state's unit to the measured unit (a number), or the name of a
        parameter that is estimated or given in ``fixed`` (e.g. ``"scale_cort"``; use separate
        names for saliva and plasma cortisol, whose ratio differs).
    sigma : float or str, optional
        Noise standard deviation (in log units for log-normal noise, in the data unit for
        normal noise), or a parameter name; ``None`` means ``"sigma_<analyte>"``.
    unit : str, optional
        UCUM unit of ``scale * state``; data in another unit of the same analyte are
        converted. ``None`` takes the data's unit.

    Examples
    --------
    >>> Observation("cortisol", scale="scale_cort").sigma is None
    True
    """

    state: str
    scale: float | str = 1.0
    sigma: float | str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ScaledInput:
    """An input schedule multiplied by a (free or fixed) amplitude parameter.

    Parameters
    ----------
    schedule : Schedule
        Time course of the input (from :mod:`neuroendo.models.inputs`), e.g. a TSST window.
    amplitude : str
        Parameter name of the amplitude (estimate it with ``free=`` or give it in ``fixed=``).

    Examples
    --------
    >>> from neuroendo.models import inputs
    >>> ScaledInput(inputs.step(0.5, 0.75), "A").amplitude
    'A'
    """

    schedule: Schedule
    amplitude: str


@dataclass(frozen=True)
class SubjectData:
    """One subject's measurements in model units, grouped by analyte."""

    subject: str | None
    analytes: tuple[str, ...]
    times: dict[str, NDArray[np.float64]]  # model time unit
    values: dict[str, NDArray[np.float64]]  # observation unit
    units: dict[str, str]
    data_time_unit: str
    table: Any  # the tidy rows used (pandas DataFrame), in data units


def _column(df: Any, names: Sequence[str]) -> str | None:
    for n in names:
        if n in df.columns:
            return n
    return None


def prepare_data(
    data: Any,
    spec: ModelSpec,
    observations: Mapping[str, Observation],
    *,
    subject: str | None,
    time_unit: str | None,
    noise: str,
) -> SubjectData:
    """Validate a tidy table and convert one subject's data to model units."""
    import pandas as pd

    from neuroendo._core.units import convert

    if not isinstance(data, pd.DataFrame):
        raise DataValidationError(
            f"'data' must be a pandas DataFrame in the tidy layout (subject, time, analyte, "
            f"value, unit), got {type(data).__name__}."
        )
    df = data.copy()
    df.attrs = dict(data.attrs)
    acol = _column(df, (ANALYTE, "observable"))
    missing = [c for c in (TIME, VALUE) if c not in df.columns]
    if acol is None:
        missing.append(ANALYTE)
    if missing:
        raise DataValidationError(
            f"'data' lacks the column(s) {missing}; the tidy layout has columns subject, time, "
            f"analyte (or observable), value, unit. Got {list(df.columns)}."
        )
    if UNIT not in df.columns:
        raise UnitError(
            "'data' has no 'unit' column: every value needs its unit (e.g. 'pg/mL', 'ug/dL'); "
            "add a unit column."
        )
    if acol != ANALYTE:
        df = df.rename(columns={acol: ANALYTE})
    if SUBJECT in df.columns:
        subjects = pd.unique(df[SUBJECT])
        if subject is None:
            if len(subjects) > 1:
                shown = ", ".join(str(s) for s in subjects[:5])
                raise DataValidationError(
                    f"'data' holds {len(subjects)} subjects ({shown}, ...); pass subject=... "
                    "to fit one of them."
                )
            subject = None if len(subjects) == 0 else str(subjects[0])
        else:
            if subject not in set(map(str, subjects)):
                raise DataValidationError(
                    f"subject {subject!r} is not in 'data'."
                    + did_you_mean(str(subject), [str(s) for s in subjects])
                )
            df = df[df[SUBJECT].astype(str) == str(subject)]
    if df.empty:
        raise DataValidationError("'data' has no rows for this subject.")
    units_attr = dict(df.attrs.get("units", {}))
    tu = time_unit or units_attr.get(TIME)
    if tu is None:
        raise UnitError(
            "The unit of 'time' is missing: pass time_unit='min' (or 'h') or set "
            "data.attrs['units']['time']."
        )
    tu = normalize_unit(str(tu))
    try:
        t_factor = conversion_factor(tu, spec.time_unit)
    except UnitError:
        raise UnitError(
            f"Data times are in {tu!r}, which cannot be converted to the time unit of model "
            f"{spec.name!r}, {spec.time_unit!r}."
        ) from None

    unit_missing = df[UNIT].isna() | (df[UNIT].astype(str).str.strip() == "")
    if unit_missing.any():
        rows = [int(i) for i in np.flatnonzero(unit_missing.to_numpy())[:5]]
        raise UnitError(
            f"'data' has values without a unit at row position(s) {rows}; fill the 'unit' "
            "column (UCUM, e.g. 'pg/mL')."
        )
    df = df[df[ANALYTE].isin(list(observations))]
    unknown = sorted(set(map(str, data[acol].unique())) - set(observations))
    if df.empty:
        raise DataValidationError(
            f"No data for the observables {sorted(observations)}; the table has analytes "
            f"{unknown}. Map them with observables={{...}}."
        )
    try:
        times_raw = df[TIME].to_numpy(dtype=np.float64)
        values_raw = df[VALUE].to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataValidationError(f"'time' and 'value' must be numeric: {exc}.") from None
    keep = np.isfinite(values_raw)
    if not np.isfinite(times_raw).all():
        raise DataValidationError("'time' contains NaN or infinite values; remove those rows.")
    if not keep.all():
        warn(f"Dropped {int((~keep).sum())} row(s) with a missing value.", DataQualityWarning)
        df = df[keep]
        times_raw, values_raw = times_raw[keep], values_raw[keep]
    if (times_raw < 0).any():
        raise DataValidationError(
            f"'time' must be >= 0 (model time starts at the first sample); got "
            f"{times_raw.min():g} {tu}. Shift the times so the protocol starts at 0."
        )
    if noise == "lognormal" and (values_raw <= 0).any():
        bad = values_raw[values_raw <= 0][:3]
        raise DataValidationError(
            f"Log-normal noise needs positive values; got {', '.join(f'{b:g}' for b in bad)}. "
            "Use noise='normal' or remove values at or below the detection limit."
        )

    times: dict[str, NDArray[np.float64]] = {}
    values: dict[str, NDArray[np.float64]] = {}
    units: dict[str, str] = {}
    analytes = [a for a in observations if a in set(df[ANALYTE])]
    warned_sort = False
    for a in analytes:
        sel = (df[ANALYTE] == a).to_numpy()
        t_a = times_raw[sel]
        v_a = values_raw[sel]
        u_a = [normalize_unit(str(u)) for u in df[UNIT].to_numpy()[sel]]
        target = observations[a].unit
        target = normalize_unit(target) if target is not None else u_a[0]
        conv = np.empty_like(v_a)
        for u in set(u_a):
            m = np.array([x == u for x in u_a])
            try:
                conv[m] = convert(v_a[m], u, target, analyte=_analyte_key(a))
            except UnitError as exc:
                raise UnitError(f"Analyte {a!r}: {exc}") from None
        ts = np.sort(t_a)
        dup = np.flatnonzero(np.diff(ts) == 0)
        if dup.size:
            raise DataValidationError(
                f"Analyte {a!r} has two values at time {ts[dup[0]]:g} {tu}"
                f"{'' if subject is None else f' for subject {subject!r}'}; average or drop "
                "duplicates first."
            )
        if np.any(np.diff(t_a) < 0):
            if not warned_sort:
                warn(
                    f"'data' rows are not sorted by time (analyte {a!r}); they were sorted. "
                    "Sort the table by subject, analyte and time to silence this warning.",
                    DataQualityWarning,
                )
                warned_sort = True
            order = np.argsort(t_a, kind="stable")
            t_a, conv = t_a[order], conv[order]
        times[a] = t_a * t_factor
        values[a] = conv
        units[a] = target
    return SubjectData(
        subject=subject,
        analytes=tuple(analytes),
        times=times,
        values=values,
        units=units,
        data_time_unit=tu,
        table=df,
    )


def _analyte_key(name: str) -> str | None:
    from neuroendo._core import analytes

    return name if name in analytes.available() else None


@dataclass
class _Source:
    """Where a value comes from: a free parameter column or a fixed number."""

    col: int | None
    value: float = math.nan


@dataclass
class Problem:
    """A compiled estimation problem (internal; built by :func:`neuroendo.fit.fit_subject`)."""

    spec: ModelSpec
    data: SubjectData
    observations: dict[str, Observation]
    names: tuple[str, ...]
    lower: NDArray[np.float64]  # linear bounds
    upper: NDArray[np.float64]
    log: NDArray[np.bool_]
    units: tuple[str, ...]
    noise: str
    fixed: dict[str, float]
    priors: dict[str, tuple[str, float, float]]
    simulator: BatchSimulator
    y0: NDArray[np.float64]
    pre_equilibration: float | None
    pre_equilibration_params: str
    scaled_inputs: dict[str, ScaledInput]
    n_evals: int = 0
    _cache: dict[bytes, NDArray[np.float64]] = field(default_factory=dict)

    # --- set-up ---------------------------------------------------------------------------
    def __post_init__(self) -> None:
        spec = self.spec
        col = {n: k for k, n in enumerate(self.names)}
        self._model_rows = [j for j, n in enumerate(spec.param_names) if n in col]
        self._model_cols = [col[spec.param_names[j]] for j in self._model_rows]
        base = np.array([self.fixed.get(p.name, p.value) for p in spec.params], dtype=np.float64)
        self._base = base
        self._amp = {k: self._source(s.amplitude, col) for k, s in self.scaled_inputs.items()}
        self._scale = {a: self._source(o.scale, col) for a, o in self.observations.items()}
        self._sigma = {a: self._source(o.sigma, col) for a, o in self.observations.items()}
        # model-parameter rows that the pre-equilibration depends on (all of them)
        t_all = np.unique(np.concatenate([self.data.times[a] for a in self.data.analytes]))
        self._t_index = {a: np.searchsorted(t_all, self.data.times[a]) for a in self.data.analytes}
        self._state_index = {
            a: spec.state_names.index(self.observations[a].state) for a in self.data.analytes
        }
        self.lo_t = self.to_internal(self.lower)
        self.hi_t = self.to_internal(self.upper)
        # sigma residual bookkeeping
        self._sigma_terms: list[tuple[int, int, float]] = []  # (col, n points, ln lower)
        per_col: dict[int, int] = {}
        for a in self.data.analytes:
            src = self._sigma[a]
            if src.col is not None:
                per_col[src.col] = per_col.get(src.col, 0) + self.data.values[a].size
        for c, n in per_col.items():
            self._sigma_terms.append((c, n, math.log(self.lower[c])))
        self._prior_cols = [(col[n], kind, mu, sd) for n, (kind, mu, sd) in self.priors.items()]
        n_data = self.n_data
        const = 0.5 * n_data * _LOG2PI
        if self.noise == "lognormal":
            const += float(sum(np.log(self.data.values[a]).sum() for a in self.data.analytes))
        for a in self.data.analytes:
            src = self._sigma[a]
            if src.col is None:
                const += self.data.values[a].size * math.log(src.value)
        # 0.5 * e_k^2 = n_k ln sigma_k + n_k (1 - ln lower_k): remove the second part
        const -= sum(n * (1.0 - lnlo) for _, n, lnlo in self._sigma_terms)
        self._const = const
        self._t_all = t_all

    def _source(self, spec_value: float | str | None, col: Mapping[str, int]) -> _Source:
        if isinstance(spec_value, str):
            if spec_value in col:
                return _Source(col[spec_value])
            return _Source(None, float(self.fixed[spec_value]))
        return _Source(None, float(spec_value))  # type: ignore[arg-type]

    # --- transforms -----------------------------------------------------------------------
    def to_internal(self, lin: NDArray[np.float64]) -> NDArray[np.float64]:
        """Linear values -> optimiser space (log10 where ``log``)."""
        lin = np.asarray(lin, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.log, np.log10(np.where(self.log, lin, 1.0)), lin)

    def to_linear(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Optimiser space -> linear values."""
        x = np.asarray(x, dtype=np.float64)
        return np.where(self.log, 10.0 ** np.where(self.log, x, 0.0), x)

    @property
    def n_data(self) -> int:
        """Number of data points."""
        return int(sum(self.data.values[a].size for a in self.data.analytes))

    @property
    def n_residuals(self) -> int:
        """Length of the residual vector."""
        return self.n_data + len(self._sigma_terms) + len(self._prior_cols)

    # --- evaluation -----------------------------------------------------------------------
    def _param_table(self, lin: NDArray[np.float64]) -> NDArray[np.float64]:
        m = lin.shape[0]
        table = np.repeat(self._base[:, None], m, axis=1)
        if self._model_rows:
            table[self._model_rows] = lin[:, self._model_cols].T
        return table

    @staticmethod
    def _values(src: _Source, lin: NDArray[np.float64]) -> NDArray[np.float64]:
        if src.col is not None:
            return lin[:, src.col]
        return np.full(lin.shape[0], src.value)

    def _initial(self, table: NDArray[np.float64]) -> NDArray[np.float64]:
        m = table.shape[1]
        if self.pre_equilibration is None or self.pre_equilibration_params == "nominal":
            return np.repeat(self.y0[:, None], m, axis=1)
        out = np.empty((self.y0.size, m))
        todo: list[int] = []
        keys = [table[:, j].tobytes() for j in range(m)]
        for j, k in enumerate(keys):
            hit = self._cache.get(k)
            if hit is None:
                todo.append(j)
            else:
                out[:, j] = hit
        if todo:
            y = equilibrate(self.spec, table[:, todo], self.y0, self.pre_equilibration)
            if len(self._cache) > 20_000:
                self._cache.clear()
            for i, j in enumerate(todo):
                out[:, j] = y[:, i]
                self._cache[keys[j]] = y[:, i]
        return out

    def simulate(self, x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """States at the data times for a batch ``x`` (m, k) in optimiser space."""
        lin = self.to_linear(np.atleast_2d(x))
        table = self._param_table(lin)
        y0 = self._initial(table)
        amps = {k: self._values(s, lin) for k, s in self._amp.items()}
        self.n_evals += lin.shape[0]
        ok_y0 = np.isfinite(y0).all(axis=0)
        y, ok = self.simulator(table, amps, np.where(ok_y0, y0, self.y0[:, None]))
        return y, ok & ok_y0

    def predictions(
        self, x: NDArray[np.float64], y: NDArray[np.float64] | None = None
    ) -> dict[str, NDArray[np.float64]]:
        """Predicted observables at the data times, ``{analyte: (m, n_a)}``."""
        lin = self.to_linear(np.atleast_2d(x))
        if y is None:
            y, _ = self.simulate(x)
        out = {}
        for a in self.data.analytes:
            scale = self._values(self._scale[a], lin)
            states = y[self._state_index[a]][:, self._t_index[a]]
            out[a] = scale[:, None] * states
        return out

    def residuals(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Residual vectors, shape (m, n_residuals); half the squared norm is the objective."""
        x = np.atleast_2d(x)
        lin = self.to_linear(x)
        y, ok = self.simulate(x)
        pred = self.predictions(x, y)
        parts = []
        for a in self.data.analytes:
            sigma = self._values(self._sigma[a], lin)[:, None]
            data = self.data.values[a][None, :]
            with np.errstate(all="ignore"):
                if self.noise == "lognormal":
                    r = (np.log(data) - np.log(np.maximum(pred[a], 1e-300))) / sigma
                else:
                    r = (data - pred[a]) / sigma
            parts.append(r)
        for c, n, lnlo in self._sigma_terms:
            arg = 2.0 * n * (np.log(lin[:, c]) - lnlo + 1.0)
            parts.append(np.sqrt(np.maximum(arg, 0.0))[:, None])
        for c, kind, mu, sd in self._prior_cols:
            v = lin[:, c]
            g = np.log(v) if kind == "lognormal" else v
            parts.append(((g - mu) / sd)[:, None])
        r_all = np.concatenate(parts, axis=1)
        bad = ~ok | ~np.isfinite(r_all).all(axis=1)
        r_all[bad] = FAILED_RESIDUAL
        return r_all

    def objective_from_residuals(self, r: NDArray[np.float64]) -> NDArray[np.float64]:
        """Negative log-likelihood (plus prior penalties) from residual vectors."""
        return np.asarray(0.5 * np.sum(np.asarray(r) ** 2, axis=-1) + self._const)

    def data_nll(self, x: NDArray[np.float64]) -> float:
        """Negative log-likelihood of the data alone (no prior terms), at one point."""
        r = self.residuals(np.atleast_2d(x))[0]
        n_prior = len(self._prior_cols)
        r_lik = r[: r.size - n_prior] if n_prior else r
        return float(0.5 * np.sum(r_lik**2) + self._const)

    def normalised_residuals(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return the data residuals (noise units) at one point, in analyte order."""
        return self.residuals(np.atleast_2d(x))[0, : self.n_data]

    def trajectory(
        self, x: NDArray[np.float64], t: NDArray[np.float64]
    ) -> dict[str, NDArray[np.float64]]:
        """Predicted observables on the grid ``t`` (model time unit), ``{analyte: (n_t,)}``."""
        lin = self.to_linear(np.atleast_2d(x))
        table = self._param_table(lin)
        y0 = self._initial(table)
        amps = {k: self._values(s, lin) for k, s in self._amp.items()}
        sim = BatchSimulator(
            self.simulator.spec,  # with the bounds widened to the fit's bounds, as in the fit
            t,
            self.simulator.fixed,
            self.simulator.scaled,
            t0=self.simulator.t0,
            rtol=self.simulator.rtol,
            atol=self.simulator.atol,
            method=self.simulator.method,
            backend=self.simulator.backend,
        )
        y, _ = sim(table, amps, y0)
        out = {}
        for a in self.data.analytes:
            scale = self._values(self._scale[a], lin)
            out[a] = scale[0] * y[self._state_index[a], 0]
        return out


def equilibrate(
    spec: ModelSpec, table: NDArray[np.float64], y0: NDArray[np.float64], duration: float
) -> NDArray[np.float64]:
    """States after ``duration`` (model time) with default inputs, per column of ``table``."""
    sim = BatchSimulator(spec, np.array([float(duration)]), {}, {}, t0=0.0, rtol=1e-8, atol=1e-10)
    m = table.shape[1]
    y, ok = sim(table, {}, np.repeat(np.asarray(y0, dtype=np.float64)[:, None], m, axis=1))
    out = y[:, :, -1]
    out[:, ~ok] = np.nan
    return out


def _to_model_schedule(spec: ModelSpec, name: str, value: Any) -> Schedule:
    from neuroendo._core.errors import ModelDefinitionError

    if name not in spec.input_names:
        raise ModelDefinitionError(
            f"Model {spec.name!r} has no input {name!r}; its inputs are: "
            f"{', '.join(spec.input_names) or 'none'}.{did_you_mean(name, spec.input_names)}"
        )
    sched = as_schedule(value)
    declared = next(i for i in spec.inputs if i.name == name)
    if sched.unit is not None and sched.unit != declared.unit:
        sched = conversion_factor(sched.unit, declared.unit, analyte=declared.analyte) * sched
    if sched.time_unit is not None and sched.time_unit != spec.time_unit:
        sched = sched.to_time_unit(spec.time_unit)
    return sched


def resolve_inputs(
    spec: ModelSpec, inputs: Mapping[str, Any] | None
) -> tuple[dict[str, Schedule], dict[str, ScaledInput]]:
    """Split ``inputs`` into fixed schedules and scaled inputs, converted to model time."""
    fixed: dict[str, Schedule] = {}
    scaled: dict[str, ScaledInput] = {}
    for name, v in (inputs or {}).items():
        if isinstance(v, ScaledInput):
            scaled[name] = ScaledInput(_to_model_schedule(spec, name, v.schedule), v.amplitude)
        else:
            fixed[name] = _to_model_schedule(spec, name, v)
    return fixed, scaled


def check_noise(noise: str) -> str:
    """Validate the noise model name."""
    return str(check_option("noise", noise, ("lognormal", "normal")))
