"""Exceptions and warnings raised on purpose by neuroendo.

* NeuroendoError
  ├─ ModelDefinitionError (ValueError)    a model declaration is inconsistent
  ├─ DataValidationError  (ValueError)    measurements fail checks; carries .issues
  ├─ UnitError            (ValueError)    unknown, missing or incompatible unit
  ├─ UnknownAnalyteError  (KeyError, ValueError)  analyte key or LOINC code not in the catalogue
  ├─ SimulationError      (RuntimeError)  the integrator failed
  └─ FitError             (RuntimeError)  the optimiser could not start or finish
* NeuroendoWarning (UserWarning)
  └─ ConvergenceWarning, DataQualityWarning, UnitAssumptionWarning

Every error subclasses the builtin it refines, so ``except ValueError`` keeps working (as with
scikit-learn's ``NotFittedError`` and xarray's ``MergeError``).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neuroendo._core.validation import Issue

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
    "warn",
]


class NeuroendoError(Exception):
    """Base class of every exception neuroendo raises on purpose."""


class ModelDefinitionError(NeuroendoError, ValueError):
    """A model declaration is inconsistent (names, units, bounds, sources)."""


class DataValidationError(NeuroendoError, ValueError):
    """Measurements fail a check that a computation cannot go on without.

    Parameters
    ----------
    message : str
        What is wrong, naming the field, the value and the fix.
    issues : sequence of Issue, optional
        The individual problems found (see :class:`neuroendo._core.validation.Issue`).
    """

    def __init__(self, message: str, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message)
        self.issues: tuple[Issue, ...] = tuple(issues)


class UnitError(NeuroendoError, ValueError):
    """A unit is unknown, missing, or incompatible with the quantity or analyte."""


class UnknownAnalyteError(NeuroendoError, KeyError, ValueError):
    """An analyte key or LOINC code is not in the catalogue."""

    def __str__(self) -> str:  # KeyError would quote the message; show it plainly
        return str(self.args[0]) if self.args else ""


class SimulationError(NeuroendoError, RuntimeError):
    """The integrator failed; the message names model, time and solver message."""


class FitError(NeuroendoError, RuntimeError):
    """The optimiser could not start or finish."""


class NeuroendoWarning(UserWarning):
    """Base class of every warning neuroendo issues on purpose."""


class ConvergenceWarning(NeuroendoWarning):
    """An iterative method stopped before it met its tolerance."""


class DataQualityWarning(NeuroendoWarning):
    """Data can be used but something about them is suspicious (e.g. an outlier, a late sample)."""


class UnitAssumptionWarning(NeuroendoWarning):
    """A unit was assumed because the caller asked for it (``assume_unit=``)."""


_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])


def warn(message: str, category: type[Warning] = NeuroendoWarning, **kwargs: Any) -> None:
    """Issue a warning that points at the first frame outside neuroendo (MNE's ``warn``).

    Parameters
    ----------
    message : str
        The warning text.
    category : type of Warning, default NeuroendoWarning
        The warning class.
    **kwargs
        Passed on to :func:`warnings.warn`.
    """
    frame: Any = sys._getframe(1)  # the caller of warn(), which is stacklevel 2
    stacklevel = 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        stacklevel += 1
    warnings.warn(message, category, stacklevel=stacklevel, **kwargs)
