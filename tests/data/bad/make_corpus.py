"""Write the bad-input corpus and its MANIFEST.toml (run: python tests/data/bad/make_corpus.py).

Every file is hand-built here: truncated or invalid JSON, wrong resource types, unknown LOINC
codes, molar values under mass codes (and back), non-UCUM units, malformed HL7 segments, swapped
table columns, duplicate samples, unsorted times, empty files, huge values and non-UTF-8 text.
Each case names the reader that must reject it, the exception class (or ``none`` when the reader
accepts the file and only the linter complains), a fragment of the message and the lint code.
The files are committed; rerun this script after changing a case.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES: list[dict[str, str]] = []
DATA: dict[str, bytes] = {}  # written by main(), so importing this module writes nothing

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def case(path: str, data: bytes | str, reader: str, error: str, match: str, lint: str, **kw: str):
    DATA[path] = data.encode("utf-8") if isinstance(data, str) else data
    CASES.append(
        {"file": path, "reader": reader, "error": error, "match": match, "lint": lint, **kw}
    )


# --------------------------------------------------------------------------- FHIR
def obs(
    code: str = "14920-3",
    value: Any = 16.5,
    unit: str | None = "pmol/L",
    subject: str = "p1",
    when: str = "2024-03-05T08:00:00+01:00",
    oid: str = "o1",
) -> dict[str, Any]:
    q: dict[str, Any] = {"value": value}
    if unit is not None:
        q.update(unit=unit, system=UCUM, code=unit)
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "subject": {"reference": f"Patient/{subject}"},
        "effectiveDateTime": when,
        "valueQuantity": q,
    }


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }


def js(obj: Any) -> str:
    return json.dumps(obj, indent=1)


def fhir(path: str, obj: Any, error: str, match: str, lint: str, **kw: str) -> None:
    case(
        f"fhir/{path}",
        obj if isinstance(obj, str | bytes) else js(obj),
        "fhir",
        error,
        match,
        lint,
        **kw,
    )


good = js(bundle(obs(), obs("3016-3", 1.2, "m[IU]/L", oid="o2")))
for k, cut in enumerate((10, 40, 90, len(good) // 2, len(good) - 3), start=1):
    fhir(f"truncated_{k}.json", good[:cut], "DataValidationError", "not valid JSON", "json-invalid")
fhir("empty.json", "", "DataValidationError", "the file is empty", "file-empty")
fhir("whitespace.json", "  \n\t\n", "DataValidationError", "the file is empty", "file-empty")
fhir(
    "nan_literal.json",
    js(obs()).replace("16.5", "NaN"),
    "DataValidationError",
    "NaN is not valid JSON",
    "json-invalid",
)
fhir(
    "infinity_literal.json",
    js(obs()).replace("16.5", "-Infinity"),
    "DataValidationError",
    "not valid JSON",
    "json-invalid",
)
fhir(
    "deep_nesting.json",
    "[" * 100000 + "]" * 100000,
    "DataValidationError",
    "nested too deeply",
    "json-invalid",
)
fhir(
    "trailing_comma.json",
    js(obs())[:-2] + ",}",
    "DataValidationError",
    "not valid JSON",
    "json-invalid",
)
fhir(
    "not_utf8.json",
    js(obs()).replace("pmol/L", "pmol/L µ").encode("latin-1"),
    "DataValidationError",
    "not UTF-8",
    "file-not-utf8",
)
fhir(
    "patient.json",
    {"resourceType": "Patient", "id": "p1"},
    "DataValidationError",
    "resourceType 'Patient'",
    "resource-type",
)
fhir(
    "diagnostic_report.json",
    {"resourceType": "DiagnosticReport", "status": "final"},
    "DataValidationError",
    "resourceType 'DiagnosticReport'",
    "resource-type",
)
fhir(
    "no_resource_type.json",
    {"status": "final"},
    "DataValidationError",
    "resourceType None",
    "resource-type",
)
fhir(
    "top_level_number.json", "42", "DataValidationError", "top-level JSON is a int", "resource-type"
)
fhir(
    "top_level_string.json",
    '"Observation"',
    "DataValidationError",
    "top-level JSON is a str",
    "resource-type",
)
fhir(
    "list_with_patient.json",
    [obs(), {"resourceType": "Patient"}],
    "DataValidationError",
    "resourceType 'Patient' in a list",
    "resource-type",
)
fhir(
    "entry_not_list.json",
    {"resourceType": "Bundle", "type": "collection", "entry": {}},
    "DataValidationError",
    "Bundle.entry must be a list",
    "bundle-invalid",
)
fhir(
    "entry_without_resource.json",
    {"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "x"}]},
    "DataValidationError",
    "has no resource object",
    "bundle-invalid",
)
fhir(
    "empty_bundle.json",
    {"resourceType": "Bundle", "type": "collection", "entry": []},
    "DataValidationError",
    "no Observation with a valueQuantity",
    "no-observations",
)
for code in ("1234-5", "99999-9", "2093-3"):  # 2093-3 is cholesterol: real LOINC, not ours
    fhir(
        f"unknown_loinc_{code}.json",
        bundle(obs(code)),
        "UnknownAnalyteError",
        f"unknown LOINC code '{code}'",
        "loinc-unknown",
    )
o = obs()
o["code"] = {"coding": [{"system": "http://snomed.info/sct", "code": "123456"}]}
fhir("snomed_only.json", o, "DataValidationError", "no LOINC coding", "code-unknown")
o = obs()
o["code"] = {"text": "free T4"}
fhir("code_without_coding.json", o, "DataValidationError", "code has no coding", "code-missing")
o = obs()
o["code"] = "14920-3"
fhir("code_is_string.json", o, "DataValidationError", "must be a CodeableConcept", "code-invalid")
o = obs()
del o["code"]
fhir("code_missing.json", o, "DataValidationError", "Observation.code is required", "code-missing")

# the code/unit axis: molar values under mass codes and back (never rewrite the number)
AXIS = [
    ("cortisol", "2143-6", "nmol/L", "14675-3", "ug/dL"),
    ("ft4", "3024-7", "pmol/L", "14920-3", "ng/dL"),
    ("ft3", "3051-0", "pmol/L", "14928-6", "pg/mL"),
    ("tt4", "3026-2", "nmol/L", "14921-1", "ug/dL"),
    ("tt3", "3053-6", "nmol/L", "14930-2", "ng/dL"),
    ("testosterone", "2986-8", "nmol/L", "14913-8", "ng/dL"),
    ("free_testosterone", "2991-8", "pmol/L", "14914-6", "pg/mL"),
    ("estradiol", "2243-4", "pmol/L", "14715-7", "pg/mL"),
    ("progesterone", "2839-9", "nmol/L", "14890-8", "ng/mL"),
    ("dhea_s", "2191-5", "umol/L", "14688-6", "ug/dL"),
]
for key, mass_code, molar_unit, molar_code, mass_unit in AXIS:
    fhir(
        f"axis_molar_under_mass_{key}.json",
        bundle(obs(mass_code, 10.0, molar_unit)),
        "UnitError",
        f"LOINC {mass_code}",
        "unit-code-mismatch",
    )
    fhir(
        f"axis_mass_under_molar_{key}.json",
        bundle(obs(molar_code, 1.0, mass_unit)),
        "UnitError",
        "is a molar-concentration code",
        "unit-code-mismatch",
    )
fhir(
    "axis_iu_under_mass.json",
    bundle(obs("3024-7", 1.0, "m[IU]/L")),
    "UnitError",
    "is a mass-concentration code",
    "unit-code-mismatch",
)
fhir(
    "axis_molar_under_tsh.json",
    bundle(obs("3016-3", 1.0, "pmol/L")),
    "UnitError",
    "international-units-concentration code",
    "unit-code-mismatch",
)
fhir(
    "axis_time_unit.json",
    bundle(obs("14920-3", 1.0, "min")),
    "UnitError",
    "is a molar-concentration code",
    "unit-code-mismatch",
)
for k, unit in enumerate(("mU/Lx", "pmol per litre", "ng/dl)", "mg%%", "nmol/L#", "mmol/L/?")):
    fhir(
        f"non_ucum_unit_{k}.json",
        bundle(obs(unit=unit)),
        "UnitError",
        "Unknown unit",
        "unit-unknown",
    )
o = obs()
o["valueQuantity"]["system"] = "http://example.org/units"
fhir("unit_system_not_ucum.json", o, "UnitError", "is not UCUM", "unit-system")
fhir("unit_missing.json", bundle(obs(unit=None)), "UnitError", "no unit for 'ft4'", "unit-missing")
fhir(
    "value_string.json",
    bundle(obs(value="16.5")),
    "DataValidationError",
    "value '16.5' is not a number",
    "value-not-number",
)
fhir(
    "value_bool.json",
    bundle(obs(value=True)),
    "DataValidationError",
    "value True is not a number",
    "value-not-number",
)
fhir(
    "value_null.json",
    bundle(obs(value=None)),
    "DataValidationError",
    "value None is not a number",
    "value-not-number",
)
fhir(
    "value_negative.json",
    bundle(obs(value=-3.0)),
    "DataValidationError",
    "value -3 is negative",
    "value-negative",
)
fhir(
    "value_huge_overflow.json",
    js(bundle(obs(value=12345.0))).replace("12345.0", "1e400"),
    "DataValidationError",
    "is not finite",
    "value-not-finite",
)
fhir(
    "value_huge_implausible.json",
    bundle(obs(value=5e12)),
    "none",
    "implausibly large",
    "value-implausible",
)
o = obs()
del o["valueQuantity"]
o["valueString"] = "16.5 pmol/L"
fhir(
    "value_string_type.json", o, "DataValidationError", "valueString is not supported", "value-type"
)
o = obs()
del o["valueQuantity"]
fhir("value_absent.json", o, "DataValidationError", "no valueQuantity", "value-missing")
o = obs()
del o["valueQuantity"]["value"]
fhir(
    "value_quantity_without_value.json",
    o,
    "DataValidationError",
    "valueQuantity has no value",
    "value-missing",
)
o = obs()
o["valueQuantity"] = [16.5]
fhir(
    "value_quantity_list.json",
    o,
    "DataValidationError",
    "valueQuantity must be an object",
    "value-type",
)
o = obs()
o["valueQuantity"]["comparator"] = "~"
fhir("comparator_invalid.json", o, "DataValidationError", "comparator '~'", "value-comparator")
o = obs()
del o["status"]
fhir(
    "status_missing.json",
    o,
    "DataValidationError",
    "Observation.status is required",
    "status-missing",
)
o = obs()
o["status"] = "done"
fhir("status_invalid.json", o, "DataValidationError", "status 'done'", "status-invalid")
o = obs()
del o["subject"]
fhir("subject_missing.json", o, "DataValidationError", "no subject.reference", "subject-missing")
o = obs()
o["subject"] = "p1"
fhir(
    "subject_string.json",
    o,
    "DataValidationError",
    "subject must be a Reference",
    "subject-missing",
)
fhir(
    "time_no_zone.json",
    bundle(obs(when="2024-03-05T08:00:00")),
    "DataValidationError",
    "has no UTC offset",
    "time-no-zone",
)
fhir(
    "time_date_only.json",
    bundle(obs(when="2024-03-05")),
    "DataValidationError",
    "has no UTC offset",
    "time-no-zone",
)
fhir(
    "time_month_13.json",
    bundle(obs(when="2024-13-05T08:00:00Z")),
    "DataValidationError",
    "effectiveDateTime",
    "time-invalid",
)
fhir(
    "time_words.json",
    bundle(obs(when="yesterday morning")),
    "DataValidationError",
    "is not a FHIR dateTime",
    "time-invalid",
)
o = obs()
o["effectiveDateTime"] = 20240305
fhir("time_number.json", o, "DataValidationError", "is not a FHIR dateTime", "time-invalid")
fhir(
    "duplicate_sample.json",
    bundle(obs(value=16.5), obs(value=17.0, oid="o2")),
    "DataValidationError",
    "appears more than once",
    "sample-duplicate",
)
fhir(
    "duplicate_cortisol_series.json",
    bundle(
        *(
            obs("14675-3", v, "nmol/L", when="2024-03-05T07:30:00+01:00", oid=f"c{v}")
            for v in (10.0, 12.0)
        )
    ),
    "DataValidationError",
    "appears more than once",
    "sample-duplicate",
)
panel = {
    "resourceType": "Observation",
    "id": "car",
    "status": "final",
    "code": {"text": "CAR"},
    "subject": {"reference": "Patient/p1"},
    "hasMember": [{"reference": "Observation/o1"}, {"reference": "Observation/gone"}],
}
fhir(
    "panel_member_missing.json",
    bundle(obs(), panel),
    "DataValidationError",
    "'Observation/gone' of panel 'CAR' is not in the bundle",
    "member-missing",
)
bad_panel = copy.deepcopy(panel)
bad_panel["hasMember"] = "Observation/o1"
fhir(
    "panel_member_not_list.json",
    bundle(obs(), bad_panel),
    "DataValidationError",
    "hasMember must be a list",
    "member-invalid",
)
o = obs()
o["component"] = {"code": {}}
fhir(
    "component_not_list.json",
    o,
    "DataValidationError",
    "component must be a list",
    "component-invalid",
)
o = obs()
del o["valueQuantity"]
o["component"] = [
    {
        "code": {"coding": [{"system": LOINC, "code": "3016-3"}]},
        "valueQuantity": {"value": 1.0, "unit": "pmol/L", "system": UCUM, "code": "pmol/L"},
    }
]
fhir("component_axis.json", o, "UnitError", "LOINC 3016-3", "unit-code-mismatch")
o = obs()
o["category"] = "laboratory"  # schema: category is a list of CodeableConcepts
fhir(
    "schema_category_string.json",
    o,
    "DataValidationError",
    "not a valid FHIR R4 Observation",
    "fhir-schema",
    requires="fhir.resources",
)
o = obs()
o["issued"] = "not a date"
fhir(
    "schema_issued_invalid.json",
    o,
    "DataValidationError",
    "not a valid FHIR R4 Observation",
    "fhir-schema",
    requires="fhir.resources",
)

# --------------------------------------------------------------------------- HL7
MSH = "MSH|^~\\&|SPINA Thyr||||20240101120000||ORU^R01|m1|P|2.5"
PID = "PID|1||p1^^^LAB||Doe^Jane"
OBR = "OBR|1|||SPINA Thyr||20240101080000"


def obx(
    n: int,
    code: str,
    value: str,
    unit: str,
    vt: str = "NM",
    when: str = "20240101080000",
    status: str = "F",
) -> str:
    return f"OBX|{n}|{vt}|{code}|{code.split('^')[-1]}|{value}|{unit}|||||{status}|||{when}"


def hl7(
    path: str, segments: list[str] | str | bytes, error: str, match: str, lint: str, sep: str = "\r"
) -> None:
    data = segments if isinstance(segments, str | bytes) else sep.join(segments) + sep
    case(f"hl7/{path}", data, "hl7", error, match, lint)


TSH = obx(1, "3016-3^TSH", "1.00", "mIU/L")
hl7("empty.hl7", "", "DataValidationError", "the file is empty", "file-empty")
hl7("newlines_only.hl7", "\r\n\r\n", "DataValidationError", "the file is empty", "file-empty")
hl7("no_msh.hl7", [PID, TSH], "DataValidationError", "before any MSH segment", "hl7-no-msh")
hl7(
    "msh_too_short.hl7",
    ["MSH|^~", PID, TSH],
    "DataValidationError",
    "MSH segment too short",
    "hl7-msh-encoding",
)
hl7(
    "msh_repeated_delimiters.hl7",
    ["MSH|^^\\&|X||||20240101||ORU^R01|1|P|2.5", PID, TSH],
    "DataValidationError",
    "encoding characters",
    "hl7-msh-encoding",
)
hl7(
    "msh_alnum_delimiters.hl7",
    ["MSHA^~\\&AX", PID, TSH],
    "DataValidationError",
    "encoding characters",
    "hl7-msh-encoding",
)
hl7(
    "segment_no_separator.hl7",
    [MSH, PID, "OBX 1 NM 3016-3 1.0"],
    "DataValidationError",
    "malformed segment",
    "hl7-segment",
)
hl7(
    "segment_lowercase.hl7",
    [MSH, PID, TSH.lower()],
    "DataValidationError",
    "malformed segment",
    "hl7-segment",
)
hl7(
    "segment_garbage_line.hl7",
    [MSH, PID, "%%%% garbage %%%%", TSH],
    "DataValidationError",
    "malformed segment",
    "hl7-segment",
)
hl7(
    "obx_too_few_fields.hl7",
    [MSH, PID, "OBX|1|NM|3016-3^TSH"],
    "DataValidationError",
    "it needs at least OBX-2",
    "hl7-obx-fields",
)
hl7(
    "unknown_loinc.hl7",
    [MSH, PID, obx(1, "1234-5^XYZ^LN", "1.0", "nmol/L")],
    "UnknownAnalyteError",
    "unknown LOINC code '1234-5'",
    "loinc-unknown",
)
hl7(
    "unknown_local_code.hl7",
    [MSH, PID, obx(1, "FOO^Foo^L", "1.0", "nmol/L")],
    "DataValidationError",
    "no LOINC coding",
    "code-unknown",
)
hl7(
    "value_not_number.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "abc", "mIU/L")],
    "DataValidationError",
    "OBX-5 'abc' is not a number",
    "value-not-number",
)
hl7(
    "value_decimal_comma.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "1,25", "mIU/L")],
    "DataValidationError",
    "OBX-5 '1,25' is not a number",
    "value-not-number",
)
hl7(
    "value_type_string.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "normal", "mIU/L", vt="ST")],
    "DataValidationError",
    "value type 'ST' is not numeric",
    "hl7-value-type",
)
hl7(
    "value_negative.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "-1.0", "mIU/L")],
    "DataValidationError",
    "value -1 is negative",
    "value-negative",
)
hl7(
    "value_overflow.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "1e999", "mIU/L")],
    "DataValidationError",
    "is not finite",
    "value-not-finite",
)
hl7(
    "value_implausible.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "4e15", "mIU/L")],
    "none",
    "implausibly large",
    "value-implausible",
)
hl7(
    "value_sn_comparator.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "<>^0.01", "mIU/L", vt="SN")],
    "DataValidationError",
    "comparator '<>'",
    "value-comparator",
)
hl7(
    "value_sn_range.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "^1^-^2", "mIU/L", vt="SN")],
    "DataValidationError",
    "is a range or ratio",
    "hl7-value-type",
)
hl7(
    "unit_missing.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "1.0", "")],
    "UnitError",
    "no unit for 'tsh'",
    "unit-missing",
)
for k, unit in enumerate(("mU/Lx", "pmol per L", "ng/dl)", "%%%")):
    hl7(
        f"unit_non_ucum_{k}.hl7",
        [MSH, PID, obx(1, "14920-3^FT4", "16.5", unit)],
        "UnitError",
        "Unknown unit",
        "unit-unknown",
    )
HL7_AXIS = [
    ("3024-7^FT4", "16.5", "pmol/L", "LOINC 3024-7"),
    ("3051-0^FT3", "4.5", "pmol/L", "LOINC 3051-0"),
    ("3026-2^TT4", "100", "nmol/L", "LOINC 3026-2"),
    ("3053-6^TT3", "1.8", "nmol/L", "LOINC 3053-6"),
    ("14920-3^FT4", "1.3", "ng/dL", "LOINC 14920-3"),
    ("14928-6^FT3", "3.0", "pg/mL", "LOINC 14928-6"),
    ("2143-6^Cortisol", "400", "nmol/L", "LOINC 2143-6"),
    ("3016-3^TSH", "1.0", "pmol/L", "LOINC 3016-3"),
]
for code, value, unit, match in HL7_AXIS:
    name = code.split("^")[0]
    hl7(
        f"axis_{name}_{unit.replace('/', '_per_')}.hl7",
        [MSH, PID, obx(1, code, value, unit)],
        "UnitError",
        match,
        "unit-code-mismatch",
    )
hl7(
    "spina_tt4_under_ft4_code.hl7",  # the SPINA export bug: SI TT4 sent as 14920-3
    [MSH, PID, obx(1, "14920-3^FT4", "16.5", "pmol/L"), obx(2, "14920-3^TT4", "100", "nmol/L")],
    "DataValidationError",
    "appears more than once",
    "sample-duplicate",
)
hl7(
    "duplicate_obx.hl7",
    [MSH, PID, TSH, obx(2, "3016-3^TSH", "1.10", "mIU/L")],
    "DataValidationError",
    "appears more than once",
    "sample-duplicate",
)
hl7(
    "time_iso.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "1.0", "mIU/L", when="2024-01-01")],
    "DataValidationError",
    "is not an HL7 timestamp",
    "time-invalid",
)
hl7(
    "time_bad_month.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "1.0", "mIU/L", when="20241301")],
    "DataValidationError",
    "month must be in 1..12",
    "time-invalid",
)
hl7(
    "time_obr_invalid.hl7",
    [MSH, PID, "OBR|1|||X|||yesterday", obx(1, "3016-3^TSH", "1", "mIU/L", when="")],
    "DataValidationError",
    "'yesterday' is not an HL7 timestamp",
    "time-invalid",
)
hl7(
    "escape_unterminated.hl7",
    [MSH, PID, obx(1, "3016-3^TSH\\F", "1.0", "mIU/L")],
    "DataValidationError",
    "unterminated escape sequence",
    "hl7-escape",
)
hl7(
    "escape_bad_hex.hl7",
    [MSH, PID, obx(1, "3016-3^T\\XZZ\\", "1.0", "mIU/L")],
    "DataValidationError",
    "malformed hex escape",
    "hl7-escape",
)
hl7(
    "pid_missing.hl7",
    [MSH, OBR, TSH],
    "DataValidationError",
    "OBX before any PID",
    "subject-missing",
)
hl7(
    "pid_empty_id.hl7",
    [MSH, "PID|1||", OBR, TSH],
    "DataValidationError",
    "PID-3",
    "subject-missing",
)
hl7(
    "msh_only.hl7",
    [MSH],
    "DataValidationError",
    "no OBX segment with a numeric result",
    "no-observations",
)
hl7(
    "only_missing_values.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "Nan", "mIU/L")],
    "DataValidationError",
    "no OBX segment with a numeric result",
    "no-observations",
)
hl7(
    "not_utf8.hl7",
    ("\r".join([MSH, PID, "NTE|1||Müller", TSH]) + "\r").encode("latin-1"),
    "DataValidationError",
    "not UTF-8",
    "file-not-utf8",
)
hl7("binary_noise.hl7", bytes(range(256)) * 4, "DataValidationError", "not UTF-8", "file-not-utf8")
hl7(
    "newline_separated_bad_unit.hl7",
    [MSH, PID, obx(1, "3016-3^TSH", "1", "mIU/Lx")],
    "UnitError",
    "Unknown unit",
    "unit-unknown",
    sep="\n",
)


# --------------------------------------------------------------------------- tables
def table(path: str, text: str | bytes, error: str, match: str, lint: str) -> None:
    case(f"tables/{path}", text, "table", error, match, lint)


table("empty.csv", "", "DataValidationError", "the file is empty", "file-empty")
table(
    "header_only.csv",
    "subject,tsh [mIU/L]\n",
    "DataValidationError",
    "header but no rows",
    "table-no-rows",
)
table(
    "duplicate_columns.csv",
    "subject,ft4,ft4\ns1,1,2\n",
    "DataValidationError",
    "appears twice",
    "column-duplicate",
)
table(
    "bad_header_unit.csv",
    "subject,tsh [mU/Lx]\ns1,1\n",
    "UnitError",
    "Unknown unit",
    "unit-unknown",
)
table(
    "value_not_number.csv",
    "subject,ft4 [pmol/L]\ns1,1.2.3\ns2,16\n",
    "DataValidationError",
    "'1.2.3' is not a number",
    "value-not-number",
)
table(
    "value_negative.csv",
    "subject,ft4 [pmol/L]\ns1,-16\n",
    "DataValidationError",
    "is negative",
    "value-negative",
)
table(
    "not_utf8.csv",
    "subject,cortisol [µg/dL]\ns1,0.12\n".encode("latin-1"),
    "DataValidationError",
    "not UTF-8",
    "file-not-utf8",
)
table(
    "utf16.csv",
    "subject,tsh [mIU/L]\ns1,1\n".encode("utf-16"),
    "DataValidationError",
    "not UTF-8",
    "file-not-utf8",
)
table(
    "mixed_units.csv",
    "subject,sample,cortisol,unit\ns1,S0,5,nmol/L\ns1,S1,0.2,ug/dL\n",
    "DataValidationError",
    "mixed units",
    "unit-mixed",
)
table(
    "garbage.xlsx",
    b"this is not a spreadsheet",
    "DataValidationError",
    "cannot read",
    "table-unreadable",
)
table(
    "swapped_unit_headers.csv",
    "subject,tsh [pmol/L],ft4 [mIU/L]\ns1,1.2,16.5\n",
    "none",
    "does not suit 'tsh'",
    "unit-analyte-mismatch",
)
table(
    "unit_missing_wide.csv",
    "subject,tsh,ft4 [pmol/L]\ns1,1.2,16.5\n",
    "none",
    "column 'tsh' has no unit",
    "unit-missing",
)
table(
    "duplicate_subject_time.csv",
    "subject,time,cortisol [nmol/L]\ns1,0,5\ns1,15,9\ns1,15,8\n",
    "none",
    "repeats an earlier one",
    "sample-duplicate",
)
table(
    "out_of_order_times.csv",
    "subject,time,cortisol [nmol/L]\ns1,30,9\ns1,0,5\ns1,45,7\n",
    "none",
    "comes after a later sample",
    "time-order",
)
table(
    "huge_value.csv",
    "subject,cortisol [nmol/L]\ns1,1e300\n",
    "none",
    "implausibly large",
    "value-implausible",
)
table(
    "infinite_value.csv",
    "subject,cortisol [nmol/L]\ns1,inf\n",
    "none",
    "is not finite",
    "value-not-finite",
)
TIDY = "subject,time,analyte,value,unit,loinc\n"
table(
    "tidy_swapped_value_unit.csv",
    TIDY + "s1,0,ft4,pmol/L,16.5,14920-3\n",
    "DataValidationError",
    "'pmol/L' is not a number",
    "value-not-number",
)
table(
    "tidy_unknown_analyte.csv",
    TIDY + "s1,0,cortisone,5,nmol/L,\n",
    "none",
    "Unknown analyte 'cortisone'",
    "analyte-unknown",
)
table(
    "tidy_unknown_loinc.csv",
    TIDY + "s1,0,ft4,16.5,pmol/L,1234-5\n",
    "none",
    "Unknown LOINC code '1234-5'",
    "loinc-unknown",
)
table(
    "tidy_axis_mismatch.csv",
    TIDY + "s1,0,ft4,16.5,pmol/L,3024-7\n",
    "none",
    "is a mass-concentration code",
    "unit-code-mismatch",
)
table(
    "tidy_loinc_other_analyte.csv",
    TIDY + "s1,0,ft4,16.5,pmol/L,14928-6\n",
    "none",
    "LOINC 14928-6 is 'ft3'",
    "loinc-analyte-mismatch",
)
table(
    "tidy_non_ucum.csv",
    TIDY + "s1,0,tsh,1.2,mU/Lx,3016-3\n",
    "UnitError",
    "Unknown unit",
    "unit-unknown",
)
table(
    "tidy_unit_wrong_dimension.csv",
    TIDY + "s1,0,cortisol,5,min,\n",
    "none",
    "Incompatible units for 'cortisol'",
    "unit-analyte-mismatch",
)
table(
    "tidy_duplicate.csv",
    TIDY + "s1,0,tsh,1.2,mIU/L,3016-3\ns1,0,tsh,1.4,mIU/L,3016-3\n",
    "none",
    "repeats an earlier row",
    "sample-duplicate",
)
table(
    "tidy_out_of_order.csv",
    TIDY + "s1,30,cortisol,9,nmol/L,14675-3\ns1,0,cortisol,5,nmol/L,14675-3\n",
    "none",
    "comes after a later sample",
    "time-order",
)
table(
    "tidy_subject_missing.csv",
    TIDY + ",0,tsh,1.2,mIU/L,3016-3\n",
    "none",
    "the subject cell is empty",
    "subject-missing",
)
table(
    "tidy_time_not_number.csv",
    TIDY + "s1,morning,tsh,1.2,mIU/L,3016-3\n",
    "DataValidationError",
    "'morning' is not a number",
    "time-not-number",
)
table(
    "tidy_negative.csv",
    TIDY + "s1,0,tsh,-1.2,mIU/L,3016-3\n",
    "DataValidationError",
    "is negative",
    "value-negative",
)
table(
    "tidy_huge.csv",
    TIDY + "s1,0,cortisol,3e10,nmol/L,14675-3\n",
    "none",
    "implausibly large",
    "value-implausible",
)
table(
    "tidy_unit_missing.csv",
    TIDY + "s1,0,tsh,1.2,,3016-3\n",
    "none",
    "the unit cell is empty",
    "unit-missing",
)


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


# --------------------------------------------------------------------------- plate spreadsheets
def _xlsx(rows: list[list[Any]], sheet: str = "Cortisol") -> bytes:
    """A small plate workbook: two title rows, then ``rows`` (header first), from column B."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["Cortisol ELISA, plate 1"])
    ws.append([])
    for r in rows:
        ws.append([None, *r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


PLATE_HEADER = ["plate", "# on plate", "sample ID", "cortisol (nmol/l)"]


def plate(path: str, cells: list[list[Any]], error: str, match: str, lint: str, **kw: Any) -> None:
    header = kw.pop("header", PLATE_HEADER)
    case(f"plate_{path}", _xlsx([header, *cells]), "plate", error, match, lint)


_OK = [[1, 1, "Vp01 S0", 6.99], [None, 2, "Vp01 S1", 7.03]]
plate(
    "unknown_text.xlsx",
    [*_OK, [None, 3, "Vp01 S2", "see comment"]],
    "DataValidationError",
    "cell E6: 'see comment' is not a number nor a known missing-sample marker",
    "value-not-number",
)
plate(
    "decimal_comma.xlsx",
    [*_OK, [None, 3, "Vp01 S2", "5,2"]],
    "DataValidationError",
    "use a decimal point",
    "value-not-number",
)
plate(
    "censored.xlsx",
    [*_OK, [None, 3, "Vp01 S2", "<0.1"]],
    "DataValidationError",
    "is a censored value",
    "value-censored",
)
plate(
    "negative.xlsx",
    [*_OK, [None, 3, "Vp01 S2", -1.5]],
    "DataValidationError",
    "-1.5 is negative",
    "value-negative",
)
plate(
    "no_unit.xlsx",
    _OK,
    "UnitError",
    "has no unit",
    "unit-missing",
    header=["plate", "# on plate", "sample ID", "cortisol"],
)
plate(
    "bad_unit.xlsx",
    _OK,
    "UnitError",
    "Unknown unit 'nmol/x'",
    "unit-unknown",
    header=["plate", "# on plate", "sample ID", "cortisol (nmol/x)"],
)
plate(
    "unit_not_cortisol.xlsx",
    _OK,
    "UnitError",
    "does not suit 'cortisol'",
    "unit-analyte-mismatch",
    header=["plate", "# on plate", "sample ID", "cortisol (mIU/L)"],
)
plate(
    "duplicate_id.xlsx",
    [*_OK, [None, 3, "Vp01 S1", 7.5]],
    "DataValidationError",
    "repeats an earlier row",
    "sample-duplicate",
)
plate(
    "id_unmatched.xlsx",
    [*_OK, [None, 3, "Vp01S2", 5.0]],
    "DataValidationError",
    "does not match the ID pattern",
    "plate-id-unmatched",
)
plate(
    "id_missing.xlsx",
    [*_OK, [None, 3, None, 5.0]],
    "DataValidationError",
    "a value without a sample ID",
    "plate-id-missing",
)
plate(
    "infinite.xlsx",
    [*_OK, [None, 3, "Vp01 S2", "inf"]],
    "DataValidationError",
    "is not a finite number",
    "value-not-finite",
)


def main() -> None:
    lines = [
        "# Bad-input corpus: file -> reader, expected exception (or none), message fragment,",
        "# lint code. Generated by make_corpus.py; tests/io/test_bad_corpus.py checks each.",
        "",
    ]
    for path, data in DATA.items():
        p = HERE / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    for c in CASES:
        lines.append("[[case]]")
        lines += [f"{k} = {_toml_str(v)}" for k, v in c.items()]
        lines.append("")
    (HERE / "MANIFEST.toml").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(CASES)} cases")


if __name__ == "__main__":
    main()
