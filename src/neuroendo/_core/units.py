"""Units: UCUM strings everywhere, pint underneath (imported lazily, only here).

Every unit in neuroendo is a UCUM string (``nmol/L``, ``ug/dL``, ``m[IU]/L``, ``nmol.min/L``,
``1``), as FHIR requires. Common lab spellings (``mIU/L``, ``µg/dl``, ``mcg/dL``, ``nmol/l``) are
accepted and normalised to UCUM by :func:`normalize_unit`; anything else raises
:class:`UnitError` with the closest known spelling.

Conversions between mass and molar concentrations use the analyte's molar mass from the catalogue
(:mod:`neuroendo._core.analytes`); international units (TSH, LH, FSH) have no molar mass, and asking
for such a conversion raises :class:`UnitError`. A unit is never guessed.

Conversion factors are computed once per ``(from_unit, to_unit, analyte)`` with pint and cached, so
converting an array costs one multiplication.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import UnitError
from neuroendo._core.validation import did_you_mean

if TYPE_CHECKING:
    from neuroendo._core.analytes import Analyte

__all__ = [
    "KNOWN_UNITS",
    "Value",
    "conversion_factor",
    "convert",
    "dimension",
    "is_compatible",
    "normalize_unit",
]

#: UCUM strings that neuroendo uses and documents; any valid UCUM expression of the supported
#: atoms is accepted too, these are the ones offered as suggestions.
KNOWN_UNITS: tuple[str, ...] = (
    "1",
    "%",
    "{ratio}",
    "g/L",
    "g/dL",
    "mg/dL",
    "mg/L",
    "ug/dL",
    "ug/L",
    "ug/mL",
    "ng/dL",
    "ng/mL",
    "ng/L",
    "pg/mL",
    "pg/dL",
    "pg/mg",
    "mol/L",
    "mmol/L",
    "umol/L",
    "nmol/L",
    "pmol/L",
    "fmol/mL",
    "[IU]/L",
    "m[IU]/L",
    "m[IU]/mL",
    "u[IU]/mL",
    "[IU]/mL",
    "ug/g{creat}",
    "s",
    "min",
    "h",
    "d",
    "ms",
    "ms2",
    "/min",
    "Hz",
    "pmol/s",
    "nmol/s",
    "nmol.min/L",
    "nmol.h/L",
    "nmol/L/min",
    "nmol/L/h",
    "mm[Hg]",
    "kg",
    "g/mol",
    "L/mol",
    "mol",
)

# Lab spellings that are not UCUM, mapped to their UCUM form (exact matches after µ/mcg folding).
_LAB_SPELLINGS: dict[str, str] = {
    "mIU/L": "m[IU]/L",
    "mIU/mL": "m[IU]/mL",
    "uIU/mL": "u[IU]/mL",
    "IU/L": "[IU]/L",
    "IU/mL": "[IU]/mL",
    "mmHg": "mm[Hg]",
    "bpm": "/min",
    "beats/min": "/min",
    "ms^2": "ms2",
    "ratio": "{ratio}",
}

_MOLE_PER_MASS = {"[substance]": 1, "[mass]": -1}


def _fold(unit: str) -> str:
    """Fold typographic variants: µ/μ/mcg -> u, whitespace, lower-case litre after '/'."""
    u = unit.strip().replace("µ", "u").replace("μ", "u").replace("mcg", "ug")
    u = re.sub(r"\s+", "", u)
    # a lower-case litre (nmol/l, ug/dl, pg/ml) is UCUM-valid but we keep one spelling: L
    u = re.sub(r"(?<=/)([munpfd]?)l(?![a-zA-Z])", lambda m: m.group(1) + "L", u)
    return u


def normalize_unit(unit: str) -> str:
    """Return the UCUM spelling neuroendo uses for ``unit``.

    Parameters
    ----------
    unit : str
        A UCUM string or a common lab spelling (``mIU/L``, ``µg/dl``, ``nmol/l``, ``mcg/dL``).

    Returns
    -------
    str
        The UCUM string (``m[IU]/L``, ``ug/dL``, ``nmol/L`` ...).

    Raises
    ------
    UnitError
        If the string is empty, not a string, or does not parse.

    Examples
    --------
    >>> normalize_unit("mIU/L")
    'm[IU]/L'
    >>> normalize_unit("µg/dl")
    'ug/dL'
    """
    if not isinstance(unit, str) or not unit.strip():
        raise UnitError(f"A unit must be a non-empty UCUM string such as 'nmol/L', got {unit!r}.")
    folded = _fold(unit)
    folded = _LAB_SPELLINGS.get(folded, folded)
    _parse(folded, original=unit)  # raises UnitError if unknown
    return folded


@functools.cache
def _registry() -> Any:
    import pint

    ureg: Any = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)
    # UCUM's arbitrary international unit: its own dimension, so IU never converts to moles/grams.
    ureg.define("international_unit = [international_unit] = IU")
    return ureg


_EXPONENT = re.compile(r"(?<=[A-Za-z\]])(-?\d+)")


def _ucum_to_pint(u: str) -> str:
    """Translate a UCUM expression into one pint parses (annotations dropped)."""
    # annotations carry no dimension: "{ratio}" alone is 1, "g{creat}" is g
    expr = re.sub(r"(?<![A-Za-z\]])\{[^}]*\}", "1", u)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    if expr in ("", "1"):
        return "dimensionless"
    expr = expr.replace("[IU]", "IU").replace("[Hg]", "Hg").replace("%", "percent")
    expr = re.sub(r"10[*^](-?\d+)", r"(10**\1)", expr)  # UCUM powers of ten, 10*9/L
    expr = _EXPONENT.sub(r"**\1", expr)  # ms2 -> ms**2, s-1 -> s**-1
    expr = expr.replace(".", "*")
    if expr.startswith("/"):
        expr = "1" + expr
    if expr.endswith("/"):
        expr += "1"
    return expr


@functools.cache
def _parse(u: str, original: str | None = None) -> Any:
    """Parse a UCUM string into a pint quantity (magnitude = any power-of-ten scale)."""
    import pint

    ureg = _registry()
    if re.search(r"[^A-Za-z0-9\[\]{}/.*^%_\-()]", u):
        raise UnitError(_unknown_message(original or u))
    try:
        q = ureg.parse_expression(_ucum_to_pint(u))
    except (pint.errors.PintError, Exception) as exc:  # any parse failure is an unknown unit
        raise UnitError(_unknown_message(original or u)) from exc
    if not isinstance(q, ureg.Quantity):
        q = ureg.Quantity(float(q), "dimensionless")
    return q


def _unknown_message(unit: str) -> str:
    hint = did_you_mean(_fold(unit), [*KNOWN_UNITS, *_LAB_SPELLINGS])
    return (
        f"Unknown unit {unit!r}: write units as UCUM strings such as 'nmol/L', 'ug/dL', 'pmol/L' "
        f"or 'm[IU]/L'.{hint}"
    )


def dimension(unit: str) -> str:
    """Return the physical dimension of a unit as text (pint's notation).

    Parameters
    ----------
    unit : str
        A UCUM string.

    Returns
    -------
    str
        E.g. ``"[substance] / [length] ** 3"`` for ``nmol/L``; ``"dimensionless"`` for ``1``.

    Examples
    --------
    >>> dimension("ug/dL")
    '[mass] / [length] ** 3'
    """
    dim = _parse(normalize_unit(unit)).dimensionality
    return str(dim) if dim else "dimensionless"


def _resolve_analyte(analyte: str | Analyte | None) -> Analyte | None:
    if analyte is None:
        return None
    from neuroendo._core.analytes import Analyte, get

    return analyte if isinstance(analyte, Analyte) else get(analyte)


@functools.cache
def _factor(src: str, dst: str, analyte_key: str | None, molar_mass: float | None) -> float:
    ureg = _registry()
    q = _parse(src)
    target = _parse(dst)
    if q.dimensionality == target.dimensionality:
        return float(q.to(target.units).magnitude / target.magnitude)
    ratio = dict((q / target).dimensionality)
    hint = ""
    if any(re.search(r"(?:^|[/.*])[munpfk]?U(?:$|[/.*0-9])", u) for u in (src, dst)):
        hint = (
            " Note: in UCUM 'U' is the enzyme unit (umol/min); international units are written "
            "'[IU]', e.g. 'm[IU]/L' for TSH."
        )
    who = f" for {analyte_key!r}" if analyte_key else ""
    if ratio in ({"[mass]": 1, "[substance]": -1}, {"[mass]": -1, "[substance]": 1}):
        if analyte_key is None:
            raise UnitError(
                f"Converting {src!r} to {dst!r} changes between mass and amount of substance and "
                "needs a molar mass: pass analyte=... (see neuroendo.analytes)."
            )
        if molar_mass is None:
            raise UnitError(
                f"Cannot convert {src!r} to {dst!r}{who}: the analyte has no single molar mass "
                "in the catalogue; report it in its lab unit."
            )
        mw = ureg.Quantity(molar_mass, "g/mol")
        converted = q / mw if ratio.get("[mass]") == 1 else q * mw
        return float(converted.to(target.units).magnitude / target.magnitude)
    if "[international_unit]" in ratio:
        raise UnitError(
            f"Cannot convert {src!r} to {dst!r}{who}: international units ([IU]) are defined by a "
            "biological reference preparation, not a mass or amount of substance; use the "
            f"assay's own conversion factor if you must.{hint}"
        )
    raise UnitError(
        f"Incompatible units{who}: {src!r} is {dimension(src)} but {dst!r} is {dimension(dst)}."
        f"{hint}"
    )


def conversion_factor(from_unit: str, to_unit: str, analyte: str | Analyte | None = None) -> float:
    """Return the factor ``f`` such that ``value[to_unit] = f * value[from_unit]``.

    Parameters
    ----------
    from_unit, to_unit : str
        UCUM strings (lab spellings accepted).
    analyte : str or Analyte, optional
        Catalogue key (``"cortisol"``) whose molar mass converts mass <-> molar units.

    Returns
    -------
    float
        The multiplicative factor.

    Raises
    ------
    UnitError
        For unknown units, incompatible dimensions, a mass/molar change without an analyte or
        molar mass, or international units to mass/moles.

    Examples
    --------
    >>> round(conversion_factor("ug/dL", "nmol/L", analyte="cortisol"), 3)
    27.589
    """
    src, dst = normalize_unit(from_unit), normalize_unit(to_unit)
    a = _resolve_analyte(analyte)
    if a is None:
        return _factor(src, dst, None, None)
    # International units must suit the analyte, not merely each other (nmol/L -> pmol/L "for
    # TSH" is a coding error). Mass and molar units convert through the molar mass whatever the
    # quantity (concentrations, doses, infusion rates), so only [IU] is checked.
    for u in (src, dst):
        if u != a.canonical_unit and ("[IU]" in u or "[IU]" in a.canonical_unit):
            try:
                _factor(u, a.canonical_unit, a.key, a.molar_mass)
            except UnitError as exc:
                raise UnitError(
                    f"Unit {u!r} does not suit {a.key!r} (canonical unit {a.canonical_unit!r}): "
                    f"{exc}"
                ) from None
    return _factor(src, dst, a.key, a.molar_mass)


@overload
def convert(
    value: float, from_unit: str, to_unit: str, analyte: str | Analyte | None = None
) -> float: ...
@overload
def convert(
    value: ArrayLike, from_unit: str, to_unit: str, analyte: str | Analyte | None = None
) -> float | NDArray[np.float64]: ...
def convert(
    value: ArrayLike, from_unit: str, to_unit: str, analyte: str | Analyte | None = None
) -> float | NDArray[np.float64]:
    """Convert values between units, using the analyte's molar mass where needed.

    Parameters
    ----------
    value : float or array-like
        Values in ``from_unit``. NaN stays NaN.
    from_unit, to_unit : str
        UCUM strings (lab spellings such as ``mIU/L`` or ``µg/dl`` are accepted).
    analyte : str or Analyte, optional
        Catalogue key (see ``neuroendo.analytes.available()``) for mass <-> molar conversions.

    Returns
    -------
    float or ndarray
        Values in ``to_unit``: a float for a scalar input, an array otherwise.

    Raises
    ------
    UnitError
        If a unit is unknown or the conversion is impossible (see :func:`conversion_factor`).

    Notes
    -----
    Mass to molar concentration divides by the molar mass :math:`M` (g/mol):
    :math:`c_{mol} = c_{mass} / M`, e.g. cortisol (:math:`M = 362.46`) 1 µg/dL = 27.589 nmol/L.

    Examples
    --------
    >>> round(convert(1.0, "ug/dL", "nmol/L", analyte="cortisol"), 3)
    27.589
    >>> convert([1.0, 2.0], "mIU/L", "u[IU]/mL")
    array([1., 2.])
    """
    f = conversion_factor(from_unit, to_unit, analyte)
    arr = np.asarray(value, dtype=np.float64)
    out = arr * f
    return float(out) if out.ndim == 0 else out


def is_compatible(unit_a: str, unit_b: str, analyte: str | Analyte | None = None) -> bool:
    """Whether values in ``unit_a`` can be converted to ``unit_b`` (for ``analyte``).

    Parameters
    ----------
    unit_a, unit_b : str
        UCUM strings.
    analyte : str or Analyte, optional
        Catalogue key, allowing mass <-> molar conversion.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_compatible("ng/dL", "pmol/L", analyte="ft4")
    True
    >>> is_compatible("m[IU]/L", "pmol/L")
    False
    """
    try:
        conversion_factor(unit_a, unit_b, analyte)
    except UnitError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Value:
    """A number (or array) with its UCUM unit.

    Parameters
    ----------
    magnitude : float or ndarray
        The value(s).
    unit : str
        UCUM string.

    Examples
    --------
    >>> Value(1.0, "ug/dL").to("nmol/L", analyte="cortisol").unit
    'nmol/L'
    """

    magnitude: Any
    unit: str

    def to(self, unit: str, analyte: str | Analyte | None = None) -> Value:
        """Return this value in another unit (see :func:`convert`)."""
        return Value(convert(self.magnitude, self.unit, unit, analyte), normalize_unit(unit))

    def __float__(self) -> float:
        return float(self.magnitude)
