import numpy as np
import pytest

from neuroendo import DataValidationError, UnitError
from neuroendo.io.tables import read_table, saliva_long, split_unit_header


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ft4 [pmol/L]", ("ft4", "pmol/L")),
        ("FT4 (ng/dL)", ("ft4", "ng/dL")),
        ("tsh [m[IU]/L]", ("tsh", "m[IU]/L")),
        ("Subject", ("subject", None)),
        ("ft4 [pmol/l)", ("ft4", "pmol/l)")),  # unbalanced: kept, then rejected as a unit
    ],
)
def test_split_unit_header(header, expected):
    assert split_unit_header(header) == expected


def _write(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_units_from_header_argument_and_column(tmp_path):
    p = _write(tmp_path, "subject,tsh [mIU/L],ft4\ns1,1.0,16.5\ns2,2.0,12\n")
    df = read_table(p, units={"ft4": "ng/dL"}, numeric=["tsh", "ft4"])
    assert df.attrs["units"] == {"tsh": "m[IU]/L", "ft4": "ng/dL"}
    np.testing.assert_array_equal(df["ft4"], [16.5, 12.0])
    p = _write(tmp_path, "subject,sample,cortisol,unit\ns1,S0,5,nmol/l\ns1,S1,6,nmol/l\n")
    assert read_table(p, numeric=["cortisol"]).attrs["units"] == {"cortisol": "nmol/L"}


def test_semicolon_and_tab_separated(tmp_path):
    p = _write(tmp_path, "subject;tsh [mIU/L]\ns1;1.5\ns2;2.5\n")
    assert read_table(p, numeric=["tsh"])["tsh"].tolist() == [1.5, 2.5]
    p = _write(tmp_path, "subject\ttsh [mIU/L]\ns1\t1.5\ns2\t2.5\n", "t.tsv")
    assert read_table(p, numeric=["tsh"])["tsh"].tolist() == [1.5, 2.5]


def test_missing_cells_are_nan(tmp_path):
    p = _write(tmp_path, "subject,tsh [mIU/L],ft4 [pmol/L]\ns1,,16.5\ns2,2.0,\n")
    df = read_table(p, numeric=["tsh", "ft4"])
    assert np.isnan(df.loc[0, "tsh"])
    assert np.isnan(df.loc[1, "ft4"])


def test_every_bad_cell_is_listed(tmp_path):
    p = _write(tmp_path, "subject,tsh [mIU/L],ft4 [pmol/L]\ns1,x,16.5\ns2,2.0,-3\ns3,1,1\n")
    with pytest.raises(DataValidationError, match=r"t\.csv: error: 'x' is not a number") as e:
        read_table(p, numeric=["tsh", "ft4"])
    assert [(i.row, i.column, i.code) for i in e.value.issues] == [
        (2, "tsh", "value-not-number"),
        (3, "ft4", "value-negative"),
    ]
    assert "(and 1 more)" in str(e.value)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "the file is empty"),
        ("subject,tsh\n", "header but no rows"),
        ("subject,tsh,tsh\ns1,1,2\n", "appears twice"),
        ("subject,cortisol,unit\ns1,5,nmol/L\ns2,0.2,ug/dL\n", "mixed units"),
    ],
)
def test_bad_tables(tmp_path, text, match):
    with pytest.raises(DataValidationError, match=match):
        read_table(_write(tmp_path, text), numeric=["tsh", "cortisol"])


def test_bad_unit_in_header_names_row_and_column(tmp_path):
    with pytest.raises(UnitError, match=r"t\.csv, row 1, column 'tsh \[mU/Lx\]': Unknown unit"):
        read_table(_write(tmp_path, "subject,tsh [mU/Lx]\ns1,1\n"))


def test_non_utf8(tmp_path):
    p = tmp_path / "latin1.csv"
    p.write_bytes("subject,größe\ns1,1\n".encode("latin-1"))
    with pytest.raises(DataValidationError, match="not UTF-8"):
        read_table(p)


def test_missing_required_column_suggests(tmp_path):
    with pytest.raises(
        DataValidationError, match=r"missing column\(s\) 'tsh'.*Did you mean 'tsh_'"
    ):
        read_table(_write(tmp_path, "subject,tsh_\ns1,1\n"), required=["tsh"])


def test_saliva_long_from_wide_and_long(tmp_path):
    wide = read_table(
        _write(tmp_path, "subject,condition,S0,S1\na,C,1,2\nb,I,3,4\n"),
        units={"S0": "nmol/L", "S1": "nmol/L"},
        numeric=["s0", "s1"],
    )
    long = saliva_long(wide)
    assert long.index.names == ["condition", "subject", "sample"]
    assert long.attrs["units"]["cortisol"] == "nmol/L"
    assert long.loc[("I", "b", "S1"), "cortisol"] == 4.0
    dup = read_table(_write(tmp_path, "subject,sample,cortisol\na,S0,1\na,S0,2\n"))
    with pytest.raises(DataValidationError, match="duplicate sample 'S0' for subject 'a'"):
        saliva_long(dup)
    with pytest.raises(DataValidationError, match="neither a long layout"):
        saliva_long(read_table(_write(tmp_path, "subject,x\na,1\n")))


def test_infinite_cells_and_repeated_unit_headers_are_errors(tmp_path):
    with pytest.raises(DataValidationError, match=r"'inf' is not a finite number") as e:
        read_table(_write(tmp_path, "subject,tsh [mIU/L]\ns1,inf\n"), numeric=["tsh"])
    assert e.value.issues[0].code == "value-not-finite"
    with pytest.raises(DataValidationError, match=r"'tsh \[mIU/L\]' appears twice"):
        read_table(_write(tmp_path, "subject,tsh [mIU/L],tsh [mIU/L]\ns1,1,2\n"))
