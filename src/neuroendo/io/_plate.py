"""Lab "plate" spreadsheets and clock times (re-exported by :mod:`neuroendo.io.tables`).

A *plate* sheet is what an immunoassay lab sends back: a few title rows, then a header row with
bookkeeping columns (``plate``, ``# on plate``, well row/column), a ``sample ID`` column whose
text encodes subject and sample (``Vp01 S0``) and one value column per analyte with its unit in
the header (``cortisol (nmol/l)``). Cells that hold no number say why (``no sample``,
``insufficient volume`` ...). BioPsyKit reads this layout with ``load_saliva_plate`` [1]_;
:func:`read_plate` re-implements it and adds what a tidy table needs: a recorded reason for
every missing value, an explicit policy for censored values (``<0.1``), units that are never
guessed and errors that name the sheet and cell.

:func:`clock_to_minutes` turns clock times (``"07:30"``, ``datetime.time``, Excel day
fractions) into minutes, with midnight rollover.

References
----------
.. [1] Richer R, Küderle A, Ullrich M, Rohleder N, Eskofier BM. BioPsyKit: A Python package for
   the analysis of biopsychological data. J Open Source Softw. 2021;6(66):3702.
   doi:10.21105/joss.03702
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataQualityWarning, DataValidationError, UnitError, warn
from neuroendo._core.validation import Issue, IssueList, Severity, check_option

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_ID_PATTERN",
    "DEFAULT_MISSING_MARKERS",
    "DEFAULT_SKIP_IDS",
    "clock_to_minutes",
    "read_plate",
]

#: Cell texts that mean "no value for this sample" (compared lower-cased, stripped, with runs of
#: white space collapsed). "n.d." is deliberately absent: labs use it for "not detected", which is
#: a censored value (below the detection limit), not a missing sample.
DEFAULT_MISSING_MARKERS: tuple[str, ...] = (
    "",
    "-",
    "--",
    "---",
    "/",
    "?",
    "na",
    "n.a.",
    "n/a",
    "nan",
    "none",
    "null",
    "missing",
    "empty",
    "lost",
    "no sample",
    "no value",
    "not available",
    "insufficient volume",
    "insufficient sample",
    "not enough material",
    "not enough sample",
    "too little sample",
    "qns",
    "q.n.s.",
    "contaminated",
    "blood contamination",
)

#: Sample IDs such as ``Vp01 S0``, ``P12_S3``, ``Vp01 T1 S2`` (subject, optional day, sample);
#: matched against the whole cell after stripping it. BioPsyKit's default is ``(Vp\d+) (S\d)``.
DEFAULT_ID_PATTERN = (
    r"(?P<subject>[A-Za-z]*\d+)[ _-]+(?:(?P<day>[TtDd]\d+)[ _-]+)?(?P<sample>[Ss]\d+)"
)

#: Rows whose ID matches this are plate controls (standards, blanks, quality controls), not
#: samples; they are left out and listed in ``attrs["skipped"]``.
DEFAULT_SKIP_IDS = r"(?i)(std|standard|blank|ctrl|control|qc|nsb|b0|cal|calibrator)\b.*"

_ID_HEADERS = ("sample id", "sample_id", "sampleid", "sample-id", "sample name", "id", "sample")
_EXTRA_COLUMNS = ("condition", "day", "time")
_CENSORED = re.compile(r"^(?P<op><=|>=|<|>|≤|≥)\s*(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)$")
_CENSORED_WORDS = {
    "<lod": "<",
    "< lod": "<",
    "<loq": "<",
    "< loq": "<",
    "<lloq": "<",
    "< lloq": "<",
    "bdl": "<",
    "below lod": "<",
    "below detection limit": "<",
    "not detected": "<",
    "n.d.": "<",
    ">uloq": ">",
    "> uloq": ">",
    "above range": ">",
    "above detection limit": ">",
}
_OPS = {"<=": "<=", ">=": ">=", "<": "<", ">": ">", "≤": "<=", "≥": ">="}
_CENSORED_OPTIONS = ("error", "limit", "nan")
_DUPLICATE_OPTIONS = ("error", "mean")
_EXCEL = (".xlsx", ".xlsm", ".xls")
_HEADER_SEARCH_ROWS = 30

# --------------------------------------------------------------------------- clock times
_CLOCK = (
    r"^\s*(?P<h>\d{1,2})\s*(?:[:.]|[hH])\s*(?P<m>\d{2})"
    r"(?:\s*[:.]\s*(?P<s>\d{2}(?:\.\d+)?))?"
    r"\s*(?P<ampm>[AaPp]\.?\s*[Mm]\.?)?\s*$"
)
_MINUTES_PER_DAY = 1440.0
_NO_ROLLOVER_LIMIT = 720.0  # a drop of more than 12 h is a midnight crossing, not a typo
_SUSPICIOUS_GAP = 18 * 60.0  # a rollover that leaves a gap above 18 h is probably unsorted rows


def _col_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell(row: int, col: int) -> str:
    """0-based grid position -> A1 reference."""
    return f"{_col_letter(col)}{row + 1}"


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(
        v, bool | np.bool_
    )


def _is_blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float | np.floating) and np.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _norm_text(v: Any) -> str:
    return re.sub(r"\s+", " ", str(v)).strip().lower()


def _clock_kind(v: Any) -> str:
    """Classify one time value: 'nan', 'str', 'time', 'datetime', 'number' or 'other'."""
    import pandas as pd

    if v is None or v is pd.NaT:
        return "nan"
    if isinstance(v, str):
        return "str"
    if isinstance(v, _dt.datetime | np.datetime64):  # pd.Timestamp is a datetime
        return "nan" if pd.isna(v) else "datetime"
    if isinstance(v, _dt.time):
        return "time"
    if _is_number(v):
        return "nan" if np.isnan(float(v)) else "number"
    return "other"


def _parse_clock(values: pd.Series, *, name: str) -> tuple[pd.Series, pd.Series]:
    """Minutes after midnight for each value; returns (minutes, is_datetime)."""
    import pandas as pd

    s = values.astype(object)
    kinds = s.map(_clock_kind)
    mins = np.full(len(s), np.nan)
    pos = pd.Series(np.arange(len(s)), index=s.index)

    def fail(mask: pd.Series, what: str, fix: str) -> None:
        first = int(pos[mask].iloc[0])
        shown = ", ".join(
            f"{s.iloc[int(p)]!r} at index {int(p)}" for p in pos[mask].iloc[:3].tolist()
        )
        more = f" (and {int(mask.sum()) - 3} more)" if int(mask.sum()) > 3 else ""
        raise DataValidationError(
            f"{name!r}: {what}: {shown}{more}; {fix}.",
            issues=[Issue(Severity.ERROR, "time-invalid", f"{s.iloc[first]!r}: {what}", row=first)],
        )

    other = kinds == "other"
    if other.any():
        fail(other, "not a clock time", "give 'HH:MM' strings, datetime.time or Timestamps")

    is_str = kinds == "str"
    if is_str.any():
        parts = s[is_str].astype(str).str.extract(_CLOCK)
        bad = parts["h"].isna()
        if bad.any():
            fail(
                bad.reindex(s.index, fill_value=False),
                "not a clock time",
                "write times as 'HH:MM', 'H:MM:SS' or 'HH.MM' (24-hour clock, or with AM/PM)",
            )
        h = parts["h"].astype(float)
        m = parts["m"].astype(float)
        sec = parts["s"].astype(float).fillna(0.0)
        ampm = parts["ampm"].fillna("").str.lower().str.replace(r"[.\s]", "", regex=True)
        has_ampm = ampm != ""
        out_of_range = (m > 59) | (sec >= 60) | (h > 23) | (has_ampm & ((h < 1) | (h > 12)))
        if out_of_range.any():
            fail(
                out_of_range.reindex(s.index, fill_value=False),
                "hour or minute out of range",
                "hours run 0-23 (1-12 with AM/PM), minutes and seconds 0-59",
            )
        h = h.where(~has_ampm, (h % 12) + np.where(ampm == "pm", 12, 0))
        mins[is_str.to_numpy()] = (h * 60.0 + m + sec / 60.0).to_numpy(dtype=np.float64)

    is_time = kinds == "time"
    if is_time.any():
        mins[is_time.to_numpy()] = [
            t.hour * 60.0 + t.minute + (t.second + t.microsecond / 1e6) / 60.0 for t in s[is_time]
        ]

    is_num = kinds == "number"
    if is_num.any():
        frac = s[is_num].astype(float)
        bad = (frac < 0) | (frac >= 1)
        if bad.any():
            fail(
                bad.reindex(s.index, fill_value=False),
                "a number is read as an Excel day fraction and must lie in [0, 1)",
                "format the cells as times, or convert minutes yourself (they are not clock times)",
            )
        mins[is_num.to_numpy()] = frac.to_numpy(dtype=np.float64) * _MINUTES_PER_DAY

    is_dt = kinds == "datetime"
    if is_dt.any():
        if (is_str | is_time | is_num).any():
            fail(
                is_dt,
                "dates mixed with bare clock times",
                "give either all Timestamps (with dates) or all clock times",
            )
        try:
            stamps = pd.to_datetime(s[is_dt])
        except (ValueError, TypeError) as exc:
            raise DataValidationError(
                f"{name!r}: cannot read the date-times ({exc}); give them in one time zone."
            ) from None
        day0 = stamps.min().normalize()
        mins[is_dt.to_numpy()] = ((stamps - day0) / pd.Timedelta(minutes=1)).to_numpy(
            dtype=np.float64
        )
    return pd.Series(mins, index=s.index, dtype=np.float64), is_dt


def clock_to_minutes(
    times: ArrayLike | pd.Series,
    *,
    reference: Any = None,
    day_rollover: bool = True,
    groups: ArrayLike | None = None,
) -> float | NDArray[np.float64]:
    r"""Convert clock times to minutes, relative to a reference, with midnight rollover.

    Parameters
    ----------
    times : array-like or pandas.Series, shape (n,)
        Clock times: strings ``"07:30"``, ``"7:30:15"``, ``"07.30"``, ``"7h30"``, ``"7:30 PM"``;
        :class:`datetime.time` objects (how Excel time cells arrive); Excel day fractions as
        numbers in [0, 1) (``0.3125`` is 07:30); or date-times (:class:`pandas.Timestamp`,
        :class:`datetime.datetime`, ``datetime64``), whose dates are used. ``None``/NaN is a
        missing time and gives NaN.
    reference : str, time, float, array-like or None, optional
        Origin of the result: ``None`` gives minutes after midnight of the first day;
        ``"first"`` the first (non-missing) time of each group; a clock time (``"07:00"``,
        ``datetime.time``, day fraction) a fixed origin; an array of clock times (one per value,
        e.g. each subject's awakening time) a per-row origin. Times before the reference give
        negative minutes.
    day_rollover : bool, default True
        Clock times have no date: when a time is earlier than the previous one of its group the
        samples are taken to have passed midnight and 24 h (1440 min) are added from there on.
        Rows must therefore be in sampling order. Ignored for date-times.
    groups : array-like, shape (n,), optional
        Subject (or subject-day) labels; rollover and ``reference="first"`` work within each
        group. When omitted and ``times`` is a Series whose index has a ``subject`` level, that
        level is used; otherwise all values form one group.

    Returns
    -------
    float or ndarray of float64, shape (n,)
        Minutes (a float for a single time).

    Raises
    ------
    DataValidationError
        If a time is malformed (``"25:00"``, ``"7h30x"``), a number is not a day fraction, dates
        are mixed with bare clock times, or, with ``day_rollover=False``, a time is more than
        12 h earlier than the previous one of its group (a midnight crossing); the message names
        the index (0-based position), the value and the fix (``.issues[0].row`` holds that
        0-based position).
    ValueError
        If ``reference`` is a string other than a clock time or ``"first"``.

    Warns
    -----
    DataQualityWarning
        If a rollover leaves a gap above 18 h between consecutive samples (e.g. ``07:30`` then
        ``07:20``): the rows are probably out of order.

    Notes
    -----
    With :math:`c_i` the clock time in minutes after midnight and :math:`r` the reference,

    .. math:: t_i = c_i + 1440\,k_i - r, \qquad k_i = \#\{j \le i : c_j < c_{j-1}\}

    counting decreases within the group (missing times are skipped). Without rollover a drop of
    more than 12 h is an error; smaller drops are returned as they are (so that a check of the
    sampling order downstream can report them).

    References
    ----------
    .. [1] Stalder T et al. Assessment of the cortisol awakening response: Expert consensus
       guidelines. Psychoneuroendocrinology. 2016;63:414-432 (sampling times relative to
       awakening).

    Examples
    --------
    >>> clock_to_minutes(["07:30", "7:45:30", "08.00", 0.3541666666666667])
    array([450. , 465.5, 480. , 510. ])
    >>> clock_to_minutes(["22:00", "23:30", "01:00"], reference="first")
    array([  0.,  90., 180.])
    >>> clock_to_minutes(["06:30", "07:00", "06:45", "07:15"], reference="first",
    ...                  groups=["a", "a", "b", "b"])
    array([ 0., 30.,  0., 30.])
    >>> clock_to_minutes("07:15", reference="06:45")
    30.0
    """
    import pandas as pd

    scalar = np.ndim(times) == 0 and not isinstance(times, pd.Series)
    if isinstance(times, pd.Series):
        s = times.reset_index(drop=True).astype(object)
        if groups is None and "subject" in (times.index.names or []):
            groups = times.index.get_level_values("subject")
    else:
        s = pd.Series(np.atleast_1d(np.asarray(times, dtype=object)).ravel(), dtype=object)
    n = len(s)
    if groups is None:
        g = pd.Series(np.zeros(n, dtype=np.int64))
    else:
        g_arr = np.asarray(groups, dtype=object).ravel()
        if g_arr.shape[0] != n:
            raise DataValidationError(
                f"'groups' has {g_arr.shape[0]} labels but 'times' has {n} values; give one "
                "group label (subject) per time."
            )
        g = pd.Series(pd.factorize(pd.Series(g_arr), use_na_sentinel=False)[0])
    check_option("day_rollover", day_rollover, (True, False))

    minutes, is_dt = _parse_clock(s, name="times")
    if not is_dt.any():
        ff = minutes.groupby(g, sort=False).ffill()
        prev = ff.groupby(g, sort=False).shift()
        drop = minutes - prev  # NaN where either side is missing
        back = drop < 0
        if day_rollover:
            k = back.astype(np.int64).groupby(g, sort=False).cumsum()
            odd = back & (drop + _MINUTES_PER_DAY > _SUSPICIOUS_GAP)
            if odd.any():
                i = int(np.flatnonzero(odd.to_numpy())[0])
                warn(
                    f"'times': {s.iloc[i]!r} at index {i} is earlier than the previous time of "
                    f"its group ({prev.iloc[i]:g} min after midnight); it is read as the next day, "
                    f"{drop.iloc[i] + _MINUTES_PER_DAY:g} min later. If the rows are out of order, "
                    "sort them by sampling time, or pass day_rollover=False.",
                    DataQualityWarning,
                )
            minutes = minutes + k * _MINUTES_PER_DAY
        else:
            big = back & (drop < -_NO_ROLLOVER_LIMIT)
            if big.any():
                i = int(np.flatnonzero(big.to_numpy())[0])
                raise DataValidationError(
                    f"'times': {s.iloc[i]!r} at index {i} is {-drop.iloc[i]:g} min (more than "
                    "12 h) earlier than the previous time of its group; this looks like a sample "
                    "after midnight: pass day_rollover=True, or give date-times.",
                    issues=[Issue(Severity.ERROR, "time-order", f"{s.iloc[i]!r} goes back", row=i)],
                )

    if reference is None:
        ref: Any = 0.0
    elif isinstance(reference, str) and reference.strip().lower() == "first":
        ref = minutes.groupby(g, sort=False).transform("first")
    else:
        ref_arr = np.atleast_1d(np.asarray(reference, dtype=object)).ravel()
        if ref_arr.shape[0] not in (1, n):
            raise DataValidationError(
                f"'reference' has {ref_arr.shape[0]} values but 'times' has {n}; give one "
                "reference time, 'first', or one per time."
            )
        try:
            ref_min, ref_dt = _parse_clock(pd.Series(ref_arr, dtype=object), name="reference")
        except DataValidationError as exc:
            if isinstance(reference, str):
                raise ValueError(
                    f"Invalid value for 'reference': allowed values are None, 'first', a clock "
                    f"time such as '07:00' or one per time, got {reference!r}."
                ) from exc
            raise
        if ref_dt.any():
            raise DataValidationError(
                f"'reference' must be a clock time without a date (or 'first'); got {ref_arr[0]!r}."
            )
        ref = float(ref_min.iloc[0]) if ref_arr.shape[0] == 1 else ref_min.to_numpy()
    out = (minutes - ref).to_numpy(dtype=np.float64)
    return float(out[0]) if scalar else out


# --------------------------------------------------------------------------- plates
def _read_grid(p: Path, sheet: str | int | None) -> list[tuple[str | None, pd.DataFrame]]:
    """Read sheets as raw cell grids (grid[i, j] is spreadsheet row i + 1, column j + 1)."""
    import pandas as pd

    name = p.name
    if not p.is_file():
        raise DataValidationError(f"{p}: file not found; check the path.")
    if p.stat().st_size == 0:
        raise DataValidationError(f"{name}: the file is empty.")
    try:
        if p.suffix.lower() in _EXCEL:
            with pd.ExcelFile(p) as book:
                names = [str(n) for n in book.sheet_names]
                if sheet is None:
                    chosen = names
                elif isinstance(sheet, int):
                    if not 0 <= sheet < len(names):
                        raise DataValidationError(
                            f"{name}: sheet index {sheet} does not exist; the file has "
                            f"{len(names)} sheet(s): {', '.join(map(repr, names))}."
                        )
                    chosen = [names[sheet]]
                else:
                    if sheet not in names:
                        from neuroendo._core.validation import did_you_mean

                        raise DataValidationError(
                            f"{name}: no sheet {sheet!r}; found {', '.join(map(repr, names))}."
                            f"{did_you_mean(sheet, names)}"
                        )
                    chosen = [sheet]
                return [
                    # keep_default_na=False: 'NA', 'N/A', 'null' are markers to record, not NaN
                    (
                        n,
                        pd.read_excel(
                            book, sheet_name=n, header=None, dtype=object, keep_default_na=False
                        ),
                    )
                    for n in chosen
                ]
        grid = pd.read_csv(
            p,
            header=None,
            dtype=object,
            sep=None,
            engine="python",
            skip_blank_lines=False,
            keep_default_na=False,
        )
        return [(None, grid.replace("", np.nan))]
    except DataValidationError:
        raise
    except ImportError as exc:
        raise DataValidationError(
            f"{name}: reading Excel needs openpyxl: pip install openpyxl ({exc})."
        ) from None
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as "
            "UTF-8 CSV."
        ) from None
    except Exception as exc:  # zip, XML and CSV errors of the readers: the file is not a table
        raise DataValidationError(f"{name}: cannot read the table: {exc}.") from None


def _analyte_names(analyte: str) -> set[str]:
    from neuroendo._core.analytes import get
    from neuroendo._core.errors import UnknownAnalyteError

    names = {analyte.lower()}
    if analyte.lower().startswith("saliva_"):
        names.add(analyte.lower().removeprefix("saliva_"))
    try:
        a = get(analyte)
    except UnknownAnalyteError:
        return names
    return names | {a.key} | {x.lower() for x in a.aliases}


def _header_cells(grid: pd.DataFrame, r: int) -> list[tuple[int, str, str | None]]:
    """(column index, lower-cased name, unit text) of the non-empty cells of row ``r``."""
    from neuroendo.io.tables import split_unit_header

    out = []
    for j, v in enumerate(grid.iloc[r].tolist()):
        if _is_blank(v):
            continue
        base, unit = split_unit_header(re.sub(r"\s+", " ", str(v)))
        out.append((j, base, unit))
    return out


def _value_columns(
    cells: list[tuple[int, str, str | None]], names: set[str], value_column: str | None
) -> list[tuple[int, str, str | None]]:
    if value_column is not None:
        want = _norm_text(value_column)
        return [c for c in cells if c[1] == want or c[1] == _norm_text(value_column).split(" (")[0]]
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    rep = re.compile(rf"(?:{alts})(?:[ _-]*(?:rep(?:licate)?|r|well|#)?[ _-]*\d+)?")
    return [c for c in cells if rep.fullmatch(c[1])]


def _find_header(grid: pd.DataFrame, names: set[str], value_column: str | None) -> int | None:
    for r in range(min(_HEADER_SEARCH_ROWS, grid.shape[0])):
        cells = _header_cells(grid, r)
        if any(c[1] in _ID_HEADERS for c in cells) and _value_columns(cells, names, value_column):
            return r
    return None


def _id_column(cells: list[tuple[int, str, str | None]]) -> tuple[int, str] | None:
    for wanted in _ID_HEADERS:  # most specific header first
        for j, base, _ in cells:
            if base == wanted:
                return j, base
    return None


def _unit_arg(unit: str) -> str:
    from neuroendo._core.units import normalize_unit

    try:
        return normalize_unit(unit)
    except UnitError as exc:
        raise UnitError(f"Invalid value for 'unit': {exc}") from None


def _read_plate_collect(
    p: Path,
    *,
    sheet: str | int | None,
    analyte: str,
    unit: str | None,
    header_row: int | None,
    id_pattern: str | None,
    missing_markers: Iterable[str],
    censored: str,
    duplicates: str,
    skip_ids: str | None,
    value_column: str | None,
    clock_reference: Any,
) -> tuple[pd.DataFrame, IssueList]:
    """Read one plate sheet; structural problems raise, cell problems are returned as issues."""
    import pandas as pd

    from neuroendo._core.analytes import get
    from neuroendo._core.errors import UnknownAnalyteError
    from neuroendo._core.units import conversion_factor, normalize_unit

    name = p.name
    names = _analyte_names(analyte)
    grids = _read_grid(p, sheet)
    if sheet is None and len(grids) > 1:  # pick the sheet that holds the analyte
        hits = [(n, g) for n, g in grids if str(n).strip().lower() in names]
        if not hits:
            hits = [(n, g) for n, g in grids if _find_header(g, names, value_column) is not None]
        if len(hits) != 1:
            listed = ", ".join(repr(n) for n, _ in grids)
            raise DataValidationError(
                f"{name}: {'several' if hits else 'no'} sheet(s) hold a {analyte!r} plate "
                f"(sheets: {listed}); pass sheet= to choose one."
            )
        grids = hits[:1]
    sheet_name, grid = grids[0]
    where = f"{name}" + (f", sheet {sheet_name!r}" if sheet_name is not None else "")
    at = f"sheet {sheet_name!r}, " if sheet_name is not None else ""  # issues: file is context

    if header_row is not None:
        if not isinstance(header_row, int) or header_row < 1 or header_row > grid.shape[0]:
            raise DataValidationError(
                f"{where}: header_row={header_row!r} is not a row of the sheet (1-"
                f"{grid.shape[0]}); give the spreadsheet row number of the header (1-based)."
            )
        hr = header_row - 1
    else:
        found = _find_header(grid, names, value_column)
        if found is None:
            raise DataValidationError(
                f"{where}: no header row with a 'sample ID' column and a {analyte!r} column in "
                f"the first {_HEADER_SEARCH_ROWS} rows; pass header_row= (spreadsheet row "
                "number), value_column= (the header of the value column) or check analyte=."
            )
        hr = found
    cells = _header_cells(grid, hr)
    idc = _id_column(cells)
    vcols = _value_columns(cells, names, value_column)
    if idc is None or not vcols:
        missing = "'sample ID' column" if idc is None else f"{analyte!r} column"
        raise DataValidationError(
            f"{where}, row {hr + 1}: the header has no {missing}; found "
            f"{', '.join(repr(str(grid.iat[hr, j])) for j, _, _ in cells)}. Pass header_row=, "
            "value_column= or analyte=."
        )
    id_j, _ = idc
    extras = {b: j for j, b, _ in cells if b in _EXTRA_COLUMNS and j != id_j}
    unit_j = next((j for j, b, _ in cells if b in ("unit", "units")), None)

    # ---- unit: header, unit row, unit column, then the argument; never guessed
    first = hr + 1
    header_units = {u for _, _, u in vcols if u}
    file_unit_text: str | None = None
    unit_cell = ""
    if len(header_units) > 1:
        raise UnitError(
            f"{where}, row {hr + 1}: the {analyte!r} columns have different units "
            f"{sorted(header_units)}; convert them to one unit first."
        )
    if header_units:
        file_unit_text = header_units.pop()
        unit_cell = f"cell {_cell(hr, vcols[0][0])}"
    elif first < grid.shape[0]:  # a unit row: unit text under the header, no sample ID
        below = grid.iat[first, vcols[0][0]]
        id_below = grid.iat[first, id_j]
        if (
            isinstance(below, str)
            and _norm_text(below) not in {_norm_text(m) for m in missing_markers}
            and pd.isna(pd.to_numeric(below.strip(), errors="coerce"))
            and (_is_blank(id_below) or _norm_text(id_below) in ("unit", "units"))
        ):
            file_unit_text = below.strip()
            unit_cell = f"cell {_cell(first, vcols[0][0])}"
            first += 1
    if file_unit_text is None and unit_j is not None:
        col_units = {str(v).strip() for v in grid.iloc[first:, unit_j].tolist() if not _is_blank(v)}
        if len(col_units) > 1:
            raise UnitError(
                f"{where}, column {_col_letter(unit_j)}: mixed units {sorted(col_units)}; "
                "convert to one unit first."
            )
        if col_units:
            file_unit_text = col_units.pop()
            unit_cell = f"column {_col_letter(unit_j)}"
    if file_unit_text is not None:
        try:
            file_unit = normalize_unit(file_unit_text)
        except UnitError as exc:
            raise UnitError(f"{where}, {unit_cell}: {exc}") from None
        if unit is not None and _unit_arg(unit) != file_unit:
            raise UnitError(
                f"{where}, {unit_cell}: the file gives the unit {file_unit_text!r} but "
                f"unit={unit!r} was passed; drop the argument or fix the file (values are never "
                "converted while reading)."
            )
        final_unit = file_unit
    elif unit is not None:
        final_unit = _unit_arg(unit)
    else:
        raise UnitError(
            f"{where}, row {hr + 1}: the {analyte!r} column has no unit; write it in the header "
            f"(e.g. '{analyte} (nmol/l)') or pass unit='nmol/L'."
        )
    try:
        a = get(analyte)
    except UnknownAnalyteError:
        a = None
    if a is not None:
        try:
            conversion_factor(final_unit, a.canonical_unit, a)
        except UnitError as exc:
            raise UnitError(f"{where}, {unit_cell or f'unit={unit!r}'}: {exc}") from None

    # ---- rows: IDs
    body = grid.iloc[first:]
    ids_raw = body.iloc[:, id_j]
    vals = body.iloc[:, [j for j, _, _ in vcols]]
    blank_vals = vals.map(_is_blank).all(axis=1)
    blank_id = ids_raw.map(_is_blank)
    issues = IssueList()
    vname = str(grid.iat[hr, vcols[0][0]])
    id_head = str(grid.iat[hr, id_j])
    for i in body.index[blank_id & ~blank_vals]:
        issues.append(
            Issue(
                Severity.ERROR,
                "plate-id-missing",
                f"{at}cell {_cell(i, id_j)}: a value without a sample ID; enter the ID or "
                "delete the row",
                row=int(i) + 1,
                column=id_head,
            )
        )
    keep = ~blank_id
    ids = ids_raw[keep].map(lambda v: re.sub(r"\s+", " ", str(v)).strip())
    skipped: list[str] = []
    if skip_ids:
        is_ctrl = ids.str.fullmatch(skip_ids)
        skipped = [f"{_cell(i, id_j)}: {ids[i]}" for i in ids.index[is_ctrl]]
        ids = ids[~is_ctrl]
    pattern = re.compile(id_pattern or DEFAULT_ID_PATTERN)
    if pattern.groupindex:
        labels = list(pattern.groupindex)
    else:  # unnamed groups, BioPsyKit-style: (subject, sample) or (subject, day, sample)
        by_count = {2: ["subject", "sample"], 3: ["subject", "day", "sample"]}
        if pattern.groups not in by_count:
            raise ValueError(
                "Invalid value for 'id_pattern': it needs named groups (?P<subject>...) and "
                f"(?P<sample>...), or 2-3 unnamed groups, got {pattern.pattern!r}."
            )
        labels = by_count[pattern.groups]
    if "subject" not in labels or "sample" not in labels:
        raise ValueError(
            "Invalid value for 'id_pattern': it needs the groups (?P<subject>...) and "
            f"(?P<sample>...), got {pattern.pattern!r}."
        )
    matches = ids.map(pattern.fullmatch)  # parsing the ID text, one cell at a time
    matched = matches.notna()
    for i in ids.index[~matched]:
        issues.append(
            Issue(
                Severity.ERROR,
                "plate-id-unmatched",
                f"{at}cell {_cell(i, id_j)}: sample ID {ids[i]!r} does not match the ID "
                f"pattern {pattern.pattern!r}; fix the ID or pass id_pattern= with groups "
                "(?P<subject>...) and (?P<sample>...)",
                row=int(i) + 1,
                column=id_head,
            )
        )
    ok_rows = ids.index[matched]
    records = [
        m.groupdict() if pattern.groupindex else dict(zip(labels, m.groups(), strict=True))
        for m in matches[matched]
    ]
    parts = pd.DataFrame(records, index=ok_rows, columns=labels, dtype=object)
    if "day" in parts.columns and parts["day"].isna().all():
        parts = parts.drop(columns="day")

    # ---- values: numbers, missing markers, censored values, everything else is an error
    markers = {_norm_text(m) for m in missing_markers}
    value_cols = []
    for k, (j, _, _) in enumerate(vcols):
        raw = vals.loc[ok_rows].iloc[:, k]
        head = str(grid.iat[hr, j])
        num = raw.map(_is_number)
        text = raw.map(lambda v: "" if _is_blank(v) else _norm_text(v))
        text = text.where(~num, "")
        value = pd.Series(np.nan, index=raw.index)
        value[num] = raw[num].astype(float)
        comparator = pd.Series("", index=raw.index, dtype=object)
        reason = pd.Series("", index=raw.index, dtype=object)
        blank = raw.map(_is_blank) & ~num
        reason[blank] = "empty cell"
        is_marker = ~num & ~blank & text.isin(markers)
        reason[is_marker] = raw[is_marker].map(lambda v: re.sub(r"\s+", " ", str(v)).strip())
        rest = ~num & ~blank & ~is_marker
        as_num = pd.to_numeric(text.where(rest, ""), errors="coerce")
        numeric_text = rest & as_num.notna()
        value[numeric_text] = as_num[numeric_text]
        cens = text.where(rest & ~numeric_text, "").str.extract(_CENSORED)
        is_cens = cens["op"].notna()
        words = text.map(_CENSORED_WORDS.get)
        is_word = rest & ~numeric_text & ~is_cens & words.notna()
        unknown = rest & ~numeric_text & ~is_cens & ~is_word
        for i in raw.index[unknown]:
            comma = re.fullmatch(r"[+-]?\d+,\d+", text[i]) is not None
            fix = (
                "use a decimal point (the cell has a decimal comma)"
                if comma
                else "enter the number, leave the cell empty, write 'no sample', or pass "
                f"missing_markers=(*DEFAULT_MISSING_MARKERS, {text[i]!r})"
            )
            issues.append(
                Issue(
                    Severity.ERROR,
                    "value-not-number",
                    f"{at}cell {_cell(i, j)}: {raw[i]!r} is not a number nor a known "
                    f"missing-sample marker; {fix}",
                    row=int(i) + 1,
                    column=head,
                )
            )
        any_cens = is_cens | is_word
        comparator[is_cens] = cens.loc[is_cens, "op"].map(_OPS)
        comparator[is_word] = words[is_word]
        if any_cens.any():
            if censored == "error":
                for i in raw.index[any_cens]:
                    issues.append(
                        Issue(
                            Severity.ERROR,
                            "value-censored",
                            f"{at}cell {_cell(i, j)}: {raw[i]!r} is a censored value "
                            "(outside the assay's detection range); pass censored='limit' to "
                            "keep the limit as the value or censored='nan' to treat it as "
                            "missing (both record a 'comparator')",
                            row=int(i) + 1,
                            column=head,
                        )
                    )
            elif censored == "limit":
                value[is_cens] = cens.loc[is_cens, "num"].astype(float)
                for i in raw.index[is_word]:
                    issues.append(
                        Issue(
                            Severity.ERROR,
                            "value-censored",
                            f"{at}cell {_cell(i, j)}: {raw[i]!r} gives no limit to keep; "
                            "enter the limit (e.g. '<0.1') or pass censored='nan'",
                            row=int(i) + 1,
                            column=head,
                        )
                    )
            else:
                lim = np.where(comparator[any_cens].str.startswith("<"), "below", "above")
                texts = [
                    f"{side} detection limit ({raw[i]!s})"
                    for side, i in zip(lim, raw.index[any_cens], strict=True)
                ]
                reason = reason.mask(any_cens, pd.Series(texts, index=raw.index[any_cens]))
        for i in raw.index[np.isinf(value)]:
            issues.append(
                Issue(
                    Severity.ERROR,
                    "value-not-finite",
                    f"{at}cell {_cell(i, j)}: {raw[i]!r} is not a finite number; enter the "
                    "measured value",
                    row=int(i) + 1,
                    column=head,
                )
            )
        for i in raw.index[value < 0]:
            issues.append(
                Issue(
                    Severity.ERROR,
                    "value-negative",
                    f"{at}cell {_cell(i, j)}: {value[i]:g} is negative; concentrations "
                    "cannot be negative (check the sign, or how the lab reports values below "
                    "the detection limit)",
                    row=int(i) + 1,
                    column=head,
                )
            )
        value_cols.append((value, comparator, reason))

    # ---- replicate columns: mean of the exact values
    values = pd.concat([v for v, _, _ in value_cols], axis=1)
    comps = pd.concat([c for _, c, _ in value_cols], axis=1)
    reasons = pd.concat([r for _, _, r in value_cols], axis=1)
    exact = values.notna() & (comps == "")
    n_rep = exact.sum(axis=1)
    with np.errstate(invalid="ignore"):
        mean = values.where(exact).mean(axis=1)
    first_cens = (comps != "").idxmax(axis=1)  # column of the first censored replicate
    has_cens = (comps != "").any(axis=1)
    pick = np.arange(values.shape[1])
    col_pos = pd.Series(pick, index=values.columns)[first_cens].to_numpy()
    cens_val = values.to_numpy()[np.arange(len(values)), col_pos]
    cens_cmp = comps.to_numpy()[np.arange(len(values)), col_pos]
    use_cens = (n_rep == 0) & has_cens
    value_out = mean.where(n_rep > 0, pd.Series(np.where(use_cens, cens_val, np.nan), mean.index))
    comparator_out = pd.Series(np.where(use_cens, cens_cmp, ""), index=mean.index, dtype=object)
    reason_out = pd.Series(
        ["; ".join(dict.fromkeys(x for x in r if x)) for r in reasons.to_numpy()],
        index=reasons.index,
        dtype=object,
    )
    reason_out = reason_out.where(value_out.isna(), "")

    out = parts.copy()
    out.insert(0, "subject", out.pop("subject"))
    for c, j in extras.items():
        if c not in out.columns:
            out[c] = (
                body.loc[ok_rows].iloc[:, j].map(lambda v: v.strip() if isinstance(v, str) else v)
            )
    out["analyte"] = analyte
    out["value"] = value_out.astype(np.float64)
    out["unit"] = final_unit
    out["comparator"] = comparator_out
    out["missing_reason"] = reason_out.astype(object)
    if len(vcols) > 1:
        out["n_replicates"] = n_rep.astype(np.int64)
    out["cell"] = [f"{_cell(i, vcols[0][0])}" for i in out.index]

    # ---- repeated samples
    keys = [c for c in ("condition", "subject", "day", "sample") if c in out.columns]
    dup = out.duplicated(subset=keys, keep=False) if out.shape[0] else pd.Series(dtype=bool)
    if dup.any():
        if duplicates == "error":
            seen = out.duplicated(subset=keys, keep="first")
            for i in out.index[seen]:
                what = ", ".join("=".join((k, str(out.at[i, k]))) for k in keys)
                issues.append(
                    Issue(
                        Severity.ERROR,
                        "sample-duplicate",
                        f"{at}cell {_cell(i, id_j)}: {what} repeats an earlier row; fix the "
                        "sample ID, or pass duplicates='mean' if these are replicate wells",
                        row=int(i) + 1,
                        column=id_head,
                        subject=str(out.at[i, "subject"]),
                    )
                )
        else:
            out = _mean_duplicates(out, keys)

    # ---- a time column: numbers are minutes, clock times become minutes
    units = {"value": final_unit}
    if "time" in out.columns and out.shape[0]:
        t = out["time"]
        numeric_t = t.map(lambda v: _is_number(v) or _is_blank(v)).all()
        if numeric_t:
            out["time"] = t.map(lambda v: np.nan if _is_blank(v) else float(v)).astype(float)
        else:
            grp = out[[c for c in ("condition", "subject", "day") if c in out.columns]]
            grp_labels = grp.astype(str).agg("|".join, axis=1).to_numpy()
            pos = int(np.flatnonzero(out.columns == "time")[0])
            out.insert(pos + 1, "clock_time", t.astype(str))
            try:
                out["time"] = clock_to_minutes(t, reference=clock_reference, groups=grp_labels)
            except DataValidationError as exc:
                bad = exc.issues[0].row if exc.issues else None
                ref = (
                    f"cell {_cell(int(out.index[bad]), extras['time'])}"
                    if bad is not None
                    else f"column {_col_letter(extras['time'])}"
                )
                raise DataValidationError(f"{where}, {ref} ('time'): {exc}") from None
        units["time"] = "min"

    out = out.reset_index(drop=True)
    out.attrs = {
        "units": units,
        "source": name,
        "sheet": sheet_name,
        "value_column": vname,
        "header_row": hr + 1,
        "skipped": skipped,
    }
    return out, issues


def _mean_duplicates(out: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Average rows that repeat a sample (replicate wells listed one per row)."""
    exact = out["value"].notna() & (out["comparator"] == "")
    n_rows = out["n_replicates"] if "n_replicates" in out.columns else exact.astype(np.int64)
    work = out.assign(_v=out["value"].where(exact), _n=n_rows.where(exact, 0))
    grouped = work.groupby(keys, sort=False, dropna=False)
    res = grouped.first()  # first record of each sample: its censored or missing state
    n = grouped["_n"].sum()
    # rows with replicate columns already hold a mean of _n values: weight them by it
    total = (work["_v"] * work["_n"]).groupby([work[k] for k in keys], sort=False).sum()
    res["value"] = (total / n).where(n > 0, res["value"])
    res["comparator"] = res["comparator"].where(n == 0, "")
    res["missing_reason"] = res["missing_reason"].where(res["value"].isna(), "")
    res["n_replicates"] = n.astype(np.int64)
    res["cell"] = grouped["cell"].agg(",".join)
    cols = list(out.columns) + ([] if "n_replicates" in out.columns else ["n_replicates"])
    cols.remove("cell")
    return res.reset_index()[[*cols, "cell"]]


def read_plate(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    analyte: str = "cortisol",
    unit: str | None = None,
    header_row: int | None = None,
    id_pattern: str | None = None,
    missing_markers: Iterable[str] = DEFAULT_MISSING_MARKERS,
    censored: str = "error",
    duplicates: str = "error",
    skip_ids: str | None = DEFAULT_SKIP_IDS,
    value_column: str | None = None,
    clock_reference: Any = "first",
) -> pd.DataFrame:
    r"""Read a lab "plate" spreadsheet (BioPsyKit layout) into a tidy table.

    The sheet may start with title rows; the header row is the first of the first 30 rows that
    holds a sample-ID column (``sample ID``, ``sample_id``, ``id``, ``sample``) and a value
    column named after the analyte (``cortisol (nmol/l)``). Bookkeeping columns (``plate``,
    ``# on plate``, well position ``dw l``) are ignored. Each ID (``Vp01 S0``) is split into
    subject and sample (and day, ``Vp01 T1 S0``) by ``id_pattern``.

    Parameters
    ----------
    path : str or Path
        ``.xlsx``/``.xlsm`` (``.xls`` needs xlrd) or a CSV file with the same layout.
    sheet : str or int, optional
        Sheet name or 0-based index; by default the sheet named after the analyte, or the one
        sheet holding a plate header.
    analyte : str, default "cortisol"
        Name of the value column (``cortisol``, also ``cortisol (nmol/l)``, ``cortisol_1`` ...
        for replicate columns) and of the ``analyte`` column of the result. A catalogue analyte
        (``saliva_cortisol`` also finds ``cortisol``) has its unit checked against it.
    unit : str, optional
        UCUM unit of the values when the file gives none (header ``(nmol/l)``, a unit row under
        the header or a ``unit`` column). If the file gives one too they must agree.
    header_row : int, optional
        Spreadsheet row number (1-based) of the header, when detection fails.
    id_pattern : str, optional
        Regular expression matched against the whole sample-ID cell, with named groups
        ``subject``, ``sample`` and optionally ``day`` (or 2-3 unnamed groups, as BioPsyKit's
        ``regex_str``); default :data:`DEFAULT_ID_PATTERN`.
    missing_markers : iterable of str, default DEFAULT_MISSING_MARKERS
        Cell texts (case-insensitive, stripped) meaning "no value for this sample"; they give
        NaN with the text in ``missing_reason``. An empty cell gives reason ``"empty cell"``.
    censored : {"error", "limit", "nan"}, default "error"
        Values outside the detection range (``<0.1``, ``>100``, ``<LOD``): ``"error"`` refuses
        them; ``"limit"`` keeps the limit as the value; ``"nan"`` gives NaN with the reason
        ``below detection limit (<0.1)``. Both record ``<``, ``<=``, ``>=`` or ``>`` in
        ``comparator``.
    duplicates : {"error", "mean"}, default "error"
        A sample ID on several rows: an error (usually a typo), or replicate wells to average.
    skip_ids : str or None, default DEFAULT_SKIP_IDS
        Regular expression for rows of standards, blanks and controls, which are left out and
        listed in ``attrs["skipped"]``; ``None`` keeps every row.
    value_column : str, optional
        The value column's header (without unit), when it is not named after the analyte.
    clock_reference : default "first"
        When a ``time`` column holds clock times (``07:30`` or Excel time cells), they become
        minutes by :func:`clock_to_minutes` with this ``reference``, per subject (and day); the
        text is kept in ``clock_time``. Numeric ``time`` cells are minutes already.

    Returns
    -------
    pandas.DataFrame
        One row per sample, in file order: ``subject``, ``sample`` (and ``day``, ``condition``,
        ``time`` in min, ``clock_time`` when present), ``analyte``, ``value`` (float, in
        ``unit``), ``unit`` (UCUM), ``comparator`` (``""`` for exact values), ``missing_reason``
        (``""`` when there is a value), ``n_replicates`` (with replicate columns or
        ``duplicates="mean"``) and ``cell`` (A1 reference of the value). ``attrs`` holds
        ``units``, ``source``, ``sheet``, ``header_row``, ``value_column`` and ``skipped``.

    Raises
    ------
    DataValidationError
        If the file, sheet or header cannot be found, or a cell is unusable: unknown text, a
        censored value under ``censored="error"``, a negative or infinite number, an ID that does
        not match, a repeated sample; the message names file, sheet, cell (A1), value and fix,
        and ``.issues`` lists every problem (``row`` is the spreadsheet row).
    UnitError
        If there is no unit anywhere, the unit is not UCUM, it does not suit the analyte, or the
        file and ``unit`` disagree.
    ValueError
        If an option is not allowed or ``id_pattern`` has no subject group.

    Notes
    -----
    Replicate value columns are averaged over their exact values,
    :math:`\bar{x} = \frac{1}{n}\sum_{k=1}^{n} x_k` (missing and censored replicates are left
    out and ``n_replicates`` counts the rest). BioPsyKit reads only the ID and one value column,
    maps ``no sample``, ``empty`` and ``insufficient volume`` to NaN without a reason and fails
    on any other text; the values read here from its example plate are identical.

    References
    ----------
    .. [1] Richer R et al. BioPsyKit: A Python package for the analysis of biopsychological
       data. J Open Source Softw. 2021;6(66):3702. doi:10.21105/joss.03702

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "plate.csv"
    >>> _ = p.write_text(chr(10).join([
    ...     "Cortisol assay,,", ",,",
    ...     "well,sample ID,cortisol (nmol/l)",
    ...     "A1,Vp01 S0,6.99", "B1,Vp01 S1,no sample", "C1,Vp02 S0,5.10"]))
    >>> df = read_plate(p)
    >>> df[["subject", "sample", "value", "unit", "missing_reason"]]
      subject sample  value    unit missing_reason
    0    Vp01     S0   6.99  nmol/L
    1    Vp01     S1    NaN  nmol/L      no sample
    2    Vp02     S0   5.10  nmol/L
    """
    check_option("censored", censored, _CENSORED_OPTIONS)
    check_option("duplicates", duplicates, _DUPLICATE_OPTIONS)
    if isinstance(missing_markers, str):
        raise ValueError(
            "'missing_markers' must be a collection of strings, got the single string "
            f"{missing_markers!r}; wrap it: ({missing_markers!r},)."
        )
    p = Path(path)
    df, issues = _read_plate_collect(
        p,
        sheet=sheet,
        analyte=analyte,
        unit=unit,
        header_row=header_row,
        id_pattern=id_pattern,
        missing_markers=tuple(missing_markers),
        censored=censored,
        duplicates=duplicates,
        skip_ids=skip_ids,
        value_column=value_column,
        clock_reference=clock_reference,
    )
    IssueList(sorted(issues, key=lambda i: i.row or 0)).raise_if_errors(p.name)
    return df


def _find_plates(p: Path) -> list[tuple[str | None, int, str]]:
    """Sheets that look like plates: (sheet, header row, analyte); [] if none or unreadable."""
    from neuroendo._core.analytes import available

    try:
        grids = _read_grid(p, None)
    except DataValidationError:
        return []
    names = set(available()) | {"cortisol", "amylase", "crp", "il6", "il-6"}
    pattern = re.compile(DEFAULT_ID_PATTERN)
    found = []
    for sheet, grid in grids:
        for r in range(min(_HEADER_SEARCH_ROWS, grid.shape[0])):
            cells = _header_cells(grid, r)
            idc = _id_column(cells)
            if idc is None:
                continue
            analytes = [b for _, b, _ in cells if b in names]
            if not analytes:
                continue
            below = [_norm_text(v) for v in grid.iloc[r + 1 :, idc[0]].tolist() if not _is_blank(v)]
            hits = sum(pattern.fullmatch(v) is not None for v in below)
            explicit = idc[1] in ("sample id", "sample_id", "sampleid")
            if below and (explicit or hits * 2 >= len(below)):
                found.append((sheet, r + 1, analytes[0]))
                break
    return found


def _lint_plate(p: Path, plates: Sequence[tuple[str | None, int, str]]) -> IssueList:
    """Issues of each plate sheet (everything :func:`read_plate` would refuse, as data)."""
    issues = IssueList()
    for sheet, header_row, analyte in plates:
        at = f"sheet {sheet!r}, " if sheet is not None else ""
        try:
            df, found = _read_plate_collect(
                p,
                sheet=sheet,
                analyte=analyte,
                unit=None,
                header_row=header_row,
                id_pattern=None,
                missing_markers=DEFAULT_MISSING_MARKERS,
                censored="nan",
                duplicates="error",
                skip_ids=DEFAULT_SKIP_IDS,
                value_column=None,
                clock_reference="first",
            )
        except UnitError as exc:
            msg = str(exc)
            rules = (
                ("has no unit", "unit-missing"),
                ("does not suit", "unit-analyte-mismatch"),
                ("mixed units", "unit-mixed"),
                ("different units", "unit-mixed"),
            )
            code = next((c for text, c in rules if text in msg), "unit-unknown")
            issues.append(Issue(Severity.ERROR, code, msg, row=header_row))
            continue
        except (DataValidationError, ValueError) as exc:
            is_time = "('time')" in str(exc)
            code, column = ("time-invalid", "time") if is_time else ("plate-invalid", None)
            issues.append(Issue(Severity.ERROR, code, str(exc), row=header_row, column=column))
            continue
        issues.extend(found)
        cens = df[df["comparator"] != ""]
        for rec in cens.to_dict("records"):
            issues.append(
                Issue(
                    Severity.ERROR,
                    "value-censored",
                    f"{at}cell {rec['cell']}: value {rec['missing_reason']}; read_plate "
                    "refuses it unless censored='limit' or censored='nan' is passed",
                    subject=str(rec["subject"]),
                    row=int(re.sub(r"\D", "", rec["cell"].split(",")[0])),
                    column=df.attrs["value_column"],
                )
            )
        miss = df[(df["missing_reason"] != "") & (df["comparator"] == "")]
        for rec in miss.to_dict("records"):
            issues.append(
                Issue(
                    Severity.INFO,
                    "value-missing",
                    f"{at}cell {rec['cell']}: no value for {rec['subject']} "
                    f"{rec['sample']} ({rec['missing_reason']}); read as NaN",
                    subject=str(rec["subject"]),
                    row=int(re.sub(r"\D", "", rec["cell"].split(",")[0])),
                    column=df.attrs["value_column"],
                )
            )
    return issues
