r"""Röblitz et al. (2013): the human menstrual cycle with GnRH analogues ("GynCycle").

Thirty-three ODEs for the GnRH pulse generator (as deterministic functions of E2 and P4) and
GnRH-receptor binding in the pituitary, LH and FSH synthesis, storage and release, LH and FSH
receptor binding in the ovaries, twelve follicular / ovulatory / luteal stages, estradiol (E2),
progesterone (P4), inhibin A (with a delayed "effective" compartment) and inhibin B, plus the
pharmacokinetic / pharmacodynamic states of the GnRH agonist Nafarelin and the GnRH antagonist
Cetrorelix [1]_. Equations and parameter values are transcribed, reaction by reaction, from the
curated BioModels encoding BIOMD0000000494 [2]_; every derivative names the SBML reactions it
sums. Time is in days (d).

Units. The SBML declares only time (day) and a dimensionless substance unit. The hormones use
the clinical units of the paper's data: LH and FSH in blood in IU/L (``[IU]/L``), pituitary
LH and FSH pools in IU (released into ``V_blood`` = 5 L), E2 in pg/mL, P4 in ng/mL, inhibin A in
IU/mL and inhibin B in pg/mL. The LH and FSH receptor states bind blood LH/FSH by mass action
with the same rate in both equations, so they carry the hormone's unit (IU/L). The GnRH system
(GnRH, its receptors and complexes) and the drug states keep the SBML's dimensionless model
units (``"1"``); for the same mass-action reason the drug concentrations share that unit and the
apparent central volumes ``V_c_F_Ago`` / ``V_c_F_Ant`` (litres in the paper's PK model) are
declared dimensionless. Follicular stages and ``r_foll`` (a follicular-sensitivity factor) are
dimensionless.

Drug dosing. The SBML fires two events: ``ago_admin`` sets the agonist depot ``Ago_d`` to
``dose_Ago`` = 100 at ``t_0_Ago`` = 91 d and ``ant_admin`` adds ``dose_Ant`` = 500 to ``Ant_d``
at ``t_0_Ant`` = 34 d. Here the depots are driven instead by the rate inputs ``agonist_dose`` and
``antagonist_dose`` (model amount units per day, default 0). A bolus of D given at t0 is a short
infusion D/Δ on [t0, t0 + Δ)::

    from neuroendo.models import inputs
    u = {"antagonist_dose": inputs.pulse(34.0, 0.01, level=500 / 0.01)}

With Δ small compared with the absorption time 1/k_A (about 0.02-0.03 d) the trajectories
approach those of the instantaneous event. ``inputs.gnrh_analogue`` can be used for repeated
doses when built with ``dose_unit="1"``, e.g. ``inputs.gnrh_analogue(500, times=[34, 35],
duration=0.01, dose_unit="1")``. The SBML's ``ago_admin`` *sets* the depot (equal to adding
when the depot is empty, as it is in the published file).

Transcription notes. The SBML's GnRH frequency and mass rules write E2 and P4 as
``E2 * m_E2_freq / n_P4_LH`` (both parameters equal 1); the authors' MATLAB code uses E2 itself,
which is what :func:`rhs` does. The SBML's data scaling factors ``facE2``, ``facP4``, ``facLH``,
``facFSH`` (all 1) are left out. The non-boundary placeholder species ``s113``-``s116`` of the
SBML feed back into nothing and are omitted.

References
----------
.. [1] Röblitz S, Stötzel C, Deuflhard P, Jones HM, Azulay DO, van der Graaf PH, Martin SW.
   A mathematical model of the human menstrual cycle for the administration of GnRH analogues.
   J Theor Biol. 2013;321:8-27. doi:10.1016/j.jtbi.2012.11.020
.. [2] BioModels BIOMD0000000494 (curated SBML L2V4, model ``MODEL1311220000``; CC0). Li C et
   al. BioModels Database: an enhanced, curated and annotated resource for published
   quantitative kinetic models. BMC Syst Biol. 2010;4:92. doi:10.1186/1752-0509-4-92
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuroendo._core.spec import Input, ModelSpec, Param, Ref, State

__all__ = ["MODEL", "VARIANTS", "gnrh_pulse_frequency", "gnrh_pulse_mass", "rhs"]

ROBLITZ2013 = Ref(
    "roblitz2013",
    doi="10.1016/j.jtbi.2012.11.020",
    citation=(
        "Röblitz S, Stötzel C, Deuflhard P, Jones HM, Azulay DO, van der Graaf PH, Martin SW. "
        "A mathematical model of the human menstrual cycle for the administration of GnRH "
        "analogues. J Theor Biol. 2013;321:8-27."
    ),
)
BIOMD494 = Ref(
    "biomd0000000494",
    doi="10.1186/1752-0509-4-92",
    citation="BioModels BIOMD0000000494 (curated SBML of Röblitz et al. 2013), CC0.",
)


def _s(sbml_id: str) -> Ref:
    """Source of a value: the SBML parameter or species id in BIOMD0000000494."""
    return BIOMD494.at(sbml_id)


def _b(value: float, factor: float = 10.0) -> tuple[float, float]:
    """Bounds nominal ×/÷ ``factor``."""
    return (value / factor, value * factor)


_N = (0.5, 20.0)  # bounds of Hill exponents

# Composite UCUM units used below.
_IU_D = "[IU]/d"
_IUL = "[IU]/L"
_KON = "L/([IU].d)"  # second-order rate per IU/L
_E2R = "pg/(mL.d)"
_E2LH = "pg.L/(mL.[IU].d)"  # E2 production per (stage x IU/L of LH)
_P4R = "ng/(mL.d)"
_IHAR = "[IU]/(mL.d)"

STATES = (
    # hypothalamus / pituitary: GnRH and its receptor (GnRH system in model units)
    State("gnrh", 0.00326, "1", "GnRH at the pituitary (GnRH)"),
    State("gnrh_receptor_active", 0.00928, "1", "free active GnRH receptor (R_GnRH_a)"),
    State("gnrh_receptor_inactive", 0.0009409, "1", "free inactive GnRH receptor (R_GnRH_i)"),
    State("gnrh_complex_active", 1.447e-05, "1", "active GnRH-receptor complex (GnRH_R_a)"),
    State("gnrh_complex_inactive", 1.294e-05, "1", "inactive GnRH-receptor complex (GnRH_R_i)"),
    # gonadotropins
    State("lh_pituitary", 261119.0, "[IU]", "LH in the pituitary (LH_Pit)"),
    State("lh", 2.667, _IUL, "LH in blood (LH_bld)"),
    State("fsh_pituitary", 48627.2, "[IU]", "FSH in the pituitary (FSH_pit)"),
    State("fsh", 4.1, _IUL, "FSH in blood (FSH_bld)"),
    # ovarian gonadotropin receptors
    State("lh_receptor", 8.41, _IUL, "free LH receptor (R_LH)"),
    State("lh_receptor_bound", 0.263, _IUL, "LH-receptor complex (LH_R)"),
    State("lh_receptor_desens", 0.699, _IUL, "desensitised LH receptor (R_LH_des)"),
    State("fsh_receptor", 6.341, _IUL, "free FSH receptor (R_FSH)"),
    State("fsh_receptor_bound", 0.662, _IUL, "FSH-receptor complex (FSH_R)"),
    State("fsh_receptor_desens", 1.497, _IUL, "desensitised FSH receptor (R_FSH_des)"),
    # follicles, ovulation, scar tissue, corpus luteum
    State("af1", 2.26, "1", "antral follicle stage 1 (AF1)"),
    State("af2", 19.92, "1", "antral follicle stage 2 (AF2)"),
    State("af3", 0.504, "1", "antral follicle stage 3 (AF3)"),
    State("af4", 1.604e-05, "1", "antral follicle stage 4 (AF4)"),
    State("prf", 0.244, "1", "preovulatory follicle (PrF)"),
    State("ovf", 7.652e-19, "1", "ovulatory follicle (OvF)"),
    State("sc1", 1.098e-08, "1", "ovulatory scar, stage 1 (Sc1)"),
    State("sc2", 2.171e-06, "1", "ovulatory scar, stage 2 (Sc2)"),
    State("lut1", 2.762e-05, "1", "corpus luteum stage 1 (Lut1)"),
    State("lut2", 0.0003772, "1", "corpus luteum stage 2 (Lut2)"),
    State("lut3", 0.00334, "1", "corpus luteum stage 3 (Lut3)"),
    State("lut4", 0.01385, "1", "corpus luteum stage 4 (Lut4)"),
    # ovarian hormones
    State("e2", 45.0, "pg/mL", "estradiol in blood (E2)"),
    State("p4", 2.41, "ng/mL", "progesterone in blood (P4)"),
    State("inha", 1.07, "[IU]/mL", "inhibin A (InhA)"),
    State("inha_delay", 86.84, "[IU]/mL", "effective (delayed) inhibin A (InhA_delay)"),
    State("inhb", 52.18, "pg/mL", "inhibin B (InhB)"),
    State("r_foll", 0.119, "1", "follicular sensitivity to LH (R_Foll)"),
    # GnRH agonist (Nafarelin) PK/PD
    State("agonist_depot", 0.0, "1", "Nafarelin dosing compartment (Ago_d)"),
    State("agonist", 0.0, "1", "Nafarelin, central concentration (Ago_c)"),
    State("agonist_complex_active", 0.0, "1", "active agonist-receptor complex (Ago_R_a)"),
    State("agonist_complex_inactive", 0.0, "1", "inactive agonist-receptor complex (Ago_R_i)"),
    # GnRH antagonist (Cetrorelix) PK/PD
    State("antagonist_depot", 0.0, "1", "Cetrorelix dosing compartment (Ant_d)"),
    State("antagonist", 0.0, "1", "Cetrorelix, central concentration (Ant_c)"),
    State("antagonist_peripheral", 0.0, "1", "Cetrorelix, peripheral compartment (Ant_p)"),
    State("antagonist_complex", 0.0, "1", "antagonist-receptor complex (Ant_R)"),
)

PARAMS = (
    # GnRH pulse frequency and mass (SBML assignment rules freq, mass)
    Param("f_0", 16.0, "/d", _b(16.0), _s("p202"), "maximal GnRH pulse frequency"),
    Param("T_P4_freq", 1.2, "ng/mL", _b(1.2), _s("p203"), "P4 threshold, frequency"),
    Param("n_P4_freq", 2.0, "1", _N, _s("p204"), "Hill exponent, P4 on frequency"),
    Param("T_E2_freq", 220.0, "pg/mL", _b(220.0), _s("p205"), "E2 threshold, frequency"),
    Param("n_E2_freq", 10.0, "1", _N, _s("p206"), "Hill exponent, E2 on frequency"),
    Param("m_E2_freq", 1.0, "1", (0.0, 10.0), _s("p201"), "E2 stimulation of frequency"),
    Param("a_0", 0.005593, "1", _b(0.005593), _s("p301"), "GnRH mass per pulse, scale"),
    Param("T_E2_mass_1", 220.0, "pg/mL", _b(220.0), _s("p208"), "E2 threshold, mass (up)"),
    Param("n_E2_mass_1", 2.0, "1", _N, _s("p209"), "Hill exponent, mass (up)"),
    Param("T_E2_mass_2", 9.6, "pg/mL", _b(9.6), _s("p210"), "E2 threshold, mass (down)"),
    Param("n_E2_mass_2", 1.0, "1", _N, _s("p211"), "Hill exponent, mass (down)"),
    # GnRH and GnRH receptor (re2-re15, re24, re75, re76)
    Param("k_degr_G", 0.447467334884553, "/d", _b(0.4475), _s("p300"), "GnRH degradation"),
    Param("k_on_G", 322.176481116879, "/d", _b(322.18), _s("p302"), "GnRH-receptor binding"),
    Param("k_off_G", 644.352962233757, "/d", _b(644.35), _s("p303"), "GnRH dissociation"),
    Param("k_diss_GRi", 32.2176481116879, "/d", _b(32.22), _s("p305"), "inactive complex dissoc."),
    Param("k_inter_RG", 3.22176481116878, "/d", _b(3.222), _s("p306"), "receptor inactivation"),
    Param("k_recy_RG", 32.2176481116879, "/d", _b(32.22), _s("p307"), "receptor recycling"),
    Param("k_degr_RG", 0.0894934669769107, "/d", _b(0.0895), _s("p308"), "receptor degradation"),
    Param("k_syn_RG", 8.94934669769107e-05, "/d", _b(8.949e-5), _s("p311"), "receptor synthesis"),
    Param("k_inact_GR", 32.2176481116879, "/d", _b(32.22), _s("p309"), "complex inactivation"),
    Param("k_act_GR", 3.222, "/d", _b(3.222), _s("p310"), "complex reactivation"),
    Param("k_degr_GRi", 0.00894934669769107, "/d", _b(0.00895), _s("p304"), "complex degradation"),
    # LH synthesis and release (re25, re28, re83, re38)
    Param("b_syn_LH", 7309.91587614104, _IU_D, _b(7309.9), _s("p1"), "basal LH synthesis"),
    Param("k_E2_LH", 7309.91587614104, _IU_D, _b(7309.9), _s("p2"), "E2-stimulated LH synthesis"),
    Param("T_E2_LH", 192.2041, "pg/mL", _b(192.2), _s("p3"), "E2 threshold, LH synthesis"),
    Param("n_E2_LH", 10.0, "1", _N, _s("p6"), "Hill exponent, E2 on LH synthesis"),
    Param("T_P4_LH", 2.3708, "ng/mL", _b(2.3708), _s("p4"), "P4 threshold, LH synthesis"),
    Param("n_P4_LH", 1.0, "1", _N, _s("p7"), "Hill exponent, P4 on LH synthesis"),
    Param("b_rel_LH", 0.00476024700196886, "/d", _b(0.00476), _s("p16"), "basal LH release"),
    Param("k_GR_LH", 0.190415249686773, "/d", _b(0.1904), _s("p5"), "GnRH-stimulated release"),
    Param("T_GR_LH", 0.0003, "1", _b(0.0003), _s("p8"), "active complex threshold, LH"),
    Param("n_GR_LH", 5.0, "1", _N, _s("p9"), "Hill exponent, complex on LH release"),
    Param("V_blood", 5.0, "L", (3.0, 8.0), _s("p12"), "blood volume"),
    Param("k_cl_LH", 74.8505459101486, "/d", _b(74.85), _s("p231"), "LH clearance"),
    # FSH synthesis and release (re26, re29, re84, re82)
    Param("k_Ih_FSH", 22129.0495793807, _IU_D, _b(22129.0), _s("p21"), "FSH synthesis"),
    Param("T_IhA", 95.81, "[IU]/mL", _b(95.81), _s("p22"), "inhibin A threshold, FSH"),
    Param("n_IhA", 5.0, "1", _N, _s("p24"), "Hill exponent, inhibin A on FSH"),
    Param("T_IhB", 70.0, "pg/mL", _b(70.0), _s("p23"), "inhibin B threshold, FSH"),
    Param("n_IhB", 2.0, "1", _N, _s("p25"), "Hill exponent, inhibin B on FSH"),
    Param("T_freq_FSH", 10.0, "/d", _b(10.0), _s("p11"), "GnRH frequency threshold, FSH"),
    Param("n_freq_FSH", 3.0, "1", _N, _s("p13"), "Hill exponent, frequency on FSH"),
    Param("b_rel_FSH", 0.0569894397708967, "/d", _b(0.05699), _s("p17"), "basal FSH release"),
    Param("k_GR_FSH", 0.27201539287632, "/d", _b(0.272), _s("p28"), "GnRH-stimulated release"),
    Param("T_GR_FSH", 0.0003, "1", _b(0.0003), _s("p18"), "active complex threshold, FSH"),
    Param("n_GR_FSH", 2.0, "1", _N, _s("p20"), "Hill exponent, complex on FSH release"),
    Param("k_cl_FSH", 114.247359942724, "/d", _b(114.25), _s("p241"), "FSH clearance"),
    # LH and FSH receptors (re35-re40, re85)
    Param("k_on_LH", 2.1430105602291, _KON, _b(2.143), _s("p230"), "LH-receptor binding"),
    Param("k_des_LH", 183.363164488992, "/d", _b(183.36), _s("p234"), "LH receptor desens."),
    Param("k_recy_LH", 68.9493466976911, "/d", _b(68.95), _s("p232"), "LH receptor recycling"),
    Param("k_on_FSH", 3.52890638983354, _KON, _b(3.529), _s("p240"), "FSH-receptor binding"),
    Param("k_des_FSH", 138.303203866118, "/d", _b(138.3), _s("p244"), "FSH receptor desens."),
    Param("k_recy_FSH", 61.0291748702345, "/d", _b(61.03), _s("p242"), "FSH receptor recycling"),
    # follicular development (re42-re46, re57-re62)
    Param("k_AF1", 3.66180418829425, "/d", _b(3.662), _s("p49"), "AF1 recruitment"),
    Param("T_FSHR_AF1", 0.608121, _IUL, _b(0.6081), _s("p48"), "FSH-R threshold, AF1"),
    Param("n_FSHR_AF1", 3.0, "1", _N, _s("p47"), "Hill exponent, FSH-R on AF1"),
    Param("k_AF1_AF2", 1.22060139609808, _KON, _b(1.2206), _s("p50"), "AF1 -> AF2 per FSH-R"),
    Param("k_AF2_AF3", 4.88231609092536, "/d", _b(4.882), _s("p51"), "AF2 -> AF3"),
    Param("SF_LHR", 2.7262, _IUL, _b(2.7262), _s("p52"), "LH-R scaling"),
    Param("n_AF2_AF3", 3.68896, "1", _N, _s("p46"), "LH-R exponent, AF2 -> AF3"),
    Param("k_AF3_AF4", 122.060139609808, "/d", _b(122.06), _s("p32"), "AF3 -> AF4"),
    Param("n_AF3_AF4", 5.0, "1", _N, _s("p43"), "LH-R exponent, AF3 -> AF4"),
    Param("k_AF3_AF3", 0.122060139609808, _KON, _b(0.12206), _s("p31"), "AF3 growth per FSH-R"),
    Param("SeF_max", 10.0, "1", _b(10.0), _s("p55"), "maximal follicular size"),
    Param("k_A42_AF4", 12.2060139609808, "/d", _b(12.206), _s("p33"), "AF4 growth"),
    Param("n_AF4", 2.0, "1", _N, _s("p44"), "LH-R exponent, AF4 growth"),
    Param("k_AF4_PrF", 332.754608913549, "/d", _b(332.75), _s("p34"), "AF4 -> PrF"),
    Param("k_cl_PrF", 122.060139609808, "/d", _b(122.06), _s("p35"), "PrF clearance at ovulation"),
    Param("n_OvF", 6.0, "1", _N, _s("p45"), "LH-R exponent, ovulation"),
    Param("k_OvF", 7.98433864327904, "/d", _b(7.984), _s("p27"), "OvF formation"),
    Param("T_PrF_OvF", 3.0, "1", _b(3.0), _s("p53"), "PrF threshold, ovulation"),
    Param("n_PrF_OvF", 10.0, "1", _N, _s("p54"), "Hill exponent, PrF on ovulation"),
    Param("k_cl_OvF", 12.2060139609808, "/d", _b(12.206), _s("p36"), "OvF clearance"),
    # scar tissue and corpus luteum (re49-re53, re64)
    Param("k_Sc1", 1.20834079112225, "/d", _b(1.2083), _s("p26"), "Sc1 formation"),
    Param("T_OvF_Sc1", 0.02, "1", _b(0.02), _s("p56"), "OvF threshold, Sc1"),
    Param("n_OvF_Sc1", 10.0, "1", _N, _s("p57"), "Hill exponent, OvF on Sc1"),
    Param("k_Sc1_Sc2", 1.22060139609808, "/d", _b(1.2206), _s("p37"), "Sc1 -> Sc2"),
    Param("k_Sc2_Lut1", 0.958117057454806, "/d", _b(0.9581), _s("p38"), "Sc2 -> Lut1"),
    Param("k_Lut1_Lut2", 0.924735994272418, "/d", _b(0.9247), _s("p39"), "Lut1 -> Lut2"),
    Param("k_Lut2_Lut3", 0.756765706103455, "/d", _b(0.7568), _s("p40"), "Lut2 -> Lut3"),
    Param("k_Lut3_Lut4", 0.610291748702345, "/d", _b(0.6103), _s("p41"), "Lut3 -> Lut4"),
    Param("k_cl_Lut4", 0.542840522641847, "/d", _b(0.5428), _s("p42"), "Lut4 clearance"),
    Param("m_GR_Lut", 20.0, "1", _b(20.0), _s("p80"), "GnRH-R acceleration of luteolysis"),
    Param("T_GR_Lut", 0.0008, "1", _b(0.0008), _s("p83"), "active complex threshold, Lut"),
    Param("n_GR_Lut", 5.0, "1", _N, _s("p84"), "Hill exponent, complex on Lut"),
    # estradiol (re65, re66)
    Param("b_E2", 51.558081260068, _E2R, _b(51.56), _s("p158"), "basal E2 production"),
    Param("k_AF2_E2", 2.09450510112762, _E2R, _b(2.0945), _s("p152"), "E2 from AF2"),
    Param("k_AF3_E2", 9.28, _E2LH, _b(9.28), _s("p159"), "E2 from AF3 x LH"),
    Param("k_AF4_E2", 3480.27, _E2R, _b(3480.27), _s("p160"), "E2 from AF4"),
    Param("k_PrF_E2", 0.972, _E2LH, _b(0.972), _s("p161"), "E2 from PrF x LH"),
    Param("k_Lut1_E2", 1713.71039914086, _E2R, _b(1713.7), _s("p164"), "E2 from Lut1"),
    Param("k_Lut4_E2", 8675.13871487382, _E2R, _b(8675.1), _s("p165"), "E2 from Lut4"),
    Param("k_cl_E2", 5.23500984428137, "/d", _b(5.235), _s("p154"), "E2 clearance"),
    # progesterone (re67, re71)
    Param("b_P4", 0.9426346876678, _P4R, _b(0.9426), _s("p166"), "basal P4 production"),
    Param("k_Lut4_P4", 761.643100053696, _P4R, _b(761.64), _s("p167"), "P4 from Lut4"),
    Param("k_cl_P4", 5.12958654018257, "/d", _b(5.1296), _s("p155"), "P4 clearance"),
    # inhibin A (re69, re87, re74) and inhibin B (re72, re73)
    Param("b_IhA", 1.44522999821013, _IHAR, _b(1.4452), _s("p168"), "basal inhibin A"),
    Param("k_PrF_IhA", 2.28494719885448, _IHAR, _b(2.2849), _s("p169"), "inhibin A from PrF"),
    Param("k_Sc1_IhA", 60.0, _IHAR, _b(60.0), _s("p177"), "inhibin A from Sc1"),
    Param("k_Lut1_IhA", 180.0, _IHAR, _b(180.0), _s("p178"), "inhibin A from Lut1"),
    Param("k_Lut2_IhA", 28.2110255951316, _IHAR, _b(28.211), _s("p170"), "inhibin A from Lut2"),
    Param("k_Lut3_IhA", 216.85, _IHAR, _b(216.85), _s("p171"), "inhibin A from Lut3"),
    Param("k_Lut4_IhA", 114.247359942724, _IHAR, _b(114.25), _s("p172"), "inhibin A from Lut4"),
    Param("k_IhA", 4.28718453552891, "/d", _b(4.2872), _s("p156"), "inhibin A -> effective"),
    Param("k_cl_IhAe", 0.1989, "/d", _b(0.1989), _s("p30"), "effective inhibin A clearance"),
    Param("b_IhB", 89.4934669769107, _E2R, _b(89.49), _s("p173"), "basal inhibin B"),
    Param("k_AF2_IhB", 447.467334884553, _E2R, _b(447.47), _s("p174"), "inhibin B from AF2"),
    Param("k_Sc2_IhB", 134240.200465366, _E2R, _b(134240.2), _s("p175"), "inhibin B from Sc2"),
    Param("k_cl_IhB", 172.453910864507, "/d", _b(172.45), _s("p157"), "inhibin B clearance"),
    # follicular sensitivity R_Foll (re54, re56)
    Param("k_s", 0.2186056917845, "/d", _b(0.2186), _s("p94"), "R_Foll formation"),
    Param("T_FSH_s", 3.0, _IUL, _b(3.0), _s("p90"), "FSH threshold, R_Foll"),
    Param("n_FSH_s", 5.0, "1", _N, _s("p91"), "Hill exponent, FSH on R_Foll"),
    Param("k_cl_s", 1.34267048505459, "/d", _b(1.3427), _s("p95"), "R_Foll clearance"),
    Param("T_P4_s", 1.2348, "ng/mL", _b(1.2348), _s("p92"), "P4 threshold, R_Foll clearance"),
    Param("n_P4_s", 5.0, "1", _N, _s("p93"), "Hill exponent, P4 on R_Foll"),
    # Nafarelin (re90-re101)
    Param("k_A_Ago", 54.2, "/d", _b(54.2), _s("p274"), "agonist absorption"),
    Param("V_c_F_Ago", 38.12, "1", _b(38.12), _s("p273"), "agonist apparent volume (model)"),
    Param("cl_Ago", 2.65, "/d", _b(2.65), _s("p275"), "agonist elimination rate"),
    Param("k_on_Ago", 322.18, "/d", _b(322.18), _s("p312"), "agonist-receptor binding"),
    Param("k_off_Ago", 644.35, "/d", _b(644.35), _s("p313"), "agonist dissociation"),
    Param("k_inact_AgoR", 32.22, "/d", _b(32.22), _s("p319"), "agonist complex inactivation"),
    Param("k_act_AgoR", 3.22, "/d", _b(3.22), _s("p320"), "agonist complex reactivation"),
    Param("k_degr_AgoR", 0.009, "/d", _b(0.009), _s("p314"), "agonist complex degradation"),
    Param("k_diss_AgoR", 32.22, "/d", _b(32.22), _s("p315"), "inactive agonist complex dissoc."),
    # Cetrorelix (re102-re109)
    Param("k_A_Ant", 45.56, "/d", _b(45.56), _s("p474"), "antagonist absorption"),
    Param("V_c_F_Ant", 34.9, "1", _b(34.9), _s("p473"), "antagonist apparent volume (model)"),
    Param("cl_Ant", 5.0, "/d", _b(5.0), _s("p475"), "antagonist elimination rate"),
    Param("k_cp_Ant", 3.216, "/d", _b(3.216), _s("p476"), "central -> peripheral"),
    Param("k_pc_Ant", 4.76, "/d", _b(4.76), _s("p477"), "peripheral -> central"),
    Param("k_on_ant", 322.18, "/d", _b(322.18), _s("p512"), "antagonist-receptor binding"),
    Param("k_off_Ant", 644.35, "/d", _b(644.35), _s("p513"), "antagonist dissociation"),
    Param("k_degr_Ant", 0.009, "/d", _b(0.009), _s("p514"), "antagonist complex degradation"),
)

INPUTS = (
    Input("agonist_dose", 0.0, "/d", "Nafarelin into Ago_d, model amount units per day"),
    Input("antagonist_dose", 0.0, "/d", "Cetrorelix into Ant_d, model amount units per day"),
)


def _hill(x: Any, n: Any) -> Any:
    """Increasing Hill function ``x**n / (1 + x**n)`` of a scaled argument."""
    xn = x**n
    return xn / (1 + xn)


def gnrh_pulse_frequency(e2: Any, p4: Any, p: Any) -> Any:
    r"""GnRH pulse frequency (1/d) from E2 (pg/mL) and P4 (ng/mL), SBML rule ``freq``.

    Parameters
    ----------
    e2 : float or array-like
        Estradiol, pg/mL.
    p4 : float or array-like
        Progesterone, ng/mL.
    p : NamedTuple
        Model parameters (``MODEL.default_params()`` or the ``p`` passed to :func:`rhs`).

    Returns
    -------
    float or ndarray
        Pulses per day.

    Notes
    -----
    .. math::
        f = \frac{f_0}{1 + (P_4/T_{P4,f})^{n_{P4,f}}}
            \left(1 + m\,\frac{(E_2/T_{E2,f})^{n_{E2,f}}}{1 + (E_2/T_{E2,f})^{n_{E2,f}}}\right)

    References
    ----------
    .. [1] Röblitz S et al. J Theor Biol. 2013;321:8-27; BioModels BIOMD0000000494 (``freq``).

    Examples
    --------
    >>> p = MODEL.default_params()
    >>> round(float(gnrh_pulse_frequency(45.0, 2.41, p)), 4)
    3.1788
    """
    return (
        p.f_0
        / (1 + (p4 / p.T_P4_freq) ** p.n_P4_freq)
        * (1 + p.m_E2_freq * _hill(e2 / p.T_E2_freq, p.n_E2_freq))
    )


def gnrh_pulse_mass(e2: Any, p: Any) -> Any:
    r"""GnRH mass per pulse (model units) from E2 (pg/mL), SBML rule ``mass``.

    Parameters
    ----------
    e2 : float or array-like
        Estradiol, pg/mL.
    p : NamedTuple
        Model parameters.

    Returns
    -------
    float or ndarray
        GnRH released per pulse, model units.

    Notes
    -----
    .. math::
        m = a_0\left(\frac{(E_2/T_1)^{n_1}}{1 + (E_2/T_1)^{n_1}}
            + \frac{1}{1 + (E_2/T_2)^{n_2}}\right)

    References
    ----------
    .. [1] Röblitz S et al. J Theor Biol. 2013;321:8-27; BioModels BIOMD0000000494 (``mass``).

    Examples
    --------
    >>> p = MODEL.default_params()
    >>> round(float(gnrh_pulse_mass(45.0, p)) * 1e3, 4)
    1.208
    """
    return p.a_0 * (
        _hill(e2 / p.T_E2_mass_1, p.n_E2_mass_1) + 1 / (1 + (e2 / p.T_E2_mass_2) ** p.n_E2_mass_2)
    )


def rhs(t: Any, y: Any, p: Any, u: Any, xp: Any = np) -> tuple[Any, ...]:
    """GynCycle ODEs of [1]_ as encoded in BIOMD0000000494; ``y`` is (41,) or (41, n).

    References
    ----------
    .. [1] Röblitz S et al. J Theor Biol. 2013;321:8-27.
    """
    (
        gnrh, r_a, r_i, gr_a, gr_i,
        lh_pit, lh, fsh_pit, fsh,
        r_lh, lh_r, r_lh_des, r_fsh, fsh_r, r_fsh_des,
        af1, af2, af3, af4, prf, ovf, sc1, sc2, lut1, lut2, lut3, lut4,
        e2, p4, inha, inha_e, inhb, r_foll,
        ago_d, ago_c, ago_r_a, ago_r_i,
        ant_d, ant_c, ant_p, ant_r,
    ) = y  # fmt: skip
    # auxiliary quantities
    freq = gnrh_pulse_frequency(e2, p4, p)  # rule freq
    mass = gnrh_pulse_mass(e2, p)  # rule mass
    g_act = gr_a + ago_r_a  # active receptor complexes (GnRH + agonist)
    syn_lh = (p.b_syn_LH + p.k_E2_LH * _hill(e2 / p.T_E2_LH, p.n_E2_LH)) / (
        1 + (p4 / p.T_P4_LH) ** p.n_P4_LH
    )  # re25
    rel_lh = (p.b_rel_LH + p.k_GR_LH * _hill(g_act / p.T_GR_LH, p.n_GR_LH)) * lh_pit  # re28
    syn_fsh = (
        p.k_Ih_FSH
        / (1 + (inha_e / p.T_IhA) ** p.n_IhA + (inhb / p.T_IhB) ** p.n_IhB)
        / (1 + (freq / p.T_freq_FSH) ** p.n_freq_FSH)
    )  # re26
    rel_fsh = (p.b_rel_FSH + p.k_GR_FSH * _hill(g_act / p.T_GR_FSH, p.n_GR_FSH)) * fsh_pit  # re29
    bind_g = p.k_on_G * gnrh * r_a  # re8 (re15 is the reverse)
    bind_ago = p.k_on_Ago * ago_c * r_a  # re97 (re98 is the reverse)
    bind_ant = p.k_on_ant * ant_c * r_a  # re106 (re105 is the reverse)
    bind_lh = p.k_on_LH * lh * r_lh  # re35
    bind_fsh = p.k_on_FSH * fsh * r_fsh  # re85
    lhr = lh_r / p.SF_LHR  # scaled LH-receptor complex
    af2_af3 = p.k_AF2_AF3 * lhr**p.n_AF2_AF3 * r_foll * af2  # re44
    af3_af4 = p.k_AF3_AF4 * lhr**p.n_AF3_AF4 * r_foll * af3  # re45
    af4_prf = p.k_AF4_PrF * lhr * r_foll * af4  # re46
    lut_fac = 1 + p.m_GR_Lut * _hill(g_act / p.T_GR_Lut, p.n_GR_Lut)  # re51-re53, re64
    lut1_2 = p.k_Lut1_Lut2 * lut_fac * lut1  # re51
    lut2_3 = p.k_Lut2_Lut3 * lut_fac * lut2  # re52
    lut3_4 = p.k_Lut3_Lut4 * lut_fac * lut3  # re53
    # GnRH and GnRH receptor
    d_gnrh = freq * mass - p.k_degr_G * gnrh - bind_g + p.k_off_G * gr_a  # re78-re24-re8+re15
    d_r_a = (
        p.k_recy_RG * r_i
        - p.k_inter_RG * r_a
        - bind_g
        + p.k_off_G * gr_a
        - bind_ago
        + p.k_off_Ago * ago_r_a
        - bind_ant
        + p.k_off_Ant * ant_r
    )  # re4-re5-re8+re15-re97+re98-re106+re105
    d_r_i = (
        p.k_syn_RG
        + p.k_inter_RG * r_a
        - p.k_recy_RG * r_i
        + p.k_diss_GRi * gr_i
        - p.k_degr_RG * r_i
        + p.k_diss_AgoR * ago_r_i
    )  # re75+re5-re4+re6-re11+re99
    d_gr_a = bind_g - p.k_off_G * gr_a - p.k_inact_GR * gr_a + p.k_act_GR * gr_i  # re8-re15-re2+re3
    d_gr_i = (
        p.k_inact_GR * gr_a - p.k_act_GR * gr_i - p.k_diss_GRi * gr_i - p.k_degr_GRi * gr_i
    )  # re2-re3-re6-re76
    # gonadotropins
    d_lh_pit = syn_lh - rel_lh  # re25-re28
    d_lh = rel_lh / p.V_blood - bind_lh - p.k_cl_LH * lh  # re83-re35-re38
    d_fsh_pit = syn_fsh - rel_fsh  # re26-re29
    d_fsh = rel_fsh / p.V_blood - bind_fsh - p.k_cl_FSH * fsh  # re84-re85-re82
    # ovarian receptors
    d_r_lh = p.k_recy_LH * r_lh_des - bind_lh  # re37-re35
    d_lh_r = bind_lh - p.k_des_LH * lh_r  # re35-re36
    d_r_lh_des = p.k_des_LH * lh_r - p.k_recy_LH * r_lh_des  # re36-re37
    d_r_fsh = p.k_recy_FSH * r_fsh_des - bind_fsh  # re40-re85
    d_fsh_r = bind_fsh - p.k_des_FSH * fsh_r  # re85-re39
    d_r_fsh_des = p.k_des_FSH * fsh_r - p.k_recy_FSH * r_fsh_des  # re39-re40
    # follicles
    d_af1 = (
        p.k_AF1 * _hill(fsh_r / p.T_FSHR_AF1, p.n_FSHR_AF1) - p.k_AF1_AF2 * fsh_r * af1
    )  # re43-re42
    d_af2 = p.k_AF1_AF2 * fsh_r * af1 - af2_af3  # re42-re44
    d_af3 = af2_af3 + p.k_AF3_AF3 * fsh_r * af3 * (1 - af3 / p.SeF_max) - af3_af4  # re44+re57-re45
    d_af4 = (
        af3_af4 + p.k_A42_AF4 * lhr**p.n_AF4 * af4 * (1 - af4 / p.SeF_max) - af4_prf
    )  # re45+re58-re46
    d_prf = af4_prf - p.k_cl_PrF * lhr**p.n_OvF * r_foll * prf  # re46-re59
    d_ovf = (
        p.k_OvF * r_foll * lhr**p.n_OvF * _hill(prf / p.T_PrF_OvF, p.n_PrF_OvF) - p.k_cl_OvF * ovf
    )  # re60-re61
    d_sc1 = p.k_Sc1 * _hill(ovf / p.T_OvF_Sc1, p.n_OvF_Sc1) - p.k_Sc1_Sc2 * sc1  # re62-re49
    d_sc2 = p.k_Sc1_Sc2 * sc1 - p.k_Sc2_Lut1 * sc2  # re49-re50
    d_lut1 = p.k_Sc2_Lut1 * sc2 - lut1_2  # re50-re51
    d_lut2 = lut1_2 - lut2_3  # re51-re52
    d_lut3 = lut2_3 - lut3_4  # re52-re53
    d_lut4 = lut3_4 - p.k_cl_Lut4 * lut_fac * lut4  # re53-re64
    # ovarian hormones
    d_e2 = (
        p.b_E2
        + p.k_AF2_E2 * af2
        + p.k_AF3_E2 * af3 * lh
        + p.k_AF4_E2 * af4
        + p.k_PrF_E2 * prf * lh
        + p.k_Lut1_E2 * lut1
        + p.k_Lut4_E2 * lut4
        - p.k_cl_E2 * e2
    )  # re65-re66
    d_p4 = p.b_P4 + p.k_Lut4_P4 * lut4 - p.k_cl_P4 * p4  # re67-re71
    d_inha = (
        p.b_IhA
        + p.k_PrF_IhA * prf
        + p.k_Sc1_IhA * sc1
        + p.k_Lut1_IhA * lut1
        + p.k_Lut2_IhA * lut2
        + p.k_Lut3_IhA * lut3
        + p.k_Lut4_IhA * lut4
        - p.k_IhA * inha
    )  # re69-re87
    d_inha_e = p.k_IhA * inha - p.k_cl_IhAe * inha_e  # re87-re74
    d_inhb = p.b_IhB + p.k_AF2_IhB * af2 + p.k_Sc2_IhB * sc2 - p.k_cl_IhB * inhb  # re72-re73
    d_r_foll = (
        p.k_s * _hill(fsh / p.T_FSH_s, p.n_FSH_s)
        - p.k_cl_s * _hill(p4 / p.T_P4_s, p.n_P4_s) * r_foll
    )  # re54-re56
    # GnRH agonist (Nafarelin)
    d_ago_d = u.agonist_dose - p.k_A_Ago * ago_d  # input (event ago_admin) - re100
    d_ago_c = (
        p.k_A_Ago / p.V_c_F_Ago * ago_d - p.cl_Ago * ago_c - bind_ago + p.k_off_Ago * ago_r_a
    )  # re101-re90-re97+re98
    d_ago_r_a = (
        bind_ago - p.k_off_Ago * ago_r_a - p.k_inact_AgoR * ago_r_a + p.k_act_AgoR * ago_r_i
    )  # re97-re98-re93+re94
    d_ago_r_i = (
        p.k_inact_AgoR * ago_r_a
        - p.k_act_AgoR * ago_r_i
        - p.k_degr_AgoR * ago_r_i
        - p.k_diss_AgoR * ago_r_i
    )  # re93-re94-re95-re99
    # GnRH antagonist (Cetrorelix)
    d_ant_d = u.antagonist_dose - p.k_A_Ant * ant_d  # input (event ant_admin) - re102
    d_ant_c = (
        p.k_A_Ant / p.V_c_F_Ant * ant_d
        - p.cl_Ant * ant_c
        - bind_ant
        + p.k_off_Ant * ant_r
        - p.k_cp_Ant * ant_c
        + p.k_pc_Ant * ant_p
    )  # re103-re104-re106+re105-re108+re109
    d_ant_p = p.k_cp_Ant * ant_c - p.k_pc_Ant * ant_p  # re108-re109
    d_ant_r = bind_ant - p.k_off_Ant * ant_r - p.k_degr_Ant * ant_r  # re106-re105-re107
    return (
        d_gnrh, d_r_a, d_r_i, d_gr_a, d_gr_i,
        d_lh_pit, d_lh, d_fsh_pit, d_fsh,
        d_r_lh, d_lh_r, d_r_lh_des, d_r_fsh, d_fsh_r, d_r_fsh_des,
        d_af1, d_af2, d_af3, d_af4, d_prf, d_ovf, d_sc1, d_sc2,
        d_lut1, d_lut2, d_lut3, d_lut4,
        d_e2, d_p4, d_inha, d_inha_e, d_inhb, d_r_foll,
        d_ago_d, d_ago_c, d_ago_r_a, d_ago_r_i,
        d_ant_d, d_ant_c, d_ant_p, d_ant_r,
    )  # fmt: skip


MODEL = ModelSpec(
    name="roblitz2013",
    axis="hpg",
    states=STATES,
    params=PARAMS,
    inputs=INPUTS,
    rhs=rhs,
    time_unit="d",
    references=(ROBLITZ2013, BIOMD494),
    description=(
        "GynCycle: human menstrual cycle (GnRH, LH, FSH, follicles, corpus luteum, E2, P4, "
        "inhibins) with Nafarelin and Cetrorelix PK/PD as dose-rate inputs (time in days)."
    ),
    stiff=True,
)

#: No named parameter sets; drug protocols are inputs (see the module docstring).
VARIANTS: dict[str, dict[str, float]] = {}
