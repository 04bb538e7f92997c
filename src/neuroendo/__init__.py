"""neuroendo: measure and model neuro-hormonal balance.

Measure cortisol curves, thyroid homeostasis (SPINA), sex-hormone indices and dynamic endocrine
tests with units and LOINC codes; model the HPA, HPT and HPG axes. Subpackages load on first use,
so ``import neuroendo`` stays light (it imports numpy only).

Examples
--------
>>> import neuroendo
>>> neuroendo.measures.cortisol.auc_g([0, 10, 15, 30, 45], [3.5, 7, 14, 7, 10])
390.0
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from neuroendo._core.errors import (
    ConvergenceWarning,
    DataQualityWarning,
    DataValidationError,
    FitError,
    ModelDefinitionError,
    NeuroendoError,
    NeuroendoWarning,
    SimulationError,
    UnitAssumptionWarning,
    UnitError,
    UnknownAnalyteError,
)
from neuroendo._version import __version__

if TYPE_CHECKING:
    from neuroendo import (
        analysis,
        analytes,
        cohort,
        datasets,
        fit,
        io,
        measures,
        models,
        testing,
        units,
    )
    from neuroendo.simulation import simulate, simulate_cohort

__all__ = [
    "ConvergenceWarning",
    "DataQualityWarning",
    "DataValidationError",
    "FitError",
    "ModelDefinitionError",
    "NeuroendoError",
    "NeuroendoWarning",
    "SimulationError",
    "UnitAssumptionWarning",
    "UnitError",
    "UnknownAnalyteError",
    "__version__",
    "analysis",
    "analytes",
    "cohort",
    "datasets",
    "fit",
    "io",
    "measures",
    "models",
    "simulate",
    "simulate_cohort",
    "testing",
    "units",
]

_SUBMODULES = {
    "cohort",
    "fit",
    "analysis",
    "analytes",
    "datasets",
    "measures",
    "units",
    "models",
    "simulation",
    "io",
    "cli",
    "testing",
}


def __getattr__(name: str) -> Any:
    """Load subpackages, and ``simulate``, on first use (PEP 562)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"neuroendo.{name}")
    if name in ("simulate", "simulate_cohort"):
        return getattr(importlib.import_module("neuroendo.simulation"), name)
    raise AttributeError(f"module 'neuroendo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES | {"simulate", "simulate_cohort"})
