"""Backend interface: how a solver integrates a batch of subjects, and the backend registry.

A backend receives everything already validated and converted to the model's units:
``t`` (n_times,), ``y0`` (n_states, n_subjects), ``params`` (n_params, n_subjects) in the order of
``spec.param_names``, ``inputs`` ``{name: Schedule}`` in the model's time unit and the inputs'
units (each schedule scalar or per subject), and :class:`SolverOptions`. It returns a
:class:`BackendResult`. Backends load on first use (``"module:Class"`` strings), so optional
solvers (numba, JAX, libRoadRunner) cost nothing until asked for.
"""

from __future__ import annotations

import abc
import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.spec import ModelSpec
from neuroendo._core.validation import check_option
from neuroendo.models.inputs import Schedule

__all__ = [
    "AbstractBackend",
    "BackendResult",
    "SolverOptions",
    "available_backends",
    "get_backend",
    "register_backend",
]


@dataclass(frozen=True, slots=True)
class SolverOptions:
    """Solver settings shared by every backend.

    Parameters
    ----------
    rtol, atol : float
        Relative and absolute tolerances.
    method : str or None
        Backend-specific method name (``None`` = the backend's default for ``spec.stiff``).
    t0 : float
        Time at which ``y0`` holds (≤ ``t[0]``), in the model's time unit.
    max_step : float
        Largest step allowed (``inf`` = no limit).
    """

    rtol: float = 1e-8
    atol: float = 1e-10
    method: str | None = None
    t0: float = 0.0
    max_step: float = math.inf


class BackendResult(NamedTuple):
    """Output of :meth:`AbstractBackend.solve`.

    ``y`` has shape (n_states, n_subjects, n_times) with NaN rows for failed subjects;
    ``status`` holds one :class:`~neuroendo.simulation.Status` per subject; ``message`` one string
    per subject (empty when OK).
    """

    y: NDArray[np.float64]
    status: NDArray[Any]
    message: tuple[str, ...]


class AbstractBackend(abc.ABC):
    """Interface of an ODE backend (equinox's abstract/final pattern: subclasses are final)."""

    name: ClassVar[str]

    @abc.abstractmethod
    def solve(
        self,
        spec: ModelSpec,
        t: NDArray[np.float64],
        y0: NDArray[np.float64],
        params: NDArray[np.float64],
        inputs: Mapping[str, Schedule],
        options: SolverOptions,
    ) -> BackendResult:
        """Integrate every subject; never raise for a solver failure (report it in status)."""


_BACKENDS: dict[str, str | type[AbstractBackend]] = {
    "scipy": "neuroendo.simulation._scipy:ScipyBackend",
    "numba": "neuroendo.simulation._numba:NumbaBackend",
}


def register_backend(name: str, backend: str | type[AbstractBackend]) -> None:
    """Register a backend class, or a ``"module:Class"`` string imported on first use.

    Parameters
    ----------
    name : str
        Name used as ``simulate(..., backend=name)``.
    backend : str or type
        The class, or ``"package.module:ClassName"``.

    References
    ----------
    .. [1] Kidger P. On neural differential equations (diffrax/equinox abstract/final design).
       arXiv:2202.02435. 2022.

    Examples
    --------
    >>> register_backend("scipy", "neuroendo.simulation._scipy:ScipyBackend")
    >>> "scipy" in available_backends()
    True
    """
    _BACKENDS[name] = backend


def available_backends() -> tuple[str, ...]:
    """Names of the registered backends.

    Returns
    -------
    tuple of str

    References
    ----------
    .. [1] neuroendo architecture, §8 "Compiled kernels sit behind AbstractBackend".

    Examples
    --------
    >>> available_backends()[:1]
    ('scipy',)
    """
    return tuple(_BACKENDS)


def get_backend(name: str) -> AbstractBackend:
    """Return an instance of the backend called ``name`` (importing it on first use).

    Parameters
    ----------
    name : str
        A registered backend name.

    Returns
    -------
    AbstractBackend

    Raises
    ------
    ValueError
        For an unknown name (with a suggestion).

    References
    ----------
    .. [1] neuroendo architecture, §8.

    Examples
    --------
    >>> get_backend("scipy").name
    'scipy'
    """
    check_option("backend", name, tuple(_BACKENDS))
    target = _BACKENDS[name]
    if isinstance(target, str):
        module, _, cls = target.partition(":")
        target = getattr(importlib.import_module(module), cls)
        _BACKENDS[name] = target
    return target()
