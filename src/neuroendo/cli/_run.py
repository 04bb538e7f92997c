"""Run the typer app, mapping neuroendo errors to one-line messages and exit codes."""

from __future__ import annotations

import sys
import traceback
from typing import Any

from neuroendo._core.errors import (
    DataValidationError,
    NeuroendoError,
    UnitError,
    UnknownAnalyteError,
)

#: Errors caused by the user's input or options: exit 2 (like a usage error).
INPUT_ERRORS = (DataValidationError, UnitError, UnknownAnalyteError, ValueError)


def run(app: Any, argv: list[str]) -> int:
    """Run ``app`` on ``argv`` and return the exit code."""
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    try:
        rv = app(argv, standalone_mode=False)
    except SystemExit as exc:  # typer/click exits (help, usage errors)
        return int(exc.code or 0)
    except Exception as exc:
        import typer

        if isinstance(exc, typer.Exit):
            return int(exc.exit_code)
        if isinstance(exc, typer.Abort):
            print("Aborted.", file=sys.stderr)
            return 1
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click/typer usage errors
            exc.show()
            return int(exc.exit_code)
        if debug:
            traceback.print_exc()
        if isinstance(exc, INPUT_ERRORS):
            print(f"error: {_one_line(exc)}", file=sys.stderr)
            return 2
        if isinstance(exc, NeuroendoError):
            print(f"error: {_one_line(exc)}", file=sys.stderr)
            return 1
        raise
    return rv if isinstance(rv, int) else 0


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
