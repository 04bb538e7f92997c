"""Vinther, Andersen & Ottesen (2011): the minimal model of the HPA axis.

Three ODEs (CRH ``x1``, ACTH ``x2``, cortisol ``x3``) with cortisol feedback through a Hill
function on CRH and ACTH production and first-order elimination. The paper proves that the whole
minimal-model class has a trapping region and a unique fixed point, which is stable for
physiological parameters, so the model cannot produce ultradian oscillations without extra
mechanisms (delays, further feedback). Time is in minutes; the elimination rates are
``ln 2 / half-life`` (CRH 4 min, ACTH 19.9 min, cortisol 76 min). Concentration units are those
of [1] and are not confirmed here, so states are declared dimensionless (``"1"``).

Parameter values are the authors' list as given in the public notebook [2]; the equation
structure is the paper's minimal model as summarised in the project's model reference
(consistent with those values).

References
----------
.. [1] Vinther F, Andersen M, Ottesen JT. The minimal model of the hypothalamic-pituitary-adrenal
   axis. J Math Biol. 2011;63(4):663-690. doi:10.1007/s00285-010-0384-2
.. [2] Parker C. VeVaPy, notebook ``Vinther-2011.ipynb`` (cell "authors' listed parameter
   values"), github.com/cparker-uc/VeVaPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State
from neuroendo.models._blocks import hill

VINTHER2011 = Ref(
    "vinther2011",
    doi="10.1007/s00285-010-0384-2",
    citation="Vinther F, Andersen M, Ottesen JT. J Math Biol. 2011;63(4):663-690.",
)
VEVAPY = Ref("vevapy", where="Vinther-2011.ipynb, authors' listed parameter values")

STATES = (
    State("crh", 10.0, "1", "CRH (x1)"),
    State("acth", 10.0, "1", "ACTH (x2)"),
    State("cortisol", 2.0, "1", "cortisol (x3)"),
)
PARAMS = (
    Param("k0", 1.7696, "/min", (1e-3, 1e3), VEVAPY, "CRH production rate"),
    Param("k1", 0.12734, "/min", (1e-4, 1e2), VEVAPY, "ACTH production per CRH"),
    Param("k2", 0.0013198, "/min", (1e-6, 1.0), VEVAPY, "cortisol production per ACTH"),
    Param("w1", 0.17329, "/min", (1e-3, 10.0), VEVAPY, "CRH elimination (ln2/4 min)"),
    Param("w2", 0.034832, "/min", (1e-4, 10.0), VEVAPY, "ACTH elimination (ln2/19.9 min)"),
    Param("w3", 0.0090726, "/min", (1e-5, 1.0), VEVAPY, "cortisol elimination (ln2/76 min)"),
    Param("rho", 0.5, "1", (0.0, 1.0), VEVAPY, "maximal feedback on CRH"),
    Param("mu", 0.5, "1", (0.0, 1.0), VEVAPY, "maximal feedback on ACTH"),
    Param("alpha", 3.0, "1", (1.0, 10.0), VEVAPY, "Hill coefficient of the feedback"),
    Param("c", 3.055, "1", (1e-3, 1e3), VEVAPY, "cortisol level of half-maximal feedback"),
)
INPUTS = (Input("stress", 0.0, "1", "relative extra CRH drive: k0 x (1 + stress)"),)


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """Minimal model of [1]; ``y`` has shape (3,) or (3, n_subjects)."""
    x1, x2, x3 = y
    h = hill(x3, p.c, p.alpha, xp)  # cortisol feedback h(x3)
    d_x1 = p.k0 * (1 + u.stress) * (1 - p.rho * h) - p.w1 * x1  # CRH
    d_x2 = p.k1 * (1 - p.mu * h) * x1 - p.w2 * x2  # ACTH
    d_x3 = p.k2 * x2 - p.w3 * x3  # cortisol
    return d_x1, d_x2, d_x3


MODEL = ModelSpec(
    name="vinther2011",
    axis="hpa",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="min",
    references=(VINTHER2011, VEVAPY),
    description=(
        "Minimal CRH-ACTH-cortisol model with Hill feedback: a unique, stable fixed point "
        "(no ultradian oscillation without delays)."
    ),
)
