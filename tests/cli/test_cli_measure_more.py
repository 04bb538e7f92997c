"""``neuroendo measure questionnaire|immune|metabolic``: the CLI calls the library."""

import io
import json

import numpy as np
import pandas as pd
import pytest

import neuroendo.cli.measure_more  # noqa: F401  (registers the commands until cli/__init__ does)
from neuroendo.cli import _build_app
from neuroendo.cli._run import run
from neuroendo.measures import metabolic, questionnaires


def _cli(capsys, *argv):
    code = run(_build_app(), [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_questionnaire_pss10_matches_the_library(capsys, tmp_path):
    rng = np.random.default_rng(3)
    df = pd.DataFrame(rng.integers(0, 5, (4, 10)), columns=[f"pss_{k}" for k in range(1, 11)])
    df.insert(0, "subject", ["a", "b", "c", "d"])
    p = tmp_path / "pss.csv"
    df.to_csv(p, index=False)
    code, out, err = _cli(capsys, "measure", "questionnaire", p, "-i", "pss10")
    assert code == 0, err
    got = pd.read_csv(io.StringIO(out)).set_index("subject")
    ref = questionnaires.pss10(df.set_index("subject"))
    np.testing.assert_array_equal(got["pss10"].to_numpy(), ref["pss10"].to_numpy())


def test_questionnaire_out_of_range_is_exit_2(capsys, tmp_path):
    p = tmp_path / "gad.csv"
    p.write_text("subject," + ",".join(f"gad_{k}" for k in range(1, 8)) + "\ns1,0,1,2,3,4,0,0\n")
    code, _, err = _cli(capsys, "measure", "questionnaire", p, "-i", "gad7")
    assert code == 2
    assert "'gad_5' has answer 4" in err


def test_questionnaire_psqi_with_clock_text(capsys, tmp_path):
    keys = ["1", "2", "3", "4", *[f"5{c}" for c in "abcdefghij"], "6", "7", "8", "9"]
    row = ["23:00", 20, "07:00", 7.5, 1, 1, 0, 0, 0, 0, 0, 1, 0, "", 1, 0, 0, 1]
    p = tmp_path / "psqi.csv"
    p.write_text(
        "subject," + ",".join(f"psqi_{k}" for k in keys) + "\ns1," + ",".join(map(str, row))
    )
    code, out, err = _cli(capsys, "measure", "questionnaire", p, "-i", "psqi", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["rows"][0]["psqi"] == 4.0


def test_metabolic_units_and_insulin_factor(capsys, tmp_path):
    p = tmp_path / "met.csv"
    p.write_text(
        "subject,glucose [mg/dL],insulin [pmol/L],triglycerides [mg/dL]\n"
        "s1,90.08,60,150\ns2,100,90,120\n"
    )
    code, _, err = _cli(capsys, "measure", "metabolic", p)
    assert code == 2
    assert "insulin_factor" in err
    code, out, err = _cli(capsys, "measure", "metabolic", p, "--insulin-factor", "6", "-f", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["units"]["spina_gbeta"] == "pmol/s"
    assert payload["rows"][0]["homa_ir"] == pytest.approx(metabolic.homa_ir(5.0, 10.0))
    assert payload["rows"][1]["spina_gr"] == pytest.approx(
        metabolic.spina_gr(100, 90, glucose_unit="mg/dL")
    )


def test_immune_table(capsys, tmp_path):
    p = tmp_path / "imm.csv"
    p.write_text(
        "subject,crp [mg/L],il6 [pg/mL],neutrophils [10*9/L],lymphocytes [10*9/L],"
        "cortisol [nmol/L]\ns1,2.0,1.5,4.2,2.1,400\ns2,0.5,3.0,3.0,1.5,300\n"
    )
    code, out, err = _cli(capsys, "measure", "immune", p)
    assert code == 0, err
    got = pd.read_csv(io.StringIO(out)).set_index("subject")
    assert got["crp_risk_category"].tolist() == ["average", "low"]
    np.testing.assert_allclose(got["nlr"], [2.0, 2.0])
    np.testing.assert_allclose(got["cortisol_crp_ratio"], [200.0, 600.0])
    np.testing.assert_allclose(got["cortisol_il6_ratio"], [400 / 1.5, 100.0])


def test_immune_missing_unit_is_exit_2(capsys, tmp_path):
    p = tmp_path / "imm.csv"
    p.write_text("subject,crp\ns1,2.0\n")
    code, _, err = _cli(capsys, "measure", "immune", p)
    assert code == 2
    assert "unit" in err
