"""THYROSIM (DiStefano lab): the original 19-compartment HPT-axis feedback model.

The original THYROSIM of Eisenberg, Samuels & DiStefano [1]_ [2]_, with its published parameter
set, as written in the ``original_thyrosim`` / ``initialize_original_thyrosim`` functions of the
Thyrosim.jl port [3]_ (which names the MATLAB ``thyrosim_core.m`` of the DiStefano lab as its
source). Amounts are in µmol, time in hours. Compartments: plasma, fast and slow tissue pools
for T4 (``q1``-``q3``) and T3 (``q4``-``q6``), plasma TSH (``q7``), brain T3 and its lagged
copy (``q8``, ``q9``, dimensionless: scaled by the euthyroid plasma amounts ``T4P-EU`` and
``T3P-EU``), oral T4 and T3 (undissolved pill ``q10``/``q12`` and gut ``q11``/``q13``) and the
six-compartment linear chain ``q14``-``q19`` (rate ``5/tau`` per h) that delays TSH before it
drives thyroid secretion. Free hormone fractions are cubic polynomials in plasma T4.

Dials. ``dial1`` and ``dial3`` scale T4 and T3 secretion (1 = normal, 0 = thyroidectomy);
``dial2`` and ``dial4`` scale the gut excretion rates of oral T4 and T3 (THYROSIM default 0.88).

Doses. The inputs ``t4_oral``, ``t3_oral`` (into the undissolved-pill compartments ``q10``,
``q12``, i.e. the start of the gut) and ``t4_iv``, ``t3_iv`` (into plasma ``q1``, ``q4``) are
rates in µmol/h. A dose of D µg is D/777 µmol for T4 and D/651 µmol for T3 (the molar masses
THYROSIM uses in its outputs); a bolus is represented as a short infusion, e.g. D/777 µmol over
0.1 h as a rate of 10·D/777 µmol/h.

Outputs. Serum T4 in µg/L is ``777 q1 / Vp``, T3 in µg/L ``651 q4 / Vp`` and TSH in mU/L
``5.6 q7 / VTSH`` [3]_. The declared :class:`Observable` scales use the nominal volumes
(Vp = 3.2 L, VTSH = 5.2 L); when ``Vp`` or ``VTSH`` are changed use :func:`outputs`, which reads
the volumes from the parameters. THYROSIM carries TSH as an amount in the same nominal µmol
units as the iodothyronines and converts it to mU/L with its factor 5.6 (in mU per model unit).

Network port. The input ``tsh_secretion`` (default 1, dimensionless) multiplies the TSH
secretion rate ``SRTSH``; THYROSIM has no TRH state, so this is where a coupled model
(:mod:`neuroendo.models.net.network2026`) lets cortisol suppress TRH/TSH secretion. It is not part
of THYROSIM; with its default of 1 the original equations are unchanged (bitwise).

The newer Thyrosim.jl model of Cruz-Loya et al. 2022 (Hill-function feedback, allometric
volumes) is not this module.

References
----------
.. [1] Eisenberg M, Samuels M, DiStefano JJ 3rd. Extensions, validation, and clinical
   applications of a feedback control system simulator of the hypothalamo-pituitary-thyroid
   axis. Thyroid. 2008;18(10):1071-1085. doi:10.1089/thy.2007.0388
.. [2] Eisenberg M, Samuels M, DiStefano JJ 3rd. L-T4 bioequivalence and hormone replacement
   studies via feedback control simulations. Thyroid. 2006;16(12):1279-1292.
   doi:10.1089/thy.2006.16.1279
.. [3] Cruz-Loya M, Chu BB, Jonklaas J, Schneider DF, DiStefano J 3rd. Optimized replacement T4
   and T4+T3 dosing in male and female hypothyroid patients with different BMIs using a
   personalized mechanistic model of thyroid hormone regulation dynamics. Front Endocrinol.
   2022;13:888429. doi:10.3389/fendo.2022.888429. Code: github.com/biona001/Thyrosim.jl,
   ``src/thyrosim_odes.jl`` (``initialize_original_thyrosim``, ``original_thyrosim``,
   ``output_equations``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.spec import Input, ModelSpec, Observable, Param, Ref, State
from neuroendo._core.validation import as_float_array

__all__ = ["MODEL", "T3_MOLAR_MASS", "T4_MOLAR_MASS", "VARIANTS", "outputs", "rhs"]

EISENBERG2008 = Ref(
    "eisenberg2008",
    doi="10.1089/thy.2007.0388",
    citation=(
        "Eisenberg M, Samuels M, DiStefano JJ 3rd. Extensions, validation, and clinical "
        "applications of a feedback control system simulator of the hypothalamo-pituitary-"
        "thyroid axis. Thyroid. 2008;18(10):1071-1085."
    ),
)
EISENBERG2006 = Ref(
    "eisenberg2006",
    doi="10.1089/thy.2006.16.1279",
    citation=(
        "Eisenberg M, Samuels M, DiStefano JJ 3rd. L-T4 bioequivalence and hormone replacement "
        "studies via feedback control simulations. Thyroid. 2006;16(12):1279-1292."
    ),
)
CRUZLOYA2022 = Ref(
    "cruzloya2022",
    doi="10.3389/fendo.2022.888429",
    citation=(
        "Cruz-Loya M et al. Front Endocrinol. 2022;13:888429; code github.com/biona001/"
        "Thyrosim.jl src/thyrosim_odes.jl."
    ),
)
#: Parameter values and initial conditions as printed in ``initialize_original_thyrosim``.
_P = CRUZLOYA2022.at("thyrosim_odes.jl, initialize_original_thyrosim")
_IC = CRUZLOYA2022.at("thyrosim_odes.jl, initialize_original_thyrosim (ic)")
_OUT = CRUZLOYA2022.at("thyrosim_odes.jl, output_equations")

#: Molar masses (g/mol = µg/µmol) used by THYROSIM's output equations.
T4_MOLAR_MASS = 777.0
T3_MOLAR_MASS = 651.0
_TSH_FACTOR = 5.6  # THYROSIM output factor, mU per model unit of TSH
_VP = 3.2  # L, nominal plasma volume
_VTSH = 5.2  # L, nominal TSH distribution volume


def _b(value: float, factor: float = 10.0) -> tuple[float, float]:
    """Bounds nominal ×/÷ ``factor`` (ordered also for negative values)."""
    lo, hi = value / factor, value * factor
    return (min(lo, hi), max(lo, hi))


STATES = (
    State("t4", 0.322114215761171, "umol", "T4 in plasma (q1)"),
    State("t4_fast", 0.201296960359917, "umol", "T4 in fast tissues (q2)"),
    State("t4_slow", 0.638967411907560, "umol", "T4 in slow tissues (q3)"),
    State("t3", 0.00663104034826483, "umol", "T3 in plasma (q4)"),
    State("t3_fast", 0.0112595761822961, "umol", "T3 in fast tissues (q5)"),
    State("t3_slow", 0.0652960640300348, "umol", "T3 in slow tissues (q6)"),
    State("tsh", 1.78829584764370, "umol", "TSH in plasma (q7), THYROSIM amount units"),
    State("t3_brain", 7.05727560072869, "1", "brain T3 (q8), scaled"),
    State("t3_brain_lagged", 7.05714474742141, "1", "lagged brain T3 (q9), scaled"),
    State("t4_pill", 0.0, "umol", "undissolved oral T4 (q10)"),
    State("t4_gut", 0.0, "umol", "dissolved T4 in the gut (q11)"),
    State("t3_pill", 0.0, "umol", "undissolved oral T3 (q12)"),
    State("t3_gut", 0.0, "umol", "dissolved T3 in the gut (q13)"),
    State("tsh_delay_1", 3.34289716182018, "umol", "TSH delay chain, stage 1 (q14)"),
    State("tsh_delay_2", 3.69277248068433, "umol", "TSH delay chain, stage 2 (q15)"),
    State("tsh_delay_3", 3.87942133769244, "umol", "TSH delay chain, stage 3 (q16)"),
    State("tsh_delay_4", 3.90061903207543, "umol", "TSH delay chain, stage 4 (q17)"),
    State("tsh_delay_5", 3.77875734283571, "umol", "TSH delay chain, stage 5 (q18)"),
    State("tsh_delay_6", 3.55364471589659, "umol", "TSH delay chain, stage 6 (q19)"),
)

PARAMS = (
    Param("S4", 0.00174155, "/h", _b(0.00174155), _P, "T4 secretion per delayed TSH (p1)"),
    Param("dial1", 1.0, "1", (0.0, 2.0), _P, "T4 secretion dial (0 = thyroidectomy)"),
    Param("tau", 8.0, "h", _b(8.0), _P, "TSH delay parameter; chain rate 5/tau (p2)"),
    Param("k12", 0.868, "/h", _b(0.868), _P, "T4 fast tissue -> plasma (p3)"),
    Param("k13", 0.108, "/h", _b(0.108), _P, "T4 slow tissue -> plasma (p4)"),
    Param("k31free", 584.0, "/h", _b(584.0), _P, "free T4 plasma -> slow tissue (p5)"),
    Param("k21free", 1503.0, "/h", _b(1503.0), _P, "free T4 plasma -> fast tissue (p6)"),
    Param("A", 0.000289, "1", _b(0.000289), _P, "free T4 fraction polynomial, constant (p7)"),
    Param("B", 0.000214, "/umol", _b(0.000214), _P, "free T4 fraction, linear (p8)"),
    Param("C", 0.000128, "/umol2", _b(0.000128), _P, "free T4 fraction, quadratic (p9)"),
    Param("D", -8.83e-6, "/umol3", _b(-8.83e-6), _P, "free T4 fraction, cubic (p10)"),
    Param("k4absorb", 0.88, "/h", _b(0.88), _P, "gut T4 absorption (p11)"),
    Param("k02", 0.0189, "/h", _b(0.0189), _P, "T4 fast-tissue non-deiodinative loss (p12)"),
    Param("VmaxD1fast", 0.00998996, "umol/h", _b(0.00998996), _P, "D1 Vmax, fast (p13)"),
    Param("KmD1fast", 2.85, "umol", _b(2.85), _P, "D1 Km, fast tissues (p14)"),
    Param("VmaxD1slow", 6.63e-4, "umol/h", _b(6.63e-4), _P, "D1 Vmax, slow tissues (p15)"),
    Param("KmD1slow", 95.0, "umol", _b(95.0), _P, "D1 Km, slow tissues (p16)"),
    Param("VmaxD2slow", 0.00074619, "umol/h", _b(0.00074619), _P, "D2 Vmax, slow (p17)"),
    Param("KmD2slow", 0.075, "umol", _b(0.075), _P, "D2 Km, slow tissues (p18)"),
    Param("S3", 3.3572e-4, "/h", _b(3.3572e-4), _P, "T3 secretion per delayed TSH (p19)"),
    Param("dial3", 1.0, "1", (0.0, 2.0), _P, "T3 secretion dial (0 = thyroidectomy)"),
    Param("k45", 5.37, "/h", _b(5.37), _P, "T3 fast tissue -> plasma (p20)"),
    Param("k46", 0.0689, "/h", _b(0.0689), _P, "T3 slow tissue -> plasma (p21)"),
    Param("k64free", 127.0, "/h", _b(127.0), _P, "free T3 plasma -> slow tissue (p22)"),
    Param("k54free", 2043.0, "/h", _b(2043.0), _P, "free T3 plasma -> fast tissue (p23)"),
    Param("a", 0.00395, "1", _b(0.00395), _P, "free T3 fraction polynomial, constant (p24)"),
    Param("b", 0.00185, "/umol", _b(0.00185), _P, "free T3 fraction, linear in q1 (p25)"),
    Param("c", 0.00061, "/umol2", _b(0.00061), _P, "free T3 fraction, quadratic (p26)"),
    Param("d", -0.000505, "/umol3", _b(-0.000505), _P, "free T3 fraction, cubic (p27)"),
    Param("k3absorb", 0.88, "/h", _b(0.88), _P, "gut T3 absorption (p28)"),
    Param("k05", 0.207, "/h", _b(0.207), _P, "T3 fast-tissue loss (p29)"),
    Param("B0", 1166.0, "umol/h", _b(1166.0), _P, "basal TSH secretion (Bzero, p30)"),
    Param("A0", 581.0, "umol/h", _b(581.0), _P, "circadian TSH amplitude (Azero, p31)"),
    Param("Amax", 2.37, "umol/h", (0.0, 23.7), _P, "hypothyroid TSH amplitude (p32)"),
    Param("phi", -3.71, "1", (-2 * math.pi, 2 * math.pi), _P, "circadian phase, rad (p33)"),
    Param("kdegTSH_HYPO", 0.53, "/h", _b(0.53), _P, "TSH degradation, linear (p34)"),
    Param("VmaxTSH", 0.037, "umol/h", _b(0.037), _P, "TSH degradation Vmax (p35)"),
    Param("K50TSH", 23.0, "umol", _b(23.0), _P, "TSH degradation half-saturation (p36)"),
    Param("k3", 0.118, "/h", _b(0.118), _P, "plasma -> brain T3 gain (p37)"),
    Param("T4P_EU", 0.29, "umol", _b(0.29), _P, "euthyroid plasma T4 amount (p38)"),
    Param("T3P_EU", 0.006, "umol", _b(0.006), _P, "euthyroid plasma T3 amount (p39)"),
    Param("KdegT3B", 0.037, "/h", _b(0.037), _P, "brain T3 degradation (p40)"),
    Param("KLAG_HYPO", 0.0034, "/h", _b(0.0034), _P, "brain T3 lag rate, basal (p41)"),
    Param("KLAG", 5.0, "1", _b(5.0), _P, "brain T3 lag half-saturation, scaled (p42)"),
    Param(
        "KLAG_MAX",
        2.0,
        "/h",
        _b(2.0),
        CRUZLOYA2022.at("thyrosim_odes.jl, original_thyrosim, fLAG"),
        "maximal extra brain T3 lag rate (the literal 2 in fLAG)",
    ),
    Param("k4dissolve", 1.3, "/h", _b(1.3), _P, "T4 pill dissolution (p43)"),
    Param("k4excrete", 0.12, "/h", _b(0.12), _P, "gut T4 excretion, before dial2 (p44)"),
    Param("dial2", 0.88, "1", (0.0, 2.0), _P, "T4 gut excretion dial (p44 multiplier)"),
    Param("k3dissolve", 1.78, "/h", _b(1.78), _P, "T3 pill dissolution (p45)"),
    Param("k3excrete", 0.12, "/h", _b(0.12), _P, "gut T3 excretion, before dial4 (p46)"),
    Param("dial4", 0.88, "1", (0.0, 2.0), _P, "T3 gut excretion dial (p46 multiplier)"),
    Param("Vp", _VP, "L", (1.0, 10.0), _P, "plasma volume (p47; unscaled original)"),
    Param("VTSH", _VTSH, "L", (2.0, 15.0), _P, "TSH distribution volume (p48)"),
)

INPUTS = (
    Input("t4_oral", 0.0, "umol/h", "oral T4 into the pill compartment q10", analyte="tt4"),
    Input("t3_oral", 0.0, "umol/h", "oral T3 into the pill compartment q12", analyte="tt3"),
    Input("t4_iv", 0.0, "umol/h", "intravenous T4 into plasma q1", analyte="tt4"),
    Input("t3_iv", 0.0, "umol/h", "intravenous T3 into plasma q4", analyte="tt3"),
    Input(
        "tsh_secretion",
        1.0,
        "1",
        "multiplier of hypothalamic-pituitary TSH secretion (network port; 1 = original)",
    ),
)

OBSERVABLES = (
    Observable("tt4", "t4", T4_MOLAR_MASS / _VP, "ug/L", "serum T4 = 777 q1 / Vp, Vp = 3.2 L"),
    Observable("tt3", "t3", T3_MOLAR_MASS / _VP, "ug/L", "serum T3 = 651 q4 / Vp, Vp = 3.2 L"),
    Observable("tsh", "tsh", _TSH_FACTOR / _VTSH, "m[IU]/L", "TSH = 5.6 q7 / VTSH, VTSH = 5.2 L"),
)


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """Original THYROSIM ODEs [3]_; ``y`` has shape (19,) or (19, n_subjects), time in h.

    References
    ----------
    .. [3] Thyrosim.jl, ``src/thyrosim_odes.jl``, ``original_thyrosim``.
    """
    q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15, q16, q17, q18, q19 = y
    # auxiliary equations
    ft4p = (p.A + p.B * q1 + p.C * q1**2 + p.D * q1**3) * q1  # free T4 in plasma
    ft3p = (p.a + p.b * q1 + p.c * q1**2 + p.d * q1**3) * q4  # free T3 in plasma
    sr4 = p.S4 * p.dial1 * q19  # T4 secretion from delayed TSH (dial 1)
    sr3 = p.S3 * p.dial3 * q19  # T3 secretion from delayed TSH (dial 3)
    fcirc = 1 + (p.Amax / (p.A0 * xp.exp(-q9)) - 1) / (1 + xp.exp(10 * q9 - 55))
    srtsh = u.tsh_secretion * (p.B0 + p.A0 * fcirc * xp.sin(math.pi / 12 * t - p.phi))
    srtsh = srtsh * xp.exp(-q9)  # TSH secretion; tsh_secretion = 1 in the original
    fdegtsh = p.kdegTSH_HYPO + p.VmaxTSH / (p.K50TSH + q7)
    flag = p.KLAG_HYPO + p.KLAG_MAX * q8**11 / (p.KLAG**11 + q8**11)
    f4 = p.k3 + 5 * p.k3 / (1 + xp.exp(2 * q8 - 7))
    nl = p.VmaxD1fast / (p.KmD1fast + q2)  # fast-tissue D1 conversion rate
    d1slow = p.VmaxD1slow / (p.KmD1slow + q3)
    d2slow = p.VmaxD2slow / (p.KmD2slow + q3)
    kdelay = 5 / p.tau  # 5/8 per h in the original
    # ODEs
    d_q1 = (
        sr4 + p.k12 * q2 + p.k13 * q3 - (p.k31free + p.k21free) * ft4p + p.k4absorb * q11 + u.t4_iv
    )  # T4 plasma
    d_q2 = p.k21free * ft4p - (p.k12 + p.k02 + nl) * q2  # T4 fast tissues
    d_q3 = p.k31free * ft4p - (p.k13 + d1slow + d2slow) * q3  # T4 slow tissues
    d_q4 = (
        sr3 + p.k45 * q5 + p.k46 * q6 - (p.k64free + p.k54free) * ft3p + p.k3absorb * q13 + u.t3_iv
    )  # T3 plasma
    d_q5 = p.k54free * ft3p + nl * q2 - (p.k45 + p.k05) * q5  # T3 fast tissues
    d_q6 = p.k64free * ft3p + (d1slow + d2slow) * q3 - p.k46 * q6  # T3 slow tissues
    d_q7 = srtsh - fdegtsh * q7  # TSH plasma
    d_q8 = f4 / p.T4P_EU * q1 + p.k3 / p.T3P_EU * q4 - p.KdegT3B * q8  # brain T3
    d_q9 = flag * (q8 - q9)  # lagged brain T3
    d_q10 = -p.k4dissolve * q10 + u.t4_oral  # T4 pill
    d_q11 = p.k4dissolve * q10 - (p.k4excrete * p.dial2 + p.k4absorb) * q11  # T4 gut
    d_q12 = -p.k3dissolve * q12 + u.t3_oral  # T3 pill
    d_q13 = p.k3dissolve * q12 - (p.k3excrete * p.dial4 + p.k3absorb) * q13  # T3 gut
    d_q14 = kdelay * (q7 - q14)  # TSH delay 1
    d_q15 = kdelay * (q14 - q15)  # TSH delay 2
    d_q16 = kdelay * (q15 - q16)  # TSH delay 3
    d_q17 = kdelay * (q16 - q17)  # TSH delay 4
    d_q18 = kdelay * (q17 - q18)  # TSH delay 5
    d_q19 = kdelay * (q18 - q19)  # TSH delay 6
    return (
        d_q1,
        d_q2,
        d_q3,
        d_q4,
        d_q5,
        d_q6,
        d_q7,
        d_q8,
        d_q9,
        d_q10,
        d_q11,
        d_q12,
        d_q13,
        d_q14,
        d_q15,
        d_q16,
        d_q17,
        d_q18,
        d_q19,
    )


MODEL = ModelSpec(
    name="thyrosim",
    axis="hpt",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="h",
    references=(EISENBERG2008, EISENBERG2006, CRUZLOYA2022),
    observables=OBSERVABLES,
    description=(
        "Original THYROSIM: 19-compartment TSH-T4-T3 feedback model with circadian TSH, "
        "brain T3 feedback, oral/IV dosing and secretion dials (amounts in umol, time in h)."
    ),
    stiff=True,
)

#: Named parameter sets: ``neuroendo.models.get("thyrosim", variant="thyroidectomy")``.
VARIANTS: dict[str, dict[str, float]] = {
    "thyroidectomy": {"dial1": 0.0, "dial3": 0.0},
    "hypothyroid_50": {"dial1": 0.5, "dial3": 0.5},
}


def outputs(
    y: ArrayLike, params: Mapping[str, ArrayLike] | None = None
) -> dict[str, NDArray[np.float64] | float]:
    r"""Serum T4, T3 (µg/L) and TSH (mU/L) from THYROSIM states, with the volumes in ``params``.

    Parameters
    ----------
    y : array-like, shape (19, ...)
        THYROSIM states in :data:`MODEL` order (amounts in µmol), e.g. ``(19,)``,
        ``(19, n_times)`` or ``(19, n_subjects, n_times)``.
    params : mapping, optional
        Overrides of ``Vp`` (L) and ``VTSH`` (L); scalars or arrays broadcasting against
        ``y[0]``. Defaults are the nominal 3.2 L and 5.2 L.

    Returns
    -------
    dict
        ``{"tt4": µg/L, "tt3": µg/L, "tsh": mU/L}``; floats for a single state vector.

    Raises
    ------
    ValueError
        If ``y`` does not have 19 rows.

    Notes
    -----
    .. math::
        T_4 = \frac{777\,q_1}{V_p}, \quad T_3 = \frac{651\,q_4}{V_p}, \quad
        \mathrm{TSH} = \frac{5.6\,q_7}{V_{TSH}}

    References
    ----------
    .. [1] Thyrosim.jl, ``src/thyrosim_odes.jl``, ``output_equations``.

    Examples
    --------
    >>> out = outputs(MODEL.y0)
    >>> round(out["tt4"], 2), round(out["tt3"], 3), round(out["tsh"], 3)
    (78.21, 1.349, 1.926)
    """
    arr = as_float_array("y", y)
    if arr.ndim == 0 or arr.shape[0] != len(STATES):
        raise ValueError(
            f"'y' must have {len(STATES)} rows (THYROSIM states), got shape {arr.shape}; pass "
            "the state array in MODEL.state_names order."
        )
    vals = {"Vp": _VP, "VTSH": _VTSH, **dict(params or {})}
    vp = np.asarray(vals["Vp"], dtype=np.float64)
    vtsh = np.asarray(vals["VTSH"], dtype=np.float64)
    names = MODEL.state_names
    res = {
        "tt4": T4_MOLAR_MASS * arr[names.index("t4")] / vp,
        "tt3": T3_MOLAR_MASS * arr[names.index("t3")] / vp,
        "tsh": _TSH_FACTOR * arr[names.index("tsh")] / vtsh,
    }
    return {k: (float(v) if np.ndim(v) == 0 else np.asarray(v)) for k, v in res.items()}
