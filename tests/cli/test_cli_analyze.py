import json

import pytest

from neuroendo.cli import _build_app
from neuroendo.cli._run import run


def _cli(capsys, *argv):
    code = run(_build_app(), [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_gupta_json(capsys):
    code, out, err = _cli(capsys, "analyze", "gupta2007", "--time-unit-as", "h", "-f", "json")
    assert code == 0, err
    rep = json.loads(out)
    rows = rep["steady_states"]["rows"]
    assert [r["stability"] for r in rows] == ["stable", "unstable", "stable"]
    assert [round(r["gr"], 4) for r in rows] == [0.0809, 0.3391, 0.5482]
    loops = {r["loop"]: r for r in rep["feedback_loops"]["rows"]}
    assert loops["crh->acth->cortisol->crh"]["sign"] == -1
    sr = rep["stress_response"]
    assert sr["status"] == "ok"
    assert sr["scores_minutes"]["acth_peak_minute"] < sr["scores_minutes"]["cortisol_peak_minute"]


def test_analyze_table_and_skipped_stress(capsys):
    code, out, err = _cli(capsys, "analyze", "gupta2007")
    assert code == 0, err
    assert "unstable" in out
    assert "feedback loops" in out
    assert "time_unit_as" in out  # scaled time without --time-unit-as: explained, not silent
    code, out, _ = _cli(capsys, "analyze", "simthyr", "-f", "json")
    assert code == 0
    rep = json.loads(out)
    assert rep["stress_response"]["status"] == "skipped"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["analyze", "gupta2007", "-p", "krd=50"], "outside its bounds"),
        (["analyze", "gupta", "-f", "json"], "Unknown model"),
        (["analyze", "gupta2007", "-f", "xml"], "format"),
    ],
)
def test_analyze_bad_input(capsys, argv, needle):
    code, _, err = _cli(capsys, *argv)
    assert code in (1, 2)
    assert needle in err


def test_analyze_params_change_the_answer(capsys):
    code, out, err = _cli(capsys, "analyze", "gupta2007", "-p", "krd=0.8", "-f", "json")
    assert code == 0, err
    rows = json.loads(out)["steady_states"]["rows"]
    assert [r["stability"] for r in rows] == ["stable"]
