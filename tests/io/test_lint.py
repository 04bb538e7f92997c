import json

import pandas as pd
import pytest

from neuroendo._core.validation import Severity
from neuroendo.io.fhir import to_fhir
from neuroendo.io.lint import detect_format, lint


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return p


def test_clean_files_have_no_issues(tmp_path):
    wide = _write(tmp_path, "w.csv", "subject,time,tsh [mIU/L],ft4 [pmol/L]\ns1,0,1.2,16\n")
    tidy = _write(
        tmp_path,
        "t.csv",
        "subject,time,analyte,value,unit,loinc\n"
        "s1,0,tsh,1.2,mIU/L,3016-3\ns1,0,ft4,16.5,pmol/L,14920-3\ns1,30,ft4,16,pmol/L,\n",
    )
    df = pd.DataFrame(
        {
            "subject": ["p1"],
            "analyte": ["cortisol"],
            "value": [400.0],
            "unit": ["nmol/L"],
            "datetime": [pd.Timestamp("2024-01-01T08:00Z")],
        }
    )
    fhir = _write(tmp_path, "b.json", json.dumps(to_fhir(df, validate=False)))
    hl7 = _write(tmp_path, "m.hl7", "MSH|^~\\&|X\rPID|1||p1\rOBX|1|NM|3016-3^TSH||1.0|mIU/L\r")
    for p in (wide, tidy, fhir, hl7):
        assert list(lint(p)) == [], p.name


def test_every_problem_of_a_wide_table(tmp_path):
    p = _write(
        tmp_path,
        "labs.csv",
        "subject,time,tsh,ft4 [mIU/L],cortisol [nmol/L]\n"
        "s1,30,1.2,abc,400\ns1,0,1.3,16,-5\ns1,0,1.1,15,1e12\n",
    )
    got = [(i.severity.value, i.code, i.row, i.column) for i in lint(p)]
    assert got == [
        ("error", "unit-missing", 1, "tsh"),
        ("error", "unit-analyte-mismatch", 1, "ft4"),
        ("error", "value-not-number", 2, "ft4"),
        ("error", "value-negative", 3, "cortisol"),
        ("warning", "time-order", 3, "time"),
        ("warning", "value-implausible", 4, "cortisol"),
        ("error", "sample-duplicate", 4, "subject"),
    ]


def test_issue_text_names_row_column_and_code(tmp_path):
    p = _write(tmp_path, "t.csv", "subject,analyte,value,unit,loinc\ns1,ft4,16.5,pmol/L,3024-7\n")
    (issue,) = lint(p)
    assert issue.severity is Severity.ERROR
    assert str(issue).startswith("error: LOINC 3024-7")
    assert "Use LOINC 14920-3" in issue.message
    assert "(row 2, column 'loinc', subject 's1') [unit-code-mismatch]" in str(issue)


def test_warnings_only_is_not_an_error(tmp_path):
    p = _write(tmp_path, "t.csv", "subject,time,cortisol [nmol/L]\ns1,30,9\ns1,0,5\n")
    issues = lint(p)
    assert [i.code for i in issues] == ["time-order"]
    assert not issues.has_errors


def test_missing_file_and_format_option(tmp_path):
    issues = lint(tmp_path / "nope.csv")
    assert [i.code for i in issues] == ["file-not-found"]
    p = _write(tmp_path, "data.txt", "MSH|^~\\&|X\rPID|1||p1\rOBX|1|NM|3016-3||1|mIU/Lx\r")
    assert detect_format(p) == "hl7"
    assert [i.code for i in lint(p)] == ["unit-unknown"]
    assert [i.code for i in lint(p, format="fhir")] == ["json-invalid"]
    with pytest.raises(ValueError, match="'format'"):
        lint(p, format="xml")


def test_fhir_issues_carry_entry_numbers(tmp_path):
    obs = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "3024-7"}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2024-01-01T08:00:00Z",
        "valueQuantity": {"value": 16.5, "system": "http://unitsofmeasure.org", "code": "pmol/L"},
    }
    good = {**obs, "code": {"coding": [{"system": "http://loinc.org", "code": "14920-3"}]}}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": good}, {"resource": obs}],
    }
    p = _write(tmp_path, "b.json", json.dumps(bundle))
    (issue,) = lint(p)
    assert (issue.code, issue.row, issue.column) == ("unit-code-mismatch", 2, "valueQuantity")
