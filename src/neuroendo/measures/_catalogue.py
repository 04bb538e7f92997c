"""Catalogue of every index neuroendo computes: name, function, unit, formula, references.

One :class:`Index` per output quantity (a column name in tables, a key in mappings). A test checks
that every public measure function has at least one entry and that every entry's function exists.
Each family keeps its entries in its own tuple below; add to your family's tuple only.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOGUE", "Index"]


@dataclass(frozen=True, slots=True)
class Index:
    """Declaration of one computed index.

    Parameters
    ----------
    name : str
        Output name (column or mapping key), e.g. ``"cortisol_auc_g"`` or ``"spina_gt"``.
    function : str
        Dotted path of the public function that computes it.
    unit : str
        UCUM unit of the result; ``"{input}.min"`` style text where it follows the input unit.
    formula : str
        LaTeX formula (repeated in the function's ``Notes``).
    references : tuple of str
        Citations (author year, journal, doi where known).
    methods : tuple of str
        Named method variants (``"vermeulen1999"``), first is the default.
    loinc : str or None
        LOINC code of the result, where one exists (SPINA-GT 82368-2).
    description : str
        One line for listings.
    """

    name: str
    function: str
    unit: str
    formula: str
    references: tuple[str, ...]
    methods: tuple[str, ...] = ()
    loinc: str | None = None
    description: str = ""


PRUESSNER2003 = (
    "Pruessner JC et al. Psychoneuroendocrinology 2003;28(7):916-931. "
    "doi:10.1016/S0306-4530(02)00108-7"
)

# --- cortisol (neuroendo.measures.cortisol) ------------------------------------------------------
CORTISOL: tuple[Index, ...] = ()

# --- thyroid (neuroendo.measures.thyroid) --------------------------------------------------------
THYROID: tuple[Index, ...] = ()

# --- gonadal (neuroendo.measures.gonadal) --------------------------------------------------------
GONADAL: tuple[Index, ...] = ()

# --- dynamic tests (neuroendo.measures.dynamic_tests) --------------------------------------------
DYNAMIC_TESTS: tuple[Index, ...] = ()

#: Every index by name.
CATALOGUE: dict[str, Index] = {
    i.name: i for i in (*CORTISOL, *THYROID, *GONADAL, *DYNAMIC_TESTS)
}
