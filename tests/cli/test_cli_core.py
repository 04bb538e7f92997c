import json
import subprocess
import sys

import pytest

from neuroendo.cli import _build_app
from neuroendo.cli._run import run


def _cli(capsys, *argv):
    code = run(_build_app(), list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analytes_json(capsys):
    code, out, _ = _cli(capsys, "analytes", "--format", "json")
    assert code == 0
    rows = {r["analyte"]: r for r in json.loads(out)["rows"]}
    assert rows["ft4"]["canonical_unit"] == "pmol/L"
    assert "14920-3" in rows["ft4"]["loinc"]
    assert len(rows) == 18


def test_analytes_table(capsys):
    code, out, _ = _cli(capsys, "analytes")
    assert code == 0
    assert "cortisol" in out
    assert "2143-6" in out


def test_no_args_shows_help(capsys):
    code, out, err = _cli(capsys)
    assert code in (0, 2)
    assert "measure" in out + err


def test_unknown_command_is_usage_error(capsys):
    code, _, err = _cli(capsys, "mesure")
    assert code == 2
    assert "No such command" in err


def test_python_dash_m():
    out = subprocess.run(
        [sys.executable, "-m", "neuroendo", "analytes", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("analyte,name,canonical_unit")


@pytest.mark.parametrize(
    ("content", "args", "match"),
    [
        ("subject,tsh [mIU/L],ft4 [pmol/L]\ns1,1.0,abc\n", [], r"row 2, column 'ft4'"),
        (
            "subject,tsh [mIU/L],ft4 [pmol/L]\ns1,-1.0,16\n",
            [],
            r"-1 is negative.*row 2, column 'tsh'",
        ),
        ("subject,tsh [mIU/L],ft4 [pmol/l)]\ns1,1.0,16\n", [], "Unknown unit"),
        ("subject,tsh,ft4\ns1,1.0,16\n", [], r"unit of column 'tsh' is not given.*--unit tsh=UNIT"),
        ("subject,ft4 [pmol/L]\ns1,16\n", [], r"missing column\(s\) 'tsh'"),
        ("", [], "empty"),
    ],
)
def test_bad_thyroid_input_exits_2(tmp_path, capsys, content, args, match):
    f = tmp_path / "labs.csv"
    f.write_text(content)
    code, out, err = _cli(capsys, "measure", "thyroid", str(f), *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1  # a one-line message
    assert "labs.csv" in err
    import re

    assert re.search(match, err), err


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = _cli(capsys, "measure", "thyroid", str(tmp_path / "nope.csv"))
    assert code == 2
    assert "file not found" in err or "does not exist" in err
