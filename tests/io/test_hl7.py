import numpy as np
import pandas as pd
import pytest

from neuroendo import DataValidationError, UnitError
from neuroendo._core.errors import UnknownAnalyteError
from neuroendo.io.hl7 import Encoding, parse_hl7, read_hl7

# Hand-built after the layout of SPINA Thyr's ORU^R01 exports (Sample_LOINC_*.hl7): MSH, PID,
# PV1, OBR, one OBX per analyte or result, SPM. Values: TSH 1 mIU/L, FT4 1.3 ng/dL, FT3 3 pg/mL.
SPINA_LIKE = "\r".join(
    [
        "MSH|^~\\&|SPINA Thyr||||20240623234302||ORU^R01|msg-1|P|2.5|||||276",
        "PID|1||0246810^01446688||Doe^Jane||19700101000000",
        "PV1|1||DR_X",
        "OBR|1|||SPINA Thyr||20240623234302",
        "OBX|1|NM|3016-3^TSH|TSH|1.00|mIU/L|0.35 - 3.5||||F|||20240623080000",
        "OBX|2|NM|3024-7^FT4|FT4|1.300|ng/dL|0.6 - 1.4||||F|||20240623080000",
        "OBX|3|NM|3051-0^FT3|FT3|3.00|pg/mL|2.3 - 4.1||||F|||20240623080000",
        "OBX|4|NM|3026-2^TT4|TT4|Nan|mcg/L|50 - 120||||F|||20240623080000",
        "OBX|5|NM|3053-6^TT3|TT3|Nan|mcg/L|0.7 - 1.8||||F|||20240623080000",
        "OBX|6|NM|SPINA-GT|GT|4.76|pmol/s|1.41 - 8.67||||F|||20240623080000",
        "OBX|7|NM|SPINA-GD|GD|25.46|nmol/s|20 - 40||||F|||20240623080000",
        "OBX|8|NM|TSHI|TSHI|2.25||1.3 - 4.1||||F|||20240623080000",
        "OBX|9|NM|TTSI|TTSI|92.86||100 - 150||||F|||20240623080000",
        "SPM|1||||||||||||||||20240623080000",
    ]
)


def test_spina_like_message():
    df = read_hl7(SPINA_LIKE)
    assert df["analyte"].tolist() == [
        "tsh",
        "ft4",
        "ft3",
        "spina_gt",
        "spina_gd",
        "jostel_tsh_index",
        "ttsi",
    ]
    assert df["unit"].tolist() == ["m[IU]/L", "ng/dL", "pg/mL", "pmol/s", "nmol/s", "1", "1"]
    assert df["loinc"].tolist() == ["3016-3", "3024-7", "3051-0", "82368-2", "82367-4", None, None]
    np.testing.assert_array_equal(df["value"], [1.0, 1.3, 3.0, 4.76, 25.46, 2.25, 92.86])
    assert set(df["subject"]) == {"0246810"}
    assert (df["datetime"] == pd.Timestamp("2024-06-23T08:00:00Z")).all()
    assert (df["time"] == 0).all()
    assert df["id"].iloc[0] == "msg-1-1"


# one hand-built OBX per supported analyte code: (OBX-3, value, OBX-6, expected key, UCUM)
ANALYTE_OBX = [
    ("3016-3^TSH^LN", "1.2", "mIU/L", "tsh", "m[IU]/L"),
    ("11580-8^TSH^LN", "1.2", "uIU/mL", "tsh", "u[IU]/mL"),
    ("3024-7^FT4^LN", "1.3", "ng/dL", "ft4", "ng/dL"),
    ("14920-3^FT4^LN", "16.5", "pmol/L", "ft4", "pmol/L"),
    ("3051-0^FT3^LN", "3.0", "pg/mL", "ft3", "pg/mL"),
    ("14928-6^FT3^LN", "4.5", "pmol/L", "ft3", "pmol/L"),
    ("3026-2^TT4^LN", "8.0", "ug/dL", "tt4", "ug/dL"),
    ("14921-1^TT4^LN", "100", "nmol/L", "tt4", "nmol/L"),
    ("3053-6^TT3^LN", "120", "ng/dL", "tt3", "ng/dL"),
    ("14930-2^TT3^LN", "1.8", "nmol/L", "tt3", "nmol/L"),
    ("2143-6^Cortisol^LN", "14", "ug/dL", "cortisol", "ug/dL"),
    ("14675-3^Cortisol^LN", "400", "nmol/L", "cortisol", "nmol/L"),
    ("2142-8^Saliva cortisol^LN", "0.3", "ug/dL", "saliva_cortisol", "ug/dL"),
    ("2141-0^ACTH^LN", "25", "pg/mL", "acth", "pg/mL"),
    ("10501-5^LH^LN", "5", "mIU/mL", "lh", "m[IU]/mL"),
    ("15067-2^FSH^LN", "6", "IU/L", "fsh", "[IU]/L"),
    ("2986-8^Testosterone^LN", "500", "ng/dL", "testosterone", "ng/dL"),
    ("14913-8^Testosterone^LN", "17", "nmol/L", "testosterone", "nmol/L"),
    ("2991-8^Free T^LN", "90", "pg/mL", "free_testosterone", "pg/mL"),
    ("14914-6^Free T^LN", "300", "pmol/L", "free_testosterone", "pmol/L"),
    ("13967-5^SHBG^LN", "40", "nmol/L", "shbg", "nmol/L"),
    ("1751-7^Albumin^LN", "4.3", "g/dL", "albumin", "g/dL"),
    ("2243-4^E2^LN", "30", "pg/mL", "estradiol", "pg/mL"),
    ("14715-7^E2^LN", "110", "pmol/L", "estradiol", "pmol/L"),
    ("2839-9^P4^LN", "10", "ng/mL", "progesterone", "ng/mL"),
    ("14890-8^P4^LN", "30", "nmol/L", "progesterone", "nmol/L"),
    ("2191-5^DHEA-S^LN", "200", "ug/dL", "dhea_s", "ug/dL"),
    ("14688-6^DHEA-S^LN", "5", "umol/L", "dhea_s", "umol/L"),
    ("2842-3^Prolactin^LN", "10", "ng/mL", "prolactin", "ng/mL"),
    ("82368-2^SPINA-GT^LN", "4.7", "pmol/s", "spina_gt", "pmol/s"),
    ("SPINA-GD^GD", "25", "nmol/s", "spina_gd", "nmol/s"),
    ("STSHI^sTSHI", "-0.7", "", "stshi", "1"),
]


@pytest.mark.parametrize(("code", "value", "unit", "key", "ucum"), ANALYTE_OBX)
def test_each_supported_analyte(code, value, unit, key, ucum):
    msg = "\n".join(
        [
            "MSH|^~\\&|LAB||||20240101120000+0100||ORU^R01|1|P|2.5",
            "PID|1||p1",
            f"OBX|1|NM|{code}||{value}|{unit}|||||F|||20240101080000",
        ]
    )
    if key == "stshi":  # negative z-score: indices may be negative, concentrations not
        with pytest.raises(DataValidationError, match="negative"):
            read_hl7(msg)
        return
    df = read_hl7(msg)
    assert df.loc[0, "analyte"] == key
    assert df.loc[0, "unit"] == ucum
    assert df.loc[0, "value"] == float(value)
    # MSH-7's offset applies to OBX-14 without one
    assert df.loc[0, "datetime"] == pd.Timestamp("2024-01-01T07:00:00Z")


def test_every_catalogue_loinc_is_covered_by_the_hl7_tests():
    from neuroendo._core.analytes import ANALYTES

    codes = {c.split("^")[0] for c, *_ in ANALYTE_OBX}
    assert {c.code for a in ANALYTES.values() for c in a.loinc} <= codes


def test_encoding_and_escapes():
    enc = Encoding()
    assert enc.unescape(r"a\F\b\S\c\T\d\R\e\E\f") == "a|b^c&d~e\\f"
    assert enc.unescape("x\\X41\\y\\.br\\z\\H\\!\\N\\") == "xAy\nz!"
    with pytest.raises(ValueError, match="unterminated"):
        enc.unescape("a\\F")
    custom = "MSH#*@!%#LAB####20240101##ORU*R01#1#P#2.5\nPID#1##p1@p2\n" + (
        "OBX#1#NM#3016-3*TSH##1.5#mIU/L#####F###20240101080000"
    )
    msgs = parse_hl7(custom)
    assert msgs[0][1].get(3) == "p1"
    assert msgs[0][1].get(3, repetition=2) == "p2"
    df = read_hl7(custom)
    assert df.loc[0, "value"] == 1.5


def test_multiple_messages_and_patients():
    one = SPINA_LIKE
    two = SPINA_LIKE.replace("0246810", "1357911").replace("20240623080000", "20240624080000")
    df = read_hl7(one + "\r\n" + two)
    assert df["subject"].unique().tolist() == ["0246810", "1357911"]
    assert (df["time"] == 0).all()  # minutes since each subject's own first sample


def test_sn_value_with_comparator_and_status_skip():
    msg = "\r".join(
        [
            "MSH|^~\\&|LAB||||20240101||ORU^R01|1|P|2.5",
            "PID|1||p1",
            "OBX|1|SN|3016-3^TSH^LN||<^0.01|mIU/L|||||F|||20240101080000",
            "OBX|2|NM|14920-3^FT4^LN||16|pmol/L|||||X|||20240101080000",
            "OBX|3|NM|14928-6^FT3^LN||4.5|pmol/L|||||C|||20240101080000",
        ]
    )
    df = read_hl7(msg)
    assert df[["analyte", "value", "comparator"]].values.tolist() == [
        ["tsh", 0.01, "<"],
        ["ft3", 4.5, ""],
    ]


def test_time_falls_back_to_obr_then_msh():
    msg = "\r".join(
        [
            "MSH|^~\\&|LAB||||20240101120000||ORU^R01|1|P|2.5",
            "PID|1||p1",
            "OBR|1|||X|||20240101073000",
            "OBX|1|NM|3016-3^TSH||1.0|mIU/L|||||F",
        ]
    )
    assert read_hl7(msg).loc[0, "datetime"] == pd.Timestamp("2024-01-01T07:30:00Z")
    no_obr = msg.replace("OBR|1|||X|||20240101073000\r", "")
    df = read_hl7(no_obr, assume_tz="Europe/Berlin")
    assert df.loc[0, "datetime"] == pd.Timestamp("2024-01-01T11:00:00Z")


@pytest.mark.parametrize(
    ("segments", "error", "match"),
    [
        (["PID|1||p1"], DataValidationError, "before any MSH"),
        (["MSH|^"], DataValidationError, "too short"),
        (["MSH|^~\\&|X", "PID|1||p1", "OBX|1|NM"], DataValidationError, "at least OBX-2"),
        (["MSH|^~\\&|X", "PID|1||p1", "OBX 1"], DataValidationError, "malformed segment"),
        (["MSH|^~\\&|X", "PID|1||p1", "OBX|1|NM|3016-3^TSH||x|mIU/L"], DataValidationError, "x"),
        (["MSH|^~\\&|X", "PID|1||p1", "OBX|1|NM|3016-3^TSH||1|"], UnitError, "no unit"),
        (["MSH|^~\\&|X", "PID|1||p1", "OBX|1|NM|3016-3^TSH||1|pmol/L"], UnitError, "3016-3"),
        (["MSH|^~\\&|X", "PID|1||p1", "OBX|1|NM|9-9^X^LN||1|nmol/L"], UnknownAnalyteError, "9-9"),
    ],
)
def test_malformed_messages(segments, error, match):
    with pytest.raises(error, match=match):
        read_hl7("\r".join(segments))


def test_every_problem_is_listed():
    msg = "\r".join(
        [
            "MSH|^~\\&|X",
            "PID|1||p1",
            "OBX|1|NM|3016-3^TSH||x|mIU/L",
            "bad line",
            "OBX|2|NM|14920-3^FT4||-1|pmol/L",
        ]
    )
    with pytest.raises(DataValidationError) as info:
        read_hl7(msg)
    assert [(i.code, i.row) for i in info.value.issues] == [
        ("value-not-number", 3),
        ("hl7-segment", 4),
        ("value-negative", 5),
    ]


def test_unknown_codes_can_be_skipped():
    msg = "MSH|^~\\&|X\rPID|1||p1\rOBX|1|NM|2093-3^Chol^LN||5|mmol/L\rOBX|2|NM|3016-3||1|mIU/L"
    assert read_hl7(msg, on_unknown="skip")["analyte"].tolist() == ["tsh"]
    with pytest.raises(ValueError, match="'on_unknown'"):
        read_hl7(msg, on_unknown="drop")


def test_reads_a_file(tmp_path):
    p = tmp_path / "m.hl7"
    p.write_bytes(SPINA_LIKE.encode())
    df = read_hl7(p)
    assert df.attrs["source"] == "m.hl7"
    assert len(df) == 7
