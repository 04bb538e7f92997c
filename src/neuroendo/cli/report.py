"""``neuroendo report INPUT -o report.html``: a self-contained HTML report of a lab table."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from neuroendo._core.errors import DataValidationError
from neuroendo.cli.measure import _parse_times, _parse_units, _saliva_table

#: Keyword arguments of ``cortisol.features`` used for the bundled example study (``--demo``).
DEMO_CORTISOL_KWARGS: dict[str, Any] = {
    "remove_s0": True,
    "compute_auc_post": True,
    "slopes": [(1, 4)],
}

#: Columns of a lab table that hold labels, not numbers.
_TEXT_COLUMNS = ("subject", "sex", "condition", "group", "day", "sample", "unit")


def _is_saliva_file(columns: list[str]) -> bool:
    names = {c.lower() for c in columns}
    wide = any(re.fullmatch(r"s?\d+", c) for c in names)
    return "sample" in names or wide


def write_demo_report(output: Path, *, date: str | None = None) -> Path:
    """Write the report of the bundled example study (used by ``neuroendo demo``)."""
    from neuroendo import datasets
    from neuroendo.report import write_report

    info = datasets.describe("biopsykit_cortisol")
    return write_report(
        output,
        datasets.load_cortisol_sample(),
        title="neuroendo demo: saliva cortisol of BioPsyKit's example study",
        cortisol_kwargs=DEMO_CORTISOL_KWARGS,
        source=f"{info.description} Source: {info.source}. Licence: {info.licence}.",
        date=date,
    )


def report(
    input: Annotated[
        Path | None,
        typer.Argument(
            help="Lab table (CSV/Excel): a saliva cortisol table (long, or wide S0..Sn) or one "
            "row per subject with analyte columns (tsh, ft4, ft3, testosterone, shbg ...)."
        ),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            "-u",
            help="Unit of a column, COLUMN=UCUM (e.g. ft4=ng/dL); for a saliva table just the "
            "unit (e.g. nmol/L). Units may also be given in headers, 'ft4 [ng/dL]'.",
        ),
    ] = None,
    times: Annotated[
        str | None,
        typer.Option(
            help="Saliva sample times in minutes, comma-separated (else a 'time' column)."
        ),
    ] = None,
    remove_s0: Annotated[
        bool, typer.Option(help="Saliva: leave sample S0 out of the AUCs (BioPsyKit remove_s0).")
    ] = False,
    rr: Annotated[
        Path | None,
        typer.Option(help="RR-interval text file (ms or s, one per line) for the HRV section."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Report title.")] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Report on the bundled example data instead of INPUT.")
    ] = False,
) -> None:
    """Write a self-contained HTML report (no network needed to view it)."""
    import sys

    from neuroendo.io.tables import read_table
    from neuroendo.measures import hrv
    from neuroendo.report import write_report

    if demo:
        if input is not None:
            raise DataValidationError("Give either INPUT or --demo, not both.")
        path = write_demo_report(output)
        print(f"Report written to {path}", file=sys.stderr)
        return
    if input is None and rr is None:
        raise DataValidationError(
            "No input: give a lab table (neuroendo report labs.csv -o report.html), --rr FILE, "
            "or --demo for the bundled example data."
        )
    kwargs: dict[str, Any] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if input is not None:
            header = read_table(input, units=None, numeric=())
            if _is_saliva_file([str(c) for c in header.columns]):
                kwargs["saliva"] = _saliva_table(input, unit)
                kwargs["cortisol_kwargs"] = {
                    "sample_times": _parse_times(times),
                    "remove_s0": remove_s0,
                }
            else:
                numeric = [c for c in header.columns if c not in _TEXT_COLUMNS]
                kwargs["labs"] = read_table(input, units=_parse_units(unit), numeric=numeric)
        if rr is not None:
            kwargs["rr"] = {rr.stem: hrv.read_rr(rr)}
    path = write_report(
        output,
        title=title or f"neuroendo report: {input.name if input is not None else rr}",
        prior_warnings=list(caught),
        **kwargs,
    )
    print(f"Report written to {path}", file=sys.stderr)
