r"""SimThyr (Dietrich): the MiMe-NoCoDI model of thyrotropic feedback control, as ODEs.

Dietrich's block model of the HPT axis [1]_ [2]_ [3]_ as implemented in SimThyr [4]_. Each
hormone is produced by a saturable (Michaelis-Menten, "MiMe") stage and shaped by a first-order
lag (PT1) with gain :math:`\alpha/\beta` and rate :math:`\beta`, which here is the ODE
:math:`x' = \alpha\,G(\ldots) - \beta x`; the feedback is non-competitive divisive inhibition
("NoCoDI"). Loops: long (central T3 via type-2 deiodinase, receptor-bound T3 ``T3R`` inhibits
TSH release) and ultrashort (pituitary TSH ``TSHz`` inhibits its own release). Peripheral T3 is
made from free T4 by type-1 deiodinase. Free hormones follow from total hormones through
binding to TBG and TBPA (transthyretin).

SimThyr integrates with a fixed step of 100 s and represents dead times by shift registers; here
each dead time :math:`T` is a linear chain of ``K_DELAY = 6`` first-order compartments of mean
delay :math:`T` (Erlang kernel, standard deviation :math:`T/\sqrt{6}`). Dead time and PT1 are
linear and time-invariant, so they commute: the chain delays the *production rate* and the PT1
state follows it (``tsh_delay_k`` carry the delayed TSH release rate in mU/s, and so on). The
chains change transients only; the equilibrium is exact (:func:`equilibrium`). The ultrashort PT1
(:math:`\beta_{S2} = 140\ \mathrm{s^{-1}}`, 5 ms half-life) is kept as an ODE, which makes the
system stiff (``MODEL.stiff``). Noise (SimThyr's optional multiplicative TRH noise) is not part of
the deterministic model.

Units: time in seconds. States are declared in readable units (TSH mU/L, total hormones nmol/L,
production rates pmol/s and fmol/s); parameters keep the units of Dietrich's tables; the RHS
converts both to SI (mol/L, mol/s) and evaluates SimThyr's equations unchanged.

Derived constants. ``LS`` and ``GH`` are not measured but derived in SimThyr's
``StandardValues``/``SetDerivedVariables`` from the other constants and a reference state
(typical unrestrained TSH release 500 mU/L-equivalent, reference release rate 0.001 mU/s, portal
TRH 2500 ng/L, central T3 8200 pg/mL). Recomputing them gives ``LS`` = 1.6879e6 L/mol (code
comment "approximation 1.68e6") and ``GH`` = 471.85 mU/s; the code comment and the papers quote
"≈ 817 mU/s" (an older reference state). The default uses the recomputed value, which is the one
SimThyr 5 computes at run time; the variant ``"gh817"`` uses 817 mU/s.

References
----------
.. [1] Dietrich JW, Tesche A, Pickardt CR, Mitzdorf U. Thyrotropic feedback control: evidence
   for an additional ultrashort feedback loop from fractal analysis. Cybern Syst.
   2004;35(4):315-331. doi:10.1080/01969720490443354
.. [2] Dietrich JW, Landgrafe G, Fotiadou EH. TSH and thyrotropic agonists: key actors in thyroid
   homeostasis. J Thyroid Res. 2012;2012:351864. doi:10.1155/2012/351864
.. [3] Dietrich JW, Landgrafe-Mende G, Wiora E, et al. Calculated parameters of thyroid
   homeostasis: emerging tools for differential diagnosis and clinical research. Front
   Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057
.. [4] Dietrich JW. SimThyr 5.0, github.com/jwdietrich21/simthyr, ``trunk/SimThyr CLI/
   simulator.pas`` (``StandardValues``, ``SetBaseVariables``, ``SetDerivedVariables``,
   ``SimHypothalamus`` ... ``SimPeripheralDeiodination``) and ``predictor.pas``
   (``PredictEquilibrium``); BSD licence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.spec import Input, ModelSpec, Observable, Param, Ref, State
from neuroendo._core.validation import as_float_array, check_finite
from neuroendo.models._blocks import linear_chain

__all__ = ["K_DELAY", "MODEL", "VARIANTS", "equilibrium", "rhs", "trh_circadian"]

DIETRICH2004 = Ref(
    "dietrich2004",
    doi="10.1080/01969720490443354",
    citation=(
        "Dietrich JW, Tesche A, Pickardt CR, Mitzdorf U. Thyrotropic feedback control: evidence "
        "for an additional ultrashort feedback loop from fractal analysis. Cybern Syst. "
        "2004;35(4):315-331."
    ),
)
DIETRICH2012 = Ref(
    "dietrich2012",
    doi="10.1155/2012/351864",
    citation=(
        "Dietrich JW, Landgrafe G, Fotiadou EH. TSH and thyrotropic agonists: key actors in "
        "thyroid homeostasis. J Thyroid Res. 2012;2012:351864."
    ),
)
DIETRICH2016 = Ref(
    "dietrich2016",
    doi="10.3389/fendo.2016.00057",
    citation=(
        "Dietrich JW et al. Calculated parameters of thyroid homeostasis: emerging tools for "
        "differential diagnosis and clinical research. Front Endocrinol. 2016;7:57."
    ),
)
SIMTHYR = Ref(
    "simthyr",
    citation="SimThyr 5.0, github.com/jwdietrich21/simthyr, trunk/SimThyr CLI (BSD licence).",
)
_SV = SIMTHYR.at("simulator.pas, StandardValues")
_BASE = SIMTHYR.at("simulator.pas, SetBaseVariables (reference values)")

#: Number of compartments of each linear-chain dead time.
K_DELAY = 6

_UTRH = 2.76e-12  # mol/L per ng/L TRH (SimThyrTypes.UTRH; MW 362)
_T4_MM = 776.87  # g/mol (SimThyrTypes.T4_MOLAR_MASS)
_T3_MM = 650.97  # g/mol (SimThyrTypes.T3_MOLAR_MASS)
_TRHS = 2500.0 * _UTRH * 1e9  # nmol/L, endogenous portal TRH (Rondeel 1988), 6.9 nmol/L

# Nominal constants of StandardValues, in the declared units (used below and for derivations).
_C: dict[str, float] = {
    "alphaS": 0.4,  # /L
    "betaS": 2.3e-4,  # /s
    "alphaS2": 2.6e5,  # /L
    "betaS2": 140.0,  # /s
    "DH": 47.0,  # nmol/L
    "DR": 0.1,  # nmol/L
    "GR": 1.0,  # mol/L
    "SS": 100.0,  # 1
    "DS": 50.0,  # mU/L
    "GT": 1.5 * 2.25,  # pmol/s
    "alphaT": 0.1,  # /L
    "betaT": 1.1e-6,  # /s
    "DT": 2.75,  # mU/L
    "GD1": 28.0,  # nmol/s
    "GD2": 4.3,  # fmol/s
    "alpha31": 0.026,  # /L
    "beta31": 8e-6,  # /s
    "alpha32": 1.3e5,  # /L
    "beta32": 8.3e-4,  # /s
    "KM1": 0.5,  # umol/L
    "KM2": 1.0,  # nmol/L
    "k30": 2e9,  # L/mol
    "k31": 2e9,  # L/mol
    "k41": 2e10,  # L/mol
    "k42": 2e8,  # L/mol
    "TBG": 300.0,  # nmol/L
    "TBPA": 4.5,  # umol/L
    "IBS": 8.0,  # umol/L
}


def _derive_ls_gh(c: Mapping[str, float]) -> tuple[float, float]:
    """``LS`` (L/mol) and ``GH`` (mU/s) as derived in SimThyr's StandardValues.

    LS = MI / G3 with MI = AC1 / 0.001, AC1 = 500 (typical unrestrained TSH) and
    G3 = k3 GR / (k3 + DR); GH from the reference release rate dTSH = 0.001 mU/s, portal TRH
    2500 ng/L and central T3 8200 pg/mL.
    """
    gd2, kib = c["GD2"] * 1e-15, 1 + c["k31"] * c["IBS"] * 1e-6
    dr, gr = c["DR"] * 1e-9, c["GR"]
    k3 = gd2 * c["alpha32"] / (c["beta32"] * kib)
    g3 = k3 * gr / (k3 + dr)
    ls = (500.0 / 0.001) / g3
    dtsh, trh0 = 0.001, _TRHS * 1e-9
    t3z = 8200.0 * 1e-9 / _T3_MM  # 8200 pg/mL in mol/L
    t3n = t3z / kib
    t3r = gr * t3n / (dr + t3n)
    ultra = c["SS"] * c["alphaS2"] * dtsh / (c["betaS2"] * c["DS"] + c["alphaS2"] * dtsh)
    gh = dtsh * (c["DH"] * 1e-9 + trh0) * (1 + ls * t3r) * (1 + ultra) / trh0
    return ls, gh


_LS, _GH = _derive_ls_gh(_C)


def _b(value: float, factor: float = 10.0) -> tuple[float, float]:
    """Plausible range: nominal ×/÷ ``factor``."""
    return (value / factor, value * factor)


def _p(
    name: str, unit: str, src: Ref, text: str, bounds: tuple[float, float] | None = None
) -> Param:
    v = _C[name]
    return Param(name, v, unit, bounds or _b(v), src, text)


PARAMS = (
    Param(
        "GH",
        _GH,
        "m[IU]/s",
        _b(_GH),
        SIMTHYR.at("simulator.pas, SetDerivedVariables (derived; comment: ~817 mU/s)"),
        "maximal TSH secretion (pituitary secretory capacity)",
    ),
    _p("DH", "nmol/L", _SV, "EC50 of TRH at the pituitary (Le Dafniet 1994)"),
    Param(
        "LS",
        _LS,
        "L/mol",
        _b(_LS),
        SIMTHYR.at("simulator.pas, StandardValues (derived: LS = (500/0.001)/G3)"),
        "brake constant of the long feedback loop",
    ),
    _p("SS", "1", _SV, "brake constant of the ultrashort loop (code comment: l/mU)"),
    _p("DS", "m[IU]/L", _SV, "EC50 of the ultrashort loop (Kakita 1984)"),
    _p("GR", "mol/L", _SV, "gain of T3 receptor binding, scaled to 1 (code comment: mol/s)"),
    _p("DR", "nmol/L", _SV, "EC50 of T3 at its receptor"),
    _p("alphaS", "/L", _SV, "dilution factor of TSH (V0 = 2.5 L)"),
    _p("betaS", "/s", _SV, "clearance exponent of TSH (half-life ~50 min)"),
    _p("alphaS2", "/L", _SV, "dilution factor of pituitary TSH (V0 = 3.8 uL)"),
    _p("betaS2", "/s", _SV, "clearance exponent of pituitary TSH (half-life 5 ms)"),
    _p("GT", "pmol/s", _SV, "thyroid secretory capacity (SPINA-GT)"),
    _p("DT", "m[IU]/L", _SV, "EC50 of TSH at the thyroid"),
    _p("alphaT", "/L", _SV, "dilution factor of T4 (V0 = 10 L)"),
    _p("betaT", "/s", _SV, "clearance exponent of T4 (half-life 7 d)"),
    _p("GD1", "nmol/s", _SV, "sum activity of peripheral type-1 deiodinase (SPINA-GD)"),
    _p("KM1", "umol/L", _SV, "Michaelis constant of type-1 deiodinase"),
    _p("alpha31", "/L", _SV, "dilution factor of peripheral T3 (V0 = 38 L)"),
    _p("beta31", "/s", _SV, "clearance exponent of peripheral T3 (half-life 24 h)"),
    _p("GD2", "fmol/s", _SV, "activity of central type-2 deiodinase"),
    _p("KM2", "nmol/L", _SV, "Michaelis constant of type-2 deiodinase"),
    _p("alpha32", "/L", _SV, "dilution factor of central T3 (V0 = 7.6 uL)"),
    _p("beta32", "/s", _SV, "clearance exponent of central T3 (half-life 15 min)"),
    _p("k30", "L/mol", _SV, "association constant T3-TBG"),
    _p("k31", "L/mol", _SV, "association constant T3-IBS (estimated)"),
    _p("k41", "L/mol", _SV, "association constant T4-TBG"),
    _p("k42", "L/mol", _SV, "association constant T4-TBPA"),
    _p("TBG", "nmol/L", _BASE, "thyroxine-binding globulin", (30.0, 3000.0)),
    _p("TBPA", "umol/L", _BASE, "transthyretin (TBPA)", (0.45, 45.0)),
    _p("IBS", "umol/L", _BASE, "intracellular T3 binding sites (Hays 1988)", (0.8, 80.0)),
    Param("Tt2", 120.0, "s", (10.0, 1200.0), _SV, "dead time of TSH (tau0S)"),
    Param("Tt22", 3240.0, "s", (324.0, 32400.0), _SV, "dead time of the ultrashort loop"),
    Param("Tt3", 300.0, "s", (30.0, 3000.0), _SV, "dead time of T4 (tau0T)"),
    Param("Tt4", 3600.0, "s", (360.0, 36000.0), _SV, "dead time of central T3 (tau03z)"),
)

INPUTS = (
    Input(
        "trh",
        _TRHS,
        "nmol/L",
        "portal TRH (default 2500 ng/L = 6.9 nmol/L, constant; see trh_circadian)",
    ),
)

# Reference values of SetBaseVariables; each chain starts at the production rate that holds the
# reference value of its hormone (rate = beta x / alpha).
_TSH0, _TSHZ0 = 2.0, 4.0  # mU/L
_T40 = 7.0 * 1e-5 / _T4_MM * 1e9  # 7 ug/dL in nmol/L
_T3Z0 = 8200.0 * 1e-9 / _T3_MM * 1e9  # 8200 pg/mL in nmol/L
_T3P0 = 130.0 * 1e-6 / _T3_MM * 1e9  # 130 ng/dL in nmol/L


def _chain(prefix: str, value: float, unit: str, what: str) -> tuple[State, ...]:
    return tuple(
        State(f"{prefix}_delay_{i}", value, unit, f"{what}, delay stage {i}/{K_DELAY}")
        for i in range(1, K_DELAY + 1)
    )


STATES = (
    *_chain("tsh", _C["betaS"] * _TSH0 / _C["alphaS"], "m[IU]/s", "TSH release rate"),
    State("tsh", _TSH0, "m[IU]/L", "serum TSH"),
    *_chain("tsh_pituitary", _C["betaS2"] * _TSHZ0 / _C["alphaS2"], "m[IU]/s", "TSH release rate"),
    State("tsh_pituitary", _TSHZ0, "m[IU]/L", "pituitary (portal) TSH, TSHz"),
    *_chain("t4", _C["betaT"] * _T40 / _C["alphaT"] * 1e3, "pmol/s", "thyroid T4 secretion"),
    State("t4", _T40, "nmol/L", "total serum T4 (TT4)"),
    *_chain(
        "t3_central",
        _C["beta32"] * _T3Z0 / _C["alpha32"] * 1e6,
        "fmol/s",
        "central T3 production (type-2 deiodinase)",
    ),
    State("t3_central", _T3Z0, "nmol/L", "central (pituitary) T3, T3z"),
    State("t3", _T3P0, "nmol/L", "total serum T3 (TT3, peripheral T3p)"),
)

_FT4_FACTOR = 1.0 / (1 + _C["k41"] * _C["TBG"] * 1e-9 + _C["k42"] * _C["TBPA"] * 1e-6)
_FT3_FACTOR = 1.0 / (1 + _C["k30"] * _C["TBG"] * 1e-9)

OBSERVABLES = (
    Observable("tsh", "tsh", 1.0, "m[IU]/L", "serum TSH"),
    Observable("tt4", "t4", 1.0, "nmol/L", "total T4"),
    Observable(
        "ft4",
        "t4",
        1e3 * _FT4_FACTOR,
        "pmol/L",
        "FT4 = TT4/(1 + k41 TBG + k42 TBPA) at nominal TBG, TBPA",
    ),
    Observable("tt3", "t3", 1.0, "nmol/L", "total T3"),
    Observable("ft3", "t3", 1e3 * _FT3_FACTOR, "pmol/L", "FT3 = TT3/(1 + k30 TBG) at nominal TBG"),
)

_K = K_DELAY
_I_TSH = _K
_I_TSHZ = 2 * _K + 1
_I_T4 = 3 * _K + 2
_I_T3Z = 4 * _K + 3
_I_T3 = 4 * _K + 4


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """SimThyr equations [4]_ with linear-chain dead times; time in s, ``y`` shape (29, ...).

    References
    ----------
    .. [4] SimThyr 5.0, ``simulator.pas``: SimPituitary, SimThyroidGland,
       SimCentralDeiodination, SimPeripheralDeiodination.
    """
    s_chain = tuple(y[0:_I_TSH])  # delayed TSH release, mU/s
    z_chain = tuple(y[_I_TSH + 1 : _I_TSHZ])  # delayed TSH release (ultrashort loop), mU/s
    a_chain = tuple(y[_I_TSHZ + 1 : _I_T4])  # delayed T4 secretion, pmol/s
    c_chain = tuple(y[_I_T4 + 1 : _I_T3Z])  # delayed central T3 production, fmol/s
    tsh, tshz = y[_I_TSH], y[_I_TSHZ]  # mU/L
    # to SI (mol/L, mol/s); TSH stays in mU/L and mU/s as in SimThyr
    t4, t3z, t3p = y[_I_T4] * 1e-9, y[_I_T3Z] * 1e-9, y[_I_T3] * 1e-9
    trh = u.trh * 1e-9
    dh, dr, km1, km2 = p.DH * 1e-9, p.DR * 1e-9, p.KM1 * 1e-6, p.KM2 * 1e-9
    tbg, tbpa, ibs = p.TBG * 1e-9, p.TBPA * 1e-6, p.IBS * 1e-6
    gt, gd1, gd2 = p.GT * 1e-12, p.GD1 * 1e-9, p.GD2 * 1e-15
    # algebraic relations
    t3n = t3z / (1 + p.k31 * ibs)  # free central T3
    t3r = p.GR * t3n / (dr + t3n)  # receptor-bound T3 (long feedback)
    ultra = p.SS * tshz / (p.DS + tshz)  # ultrashort feedback
    d_tsh_rel = p.GH * trh / ((dh + trh) * (1 + p.LS * t3r) * (1 + ultra))  # TSH release, mU/s
    ft4 = t4 / (1 + p.k41 * tbg + p.k42 * tbpa)  # free T4, mol/L
    d_t4_sec = gt * tsh / (p.DT + tsh)  # thyroid T4 secretion, mol/s
    d_t3z_prod = gd2 * ft4 / (km2 + ft4)  # central T3 production (D2), mol/s
    d_t3p_prod = gd1 * ft4 / (km1 + ft4)  # peripheral T3 production (D1), mol/s
    # dead times as linear chains of the production rates
    d_s_chain = linear_chain(d_tsh_rel, s_chain, p.Tt2, xp)  # TSH dead time
    d_z_chain = linear_chain(d_tsh_rel, z_chain, p.Tt22, xp)  # ultrashort dead time
    d_a_chain = linear_chain(d_t4_sec * 1e12, a_chain, p.Tt3, xp)  # T4 dead time
    d_c_chain = linear_chain(d_t3z_prod * 1e15, c_chain, p.Tt4, xp)  # central T3 dead time
    # PT1 lags x' = alpha * G - beta * x
    d_tsh = p.alphaS * s_chain[-1] - p.betaS * tsh  # serum TSH, mU/L/s
    d_tshz = p.alphaS2 * z_chain[-1] - p.betaS2 * tshz  # pituitary TSH, mU/L/s
    d_t4 = (p.alphaT * a_chain[-1] * 1e-12 - p.betaT * t4) * 1e9  # total T4, nmol/L/s
    d_t3z = (p.alpha32 * c_chain[-1] * 1e-15 - p.beta32 * t3z) * 1e9  # central T3, nmol/L/s
    d_t3p = (p.alpha31 * d_t3p_prod - p.beta31 * t3p) * 1e9  # total T3, nmol/L/s
    return (
        *d_s_chain,
        d_tsh,
        *d_z_chain,
        d_tshz,
        *d_a_chain,
        d_t4,
        *d_c_chain,
        d_t3z,
        d_t3p,
    )


MODEL = ModelSpec(
    name="simthyr",
    axis="hpt",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="s",
    references=(DIETRICH2004, DIETRICH2012, DIETRICH2016, SIMTHYR),
    observables=OBSERVABLES,
    description=(
        "Dietrich's MiMe-NoCoDI model of the HPT axis (SimThyr): TRH-TSH-T4-T3 with long and "
        "ultrashort feedback, binding proteins and deiodinases; dead times as linear chains; "
        "analytic equilibrium (SPINA is its inverse)."
    ),
    stiff=True,
)

#: Named parameter sets: ``neuroendo.models.get("simthyr", variant="gh817")``.
VARIANTS: dict[str, dict[str, float]] = {
    "gh817": {"GH": 817.0},  # GH as quoted in SimThyr's code comment and papers
    "primary_hypothyroidism": {"GT": 0.5},  # thyroid capacity reduced to ~15 %
    "tbg_excess": {"TBG": 450.0},  # SimThyr's TBG load (4.5e-7 mol/L)
}


def trh_circadian(
    t: ArrayLike,
    *,
    trh_mean: float = _TRHS,
    amplitude: float = 0.6 * _TRHS,
    peak: float = 5 * 3600.0,
) -> NDArray[np.float64] | float:
    r"""SimThyr's circadian portal TRH, in nmol/L, at times ``t`` in seconds.

    Parameters
    ----------
    t : float or array-like
        Time in s (``t = 0`` is midnight).
    trh_mean : float, default 6.9
        Mean portal TRH, in nmol/L (SimThyr: TRHs = 2500 ng/L).
    amplitude : float, default 4.14
        Amplitude, in nmol/L (SimThyr: 3/5 TRHs).
    peak : float, default 18000
        Time of the maximum, in s after midnight (SimThyr: 5 h).

    Returns
    -------
    float or ndarray
        TRH in nmol/L, same shape as ``t``.

    Notes
    -----
    .. math::
        \mathrm{TRH}(t) = \mathrm{TRH}_s + \tfrac{3}{5}\,\mathrm{TRH}_s
        \cos\!\left(\frac{2\pi t}{86400\ \mathrm{s}} - \chi\right), \quad
        \chi = 2\pi \cdot \frac{5}{24}

    The same schedule as data: ``neuroendo.models.inputs.circadian(amplitude=4.14,
    phase=18000, period=86400, offset=6.9, time_unit="s", unit="nmol/L")``.

    References
    ----------
    .. [1] SimThyr 5.0, ``simulator.pas``, ``SimHypothalamus``.

    Examples
    --------
    >>> trh_circadian([0.0, 5 * 3600.0])
    array([ 7.9715, 11.04  ])
    """
    tt = as_float_array("t", t)
    val = trh_mean + amplitude * np.cos(2 * math.pi * (tt - peak) / 86400.0)
    return float(val) if val.ndim == 0 else val


def _params(params: Mapping[str, ArrayLike] | Any | None) -> dict[str, NDArray[np.float64]]:
    """Nominal parameters overridden by ``params`` (mapping or the model's NamedTuple)."""
    if params is None:
        given: dict[str, Any] = {}
    elif hasattr(params, "_asdict"):
        given = dict(params._asdict())
    else:
        given = dict(params)
    for name in given:
        MODEL.param(name)  # unknown names raise ModelDefinitionError with a suggestion
    out = {}
    for prm in MODEL.params:
        val = as_float_array(prm.name, given.get(prm.name, prm.value))
        check_finite(prm.name, val)
        if np.any(val <= 0):
            raise ValueError(
                f"Parameter {prm.name!r} must be positive for the equilibrium; got {val!r}."
            )
        out[prm.name] = val
    return out


def equilibrium(
    params: Mapping[str, ArrayLike] | Any | None = None, *, trh: ArrayLike | None = None
) -> dict[str, NDArray[np.float64] | float]:
    r"""Analytic equilibrium of SimThyr at constant TRH (the root of a cubic in TSH).

    Parameters
    ----------
    params : mapping or NamedTuple, optional
        Parameter overrides ``{name: value}`` in the declared units (arrays of shape
        ``(n_subjects,)`` give one equilibrium per subject), or ``MODEL.default_params()``-like
        NamedTuple. Defaults: the nominal values.
    trh : float or array-like, optional
        Constant portal TRH, in nmol/L (default 6.9 nmol/L = 2500 ng/L).

    Returns
    -------
    dict
        Every state name of :data:`MODEL` (in its declared unit), plus ``"ft4"`` and ``"ft3"``
        (pmol/L), ``"t3r"`` (receptor-bound T3, in units of ``GR``) and ``"tsh_release"``
        (mU/s). Floats for scalar input, arrays for array input.

    Raises
    ------
    ModelDefinitionError
        If a parameter name is unknown.
    ValueError
        If a value is not finite or not positive.

    Notes
    -----
    With :math:`x` = TSH, :math:`k_{11} = \alpha_S/\beta_S`,
    :math:`k_{22} = \alpha_T G_T / (\beta_T (1 + k_{41}\mathrm{TBG} + k_{42}\mathrm{TBPA}))`,
    :math:`k_3 = \alpha_{32} G_{D2} / (\beta_{32}(1 + k_{31}\mathrm{IBS}))`,
    :math:`G_3 = k_3 G_R/(k_3 + D_R)`, :math:`D_3 = K_{M2} D_R/(k_3 + D_R)`,
    :math:`A = D_3 + k_{22}(1 + L_S G_3)`, :math:`B = D_3 + k_{22}`,
    :math:`c = \alpha_{S2}/(\beta_{S2} k_{11})` (TSHz = c x) and
    :math:`g = k_{11} G_H \mathrm{TRH}/(D_H + \mathrm{TRH})`, the steady state of the loop is

    .. math::
        x\,(D_3 D_T + A x)\,(D_S + (1 + S_S) c x) = g\,(D_3 D_T + B x)\,(D_S + c x),

    a cubic whose left side minus right side is increasing for :math:`x > 0`, so it has exactly
    one positive root. SimThyr's ``PredictEquilibrium`` writes the same cubic (scaled) and solves
    it with Cardano's formula; here the roots are the eigenvalues of the companion matrix
    (vectorised over subjects), refined by two Newton steps. Then
    :math:`\mathrm{FT4} = k_{22} x/(D_T + x)`,
    :math:`\mathrm{FT3} = \alpha_{31} G_{D1}\mathrm{FT4}/(\beta_{31}(K_{M1} + \mathrm{FT4})
    (1 + k_{30}\mathrm{TBG}))`. Inverting the last two relations for :math:`G_T` and
    :math:`G_{D1}` gives SPINA-GT and SPINA-GD.

    References
    ----------
    .. [1] SimThyr 5.0, ``predictor.pas``, ``PredictEquilibrium``.
    .. [2] Dietrich JW et al. Front Endocrinol. 2016;7:57. doi:10.3389/fendo.2016.00057

    Examples
    --------
    >>> eq = equilibrium()
    >>> round(eq["tsh"], 3), round(eq["ft4"], 2), round(eq["ft3"], 2)
    (1.814, 17.67, 5.35)
    >>> equilibrium({"GT": [1.5, 3.375]})["tsh"].round(3)
    array([2.553, 1.814])
    """
    p = _params(params)
    trh_val = as_float_array("trh", _TRHS if trh is None else trh)
    check_finite("trh", trh_val)
    if np.any(trh_val < 0):
        raise ValueError(f"'trh' must be non-negative (nmol/L); got {trh_val!r}.")
    si = {
        "DH": 1e-9, "DR": 1e-9, "KM1": 1e-6, "KM2": 1e-9, "TBG": 1e-9, "TBPA": 1e-6,
        "IBS": 1e-6, "GT": 1e-12, "GD1": 1e-9, "GD2": 1e-15,
    }  # fmt: skip
    q = {k: v * si.get(k, 1.0) for k, v in p.items()}
    trh_si = trh_val * 1e-9
    k11 = q["alphaS"] / q["betaS"]
    bind4 = 1 + q["k41"] * q["TBG"] + q["k42"] * q["TBPA"]
    k22 = q["GT"] * q["alphaT"] / (q["betaT"] * bind4)
    k3 = q["GD2"] * q["alpha32"] / (q["beta32"] * (1 + q["k31"] * q["IBS"]))
    g3 = k3 * q["GR"] / (k3 + q["DR"])
    d3 = q["KM2"] * q["DR"] / (k3 + q["DR"])
    big_a = d3 + k22 + q["LS"] * g3 * k22
    big_b = d3 + k22
    c = q["alphaS2"] / (q["betaS2"] * k11)
    g = k11 * q["GH"] * trh_si / (q["DH"] + trh_si)
    ds, ss, dt = q["DS"], q["SS"], q["DT"]
    a3 = (1 + ss) * c * big_a
    a2 = big_a * ds + (1 + ss) * c * d3 * dt - g * big_b * c
    a1 = d3 * dt * ds - g * (d3 * dt * c + big_b * ds)
    a0 = -g * d3 * dt * ds
    a3, a2, a1, a0 = np.broadcast_arrays(a3, a2, a1, a0)
    shape = a3.shape
    b2, b1, b0 = (x.reshape(-1) / a3.reshape(-1) for x in (a2, a1, a0))
    comp = np.zeros((b2.size, 3, 3))
    comp[:, 0, 0], comp[:, 0, 1], comp[:, 0, 2] = -b2, -b1, -b0
    comp[:, 1, 0] = comp[:, 2, 1] = 1.0
    roots = np.linalg.eigvals(comp)
    real_pos = (np.abs(roots.imag) <= 1e-8 * np.abs(roots)) & (roots.real > 0)
    x = np.where(real_pos, roots.real, 0.0).max(axis=-1)
    for _ in range(2):  # Newton polish of the monic cubic
        f = ((x + b2) * x + b1) * x + b0
        df = (3 * x + 2 * b2) * x + b1
        x = x - f / df
    tsh = x.reshape(shape)
    ft4 = k22 * tsh / (dt + tsh)
    t4 = ft4 * bind4
    t3z = q["alpha32"] * q["GD2"] * ft4 / (q["beta32"] * (q["KM2"] + ft4))
    t3n = t3z / (1 + q["k31"] * q["IBS"])
    t3r = q["GR"] * t3n / (q["DR"] + t3n)
    t3p = q["alpha31"] * q["GD1"] * ft4 / (q["beta31"] * (q["KM1"] + ft4))
    ft3 = t3p / (1 + q["k30"] * q["TBG"])
    release = tsh / k11
    tshz = c * tsh
    res: dict[str, Any] = {}
    for i in range(1, K_DELAY + 1):
        res[f"tsh_delay_{i}"] = release
    res["tsh"] = tsh
    for i in range(1, K_DELAY + 1):
        res[f"tsh_pituitary_delay_{i}"] = release
    res["tsh_pituitary"] = tshz
    for i in range(1, K_DELAY + 1):
        res[f"t4_delay_{i}"] = q["betaT"] * t4 / q["alphaT"] * 1e12
    res["t4"] = t4 * 1e9
    for i in range(1, K_DELAY + 1):
        res[f"t3_central_delay_{i}"] = q["beta32"] * t3z / q["alpha32"] * 1e15
    res["t3_central"] = t3z * 1e9
    res["t3"] = t3p * 1e9
    res.update(ft4=ft4 * 1e12, ft3=ft3 * 1e12, t3r=t3r, tsh_release=release)
    return {
        k: (float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=np.float64))
        for k, v in res.items()
    }
