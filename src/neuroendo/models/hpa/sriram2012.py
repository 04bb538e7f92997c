"""Sriram, Rodriguez-Fernandez & Doyle (2012): HPA axis with GR self-induction, ~24 h rhythm.

Four ODEs (CRH ``x``, ACTH ``y``, free cortisol ``z``, glucocorticoid receptor ``G``) with
Michaelis-Menten clearance, Hill-type GR inhibition of CRH and ACTH production and positive GR
self-induction. The equations are numbered 1-4 here in state order as listed in [2] (the
paper's own numbering was not checked). With the authors' parameter set the system settles on a
stable limit cycle with a period near 24 h without any external clock: an autonomous "circadian"
cortisol rhythm. Time is in hours. Concentrations are model units fitted to the Yehuda 1996
cortisol series; the paper's concentration units are not confirmed here, so states are declared
dimensionless (``"1"``) and rate constants in ``/h``.

Parameters are the authors' optimised set, as listed in the public notebook [2] ("the optimized
values that the authors got from SensSB toolbox"); the same values appear in a second script of
that repository. The equations were checked against [2].

Variants (``VARIANTS``): ``"normal"`` is the authors' set above (confirmed in [2]). The paper [1]
fits separate sets to normal, depressed and PTSD subjects (its Table 1), but those group values
could not be read for this implementation. ``"depression"`` and ``"ptsd"`` are therefore
*illustrative* sets that follow the direction the paper reports — depression: stronger
hypothalamic drive and weaker GR feedback (higher ``k_stress``, higher ``k_i``); PTSD: enhanced
GR feedback (lower ``k_i``) — and are NOT the paper's fitted values. Replace them with Table 1 of
[1] before using them quantitatively.

Network ports. The input ``cortisol_clearance`` (default 1, dimensionless) multiplies both
cortisol degradation terms of eq. 3. It is not part of [1]; it lets a coupled model
(:mod:`neuroendo.models.net.network2026`) let thyroid hormones change cortisol clearance. The
input ``acth_secretion`` (default 1, dimensionless) multiplies ACTH production in eq. 2 (the term
``K_P2 * x * inh`` becomes ``K_P2 * x * inh * acth_secretion``). It is not part of [1] either; it
lets a coupled model (:mod:`neuroendo.models.net.immune2026`) let IL-6 stimulate pituitary ACTH
release. With their defaults of 1 the published equations are unchanged (bitwise).

References
----------
.. [1] Sriram K, Rodriguez-Fernandez M, Doyle FJ III. Modeling cortisol dynamics in the
   neuro-endocrine axis distinguishes normal, depression, and post-traumatic stress disorder
   (PTSD) in humans. PLoS Comput Biol. 2012;8(2):e1002379. doi:10.1371/journal.pcbi.1002379
.. [2] Parker C. VeVaPy, notebook ``Sriram-2012.ipynb`` (parameter cell "authors' params") and
   script ``Sriram-2012.py``, github.com/cparker-uc/VeVaPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State
from neuroendo.models._blocks import hill, hill_inhibition

SRIRAM2012 = Ref(
    "sriram2012",
    doi="10.1371/journal.pcbi.1002379",
    citation=(
        "Sriram K, Rodriguez-Fernandez M, Doyle FJ III. PLoS Comput Biol. 2012;8(2):e1002379."
    ),
)
VEVAPY = Ref("vevapy", where="Sriram-2012.ipynb, authors' parameter cell")

STATES = (
    State("crh", 1.0, "1", "CRH (x)"),
    State("acth", 28.7, "1", "ACTH (y)"),
    State("cortisol", 8.6123, "1", "free cortisol (z)"),
    State("gr", 2.0, "1", "glucocorticoid receptor (G)"),
)

_P = VEVAPY
PARAMS = (
    Param("k_stress", 10.1, "/h", (1.0, 30.0), _P, "stress-driven CRH production rate"),
    Param("k_i", 1.51, "1", (0.1, 5.0), _P, "GR level for half-maximal inhibition"),
    Param("V_S3", 3.25, "/h", (0.1, 10.0), _P, "maximal CRH degradation rate"),
    Param("K_m1", 1.74, "1", (0.01, 10.0), _P, "Michaelis constant of CRH degradation"),
    Param("K_P2", 8.3, "/h", (0.1, 83.0), _P, "ACTH production rate per CRH"),
    Param("V_S4", 0.907, "/h", (0.01, 10.5), _P, "maximal ACTH degradation rate"),
    Param("K_m2", 0.112, "1", (0.001, 10.0), _P, "Michaelis constant of ACTH degradation"),
    Param("K_P3", 0.945, "/h", (0.01, 10.0), _P, "cortisol production rate per ACTH"),
    Param("V_S5", 0.00535, "/h", (1e-4, 0.1), _P, "maximal cortisol degradation rate"),
    Param("K_m3", 0.0768, "1", (0.001, 0.5), _P, "Michaelis constant of cortisol degradation"),
    Param("K_d1", 0.00379, "/h", (1e-4, 0.5), _P, "first-order CRH degradation"),
    Param("K_d2", 0.00916, "/h", (1e-4, 0.5), _P, "first-order ACTH degradation"),
    Param("K_d3", 0.356, "/h", (0.01, 5.0), _P, "first-order cortisol degradation"),
    Param("n1", 5.43, "1", (1.0, 15.0), _P, "Hill coefficient of GR self-induction"),
    Param("n2", 5.1, "1", (1.0, 15.0), _P, "Hill coefficient of GR inhibition"),
    Param("K_b", 0.0202, "/h", (1e-3, 0.5), _P, "cortisol-driven GR formation rate"),
    Param("G_tot", 3.28, "1", (0.02, 45.0), _P, "total GR"),
    Param("V_S2", 0.0509, "/h", (1e-4, 7.0), _P, "maximal GR self-induction rate"),
    Param("K1", 0.645, "1", (0.02, 7.0), _P, "GR level for half-maximal self-induction"),
    Param("K_d5", 0.0854, "/h", (0.004, 0.9), _P, "GR degradation"),
)
INPUTS = (
    Input("stress", 0.0, "1", "relative extra CRH drive: production x (1 + stress)"),
    Input(
        "cortisol_clearance",
        1.0,
        "1",
        "multiplier of cortisol degradation (network port; 1 = published model)",
    ),
    Input(
        "acth_secretion",
        1.0,
        "1",
        "multiplier of ACTH production (network port; 1 = published model)",
    ),
)

VARIANTS: dict[str, dict[str, float]] = {
    # confirmed: the authors' optimised set [2]
    "normal": {},
    # illustrative, direction only (see module docstring): more drive, weaker GR feedback
    "depression": {"k_stress": 12.0, "k_i": 1.6},
    # illustrative, direction only: enhanced GR feedback
    "ptsd": {"k_i": 1.4},
}


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """Eqs. 1-4 (state order, as listed in [2]); ``y`` has shape (4,) or (4, n_subjects)."""
    x, acth, z, g = y
    inh = hill_inhibition(g, p.k_i, p.n2, xp)  # GR feedback on CRH and ACTH
    d_x = p.k_stress * (1 + u.stress) * inh - p.V_S3 * x / (p.K_m1 + x) - p.K_d1 * x  # eq. 1
    sec = u.acth_secretion  # network port, 1 in the published model
    d_y = p.K_P2 * x * inh * sec - p.V_S4 * acth / (p.K_m2 + acth) - p.K_d2 * acth  # eq. 2
    clr = u.cortisol_clearance  # network port, 1 in the published model
    d_z = p.K_P3 * acth - clr * (p.V_S5 * z / (p.K_m3 + z)) - clr * (p.K_d3 * z)  # eq. 3
    d_g = p.K_b * z * (p.G_tot - g) + p.V_S2 * hill(g, p.K1, p.n1, xp) - p.K_d5 * g  # eq. 4
    return d_x, d_y, d_z, d_g


MODEL = ModelSpec(
    name="sriram2012",
    axis="hpa",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="h",
    references=(SRIRAM2012, VEVAPY),
    description=(
        "HPA model with GR self-induction whose limit cycle gives an autonomous ~24 h cortisol "
        "rhythm; parameter sets for normal, depressed and PTSD groups."
    ),
)
