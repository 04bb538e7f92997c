"""``neuroendo lint FILE``: list every problem of a lab table, FHIR file or HL7 message."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from neuroendo._core.validation import IssueList, Severity, check_option
from neuroendo.io import lint as lint_io

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _print_text(issues: IssueList, name: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    out = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    for issue in issues:
        style = _STYLE[issue.severity]
        out.print(f"{escape(name)}: [{style}]{escape(str(issue))}[/{style}]")
    n_err = len(issues.errors)
    n_warn = sum(i.severity is Severity.WARNING for i in issues)
    summary = f"{name}: {n_err} error(s), {n_warn} warning(s)" if issues else f"{name}: no issues"
    Console(file=sys.stderr, highlight=False).print(escape(summary))


def lint(
    file: Annotated[Path, typer.Argument(help="CSV/Excel table, FHIR R4 JSON or HL7 v2 file.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="Output format: text (coloured) or json.")
    ] = "text",
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help="table, fhir or hl7 (default: from the file)."),
    ] = None,
) -> None:
    """Check a lab file and list every problem (severity, row, column, message, code).

    Exit code 0 when there are no errors (warnings allowed), 2 when there are errors.
    """
    check_option("format", format, ("text", "json"))
    issues = lint_io.lint(file, format=input_format)
    if format == "json":
        payload = {
            "file": str(file),
            "errors": len(issues.errors),
            "issues": [
                {
                    "severity": i.severity.value,
                    "code": i.code,
                    "message": i.message,
                    "subject": i.subject,
                    "row": i.row,
                    "column": i.column,
                }
                for i in issues
            ],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        _print_text(issues, file.name)
    if issues.has_errors:
        # SystemExit, not typer.Exit: in non-standalone mode (cli._run.run) typer turns Exit into
        # a return value that run() does not pass on, while SystemExit reaches it as exit code
        raise SystemExit(2)
