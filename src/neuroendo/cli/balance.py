"""``neuroendo balance INPUT``: balance profile (research summary) for one subject or a cohort."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo.cli._output import write_table
from neuroendo.io.tables import read_table

_IDS = ("subject", "sex", "condition", "day", "time", "group")


def _pairs(items: list[str] | None, option: str, example: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise DataValidationError(f"{option} {item!r}: write KEY=VALUE, e.g. {example}.")
        k, v = item.split("=", 1)
        out[k.strip().lower()] = v.strip()
    return out


def _user_norm(key: str, text: str) -> object:
    from neuroendo.measures import composite, references

    try:
        mean, sd = (float(x) for x in text.split(","))
    except ValueError:
        raise DataValidationError(
            f"--norm {key}={text!r}: write MEAN,SD in the component's unit, e.g. pss10=13,6."
        ) from None
    comp = composite.COMPONENTS.get(key)
    if comp is None:
        raise DataValidationError(f"--norm {key}=...: unknown component {key!r}.")
    return references.from_mean_sd(
        f"user_{key}", key, mean, sd, comp.unit, source="user-supplied (--norm)",
        population="declared by the user", analyte=comp.analyte,
    )  # fmt: skip


def balance(
    input: Annotated[
        Path,
        typer.Argument(
            help="Table with one row per subject: component columns (tsh, ft4, testosterone, "
            "rmssd, ...), optional subject, age and sex columns; units in headers, e.g. "
            "'ft4 [pmol/L]'."
        ),
    ],
    unit: Annotated[
        list[str] | None,
        typer.Option("--unit", "-u", help="Unit of a column, COLUMN=UCUM (e.g. ft4=ng/dL)."),
    ] = None,
    age: Annotated[
        float | None, typer.Option(help="Age in years for every row (else the 'age' column).")
    ] = None,
    sex: Annotated[
        str | None, typer.Option(help="Sex F or M for every row (else the 'sex' column).")
    ] = None,
    reference: Annotated[
        list[str] | None,
        typer.Option(
            "--reference",
            "-r",
            help="Reference of a component, COMPONENT=NAME (e.g. tsh=ship2005_tsh); "
            "see neuroendo.measures.references.available().",
        ),
    ] = None,
    norm: Annotated[
        list[str] | None,
        typer.Option(
            help="User-declared normal reference of a component, COMPONENT=MEAN,SD in the "
            "component's unit (e.g. pss10=13,6); reported with source 'user-supplied (--norm)'.",
        ),
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight",
            "-w",
            help="Weight of a component or an axis, KEY=NUMBER (e.g. hpa=2, tsh=0.5).",
        ),
    ] = None,
    components: Annotated[
        bool, typer.Option(help="Write every component (long table) instead of axis scores.")
    ] = False,
    missing_demographics: Annotated[
        str,
        typer.Option(help="When age/sex needed by a reference is unknown: raise or skip."),
    ] = "raise",
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format: csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Balance profile per subject: axis scores (|z| against declared references), index.

    A research summary, not a diagnosis.
    """
    from neuroendo.measures import composite

    df = read_table(input, units=_pairs(unit, "--unit", "ft4=ng/dL"), nonnegative=False)
    numeric = [c for c in df.columns if c not in _IDS]
    df = read_table(input, units=_pairs(unit, "--unit", "ft4=ng/dL"), numeric=numeric)
    found = {str(c) for c in df.columns} - set(_IDS) - {"age"}
    needs_unit = [
        c
        for c in found
        if c in composite.COMPONENTS
        and composite.COMPONENTS[c].unit != "1"
        and c not in df.attrs.get("units", {})
    ]
    if needs_unit:
        c = sorted(needs_unit)[0]
        raise UnitError(
            f"{input.name}: the unit of column {c!r} is not given; write it in the header "
            f"('{c} [{composite.COMPONENTS[c].unit}]') or pass --unit {c}=UNIT."
        )
    weights: dict[str, float] = {}
    for k, v in _pairs(weight, "--weight", "hpa=2").items():
        try:
            weights[k] = float(v)
        except ValueError:
            raise DataValidationError(f"--weight {k}={v!r}: the weight must be a number.") from None
    axis_w = {k: v for k, v in weights.items() if k in composite.AXES}
    comp_w = {k: v for k, v in weights.items() if k not in composite.AXES}
    refs: dict[str, object] = dict(_pairs(reference, "--reference", "tsh=ship2005_tsh"))
    for k, v in _pairs(norm, "--norm", "pss10=13,6").items():
        refs[k] = _user_norm(k, v)
    profile = composite.balance_profile(
        df,
        age=age,
        sex=sex,
        references=refs or None,  # type: ignore[arg-type]
        component_weights=comp_w or None,
        axis_weights=axis_w or None,
        missing_demographics=missing_demographics,
    )
    if components:
        out = profile.to_frame()
        out.attrs["units"] = {"value": "(see unit column)", "z": "1", "percentile": "%"}
    else:
        out = profile.axes_frame()
        out.index.name = "subject" if "subject" in df.columns else None
        out.attrs["units"] = {c: "1" for c in out.columns if not c.endswith("_direction")}
    out.attrs["source"] = input.name
    write_table(out, fmt, output)
