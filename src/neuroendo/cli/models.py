"""``neuroendo models`` and ``neuroendo simulate``: the model library from the command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from neuroendo._core.errors import DataValidationError, ModelDefinitionError
from neuroendo.cli._output import write_table

_TIME = re.compile(r"^\s*(?P<value>[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*(?P<unit>h|min|d|s)?\s*$")
_STRESS = re.compile(
    r"^(?P<kind>tsst|step|chronic)@(?P<start>[^:\-]+?)(?:-(?P<stop>[^:]+?))?(?::(?P<level>.+))?$"
)


def models(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """List the registered models with axis, states, time unit and reference."""
    import pandas as pd

    from neuroendo import models as registry

    rows = []
    for name in registry.available():
        spec = registry.get(name)
        ref = spec.references[0] if spec.references else None
        rows.append(
            {
                "model": name,
                "axis": spec.axis,
                "states": _states_text(spec.state_names),
                "time_unit": spec.time_unit,
                "variants": " ".join(registry.variants(name)),
                "reference": f"{ref.key} doi:{ref.doi}"
                if ref is not None and ref.doi
                else (ref.key if ref is not None else ""),
            }
        )
    df = pd.DataFrame(rows).set_index("model")
    if fmt != "table":
        write_table(df, fmt, output)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="neuroendo models")
    for col in ("model", "axis", "states", "time", "variants", "reference"):
        table.add_column(col, overflow="fold")
    for key, r in df.iterrows():
        table.add_row(
            str(key), r["axis"], r["states"], r["time_unit"], r["variants"], r["reference"]
        )
    Console(width=160).print(table)


def _states_text(names: tuple[str, ...]) -> str:
    """State names, with linear-chain delay states summarised as a count."""
    delays = [n for n in names if re.search(r"_delay_\d+$", n)]
    shown = " ".join(n for n in names if n not in delays)
    return shown + (f" (+{len(delays)} delay-chain states)" if delays else "")


def _to_model_time(text: str, time_unit: str, what: str) -> float:
    from neuroendo.units import conversion_factor

    m = _TIME.match(text)
    if not m:
        raise DataValidationError(
            f"{what}: cannot read the time {text!r}; write a number with an optional unit "
            "h, min, d or s (e.g. 10h, 90min)."
        )
    value = float(m.group("value"))
    unit = m.group("unit")
    if unit is None:
        return value
    return value * conversion_factor(unit, time_unit)


def _parse_kv(items: list[str] | None, what: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items or []:
        if "=" not in item:
            raise DataValidationError(f"{what} {item!r}: write NAME=VALUE, e.g. {what} krd=1.2.")
        k, v = item.split("=", 1)
        try:
            out[k.strip()] = float(v)
        except ValueError:
            raise DataValidationError(f"{what} {item!r}: {v!r} is not a number.") from None
    return out


def _stress_schedule(text: str, time_unit: str) -> Any:
    from neuroendo.models import inputs

    m = _STRESS.match(text.strip())
    if not m:
        raise DataValidationError(
            f"--stress {text!r}: write KIND@START[-STOP][:LEVEL] with KIND tsst, step or chronic, "
            "e.g. tsst@10h, step@2h-8h:1.5, chronic@24h:0.5."
        )
    start = _to_model_time(m.group("start"), time_unit, "--stress")
    stop = _to_model_time(m.group("stop"), time_unit, "--stress") if m.group("stop") else None
    try:
        level = float(m.group("level")) if m.group("level") else 1.0
    except ValueError:
        raise DataValidationError(
            f"--stress {text!r}: level {m.group('level')!r} is not a number."
        ) from None
    kind = m.group("kind")
    if kind == "tsst":
        minutes = _to_model_time("1min", time_unit, "--stress") if time_unit != "1" else None
        if minutes is None:
            raise DataValidationError(
                "--stress tsst@...: this model's time is dimensionless, so a TSST (15 min) has no "
                "length in it; use step@START-STOP instead."
            )
        duration = (stop - start) if stop is not None else 15.0 * minutes
        return inputs.pulse(start, duration, level)
    if kind == "step":
        return inputs.step(start, stop, level)
    return inputs.chronic_stress(start, level, stop=stop)


def simulate(
    model: Annotated[str, typer.Argument(help="Registered model name (see `neuroendo models`).")],
    hours: Annotated[
        float | None,
        typer.Option(
            help="Duration in hours (models with a physical time unit). Default: 24 h, or 24 "
            "model time units for models in scaled time."
        ),
    ] = None,
    duration: Annotated[
        float | None, typer.Option(help="Duration in the model's own time unit.")
    ] = None,
    points: Annotated[int, typer.Option(help="Number of output times.")] = 601,
    variant: Annotated[str | None, typer.Option(help="Named parameter set.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Parameter value NAME=VALUE.")
    ] = None,
    input_: Annotated[
        list[str] | None, typer.Option("--input", "-i", help="Constant input NAME=VALUE.")
    ] = None,
    stress: Annotated[
        list[str] | None,
        typer.Option(
            help="Stress protocol on the 'stress' input: tsst@10h, step@2h-8h:1.5, "
            "chronic@24h:0.5 (repeatable; summed)."
        ),
    ] = None,
    cohort: Annotated[
        int | None,
        typer.Option(help="Simulate a virtual cohort of N subjects (log-normal parameters)."),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the cohort's draws.")] = None,
    cv: Annotated[
        float, typer.Option(help="Coefficient of variation of every parameter (cohort).")
    ] = 0.2,
    reduce: Annotated[
        list[str] | None,
        typer.Option(
            help="Per-subject feature instead of trajectories (cohort), e.g. auc:cortisol, "
            "max:acth, mean (repeatable)."
        ),
    ] = None,
    backend: Annotated[str | None, typer.Option(help="scipy or numba (cohort default).")] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr (cohort).")
    ] = True,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file (.parquet: Parquet).")
    ] = None,
) -> None:
    """Simulate one model (or a virtual cohort) and write trajectories or features."""
    from neuroendo import models as registry
    from neuroendo.simulation import simulate as run
    from neuroendo.units import conversion_factor

    spec = registry.get(model, variant=variant)
    if hours is not None and duration is not None:
        raise DataValidationError("Give at most one of --hours or --duration.")
    if hours is None and duration is None:
        hours = 24.0 if spec.time_unit != "1" else None
        duration = None if spec.time_unit != "1" else 24.0
        unit_text = "h" if hours is not None else "model time units (scaled time)"
        typer.echo(
            f"No --hours/--duration given: simulating 24 {unit_text} of {model!r}.", err=True
        )
    if hours is not None:
        if spec.time_unit == "1":
            raise DataValidationError(
                f"Model {model!r} runs in dimensionless (scaled) time; give --duration in model "
                "time units instead of --hours."
            )
        end = hours * conversion_factor("h", spec.time_unit)
    else:
        end = float(duration)  # type: ignore[arg-type]
    if not end > 0:
        raise DataValidationError(f"The duration must be positive, got {end:g}.")
    if points < 2:
        raise DataValidationError(f"--points must be at least 2, got {points}.")
    inputs: dict[str, Any] = dict(_parse_kv(input_, "--input"))
    if stress:
        if "stress" not in spec.input_names:
            raise ModelDefinitionError(
                f"Model {model!r} has no 'stress' input (inputs: "
                f"{', '.join(spec.input_names) or 'none'}); use --input NAME=VALUE."
            )
        schedules = [_stress_schedule(s, spec.time_unit) for s in stress]
        total = schedules[0]
        for s in schedules[1:]:
            total = total + s
        inputs["stress"] = total
    t = np.linspace(0.0, end, points)
    fixed = _parse_kv(param, "--param")
    if cohort is None:
        sol = run(spec, t, params=fixed or None, inputs=inputs or None,
                  backend=backend or "scipy")  # fmt: skip
        df = sol.to_pandas()
        df.attrs["source"] = f"neuroendo simulate {model}"
        write_table(df, fmt, output)
        return
    _simulate_cohort(
        spec, t, cohort, fixed, inputs, seed, cv, reduce, backend, fmt, output, progress
    )


def _simulate_cohort(
    spec: Any, t: Any, n: int, fixed: dict[str, float], inputs: dict[str, Any],
    seed: int | None, cv: float, reduce: list[str] | None, backend: str | None, fmt: str,
    output: Path | None, progress: bool = True,
) -> None:  # fmt: skip
    """``--cohort N``: log-normal parameters around nominal (``--param`` values held fixed)."""
    import sys

    from neuroendo.cli._output import progress_bar
    from neuroendo.simulation import LogNormal, simulate_cohort, to_parquet

    if n < 1:
        raise DataValidationError(f"--cohort must be at least 1, got {n}.")
    dist = LogNormal(cv)
    params: dict[str, Any] = {p: fixed.get(p, dist) for p in spec.param_names}
    print(f"simulating {n:,} subjects of {spec.name} ...", file=sys.stderr)
    bar, callback = progress_bar(progress and n > 1, "simulating")
    with bar:
        result = simulate_cohort(
            spec, t, n, params=params, inputs=inputs or None, seed=seed, reduce=reduce or None,
            backend=backend or "numba", progress=callback,
        )  # fmt: skip
    if output is not None and output.suffix == ".parquet":
        to_parquet(result, output)
        print(f"wrote {output}", file=sys.stderr)
        return
    df = result if reduce else result.to_pandas()
    df.attrs["source"] = f"neuroendo simulate {spec.name} --cohort {n}"
    write_table(df, fmt, output)
