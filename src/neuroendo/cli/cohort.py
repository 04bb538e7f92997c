"""``neuroendo cohort``: fit a model to every subject of a table (Dask) and summarise by group."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from neuroendo._core.errors import DataValidationError
from neuroendo.cli.fit import (
    CiOpt,
    FixedOpt,
    FreeOpt,
    ModelArg,
    NoiseOpt,
    ObservableOpt,
    PreEquilibrationOpt,
    TimeUnitOpt,
    TsstOpt,
    _observables,
    _parse_free,
    _parse_pairs,
    _read,
    _tsst,
)

app = typer.Typer(
    name="cohort",
    help="Fit a model to every subject of a cohort (Dask) and summarise the fits by group.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _wide(table: Any) -> Any:
    """Per-subject view for the terminal: status, objective and one column per estimate."""
    per = table.drop_duplicates("subject").set_index("subject")
    cov = list(table.attrs.get("covariates", []))
    est = table[table["parameter"].notna()].pivot(
        index="subject", columns="parameter", values="estimate"
    )
    out = per[[*cov, "status", "objective"]].join(est)
    out.columns.name = None
    return out


@app.command("fit")
def fit(
    model: ModelArg,
    data: Annotated[
        Path,
        typer.Argument(help="Tidy CSV: subject, time, analyte, value, unit (+ group etc.)."),
    ],
    free: FreeOpt,
    fixed: FixedOpt = None,
    observable: ObservableOpt = None,
    tsst: TsstOpt = None,
    subject: Annotated[
        list[str] | None, typer.Option("--subject", help="Fit only this subject; repeat.")
    ] = None,
    time_unit: TimeUnitOpt = None,
    noise: NoiseOpt = "lognormal",
    pre_equilibration: PreEquilibrationOpt = None,
    starts: Annotated[int, typer.Option("--starts", help="Multistart count per subject.")] = 20,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Root seed (one stream per subject).")
    ] = None,
    ci: CiOpt = "profile",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); default a local cluster; "
            "'synchronous' runs in this process.",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Local cluster processes (default: cores).")
    ] = None,
    on_error: Annotated[
        str, typer.Option("--on-error", help="raise, or skip (failed subjects become rows)")
    ] = "raise",
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, json or parquet")
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to a file (.parquet implies parquet)."),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")
    ] = True,
) -> None:
    """Fit MODEL to every subject of DATA, one Dask task per subject; write the estimates."""
    from neuroendo._core.validation import check_option
    from neuroendo.cli._output import progress_bar, write_table
    from neuroendo.cohort import fit_cohort

    check_option("format", fmt, ("table", "csv", "json", "parquet"))
    check_option("on_error", on_error, ("raise", "skip"))
    if output is not None and output.suffix.lower() == ".parquet":
        fmt = "parquet"
    if fmt == "parquet" and output is None:
        raise DataValidationError("--format parquet needs --output FILE.parquet.")
    if workers is not None and workers < 1:
        raise DataValidationError(f"--workers must be >= 1, got {workers}.")
    try:
        import distributed  # noqa: F401
    except ImportError:
        print('error: cohort fitting needs Dask: pip install "neuroendo[cohort]"', file=sys.stderr)
        raise typer.Exit(1) from None
    df = _read(data, time_unit)
    fixed_d = {k: float(v) for k, v in _parse_pairs(fixed or [], "--fixed").items()}
    kwargs: dict[str, Any] = {
        "fixed": fixed_d,
        "observables": _observables(observable or []),
        "inputs": _tsst(tsst, df, time_unit),
        "noise": noise,
        "pre_equilibration": pre_equilibration,
        "starts": starts,
        "ci": ci,
        "time_unit": time_unit,
    }
    bar, callback = progress_bar(progress, "fitting")
    with bar:
        fits = fit_cohort(
            model,
            df,
            free=_parse_free(free),
            subjects=subject or None,
            seed=seed,
            client=scheduler,
            n_workers=workers,
            on_error=on_error,
            progress=callback,
            **kwargs,
        )
    table = fits.table
    if fmt == "parquet":
        assert output is not None
        fits.to_parquet(output)
    elif fmt in ("csv", "json"):
        write_table(table, fmt, output)
    else:
        text = _wide(table).to_string() + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    status = fits.status
    n_bad = int((status != "converged").sum())
    print(
        f"{len(status)} subjects: {int((status == 'converged').sum())} converged, "
        f"{int((status == 'not_converged').sum())} not converged, {fits.n_failed} failed "
        f"(seed {fits.seed}).",
        file=sys.stderr,
    )
    if n_bad:
        raise typer.Exit(3)


def _read_results(path: Path) -> Any:
    import pandas as pd

    if not path.is_file():
        raise DataValidationError(f"{path}: file not found; check the path.")
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path)


@app.command("summary")
def summary(
    results: Annotated[
        Path, typer.Argument(help="Results of 'cohort fit' (.parquet, or its CSV).")
    ],
    group_by: Annotated[
        list[str] | None,
        typer.Option("--group-by", "-g", help="Covariate column(s) to group by; repeat."),
    ] = None,
    parameter: Annotated[
        list[str] | None, typer.Option("--parameter", help="Parameter to show; repeat.")
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also draw estimates by group to this image (.png, .svg)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Summarise fitted parameters by group (n, median, quartiles, geometric mean)."""
    from neuroendo._core.validation import check_option
    from neuroendo.cli._output import write_table
    from neuroendo.cohort import summarize

    check_option("format", fmt, ("table", "csv", "json"))
    table = _read_results(results)
    if group_by:
        by: list[str] | None = list(group_by)
    elif "group" in table.columns:
        by = ["group"]
    else:
        by = None
    summ = summarize(table, by=by, parameters=parameter or None)
    if fmt == "table":
        text = summ.to_string(float_format=lambda v: f"{v:.4g}") + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    else:
        write_table(summ, fmt, output)
    if plot is not None:
        _plot_groups(table, by, parameter or None, plot)
        print(f"plot written to {plot}", file=sys.stderr)


def _plot_groups(table: Any, by: list[str] | None, parameters: Any, path: Path) -> None:
    """Draw one panel per parameter: box and points of each group's estimates.

    The axis is logarithmic when the parameter was fitted on log10 scale.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    t = table[table["status"] != "failed"]
    t = t[t["parameter"].notna()]
    names = list(dict.fromkeys(t["parameter"]))
    if parameters is not None:
        names = [n for n in names if n in set(parameters)]
    if not names:
        raise DataValidationError("No fitted estimates to plot (every subject failed?).")
    label = t[by].astype(str).agg(" / ".join, axis=1) if by else t["parameter"].map(lambda _: "all")
    groups = sorted(dict.fromkeys(label))
    ncols = min(3, len(names))
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.4 * nrows), squeeze=False)
    rng = np.random.default_rng(0)  # jitter only
    units = table.attrs.get("units", {})
    for ax, name in zip(axes.flat, names, strict=False):
        sel = t["parameter"] == name
        vals = [t.loc[sel & (label == g), "estimate"].to_numpy(float) for g in groups]
        ax.boxplot(vals, tick_labels=groups, showfliers=False)
        for i, v in enumerate(vals, start=1):
            ax.plot(i + 0.12 * rng.uniform(-1, 1, v.size), v, "o", ms=3, alpha=0.6, color="C0")
        scale = t.loc[sel, "scale"].iloc[0] if "scale" in t.columns else "lin"
        if scale == "log10":
            ax.set_yscale("log")
        unit = units.get(name) or (t.loc[sel, "unit"].iloc[0] if "unit" in t.columns else "")
        ax.set_title(f"{name} [{unit}]" if unit and unit != "1" else name)
        ax.tick_params(axis="x", rotation=30)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    fig.suptitle(f"{table.attrs.get('model', '')} estimates by {' / '.join(by or ['cohort'])}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
