"""read_plate: BioPsyKit-style lab plate sheets, missing-sample markers, censored values, lint."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuroendo._core.errors import DataValidationError, NeuroendoError, UnitError
from neuroendo._core.validation import Severity
from neuroendo.io._plate import _find_plates
from neuroendo.io.lint import lint
from neuroendo.io.tables import DEFAULT_MISSING_MARKERS, read_plate

openpyxl = pytest.importorskip("openpyxl")

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
HEADER = ["plate", "# on plate", "sample ID", "cortisol (nmol/l)"]
OK = [[1, 1, "Vp01 S0", 6.99], [None, 2, "Vp01 S1", 7.03], [None, 3, "Vp02 S0", 5.1]]


def _xlsx(path: Path, rows: list[list[Any]], *, sheet: str = "Cortisol", extra=None) -> Path:
    """Write a plate like BioPsyKit's example: title rows, then the header in row 3, from B."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["Cortisol ELISA, plate 1"])
    ws.append([])
    for r in rows:
        ws.append([None, *r])
    for name, other in (extra or {}).items():
        ws2 = wb.create_sheet(name)
        for r in other:
            ws2.append(r)
    wb.save(path)
    return path


def _plate(tmp_path: Path, cells: list[list[Any]], header=HEADER, **kw) -> Path:
    return _xlsx(tmp_path / "plate.xlsx", [header, *cells], **kw)


# --------------------------------------------------------------------------- the real file
@pytest.fixture(scope="module")
def plate_file(data_dir: Path) -> Path:
    p = data_dir / "biopsykit" / "cortisol_sample_plate.xlsx"
    if not p.is_file():
        pytest.skip(f"{p} is absent")
    return p


def test_reference_plate_layout(plate_file):
    df = read_plate(plate_file)
    assert df.shape[0] == 196
    assert list(df.columns) == [
        "subject", "sample", "analyte", "value", "unit", "comparator", "missing_reason", "cell",
    ]  # fmt: skip
    assert df["subject"].nunique() == 28
    assert (df.groupby("subject")["sample"].apply(list).map(len) == 7).all()
    assert set(df["sample"]) == {f"S{i}" for i in range(7)}
    assert (df["unit"] == "nmol/L").all()
    assert (df["analyte"] == "cortisol").all()
    assert df["value"].notna().all()
    assert (df["missing_reason"] == "").all()
    assert (df["comparator"] == "").all()
    assert df.attrs["sheet"] == "Cortisol"
    assert df.attrs["header_row"] == 3
    assert df.attrs["value_column"] == "cortisol (nmol/l)"
    first = df.iloc[0]
    assert (first["subject"], first["sample"], first["cell"]) == ("Vp01", "S0", "G4")
    assert first["value"] == pytest.approx(6.9889, rel=1e-12)
    assert df.iloc[-1]["cell"] == "G199"


def test_reference_plate_equals_the_wide_csv(plate_file, data_dir):
    """The README says the plate holds the same values as cortisol_sample.csv (26 of 28)."""
    wide = pd.read_csv(data_dir / "biopsykit" / "cortisol_sample.csv")
    long = wide.melt(id_vars=["subject", "condition"], var_name="sample", value_name="csv")
    long["sample"] = "S" + long["sample"]
    both = read_plate(plate_file).merge(long, on=["subject", "sample"], how="inner")
    assert both.shape[0] == 26 * 7
    np.testing.assert_allclose(both["value"], both["csv"], rtol=0, atol=0)


BPK_SCRIPT = textwrap.dedent(
    """
    import sys
    import warnings

    warnings.simplefilter("ignore")
    import biopsykit as bp
    from biopsykit.io.saliva import load_saliva_plate

    df = load_saliva_plate(sys.argv[1], saliva_type="cortisol")
    df.reset_index().to_csv(sys.argv[2], index=False)
    print(bp.__version__)
    """
)


@pytest.mark.crosscheck
def test_reference_plate_equals_biopsykit(plate_file, run_biopsykit, tmp_path):
    dst = tmp_path / "bpk.csv"
    run_biopsykit(BPK_SCRIPT, plate_file, dst)
    theirs = pd.read_csv(dst, dtype={"subject": str, "sample": str})
    ours = read_plate(plate_file)
    assert list(ours["subject"]) == list(theirs["subject"])
    assert list(ours["sample"]) == list(theirs["sample"])
    np.testing.assert_allclose(ours["value"], theirs["cortisol"], rtol=1e-15, atol=0)


# --------------------------------------------------------------------------- missing markers
def test_every_default_marker_gives_nan_with_its_reason(tmp_path):
    markers = [m for m in DEFAULT_MISSING_MARKERS if m]
    cells = [[None, k, f"Vp{k:02d} S0", m.upper()] for k, m in enumerate(markers, start=1)]
    df = read_plate(_plate(tmp_path, cells))
    assert df["value"].isna().all()
    assert list(df["missing_reason"]) == [m.upper() for m in markers]
    assert df.shape[0] == len(markers)  # never a silent drop


def test_markers_are_case_and_space_insensitive_and_empty_cells_are_recorded(tmp_path):
    cells = [
        [None, 1, "Vp01 S0", "  No   Sample "],
        [None, 2, "Vp01 S1", None],
        [None, 3, "Vp01 S2", "   "],
        [None, 4, "Vp01 S3", "Insufficient Volume"],
        [None, 5, "Vp01 S4", 4.2],
    ]
    df = read_plate(_plate(tmp_path, cells))
    assert list(df["missing_reason"]) == [
        "No Sample", "empty cell", "empty cell", "Insufficient Volume", "",
    ]  # fmt: skip
    assert df["value"].isna().sum() == 4
    assert df["value"].iloc[4] == 4.2


def test_custom_markers(tmp_path):
    p = _plate(tmp_path, [*OK, [None, 4, "Vp02 S1", "vial broken"]])
    with pytest.raises(DataValidationError, match="'vial broken' is not a number"):
        read_plate(p)
    df = read_plate(p, missing_markers=(*DEFAULT_MISSING_MARKERS, "Vial Broken"))
    assert df["missing_reason"].iloc[-1] == "vial broken"
    with pytest.raises(ValueError, match="single string"):
        read_plate(p, missing_markers="vial broken")


def test_unknown_text_names_sheet_cell_value_and_fix(tmp_path):
    p = _plate(tmp_path, [*OK, [None, 4, "Vp02 S1", "see comment"], [None, 5, "Vp02 S2", "x"]])
    with pytest.raises(DataValidationError) as info:
        read_plate(p)
    msg = str(info.value)
    assert msg.startswith("plate.xlsx: error: sheet 'Cortisol', cell E7: 'see comment'")
    assert "missing_markers=" in msg
    assert "(and 1 more)" in msg
    assert [(i.code, i.row, i.column) for i in info.value.issues] == [
        ("value-not-number", 7, "cortisol (nmol/l)"),
        ("value-not-number", 8, "cortisol (nmol/l)"),
    ]


def test_numbers_typed_as_text_are_read_and_decimal_commas_explained(tmp_path):
    df = read_plate(_plate(tmp_path, [*OK, [None, 4, "Vp02 S1", " 5.25 "]]))
    assert df["value"].iloc[-1] == 5.25
    with pytest.raises(DataValidationError, match="use a decimal point"):
        read_plate(_plate(tmp_path, [*OK, [None, 4, "Vp02 S1", "5,25"]]))


def test_negative_and_infinite_values_are_errors(tmp_path):
    with pytest.raises(DataValidationError, match=r"cell E7: -0.5 is negative"):
        read_plate(_plate(tmp_path, [*OK, [None, 4, "Vp02 S1", -0.5]]))
    with pytest.raises(DataValidationError, match="not a finite number"):
        read_plate(_plate(tmp_path, [*OK, [None, 4, "Vp02 S1", "inf"]]))


# --------------------------------------------------------------------------- censored values
CENSORED = [
    [None, 4, "Vp02 S1", "<0.1"],
    [None, 5, "Vp02 S2", "> 100"],
    [None, 6, "Vp02 S3", "≤0.5"],
]


def test_censored_values_are_refused_by_default(tmp_path):
    p = _plate(tmp_path, [*OK, *CENSORED])
    with pytest.raises(DataValidationError) as info:
        read_plate(p)
    assert "'<0.1' is a censored value" in str(info.value)
    assert "censored='limit'" in str(info.value)
    assert [i.code for i in info.value.issues] == ["value-censored"] * 3


def test_censored_limit_keeps_the_limit_with_a_comparator(tmp_path):
    df = read_plate(_plate(tmp_path, [*OK, *CENSORED]), censored="limit")
    tail = df.iloc[3:]
    np.testing.assert_array_equal(tail["value"], [0.1, 100.0, 0.5])
    assert list(tail["comparator"]) == ["<", ">", "<="]
    assert (tail["missing_reason"] == "").all()
    assert (df["comparator"].iloc[:3] == "").all()


def test_censored_nan_records_the_reason(tmp_path):
    df = read_plate(_plate(tmp_path, [*OK, *CENSORED]), censored="nan")
    tail = df.iloc[3:]
    assert tail["value"].isna().all()
    assert list(tail["comparator"]) == ["<", ">", "<="]
    assert list(tail["missing_reason"]) == [
        "below detection limit (<0.1)",
        "above detection limit (> 100)",
        "below detection limit (≤0.5)",
    ]


def test_censored_words_without_a_limit(tmp_path):
    p = _plate(tmp_path, [*OK, [None, 4, "Vp02 S1", "<LOD"]])
    with pytest.raises(DataValidationError, match="gives no limit to keep"):
        read_plate(p, censored="limit")
    df = read_plate(p, censored="nan")
    assert df["comparator"].iloc[-1] == "<"
    assert np.isnan(df["value"].iloc[-1])


def test_option_values_are_checked(tmp_path):
    p = _plate(tmp_path, OK)
    with pytest.raises(ValueError, match=r"Invalid value for 'censored'.*Did you mean 'limit'"):
        read_plate(p, censored="limt")
    with pytest.raises(ValueError, match="Invalid value for 'duplicates'"):
        read_plate(p, duplicates="first")


# --------------------------------------------------------------------------- units
def test_unit_from_header_row_column_or_argument(tmp_path):
    bare = ["plate", "# on plate", "sample ID", "cortisol"]
    with pytest.raises(UnitError, match=r"has no unit; .*unit='nmol/L'"):
        read_plate(_plate(tmp_path, OK, header=bare))
    df = read_plate(_plate(tmp_path, OK, header=bare), unit="nmol/l")
    assert (df["unit"] == "nmol/L").all()
    # a unit row under the header
    df = read_plate(_plate(tmp_path, [[None, None, None, "ug/dL"], *OK], header=bare))
    assert df.shape[0] == 3
    assert (df["unit"] == "ug/dL").all()
    # a unit column
    cells = [[*r, "nmol/l"] for r in OK]
    df = read_plate(_plate(tmp_path, cells, header=[*bare, "unit"]))
    assert (df["unit"] == "nmol/L").all()
    with pytest.raises(UnitError, match="mixed units"):
        read_plate(_plate(tmp_path, [*cells[:2], [*OK[2], "ug/dL"]], header=[*bare, "unit"]))


def test_unit_conflicts_and_unsuited_units(tmp_path):
    p = _plate(tmp_path, OK)
    assert (read_plate(p, unit="nmol/L")["unit"] == "nmol/L").all()
    with pytest.raises(UnitError, match="the file gives the unit 'nmol/l' but unit='ug/dL'"):
        read_plate(p, unit="ug/dL")
    with pytest.raises(UnitError, match=r"cell E3: Unknown unit 'nmol/x'"):
        read_plate(_plate(tmp_path, OK, header=[*HEADER[:3], "cortisol (nmol/x)"]))
    with pytest.raises(UnitError, match="does not suit 'cortisol'"):
        read_plate(_plate(tmp_path, OK, header=[*HEADER[:3], "cortisol (mIU/L)"]))


# --------------------------------------------------------------------------- IDs and layout
def test_biopsykit_style_unnamed_groups_and_days(tmp_path):
    p = _plate(tmp_path, [[None, 1, "Vp01 S1", 1.0], [None, 2, "Vp01 S2", 2.0]])
    df = read_plate(p, id_pattern=r"(Vp\d+) (S\d)")
    assert list(df["sample"]) == ["S1", "S2"]
    days = [[None, 1, "Vp01 T1 S0", 1.0], [None, 2, "Vp01 T2 S0", 2.0]]
    df = read_plate(_plate(tmp_path, days))
    assert list(df["day"]) == ["T1", "T2"]
    assert list(df.columns[:3]) == ["subject", "day", "sample"]
    with pytest.raises(ValueError, match="'id_pattern'"):
        read_plate(p, id_pattern=r"(Vp\d+)")
    with pytest.raises(ValueError, match="'id_pattern'"):
        read_plate(p, id_pattern=r"(?P<who>Vp\d+) (?P<sample>S\d)")


def test_unmatched_and_missing_ids(tmp_path):
    p = _plate(tmp_path, [*OK, [None, 4, "Vp02S1", 3.0], [None, 5, None, 4.0], [None, 6]])
    with pytest.raises(DataValidationError) as info:
        read_plate(p)
    assert [(i.code, i.row) for i in info.value.issues] == [
        ("plate-id-unmatched", 7),
        ("plate-id-missing", 8),
    ]
    assert "cell D7: sample ID 'Vp02S1' does not match" in str(info.value)


def test_standards_and_blank_rows_are_skipped_and_listed(tmp_path):
    cells = [[1, 1, "Std 1", 100.0], [None, 2, "Blank", 0.0], *OK, [None, None, None, None]]
    df = read_plate(_plate(tmp_path, cells))
    assert df.shape[0] == 3
    assert df.attrs["skipped"] == ["D4: Std 1", "D5: Blank"]
    with pytest.raises(DataValidationError, match="'Std 1' does not match"):
        read_plate(_plate(tmp_path, cells), skip_ids=None)


def test_duplicates_error_or_mean(tmp_path):
    cells = [*OK, [None, 4, "Vp01 S1", 7.97], [None, 5, "Vp02 S1", "no sample"]]
    p = _plate(tmp_path, cells)
    with pytest.raises(DataValidationError, match=r"subject=Vp01, sample=S1 repeats"):
        read_plate(p)
    df = read_plate(p, duplicates="mean")
    assert df.shape[0] == 4
    row = df[(df["subject"] == "Vp01") & (df["sample"] == "S1")].iloc[0]
    assert row["value"] == pytest.approx(7.5)
    assert row["n_replicates"] == 2
    assert row["cell"] == "E5,E7"
    assert df["missing_reason"].iloc[-1] == "no sample"
    assert df["n_replicates"].iloc[-1] == 0


def test_replicate_columns_are_averaged(tmp_path):
    header = ["sample ID", "cortisol 1 (nmol/l)", "cortisol 2 (nmol/l)"]
    cells = [["Vp01 S0", 4.0, 6.0], ["Vp01 S1", 5.0, "no sample"], ["Vp01 S2", "empty", None]]
    df = read_plate(_plate(tmp_path, cells, header=header))
    np.testing.assert_allclose(df["value"], [5.0, 5.0, np.nan])
    assert list(df["n_replicates"]) == [2, 1, 0]
    assert list(df["missing_reason"]) == ["", "", "empty; empty cell"]
    with pytest.raises(UnitError, match="different units"):
        read_plate(_plate(tmp_path, cells, header=[*header[:2], "cortisol 2 (ug/dL)"]))


def test_extra_columns_and_clock_times(tmp_path):
    header = ["sample ID", "condition", "time", "cortisol (nmol/l)"]
    cells = [
        ["Vp01 S0", "Control", dt.time(7, 30), 5.0],
        ["Vp01 S1", "Control", "07:45", 6.0],
        ["Vp02 S0", "Stress", "23:50", 4.0],
        ["Vp02 S1", "Stress", "00:20", 8.0],
    ]
    df = read_plate(_plate(tmp_path, cells, header=header))
    assert list(df["condition"]) == ["Control", "Control", "Stress", "Stress"]
    np.testing.assert_allclose(df["time"], [0, 15, 0, 30])
    assert list(df["clock_time"]) == ["07:30:00", "07:45", "23:50", "00:20"]
    assert df.attrs["units"] == {"value": "nmol/L", "time": "min"}
    df = read_plate(_plate(tmp_path, cells, header=header), clock_reference="07:00")
    np.testing.assert_allclose(df["time"], [30, 45, 1010, 1040])
    numeric = [[*r[:2], m, r[3]] for r, m in zip(cells, [-1, 30, -1, 30], strict=True)]
    df = read_plate(_plate(tmp_path, numeric, header=header))
    np.testing.assert_allclose(df["time"], [-1, 30, -1, 30])
    assert "clock_time" not in df.columns
    bad = [[*cells[0][:2], "7h30x", 5.0]]
    with pytest.raises(
        DataValidationError, match=r"cell D4 \('time'\): 'times': not a clock time: '7h30x'"
    ):
        read_plate(_plate(tmp_path, bad, header=header))


def test_sheets_and_header_detection(tmp_path):
    other = {"Notes": [["sample ID", "comment"], ["Vp01 S0", "late"]]}
    p = _plate(tmp_path, OK, sheet="Results", extra=other)
    assert read_plate(p).attrs["sheet"] == "Results"
    assert read_plate(p, sheet=0).shape[0] == 3
    with pytest.raises(DataValidationError, match=r"no sheet 'Result'.*Did you mean 'Results'"):
        read_plate(p, sheet="Result")
    with pytest.raises(DataValidationError, match="sheet index 5 does not exist"):
        read_plate(p, sheet=5)
    with pytest.raises(DataValidationError, match=r"no header row .* pass header_row="):
        read_plate(p, sheet="Notes")
    assert read_plate(p, header_row=3).attrs["header_row"] == 3
    with pytest.raises(
        DataValidationError, match=r"row 4: the header has no 'sample ID' column; found '1'"
    ):
        read_plate(p, header_row=4)
    with pytest.raises(DataValidationError, match="header_row=0 is not a row"):
        read_plate(p, header_row=0)
    two = _plate(tmp_path, OK, sheet="A", extra={"B": [HEADER[2:], ["Vp01 S0", 1.0]]})
    with pytest.raises(DataValidationError, match="several sheet"):
        read_plate(two)


def test_value_column_and_other_analytes(tmp_path):
    header = ["sample ID", "result (U/mL)"]
    p = _plate(tmp_path, [["Vp01 S0", 120.0]], header=header)
    df = read_plate(p, analyte="amylase", value_column="result")
    assert (df["analyte"].iloc[0], df["unit"].iloc[0], df["value"].iloc[0]) == (
        "amylase",
        "U/mL",
        120.0,
    )
    df = read_plate(_plate(tmp_path, OK), analyte="saliva_cortisol")
    assert (df["analyte"] == "saliva_cortisol").all()


def test_file_problems(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        read_plate(tmp_path / "nope.xlsx")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(DataValidationError, match="the file is empty"):
        read_plate(empty)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip file")
    with pytest.raises(DataValidationError, match="cannot read the table"):
        read_plate(junk)


def test_csv_plate(tmp_path):
    p = tmp_path / "plate.csv"
    p.write_text(
        "Assay 3,,\n,,\nwell,sample ID,cortisol [nmol/L]\nA1,Vp01 S0,1.5\nB1,Vp01 S1,qns\n"
    )
    df = read_plate(p)
    assert list(df["cell"]) == ["C4", "C5"]
    assert df["missing_reason"].iloc[1] == "qns"
    assert df.attrs["sheet"] is None


# --------------------------------------------------------------------------- bad corpus, lint
BAD_PLATES = {
    "plate_unknown_text.xlsx": (DataValidationError, "cell E6: 'see comment'", "value-not-number"),
    "plate_decimal_comma.xlsx": (DataValidationError, "use a decimal point", "value-not-number"),
    "plate_censored.xlsx": (DataValidationError, "is a censored value", "value-censored"),
    "plate_negative.xlsx": (DataValidationError, "-1.5 is negative", "value-negative"),
    "plate_no_unit.xlsx": (UnitError, "has no unit", "unit-missing"),
    "plate_bad_unit.xlsx": (UnitError, "Unknown unit 'nmol/x'", "unit-unknown"),
    "plate_unit_not_cortisol.xlsx": (UnitError, "does not suit", "unit-analyte-mismatch"),
    "plate_duplicate_id.xlsx": (DataValidationError, "repeats an earlier row", "sample-duplicate"),
    "plate_id_unmatched.xlsx": (DataValidationError, "does not match the ID", "plate-id-unmatched"),
    "plate_id_missing.xlsx": (DataValidationError, "value without a sample ID", "plate-id-missing"),
    "plate_infinite.xlsx": (DataValidationError, "is not a finite number", "value-not-finite"),
}  # fmt: skip


def test_every_bad_plate_file_is_covered():
    assert {p.name for p in BAD.glob("plate_*")} == set(BAD_PLATES)


@pytest.mark.parametrize("name", sorted(BAD_PLATES))
def test_bad_plate_files(name):
    cls, fragment, code = BAD_PLATES[name]
    with pytest.raises(cls) as info:
        read_plate(BAD / name)
    assert fragment in str(info.value)
    issues = lint(BAD / name)
    hits = [i for i in issues if i.code == code]
    assert hits, [str(i) for i in issues]
    assert all(i.severity is Severity.ERROR for i in hits)
    assert issues.has_errors


def test_lint_reference_plate_is_clean(plate_file):
    assert list(lint(plate_file)) == []


def test_lint_reports_plate_cells_by_row(tmp_path):
    cells = [*OK, [None, 4, "Vp02 S1", "no sample"], [None, 5, "Vp02 S2", "abc"]]
    issues = lint(_plate(tmp_path, cells))
    got = [(i.severity, i.code, i.row, i.column, i.subject) for i in issues]
    assert got == [
        (Severity.INFO, "value-missing", 7, "cortisol (nmol/l)", "Vp02"),
        (Severity.ERROR, "value-not-number", 8, "cortisol (nmol/l)", None),
    ]
    assert "no sample" in issues[0].message


def test_lint_reports_bad_clock_times(tmp_path):
    header = ["sample ID", "time", "cortisol (nmol/l)"]
    issues = lint(_plate(tmp_path, [["Vp01 S0", "07:30", 1.0], ["Vp01 S1", "25:10", 2.0]],
                         header=header))  # fmt: skip
    assert [(i.code, i.column) for i in issues] == [("time-invalid", "time")]
    assert "cell C5 ('time')" in issues[0].message
    assert "'25:10'" in issues[0].message


def test_plain_tables_are_not_plates(tmp_path):
    long = tmp_path / "long.csv"
    long.write_text("subject,sample,cortisol [nmol/L]\ns1,S0,5\ns1,S1,6\n")
    wide = tmp_path / "wide.csv"
    wide.write_text("subject,tsh [mIU/L]\ns1,1.2\n")
    assert _find_plates(long) == []
    assert _find_plates(wide) == []
    assert _find_plates(_plate(tmp_path, OK)) == [("Cortisol", 3, "cortisol")]


# --------------------------------------------------------------------------- fuzz
_CELL = st.one_of(
    # Excel holds no infinities; openpyxl rounds floats near 1.8e308 up to one
    st.floats(min_value=-1e300, max_value=1e300),
    st.just(float("nan")),
    st.sampled_from(["", "no sample", "<0.1", ">", "NA", "1,5", "-", "Vp01 S0", "07:30", "inf"]),
    st.text(alphabet="<>=.-,:0123456789abcSVp ", max_size=8),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ids=st.lists(st.sampled_from(["Vp01 S0", "Vp01 S1", "Vp02 S0", "", "Std", "x"]), min_size=1,
                 max_size=5),
    values=st.lists(_CELL, min_size=5, max_size=5),
    times=st.lists(_CELL, min_size=5, max_size=5),
)  # fmt: skip
def test_arbitrary_cells_give_a_table_or_a_neuroendo_error(tmp_path, ids, values, times):
    rows = [["sample ID", "time", "cortisol (nmol/l)"]]
    rows += [[i, t, v] for i, v, t in zip(ids, values, times, strict=False)]
    p = tmp_path / "fuzz.xlsx"
    _xlsx(p, rows)
    for censored in ("error", "nan"):
        try:
            df = read_plate(p, censored=censored, duplicates="mean")
        except NeuroendoError:
            continue
        assert (df["value"].dropna() >= 0).all()
        assert ((df["missing_reason"] != "") | df["value"].notna()).all()  # no silent NaN
    assert lint(p) is not None
