"""``neuroendo cohort fit`` and ``neuroendo cohort summary``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import neuroendo.cli
from neuroendo.cli import cohort as cohort_cmd
from neuroendo.cli._run import run
from neuroendo.models import get, inputs
from neuroendo.models.inputs import Constant
from neuroendo.simulation import simulate

pytest.importorskip("distributed")


def _app():
    app = neuroendo.cli._build_app()
    names = {g.name for g in app.registered_groups}
    if "cohort" not in names:  # until the sub-app is registered in cli/__init__.py
        app.add_typer(cohort_cmd.app, name="cohort")
    return app


@pytest.fixture(scope="module")
def csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = get("sriram2012")
    t = np.array([0, 15, 30, 40, 50, 65, 140.0])
    n = 3
    y0 = simulate(spec, [200.0], t0=0.0).y[:, 0, -1]
    amp = np.array([2.0, 3.0, 5.0])
    sol = simulate(
        spec,
        t / 60,
        inputs={"stress": Constant(amp) * inputs.tsst(30, duration=15, shape="square")},
        y0=np.repeat(y0[:, None], n, axis=1),
    )
    rng = np.random.default_rng(2)
    rows = [
        pd.DataFrame(
            {
                "subject": f"p{i}",
                "group": "mdd" if i else "control",
                "time": t,
                "analyte": a,
                "unit": "1",
                "value": sol[a][i] * np.exp(0.05 * rng.standard_normal(t.size)),
            }
        )
        for a in ("acth", "cortisol")
        for i in range(n)
    ]
    path = tmp_path_factory.mktemp("cohort") / "tsst.csv"
    pd.concat(rows).rename(columns={"time": "time [min]"}).to_csv(path, index=False)
    return path


ARGS = [
    "--free",
    "A=0.01:100",
    "--fixed",
    "sigma_acth=0.05",
    "--fixed",
    "sigma_cortisol=0.05",
    "--tsst",
    "30:15:A",
    "--pre-equilibrate",
    "200",
    "--starts",
    "3",
    "--seed",
    "1",
    "--ci",
    "wald",
    "--no-progress",
]


@pytest.fixture(scope="module")
def parquet(csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("res") / "fits.parquet"
    code = run(
        _app(),
        ["cohort", "fit", "sriram2012", str(csv), *ARGS, "--workers", "1", "-o", str(out)],
    )
    assert code == 0
    return out


def test_fit_parquet_on_local_cluster(parquet: Path) -> None:
    t = pd.read_parquet(parquet)
    assert list(t["subject"]) == ["p0", "p1", "p2"]
    assert list(t["group"]) == ["control", "mdd", "mdd"]
    assert (t["status"] == "converged").all()
    np.testing.assert_allclose(t["estimate"], [2.0, 3.0, 5.0], rtol=0.15)
    assert t.attrs["seed"] == 1


def test_fit_synchronous_json_same_numbers(csv, parquet, capsys) -> None:
    code = run(
        _app(),
        [
            "cohort",
            "fit",
            "sriram2012",
            str(csv),
            *ARGS,
            "--scheduler",
            "synchronous",
            "--format",
            "json",
        ],
    )
    cap = capsys.readouterr()
    assert code == 0, cap.err
    rows = json.loads(cap.out)["rows"]
    assert [r["estimate"] for r in rows] == pd.read_parquet(parquet)["estimate"].tolist()
    assert "3 subjects: 3 converged" in cap.err


def test_fit_table_and_failed_subject_exit_3(csv, tmp_path, capsys) -> None:
    df = pd.read_csv(csv)
    df.loc[(df["subject"] == "p1") & (df["time [min]"] == 15), "value"] = -1.0
    bad = tmp_path / "bad.csv"
    df.to_csv(bad, index=False)
    argv = ["cohort", "fit", "sriram2012", str(bad), *ARGS, "--scheduler", "synchronous"]
    code = run(_app(), [*argv, "--on-error", "skip"])
    cap = capsys.readouterr()
    assert code == 3
    assert "1 failed" in cap.err
    lines = cap.out.splitlines()
    assert lines[0].split() == ["group", "status", "objective", "A"]
    assert "failed" in next(ln for ln in lines if ln.startswith("p1"))
    code = run(_app(), argv)
    assert code == 2
    assert "error:" in capsys.readouterr().err


def test_fit_usage_errors(csv, capsys) -> None:
    base = ["cohort", "fit", "sriram2012", str(csv), *ARGS, "--scheduler", "synchronous"]
    assert run(_app(), [*base, "--format", "parquet"]) == 2
    assert "--output" in capsys.readouterr().err
    assert run(_app(), [*base, "--on-error", "skp"]) == 2
    assert "Did you mean 'skip'" in capsys.readouterr().err


def test_summary_table_json_and_plot(parquet, tmp_path, capsys) -> None:
    png = tmp_path / "groups.png"
    code = run(_app(), ["cohort", "summary", str(parquet), "--plot", str(png)])
    cap = capsys.readouterr()
    assert code == 0, cap.err
    assert png.stat().st_size > 1000
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert "control" in cap.out
    assert "mdd" in cap.out
    code = run(_app(), ["cohort", "summary", str(parquet), "--format", "json"])
    rows = json.loads(capsys.readouterr().out)["rows"]
    by = {r["group"]: r for r in rows}
    assert by["mdd"]["n"] == 2
    assert by["control"]["n"] == 1
    est = pd.read_parquet(parquet)["estimate"].to_numpy()
    assert by["mdd"]["median"] == pytest.approx(np.median(est[1:]))
    assert run(_app(), ["cohort", "summary", str(parquet), "-g", "sex"]) == 2
    assert "'by' column 'sex'" in capsys.readouterr().err
