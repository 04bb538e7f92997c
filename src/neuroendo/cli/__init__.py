"""The ``neuroendo`` command line: parse, call the public API, write. No formulas live here.

Exit codes: 0 success; 1 an unexpected neuroendo failure (e.g. a solver error); 2 bad input or
usage (a one-line message naming the file, row, column and fix; ``--debug`` shows the traceback);
3 finished but some subjects failed.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["app", "main"]


def _build_app() -> Any:
    import typer

    from neuroendo.cli import (
        analytes,
        analyze,
        balance,
        cohort,
        demo,
        fit,
        lint,
        measure,
        measure_more,  # noqa: F401 - registers measure questionnaire|immune|metabolic
        models,
        report,
        serve,
    )

    app = typer.Typer(
        name="neuroendo",
        help="Measure and model neuro-hormonal balance (HPA, HPT, HPG axes and HRV).",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.command("analytes", help="List the analyte catalogue: units, molar masses, LOINC codes.")(
        analytes.analytes
    )
    app.add_typer(measure.app, name="measure")
    app.command("balance", help="Balance profile per subject (research summary, not a diagnosis).")(
        balance.balance
    )
    app.command("fit", help="Fit a model to one subject's measurements.")(fit.fit)
    app.add_typer(
        cohort.app,
        name="cohort",
        help="Fit a model to every subject of a cohort (Dask) and summarise by group.",
    )
    app.command("lint", help="Check a lab table, FHIR JSON or HL7 file; list every problem.")(
        lint.lint
    )
    app.command("models", help="List the registered models.")(models.models)
    app.command("simulate", help="Simulate a model under stress/drug inputs.")(models.simulate)
    app.command(
        "analyze", help="Steady states, stability, loop gains and stress response of a model."
    )(analyze.analyze)
    app.command(
        "report", help="Write a self-contained HTML report (no network needed to view it)."
    )(report.report)
    app.command("serve", help="Serve the web app (127.0.0.1 unless given a token).")(serve.serve)
    app.command("demo", help="Run the main job on the bundled example data.")(demo.demo)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _build_app()
    raise AttributeError(name)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``neuroendo`` command (and ``python -m neuroendo``).

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).
    """
    from neuroendo.cli._run import run

    sys.exit(run(_build_app(), sys.argv[1:] if argv is None else argv))
