import io
import json

import numpy as np
import pandas as pd
import pytest

from neuroendo import datasets
from neuroendo.cli import _build_app
from neuroendo.cli._run import run
from neuroendo.measures import cortisol

TIMES = "-30,-1,30,40,50,60,70"


def _cli(capsys, *argv):
    code = run(_build_app(), [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def wide_csv(tmp_path):
    """The bundled study as a lab would send it: one row per subject, samples S0..S6."""
    df = datasets.load_cortisol_sample("wide").reset_index()
    p = tmp_path / "saliva.csv"
    df.to_csv(p, index=False)
    return p


def test_measure_cortisol_matches_the_library(capsys, wide_csv):
    code, out, err = _cli(
        capsys,
        "measure",
        "cortisol",
        wide_csv,
        "--times",
        TIMES,
        "--unit",
        "nmol/L",
        "--remove-s0",
        "--auc-post",
        "--slope",
        "1,4",
    )
    assert code == 0, err
    got = pd.read_csv(io.StringIO(out)).set_index(["condition", "subject"])
    ref = cortisol.features(
        datasets.load_cortisol_sample(), remove_s0=True, compute_auc_post=True, slopes=[(1, 4)]
    )
    pd.testing.assert_frame_equal(got[ref.columns], ref, check_dtype=False, rtol=1e-12)


def test_measure_cortisol_json_has_units(capsys, wide_csv):
    code, out, _ = _cli(
        capsys, "measure", "cortisol", wide_csv, "--times", TIMES, "-u", "nmol/L", "-f", "json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["units"]["cortisol_auc_g"] == "nmol.min/L"
    assert len(payload["rows"]) == 26


def test_measure_cortisol_to_file(capsys, wide_csv, tmp_path):
    out_file = tmp_path / "features.csv"
    code, out, _ = _cli(
        capsys, "measure", "cortisol", wide_csv, "--times", TIMES, "-u", "ug/dL", "-o", out_file
    )
    assert code == 0
    assert out == ""
    df = pd.read_csv(out_file)
    assert df.shape[0] == 26
    assert np.isfinite(df["cortisol_auc_g"]).all()


def test_measure_car(capsys, wide_csv):
    code, out, err = _cli(
        capsys, "measure", "car", wide_csv, "--times", "0,15,30,45,60,75,90", "--unit", "nmol/L"
    )
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    assert {"car_auc_i", "car_mninc", "car_peak_inc"} <= set(df.columns)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--times", TIMES], r"unit of 'cortisol' is not given; pass --unit nmol/L"),
        (["--times", "-30,-1,30", "-u", "nmol/L"], r"'sample_times' must have shape \(7,\)"),
        (["--times", "a,b", "-u", "nmol/L"], r"--times must be numbers"),
        (["--times", TIMES, "-u", "nmol/LL"], r"Unknown unit 'nmol/LL'"),
        (["--times", "-30,-1,30,30,50,60,70", "-u", "nmol/L"], r"strictly increasing"),
        (["--times", TIMES, "-u", "nmol/L", "--slope", "1"], r"--slope '1'"),
    ],
)
def test_measure_cortisol_bad_input(capsys, wide_csv, args, match):
    code, out, err = _cli(capsys, "measure", "cortisol", wide_csv, *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    import re

    assert re.search(match, err), err


def test_measure_cortisol_long_layout_with_unit_column(capsys, tmp_path):
    df = datasets.load_cortisol_sample().reset_index()
    df["unit"] = "nmol/L"
    p = tmp_path / "long.csv"
    df.to_csv(p, index=False)
    code, out, err = _cli(capsys, "measure", "cortisol", p)
    assert code == 0, err
    got = pd.read_csv(io.StringIO(out))
    assert got.shape[0] == 26


def test_demo_runs(capsys, tmp_path):
    code, out, err = _cli(
        capsys, "demo", "-o", tmp_path / "f.csv", "--report", tmp_path / "demo.html"
    )
    assert code == 0, err
    assert "Vp03" in out
    assert "TSST responders" in out
    assert pd.read_csv(tmp_path / "f.csv").shape[0] == 26
    html = (tmp_path / "demo.html").read_text(encoding="utf-8")
    assert "cortisol_auc_g" in html
    assert "<img" in html


def test_measure_thyroid_spina_scenarios(capsys, tmp_path):
    # SPINA R package README scenarios (clinical.md §3.3, T5/T6), FT4 for row 1 given in ng/dL
    p = tmp_path / "thyroid.csv"
    p.write_text(
        "subject,tsh [mIU/L],ft4 [pmol/L],ft3 [pmol/L]\na,1,16.5,4.5\nb,3.24,7.7,28\nc,0.7,9,6.2\n"
    )
    code, out, err = _cli(capsys, "measure", "thyroid", p, "--ft4-uln", "18", "-f", "json")
    assert code == 0, err
    payload = json.loads(out)
    rows = {r["subject"]: r for r in payload["rows"]}
    assert rows["a"]["spina_gt"] == pytest.approx(4.696993125, rel=1e-9)
    assert rows["a"]["spina_gd"] == pytest.approx(25.2176153706294, rel=1e-9)
    assert rows["b"]["spina_gd"] == pytest.approx(336.22895406993, rel=1e-9)
    assert rows["a"]["ttsi"] == pytest.approx(91.67, abs=0.01)
    assert payload["units"]["spina_gt"] == "pmol/s"


def test_measure_thyroid_unit_option(capsys, tmp_path):
    p = tmp_path / "thyroid.csv"
    p.write_text("subject,tsh,ft4\na,1,1.281\n")  # 1.281 ng/dL = 16.49 pmol/L
    code, out, err = _cli(capsys, "measure", "thyroid", p, "-u", "tsh=uIU/mL", "-u", "ft4=ng/dL")
    assert code == 0, err
    gt = pd.read_csv(io.StringIO(out))["spina_gt"].iloc[0]
    assert gt == pytest.approx(4.696993125, rel=2e-3)  # 1.281 ng/dL is 16.4893 pmol/L


def test_measure_gonadal_vermeulen(capsys, tmp_path):
    # clinical.md §4.1, T9 (derived from the Vermeulen 1999 formula)
    p = tmp_path / "hpg.csv"
    p.write_text(
        "subject,testosterone [nmol/L],shbg [nmol/L],albumin [g/L],lh [IU/L],fsh [IU/L]\n"
        "m1,15,40,43,5,4\nm2,10,20,42,6,3\n"
    )
    code, out, err = _cli(capsys, "measure", "gonadal", p)
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out)).set_index("subject")
    assert df.loc["m1", "free_testosterone"] == pytest.approx(0.27350, abs=5e-6)
    assert df.loc["m2", "free_testosterone"] == pytest.approx(0.25763, abs=5e-6)
    assert df.loc["m1", "bioavailable_testosterone"] == pytest.approx(6.4095, abs=5e-5)
    assert df.loc["m1", "free_androgen_index"] == pytest.approx(37.5)
    assert df.loc["m2", "lh_fsh_ratio"] == pytest.approx(2.0)


def test_measure_gonadal_nothing_to_compute(capsys, tmp_path):
    p = tmp_path / "hpg.csv"
    p.write_text("subject,estradiol [pmol/L]\nm1,100\n")
    code, _, err = _cli(capsys, "measure", "gonadal", p)
    assert code == 2
    assert "nothing to compute" in err
