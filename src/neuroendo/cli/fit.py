"""``neuroendo fit``: fit a model to one subject's tidy measurement table."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from neuroendo._core.errors import DataValidationError

# options shared by `neuroendo fit` and `neuroendo cohort fit`
ModelArg = Annotated[str, typer.Argument(help="Registered model name, e.g. sriram2012.")]
FreeOpt = Annotated[
    list[str], typer.Option("--free", help="Free parameter, NAME or NAME=LOWER:UPPER; repeat.")
]
FixedOpt = Annotated[
    list[str] | None, typer.Option("--fixed", help="Fixed parameter NAME=VALUE; repeat.")
]
ObservableOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--observable",
        help="ANALYTE=STATE or ANALYTE=STATE*SCALE (SCALE a number or parameter); repeat.",
    ),
]
TsstOpt = Annotated[
    str | None,
    typer.Option(
        "--tsst",
        help="TSST stress window ONSET:DURATION:AMPLITUDE (data time unit), e.g. 30:15:A.",
    ),
]
TimeUnitOpt = Annotated[
    str | None, typer.Option("--time-unit", help="Unit of the time column (min, h).")
]
NoiseOpt = Annotated[str, typer.Option("--noise", help="lognormal or normal")]
PreEquilibrationOpt = Annotated[
    float | None,
    typer.Option("--pre-equilibrate", help="Pre-equilibration time (model time unit)."),
]
CiOpt = Annotated[str, typer.Option("--ci", help="profile, wald or none")]


def _parse_free(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for it in items:
        name, sep, rng = it.partition("=")
        if not sep:
            out[name.strip()] = None
            continue
        lo, colon, hi = rng.partition(":")
        try:
            if not colon:
                raise ValueError
            out[name.strip()] = (float(lo), float(hi))
        except ValueError:
            raise DataValidationError(
                f"--free {it!r}: write NAME or NAME=LOWER:UPPER (e.g. k_i=0.15:15)."
            ) from None
    return out


def _parse_pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for it in items:
        k, sep, v = it.partition("=")
        if not sep or not k.strip() or not v.strip():
            raise DataValidationError(f"{what} {it!r}: write NAME=VALUE.")
        out[k.strip()] = v.strip()
    return out


def _read(path: Path, time_unit: str | None) -> Any:
    import pandas as pd

    from neuroendo.io.tables import split_unit_header

    if not path.is_file():
        raise DataValidationError(f"{path}: file not found; check the path.")
    df = pd.read_csv(path, sep=None, engine="python")
    cols = {}
    units = {}
    for c in df.columns:
        name, unit = split_unit_header(str(c))
        cols[c] = name
        if unit:
            units[name] = unit
    df = df.rename(columns=cols)
    tu = time_unit or units.get("time")
    if tu is not None:
        df.attrs["units"] = {"time": tu}
    return df


def _observables(items: list[str]) -> dict[str, Any] | None:
    """``ANALYTE=STATE`` or ``ANALYTE=STATE*SCALE`` (number or parameter name) options."""
    from neuroendo.fit import Observation

    if not items:
        return None
    obs: dict[str, Any] = {}
    for analyte, rhs in _parse_pairs(items, "--observable").items():
        state, star, scale = rhs.partition("*")
        sc: float | str = 1.0
        if star:
            try:
                sc = float(scale)
            except ValueError:
                sc = scale.strip()
        obs[analyte] = Observation(state.strip(), sc)
    return obs


def _tsst(spec: str | None, df: Any, time_unit: str | None) -> dict[str, Any] | None:
    """``ONSET:DURATION:AMPLITUDE`` option -> the stress input."""
    from neuroendo.fit import tsst_input

    if not spec:
        return None
    parts = spec.split(":")
    if len(parts) != 3:
        raise DataValidationError(f"--tsst {spec!r}: write ONSET:DURATION:AMPLITUDE.")
    tu = time_unit or df.attrs.get("units", {}).get("time")
    try:
        onset, duration = float(parts[0]), float(parts[1])
    except ValueError:
        raise DataValidationError(f"--tsst {spec!r}: ONSET and DURATION must be numbers.") from None
    return {"stress": tsst_input(df, parts[2], onset=onset, duration=duration, time_unit=tu)}


def fit(
    model: ModelArg,
    data: Annotated[
        Path,
        typer.Argument(
            help="Tidy CSV: subject, time, analyte, value, unit (time in min or h, etc.)."
        ),
    ],
    free: FreeOpt,
    fixed: FixedOpt = None,
    observable: ObservableOpt = None,
    tsst: TsstOpt = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Subject to fit.")] = None,
    time_unit: TimeUnitOpt = None,
    noise: NoiseOpt = "lognormal",
    pre_equilibration: PreEquilibrationOpt = None,
    starts: Annotated[int, typer.Option("--starts", help="Multistart count.")] = 20,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the starts.")] = None,
    ci: CiOpt = "profile",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Fit MODEL to one subject of DATA; print estimates with confidence intervals."""
    import warnings

    from neuroendo._core.validation import check_option
    from neuroendo.cli._output import write_table
    from neuroendo.fit import fit_subject

    check_option("format", fmt, ("table", "csv", "json"))
    df = _read(data, time_unit)
    fixed_d = {k: float(v) for k, v in _parse_pairs(fixed or [], "--fixed").items()}
    obs = _observables(observable or [])
    inputs = _tsst(tsst, df, time_unit)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fit_subject(
            model,
            df,
            free=_parse_free(free),
            fixed=fixed_d,
            observables=obs,
            inputs=inputs,
            noise=noise,
            pre_equilibration=pre_equilibration,
            starts=starts,
            seed=seed,
            ci=ci,
            subject=subject,
            time_unit=time_unit,
        )
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    if fmt == "json":
        text = json.dumps(res.to_dict(), indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    elif fmt == "csv":
        write_table(res.to_frame(), "csv", output)
    else:
        text = str(res) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    if not res.converged:
        raise typer.Exit(3)
