"""The result of a simulation: trajectories with units, per-subject status and conversions."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.spec import ModelSpec
from neuroendo._core.validation import did_you_mean

__all__ = ["Solution", "Status"]


class Status(enum.StrEnum):
    """Outcome of one subject's integration."""

    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True, eq=False)
class Solution:
    """Trajectories of one model for one or several subjects.

    Parameters
    ----------
    model : str
        Model name.
    t : ndarray, shape (n_times,)
        Output times, in ``units["time"]`` (the model's time unit).
    y : ndarray, shape (n_states, n_subjects, n_times)
        State trajectories (NaN for failed subjects).
    state_names : tuple of str
        State names, in the order of the first axis of ``y``.
    units : dict
        ``{state: UCUM unit}`` plus ``"time"``.
    params : dict
        ``{param: ndarray (n_subjects,)}`` used for each subject.
    status : ndarray of Status, shape (n_subjects,)
        :attr:`Status.OK` or :attr:`Status.FAILED` per subject.
    message : tuple of str
        Solver message per subject (empty when OK).
    batched : bool
        Whether the call described a batch (array parameters, inputs or initial states); if
        not, ``sol["cortisol"]`` returns shape ``(n_times,)``.
    spec : ModelSpec
        The model (for observables and provenance).

    Examples
    --------
    >>> import numpy as np
    >>> from neuroendo.simulation import simulate
    >>> sol = simulate("vinther2011", t=np.linspace(0, 60, 4))
    >>> sol.y.shape
    (3, 1, 4)
    >>> sol["cortisol"].shape
    (4,)
    """

    model: str
    t: NDArray[np.float64]
    y: NDArray[np.float64]
    state_names: tuple[str, ...]
    units: dict[str, str]
    params: dict[str, NDArray[np.float64]]
    status: NDArray[Any]
    message: tuple[str, ...]
    batched: bool = False
    spec: ModelSpec | None = field(default=None, repr=False)

    @property
    def n_subjects(self) -> int:
        """Number of subjects."""
        return int(self.y.shape[1])

    @property
    def ok(self) -> NDArray[np.bool_]:
        """Boolean mask of subjects whose integration succeeded."""
        return np.asarray(self.status == Status.OK, dtype=bool)

    def _shape(self, arr: NDArray[np.float64]) -> NDArray[np.float64]:
        return arr if self.batched else arr[0]

    def __getitem__(self, name: str) -> NDArray[np.float64]:
        """Trajectory of a state or observable: ``(n_subjects, n_times)``, or ``(n_times,)``."""
        if name in self.state_names:
            return self._shape(self.y[self.state_names.index(name)])
        obs = self.observables
        if name in obs:
            return obs[name]
        names = (*self.state_names, *obs)
        raise KeyError(
            f"Solution of {self.model!r} has no state or observable {name!r}; available: "
            f"{', '.join(names)}.{did_you_mean(name, names)}"
        )

    @property
    def observables(self) -> dict[str, NDArray[np.float64]]:
        """Observables declared by the model, in physical units (see :attr:`observable_units`)."""
        if self.spec is None:
            return {}
        out = {}
        for o in self.spec.observables:
            out[o.name] = self._shape(o.scale * self.y[self.state_names.index(o.state)])
        return out

    @property
    def observable_units(self) -> dict[str, str]:
        """UCUM unit of each observable."""
        return {} if self.spec is None else {o.name: o.unit for o in self.spec.observables}

    def final_state(self) -> NDArray[np.float64]:
        """State at the last output time, shape ``(n_states,)`` or ``(n_states, n_subjects)``."""
        last = self.y[:, :, -1]
        return last if self.batched else last[:, 0]

    def to_pandas(self) -> Any:
        """Return a DataFrame: one column per state (and observable).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``time`` for a single subject, by a (``subject``, ``time``) MultiIndex
            for a batch; ``df.attrs["units"]`` maps columns to UCUM units.
        """
        import pandas as pd

        n = self.n_subjects
        data: dict[str, Any] = {s: self.y[i].reshape(-1) for i, s in enumerate(self.state_names)}
        units = {s: self.units[s] for s in self.state_names}
        if self.spec is not None:
            for o in self.spec.observables:
                data[o.name] = (o.scale * self.y[self.state_names.index(o.state)]).reshape(-1)
                units[o.name] = o.unit
        index: pd.Index[Any]
        if self.batched:
            index = pd.MultiIndex.from_product([range(n), self.t], names=["subject", "time"])
        else:
            index = pd.Index(self.t, name="time")
        df = pd.DataFrame(data, index=index)
        df.attrs["units"] = {**units, "time": self.units["time"]}
        df.attrs["model"] = self.model
        return df

    def to_xarray(self) -> Any:
        """Return an ``xarray.Dataset`` over (``subject``, ``time``).

        Returns
        -------
        xarray.Dataset
            One variable per state (and observable), each with ``attrs["units"]``; coordinate
            ``status`` on ``subject``, parameters as variables over ``subject``;
            ``ds.attrs["units"]`` maps every variable (and ``time``) to its UCUM unit.
        """
        import xarray as xr

        dims = ("subject", "time")
        variables: dict[str, Any] = {}
        units: dict[str, str] = {}
        for i, s in enumerate(self.state_names):
            variables[s] = xr.Variable(dims, self.y[i], attrs={"units": self.units[s]})
            units[s] = self.units[s]
        if self.spec is not None:
            for o in self.spec.observables:
                arr = o.scale * self.y[self.state_names.index(o.state)]
                variables[o.name] = xr.Variable(dims, arr, attrs={"units": o.unit})
                units[o.name] = o.unit
        for k, v in self.params.items():
            variables[f"param_{k}"] = xr.Variable(("subject",), v)
        ds = xr.Dataset(
            variables,
            coords={
                "subject": np.arange(self.n_subjects),
                "time": xr.Variable(("time",), self.t, attrs={"units": self.units["time"]}),
                "status": ("subject", np.array([str(s) for s in self.status])),
            },
        )
        ds.attrs["model"] = self.model
        ds.attrs["units"] = {**units, "time": self.units["time"]}
        return ds
