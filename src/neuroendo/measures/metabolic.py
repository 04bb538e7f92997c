r"""Metabolic indices from fasting glucose, insulin and triglycerides, plus cortisol/DHEA-S.

HOMA1-IR and HOMA1-%B (Matthews 1985), QUICKI (Katz 2000), the triglyceride-glucose index
(Simental-Mendía 2008), SPINA Carb (SPINA-GBeta, SPINA-GR, SPINA-DI; Dietrich 2022, 2024) and
the cortisol/DHEA-S molar ratio. Every function takes arrays of subjects (NumPy broadcasting; a
scalar gives a Python float) with an explicit unit per argument. NaN gives NaN for that subject;
negative or infinite values raise :class:`~neuroendo._core.errors.DataValidationError`.

Units
-----
* **Glucose** converts between mass and molar units through its molar mass,
  :data:`GLUCOSE_MOLAR_MASS` = 180.16 g/mol (1 mmol/L = 18.016 mg/dL). SPINA Carb's own software
  rounds this to 18; the difference is 0.09 %.
* **Triglycerides** convert through the molar mass of triolein, :data:`TRIGLYCERIDE_MOLAR_MASS`
  = 885.7 g/mol (1 mmol/L = 88.57 mg/dL), the factor clinical laboratories use [recall].
* **Insulin** is measured in international units (µIU/mL = mIU/L, UCUM ``u[IU]/mL``) or in
  pmol/L. International units are defined by a reference preparation, not by a mass, so the
  conversion needs a *stated* factor: ``insulin_factor`` in pmol/L per µIU/mL. Two values are in
  use: :data:`INSULIN_FACTOR_VOLUND` = 6.0 (Vølund 1993; used by SPINA Carb) and
  :data:`INSULIN_FACTOR_CLASSIC` = 6.945 (older literature and many HOMA papers). The SPINA
  functions default to SPINA's 6.0, written in their signatures. HOMA and QUICKI are defined on
  µIU/mL, and a pmol/L input to them raises :class:`~neuroendo._core.errors.UnitError` unless
  you pass ``insulin_factor``: the choice changes HOMA-IR by 16 %, so it is never made silently.
  Labs writing "µU/mL" mean µIU/mL, but in UCUM ``U`` is the enzyme unit; such input is
  rejected with a message naming the right spelling.

References
----------
.. [1] Matthews DR et al. Homeostasis model assessment: insulin resistance and beta-cell function
   from fasting plasma glucose and insulin concentrations in man. Diabetologia.
   1985;28(7):412-419. doi:10.1007/BF00280883
.. [2] Katz A et al. Quantitative insulin sensitivity check index. J Clin Endocrinol Metab.
   2000;85(7):2402-2410. doi:10.1210/jcem.85.7.6661
.. [3] Simental-Mendía LE, Rodríguez-Morán M, Guerrero-Romero F. Metab Syndr Relat Disord.
   2008;6(4):299-304. doi:10.1089/met.2008.0034
.. [4] Dietrich JW et al. SPINA Carb. Sci Rep. 2022;12(1):17659. doi:10.1038/s41598-022-22531-3
.. [5] Dietrich JW et al. SPINA-DI. J Diabetes. 2024;16(9):e13525. doi:10.1111/1753-0407.13525
.. [6] Vølund A. Conversion of insulin units to SI units. Am J Clin Nutr. 1993;58(5):714-715.
   doi:10.1093/ajcn/58.5.714
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.analytes import Analyte
from neuroendo._core.errors import DataQualityWarning, UnitError, warn
from neuroendo._core.units import convert, dimension, normalize_unit
from neuroendo._core.validation import as_float_array, check_range
from neuroendo.measures._common import broadcast as _broadcast
from neuroendo.measures._common import check_values as _check_values
from neuroendo.measures._common import concentration as _concentration
from neuroendo.measures._common import out as _out
from neuroendo.measures._common import require_positive as _require_positive

__all__ = [
    "GLUCOSE_MOLAR_MASS",
    "INSULIN_FACTOR_CLASSIC",
    "INSULIN_FACTOR_VOLUND",
    "SPINA_CARB_CONSTANTS",
    "TRIGLYCERIDE_MOLAR_MASS",
    "cortisol_dhea_s_ratio",
    "homa_b",
    "homa_ir",
    "quicki",
    "spina_di",
    "spina_gbeta",
    "spina_gr",
    "tyg_index",
]

#: Molar mass of D-glucose, g/mol (1 mmol/L = 18.016 mg/dL).
GLUCOSE_MOLAR_MASS: Final = 180.16
#: Molar mass of triolein, g/mol, the lab convention for triglycerides (1 mmol/L = 88.57 mg/dL).
TRIGLYCERIDE_MOLAR_MASS: Final = 885.7
#: Insulin, pmol/L per µIU/mL, of Vølund 1993 (also SPINA Carb's INSULINCONVERSIONFACTOR).
INSULIN_FACTOR_VOLUND: Final = 6.0
#: Insulin, pmol/L per µIU/mL, of the older literature and many HOMA papers [recall].
INSULIN_FACTOR_CLASSIC: Final = 6.945

#: Published constants of SPINA Carb (Dietrich 2022, Table 1; the same numbers in the authors'
#: R and Python functions, repository jwdietrich21/spina). SI units.
SPINA_CARB_CONSTANTS: Final = {
    "beta_i": 3.4e-3,  # 1/s, clearance exponent of insulin
    "alpha_i": 0.2,  # 1/L, dilution factor of insulin
    "d_beta": 7e-3,  # mol/L, EC50 of glucose at the beta cell
    "alpha_g": 0.11,  # 1/L, dilution factor of glucose
    "beta_g": 7.1e-4,  # 1/s, clearance exponent of glucose
    "p0": 150e-6,  # mol/s, basal glucose production
    "d_r": 1.6e-9,  # mol/L, EC50 of insulin at its receptor
    "g_e": 50.0,  # s/mol, effector gain of glucose
}

# Catalogue-style analytes local to this module: glucose and triglycerides are not in the
# analyte catalogue, and insulin has no molar mass for international units.
_GLUCOSE: Final = Analyte("glucose", "Glucose", "mmol/L", GLUCOSE_MOLAR_MASS, (), "other")
_TRIGLYCERIDES: Final = Analyte(
    "triglycerides", "Triglycerides (as triolein)", "mmol/L", TRIGLYCERIDE_MOLAR_MASS, (), "other"
)
_IU_DIM: Final = "[international_unit] / [length] ** 3"
_MOLAR_DIM: Final = "[substance] / [length] ** 3"


def _local(
    name: str, value: ArrayLike, unit: str, analyte: Analyte, to_unit: str, arg: str
) -> NDArray[np.float64]:
    arr = as_float_array(name, value)
    _check_values(name, arr)
    try:
        res = convert(arr, unit, to_unit, analyte=analyte)
    except UnitError as exc:
        raise UnitError(f"Invalid {arg}={unit!r} for {name!r}: {exc}") from None
    return np.asarray(res, dtype=np.float64)


def _glucose(value: ArrayLike, unit: str, to_unit: str) -> NDArray[np.float64]:
    return _local("glucose", value, unit, _GLUCOSE, to_unit, "glucose_unit")


def _insulin(
    value: ArrayLike, unit: str, to_unit: str, factor: float | None, native: str
) -> NDArray[np.float64]:
    """Insulin in ``to_unit`` (u[IU]/mL or pmol/L), crossing unit families only with a factor."""
    arr = as_float_array("insulin", value)
    _check_values("insulin", arr)
    try:
        u = normalize_unit(unit)
        dim = dimension(u)
    except UnitError as exc:
        raise UnitError(f"Invalid insulin_unit={unit!r} for 'insulin': {exc}") from None
    if dim not in (_IU_DIM, _MOLAR_DIM):
        raise UnitError(
            f"Invalid insulin_unit={unit!r} for 'insulin': give international units per volume "
            "(uIU/mL = mIU/L, UCUM 'u[IU]/mL') or a molar concentration (pmol/L). Note: in UCUM "
            "'U' is the enzyme unit, so 'uU/mL' must be written 'uIU/mL'."
        )
    to_dim = dimension(to_unit)
    if dim == to_dim:
        return np.asarray(convert(arr, u, to_unit), dtype=np.float64)
    if factor is None:
        raise UnitError(
            f"'insulin' is in {unit!r} but this index is defined on {native}; converting needs "
            f"an explicit insulin_factor (pmol/L per uIU/mL): {INSULIN_FACTOR_VOLUND} (Volund "
            f"1993, SPINA Carb) or {INSULIN_FACTOR_CLASSIC} (older HOMA literature). Pass "
            f"insulin_factor=... or give insulin in {native}."
        )
    f = check_range("insulin_factor", factor, 0.0, None, inclusive=(False, True))
    if dim == _IU_DIM:  # IU -> pmol/L
        uiu = np.asarray(convert(arr, u, "u[IU]/mL"), dtype=np.float64)
        return np.asarray(convert(uiu * f, "pmol/L", to_unit), dtype=np.float64)
    pmol = np.asarray(convert(arr, u, "pmol/L"), dtype=np.float64)
    return np.asarray(convert(pmol / f, "u[IU]/mL", to_unit), dtype=np.float64)


def homa_ir(
    glucose: ArrayLike,
    insulin: ArrayLike,
    *,
    glucose_unit: str = "mmol/L",
    insulin_unit: str = "u[IU]/mL",
    insulin_factor: float | None = None,
) -> float | NDArray[np.float64]:
    r"""Homeostasis model assessment of insulin resistance, HOMA1-IR (Matthews 1985).

    Parameters
    ----------
    glucose : array-like, shape (n_subjects,) or scalar
        Fasting plasma glucose, in ``glucose_unit`` (mmol/L by default; mg/dL accepted).
    insulin : array-like, broadcastable
        Fasting insulin, in ``insulin_unit`` (µIU/mL by default).
    glucose_unit : str, default "mmol/L"
        Unit of ``glucose`` (converted with 180.16 g/mol).
    insulin_unit : str, default "u[IU]/mL"
        Unit of ``insulin``; ``uIU/mL``, ``mIU/L`` or, with ``insulin_factor``, ``pmol/L``.
    insulin_factor : float, optional
        pmol/L per µIU/mL, required only when insulin is molar (6.0 or 6.945, see module notes).

    Returns
    -------
    float or ndarray
        HOMA1-IR, dimensionless (about 1 in healthy young adults by construction).

    Raises
    ------
    DataValidationError
        Negative or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown units, µU/mL written for µIU/mL, or molar insulin without ``insulin_factor``.

    Notes
    -----
    .. math:: \mathrm{HOMA1\text{-}IR} = \frac{G\,[\mathrm{mmol/L}] \cdot I\,[\mu\mathrm{IU/mL}]}
       {22.5}

    The approximation of the 1985 model; HOMA2 (the computer model) gives different numbers.

    References
    ----------
    .. [1] Matthews DR et al. Diabetologia. 1985;28(7):412-419. doi:10.1007/BF00280883

    Examples
    --------
    >>> homa_ir(5.0, 10.0)
    2.2222
    >>> homa_ir(90.0, 60.0, glucose_unit="mg/dL", insulin_unit="pmol/L", insulin_factor=6.0)
    2.2202
    """
    g = _glucose(glucose, glucose_unit, "mmol/L")
    i = _insulin(insulin, insulin_unit, "u[IU]/mL", insulin_factor, "uIU/mL")
    g, i = _broadcast(glucose=g, insulin=i)
    return _out(g * i / 22.5)


def homa_b(
    glucose: ArrayLike,
    insulin: ArrayLike,
    *,
    glucose_unit: str = "mmol/L",
    insulin_unit: str = "u[IU]/mL",
    insulin_factor: float | None = None,
) -> float | NDArray[np.float64]:
    r"""Homeostasis model assessment of beta-cell function, HOMA1-%B (Matthews 1985).

    Parameters
    ----------
    glucose : array-like, shape (n_subjects,) or scalar
        Fasting plasma glucose, in ``glucose_unit`` (mmol/L by default; mg/dL accepted).
    insulin : array-like, broadcastable
        Fasting insulin, in ``insulin_unit`` (µIU/mL by default).
    glucose_unit : str, default "mmol/L"
        Unit of ``glucose``.
    insulin_unit : str, default "u[IU]/mL"
        Unit of ``insulin``; molar units need ``insulin_factor``.
    insulin_factor : float, optional
        pmol/L per µIU/mL, required only when insulin is molar.

    Returns
    -------
    float or ndarray
        HOMA1-%B in percent (100 % in healthy young adults by construction). Subjects with
        glucose ≤ 3.5 mmol/L, where the formula is undefined, get NaN and a
        :class:`~neuroendo._core.errors.DataQualityWarning`.

    Raises
    ------
    DataValidationError
        Negative or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown units or molar insulin without ``insulin_factor``.

    Notes
    -----
    .. math:: \mathrm{HOMA1\text{-}\%B} = \frac{20 \cdot I\,[\mu\mathrm{IU/mL}]}
       {G\,[\mathrm{mmol/L}] - 3.5}

    References
    ----------
    .. [1] Matthews DR et al. Diabetologia. 1985;28(7):412-419. doi:10.1007/BF00280883

    Examples
    --------
    >>> homa_b(5.0, 10.0)
    133.33
    """
    g = _glucose(glucose, glucose_unit, "mmol/L")
    i = _insulin(insulin, insulin_unit, "u[IU]/mL", insulin_factor, "uIU/mL")
    g, i = _broadcast(glucose=g, insulin=i)
    low = g <= 3.5
    if low.any():
        pos = ", ".join(str(int(k)) for k in np.flatnonzero(low)[:5])
        warn(
            f"homa_b: glucose <= 3.5 mmol/L at flat position(s) {pos}; HOMA1-%B is undefined "
            "there (the formula divides by glucose - 3.5) and is set to NaN.",
            DataQualityWarning,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        res = np.where(low, np.nan, 20.0 * i / (g - 3.5))
    return _out(np.asarray(res, dtype=np.float64))


def quicki(
    glucose: ArrayLike,
    insulin: ArrayLike,
    *,
    glucose_unit: str = "mg/dL",
    insulin_unit: str = "u[IU]/mL",
    insulin_factor: float | None = None,
) -> float | NDArray[np.float64]:
    r"""Quantitative insulin sensitivity check index, QUICKI (Katz 2000).

    Parameters
    ----------
    glucose : array-like, shape (n_subjects,) or scalar
        Fasting glucose, in ``glucose_unit`` (mg/dL by default, as in Katz 2000; mmol/L
        accepted). Must be > 0.
    insulin : array-like, broadcastable
        Fasting insulin, in ``insulin_unit`` (µIU/mL by default). Must be > 0.
    glucose_unit : str, default "mg/dL"
        Unit of ``glucose``.
    insulin_unit : str, default "u[IU]/mL"
        Unit of ``insulin``; molar units need ``insulin_factor``.
    insulin_factor : float, optional
        pmol/L per µIU/mL, required only when insulin is molar.

    Returns
    -------
    float or ndarray
        QUICKI, dimensionless (about 0.38 in lean healthy adults, Katz 2000).

    Raises
    ------
    DataValidationError
        Negative, zero or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown units or molar insulin without ``insulin_factor``.

    Notes
    -----
    .. math:: \mathrm{QUICKI} = \frac{1}{\log_{10} I\,[\mu\mathrm{IU/mL}]
       + \log_{10} G\,[\mathrm{mg/dL}]}

    References
    ----------
    .. [1] Katz A et al. J Clin Endocrinol Metab. 2000;85(7):2402-2410.
       doi:10.1210/jcem.85.7.6661

    Examples
    --------
    >>> quicki(90.0, 10.0)
    0.3385
    """
    g = _glucose(glucose, glucose_unit, "mg/dL")
    i = _insulin(insulin, insulin_unit, "u[IU]/mL", insulin_factor, "uIU/mL")
    _require_positive("glucose", g, "QUICKI takes its logarithm")
    _require_positive("insulin", i, "QUICKI takes its logarithm")
    g, i = _broadcast(glucose=g, insulin=i)
    return _out(1.0 / (np.log10(i) + np.log10(g)))


def tyg_index(
    triglycerides: ArrayLike,
    glucose: ArrayLike,
    *,
    tg_unit: str = "mg/dL",
    glucose_unit: str = "mg/dL",
) -> float | NDArray[np.float64]:
    r"""Triglyceride-glucose (TyG) index (Simental-Mendía 2008).

    Parameters
    ----------
    triglycerides : array-like, shape (n_subjects,) or scalar
        Fasting triglycerides, in ``tg_unit`` (mg/dL by default; mmol/L accepted, converted
        with 885.7 g/mol). Must be > 0.
    glucose : array-like, broadcastable
        Fasting glucose, in ``glucose_unit`` (mg/dL by default; mmol/L accepted). Must be > 0.
    tg_unit : str, default "mg/dL"
        Unit of ``triglycerides``.
    glucose_unit : str, default "mg/dL"
        Unit of ``glucose``.

    Returns
    -------
    float or ndarray
        TyG index, dimensionless (natural logarithm; about 8-9 in adults).

    Raises
    ------
    DataValidationError
        Negative, zero or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable units.

    Notes
    -----
    .. math:: \mathrm{TyG} = \ln\left(\frac{TG\,[\mathrm{mg/dL}] \cdot G\,[\mathrm{mg/dL}]}{2}
       \right)

    References
    ----------
    .. [1] Simental-Mendía LE, Rodríguez-Morán M, Guerrero-Romero F. Metab Syndr Relat Disord.
       2008;6(4):299-304. doi:10.1089/met.2008.0034

    Examples
    --------
    >>> tyg_index(150.0, 100.0)
    8.9227
    """
    tg = _local("triglycerides", triglycerides, tg_unit, _TRIGLYCERIDES, "mg/dL", "tg_unit")
    g = _glucose(glucose, glucose_unit, "mg/dL")
    _require_positive("triglycerides", tg, "the TyG index takes a logarithm")
    _require_positive("glucose", g, "the TyG index takes a logarithm")
    tg, g = _broadcast(triglycerides=tg, glucose=g)
    return _out(np.log(tg * g / 2.0))


def _spina_inputs(
    glucose: ArrayLike,
    insulin: ArrayLike,
    glucose_unit: str,
    insulin_unit: str,
    insulin_factor: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Glucose in mol/L and insulin in mol/L, both > 0."""
    g = _glucose(glucose, glucose_unit, "mmol/L") * 1e-3
    i = _insulin(insulin, insulin_unit, "pmol/L", insulin_factor, "pmol/L") * 1e-12
    _require_positive("glucose", g, "SPINA Carb divides by glucose")
    _require_positive("insulin", i, "SPINA Carb divides by insulin")
    g, i = _broadcast(glucose=g, insulin=i)
    return g, i


def spina_gbeta(
    glucose: ArrayLike,
    insulin: ArrayLike,
    *,
    glucose_unit: str = "mmol/L",
    insulin_unit: str = "pmol/L",
    insulin_factor: float = INSULIN_FACTOR_VOLUND,
) -> float | NDArray[np.float64]:
    r"""Secretory capacity of beta cells, SPINA-GBeta (SPINA Carb, Dietrich 2022).

    Parameters
    ----------
    glucose : array-like, shape (n_subjects,) or scalar
        Fasting glucose, in ``glucose_unit`` (mmol/L by default; mg/dL accepted). Must be > 0.
    insulin : array-like, broadcastable
        Fasting insulin, in ``insulin_unit`` (pmol/L by default). Must be > 0.
    glucose_unit : str, default "mmol/L"
        Unit of ``glucose``.
    insulin_unit : str, default "pmol/L"
        Unit of ``insulin``; µIU/mL is converted with ``insulin_factor``.
    insulin_factor : float, default 6.0
        pmol/L per µIU/mL, SPINA Carb's factor (Vølund 1993); used only for µIU/mL input.

    Returns
    -------
    float or ndarray
        SPINA-GBeta in pmol/s (reference range about 0.64-3.73 pmol/s, Dietrich 2022 [recall]).

    Raises
    ------
    DataValidationError
        Negative, zero or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown units.

    Notes
    -----
    With glucose :math:`G` and insulin :math:`I` in mol/L and the constants of
    :data:`SPINA_CARB_CONSTANTS`:

    .. math:: \hat{G}_\beta = \frac{\beta_I \, I \, (D_\beta + G)}{\alpha_I \, G}

    (result in mol/s, reported in pmol/s).

    References
    ----------
    .. [1] Dietrich JW et al. Sci Rep. 2022;12(1):17659. doi:10.1038/s41598-022-22531-3

    Examples
    --------
    >>> spina_gbeta(4.34, 63.01)
    2.7989
    """
    g, i = _spina_inputs(glucose, insulin, glucose_unit, insulin_unit, insulin_factor)
    c = SPINA_CARB_CONSTANTS
    gbeta = c["beta_i"] * i * (c["d_beta"] + g) / (c["alpha_i"] * g)
    return _out(gbeta * 1e12)


def spina_gr(
    glucose: ArrayLike,
    insulin: ArrayLike,
    *,
    glucose_unit: str = "mmol/L",
    insulin_unit: str = "pmol/L",
    insulin_factor: float = INSULIN_FACTOR_VOLUND,
) -> float | NDArray[np.float64]:
    r"""Insulin receptor gain (insulin sensitivity), SPINA-GR (SPINA Carb, Dietrich 2022).

    Parameters
    ----------
    glucose : array-like, shape (n_subjects,) or scalar
        Fasting glucose, in ``glucose_unit`` (mmol/L by default; mg/dL accepted). Must be > 0.
    insulin : array-like, broadcastable
        Fasting insulin, in ``insulin_unit`` (pmol/L by default). Must be > 0.
    glucose_unit : str, default "mmol/L"
        Unit of ``glucose``.
    insulin_unit : str, default "pmol/L"
        Unit of ``insulin``; µIU/mL is converted with ``insulin_factor``.
    insulin_factor : float, default 6.0
        pmol/L per µIU/mL, SPINA Carb's factor (Vølund 1993); used only for µIU/mL input.

    Returns
    -------
    float or ndarray
        SPINA-GR in mol/s, as the authors report it (reference range about 1.41-9.00 mol/s,
        Dietrich 2022 [recall]).

    Raises
    ------
    DataValidationError
        Negative, zero or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown units.

    Notes
    -----
    With glucose :math:`G` and insulin :math:`I` in mol/L and the constants of
    :data:`SPINA_CARB_CONSTANTS`:

    .. math:: \hat{G}_R = \frac{\alpha_G P_0 (D_R + I)}{\beta_G G_E I G}
       - \frac{D_R}{G_E I} - \frac{1}{G_E}

    References
    ----------
    .. [1] Dietrich JW et al. Sci Rep. 2022;12(1):17659. doi:10.1038/s41598-022-22531-3

    Examples
    --------
    >>> spina_gr(4.34, 63.01)
    2.2987
    """
    g, i = _spina_inputs(glucose, insulin, glucose_unit, insulin_unit, insulin_factor)
    c = SPINA_CARB_CONSTANTS
    gr = (
        c["alpha_g"] * c["p0"] * (c["d_r"] + i) / (c["beta_g"] * c["g_e"] * i * g)
        - c["d_r"] / (c["g_e"] * i)
        - 1.0 / c["g_e"]
    )
    return _out(gr)


def spina_di(
    glucose: ArrayLike,
    insulin: ArrayLike,
    *,
    glucose_unit: str = "mmol/L",
    insulin_unit: str = "pmol/L",
    insulin_factor: float = INSULIN_FACTOR_VOLUND,
) -> float | NDArray[np.float64]:
    r"""SPINA disposition index, SPINA-DI = SPINA-GBeta · SPINA-GR (Dietrich 2024).

    Parameters
    ----------
    glucose : array-like, shape (n_subjects,) or scalar
        Fasting glucose, in ``glucose_unit`` (mmol/L by default). Must be > 0.
    insulin : array-like, broadcastable
        Fasting insulin, in ``insulin_unit`` (pmol/L by default). Must be > 0.
    glucose_unit : str, default "mmol/L"
        Unit of ``glucose``.
    insulin_unit : str, default "pmol/L"
        Unit of ``insulin``; µIU/mL is converted with ``insulin_factor``.
    insulin_factor : float, default 6.0
        pmol/L per µIU/mL (SPINA Carb's factor); used only for µIU/mL input.

    Returns
    -------
    float or ndarray
        SPINA-DI, the product of SPINA-GBeta (pmol/s) and SPINA-GR (mol/s), reported as a
        number as the authors do.

    Raises
    ------
    DataValidationError
        Negative, zero or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown units.

    Notes
    -----
    .. math:: \mathrm{SPINA\text{-}DI} = \hat{G}_\beta\,[\mathrm{pmol/s}] \cdot
       \hat{G}_R\,[\mathrm{mol/s}]

    References
    ----------
    .. [1] Dietrich JW et al. J Diabetes. 2024;16(9):e13525. doi:10.1111/1753-0407.13525

    Examples
    --------
    >>> spina_di(4.34, 63.01)
    6.4336
    """
    kw = {"glucose_unit": glucose_unit, "insulin_unit": insulin_unit}
    gb = np.asarray(spina_gbeta(glucose, insulin, insulin_factor=insulin_factor, **kw))
    gr = np.asarray(spina_gr(glucose, insulin, insulin_factor=insulin_factor, **kw))
    return _out(np.asarray(gb * gr, dtype=np.float64))


def cortisol_dhea_s_ratio(
    cortisol: ArrayLike,
    dhea_s: ArrayLike,
    *,
    cortisol_unit: str = "nmol/L",
    dhea_s_unit: str = "umol/L",
) -> float | NDArray[np.float64]:
    r"""Molar ratio of serum cortisol to DHEA-S.

    Parameters
    ----------
    cortisol : array-like, shape (n_subjects,) or scalar
        Serum cortisol, in ``cortisol_unit`` (nmol/L by default; µg/dL accepted, 362.46 g/mol).
    dhea_s : array-like, broadcastable
        Serum DHEA-S, in ``dhea_s_unit`` (µmol/L by default; µg/dL accepted, 368.49 g/mol as
        in the analyte catalogue). Must be > 0.
    cortisol_unit : str, default "nmol/L"
        Unit of ``cortisol``.
    dhea_s_unit : str, default "umol/L"
        Unit of ``dhea_s``.

    Returns
    -------
    float or ndarray
        Cortisol/DHEA-S as a molar ratio, dimensionless (both in the same molar unit; typical
        morning values 0.05-0.2). Papers that divide nmol/L by µmol/L report 1000 times this.

    Raises
    ------
    DataValidationError
        Negative, zero or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable units.

    Notes
    -----
    .. math:: R = \frac{\mathrm{cortisol}\,[\mathrm{nmol/L}]}{\mathrm{DHEA\text{-}S}\,
       [\mathrm{nmol/L}]}

    A high ratio is read as a catabolic/anabolic imbalance under chronic stress.

    References
    ----------
    .. [1] Phillips AC et al. Cortisol, DHEA sulphate, their ratio, and all-cause and
       cause-specific mortality in the Vietnam Experience Study. Eur J Endocrinol.
       2010;163(2):285-292. doi:10.1530/EJE-10-0299 [recall]

    Examples
    --------
    >>> cortisol_dhea_s_ratio(400.0, 5.0)
    0.08
    """
    c = _concentration(
        "cortisol",
        cortisol,
        cortisol_unit,
        analyte="cortisol",
        to_unit="nmol/L",
        unit_arg="cortisol_unit",
    )
    d = _concentration(
        "dhea_s", dhea_s, dhea_s_unit, analyte="dhea_s", to_unit="nmol/L", unit_arg="dhea_s_unit"
    )
    _require_positive("dhea_s", d, "the ratio divides by DHEA-S")
    c, d = _broadcast(cortisol=c, dhea_s=d)
    return _out(c / d)
