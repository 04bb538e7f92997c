import json

import numpy as np
import pandas as pd
import pytest

from neuroendo import DataValidationError, UnitError
from neuroendo._core.analytes import ANALYTES
from neuroendo._core.errors import UnknownAnalyteError
from neuroendo.io.fhir import (
    LOCAL_SYSTEM,
    derived_observation,
    read_fhir,
    results_to_fhir,
    to_fhir,
    write_fhir,
)

T0 = pd.Timestamp("2024-03-05T07:00:00+01:00")
CORE = ["subject", "analyte", "value", "unit", "loinc", "datetime", "specimen", "method"]


def _catalogue_table():
    """One row per catalogue analyte x LOINC code (in its example unit) and canonical unit."""
    rows = []
    for k, a in enumerate(ANALYTES.values()):
        units = [(c.code, c.example_unit) for c in a.loinc]
        units.append((None, a.canonical_unit))
        for j, (code, unit) in enumerate(units):
            rows.append(
                {
                    "subject": f"s{k % 3}",
                    "analyte": a.key,
                    "value": round(0.1 + 1.37 * (k + 1) * (j + 1), 6) + 1e-9,
                    "unit": unit,
                    "loinc": code,
                    "datetime": T0 + pd.Timedelta(minutes=5 * len(rows)),
                    "specimen": None,
                    "method": "CLIA" if j == 0 else None,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("validate", [False, True])
def test_round_trip_every_catalogue_analyte_and_unit(validate):
    if validate:
        pytest.importorskip("fhir.resources")
    table = _catalogue_table()
    bundle = to_fhir(table, validate=validate)
    back = read_fhir(json.dumps(bundle), validate=validate)
    assert len(back) == len(table)
    np.testing.assert_array_equal(back["value"].to_numpy(), table["value"].to_numpy())
    assert back["analyte"].tolist() == table["analyte"].tolist()
    assert back["unit"].tolist() == table["unit"].tolist()
    assert back["subject"].tolist() == table["subject"].tolist()
    assert (back["datetime"] == table["datetime"]).all()
    assert back["method"].tolist() == [m if isinstance(m, str) else None for m in table["method"]]
    # a given LOINC code comes back; a canonical unit gets the code of its axis (or none)
    given = table["loinc"].notna()
    assert back.loc[given, "loinc"].tolist() == table.loc[given, "loinc"].tolist()
    for _, row in back[~given].iterrows():
        a = ANALYTES[row["analyte"]]
        codes = [c.code for c in a.loinc]
        assert row["loinc"] is None or row["loinc"] in codes
    # minutes since each subject's first sample
    first = table.groupby("subject")["datetime"].transform("min")
    np.testing.assert_allclose(back["time"], (table["datetime"] - first).dt.total_seconds() / 60)
    # and the result survives a second trip unchanged
    again = read_fhir(json.dumps(to_fhir(back, validate=False)), validate=False)
    pd.testing.assert_frame_equal(again[[*CORE, "time"]], back[[*CORE, "time"]])


def test_every_analyte_has_a_round_trip_row():
    table = _catalogue_table()
    assert set(table["analyte"]) == set(ANALYTES)
    loincs = {c.code for a in ANALYTES.values() for c in a.loinc}
    assert loincs <= set(table["loinc"].dropna())


def test_local_code_for_analytes_without_a_code_of_that_axis():
    df = pd.DataFrame(
        {
            "subject": ["p1"],
            "analyte": ["saliva_cortisol"],
            "value": [3.3],
            "unit": ["nmol/L"],
            "datetime": [T0],
        }
    )
    obs = to_fhir(df, validate=False)["entry"][0]["resource"]
    assert obs["code"]["coding"][0] == {
        "system": LOCAL_SYSTEM,
        "code": "saliva_cortisol",
        "display": "Cortisol (saliva)",
    }
    back = read_fhir(to_fhir(df, validate=False), validate=False)
    assert back.loc[0, "analyte"] == "saliva_cortisol"
    assert back.loc[0, "loinc"] is None
    assert back.loc[0, "specimen"] == "saliva"


def test_written_quantity_has_ucum_unit_and_code():
    df = pd.DataFrame(
        {"subject": ["p1"], "analyte": ["tsh"], "value": [1.2], "unit": ["mIU/L"], "time": [0.0]}
    )
    obs = to_fhir(df, start=T0, validate=False)["entry"][0]["resource"]
    assert obs["valueQuantity"] == {
        "value": 1.2,
        "unit": "m[IU]/L",
        "system": "http://unitsofmeasure.org",
        "code": "m[IU]/L",
    }
    assert obs["code"]["coding"][0]["code"] == "3016-3"
    assert obs["effectiveDateTime"] == "2024-03-05T07:00:00+01:00"


def _car_panel():
    """A CAR series: four saliva cortisol samples as members of one panel Observation."""
    minutes = [0, 15, 30, 45]
    members = [
        {
            "fullUrl": f"urn:uuid:0000000{k}-0000-4000-8000-000000000000",
            "resource": {
                "resourceType": "Observation",
                "id": f"car-{k}",
                "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "2142-8"}]},
                "subject": {"reference": "Patient/p7"},
                "effectiveDateTime": (T0 + pd.Timedelta(minutes=m)).isoformat(),
                "valueQuantity": {
                    "value": v,
                    "unit": "ug/dL",
                    "system": "http://unitsofmeasure.org",
                    "code": "ug/dL",
                },
            },
        }
        for k, (m, v) in enumerate(zip(minutes, [0.30, 0.52, 0.61, 0.44], strict=True))
    ]
    panel = {
        "resourceType": "Observation",
        "id": "car",
        "status": "final",
        "code": {"text": "CAR"},
        "subject": {"reference": "Patient/p7"},
        "hasMember": [{"reference": members[0]["fullUrl"]}]
        + [{"reference": f"Observation/car-{k}"} for k in (1, 2, 3)],
    }
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [*members, {"resource": panel}],
    }


def test_has_member_panel_labels_the_series():
    df = read_fhir(_car_panel(), validate=False)
    assert df["panel"].tolist() == ["CAR"] * 4
    assert df["time"].tolist() == [0.0, 15.0, 30.0, 45.0]
    assert df["analyte"].unique().tolist() == ["saliva_cortisol"]
    assert df["specimen"].unique().tolist() == ["saliva"]
    # write and read again: the panel survives
    back = read_fhir(to_fhir(df, validate=False), validate=False)
    assert back["panel"].tolist() == ["CAR"] * 4
    pd.testing.assert_frame_equal(back[[*CORE, "time"]], df[[*CORE, "time"]])


def test_panel_members_inherit_subject():
    bundle = _car_panel()
    for e in bundle["entry"][:4]:
        del e["resource"]["subject"]
    df = read_fhir(bundle, validate=False)
    assert df["subject"].unique().tolist() == ["p7"]


def test_components_become_rows():
    obs = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "thyroid panel"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2024-01-01T08:00:00Z",
        "component": [
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": c}]},
                "valueQuantity": {"value": v, "system": "http://unitsofmeasure.org", "code": u},
            }
            for c, v, u in [("3016-3", 1.0, "m[IU]/L"), ("14920-3", 16.5, "pmol/L")]
        ],
    }
    df = read_fhir(obs, validate=False)
    assert df[["analyte", "value", "unit"]].values.tolist() == [
        ["tsh", 1.0, "m[IU]/L"],
        ["ft4", 16.5, "pmol/L"],
    ]


def test_skips_entered_in_error_and_absent_data():
    bundle = _car_panel()
    bundle["entry"][0]["resource"]["status"] = "entered-in-error"
    q = bundle["entry"][1]["resource"]
    del q["valueQuantity"]
    q["dataAbsentReason"] = {"text": "insufficient saliva"}
    df = read_fhir(bundle, validate=False)
    assert df["id"].tolist() == ["car-2", "car-3"]


def test_derived_results_with_derived_from_method_and_ucum():
    res = pd.DataFrame(
        {"spina_gt": [4.70, np.nan], "spina_gd": [25.22, 30.0], "cortisol_auc_g": [780.0, 900.0]},
        index=pd.Index(["p1", "p2"], name="subject"),
    )
    res.attrs["units"] = {
        "spina_gt": "pmol/s",
        "spina_gd": "nmol/s",
        "cortisol_auc_g": "nmol.min/L",
    }
    bundle = results_to_fhir(
        res,
        method={c: f"neuroendo {c}" for c in res.columns},
        derived_from={"p1": ["Observation/tsh-1", "Observation/ft4-1"]},
        effective=T0,
        validate=False,
    )
    resources = [e["resource"] for e in bundle["entry"]]
    assert len(resources) == 5  # the NaN is not exported
    gt = resources[0]
    assert gt["code"]["coding"][0]["code"] == "82368-2"
    assert gt["valueQuantity"]["code"] == "pmol/s"
    assert gt["method"] == {"text": "neuroendo spina_gt"}
    assert [r["reference"] for r in gt["derivedFrom"]] == ["Observation/tsh-1", "Observation/ft4-1"]
    auc = next(r for r in resources if r["code"].get("text") == "cortisol_auc_g")
    assert auc["code"]["coding"][0]["system"] == LOCAL_SYSTEM
    back = read_fhir(bundle, validate=False)
    assert sorted(back["analyte"].unique()) == ["cortisol_auc_g", "spina_gd", "spina_gt"]
    assert back.loc[back["analyte"] == "spina_gd", "value"].tolist() == [25.22, 30.0]


@pytest.mark.parametrize("validate", [False, True])
def test_derived_observation_is_valid_r4(validate):
    if validate:
        pytest.importorskip("fhir.resources")
        from neuroendo.io.fhir import validate_resource

    obs = derived_observation(
        "free_testosterone",
        0.35,
        "nmol/L",
        subject="p1",
        method="Vermeulen 1999",
        derived_from=["Observation/t", "Observation/shbg"],
        effective="2024-01-01T08:00:00Z",
    )
    assert obs["code"]["coding"][0]["code"] == "14914-6"  # the molar free-T code
    if validate:
        validate_resource(obs)


def test_write_fhir_file(tmp_path):
    table = _catalogue_table().head(5)
    p = write_fhir(table, tmp_path / "b.json")
    assert json.loads(p.read_text())["resourceType"] == "Bundle"
    assert read_fhir(p, validate=False)["value"].tolist() == table["value"].tolist()


def test_to_fhir_rejects_bad_tables():
    base = {"subject": ["p1"], "analyte": ["ft4"], "value": [16.5], "datetime": [T0]}
    with pytest.raises(DataValidationError, match="missing column"):
        to_fhir(pd.DataFrame(base))
    with pytest.raises(UnitError, match="LOINC 3024-7"):
        to_fhir(pd.DataFrame({**base, "unit": ["pmol/L"], "loinc": ["3024-7"]}))
    with pytest.raises(UnitError, match="does not suit 'ft4'"):
        to_fhir(pd.DataFrame({**base, "unit": ["m[IU]/L"]}))
    with pytest.raises(DataValidationError, match="not finite"):
        to_fhir(pd.DataFrame({**base, "value": [np.nan], "unit": ["pmol/L"]}))
    with pytest.raises(DataValidationError, match="no time zone"):
        to_fhir(
            pd.DataFrame({**base, "unit": ["pmol/L"], "datetime": [pd.Timestamp("2024-01-01")]})
        )
    with pytest.raises(UnknownAnalyteError):
        to_fhir(pd.DataFrame({**base, "unit": ["pmol/L"], "loinc": ["1234-5"]}))


def test_reader_collects_every_issue():
    good = to_fhir(_catalogue_table().head(3), validate=False)
    good["entry"][0]["resource"]["valueQuantity"]["value"] = "x"
    good["entry"][2]["resource"]["status"] = "done"
    with pytest.raises(DataValidationError, match=r"\(and 1 more\)") as info:
        read_fhir(good, validate=False)
    assert [(i.code, i.row) for i in info.value.issues] == [
        ("value-not-number", 1),
        ("status-invalid", 3),
    ]


def test_options():
    with pytest.raises(ValueError, match="'on_unknown'"):
        read_fhir({}, on_unknown="ignore")
    with pytest.raises(ValueError, match="not a time zone"):
        read_fhir({}, assume_tz="Mars/Olympus")
    obs = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2093-3"}]},
        "subject": {"reference": "Patient/p1"},
        "valueQuantity": {"value": 5.0, "system": "http://unitsofmeasure.org", "code": "mmol/L"},
    }
    tsh = {
        **obs,
        "code": {"coding": [{"system": "http://loinc.org", "code": "3016-3"}]},
        "effectiveDateTime": "2024-01-01T08:00:00",
        "valueQuantity": {"value": 1.0, "system": "http://unitsofmeasure.org", "code": "m[IU]/L"},
    }
    df = read_fhir([obs, tsh], on_unknown="skip", assume_tz="Europe/Berlin", validate=False)
    assert df["analyte"].tolist() == ["tsh"]
    assert df["datetime"].iloc[0] == pd.Timestamp("2024-01-01T07:00:00Z")
