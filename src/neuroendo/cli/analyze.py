"""``neuroendo analyze MODEL``: steady states, stability, feedback loops and stress response."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from neuroendo._core.validation import check_option
from neuroendo.cli.models import _parse_kv


def _num(v: Any) -> Any:
    """JSON-safe number: NaN/inf become None (never printed as a silent NaN)."""
    v = float(v)
    return v if math.isfinite(v) else None


def _report(
    model: str,
    variant: str | None,
    params: dict[str, float],
    inputs: dict[str, float],
    n_starts: int,
    tsst_level: float,
    time_unit_as: str | None,
) -> dict[str, Any]:
    from neuroendo import analysis
    from neuroendo import models as registry
    from neuroendo._core.errors import NeuroendoError

    spec = registry.get(model, variant=variant)
    if params:
        spec = spec.with_params(params)
    ss = analysis.steady_states(spec, inputs=inputs or None, n_starts=n_starts)
    out: dict[str, Any] = {
        "model": spec.name,
        "variant": variant,
        "time_unit": spec.time_unit,
        "params": params,
        "inputs": inputs,
        "steady_states": {
            "status": ss.status,
            "message": ss.message,
            "rows": [
                {
                    **{s: _num(v) for s, v in zip(ss.state_names, row, strict=True)},
                    "stability": str(lab),
                    "max_real_eigenvalue": _num(ev.real[0]),
                }
                for row, lab, ev in zip(ss.states, ss.stability, ss.eigenvalues, strict=True)
            ],
        },
    }
    loops: list[dict[str, Any]] = []
    loop_note = ""
    stable = np.flatnonzero(ss.stability == "stable")
    if ss.status == "ok":
        at = ss.states[stable[0]] if stable.size else ss.states[0]
        loop_note = (
            "at the first stable steady state"
            if stable.size
            else ("at the first steady state (none is stable)")
        )
        for lp in analysis.feedback_loops(spec, at, inputs=inputs or None):
            loops.append({"loop": lp.name, "sign": lp.sign, "gain": _num(lp.gain), "note": lp.note})
    out["feedback_loops"] = {"where": loop_note, "rows": loops}
    if "stress" not in spec.input_names or "cortisol" not in spec.state_names:
        out["stress_response"] = {
            "status": "skipped",
            "reason": "the model has no 'stress' input or no 'cortisol' state",
        }
    else:
        try:
            r = analysis.simulate_tsst(
                spec, inputs=inputs or None, level=tsst_level, time_unit_as=time_unit_as
            )
        except NeuroendoError as exc:
            out["stress_response"] = {"status": "skipped", "reason": " ".join(str(exc).split())}
        else:
            sc = {k: _num(v[0]) for k, v in r.scores.items()}
            import pandas as pd

            resp = r.result["tsst_responder"].iloc[0]
            out["stress_response"] = {
                "status": "ok",
                "protocol": r.notes,
                "scores_minutes": sc,
                "tsst_responder": None if pd.isna(resp) else bool(resp),
                "criterion": str(r.result["tsst_criterion"].iloc[0]),
            }
    return out


def analyze(
    model: Annotated[str, typer.Argument(help="Registered model name (see `neuroendo models`).")],
    variant: Annotated[str | None, typer.Option(help="Named parameter set.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Parameter value NAME=VALUE.")
    ] = None,
    input_: Annotated[
        list[str] | None, typer.Option("--input", "-i", help="Constant input NAME=VALUE.")
    ] = None,
    n_starts: Annotated[int, typer.Option(help="Newton starts for the steady states.")] = 64,
    tsst_level: Annotated[float, typer.Option(help="Peak stress drive of the TSST.")] = 5.0,
    time_unit_as: Annotated[
        str | None,
        typer.Option(help="For scaled-time models: what one model time unit stands for (h)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Print a model's steady states, their stability, feedback loop gains and TSST response."""
    check_option("format", fmt, ("table", "json"))
    rep = _report(
        model,
        variant,
        _parse_kv(param, "--param"),
        _parse_kv(input_, "--input"),
        n_starts,
        tsst_level,
        time_unit_as,
    )
    if fmt == "json":
        text = json.dumps(rep, indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(width=140, file=None if output is None else output.open("w"))
    ss = rep["steady_states"]
    console.print(f"[bold]{rep['model']}[/bold] (time unit {rep['time_unit']})")
    if ss["status"] != "ok":
        console.print(f"steady states: {ss['status']}: {ss['message']}")
    else:
        t = Table(title="steady states")
        cols = list(ss["rows"][0])
        for c in cols:
            t.add_column(c)
        for row in ss["rows"]:
            t.add_row(*[f"{v:.6g}" if isinstance(v, float) else str(v) for v in row.values()])
        console.print(t)
    lt = Table(title=f"feedback loops ({rep['feedback_loops']['where']})")
    for c in ("loop", "sign", "gain", "note"):
        lt.add_column(c)
    for row in rep["feedback_loops"]["rows"]:
        g = row["gain"]
        lt.add_row(
            row["loop"],
            "+" if row["sign"] > 0 else "-",
            "undefined" if g is None else f"{g:.4g}",
            row["note"],
        )
    console.print(lt)
    sr = rep["stress_response"]
    if sr["status"] != "ok":
        console.print(f"stress response: skipped ({sr['reason']})")
    else:
        st = Table(title=f"TSST stress response ({sr['protocol']})")
        st.add_column("score")
        st.add_column("value")
        for k, v in sr["scores_minutes"].items():
            st.add_row(k, "n/a" if v is None else f"{v:.4g}")
        st.add_row("tsst_responder", str(sr["tsst_responder"]))
        console.print(st)
