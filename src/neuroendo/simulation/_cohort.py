r"""Virtual cohorts: sample subjects, simulate them in chunks, reduce to features on the fly.

Random draws are chunk- and order-independent: every subject ``i`` has its own counter-based
stream, and the ``j``-th uniform of the stream for quantity ``name`` is a SplitMix64 hash of
(``key``, ``i``, ``crc32(name)``), where ``key`` comes from ``SeedSequence(seed)``. A subject's
parameters therefore depend only on the seed, its index and the quantity's name, never on the
chunk size, the order of the subjects or the other quantities sampled. (Spawning one
``numpy.random.Generator`` per subject, as :func:`neuroendo._core.rng.spawn` does for a few
streams, would cost a Python call per subject: seconds for a million subjects.)
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError, ModelDefinitionError
from neuroendo._core.spec import ModelSpec
from neuroendo._core.validation import check_option, did_you_mean
from neuroendo.models.inputs import Schedule
from neuroendo.simulation._solution import Solution

__all__ = ["LogNormal", "Uniform", "sample_parameters", "simulate_cohort", "to_parquet", "to_zarr"]

_REDUCERS = ("auc", "mean", "max", "min", "final", "argmax")
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class LogNormal:
    r"""Log-normal variation around the nominal value: :math:`\theta_i = \theta\,e^{\eta_i}`.

    Parameters
    ----------
    cv : float
        Coefficient of variation of the log-normal distribution (0.2 = 20 %), > 0.
    nominal : float, optional
        Median; defaults to the model parameter's nominal value (required for quantities that
        are not model parameters).

    Notes
    -----
    :math:`\eta_i \sim N(0, \omega^2)` with :math:`\omega^2 = \ln(1 + \mathrm{CV}^2)`, so the
    median is the nominal value (the population-PK convention).

    Examples
    --------
    >>> LogNormal(0.2).cv
    0.2
    """

    cv: float
    nominal: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.cv) and self.cv > 0):
            raise ValueError(f"LogNormal: 'cv' must be a positive number, got {self.cv!r}.")

    def _draw(self, u: NDArray[np.float64], nominal: float) -> NDArray[np.float64]:
        from scipy.special import ndtri

        omega = math.sqrt(math.log1p(self.cv**2))
        return np.asarray(nominal * np.exp(omega * ndtri(u)), dtype=np.float64)


@dataclass(frozen=True)
class Uniform:
    """Uniform draws: in ``[low, high]``, in ``factor`` × nominal, or within the parameter bounds.

    Parameters
    ----------
    low, high : float, optional
        Absolute limits (in the parameter's unit).
    factor : tuple of float, optional
        ``(lo, hi)`` multipliers of the nominal value, e.g. ``(0.8, 1.2)``.
    nominal : float, optional
        Nominal value for ``factor`` (default: the model parameter's value).

    Notes
    -----
    With neither limits nor ``factor``, a model parameter is drawn uniformly within its
    declared ``bounds``.

    Examples
    --------
    >>> Uniform(factor=(0.8, 1.2)).factor
    (0.8, 1.2)
    """

    low: float | None = None
    high: float | None = None
    factor: tuple[float, float] | None = None
    nominal: float | None = None

    def __post_init__(self) -> None:
        if (self.low is None) != (self.high is None):
            raise ValueError("Uniform: give both 'low' and 'high', or neither.")
        if self.low is not None and self.factor is not None:
            raise ValueError("Uniform: give either 'low'/'high' or 'factor', not both.")
        lo, hi = self.factor if self.factor is not None else (self.low, self.high)
        if lo is not None and hi is not None and not (lo <= hi):
            raise ValueError(f"Uniform: the lower limit {lo!r} must not exceed {hi!r}.")

    def _limits(
        self, nominal: float | None, bounds: tuple[float, float] | None
    ) -> tuple[float, float]:
        if self.factor is not None:
            if nominal is None:
                raise ValueError("Uniform(factor=...) needs a nominal value.")
            return nominal * self.factor[0], nominal * self.factor[1]
        if self.low is not None and self.high is not None:
            return float(self.low), float(self.high)
        if bounds is None:
            raise ValueError("Uniform() without limits needs a model parameter's bounds.")
        return bounds


Distribution = LogNormal | Uniform


def _mix(z: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """SplitMix64 finaliser (Steele, Lea & Flood 2014), vectorised with wrapping uint64."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _uniforms(key: int, subjects: NDArray[np.int64], name: str) -> NDArray[np.float64]:
    """One U(0, 1) draw per subject from the stream of (key, subject, name); never 0 or 1."""
    with np.errstate(over="ignore"):
        golden = np.uint64(0x9E3779B97F4A7C15)
        s = _mix(np.uint64(key) ^ _mix(subjects.astype(np.uint64) * golden + golden))
        z = _mix(s + np.uint64(zlib.crc32(name.encode())) * golden)
    return ((z >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def _key(seed: int | None) -> int:
    return int(np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0])


def _check_names(spec: ModelSpec, params: Mapping[str, Any], extra_ok: bool) -> None:
    for name, dist in params.items():
        if name in spec.param_names:
            continue
        nominal = getattr(dist, "nominal", None)
        fixed = not isinstance(dist, LogNormal | Uniform)
        if extra_ok and (fixed or nominal is not None or getattr(dist, "low", None) is not None):
            continue  # a covariate for input callables
        raise ModelDefinitionError(
            f"Model {spec.name!r} has no parameter {name!r}; parameters are "
            f"{', '.join(spec.param_names)}.{did_you_mean(name, spec.param_names)} Quantities "
            "that feed input callables need an explicit nominal value (LogNormal(cv, nominal=..) "
            "or Uniform(low, high))."
        )


def sample_parameters(
    model: ModelSpec | str,
    n: int,
    params: Mapping[str, Any] | LogNormal | Uniform | None = None,
    *,
    seed: int | None = None,
    start: int = 0,
) -> dict[str, NDArray[np.float64]]:
    r"""Draw per-subject values for subjects ``start, ..., start + n - 1``.

    Parameters
    ----------
    model : ModelSpec or str
        The model (for nominal values and bounds).
    n : int
        Number of subjects to draw.
    params : mapping, LogNormal, Uniform or None
        One distribution for every model parameter, or ``{name: distribution or value}``.
        Names that are not model parameters are covariates for input callables and need an
        explicit nominal value (or limits).
    seed : int, optional
        Root seed; the same seed gives the same subject ``i`` whatever ``start`` and ``n``.
    start : int, default 0
        Index of the first subject.

    Returns
    -------
    dict of str to ndarray, shape (n,)
        Sampled values (model parameters are clipped to their declared bounds).

    Notes
    -----
    Subject :math:`i`'s draw for quantity ``name`` is
    :math:`F^{-1}(u_{i,\mathrm{name}})` with :math:`u` from a SplitMix64 hash of the seed's key,
    :math:`i` and ``crc32(name)`` (see the module docstring).

    References
    ----------
    .. [1] Steele GL, Lea D, Flood CH. Fast splittable pseudorandom number generators.
       OOPSLA 2014. doi:10.1145/2660193.2660195

    Examples
    --------
    >>> a = sample_parameters("gupta2007", 4, LogNormal(0.2), seed=1)
    >>> b = sample_parameters("gupta2007", 2, LogNormal(0.2), seed=1, start=2)
    >>> bool(np.array_equal(a["krd"][2:], b["krd"]))
    True
    """
    from neuroendo.models import resolve

    spec = resolve(model)
    subjects = np.arange(start, start + n, dtype=np.int64)
    if params is None:
        return {}
    if isinstance(params, LogNormal | Uniform):
        params = dict.fromkeys(spec.param_names, params)
    _check_names(spec, params, extra_ok=True)
    key = _key(seed)
    out: dict[str, NDArray[np.float64]] = {}
    for name, dist in params.items():
        p = spec.param(name) if name in spec.param_names else None
        if isinstance(dist, LogNormal | Uniform):
            nominal = dist.nominal if dist.nominal is not None else (p.value if p else None)
            u = _uniforms(key, subjects, name)
            if isinstance(dist, LogNormal):
                if nominal is None:
                    raise ValueError(f"LogNormal for {name!r} needs a nominal value.")
                v = dist._draw(u, float(nominal))
            else:
                lo, hi = dist._limits(nominal, p.bounds if p else None)
                v = lo + (hi - lo) * u
        else:
            arr = np.asarray(dist, dtype=np.float64)
            if arr.ndim == 0:
                v = np.full(n, float(arr))
            elif arr.shape == (start + n,) or (start == 0 and arr.shape == (n,)):
                v = arr[start : start + n].copy()
            else:
                raise DataValidationError(
                    f"params[{name!r}] must be a scalar or one value per subject "
                    f"({start + n}), got shape {arr.shape}."
                )
        if p is not None:
            v = np.clip(v, p.bounds[0], p.bounds[1])
        out[name] = v
    return out


def _features(
    sol: Solution, reduce: str | Sequence[str] | Callable[[Solution], Any]
) -> tuple[dict[str, NDArray[np.float64]], dict[str, str]]:
    """Named or callable reductions of one chunk: ``{column: (n_chunk,)}`` and units."""
    if callable(reduce):
        res = reduce(sol)
        cols: dict[str, NDArray[Any]]
        if hasattr(res, "to_dict") and hasattr(res, "columns"):
            cols = {str(c): np.asarray(res[c]) for c in res.columns}
        elif isinstance(res, Mapping):
            cols = {str(k): np.asarray(v) for k, v in res.items()}
        else:
            raise TypeError(
                "'reduce' callables must return a mapping {feature: array (n_subjects,)} or a "
                f"DataFrame with one row per subject, got {type(res).__name__}."
            )
        for k, v in cols.items():
            if v.shape != (sol.n_subjects,):
                raise DataValidationError(
                    f"reduce() returned feature {k!r} with shape {v.shape}; expected "
                    f"({sol.n_subjects},), one value per subject."
                )
        return cols, {}
    items = [reduce] if isinstance(reduce, str) else list(reduce)
    cols = {}
    units: dict[str, str] = {}
    t = sol.t
    for item in items:
        what, _, state = item.partition(":")
        check_option("reduce", what, _REDUCERS)
        states = [state] if state else list(sol.state_names)
        for s in states:
            if s not in sol.state_names:
                raise ModelDefinitionError(
                    f"reduce={item!r}: model {sol.model!r} has no state {s!r}; states are "
                    f"{', '.join(sol.state_names)}.{did_you_mean(s, sol.state_names)}"
                )
            y = sol.y[sol.state_names.index(s)]
            if what == "auc":
                v = np.trapezoid(y, t, axis=-1) if t.size > 1 else np.zeros(y.shape[0])
                units[f"{s}_{what}"] = _times(sol.units[s], sol.units["time"])
            elif what == "mean":
                v = y.mean(axis=-1)
            elif what == "max":
                v = y.max(axis=-1)
            elif what == "min":
                v = y.min(axis=-1)
            elif what == "final":
                v = y[:, -1]
            else:  # argmax: time of the maximum
                idx = np.argmax(np.nan_to_num(y, nan=-np.inf), axis=-1)
                v = np.where(np.isnan(y).any(axis=-1), np.nan, t[idx])
                units[f"{s}_{what}"] = sol.units["time"]
            units.setdefault(f"{s}_{what}", sol.units[s])
            cols[f"{s}_{what}"] = np.asarray(v, dtype=np.float64)
    return cols, units


def _times(a: str, b: str) -> str:
    """UCUM product of two units (``"1"`` is the neutral unit)."""
    return b if a == "1" else (a if b == "1" else f"{a}.{b}")


def _auto_chunk(n_states: int, n_times: int) -> int:
    per_subject = 8 * n_states * max(n_times, 1)  # bytes of one subject's trajectories
    return int(min(100_000, max(64, 64e6 // per_subject)))


def simulate_cohort(
    model: ModelSpec | str,
    t: ArrayLike,
    n: int | None = None,
    params: Mapping[str, Any] | LogNormal | Uniform | Any | None = None,
    inputs: Mapping[str, Schedule | ArrayLike | Callable[[dict[str, Any]], Any]] | None = None,
    y0: Mapping[str, ArrayLike] | ArrayLike | None = None,
    *,
    seed: int | None = None,
    reduce: str | Sequence[str] | Callable[[Solution], Any] | None = None,
    chunk_size: int | None = None,
    backend: str = "numba",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    method: str | None = None,
    max_step: float = math.inf,
    t0: float | None = None,
    on_error: str = "skip",
    output: str | Path | None = None,
    progress: Callable[[int, int], Any] | None = None,
) -> Any:
    r"""Simulate a virtual cohort of ``n`` subjects, in chunks, optionally reduced to features.

    Parameters
    ----------
    model : ModelSpec or str
        Model spec or registered name.
    t : array-like, shape (n_times,)
        Output times, in the model's time unit.
    n : int, optional
        Number of subjects (default: the rows of a DataFrame ``params``).
    params : LogNormal, Uniform, mapping or DataFrame, optional
        How subjects differ: one distribution for every parameter, ``{name: distribution or
        value or array (n,)}``, or a table of fitted subjects (one row each, columns named
        after parameters or covariates). Names that are not model parameters are covariates
        handed to input callables. Unlisted parameters keep their nominal values.
    inputs : mapping, optional
        ``{input: schedule, constant, or callable(draws) -> schedule}``; a callable receives
        the chunk's sampled values ``{name: array (n_chunk,)}`` and returns a (per-subject)
        schedule, e.g. ``lambda d: circadian(d["amp"], d["phi"], time_unit="1")``.
    y0 : mapping or array-like, optional
        Initial state shared by all subjects (see :func:`~neuroendo.simulation.simulate`).
    seed : int, optional
        Root seed; subject ``i`` gets the same draws whatever the chunking or order.
    reduce : str, sequence of str or callable, optional
        ``None`` returns the trajectories as one batch :class:`Solution`. A named reducer
        ``"auc"``, ``"mean"``, ``"max"``, ``"min"``, ``"final"``, ``"argmax"`` (time of the
        maximum) applies to every state, ``"auc:cortisol"`` to one; a callable maps the
        chunk's Solution to ``{feature: array (n_chunk,)}`` or a DataFrame.
    chunk_size : int, optional
        Subjects per batched call (default: about 64 MB of trajectories per chunk).
    backend : str, default "numba"
        Solver backend.
    rtol, atol : float
        Tolerances.
    method : str, optional
        Backend method (``"dopri5"`` or ``"rosenbrock"`` for numba).
    max_step : float, default inf
        Largest step, in the model's time unit.
    t0 : float, optional
        Start time (default ``t[0]``).
    on_error : {"skip", "raise"}, default "skip"
        With ``"skip"`` failed subjects get NaN and ``status == "failed"``.
    output : str or Path, optional
        Write each chunk as it is done and return the path, so memory stays bounded: a
        ``.zarr`` path gets an xarray/Zarr store over (``subject``, ``time``) appended chunk by
        chunk (:func:`to_zarr`), any other path a Parquet file (features, or trajectories in
        long form ``subject, time, <states>``).
    progress : callable, optional
        Called as ``progress(done, n)`` after each chunk (e.g. to advance a progress bar).

    Returns
    -------
    Solution, pandas.DataFrame or Path
        A batch Solution (``reduce=None``), a DataFrame indexed by ``subject`` with one column
        per feature, the sampled quantities and ``status`` (``attrs["units"]`` for features),
        or the Parquet path when ``output`` is given.

    Raises
    ------
    ModelDefinitionError
        Unknown parameter or state names.
    DataValidationError
        Bad ``n``, ``chunk_size`` or parameter table.

    Notes
    -----
    Subjects are split into chunks of ``chunk_size`` and each chunk is one batched backend
    call; each subject's draws come from its own stream (see :func:`sample_parameters`), so

    .. math:: \mathrm{cohort}(n, \mathrm{chunk}=a) = \mathrm{cohort}(n, \mathrm{chunk}=b).

    Log-normal draws are clipped to the parameters' declared bounds.

    References
    ----------
    .. [1] Allen RJ, Rieger TR, Musante CJ. Efficient generation and selection of virtual
       populations in quantitative systems pharmacology models. CPT Pharmacometrics Syst
       Pharmacol. 2016;5(3):140-146. doi:10.1002/psp4.12063

    Examples
    --------
    >>> import numpy as np
    >>> df = simulate_cohort("vinther2011", np.linspace(0, 60, 7), 16, params=LogNormal(0.1),
    ...                      seed=1, reduce="max:cortisol", chunk_size=8)
    >>> df.shape, list(df.columns[:1])
    ((16, 12), ['cortisol_max'])
    """
    import pandas as pd

    from neuroendo.models import resolve
    from neuroendo.simulation import simulate

    spec = resolve(model)
    check_option("on_error", on_error, ("raise", "skip"))
    table: Any = None
    if isinstance(params, pd.DataFrame):
        table = params
        if n is None:
            n = len(table)
        elif n != len(table):
            raise DataValidationError(
                f"'n' = {n} but the parameter table has {len(table)} rows; omit 'n' or pass a "
                "table with one row per subject."
            )
        params = {str(c): table[c].to_numpy(dtype=np.float64) for c in table.columns}
    if n is None or isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise DataValidationError(f"'n' must be a positive integer number of subjects, got {n!r}.")
    n = int(n)
    tt = np.asarray(t, dtype=np.float64)
    if chunk_size is None:
        chunk_size = _auto_chunk(len(spec.states), tt.size)
    if (
        isinstance(chunk_size, bool)
        or not isinstance(chunk_size, int | np.integer)
        or chunk_size < 1
    ):
        raise DataValidationError(f"'chunk_size' must be a positive integer, got {chunk_size!r}.")
    if isinstance(params, Mapping):
        _check_names(spec, params, extra_ok=True)
    zarr_out = output is not None and str(output).rstrip("/").endswith(".zarr")
    writer: Any = None
    frames: list[Any] = []
    sols: list[Solution] = []
    units: dict[str, str] = {}
    try:
        for start in range(0, n, int(chunk_size)):
            m = min(int(chunk_size), n - start)
            draws = sample_parameters(spec, m, params, seed=seed, start=start)
            model_params = {k: v for k, v in draws.items() if k in spec.param_names}
            if not model_params:  # keep the batch shape even without variation
                model_params = {spec.param_names[0]: np.full(m, spec.params[0].value)}
            sched: dict[str, Any] = {}
            for name, value in (inputs or {}).items():
                fn: Any = value
                sched[name] = fn(dict(draws)) if callable(fn) else fn
            sol = simulate(
                spec, tt, params=model_params, inputs=sched, y0=y0, t0=t0, backend=backend,
                rtol=rtol, atol=atol, method=method, max_step=max_step, on_error=on_error,
            )  # fmt: skip
            idx = np.arange(start, start + m)
            if zarr_out:
                ds = (
                    _solution_dataset(sol, idx)
                    if reduce is None
                    else _feature_dataset(_feature_frame(sol, reduce, draws, idx))
                )
                _to_zarr_ds(ds, str(output), append=start > 0)
                if progress is not None:
                    progress(start + m, n)
                continue
            if reduce is None:
                if output is not None:
                    frame = pd.DataFrame(
                        {
                            "subject": np.repeat(idx, tt.size),
                            "time": np.tile(tt, m),
                            **{s: sol.y[i].reshape(-1) for i, s in enumerate(sol.state_names)},
                        }
                    )
                    writer = _write(writer, frame, output)
                else:
                    sols.append(sol)
                if progress is not None:
                    progress(start + m, n)
                continue
            frame = _feature_frame(sol, reduce, draws, idx)
            units = frame.attrs["units"]
            if output is not None:
                writer = _write(writer, frame.reset_index(), output)
            else:
                frames.append(frame)
            if progress is not None:
                progress(start + m, n)
    finally:
        if writer is not None:
            writer.close()
    if output is not None:
        return Path(output)
    if reduce is None:
        return _concat(sols)
    df = pd.concat(frames) if len(frames) > 1 else frames[0]
    df.attrs["units"] = units
    df.attrs["model"] = spec.name
    return df


def _feature_frame(sol: Solution, reduce: Any, draws: Mapping[str, Any], idx: Any) -> Any:
    """One chunk's features, sampled quantities and status, indexed by ``subject``."""
    import pandas as pd

    cols, units = _features(sol, reduce)
    frame = pd.DataFrame(cols, index=pd.Index(idx, name="subject"))
    for k, v in draws.items():
        frame[k] = v
    frame["status"] = np.array([str(s) for s in sol.status])
    frame.attrs["units"] = units
    return frame


def _status_coord(status: Any) -> Any:
    """Status strings with a fixed width, so that appended chunks never truncate them."""
    return np.array([str(x) for x in status], dtype="<U16")


def _feature_dataset(frame: Any) -> Any:
    import xarray as xr

    ds = xr.Dataset.from_dataframe(frame.drop(columns=["status"]))
    ds = ds.assign_coords(status=("subject", _status_coord(frame["status"])))
    units = frame.attrs.get("units", {})
    for k, u in units.items():
        if k in ds:
            ds[k].attrs["units"] = u
    ds.attrs["units"] = dict(units)
    return ds


def _solution_dataset(sol: Solution, idx: Any) -> Any:
    ds = sol.to_xarray().assign_coords(subject=idx)
    return ds.assign_coords(status=("subject", _status_coord(sol.status)))


def _to_zarr_ds(ds: Any, path: str | Path, append: bool) -> None:
    # Zarr format 2: its string and attribute encodings are stable and read by every Zarr tool
    # (Zarr 3 has no specification yet for the fixed-width strings of the status coordinate)
    if append:
        ds.to_zarr(str(path), append_dim="subject", consolidated=False, zarr_format=2)
    else:
        ds.to_zarr(str(path), mode="w", consolidated=False, zarr_format=2)


def to_zarr(result: Solution | Any, path: str | Path) -> Path:
    """Write a cohort result to a Zarr store (xarray; Zarr format 2).

    Parameters
    ----------
    result : Solution or pandas.DataFrame
        A batch Solution is written as its :meth:`~neuroendo.simulation.Solution.to_xarray`
        dataset over (``subject``, ``time``) with units in the variables' attributes; a feature
        table (from ``simulate_cohort(..., reduce=...)``) as variables over ``subject``.
    path : str or Path
        Destination directory (``*.zarr``); replaced if it exists.

    Returns
    -------
    Path
        ``path``; read it back with ``xarray.open_zarr(path, consolidated=False)``.

    References
    ----------
    .. [1] Zarr storage specification version 2. https://zarr-specs.readthedocs.io/

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd, xarray as xr
    >>> df = pd.DataFrame({"cortisol_max": [1.0, 2.0], "status": ["ok", "ok"]},
    ...                   index=pd.Index([0, 1], name="subject"))
    >>> p = to_zarr(df, pathlib.Path(tempfile.mkdtemp()) / "f.zarr")
    >>> xr.open_zarr(p, consolidated=False)["cortisol_max"].values.tolist()
    [1.0, 2.0]
    """
    if isinstance(result, Solution):
        ds = _solution_dataset(result, np.arange(result.n_subjects))
    else:
        frame = result if result.index.name == "subject" else result.set_index("subject")
        ds = _feature_dataset(frame)
    _to_zarr_ds(ds, path, append=False)
    return Path(path)


def _write(writer: Any, frame: Any, path: str | Path) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    tbl = pa.Table.from_pandas(frame, preserve_index=False)
    if writer is None:
        writer = pq.ParquetWriter(str(path), tbl.schema)
    writer.write_table(tbl)
    return writer


def _concat(sols: list[Solution]) -> Solution:
    if len(sols) == 1:
        return sols[0]
    first = sols[0]
    return Solution(
        model=first.model,
        t=first.t,
        y=np.concatenate([s.y for s in sols], axis=1),
        state_names=first.state_names,
        units=first.units,
        params={k: np.concatenate([s.params[k] for s in sols]) for k in first.params},
        status=np.concatenate([s.status for s in sols]),
        message=tuple(m for s in sols for m in s.message),
        batched=True,
        spec=first.spec,
    )


def to_parquet(result: Solution | Any, path: str | Path) -> Path:
    """Write a cohort result to Parquet (pyarrow).

    Parameters
    ----------
    result : Solution or pandas.DataFrame
        A batch Solution is written in long form (``subject``, ``time``, one column per
        state, ``status``); a feature table with its ``subject`` index as a column.
    path : str or Path
        Destination file.

    Returns
    -------
    Path
        ``path``.

    References
    ----------
    .. [1] Apache Parquet format specification. https://parquet.apache.org/docs/

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> df = pd.DataFrame({"cortisol_max": [1.0, 2.0]}, index=pd.Index([0, 1], name="subject"))
    >>> p = to_parquet(df, pathlib.Path(tempfile.mkdtemp()) / "f.parquet")
    >>> pd.read_parquet(p)["cortisol_max"].tolist()
    [1.0, 2.0]
    """
    import pandas as pd

    if isinstance(result, Solution):
        n, nt = result.n_subjects, result.t.size
        frame = pd.DataFrame(
            {
                "subject": np.repeat(np.arange(n), nt),
                "time": np.tile(result.t, n),
                **{s: result.y[i].reshape(-1) for i, s in enumerate(result.state_names)},
                "status": np.repeat([str(s) for s in result.status], nt),
            }
        )
    else:
        frame = result.reset_index() if result.index.name else result
    writer = _write(None, frame, path)
    writer.close()
    return Path(path)
