"""Bangsgaard & Ottesen (2017): patient-specific HPA model with a circadian CRH drive.

Three ODEs for CRH ``C``, ACTH ``A`` (pg/mL) and cortisol ``O`` (µg/dL), time in minutes
from midnight, fitted per subject to the 24-h, 10-min ACTH/cortisol profiles of Carroll et al.
(2007). CRH release is driven by a circadian function ``c(t)`` (period 1440 min), amplified by a
positive CRH self-feedback ``C/(mu + C)`` and inhibited by cortisol (``1/(1 + a2 O^2)``); ACTH is
inhibited by cortisol (``1/(1 + a4 O)``) and drives cortisol quadratically (``a5 A^2``). The
circadian drive is the product of a rising and a falling Hill function of the time of day
shifted by ``delta``:

``c(t) = N_c [ t_m^k/(t_m^k + alpha^k) (T - t_m)^l/((T - t_m)^l + beta^l) + eps ]``,
``t_m = (t - delta) mod T``.

With the parameters of control patient "f" the solution locks onto a 24-h cycle with a
cortisol peak in the early morning (about 07:20), a nadir in the early night and a secondary
ultradian peak late in the morning; the first day from the midnight initial values shows several
ultradian pulses, as in the data.

The normalisation constant ``N_c``. The public script [3] codes ``N_c = 0.5217``. The bracket
of ``c(t)`` for the listed ``k, l, alpha, beta, eps`` has its maximum at 0.52172 (at
``t_m`` ≈ 491 min), so ``N_c = 1/0.5217`` = 1.9168 is the value that normalises ``max c = 1``;
with it the first simulated day matches the patient-f data far better (cortisol peak 17.7 vs
18.0 µg/dL in the data, mean ACTH 16.7 vs 17.4 pg/mL) than with 0.5217 (peak 9.1 µg/dL, mean
ACTH 12.1 pg/mL). The default is therefore ``N_c = 1/0.5217``; variant ``"as_coded"`` keeps
0.5217. Table A1 of [1] itself was not available to confirm either.

Units. CRH is not measured; its unit is arbitrary (``"1"``). The clock constants ``delta``,
``alpha`` and ``beta`` are minutes after midnight but are declared dimensionless (``"1"``)
because the clock reads model time ``t`` as a plain number (in minutes); ``T`` = 1440 min is
fixed (:data:`DAY`). Parameters are Table A1/A2 of [1] as listed in [3] for control patient f;
``a2, a3, a4, mu, k, l, alpha, beta, eps, N_c`` are the "insensitive" parameters kept fixed
between subjects. Initial values (midnight, [3]): ``C = 2`` (a guess), ``A = 8.725314``,
``O = 1.158798`` (the patient's first samples). Variant ``"hypercortisolemic"`` uses the
parameter set labelled "parameters for hypercortisolemic patients" in [4] (provenance within
[1] not confirmed).

References
----------
.. [1] Bangsgaard EO, Ottesen JT. Patient specific modeling of the HPA axis related to clinical
   diagnosis of depression. Math Biosci. 2017;287:24-35. doi:10.1016/j.mbs.2016.10.007
.. [2] Gudmand-Hoeyer J, Timmermann S, Ottesen JT. Patient-specific modeling of the
   neuroendocrine HPA-axis and its relation to depression: ultradian and circadian
   oscillations. Math Biosci. 2014;257:23-32. doi:10.1016/j.mbs.2014.07.013
.. [3] Parker C. VeVaPy, script ``Bangsgaard-Ottesen-2017.py`` ("parameters for control subject
   (f), listed in Table A1 and Table A2"), github.com/cparker-uc/VeVaPy.
.. [4] Parker C. VeVaPy, notebook ``Bangsgaard-Ottesen-2017-redo.ipynb``.
.. [5] Carroll BJ, Cassidy F, Naftolowitz D, et al. Pathophysiology of hypercortisolism in
   depression. Acta Psychiatr Scand Suppl. 2007;(433):90-103.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State

BANGSGAARD2017 = Ref(
    "bangsgaard2017",
    doi="10.1016/j.mbs.2016.10.007",
    citation="Bangsgaard EO, Ottesen JT. Math Biosci. 2017;287:24-35.",
)
GUDMAND2014 = Ref(
    "gudmandhoeyer2014",
    doi="10.1016/j.mbs.2014.07.013",
    citation="Gudmand-Hoeyer J, Timmermann S, Ottesen JT. Math Biosci. 2014;257:23-32.",
)
VEVAPY = Ref("vevapy", where="Bangsgaard-Ottesen-2017.py, patient f (Tables A1, A2 of [1])")
VEVAPY_REDO = Ref("vevapy", where="Bangsgaard-Ottesen-2017-redo.ipynb, hypercortisolemic set")
NORMALISED = Ref(
    "bangsgaard2017", where="N_c = 1/max of the c(t) bracket (0.5217); see module docstring"
)

DAY = 1440.0
"""Period ``T`` of the circadian drive, in minutes."""

STATES = (
    State("crh", 2.0, "1", "CRH (C), arbitrary units; midnight value is a guess"),
    State("acth", 8.725314, "pg/mL", "ACTH (A)"),
    State("cortisol", 1.158798, "ug/dL", "total plasma cortisol (O)"),
)

_F = VEVAPY.at("fixed ('insensitive') parameters, Table A1 of [1]")
_P = VEVAPY
PARAMS = (
    Param("a0", 3.9031e-4, "/min", (0.0, 1.0), _P, "basal CRH release"),
    Param("a1", 6.839e12, "/min", (1e11, 1e14), _P, "circadian CRH release gain"),
    Param("a2", 1.7809e9, "dL2/ug2", (1e7, 1e11), _F, "cortisol inhibition of CRH release"),
    Param("a3", 2.2803e4, "pg/mL/min", (1e2, 1e6), _F, "ACTH release per CRH"),
    Param("a4", 1.7745e5, "dL/ug", (1e3, 1e7), _F, "cortisol inhibition of ACTH release"),
    Param("a5", 4.617e-4, "ug.mL2/(dL.min.pg2)", (1e-5, 1e-2), _P, "cortisol release per ACTH^2"),
    Param("mu", 5.83e2, "1", (1.0, 1e5), _F, "CRH level of half-maximal self-feedback"),
    Param("w1", 0.0337, "/min", (1e-3, 1.0), _P, "CRH elimination"),
    Param("w2", 0.0205, "/min", (1e-3, 1.0), _P, "ACTH elimination"),
    Param("w3", 0.0238, "/min", (1e-3, 1.0), _P, "cortisol elimination"),
    Param("delta", 83.8, "1", (0.0, DAY), _P, "phase shift of c(t), minutes"),
    Param("N_c", 1.0 / 0.5217, "1", (0.1, 10.0), NORMALISED, "normalisation of c(t)"),
    Param("k", 5.0, "1", (1.0, 20.0), _F, "Hill exponent of the rising flank of c(t)"),
    Param("l", 6.0, "1", (1.0, 20.0), _F, "Hill exponent of the falling flank of c(t)"),
    Param("alpha", 300.0, "1", (1.0, DAY), _F, "half-rise time of c(t), minutes"),
    Param("beta", 950.0, "1", (1.0, DAY), _F, "half-fall time before T of c(t), minutes"),
    Param("eps", 0.01, "1", (0.0, 1.0), _F, "baseline of c(t)"),
)
INPUTS = (Input("stress", 0.0, "1", "relative extra CRH drive: c(t) x (1 + stress)"),)

VARIANTS: dict[str, dict[str, float]] = {
    "patient_f": {},
    # N_c exactly as coded in [3] (max c(t) = 0.27 instead of 1)
    "as_coded": {"N_c": 0.5217},
    # "parameters for hypercortisolemic patients" in [4]
    "hypercortisolemic": {
        "a0": 1.31e-1,
        "a1": 1.29e13,
        "a5": 3.03e-4,
        "w1": 4.57e-2,
        "w2": 1.46e-2,
        "w3": 2.10e-2,
        "delta": 20.1,
    },
}


def circadian_drive(t: Any, p: Any, xp: Any = np) -> Any:
    r"""Circadian CRH drive ``c(t)`` of Gudmand-Hoeyer 2014 / Bangsgaard & Ottesen 2017.

    Parameters
    ----------
    t : float or ndarray
        Time in minutes after midnight (any real value; the drive repeats every 1440 min).
    p : NamedTuple
        Model parameters (``N_c``, ``k``, ``l``, ``alpha``, ``beta``, ``eps``, ``delta``), e.g.
        ``MODEL.default_params()``.
    xp : module, default numpy
        Array namespace.

    Returns
    -------
    float or ndarray
        Dimensionless drive; with the default ``N_c`` its daily maximum is 1.

    Notes
    -----
    .. math::
        c(t) = N_c\left[\frac{t_m^k}{t_m^k + \alpha^k}
        \frac{(T - t_m)^l}{(T - t_m)^l + \beta^l} + \varepsilon\right],\quad
        t_m = (t - \delta) \bmod T,\ T = 1440\ \mathrm{min}.

    References
    ----------
    .. [1] Bangsgaard EO, Ottesen JT. Math Biosci. 2017;287:24-35.
    .. [2] Gudmand-Hoeyer J, Timmermann S, Ottesen JT. Math Biosci. 2014;257:23-32.

    Examples
    --------
    >>> p = MODEL.default_params()
    >>> t = np.linspace(0.0, 1440.0, 14401)
    >>> round(float(circadian_drive(t, p).max()), 4)
    1.0
    >>> round(float(circadian_drive(83.8, p)), 4)  # at t_m = 0 only the baseline remains
    0.0192
    """
    shifted = t - p.delta
    tm = shifted - DAY * xp.floor(shifted / DAY)  # (t - delta) mod T, traceable to SBML
    rise = tm**p.k / (tm**p.k + p.alpha**p.k)
    fall = (DAY - tm) ** p.l / ((DAY - tm) ** p.l + p.beta**p.l)
    return p.N_c * (rise * fall + p.eps)


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """Model of [1] as coded in [3]; ``y`` has shape (3,) or (3, n_subjects)."""
    c, a, o = y
    drive = circadian_drive(t, p, xp) * (1 + u.stress)
    d_c = p.a0 + drive * p.a1 / (1 + p.a2 * o**2) * c / (p.mu + c) - p.w1 * c  # CRH
    d_a = p.a3 * c / (1 + p.a4 * o) - p.w2 * a  # ACTH
    d_o = p.a5 * a**2 - p.w3 * o  # cortisol
    return d_c, d_a, d_o


MODEL = ModelSpec(
    name="bangsgaard2017",
    axis="hpa",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="min",
    references=(BANGSGAARD2017, GUDMAND2014, VEVAPY, VEVAPY_REDO),
    description=(
        "Patient-specific CRH-ACTH-cortisol model with a circadian CRH drive and positive CRH "
        "self-feedback, fitted to 24-h Carroll 2007 profiles (control patient f by default)."
    ),
)
