"""Thyroid homeostasis (HPT axis): SPINA-GT/GD, Jostel's TSH index, TTSI, TFQI, FT3/FT4.

All functions take arrays of subjects (NumPy broadcasting; a scalar gives a Python float) and an
explicit unit per concentration, converted with :func:`neuroendo._core.units.convert` (molar masses:
T4 776.87 g/mol, T3 650.97 g/mol). The SPINA constants are those of the reference implementation,
the R package ``SPINA`` 5.1.0 by J. W. Dietrich (``estimated.GT``, ``estimated.GD``,
``estimated.GTT``, ``estimated.GDTT``).

Validity (Dietrich et al. 2016): the structure parameters assume a steady state (no change of
thyroid medication for 4-6 weeks); SPINA-GT is meaningless under levothyroxine and SPINA-GD is not
informative under liothyronine. The functions return numbers, never a diagnosis.

Missing values: NaN in any input gives NaN for that subject (and nothing else). Negative or
infinite concentrations raise :class:`~neuroendo._core.errors.DataValidationError`; so does a zero
where the formula divides by it or takes its logarithm (TSH in SPINA-GT and Jostel's index, FT4 in
SPINA-GD). The R package returns ``NA`` there instead; a TSH of 0 is usually a value below the
assay's detection limit, which the caller must decide how to handle.

References
----------
.. [1] Dietrich JW et al. Calculated parameters of thyroid homeostasis: emerging tools for
   differential diagnosis and clinical research. Front Endocrinol. 2016;7:57.
   doi:10.3389/fendo.2016.00057
.. [2] Jostel A, Ryder WD, Shalet SM. The use of thyroid function tests in the diagnosis of
   hypopituitarism: definition and evaluation of the TSH Index. Clin Endocrinol.
   2009;71(4):529-534. doi:10.1111/j.1365-2265.2009.03534.x
.. [3] Pohlenz J et al. Five new families with resistance to thyroid hormone not caused by
   mutations in the thyroid hormone receptor beta gene. J Clin Endocrinol Metab.
   1999;84(11):3919-3928. doi:10.1210/jcem.84.11.6080
.. [4] Laclaustra M et al. Impaired sensitivity to thyroid hormones is associated with diabetes
   and metabolic syndrome. Diabetes Care. 2019;42(2):303-310.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError
from neuroendo._core.validation import (
    as_float_array,
    check_finite,
    check_option,
)
from neuroendo.measures._common import broadcast as _broadcast
from neuroendo.measures._common import check_values as _check_values
from neuroendo.measures._common import concentration as _concentration
from neuroendo.measures._common import out as _out
from neuroendo.measures._common import require_positive as _require_positive

__all__ = [
    "PTFQI_PARAMETERS_EXAMPLE",
    "REFERENCE_RANGES",
    "SPINA_CONSTANTS",
    "ReferenceRange",
    "classify",
    "ft3_ft4_ratio",
    "jostel_tsh_index",
    "ptfqi",
    "reference_range",
    "sgd",
    "spina_gd",
    "spina_gdtt",
    "spina_gt",
    "spina_gtt",
    "stshi",
    "tfqi",
    "ttsi",
]

# --- SPINA constants (R package SPINA 5.1.0, spina_functions.R; Dietrich et al. 2016) ------------
ALPHA_T: Final = 0.1  # 1/L, dilution factor of T4 (inverse apparent volume of distribution)
BETA_T: Final = 1.1e-6  # 1/s, clearance exponent of T4
D_T: Final = 2.75  # mIU/L, EC50 of TSH at the thyroid
TBG: Final = 3e-7  # mol/L, thyroxine-binding globulin (standard concentration)
TBPA: Final = 4.5e-6  # mol/L, transthyretin (standard concentration)
K41: Final = 2e10  # L/mol, T4-TBG association constant
K42: Final = 2e8  # L/mol, T4-TBPA association constant
ALPHA_31: Final = 0.026  # 1/L, dilution factor of T3
BETA_31: Final = 8e-6  # 1/s, clearance exponent of T3
K_M1: Final = 5e-7  # mol/L, Michaelis constant of type-1 deiodinase
K30: Final = 2e9  # L/mol, T3-TBG association constant
JOSTEL_BETA: Final = 0.1345  # L/pmol, FT4 coefficient of Jostel's TSH index
TSHI_MEAN: Final = 2.7  # sTSHI standardisation (R package defaults)
TSHI_SD: Final = 0.676
GD_MEAN: Final = 30.0  # nmol/s, sGD standardisation (R package defaults)
GD_SD: Final = 5.0

#: The SPINA constants by their symbol in Dietrich et al. (2016), in SI-derived units
#: (mol/L, L/mol, 1/L, 1/s; D_T in mIU/L).
SPINA_CONSTANTS: Final[Mapping[str, float]] = types.MappingProxyType(
    {
        "alpha_T": ALPHA_T, "beta_T": BETA_T, "D_T": D_T, "TBG": TBG, "TBPA": TBPA, "K41": K41,
        "K42": K42, "alpha_31": ALPHA_31, "beta_31": BETA_31, "K_M1": K_M1, "K30": K30,
    }
)  # fmt: skip

_T4_BINDING: Final = 1.0 + K41 * TBG + K42 * TBPA  # total/free T4 ratio, 6901
_T3_BINDING: Final = 1.0 + K30 * TBG  # total/free T3 ratio, 601
_PICO: Final = 1e12  # pmol per mol (the R code divides by pico.factor <- 1e12)
_NANO: Final = 1e9  # nmol per mol


def _tsh(tsh: ArrayLike, unit: str) -> NDArray[np.float64]:
    return _concentration("tsh", tsh, unit, analyte="tsh", to_unit="m[IU]/L", unit_arg="tsh_unit")


def _ft4(ft4: ArrayLike, unit: str) -> NDArray[np.float64]:
    return _concentration("ft4", ft4, unit, analyte="ft4", to_unit="pmol/L", unit_arg="ft4_unit")


def _ft3(ft3: ArrayLike, unit: str) -> NDArray[np.float64]:
    return _concentration("ft3", ft3, unit, analyte="ft3", to_unit="pmol/L", unit_arg="ft3_unit")


# --- SPINA ---------------------------------------------------------------------------------------
def spina_gt(
    tsh: ArrayLike, ft4: ArrayLike, *, tsh_unit: str = "mIU/L", ft4_unit: str = "pmol/L"
) -> float | NDArray[np.float64]:
    r"""SPINA-GT: thyroid's secretory capacity from TSH and free T4.

    Parameters
    ----------
    tsh : array-like, shape (n_subjects,) or scalar
        TSH concentration, in ``tsh_unit`` (mIU/L = m[IU]/L = µIU/mL by default). Must be > 0.
    ft4 : array-like, broadcastable with ``tsh``
        Free T4 concentration, in ``ft4_unit`` (pmol/L by default; ng/dL accepted).
    tsh_unit : str, default "mIU/L"
        Unit of ``tsh`` (international units per volume, e.g. ``"m[IU]/L"``, ``"uIU/mL"``).
    ft4_unit : str, default "pmol/L"
        Unit of ``ft4`` (molar or mass concentration, e.g. ``"pmol/L"``, ``"ng/dL"``).

    Returns
    -------
    float or ndarray
        SPINA-GT in pmol/s (LOINC 82368-2); NaN where an input is NaN.

    Raises
    ------
    DataValidationError
        Negative or infinite values, TSH = 0, or shapes that do not broadcast.
    UnitError
        Unknown unit, or one that does not suit the analyte (e.g. ``ft4_unit="m[IU]/L"``).

    Notes
    -----
    .. math::

        \mathrm{SPINA\text{-}GT} = \frac{\beta_T (D_T + TSH)(1 + K_{41} TBG + K_{42} TBPA)
        \, FT4}{\alpha_T \, TSH}

    with FT4 in mol/L, the result in mol/s multiplied by :math:`10^{12}` (pmol/s);
    :math:`\alpha_T = 0.1` L⁻¹, :math:`\beta_T = 1.1 \cdot 10^{-6}` s⁻¹, :math:`D_T = 2.75` mIU/L,
    TBG = 3·10⁻⁷ mol/L, TBPA = 4.5·10⁻⁶ mol/L, :math:`K_{41} = 2 \cdot 10^{10}` L/mol,
    :math:`K_{42} = 2 \cdot 10^{8}` L/mol (R package SPINA 5.1.0).

    FT4 in ng/dL is converted with the molar mass of T4 (1 ng/dL = 12.872 pmol/L); SPINA Thyr uses
    12.8, so results from mass units differ from SPINA's by about 0.6 %. Reference range
    1.41-8.67 pmol/s (:data:`REFERENCE_RANGES`). Not valid under levothyroxine or out of steady
    state.

    References
    ----------
    .. [1] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> spina_gt(1.0, 16.5)
    4.696993125
    >>> spina_gt([1.0, 3.24], [16.5, 7.7])
    array([4.69699312, 1.08063057])
    """
    t = _tsh(tsh, tsh_unit)
    f4 = _ft4(ft4, ft4_unit)
    _require_positive("tsh", t, "SPINA-GT divides by TSH")
    t, f4 = _broadcast(tsh=t, ft4=f4)
    gt = BETA_T * (D_T + t) * _T4_BINDING * (f4 / _PICO) / (ALPHA_T * t) * _PICO
    return _out(gt)


def spina_gd(
    ft4: ArrayLike, ft3: ArrayLike, *, ft4_unit: str = "pmol/L", ft3_unit: str = "pmol/L"
) -> float | NDArray[np.float64]:
    r"""SPINA-GD: sum activity of peripheral step-up deiodinases from free T4 and free T3.

    Parameters
    ----------
    ft4 : array-like, shape (n_subjects,) or scalar
        Free T4, in ``ft4_unit`` (pmol/L by default; ng/dL accepted). Must be > 0.
    ft3 : array-like, broadcastable with ``ft4``
        Free T3, in ``ft3_unit`` (pmol/L by default; pg/mL accepted).
    ft4_unit, ft3_unit : str, default "pmol/L"
        Units of ``ft4`` and ``ft3``.

    Returns
    -------
    float or ndarray
        SPINA-GD in nmol/s (LOINC 82367-4); NaN where an input is NaN.

    Raises
    ------
    DataValidationError
        Negative or infinite values, FT4 = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math::

        \mathrm{SPINA\text{-}GD} = \frac{\beta_{31} (K_{M1} + FT4)(1 + K_{30} TBG)\, FT3}
        {\alpha_{31} \, FT4}

    with FT4 and FT3 in mol/L, the result in mol/s multiplied by :math:`10^{9}` (nmol/s);
    :math:`\alpha_{31} = 0.026` L⁻¹, :math:`\beta_{31} = 8 \cdot 10^{-6}` s⁻¹,
    :math:`K_{M1} = 5 \cdot 10^{-7}` mol/L, :math:`K_{30} = 2 \cdot 10^{9}` L/mol,
    TBG = 3·10⁻⁷ mol/L. FT3 in pg/mL is converted with 1.5362 pmol/L per pg/mL (SPINA Thyr uses
    1.54). Reference range 20-40 nmol/s. Not informative under liothyronine.

    References
    ----------
    .. [1] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> spina_gd(16.5, 4.5)
    25.2176153706294
    """
    f4 = _ft4(ft4, ft4_unit)
    f3 = _ft3(ft3, ft3_unit)
    _require_positive("ft4", f4, "SPINA-GD divides by FT4")
    f4, f3 = _broadcast(ft4=f4, ft3=f3)
    f4m, f3m = f4 / _PICO, f3 / _PICO
    gd = BETA_31 * (K_M1 + f4m) * _T3_BINDING * f3m / (ALPHA_31 * f4m) * _NANO
    return _out(gd)


def spina_gtt(
    tsh: ArrayLike, tt4: ArrayLike, *, tsh_unit: str = "mIU/L", tt4_unit: str = "nmol/L"
) -> float | NDArray[np.float64]:
    r"""SPINA-GT from total T4 (SPINA-GTT): thyroid's secretory capacity.

    Parameters
    ----------
    tsh : array-like, shape (n_subjects,) or scalar
        TSH, in ``tsh_unit`` (mIU/L by default). Must be > 0.
    tt4 : array-like, broadcastable with ``tsh``
        Total T4, in ``tt4_unit`` (nmol/L by default; µg/dL accepted).
    tsh_unit : str, default "mIU/L"
        Unit of ``tsh``.
    tt4_unit : str, default "nmol/L"
        Unit of ``tt4``.

    Returns
    -------
    float or ndarray
        SPINA-GTT in pmol/s.

    Raises
    ------
    DataValidationError
        Negative or infinite values, TSH = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math::

        \mathrm{SPINA\text{-}GTT} = \frac{\beta_T (D_T + TSH)\, TT4}{\alpha_T \, TSH}

    with TT4 in mol/L and the result ×10¹² (pmol/s); constants as in :func:`spina_gt`. Total T4
    depends on binding-protein concentrations (pregnancy, oestrogens, TBG variants); prefer
    :func:`spina_gt` when FT4 is available.

    References
    ----------
    .. [1] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> spina_gtt(1.0, 90.0)
    3.7125
    """
    t = _tsh(tsh, tsh_unit)
    t4 = _concentration("tt4", tt4, tt4_unit, analyte="tt4", to_unit="nmol/L", unit_arg="tt4_unit")
    _require_positive("tsh", t, "SPINA-GTT divides by TSH")
    t, t4 = _broadcast(tsh=t, tt4=t4)
    gt = BETA_T * (D_T + t) * (t4 / _NANO) / (ALPHA_T * t) * _PICO
    return _out(gt)


def spina_gdtt(
    tt4: ArrayLike, tt3: ArrayLike, *, tt4_unit: str = "nmol/L", tt3_unit: str = "nmol/L"
) -> float | NDArray[np.float64]:
    r"""SPINA-GD from total T4 and total T3 (SPINA-GDTT): step-up deiodinase activity.

    Parameters
    ----------
    tt4 : array-like, shape (n_subjects,) or scalar
        Total T4, in ``tt4_unit`` (nmol/L by default; µg/dL accepted). Must be > 0.
    tt3 : array-like, broadcastable with ``tt4``
        Total T3, in ``tt3_unit`` (nmol/L by default; ng/dL accepted).
    tt4_unit, tt3_unit : str, default "nmol/L"
        Units of ``tt4`` and ``tt3``.

    Returns
    -------
    float or ndarray
        SPINA-GDTT in nmol/s.

    Raises
    ------
    DataValidationError
        Negative or infinite values, TT4 = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math::

        FT4_{est} = \frac{TT4}{1 + K_{41} TBG + K_{42} TBPA}, \qquad
        \mathrm{SPINA\text{-}GDTT} = \frac{\beta_{31} (K_{M1} + FT4_{est})\, TT3}
        {\alpha_{31} \, FT4_{est}}

    with concentrations in mol/L (nmol/L × 10⁻⁹) and the result ×10⁹ (nmol/s); there is no
    :math:`(1 + K_{30} TBG)` factor because TT3 is already total. The R function
    ``estimated.GDTT`` (SPINA 5.1.0) divides its nmol/L inputs by 10¹² instead of 10⁹; that only
    changes the :math:`K_{M1} + FT4_{est}` term, where :math:`FT4_{est} \ll K_{M1}`, so this
    implementation (correct factor 10⁹) is higher by a factor
    :math:`(K_{M1} + FT4_{est}) / (K_{M1} + 10^{-3} FT4_{est})`, about 1 + 2.6·10⁻⁵ at
    TT4 = 90 nmol/L.

    References
    ----------
    .. [1] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> round(spina_gdtt(90.0, 2.5), 2)
    29.49
    """
    t4 = _concentration("tt4", tt4, tt4_unit, analyte="tt4", to_unit="nmol/L", unit_arg="tt4_unit")
    t3 = _concentration("tt3", tt3, tt3_unit, analyte="tt3", to_unit="nmol/L", unit_arg="tt3_unit")
    _require_positive("tt4", t4, "SPINA-GDTT divides by the estimated FT4")
    t4, t3 = _broadcast(tt4=t4, tt3=t3)
    ft4_est = t4 / _NANO / _T4_BINDING
    gd = BETA_31 * (K_M1 + ft4_est) * (t3 / _NANO) / (ALPHA_31 * ft4_est) * _NANO
    return _out(gd)


def sgd(
    ft4: ArrayLike,
    ft3: ArrayLike,
    *,
    ft4_unit: str = "pmol/L",
    ft3_unit: str = "pmol/L",
    mean: float = GD_MEAN,
    sd: float = GD_SD,
) -> float | NDArray[np.float64]:
    r"""Standardised SPINA-GD (sGD), a z-score of :func:`spina_gd`.

    Parameters
    ----------
    ft4, ft3 : array-like
        Free T4 and free T3, as in :func:`spina_gd`.
    ft4_unit, ft3_unit : str, default "pmol/L"
        Their units.
    mean : float, default 30.0
        Reference mean of SPINA-GD in nmol/s (R package default).
    sd : float, default 5.0
        Reference standard deviation of SPINA-GD in nmol/s (R package default). Must be > 0.

    Returns
    -------
    float or ndarray
        sGD, dimensionless.

    Raises
    ------
    DataValidationError, UnitError
        As :func:`spina_gd`.
    ValueError
        If ``sd`` is not positive.

    Notes
    -----
    .. math:: \mathrm{sGD} = \frac{\mathrm{SPINA\text{-}GD} - 30}{5}

    The defaults correspond to the 20-40 nmol/s reference range (mean ± 2 SD).

    References
    ----------
    .. [1] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> sgd(16.5, 4.5)
    -0.956476925874126
    """
    _check_sd(sd)
    gd = np.asarray(spina_gd(ft4, ft3, ft4_unit=ft4_unit, ft3_unit=ft3_unit))
    return _out((gd - mean) / sd)


def _check_sd(sd: float, name: str = "sd") -> None:
    if not (np.isfinite(sd) and sd > 0):
        raise ValueError(f"{name!r} must be a finite number > 0, got {sd!r}.")


# --- TSH-based indices ---------------------------------------------------------------------------
def jostel_tsh_index(
    tsh: ArrayLike, ft4: ArrayLike, *, tsh_unit: str = "mIU/L", ft4_unit: str = "pmol/L"
) -> float | NDArray[np.float64]:
    r"""Jostel's TSH index (TSHI, JTI).

    Parameters
    ----------
    tsh : array-like, shape (n_subjects,) or scalar
        TSH, in ``tsh_unit`` (mIU/L by default). Must be > 0 (the index takes its logarithm).
    ft4 : array-like, broadcastable with ``tsh``
        Free T4, in ``ft4_unit`` (pmol/L by default; the coefficient 0.1345 is per pmol/L, so
        ng/dL values are converted first).
    tsh_unit : str, default "mIU/L"
        Unit of ``tsh``.
    ft4_unit : str, default "pmol/L"
        Unit of ``ft4``.

    Returns
    -------
    float or ndarray
        TSHI, dimensionless (reference 1.3-4.1).

    Raises
    ------
    DataValidationError
        Negative or infinite values, TSH = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math:: \mathrm{TSHI} = \ln(TSH\,[\mathrm{mIU/L}]) + 0.1345 \cdot FT4\,[\mathrm{pmol/L}]

    References
    ----------
    .. [1] Jostel A, Ryder WD, Shalet SM. Clin Endocrinol. 2009;71(4):529-534.
       doi:10.1111/j.1365-2265.2009.03534.x

    Examples
    --------
    >>> round(jostel_tsh_index(1.0, 16.5), 4)
    2.2193
    """
    t = _tsh(tsh, tsh_unit)
    f4 = _ft4(ft4, ft4_unit)
    _require_positive("tsh", t, "Jostel's TSH index takes ln(TSH)")
    t, f4 = _broadcast(tsh=t, ft4=f4)
    return _out(np.log(t) + JOSTEL_BETA * f4)


def stshi(
    tsh: ArrayLike,
    ft4: ArrayLike,
    *,
    tsh_unit: str = "mIU/L",
    ft4_unit: str = "pmol/L",
    mean: float = TSHI_MEAN,
    sd: float = TSHI_SD,
) -> float | NDArray[np.float64]:
    r"""Standardised Jostel's TSH index (sTSHI), a z-score of :func:`jostel_tsh_index`.

    Parameters
    ----------
    tsh, ft4 : array-like
        As in :func:`jostel_tsh_index`.
    tsh_unit : str, default "mIU/L"
        Unit of ``tsh``.
    ft4_unit : str, default "pmol/L"
        Unit of ``ft4``.
    mean : float, default 2.7
        Reference mean of TSHI (R package SPINA default).
    sd : float, default 0.676
        Reference standard deviation of TSHI (R package SPINA default). Must be > 0.

    Returns
    -------
    float or ndarray
        sTSHI, dimensionless; reference -2 to +2.

    Raises
    ------
    DataValidationError, UnitError
        As :func:`jostel_tsh_index`.
    ValueError
        If ``sd`` is not positive.

    Notes
    -----
    .. math:: \mathrm{sTSHI} = \frac{\mathrm{TSHI} - 2.7}{0.676}

    References
    ----------
    .. [1] Jostel A, Ryder WD, Shalet SM. Clin Endocrinol. 2009;71(4):529-534.
       doi:10.1111/j.1365-2265.2009.03534.x
    .. [2] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> round(stshi(1.0, 16.5), 4)
    -0.7112
    """
    _check_sd(sd)
    tshi = np.asarray(jostel_tsh_index(tsh, ft4, tsh_unit=tsh_unit, ft4_unit=ft4_unit))
    return _out((tshi - mean) / sd)


def ttsi(
    tsh: ArrayLike, ft4: ArrayLike, ft4_upper_limit: ArrayLike, *, tsh_unit: str = "mIU/L"
) -> float | NDArray[np.float64]:
    r"""Thyrotroph thyroid hormone sensitivity index (TTSI, also TT4RI).

    Parameters
    ----------
    tsh : array-like, shape (n_subjects,) or scalar
        TSH, in ``tsh_unit`` (mIU/L by default). Zero is allowed (gives 0).
    ft4 : array-like, broadcastable with ``tsh``
        Free T4 in **any** unit, the same as ``ft4_upper_limit`` (only their ratio enters).
    ft4_upper_limit : array-like, broadcastable
        Upper limit of the laboratory's FT4 reference interval, in the unit of ``ft4``. Must be
        > 0.
    tsh_unit : str, default "mIU/L"
        Unit of ``tsh``.

    Returns
    -------
    float or ndarray
        TTSI (TSH in mIU/L times the FT4 fraction of its upper limit, × 100); conventionally
        reported without a unit. SPINA's sample reports give 122-150.

    Raises
    ------
    DataValidationError
        Negative or infinite values, an upper limit of 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable ``tsh_unit``.

    Notes
    -----
    .. math:: \mathrm{TTSI} = 100 \cdot TSH \cdot \frac{FT4}{FT4_{ULN}}

    The R package returns ``NA`` when TSH is 0; here the formula gives 0, as it involves no
    division by TSH.

    References
    ----------
    .. [1] Pohlenz J et al. J Clin Endocrinol Metab. 1999;84(11):3919-3928.
       doi:10.1210/jcem.84.11.6080
    .. [2] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> round(ttsi(1.0, 16.5, 18.0), 2)
    91.67
    """
    t = _tsh(tsh, tsh_unit)
    f4 = as_float_array("ft4", ft4)
    uln = as_float_array("ft4_upper_limit", ft4_upper_limit)
    _check_values("ft4", f4)
    _check_values("ft4_upper_limit", uln)
    _require_positive("ft4_upper_limit", uln, "TTSI divides by the FT4 upper limit")
    t, f4, uln = _broadcast(tsh=t, ft4=f4, ft4_upper_limit=uln)
    return _out(100.0 * t * f4 / uln)


# --- TFQI ----------------------------------------------------------------------------------------
def tfqi(
    tsh: ArrayLike,
    ft4: ArrayLike,
    *,
    reference_tsh: ArrayLike,
    reference_ft4: ArrayLike,
    tsh_unit: str = "mIU/L",
    ft4_unit: str = "pmol/L",
) -> float | NDArray[np.float64]:
    r"""Thyroid feedback quantile-based index (TFQI) against a reference population.

    Parameters
    ----------
    tsh : array-like, shape (n_subjects,) or scalar
        TSH, in ``tsh_unit``.
    ft4 : array-like, broadcastable with ``tsh``
        Free T4, in ``ft4_unit``.
    reference_tsh : array-like, shape (n_reference,)
        TSH of the reference population (euthyroid people of the same assay), in ``tsh_unit``.
        At least 2 values; no NaN.
    reference_ft4 : array-like, shape (m_reference,)
        FT4 of the reference population, in ``ft4_unit``. At least 2 values; no NaN.
    tsh_unit : str, default "mIU/L"
        Unit of ``tsh`` and ``reference_tsh``.
    ft4_unit : str, default "pmol/L"
        Unit of ``ft4`` and ``reference_ft4``.

    Returns
    -------
    float or ndarray
        TFQI, dimensionless in [-1, 1]; 0 is the population's typical feedback, positive values
        mean lower central sensitivity to FT4 (high FT4 *and* high TSH quantiles).

    Raises
    ------
    DataValidationError
        Negative, infinite or mismatched inputs; a reference with NaN or fewer than 2 values.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math:: \mathrm{TFQI} = F_{FT4}(FT4) - \bigl(1 - F_{TSH}(TSH)\bigr)

    with :math:`F` the empirical cumulative distribution function of the reference sample,
    :math:`F(x) = \#\{r_i \le x\} / n`. Laclaustra et al. report mean 0, SD 0.37 (range of the
    central 95 %: -0.74 to +0.74) in their population; the result depends on the reference
    population and assay, so pass a reference that matches your data. See :func:`ptfqi` for
    the parametric variant.

    References
    ----------
    .. [1] Laclaustra M et al. Diabetes Care. 2019;42(2):303-310.

    Examples
    --------
    >>> tfqi(1.5, 15.0, reference_tsh=[0.5, 1.0, 1.5, 2.0], reference_ft4=[12.0, 14.0, 16.0, 18.0])
    0.25
    """
    t = _tsh(tsh, tsh_unit)
    f4 = _ft4(ft4, ft4_unit)
    ref_t = np.sort(_reference("reference_tsh", reference_tsh, tsh_unit, "tsh", "m[IU]/L"))
    ref_f4 = np.sort(_reference("reference_ft4", reference_ft4, ft4_unit, "ft4", "pmol/L"))
    t, f4 = _broadcast(tsh=t, ft4=f4)
    cdf_t = np.searchsorted(ref_t, t, side="right") / ref_t.size
    cdf_f4 = np.searchsorted(ref_f4, f4, side="right") / ref_f4.size
    out = cdf_f4 - (1.0 - cdf_t)
    out = np.where(np.isnan(t) | np.isnan(f4), np.nan, out)  # searchsorted puts NaN last
    return _out(np.asarray(out, dtype=np.float64))


def _reference(
    name: str, values: ArrayLike, unit: str, analyte: str, to_unit: str
) -> NDArray[np.float64]:
    arr = _concentration(
        name, values, unit, analyte=analyte, to_unit=to_unit, unit_arg=f"{analyte}_unit"
    ).ravel()
    if np.isnan(arr).any() or arr.size < 2:
        raise DataValidationError(
            f"{name!r} must hold at least 2 reference values and no NaN; got {arr.size} value(s) "
            f"with {int(np.isnan(arr).sum())} NaN. Drop missing values from the reference sample."
        )
    return arr


#: Parameters of the parametric TFQI for ONE study population, as quoted in a secondary summary
#: (clinical.md §3.2: FT4 in pmol/L, ln TSH with TSH in mIU/L). Not universal: estimate the mean
#: and SD of your own reference population and assay where you can.
PTFQI_PARAMETERS_EXAMPLE: Final[Mapping[str, float]] = types.MappingProxyType(
    {"mean_ft4": 13.2678, "sd_ft4": 1.4871, "mean_ln_tsh": 0.4757, "sd_ln_tsh": 0.4951}
)


def ptfqi(
    tsh: ArrayLike,
    ft4: ArrayLike,
    *,
    mean_ft4: float,
    sd_ft4: float,
    mean_ln_tsh: float,
    sd_ln_tsh: float,
    tsh_unit: str = "mIU/L",
    ft4_unit: str = "pmol/L",
) -> float | NDArray[np.float64]:
    r"""Parametric thyroid feedback quantile-based index (PTFQI).

    The population parameters are required arguments on purpose: they describe one reference
    population and assay. :data:`PTFQI_PARAMETERS_EXAMPLE` holds the values of one study
    population (FT4 mean 13.2678 pmol/L, SD 1.4871; ln TSH mean 0.4757, SD 0.4951; quoted from a
    secondary summary), for ``ptfqi(tsh, ft4, **PTFQI_PARAMETERS_EXAMPLE)``.

    Parameters
    ----------
    tsh : array-like, shape (n_subjects,) or scalar
        TSH, in ``tsh_unit`` (converted to mIU/L before the logarithm). Must be > 0.
    ft4 : array-like, broadcastable with ``tsh``
        Free T4, in ``ft4_unit`` (converted to pmol/L).
    mean_ft4, sd_ft4 : float
        Mean and SD of FT4 in the reference population, in pmol/L.
    mean_ln_tsh, sd_ln_tsh : float
        Mean and SD of ln(TSH [mIU/L]) in the reference population.
    tsh_unit : str, default "mIU/L"
        Unit of ``tsh``.
    ft4_unit : str, default "pmol/L"
        Unit of ``ft4``.

    Returns
    -------
    float or ndarray
        PTFQI, dimensionless in (-1, 1).

    Raises
    ------
    DataValidationError
        Negative or infinite values, TSH = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.
    ValueError
        If an SD is not positive.

    Notes
    -----
    .. math::

        \mathrm{PTFQI} = \Phi\!\left(\frac{FT4 - \mu_{FT4}}{\sigma_{FT4}}\right)
        - \left(1 - \Phi\!\left(\frac{\ln TSH - \mu_{\ln TSH}}{\sigma_{\ln TSH}}\right)\right)

    with :math:`\Phi` the standard normal distribution function.

    References
    ----------
    .. [1] Laclaustra M et al. Diabetes Care. 2019;42(2):303-310.

    Examples
    --------
    >>> round(ptfqi(1.6091, 13.2678, **PTFQI_PARAMETERS_EXAMPLE), 4)
    0.0
    """
    from scipy.special import ndtr  # lazy: keeps `import neuroendo` light

    _check_sd(sd_ft4, "sd_ft4")
    _check_sd(sd_ln_tsh, "sd_ln_tsh")
    t = _tsh(tsh, tsh_unit)
    f4 = _ft4(ft4, ft4_unit)
    _require_positive("tsh", t, "PTFQI takes ln(TSH)")
    t, f4 = _broadcast(tsh=t, ft4=f4)
    z_f4 = (f4 - mean_ft4) / sd_ft4
    z_t = (np.log(t) - mean_ln_tsh) / sd_ln_tsh
    return _out(np.asarray(ndtr(z_f4) - (1.0 - ndtr(z_t)), dtype=np.float64))


# --- ratio ---------------------------------------------------------------------------------------
def ft3_ft4_ratio(
    ft3: ArrayLike, ft4: ArrayLike, *, ft3_unit: str = "pmol/L", ft4_unit: str = "pmol/L"
) -> float | NDArray[np.float64]:
    r"""Molar ratio of free T3 to free T4.

    Parameters
    ----------
    ft3 : array-like, shape (n_subjects,) or scalar
        Free T3, in ``ft3_unit`` (pmol/L by default; pg/mL accepted).
    ft4 : array-like, broadcastable with ``ft3``
        Free T4, in ``ft4_unit`` (pmol/L by default; ng/dL accepted). Must be > 0.
    ft3_unit, ft4_unit : str, default "pmol/L"
        Units; both are converted to pmol/L first, so mixed units give the molar ratio.

    Returns
    -------
    float or ndarray
        FT3/FT4, dimensionless (mol/mol). There is no consensus reference interval (about
        0.2-0.4 in euthyroid people); SPINA-GD is the model-based alternative.

    Raises
    ------
    DataValidationError
        Negative or infinite values, FT4 = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math:: R = \frac{FT3\,[\mathrm{pmol/L}]}{FT4\,[\mathrm{pmol/L}]}

    A ratio of mass concentrations (pg/mL over ng/dL) is a different number; this function
    always returns the molar ratio.

    References
    ----------
    .. [1] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> round(ft3_ft4_ratio(4.5, 16.5), 4)
    0.2727
    """
    f3 = _ft3(ft3, ft3_unit)
    f4 = _ft4(ft4, ft4_unit)
    _require_positive("ft4", f4, "the ratio divides by FT4")
    f3, f4 = _broadcast(ft3=f3, ft4=f4)
    return _out(f3 / f4)


# --- reference ranges ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReferenceRange:
    """A reference interval of one index, with its source.

    Parameters
    ----------
    name : str
        Index name (as in the catalogue), e.g. ``"spina_gt"``.
    low, high : float
        Inclusive bounds (FHIR ``referenceRange`` convention), in ``unit``.
    unit : str
        UCUM unit.
    source : str
        Where the interval comes from.
    population : str
        Population or method it applies to.
    """

    name: str
    low: float
    high: float
    unit: str
    source: str
    population: str = ""


_SPINA_HL7 = "SPINA Thyr sample report Sample_LOINC_4.hl7 (jwdietrich21/spina)"

#: Reference intervals of the thyroid indices, each with its source. Thyroid ranges are
#: population- and assay-specific: use your laboratory's where it has one.
REFERENCE_RANGES: Final[Mapping[str, ReferenceRange]] = types.MappingProxyType(
    {
        r.name: r
        for r in (
            ReferenceRange(
                "spina_gt", 1.41, 8.67, "pmol/s",
                f"Dietrich et al. 2016 (DocCheck Flexikon entry); {_SPINA_HL7}",
                "adults, steady state, no thyroid medication",
            ),
            ReferenceRange("spina_gd", 20.0, 40.0, "nmol/s", _SPINA_HL7, "adults"),
            ReferenceRange(
                "sgd", -2.0, 2.0, "1", "derived from SPINA-GD 20-40 nmol/s (mean 30, SD 5)",
                "adults",
            ),
            ReferenceRange("jostel_tsh_index", 1.3, 4.1, "1", _SPINA_HL7, "adults"),
            ReferenceRange(
                "stshi", -2.0, 2.0, "1",
                "mean ± 2 SD of the standardisation (2.7 ± 0.676; R package SPINA)",
                "adults; < -2 is compatible with thyrotropic (central) insufficiency",
            ),
            ReferenceRange(
                "ttsi", 122.0, 150.0, "1", _SPINA_HL7,
                "adults; 100-150 is also quoted in the literature",
            ),
            ReferenceRange(
                "tfqi", -0.74, 0.74, "1",
                "Laclaustra et al. 2019 (mean 0, SD 0.37)", "the study's reference population",
            ),
        )
    }
)  # fmt: skip


def reference_range(name: str) -> ReferenceRange:
    """Return the reference interval of a thyroid index.

    Parameters
    ----------
    name : str
        Index name: one of the keys of :data:`REFERENCE_RANGES`.

    Returns
    -------
    ReferenceRange
        Bounds (inclusive), unit and source.

    Raises
    ------
    ValueError
        If there is no interval for ``name`` (with the closest name suggested).

    Examples
    --------
    >>> r = reference_range("spina_gd")
    >>> (r.low, r.high, r.unit)
    (20.0, 40.0, 'nmol/s')
    """
    check_option("name", name, tuple(REFERENCE_RANGES))
    return REFERENCE_RANGES[name]


def classify(name: str, value: ArrayLike) -> str | NDArray[np.str_]:
    """Place index values relative to their reference interval (not a diagnosis).

    Parameters
    ----------
    name : str
        Index name, a key of :data:`REFERENCE_RANGES`.
    value : array-like
        Index values in the interval's unit (e.g. the output of :func:`spina_gt`).

    Returns
    -------
    str or ndarray of str
        ``"below"``, ``"within"`` or ``"above"`` the interval (bounds inclusive, as in FHIR
        ``referenceRange``), ``"missing"`` for NaN.

    Raises
    ------
    ValueError
        Unknown index name.
    DataValidationError
        Non-numeric or infinite values.

    Examples
    --------
    >>> classify("spina_gt", [1.0, 4.7, 8.67, 9.0])
    array(['below', 'within', 'within', 'above'], dtype='<U7')
    """
    r = reference_range(name)
    v = as_float_array("value", value)
    check_finite("value", np.atleast_1d(v), allow_nan=True)
    out = np.select(
        [np.isnan(v), v < r.low, v > r.high], ["missing", "below", "above"], default="within"
    ).astype("<U7")
    return str(out) if out.ndim == 0 else out
