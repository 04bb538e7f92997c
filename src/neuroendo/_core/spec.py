"""Declaration types for mechanistic models: Ref, State, Param, Input, Observable, ModelSpec.

A model file reads like the methods section of its paper: literature numbers are data beside their
citation. The types are frozen dataclasses (as in equinox/diffrax); they live in ``_core`` so that
``io`` (SBML, PEtab) and ``measures`` can use them without importing ``models``. Users import them
from :mod:`neuroendo.models`.

The right-hand side is a pure function ``rhs(t, y, p, u, xp=np)`` returning a tuple with one
derivative per state; ``y`` is a tuple-unpackable array of shape ``(n_states,)`` or
``(n_states, n_subjects)``, ``p`` and ``u`` are NamedTuples of parameters and input values.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

import numpy as np
from numpy.typing import NDArray

from neuroendo._core.errors import ModelDefinitionError
from neuroendo._core.validation import did_you_mean

__all__ = ["Input", "ModelSpec", "Observable", "Param", "Ref", "State"]

_AXES = ("hpa", "hpt", "hpg", "ans", "network", "immune", "other")


@dataclass(frozen=True, slots=True)
class Ref:
    """A literature reference, optionally pointing at a place in it.

    Parameters
    ----------
    key : str
        Short key, ``<firstauthor><year>``.
    doi : str
        DOI without the ``doi:`` prefix (``""`` when none exists).
    where : str
        Location inside the work (``"eq. 9"``, ``"Table 1"``).
    citation : str
        Full citation for docs.

    Examples
    --------
    >>> Ref("gupta2007", doi="10.1186/1742-4682-4-8").at("eq. 9").where
    'eq. 9'
    """

    key: str
    doi: str = ""
    where: str = ""
    citation: str = ""

    def at(self, where: str) -> Ref:
        """Return the same reference pointing at ``where`` (an equation, table or page)."""
        return dataclasses.replace(self, where=where)

    def __str__(self) -> str:
        s = self.key + (f", {self.where}" if self.where else "")
        return s + (f" (doi:{self.doi})" if self.doi else "")


@dataclass(frozen=True, slots=True)
class State:
    """A state variable: name (shared across models), initial value, unit, description."""

    name: str
    y0: float
    unit: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter with value, unit, bounds and source.

    Parameters
    ----------
    name : str
        The paper's symbol, as a Python identifier.
    value : float
        Nominal value, in ``unit``.
    unit : str
        UCUM unit (``"1"`` for scaled models).
    bounds : (float, float)
        Plausible range; fitting and sampling stay inside it.
    source : Ref
        Where the value comes from.
    description : str
        What it means.

    Raises
    ------
    ModelDefinitionError
        If the value lies outside the bounds or the bounds are not ordered.
    """

    name: str
    value: float
    unit: str
    bounds: tuple[float, float]
    source: Ref
    description: str = ""

    def __post_init__(self) -> None:
        lo, hi = self.bounds
        if not (math.isfinite(self.value) and lo <= hi):
            raise ModelDefinitionError(
                f"Param {self.name!r}: bounds must be ordered and the value finite; got value "
                f"{self.value!r}, bounds {self.bounds!r}."
            )
        if not (lo <= self.value <= hi):
            raise ModelDefinitionError(
                f"Param {self.name!r}: value {self.value:g} lies outside its bounds "
                f"[{lo:g}, {hi:g}]; widen the bounds or check the source ({self.source.key})."
            )


@dataclass(frozen=True, slots=True)
class Input:
    """An external input (stress drive, circadian drive, drug) with its default value and unit.

    ``analyte`` (a catalogue key) lets ``simulate`` convert doses between mass and molar units
    (a levothyroxine schedule in ``ug/h`` into an input declared in ``umol/h``).
    """

    name: str
    default: float
    unit: str
    description: str = ""
    analyte: str | None = None


@dataclass(frozen=True, slots=True)
class Observable:
    """A measured quantity computed from a state: ``value = scale * state`` in ``unit``.

    Parameters
    ----------
    name : str
        Observable name (usually an analyte key, e.g. ``"cortisol"``).
    state : str
        State it reads.
    scale : float
        Factor from the state's unit to ``unit``.
    unit : str
        Physical UCUM unit.
    description : str
        Where the scaling comes from.
    """

    name: str
    state: str
    scale: float
    unit: str
    description: str = ""


def _namedtuple_type(typename: str, names: tuple[str, ...]) -> type[Any]:
    return cast(type[Any], NamedTuple(typename, [(n, Any) for n in names]))


@dataclass(frozen=True)
class ModelSpec:
    """A mechanistic model declared as data.

    Parameters
    ----------
    name : str
        Registry name (``"gupta2007"``).
    axis : str
        ``"hpa"``, ``"hpt"``, ``"hpg"``, ``"ans"``, ``"network"``, ``"immune"`` or ``"other"``.
    states, params, inputs : tuple
        Declarations, in RHS order.
    rhs : callable
        ``rhs(t, y, p, u, xp=np) -> tuple`` of derivatives, one per state.
    time_unit : str
        UCUM unit of model time (``"h"``, ``"min"``, ``"1"`` for scaled time).
    references : tuple of Ref
        Sources of the model.
    observables : tuple of Observable
        Physical read-outs of states.
    description : str
        One paragraph for docs and listings.
    stiff : bool
        Whether a stiff solver is recommended.

    Raises
    ------
    ModelDefinitionError
        If names repeat, are not identifiers, or an observable names an unknown state.
    """

    name: str
    axis: str
    states: tuple[State, ...]
    params: tuple[Param, ...]
    rhs: Callable[..., tuple[Any, ...]]
    time_unit: str
    inputs: tuple[Input, ...] = ()
    references: tuple[Ref, ...] = ()
    observables: tuple[Observable, ...] = ()
    description: str = ""
    stiff: bool = False
    _types: dict[str, type[Any]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.axis not in _AXES:
            raise ModelDefinitionError(
                f"Model {self.name!r}: axis must be one of {', '.join(_AXES)}, got {self.axis!r}."
            )
        for kind, items in (
            ("state", self.states),
            ("param", self.params),
            ("input", self.inputs),
            ("observable", self.observables),
        ):
            names = [i.name for i in items]
            dup = {n for n in names if names.count(n) > 1}
            if dup:
                raise ModelDefinitionError(
                    f"Model {self.name!r}: duplicate {kind} names {sorted(dup)}."
                )
            bad = [n for n in names if not n.isidentifier()]
            if bad:
                raise ModelDefinitionError(
                    f"Model {self.name!r}: {kind} names must be Python identifiers, got {bad}."
                )
        for o in self.observables:
            if o.state not in self.state_names:
                raise ModelDefinitionError(
                    f"Model {self.name!r}: observable {o.name!r} reads unknown state {o.state!r}."
                    + did_you_mean(o.state, self.state_names)
                )
        self._types["P"] = _namedtuple_type(f"{self.name}_params", self.param_names)
        self._types["U"] = _namedtuple_type(f"{self.name}_inputs", self.input_names)

    # --- names and values -------------------------------------------------------------------
    @property
    def state_names(self) -> tuple[str, ...]:
        """State names, in RHS order."""
        return tuple(s.name for s in self.states)

    @property
    def param_names(self) -> tuple[str, ...]:
        """Parameter names, in declaration order."""
        return tuple(p.name for p in self.params)

    @property
    def input_names(self) -> tuple[str, ...]:
        """Input names, in declaration order."""
        return tuple(i.name for i in self.inputs)

    @property
    def y0(self) -> NDArray[np.float64]:
        """Default initial state, shape ``(n_states,)``."""
        return np.array([s.y0 for s in self.states], dtype=np.float64)

    @property
    def param_values(self) -> NDArray[np.float64]:
        """Nominal parameter values, shape ``(n_params,)``."""
        return np.array([p.value for p in self.params], dtype=np.float64)

    @property
    def P(self) -> type[Any]:
        """NamedTuple type holding parameter values (fields = parameter names)."""
        return self._types["P"]

    @property
    def U(self) -> type[Any]:
        """NamedTuple type holding input values (fields = input names)."""
        return self._types["U"]

    def param(self, name: str) -> Param:
        """Return the :class:`Param` called ``name`` (error with a suggestion if unknown)."""
        for p in self.params:
            if p.name == name:
                return p
        raise ModelDefinitionError(
            f"Model {self.name!r} has no parameter {name!r}; parameters are "
            f"{', '.join(self.param_names)}.{did_you_mean(name, self.param_names)}"
        )

    def state(self, name: str) -> State:
        """Return the :class:`State` called ``name`` (error with a suggestion if unknown)."""
        for s in self.states:
            if s.name == name:
                return s
        raise ModelDefinitionError(
            f"Model {self.name!r} has no state {name!r}; states are "
            f"{', '.join(self.state_names)}.{did_you_mean(name, self.state_names)}"
        )

    def default_params(self) -> Any:
        """Return the nominal parameters as the model's NamedTuple ``P``."""
        return self.P(*self.param_values)

    def default_inputs(self) -> Any:
        """Return the input defaults as the model's NamedTuple ``U``."""
        return self.U(*(i.default for i in self.inputs))

    # --- variants ---------------------------------------------------------------------------
    def with_params(
        self, values: Mapping[str, float] | None = None, /, **kwargs: float
    ) -> ModelSpec:
        """Return a new spec with changed nominal parameter values (bounds are checked).

        Parameters
        ----------
        values : mapping, optional
            ``{name: value}``.
        **kwargs
            More ``name=value`` pairs.

        Returns
        -------
        ModelSpec

        Raises
        ------
        ModelDefinitionError
            For unknown names (with a suggestion) or values outside bounds.
        """
        changes = {**(values or {}), **kwargs}
        for n in changes:
            self.param(n)  # raises with a suggestion
        params = tuple(
            dataclasses.replace(p, value=float(changes[p.name])) if p.name in changes else p
            for p in self.params
        )
        return dataclasses.replace(self, params=params, _types={})

    def with_states(
        self, values: Mapping[str, float] | None = None, /, **kwargs: float
    ) -> ModelSpec:
        """Return a new spec with changed default initial values."""
        changes = {**(values or {}), **kwargs}
        for n in changes:
            self.state(n)
        states = tuple(
            dataclasses.replace(s, y0=float(changes[s.name])) if s.name in changes else s
            for s in self.states
        )
        return dataclasses.replace(self, states=states, _types={})
