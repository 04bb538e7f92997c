import json
from pathlib import Path

from neuroendo.cli import _build_app
from neuroendo.cli._run import run

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def _cli(capsys, *argv):
    code = run(_build_app(), [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_clean_file_exits_0(capsys, tmp_path):
    p = tmp_path / "labs.csv"
    p.write_text("subject,tsh [mIU/L],ft4 [pmol/L]\ns1,1.2,16.5\n")
    code, _out, err = _cli(capsys, "lint", p)
    assert code == 0, err
    assert "no issues" in err


def test_lint_errors_exit_2_and_list_every_issue(capsys):
    code, out, err = _cli(capsys, "lint", BAD / "fhir" / "axis_molar_under_mass_ft4.json")
    assert code == 2
    assert "unit-code-mismatch" in out
    assert "Use LOINC 14920-3" in out
    assert "1 error(s)" in err


def test_lint_warnings_exit_0(capsys):
    code, out, _ = _cli(capsys, "lint", BAD / "tables" / "out_of_order_times.csv")
    assert code == 0
    assert "warning:" in out
    assert "[time-order]" in out


def test_lint_json(capsys):
    code, out, _ = _cli(capsys, "lint", BAD / "hl7" / "value_not_number.hl7", "--format", "json")
    assert code == 2
    payload = json.loads(out)
    assert payload["errors"] == 1
    (issue,) = payload["issues"]
    assert issue["code"] == "value-not-number"
    assert (issue["row"], issue["column"], issue["severity"]) == (3, "OBX-5", "error")


def test_lint_bad_option(capsys, tmp_path):
    p = tmp_path / "labs.csv"
    p.write_text("subject,tsh [mIU/L]\ns1,1.2\n")
    code, _, err = _cli(capsys, "lint", p, "--format", "xml")
    assert code == 2
    assert "'format'" in err
