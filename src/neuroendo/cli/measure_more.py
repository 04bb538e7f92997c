"""``neuroendo measure questionnaire|immune|metabolic INPUT``: scores and indices from a table.

Registers three commands on the ``measure`` sub-app of :mod:`neuroendo.cli.measure`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from neuroendo._core.errors import DataValidationError
from neuroendo.cli._output import write_table
from neuroendo.cli.measure import (
    FormatOpt,
    OutputOpt,
    UnitOpt,
    _index_frame,
    _parse_units,
    _unit_of,
    app,
)
from neuroendo.io.tables import read_table

_ID_COLUMNS = ("subject", "condition", "day", "time", "sample", "unit", "group")
INSTRUMENT_NAMES = ("pss10", "pss14", "stai_state", "stai_trait", "stai6", "phq9", "gad7", "psqi")
IMMUNE_COLUMNS = ("crp", "il6", "tnf_alpha", "neutrophils", "lymphocytes", "cortisol")
METABOLIC_COLUMNS = ("glucose", "insulin", "triglycerides", "cortisol", "dhea_s")


def _with_units(out: pd.DataFrame, source: str) -> pd.DataFrame:
    from neuroendo.measures import CATALOGUE

    out.attrs["units"] = {c: CATALOGUE[c].unit for c in out.columns if c in CATALOGUE}
    out.attrs["source"] = source
    return out


@app.command("questionnaire")
def questionnaire_cmd(
    input: Annotated[
        Path, typer.Argument(help="Answers, one row per subject, item columns pss_1, pss_2, ...")
    ],
    instrument: Annotated[
        str,
        typer.Option("--instrument", "-i", help="One of: " + ", ".join(INSTRUMENT_NAMES) + "."),
    ],
    max_missing: Annotated[
        int | None,
        typer.Option(help="Prorate up to this many missing items (default: the manual's rule)."),
    ] = None,
    fmt: FormatOpt = "csv",
    output: OutputOpt = None,
) -> None:
    """Questionnaire scores (PSS, STAI, PSQI, PHQ-9, GAD-7) with reverse coding and checks."""
    from neuroendo._core.validation import check_option
    from neuroendo.measures import questionnaires as q

    check_option("--instrument", instrument, INSTRUMENT_NAMES)
    header = read_table(input)
    ids = [c for c in header.columns if c in _ID_COLUMNS]
    clock = {"psqi_1", "psqi_01", "psqi_3", "psqi_03"} if instrument == "psqi" else set()
    numeric = [c for c in header.columns if c not in ids and c not in clock]
    df = read_table(input, numeric=numeric, nonnegative=False)
    if ids:
        df = df.set_index(ids)
    if instrument == "psqi":
        if max_missing is not None:
            raise DataValidationError(
                "--max-missing does not apply to the PSQI (a missing answer leaves its "
                "component and the global score empty)."
            )
        res = q.psqi(df)
    else:
        res = q.score(df, instrument, max_missing=max_missing)
    res.attrs["source"] = input.name
    write_table(res, fmt, output)


@app.command("immune")
def immune_cmd(
    input: Annotated[
        Path,
        typer.Argument(
            help="Table with crp (il6, tnf_alpha, neutrophils, lymphocytes, cortisol) columns."
        ),
    ],
    unit: UnitOpt = None,
    keep_acute: Annotated[
        bool, typer.Option(help="Keep CRP >= 10 mg/L (acute infection) instead of NaN.")
    ] = False,
    fmt: FormatOpt = "csv",
    output: OutputOpt = None,
) -> None:
    """Inflammation: hs-CRP (risk category, acute exclusion), IL-6, TNF-alpha, NLR, ratios."""
    from neuroendo.measures import immune

    df = read_table(input, units=_parse_units(unit), numeric=IMMUNE_COLUMNS)
    out = _index_frame(df)
    u = {c: _unit_of(df, c, input) for c in IMMUNE_COLUMNS if c in df.columns}
    crp = None
    if "crp" in df:
        raw = df["crp"].to_numpy()
        crp = immune.hs_crp(raw, crp_unit=u["crp"], exclude_acute=not keep_acute)
        out["hs_crp"] = crp
        out["crp_risk_category"] = immune.crp_risk_category(raw, crp_unit=u["crp"])
    if "il6" in df:
        out["il6"] = immune.il6(df["il6"].to_numpy(), il6_unit=u["il6"])
    if "tnf_alpha" in df:
        out["tnf_alpha"] = immune.tnf_alpha(df["tnf_alpha"].to_numpy(), tnf_unit=u["tnf_alpha"])
    if "neutrophils" in df and "lymphocytes" in df:
        out["nlr"] = immune.nlr(
            df["neutrophils"].to_numpy(),
            df["lymphocytes"].to_numpy(),
            neutrophil_unit=u["neutrophils"],
            lymphocyte_unit=u["lymphocytes"],
        )
    if "cortisol" in df and crp is not None:
        out["cortisol_crp_ratio"] = immune.cortisol_crp_ratio(
            df["cortisol"].to_numpy(), crp, cortisol_unit=u["cortisol"], crp_unit="mg/L"
        )
    if "cortisol" in df and "il6" in df:
        out["cortisol_il6_ratio"] = immune.cortisol_il6_ratio(
            df["cortisol"].to_numpy(),
            df["il6"].to_numpy(),
            cortisol_unit=u["cortisol"],
            il6_unit=u["il6"],
        )
    if out.shape[1] == 0:
        raise DataValidationError(
            f"{input.name}: nothing to compute; give at least one of 'crp', 'il6', 'tnf_alpha', "
            "or 'neutrophils' with 'lymphocytes'."
        )
    write_table(_with_units(out, input.name), fmt, output)


@app.command("metabolic")
def metabolic_cmd(
    input: Annotated[
        Path,
        typer.Argument(
            help="Table with glucose, insulin (triglycerides, cortisol, dhea_s) columns."
        ),
    ],
    unit: UnitOpt = None,
    insulin_factor: Annotated[
        float | None,
        typer.Option(
            help="Insulin pmol/L per uIU/mL, needed to cross unit families: 6.0 (Volund 1993, "
            "SPINA Carb) or 6.945 (older HOMA literature). SPINA Carb uses 6.0 if not given."
        ),
    ] = None,
    fmt: FormatOpt = "csv",
    output: OutputOpt = None,
) -> None:
    """Glucose-insulin indices (HOMA1-IR/%B, QUICKI, TyG, SPINA Carb) and cortisol/DHEA-S."""
    from neuroendo.measures import metabolic as m

    df = read_table(input, units=_parse_units(unit), numeric=METABOLIC_COLUMNS)
    out = _index_frame(df)
    u = {c: _unit_of(df, c, input) for c in METABOLIC_COLUMNS if c in df.columns}
    if "glucose" in df and "insulin" in df:
        g, i = df["glucose"].to_numpy(), df["insulin"].to_numpy()
        kw = {"glucose_unit": u["glucose"], "insulin_unit": u["insulin"]}
        out["homa_ir"] = m.homa_ir(g, i, insulin_factor=insulin_factor, **kw)
        out["homa_b"] = m.homa_b(g, i, insulin_factor=insulin_factor, **kw)
        out["quicki"] = m.quicki(g, i, insulin_factor=insulin_factor, **kw)
        spina_factor = m.INSULIN_FACTOR_VOLUND if insulin_factor is None else insulin_factor
        out["spina_gbeta"] = m.spina_gbeta(g, i, insulin_factor=spina_factor, **kw)
        out["spina_gr"] = m.spina_gr(g, i, insulin_factor=spina_factor, **kw)
        out["spina_di"] = m.spina_di(g, i, insulin_factor=spina_factor, **kw)
    if "triglycerides" in df and "glucose" in df:
        out["tyg_index"] = m.tyg_index(
            df["triglycerides"].to_numpy(),
            df["glucose"].to_numpy(),
            tg_unit=u["triglycerides"],
            glucose_unit=u["glucose"],
        )
    if "cortisol" in df and "dhea_s" in df:
        out["cortisol_dhea_s_ratio"] = m.cortisol_dhea_s_ratio(
            df["cortisol"].to_numpy(),
            df["dhea_s"].to_numpy(),
            cortisol_unit=u["cortisol"],
            dhea_s_unit=u["dhea_s"],
        )
    if out.shape[1] == 0:
        raise DataValidationError(
            f"{input.name}: nothing to compute; give at least 'glucose' and 'insulin', "
            "'triglycerides' and 'glucose', or 'cortisol' and 'dhea_s'."
        )
    write_table(_with_units(out, input.name), fmt, output)
