"""Validation helpers used once, at the public boundary.

Messages follow MNE's ``_check_option`` and scikit-learn's parameter constraints: each names the
argument, the constraint and the value received, and suggests a fix where one exists.

Whole-table checks return data (as PEtab's linter does): an :class:`IssueList` of :class:`Issue`;
:class:`~neuroendo._core.errors.DataValidationError` is raised only when a computation cannot go on.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError

__all__ = [
    "Issue",
    "IssueList",
    "Severity",
    "as_float_array",
    "batch_length",
    "check_finite",
    "check_nonnegative",
    "check_option",
    "check_range",
    "check_same_length",
    "check_times",
    "did_you_mean",
]


def did_you_mean(value: str, allowed: Iterable[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest allowed string, or ``""``.

    Parameters
    ----------
    value : str
        The string received.
    allowed : iterable of str
        The valid strings.

    Returns
    -------
    str
        A suggestion sentence beginning with a space, or the empty string.

    Examples
    --------
    >>> did_you_mean("skp", ["raise", "skip"])
    " Did you mean 'skip'?"
    """
    allowed = list(allowed)
    lowered = {a.lower(): a for a in allowed}
    if value.lower() in lowered and lowered[value.lower()] != value:
        return f" Did you mean '{lowered[value.lower()]}'?"
    match = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    if not match:
        match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
        match = [lowered[m] for m in match]
    return f" Did you mean '{match[0]}'?" if match else ""


def check_option(name: str, value: Any, allowed: Collection[Any]) -> Any:
    """Check that ``value`` is one of ``allowed``.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : object
        The value received.
    allowed : collection
        The valid values.

    Returns
    -------
    object
        ``value``, unchanged.

    Raises
    ------
    ValueError
        If ``value`` is not allowed; the message lists the allowed values and suggests the closest.

    Examples
    --------
    >>> check_option("on_error", "skip", ("raise", "skip"))
    'skip'
    """
    if value in allowed:
        return value
    listed = ", ".join(repr(a) for a in allowed)
    hint = did_you_mean(value, [str(a) for a in allowed]) if isinstance(value, str) else ""
    raise ValueError(
        f"Invalid value for {name!r}: allowed values are {listed}, got {value!r}.{hint}"
    )


def check_range(
    name: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    *,
    inclusive: tuple[bool, bool] = (True, True),
) -> float:
    """Check that a scalar lies within ``[low, high]`` (bounds optional, inclusiveness per side).

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : float
        The value received.
    low, high : float, optional
        Bounds; ``None`` leaves that side open.
    inclusive : (bool, bool), default (True, True)
        Whether each bound is allowed.

    Returns
    -------
    float
        ``value`` as a float.

    Raises
    ------
    ValueError
        If the value is not a finite number within the bounds.

    Examples
    --------
    >>> check_range("percent", 15.5, 0, 100)
    15.5
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name!r} must be a number, got {value!r}.") from None
    if not np.isfinite(v):
        raise ValueError(f"{name!r} must be finite, got {value!r}.")
    lo_ok = low is None or (v >= low if inclusive[0] else v > low)
    hi_ok = high is None or (v <= high if inclusive[1] else v < high)
    if not (lo_ok and hi_ok):
        left = "[" if inclusive[0] else "("
        right = "]" if inclusive[1] else ")"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name!r} must lie in {left}{lo}, {hi}{right}, got {v:g}.")
    return v


def as_float_array(
    name: str, value: ArrayLike, *, ndim: int | tuple[int, ...] | None = None
) -> NDArray[np.float64]:
    """Convert to a float64 array, naming the argument when that fails.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : array-like
        Numbers (NaN allowed; strings that are not numbers are not).
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.

    Returns
    -------
    ndarray of float64

    Raises
    ------
    DataValidationError
        If the values are not numeric or have the wrong number of dimensions.

    Examples
    --------
    >>> as_float_array("conc", [1, 2.5])
    array([1. , 2.5])
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"{name!r} must contain numbers only; could not convert: {exc}."
        ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            shown = " or ".join(str(a) for a in allowed)
            raise DataValidationError(
                f"{name!r} must have {shown} dimension(s), got shape {arr.shape}."
            )
    return arr


def _fmt_positions(positions: NDArray[np.intp], limit: int = 5) -> str:
    shown = ", ".join(str(int(p)) for p in positions[:limit])
    return shown + (", ..." if positions.size > limit else "")


def check_finite(name: str, arr: NDArray[np.float64], *, allow_nan: bool = False) -> None:
    """Reject infinite values (and NaN unless ``allow_nan``), naming their positions.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    arr : ndarray
        The values to check.
    allow_nan : bool, default False
        Whether NaN (a missing value) is allowed.

    Raises
    ------
    DataValidationError
        If a value is infinite, or NaN when NaN is not allowed.
    """
    bad = np.isinf(arr) if allow_nan else ~np.isfinite(arr)
    if bad.any():
        pos = np.argwhere(bad)
        flat = pos[:, -1] if arr.ndim == 1 else np.ravel_multi_index(tuple(pos.T), arr.shape)
        where = _fmt_positions(np.atleast_1d(np.asarray(flat)))
        what = "infinite values" if allow_nan else "NaN or infinite values"
        raise DataValidationError(
            f"{name!r} contains {what} at position(s) {where}; remove or impute them first."
        )


def check_nonnegative(name: str, arr: NDArray[np.float64]) -> None:
    """Reject negative values (concentrations, durations), naming the first ones.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    arr : ndarray
        The values to check; NaN is ignored here.

    Raises
    ------
    DataValidationError
        If any value is negative.
    """
    with np.errstate(invalid="ignore"):
        neg = arr < 0
    if neg.any():
        flat = np.flatnonzero(neg)
        vals = ", ".join(f"{arr.flat[i]:g}" for i in flat[:3])
        raise DataValidationError(
            f"{name!r} must be non-negative; got {vals} at flat position(s) "
            f"{_fmt_positions(flat)}. Concentrations cannot be negative: check the sign or "
            "the assay's reporting of values below the detection limit."
        )


def check_same_length(**arrays: NDArray[Any] | Sequence[Any]) -> int:
    """Check that arrays share their last-axis length; return it.

    Parameters
    ----------
    **arrays
        Named arrays (names are used in the message).

    Returns
    -------
    int
        The common length.

    Raises
    ------
    DataValidationError
        If the lengths differ.

    Examples
    --------
    >>> check_same_length(times=[0, 1, 2], conc=[1.0, 2.0, 3.0])
    3
    """
    lengths = {k: np.shape(v)[-1] if np.ndim(v) else 1 for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise DataValidationError(f"Lengths do not match: {shown}; give one value per sample.")
    return next(iter(lengths.values()))


def batch_length(name: str, value: ArrayLike, n: int | None) -> int | None:
    """Track the common subject count of per-subject arguments.

    A scalar leaves ``n`` unchanged; a 1-D array must have ``n`` values (or sets ``n``).

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : array-like
        A scalar or a 1-D array with one value per subject.
    n : int or None
        The subject count found so far (``None``: none yet).

    Returns
    -------
    int or None
        The subject count after this argument.

    Raises
    ------
    DataValidationError
        If the array is not 1-D or its length differs from ``n``.

    Examples
    --------
    >>> batch_length("krd", [0.8, 0.9], None)
    2
    >>> batch_length("kcd", 1.0, 2)
    2
    """
    arr = np.asarray(value)
    if arr.ndim == 0:
        return n
    if arr.ndim != 1:
        raise DataValidationError(
            f"{name!r} must be a scalar or a 1-D array with one value per subject, got shape "
            f"{arr.shape}."
        )
    if n is not None and arr.shape[0] != n:
        raise DataValidationError(
            f"{name!r} has {arr.shape[0]} values but other per-subject arguments have {n}; "
            "give every per-subject array the same length."
        )
    return int(arr.shape[0])


def check_times(
    times: ArrayLike,
    *,
    name: str = "times",
    subject: str | None = None,
    allow_nan: bool = False,
) -> NDArray[np.float64]:
    """Check that sampling times are finite and strictly increasing along the last axis.

    Parameters
    ----------
    times : array-like, shape (n_samples,) or (n_subjects, n_samples)
        Sampling times.
    name : str, default "times"
        The argument's name, for the message.
    subject : str, optional
        Subject label, for the message (1-D input).
    allow_nan : bool, default False
        Allow NaN times (a missing sample); the remaining times must still increase.

    Returns
    -------
    ndarray of float64
        The times as an array.

    Raises
    ------
    DataValidationError
        If times are not numeric, not finite, or not strictly increasing.

    Examples
    --------
    >>> check_times([0, 10, 20])
    array([ 0., 10., 20.])
    """
    t = as_float_array(name, times, ndim=(1, 2))
    check_finite(name, t, allow_nan=allow_nan)
    t2 = np.atleast_2d(t)
    for row_index, row in enumerate(t2):
        r = row[~np.isnan(row)] if allow_nan else row
        d = np.diff(r)
        if (d <= 0).any():
            i = int(np.argmax(d <= 0))
            who = f" for subject {subject!r}" if subject is not None else ""
            if t.ndim == 2 and subject is None:
                who = f" in row {row_index}"
            got = ", ".join(f"{x:g}" for x in r[max(0, i - 1) : i + 2])
            kind = "duplicate" if d[i] == 0 else "decreasing"
            raise DataValidationError(
                f"{name!r} must be strictly increasing; got {got}{who} ({kind} at samples "
                f"{i}-{i + 1}). Sort the samples by time and remove duplicates."
            )
    return t


class Severity(enum.StrEnum):
    """Severity of a data issue: errors stop a computation, warnings do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a data table (PEtab-linter style).

    Parameters
    ----------
    severity : Severity
        ``error`` (the data cannot be used as is), ``warning`` or ``info``.
    code : str
        Stable machine-readable code, e.g. ``"unit-unknown"``.
    message : str
        Human-readable text naming the value and the fix.
    subject, row, column : optional
        Where the problem is (row is 1-based as in a spreadsheet, counting the header as row 1).
    """

    severity: Severity
    code: str
    message: str
    subject: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.subject is not None:
            where.append(f"subject {self.subject!r}")
        loc = f" ({', '.join(where)})" if where else ""
        return f"{self.severity.value}: {self.message}{loc} [{self.code}]"


class IssueList(Sequence[Issue]):
    """An ordered list of :class:`Issue` with helpers to filter and raise.

    Parameters
    ----------
    issues : iterable of Issue, optional
        Initial issues.
    """

    def __init__(self, issues: Iterable[Issue] = ()) -> None:
        self._issues: list[Issue] = list(issues)

    @overload
    def __getitem__(self, index: int) -> Issue: ...
    @overload
    def __getitem__(self, index: slice) -> IssueList: ...
    def __getitem__(self, index: int | slice) -> Issue | IssueList:
        if isinstance(index, slice):
            return IssueList(self._issues[index])
        return self._issues[index]

    def __len__(self) -> int:
        return len(self._issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self._issues)

    def __repr__(self) -> str:
        return f"IssueList({self._issues!r})"

    def __str__(self) -> str:
        return "\n".join(str(i) for i in self._issues) or "no issues"

    def append(self, issue: Issue) -> None:
        """Add one issue."""
        self._issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        """Add several issues."""
        self._issues.extend(issues)

    @property
    def errors(self) -> IssueList:
        """Issues of severity ``error``."""
        return IssueList(i for i in self._issues if i.severity is Severity.ERROR)

    @property
    def has_errors(self) -> bool:
        """Whether any issue is an error."""
        return any(i.severity is Severity.ERROR for i in self._issues)

    def raise_if_errors(self, context: str = "data") -> None:
        """Raise :class:`DataValidationError` listing the errors, if there are any.

        Parameters
        ----------
        context : str, default "data"
            What was checked (a file name, a table), for the message.

        Raises
        ------
        DataValidationError
            If at least one issue has severity ``error``.
        """
        errs = self.errors
        if errs:
            first = str(errs[0])
            more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
            raise DataValidationError(f"{context}: {first}{more}", issues=list(errs))
