"""FHIR R4 Observations in and out: lab values, CAR/TSST panels and derived results.

Reading (:func:`read_fhir`) accepts a Bundle, a single Observation or a JSON list of Observations
and returns neuroendo's tidy long table, one row per value:

========== ================================================================================
column     content
========== ================================================================================
subject    ``subject.reference`` without its ``Patient/`` prefix
time       minutes since the subject's first sample (float; NaN without an effective time)
analyte    catalogue key (``cortisol``, ``ft4`` ...) or derived index (``spina_gt`` ...)
value      ``valueQuantity.value`` (float), never converted
unit       ``valueQuantity.code`` (UCUM, normalised by ``_core.units.normalize_unit``)
loinc      the LOINC code the value was sent under (missing for local codes)
datetime   ``effectiveDateTime`` (or ``effectiveInstant``, ``effectivePeriod.start``) in UTC
specimen   ``specimen.display`` or the specimen of the LOINC code (``serum``, ``saliva`` ...)
method     ``method.text`` (or its first coding's display)
comparator ``valueQuantity.comparator`` (``<``, ``>=`` ...) of a censored value, else ``""``
panel      label of the ``hasMember`` panel (a CAR or TSST series) the value belongs to
id         the Observation's id
source     the file name (``"<json>"`` for in-memory input)
========== ================================================================================

``component`` entries become rows of their own (with the parent's subject and time); a panel
Observation (``hasMember``) gives no row itself but labels its members. Observations whose status
is ``cancelled`` or ``entered-in-error``, or that carry a ``dataAbsentReason``, are skipped.

Writing (:func:`to_fhir`, :func:`write_fhir`) turns such a table back into a ``collection`` Bundle;
:func:`derived_observation` and :func:`results_to_fhir` write computed indices (SPINA-GT/GD, AUCs,
free testosterone, balance components) with ``derivedFrom``, ``method`` and UCUM units.

Coding rules (``shared/reference/clinical.md`` §7): the LOINC code must match the unit's axis (a
molar value under a mass code is an error; use the sibling code, never rewrite the number); values
without a LOINC code (saliva cortisol in nmol/L, most indices) use the local code system
:data:`LOCAL_SYSTEM` with the catalogue key as code.

Schema validation uses the ``fhir.resources`` package (``pip install "fhir.resources>=7"``). Its
releases 7 and 8 default to FHIR R5 and ship R4B models in ``fhir.resources.R4B``; R4B left the
Observation, Bundle and Quantity resources of R4 unchanged, so :func:`validate_resource` checks R4
Observations against ``fhir.resources.R4B``. Without the package, the checks that neuroendo makes
itself (codes, units, times, values, references) still run.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuroendo._core.errors import DataValidationError, UnitError, UnknownAnalyteError
from neuroendo._core.validation import Issue, IssueList, Severity, check_option

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DERIVED_CODES",
    "LOCAL_SYSTEM",
    "LOINC_SYSTEM",
    "READ_COLUMNS",
    "UCUM_SYSTEM",
    "derived_observation",
    "read_fhir",
    "results_to_fhir",
    "to_fhir",
    "validate_resource",
    "write_fhir",
]

LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
#: Code system for analytes and indices without a LOINC code (code = catalogue key).
LOCAL_SYSTEM = "urn:neuroendo:code"
_CATEGORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory",
        }
    ]
}

#: Derived indices with a LOINC code: name -> (LOINC code, UCUM unit, display).
DERIVED_CODES: dict[str, tuple[str, str, str]] = {
    "spina_gt": (
        "82368-2",
        "pmol/s",
        "Thyroid secretory capacity [Moles/time] in Serum or Plasma by Calculated.SPINA",
    ),
    "spina_gd": (
        "82367-4",
        "nmol/s",
        "Peripheral deiodinase activity [Moles/time] in Serum or Plasma by Calculated.SPINA",
    ),
}
_DERIVED_BY_LOINC = {code: name for name, (code, _, _) in DERIVED_CODES.items()}

#: Columns of the table returned by :func:`read_fhir` and :func:`neuroendo.io.hl7.read_hl7`.
READ_COLUMNS = (
    "subject",
    "time",
    "analyte",
    "value",
    "unit",
    "loinc",
    "datetime",
    "specimen",
    "method",
    "comparator",
    "panel",
    "id",
    "source",
)
_STATUSES = (
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
)
_SKIP_STATUSES = ("cancelled", "entered-in-error")
_COMPARATORS = ("<", "<=", ">=", ">")
_FHIR_DATETIME = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
#: Values at or above this magnitude are flagged as implausible (no analyte of the catalogue
#: reaches it in any of its units; the largest, cortisol in pmol/L, stays below 1e7).
IMPLAUSIBLE = 1e9


# --------------------------------------------------------------------------- shared helpers
@dataclass
class _Collector:
    """Issues found while parsing one source (used by the FHIR and HL7 readers and the linter)."""

    name: str
    issues: IssueList = field(default_factory=IssueList)

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        subject: str | None = None,
    ) -> None:
        self.issues.append(Issue(severity, code, message, subject, row, column))

    def error(self, code: str, message: str, **where: Any) -> None:
        self.add(Severity.ERROR, code, message, **where)

    def raise_if_errors(self) -> None:
        _raise_issues(self.issues, self.name)


def _raise_issues(issues: IssueList, name: str) -> None:
    """Raise the exception that fits the first error (UnitError for units, ...)."""
    errs = issues.errors
    if not errs:
        return
    more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
    msg = f"{name}: {errs[0]}{more}"
    code = errs[0].code
    if code.startswith("unit-"):
        raise UnitError(msg)
    if code == "loinc-unknown":
        raise UnknownAnalyteError(msg)
    raise DataValidationError(msg, issues=list(errs))


def _unit_kind(unit: str) -> str | None:
    """``"mass"``, ``"molar"``, ``"units"`` or ``None`` for a normalised UCUM unit."""
    from neuroendo._core.units import dimension

    dim = dimension(unit)
    if "international_unit" in dim:
        return "units"
    if "[substance]" in dim:
        return "molar"
    if "[mass]" in dim:
        return "mass"
    return None


def _check_value(
    col: _Collector, value: Any, where: dict[str, Any], *, allow_negative: bool = False
) -> float | None:
    """Return ``value`` as a finite float or record why it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        col.error(
            "value-not-number",
            f"value {value!r} is not a number; send the value as a JSON number",
            **where,
        )
        return None
    v = float(value)
    if not math.isfinite(v):
        col.error(
            "value-not-finite",
            f"value {value!r} is not finite (too large for a float?); check the export",
            **where,
        )
        return None
    if v < 0 and not allow_negative:
        col.error(
            "value-negative",
            f"value {v:g} is negative; concentrations cannot be negative (check the sign or how "
            "values below the detection limit are reported)",
            **where,
        )
        return None
    return v


def _resolve_code(
    col: _Collector,
    codings: list[tuple[str, str]],
    where: dict[str, Any],
    on_unknown: str,
) -> tuple[str, str | None, str | None] | None:
    """Map (system, code) pairs to (analyte or index key, LOINC code or None, specimen).

    Returns ``None`` (after recording an issue unless skipping) when no coding is known.
    """
    from neuroendo._core.analytes import ANALYTES, from_loinc

    loincs = []
    for system, code in codings:
        if system == LOINC_SYSTEM:
            loincs.append(code)
            if code in _DERIVED_BY_LOINC:
                return _DERIVED_BY_LOINC[code], code, None
            try:
                analyte, entry = from_loinc(code)
            except UnknownAnalyteError:
                continue
            return analyte.key, entry.code, entry.specimen
        if system == LOCAL_SYSTEM and code:
            key = code.strip().lower()
            if key in ANALYTES:
                return key, None, ANALYTES[key].specimen
            return key, None, None  # a derived index under the local code system
    if on_unknown == "skip":
        return None
    if loincs:
        col.error(
            "loinc-unknown",
            f"unknown LOINC code {loincs[0]!r}: neuroendo maps the codes listed by "
            "`neuroendo analytes`; use a catalogue code or pass on_unknown='skip' to ignore it",
            **where,
        )
    elif codings:
        shown = ", ".join(f"{s or '?'}|{c}" for s, c in codings)
        col.error(
            "code-unknown",
            f"no LOINC coding (system {LOINC_SYSTEM!r}) in {shown}; add the LOINC code or pass "
            "on_unknown='skip' to ignore the Observation",
            **where,
        )
    else:
        col.error("code-missing", "code has no coding; add a LOINC coding", **where)
    return None


def _check_unit(
    col: _Collector,
    unit_text: Any,
    key: str,
    loinc: str | None,
    where: dict[str, Any],
) -> str | None:
    """Normalise a UCUM unit and check it against the LOINC axis and the analyte."""
    from neuroendo._core.analytes import ANALYTES, check_loinc_unit
    from neuroendo._core.units import conversion_factor, normalize_unit

    if not isinstance(unit_text, str) or not unit_text.strip():
        col.error(
            "unit-missing",
            f"no unit for {key!r}; give the UCUM unit (e.g. "
            f"{ANALYTES[key].canonical_unit if key in ANALYTES else 'nmol/L'!r})",
            **where,
        )
        return None
    try:
        unit = normalize_unit(unit_text)
    except UnitError as exc:
        col.error("unit-unknown", str(exc), **where)
        return None
    try:
        if loinc is not None and loinc not in _DERIVED_BY_LOINC:
            check_loinc_unit(loinc, unit)
        elif key in DERIVED_CODES:
            conversion_factor(unit, DERIVED_CODES[key][1])
        elif key in ANALYTES:
            conversion_factor(unit, ANALYTES[key].canonical_unit, key)
    except UnitError as exc:
        col.error("unit-code-mismatch", str(exc), **where)
        return None
    return unit


def _parse_datetime(text: str, assume_tz: str | None) -> pd.Timestamp:
    """Parse an ISO date-time; naive values need ``assume_tz``. Raises ValueError."""
    import pandas as pd

    ts = pd.Timestamp(text)
    if pd.isna(ts):
        raise ValueError("empty date-time")
    if ts.tzinfo is None:
        if assume_tz is None:
            raise ValueError(
                f"date-time {text!r} has no UTC offset; add one (e.g. +01:00 or Z) or pass "
                "assume_tz='Europe/Berlin' (the zone the times were recorded in)"
            )
        ts = ts.tz_localize(assume_tz)
    return ts.tz_convert("UTC")


def _check_tz(assume_tz: str | None) -> None:
    import pandas as pd

    if assume_tz is None:
        return
    try:
        pd.Timestamp("2000-01-01").tz_localize(assume_tz)
    except Exception:  # pytz/zoneinfo raise several types for unknown zones
        raise ValueError(
            f"Invalid value for 'assume_tz': {assume_tz!r} is not a time zone; use an IANA name "
            "such as 'UTC' or 'Europe/Berlin'."
        ) from None


def _tidy_frame(records: list[dict[str, Any]], source: str) -> pd.DataFrame:
    """Assemble reader records into the tidy table (``datetime`` in UTC, ``time`` in minutes)."""
    import pandas as pd

    base = [c for c in READ_COLUMNS if c not in ("time", "source")]
    df = pd.DataFrame.from_records(records, columns=base)
    df["datetime"] = pd.to_datetime(df["datetime"], utc=True)
    df["value"] = df["value"].astype("float64")
    first = df.groupby("subject", sort=False)["datetime"].transform("min")
    df["time"] = (df["datetime"] - first).dt.total_seconds() / 60.0
    df["source"] = source
    for c in ("loinc", "specimen", "method", "panel", "id"):  # one missing marker: None
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df = df[list(READ_COLUMNS)].reset_index(drop=True)
    df.attrs["source"] = source
    return df


def _duplicate_issues(col: _Collector, df: pd.DataFrame, rows: Sequence[int | None]) -> None:
    """Flag repeated (subject, analyte, datetime) with different values: ambiguous samples."""
    if df.empty:
        return
    key = ["subject", "analyte", "datetime"]
    sub = df[df["datetime"].notna()]
    dup = sub.duplicated(subset=key, keep="first")
    for i in sub.index[dup]:
        col.error(
            "sample-duplicate",
            f"{df.at[i, 'analyte']!r} at {df.at[i, 'datetime']!s} appears more than once for this "
            "subject; keep one value per sample (remove the repeat or correct its time)",
            row=rows[i],
            subject=str(df.at[i, "subject"]),
        )


def _read_text(source: str | Path | bytes, col: _Collector) -> str | None:
    """Read a path (or take text/bytes) and decode UTF-8, recording problems."""
    if isinstance(source, bytes):
        data = source
    else:
        p = Path(source)
        if not p.is_file():
            col.error("file-not-found", f"{p}: file not found; check the path")
            return None
        data = p.read_bytes()
    if not data.strip():
        col.error("file-empty", "the file is empty")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        col.error(
            "file-not-utf8",
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8",
        )
        return None


# --------------------------------------------------------------------------- reading
def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (write missing values as null or omit them)")


def _load_json(text: str, col: _Collector) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        col.error(
            "json-invalid",
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno} (truncated file?)",
            row=exc.lineno,
        )
    except ValueError as exc:
        col.error("json-invalid", f"not valid JSON: {exc}")
    except RecursionError:
        col.error("json-invalid", "not valid JSON: nested too deeply")
    return None


def _codings(cc: Any) -> list[tuple[str, str]] | None:
    """(system, code) pairs of a CodeableConcept, or None if it is malformed."""
    if not isinstance(cc, dict):
        return None
    coding = cc.get("coding", [])
    if not isinstance(coding, list):
        return None
    out = []
    for c in coding:
        if not isinstance(c, dict):
            return None
        system, code = c.get("system", ""), c.get("code", "")
        if not isinstance(system, str) or not isinstance(code, str):
            return None
        out.append((system, code.strip()))
    return out


def _text_of(cc: Any) -> str | None:
    if not isinstance(cc, dict):
        return None
    text = cc.get("text")
    if isinstance(text, str) and text:
        return text
    coding = cc.get("coding")
    if isinstance(coding, list):
        for c in coding:
            if isinstance(c, dict) and isinstance(c.get("display"), str):
                return str(c["display"])
            if isinstance(c, dict) and isinstance(c.get("code"), str):
                return str(c["code"])
    return None


def _resources(obj: Any, col: _Collector) -> list[tuple[int, str, dict[str, Any]]]:
    """(entry number, fullUrl, resource) of every resource in a Bundle, list or Observation."""
    if isinstance(obj, list):
        items: list[Any] = [{"resource": r} for r in obj]
    elif isinstance(obj, dict):
        rt = obj.get("resourceType")
        if rt == "Bundle":
            entries = obj.get("entry", [])
            if not isinstance(entries, list):
                col.error("bundle-invalid", "Bundle.entry must be a list of entries", row=0)
                return []
            items = entries
        elif rt == "Observation":
            items = [{"resource": obj}]
        else:
            col.error(
                "resource-type",
                f"resourceType {rt!r}: expected a Bundle, an Observation or a list of Observations",
                column="resourceType",
            )
            return []
    else:
        col.error(
            "resource-type",
            f"top-level JSON is a {type(obj).__name__}; expected a Bundle or Observation object",
        )
        return []
    out = []
    for n, entry in enumerate(items, start=1):
        res = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(res, dict):
            col.error("bundle-invalid", f"entry {n} has no resource object", row=n)
            continue
        full_url = entry.get("fullUrl", "")
        out.append((n, full_url if isinstance(full_url, str) else "", res))
    return out


@dataclass
class _Obs:
    n: int
    res: dict[str, Any]
    subject: str | None
    when: Any  # pd.Timestamp | None
    panel_members: list[str]


def _parse_fhir(
    obj: Any,
    col: _Collector,
    *,
    validate: bool | None,
    assume_tz: str | None,
    on_unknown: str,
) -> tuple[pd.DataFrame, list[int | None]]:
    """Map parsed JSON to the tidy table, recording every problem in ``col``."""
    resources = _resources(obj, col)
    by_ref: dict[str, int] = {}
    observations: list[_Obs] = []
    skipped: set[str] = set()
    validator = _validator(validate)
    for n, full_url, res in resources:
        rt = res.get("resourceType")
        if rt == "Observation" and res.get("status") in _SKIP_STATUSES:
            rid = res.get("id")  # withdrawn results: members of a panel may point at them
            skipped.update({f"Observation/{rid}", full_url} if isinstance(rid, str) else {full_url})
            continue
        if rt != "Observation":
            if not isinstance(rt, str):
                col.error("resource-type", "resource without a resourceType", row=n)
            elif isinstance(obj, list):
                col.error("resource-type", f"resourceType {rt!r} in a list of Observations", row=n)
            continue  # Patients, Specimens ... in a Bundle are not measurements
        ob = _parse_observation(n, res, col, assume_tz)
        if ob is None:
            continue
        rid = res.get("id")
        if isinstance(rid, str):
            by_ref[f"Observation/{rid}"] = len(observations)
        if full_url:
            by_ref[full_url] = len(observations)
        observations.append(ob)

    panel_of: dict[int, tuple[str, _Obs]] = {}
    for ob in observations:
        if not ob.panel_members:
            continue
        label = _text_of(ob.res.get("code")) or str(ob.res.get("id", f"panel-{ob.n}"))
        for ref in ob.panel_members:
            if ref in skipped:
                continue
            if ref not in by_ref:
                col.error(
                    "member-missing",
                    f"hasMember reference {ref!r} of panel {label!r} is not in the bundle; "
                    "include the member Observations",
                    row=ob.n,
                    column="hasMember",
                )
                continue
            panel_of[by_ref[ref]] = (label, ob)

    records: list[dict[str, Any]] = []
    rows: list[int | None] = []
    for i, ob in enumerate(observations):
        before = len(col.issues.errors)
        found = _observation_records(ob, panel_of.get(i), col, on_unknown)
        if validator is not None and len(col.issues.errors) == before:
            # the R4 schema last, so that neuroendo's own messages (with fixes) come first
            msg = validator(ob.res)
            if msg is not None:
                col.error("fhir-schema", f"not a valid FHIR R4 Observation: {msg}", row=ob.n)
                continue
        records += found
        rows += [ob.n] * len(found)
    name = col.name
    df = _tidy_frame(records, name)
    _duplicate_issues(col, df, rows)
    if not records and not col.issues.has_errors:
        col.error(
            "no-observations",
            "no Observation with a valueQuantity was found; nothing to read",
        )
    return df, rows


def _observation_records(
    ob: _Obs, panel: tuple[str, _Obs] | None, col: _Collector, on_unknown: str
) -> list[dict[str, Any]]:
    """Rows of one Observation, with subject and time inherited from its panel if needed."""
    label, parent = panel if panel is not None else (None, None)
    subject = ob.subject or (parent.subject if parent else None)
    when = ob.when if ob.when is not None else (parent.when if parent else None)
    if subject is None:
        if ob.panel_members or not _has_values(ob.res):
            return []
        col.error(
            "subject-missing",
            "Observation has no subject.reference (nor a panel that gives one); add "
            "'subject': {'reference': 'Patient/<id>'}",
            row=ob.n,
            column="subject",
        )
        return []
    found = _value_records(ob, col, on_unknown)
    for rec in found:
        rec.update(subject=subject, datetime=when, panel=label)
    return found


def _has_values(res: dict[str, Any]) -> bool:
    return "valueQuantity" in res or "component" in res


def _parse_observation(
    n: int, res: dict[str, Any], col: _Collector, assume_tz: str | None
) -> _Obs | None:
    status = res.get("status")
    if status is None:
        col.error("status-missing", "Observation.status is required (e.g. 'final')", row=n)
        return None
    if status not in _STATUSES:
        col.error(
            "status-invalid",
            f"Observation.status {status!r} is not one of {', '.join(_STATUSES)}",
            row=n,
            column="status",
        )
        return None
    if status in _SKIP_STATUSES:
        return None
    subject = None
    subj = res.get("subject")
    if subj is not None:
        ref = subj.get("reference") if isinstance(subj, dict) else None
        if not isinstance(ref, str) or not ref.strip():
            col.error(
                "subject-missing",
                "subject must be a Reference with a 'reference' string, e.g. 'Patient/p1'",
                row=n,
                column="subject",
            )
            return None
        subject = ref.strip().removeprefix("Patient/")
    when = None
    for key in ("effectiveDateTime", "effectiveInstant", "effectivePeriod"):
        if key not in res:
            continue
        text = res[key].get("start") if key == "effectivePeriod" and res[key] else res[key]
        if not isinstance(text, str) or not _FHIR_DATETIME.match(text):
            col.error(
                "time-invalid",
                f"{key} {text!r} is not a FHIR dateTime such as '2024-03-05T08:30:00+01:00'",
                row=n,
                column=key,
            )
            return None
        try:
            when = _parse_datetime(text, assume_tz)
        except (ValueError, OverflowError) as exc:
            code = "time-no-zone" if "no UTC offset" in str(exc) else "time-invalid"
            col.error(code, f"{key}: {exc}", row=n, column=key)
            return None
        break
    members: list[str] = []
    has_member = res.get("hasMember")
    if has_member is not None:
        ok = isinstance(has_member, list) and all(
            isinstance(m, dict) and isinstance(m.get("reference"), str) for m in has_member
        )
        if not ok:
            col.error(
                "member-invalid",
                "hasMember must be a list of References ({'reference': 'Observation/<id>'})",
                row=n,
                column="hasMember",
            )
            return None
        members = [str(m["reference"]) for m in has_member]
    return _Obs(n, res, subject, when, members)


def _value_records(ob: _Obs, col: _Collector, on_unknown: str) -> list[dict[str, Any]]:
    res, n = ob.res, ob.n
    records: list[dict[str, Any]] = []
    method = _text_of(res.get("method"))
    spec = res.get("specimen")
    specimen = spec.get("display") if isinstance(spec, dict) else None
    rid = res.get("id") if isinstance(res.get("id"), str) else None
    parts: list[tuple[dict[str, Any], str]] = []
    if "component" in res:
        comps = res["component"]
        if not isinstance(comps, list) or not all(isinstance(c, dict) for c in comps):
            col.error("component-invalid", "component must be a list of objects", row=n)
            return []
        parts += [(c, f"component[{k}]") for k, c in enumerate(comps)]
    value_keys = [k for k in res if k.startswith("value")]
    if value_keys or not parts:
        parts.insert(0, (res, ""))
    for part, path in parts:
        where = {"row": n, "column": f"{path}.code" if path else "code"}
        if "dataAbsentReason" in part:
            continue
        vkeys = [k for k in part if k.startswith("value")]
        if not vkeys:
            if part is res and (ob.panel_members or parts[1:]):
                continue
            col.error(
                "value-missing",
                "no valueQuantity (and no dataAbsentReason); give the measured value",
                row=n,
                column=path or None,
            )
            continue
        if "code" not in part:
            col.error("code-missing", "Observation.code is required", **where)
            continue
        codings = _codings(part["code"])
        if codings is None:
            col.error(
                "code-invalid",
                "code must be a CodeableConcept: {'coding': [{'system': ..., 'code': ...}]}",
                **where,
            )
            continue
        resolved = _resolve_code(col, codings, where, on_unknown)
        if resolved is None:
            continue
        key, loinc, spec_default = resolved
        qwhere = {"row": n, "column": f"{path}.valueQuantity" if path else "valueQuantity"}
        if vkeys != ["valueQuantity"]:
            col.error(
                "value-type",
                f"{vkeys[0]} is not supported; neuroendo reads numeric results as valueQuantity",
                **qwhere,
            )
            continue
        q = part["valueQuantity"]
        if not isinstance(q, dict):
            col.error("value-type", "valueQuantity must be an object", **qwhere)
            continue
        if "value" not in q:
            col.error("value-missing", "valueQuantity has no value", **qwhere)
            continue
        value = _check_value(col, q["value"], qwhere)
        system = q.get("system")
        if system is not None and system != UCUM_SYSTEM:
            col.error(
                "unit-system",
                f"valueQuantity.system {system!r} is not UCUM; use {UCUM_SYSTEM!r} with a UCUM "
                "code",
                **qwhere,
            )
            continue
        unit = _check_unit(col, q.get("code", q.get("unit")), key, loinc, qwhere)
        comparator = q.get("comparator", "")
        if comparator not in ("", *_COMPARATORS):
            col.error(
                "value-comparator",
                f"comparator {comparator!r} is not one of {', '.join(_COMPARATORS)}",
                **qwhere,
            )
            continue
        if value is None or unit is None:
            continue
        records.append(
            {
                "analyte": key,
                "value": value,
                "unit": unit,
                "loinc": loinc,
                "specimen": specimen if isinstance(specimen, str) else spec_default,
                "method": method,
                "comparator": comparator,
                "id": rid,
            }
        )
    return records


def _validator(validate: bool | None) -> Any:
    """Return a function resource -> error text or None, using fhir.resources (R4B models)."""
    if validate is False:
        return None
    try:
        from fhir.resources.R4B.observation import Observation
    except ImportError:
        if validate:
            raise ImportError(
                'validate=True needs fhir.resources: pip install "fhir.resources>=7"'
            ) from None
        return None

    def check(res: dict[str, Any]) -> str | None:
        try:
            Observation.model_validate(res)
        except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
            errors = getattr(exc, "errors", None)
            if callable(errors):
                first = errors()[0]
                loc = ".".join(str(x) for x in first.get("loc", ()))
                return f"{loc}: {first.get('msg', '')}".strip(": ")
            return str(exc).splitlines()[0]
        return None

    return check


def validate_resource(resource: Mapping[str, Any]) -> None:
    """Validate one Observation against the FHIR R4 schema (``fhir.resources.R4B``).

    Parameters
    ----------
    resource : mapping
        An Observation as parsed JSON.

    Raises
    ------
    DataValidationError
        If the resource is not a valid Observation; the message names the first bad element.
    ImportError
        If ``fhir.resources`` is not installed (``pip install "fhir.resources>=7"``).

    Notes
    -----
    ``fhir.resources`` 7 and later default to R5 and keep R4B models in a subpackage; R4B did
    not change Observation, so R4 Observations validate against it.

    References
    ----------
    .. [1] HL7 FHIR R4, Observation resource. https://hl7.org/fhir/R4/observation.html

    Examples
    --------
    >>> obs = {"resourceType": "Observation", "status": "final", "code": {"text": "cortisol"}}
    >>> try:  # needs the optional fhir.resources package
    ...     validate_resource(obs)
    ... except ImportError:
    ...     pass
    """
    check = _validator(True)
    msg = check(dict(resource))
    if msg is not None:
        raise DataValidationError(f"not a valid FHIR R4 Observation: {msg}")


def read_fhir(
    source: str | Path | bytes | Mapping[str, Any] | Sequence[Any],
    *,
    validate: bool | None = None,
    assume_tz: str | None = None,
    on_unknown: str = "raise",
) -> pd.DataFrame:
    """Read FHIR R4 Observations (a Bundle, an Observation or a list) into the tidy table.

    Parameters
    ----------
    source : path, str, bytes, mapping or list
        A ``.json`` file, JSON text (starting with ``{`` or ``[``), or already parsed JSON.
    validate : bool, optional
        Also validate each Observation against the FHIR R4 schema with ``fhir.resources``
        (R4B models). ``None`` (default) validates when the package is installed.
    assume_tz : str, optional
        IANA time zone for date-times without a UTC offset (FHIR requires one when a time is
        given); without it such values are an error.
    on_unknown : {"raise", "skip"}, default "raise"
        What to do with Observations whose code is not in the catalogue (see
        ``neuroendo.analytes``) nor a derived index.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`READ_COLUMNS` (see the module docstring): ``value`` as sent, in ``unit``
        (UCUM); ``datetime`` in UTC; ``time`` in minutes since the subject's first sample.

    Raises
    ------
    DataValidationError
        If the JSON is invalid or truncated, a resource is not an Observation, a value, time,
        subject or reference is missing or malformed, or a sample repeats; ``.issues`` lists
        every problem with entry number (``row``) and element (``column``).
    UnitError
        If the first problem is a unit: not UCUM, missing, or on the wrong axis for its LOINC
        code (a molar value under a mass code).
    UnknownAnalyteError
        If the first problem is a LOINC code outside the catalogue (``on_unknown="raise"``).
    ValueError
        If ``on_unknown`` or ``assume_tz`` is invalid.

    Notes
    -----
    Values are never converted on reading: convert with ``neuroendo.units.convert`` afterwards.

    References
    ----------
    .. [1] HL7 FHIR R4, Observation resource. https://hl7.org/fhir/R4/observation.html
    .. [2] LOINC 2.83 and UCUM, as summarised in ``shared/reference/clinical.md`` §7.

    Examples
    --------
    >>> obs = {"resourceType": "Observation", "status": "final",
    ...        "code": {"coding": [{"system": "http://loinc.org", "code": "14920-3"}]},
    ...        "subject": {"reference": "Patient/p1"},
    ...        "effectiveDateTime": "2024-03-05T08:00:00+01:00",
    ...        "valueQuantity": {"value": 16.5, "unit": "pmol/L",
    ...                          "system": "http://unitsofmeasure.org", "code": "pmol/L"}}
    >>> df = read_fhir(obs, validate=False)
    >>> df[["subject", "analyte", "value", "unit", "loinc"]].to_dict("records")
    [{'subject': 'p1', 'analyte': 'ft4', 'value': 16.5, 'unit': 'pmol/L', 'loinc': '14920-3'}]
    """
    check_option("on_unknown", on_unknown, ("raise", "skip"))
    _check_tz(assume_tz)
    df, col = _read_fhir_collect(
        source, validate=validate, assume_tz=assume_tz, on_unknown=on_unknown
    )
    col.raise_if_errors()
    return df


def _read_fhir_collect(
    source: Any, *, validate: bool | None, assume_tz: str | None, on_unknown: str
) -> tuple[pd.DataFrame, _Collector]:
    """Parse ``source`` and return the table (possibly partial) and every issue found."""
    if isinstance(source, Mapping | list | tuple):
        col = _Collector("<json>")
        obj: Any = source
    else:
        is_text = isinstance(source, str) and source.lstrip()[:1] in ("{", "[")
        col = _Collector("<json>" if is_text or isinstance(source, bytes) else Path(source).name)
        text = source if is_text else _read_text(source, col)
        obj = _load_json(str(text), col) if text is not None else None
        if obj is None:
            return _tidy_frame([], col.name), col
    df, _ = _parse_fhir(obj, col, validate=validate, assume_tz=assume_tz, on_unknown=on_unknown)
    _sort_issues(col)
    return df, col


def _sort_issues(col: _Collector) -> None:
    """Order issues by row (file order), keeping the order of issues found on one row."""
    col.issues = IssueList(sorted(col.issues, key=lambda i: (i.row is None, i.row or 0)))


# --------------------------------------------------------------------------- writing
def _fhir_id(text: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9\-.]", "-", text)[:64]
    return clean or "x"


def _full_url(rid: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'neuroendo/' + rid)}"


def _quantity(value: float, unit: str, comparator: str = "") -> dict[str, Any]:
    q: dict[str, Any] = {"value": value}
    if comparator:
        q["comparator"] = comparator
    q.update(unit=unit, system=UCUM_SYSTEM, code=unit)
    return q


def _code_for(key: str, unit: str, loinc: str | None) -> dict[str, Any]:
    """CodeableConcept for an analyte or index in ``unit``, choosing the LOINC code of its axis."""
    from neuroendo._core.analytes import ANALYTES, LoincProperty, check_loinc_unit
    from neuroendo._core.units import conversion_factor

    if loinc:
        analyte, entry = check_loinc_unit(loinc, unit)
        if analyte.key != key:
            raise DataValidationError(
                f"LOINC {loinc} is {analyte.key!r}, not {key!r}; fix the 'loinc' or 'analyte' cell."
            )
        return {
            "coding": [{"system": LOINC_SYSTEM, "code": entry.code, "display": entry.display}],
            "text": key,
        }
    if key in DERIVED_CODES:
        code, dunit, display = DERIVED_CODES[key]
        conversion_factor(unit, dunit)  # UnitError if the unit does not fit
        return {"coding": [{"system": LOINC_SYSTEM, "code": code, "display": display}], "text": key}
    if key in ANALYTES:
        analyte = ANALYTES[key]
        conversion_factor(unit, analyte.canonical_unit, analyte)  # UnitError if unsuitable
        kind = _unit_kind(unit)
        sibling = analyte.loinc_for(LoincProperty(kind)) if kind is not None else None
        if sibling is not None:
            return {
                "coding": [
                    {"system": LOINC_SYSTEM, "code": sibling.code, "display": sibling.display}
                ],
                "text": key,
            }
        return {"coding": [{"system": LOCAL_SYSTEM, "code": key, "display": analyte.name}]}
    return {"coding": [{"system": LOCAL_SYSTEM, "code": key}], "text": key}


def _effective(when: Any) -> str | None:
    import pandas as pd

    if when is None or (not isinstance(when, str) and pd.isna(when)):
        return None
    ts = pd.Timestamp(when)
    if ts.tzinfo is None:
        raise DataValidationError(
            f"datetime {when!s} has no time zone; FHIR needs one: localise the column first, "
            "e.g. df['datetime'].dt.tz_localize('Europe/Berlin')."
        )
    return str(ts.isoformat())


def _cell(row: Mapping[str, Any], key: str) -> Any:
    import pandas as pd

    v = row.get(key)
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v


def to_fhir(
    table: pd.DataFrame,
    *,
    start: str | pd.Timestamp | None = None,
    status: str = "final",
    validate: bool | None = None,
) -> dict[str, Any]:
    """Write a tidy table as a FHIR R4 ``collection`` Bundle of Observations.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``subject``, ``analyte``, ``value`` (numbers), ``unit`` (UCUM) and either
        ``datetime`` (tz-aware) or ``time`` (minutes) with ``start``; optional ``loinc``,
        ``specimen``, ``method``, ``comparator``, ``panel`` (rows sharing a subject and panel
        label become members of one panel Observation via ``hasMember``) and ``id``.
    start : str or Timestamp, optional
        Time of ``time == 0`` (tz-aware), used when there is no ``datetime`` column.
    status : str, default "final"
        Observation status.
    validate : bool, optional
        Validate every Observation with ``fhir.resources`` (default: when installed).

    Returns
    -------
    dict
        The Bundle as JSON-ready dict (``json.dumps`` it, or use :func:`write_fhir`).

    Raises
    ------
    DataValidationError
        If a required column is missing, a value is missing or not finite, or a time has no
        zone.
    UnitError
        If a unit is not UCUM, does not suit the analyte, or does not match a given LOINC code.
    UnknownAnalyteError
        If a LOINC code in the ``loinc`` column is not in the catalogue.

    Notes
    -----
    The LOINC code is the one whose property axis matches the unit (mass, molar or
    international units); without one (e.g. saliva cortisol in nmol/L) the local code system
    :data:`LOCAL_SYSTEM` is used. Values are written as given, never converted.

    References
    ----------
    .. [1] HL7 FHIR R4, Observation and Bundle. https://hl7.org/fhir/R4/observation.html

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"subject": ["p1"], "analyte": ["cortisol"], "value": [0.12],
    ...                    "unit": ["ug/dL"],
    ...                    "datetime": [pd.Timestamp("2024-03-05T23:02:00+01:00")]})
    >>> bundle = to_fhir(df, validate=False)
    >>> obs = bundle["entry"][0]["resource"]
    >>> obs["code"]["coding"][0]["code"], obs["valueQuantity"]["code"]
    ('2143-6', 'ug/dL')
    """
    import pandas as pd

    from neuroendo._core.units import normalize_unit

    check_option("status", status, _STATUSES)
    required = ["subject", "analyte", "value", "unit"]
    missing = [c for c in required if c not in table.columns]
    if "datetime" not in table.columns and ("time" not in table.columns or start is None):
        missing.append("datetime (or time with start=)")
    if missing:
        raise DataValidationError(
            f"to_fhir: missing column(s) {', '.join(missing)}; found "
            f"{', '.join(map(str, table.columns))}."
        )
    t0 = None
    if "datetime" not in table.columns:
        t0 = pd.Timestamp(str(start)) if isinstance(start, str) else start
    entries: list[dict[str, Any]] = []
    panels: dict[tuple[str, str], list[str]] = {}
    used: set[str] = set()
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in table.to_dict("records")
    ]
    for i, row in enumerate(records):
        where = f"to_fhir, row {i}"
        value = row["value"]
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise DataValidationError(f"{where}: value {value!r} is not a number.") from None
        if not math.isfinite(v):
            raise DataValidationError(
                f"{where}: value {value!r} is missing or not finite; drop missing values first "
                "(df.dropna(subset=['value']))."
            )
        try:
            unit = normalize_unit(row["unit"])
        except UnitError as exc:
            raise UnitError(f"{where}: {exc}") from None
        subject = str(row["subject"])
        key = str(row["analyte"]).strip().lower()
        try:
            code = _code_for(key, unit, _cell(row, "loinc"))
        except (UnitError, UnknownAnalyteError) as exc:
            raise type(exc)(f"{where}: {exc}") from None
        if t0 is not None:
            when: Any = t0 + pd.Timedelta(minutes=float(row["time"]))
        else:
            when = _cell(row, "datetime")
        rid = _cell(row, "id")
        rid = _fhir_id(str(rid)) if rid is not None else _fhir_id(f"{subject}-{key}-{i}")
        if rid in used:
            raise DataValidationError(f"{where}: id {rid!r} is used twice; ids must be unique.")
        used.add(rid)
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": rid,
            "status": status,
            "category": [_CATEGORY],
            "code": code,
            "subject": {"reference": f"Patient/{subject}"},
        }
        eff = _effective(when)
        if eff is not None:
            obs["effectiveDateTime"] = eff
        comparator = _cell(row, "comparator") or ""
        check_option("comparator", comparator, ("", *_COMPARATORS))
        obs["valueQuantity"] = _quantity(value if isinstance(value, int) else v, unit, comparator)
        if _cell(row, "specimen") is not None:
            obs["specimen"] = {"display": str(row["specimen"])}
        if _cell(row, "method") is not None:
            obs["method"] = {"text": str(row["method"])}
        entries.append({"fullUrl": _full_url(rid), "resource": obs})
        panel = _cell(row, "panel")
        if panel is not None:
            panels.setdefault((subject, str(panel)), []).append(rid)
    for (subject, label), members in panels.items():
        pid = _fhir_id(f"panel-{subject}-{label}")
        panel_obs = {
            "resourceType": "Observation",
            "id": pid,
            "status": status,
            "category": [_CATEGORY],
            "code": {"text": label},
            "subject": {"reference": f"Patient/{subject}"},
            "hasMember": [{"reference": _full_url(m)} for m in members],
        }
        entries.append({"fullUrl": _full_url(pid), "resource": panel_obs})
    _validate_all(entries, validate)
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _validate_all(entries: Iterable[dict[str, Any]], validate: bool | None) -> None:
    check = _validator(validate)
    if check is None:
        return
    for e in entries:
        msg = check(e["resource"])
        if msg is not None:  # a bug in the writer rather than in the user's data
            raise DataValidationError(
                f"Observation {e['resource'].get('id')!r} is not valid FHIR R4: {msg}"
            )


def write_fhir(
    table: pd.DataFrame, path: str | Path, *, start: str | pd.Timestamp | None = None
) -> Path:
    """Write a tidy table to a FHIR R4 Bundle JSON file (see :func:`to_fhir`).

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy table (see :func:`to_fhir`).
    path : str or Path
        Output ``.json`` file.
    start : str or Timestamp, optional
        Time of ``time == 0`` when the table has no ``datetime`` column.

    Returns
    -------
    Path
        The file written (UTF-8 JSON).

    Raises
    ------
    DataValidationError, UnitError
        As :func:`to_fhir`.

    References
    ----------
    .. [1] HL7 FHIR R4, Bundle. https://hl7.org/fhir/R4/bundle.html

    Examples
    --------
    >>> import pandas as pd, pathlib, tempfile
    >>> df = pd.DataFrame({"subject": ["p1"], "analyte": ["tsh"], "value": [1.2],
    ...                    "unit": ["mIU/L"], "time": [0.0]})
    >>> p = write_fhir(df, pathlib.Path(tempfile.mkdtemp()) / "b.json", start="2024-01-01T08:00Z")
    >>> read_fhir(p, validate=False)["unit"].tolist()
    ['m[IU]/L']
    """
    p = Path(path)
    bundle = to_fhir(table, start=start)
    p.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return p


def derived_observation(
    name: str,
    value: float,
    unit: str,
    *,
    subject: str,
    method: str,
    derived_from: Sequence[str] = (),
    effective: str | pd.Timestamp | None = None,
    id: str | None = None,
) -> dict[str, Any]:
    """Build an Observation for a computed result (an index, an AUC, a balance component).

    Parameters
    ----------
    name : str
        Index name as in ``neuroendo.measures.CATALOGUE`` (``spina_gt``, ``cortisol_auc_g``,
        ``free_testosterone`` ...).
    value : float
        The result, in ``unit``.
    unit : str
        UCUM unit (``pmol/s`` for SPINA-GT, ``nmol.min/L`` for an AUC, ``1`` for a ratio).
    subject : str
        Patient id (written as ``Patient/<subject>``).
    method : str
        The formula and version, e.g. ``"SPINA-GT, Dietrich 2016 (neuroendo 0.1)"``.
    derived_from : sequence of str
        References of the input Observations (``Observation/<id>`` or ``urn:uuid:...``).
    effective : str or Timestamp, optional
        Time the result refers to (tz-aware).
    id : str, optional
        Resource id.

    Returns
    -------
    dict
        The Observation (``code``: LOINC 82368-2/82367-4 for SPINA-GT/GD, the analyte's LOINC
        code for catalogue analytes such as calculated free testosterone, else
        :data:`LOCAL_SYSTEM`).

    Raises
    ------
    UnitError
        If the unit is not UCUM or does not suit the index.
    DataValidationError
        If the value is not finite.

    References
    ----------
    .. [1] HL7 FHIR R4, Observation.derivedFrom and Observation.method.
       https://hl7.org/fhir/R4/observation.html
    .. [2] Dietrich JW et al. Front Endocrinol. 2016;7:57 (SPINA-GT, SPINA-GD; LOINC
       82368-2, 82367-4).

    Examples
    --------
    >>> o = derived_observation("spina_gt", 4.70, "pmol/s", subject="p1",
    ...                         method="SPINA-GT (Dietrich 2016)",
    ...                         derived_from=["Observation/tsh-1", "Observation/ft4-1"])
    >>> o["code"]["coding"][0]["code"], o["derivedFrom"][1]["reference"]
    ('82368-2', 'Observation/ft4-1')
    """
    from neuroendo._core.units import normalize_unit

    v = float(value)
    if not math.isfinite(v):
        raise DataValidationError(
            f"derived_observation({name!r}): value {value!r} is not finite; do not export it."
        )
    u = normalize_unit(unit)
    key = name.strip().lower()
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [_CATEGORY],
        "code": _code_for(key, u, None),
        "subject": {"reference": f"Patient/{subject}"},
    }
    if id is not None:
        obs = {"resourceType": "Observation", "id": _fhir_id(id), **obs}
    eff = _effective(effective)
    if eff is not None:
        obs["effectiveDateTime"] = eff
    obs["valueQuantity"] = _quantity(v, u)
    obs["method"] = {"text": method}
    if derived_from:
        obs["derivedFrom"] = [{"reference": r} for r in derived_from]
    return obs


def results_to_fhir(
    results: pd.DataFrame,
    *,
    method: str | Mapping[str, str],
    derived_from: Mapping[str, Sequence[str]] | None = None,
    effective: str | pd.Timestamp | None = None,
    validate: bool | None = None,
) -> dict[str, Any]:
    """Write a results table (one row per subject, one column per index) as a FHIR Bundle.

    Parameters
    ----------
    results : pandas.DataFrame
        Index (or a ``subject`` column) = subject; numeric columns = indices, each with its UCUM
        unit in ``results.attrs["units"]`` (as ``neuroendo measure`` writes them). NaN results
        are skipped.
    method : str or mapping
        Method text for every column, or per column.
    derived_from : mapping, optional
        Subject -> references of the input Observations.
    effective : str or Timestamp, optional
        Time the results refer to.
    validate : bool, optional
        Validate with ``fhir.resources`` (default: when installed).

    Returns
    -------
    dict
        A ``collection`` Bundle, one Observation per (subject, index).

    Raises
    ------
    UnitError
        If a column has no unit in ``attrs["units"]`` or a unit is invalid.
    DataValidationError
        If ``method`` gives no text for a column.

    References
    ----------
    .. [1] HL7 FHIR R4, Observation.derivedFrom. https://hl7.org/fhir/R4/observation.html

    Examples
    --------
    >>> import pandas as pd
    >>> res = pd.DataFrame({"spina_gt": [4.70], "cortisol_auc_g": [780.0]},
    ...                    index=pd.Index(["p1"], name="subject"))
    >>> res.attrs["units"] = {"spina_gt": "pmol/s", "cortisol_auc_g": "nmol.min/L"}
    >>> b = results_to_fhir(res, method="neuroendo 0.1", validate=False)
    >>> [e["resource"]["valueQuantity"]["code"] for e in b["entry"]]
    ['pmol/s', 'nmol.min/L']
    """
    import pandas as pd

    df = results.reset_index() if "subject" not in results.columns else results
    if "subject" not in df.columns:
        raise DataValidationError("results_to_fhir: no 'subject' index or column.")
    units = dict(results.attrs.get("units", {}))
    cols = [c for c in df.columns if c != "subject" and pd.api.types.is_numeric_dtype(df[c])]
    entries = []
    for c in cols:
        if c not in units:
            raise UnitError(
                f"results_to_fhir: column {c!r} has no unit; set results.attrs['units'][{c!r}]."
            )
        text = method if isinstance(method, str) else method.get(c)
        if not text:
            raise DataValidationError(f"results_to_fhir: no method text for column {c!r}.")
        for subject, value in zip(df["subject"], df[c], strict=True):
            if pd.isna(value):
                continue
            rid = _fhir_id(f"{subject}-{c}")
            obs = derived_observation(
                str(c),
                float(value),
                units[c],
                subject=str(subject),
                method=text,
                derived_from=(derived_from or {}).get(str(subject), ()),
                effective=effective,
                id=rid,
            )
            entries.append({"fullUrl": _full_url(rid), "resource": obs})
    _validate_all(entries, validate)
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
