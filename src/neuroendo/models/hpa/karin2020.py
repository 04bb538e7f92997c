"""Karin et al. (2020) / Milo et al. (2025): HPA axis with pituitary and adrenal gland masses.

Five ODEs: CRH ``x1``, ACTH ``x2`` and cortisol ``x3`` (all normalised so that their baseline
is about 1) plus the functional masses of the pituitary corticotrophs ``P`` and of the adrenal
cortex ``A``. Hormones turn over in minutes; the glands grow in proportion to their trophic
hormone (CRH for corticotrophs, ACTH for the adrenal cortex) and turn over in weeks, so the gland
masses act as slow integrators of the hormone signals. Cortisol feeds back on CRH through a
high-affinity mineralocorticoid receptor term ``MR(x) = 1/x`` and on CRH and ACTH through a
low-affinity glucocorticoid receptor term ``GR(x) = 1/(1 + (x/K_GR)^n)``. Time is in **days**;
the hormone removal rates are ``ln 2 / half-life`` (CRH 4 min, ACTH 20 min, cortisol 80 min)
converted to 1/d.

Consequences checked in the tests: (i) at steady state the gland equations pin CRH and ACTH to
``x1 = 1/(1 - P/K_P)`` and ``x2 = 1/(1 - A/K_A)`` (≈ 1 for the huge carrying capacities used),
*independently of the drive* ``u`` ("dynamical compensation"), while cortisol solves
``x3 (1 + (x3/K_GR)^n) = u`` — proportional to ``u`` when GR is not engaged and sub-linear
through the GR term; (ii) after weeks of raised drive the enlarged adrenal keeps cortisol above
and the suppressed CRH keeps ACTH below baseline for weeks to months after the drive returns to
normal, recovering on the gland timescale.

Gland turnover: the default is Karin 2020's ``gamma_P = ln 2/7 d`` and ``gamma_A = ln 2/14 d``
(stated in the Milo notebook [3], "Omer used np.log(2)/7 ... /14"); the variant ``"milo2025"``
uses ``ln 2/20 d`` and ``ln 2/30 d`` (the notebook's defaults, after Nolan et al. and Kataoka et
al.). All other values are the notebook's ``DEFAULT_PARS`` [3], equations as ``HPA_full`` [3].

Drug hooks (parameters, default 1 = no drug): ``C1``-``C3`` receptor agonist (> 1) /
antagonist (< 1) factors for the CRH, ACTH and cortisol receptors; ``I1``-``I3`` synthesis
inhibitors (< 1); ``A1``-``A3`` neutralising antibodies (> 1, faster removal). Inputs: the drive
``u(t)`` (stress x circadian, default 1) and adenoma secretion ``TP``/``TA`` (default 0, in
normalised units per day). Hormones are dimensionless (``"1"``): multiply by a person's baseline
(e.g. morning cortisol in nmol/L) to obtain physical units.

References
----------
.. [1] Karin O, Raz M, Tendler A, Bar A, Korem Kohanim Y, Milo T, Alon U. A new model for the
   HPA axis explains dysregulation of stress hormones on the timescale of weeks. Mol Syst Biol.
   2020;16(7):e9510. doi:10.15252/msb.20209510
.. [2] Milo T, Nir Halber S, Raz M, Danan D, Mayo A, Alon U. Hormone circuit explains why most
   HPA drugs fail for mood disorders and predicts the few that work. Mol Syst Biol.
   2025;21(3):254-273. doi:10.1038/s44320-024-00083-0
.. [3] Milo T. ``hpa drugs.ipynb`` (``DEFAULT_PARS``, ``HPA_full``), github.com/tomermilo/hpa-drugs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from neuroendo._core.errors import DataValidationError
from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State
from neuroendo._core.validation import as_float_array, check_finite
from neuroendo.models._blocks import hill_inhibition

KARIN2020 = Ref(
    "karin2020",
    doi="10.15252/msb.20209510",
    citation=(
        "Karin O, Raz M, Tendler A, Bar A, Korem Kohanim Y, Milo T, Alon U. Mol Syst Biol. "
        "2020;16(7):e9510."
    ),
)
MILO2025 = Ref(
    "milo2025",
    doi="10.1038/s44320-024-00083-0",
    citation=(
        "Milo T, Nir Halber S, Raz M, Danan D, Mayo A, Alon U. Mol Syst Biol. 2025;21(3):254-273."
    ),
)
NOTEBOOK = Ref("milo2025", where="hpa drugs.ipynb, DEFAULT_PARS and HPA_full")

_LN2 = math.log(2.0)
_MIN_PER_DAY = 1440.0

STATES = (
    State("crh", 1.0, "1", "CRH, normalised to baseline (x1)"),
    State("acth", 1.0, "1", "ACTH, normalised to baseline (x2)"),
    State("cortisol", 1.0, "1", "cortisol, normalised to baseline (x3)"),
    State("pituitary_mass", 1.0, "1", "corticotroph functional mass, normalised (P)"),
    State("adrenal_mass", 1.0, "1", "adrenal cortex functional mass, normalised (A)"),
)

_N = NOTEBOOK
_K = KARIN2020.at("gland turnover as quoted in hpa drugs.ipynb ('Omer used ...')")
PARAMS = (
    Param("gamma_1", _LN2 / 4 * _MIN_PER_DAY, "/d", (10.0, 5000.0), _N, "CRH removal, ln2/4 min"),
    Param("gamma_2", _LN2 / 20 * _MIN_PER_DAY, "/d", (5.0, 1000.0), _N, "ACTH removal, ln2/20 min"),
    Param(
        "gamma_3", _LN2 / 80 * _MIN_PER_DAY, "/d", (1.0, 200.0), _N, "cortisol removal, ln2/80 min"
    ),
    Param("gamma_P", _LN2 / 7, "/d", (1e-3, 1.0), _K, "corticotroph turnover, ln2/7 d (Karin)"),
    Param("gamma_A", _LN2 / 14, "/d", (1e-3, 1.0), _K, "adrenal turnover, ln2/14 d (Karin)"),
    Param("K_GR", 4.0, "1", (1.0, 20.0), _N, "cortisol level of half-maximal GR feedback"),
    Param("n_GR", 3.0, "1", (1.0, 6.0), _N, "Hill coefficient of GR feedback"),
    Param("K_P", 1e6, "1", (2.0, 1e9), _N, "pituitary carrying capacity"),
    Param("K_A", 1e6, "1", (2.0, 1e9), _N, "adrenal carrying capacity"),
    Param("C1", 1.0, "1", (1e-3, 1e3), _N, "CRH-receptor agonist (>1) / antagonist (<1)"),
    Param("C2", 1.0, "1", (1e-3, 1e3), _N, "ACTH-receptor agonist (>1) / antagonist (<1)"),
    Param("C3", 1.0, "1", (1e-3, 1e3), _N, "cortisol-receptor agonist (>1) / antagonist (<1)"),
    Param("I1", 1.0, "1", (0.0, 10.0), _N, "CRH synthesis inhibitor (<1)"),
    Param("I2", 1.0, "1", (0.0, 10.0), _N, "ACTH synthesis inhibitor (<1)"),
    Param("I3", 1.0, "1", (0.0, 10.0), _N, "cortisol synthesis inhibitor (<1)"),
    Param("A1", 1.0, "1", (1e-3, 1e3), _N, "anti-CRH antibody, removal factor (>1)"),
    Param("A2", 1.0, "1", (1e-3, 1e3), _N, "anti-ACTH antibody, removal factor (>1)"),
    Param("A3", 1.0, "1", (1e-3, 1e3), _N, "anti-cortisol antibody, removal factor (>1)"),
)
INPUTS = (
    Input("drive", 1.0, "1", "hypothalamic drive u(t) (stress x circadian); baseline 1"),
    Input("TP", 0.0, "/d", "ACTH secretion by a pituitary adenoma (normalised units per day)"),
    Input("TA", 0.0, "/d", "cortisol secretion by an adrenal adenoma (normalised units per day)"),
)

VARIANTS: dict[str, dict[str, float]] = {
    # Karin 2020 gland turnover (the default values)
    "karin2020": {},
    # Milo 2025 gland turnover: ln2/20 d (corticotrophs), ln2/30 d (adrenal cortex) [3]
    "milo2025": {"gamma_P": _LN2 / 20, "gamma_A": _LN2 / 30},
}


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """``HPA_full`` of [3]; ``y`` has shape (5,) or (5, n_subjects)."""
    x1, x2, x3, gp, ga = y
    c3x3 = p.C3 * x3  # cortisol signal seen by the receptors
    gr = hill_inhibition(c3x3, p.K_GR, p.n_GR, xp)  # GR(x) = 1/(1 + (x/K_GR)^n)
    d_x1 = p.gamma_1 * (p.I1 * u.drive / c3x3 * gr - p.A1 * x1)  # CRH: u MR(x3) GR(x3)
    d_x2 = p.gamma_2 * (p.I2 * p.C1 * x1 * gp * gr - p.A2 * x2) + p.I2 * u.TP  # ACTH
    d_x3 = p.gamma_3 * (p.I3 * p.C2 * x2 * ga - p.A3 * x3) + p.I3 * u.TA  # cortisol
    d_gp = p.gamma_P * gp * (p.C1 * x1 * (1 - gp / p.K_P) - 1)  # corticotroph mass
    d_ga = p.gamma_A * ga * (p.C2 * x2 * (1 - ga / p.K_A) - 1)  # adrenal cortex mass
    return d_x1, d_x2, d_x3, d_gp, d_ga


def steady_state_cortisol(drive: Any, K_GR: float = 4.0, n_GR: float = 3.0) -> Any:
    r"""Steady-state normalised cortisol for a constant drive ``u`` (no drugs, no adenoma).

    Parameters
    ----------
    drive : float or array_like
        Constant hypothalamic drive ``u`` (dimensionless, baseline 1); must be positive.
    K_GR : float, default 4.0
        Half-maximal GR feedback level (normalised cortisol units).
    n_GR : float, default 3.0
        Hill coefficient of the GR feedback.

    Returns
    -------
    float or ndarray
        Cortisol ``x3`` (dimensionless, baseline units) at the fixed point.

    Raises
    ------
    DataValidationError
        If ``drive`` is not positive and finite.

    Notes
    -----
    With :math:`K_P, K_A \to \infty` the gland equations fix :math:`x_1 = x_2 = 1`, and
    :math:`\dot x_1 = 0` gives

    .. math:: x_3 \left(1 + (x_3/K_{GR})^{n}\right) = u,

    whose left side is strictly increasing, so the root is unique; it is found by Newton
    iteration from :math:`x_3 = u` (vectorised over ``drive``).

    References
    ----------
    .. [1] Karin O et al. Mol Syst Biol. 2020;16(7):e9510. doi:10.15252/msb.20209510

    Examples
    --------
    >>> round(steady_state_cortisol(1.0), 4)
    0.9853
    >>> steady_state_cortisol([1.0, 2.0]).round(4)
    array([0.9853, 1.8262])
    """
    u = as_float_array("drive", drive)
    check_finite("drive", u)
    if (u <= 0).any():
        raise DataValidationError(
            f"'drive' must be positive (baseline drive is 1); got {u[u <= 0][:3].tolist()}."
        )
    x = u.copy()
    for _ in range(60):
        f = x * (1 + (x / K_GR) ** n_GR) - u
        df = 1 + (n_GR + 1) * (x / K_GR) ** n_GR
        x = x - f / df
    return float(x) if x.ndim == 0 else x


MODEL = ModelSpec(
    name="karin2020",
    axis="hpa",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="d",
    references=(KARIN2020, MILO2025, NOTEBOOK),
    description=(
        "CRH-ACTH-cortisol with pituitary and adrenal gland masses (weeks-months timescale): "
        "dynamical compensation of CRH/ACTH and weeks-long after-effects of chronic stress."
    ),
    stiff=True,
)
