"""Reading and writing the formats labs and tools use.

``neuroendo.io.tables``: CSV/Excel lab tables with units in headers or a ``unit`` column.
FHIR R4, HL7 v2, SBML and PEtab readers/writers join here as they land.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neuroendo.io import sbml, tables

__all__ = ["fhir", "hl7", "hpa_data", "lint", "petab", "sbml", "tables"]


def __getattr__(name: str) -> Any:
    """Load format modules on first use (PEP 562)."""
    if name in __all__:
        return importlib.import_module(f"neuroendo.io.{name}")
    raise AttributeError(f"module 'neuroendo.io' has no attribute {name!r}")
