r"""HPA–immune extension of the coupled network: IL-6, glucocorticoid suppression, endotoxin.

An immune block (:data:`IMMUNE`, prefix ``imm``) is composed with the coupled network
(:mod:`neuroendo.models.net.network2026`, whose components and couplings are reused unchanged)
by :func:`~neuroendo.models.compose`. The block is a reduced form of the inflammatory pathway of
Somvanshi et al. [1]_ (endotoxin -> phagocytes -> delayed phagocyte signal -> IL-6, with
glucocorticoid receptor (GR) mediated suppression and a GR-sensitivity parameter), read in the
authors' MATLAB code ``HPA_INFLAM.m`` [2]_ and in the public notebook ``Somvanshi-2020.ipynb``
(cell "authors' listed parameter values") [3]_. Time is in hours.

States (block): endotoxin ``lps`` (ng/kg, body-weight normalised amount), activated phagocytes
``phg`` and their delayed signal ``phg1`` (both dimensionless, 0 at rest), and plasma ``il6``
(pg/mL). Inputs (ports): ``endotoxin`` (rate, ng/kg/h; see
:func:`neuroendo.models.inputs.endotoxin`, re-exported here) and ``cortisol``
(the glucocorticoid signal seen by immune cells, in sriram2012 model units, default 0).

.. math::
    \dot L &= e(t) - k_{lps} L \\
    \dot P &= k_{act} L - k_{phg} P \\
    \dot P_1 &= (P - P_1)/t_p \\
    \dot I &= I_b + V_{il6}\,\frac{P_1}{K_{phg} + P_1}\,S_{gc} - k_{il6} I, \qquad
    S_{gc} = \frac{1}{1 + \sigma_{GR}\,c/K_{gc}}

with :math:`c` the ``cortisol`` port and :math:`\sigma_{GR}` the GR sensitivity
(``gr_sensitivity``; 1 = normal, < 1 = GR resistance, > 1 = enhanced sensitivity as in PTSD
[1]_). Taken from [2]_ [3]_: the phagocyte decay :math:`k_{phg}` = 1.439 /h, the lag
:math:`t_p` = 1.5 h (``dy(14) = (Phg - Phg1)/tp``), basal IL-6 production :math:`I_b` = 1.5
pg/mL/h (``il6_b``) and IL-6 clearance :math:`k_{il6}` = 1.625 /h, and the structure of the
IL-6 equation ``dy(18) = il6_b + Phg1/(Km_phg3 + Phg1)*(...) - k_il6*IL6`` (basal production not
GR-suppressed). Simplifications (**not** in [1]_): TNF, IL-10 and TGF-β are not modelled
(in [1]_ GR suppresses cytokines through GR-induced TGF-β, ``V_tgf2*GR^n5/(Km_GR2^n5 + GR^n5)``,
and GR sensitivity enters as the Hill coefficient ``n = 1*(1 + r)`` and the inhibitory constant
``Ki``); here glucocorticoid suppression is one hyperbolic factor on stimulated IL-6
production, and :math:`\sigma_{GR}` plays the role of :math:`1/K_i`. Endotoxin is cleared
first order (in [1]_ by phagocytes, ``k_lps*LPS*Phg``). The values of :math:`k_{lps}`,
:math:`k_{act}`, :math:`V_{il6}`, :math:`K_{phg}` and :math:`K_{gc}` are **calibration
choices** ([1]_ uses phagocyte counts of order 1e5-1e7 that do not carry over): for a 2 ng/kg
bolus they give an IL-6 peak of about 1000 pg/mL 2 h after the bolus, as reported for human
experimental endotoxemia (2 ng/kg *E. coli* O113 LPS: IL-6 about 1000 pg/mL at 2 h, TNF and IL-6
peaking at 2 h [4]_). With the lag :math:`t_p` = 1.5 h of [1]_ the decline is slower than the
return to baseline by 4-6 h reported in [4]_ (IL-6 is still ~18 % of its peak 6 h after the
bolus).

Couplings with the HPA block (``hpa`` = sriram2012):

* IL-6 -> CRH (``imm_il6`` -> ``hpa_stress``, additive to sriram2012's stress port, i.e.
  CRH production :math:`\times (1 + \ldots + c_{il6,crh}\,(I - I_0))`): strength
  ``c_il6_crh`` (mL/pg), neutral at the basal IL-6 ``x0_il6`` = :math:`I_b/k_{il6}`. [1]_ has
  the same multiplicative form :math:`(1 + V_{crh}\,\mathrm{TNF})` on CRH production, with TNF
  as the cytokine; IL-6 stimulation of CRH/ACTH release is reported in humans [6]_.
* IL-6 -> ACTH (``imm_il6`` -> ``hpa_acth_secretion``, sriram2012's ACTH port, multiplying ACTH
  production by :math:`(1 + c_{il6,acth}\,I)/(1 + c_{il6,acth}\,I_0)`, neutral at
  ``x0_il6``): strength ``c_il6_acth`` (mL/pg). Direction as in Malek et al. [5]_ (cytokines
  stimulate the pituitary); in men given endotoxin, IL-6 and TNF rise with ACTH and cortisol and
  are thought to stimulate the HPA axis at the hypothalamic and, to a lesser degree, the
  pituitary level [8]_.
* cortisol -> IL-6 suppression (``hpa_cortisol`` -> ``imm_cortisol``, linear gain
  ``c_cort_il6``, dimensionless): feeds :math:`c` above.

The values ``c_il6_crh`` = ``c_il6_acth`` = 0.002 mL/pg are **calibration choices**: with them
the hypothalamic route carries the larger share of the cortisol response (as suggested by
[8]_), and cortisol rises by about 40 % of its 12 h mean. With ``c_il6_crh = c_il6_acth =
c_cort_il6 = 0`` (variant ``"immune_uncoupled"``) the network states follow the network model
exactly (the composed rhs of the network components is bitwise the network's), and the immune
block runs with no glucocorticoid suppression.

Expected behaviour [derived]: after a 2 ng/kg endotoxin bolus given at the peak of sriram2012's
cortisol rhythm after a 24 h burn-in (model "morning", as in human protocols), IL-6 peaks 2 h
after the bolus; cortisol rises above its no-endotoxin trajectory and its excess peaks about
8.4 h after the bolus, after the IL-6 peak; lower GR sensitivity gives a larger and longer IL-6
response (area and time above baseline), as reported for GR resistance [1]_ [7]_.

Timing limitation. In humans ACTH and cortisol rise within 1-2 h of endotoxin and fall back over
the following hours [8]_; a cortisol peak about 3-4 h after a 2 ng/kg bolus is typical [recall].
The model cannot reach this with sriram2012's published parameters: ACTH clearance is
Michaelis-Menten with :math:`K_{m2}` = 0.112 model units, far below the ACTH level of the
morning phase (~2-6 units), so it is almost zero-order and its local first-order rate
:math:`V_{S4}K_{m2}/(K_{m2}+y)^2 + K_{d2}` is ~0.03 /h (half-life ~20 h, against minutes for
plasma ACTH). Extra ACTH secretion therefore accumulates for as long as IL-6 is raised, the ACTH
excess peaks ~6.5 h after the bolus and the cortisol excess (first-order clearance
:math:`K_{d3}` = 0.356 /h) about 2 h later. The timing hardly depends on how the drive is split
between the CRH and the ACTH route (8.3-8.4 h for equal cortisol excess); weaker couplings move
it earlier only slightly (to ~7.7 h for a vanishing ACTH coupling), stronger ones later. The
response also depends strongly on the phase of sriram2012's autonomous rhythm: a bolus 4 h or
12 h after the model cortisol peak gives a 2.4-fold or ~27-fold larger cortisol excess (the latter
shifts the rhythm itself); compare the twofold larger ACTH and cortisol responses to evening than
to morning endotoxin in humans [9]_.

References
----------
.. [1] Somvanshi PR, Mellon SH, Yehuda R, Flory JD, Makotkine I, Bierer L, Marmar C, Jett M,
   Doyle FJ 3rd. Role of enhanced glucocorticoid receptor sensitivity in inflammation in PTSD:
   insights from computational model for circadian-neuroendocrine-immune interactions. Am J
   Physiol Endocrinol Metab. 2020;319(1):E48-E66 [journal, volume and pages recall].
.. [2] Somvanshi PR. MATLAB function ``HPA_INFLAM.m`` (authors' code for [1]; header: "Role of
   enhanced glucocorticoid receptor sensitivity in inflammation in PTSD ..."), "Inflammatory
   pathway", "Validation paramset 2 for 0.4 ng/kg @ 2 PM" (public code, read for this module).
.. [3] Parker C. VeVaPy, notebook ``Somvanshi-2020.ipynb``, cell "authors' listed parameter
   values" (``k_il6 = 1.625``, ``il6_b = 1.5``, ``tp = 1.5``, ``k_phg = 1.439``, ``V_crh``),
   github.com/cparker-uc/VeVaPy.
.. [4] Copeland S, Warren HS, Lowry SF, Calvano SE, Remick D. Acute inflammatory response to
   endotoxin in mice and humans. Clin Diagn Lab Immunol. 2005;12(1):60-67.
   doi:10.1128/CDLI.12.1.60-67.2005 (abstract, PMC540200: 2 ng/kg gives IL-6 ~1000 pg/mL 2 h
   after injection; TNF and IL-6 peak at 2 h and return to baseline by 4-6 h).
.. [5] Malek H, Ebadzadeh MM, Safabakhsh R, Razavi A, Zaringhalam J. Dynamics of the HPA axis
   and inflammatory cytokines: insights from mathematical modeling. Comput Biol Med.
   2015;67:1-12. doi:10.1016/j.compbiomed.2015.09.018 (IL-6 stimulates ACTH/cortisol, cortisol
   suppresses cytokines; equations not read for this module).
.. [6] Mastorakos G, Chrousos GP, Weber JS. Recombinant interleukin-6 activates the
   hypothalamic-pituitary-adrenal axis in humans. J Clin Endocrinol Metab. 1993;77(6):1690-1694
   [recall].
.. [7] Silverman MN, Sternberg EM. Glucocorticoid regulation of inflammation and its functional
   correlates: from HPA axis to glucocorticoid receptor dysfunction. Ann N Y Acad Sci.
   2012;1261:55-63 [recall].
.. [8] Schreiber W, Pollmächer T, Fassbender K, Gudewill S, Vedder H, Wiedemann K, Galanos C,
   Holsboer F. Endotoxin- and corticotropin-releasing hormone-induced release of ACTH and
   cortisol. A comparative study in men. Neuroendocrinology. 1993;58(1):123-128. PMID 8264845
   (abstract: 0.4 ng/kg *S. abortus equi* endotoxin; delayed and prolonged ACTH and cortisol
   rise compared with CRH, cortisol 113 ± 51 min from baseline to peak and 278 ± 76 min from
   peak back to baseline; IL-6 peak 124 ± 109 pg/mL).
.. [9] Pollmächer T, Mullington J, Korth C, Schreiber W, Hermann D, Orth A, Galanos C,
   Holsboer F. Diurnal variations in the human host response to endotoxin. J Infect Dis.
   1996;174(5):1040-1045. doi:10.1093/infdis/174.5.1040 [author list recall; abstract read].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State
from neuroendo.models._compose import Coupling, compose
from neuroendo.models.inputs import endotoxin
from neuroendo.models.net import network2026 as _net

__all__ = ["COUPLINGS", "IMMUNE", "MODEL", "STRENGTHS", "VARIANTS", "endotoxin", "immune_rhs"]

SOMVANSHI2020 = Ref(
    "somvanshi2020",
    where="HPA_INFLAM.m, inflammatory pathway",
    citation=(
        "Somvanshi PR et al. Am J Physiol Endocrinol Metab. 2020;319(1):E48-E66 [recall]; "
        "authors' code HPA_INFLAM.m."
    ),
)
VEVAPY_SOMVANSHI = Ref("vevapy", where="Somvanshi-2020.ipynb, authors' listed parameter values")
COPELAND2005 = Ref(
    "copeland2005",
    doi="10.1128/CDLI.12.1.60-67.2005",
    citation="Copeland S et al. Clin Diagn Lab Immunol. 2005;12(1):60-67.",
)
SCHREIBER1993 = Ref(
    "schreiber1993",
    citation=(
        "Schreiber W et al. Endotoxin- and corticotropin-releasing hormone-induced release of "
        "ACTH and cortisol. Neuroendocrinology. 1993;58(1):123-128. PMID 8264845."
    ),
)
MALEK2015 = Ref(
    "malek2015",
    doi="10.1016/j.compbiomed.2015.09.018",
    citation="Malek H et al. Comput Biol Med. 2015;67:1-12.",
)
MASTORAKOS1993 = Ref(
    "mastorakos1993",
    citation="Mastorakos G, Chrousos GP, Weber JS. J Clin Endocrinol Metab. 1993;77:1690 [recall].",
)
#: Calibration choices of this module (see the module docstring).
CALIBRATION = Ref(
    "immune2026",
    where="calibration choice (module docstring)",
    citation="neuroendo immune2026: calibration to the timing/size of human endotoxemia.",
)

_IL6_B = 1.5  # pg/mL/h, basal IL-6 production (il6_b)
_K_IL6 = 1.625  # /h, IL-6 clearance (k_il6)
IL6_BASAL = _IL6_B / _K_IL6  # pg/mL, steady state without endotoxin

_SV = SOMVANSHI2020
_VV = VEVAPY_SOMVANSHI
_CAL = CALIBRATION
STATES = (
    State("lps", 0.0, "ng/kg", "plasma endotoxin (LPS), body-weight normalised amount"),
    State("phg", 0.0, "1", "activated phagocytes, 0 at rest"),
    State("phg1", 0.0, "1", "delayed phagocyte signal (lag t_p)"),
    State("il6", IL6_BASAL, "pg/mL", "plasma interleukin-6"),
)
PARAMS = (
    Param("k_lps", 6.0, "/h", (0.1, 50.0), _CAL, "endotoxin elimination rate"),
    Param("k_act", 1.0, "kg/ng/h", (1e-3, 1e3), _CAL, "phagocyte activation per endotoxin"),
    Param("k_phg", 1.439, "/h", (0.1, 10.0), _VV, "phagocyte deactivation (k_phg)"),
    Param("t_p", 1.5, "h", (0.1, 10.0), _VV, "lag of the phagocyte signal (tp)"),
    Param("il6_b", _IL6_B, "pg/mL/h", (0.0, 15.0), _VV, "basal IL-6 production (il6_b)"),
    Param("V_il6", 48000.0, "pg/mL/h", (1.0, 1e5), _CAL, "maximal stimulated IL-6 production"),
    Param("K_phg", 1.0, "1", (1e-3, 1e3), _CAL, "phagocyte signal of half-maximal production"),
    Param("k_il6", _K_IL6, "/h", (0.1, 10.0), _VV, "IL-6 clearance (k_il6)"),
    Param(
        "gr_sensitivity",
        1.0,
        "1",
        (0.0, 10.0),
        _SV.at("GR sensitivity r, Ki"),
        "GR sensitivity of immune cells: 1 normal, < 1 GR resistance, > 1 enhanced",
    ),
    Param("K_gc", 24.0, "1", (0.1, 1000.0), _CAL, "cortisol (model units) of half suppression"),
)
INPUTS = (
    Input("endotoxin", 0.0, "ng/kg/h", "endotoxin (LPS) administration rate"),
    Input("cortisol", 0.0, "1", "glucocorticoid signal at immune cells (network port)"),
)


def immune_rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """Immune block (module docstring); ``y`` = (lps, phg, phg1, il6)."""
    lps, phg, phg1, il6 = y
    s_gc = 1 / (1 + p.gr_sensitivity * u.cortisol / p.K_gc)  # GR-mediated suppression
    drive = phg1 / (p.K_phg + phg1)
    d_lps = u.endotoxin - p.k_lps * lps  # dL/dt = e(t) - k_lps L
    d_phg = p.k_act * lps - p.k_phg * phg  # dP/dt = k_act L - k_phg P
    d_phg1 = (phg - phg1) / p.t_p  # dP1/dt = (P - P1)/t_p
    d_il6 = p.il6_b + p.V_il6 * drive * s_gc - p.k_il6 * il6  # dI/dt = I_b + V S_gc - k I
    return d_lps, d_phg, d_phg1, d_il6


#: The immune block (not registered on its own; composed below with prefix ``imm``).
IMMUNE = ModelSpec(
    name="immune_il6",
    axis="immune",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=immune_rhs,
    time_unit="h",
    references=(SOMVANSHI2020, VEVAPY_SOMVANSHI, COPELAND2005, CALIBRATION),
    description="Endotoxin -> phagocytes -> IL-6 with glucocorticoid suppression (reduced).",
)

X0_IL6 = Param(
    "x0_il6", IL6_BASAL, "pg/mL", (0.01, 100.0), _VV.at("il6_b/k_il6"),
    "basal IL-6 (il6_b/k_il6): the IL-6 -> CRH and IL-6 -> ACTH couplings are neutral here",
)  # fmt: skip

#: Immune couplings, applied after the network's couplings.
IMMUNE_COUPLINGS: tuple[Coupling, ...] = (
    Coupling(
        "imm_il6",
        "hpa_stress",
        "linear",
        Param(
            "c_il6_crh",
            0.002,
            "mL/pg",
            (0.0, 1.0),
            _SV.at("form (1 + V_crh*TNF) on CRH"),
            "IL-6 -> CRH drive gain (value: calibration choice)",
        ),
        ref=MASTORAKOS1993,
        mode="add",
        x0_param=X0_IL6,
        description="IL-6 stimulates CRH production (extra drive at sriram2012's stress port)",
    ),
    Coupling(
        "imm_il6",
        "hpa_acth_secretion",
        "linear",
        Param(
            "c_il6_acth",
            0.002,
            "mL/pg",
            (0.0, 1.0),
            MALEK2015.at("direction: cytokines stimulate ACTH; value: calibration choice"),
            "IL-6 -> ACTH secretion gain (value: calibration choice)",
        ),
        ref=SCHREIBER1993,
        mode="multiply",
        x0_param=X0_IL6,
        description="IL-6 stimulates pituitary ACTH secretion (sriram2012's acth_secretion port)",
    ),
    Coupling(
        "hpa_cortisol",
        "imm_cortisol",
        "linear",
        Param(
            "c_cort_il6",
            1.0,
            "1",
            (0.0, 10.0),
            _SV.at("GR suppression of cytokines"),
            "cortisol -> immune cells gain (cortisol suppression of IL-6 production)",
        ),
        ref=SOMVANSHI2020,
        mode="add",
        description="cortisol suppresses IL-6 production (through GR, gr_sensitivity)",
    ),
)

#: All couplings: the network's, then the immune ones.
COUPLINGS: tuple[Coupling, ...] = _net.COUPLINGS + IMMUNE_COUPLINGS
#: Names of the immune coupling strengths (0 = immune block uncoupled).
STRENGTHS: tuple[str, ...] = tuple(c.strength_param.name for c in IMMUNE_COUPLINGS)

MODEL = compose(
    {**_net.COMPONENTS, "imm": IMMUNE},
    COUPLINGS,
    time_unit="h",
    name="network_immune",
    inputs=tuple(i for i in _net.MODEL.inputs if i.name in ("stress", "circadian")),
    references=(MALEK2015, MASTORAKOS1993, SCHREIBER1993, *_net.MODEL.references),
    description=(
        "The coupled network plus an immune block (endotoxin -> IL-6): IL-6 drives CRH and ACTH "
        "secretion, cortisol suppresses IL-6 through GR (GR sensitivity parameter); endotoxin "
        "challenge."
    ),
    module=__name__,
)

#: Named parameter sets: ``neuroendo.models.get("network_immune", variant="gr_resistant")``.
VARIANTS: dict[str, dict[str, float]] = {
    "coupled": {},
    "immune_uncoupled": dict.fromkeys(STRENGTHS, 0.0),
    "uncoupled": dict.fromkeys(_net.STRENGTHS + STRENGTHS, 0.0),
    # illustrative: GR resistance of immune cells (direction of [1], [7]; value chosen)
    "gr_resistant": {"imm_gr_sensitivity": 0.3},
}
