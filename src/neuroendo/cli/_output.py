"""Writing result tables as CSV or JSON to stdout or a file."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from neuroendo._core.validation import check_option


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):
        return _clean(v.item())
    return v


def write_table(df: pd.DataFrame, fmt: str, output: Path | None) -> None:
    """Write ``df`` (index kept) as CSV or JSON; JSON carries ``units`` and ``rows``."""
    check_option("format", fmt, ("csv", "json"))
    flat = df.reset_index() if any(n is not None for n in df.index.names) else df
    if fmt == "csv":
        text = flat.to_csv(index=False)
    else:
        rows = [{k: _clean(v) for k, v in rec.items()} for rec in flat.to_dict(orient="records")]
        payload = {"units": dict(df.attrs.get("units", {})), "rows": rows}
        if "source" in df.attrs:
            payload["source"] = df.attrs["source"]
        text = json.dumps(payload, indent=2, default=str) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def progress_bar(enabled: bool, label: str) -> tuple[Any, Any]:
    """Return a rich progress bar on stderr (a context manager) and the callback advancing it.

    The callback takes ``(done, total, *extra)``; with ``enabled=False`` the bar is a null
    context and the callback ``None``.
    """
    import contextlib

    if not enabled:
        return contextlib.nullcontext(), None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress(
        label,
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task: list[Any] = []

    def callback(done: int, total: int, *extra: Any) -> None:
        if not task:
            task.append(bar.add_task(label, total=total))
        bar.update(task[0], completed=done)

    return bar, callback
