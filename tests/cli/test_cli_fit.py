"""``neuroendo fit`` (registered as ``fit`` in the app)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import neuroendo.cli
from neuroendo.cli import fit as fit_cmd
from neuroendo.cli._run import run
from neuroendo.models import get, inputs
from neuroendo.simulation import simulate


def _app():
    app = neuroendo.cli._build_app()
    names = {c.name for c in app.registered_commands}
    if "fit" not in names:  # until the command is registered in cli/__init__.py
        app.command("fit", help="Fit a model to one subject.")(fit_cmd.fit)
    return app


@pytest.fixture(scope="module")
def csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = get("sriram2012")
    t = np.array([0, 15, 30, 40, 50, 65, 80, 95, 110, 140.0])
    y0 = simulate(spec, [200.0], t0=0.0).y[:, 0, -1]
    sol = simulate(
        spec, t / 60, inputs={"stress": 3.0 * inputs.tsst(30, duration=15, shape="square")}, y0=y0
    )
    rng = np.random.default_rng(2)
    rows = [
        pd.DataFrame(
            {
                "subject": "s1",
                "time": t,
                "analyte": a,
                "unit": "1",
                "value": sol[a] * np.exp(0.05 * rng.standard_normal(t.size)),
            }
        )
        for a in ("acth", "cortisol")
    ]
    path = tmp_path_factory.mktemp("fit") / "tsst.csv"
    pd.concat(rows).rename(columns={"time": "time [min]"}).to_csv(path, index=False)
    return path


ARGS = [
    "--free",
    "A=0.01:100",
    "--free",
    "V_S4",
    "--fixed",
    "sigma_acth=0.05",
    "--fixed",
    "sigma_cortisol=0.05",
    "--tsst",
    "30:15:A",
    "--pre-equilibrate",
    "200",
    "--starts",
    "4",
    "--seed",
    "1",
]


def test_fit_json(csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(_app(), ["fit", "sriram2012", str(csv), *ARGS, "--ci", "wald", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    payload = json.loads(out)
    assert payload["status"] == "converged"
    est = {p["name"]: p for p in payload["parameters"]}
    assert est["A"]["ci_lower"] <= 3.0 <= est["A"]["ci_upper"]
    assert est["V_S4"]["unit"] == "/h"


def test_fit_table(csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(_app(), ["fit", "sriram2012", str(csv), *ARGS, "--ci", "none"])
    assert code == 0
    assert "V_S4 =" in capsys.readouterr().out


def test_fit_bad_free(csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(_app(), ["fit", "sriram2012", str(csv), "--free", "A=1"])
    assert code == 2
    assert "NAME=LOWER:UPPER" in capsys.readouterr().err


def test_fit_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(_app(), ["fit", "sriram2012", str(tmp_path / "no.csv"), "--free", "A"])
    assert code == 2
    assert "file not found" in capsys.readouterr().err
