"""Input handling shared by the measure families (private).

Validate once at the public boundary: each helper names the argument, the value and the fix.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo._core.units import convert
from neuroendo._core.validation import as_float_array, check_finite, check_nonnegative

__all__: list[str] = []


def concentration(
    name: str, value: ArrayLike, unit: str, *, analyte: str, to_unit: str, unit_arg: str
) -> NDArray[np.float64]:
    """Validate one concentration argument and convert it to ``to_unit`` (NaN passes through)."""
    arr = as_float_array(name, value)
    check_values(name, arr)
    try:
        out = convert(arr, unit, to_unit, analyte=analyte)
    except UnitError as exc:
        raise UnitError(f"Invalid {unit_arg}={unit!r} for {name!r}: {exc}") from None
    return np.asarray(out, dtype=np.float64)


def check_values(name: str, arr: NDArray[np.float64]) -> None:
    """Reject infinite and negative values (NaN allowed: a missing value)."""
    flat = np.atleast_1d(arr)  # positions in messages are flat indices, also for scalars
    check_finite(name, flat, allow_nan=True)
    check_nonnegative(name, flat)


def broadcast(**arrays: NDArray[np.float64]) -> list[NDArray[np.float64]]:
    """Broadcast subject arrays against each other, naming the shapes when that fails."""
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shown = ", ".join(f"{k!r} has shape {np.shape(v)}" for k, v in arrays.items())
        raise DataValidationError(
            f"Input shapes do not match: {shown}. Give one value per subject (equal lengths) "
            "or a single value to use for every subject."
        ) from None


def require_positive(name: str, arr: NDArray[np.float64], why: str) -> None:
    """Reject exact zeros where the formula divides by the value or takes its logarithm."""
    zero = arr == 0
    if zero.any():
        pos = ", ".join(str(int(i)) for i in np.flatnonzero(zero)[:5])
        raise DataValidationError(
            f"{name!r} must be > 0 ({why}); got 0 at flat position(s) {pos}. A value reported as "
            "0 is usually below the assay's detection limit: substitute that limit or set the "
            "value to NaN to skip the subject."
        )


def out(arr: NDArray[np.float64]) -> float | NDArray[np.float64]:
    """Return a Python float for 0-d results, the array otherwise."""
    return float(arr) if arr.ndim == 0 else arr
