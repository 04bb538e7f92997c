"""The analyte catalogue: canonical unit, molar mass, LOINC codes and accepted units.

One canonical unit per analyte (as MNE's ``defaults.py`` per channel type). Keys are lower-case and
used everywhere: tables, FHIR/HL7 mapping, reference ranges and the balance profile.

LOINC codes come in siblings: a *mass* code (e.g. 2143-6, cortisol in µg/dL) and a *molar* code
(14675-3, nmol/L). A molar value sent under a mass code is a coding error: switch to the sibling
code, never rewrite the number (:func:`check_loinc_unit`).

Sources
-------
LOINC numbers and property (mass/molar/arbitrary units) were checked against the LOINC 2.83 table as
summarised in ``shared/reference/clinical.md`` §7.1; molar masses are those of §7.3 (PubChem
monoisotopic-average masses; ACTH 1-39 ≈ 4,541 g/mol). Albumin uses the modern 66,500 g/mol
(Vermeulen 1999 used 69,000 g/mol, which :func:`neuroendo.measures.gonadal.free_testosterone`
keeps for fidelity to the published method).
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field

from neuroendo._core.errors import UnitError, UnknownAnalyteError
from neuroendo._core.validation import did_you_mean

__all__ = [
    "ANALYTES",
    "Analyte",
    "Loinc",
    "LoincProperty",
    "available",
    "check_loinc_unit",
    "from_loinc",
    "get",
]


class LoincProperty(enum.StrEnum):
    """The LOINC *property* axis, which fixes which units a code may carry."""

    MASS = "mass"  # MCnc: mass concentration (ug/dL, ng/mL ...)
    MOLAR = "molar"  # SCnc: substance concentration (nmol/L, pmol/L ...)
    UNITS = "units"  # ACnc: arbitrary (international) units per volume (m[IU]/L)


@dataclass(frozen=True, slots=True)
class Loinc:
    """One LOINC code of an analyte.

    Parameters
    ----------
    code : str
        The LOINC number, e.g. ``"2143-6"``.
    prop : LoincProperty
        Mass, molar or arbitrary-unit concentration.
    example_unit : str
        The UCUM unit LOINC gives as example for this code.
    specimen : str
        ``"serum"`` (serum or plasma), ``"plasma"`` or ``"saliva"``.
    display : str
        The LOINC long common name.
    """

    code: str
    prop: LoincProperty
    example_unit: str
    specimen: str
    display: str


@dataclass(frozen=True, slots=True)
class Analyte:
    """A measured substance and how neuroendo stores it.

    Parameters
    ----------
    key : str
        Lower-case key used everywhere (``"cortisol"``, ``"ft4"`` ...).
    name : str
        Human-readable name.
    canonical_unit : str
        UCUM unit in which neuroendo stores and computes this analyte.
    molar_mass : float or None
        g/mol, for mass <-> molar conversions; ``None`` for analytes measured in international
        units or without a single molar mass.
    loinc : tuple of Loinc
        Codes (mass and molar siblings where both exist).
    axis : str
        ``"hpa"``, ``"hpt"``, ``"hpg"`` or ``"other"``.
    specimen : str
        Default specimen.
    note : str
        Caveats (assay dependence, conversion sources).
    """

    key: str
    name: str
    canonical_unit: str
    molar_mass: float | None
    loinc: tuple[Loinc, ...]
    axis: str
    specimen: str = "serum"
    note: str = ""
    aliases: tuple[str, ...] = field(default=())

    @property
    def units_kind(self) -> LoincProperty:
        """Whether the canonical unit is a mass, molar or international-unit concentration."""
        if "[IU]" in self.canonical_unit:
            return LoincProperty.UNITS
        return LoincProperty.MOLAR if "mol" in self.canonical_unit else LoincProperty.MASS

    def loinc_for(self, prop: LoincProperty | str) -> Loinc | None:
        """Return this analyte's LOINC code with the given property, or ``None``."""
        prop = LoincProperty(prop)
        return next((c for c in self.loinc if c.prop is prop), None)


_KIND_TEXT = {
    LoincProperty.MASS: "mass-concentration",
    LoincProperty.MOLAR: "molar-concentration",
    LoincProperty.UNITS: "international-units-concentration",
}

_M, _S, _U = LoincProperty.MASS, LoincProperty.MOLAR, LoincProperty.UNITS
_SP = "Serum or Plasma"

ANALYTES: dict[str, Analyte] = {
    a.key: a
    for a in (
        Analyte(
            "cortisol",
            "Cortisol (serum/plasma)",
            "nmol/L",
            362.46,
            (
                Loinc("2143-6", _M, "ug/dL", "serum", f"Cortisol [Mass/volume] in {_SP}"),
                Loinc("14675-3", _S, "nmol/L", "serum", f"Cortisol [Moles/volume] in {_SP}"),
            ),
            "hpa",
            aliases=("serum_cortisol", "plasma_cortisol"),
        ),
        Analyte(
            "saliva_cortisol",
            "Cortisol (saliva)",
            "nmol/L",
            362.46,
            (
                Loinc(
                    "2142-8", _M, "ug/dL", "saliva", "Cortisol [Mass/volume] in Saliva (oral fluid)"
                ),
            ),
            "hpa",
            specimen="saliva",
            note="No molar LOINC code for saliva cortisol is confirmed; report mass units "
            "under 2142-8 or keep nmol/L in tables.",
            aliases=("salivary_cortisol",),
        ),
        Analyte(
            "acth",
            "Corticotropin (ACTH)",
            "pmol/L",
            4541.0,
            (Loinc("2141-0", _M, "pg/mL", "plasma", "Corticotropin [Mass/volume] in Plasma"),),
            "hpa",
            specimen="plasma",
            note="ACTH 1-39; 1 pg/mL = 0.2202 pmol/L.",
            aliases=("corticotropin",),
        ),
        Analyte(
            "tsh",
            "Thyrotropin (TSH)",
            "m[IU]/L",
            None,
            (
                Loinc("3016-3", _U, "m[IU]/L", "serum", f"Thyrotropin [Units/volume] in {_SP}"),
                Loinc(
                    "11580-8",
                    _U,
                    "m[IU]/L",
                    "serum",
                    f"Thyrotropin [Units/volume] in {_SP} by Detection limit <= 0.005 mIU/L",
                ),
            ),
            "hpt",
            note="International units: mIU/L = uIU/mL; no molar conversion.",
            aliases=("thyrotropin",),
        ),
        Analyte(
            "ft4",
            "Free thyroxine (FT4)",
            "pmol/L",
            776.87,
            (
                Loinc(
                    "3024-7", _M, "ng/dL", "serum", f"Thyroxine (T4) free [Mass/volume] in {_SP}"
                ),
                Loinc(
                    "14920-3", _S, "pmol/L", "serum", f"Thyroxine (T4) free [Moles/volume] in {_SP}"
                ),
            ),
            "hpt",
            note="1 ng/dL = 12.872 pmol/L (SPINA uses 12.8 for legacy reasons).",
            aliases=("free_t4",),
        ),
        Analyte(
            "ft3",
            "Free triiodothyronine (FT3)",
            "pmol/L",
            650.97,
            (
                Loinc(
                    "3051-0",
                    _M,
                    "pg/mL",
                    "serum",
                    f"Triiodothyronine (T3) Free [Mass/volume] in {_SP}",
                ),
                Loinc(
                    "14928-6",
                    _S,
                    "pmol/L",
                    "serum",
                    f"Triiodothyronine (T3) Free [Moles/volume] in {_SP}",
                ),
            ),
            "hpt",
            note="1 pg/mL = 1.5362 pmol/L (SPINA uses 1.54).",
            aliases=("free_t3",),
        ),
        Analyte(
            "tt4",
            "Total thyroxine (TT4)",
            "nmol/L",
            776.87,
            (
                Loinc("3026-2", _M, "ug/dL", "serum", f"Thyroxine (T4) [Mass/volume] in {_SP}"),
                Loinc("14921-1", _S, "nmol/L", "serum", f"Thyroxine (T4) [Moles/volume] in {_SP}"),
            ),
            "hpt",
            aliases=("total_t4", "t4"),
        ),
        Analyte(
            "tt3",
            "Total triiodothyronine (TT3)",
            "nmol/L",
            650.97,
            (
                Loinc(
                    "3053-6", _M, "ng/dL", "serum", f"Triiodothyronine (T3) [Mass/volume] in {_SP}"
                ),
                Loinc(
                    "14930-2",
                    _S,
                    "nmol/L",
                    "serum",
                    f"Triiodothyronine (T3) [Moles/volume] in {_SP}",
                ),
            ),
            "hpt",
            aliases=("total_t3", "t3"),
        ),
        Analyte(
            "lh",
            "Lutropin (LH)",
            "[IU]/L",
            None,
            (Loinc("10501-5", _U, "m[IU]/mL", "serum", f"Lutropin [Units/volume] in {_SP}"),),
            "hpg",
            note="mIU/mL = IU/L.",
            aliases=("lutropin",),
        ),
        Analyte(
            "fsh",
            "Follitropin (FSH)",
            "[IU]/L",
            None,
            (Loinc("15067-2", _U, "m[IU]/mL", "serum", f"Follitropin [Units/volume] in {_SP}"),),
            "hpg",
            note="mIU/mL = IU/L.",
            aliases=("follitropin",),
        ),
        Analyte(
            "testosterone",
            "Testosterone, total",
            "nmol/L",
            288.42,
            (
                Loinc("2986-8", _M, "ng/dL", "serum", f"Testosterone [Mass/volume] in {_SP}"),
                Loinc("14913-8", _S, "nmol/L", "serum", f"Testosterone [Moles/volume] in {_SP}"),
            ),
            "hpg",
            note="1 ng/dL = 0.034672 nmol/L.",
            aliases=("total_testosterone", "tt"),
        ),
        Analyte(
            "free_testosterone",
            "Testosterone, free",
            "nmol/L",
            288.42,
            (
                Loinc("2991-8", _M, "pg/mL", "serum", f"Testosterone.free [Mass/volume] in {_SP}"),
                Loinc(
                    "14914-6", _S, "pmol/L", "serum", f"Testosterone.free [Moles/volume] in {_SP}"
                ),
            ),
            "hpg",
            note="Calculated (Vermeulen 1999) or by equilibrium dialysis; state which.",
            aliases=("ft", "cft"),
        ),
        Analyte(
            "shbg",
            "Sex hormone binding globulin (SHBG)",
            "nmol/L",
            None,
            (
                Loinc(
                    "13967-5",
                    _S,
                    "nmol/L",
                    "serum",
                    f"Sex hormone binding globulin [Moles/volume] in {_SP}",
                ),
            ),
            "hpg",
            note="Reported in nmol/L of binding sites; no mass conversion.",
        ),
        Analyte(
            "albumin",
            "Albumin",
            "g/L",
            66500.0,
            (Loinc("1751-7", _M, "g/dL", "serum", f"Albumin [Mass/volume] in {_SP}"),),
            "other",
            note="Molar mass 66,500 g/mol (Vermeulen 1999 used 69,000).",
        ),
        Analyte(
            "estradiol",
            "Estradiol (E2)",
            "pmol/L",
            272.38,
            (
                Loinc("2243-4", _M, "pg/mL", "serum", f"Estradiol (E2) [Mass/volume] in {_SP}"),
                Loinc("14715-7", _S, "pmol/L", "serum", f"Estradiol (E2) [Moles/volume] in {_SP}"),
            ),
            "hpg",
            note="1 pg/mL = 3.6713 pmol/L.",
            aliases=("e2", "oestradiol"),
        ),
        Analyte(
            "progesterone",
            "Progesterone",
            "nmol/L",
            314.46,
            (
                Loinc("2839-9", _M, "ng/mL", "serum", f"Progesterone [Mass/volume] in {_SP}"),
                Loinc("14890-8", _S, "nmol/L", "serum", f"Progesterone [Moles/volume] in {_SP}"),
            ),
            "hpg",
            aliases=("p4",),
        ),
        Analyte(
            "dhea_s",
            "Dehydroepiandrosterone sulfate (DHEA-S)",
            "umol/L",
            368.49,
            (
                Loinc(
                    "2191-5",
                    _M,
                    "ug/dL",
                    "serum",
                    f"Dehydroepiandrosterone sulfate [Mass/volume] in {_SP}",
                ),
                Loinc(
                    "14688-6",
                    _S,
                    "umol/L",
                    "serum",
                    f"Dehydroepiandrosterone sulfate [Moles/volume] in {_SP}",
                ),
            ),
            "hpa",
            note="Molar mass of the free acid (368.49); labs using the sodium salt "
            "(390.5) report about 6 % lower molar values.",
            aliases=("dheas", "dhea-s"),
        ),
        Analyte(
            "prolactin",
            "Prolactin",
            "ug/L",
            None,
            (Loinc("2842-3", _M, "ng/mL", "serum", f"Prolactin [Mass/volume] in {_SP}"),),
            "hpg",
            note="ng/mL = ug/L. The ng/mL <-> mIU/L factor (about 21.2 for WHO IS 84/500) "
            "is assay-specific, so neuroendo does not convert between them.",
            aliases=("prl",),
        ),
    )
}

_ALIASES: dict[str, str] = {alias: a.key for a in ANALYTES.values() for alias in a.aliases}


def available() -> list[str]:
    """Return the keys of the catalogue, in catalogue order.

    Returns
    -------
    list of str

    Examples
    --------
    >>> available()[:3]
    ['cortisol', 'saliva_cortisol', 'acth']
    """
    return list(ANALYTES)


def get(key: str) -> Analyte:
    """Return the analyte for a key (or a documented alias such as ``free_t4``).

    Parameters
    ----------
    key : str
        Catalogue key, case-insensitive.

    Returns
    -------
    Analyte

    Raises
    ------
    UnknownAnalyteError
        (a ``KeyError`` and ``ValueError``) if unknown; the message lists the closest keys.

    Examples
    --------
    >>> get("cortisol").canonical_unit
    'nmol/L'
    """
    if not isinstance(key, str):
        raise TypeError(f"An analyte key must be a string such as 'cortisol', got {key!r}.")
    k = key.strip().lower()
    k = _ALIASES.get(k, k)
    try:
        return ANALYTES[k]
    except KeyError:
        hint = did_you_mean(k, [*ANALYTES, *_ALIASES])
        raise UnknownAnalyteError(
            f"Unknown analyte {key!r}; known analytes are {', '.join(ANALYTES)}.{hint}"
        ) from None


@functools.cache
def _loinc_index() -> dict[str, tuple[Analyte, Loinc]]:
    return {c.code: (a, c) for a in ANALYTES.values() for c in a.loinc}


def from_loinc(code: str) -> tuple[Analyte, Loinc]:
    """Return the analyte and code entry for a LOINC number.

    Parameters
    ----------
    code : str
        LOINC number, e.g. ``"14920-3"``.

    Returns
    -------
    (Analyte, Loinc)

    Raises
    ------
    UnknownAnalyteError
        If the code is not in the catalogue.

    Examples
    --------
    >>> analyte, entry = from_loinc("14920-3")
    >>> analyte.key, entry.prop.value
    ('ft4', 'molar')
    """
    try:
        return _loinc_index()[str(code).strip()]
    except KeyError:
        raise UnknownAnalyteError(
            f"Unknown LOINC code {code!r}: neuroendo maps {len(_loinc_index())} codes "
            "(see `neuroendo analytes`); map it yourself or use a catalogue code."
        ) from None


def check_loinc_unit(code: str, unit: str) -> tuple[Analyte, Loinc]:
    """Check that a value's unit matches the property axis of its LOINC code.

    A molar value under a mass code (pmol/L FT4 sent as 3024-7) is a coding error: the fix is to
    switch to the sibling code, never to rewrite the number.

    Parameters
    ----------
    code : str
        LOINC number.
    unit : str
        UCUM unit of the value sent under that code.

    Returns
    -------
    (Analyte, Loinc)
        The catalogue entries, when the unit fits the code.

    Raises
    ------
    UnknownAnalyteError
        If the code is not in the catalogue.
    UnitError
        If the unit is unknown or its kind (mass, molar, international units) does not match the
        code; the message names the sibling code to use.

    Examples
    --------
    >>> check_loinc_unit("14920-3", "pmol/L")[0].key
    'ft4'
    """
    from neuroendo._core.units import dimension

    analyte, entry = from_loinc(code)
    dim = dimension(unit)
    kind = (
        LoincProperty.UNITS
        if "international_unit" in dim
        else LoincProperty.MOLAR
        if "[substance]" in dim
        else LoincProperty.MASS
        if "[mass]" in dim
        else None
    )
    if kind is not entry.prop:
        sibling = analyte.loinc_for(kind) if kind is not None else None
        fix = (
            f" Use LOINC {sibling.code} ({sibling.display}) for values in {unit!r}; do not rewrite "
            "the number."
            if sibling is not None
            else f" Report the value in a unit such as {entry.example_unit!r}."
        )
        raise UnitError(
            f"LOINC {code} ({entry.display}) is a {_KIND_TEXT[entry.prop]} code, but the "
            f"value is in {unit!r} ({_KIND_TEXT[kind] if kind else dim}).{fix}"
        )
    return analyte, entry
