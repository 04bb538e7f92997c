"""Uploads: stage a file, lint it, turn it into tidy rows and store it in ONE transaction.

Flow (the pages and the JSON API share it):

1. :func:`stage` writes the uploaded bytes to ``<data_dir>/staging/<id><suffix>`` (the name is a
   random hex id; the user's file name is kept only as metadata, so it cannot reach a path).
2. :func:`check` runs :func:`neuroendo.io.lint.lint` and the reader of the format
   (:func:`~neuroendo.io.tables.read_table`, :func:`~neuroendo.io.fhir.read_fhir`,
   :func:`~neuroendo.io.hl7.read_hl7`) and returns a :class:`Report`: every issue and, when there
   is no error, the tidy rows that would be stored. Nothing is written to the database.
3. :func:`commit` copies the file to ``<data_dir>/files/<sha256><suffix>`` and inserts the upload,
   its subjects and observations in one database transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import re
import secrets
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuroendo._core.errors import NeuroendoError
from neuroendo._core.validation import Issue, IssueList, Severity

if TYPE_CHECKING:
    import pandas as pd

    from neuroendo.app.store import Store

__all__ = ["SUFFIXES", "Report", "check", "commit", "stage", "staged_path", "tidy_from_file"]

log = logging.getLogger("neuroendo.app")

#: Accepted file suffixes (others are rejected before anything is read).
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".hl7")
_STAGED_ID = re.compile(r"^[0-9a-f]{32}$")
_ID_COLUMNS = ("subject", "sample", "condition", "day", "time", "datetime", "age", "sex", "group")


@dataclass
class Report:
    """The lint report of one staged file.

    Attributes
    ----------
    staged_id : str
        Hex id of the staged file (pass it to :func:`commit`).
    filename : str
        The name the file was uploaded under (display only).
    format : str
        ``"table"``, ``"fhir"`` or ``"hl7"``.
    sha256 : str
        Checksum of the bytes.
    size : int
        Size in bytes.
    issues : IssueList
        Every problem found (lint, reader, app checks).
    rows : pandas.DataFrame or None
        The tidy rows to store (``None`` when there are errors).
    """

    staged_id: str
    filename: str
    format: str
    sha256: str
    size: int
    issues: IssueList = field(default_factory=IssueList)
    rows: pd.DataFrame | None = None

    @property
    def can_store(self) -> bool:
        """Whether the file has rows and no error."""
        return self.rows is not None and not self.issues.has_errors and len(self.rows) > 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (issues, counts, subjects)."""
        rows = self.rows
        return {
            "staged_id": self.staged_id,
            "filename": self.filename,
            "format": self.format,
            "sha256": self.sha256,
            "size": self.size,
            "can_store": self.can_store,
            "n_errors": len(self.issues.errors),
            "n_warnings": sum(i.severity is Severity.WARNING for i in self.issues),
            "issues": [issue_dict(i) for i in self.issues],
            "n_observations": 0 if rows is None else len(rows),
            "subjects": [] if rows is None else sorted(map(str, rows["subject"].unique())),
            "analytes": [] if rows is None else sorted(map(str, rows["analyte"].unique())),
        }


def issue_dict(issue: Issue) -> dict[str, Any]:
    """Convert an :class:`~neuroendo._core.validation.Issue` to a JSON-ready dict."""
    return {
        "severity": issue.severity.value,
        "code": issue.code,
        "message": issue.message,
        "subject": issue.subject,
        "row": issue.row,
        "column": issue.column,
    }


def safe_filename(name: str | None) -> str:
    """Keep the last path component of an uploaded name, printable, at most 200 chars."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip().lstrip(".")
    return base[:200] or "upload"


def _suffix(filename: str) -> str:
    return Path(filename).suffix.lower()


def stage(data_dir: Path, filename: str | None, data: bytes) -> tuple[str, str]:
    """Write uploaded bytes to the staging folder.

    Parameters
    ----------
    data_dir : Path
        The app's data directory.
    filename : str, optional
        The name sent by the client (only its suffix is used for the stored name).
    data : bytes
        File contents.

    Returns
    -------
    (str, str)
        The staged id (32 hex digits) and the cleaned display name.
    """
    name = safe_filename(filename)
    suffix = _suffix(name)
    staging = data_dir / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    sid = secrets.token_hex(16)
    ext = suffix if suffix in SUFFIXES else ".bin"
    (staging / f"{sid}{ext}").write_bytes(data)
    (staging / f"{sid}.name").write_text(name, encoding="utf-8")
    return sid, name


def staged_path(data_dir: Path, staged_id: str) -> tuple[Path, str] | None:
    """Find a staged file by id; ``None`` for an unknown or malformed id (never a traversal)."""
    if not _STAGED_ID.fullmatch(staged_id or ""):
        return None
    staging = (data_dir / "staging").resolve()
    for ext in (*SUFFIXES, ".bin"):
        p = staging / f"{staged_id}{ext}"
        if p.is_file():
            meta = staging / f"{staged_id}.name"
            name = meta.read_text(encoding="utf-8") if meta.is_file() else p.name
            return p, name
    return None


def discard(data_dir: Path, staged_id: str) -> None:
    """Remove a staged file and its metadata (no error if already gone)."""
    found = staged_path(data_dir, staged_id)
    if found is None:
        return
    path, _ = found
    for p in (path, path.with_suffix(".name")):
        p.unlink(missing_ok=True)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _warning_issues(caught: list[warnings.WarningMessage]) -> list[Issue]:
    return [Issue(Severity.WARNING, "reader-warning", str(w.message).strip()) for w in caught]


def check(data_dir: Path, staged_id: str) -> Report | None:
    """Lint a staged file and, when it has no error, read it into tidy rows.

    Parameters
    ----------
    data_dir : Path
        The app's data directory.
    staged_id : str
        Id returned by :func:`stage`.

    Returns
    -------
    Report or None
        ``None`` if no such staged file exists.
    """
    from neuroendo.io.lint import detect_format, lint

    found = staged_path(data_dir, staged_id)
    if found is None:
        return None
    path, name = found
    size = path.stat().st_size
    digest = sha256_of(path)
    rep = Report(staged_id, name, "table", digest, size)
    if path.suffix == ".bin":
        rep.issues.append(
            Issue(
                Severity.ERROR,
                "file-type",
                f"{name!r}: unsupported file type; upload {', '.join(SUFFIXES)} files",
            )
        )
        return rep
    rep.format = detect_format(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            rep.issues.extend(lint(path))
        except Exception as exc:  # a crash on hostile bytes must become a report, not a 500
            log.exception("lint failed on %s", name)
            rep.issues.append(
                Issue(Severity.ERROR, "file-unreadable", f"cannot read the file ({exc})")
            )
        if not rep.issues.has_errors:
            try:
                rows, extra = tidy_from_file(path, rep.format)
            except (NeuroendoError, ValueError, KeyError) as exc:
                issues = getattr(exc, "issues", None) or [
                    Issue(Severity.ERROR, "file-invalid", " ".join(str(exc).split()))
                ]
                rep.issues.extend(issues)
            except Exception as exc:
                log.exception("reading %s failed", name)
                rep.issues.append(
                    Issue(Severity.ERROR, "file-unreadable", f"cannot read the file ({exc})")
                )
            else:
                rep.issues.extend(extra)
                rep.rows = rows
    rep.issues.extend(_warning_issues(caught))
    if rep.rows is not None and len(rep.rows) == 0 and not rep.issues.has_errors:
        rep.issues.append(Issue(Severity.ERROR, "no-observations", "the file holds no values"))
    return rep


# --------------------------------------------------------------------------- tidy conversion
def tidy_from_file(path: Path, fmt: str) -> tuple[pd.DataFrame, list[Issue]]:
    """Read a lab file into tidy rows ready for storing.

    Parameters
    ----------
    path : Path
        The file.
    fmt : {"table", "fhir", "hl7"}
        Its format.

    Returns
    -------
    (pandas.DataFrame, list of Issue)
        Columns ``subject, time, datetime, analyte, value, unit, loinc, sample, condition,
        sex, age`` (``time`` in minutes) and extra issues (warnings) found on the way.

    Raises
    ------
    DataValidationError, UnitError
        As the readers.
    """
    if fmt == "fhir":
        from neuroendo.io.fhir import read_fhir

        return _normalise(read_fhir(path)), []
    if fmt == "hl7":
        from neuroendo.io.hl7 import read_hl7

        return _normalise(read_hl7(path)), []
    return _tidy_table(path)


_OUT = ("subject", "time", "datetime", "analyte", "value", "unit", "loinc", "sample", "condition")


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame({c: df[c] if c in df.columns else None for c in _OUT}, index=df.index)
    out["subject"] = out["subject"].astype(str)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    out["time"] = pd.to_numeric(out["time"], errors="coerce").astype(float)
    out["datetime"] = pd.to_datetime(out["datetime"], utc=True, errors="coerce")
    for c in ("sex", "age"):
        out[c] = df[c] if c in df.columns else None
    out = out[out["value"].notna()].reset_index(drop=True)
    return out


def _default_loinc(analyte: str, unit: str) -> str | None:
    from neuroendo._core.analytes import check_loinc_unit, get

    try:
        a = get(analyte)
    except NeuroendoError:
        return None
    for code in a.loinc:
        try:
            check_loinc_unit(code.code, unit)
        except NeuroendoError:
            continue
        return code.code
    return None


def _tidy_table(path: Path) -> tuple[pd.DataFrame, list[Issue]]:
    import numpy as np
    import pandas as pd

    from neuroendo._core.analytes import get
    from neuroendo._core.errors import DataValidationError
    from neuroendo._core.units import convert, normalize_unit
    from neuroendo.io.tables import read_table, split_unit_header

    issues: list[Issue] = []
    head = read_table(path, nonnegative=False)
    cols = [str(c) for c in head.columns]
    if {"subject", "analyte", "value", "unit"} <= set(cols):  # tidy long table
        df = read_table(
            path, numeric=["value", "time"] if "time" in cols else ["value"], nonnegative=False
        )
        df = df.copy()
        df["unit"] = [normalize_unit(str(u)) for u in df["unit"]]
        df["analyte"] = [get(str(a)).key for a in df["analyte"]]
        time_unit = df.attrs.get("units", {}).get("time")
    else:  # wide: one column per analyte, units in the headers
        if "subject" not in cols:
            raise DataValidationError(
                f"{path.name}: no 'subject' column; name the subject ID column 'subject'."
            )
        analytes = [c for c in cols if c not in _ID_COLUMNS and _is_analyte(c)]
        units = head.attrs.get("units", {})
        unknown = [c for c in cols if c not in _ID_COLUMNS and c not in analytes]
        for c in unknown:
            issues.append(
                Issue(
                    Severity.WARNING,
                    "column-ignored",
                    f"column {c!r} is not an analyte of the catalogue and is not stored",
                    row=1,
                    column=c,
                )
            )
        if not analytes:
            raise DataValidationError(
                f"{path.name}: no analyte columns with units (e.g. 'cortisol [nmol/L]', "
                "'tsh [mIU/L]'); found " + ", ".join(map(repr, cols)) + "."
            )
        numeric = [*analytes, *(["time"] if "time" in cols else [])]
        wide = read_table(path, numeric=numeric, nonnegative=False)  # lint checked the values
        ids = [c for c in _ID_COLUMNS if c in cols]
        df = wide.melt(id_vars=ids, value_vars=analytes, var_name="analyte", value_name="value")
        df["unit"] = [units[a] for a in df["analyte"]]
        df["analyte"] = [get(a).key for a in df["analyte"]]
        time_unit = units.get("time")
        _ = split_unit_header  # headers already split by read_table
    if "time" in df.columns:
        t = pd.to_numeric(df["time"], errors="coerce").to_numpy(dtype=float)
        if time_unit is None:
            issues.append(
                Issue(
                    Severity.WARNING,
                    "time-unit-assumed",
                    "the 'time' column has no unit; minutes are assumed (write 'time [min]' "
                    "or 'time [h]' in the header to say so)",
                    row=1,
                    column="time",
                )
            )
        elif time_unit != "min":
            t = np.asarray(convert(t, time_unit, "min"), dtype=float)
        df["time"] = t
    if "loinc" not in df.columns:
        df["loinc"] = [_default_loinc(a, u) for a, u in zip(df["analyte"], df["unit"], strict=True)]
    if "datetime" in df.columns:
        df["datetime"] = pd.to_datetime(df["datetime"], utc=True, errors="coerce")
    df["subject"] = df["subject"].astype(str).str.strip()
    if (df["subject"].isin(["", "nan", "None"])).any():
        raise DataValidationError(f"{path.name}: some rows have no subject; fill the column.")
    return _normalise(df), issues


def _is_analyte(name: str) -> bool:
    from neuroendo._core.analytes import get

    try:
        get(name)
    except NeuroendoError:
        return False
    return True


# --------------------------------------------------------------------------- storing
class DuplicateUpload(Exception):
    """The same bytes (sha256) were stored before; carries the earlier upload id."""

    def __init__(self, upload_id: int) -> None:
        super().__init__(f"this file was already stored as upload {upload_id}")
        self.upload_id = upload_id


def _clean(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    try:
        import pandas as pd

        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    return x


def commit(store: Store, data_dir: Path, report: Report) -> int:
    """Store a checked file: keep the original, insert everything in one transaction.

    The original is written (and flushed to disk) to ``files/`` before the transaction, so a
    committed upload always has its file; a crash in between leaves at most an unreferenced
    file, never a row without its file or observations. Concurrent uploads naming the same new
    subject, or the same bytes, are safe on SQLite and PostgreSQL: subjects are inserted with
    ``ON CONFLICT DO NOTHING`` and a transaction that loses a race on a unique key is run again
    (the same bytes then give :class:`DuplicateUpload`).

    Parameters
    ----------
    store : Store
        The database.
    data_dir : Path
        The app's data directory (``files/`` receives the original).
    report : Report
        A report with ``can_store`` true.

    Returns
    -------
    int
        The new upload's id.

    Raises
    ------
    ValueError
        If the report has errors.
    DuplicateUpload
        If a file with the same sha256 is already stored.
    """
    from sqlalchemy.exc import DBAPIError, IntegrityError

    if not report.can_store or report.rows is None:
        raise ValueError("the file has errors (see its lint report) and cannot be stored")
    found = staged_path(data_dir, report.staged_id)
    if found is None:
        raise ValueError(f"staged file {report.staged_id!r} is gone; upload it again")
    src, _ = found
    stored_name = f"{report.sha256}{src.suffix}"
    dest = data_dir / "files" / stored_name
    created = _keep_original(src, dest)
    try:
        for attempt in range(_ATTEMPTS):
            try:
                upload_id = _insert(store, report, stored_name)
                break
            except IntegrityError:  # lost a race on a unique key (subject code, sha256)
                if attempt == _ATTEMPTS - 1:
                    raise
            except DBAPIError as exc:  # deadlock or serialisation failure: run it again
                if _sqlstate(exc) not in _RETRY_STATES or attempt == _ATTEMPTS - 1:
                    raise
    except Exception:
        if created:
            _remove_unreferenced(store, dest, report.sha256)
        raise
    if not dest.exists():  # removed by a concurrent failed upload of the same bytes
        _keep_original(src, dest)
    discard(data_dir, report.staged_id)
    return upload_id


_ATTEMPTS = 5
_RETRY_STATES = ("40001", "40P01")  # serialization_failure, deadlock_detected


def _sqlstate(exc: Exception) -> str | None:
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return str(state) if state is not None else None


def _keep_original(src: Path, dest: Path) -> bool:
    """Copy the staged file to its content-addressed name, durably; ``False`` if present."""
    if dest.exists():  # same bytes, same file
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{secrets.token_hex(8)}.tmp"
    with tmp.open("wb") as fh:
        fh.write(src.read_bytes())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    with contextlib.suppress(OSError):  # make the rename durable (POSIX; not on Windows)
        fd = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return True


def _insert(store: Store, report: Report, stored_name: str) -> int:
    """Insert the upload, its new subjects and its observations in one transaction."""
    import pandas as pd
    from sqlalchemy import insert, select, update

    from neuroendo import __version__
    from neuroendo.app.store import Observation, Subject, Upload, utcnow

    rows = report.rows
    assert rows is not None  # checked by commit
    issues = [issue_dict(i) for i in report.issues]
    with store.write() as s:
        prior = s.scalar(select(Upload.id).where(Upload.sha256 == report.sha256))
        if prior is not None:
            raise DuplicateUpload(prior)
        up = Upload(
            filename=report.filename,
            sha256=report.sha256,
            size=report.size,
            format=report.format,
            stored_name=stored_name,
            n_observations=len(rows),
            issues=issues,
            package_version=__version__,
        )
        s.add(up)
        s.flush()
        codes = sorted(set(map(str, rows["subject"])))  # sorted: same lock order everywhere
        dialect = s.get_bind().dialect.name
        if dialect in ("sqlite", "postgresql"):
            from sqlalchemy.dialects import postgresql, sqlite

            upsert = (
                postgresql.insert(Subject) if dialect == "postgresql" else sqlite.insert(Subject)
            )
            now = utcnow()
            s.execute(
                upsert.on_conflict_do_nothing(index_elements=["code"]),
                [{"code": code, "created_at": now} for code in codes],
            )
        else:  # other databases: a race on a new code raises IntegrityError; commit retries
            known = set(s.scalars(select(Subject.code).where(Subject.code.in_(codes))))
            s.add_all(Subject(code=code) for code in codes if code not in known)
            s.flush()
        subject_ids = {
            str(code): int(i)
            for code, i in s.execute(
                select(Subject.code, Subject.id).where(Subject.code.in_(codes))
            )
        }
        demo = rows.groupby("subject", sort=False)[["sex", "age"]].first()
        for code in codes:
            sex = _clean(demo.at[code, "sex"]) if code in demo.index else None
            age = _clean(demo.at[code, "age"]) if code in demo.index else None
            values: dict[str, Any] = {}
            if sex is not None and str(sex).strip()[:1].upper() in ("F", "M"):
                values["sex"] = str(sex).strip()[:1].upper()
            if age is not None:
                with contextlib.suppress(TypeError, ValueError):
                    values["age"] = float(age)
            if values:
                s.execute(update(Subject).where(Subject.id == subject_ids[code]).values(**values))
        records = []
        for rec in rows.to_dict("records"):
            when = _clean(rec.get("datetime"))
            records.append(
                {
                    "subject_id": subject_ids[str(rec["subject"])],
                    "upload_id": up.id,
                    "analyte": str(rec["analyte"]),
                    "value": float(rec["value"]),
                    "unit": str(rec["unit"]),
                    "loinc": _clean(rec.get("loinc")) or None,
                    "time": _clean(rec.get("time")),
                    "datetime": when.to_pydatetime() if isinstance(when, pd.Timestamp) else None,
                    "sample": _str_or_none(rec.get("sample")),
                    "condition": _str_or_none(rec.get("condition")),
                }
            )
        s.execute(insert(Observation), records)
        return int(up.id)


def _str_or_none(x: Any) -> str | None:
    x = _clean(x)
    return None if x is None or str(x) == "" else str(x)[:100]


def _remove_unreferenced(store: Store, dest: Path, digest: str) -> None:
    from sqlalchemy import select

    from neuroendo.app.store import Upload

    with store.read() as s:
        if s.scalar(select(Upload.id).where(Upload.sha256 == digest)) is None:
            dest.unlink(missing_ok=True)
