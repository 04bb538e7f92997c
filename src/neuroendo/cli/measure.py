"""``neuroendo measure cortisol|car|thyroid|gonadal INPUT``: indices from a lab table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo.cli._output import write_table
from neuroendo.io.tables import read_table, saliva_long

app = typer.Typer(help="Compute indices from a lab table (CSV or Excel).", no_args_is_help=True)

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: csv or json.")]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
UnitOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        "-u",
        help="Unit of a column, COLUMN=UCUM (e.g. ft4=ng/dL); for cortisol just the unit "
        "(e.g. nmol/L). Units may also be given in headers, 'ft4 [ng/dL]'.",
    ),
]


def _parse_times(times: str | None) -> np.ndarray | None:
    if times is None:
        return None
    try:
        return np.array([float(x) for x in times.replace(";", ",").split(",") if x.strip()])
    except ValueError:
        raise DataValidationError(
            f"--times must be numbers separated by commas (minutes), got {times!r}; e.g. "
            "--times -30,-1,30,40,50,60,70."
        ) from None


def _parse_units(items: list[str] | None, default_column: str | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        if "=" in item:
            col, unit = item.split("=", 1)
            out[col.strip().lower()] = unit.strip()
        elif default_column is not None:
            out[default_column] = item.strip()
        else:
            raise UnitError(f"--unit {item!r}: write COLUMN=UNIT, e.g. --unit ft4=ng/dL.")
    return out


def _saliva_table(path: Path, unit: list[str] | None, analyte: str = "cortisol") -> pd.DataFrame:
    from neuroendo.units import normalize_unit

    units = _parse_units(unit, default_column=analyte)
    value_unit = units.pop(analyte, None)
    raw = read_table(path, units=units)
    ids = ("subject", "sample", "condition", "day", "unit")
    numeric = [c for c in raw.columns if c not in ids]
    raw = read_table(path, units=units, numeric=numeric, nonnegative=False)
    df = saliva_long(raw, analyte=analyte)
    if value_unit is not None:
        df.attrs["units"] = {**df.attrs.get("units", {}), analyte: normalize_unit(value_unit)}
    if analyte not in df.attrs.get("units", {}):
        raise UnitError(
            f"{path.name}: the unit of {analyte!r} is not given; pass --unit nmol/L (or the lab's "
            f"unit), or write it in the header, e.g. '{analyte} [nmol/L]'."
        )
    return df


@app.command("cortisol")
def cortisol_cmd(
    input: Annotated[Path, typer.Argument(help="Saliva/serum cortisol table, long or wide.")],
    times: Annotated[
        str | None,
        typer.Option(help="Sample times in minutes, comma-separated (else a 'time' column)."),
    ] = None,
    unit: UnitOpt = None,
    remove_s0: Annotated[bool, typer.Option(help="Drop sample S0 (BioPsyKit remove_s0).")] = False,
    auc_post: Annotated[bool, typer.Option(help="Also compute AUC_I after t = 0.")] = False,
    slope: Annotated[
        list[str] | None, typer.Option(help="Slope between samples I,J (repeatable), e.g. 1,4.")
    ] = None,
    fmt: FormatOpt = "csv",
    output: OutputOpt = None,
) -> None:
    """Cortisol curve features per subject (BioPsyKit names: cortisol_auc_g, ...)."""
    from neuroendo.measures import cortisol

    df = _saliva_table(input, unit)
    slopes = []
    for s in slope or []:
        try:
            i, j = (int(x) for x in s.split(","))
        except ValueError:
            raise DataValidationError(
                f"--slope {s!r}: write two sample indices, e.g. 1,4."
            ) from None
        slopes.append((i, j))
    res = cortisol.features(
        df,
        sample_times=_parse_times(times),
        remove_s0=remove_s0,
        compute_auc_post=auc_post,
        slopes=slopes,
    )
    write_table(res, fmt, output)


@app.command("car")
def car_cmd(
    input: Annotated[Path, typer.Argument(help="CAR saliva table (samples after awakening).")],
    times: Annotated[
        str | None,
        typer.Option(help="Nominal sample times in minutes after awakening, comma-separated."),
    ] = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = "csv",
    output: OutputOpt = None,
) -> None:
    """Cortisol awakening response features per subject (and day)."""
    from neuroendo.measures import cortisol

    df = _saliva_table(input, unit)
    res = cortisol.car_features(df, sample_times=_parse_times(times))
    write_table(res, fmt, output)


THYROID_COLUMNS = ("tsh", "ft4", "ft3", "tt4", "tt3")
GONADAL_COLUMNS = ("testosterone", "shbg", "albumin", "lh", "fsh", "estradiol")


def _index_frame(df: pd.DataFrame) -> pd.DataFrame:
    ids = [c for c in ("subject", "condition", "day", "time") if c in df.columns]
    return pd.DataFrame(
        index=pd.MultiIndex.from_frame(df[ids])
        if len(ids) > 1
        else (df[ids[0]] if ids else df.index)
    )


def _unit_of(df: pd.DataFrame, col: str, path: Path) -> str:
    try:
        return str(df.attrs["units"][col])
    except KeyError:
        raise UnitError(
            f"{path.name}: the unit of column {col!r} is not given; write it in the header "
            f"('{col} [unit]') or pass --unit {col}=UNIT."
        ) from None


@app.command("thyroid")
def thyroid_cmd(
    input: Annotated[Path, typer.Argument(help="Table with tsh, ft4 (ft3, tt4, tt3) columns.")],
    unit: UnitOpt = None,
    ft4_uln: Annotated[
        float | None, typer.Option(help="FT4 upper reference limit (FT4 unit), for TTSI.")
    ] = None,
    fmt: FormatOpt = "csv",
    output: OutputOpt = None,
) -> None:
    """Thyroid homeostasis: SPINA-GT/GD, Jostel's TSH index, sTSHI, TTSI, FT3/FT4."""
    from neuroendo.measures import thyroid

    df = read_table(input, units=_parse_units(unit), numeric=THYROID_COLUMNS, required=("tsh",))
    out = _index_frame(df)
    u = {c: _unit_of(df, c, input) for c in THYROID_COLUMNS if c in df.columns}
    tsh = df["tsh"].to_numpy()
    if "ft4" in df:
        ft4 = df["ft4"].to_numpy()
        out["spina_gt"] = thyroid.spina_gt(tsh, ft4, tsh_unit=u["tsh"], ft4_unit=u["ft4"])
        out["jostel_tsh_index"] = thyroid.jostel_tsh_index(
            tsh, ft4, tsh_unit=u["tsh"], ft4_unit=u["ft4"]
        )
        out["stshi"] = thyroid.stshi(tsh, ft4, tsh_unit=u["tsh"], ft4_unit=u["ft4"])
        if ft4_uln is not None:
            out["ttsi"] = thyroid.ttsi(tsh, ft4, ft4_uln, tsh_unit=u["tsh"])
    if "ft4" in df and "ft3" in df:
        ft3 = df["ft3"].to_numpy()
        out["spina_gd"] = thyroid.spina_gd(ft4, ft3, ft4_unit=u["ft4"], ft3_unit=u["ft3"])
        out["ft3_ft4_ratio"] = thyroid.ft3_ft4_ratio(ft3, ft4, ft3_unit=u["ft3"], ft4_unit=u["ft4"])
    if "tt4" in df:
        out["spina_gtt"] = thyroid.spina_gtt(
            tsh, df["tt4"].to_numpy(), tsh_unit=u["tsh"], tt4_unit=u["tt4"]
        )
    if "tt4" in df and "tt3" in df:
        out["spina_gdtt"] = thyroid.spina_gdtt(
            df["tt4"].to_numpy(), df["tt3"].to_numpy(), tt4_unit=u["tt4"], tt3_unit=u["tt3"]
        )
    if out.shape[1] == 0:
        raise DataValidationError(
            f"{input.name}: nothing to compute; give at least the columns 'tsh' and 'ft4'."
        )
    from neuroendo.measures import CATALOGUE

    out.attrs["units"] = {c: CATALOGUE[c].unit for c in out.columns if c in CATALOGUE}
    out.attrs["source"] = input.name
    write_table(out, fmt, output)


@app.command("gonadal")
def gonadal_cmd(
    input: Annotated[
        Path, typer.Argument(help="Table with testosterone, shbg (albumin, lh, fsh, estradiol).")
    ],
    unit: UnitOpt = None,
    fmt: FormatOpt = "csv",
    output: OutputOpt = None,
) -> None:
    """Sex-hormone indices: free and bioavailable testosterone (Vermeulen 1999), FAI, ratios."""
    from neuroendo.measures import gonadal

    df = read_table(input, units=_parse_units(unit), numeric=GONADAL_COLUMNS)
    out = _index_frame(df)
    u = {c: _unit_of(df, c, input) for c in GONADAL_COLUMNS if c in df.columns}
    if "testosterone" in df and "shbg" in df:
        t, shbg = df["testosterone"].to_numpy(), df["shbg"].to_numpy()
        kw = {"t_unit": u["testosterone"], "shbg_unit": u["shbg"]}
        alb: dict[str, Any] = {}
        if "albumin" in df:
            alb = {"albumin": df["albumin"].to_numpy(), "albumin_unit": u["albumin"]}
        out["free_testosterone"] = gonadal.free_testosterone(t, shbg, **alb, **kw)
        out["bioavailable_testosterone"] = gonadal.bioavailable_testosterone(t, shbg, **alb, **kw)
        out["free_androgen_index"] = gonadal.free_androgen_index(t, shbg, **kw)
    if "lh" in df and "fsh" in df:
        out["lh_fsh_ratio"] = gonadal.lh_fsh_ratio(
            df["lh"].to_numpy(), df["fsh"].to_numpy(), lh_unit=u["lh"], fsh_unit=u["fsh"]
        )
    if "estradiol" in df and "testosterone" in df:
        out["estradiol_testosterone_ratio"] = gonadal.estradiol_testosterone_ratio(
            df["estradiol"].to_numpy(),
            df["testosterone"].to_numpy(),
            e2_unit=u["estradiol"],
            t_unit=u["testosterone"],
        )
    if out.shape[1] == 0:
        raise DataValidationError(
            f"{input.name}: nothing to compute; give at least 'testosterone' and 'shbg', or "
            "'lh' and 'fsh'."
        )
    from neuroendo.measures import CATALOGUE

    out.attrs["units"] = {c: CATALOGUE[c].unit for c in out.columns if c in CATALOGUE}
    out.attrs["source"] = input.name
    write_table(out, fmt, output)
