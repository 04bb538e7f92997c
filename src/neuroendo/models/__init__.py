"""Published mechanistic models of the neuroendocrine axes, declared as data.

Each model is one module, ``neuroendo.models.<axis>.<firstauthor><year>``, exposing ``MODEL`` (a
:class:`ModelSpec`) and optionally ``VARIANTS`` (named parameter sets, ``{name: {param: value}}``).
The registry finds them by scanning the subpackages :mod:`~neuroendo.models.hpa`,
:mod:`~neuroendo.models.hpt` and :mod:`~neuroendo.models.hpg` on first use, so importing this
package stays light.

Examples
--------
>>> from neuroendo import models
>>> "gupta2007" in models.available()
True
>>> spec = models.get("sriram2012", variant="depression")
>>> spec.time_unit
'h'
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from neuroendo._core.errors import ModelDefinitionError
from neuroendo._core.spec import Input, ModelSpec, Observable, Param, Ref, State
from neuroendo._core.validation import did_you_mean
from neuroendo.models._compose import Coupling, compose
from neuroendo.models._docs import page, to_markdown

__all__ = [
    "Coupling",
    "Input",
    "ModelSpec",
    "Observable",
    "Param",
    "Ref",
    "State",
    "available",
    "compose",
    "get",
    "page",
    "resolve",
    "to_markdown",
    "variants",
]

_SUBPACKAGES = ("hpa", "hpt", "hpg", "net")

# name -> module path; filled on first use (a cache, not configuration)
_INDEX: dict[str, str] = {}


def _discover() -> dict[str, str]:
    """Scan the axis subpackages once; map each ``MODEL.name`` to its module path."""
    if _INDEX:
        return _INDEX
    found: dict[str, str] = {}
    for sub in _SUBPACKAGES:
        pkg = importlib.import_module(f"neuroendo.models.{sub}")
        for info in pkgutil.iter_modules(pkg.__path__):
            if info.name.startswith("_") or info.ispkg:
                continue
            path = f"neuroendo.models.{sub}.{info.name}"
            module = importlib.import_module(path)
            model = getattr(module, "MODEL", None)
            if not isinstance(model, ModelSpec):
                continue  # helper modules without a model are allowed
            if model.name in found:
                raise ModelDefinitionError(
                    f"Two modules declare the model name {model.name!r}: "
                    f"{found[model.name]} and {path}; model names must be unique."
                )
            found[model.name] = path
    _INDEX.update(found)
    return _INDEX


def _module(name: str) -> ModuleType:
    index = _discover()
    if not isinstance(name, str) or name not in index:
        raise ModelDefinitionError(
            f"Unknown model {name!r}; available models are {', '.join(sorted(index))}."
            + (did_you_mean(name, index) if isinstance(name, str) else "")
        )
    return importlib.import_module(index[name])


def available(axis: str | None = None) -> tuple[str, ...]:
    """Return the names of the registered models, sorted.

    Parameters
    ----------
    axis : str, optional
        Only models of this axis (``"hpa"``, ``"hpt"``, ``"hpg"``).

    Returns
    -------
    tuple of str
        Model names usable with :func:`get` and ``neuroendo.simulate``.

    References
    ----------
    .. [1] The model modules' own References sections.

    Examples
    --------
    >>> "vinther2011" in available("hpa")
    True
    """
    index = _discover()
    if axis is None:
        return tuple(sorted(index))
    return tuple(sorted(n for n in index if get(n).axis == axis))


def variants(name: str) -> tuple[str, ...]:
    """Return the named parameter sets (``VARIANTS``) of a model.

    Parameters
    ----------
    name : str
        A registered model name.

    Returns
    -------
    tuple of str
        Variant names, in declaration order (empty when the model has none).

    References
    ----------
    .. [1] The model module's References section (each variant cites its source).

    Examples
    --------
    >>> variants("sriram2012")
    ('normal', 'depression', 'ptsd')
    """
    return tuple(getattr(_module(name), "VARIANTS", {}))


def get(name: str, variant: str | None = None) -> ModelSpec:
    """Return a registered model's :class:`ModelSpec`, optionally with a named parameter set.

    Parameters
    ----------
    name : str
        Model name, e.g. ``"gupta2007"`` (see :func:`available`).
    variant : str, optional
        Name of a parameter set in the module's ``VARIANTS`` (see :func:`variants`).

    Returns
    -------
    ModelSpec
        The model, with the variant's parameter values applied (bounds are checked).

    Raises
    ------
    ModelDefinitionError
        For an unknown model or variant name; the message suggests the closest one.

    References
    ----------
    .. [1] The model module's References section.

    Examples
    --------
    >>> get("gupta2007").states[0].name
    'crh'
    >>> get("gupta2007", variant="typo")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neuroendo._core.errors.ModelDefinitionError: Model 'gupta2007' has no variant 'typo'; ...
    """
    module = _module(name)
    model: ModelSpec = module.MODEL
    if variant is None:
        return model
    sets: dict[str, dict[str, Any]] = getattr(module, "VARIANTS", {})
    if variant not in sets:
        shown = ", ".join(sets) if sets else "none"
        raise ModelDefinitionError(
            f"Model {name!r} has no variant {variant!r}; its variants are: {shown}."
            + did_you_mean(str(variant), sets)
        )
    return model.with_params(sets[variant])


def resolve(model: ModelSpec | str, variant: str | None = None) -> ModelSpec:
    """Return the spec for ``model``: a :class:`ModelSpec` as given, or a registered name.

    Parameters
    ----------
    model : ModelSpec or str
        A declaration, or a name from :func:`available`.
    variant : str, optional
        Named parameter set (registered names only).

    Returns
    -------
    ModelSpec

    Raises
    ------
    TypeError
        If ``model`` is neither a spec nor a string.
    ValueError
        If ``variant`` is given with a spec (use ``spec.with_params`` instead).

    Examples
    --------
    >>> resolve("gupta2007").name
    'gupta2007'
    """
    if isinstance(model, ModelSpec):
        if variant is not None:
            raise ValueError(
                "'variant' applies to registered model names; for a ModelSpec use "
                "spec.with_params(...) instead."
            )
        return model
    if isinstance(model, str):
        return get(model, variant=variant)
    raise TypeError(f"'model' must be a ModelSpec or a registered model name, got {model!r}.")
