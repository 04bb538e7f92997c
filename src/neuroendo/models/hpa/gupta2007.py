"""Gupta, Aslakson, Gurbaxani & Vernon (2007): HPA axis with glucocorticoid receptor.

Scaled form, eqs. 9-12 of [1]. States and time are dimensionless (time is scaled by the
cortisol clearance rate), so every unit is ``"1"``. The BioModels encoding [2] declares the time
unit as hours; the package's performance problem reads one time unit as 1 h, so a circadian
drive for this model is declared with ``time_unit="1"`` and a 24-unit period.

GR homodimerisation (the squared cortisol-GR complex in eq. 11) makes the axis bistable: with
no stress there are two stable steady states (normal, low GR; and a high-GR, hypocortisolaemic
state) separated by a saddle. A long enough stress ``F`` switches the axis to the high-GR state.

Inputs: ``stress`` is the paper's ``F(t)`` (eq. 9). ``drive`` multiplies the CRH production term
and defaults to 1, which reproduces the paper exactly; it is a package extension through which a
circadian rhythm ``D(t) = 1 + amp·cos(2π(t − phi)/24)`` enters (the package's cohort benchmark).

References
----------
.. [1] Gupta S, Aslakson E, Gurbaxani BM, Vernon SD. Inclusion of the glucocorticoid receptor in
   a hypothalamic pituitary adrenal axis model reveals bistability. Theor Biol Med Model.
   2007;4:8. doi:10.1186/1742-4682-4-8
.. [2] BioModels MODEL1006230111 (model A) and MODEL1006230036 (model B), SBML encoding by
   C. Lloyd of the CellML model (CC0).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State

GUPTA2007 = Ref(
    "gupta2007",
    doi="10.1186/1742-4682-4-8",
    citation="Gupta S, Aslakson E, Gurbaxani BM, Vernon SD. Theor Biol Med Model. 2007;4:8.",
)
BIOMODELS = Ref("biomodels_model1006230111", where="SBML rate rules and parameters")

STATES = (
    State("crh", 0.6, "1", "CRH, scaled (c)"),
    State("acth", 0.055, "1", "ACTH, scaled (a)"),
    State("gr", 0.08, "1", "pituitary glucocorticoid receptor, total, scaled (r)"),
    State("cortisol", 0.055, "1", "cortisol, scaled (o)"),
)
PARAMS = (
    Param("ki1", 0.1, "1", (1e-3, 10.0), GUPTA2007.at("eq. 9"), "cortisol inhibition of CRH"),
    Param("kcd", 1.0, "1", (1e-2, 1e2), GUPTA2007.at("eq. 9"), "CRH clearance"),
    Param("ki2", 0.1, "1", (1e-3, 10.0), GUPTA2007.at("eq. 10"), "GR-cortisol inhibition of ACTH"),
    Param("kad", 10.0, "1", (1e-1, 1e3), GUPTA2007.at("eq. 10"), "ACTH clearance"),
    Param("k", 0.001, "1", (1e-6, 1.0), GUPTA2007.at("eq. 11"), "GR dimer half-saturation"),
    Param("kcr", 0.05, "1", (1e-4, 1.0), GUPTA2007.at("eq. 11"), "basal GR synthesis"),
    Param("krd", 0.9, "1", (1e-2, 10.0), GUPTA2007.at("eq. 11"), "GR degradation"),
)
INPUTS = (
    Input("stress", 0.0, "1", "stress drive F(t), eq. 9"),
    Input("drive", 1.0, "1", "multiplier of CRH production (circadian drive); 1 in the paper"),
)


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """Eqs. 9-12 of [1]; ``y`` has shape (4,) or (4, n_subjects)."""
    crh, acth, gr, cortisol = y
    bound = cortisol * gr  # cortisol-GR complex
    d_crh = u.drive * (1 + u.stress) / (1 + cortisol / p.ki1) - p.kcd * crh  # eq. 9
    d_acth = crh / (1 + bound / p.ki2) - p.kad * acth  # eq. 10
    d_gr = bound**2 / (p.k + bound**2) + p.kcr - p.krd * gr  # eq. 11
    d_cortisol = acth - cortisol  # eq. 12
    return d_crh, d_acth, d_gr, d_cortisol


MODEL = ModelSpec(
    name="gupta2007",
    axis="hpa",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="1",
    references=(GUPTA2007, BIOMODELS),
    description=(
        "Scaled HPA model with pituitary GR homodimerisation: bistable (normal vs high-GR, "
        "hypocortisolaemic) states; prolonged stress switches the axis."
    ),
)
