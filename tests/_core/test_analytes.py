import pytest

import neuroendo.analytes as analytes
from neuroendo import UnitError, UnknownAnalyteError
from neuroendo.units import conversion_factor, normalize_unit

ISSUE_KEYS = [
    "cortisol",
    "saliva_cortisol",
    "acth",
    "tsh",
    "ft4",
    "ft3",
    "tt4",
    "tt3",
    "lh",
    "fsh",
    "testosterone",
    "free_testosterone",
    "shbg",
    "albumin",
    "estradiol",
    "progesterone",
    "dhea_s",
    "prolactin",
]

# LOINC numbers from shared/reference/clinical.md §7.1 (read in the LOINC 2.83 table)
LOINC = {
    "2143-6": ("cortisol", "mass"),
    "14675-3": ("cortisol", "molar"),
    "2142-8": ("saliva_cortisol", "mass"),
    "2141-0": ("acth", "mass"),
    "3016-3": ("tsh", "units"),
    "11580-8": ("tsh", "units"),
    "3024-7": ("ft4", "mass"),
    "14920-3": ("ft4", "molar"),
    "3051-0": ("ft3", "mass"),
    "14928-6": ("ft3", "molar"),
    "3026-2": ("tt4", "mass"),
    "14921-1": ("tt4", "molar"),
    "3053-6": ("tt3", "mass"),
    "14930-2": ("tt3", "molar"),
    "10501-5": ("lh", "units"),
    "15067-2": ("fsh", "units"),
    "2986-8": ("testosterone", "mass"),
    "14913-8": ("testosterone", "molar"),
    "2991-8": ("free_testosterone", "mass"),
    "14914-6": ("free_testosterone", "molar"),
    "13967-5": ("shbg", "molar"),
    "1751-7": ("albumin", "mass"),
    "2243-4": ("estradiol", "mass"),
    "14715-7": ("estradiol", "molar"),
    "2839-9": ("progesterone", "mass"),
    "14890-8": ("progesterone", "molar"),
    "2191-5": ("dhea_s", "mass"),
    "14688-6": ("dhea_s", "molar"),
    "2842-3": ("prolactin", "mass"),
}


def test_catalogue_has_every_issue_key():
    assert analytes.available() == ISSUE_KEYS


@pytest.mark.parametrize("key", ISSUE_KEYS)
def test_entries_are_consistent(key):
    a = analytes.get(key)
    assert a.key == key
    assert normalize_unit(a.canonical_unit) == a.canonical_unit  # canonical units are UCUM
    for code in a.loinc:
        assert normalize_unit(code.example_unit) == code.example_unit
        # each code's example unit converts to the canonical unit (molar mass where needed)
        conversion_factor(code.example_unit, a.canonical_unit, analyte=a)
        # and matches the code's property axis
        analytes.check_loinc_unit(code.code, code.example_unit)
    if a.molar_mass is not None:
        assert 100 < a.molar_mass < 100_000


@pytest.mark.parametrize(("code", "expected"), sorted(LOINC.items()))
def test_loinc_codes(code, expected):
    a, entry = analytes.from_loinc(code)
    assert (a.key, entry.prop.value) == expected


def test_mass_molar_siblings():
    ft4 = analytes.get("ft4")
    assert ft4.loinc_for("mass").code == "3024-7"
    assert ft4.loinc_for("molar").code == "14920-3"
    assert analytes.get("tsh").loinc_for("molar") is None


def test_molar_value_under_mass_code_names_the_sibling():
    with pytest.raises(UnitError, match=r"Use LOINC 14920-3 .*do not rewrite the number"):
        analytes.check_loinc_unit("3024-7", "pmol/L")
    with pytest.raises(UnitError, match="mass-concentration code"):
        analytes.check_loinc_unit("2143-6", "nmol/L")
    with pytest.raises(
        UnitError,
        match=r"international-units-concentration code.*\(mass-concentration\)\. "
        r"Report the value in a unit such as 'm\[IU\]/L'",
    ):
        analytes.check_loinc_unit("3016-3", "ng/mL")


def test_aliases_and_case():
    assert analytes.get("Free_T4").key == "ft4"
    assert analytes.get("E2").key == "estradiol"


def test_unknown_analyte_and_code():
    with pytest.raises(UnknownAnalyteError, match="Did you mean 'testosterone'"):
        analytes.get("testosteron")
    with pytest.raises(UnknownAnalyteError, match="Unknown LOINC code '9999-9'"):
        analytes.from_loinc("9999-9")
    with pytest.raises(TypeError, match="must be a string"):
        analytes.get(3)  # type: ignore[arg-type]


def test_units_kind():
    assert analytes.get("tsh").units_kind.value == "units"
    assert analytes.get("cortisol").units_kind.value == "molar"
    assert analytes.get("albumin").units_kind.value == "mass"
