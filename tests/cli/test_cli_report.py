"""``neuroendo report INPUT -o report.html`` and ``--demo``."""

import re

import numpy as np
import pytest

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from neuroendo import datasets
from neuroendo.cli import _build_app
from neuroendo.cli import report as report_cmd
from neuroendo.cli._run import run

TIMES = "-30,-1,30,40,50,60,70"


def _app():
    """The CLI app, with ``report`` registered if cli/__init__ does not yet do it."""
    app = _build_app()
    if not any(c.name == "report" for c in app.registered_commands):
        app.command("report")(report_cmd.report)
    return app


def _cli(capsys, *argv):
    code = run(_app(), [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _sections(path):
    return re.findall(r'<section id="sec-([a-z]+)"', path.read_text("utf-8"))


def test_demo_writes_the_bundled_study(capsys, tmp_path):
    out = tmp_path / "demo.html"
    code, stdout, err = _cli(capsys, "report", "--demo", "-o", out)
    assert code == 0, err
    assert stdout == ""  # messages go to stderr, stdout stays clean
    assert "Report written to" in err
    html = out.read_text("utf-8")
    assert _sections(out) == ["inputs", "cortisol", "warnings", "methods"]
    assert "cohort of 26 subjects" in html
    assert "cortisol_slope14" in html
    assert "cortisol_auc_i_post" in html
    assert "MIT" in html  # licence of the bundled data


def test_write_demo_report_is_the_demo(tmp_path, capsys):
    a = report_cmd.write_demo_report(tmp_path / "a.html", date="2024-01-01")
    assert a.read_text("utf-8").count('<section id="sec-') == 4


def test_saliva_wide_csv(capsys, tmp_path):
    df = datasets.load_cortisol_sample("wide").reset_index()
    p = tmp_path / "saliva.csv"
    df.to_csv(p, index=False)
    out = tmp_path / "r.html"
    code, _, err = _cli(
        capsys, "report", p, "--times", TIMES, "--unit", "nmol/L", "--remove-s0", "-o", out
    )
    assert code == 0, err
    html = out.read_text("utf-8")
    assert "cortisol" in _sections(out)
    assert "S0 removed" in html
    assert "neuroendo report: saliva.csv" in html


def test_saliva_without_unit_is_a_usage_error(capsys, tmp_path):
    df = datasets.load_cortisol_sample("wide").reset_index()
    p = tmp_path / "saliva.csv"
    df.to_csv(p, index=False)
    code, _, err = _cli(capsys, "report", p, "--times", TIMES, "-o", tmp_path / "r.html")
    assert code == 2
    assert "unit" in err
    assert "--unit" in err
    assert not (tmp_path / "r.html").exists()


LABS = """subject,age,sex,tsh [mIU/L],ft4 [pmol/L],ft3 [pmol/L],testosterone [nmol/L],shbg [nmol/L]
s1,35,M,1.8,15.2,5.1,18.0,35
s2,42,F,3.9,11.0,4.2,1.1,60
"""


def test_lab_table_with_units_in_headers(capsys, tmp_path):
    p = tmp_path / "labs.csv"
    p.write_text(LABS)
    out = tmp_path / "labs.html"
    code, _, err = _cli(capsys, "report", p, "-o", out, "--title", "Clinic labs")
    assert code == 0, err
    secs = _sections(out)
    assert {"inputs", "thyroid", "gonadal", "warnings", "methods"} <= set(secs)
    html = out.read_text("utf-8")
    assert "Clinic labs" in html
    assert "spina_gt" in html
    assert "free_testosterone" in html


def test_lab_unit_option(capsys, tmp_path):
    p = tmp_path / "labs.csv"
    p.write_text("subject,tsh,ft4\ns1,1.8,1.2\n")
    out = tmp_path / "r.html"
    code, _, err = _cli(capsys, "report", p, "-u", "tsh=mIU/L", "-u", "ft4=ng/dL", "-o", out)
    assert code == 0, err
    assert "ng/dL" in out.read_text("utf-8")


def test_lab_table_without_units_names_the_column(capsys, tmp_path):
    p = tmp_path / "labs.csv"
    p.write_text("subject,tsh,ft4\ns1,1.8,15\n")
    code, _, err = _cli(capsys, "report", p, "-o", tmp_path / "r.html")
    assert code == 2
    assert "'tsh'" in err


def test_rr_file_adds_hrv(capsys, tmp_path):
    rng = np.random.default_rng(0)
    rr = 850 + 40 * np.sin(np.arange(400) / 3.0) + rng.normal(0, 5, 400)
    p = tmp_path / "rr.txt"
    p.write_text("\n".join(f"{x:.1f}" for x in rr))
    out = tmp_path / "r.html"
    code, _, err = _cli(capsys, "report", "--rr", p, "-o", out)
    assert code == 0, err
    assert "hrv" in _sections(out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report"], "No input"),
        (["report", "x.csv", "--demo"], "either INPUT or --demo"),
        (["report", "missing.csv"], "file not found"),
    ],
)
def test_usage_errors(capsys, tmp_path, argv, message):
    code, _, err = _cli(capsys, *argv, "-o", tmp_path / "r.html")
    assert code == 2
    assert message in err
