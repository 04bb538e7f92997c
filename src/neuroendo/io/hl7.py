r"""HL7 v2 ORU^R01 lab results in: OBX segments with LOINC codes and units (as SPINA Thyr sends).

The parser is neuroendo's own (no third-party HL7 package): a file holds one or more messages,
each starting with an ``MSH`` segment; segments are separated by ``\r``, ``\n`` or ``\r\n``.
``MSH-1`` gives the field separator and ``MSH-2`` the encoding characters (component ``^``,
repetition ``~``, escape ``\``, subcomponent ``&``); escape sequences ``\F\ \S\ \T\ \R\ \E\``,
``\Xhh..\`` and ``\.br\`` are decoded.

:func:`read_hl7` maps the segments to neuroendo's tidy long table (columns
:data:`neuroendo.io.fhir.READ_COLUMNS`):

* ``subject`` from ``PID-3`` (first identifier, first component);
* ``analyte`` and ``loinc`` from ``OBX-3`` (``code^text^system``; a code that looks like a LOINC
  number is read as LOINC when the system is empty, as SPINA Thyr sends ``3016-3^TSH``); SPINA's
  local result codes ``SPINA-GT``, ``SPINA-GD``, ``TSHI``, ``sTSHI``, ``TTSI`` map to the indices
  ``spina_gt``, ``spina_gd``, ``jostel_tsh_index``, ``stshi``, ``ttsi``;
* ``value`` from ``OBX-5`` (value type ``NM``, or ``SN`` with an optional comparator; SPINA's
  ``Nan`` and empty values are missing and give no row);
* ``unit`` from ``OBX-6`` (first component, normalised to UCUM: ``mIU/L`` -> ``m[IU]/L``,
  ``mcg/L`` -> ``ug/L``), checked against the LOINC code's axis;
* ``datetime`` from ``OBX-14``, else ``OBR-7``, else ``SPM-17``; timestamps without an offset are
  read in the offset of ``MSH-7`` if it has one, else in ``assume_tz`` (default UTC); ``time`` is
  minutes since the subject's first sample;
* ``method`` from ``OBX-17``; ``id`` is ``<MSH-10 or message number>-<OBX-1>``.

Results with status (``OBX-11``) ``X`` (cannot be obtained), ``D`` (deleted) or ``W`` (wrong) are
skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuroendo._core.validation import check_option
from neuroendo.io.fhir import (
    DERIVED_CODES,
    LOCAL_SYSTEM,
    LOINC_SYSTEM,
    _check_unit,
    _check_value,
    _Collector,
    _duplicate_issues,
    _read_text,
    _resolve_code,
    _sort_issues,
    _tidy_frame,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SPINA_CODES", "Encoding", "Segment", "parse_hl7", "read_hl7"]

#: SPINA Thyr's local OBX-3 codes for its results -> neuroendo index names.
SPINA_CODES: dict[str, str] = {
    "SPINA-GT": "spina_gt",
    "SPINA-GD": "spina_gd",
    "TSHI": "jostel_tsh_index",
    "STSHI": "stshi",
    "TTSI": "ttsi",
    "SPINA-GTT": "spina_gtt",
    "SPINA-GDTT": "spina_gdtt",
}
_LOINC_LIKE = re.compile(r"^\d{1,7}-\d$")
_SEGMENT_NAME = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_DTM = re.compile(
    r"^(?P<y>\d{4})(?P<mo>\d{2})?(?P<d>\d{2})?(?P<h>\d{2})?(?P<mi>\d{2})?(?P<s>\d{2})?"
    r"(?P<frac>\.\d{1,4})?(?P<tz>[+-]\d{4})?$"
)
_SKIP_STATUS = ("X", "D", "W")
_MISSING = ("", "nan", "na", "n/a", '""')


@dataclass(frozen=True, slots=True)
class Encoding:
    r"""HL7 v2 delimiters, from ``MSH-1`` and ``MSH-2``.

    Parameters
    ----------
    field, component, repetition, escape, subcomponent : str
        One character each (defaults ``| ^ ~ \ &``).
    """

    field: str = "|"
    component: str = "^"
    repetition: str = "~"
    escape: str = "\\"
    subcomponent: str = "&"

    def unescape(self, text: str) -> str:
        r"""Decode escape sequences (``\F\``, ``\S\``, ``\T\``, ``\R\``, ``\E\``, ``\X..\``).

        Parameters
        ----------
        text : str
            A component's raw text.

        Returns
        -------
        str
            The decoded text; formatting sequences (``\H\``, ``\N\`` ...) are dropped and
            ``\.br\`` becomes a newline.

        Raises
        ------
        ValueError
            If an escape sequence is not closed or a hex sequence is malformed.
        """
        e = self.escape
        if not e or e not in text:
            return text
        out = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch != e:
                out.append(ch)
                i += 1
                continue
            j = text.find(e, i + 1)
            if j < 0:
                raise ValueError(f"unterminated escape sequence in {text!r}")
            seq = text[i + 1 : j]
            mapping = {
                "F": self.field,
                "S": self.component,
                "T": self.subcomponent,
                "R": self.repetition,
                "E": self.escape,
                ".br": "\n",
            }
            if seq in mapping:
                out.append(mapping[seq])
            elif seq.startswith("X"):
                hexpart = seq[1:]
                if len(hexpart) % 2 or not re.fullmatch(r"[0-9A-Fa-f]*", hexpart):
                    raise ValueError(f"malformed hex escape \\{seq}\\ in {text!r}")
                out.append(bytes.fromhex(hexpart).decode("latin-1"))
            # \H\, \N\, \Z..\ and other formatting sequences carry no data: drop them
            i = j + 1
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Segment:
    """One HL7 v2 segment with its raw fields.

    Parameters
    ----------
    name : str
        Segment id (``MSH``, ``PID``, ``OBX`` ...).
    fields : tuple of str
        Raw fields; ``fields[0]`` is the name, so ``fields[i]`` is field *i* (for ``MSH``,
        ``fields[1]`` is the field separator itself, as the standard counts).
    line : int
        1-based line number in the file.
    encoding : Encoding
        The message's delimiters.
    """

    name: str
    fields: tuple[str, ...]
    line: int
    encoding: Encoding

    def get(self, index: int, component: int = 1, repetition: int = 1) -> str:
        """Return one component of one repetition of field ``index``, unescaped ("" if absent).

        Parameters
        ----------
        index : int
            HL7 field number (``OBX-5`` is 5).
        component : int, default 1
            1-based component number.
        repetition : int, default 1
            1-based repetition number.

        Returns
        -------
        str
            The decoded text.
        """
        if index >= len(self.fields):
            return ""
        reps = self.fields[index].split(self.encoding.repetition)
        if repetition > len(reps):
            return ""
        comps = reps[repetition - 1].split(self.encoding.component)
        if component > len(comps):
            return ""
        return self.encoding.unescape(comps[component - 1])


def _split_messages(text: str, col: _Collector) -> list[list[Segment]]:
    """Split text into messages of segments, recording malformed lines."""
    messages: list[list[Segment]] = []
    enc: Encoding | None = None
    for n, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if not line.strip():
            continue
        line = line.lstrip("\ufeff\x0b").rstrip("\x1c")  # MLLP framing characters
        if line.startswith(("FHS", "BHS", "BTS", "FTS")):
            continue  # batch envelopes carry no results
        if line.startswith("MSH"):
            enc = _encoding(line, n, col)
            if enc is None:
                return messages
            fields = ("MSH", enc.field, *line[4:].split(enc.field))
            messages.append([Segment("MSH", tuple(fields), n, enc)])
            continue
        if enc is None:
            col.error(
                "hl7-no-msh",
                f"line {n} comes before any MSH segment; an HL7 v2 message starts with "
                "'MSH|^~\\&|...'",
                row=n,
            )
            return messages
        name = line[:3]
        if not _SEGMENT_NAME.match(name) or (len(line) > 3 and line[3] != enc.field):
            col.error(
                "hl7-segment",
                f"malformed segment {line[:20]!r}: a segment starts with a 3-character id "
                f"followed by {enc.field!r}",
                row=n,
            )
            continue
        messages[-1].append(Segment(name, tuple(line.split(enc.field)), n, enc))
    if not messages and not col.issues.has_errors:
        col.error("hl7-no-msh", "no MSH segment found; this is not an HL7 v2 message", row=1)
    return messages


def _encoding(line: str, n: int, col: _Collector) -> Encoding | None:
    if len(line) < 8:
        col.error(
            "hl7-msh-encoding",
            f"MSH segment too short ({line!r}); it must start with 'MSH|^~\\&'",
            row=n,
            column="MSH-2",
        )
        return None
    sep = line[3]
    chars = line[4:].split(sep)[0] if sep else ""
    delims = [sep, *chars[:4]]
    if (
        len(chars) < 4
        or len(set(delims)) != len(delims)
        or any(c.isalnum() or c.isspace() for c in delims)
    ):
        col.error(
            "hl7-msh-encoding",
            f"MSH encoding characters {line[3:9]!r} are invalid; expect a field separator and "
            "four distinct non-alphanumeric characters, e.g. 'MSH|^~\\&'",
            row=n,
            column="MSH-2",
        )
        return None
    return Encoding(sep, chars[0], chars[1], chars[2], chars[3])


def parse_hl7(text: str) -> list[list[Segment]]:
    r"""Split HL7 v2 text into messages and segments (no interpretation of the content).

    Parameters
    ----------
    text : str
        One or more messages; segments separated by ``\r``, ``\n`` or ``\r\n``.

    Returns
    -------
    list of list of Segment
        One list of segments per message (each starting with ``MSH``).

    Raises
    ------
    DataValidationError
        If there is no ``MSH`` segment, its encoding characters are invalid, or a line is not a
        segment; ``.issues`` lists every such line.

    References
    ----------
    .. [1] HL7 Version 2.5.1, chapter 2 (control: message construction rules).

    Examples
    --------
    >>> msgs = parse_hl7("MSH|^~\\&|SPINA Thyr||||20240101||ORU^R01|1|P|2.5\rPID|1||p1")
    >>> msgs[0][1].get(3), msgs[0][0].get(9, 2)
    ('p1', 'R01')
    """
    col = _Collector("<hl7>")
    messages = _split_messages(text, col)
    col.raise_if_errors()
    return messages


def _parse_dtm(text: str, default_tz: str) -> pd.Timestamp:
    """Parse an HL7 DTM (YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ]); raises ValueError."""
    import pandas as pd

    m = _DTM.match(text)
    if not m:
        raise ValueError(f"{text!r} is not an HL7 timestamp (YYYYMMDDHHMMSS[+ZZZZ])")
    g = m.groupdict()
    iso = f"{g['y']}-{g['mo'] or '01'}-{g['d'] or '01'}T{g['h'] or '00'}:{g['mi'] or '00'}:"
    iso += f"{g['s'] or '00'}{g['frac'] or ''}"
    ts = pd.Timestamp(iso)
    tz = g["tz"]
    if tz:
        ts = ts.tz_localize(f"{tz[:3]}:{tz[3:]}" if tz not in ("+0000", "-0000") else "UTC")
    else:
        ts = ts.tz_localize(default_tz)
    return ts.tz_convert("UTC")


def _message_tz(msh: Segment, assume_tz: str) -> str:
    m = _DTM.match(msh.get(7))
    if m and m.group("tz"):
        tz = m.group("tz")
        return "UTC" if tz in ("+0000", "-0000") else f"{tz[:3]}:{tz[3:]}"
    return assume_tz


def _obx_code(seg: Segment) -> list[tuple[str, str]]:
    """(system, code) candidates of OBX-3, first and alternate triplets."""
    out = []
    for first in (1, 4):
        code = seg.get(3, first).strip()
        if not code:
            continue
        system = seg.get(3, first + 2).strip().upper()
        if system in ("LN", "LOINC") or (not system and _LOINC_LIKE.match(code)):
            out.append((LOINC_SYSTEM, code))
        elif code.upper() in SPINA_CODES:
            name = SPINA_CODES[code.upper()]
            if name in DERIVED_CODES:  # SPINA-GT/GD have LOINC codes of their own
                out.append((LOINC_SYSTEM, DERIVED_CODES[name][0]))
            else:
                out.append((LOCAL_SYSTEM, name))
        else:
            out.append((system, code))
    return out


def _parse_value(
    seg: Segment, col: _Collector, where: dict[str, Any]
) -> tuple[float | None, str, bool]:
    """(value, comparator, missing) of OBX-5 by the value type in OBX-2."""
    vtype = seg.get(2).strip().upper()
    raw = seg.fields[5] if len(seg.fields) > 5 else ""
    comparator = ""
    if vtype == "SN":
        comparator = seg.get(5, 1).strip()
        text = seg.get(5, 2).strip()
        if comparator == "=":
            comparator = ""
        if comparator not in ("", "<", "<=", ">", ">="):
            col.error(
                "value-comparator",
                f"OBX-5 comparator {comparator!r} is not one of <, <=, >, >=",
                **where,
            )
            return None, "", False
        if seg.get(5, 3).strip():
            col.error(
                "hl7-value-type",
                f"OBX-5 {raw!r} is a range or ratio; neuroendo reads single numbers",
                **where,
            )
            return None, "", False
    elif vtype in ("NM", ""):
        text = seg.get(5).strip()
    else:
        col.error(
            "hl7-value-type",
            f"OBX-2 value type {vtype!r} is not numeric; send results as NM (or SN)",
            row=where["row"],
            column="OBX-2",
        )
        return None, "", False
    if text.lower() in _MISSING:
        return None, "", True
    try:
        number = float(text)
    except ValueError:
        col.error(
            "value-not-number",
            f"OBX-5 {text!r} is not a number; send a number or leave it empty",
            **where,
        )
        return None, "", False
    return _check_value(col, number, where), comparator, False


def _parse_hl7(
    text: str, col: _Collector, *, assume_tz: str, on_unknown: str
) -> tuple[pd.DataFrame, list[int | None]]:
    messages = _split_messages(text, col)
    records: list[dict[str, Any]] = []
    rows: list[int | None] = []
    for m_index, msg in enumerate(messages, start=1):
        msh = msg[0]
        tz = _message_tz(msh, assume_tz)
        control = msh.get(10).strip() or str(m_index)
        subject: str | None = None
        fallback_time: Any = None
        pending: list[tuple[dict[str, Any], int, bool]] = []  # records awaiting a time
        try:
            fallback_time = _parse_dtm(msh.get(7), tz) if msh.get(7).strip() else None
        except ValueError:
            fallback_time = None  # MSH-7 is when the message was sent; only a last resort
        group_time: Any = None
        for seg in msg[1:]:
            try:
                _check_escapes(seg)
            except ValueError as exc:
                col.error("hl7-escape", f"{seg.name}: {exc}", row=seg.line)
                continue
            if seg.name == "PID":
                _flush(pending, group_time, fallback_time, records, rows)
                group_time = None
                subject = seg.get(3).strip() or seg.get(2).strip() or None
                if subject is None:
                    col.error(
                        "subject-missing",
                        "PID-3 (patient identifier) is empty; give the patient id",
                        row=seg.line,
                        column="PID-3",
                    )
            elif seg.name in ("OBR", "SPM"):
                field = 7 if seg.name == "OBR" else 17
                stamp = seg.get(field).strip()
                if stamp:
                    try:
                        group_time = group_time or _parse_dtm(stamp, tz)
                    except ValueError as exc:
                        col.error(
                            "time-invalid", str(exc), row=seg.line, column=f"{seg.name}-{field}"
                        )
            elif seg.name == "OBX":
                rec = _obx_record(seg, col, tz, on_unknown)
                if rec is None:
                    continue
                if subject is None:
                    col.error(
                        "subject-missing",
                        "OBX before any PID segment with a patient id; add a PID segment",
                        row=seg.line,
                    )
                    continue
                rec.update(subject=subject, id=f"{control}-{seg.get(1).strip() or seg.line}")
                pending.append((rec, seg.line, rec["datetime"] is not None))
        _flush(pending, group_time, fallback_time, records, rows)
    df = _tidy_frame(records, col.name)
    _duplicate_issues(col, df, rows)
    if not records and not col.issues.has_errors:
        col.error("no-observations", "no OBX segment with a numeric result was found")
    return df, rows


def _flush(
    pending: list[tuple[dict[str, Any], int, bool]],
    group_time: Any,
    fallback_time: Any,
    records: list[dict[str, Any]],
    rows: list[int | None],
) -> None:
    for rec, line, has_time in pending:
        if not has_time:
            rec["datetime"] = group_time if group_time is not None else fallback_time
        records.append(rec)
        rows.append(line)
    pending.clear()


def _check_escapes(seg: Segment) -> None:
    if seg.name == "MSH":
        return
    for f in seg.fields[1:]:
        for rep in f.split(seg.encoding.repetition):
            for comp in rep.split(seg.encoding.component):
                seg.encoding.unescape(comp)


def _obx_record(seg: Segment, col: _Collector, tz: str, on_unknown: str) -> dict[str, Any] | None:
    where: dict[str, Any] = {"row": seg.line, "column": "OBX-3"}
    if len(seg.fields) < 6:
        col.error(
            "hl7-obx-fields",
            f"OBX segment has {len(seg.fields) - 1} fields; it needs at least OBX-2 (value "
            "type), OBX-3 (code) and OBX-5 (value)",
            row=seg.line,
        )
        return None
    status = seg.get(11).strip().upper()
    if status in _SKIP_STATUS:
        return None
    codings = _obx_code(seg)
    resolved = _resolve_code(col, codings, where, on_unknown)
    if resolved is None:
        return None
    key, loinc, specimen = resolved
    vwhere: dict[str, Any] = {"row": seg.line, "column": "OBX-5"}
    value, comparator, missing = _parse_value(seg, col, vwhere)
    if missing:
        col.add(
            _info(),
            "value-missing",
            f"{key!r} has no value ({seg.get(5)!r}); the result is skipped",
            row=seg.line,
            column="OBX-5",
        )
        return None
    unit_text = seg.get(6).strip()
    if not unit_text and key in SPINA_CODES.values() and key not in ("spina_gt", "spina_gd"):
        unit_text = "1"  # SPINA sends dimensionless indices without a unit
    unit = _check_unit(col, unit_text, key, loinc, {"row": seg.line, "column": "OBX-6"})
    when = None
    stamp = seg.get(14).strip()
    if stamp:
        try:
            when = _parse_dtm(stamp, tz)
        except ValueError as exc:
            col.error("time-invalid", str(exc), row=seg.line, column="OBX-14")
            return None
    if value is None or unit is None:
        return None
    return {
        "analyte": key,
        "value": value,
        "unit": unit,
        "loinc": loinc,
        "datetime": when,
        "specimen": specimen,
        "method": seg.get(17).strip() or None,
        "comparator": comparator,
        "panel": None,
    }


def _info() -> Any:
    from neuroendo._core.validation import Severity

    return Severity.INFO


def read_hl7(
    source: str | Path | bytes,
    *,
    assume_tz: str = "UTC",
    on_unknown: str = "raise",
) -> pd.DataFrame:
    r"""Read HL7 v2 ORU^R01 results (OBX segments) into the tidy table.

    Parameters
    ----------
    source : path, str or bytes
        An ``.hl7`` file, or the message text itself (a string starting with ``MSH`` or
        holding a line break or ``|``).
    assume_tz : str, default "UTC"
        IANA zone for timestamps without an offset when ``MSH-7`` has none either (HL7 v2
        timestamps are the sender's local time; SPINA Thyr writes no offset).
    on_unknown : {"raise", "skip"}, default "raise"
        What to do with OBX codes that are neither catalogue LOINC codes nor SPINA result codes.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`neuroendo.io.fhir.READ_COLUMNS`: values as sent, units in UCUM,
        ``datetime`` in UTC, ``time`` in minutes since the subject's first sample.

    Raises
    ------
    DataValidationError
        If there is no MSH segment, a segment or escape sequence is malformed, an OBX lacks
        fields, a value is not a number or a sample repeats; ``.issues`` lists every problem
        with its line (``row``) and field (``column``, e.g. ``"OBX-5"``).
    UnitError
        If the first problem is a unit (missing, not UCUM, or off the LOINC code's axis).
    UnknownAnalyteError
        If the first problem is an unknown LOINC code.
    ValueError
        If ``on_unknown`` or ``assume_tz`` is invalid.

    Notes
    -----
    SPINA Thyr's exports have been seen to send total T4 in nmol/L under the free-T4 molar code
    14920-3; such a message then has two FT4 results at one time and is rejected as a duplicate
    sample rather than read silently.

    References
    ----------
    .. [1] HL7 Version 2.5.1, chapters 2 and 7 (ORU^R01, OBX).
    .. [2] Dietrich JW. SPINA Thyr, HL7 import/export (``jwdietrich21/spina``, samples
       ``Sample_LOINC_*.hl7``).

    Examples
    --------
    >>> msg = "\r".join([
    ...     "MSH|^~\\&|SPINA Thyr||||20240101120000||ORU^R01|42|P|2.5",
    ...     "PID|1||p1",
    ...     "OBX|1|NM|3016-3^TSH|TSH|1.00|mIU/L|0.35 - 3.5||||F|||20240101080000",
    ...     "OBX|2|NM|3024-7^FT4|FT4|1.30|ng/dL|0.6 - 1.4||||F|||20240101080000",
    ... ])
    >>> df = read_hl7(msg)
    >>> df[["analyte", "value", "unit", "loinc"]].to_dict("records")[0]
    {'analyte': 'tsh', 'value': 1.0, 'unit': 'm[IU]/L', 'loinc': '3016-3'}
    """
    from neuroendo.io.fhir import _check_tz

    check_option("on_unknown", on_unknown, ("raise", "skip"))
    _check_tz(assume_tz)
    df, col = _read_hl7_collect(source, assume_tz=assume_tz, on_unknown=on_unknown)
    col.raise_if_errors()
    return df


def _read_hl7_collect(
    source: str | Path | bytes, *, assume_tz: str, on_unknown: str
) -> tuple[pd.DataFrame, _Collector]:
    is_text = isinstance(source, str) and (
        source.lstrip("\ufeff\x0b \t\r\n").startswith("MSH") or any(c in source for c in "\r\n|")
    )
    name = "<hl7>" if is_text or isinstance(source, bytes) else Path(source).name
    col = _Collector(name)
    text = source if is_text else _read_text(source, col)
    if text is None:
        return _tidy_frame([], name), col
    df, _ = _parse_hl7(str(text), col, assume_tz=assume_tz, on_unknown=on_unknown)
    _sort_issues(col)
    return df, col
