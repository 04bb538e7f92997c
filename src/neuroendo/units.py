"""Unit conversion with UCUM strings and analyte molar masses.

Examples
--------
>>> from neuroendo.units import convert
>>> round(convert(18.0, "ug/dL", "nmol/L", analyte="cortisol"), 1)
496.6
"""

from neuroendo._core.units import (
    KNOWN_UNITS,
    Value,
    conversion_factor,
    convert,
    dimension,
    is_compatible,
    normalize_unit,
)

__all__ = [
    "KNOWN_UNITS",
    "Value",
    "conversion_factor",
    "convert",
    "dimension",
    "is_compatible",
    "normalize_unit",
]
