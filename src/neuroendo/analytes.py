"""The analyte catalogue: canonical units, molar masses and LOINC codes.

Examples
--------
>>> import neuroendo.analytes as analytes
>>> analytes.get("ft4").canonical_unit
'pmol/L'
>>> analytes.from_loinc("2143-6")[0].key
'cortisol'
"""

from neuroendo._core.analytes import (
    ANALYTES,
    Analyte,
    Loinc,
    LoincProperty,
    available,
    check_loinc_unit,
    from_loinc,
    get,
)
from neuroendo._core.errors import UnknownAnalyteError

__all__ = [
    "ANALYTES",
    "Analyte",
    "Loinc",
    "LoincProperty",
    "UnknownAnalyteError",
    "available",
    "check_loinc_unit",
    "from_loinc",
    "get",
]
