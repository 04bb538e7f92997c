r"""Smith (1980): male LHRH-LH-testosterone feedback loop (Goodwin-type, linear feedback).

Three ODEs for luteinising-hormone-releasing hormone (LHRH = GnRH, ``R``), LH (``L``) and
testosterone (``T``) [1]_. Hypothalamic LHRH secretion falls linearly with testosterone and is
switched off (Heaviside function) when testosterone exceeds ``c/h``, so secretion is never
negative; LH and testosterone are produced in proportion to their upstream hormone; all three are
cleared first-order. Concentrations in ng/mL, time in hours. Parameter values and the exogenous
influx rates ``wR``, ``wL``, ``wT`` follow the public MATLAB implementation [2]_, which cites
Smith 1980 for them.

Behaviour. The loop gain decides stability: the equilibrium is stable iff
:math:`h g_1 g_2 + b_1 b_2 b_3 < (b_1 + b_2 + b_3)(b_1 b_2 + b_1 b_3 + b_2 b_3)`
(Routh-Hurwitz for the linear part), i.e. ``h`` < 2.04 per h with the other published values.
With the published ``h`` = 12 the equilibrium is an unstable focus and the Heaviside switch
bounds a sustained, pulsatile oscillation (period about 1.7 h); with ``h`` = 1 (the value used
by Ruan & Wei 2001 [3]_ before adding a delay; variant ``"weak_feedback"``) the unique
equilibrium is globally attracting and the loop does not oscillate. Castration is the variant
``"castration"`` (``g2`` = 0: no testosterone production).

Network port. The input ``lhrh_secretion`` (``s``, default 1, dimensionless) multiplies the
switched LHRH secretion term; it is not part of [1]_ and lets a coupled model
(:mod:`neuroendo.models.net.network2026`) let cortisol suppress GnRH secretion. With its default of
1 the published equations are unchanged (bitwise); :func:`equilibrium` accepts it too.

References
----------
.. [1] Smith WR. Hypothalamic regulation of pituitary secretion of luteinizing hormone. II.
   Feedback control of gonadotropin secretion. Bull Math Biol. 1980;42(1):57-78.
   doi:10.1007/BF02462366
.. [2] Gasparek M. testosterone_modeling (MATLAB, 2019), github.com/miroslavgasparek/
   testosterone_modeling, ``subroutines/test_model_parameters.m`` and ``test_ode_pulse.m``.
.. [3] Ruan S, Wei J. On the zeros of a third degree exponential polynomial with applications
   to a delayed model for the control of testosterone secretion. IMA J Math Appl Med Biol.
   2001;18(1):41-52.
   doi:10.1093/imammb/18.1.41
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError
from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State
from neuroendo._core.validation import as_float_array

__all__ = ["MODEL", "VARIANTS", "equilibrium", "rhs"]

SMITH1980 = Ref(
    "smith1980",
    doi="10.1007/BF02462366",
    citation=(
        "Smith WR. Hypothalamic regulation of pituitary secretion of luteinizing hormone. II. "
        "Feedback control of gonadotropin secretion. Bull Math Biol. 1980;42(1):57-78."
    ),
)
GASPAREK2019 = Ref(
    "gasparek2019",
    where="subroutines/test_model_parameters.m",
    citation="Gasparek M. github.com/miroslavgasparek/testosterone_modeling (2019).",
)
RUANWEI2001 = Ref(
    "ruanwei2001",
    doi="10.1093/imammb/18.1.41",
    citation="Ruan S, Wei J. IMA J Math Appl Med Biol. 2001;18(1):41-52.",
)

_RATE = "ng/(mL.h)"

STATES = (
    State("gnrh", 1.0, "ng/mL", "LHRH (GnRH), R"),
    State("lh", 10.0, "ng/mL", "luteinising hormone, L"),
    State("testosterone", 5.0, "ng/mL", "testosterone, T"),
)
PARAMS = (
    Param("c", 100.0, _RATE, (1.0, 1000.0), GASPAREK2019, "maximal LHRH secretion rate"),
    Param("h", 12.0, "/h", (0.0, 100.0), GASPAREK2019, "testosterone inhibition of LHRH"),
    Param("g1", 10.0, "/h", (0.1, 100.0), GASPAREK2019, "LH secretion per LHRH"),
    Param("g2", 0.7, "/h", (0.0, 7.0), GASPAREK2019, "T secretion per LH (0 = castration)"),
    Param("b1", 1.29, "/h", (0.129, 12.9), GASPAREK2019, "LHRH clearance"),
    Param("b2", 0.97, "/h", (0.097, 9.7), GASPAREK2019, "LH clearance"),
    Param("b3", 1.39, "/h", (0.139, 13.9), GASPAREK2019, "testosterone clearance"),
)
INPUTS = (
    Input("wR", 0.0, _RATE, "exogenous LHRH influx (inside the switched secretion term)"),
    Input("wL", 0.0, _RATE, "exogenous LH influx"),
    Input("wT", 0.0, _RATE, "exogenous testosterone influx"),
    Input(
        "lhrh_secretion",
        1.0,
        "1",
        "multiplier of the switched LHRH secretion term (network port; 1 = published model)",
    ),
)


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """Smith 1980 loop [1]_; ``y`` has shape (3,) or (3, n_subjects), time in h.

    References
    ----------
    .. [1] Smith WR. Bull Math Biol. 1980;42:57-78.
    """
    r, lh, t_ = y
    drive = u.wR + p.c - p.h * t_  # LHRH secretion before the Heaviside switch
    secretion = xp.where(drive > 0 * drive, drive, 0 * drive)  # (.) H(.): never negative
    secretion = u.lhrh_secretion * secretion  # network port, 1 in the published model
    d_r = secretion - p.b1 * r  # dR/dt = s (c + wR - hT) H(c + wR - hT) - b1 R, s = 1 in [1]
    d_lh = u.wL + p.g1 * r - p.b2 * lh  # dL/dt = wL + g1 R - b2 L
    d_t = u.wT + p.g2 * lh - p.b3 * t_  # dT/dt = wT + g2 L - b3 T
    return d_r, d_lh, d_t


MODEL = ModelSpec(
    name="smith1980",
    axis="hpg",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="h",
    references=(SMITH1980, GASPAREK2019, RUANWEI2001),
    description=(
        "Male LHRH-LH-testosterone Goodwin-type loop with linear, Heaviside-clipped "
        "testosterone feedback (ng/mL, h); oscillates for strong feedback (h > 2.04/h)."
    ),
)

#: Named parameter sets: ``neuroendo.models.get("smith1980", variant="castration")``.
VARIANTS: dict[str, dict[str, float]] = {
    "castration": {"g2": 0.0},
    "weak_feedback": {"h": 1.0},
}

_NAMES = ("c", "h", "g1", "g2", "b1", "b2", "b3", "wR", "wL", "wT", "lhrh_secretion")


def equilibrium(
    params: Mapping[str, ArrayLike] | None = None,
) -> dict[str, NDArray[np.float64] | float]:
    r"""Return the unique equilibrium of the Smith 1980 loop (ng/mL), in closed form.

    Parameters
    ----------
    params : mapping, optional
        Overrides of the parameters (``c`` in ng/(mL·h), the rates in 1/h) and of the constant
        inputs ``wR``, ``wL``, ``wT`` (ng/(mL·h)) and ``lhrh_secretion`` (``s``, dimensionless);
        scalars or arrays (one value per subject).

    Returns
    -------
    dict
        ``{"gnrh", "lh", "testosterone", "stable"}``: concentrations in ng/mL and whether the
        linearisation is stable (``True`` also when LHRH secretion is switched off, where the
        system is linear with negative real eigenvalues). Floats for scalar input.

    Raises
    ------
    DataValidationError
        If a name is unknown or a clearance rate is not positive.

    Notes
    -----
    With :math:`K = s g_1 g_2 / (b_1 b_2 b_3)` (``s`` = ``lhrh_secretion``, 1 in [1]_) and
    :math:`A = (w_T + g_2 w_L / b_2)/b_3`,

    .. math::
        T^* = \frac{A + K (c + w_R)}{1 + K h} \ \text{if}\ c + w_R - h T^* > 0,
        \quad \text{else}\ T^* = A,

    then :math:`R^* = s \max(c + w_R - h T^*, 0)/b_1`, :math:`L^* = (w_L + g_1 R^*)/b_2`. The
    equilibrium is stable iff :math:`s h g_1 g_2 + b_1 b_2 b_3 < (b_1+b_2+b_3)(b_1 b_2 + b_1 b_3
    + b_2 b_3)` (Routh-Hurwitz) when secretion is on.

    References
    ----------
    .. [1] Smith WR. Bull Math Biol. 1980;42:57-78.

    Examples
    --------
    >>> eq = equilibrium({"h": 1.0})
    >>> round(eq["testosterone"], 3), eq["stable"]
    (80.098, True)
    >>> equilibrium()["stable"]
    False
    """
    vals: dict[str, Any] = {p.name: p.value for p in PARAMS} | {i.name: i.default for i in INPUTS}
    for key, value in dict(params or {}).items():
        if key not in vals:
            raise DataValidationError(
                f"equilibrium: unknown parameter {key!r}; use one of {', '.join(_NAMES)}."
            )
        vals[key] = as_float_array(key, value)
    v = {k: np.asarray(vals[k], dtype=np.float64) for k in _NAMES}
    for k in ("b1", "b2", "b3"):
        if np.any(v[k] <= 0):
            raise DataValidationError(
                f"equilibrium: clearance {k!r} must be > 0, got {vals[k]!r}; pass a positive rate."
            )
    gain = v["lhrh_secretion"] * v["g1"] * v["g2"] / (v["b1"] * v["b2"] * v["b3"])
    base = (v["wT"] + v["g2"] * v["wL"] / v["b2"]) / v["b3"]
    t_on = (base + gain * (v["c"] + v["wR"])) / (1 + gain * v["h"])
    on = v["c"] + v["wR"] - v["h"] * t_on > 0
    t_eq = np.where(on, t_on, base)
    r_eq = v["lhrh_secretion"] * np.maximum(v["c"] + v["wR"] - v["h"] * t_eq, 0.0) / v["b1"]
    l_eq = (v["wL"] + v["g1"] * r_eq) / v["b2"]
    a2 = v["b1"] + v["b2"] + v["b3"]
    a1 = v["b1"] * v["b2"] + v["b1"] * v["b3"] + v["b2"] * v["b3"]
    a0 = v["b1"] * v["b2"] * v["b3"] + v["lhrh_secretion"] * v["h"] * v["g1"] * v["g2"]
    stable = np.where(on, a2 * a1 > a0, True)
    out: dict[str, Any] = {"gnrh": r_eq, "lh": l_eq, "testosterone": t_eq, "stable": stable}
    return {
        k: (bool(x) if k == "stable" else float(x)) if np.ndim(x) == 0 else np.asarray(x)
        for k, x in out.items()
    }
