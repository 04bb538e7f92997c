"""Fuzz the clinical-data parsers: bad input may only raise neuroendo's own errors.

Each test runs a bounded number of examples (a few seconds). Readers may raise only
``NeuroendoError`` subclasses (DataValidationError, UnitError, UnknownAnalyteError); ``lint``
never raises for bad content, it returns issues.
"""

import contextlib
import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuroendo._core.errors import NeuroendoError
from neuroendo._core.validation import IssueList
from neuroendo.io.fhir import read_fhir
from neuroendo.io.hl7 import read_hl7
from neuroendo.io.lint import lint

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

OBS = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "14920-3"}]},
    "subject": {"reference": "Patient/p1"},
    "effectiveDateTime": "2024-03-05T08:00:00+01:00",
    "valueQuantity": {
        "value": 16.5,
        "unit": "pmol/L",
        "system": "http://unitsofmeasure.org",
        "code": "pmol/L",
    },
}
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "final",
            "Observation",
            "Patient/p1",
            "14920-3",
            "3024-7",
            "pmol/L",
            "ng/dL",
            "m[IU]/L",
            "http://loinc.org",
            "http://unitsofmeasure.org",
            "2024-01-01T00:00:00Z",
            "<",
        ]
    )
)
JSON = st.recursive(
    SCALARS,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)
PATHS = [
    ("resourceType",),
    ("status",),
    ("code",),
    ("code", "coding"),
    ("code", "coding", 0),
    ("code", "coding", 0, "code"),
    ("code", "coding", 0, "system"),
    ("subject",),
    ("subject", "reference"),
    ("effectiveDateTime",),
    ("valueQuantity",),
    ("valueQuantity", "value"),
    ("valueQuantity", "code"),
    ("valueQuantity", "system"),
    ("valueQuantity", "comparator"),
    ("component",),
    ("hasMember",),
    ("dataAbsentReason",),
]


def _reader_ok(fn, *args, **kwargs):
    # NeuroendoError is the documented outcome for bad input; anything else fails the test
    with contextlib.suppress(NeuroendoError):
        fn(*args, **kwargs)


@st.composite
def mutated_observation(draw):
    obs = copy.deepcopy(OBS)
    for path in draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=4)):
        target = obs
        try:
            for key in path[:-1]:
                target = target[key]
            if draw(st.booleans()):
                target[path[-1]] = draw(JSON)
            elif isinstance(target, dict):
                target.pop(path[-1], None)
        except (KeyError, IndexError, TypeError):
            continue
    return obs


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_fhir_reader_on_arbitrary_bytes(data):
    _reader_ok(read_fhir, data, validate=False)


@FUZZ
@given(JSON)
def test_fhir_reader_on_arbitrary_json(obj):
    _reader_ok(read_fhir, json.dumps(obj).encode(), validate=False)


@FUZZ
@given(st.lists(mutated_observation(), min_size=1, max_size=3), st.booleans())
def test_fhir_reader_on_mutated_observations(observations, as_bundle):
    for k, o in enumerate(observations):
        if isinstance(o, dict):
            o["id"] = f"o{k}"
    obj = (
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": o} for o in observations],
        }
        if as_bundle
        else observations
    )
    _reader_ok(read_fhir, obj, validate=False)
    _reader_ok(read_fhir, json.dumps(obj).encode(), validate=False)


@FUZZ
@given(mutated_observation())
def test_fhir_reader_with_schema_validation(obs):
    pytest.importorskip("fhir.resources")
    _reader_ok(read_fhir, obs, validate=True)


SEGMENT_PARTS = st.sampled_from(
    [
        "MSH|^~\\&|SPINA Thyr||||20240101120000||ORU^R01|1|P|2.5",
        "MSH|^~\\&|X||||20240101+0100",
        "MSH|^",
        "PID|1||p1",
        "PID|1||",
        "OBR|1|||X|||20240101080000",
        "OBX|1|NM|3016-3^TSH||1.0|mIU/L|||||F|||20240101080000",
        "OBX|2|NM|14920-3^FT4^LN||16.5|pmol/L",
        "OBX|3|SN|3024-7^FT4||<^1.3|ng/dL",
        "OBX|4|NM|SPINA-GT||4.7|pmol/s",
        "SPM|1||||||||||||||||20240101",
    ]
)
HL7_TEXT = st.text(alphabet="|^~\\&MSHPIDOBXR0123456789.-+<>eE:NMST \r\n", max_size=60)


@st.composite
def hl7_message(draw):
    parts = draw(st.lists(SEGMENT_PARTS | HL7_TEXT, min_size=1, max_size=8))
    if draw(st.booleans()):  # cut or splice a field somewhere
        k = draw(st.integers(0, len(parts) - 1))
        cut = draw(st.integers(0, len(parts[k])))
        parts[k] = parts[k][:cut] + draw(HL7_TEXT)
    return draw(st.sampled_from(["\r", "\n", "\r\n"])).join(parts)


@FUZZ
@given(hl7_message())
def test_hl7_reader_on_generated_messages(text):
    _reader_ok(read_hl7, text)
    _reader_ok(read_hl7, text.encode())


@FUZZ
@given(st.binary(max_size=300))
def test_hl7_reader_on_arbitrary_bytes(data):
    _reader_ok(read_hl7, data)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


CSV_TEXT = st.text(alphabet="subjectimanlyvrgo,;\t\n[]()/LgmolpIU0123456789.-e ", max_size=120)


@FUZZ
@given(
    st.sampled_from([".csv", ".json", ".hl7", ".txt", ".xlsx"]),
    st.binary(max_size=200) | CSV_TEXT.map(str.encode) | hl7_message().map(str.encode),
)
def test_lint_never_raises(fuzz_dir, suffix, data):
    p = fuzz_dir / f"f{suffix}"
    p.write_bytes(data)
    assert isinstance(lint(p), IssueList)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["s1", "s2", ""]),
            st.sampled_from(["0", "15", "-5", "x", ""]),
            st.sampled_from(["tsh", "ft4", "cortisol", "foo", ""]),
            st.sampled_from(["1.2", "-1", "inf", "nan", "abc", "1e300", ""]),
            st.sampled_from(["mIU/L", "pmol/L", "ng/dL", "nmol/L", "mU/Lx", ""]),
            st.sampled_from(["3016-3", "14920-3", "3024-7", "1234-5", ""]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_lint_on_generated_tidy_tables(fuzz_dir, rows):
    p = fuzz_dir / "tidy.csv"
    lines = ["subject,time,analyte,value,unit,loinc", *(",".join(r) for r in rows)]
    p.write_text("\n".join(lines) + "\n")
    assert isinstance(lint(p), IssueList)
