"""Lint a lab file: every problem as data (PEtab-linter style), for tables, FHIR and HL7.

:func:`lint` never raises for bad content: it returns an
:class:`~neuroendo._core.validation.IssueList` with one
:class:`~neuroendo._core.validation.Issue` (severity, code, message, subject, row, column) per
problem. ``row`` is the spreadsheet row for tables (header = row 1), the Bundle entry number for
FHIR and the line number for HL7; ``column`` is the column name, the JSON element or the HL7 field
(``OBX-6``).

Checks
------
* all formats: file missing or empty (``file-*``), not UTF-8, values not numbers, negative or not
  finite (``value-*``), units not UCUM or unsuited to the analyte or LOINC axis (``unit-*``, e.g.
  ``unit-code-mismatch`` for a molar value under a mass LOINC code), unknown analytes and LOINC
  codes, repeated samples (``sample-duplicate``), implausibly large values (warning,
  ``value-implausible``, at or above 1e9 in any unit);
* tables: everything :func:`neuroendo.io.tables.read_table` checks (its ``DataValidationError``
  issues are carried over), analyte columns without a unit, and sample times that go backwards
  within a subject (warning, ``time-order``);
* FHIR: JSON syntax, resource types, status, subject, effective time, codes, ``valueQuantity``,
  ``hasMember`` references and the R4 schema (with ``fhir.resources`` when installed);
* HL7 v2: MSH encoding characters, segment syntax, escape sequences, OBX fields.

A *tidy long* table (columns ``subject``, ``analyte``, ``value``, ``unit``, optionally ``time``,
``loinc``) is checked row by row; any other table is a *wide* table whose analyte columns are
named by catalogue key (``tsh [mIU/L]``, ``ft4 [pmol/L]``).

A lab *plate* sheet (a header row within the first 30 rows holding a ``sample ID`` column, or an
ID column whose cells mostly look like ``Vp01 S0``, next to an analyte column such as
``cortisol (nmol/l)``) is checked as :func:`neuroendo.io.tables.read_plate` reads it: every cell it
would refuse by default is an error (``value-not-number``, ``value-negative``,
``value-censored`` for ``<0.1``, ``plate-id-unmatched``, ``plate-id-missing``, ``sample-duplicate``,
``unit-missing`` ...) and missing-sample markers are infos (``value-missing``, with the reason).
For plates, ``row`` is the spreadsheet row itself (the header is not row 1).
"""

from __future__ import annotations

import csv
import math
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuroendo._core.errors import DataValidationError, UnitError, UnknownAnalyteError
from neuroendo._core.validation import IssueList, Severity, check_option
from neuroendo.io.fhir import IMPLAUSIBLE, _Collector, _read_fhir_collect, _sort_issues
from neuroendo.io.hl7 import _read_hl7_collect

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMATS", "detect_format", "lint"]

#: Input formats :func:`lint` understands.
FORMATS = ("table", "fhir", "hl7")
_TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
_ID_COLUMNS = ("subject", "sample", "condition", "day", "time")
_EXCEL = (".xlsx", ".xlsm", ".xls")


def detect_format(path: str | Path) -> str:
    """Guess a file's format from its suffix and first bytes.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        ``"fhir"`` (``.json``, or text starting with ``{`` or ``[``), ``"hl7"`` (``.hl7``, or
        text starting with ``MSH``) or ``"table"`` (anything else: CSV, TSV, Excel).

    Examples
    --------
    >>> detect_format("labs.csv"), detect_format("bundle.json"), detect_format("msg.hl7")
    ('table', 'fhir', 'hl7')
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".json":
        return "fhir"
    if suffix == ".hl7":
        return "hl7"
    if suffix in _EXCEL:
        return "table"
    head = b""
    if p.is_file():
        with p.open("rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf\x0b \t\r\n")
    if head.startswith(b"MSH"):
        return "hl7"
    if head[:1] in (b"{", b"[") and suffix not in _TABLE_SUFFIXES:
        return "fhir"
    return "table"


def lint(path: str | Path, *, format: str | None = None) -> IssueList:
    r"""Check a lab file and return every problem found (PEtab-linter style).

    Parameters
    ----------
    path : str or Path
        A CSV/TSV/Excel table, a FHIR R4 JSON file (Bundle, Observation or list) or an HL7 v2
        file.
    format : {"table", "fhir", "hl7"}, optional
        The format; guessed by :func:`detect_format` when omitted.

    Returns
    -------
    IssueList
        Issues in file order; ``.has_errors`` tells whether the file can be used as is
        (warnings and infos do not stop a computation).

    Raises
    ------
    ValueError
        If ``format`` is not one of :data:`FORMATS`.

    Notes
    -----
    Values are checked in the unit they are given in; nothing is converted. Codes are stable
    (``value-not-number``, ``unit-code-mismatch``, ``sample-duplicate`` ...) so scripts can
    filter on them.

    References
    ----------
    .. [1] Schmiester L et al. PEtab — interoperable specification of parameter estimation
       problems in systems biology. PLoS Comput Biol. 2021;17:e1008646 (the linter style).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labs.csv"
    >>> _ = p.write_text("subject,tsh [mIU/L],ft4 [pmol/L]\ns1,1.0,16.5\ns1,2.0,x\n")
    >>> issues = lint(p)
    >>> [(i.code, i.row, i.column) for i in issues]
    [('value-not-number', 3, 'ft4'), ('sample-duplicate', 3, 'subject')]
    >>> issues.has_errors
    True
    """
    p = Path(path)
    kind = detect_format(p) if format is None else check_option("format", format, FORMATS)
    col = _Collector(p.name)
    if not p.is_file():
        col.error("file-not-found", f"{p}: file not found; check the path")
        return col.issues
    if kind == "fhir":
        df, fcol = _read_fhir_collect(p, validate=None, assume_tz=None, on_unknown="raise")
        col.issues.extend(fcol.issues)
        _value_warnings(col, df)
    elif kind == "hl7":
        df, hcol = _read_hl7_collect(p, assume_tz="UTC", on_unknown="raise")
        col.issues.extend(hcol.issues)
        _value_warnings(col, df)
    else:
        _lint_table(p, col)
    return col.issues


def _value_warnings(col: _Collector, df: pd.DataFrame) -> None:
    big = df[df["value"].abs() >= IMPLAUSIBLE]
    for rec in big.to_dict("records"):
        col.add(
            Severity.WARNING,
            "value-implausible",
            f"{rec['analyte']!r} = {rec['value']:g} {rec['unit']} is implausibly large; check the "
            "unit and the decimal separator",
            subject=str(rec["subject"]),
        )


# --------------------------------------------------------------------------- tables
def _read_raw(p: Path) -> pd.DataFrame | None:
    """Read a table as strings with read_table's settings; None if that fails."""
    import pandas as pd

    from neuroendo.io.tables import read_csv_strings

    try:
        if p.suffix.lower() in _EXCEL:
            return pd.read_excel(p, dtype=str)
        return read_csv_strings(p)
    except (
        ValueError,
        UnicodeDecodeError,
        csv.Error,
        ImportError,
        zipfile.BadZipFile,
        OSError,
        OverflowError,
        pd.errors.ParserError,
    ):
        return None  # read_table reports why


def _issue_code(message: str) -> str:
    rules = (
        ("not found", "file-not-found"),
        ("file is empty", "file-empty"),
        ("UTF-8", "file-not-utf8"),
        ("no rows", "table-no-rows"),
        ("mixed units", "unit-mixed"),
        ("missing column", "column-missing"),
        ("cannot read", "table-unreadable"),
    )
    return next((code for text, code in rules if text in message), "table-invalid")


def _from_exception(col: _Collector, exc: Exception) -> None:
    """Carry read_table's issues (or its one message) into the linter's list."""
    issues = getattr(exc, "issues", ())
    if issues:
        col.issues.extend(issues)
        return
    msg = str(exc)
    name = f"{col.name}: "
    msg = msg.removeprefix(name)
    if isinstance(exc, UnitError):
        m = re.match(r"row (\d+), column '(.*?)': (.*)$", msg.removeprefix(col.name + ", "))
        if m:
            col.error("unit-unknown", m.group(3), row=int(m.group(1)), column=m.group(2))
        else:
            col.error("unit-unknown", msg)
        return
    col.error(_issue_code(msg), msg)


def _lint_table(p: Path, col: _Collector) -> None:
    from neuroendo.io._plate import _find_plates, _lint_plate
    from neuroendo.io.tables import split_unit_header

    plates = _find_plates(p)
    if plates:  # a lab plate sheet: title rows, a 'sample ID' column, missing-sample markers
        col.issues.extend(_lint_plate(p, plates))
        _sort_issues(col)
        return
    raw = _read_raw(p)
    names = [split_unit_header(str(c))[0] for c in raw.columns] if raw is not None else []
    if raw is not None and {"subject", "analyte", "value", "unit"} <= set(names):
        raw.columns = names
        _lint_tidy(raw, col)
    else:
        _lint_wide(p, col)


def _is_analyte(name: str) -> bool:
    from neuroendo._core.analytes import get

    try:
        get(name)
    except UnknownAnalyteError:
        return False
    return True


def _lint_wide(p: Path, col: _Collector) -> None:
    import pandas as pd

    from neuroendo._core.analytes import get
    from neuroendo._core.units import conversion_factor
    from neuroendo.io.tables import read_table, split_unit_header

    try:
        header = read_table(p)
    except (DataValidationError, UnitError) as exc:
        _from_exception(col, exc)
        return
    analyte_cols = [c for c in header.columns if c not in _ID_COLUMNS and _is_analyte(str(c))]
    sample_cols = [c for c in header.columns if re.fullmatch(r"s?\d+", str(c), re.IGNORECASE)]
    unit_cols = [c for c in header.attrs.get("units", {}) if c in header.columns]
    numeric = list(dict.fromkeys([*analyte_cols, *sample_cols, *unit_cols]))
    if "time" in header.columns:
        numeric.append("time")
    try:
        df = read_table(p, numeric=numeric, nonnegative=False)
    except (DataValidationError, UnitError) as exc:
        _from_exception(col, exc)
        if not getattr(exc, "issues", ()):
            return
        df = header.copy()  # bad cells listed: go on with them as missing values
        for c in numeric:
            df[c] = pd.to_numeric(df[c], errors="coerce")
    units = df.attrs.get("units", {})
    values = [c for c in numeric if c != "time"]
    for c in values:
        v = df[c]
        for i in df.index[v < 0]:
            col.error(
                "value-negative",
                f"{v[i]:g} is negative; concentrations cannot be negative (check the sign or how "
                "the lab reports values below the detection limit)",
                row=int(i) + 2,
                column=str(c),
            )
        for i in df.index[v.abs() == math.inf]:
            col.error(
                "value-not-finite", f"{df.at[i, c]!r} is not finite", row=int(i) + 2, column=c
            )
        for i in df.index[(v.abs() >= IMPLAUSIBLE) & (v.abs() < math.inf)]:
            col.add(
                Severity.WARNING,
                "value-implausible",
                f"{v[i]:g} is implausibly large; check the unit and the decimal separator",
                row=int(i) + 2,
                column=str(c),
            )
    for c in analyte_cols:
        analyte = get(str(c))
        if c not in units:
            col.error(
                "unit-missing",
                f"column {c!r} has no unit; write it in the header, e.g. "
                f"'{c} [{analyte.canonical_unit}]'",
                row=1,
                column=str(c),
            )
            continue
        try:
            conversion_factor(units[c], analyte.canonical_unit, analyte)
        except UnitError as exc:
            col.error("unit-analyte-mismatch", str(exc), row=1, column=str(c))
    if "subject" in df.columns:
        raw_names = {split_unit_header(str(c))[0]: str(c) for c in df.columns}
        keys = [c for c in ("condition", "day", "subject", "sample", "time") if c in df.columns]
        dup = df.duplicated(subset=keys, keep="first")
        for i in df.index[dup]:
            where = ", ".join(f"{k}={df.at[i, k]!s}" for k in keys)
            col.error(
                "sample-duplicate",
                f"the row {where} repeats an earlier one; keep one row per sample",
                row=int(i) + 2,
                column=raw_names.get("subject", "subject"),
                subject=None,
            )
        if "time" in df.columns:
            _time_order(col, df, ["subject"])
    _sort_issues(col)


def _time_order(col: _Collector, df: pd.DataFrame, by: list[str]) -> None:
    t = df["time"]
    back = t.groupby([df[b] for b in by], sort=False).diff() < 0
    for i in df.index[back.fillna(False).astype(bool)]:
        col.add(
            Severity.WARNING,
            "time-order",
            f"time {t[i]:g} comes after a later sample of this subject; sort the rows by time",
            row=int(i) + 2,
            column="time",
            subject=str(df.at[i, "subject"]),
        )


def _lint_tidy(raw: pd.DataFrame, col: _Collector) -> None:
    """Row checks for a tidy long table (subject, analyte, value, unit[, time, loinc])."""
    import pandas as pd

    from neuroendo._core.analytes import check_loinc_unit, get
    from neuroendo._core.units import conversion_factor, normalize_unit

    df = raw.apply(lambda s: s.str.strip() if pd.api.types.is_string_dtype(s) else s)
    if df.shape[0] == 0:
        col.error("table-no-rows", "the table has a header but no rows", row=1)
        return
    ok = pd.Series(True, index=df.index)
    keys: list[str] = []
    for i, rec in zip(df.index, df.to_dict("records"), strict=True):
        row = int(i) + 2
        subject = rec.get("subject")
        subj = None if pd.isna(subject) else str(subject)
        where: dict[str, Any] = {"row": row, "subject": subj}
        if subj is None or not subj:
            col.error("subject-missing", "the subject cell is empty", column="subject", **where)
            ok[i] = False
        name = rec.get("analyte")
        analyte = None
        try:
            analyte = get(str(name)) if isinstance(name, str) else None
        except UnknownAnalyteError as exc:
            col.error("analyte-unknown", str(exc), column="analyte", **where)
        if analyte is None:
            ok[i] = False
            if not isinstance(name, str):
                col.error("analyte-missing", "the analyte cell is empty", column="analyte", **where)
        value = rec.get("value")
        try:
            v = float(value) if isinstance(value, str) else math.nan
        except ValueError:
            col.error(
                "value-not-number",
                f"{value!r} is not a number; fix the cell or leave it empty for a missing value",
                column="value",
                **where,
            )
            v = math.nan
            ok[i] = False
        if math.isinf(v):
            col.error("value-not-finite", f"{value!r} is not finite", column="value", **where)
        elif v < 0:
            col.error(
                "value-negative",
                f"{v:g} is negative; concentrations cannot be negative",
                column="value",
                **where,
            )
        elif v >= IMPLAUSIBLE:
            col.add(
                Severity.WARNING,
                "value-implausible",
                f"{v:g} is implausibly large; check the unit and the decimal separator",
                column="value",
                **where,
            )
        unit_text = rec.get("unit")
        unit = None
        if not isinstance(unit_text, str) or not unit_text:
            col.error("unit-missing", "the unit cell is empty", column="unit", **where)
        else:
            try:
                unit = normalize_unit(unit_text)
            except UnitError as exc:
                col.error("unit-unknown", str(exc), column="unit", **where)
        if unit is not None and analyte is not None:
            try:
                conversion_factor(unit, analyte.canonical_unit, analyte)
            except UnitError as exc:
                col.error("unit-analyte-mismatch", str(exc), column="unit", **where)
                unit = None
        code = rec.get("loinc")
        if isinstance(code, str) and code and unit is not None:
            try:
                coded, _ = check_loinc_unit(code, unit)
            except UnknownAnalyteError as exc:
                col.error("loinc-unknown", str(exc), column="loinc", **where)
            except UnitError as exc:
                col.error("unit-code-mismatch", str(exc), column="loinc", **where)
            else:
                if analyte is not None and coded.key != analyte.key:
                    col.error(
                        "loinc-analyte-mismatch",
                        f"LOINC {code} is {coded.key!r} but the analyte is {analyte.key!r}; fix "
                        "one of them",
                        column="loinc",
                        **where,
                    )
        if analyte is not None:
            df.at[i, "analyte"] = analyte.key
    keys = ["subject", "analyte", *(c for c in ("time", "datetime", "sample") if c in df)]
    good = df[ok]
    if "time" in good.columns:
        good = good.assign(time=pd.to_numeric(good["time"], errors="coerce"))
        for i in good.index[good["time"].isna() & df.loc[good.index, "time"].notna()]:
            col.error(
                "time-not-number",
                f"time {df.at[i, 'time']!r} is not a number (minutes)",
                row=int(i) + 2,
                column="time",
            )
    dup = good.duplicated(subset=keys, keep="first")
    for i in good.index[dup]:
        col.error(
            "sample-duplicate",
            f"{good.at[i, 'analyte']!r} at {', '.join(f'{k}={good.at[i, k]}' for k in keys[2:])} "
            "repeats an earlier row of this subject; keep one value per sample",
            row=int(i) + 2,
            subject=str(good.at[i, "subject"]),
        )
    if "time" in good.columns:
        _time_order(col, good, ["subject", "analyte"])
    _sort_issues(col)
