"""Every file of the bad-input corpus gives its expected error and lint code."""

import contextlib
import importlib.util
import tomllib
from pathlib import Path

import pytest

from neuroendo._core import errors
from neuroendo._core.analytes import ANALYTES
from neuroendo._core.validation import Severity
from neuroendo.io.fhir import read_fhir
from neuroendo.io.hl7 import read_hl7
from neuroendo.io.lint import lint
from neuroendo.io.tables import read_plate, read_table

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = tomllib.loads((BAD / "MANIFEST.toml").read_text(encoding="utf-8"))["case"]
NUMERIC = ("value", "time", *ANALYTES)

READERS = {
    "fhir": read_fhir,
    "hl7": read_hl7,
    "table": lambda p: read_table(p, numeric=NUMERIC),
    "plate": read_plate,
}


def _skip_if_missing(case):
    req = case.get("requires")
    if req and importlib.util.find_spec(req.split(".")[0]) is None:
        pytest.skip(f"needs {req}")
    if req:
        pytest.importorskip(req)


def test_corpus_is_large_and_every_file_is_listed():
    listed = {c["file"] for c in CASES}
    on_disk = {
        str(p.relative_to(BAD))
        for p in BAD.rglob("*")
        if p.is_file() and p.name not in ("MANIFEST.toml", "make_corpus.py")
    }
    assert len(CASES) >= 100
    assert listed == on_disk
    assert len(listed) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_reader_raises_expected_error(case):
    _skip_if_missing(case)
    path = BAD / case["file"]
    reader = READERS[case["reader"]]
    if case["error"] == "none":  # only the linter complains; a reader may still refuse it
        with contextlib.suppress(errors.NeuroendoError):
            reader(path)
        return
    cls = getattr(errors, case["error"])
    with pytest.raises(cls) as info:
        reader(path)
    assert isinstance(info.value, errors.NeuroendoError)
    assert case["match"] in str(info.value)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_lint_reports_expected_code(case):
    _skip_if_missing(case)
    issues = lint(BAD / case["file"])
    hits = [i for i in issues if i.code == case["lint"]]
    assert hits, f"expected {case['lint']!r}, got {[str(i) for i in issues]}"
    if case["error"] != "none":
        assert issues.has_errors
        assert any(i.severity is Severity.ERROR for i in hits)
    if case["error"] == "none":
        assert any(case["match"] in i.message for i in hits), [str(i) for i in hits]
