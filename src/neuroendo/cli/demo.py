"""``neuroendo demo``: the main job on the bundled example study."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from neuroendo.cli._output import write_table


def demo(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the features as CSV.")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(help="Where to write the HTML report (default: neuroendo-demo-report.html)."),
    ] = Path("neuroendo-demo-report.html"),
    no_report: Annotated[bool, typer.Option("--no-report", help="Skip the HTML report.")] = False,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve", help="Load the example data into a fresh database and open the web app."
        ),
    ] = False,
    port: Annotated[int, typer.Option(help="Port for --serve.")] = 8000,
) -> None:
    """Cortisol features and TSST responders of BioPsyKit's 26-subject example study."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from neuroendo import datasets
    from neuroendo.measures import cortisol

    console = Console(width=140)
    info = datasets.describe("biopsykit_cortisol")
    df = datasets.load_cortisol_sample()
    console.print(f"[bold]neuroendo demo[/bold] — {info.description}")
    console.print(f"[dim]Source: {info.source}. Licence: {info.licence}.[/dim]\n")

    feats = cortisol.features(df, remove_s0=True, compute_auc_post=True, slopes=[(1, 4)])
    resp = cortisol.tsst_responder(df)
    units = feats.attrs.get("units", {})
    shown = [
        "cortisol_auc_g",
        "cortisol_auc_i",
        "cortisol_max_inc",
        "cortisol_max_inc_percent",
        "cortisol_slopeS1S4" if "cortisol_slopeS1S4" in feats else "cortisol_slope14",
    ]
    table = Table(title="Cortisol features per subject (samples S1-S6, times -1 ... 70 min)")
    table.add_column("condition")
    table.add_column("subject")
    for c in shown:
        table.add_column(
            f"{c.removeprefix('cortisol_')}\n{escape('[' + units.get(c, '') + ']')}",
            justify="right",
        )
    table.add_column("TSST responder\n(≥ 1.5 nmol/L)", justify="center")
    flat = feats.reset_index()
    rflat = resp.reset_index().set_index("subject")
    for _, row in flat.iterrows():
        r = rflat.loc[row["subject"], "tsst_responder"]
        table.add_row(
            str(row.get("condition", "")),
            str(row["subject"]),
            *[f"{row[c]:.3g}" if "slope" in c else f"{row[c]:.2f}" for c in shown],
            "yes" if bool(r) else "no",
        )
    console.print(table)
    summary = feats.groupby(level="condition")[shown[:2]].agg(["mean", "std"])
    console.print("\n[bold]Group summary[/bold] (mean, SD):")
    console.print(summary.round(1).to_string())
    n_resp = int(resp["tsst_responder"].sum())
    console.print(
        f"\n{n_resp} of {len(resp)} subjects are TSST responders "
        "(Miller et al. 2013: baseline-to-peak increase ≥ 1.5 nmol/L)."
    )
    if output is not None:
        write_table(feats, "csv", output)
        console.print(f"Features written to {output}")
    if not no_report and report is not None:
        from neuroendo.cli.report import write_demo_report

        path = write_demo_report(report)
        console.print(f"Report written to {path} (open it in a browser; no network needed).")
    if serve:
        try:
            from neuroendo.app import serve_demo
        except ImportError:  # pragma: no cover - only without the app extra
            console.print('The web app needs its extra: pip install "neuroendo[app]"')
            raise typer.Exit(1) from None
        serve_demo("127.0.0.1", port, open_browser=True)
