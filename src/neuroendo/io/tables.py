"""Lab tables (CSV, Excel) with units: read, check, and report problems by row and column.

Units travel with the table in one of three ways, checked in this order:

1. an explicit ``units={"ft4": "ng/dL"}`` argument (the CLI's ``--unit ft4=ng/dL``);
2. the column header: ``ft4 [pmol/L]`` or ``ft4 (pmol/L)`` (the bracket form is preferred);
3. a ``unit`` column in a long table (one unit per value column; mixed units are an error).

The result carries them in ``df.attrs["units"]`` as UCUM strings. Problems are reported with the
spreadsheet row number (the header is row 1) and the column name, so a user can fix the file.

Lab "plate" sheets (title rows, a ``sample ID`` column such as ``Vp01 S0``, missing-sample
markers) are read by :func:`read_plate`; :func:`clock_to_minutes` turns clock times into minutes
(both live in :mod:`neuroendo.io._plate`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from neuroendo._core.columns import TIME, UNIT
from neuroendo._core.errors import DataValidationError, UnitError
from neuroendo._core.validation import Issue, IssueList, Severity, did_you_mean
from neuroendo.io._plate import (
    DEFAULT_ID_PATTERN,
    DEFAULT_MISSING_MARKERS,
    DEFAULT_SKIP_IDS,
    clock_to_minutes,
    read_plate,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_ID_PATTERN",
    "DEFAULT_MISSING_MARKERS",
    "DEFAULT_SKIP_IDS",
    "clock_to_minutes",
    "read_plate",
    "read_table",
    "saliva_long",
    "split_unit_header",
]

_HEADER_UNIT = re.compile(r"^\s*(?P<name>[^\[\(]+?)\s*(?P<rest>[\[\(].*?)\s*$")
_CLOSER = {"[": "]", "(": ")"}


def split_unit_header(header: str) -> tuple[str, str | None]:
    """Split ``"ft4 [pmol/L]"`` into ``("ft4", "pmol/L")``; plain headers give ``(name, None)``.

    Parameters
    ----------
    header : str
        A column header.

    Returns
    -------
    (str, str or None)
        Lower-cased, stripped column name and the unit text (not yet normalised).

    Examples
    --------
    >>> split_unit_header("FT4 (ng/dL)")
    ('ft4', 'ng/dL')
    >>> split_unit_header("subject")
    ('subject', None)
    """
    m = _HEADER_UNIT.match(str(header))
    if not m:
        return str(header).strip().lower(), None
    rest = m.group("rest")
    unit = rest[1:-1] if rest.endswith(_CLOSER[rest[0]]) else rest[1:]  # unbalanced: keep text
    return m.group("name").strip().lower(), unit.strip()


def read_csv_strings(p: Path) -> pd.DataFrame:
    """Read a delimited text file as strings (delimiter sniffed), never inferring an index.

    A row with more fields than the header would make pandas either guess index columns (a
    silent MultiIndex) or drop the extra fields; it raises ``pandas.errors.ParserError`` here.
    """
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(
                p, dtype=str, sep=None, engine="python", skipinitialspace=True, index_col=False
            )
        except pd.errors.ParserWarning:
            raise pd.errors.ParserError(
                "a row has more fields than the header; check the delimiter and quoting, or "
                "add the missing column names"
            ) from None


def read_table(
    path: str | Path,
    *,
    units: Mapping[str, str] | None = None,
    numeric: Iterable[str] = (),
    required: Iterable[str] = (),
    nonnegative: bool = True,
) -> pd.DataFrame:
    r"""Read a CSV or Excel lab table, check it, and attach units.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.tsv``/``.txt`` (comma, semicolon or tab separated) or ``.xlsx``.
    units : mapping, optional
        Column -> UCUM unit; overrides header and ``unit`` column.
    numeric : iterable of str
        Columns that must hold numbers (empty cells are missing values, kept as NaN).
    required : iterable of str
        Columns that must be present.
    nonnegative : bool, default True
        Reject negative values in ``numeric`` columns (concentrations, times after awakening are
        checked elsewhere).

    Returns
    -------
    pandas.DataFrame
        Lower-cased column names without unit suffixes; ``attrs["units"]`` maps columns to UCUM
        units, ``attrs["source"]`` is the file name.

    Raises
    ------
    DataValidationError
        If the file is missing, empty or unreadable, a required column is absent, or a numeric
        cell is not a number or negative; the message names file, row, column and fix, and
        ``.issues`` lists every problem found.
    UnitError
        If a unit (header, column or argument) is not a valid UCUM unit.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labs.csv"
    >>> _ = p.write_text(chr(10).join(["subject,tsh [mIU/L],ft4 [pmol/L]", "s1,1.0,16.5"]))
    >>> df = read_table(p, numeric=["tsh", "ft4"])
    >>> df.attrs["units"]
    {'tsh': 'm[IU]/L', 'ft4': 'pmol/L'}
    """
    import pandas as pd

    from neuroendo._core.units import normalize_unit

    p = Path(path)
    name = p.name
    if not p.is_file():
        raise DataValidationError(f"{p}: file not found; check the path.")
    if p.stat().st_size == 0:
        raise DataValidationError(f"{name}: the file is empty.")
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            raw = pd.read_excel(p, dtype=str)
        else:
            raw = read_csv_strings(p)
    except ImportError as exc:
        raise DataValidationError(
            f"{name}: reading Excel needs openpyxl: pip install openpyxl ({exc})."
        ) from None
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as "
            "UTF-8 CSV."
        ) from None
    except (
        pd.errors.EmptyDataError,
        pd.errors.ParserError,
        ValueError,
        csv.Error,
        OverflowError,
    ) as exc:
        msg = "the file is empty" if isinstance(exc, pd.errors.EmptyDataError) else str(exc)
        raise DataValidationError(f"{name}: cannot read the table: {msg}.") from None
    if raw.shape[0] == 0:
        raise DataValidationError(f"{name}: the table has a header but no rows.")

    issues = IssueList()
    col_units: dict[str, str] = {}
    renamed: dict[str, str] = {}
    for col in raw.columns:
        mangled = re.fullmatch(r"(.+)\.(\d+)", str(col))  # pandas renames a repeated 'x' to 'x.1'
        if mangled and mangled.group(1) in raw.columns:
            issues.append(Issue(Severity.ERROR, "column-duplicate",
                                f"column {mangled.group(1)!r} appears twice", row=1,
                                column=mangled.group(1)))  # fmt: skip
            continue
        base, unit = split_unit_header(col)
        if base in renamed.values():
            issues.append(
                Issue(
                    Severity.ERROR,
                    "column-duplicate",
                    f"column {base!r} appears twice",
                    row=1,
                    column=str(col),
                )
            )
        renamed[col] = base
        if unit is not None:
            try:
                col_units[base] = normalize_unit(unit)
            except UnitError as exc:
                raise UnitError(f"{name}, row 1, column {col!r}: {exc}") from None
    issues.raise_if_errors(name)  # repeated columns make every later check ambiguous
    df = raw.rename(columns=renamed)
    df = df.apply(lambda s: s.str.strip() if pd.api.types.is_string_dtype(s) else s)

    if UNIT in df.columns:
        present = df[UNIT].dropna().unique()
        if len(present) > 1:
            rows = df.index[df[UNIT] != df[UNIT].iloc[0]][:3] + 2
            raise DataValidationError(
                f"{name}, column 'unit': mixed units {sorted(map(str, present))} (e.g. rows "
                f"{', '.join(map(str, rows))}); convert to one unit per value column first."
            )
        if len(present) == 1:
            for c in numeric:  # the unit column describes the values, not the sample times
                if c != TIME:
                    col_units.setdefault(c, normalize_unit(str(present[0])))
    for c, u in (units or {}).items():
        col_units[c.lower()] = normalize_unit(u)

    missing = [c for c in required if c not in df.columns]
    if missing:
        hint = "".join(did_you_mean(m, df.columns.astype(str)) for m in missing)
        raise DataValidationError(
            f"{name}: missing column(s) {', '.join(repr(m) for m in missing)}; found "
            f"{', '.join(map(repr, df.columns))}.{hint}"
        )

    for c in numeric:
        if c not in df.columns:
            continue
        values = pd.to_numeric(df[c], errors="coerce")
        bad = values.isna() & df[c].notna() & (df[c].astype(str).str.len() > 0)
        for i in df.index[bad]:
            issues.append(
                Issue(
                    Severity.ERROR,
                    "value-not-number",
                    f"{df.at[i, c]!r} is not a number; fix the cell or leave it empty for a "
                    "missing value",
                    row=int(i) + 2,
                    column=c,
                )
            )
        for i in df.index[np.isinf(values)]:
            issues.append(
                Issue(
                    Severity.ERROR,
                    "value-not-finite",
                    f"{df.at[i, c]!r} is not a finite number; enter the measured value",
                    row=int(i) + 2,
                    column=c,
                )
            )
        if nonnegative:
            for i in df.index[values < 0]:
                issues.append(
                    Issue(
                        Severity.ERROR,
                        "value-negative",
                        f"{values[i]:g} is negative; concentrations cannot be negative (check the "
                        "sign or how the lab reports values below the detection limit)",
                        row=int(i) + 2,
                        column=c,
                    )
                )
        df[c] = values
    issues.raise_if_errors(name)
    df.attrs["units"] = {c: u for c, u in col_units.items() if c in df.columns}
    df.attrs["source"] = name
    return cast("pd.DataFrame", df)


def saliva_long(
    df: pd.DataFrame, *, analyte: str = "cortisol", id_columns: Iterable[str] = ("subject",)
) -> pd.DataFrame:
    """Bring a saliva table into BioPsyKit's long layout (index subject[, extra], sample).

    A *long* table has columns ``subject``, ``sample`` and ``<analyte>`` (optionally ``time``,
    ``condition``, ``day``); a *wide* table has one row per subject and one column per sample
    (``S0``, ``S1`` ... or ``0``, ``1`` ...).

    Parameters
    ----------
    df : pandas.DataFrame
        As read by :func:`read_table`.
    analyte : str, default "cortisol"
        Name of the value column in the long layout.
    id_columns : iterable of str, default ("subject",)
        Identifier columns; ``condition`` and ``day`` are added automatically when present.

    Returns
    -------
    pandas.DataFrame
        Index (``condition``, ``day``, ``subject``, ``sample``) as present; columns
        ``<analyte>`` and, when given, ``time``; ``attrs`` carried over.

    Raises
    ------
    DataValidationError
        If there is no subject column or no sample columns, or (subject, sample) repeats.

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"subject": ["a", "b"], "S0": [1.0, 2.0], "S1": [3.0, 4.0]})
    >>> saliva_long(wide).shape
    (4, 1)
    """
    import pandas as pd

    ids = [c for c in ("condition", "day") if c in df.columns]
    ids += [c for c in id_columns if c in df.columns and c not in ids]
    if "subject" not in ids:
        raise DataValidationError(
            f"{df.attrs.get('source', 'table')}: no 'subject' column; name the subject ID column "
            "'subject'."
        )
    if "sample" in df.columns and analyte in df.columns:
        out = df.copy()
    else:
        sample_cols = [c for c in df.columns if re.fullmatch(r"s?\d+", str(c), re.IGNORECASE)]
        if not sample_cols:
            raise DataValidationError(
                f"{df.attrs.get('source', 'table')}: neither a long layout (columns 'subject', "
                f"'sample', {analyte!r}) nor a wide one (sample columns S0, S1, ...); found "
                f"{', '.join(map(repr, df.columns))}."
            )
        out = df.melt(id_vars=ids, value_vars=sample_cols, var_name="sample", value_name=analyte)
        out["sample"] = [
            s.upper() if s.upper().startswith("S") else f"S{s}" for s in out["sample"].astype(str)
        ]
        out[analyte] = pd.to_numeric(out[analyte], errors="coerce")
    dup = out.duplicated(subset=[*ids, "sample"], keep=False)
    if dup.any():
        first = out.loc[dup].iloc[0]
        raise DataValidationError(
            f"{df.attrs.get('source', 'table')}: duplicate sample {first['sample']!r} for subject "
            f"{first['subject']!r} ({int(dup.sum())} rows); each (subject, sample) must appear "
            "once."
        )
    keep = [analyte] + (["time"] if "time" in out.columns else [])
    out = out.set_index([*ids, "sample"])[keep]
    units = dict(df.attrs.get("units", {}))
    if analyte not in units:
        sample_units = {units[c] for c in units if re.fullmatch(r"s?\d+", c, re.IGNORECASE)}
        if len(sample_units) == 1:
            units[analyte] = sample_units.pop()
    out.attrs = {**df.attrs, "units": units}
    return out
