"""``neuroendo analytes``: the analyte catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from neuroendo import analytes as catalogue
from neuroendo.cli._output import write_table


def analytes(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """List every analyte with canonical unit, molar mass and LOINC codes."""
    rows = []
    for a in catalogue.ANALYTES.values():
        rows.append(
            {
                "analyte": a.key,
                "name": a.name,
                "canonical_unit": a.canonical_unit,
                "molar_mass_g_per_mol": a.molar_mass,
                "loinc": " ".join(f"{c.code} ({c.prop.value}, {c.example_unit})" for c in a.loinc),
                "axis": a.axis,
            }
        )
    df = pd.DataFrame(rows).set_index("analyte")
    if fmt != "table":
        write_table(df, fmt, output)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="neuroendo analyte catalogue", show_lines=False)
    for col in ("analyte", "name", "canonical unit", "molar mass", "LOINC codes"):
        table.add_column(col)
    for key, r in df.iterrows():
        mm = "" if pd.isna(r["molar_mass_g_per_mol"]) else f"{r['molar_mass_g_per_mol']:g}"
        table.add_row(str(key), r["name"], r["canonical_unit"], mm, r["loinc"])
    Console(width=160).print(table)
