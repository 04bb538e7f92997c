r"""Coupled neuroendocrine network: HPA–HPT–HPG axes and the autonomic state around one hub.

The axes and the brain form one network: the hypothalamus turns neural signals into releasing
hormones, cortisol, thyroid hormones and sex steroids feed back on brain and pituitary, and the
axes modulate each other. This model is built **by composition** (:func:`~neuroendo.models.compose`)
of registered axis models, whose equations are used unchanged:

* ``hpa``: Sriram, Rodriguez-Fernandez & Doyle 2012 (``sriram2012``, h; autonomous ~24 h
  cortisol rhythm; states in model units);
* ``hpt``: original THYROSIM (``thyrosim``, h; amounts in µmol; explicit circadian TSH clock);
* ``hpg``: Smith 1980 male LHRH–LH–testosterone loop (``smith1980``, h; ng/mL);
* ``ans``: a two-state autonomic component declared here (:data:`ANS`, h).

All four run in hours, so no time conversion is needed. The female cycle model ``roblitz2013``
is not used by default: it runs in days with 41 states and a ~28-day cycle, has no input port
for cortisol on GnRH or for estradiol on the HPA axis yet, and a network simulation over several
cycles with the stiff THYROSIM would be slow; ``compose`` can combine it (time is converted,
``d`` ↔ ``h``) once those ports exist.

Hub. The network input ``stress`` (neural stress/arousal, dimensionless, 0 = rest) reaches the
HPA axis through sriram2012's ``stress`` port (CRH drive) and the autonomic state (sympathetic
drive, vagal withdrawal). The network input ``circadian`` (SCN drive, dimensionless, default 0;
e.g. ``inputs.circadian(0.3, 8.0, offset=0.0)``) is shared by the HPA drive and the sympathetic
drive. THYROSIM keeps its own explicit clock (model time 0 = midnight) and sriram2012 its
autonomous rhythm.

Couplings (source -> target port: form; literature for the direction). Each has a strength
parameter (``c_*`` additive gains, ``s_*`` factor strengths; 0 = off); ``x0_*`` marks a reference
level at which the factor is exactly neutral (:math:`f(x)/f(x_0)`, see
:class:`~neuroendo.models.Coupling`), so the coupled network keeps the stand-alone operating point:

* ``stress`` -> ``hpa_stress``: add :math:`c_{stress,hpa}\,x` (hub; the CRH drive of [1]_);
* ``circadian`` -> ``hpa_stress``: add :math:`c_{circ,hpa}\,x` (SCN drive of CRH, [7]_);
* ``hpa_cortisol`` -> ``hpt_tsh_secretion``: :math:`1/(1 + s (x/K)^2)`, neutral at ``x0_cort``
  (glucocorticoids suppress TSH, [4]_; form of [3]_);
* ``hpa_cortisol`` -> ``hpg_lhrh_secretion``: :math:`1/(1 + s (x/K)^2)`, neutral at ``x0_cort``
  (glucocorticoids suppress GnRH/LH centrally, [5]_);
* ``hpt_t3`` -> ``hpa_cortisol_clearance``: :math:`1 + s\,x/(K + x)`, neutral at ``x0_t3``
  (thyroid hormones increase cortisol clearance, [6]_);
* ``hpg_testosterone`` -> ``hpa_stress`` (multiplies the stress drive): :math:`1/(1 + s\,x/K)`,
  neutral at ``x0_testosterone`` (androgens damp HPA stress reactivity, [8]_ [9]_);
* ``stress`` -> ``ans_drive``: add :math:`c\,x`; ``circadian`` -> ``ans_drive``: add
  :math:`c\,x` (convention);
* ``stress`` -> ``ans_vagal_tone``: :math:`1/(1 + s\,x/K)`; ``hpa_cortisol`` ->
  ``ans_vagal_tone``: :math:`1/(1 + s (x/K)^2)`, neutral at ``x0_cort`` ([10]_).

Directions reported in the literature: glucocorticoids suppress TSH secretion (pharmacological
and maintenance hydrocortisone suppress serum TSH acutely, at a suprapituitary level [4]_;
functional form as recommended in [3]_ for cortisol on TRH/TSH); glucocorticoids contribute to
the stress-induced suppression of the HPG axis by central actions in hypothalamus and pituitary
(GnRH/LH) [5]_; thyroid hormones increase cortisol clearance (hypothyroid men have a prolonged
cortisol half-life, 155 vs 73 min, reversed by levothyroxine [6]_); androgens dampen HPA
responses to stress, estradiol enhances them [8]_ [9]_ (male network here: testosterone lowers
the gain of the stress drive, i.e. HPA *reactivity*, not its basal drive); stress withdraws
vagal tone and cortisol is inversely related to vagally mediated HRV [10]_ [recall].

**The values of the constants are calibration choices, not fitted or published numbers**: the
half-effect cortisol level ``K_cort_*`` = 24 model units is about twice the 24 h mean of
sriram2012 (11.9, ``x0_cort``), a low-affinity GR-type effect as in models.md §2.11;
``K_t3_clr`` = ``x0_t3`` is the euthyroid plasma T3 amount of THYROSIM and ``s_t3_clr`` = 2
halves cortisol clearance as T3 -> 0, the ratio of cortisol half-lives (155 vs 73 min) in
hypothyroid men [6]_; ``K_t_hpa`` = ``x0_testosterone`` is about the mean testosterone of
smith1980 (11 ng/mL). Other strengths are set to give moderate effects. Because the factors are
neutral at the reference levels, the unstressed coupled network stays close to the stand-alone
models; with every strength 0 (variant ``"uncoupled"``) each axis reproduces its stand-alone
model exactly (the composed rhs is bitwise the components' rhs). The sriram2012 initial state
gives a cortisol transient over the first day; start protocols after a burn-in of 1-2 days.

Autonomic component (:data:`ANS`; **phenomenological convention**, not a published model):
two first-order states, sympathetic tone :math:`S` and vagal tone :math:`V`, both 1 at rest,

.. math::
    \tau_S \dot S = 1 + d - S, \qquad \tau_V \dot V = v - V,

with the additive sympathetic drive port ``drive`` (:math:`d`, default 0) and the multiplicative
vagal port ``vagal_tone`` (:math:`v`, default 1). The HRV-like observable ``rmssd`` is
:math:`42\,\mathrm{ms} \times V`: RMSSD is taken proportional to vagal tone (a convention; RMSSD
is the standard time-domain index of vagally mediated HRV), scaled to the adult mean of 42 ms of
Nunan 2010 [11]_. The time constants (vagal 0.01 h, sympathetic 0.05 h: vagal effects are
faster than sympathetic ones) are conventions too.

Expected behaviour [derived]: with coupling, chronic stress (``stress`` = 0.5 or 1 from 48 h)
raises mean cortisol (about +20-26 % over days 3-10) and lowers mean TSH (-1 to -2 %), LH and
testosterone (-2 to -3 %) and RMSSD, dose-dependently, relative to the same network without
stress. The effects on TSH are small because THYROSIM's T4/T3 feedback compensates, and, as
sriram2012's stressed rhythm drifts against THYROSIM's fixed 24 h clock, daily TSH means beat
over ~2 weeks (an "escape" from suppression, cf. [4]_). With all strengths 0 the axes are
independent and equal the stand-alone models.

References
----------
.. [1] Sriram K, Rodriguez-Fernandez M, Doyle FJ III. PLoS Comput Biol. 2012;8(2):e1002379.
   doi:10.1371/journal.pcbi.1002379
.. [2] Eisenberg M, Samuels M, DiStefano JJ 3rd. Thyroid. 2008;18(10):1071-1085
   (THYROSIM); Smith WR. Bull Math Biol. 1980;42:57-78.
.. [3] neuroendo reference notes ``models.md`` §4.4 (coupled axes: multiplicative Hill factors
   on the hypothalamic secretion terms) and §2.11 (brain-side feedback terms).
.. [4] Nicoloff JT, Fisher DA, Appleman MD Jr. The role of glucocorticoids in the regulation of
   thyroid function in man. J Clin Invest. 1970;49(10):1922-1929. doi:10.1172/JCI106411
.. [5] Whirledge S, Cidlowski JA. A role for glucocorticoids in stress-impaired reproduction:
   beyond the hypothalamus and pituitary. Endocrinology. 2013;154(12):4450-4468.
   doi:10.1210/en.2013-1652
.. [6] Iranmanesh A, Lizarralde G, Johnson ML, Veldhuis JD. Dynamics of 24-hour endogenous
   cortisol secretion and clearance in primary hypothyroidism assessed before and after partial
   thyroid hormone replacement. J Clin Endocrinol Metab. 1990;70(1):155-161 (abstract read;
   volume/pages [recall]).
.. [7] Laje R, Agostino PV, Golombek DA. The times of our lives: interaction among different
   biological periodicities. Front Integr Neurosci. 2018;12:10 (code SMDynamicsLab/
   TimesOfOurLives2018, read for models.md §4.4).
.. [8] Viau V. Functional cross-talk between the hypothalamic-pituitary-gonadal and -adrenal
   axes. J Neuroendocrinol. 2002;14(6):506-513 [recall].
.. [9] Handa RJ, Weiser MJ. Gonadal steroid hormones and the hypothalamo-pituitary-adrenal axis.
   Front Neuroendocrinol. 2014;35(2):197-220. doi:10.1016/j.yfrne.2013.11.001
.. [10] Thayer JF, Sternberg E. Beyond heart rate variability: vagal regulation of allostatic
   systems. Ann N Y Acad Sci. 2006;1088:361-372 [recall].
.. [11] Nunan D, Sandercock GRH, Brodie DA. A quantitative systematic review of normal values for
   short-term heart rate variability in healthy adults. Pacing Clin Electrophysiol.
   2010;33(11):1407-1417. doi:10.1111/j.1540-8159.2010.02841.x
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroendo._core.spec import Input, ModelSpec, Observable, Param, Ref, State
from neuroendo.models._compose import Coupling, compose
from neuroendo.models.hpa.sriram2012 import MODEL as SRIRAM2012
from neuroendo.models.hpg.smith1980 import MODEL as SMITH1980
from neuroendo.models.hpt.thyrosim import MODEL as THYROSIM

__all__ = ["ANS", "COMPONENTS", "COUPLINGS", "MODEL", "STRENGTHS", "VARIANTS"]

NICOLOFF1970 = Ref(
    "nicoloff1970",
    doi="10.1172/JCI106411",
    citation="Nicoloff JT, Fisher DA, Appleman MD Jr. J Clin Invest. 1970;49(10):1922-1929.",
)
WHIRLEDGE2013 = Ref(
    "whirledge2013",
    doi="10.1210/en.2013-1652",
    citation="Whirledge S, Cidlowski JA. Endocrinology. 2013;154(12):4450-4468.",
)
IRANMANESH1990 = Ref(
    "iranmanesh1990",
    citation="Iranmanesh A et al. J Clin Endocrinol Metab. 1990;70(1):155-161 [volume recall].",
)
VIAU2002 = Ref("viau2002", citation="Viau V. J Neuroendocrinol. 2002;14(6):506-513 [recall].")
HANDA2014 = Ref(
    "handa2014",
    doi="10.1016/j.yfrne.2013.11.001",
    citation="Handa RJ, Weiser MJ. Front Neuroendocrinol. 2014;35(2):197-220.",
)
LAJE2018 = Ref(
    "laje2018",
    citation="Laje R, Agostino PV, Golombek DA. Front Integr Neurosci. 2018;12:10.",
)
THAYER2006 = Ref(
    "thayer2006",
    citation="Thayer JF, Sternberg E. Ann N Y Acad Sci. 2006;1088:361-372 [recall].",
)
NUNAN2010 = Ref(
    "nunan2010",
    doi="10.1111/j.1540-8159.2010.02841.x",
    citation="Nunan D, Sandercock GRH, Brodie DA. Pacing Clin Electrophysiol. 2010;33:1407-1417.",
)
MODELS_MD = Ref(
    "neuroendo_models_md",
    where="§4.4",
    citation="neuroendo reference notes models.md §4.4 (coupled axes) and §2.11",
)
#: Phenomenological conventions of this module (values chosen, not fitted or published).
CONVENTION = Ref(
    "network2026",
    where="calibration choice (module docstring)",
    citation="neuroendo network2026: calibration choices documented in the module docstring.",
)

_RMSSD_REST = 42.0  # ms, adult mean short-term RMSSD (Nunan 2010)

# --- autonomic component (phenomenological convention) ----------------------------------------
_ANS_STATES = (
    State("sympathetic", 1.0, "1", "sympathetic tone, 1 = rest"),
    State("vagal", 1.0, "1", "vagal (parasympathetic) tone, 1 = rest"),
)
_ANS_PARAMS = (
    Param("tau_sym", 0.05, "h", (0.005, 1.0), CONVENTION, "sympathetic time constant"),
    Param("tau_vag", 0.01, "h", (0.001, 1.0), CONVENTION, "vagal time constant"),
)
_ANS_INPUTS = (
    Input("drive", 0.0, "1", "additive sympathetic drive (network port)"),
    Input("vagal_tone", 1.0, "1", "target vagal tone, multiplicative (network port)"),
)


def ans_rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """Autonomic balance (convention, module docstring); ``y`` = (sympathetic, vagal)."""
    s, v = y
    d_s = (1 + u.drive - s) / p.tau_sym  # tau_S dS/dt = 1 + d - S
    d_v = (u.vagal_tone - v) / p.tau_vag  # tau_V dV/dt = v - V
    return d_s, d_v


#: The autonomic component: sympathetic and vagal tone as first-order states (a convention).
ANS = ModelSpec(
    name="ans_balance",
    axis="ans",
    states=_ANS_STATES,
    params=_ANS_PARAMS,
    inputs=_ANS_INPUTS,
    rhs=ans_rhs,
    time_unit="h",
    references=(CONVENTION, THAYER2006),
    observables=(
        Observable("rmssd", "vagal", _RMSSD_REST, "ms", "RMSSD = 42 ms x vagal tone (convention)"),
    ),
    description="Sympathetic and vagal tone relaxing to drives; phenomenological convention.",
)

#: Components by prefix (all in hours).
COMPONENTS: dict[str, ModelSpec] = {
    "hpa": SRIRAM2012,
    "hpt": THYROSIM,
    "hpg": SMITH1980,
    "ans": ANS,
}


def _s(name: str, value: float, ref: Ref, what: str, unit: str = "1", hi: float = 10.0) -> Param:
    return Param(
        name, value, unit, (0.0, hi), ref.at("direction; value = calibration choice"), what
    )


def _k(name: str, value: float, unit: str, ref: Ref, what: str) -> Param:
    bounds = (value / 100.0, value * 100.0)
    return Param(name, value, unit, bounds, ref.at("direction; value = calibration choice"), what)


_K_CORT = 24.0  # sriram2012 model units: ~2x its 24 h mean cortisol (11.9)
#: Reference (neutral) levels: stand-alone 24 h means, so the couplings keep the baseline.
X0_CORT = Param(
    "x0_cort", 11.9, "1", (0.1, 100.0), SRIRAM2012.references[0].at("24 h mean, simulated"),
    "reference cortisol (sriram2012 24 h mean, model units): cortisol couplings neutral here",
)  # fmt: skip
X0_T3 = Param(
    "x0_t3", 0.0063, "umol", (1e-4, 0.1), THYROSIM.references[0].at("euthyroid T3, simulated"),
    "reference plasma T3 amount (THYROSIM euthyroid mean): clearance coupling neutral here",
)  # fmt: skip
X0_T = Param(
    "x0_testosterone", 11.0, "ng/mL", (0.1, 100.0), CONVENTION,
    "reference testosterone (smith1980 mean): reactivity coupling neutral here",
)  # fmt: skip

#: Coupling terms, in the order they are applied at each port.
COUPLINGS: tuple[Coupling, ...] = (
    Coupling(
        "stress",
        "hpa_stress",
        "linear",
        _s("c_stress_hpa", 1.0, SRIRAM2012.references[0], "neural stress -> CRH drive gain"),
        ref=SRIRAM2012.references[0],
        description="hub: neural stress raises CRH production, x (1 + stress) in sriram2012",
    ),
    Coupling(
        "circadian",
        "hpa_stress",
        "linear",
        _s("c_circ_hpa", 1.0, LAJE2018, "SCN drive -> CRH drive gain"),
        ref=LAJE2018,
        description="shared circadian (SCN) drive of CRH production",
    ),
    Coupling(
        "hpa_cortisol",
        "hpt_tsh_secretion",
        "hill_inhibition",
        _s("s_cort_tsh", 1.0, NICOLOFF1970, "cortisol suppression of TRH/TSH secretion"),
        _k("K_cort_tsh", _K_CORT, "1", NICOLOFF1970, "cortisol level of the half effect (s = 1)"),
        n=2.0,
        ref=NICOLOFF1970,
        x0_param=X0_CORT,
        description="glucocorticoids suppress TSH secretion (suprapituitary)",
    ),
    Coupling(
        "hpa_cortisol",
        "hpg_lhrh_secretion",
        "hill_inhibition",
        _s("s_cort_gnrh", 1.0, WHIRLEDGE2013, "cortisol suppression of GnRH (LHRH) secretion"),
        _k("K_cort_gnrh", _K_CORT, "1", WHIRLEDGE2013, "cortisol level of the half effect"),
        n=2.0,
        ref=WHIRLEDGE2013,
        x0_param=X0_CORT,
        description="glucocorticoids suppress the HPG axis centrally (GnRH/LH)",
    ),
    Coupling(
        "hpt_t3",
        "hpa_cortisol_clearance",
        "hill_activation",
        _s("s_t3_clr", 2.0, IRANMANESH1990, "thyroid hormone increase of cortisol clearance"),
        _k("K_t3_clr", 0.0063, "umol", IRANMANESH1990, "plasma T3 of the half effect"),
        n=1.0,
        ref=IRANMANESH1990,
        x0_param=X0_T3,
        description="thyroid hormones increase cortisol clearance",
    ),
    Coupling(
        "hpg_testosterone",
        "hpa_stress",
        "hill_inhibition",
        _s("s_t_hpa", 0.5, VIAU2002, "testosterone damping of HPA stress reactivity"),
        _k("K_t_hpa", 11.0, "ng/mL", HANDA2014, "testosterone level of the half effect"),
        n=1.0,
        ref=VIAU2002,
        x0_param=X0_T,
        description="androgens dampen HPA responses to stress (reactivity)",
    ),
    Coupling(
        "stress",
        "ans_drive",
        "linear",
        _s("c_stress_sym", 1.0, THAYER2006, "neural stress -> sympathetic drive gain"),
        ref=THAYER2006,
        description="stress raises sympathetic tone",
    ),
    Coupling(
        "circadian",
        "ans_drive",
        "linear",
        _s("c_circ_sym", 0.5, CONVENTION, "SCN drive -> sympathetic drive gain"),
        ref=CONVENTION,
        description="shared circadian drive of sympathetic tone (convention)",
    ),
    Coupling(
        "stress",
        "ans_vagal_tone",
        "hill_inhibition",
        _s("s_stress_vag", 1.0, THAYER2006, "stress-induced vagal withdrawal"),
        _k("K_stress_vag", 1.0, "1", THAYER2006, "stress level of the half effect"),
        n=1.0,
        ref=THAYER2006,
        description="stress withdraws vagal tone",
    ),
    Coupling(
        "hpa_cortisol",
        "ans_vagal_tone",
        "hill_inhibition",
        _s("s_cort_vag", 0.5, THAYER2006, "cortisol-associated lower vagal tone"),
        _k("K_cort_vag", _K_CORT, "1", THAYER2006, "cortisol level of the half effect"),
        n=2.0,
        ref=THAYER2006,
        x0_param=X0_CORT,
        description="high cortisol goes with low vagally mediated HRV",
    ),
)

#: Names of all coupling strengths (0 = uncoupled).
STRENGTHS: tuple[str, ...] = tuple(c.strength_param.name for c in COUPLINGS)

MODEL = compose(
    COMPONENTS,
    COUPLINGS,
    time_unit="h",
    name="network",
    inputs=(
        Input("stress", 0.0, "1", "neural stress/arousal at the hypothalamic hub, 0 = rest"),
        Input("circadian", 0.0, "1", "shared circadian (SCN) drive, 0 = none"),
    ),
    references=(MODELS_MD, HANDA2014, NUNAN2010, CONVENTION),
    description=(
        "Coupled HPA (sriram2012), HPT (thyrosim), male HPG (smith1980) and autonomic network "
        "with a neural stress hub and shared circadian drive; literature-directed couplings."
    ),
    module=__name__,
)

#: Named parameter sets: ``neuroendo.models.get("network", variant="uncoupled")``.
VARIANTS: dict[str, dict[str, float]] = {
    "coupled": {},
    "uncoupled": dict.fromkeys(STRENGTHS, 0.0),
}
