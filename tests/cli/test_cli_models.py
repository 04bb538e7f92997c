import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from neuroendo.cli import _build_app
from neuroendo.cli._run import run
from neuroendo.models import inputs
from neuroendo.simulation import simulate


def _cli(capsys, *argv):
    code = run(_build_app(), [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_models_lists_the_registry(capsys):
    code, out, _ = _cli(capsys, "models", "-f", "json")
    assert code == 0
    rows = {r["model"]: r for r in json.loads(out)["rows"]}
    assert rows["gupta2007"]["axis"] == "hpa"
    assert rows["gupta2007"]["states"] == "crh acth gr cortisol"
    assert "depression" in rows["sriram2012"]["variants"]
    code, out, _ = _cli(capsys, "models")
    assert code == 0
    assert "sriram2012" in out


def test_simulate_matches_the_library(capsys):
    code, out, err = _cli(
        capsys,
        "simulate",
        "sriram2012",
        "--hours",
        "48",
        "--points",
        "97",
        "--stress",
        "tsst@10h:2",
        "-p",
        "k_stress=12",
    )
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    t = np.linspace(0, 48, 97)
    ref = simulate(
        "sriram2012", t, params={"k_stress": 12.0}, inputs={"stress": inputs.pulse(10.0, 0.25, 2.0)}
    )
    np.testing.assert_allclose(df["cortisol"], ref["cortisol"], rtol=1e-8)
    np.testing.assert_allclose(df["time"], t)


def test_simulate_json_and_variant(capsys, tmp_path):
    out_file = tmp_path / "sim.json"
    code, out, _ = _cli(
        capsys,
        "simulate",
        "sriram2012",
        "--variant",
        "ptsd",
        "--hours",
        "24",
        "--points",
        "5",
        "-f",
        "json",
        "-o",
        out_file,
    )
    assert code == 0
    assert out == ""
    payload = json.loads(out_file.read_text())
    assert payload["units"]["time"] == "h"
    assert len(payload["rows"]) == 5


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["gupta207", "--duration", "5"], r"Unknown model 'gupta207'.*Did you mean 'gupta2007'"),
        (["gupta2007", "--hours", "5"], r"dimensionless \(scaled\) time; give --duration"),
        (["gupta2007", "--duration", "5", "-p", "krd=20"], r"value 20 lies outside its bounds"),
        (["gupta2007", "--duration", "5", "-p", "krdd=1"], r"Did you mean 'krd'"),
        (["gupta2007", "--duration", "5", "-p", "krd"], r"write NAME=VALUE"),
        (["gupta2007", "--duration", "5", "--stress", "tsst@3"], r"time is dimensionless"),
        (["sriram2012", "--hours", "5", "--stress", "party@3h"], r"KIND@START"),
        (["sriram2012", "--hours", "5", "--stress", "step@3parsecs"], r"cannot read the time"),
        (["sriram2012", "--hours", "5", "--duration", "5"], r"at most one of --hours or"),
        (["sriram2012", "--hours", "-1"], r"must be positive"),
    ],
)
def test_simulate_bad_input(capsys, args, match):
    code, out, err = _cli(capsys, "simulate", *args)
    assert code == 2, err
    assert out == ""
    assert re.search(match, err), err


def test_simulate_cohort_with_default_duration_as_in_the_issue(capsys, tmp_path):
    # `neuroendo simulate MODEL --cohort N --seed 1 -o out.parquet`: no duration needed
    pq = tmp_path / "out.parquet"
    args = ["simulate", "gupta2007", "--cohort", "3", "--seed", "1", "-o", str(pq),
            "--backend", "scipy", "--no-progress"]  # fmt: skip
    code, out, err = _cli(capsys, *args)
    assert out == ""  # the table went to the file
    assert code == 0, err
    assert "simulating 24 model time units" in err
    df = pd.read_parquet(pq)
    assert df["subject"].nunique() == 3
    assert df["time"].max() == pytest.approx(24.0)
    code, _, err = _cli(capsys, "simulate", "sriram2012", "--points", "5")
    assert code == 0, err
    assert "simulating 24 h" in err


def test_simulate_cohort_features_and_parquet(capsys, tmp_path):
    args = ["simulate", "gupta2007", "--duration", "20", "--points", "41", "--cohort", "4",
            "--seed", "1", "--reduce", "max:cortisol", "--backend", "scipy"]  # fmt: skip
    code, out, err = _cli(capsys, *args)
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    assert df.shape[0] == 4
    assert {"cortisol_max", "krd", "status"} <= set(df.columns)
    assert df["krd"].nunique() == 4  # every subject has its own draw
    again = pd.read_csv(io.StringIO(_cli(capsys, *args)[1]))  # same seed, same subjects
    assert again["krd"].tolist() == df["krd"].tolist()
    pq = tmp_path / "cohort.parquet"
    code, out, err = _cli(capsys, *args, "-o", pq)
    assert code == 0
    assert out == ""
    assert pd.read_parquet(pq).shape[0] == 4
    code, _, err = _cli(capsys, "simulate", "gupta2007", "--duration", "5", "--cohort", "0")
    assert code == 2
    assert "--cohort must be at least 1" in err


def test_simulate_cohort_progress_bar_goes_to_stderr_only(capsys):
    args = ["simulate", "gupta2007", "--duration", "20", "--points", "41", "--cohort", "3",
            "--seed", "2", "--reduce", "max:cortisol", "--backend", "scipy"]  # fmt: skip
    code, out, err = _cli(capsys, *args)
    assert code == 0, err
    quiet = _cli(capsys, *args, "--no-progress")
    assert quiet[0] == 0
    assert out == quiet[1]  # the table on stdout is the same with or without the bar
    assert "simulating 3 subjects" in quiet[2]
