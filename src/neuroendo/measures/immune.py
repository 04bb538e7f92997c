r"""Inflammatory markers and glucocorticoid-resistance proxies.

hs-CRP with the AHA/CDC cardiovascular risk categories and the acute-inflammation exclusion
rule, IL-6 and TNF-alpha in a checked unit, the neutrophil-to-lymphocyte ratio, and the
cortisol-to-CRP and cortisol-to-IL-6 ratios used as proxies of glucocorticoid resistance (low
cortisol relative to inflammation). Arrays of subjects in, arrays out (a scalar gives a Python
float); NaN gives NaN for that subject; negative or infinite values raise
:class:`~neuroendo._core.errors.DataValidationError`.

Units: CRP, IL-6 and TNF-alpha are mass concentrations (CRP in mg/L, cytokines in pg/mL = ng/L);
molar or international units are rejected with :class:`~neuroendo._core.errors.UnitError`
because the proteins have no single molar mass here and cytokine IU are assay-specific. Cell
counts take any count-per-volume unit (``10*9/L``, ``10*3/uL``, ``/uL``) or both in ``%`` of
leukocytes.

References
----------
.. [1] Pearson TA et al. Markers of inflammation and cardiovascular disease: application to
   clinical and public health practice. A statement for healthcare professionals from the CDC
   and the AHA. Circulation. 2003;107(3):499-511. doi:10.1161/01.CIR.0000052939.59093.45
.. [2] Zahorec R. Ratio of neutrophil to lymphocyte counts - rapid and simple parameter of
   systemic inflammation and stress in critically ill. Bratisl Lek Listy. 2001;102(1):5-14.
.. [3] Suarez EC et al. Depressogenic vulnerability and gender-specific patterns of neuro-immune
   dysregulation: what the ratio of cortisol to C-reactive protein can tell us about loss of
   normal regulatory control. Brain Behav Immun. 2015 [recall: volume and pages].
.. [4] Perrin AJ et al. Glucocorticoid resistance: is it a requisite for increased cytokine
   production in depression? Front Psychiatry. 2019;10:423. doi:10.3389/fpsyt.2019.00423
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataQualityWarning, UnitError, warn
from neuroendo._core.units import convert, dimension, normalize_unit
from neuroendo._core.validation import as_float_array, check_range
from neuroendo.measures._common import broadcast as _broadcast
from neuroendo.measures._common import check_values as _check_values
from neuroendo.measures._common import concentration as _concentration
from neuroendo.measures._common import out as _out
from neuroendo.measures._common import require_positive as _require_positive

__all__ = [
    "CRP_ACUTE_THRESHOLD",
    "CRP_RISK_CUTOFFS",
    "cortisol_crp_ratio",
    "cortisol_il6_ratio",
    "crp_risk_category",
    "hs_crp",
    "il6",
    "nlr",
    "tnf_alpha",
]

#: hs-CRP cut-offs of the AHA/CDC statement (Pearson 2003), mg/L: < 1 low, 1-3 average, > 3 high.
CRP_RISK_CUTOFFS: Final = (1.0, 3.0)
#: hs-CRP at or above which the value reflects acute infection or inflammation (Pearson 2003):
#: not used for risk; repeat the test after about two weeks. mg/L.
CRP_ACUTE_THRESHOLD: Final = 10.0

_MASS_DIM: Final = "[mass] / [length] ** 3"
_COUNT_DIMS: Final = ("1 / [length] ** 3", "dimensionless")


def _mass(name: str, value: ArrayLike, unit: str, to_unit: str, arg: str) -> NDArray[np.float64]:
    """Check a protein given as a mass concentration and convert it to ``to_unit``."""
    arr = as_float_array(name, value)
    _check_values(name, arr)
    try:
        dim = dimension(normalize_unit(unit))
    except UnitError as exc:
        raise UnitError(f"Invalid {arg}={unit!r} for {name!r}: {exc}") from None
    if dim != _MASS_DIM:
        raise UnitError(
            f"Invalid {arg}={unit!r} for {name!r}: give a mass concentration such as "
            f"{to_unit!r}; molar and international units are not converted for this protein "
            "(no single molar mass; IU are assay-specific)."
        )
    return np.asarray(convert(arr, unit, to_unit), dtype=np.float64)


def _acute_mask(crp: NDArray[np.float64], threshold: float) -> NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        return np.asarray(crp >= threshold)


def hs_crp(
    crp: ArrayLike,
    *,
    crp_unit: str = "mg/L",
    exclude_acute: bool = True,
    acute_threshold: float = CRP_ACUTE_THRESHOLD,
) -> float | NDArray[np.float64]:
    r"""High-sensitivity CRP in mg/L, with acute-phase values excluded.

    Parameters
    ----------
    crp : array-like, shape (n_subjects,) or scalar
        hs-CRP, in ``crp_unit`` (mg/L by default; mg/dL, µg/mL, ng/mL accepted).
    crp_unit : str, default "mg/L"
        Unit of ``crp`` (a mass concentration).
    exclude_acute : bool, default True
        Set values ≥ ``acute_threshold`` to NaN, with a
        :class:`~neuroendo._core.errors.DataQualityWarning` naming them: they reflect an acute
        infection or inflammation, not the chronic low-grade level (Pearson 2003).
    acute_threshold : float, default 10.0
        Exclusion threshold in mg/L.

    Returns
    -------
    float or ndarray
        hs-CRP in mg/L.

    Raises
    ------
    DataValidationError
        Negative or infinite values.
    UnitError
        Unknown or non-mass unit.

    Notes
    -----
    .. math:: \mathrm{CRP}' = \begin{cases} \mathrm{CRP} & \mathrm{CRP} < 10\ \mathrm{mg/L} \\
       \mathrm{NaN} & \text{otherwise} \end{cases}

    Pearson 2003 recommends repeating a value ≥ 10 mg/L after two weeks and searching for a
    source of infection or inflammation [recall: the statement's wording is "> 10" in places;
    the threshold is an argument].

    References
    ----------
    .. [1] Pearson TA et al. Circulation. 2003;107(3):499-511.
       doi:10.1161/01.CIR.0000052939.59093.45

    Examples
    --------
    >>> hs_crp(0.25, crp_unit="mg/dL")
    2.5
    """
    arr = _mass("crp", crp, crp_unit, "mg/L", "crp_unit")
    thr = check_range("acute_threshold", acute_threshold, 0.0, None, inclusive=(False, True))
    if exclude_acute:
        acute = _acute_mask(arr, thr)
        if acute.any():
            pos = ", ".join(str(int(k)) for k in np.flatnonzero(acute)[:5])
            warn(
                f"hs_crp: CRP >= {thr:g} mg/L at flat position(s) {pos} suggests acute infection "
                "or inflammation; these values are set to NaN (pass exclude_acute=False to keep "
                "them).",
                DataQualityWarning,
            )
            arr = np.where(acute, np.nan, arr)
    return _out(arr)


def crp_risk_category(
    crp: ArrayLike,
    *,
    crp_unit: str = "mg/L",
    acute_threshold: float = CRP_ACUTE_THRESHOLD,
) -> str | NDArray[np.str_]:
    r"""AHA/CDC cardiovascular risk category of hs-CRP (Pearson 2003).

    Parameters
    ----------
    crp : array-like, shape (n_subjects,) or scalar
        hs-CRP, in ``crp_unit`` (mg/L by default).
    crp_unit : str, default "mg/L"
        Unit of ``crp`` (a mass concentration).
    acute_threshold : float, default 10.0
        Values at or above it (mg/L) are categorised ``"acute"``, not as a risk level.

    Returns
    -------
    str or ndarray of str
        ``"low"`` (< 1 mg/L), ``"average"`` (1-3 mg/L), ``"high"`` (> 3 mg/L), ``"acute"``
        (≥ ``acute_threshold``) or ``"missing"`` (NaN).

    Raises
    ------
    DataValidationError
        Negative or infinite values.
    UnitError
        Unknown or non-mass unit.

    Notes
    -----
    .. math:: \text{low}: c < 1;\ \text{average}: 1 \le c \le 3;\ \text{high}: 3 < c < 10;\
       \text{acute}: c \ge 10 \quad (c\ \text{in mg/L})

    References
    ----------
    .. [1] Pearson TA et al. Circulation. 2003;107(3):499-511.
       doi:10.1161/01.CIR.0000052939.59093.45

    Examples
    --------
    >>> crp_risk_category([0.5, 1.0, 3.0, 3.5, 12.0])
    array(['low', 'average', 'average', 'high', 'acute'], dtype='<U7')
    """
    arr = _mass("crp", crp, crp_unit, "mg/L", "crp_unit")
    thr = check_range("acute_threshold", acute_threshold, 3.0, None, inclusive=(False, True))
    lo, hi = CRP_RISK_CUTOFFS
    with np.errstate(invalid="ignore"):
        cat = np.select(
            [np.isnan(arr), arr >= thr, arr > hi, arr >= lo],
            ["missing", "acute", "high", "average"],
            default="low",
        )
    return str(cat) if cat.ndim == 0 else cat


def il6(value: ArrayLike, *, il6_unit: str = "pg/mL") -> float | NDArray[np.float64]:
    r"""Interleukin-6 in pg/mL, unit-checked.

    Parameters
    ----------
    value : array-like, shape (n_subjects,) or scalar
        IL-6, in ``il6_unit`` (pg/mL by default; ng/L is the same; ng/mL accepted).
    il6_unit : str, default "pg/mL"
        Unit of ``value`` (a mass concentration; IU are assay-specific and rejected).

    Returns
    -------
    float or ndarray
        IL-6 in pg/mL (healthy adults mostly below about 5 pg/mL with high-sensitivity assays,
        assay-dependent).

    Raises
    ------
    DataValidationError
        Negative or infinite values.
    UnitError
        Unknown or non-mass unit.

    Notes
    -----
    .. math:: \mathrm{IL6}\,[\mathrm{pg/mL}] = f_{u} \cdot \mathrm{IL6}\,[u]

    References
    ----------
    .. [1] Perrin AJ et al. Front Psychiatry. 2019;10:423. doi:10.3389/fpsyt.2019.00423

    Examples
    --------
    >>> il6(0.0021, il6_unit="ng/mL")
    2.1
    """
    return _out(_mass("il6", value, il6_unit, "pg/mL", "il6_unit"))


def tnf_alpha(value: ArrayLike, *, tnf_unit: str = "pg/mL") -> float | NDArray[np.float64]:
    r"""Tumour necrosis factor alpha in pg/mL, unit-checked.

    Parameters
    ----------
    value : array-like, shape (n_subjects,) or scalar
        TNF-alpha, in ``tnf_unit`` (pg/mL by default; ng/L is the same).
    tnf_unit : str, default "pg/mL"
        Unit of ``value`` (a mass concentration).

    Returns
    -------
    float or ndarray
        TNF-alpha in pg/mL.

    Raises
    ------
    DataValidationError
        Negative or infinite values.
    UnitError
        Unknown or non-mass unit.

    Notes
    -----
    .. math:: \mathrm{TNF}\alpha\,[\mathrm{pg/mL}] = f_{u} \cdot \mathrm{TNF}\alpha\,[u]

    References
    ----------
    .. [1] Perrin AJ et al. Front Psychiatry. 2019;10:423. doi:10.3389/fpsyt.2019.00423

    Examples
    --------
    >>> tnf_alpha(1.5, tnf_unit="ng/L")
    1.5
    """
    return _out(_mass("tnf_alpha", value, tnf_unit, "pg/mL", "tnf_unit"))


def _counts(name: str, value: ArrayLike, unit: str, to_unit: str, arg: str) -> NDArray[np.float64]:
    arr = as_float_array(name, value)
    _check_values(name, arr)
    try:
        dim = dimension(normalize_unit(unit))
        if dim not in _COUNT_DIMS:
            raise UnitError(
                f"expected a cell count per volume (10*9/L, 10*3/uL, /uL) or '%', got {dim}"
            )
        return np.asarray(convert(arr, unit, to_unit), dtype=np.float64)
    except UnitError as exc:
        raise UnitError(f"Invalid {arg}={unit!r} for {name!r}: {exc}") from None


def nlr(
    neutrophils: ArrayLike,
    lymphocytes: ArrayLike,
    *,
    neutrophil_unit: str = "10*9/L",
    lymphocyte_unit: str = "10*9/L",
) -> float | NDArray[np.float64]:
    r"""Neutrophil-to-lymphocyte ratio, NLR (Zahorec 2001).

    Parameters
    ----------
    neutrophils : array-like, shape (n_subjects,) or scalar
        Absolute neutrophil count, in ``neutrophil_unit`` (10⁹/L by default), or percentage.
    lymphocytes : array-like, broadcastable
        Absolute lymphocyte count, in ``lymphocyte_unit``. Must be > 0.
    neutrophil_unit, lymphocyte_unit : str, default "10*9/L"
        Count-per-volume units (``10*9/L``, ``10*3/uL``, ``/uL``) or both ``%`` of leukocytes.

    Returns
    -------
    float or ndarray
        NLR, dimensionless (about 0.8-3.5 in healthy adults [recall]).

    Raises
    ------
    DataValidationError
        Negative, infinite or zero (lymphocytes) values, or shapes that do not broadcast.
    UnitError
        Unknown units, or a count per volume mixed with a percentage.

    Notes
    -----
    .. math:: \mathrm{NLR} = \frac{N}{L}

    References
    ----------
    .. [1] Zahorec R. Bratisl Lek Listy. 2001;102(1):5-14.

    Examples
    --------
    >>> nlr(4.2, 2100, lymphocyte_unit="/uL")
    2.0
    """
    n = _counts("neutrophils", neutrophils, neutrophil_unit, neutrophil_unit, "neutrophil_unit")
    try:
        lym = _counts(
            "lymphocytes", lymphocytes, lymphocyte_unit, neutrophil_unit, "lymphocyte_unit"
        )
    except UnitError as exc:
        raise UnitError(
            f"{exc} Give neutrophils and lymphocytes both as counts per volume or both in %."
        ) from None
    _require_positive("lymphocytes", lym, "the NLR divides by the lymphocyte count")
    n, lym = _broadcast(neutrophils=n, lymphocytes=lym)
    return _out(n / lym)


def cortisol_crp_ratio(
    cortisol: ArrayLike,
    crp: ArrayLike,
    *,
    cortisol_unit: str = "nmol/L",
    crp_unit: str = "mg/L",
) -> float | NDArray[np.float64]:
    r"""Cortisol-to-CRP ratio, a glucocorticoid-resistance proxy (Suarez 2015).

    Parameters
    ----------
    cortisol : array-like, shape (n_subjects,) or scalar
        Serum cortisol (same morning sample as CRP), in ``cortisol_unit`` (nmol/L by default;
        µg/dL accepted).
    crp : array-like, broadcastable
        hs-CRP, in ``crp_unit`` (mg/L by default). Must be > 0. Apply :func:`hs_crp` first to
        exclude acute-phase values.
    cortisol_unit : str, default "nmol/L"
        Unit of ``cortisol``.
    crp_unit : str, default "mg/L"
        Unit of ``crp`` (a mass concentration).

    Returns
    -------
    float or ndarray
        Cortisol [nmol/L] / CRP [mg/L], in nmol/mg. A low ratio (little cortisol for much
        inflammation) is read as insufficient glucocorticoid signalling; analyses usually
        log-transform it.

    Raises
    ------
    DataValidationError
        Negative, infinite or zero (CRP) values, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable units.

    Notes
    -----
    .. math:: R = \frac{\mathrm{cortisol}\,[\mathrm{nmol/L}]}{\mathrm{CRP}\,[\mathrm{mg/L}]}

    References
    ----------
    .. [1] Suarez EC et al. Brain Behav Immun. 2015 [recall: volume and pages].

    Examples
    --------
    >>> cortisol_crp_ratio(400.0, 2.0)
    200.0
    """
    c = _concentration(
        "cortisol",
        cortisol,
        cortisol_unit,
        analyte="cortisol",
        to_unit="nmol/L",
        unit_arg="cortisol_unit",
    )
    r = _mass("crp", crp, crp_unit, "mg/L", "crp_unit")
    _require_positive("crp", r, "the ratio divides by CRP")
    c, r = _broadcast(cortisol=c, crp=r)
    return _out(c / r)


def cortisol_il6_ratio(
    cortisol: ArrayLike,
    il6: ArrayLike,
    *,
    cortisol_unit: str = "nmol/L",
    il6_unit: str = "pg/mL",
) -> float | NDArray[np.float64]:
    r"""Cortisol-to-IL-6 ratio, a glucocorticoid-resistance proxy.

    Parameters
    ----------
    cortisol : array-like, shape (n_subjects,) or scalar
        Cortisol, in ``cortisol_unit`` (nmol/L by default; µg/dL accepted).
    il6 : array-like, broadcastable
        IL-6 from the same sample time, in ``il6_unit`` (pg/mL by default). Must be > 0.
    cortisol_unit : str, default "nmol/L"
        Unit of ``cortisol``.
    il6_unit : str, default "pg/mL"
        Unit of ``il6`` (a mass concentration).

    Returns
    -------
    float or ndarray
        Cortisol [nmol/L] / IL-6 [pg/mL] (pg/mL = ng/L, so the unit is nmol/ng). A low ratio
        suggests inflammation that cortisol does not restrain.

    Raises
    ------
    DataValidationError
        Negative, infinite or zero (IL-6) values, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable units.

    Notes
    -----
    .. math:: R = \frac{\mathrm{cortisol}\,[\mathrm{nmol/L}]}{\mathrm{IL6}\,[\mathrm{pg/mL}]}

    Built by analogy with the cortisol-to-CRP ratio [recall]; no single paper fixes its units,
    so compare values only within one unit convention.

    References
    ----------
    .. [1] Perrin AJ et al. Front Psychiatry. 2019;10:423. doi:10.3389/fpsyt.2019.00423
    .. [2] Suarez EC et al. Brain Behav Immun. 2015 [recall: volume and pages].

    Examples
    --------
    >>> cortisol_il6_ratio(400.0, 2.0)
    200.0
    """
    c = _concentration(
        "cortisol",
        cortisol,
        cortisol_unit,
        analyte="cortisol",
        to_unit="nmol/L",
        unit_arg="cortisol_unit",
    )
    i = _mass("il6", il6, il6_unit, "pg/mL", "il6_unit")
    _require_positive("il6", i, "the ratio divides by IL-6")
    c, i = _broadcast(cortisol=c, il6=i)
    return _out(c / i)
