"""Dynamic HPA tests: dexamethasone suppression, ACTH and CRH stimulation, DEX/CRH.

Each function applies one published criterion and returns a frozen :class:`DynamicTestResult`:
the category, the value compared, a reason text naming the value and the cut-off, and the
:class:`Cutoff` with its source and an assay note. **A result and its reason, never a
diagnosis**: cut-offs depend on the assay, the protocol and the clinical question, and a test
result is interpreted by a clinician together with the clinical picture.

Arrays of subjects are accepted (the category and reason are then string arrays, one per
subject). NaN gives the category ``"missing"``; negative or infinite values raise
:class:`~neuroendo._core.errors.DataValidationError`.

Cut-offs stated in a guideline in both units (50 nmol/L = 1.8 µg/dL) are compared in the unit of
the input: µg/dL values against the µg/dL cut-off, any other unit converted to nmol/L and compared
against the nmol/L cut-off. So a value exactly at the printed cut-off falls on the guideline's
side of the boundary in either unit (1.8 µg/dL is 49.66 nmol/L, not 50).

References
----------
.. [1] Nieman LK et al. The diagnosis of Cushing's syndrome: an Endocrine Society clinical
   practice guideline. J Clin Endocrinol Metab. 2008;93(5):1526-1540.
.. [2] Fassnacht M et al. Management of adrenal incidentalomas: European Society of
   Endocrinology clinical practice guideline. Eur J Endocrinol. 2016;175:G1.
.. [3] Fassnacht M et al. European Society of Endocrinology clinical practice guidelines on the
   management of adrenal incidentalomas. Eur J Endocrinol. 2023;189:G1.
.. [4] Nieman LK et al. The ovine corticotropin-releasing hormone stimulation test and the
   dexamethasone suppression test in the differential diagnosis of Cushing's syndrome.
   J Clin Endocrinol Metab. 1993;77:1308.
.. [5] Heuser I, Yassouridis A, Holsboer F. The combined dexamethasone/CRH test: a refined
   laboratory test for psychiatric disorders. J Psychiatr Res. 1994;28:341.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo._core.units import normalize_unit
from neuroendo._core.validation import as_float_array, check_option

# The input helpers are shared with the thyroid family so every measure validates alike.
from neuroendo.measures._common import broadcast as _broadcast
from neuroendo.measures._common import check_values as _check_values
from neuroendo.measures._common import concentration as _concentration

__all__ = [
    "ACTH_CUTOFFS",
    "CRH_CRITERIA",
    "DEX_CRH_CRITERIA",
    "DST_CRITERIA",
    "NOT_A_DIAGNOSIS",
    "Cutoff",
    "DynamicTestResult",
    "acth_stimulation",
    "crh_stimulation",
    "dex_crh",
    "dexamethasone_suppression",
    "percent_rise",
]

NOT_A_DIAGNOSIS: Final = (
    "This is a test result with its reason, not a diagnosis: cut-offs depend on assay, protocol "
    "and clinical question; interpret together with the clinical picture."
)


@dataclass(frozen=True, slots=True)
class Cutoff:
    """A published cut-off and its decision rule.

    Parameters
    ----------
    name : str
        Criterion key, e.g. ``"nieman2008"``.
    thresholds : tuple of float
        Threshold values in ``unit``.
    unit : str
        UCUM unit of ``thresholds`` (``"nmol/L"`` or ``"%"``).
    rule : str
        The decision rule in words, including which side of each boundary is which.
    source : str
        Citation of the criterion.
    assay_note : str
        Assay and protocol caveats.
    conventional : tuple of float, optional
        The same thresholds as printed by the source in ``conventional_unit`` (µg/dL).
    conventional_unit : str, optional
        Unit of ``conventional``.
    """

    name: str
    thresholds: tuple[float, ...]
    unit: str
    rule: str
    source: str
    assay_note: str
    conventional: tuple[float, ...] | None = None
    conventional_unit: str | None = None


@dataclass(frozen=True, eq=False)
class DynamicTestResult:
    """Result of one dynamic test for one subject or an array of subjects.

    Parameters
    ----------
    test : str
        Test name, e.g. ``"dexamethasone_suppression"``.
    criterion : str
        Key of the criterion applied.
    category : str or ndarray of str
        The result category (per subject), ``"missing"`` where an input is NaN.
    value : float or ndarray
        The value compared with the cut-off, in ``unit``.
    unit : str
        Unit of ``value``.
    reason : str or ndarray of str
        Why, per subject: the value, the cut-off it was compared with and the criterion key
        (the full rule is ``cutoff.rule``).
    cutoff : Cutoff
        The cut-off applied, with source and assay note.
    details : mapping
        Further computed quantities (e.g. ``peak``, ``acth_rise_pct``), arrays per subject.
    note : str
        States that this is a test result, not a diagnosis.
    """

    test: str
    criterion: str
    category: str | NDArray[np.str_]
    value: float | NDArray[np.float64]
    unit: str
    reason: str | NDArray[np.str_]
    cutoff: Cutoff
    details: Mapping[str, float | NDArray[np.float64]] = field(default_factory=dict)
    note: str = NOT_A_DIAGNOSIS


# --- criteria ------------------------------------------------------------------------------------
_NIEMAN2008 = "Nieman LK et al. J Clin Endocrinol Metab. 2008;93(5):1526-1540"
_FASSNACHT2016 = "Fassnacht M et al. Eur J Endocrinol. 2016;175:G1 (ESE guideline)"
_FASSNACHT2023 = "Fassnacht M et al. Eur J Endocrinol. 2023;189:G1 (ESE guideline)"
_DST_ASSAY = (
    "Immunoassay-era cut-off for serum cortisol at 08:00 after 1 mg dexamethasone at 23:00-24:00; "
    "oestrogens (higher CBG), CYP3A4 inducers and poor absorption give false non-suppression."
)

#: 1 mg overnight dexamethasone suppression test criteria.
DST_CRITERIA: Final[Mapping[str, Cutoff]] = types.MappingProxyType(
    {
        "nieman2008": Cutoff(
            "nieman2008", (50.0,), "nmol/L",
            "< 50 nmol/L (1.8 µg/dL): suppressed (normal suppression); >= 50 nmol/L: not "
            "suppressed", _NIEMAN2008, _DST_ASSAY + " Sensitivity about 95 %.", (1.8,), "ug/dL",
        ),
        "fassnacht2016": Cutoff(
            "fassnacht2016", (50.0, 138.0), "nmol/L",
            "<= 50 nmol/L (1.8 µg/dL): suppressed (excludes autonomous cortisol secretion); "
            "> 50 and <= 138 nmol/L: intermediate ('possible autonomous cortisol secretion'); "
            "> 138 nmol/L (5 µg/dL): not suppressed ('autonomous cortisol secretion')",
            _FASSNACHT2016, _DST_ASSAY + " For adrenal incidentalomas.", (1.8, 5.0), "ug/dL",
        ),
        "fassnacht2023": Cutoff(
            "fassnacht2023", (50.0,), "nmol/L",
            "<= 50 nmol/L (1.8 µg/dL): suppressed; > 50 nmol/L: not suppressed ('mild "
            "autonomous cortisol secretion' in patients without overt Cushing's syndrome)",
            _FASSNACHT2023, _DST_ASSAY + " For adrenal incidentalomas.", (1.8,), "ug/dL",
        ),
    }
)  # fmt: skip

_EL_FARHAN = (
    "El-Farhan N et al. Endocrine Abstracts 2011 OC3.2 / ESA 2012 (method-specific 30-min "
    "cut-offs, 2.5th percentile of healthy volunteers)"
)
_EL_FARHAN_NOTE = (
    "Only for this immunoassay platform; 250 µg Synacthen i.v./i.m., cortisol at 30 min."
)


def _el_farhan(key: str, value: float, platform: str) -> Cutoff:
    return Cutoff(
        key, (value,), "nmol/L",
        f"30-min cortisol > {value:g} nmol/L: adequate response; <= {value:g} nmol/L: subnormal "
        f"response ({platform})", _EL_FARHAN, _EL_FARHAN_NOTE,
    )  # fmt: skip


#: ACTH (250 µg Synacthen/cosyntropin) stimulation test cut-offs.
ACTH_CUTOFFS: Final[Mapping[str, Cutoff]] = types.MappingProxyType(
    {
        "classic_500": Cutoff(
            "classic_500", (500.0,), "nmol/L",
            "peak cortisol (30 or 60 min) >= 500 nmol/L (18 µg/dL): adequate response; < 500 "
            "nmol/L: subnormal response",
            "Bornstein SR et al. J Clin Endocrinol Metab. 2016;101(2):364 (Endocrine Society "
            "guideline; cut-off via secondary summaries)",
            "Set with older polyclonal immunoassays; newer monoclonal immunoassays (e.g. Roche "
            "Elecsys Cortisol II) and LC-MS/MS read lower, so 500 nmol/L over-calls subnormal "
            "responses with them: prefer an assay-specific cut-off.",
            (18.0,), "ug/dL",
        ),
        "uk_550": Cutoff(
            "uk_550", (550.0,), "nmol/L",
            "30-min cortisol >= 550 nmol/L: adequate response; < 550 nmol/L: subnormal response",
            "El-Farhan N et al. (UK classic cut-off, abstract)",
            "Historic UK cut-off for older immunoassays; assay-specific cut-offs are lower.",
        ),
        "abbott_architect_430": _el_farhan("abbott_architect_430", 430.0, "Abbott Architect"),
        "siemens_centaur_499": _el_farhan("siemens_centaur_499", 499.0, "Siemens Centaur"),
        "immulite_474": _el_farhan("immulite_474", 474.0, "Siemens Immulite"),
        "roche_e170_male_574": _el_farhan("roche_e170_male_574", 574.0, "Roche E170, men"),
        "roche_e170_female_524": _el_farhan(
            "roche_e170_female_524", 524.0, "Roche E170, women"
        ),
    }
)  # fmt: skip

_CRH_NOTE = (
    "Ovine CRH 1 µg/kg (or 100 µg) i.v.; which samples enter each mean is part of the criterion "
    "(Nieman 1993: ACTH mean of 15 and 30 min, cortisol mean of 30 and 45 min, against the mean "
    "of -5 and -1 min). Pass the samples the criterion names."
)

#: CRH stimulation test criteria (percent rise over basal; ``>=`` meets the criterion).
CRH_CRITERIA: Final[Mapping[str, Cutoff]] = types.MappingProxyType(
    {
        "nieman1993": Cutoff(
            "nieman1993", (35.0, 20.0), "%",
            "ACTH rise >= 35 % (sens 93 %, spec 100 %) or cortisol rise >= 20 % (sens 91 %, "
            "spec 88 %) above basal: response (favours a pituitary source in the source's series)",
            "Nieman LK et al. J Clin Endocrinol Metab. 1993;77:1308", _CRH_NOTE,
        ),
        "peters2006": Cutoff(
            "peters2006", (50.0, 20.0), "%",
            "ACTH rise >= 50 % or cortisol rise >= 20 % above basal: response (London criteria; "
            "each criterion is also reported separately)",
            "Peters et al. Eur J Endocrinol. 2006 (abstract)", _CRH_NOTE,
        ),
        "elenius2023": Cutoff(
            "elenius2023", (40.0, 40.0), "%",
            "ACTH and/or cortisol rise >= 40 % above basal: response (NIH re-analysis; PPV 99 % "
            "for cortisol >= 40 %)",
            "Elenius H, McGlotten R, Nieman LK. J Clin Endocrinol Metab. 2023 (dgad454)", _CRH_NOTE,
        ),
    }
)  # fmt: skip

#: DEX/CRH test criteria (basal = after dexamethasone, before CRH).
DEX_CRH_CRITERIA: Final[Mapping[str, Cutoff]] = types.MappingProxyType(
    {
        "schule2009": Cutoff(
            "schule2009", (75.3,), "nmol/L",
            "basal cortisol after dexamethasone, before CRH, > 75.3 nmol/L: not suppressed; "
            "<= 75.3 nmol/L: suppressed",
            "Schüle C et al. PLoS ONE. 2009 (abstract); protocol: Heuser I et al. J Psychiatr "
            "Res. 1994;28:341",
            "Research criterion in depression studies (1.5 mg dexamethasone at 23:00, 100 µg "
            "human CRH at 15:00 next day); assay- and population-specific.",
        ),
    }
)  # fmt: skip


# --- helpers -------------------------------------------------------------------------------------
def _fmt(x: NDArray[np.float64], spec: str = "%.5g") -> NDArray[np.str_]:
    return np.asarray(np.char.mod(spec, x))


def _cat(*parts: str | NDArray[np.str_]) -> NDArray[np.str_]:
    """Concatenate strings and string arrays element-wise (broadcasting)."""
    return np.asarray(reduce(np.char.add, parts))


def _reason(
    label: str,
    v: NDArray[np.float64],
    u: str,
    conds: list[NDArray[np.bool_]],
    relations: list[str],
    default_relation: str,
    criterion: str,
) -> NDArray[np.str_]:
    """Per-subject reason: '<label> <value> <unit> is <relation> (<criterion>)'; NaN -> missing.

    Only the short relation varies per subject (the full rule is in ``Cutoff.rule``), which keeps
    the string arrays small for large cohorts.
    """
    relation = np.select(conds, relations, default=default_relation)
    text = _cat(f"{label} ", _fmt(v), f" {u} is ", relation, f" ({criterion})")
    return np.asarray(np.where(np.isnan(v), f"no result: {label} is missing (NaN)", text))


def _scalar_or_array(
    arr: NDArray[np.generic],
) -> str | float | NDArray[np.generic]:
    if arr.ndim == 0:
        item = arr.item()
        return str(item) if isinstance(item, str) else float(item)
    return arr


def _values_for_cutoff(
    name: str, value: ArrayLike, unit: str, cut: Cutoff, unit_arg: str = "unit"
) -> tuple[NDArray[np.float64], tuple[float, ...], str]:
    """Return values and thresholds in the unit the comparison is made in."""
    try:
        u = normalize_unit(unit)
    except UnitError as exc:
        raise UnitError(f"Invalid {unit_arg}={unit!r} for {name!r}: {exc}") from None
    if cut.conventional is not None and cut.conventional_unit == u:
        arr = _concentration(name, value, unit, analyte="cortisol", to_unit=u, unit_arg=unit_arg)
        return arr, cut.conventional, u
    arr = _concentration(name, value, unit, analyte="cortisol", to_unit=cut.unit, unit_arg=unit_arg)
    return arr, cut.thresholds, cut.unit


def _result(
    test: str,
    cut: Cutoff,
    category: NDArray[np.str_],
    value: NDArray[np.float64],
    unit: str,
    reason: NDArray[np.str_],
    details: Mapping[str, NDArray[np.float64]] | None = None,
) -> DynamicTestResult:
    det = {k: _scalar_or_array(np.asarray(v)) for k, v in (details or {}).items()}
    return DynamicTestResult(
        test=test,
        criterion=cut.name,
        category=_scalar_or_array(np.asarray(category)),  # type: ignore[arg-type]
        value=_scalar_or_array(np.asarray(value)),  # type: ignore[arg-type]
        unit=unit,
        reason=_scalar_or_array(np.asarray(reason)),  # type: ignore[arg-type]
        cutoff=cut,
        details=types.MappingProxyType(det),  # type: ignore[arg-type]
    )


# --- dexamethasone suppression -------------------------------------------------------------------
def dexamethasone_suppression(
    cortisol: ArrayLike, *, unit: str = "nmol/L", criterion: str = "nieman2008"
) -> DynamicTestResult:
    r"""Classify the 1 mg overnight dexamethasone suppression test (returns result + reason).

    Returns the test result and its reason, never a diagnosis.

    Parameters
    ----------
    cortisol : array-like, shape (n_subjects,) or scalar
        Serum cortisol at 08:00 after 1 mg dexamethasone at 23:00-24:00, in ``unit``.
    unit : str, default "nmol/L"
        Unit of ``cortisol`` (e.g. ``"nmol/L"``, ``"ug/dL"``). µg/dL values are compared with the
        guideline's µg/dL cut-offs (1.8, 5.0), others with the nmol/L cut-offs (50, 138).
    criterion : {"nieman2008", "fassnacht2016", "fassnacht2023"}, default "nieman2008"
        Which published criterion to apply (see :data:`DST_CRITERIA`):

        * ``"nieman2008"`` (Endocrine Society, suspected Cushing's): < 50 nmol/L is
          ``"suppressed"``, >= 50 ``"not_suppressed"`` (so exactly 50 is not suppressed).
        * ``"fassnacht2016"`` (ESE, adrenal incidentaloma): <= 50 ``"suppressed"``; > 50 and
          <= 138 ``"intermediate"`` (possible autonomous cortisol secretion); > 138
          ``"not_suppressed"`` (autonomous cortisol secretion).
        * ``"fassnacht2023"`` (ESE, adrenal incidentaloma): <= 50 ``"suppressed"``; > 50
          ``"not_suppressed"`` (mild autonomous cortisol secretion without overt Cushing's).

    Returns
    -------
    DynamicTestResult
        ``category`` per subject (``"missing"`` for NaN), ``value`` in the compared unit,
        ``reason`` naming value and cut-off, and the ``cutoff`` with source and assay note.

    Raises
    ------
    DataValidationError
        Negative or infinite values.
    UnitError
        Unknown unit or one that does not suit cortisol.
    ValueError
        Unknown ``criterion`` (with the closest name suggested).

    Notes
    -----
    .. math:: \text{suppressed} \iff C_{08:00} < 50\ \mathrm{nmol/L}\ (\text{Nieman 2008});
              \quad C_{08:00} \le 50\ \mathrm{nmol/L}\ (\text{Fassnacht 2016, 2023})

    References
    ----------
    .. [1] Nieman LK et al. J Clin Endocrinol Metab. 2008;93(5):1526-1540.
    .. [2] Fassnacht M et al. Eur J Endocrinol. 2016;175:G1.
    .. [3] Fassnacht M et al. Eur J Endocrinol. 2023;189:G1.

    Examples
    --------
    >>> r = dexamethasone_suppression(42.0)
    >>> r.category
    'suppressed'
    >>> r.reason
    'cortisol 42 nmol/L is below 50 nmol/L (nieman2008)'
    >>> r.cutoff.source
    'Nieman LK et al. J Clin Endocrinol Metab. 2008;93(5):1526-1540'
    >>> dexamethasone_suppression([40.0, 90.0, 150.0], criterion="fassnacht2016").category
    array(['suppressed', 'intermediate', 'not_suppressed'], dtype='<U14')
    """
    check_option("criterion", criterion, tuple(DST_CRITERIA))
    cut = DST_CRITERIA[criterion]
    v, thr, u = _values_for_cutoff("cortisol", cortisol, unit, cut)
    low = thr[0]
    missing = np.isnan(v)
    if criterion == "nieman2008":
        conds = [v < low]
        cats = ["suppressed"]
        relations = [f"below {low:g} {u}"]
        default_relation = f"at or above {low:g} {u}"
    elif criterion == "fassnacht2016":
        high = thr[1]
        conds = [v <= low, v <= high]
        cats = ["suppressed", "intermediate"]
        relations = [f"at or below {low:g} {u}", f"above {low:g} and at or below {high:g} {u}"]
        default_relation = f"above {high:g} {u}"
    else:  # fassnacht2023
        conds = [v <= low]
        cats = ["suppressed"]
        relations = [f"at or below {low:g} {u}"]
        default_relation = f"above {low:g} {u}"
    category = np.select([missing, *conds], ["missing", *cats], default="not_suppressed")
    reason = _reason("cortisol", v, u, conds, relations, default_relation, cut.name)
    category = category.astype(str)
    return _result("dexamethasone_suppression", cut, category, v, u, reason)


# --- ACTH stimulation ----------------------------------------------------------------------------
def acth_stimulation(
    cortisol_0: ArrayLike,
    cortisol_30: ArrayLike,
    cortisol_60: ArrayLike | None = None,
    *,
    unit: str = "nmol/L",
    cutoff: str = "classic_500",
) -> DynamicTestResult:
    r"""Classify the 250 µg ACTH (Synacthen, cosyntropin) stimulation test (result + reason).

    Returns the test result and its reason, never a diagnosis.

    Parameters
    ----------
    cortisol_0 : array-like, shape (n_subjects,) or scalar
        Basal serum cortisol (0 min), in ``unit``; reported as ``details["basal"]`` and used for
        ``details["increment"]``, not by the cut-offs.
    cortisol_30 : array-like, broadcastable
        Cortisol 30 min after ACTH, in ``unit``.
    cortisol_60 : array-like, optional
        Cortisol 60 min after ACTH, in ``unit``; with ``"classic_500"`` the peak of 30 and 60 min
        is compared (a NaN at either time gives a NaN peak, i.e. ``"missing"``).
    unit : str, default "nmol/L"
        Unit of the cortisol values. µg/dL is compared with 18 µg/dL for ``"classic_500"``.
    cutoff : str, default "classic_500"
        Key of :data:`ACTH_CUTOFFS`: ``"classic_500"`` (peak >= 500 nmol/L adequate),
        ``"uk_550"`` (30 min >= 550 nmol/L) or an assay-specific 30-min cut-off of El-Farhan et
        al. (value must be *above* it): ``"abbott_architect_430"``, ``"siemens_centaur_499"``,
        ``"immulite_474"``, ``"roche_e170_male_574"``, ``"roche_e170_female_524"``.

    Returns
    -------
    DynamicTestResult
        ``category`` ``"adequate_response"``, ``"subnormal_response"`` or ``"missing"``;
        ``value`` is the compared cortisol (peak or 30 min); ``details`` has ``basal``, ``peak``
        and ``increment``.

    Raises
    ------
    DataValidationError
        Negative or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown unit or one that does not suit cortisol.
    ValueError
        Unknown ``cutoff``.

    Notes
    -----
    .. math:: \text{adequate} \iff \max(C_{30}, C_{60}) \ge 500\ \mathrm{nmol/L}
              \ (\text{classic}); \quad C_{30} > c_{assay}\ (\text{El-Farhan})

    References
    ----------
    .. [1] Bornstein SR et al. Diagnosis and treatment of primary adrenal insufficiency: an
       Endocrine Society clinical practice guideline. J Clin Endocrinol Metab.
       2016;101(2):364.
    .. [2] El-Farhan N et al. Endocrine Abstracts 2011;25:OC3.2 (method-specific cut-offs).

    Examples
    --------
    >>> acth_stimulation(250.0, 480.0, 560.0).category
    'adequate_response'
    >>> acth_stimulation(250.0, 480.0, cutoff="abbott_architect_430").category
    'adequate_response'
    >>> acth_stimulation([250.0, 300.0], [480.0, 540.0], cutoff="uk_550").category
    array(['subnormal_response', 'subnormal_response'], dtype='<U18')
    """
    check_option("cutoff", cutoff, tuple(ACTH_CUTOFFS))
    cut = ACTH_CUTOFFS[cutoff]
    c0, _, u = _values_for_cutoff("cortisol_0", cortisol_0, unit, cut)
    c30, thr, _ = _values_for_cutoff("cortisol_30", cortisol_30, unit, cut)
    if cortisol_60 is not None:
        c60, _, _ = _values_for_cutoff("cortisol_60", cortisol_60, unit, cut)
        c0, c30, c60 = _broadcast(cortisol_0=c0, cortisol_30=c30, cortisol_60=c60)
        peak = np.maximum(c30, c60)
    else:
        c0, c30 = _broadcast(cortisol_0=c0, cortisol_30=c30)
        peak = c30
    use_peak = cutoff == "classic_500"
    v = peak if use_peak else c30
    what = "peak cortisol" if use_peak and cortisol_60 is not None else "30-min cortisol"
    t = thr[0]
    missing = np.isnan(v)
    strict = cutoff not in ("classic_500", "uk_550")  # El-Farhan: value must exceed the cut-off
    ok = v > t if strict else v >= t
    above = f"above {t:g} {u}" if strict else f"at or above {t:g} {u}"
    below = f"at or below {t:g} {u}" if strict else f"below {t:g} {u}"
    category = np.select([missing, ok], ["missing", "adequate_response"], "subnormal_response")
    reason = _reason(what, v, u, [ok], [above], below, cut.name)
    details = {"basal": c0, "peak": peak, "increment": peak - c0}
    return _result("acth_stimulation", cut, category.astype(str), v, u, reason.astype(str), details)


# --- CRH stimulation -----------------------------------------------------------------------------
def _samples(name: str, value: ArrayLike) -> NDArray[np.float64]:
    arr = as_float_array(name, value)
    _check_values(name, arr)
    return arr


def _mean_last(arr: NDArray[np.float64]) -> NDArray[np.float64]:
    return arr if arr.ndim == 0 else np.asarray(arr.mean(axis=-1))


def percent_rise(basal: ArrayLike, post: ArrayLike) -> float | NDArray[np.float64]:
    r"""Percent rise of the mean post-stimulus level over the mean basal level.

    Parameters
    ----------
    basal : array-like, shape (n_samples,), (n_subjects, n_samples) or scalar
        Basal samples (the last axis is averaged), any unit; the mean must be > 0.
    post : array-like, shape (n_samples,), (n_subjects, n_samples) or scalar
        Post-stimulus samples, in the unit of ``basal`` (the last axis is averaged).

    Returns
    -------
    float or ndarray, shape (n_subjects,)
        Percent rise (%); NaN where any sample of a subject is NaN.

    Raises
    ------
    DataValidationError
        Negative or infinite values, a basal mean of 0, or subject axes that do not broadcast.

    Notes
    -----
    .. math:: \Delta\% = 100 \left(\frac{\overline{x}_{post}}{\overline{x}_{basal}} - 1\right)

    A 1-D array is the samples of one subject; pass shape ``(n_subjects, 1)`` for one sample per
    subject.

    References
    ----------
    .. [1] Nieman LK et al. J Clin Endocrinol Metab. 1993;77:1308.

    Examples
    --------
    >>> round(percent_rise([30.0, 34.0], [55.0, 60.0]), 1)
    79.7
    """
    b = _mean_last(_samples("basal", basal))
    p = _mean_last(_samples("post", post))
    if (b == 0).any():
        raise DataValidationError(
            "'basal' must have a mean > 0 (the percent rise divides by it); got a basal mean of 0"
            f" at flat position(s) {', '.join(str(int(i)) for i in np.flatnonzero(b == 0)[:5])}."
        )
    b, p = _broadcast(basal=b, post=p)
    out = 100.0 * (p / b - 1.0)
    return float(out) if out.ndim == 0 else out


def crh_stimulation(
    acth_basal: ArrayLike,
    acth_post: ArrayLike,
    cortisol_basal: ArrayLike,
    cortisol_post: ArrayLike,
    *,
    criterion: str = "nieman1993",
    acth_unit: str = "pg/mL",
    cortisol_unit: str = "nmol/L",
) -> DynamicTestResult:
    r"""Classify the CRH stimulation test by percent rise of ACTH and cortisol (result + reason).

    Returns the test result and its reason, never a diagnosis.

    Parameters
    ----------
    acth_basal, acth_post : array-like, shape (n_samples,), (n_subjects, n_samples) or scalar
        ACTH samples before and after CRH, in ``acth_unit``; each is averaged over its last axis
        (Nieman 1993: basal -5 and -1 min; post 15 and 30 min).
    cortisol_basal, cortisol_post : array-like, same layout
        Cortisol samples before and after CRH, in ``cortisol_unit`` (Nieman 1993: post 30 and
        45 min).
    criterion : {"nieman1993", "peters2006", "elenius2023"}, default "nieman1993"
        Criterion of :data:`CRH_CRITERIA`: minimal ACTH and cortisol rises (%), each met when
        the rise (rounded to 1e-9 %, so that exactly 20 % meets 20 %) is >= its threshold.
    acth_unit : str, default "pg/mL"
        Unit of the ACTH values (pg/mL or pmol/L); percent rises do not depend on it, it is
        checked and reported.
    cortisol_unit : str, default "nmol/L"
        Unit of the cortisol values.

    Returns
    -------
    DynamicTestResult
        ``category`` ``"response"`` when the ACTH or the cortisol criterion is met,
        ``"no_response"`` otherwise, ``"missing"`` when either rise is NaN; ``value`` is the
        ACTH rise in %; ``details`` has ``acth_rise_pct``, ``cortisol_rise_pct``,
        ``acth_criterion_met`` and ``cortisol_criterion_met`` (1.0/0.0; NaN if missing).

    Raises
    ------
    DataValidationError
        Negative or infinite values, a basal mean of 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.
    ValueError
        Unknown ``criterion``.

    Notes
    -----
    .. math:: \Delta\%_{ACTH} = 100\left(\frac{\overline{ACTH}_{15,30}}
              {\overline{ACTH}_{-5,-1}} - 1\right) \ge 35, \qquad
              \Delta\%_{F} = 100\left(\frac{\overline{F}_{30,45}}{\overline{F}_{basal}} - 1\right)
              \ge 20

    References
    ----------
    .. [1] Nieman LK et al. J Clin Endocrinol Metab. 1993;77:1308.
    .. [2] Elenius H, McGlotten R, Nieman LK. J Clin Endocrinol Metab. 2023 (dgad454).

    Examples
    --------
    >>> r = crh_stimulation([30, 34], [55, 60], [400, 420], [520, 540])
    >>> r.category, round(r.details["acth_rise_pct"], 1), round(r.details["cortisol_rise_pct"], 1)
    ('response', 79.7, 29.3)
    """
    check_option("criterion", criterion, tuple(CRH_CRITERIA))
    cut = CRH_CRITERIA[criterion]
    samples = {}
    for name, val, unit, analyte, arg in (
        ("acth_basal", acth_basal, acth_unit, "acth", "acth_unit"),
        ("acth_post", acth_post, acth_unit, "acth", "acth_unit"),
        ("cortisol_basal", cortisol_basal, cortisol_unit, "cortisol", "cortisol_unit"),
        ("cortisol_post", cortisol_post, cortisol_unit, "cortisol", "cortisol_unit"),
    ):  # four arguments, not subjects: validate units and values
        samples[name] = _concentration(name, val, unit, analyte=analyte, to_unit=unit,
                                       unit_arg=arg)  # fmt: skip
    acth_rise = np.asarray(percent_rise(samples["acth_basal"], samples["acth_post"]))
    cort_rise = np.asarray(percent_rise(samples["cortisol_basal"], samples["cortisol_post"]))
    acth_rise, cort_rise = _broadcast(acth_rise=acth_rise, cortisol_rise=cort_rise)
    t_acth, t_cort = cut.thresholds
    missing = np.isnan(acth_rise) | np.isnan(cort_rise)
    # Compare after rounding to 1e-9 %: 100 * (120/100 - 1) is 19.999999999999996 in binary
    # floating point, and a rise of exactly 20 % must meet a >= 20 % criterion.
    acth_ok = np.round(acth_rise, 9) >= t_acth
    cort_ok = np.round(cort_rise, 9) >= t_cort
    category = np.select([missing, acth_ok | cort_ok], ["missing", "response"], "no_response")

    def met(ok: NDArray[np.bool_]) -> NDArray[np.str_]:
        return np.where(ok, ">=", "<")

    reason = _cat(
        "ACTH rise ", _fmt(acth_rise, "%.1f"), " % ", met(acth_ok), f" {t_acth:g} %; ",
        "cortisol rise ", _fmt(cort_rise, "%.1f"), " % ", met(cort_ok), f" {t_cort:g} % ",
        f"({cut.name})",
    )  # fmt: skip
    reason = np.where(missing, "no result: a basal or post sample is missing (NaN)", reason)
    nan_or = np.where(missing, np.nan, 1.0)
    details = {
        "acth_rise_pct": acth_rise,
        "cortisol_rise_pct": cort_rise,
        "acth_criterion_met": nan_or * acth_ok,
        "cortisol_criterion_met": nan_or * cort_ok,
    }
    return _result(
        "crh_stimulation", cut, category.astype(str), acth_rise, "%", reason.astype(str), details
    )


# --- DEX/CRH -------------------------------------------------------------------------------------
def dex_crh(
    cortisol_basal: ArrayLike,
    cortisol_post: ArrayLike | None = None,
    *,
    unit: str = "nmol/L",
    criterion: str = "schule2009",
) -> DynamicTestResult:
    r"""Classify the combined dexamethasone/CRH test (Heuser 1994) by basal non-suppression.

    Returns the test result and its reason, never a diagnosis.

    Parameters
    ----------
    cortisol_basal : array-like, shape (n_subjects,) or scalar
        Cortisol after 1.5 mg dexamethasone (23:00) and before 100 µg human CRH (15:00 next
        day), in ``unit``.
    cortisol_post : array-like, shape (n_samples,) or (n_subjects, n_samples), optional
        Cortisol samples after CRH (e.g. 15:30, 15:45, 16:00, 16:15), in ``unit``; used for
        ``details["peak"]`` and ``details["increment"]`` (peak minus basal). For the AUC, use
        the cortisol AUC functions with the sample times.
    unit : str, default "nmol/L"
        Unit of the cortisol values.
    criterion : {"schule2009"}, default "schule2009"
        Criterion of :data:`DEX_CRH_CRITERIA`: basal > 75.3 nmol/L is ``"not_suppressed"``.

    Returns
    -------
    DynamicTestResult
        ``category`` ``"suppressed"``, ``"not_suppressed"`` or ``"missing"``; ``value`` is the
        basal cortisol in nmol/L.

    Raises
    ------
    DataValidationError
        Negative or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.
    ValueError
        Unknown ``criterion``.

    Notes
    -----
    .. math:: \text{not suppressed} \iff C_{basal,\,post\text{-}DEX} > 75.3\ \mathrm{nmol/L}

    The DEX/CRH outcome in most studies is continuous (cortisol or ACTH AUC or peak after
    CRH); the cut-off is one study's.

    References
    ----------
    .. [1] Heuser I, Yassouridis A, Holsboer F. J Psychiatr Res. 1994;28:341.
    .. [2] Schüle C et al. PLoS ONE. 2009.

    Examples
    --------
    >>> r = dex_crh(80.0, [150.0, 210.0, 190.0])
    >>> r.category, r.details["peak"], r.details["increment"]
    ('not_suppressed', 210.0, 130.0)
    """
    check_option("criterion", criterion, tuple(DEX_CRH_CRITERIA))
    cut = DEX_CRH_CRITERIA[criterion]
    b, thr, u = _values_for_cutoff("cortisol_basal", cortisol_basal, unit, cut)
    t = thr[0]
    missing = np.isnan(b)
    category = np.select([missing, b > t], ["missing", "not_suppressed"], "suppressed")
    reason = _reason(
        "post-dexamethasone basal cortisol", b, u, [b > t], [f"above {t:g} {u}"],
        f"at or below {t:g} {u}", cut.name,
    )  # fmt: skip
    details: dict[str, NDArray[np.float64]] = {}
    if cortisol_post is not None:
        post = _concentration(
            "cortisol_post", cortisol_post, unit, analyte="cortisol", to_unit=u, unit_arg="unit"
        )
        peak = post if post.ndim == 0 else np.asarray(post.max(axis=-1))
        b_, peak = _broadcast(cortisol_basal=b, peak=peak)
        details = {"peak": peak, "increment": peak - b_}
    return _result("dex_crh", cut, category.astype(str), b, u, reason.astype(str), details)
