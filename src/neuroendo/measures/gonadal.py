"""Gonadal axis (HPG): calculated free and bioavailable testosterone, FAI and hormone ratios.

All functions take arrays of subjects (NumPy broadcasting; a scalar gives a Python float) with an
explicit unit per concentration, converted with :func:`neuroendo._core.units.convert`
(testosterone 288.42 g/mol: 1 ng/dL = 0.034672 nmol/L). NaN in an input gives NaN for that subject;
negative or infinite values raise :class:`~neuroendo._core.errors.DataValidationError`.

Calculated free testosterone follows the mass-action model of Vermeulen, Verdonck & Kaufman
(1999), which Fiers et al. (2018) found the most robust against equilibrium dialysis (ratio 1.19,
independent of SHBG, albumin and T). It is not valid in pregnancy, with high DHT (transdermal DHT,
oral T) or with SHBG-binding steroids such as mesterolone.

References
----------
.. [1] Vermeulen A, Verdonck L, Kaufman JM. A critical evaluation of simple methods for the
   estimation of free testosterone in serum. J Clin Endocrinol Metab. 1999;84(10):3666-3672.
   doi:10.1210/jcem.84.10.6079
.. [2] Fiers T et al. Reassessing free-testosterone calculation by liquid chromatography-tandem
   mass spectrometry direct equilibrium dialysis. J Clin Endocrinol Metab. 2018;103(6):2167-2174.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import UnitError
from neuroendo._core.units import convert, is_compatible
from neuroendo._core.validation import as_float_array, check_option

# The input helpers are shared with the thyroid family so every measure validates alike.
from neuroendo.measures._common import broadcast as _broadcast
from neuroendo.measures._common import check_values as _check_values
from neuroendo.measures._common import concentration as _concentration
from neuroendo.measures._common import out as _out
from neuroendo.measures._common import require_positive as _require_positive

__all__ = [
    "ALBUMIN_MOLAR_MASS_VERMEULEN",
    "KA_ALBUMIN",
    "KT_SHBG",
    "bioavailable_testosterone",
    "estradiol_testosterone_ratio",
    "free_androgen_index",
    "free_testosterone",
    "lh_fsh_ratio",
    "testosterone_cortisol_ratio",
]

#: Association constant of testosterone with albumin, L/mol (Vermeulen 1999).
KA_ALBUMIN: Final = 3.6e4
#: Association constant of testosterone with SHBG, L/mol (Vermeulen 1999).
KT_SHBG: Final = 1.0e9
#: Molar mass of albumin used by Vermeulen 1999, g/mol (the modern value is about 66,500).
ALBUMIN_MOLAR_MASS_VERMEULEN: Final = 69_000.0

_METHODS: Final = ("vermeulen1999",)
_NANO: Final = 1e9  # nmol per mol


def _albumin_mol_per_l(albumin: ArrayLike, unit: str) -> NDArray[np.float64]:
    """Albumin in mol/L: mass units divided by Vermeulen's 69,000 g/mol; molar units as given."""
    arr = as_float_array("albumin", albumin)
    _check_values("albumin", arr)
    try:
        if is_compatible(unit, "mol/L"):
            return np.asarray(convert(arr, unit, "mol/L"), dtype=np.float64)
        grams = np.asarray(convert(arr, unit, "g/L", analyte="albumin"), dtype=np.float64)
    except UnitError as exc:
        raise UnitError(f"Invalid albumin_unit={unit!r} for 'albumin': {exc}") from None
    return grams / ALBUMIN_MOLAR_MASS_VERMEULEN


def _vermeulen(
    total_t: ArrayLike,
    shbg: ArrayLike,
    albumin: ArrayLike,
    t_unit: str,
    shbg_unit: str,
    albumin_unit: str,
    method: str,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (free T in mol/L, N = 1 + Ka*[Alb]) after validation."""
    check_option("method", method, _METHODS)
    tt = _concentration(
        "total_t", total_t, t_unit, analyte="testosterone", to_unit="nmol/L", unit_arg="t_unit"
    )
    sh = _concentration(
        "shbg", shbg, shbg_unit, analyte="shbg", to_unit="nmol/L", unit_arg="shbg_unit"
    )
    alb = _albumin_mol_per_l(albumin, albumin_unit)
    tt, sh, alb = _broadcast(total_t=tt, shbg=sh, albumin=alb)
    tt_m, sh_m = tt / _NANO, sh / _NANO
    n = 1.0 + KA_ALBUMIN * alb
    a = n * KT_SHBG
    b = n + KT_SHBG * (sh_m - tt_m)
    disc = np.sqrt(b * b + 4.0 * a * tt_m)
    # Root of a*FT^2 + b*FT - TT = 0 without cancellation: for b >= 0 use the conjugate form
    # 2*TT / (b + disc); for b < 0, (-b + disc) / (2a) adds two positive numbers.
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = 2.0 * tt_m / (b + disc)
        neg = (disc - b) / (2.0 * a)
    ft = np.where(b >= 0, pos, neg)
    return ft, n


def free_testosterone(
    total_t: ArrayLike,
    shbg: ArrayLike,
    albumin: ArrayLike = 43.0,
    *,
    t_unit: str = "nmol/L",
    shbg_unit: str = "nmol/L",
    albumin_unit: str = "g/L",
    method: str = "vermeulen1999",
) -> float | NDArray[np.float64]:
    r"""Calculate free testosterone by mass action (Vermeulen 1999).

    Parameters
    ----------
    total_t : array-like, shape (n_subjects,) or scalar
        Total testosterone, in ``t_unit`` (nmol/L by default; ng/dL accepted).
    shbg : array-like, broadcastable
        Sex hormone-binding globulin, in ``shbg_unit`` (nmol/L; molar units only).
    albumin : array-like, broadcastable, default 43.0
        Serum albumin, in ``albumin_unit`` (g/L by default; g/dL accepted). The default 43 g/L
        (6.2·10⁻⁴ mol/L) is Vermeulen's standard value; pass the measured albumin in nephrotic
        syndrome, cirrhosis, pregnancy or other states with abnormal albumin.
    t_unit : str, default "nmol/L"
        Unit of ``total_t``.
    shbg_unit : str, default "nmol/L"
        Unit of ``shbg``.
    albumin_unit : str, default "g/L"
        Unit of ``albumin``: a mass concentration (converted with Vermeulen's 69,000 g/mol) or a
        molar one (used as is).
    method : {"vermeulen1999"}, default "vermeulen1999"
        Calculation method. Only Vermeulen 1999 is implemented.

    Returns
    -------
    float or ndarray
        Free testosterone in nmol/L (multiply by 1000 for pmol/L).

    Raises
    ------
    DataValidationError
        Negative or infinite values, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit (e.g. SHBG in a mass unit).
    ValueError
        Unknown ``method`` (with the closest name suggested).

    Notes
    -----
    Mass action with testosterone bound to SHBG (:math:`K_t = 10^9` L/mol) and albumin
    (:math:`K_a = 3.6 \cdot 10^4` L/mol, albumin in excess), all concentrations in mol/L and
    [Alb] = albumin [g/L] / 69,000 g/mol:

    .. math::

        N = 1 + K_a [\mathrm{Alb}], \quad
        TT = N \cdot FT + \frac{SHBG \cdot K_t FT}{1 + K_t FT}
        \;\Rightarrow\; a FT^2 + b FT - TT = 0, \;
        a = N K_t, \; b = N + K_t (SHBG - TT)

    .. math:: FT = \frac{-b + \sqrt{b^2 + 4 a \, TT}}{2a} = \frac{2\,TT}{b + \sqrt{b^2 + 4a\,TT}}

    The second (conjugate) form is used when :math:`b \ge 0` to avoid cancellation. Reference for
    men 20-45 y: 0.245-0.785 nmol/L (Ho et al. 2006).

    References
    ----------
    .. [1] Vermeulen A, Verdonck L, Kaufman JM. J Clin Endocrinol Metab. 1999;84(10):3666-3672.
       doi:10.1210/jcem.84.10.6079
    .. [2] Ho CKM et al. Ann Clin Biochem. 2006;43:389.

    Examples
    --------
    >>> round(free_testosterone(15.0, 40.0), 4)
    0.2735
    >>> free_testosterone([15.0, 10.0], [40.0, 20.0], [45.0, 42.0])
    array([0.26770762, 0.25762553])
    """
    ft, _ = _vermeulen(total_t, shbg, albumin, t_unit, shbg_unit, albumin_unit, method)
    return _out(ft * _NANO)


def bioavailable_testosterone(
    total_t: ArrayLike,
    shbg: ArrayLike,
    albumin: ArrayLike = 43.0,
    *,
    t_unit: str = "nmol/L",
    shbg_unit: str = "nmol/L",
    albumin_unit: str = "g/L",
    method: str = "vermeulen1999",
) -> float | NDArray[np.float64]:
    r"""Calculate bioavailable (free + albumin-bound) testosterone (Vermeulen 1999).

    Parameters
    ----------
    total_t, shbg, albumin, t_unit, shbg_unit, albumin_unit, method
        As in :func:`free_testosterone` (albumin default 43 g/L).

    Returns
    -------
    float or ndarray
        Bioavailable testosterone in nmol/L.

    Raises
    ------
    DataValidationError, UnitError, ValueError
        As :func:`free_testosterone`.

    Notes
    -----
    .. math:: \mathrm{BioT} = N \cdot FT = (1 + K_a [\mathrm{Alb}]) \cdot FT

    with :math:`FT` from :func:`free_testosterone` and :math:`K_a = 3.6 \cdot 10^4` L/mol.

    References
    ----------
    .. [1] Vermeulen A, Verdonck L, Kaufman JM. J Clin Endocrinol Metab. 1999;84(10):3666-3672.
       doi:10.1210/jcem.84.10.6079

    Examples
    --------
    >>> round(bioavailable_testosterone(15.0, 40.0), 3)
    6.409
    """
    ft, n = _vermeulen(total_t, shbg, albumin, t_unit, shbg_unit, albumin_unit, method)
    return _out(n * ft * _NANO)


def free_androgen_index(
    total_t: ArrayLike, shbg: ArrayLike, *, t_unit: str = "nmol/L", shbg_unit: str = "nmol/L"
) -> float | NDArray[np.float64]:
    r"""Free androgen index (FAI).

    Parameters
    ----------
    total_t : array-like, shape (n_subjects,) or scalar
        Total testosterone, in ``t_unit`` (nmol/L by default; ng/dL accepted).
    shbg : array-like, broadcastable
        SHBG, in ``shbg_unit`` (nmol/L). Must be > 0.
    t_unit : str, default "nmol/L"
        Unit of ``total_t``.
    shbg_unit : str, default "nmol/L"
        Unit of ``shbg``.

    Returns
    -------
    float or ndarray
        FAI, dimensionless (a percentage-style ratio).

    Raises
    ------
    DataValidationError
        Negative or infinite values, SHBG = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math:: \mathrm{FAI} = 100 \cdot \frac{TT\,[\mathrm{nmol/L}]}{SHBG\,[\mathrm{nmol/L}]}

    Used mainly in women (e.g. PCOS); poorly valid in men, where SHBG is low relative to T —
    prefer :func:`free_testosterone`.

    References
    ----------
    .. [1] Vermeulen A, Verdonck L, Kaufman JM. J Clin Endocrinol Metab. 1999;84(10):3666-3672.
       doi:10.1210/jcem.84.10.6079

    Examples
    --------
    >>> free_androgen_index(10.0, 40.0)
    25.0
    """
    tt = _concentration(
        "total_t", total_t, t_unit, analyte="testosterone", to_unit="nmol/L", unit_arg="t_unit"
    )
    sh = _concentration(
        "shbg", shbg, shbg_unit, analyte="shbg", to_unit="nmol/L", unit_arg="shbg_unit"
    )
    _require_positive("shbg", sh, "the FAI divides by SHBG")
    tt, sh = _broadcast(total_t=tt, shbg=sh)
    return _out(100.0 * tt / sh)


def estradiol_testosterone_ratio(
    estradiol: ArrayLike,
    total_t: ArrayLike,
    *,
    e2_unit: str = "pmol/L",
    t_unit: str = "nmol/L",
) -> float | NDArray[np.float64]:
    r"""Molar ratio of estradiol to total testosterone (E2/T).

    Parameters
    ----------
    estradiol : array-like, shape (n_subjects,) or scalar
        Estradiol, in ``e2_unit`` (pmol/L by default; pg/mL accepted).
    total_t : array-like, broadcastable
        Total testosterone, in ``t_unit`` (nmol/L by default; ng/dL accepted). Must be > 0.
    e2_unit : str, default "pmol/L"
        Unit of ``estradiol``.
    t_unit : str, default "nmol/L"
        Unit of ``total_t``.

    Returns
    -------
    float or ndarray
        E2/T as a dimensionless molar ratio (mol/mol; both converted to nmol/L first).
        Publications scale this ratio differently (×100, ×1000, or mass units); state the
        scaling when you compare.

    Raises
    ------
    DataValidationError
        Negative or infinite values, total T = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math:: R = \frac{E2\,[\mathrm{nmol/L}]}{TT\,[\mathrm{nmol/L}]}

    An index of aromatase activity; there is no consensus reference interval.

    References
    ----------
    .. [1] Vermeulen A, Kaufman JM, Goemaere S, van Pottelberg I. Estradiol in elderly men.
       Aging Male. 2002;5(2):98-102 (cited from memory, not from the project's reference files).

    Examples
    --------
    >>> round(estradiol_testosterone_ratio(100.0, 20.0), 6)
    0.005
    """
    e2 = _concentration(
        "estradiol", estradiol, e2_unit, analyte="estradiol", to_unit="nmol/L", unit_arg="e2_unit"
    )
    tt = _concentration(
        "total_t", total_t, t_unit, analyte="testosterone", to_unit="nmol/L", unit_arg="t_unit"
    )
    _require_positive("total_t", tt, "the ratio divides by total testosterone")
    e2, tt = _broadcast(estradiol=e2, total_t=tt)
    return _out(e2 / tt)


def lh_fsh_ratio(
    lh: ArrayLike, fsh: ArrayLike, *, lh_unit: str = "[IU]/L", fsh_unit: str = "[IU]/L"
) -> float | NDArray[np.float64]:
    r"""Ratio of LH to FSH.

    Parameters
    ----------
    lh : array-like, shape (n_subjects,) or scalar
        Luteinising hormone, in ``lh_unit`` (IU/L by default; mIU/mL is the same number).
    fsh : array-like, broadcastable
        Follicle-stimulating hormone, in ``fsh_unit``. Must be > 0.
    lh_unit, fsh_unit : str, default "[IU]/L"
        Units (international units per volume); both are converted to IU/L.

    Returns
    -------
    float or ndarray
        LH/FSH, dimensionless.

    Raises
    ------
    DataValidationError
        Negative or infinite values, FSH = 0, or shapes that do not broadcast.
    UnitError
        Unknown unit, or a mass/molar unit (gonadotropins are measured in international units).

    Notes
    -----
    .. math:: R = \frac{LH\,[\mathrm{IU/L}]}{FSH\,[\mathrm{IU/L}]}

    A ratio above 2 (historically 2-3) is often quoted as suggestive of PCOS, but it is not part
    of the Rotterdam criteria and depends on cycle phase and assay.

    References
    ----------
    .. [1] Rotterdam ESHRE/ASRM-Sponsored PCOS Consensus Workshop Group. Fertil Steril.
       2004;81(1):19-25. doi:10.1016/j.fertnstert.2003.10.004

    Examples
    --------
    >>> lh_fsh_ratio(12.0, 5.0)
    2.4
    """
    lh_ = _concentration("lh", lh, lh_unit, analyte="lh", to_unit="[IU]/L", unit_arg="lh_unit")
    fsh_ = _concentration(
        "fsh", fsh, fsh_unit, analyte="fsh", to_unit="[IU]/L", unit_arg="fsh_unit"
    )
    _require_positive("fsh", fsh_, "the ratio divides by FSH")
    lh_, fsh_ = _broadcast(lh=lh_, fsh=fsh_)
    return _out(lh_ / fsh_)


def testosterone_cortisol_ratio(  # a measure, not a test: see __test__ below
    total_t: ArrayLike,
    cortisol: ArrayLike,
    *,
    t_unit: str = "nmol/L",  # noqa: PT028
    cortisol_unit: str = "nmol/L",  # noqa: PT028
) -> float | NDArray[np.float64]:
    r"""Molar ratio of testosterone to cortisol (T/C, anabolic-catabolic balance).

    Parameters
    ----------
    total_t : array-like, shape (n_subjects,) or scalar
        Testosterone (total or free), in ``t_unit`` (nmol/L by default; ng/dL accepted).
    cortisol : array-like, broadcastable
        Cortisol, in ``cortisol_unit`` (nmol/L by default; µg/dL accepted). Must be > 0.
    t_unit : str, default "nmol/L"
        Unit of ``total_t``.
    cortisol_unit : str, default "nmol/L"
        Unit of ``cortisol``.

    Returns
    -------
    float or ndarray
        T/C as a dimensionless molar ratio (both in nmol/L); often reported ×10³.

    Raises
    ------
    DataValidationError
        Negative or infinite values, cortisol = 0, or shapes that do not broadcast.
    UnitError
        Unknown or unsuitable unit.

    Notes
    -----
    .. math:: R = \frac{T\,[\mathrm{nmol/L}]}{\mathrm{cortisol}\,[\mathrm{nmol/L}]}

    Use it as a within-person change (e.g. in training load studies), not as an absolute value;
    the overtraining thresholds attributed to Adlercreutz (1986) are not verified here.

    References
    ----------
    .. [1] Adlercreutz H et al. Effect of training on plasma anabolic and catabolic steroid
       hormones and their response during physical exercise. Int J Sports Med. 1986;7 Suppl
       1:27-28.

    Examples
    --------
    >>> round(testosterone_cortisol_ratio(20.0, 400.0), 6)
    0.05
    """
    tt = _concentration(
        "total_t", total_t, t_unit, analyte="testosterone", to_unit="nmol/L", unit_arg="t_unit"
    )
    c = _concentration(
        "cortisol", cortisol, cortisol_unit, analyte="cortisol", to_unit="nmol/L",
        unit_arg="cortisol_unit",
    )  # fmt: skip
    _require_positive("cortisol", c, "the ratio divides by cortisol")
    tt, c = _broadcast(total_t=tt, cortisol=c)
    return _out(tt / c)


# pytest collects callables named test* (also when imported into a test module): this is a measure.
testosterone_cortisol_ratio.__test__ = False  # type: ignore[attr-defined]
