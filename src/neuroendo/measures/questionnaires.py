r"""Scoring of stress-research questionnaires: PSS, STAI, PSQI, PHQ-9, GAD-7, and your own.

Only scoring rules are shipped, never item texts (most of these instruments are copyrighted).
Every rule names its source; rules taken from memory of a manual rather than checked against it
are marked [recall].

Input
-----
``answers`` is a :class:`pandas.DataFrame` with one row per subject and item columns named
``<prefix>_<item>`` (``pss_1`` ... ``pss_10``; case, zero padding and the separator are free:
``PSS01``, ``pss-1``), or a 2-D array ``(n_subjects, n_items)`` with the items in form order
(a 1-D array is one subject). ``columns=`` lists the item columns in form order when they are
named otherwise. Answers are the numbers of the response scale (for example 0-4 for the PSS);
NaN marks a missing answer.

Checks and missing items
------------------------
* An answer outside the scale, or not a whole number, raises
  :class:`~neuroendo._core.errors.DataValidationError` naming the item column, the row and the
  value (a 1-5 export of a 0-4 scale is the usual cause).
* Missing items follow the instrument's manual where it gives a rule: a subject with more
  missing items than ``max_missing`` gets NaN; with fewer, the score is prorated (mean of the
  answered items times the number of items). Where the manual gives no rule, ``max_missing``
  defaults to 0 (no imputation); pass a number to prorate deliberately.

Results are a DataFrame with the input's index: the total (column named as the instrument,
e.g. ``pss10``), subscales (``<name>_<subscale>``), severity bands where the instrument has
them (``<name>_severity``), and ``<name>_n_missing``.

Your own instrument
-------------------
Describe it as data and pass it to :func:`score`::

    my = Instrument("wellbeing5", items=range(1, 6), low=0, high=5, reversed=(2,),
                    subscales={"a": (1, 2), "b": (3, 4, 5)}, source="Author 2020")
    score(df, my)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.errors import DataValidationError
from neuroendo._core.validation import as_float_array, check_option

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "INSTRUMENTS",
    "PSQI_COMPONENTS",
    "Instrument",
    "gad7",
    "phq9",
    "psqi",
    "pss10",
    "pss14",
    "score",
    "stai",
    "stai6",
]


@dataclass(frozen=True)
class Instrument:
    """A questionnaire's scoring rules, as data.

    Parameters
    ----------
    name : str
        Short name, also the name of the total-score column (``"pss10"``).
    items : iterable of int
        Item numbers as printed on the form, in form order (``range(1, 11)``; STAI trait uses
        21-40).
    low, high : int
        Lowest and highest answer of the response scale.
    reversed : iterable of int, optional
        Items scored in reverse (``low + high - answer``).
    subscales : mapping of str to iterable of int, optional
        Subscale name -> its item numbers; each is summed like the total.
    max_missing : int, default 0
        Most missing items for which the score is prorated; more gives NaN. Applied to the total
        and, counted within each subscale, to the subscales.
    rounding : {"none", "ceil"}, default "none"
        Rounding of a prorated score ("ceil": up to the next whole number, STAI manual).
    scale : float, default 1.0
        Factor applied to the (prorated) sum, e.g. 20/6 for the STAI-6.
    prefixes : iterable of str, optional
        Column prefixes searched for the items (default: ``name``).
    bands : iterable of (float, str), optional
        Severity bands as (lower bound, label), ascending; the first bound is the scale minimum.
    source : str
        Citation of the scoring rules.
    missing_source : str
        Where the missing-item rule comes from.

    Examples
    --------
    >>> inst = Instrument("demo3", items=(1, 2, 3), low=1, high=5, reversed=(3,))
    >>> score([[1, 2, 5]], inst)["demo3"].tolist()
    [4.0]
    """

    name: str
    items: Sequence[int]
    low: int
    high: int
    reversed: Sequence[int] = ()
    subscales: Mapping[str, Sequence[int]] = field(default_factory=dict)
    max_missing: int = 0
    rounding: str = "none"
    scale: float = 1.0
    prefixes: Sequence[str] = ()
    bands: Sequence[tuple[float, str]] = ()
    source: str = ""
    missing_source: str = ""

    def __post_init__(self) -> None:
        """Normalise containers and check the declaration."""
        set_ = object.__setattr__
        set_(self, "items", tuple(int(i) for i in self.items))
        set_(self, "reversed", tuple(int(i) for i in self.reversed))
        subs = {str(k): tuple(int(i) for i in v) for k, v in dict(self.subscales).items()}
        set_(self, "subscales", MappingProxyType(subs))
        set_(self, "prefixes", tuple(self.prefixes) or (self.name,))
        set_(self, "bands", tuple((float(b), str(lab)) for b, lab in self.bands))
        where = f"Instrument {self.name!r}"
        if not self.items or len(set(self.items)) != len(self.items):
            raise DataValidationError(f"{where}: 'items' must be distinct item numbers.")
        if not self.high > self.low:
            raise DataValidationError(
                f"{where}: 'high' ({self.high}) must exceed 'low' ({self.low})."
            )
        for what, nums in (("reversed", self.reversed), *subs.items()):
            bad = sorted(set(nums) - set(self.items))
            if bad:
                raise DataValidationError(
                    f"{where}: {what!r} names item(s) {bad} that are not in 'items'."
                )
        if not 0 <= self.max_missing < len(self.items):
            raise DataValidationError(
                f"{where}: 'max_missing' must lie in [0, {len(self.items) - 1}], "
                f"got {self.max_missing}."
            )
        check_option("rounding", self.rounding, ("none", "ceil"))

    @property
    def n_items(self) -> int:
        """Number of items."""
        return len(self.items)


_PSS10_SRC = (
    "Cohen S, Williamson G. Perceived stress in a probability sample of the United States. In: "
    "Spacapan S, Oskamp S, eds. The Social Psychology of Health. Sage; 1988:31-67"
)
_PSS14_SRC = (
    "Cohen S, Kamarck T, Mermelstein R. A global measure of perceived stress. J Health Soc "
    "Behav. 1983;24(4):385-396. doi:10.2307/2136404"
)
_STAI_SRC = (
    "Spielberger CD et al. Manual for the State-Trait Anxiety Inventory (Form Y). Consulting "
    "Psychologists Press; 1983"
)
_STAI6_SRC = (
    "Marteau TM, Bekker H. The development of a six-item short-form of the state scale of the "
    "STAI. Br J Clin Psychol. 1992;31(3):301-306. doi:10.1111/j.2044-8260.1992.tb00997.x "
    "(abstract: three anxiety-present and three anxiety-absent Form Y-1 items, scores similar to "
    "the full form); items = Form Y-1 items 1, 3, 6, 15, 16, 17 (calm, tense, upset, relaxed, "
    "content, worried) and the reversed ones 1, 15, 16 as in the full-form key; factor 20/6 "
    "[recall]"
)
_STAI6_MISSING = (
    "Marteau & Bekker 1992 state no missing-item rule in the abstract (full text not checked) "
    "[recall]; no imputation by default"
)
_PHQ9_SRC = (
    "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity "
    "measure. J Gen Intern Med. 2001;16(9):606-613. doi:10.1046/j.1525-1497.2001.016009606.x"
)
_GAD7_SRC = (
    "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized "
    "anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097. "
    "doi:10.1001/archinte.166.10.1092"
)
_PSQI_SRC = (
    "Buysse DJ, Reynolds CF, Monk TH, Berman SR, Kupfer DJ. The Pittsburgh Sleep Quality Index. "
    "Psychiatry Res. 1989;28(2):193-213. doi:10.1016/0165-1781(89)90047-4"
)
_NO_RULE = "the source gives no missing-item rule [recall]; no imputation by default"

#: The built-in instruments by name (read-only). Build an :class:`Instrument` for others.
INSTRUMENTS: Final[Mapping[str, Instrument]] = MappingProxyType(
    {
        i.name: i
        for i in (
            Instrument(
                "pss10", range(1, 11), 0, 4, reversed=(4, 5, 7, 8), prefixes=("pss", "pss10"),
                source=_PSS10_SRC, missing_source=_NO_RULE,
            ),
            Instrument(
                "pss14", range(1, 15), 0, 4, reversed=(4, 5, 6, 7, 9, 10, 13),
                prefixes=("pss", "pss14"), source=_PSS14_SRC, missing_source=_NO_RULE,
            ),
            Instrument(
                "stai_state", range(1, 21), 1, 4,
                reversed=(1, 2, 5, 8, 10, 11, 15, 16, 19, 20), max_missing=2, rounding="ceil",
                prefixes=("stai",), source=_STAI_SRC,
                missing_source="STAI manual (Form Y): with 3 or more items missing do not score; "
                "otherwise prorate (mean x 20) and round up [recall]",
            ),
            Instrument(
                "stai_trait", range(21, 41), 1, 4,
                reversed=(21, 23, 26, 27, 30, 33, 34, 36, 39), max_missing=2, rounding="ceil",
                prefixes=("stai",), source=_STAI_SRC,
                missing_source="STAI manual (Form Y): with 3 or more items missing do not score; "
                "otherwise prorate (mean x 20) and round up [recall]",
            ),
            Instrument(
                "stai6", range(1, 7), 1, 4, reversed=(1, 4, 5), scale=20 / 6,
                prefixes=("stai6",), source=_STAI6_SRC, missing_source=_STAI6_MISSING,
            ),
            Instrument(
                "phq9", range(1, 10), 0, 3, prefixes=("phq", "phq9"),
                bands=((0, "minimal"), (5, "mild"), (10, "moderate"),
                       (15, "moderately_severe"), (20, "severe")),
                source=_PHQ9_SRC, missing_source=_NO_RULE,
            ),
            Instrument(
                "gad7", range(1, 8), 0, 3, prefixes=("gad", "gad7"),
                bands=((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
                source=_GAD7_SRC, missing_source=_NO_RULE,
            ),
        )
    }
)  # fmt: skip


def _find_columns(df: pd.DataFrame, prefixes: Sequence[str], items: Sequence[Any]) -> list[Any]:
    """Find the column holding each item, matched as ``<prefix>[_-. ]<0-padded item>``."""
    pre = "|".join(re.escape(p) for p in prefixes)
    found: list[Any] = []
    missing: list[str] = []
    for item in items:
        pat = re.compile(rf"^(?:{pre})[_\-. ]?0*{re.escape(str(item))}$", re.IGNORECASE)
        hits = [c for c in df.columns if pat.match(str(c).strip())]
        if len(hits) > 1:
            raise DataValidationError(
                f"Item {item} matches several columns {hits}; pass columns=[...] in form order."
            )
        if not hits:
            missing.append(f"{prefixes[0]}_{item}")
        else:
            found.append(hits[0])
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise DataValidationError(
            f"Item column(s) not found: {shown} (looked for prefix {' or '.join(prefixes)!r}). "
            "Name the columns so, or pass columns=[...] listing the item columns in form order."
        )
    return found


def _matrix(
    answers: pd.DataFrame | ArrayLike,
    prefixes: Sequence[str],
    items: Sequence[Any],
    columns: Sequence[Any] | None,
) -> tuple[NDArray[np.float64], Any, list[str]]:
    """Answers as an (n_subjects, n_items) float array, the row index and the column names."""
    import pandas as pd

    n = len(items)
    if isinstance(answers, pd.DataFrame):
        if columns is not None:
            cols = list(columns)
            absent = [c for c in cols if c not in answers.columns]
            if absent:
                raise DataValidationError(f"columns {absent} are not in the table.")
        else:
            cols = _find_columns(answers, prefixes, items)
        if len(cols) != n:
            raise DataValidationError(f"'columns' must list {n} item columns, got {len(cols)}.")
        sub = answers[cols]
        bad = [c for c in cols if not pd.api.types.is_numeric_dtype(sub[c])]
        if bad:
            raise DataValidationError(
                f"Item column(s) {bad} hold text, not numbers; code the answers as numbers "
                "(missing answers as empty cells)."
            )
        arr = as_float_array("answers", sub.to_numpy(dtype=np.float64))
        return arr, answers.index, [str(c) for c in cols]
    arr = as_float_array("answers", answers, ndim=(1, 2))
    arr = np.atleast_2d(arr)
    if arr.shape[1] != n:
        raise DataValidationError(
            f"'answers' must have {n} item columns (form order), got shape {arr.shape}."
        )
    return arr, pd.RangeIndex(arr.shape[0]), [f"{prefixes[0]}_{i}" for i in items]


def _check_scale(
    arr: NDArray[np.float64], low: float, high: float, names: Sequence[str], index: Any, what: str
) -> None:
    """Reject answers outside ``[low, high]``, infinite or fractional, naming item and row."""
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(arr) & ((arr < low) | (arr > high) | (arr != np.round(arr)))
    if bad.any():
        r, c = np.argwhere(bad)[0]
        n_bad = int(bad.sum())
        more = f" ({n_bad - 1} more answer(s) are also invalid)" if n_bad > 1 else ""
        raise DataValidationError(
            f"{what}: item {names[c]!r} has answer {arr[r, c]:g} in row {index[r]!r}, but the "
            f"scale runs {low:g}-{high:g} in whole numbers{more}. Recode the answers (a 1-5 "
            "export of a 0-4 scale: subtract 1) or set missing answers to NaN."
        )


def _sum_rule(
    arr: NDArray[np.float64], max_missing: int, rounding: str
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Sum per row, prorated when 1..max_missing items are missing, NaN beyond."""
    n_items = arr.shape[1]
    n_miss = np.isnan(arr).sum(axis=1)
    answered = n_items - n_miss
    total = np.nansum(arr, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        prorated = total / answered * n_items
    if rounding == "ceil":
        prorated = np.ceil(prorated - 1e-9)  # 40.0000000001 from float division stays 40
    res = np.where(n_miss == 0, total, prorated)
    res = np.where(n_miss > max_missing, np.nan, res)
    return res.astype(np.float64), n_miss.astype(np.int64)


def _band(values: NDArray[np.float64], bands: Sequence[tuple[float, str]]) -> NDArray[np.object_]:
    bounds = np.array([b for b, _ in bands[1:]])
    labels = np.array([lab for _, lab in bands], dtype=object)
    idx = np.searchsorted(bounds, np.nan_to_num(values, nan=-np.inf), side="right")
    res: NDArray[np.object_] = labels[idx]
    res[np.isnan(values)] = None
    return res


def score(
    answers: pd.DataFrame | ArrayLike,
    instrument: str | Instrument,
    *,
    columns: Sequence[Any] | None = None,
    max_missing: int | None = None,
) -> pd.DataFrame:
    r"""Score any questionnaire described as an :class:`Instrument` (or a built-in by name).

    Parameters
    ----------
    answers : DataFrame or array-like, shape (n_subjects, n_items)
        Answers on the instrument's scale; NaN = missing. See the module notes for columns.
    instrument : str or Instrument
        A name in :data:`INSTRUMENTS` (``"pss10"``, ``"pss14"``, ``"stai_state"``,
        ``"stai_trait"``, ``"stai6"``, ``"phq9"``, ``"gad7"``) or your own :class:`Instrument`.
    columns : sequence, optional
        Item columns in form order (default: found by prefix and item number).
    max_missing : int, optional
        Override the instrument's missing-item rule (prorate up to this many missing items).

    Returns
    -------
    pandas.DataFrame
        One row per subject (the input's index): the total named as the instrument,
        ``<name>_<subscale>`` columns, ``<name>_severity`` where bands exist, and
        ``<name>_n_missing``. Scores are points on the instrument's scale (unit "1").

    Raises
    ------
    DataValidationError
        Missing item columns, text answers, or an answer outside the scale (the message names
        item, row and value).
    ValueError
        Unknown instrument name.

    Notes
    -----
    With reversed items recoded as :math:`x' = \mathrm{low} + \mathrm{high} - x`, :math:`k`
    items, :math:`m` of them missing (:math:`m \le` ``max_missing``) and scale factor :math:`s`:

    .. math:: S = s \cdot \frac{k}{k - m} \sum_{i\ \mathrm{answered}} x_i

    References
    ----------
    .. [1] The instrument's ``source`` and ``missing_source`` fields.

    Examples
    --------
    >>> score([[2, 1, 3, 0, 1, 3, 2, 1, 2, 3]], "pss10")["pss10"].tolist()
    [26.0]
    """
    import pandas as pd

    if isinstance(instrument, str):
        check_option("instrument", instrument, tuple(INSTRUMENTS))
        inst = INSTRUMENTS[instrument]
    else:
        inst = instrument
    limit = inst.max_missing if max_missing is None else max_missing
    if not 0 <= limit < inst.n_items:
        raise DataValidationError(
            f"'max_missing' must lie in [0, {inst.n_items - 1}] for {inst.name!r}, got {limit}."
        )
    arr, index, names = _matrix(answers, inst.prefixes, inst.items, columns)
    _check_scale(arr, inst.low, inst.high, names, index, inst.name)
    rev = np.isin(np.array(inst.items), np.array(inst.reversed, dtype=int))
    arr = np.where(rev, inst.low + inst.high - arr, arr)
    out = pd.DataFrame(index=index)
    total, n_miss = _sum_rule(arr, limit, inst.rounding)
    out[inst.name] = total * inst.scale
    pos = {item: k for k, item in enumerate(inst.items)}
    for sub, sub_items in inst.subscales.items():
        cols = [pos[i] for i in sub_items]
        sub_limit = min(limit, len(cols) - 1)
        out[f"{inst.name}_{sub}"] = _sum_rule(arr[:, cols], sub_limit, inst.rounding)[0]
    if inst.bands:
        out[f"{inst.name}_severity"] = _band(out[inst.name].to_numpy(), inst.bands)
    out[f"{inst.name}_n_missing"] = n_miss
    out.attrs["units"] = {inst.name: "1"}
    out.attrs["source"] = inst.source
    return out


def pss10(
    answers: pd.DataFrame | ArrayLike,
    *,
    columns: Sequence[Any] | None = None,
    max_missing: int | None = None,
) -> pd.DataFrame:
    r"""Perceived Stress Scale, 10 items (PSS-10; Cohen & Williamson 1988).

    Parameters
    ----------
    answers : DataFrame or array-like, shape (n_subjects, 10)
        Answers 0-4 (never ... very often); columns ``pss_1`` ... ``pss_10``.
    columns : sequence, optional
        Item columns in form order.
    max_missing : int, optional
        Prorate up to this many missing items (default 0: the source gives no rule [recall]).

    Returns
    -------
    pandas.DataFrame
        ``pss10`` (0-40) and ``pss10_n_missing``.

    Raises
    ------
    DataValidationError
        Missing columns or answers outside 0-4.

    Notes
    -----
    Items 4, 5, 7 and 8 (the positively worded ones) are reversed:

    .. math:: \mathrm{PSS10} = \sum_{i \notin R} x_i + \sum_{i \in R} (4 - x_i),\quad
       R = \{4, 5, 7, 8\}

    Same rules as BioPsyKit's ``pss`` total.

    References
    ----------
    .. [1] Cohen S, Williamson G. In: Spacapan S, Oskamp S, eds. The Social Psychology of
       Health. Sage; 1988:31-67.

    Examples
    --------
    >>> pss10([[2, 1, 3, 0, 1, 3, 2, 1, 2, 3]])["pss10"].tolist()
    [26.0]
    """
    return score(answers, "pss10", columns=columns, max_missing=max_missing)


def pss14(
    answers: pd.DataFrame | ArrayLike,
    *,
    columns: Sequence[Any] | None = None,
    max_missing: int | None = None,
) -> pd.DataFrame:
    r"""Perceived Stress Scale, 14 items (PSS-14; Cohen, Kamarck & Mermelstein 1983).

    Parameters
    ----------
    answers : DataFrame or array-like, shape (n_subjects, 14)
        Answers 0-4; columns ``pss_1`` ... ``pss_14``.
    columns : sequence, optional
        Item columns in form order.
    max_missing : int, optional
        Prorate up to this many missing items (default 0: the source gives no rule [recall]).

    Returns
    -------
    pandas.DataFrame
        ``pss14`` (0-56) and ``pss14_n_missing``.

    Raises
    ------
    DataValidationError
        Missing columns or answers outside 0-4.

    Notes
    -----
    .. math:: \mathrm{PSS14} = \sum_{i \notin R} x_i + \sum_{i \in R} (4 - x_i),\quad
       R = \{4, 5, 6, 7, 9, 10, 13\}

    References
    ----------
    .. [1] Cohen S, Kamarck T, Mermelstein R. J Health Soc Behav. 1983;24(4):385-396.
       doi:10.2307/2136404

    Examples
    --------
    >>> pss14([[0] * 14])["pss14"].tolist()
    [28.0]
    """
    return score(answers, "pss14", columns=columns, max_missing=max_missing)


def stai(
    answers: pd.DataFrame | ArrayLike,
    *,
    form: str = "state",
    columns: Sequence[Any] | None = None,
    max_missing: int | None = None,
) -> pd.DataFrame:
    r"""State-Trait Anxiety Inventory, Form Y (Spielberger 1983): state or trait scale.

    Parameters
    ----------
    answers : DataFrame or array-like, shape (n_subjects, 20)
        Answers 1-4. Columns ``stai_1`` ... ``stai_20`` (state, Y-1) or ``stai_21`` ...
        ``stai_40`` (trait, Y-2), numbered as on the form.
    form : {"state", "trait"}, default "state"
        Which scale.
    columns : sequence, optional
        Item columns in form order.
    max_missing : int, optional
        Default 2, the manual's rule: with 3 or more items missing the scale is not scored;
        with 1-2 the mean of the answered items is multiplied by 20 and rounded up [recall].

    Returns
    -------
    pandas.DataFrame
        ``stai_state`` or ``stai_trait`` (20-80) and ``<name>_n_missing``.

    Raises
    ------
    DataValidationError
        Missing columns or answers outside 1-4.
    ValueError
        Unknown ``form``.

    Notes
    -----
    Anxiety-absent items are reversed (:math:`5 - x`): state 1, 2, 5, 8, 10, 11, 15, 16, 19,
    20; trait 21, 23, 26, 27, 30, 33, 34, 36, 39 (Form Y scoring key [recall]; Form X had 7
    reversed trait items).

    .. math:: \mathrm{STAI} = \sum_{i \notin R} x_i + \sum_{i \in R} (5 - x_i)

    References
    ----------
    .. [1] Spielberger CD et al. Manual for the State-Trait Anxiety Inventory (Form Y).
       Consulting Psychologists Press; 1983.

    Examples
    --------
    >>> stai([[2] * 20])["stai_state"].tolist()
    [50.0]
    """
    check_option("form", form, ("state", "trait"))
    return score(answers, f"stai_{form}", columns=columns, max_missing=max_missing)


def stai6(
    answers: pd.DataFrame | ArrayLike,
    *,
    columns: Sequence[Any] | None = None,
    max_missing: int | None = None,
) -> pd.DataFrame:
    r"""Six-item short form of the STAI state scale (STAI-6; Marteau & Bekker 1992).

    Parameters
    ----------
    answers : DataFrame or array-like, shape (n_subjects, 6)
        Answers 1-4 (not at all ... very much so) on columns ``stai6_1`` ... ``stai6_6`` in the
        short form's order: calm, tense, upset, relaxed, content, worried, i.e. STAI Form Y-1
        items 1, 3, 6, 15, 16 and 17 in full-form order.
    columns : sequence, optional
        Item columns in that order (e.g. ``["stai_1", "stai_3", "stai_6", "stai_15",
        "stai_16", "stai_17"]`` to score the short form from a full Form Y-1 sheet).
    max_missing : int, optional
        Prorate up to this many missing items (mean of the answered items times 20). Default 0:
        a subject with any missing item gets NaN, because the source states no rule.

    Returns
    -------
    pandas.DataFrame
        ``stai6`` on the full-form metric (20-80, not rounded) and ``stai6_n_missing``.

    Raises
    ------
    DataValidationError
        Missing columns or answers outside 1-4.

    Notes
    -----
    What the sources say, and how sure each point is:

    * **Items** [paper, abstract]: Marteau & Bekker kept the most highly correlated
      anxiety-present and anxiety-absent items of Form Y-1; the six are calm, tense, upset,
      relaxed, content and worried (Form Y-1 items 1, 3, 6, 15, 16, 17 [secondary: the Form Y
      item list]).
    * **Reversed items**: the anxiety-absent items calm, relaxed and content (positions 1, 4,
      5 here), exactly the full-form key restricted to these items (Form Y-1 reverses 1, 2, 5,
      8, 10, 11, 15, 16, 19, 20); tested against the ``stai_state`` key.
    * **Scaling** [recall]: the sum of the six items times 20/6, so that scores are on the
      20-80 metric of the full form (the abstract reports "scores similar to those obtained
      using the full-form").
    * **Missing items**: no rule in the abstract (full text not checked); none applied unless
      ``max_missing`` is given.

    .. math:: \mathrm{STAI6} = \frac{20}{6}\Big(\sum_{i \notin R} x_i +
       \sum_{i \in R} (5 - x_i)\Big),\quad R = \{1, 4, 5\}

    BioPsyKit (0.14) has no STAI-6: its ``stai_short`` is a 10-item German short form.

    References
    ----------
    .. [1] Marteau TM, Bekker H. The development of a six-item short-form of the state scale of
       the Spielberger State-Trait Anxiety Inventory (STAI). Br J Clin Psychol.
       1992;31(3):301-306. doi:10.1111/j.2044-8260.1992.tb00997.x
    .. [2] Spielberger CD et al. Manual for the State-Trait Anxiety Inventory (Form Y).
       Consulting Psychologists Press; 1983 (Form Y-1 item order and key).

    Examples
    --------
    >>> stai6([[1, 4, 4, 1, 1, 4]])["stai6"].tolist()
    [80.0]
    >>> stai6([[4, 1, 1, 4, 4, 1]])["stai6"].tolist()
    [20.0]
    >>> stai6([[2, 3, 3, 2, 2, float("nan")]], max_missing=1)["stai6"].round(4).tolist()
    [60.0]
    """
    return score(answers, "stai6", columns=columns, max_missing=max_missing)


def phq9(
    answers: pd.DataFrame | ArrayLike,
    *,
    columns: Sequence[Any] | None = None,
    max_missing: int | None = None,
) -> pd.DataFrame:
    r"""Patient Health Questionnaire depression scale (PHQ-9; Kroenke 2001).

    Parameters
    ----------
    answers : DataFrame or array-like, shape (n_subjects, 9)
        Answers 0-3 (not at all ... nearly every day); columns ``phq_1`` ... ``phq_9``.
    columns : sequence, optional
        Item columns in form order.
    max_missing : int, optional
        Prorate up to this many missing items (default 0: Kroenke 2001 gives no rule
        [recall]).

    Returns
    -------
    pandas.DataFrame
        ``phq9`` (0-27), ``phq9_severity`` (minimal 0-4, mild 5-9, moderate 10-14,
        moderately_severe 15-19, severe 20-27) and ``phq9_n_missing``.

    Raises
    ------
    DataValidationError
        Missing columns or answers outside 0-3.

    Notes
    -----
    .. math:: \mathrm{PHQ9} = \sum_{i=1}^{9} x_i

    The functional-impairment question after item 9 is not part of the score.

    References
    ----------
    .. [1] Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med. 2001;16(9):606-613.
       doi:10.1046/j.1525-1497.2001.016009606.x

    Examples
    --------
    >>> phq9([[1, 1, 1, 1, 1, 1, 1, 1, 2]])[["phq9", "phq9_severity"]].values.tolist()
    [[10.0, 'moderate']]
    """
    return score(answers, "phq9", columns=columns, max_missing=max_missing)


def gad7(
    answers: pd.DataFrame | ArrayLike,
    *,
    columns: Sequence[Any] | None = None,
    max_missing: int | None = None,
) -> pd.DataFrame:
    r"""Generalized Anxiety Disorder scale (GAD-7; Spitzer 2006).

    Parameters
    ----------
    answers : DataFrame or array-like, shape (n_subjects, 7)
        Answers 0-3; columns ``gad_1`` ... ``gad_7``.
    columns : sequence, optional
        Item columns in form order.
    max_missing : int, optional
        Prorate up to this many missing items (default 0: Spitzer 2006 gives no rule
        [recall]).

    Returns
    -------
    pandas.DataFrame
        ``gad7`` (0-21), ``gad7_severity`` (minimal 0-4, mild 5-9, moderate 10-14, severe
        15-21) and ``gad7_n_missing``.

    Raises
    ------
    DataValidationError
        Missing columns or answers outside 0-3.

    Notes
    -----
    .. math:: \mathrm{GAD7} = \sum_{i=1}^{7} x_i

    References
    ----------
    .. [1] Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med. 2006;166(10):1092-1097.
       doi:10.1001/archinte.166.10.1092

    Examples
    --------
    >>> gad7([[3, 3, 3, 2, 2, 1, 1]])[["gad7", "gad7_severity"]].values.tolist()
    [[15.0, 'severe']]
    """
    return score(answers, "gad7", columns=columns, max_missing=max_missing)


# --- PSQI -----------------------------------------------------------------------------------
_PSQI_ITEMS: Final = (
    "1", "2", "3", "4", "5a", "5b", "5c", "5d", "5e", "5f", "5g", "5h", "5i", "5j",
    "6", "7", "8", "9",
)  # fmt: skip
#: Output columns of :func:`psqi`: the seven components and the global score.
PSQI_COMPONENTS: Final = (
    "psqi_subjective_quality",
    "psqi_latency",
    "psqi_duration",
    "psqi_efficiency",
    "psqi_disturbances",
    "psqi_medication",
    "psqi_daytime_dysfunction",
)


def _clock(name: str, values: Any) -> NDArray[np.float64]:
    """Hours as numbers (23.5) or "HH:MM" text, as float hours."""
    import pandas as pd

    s = pd.Series(np.asarray(values, dtype=object).ravel())
    num = pd.to_numeric(s, errors="coerce")
    text = s.where(num.isna() & s.notna()).astype("string")
    parts = text.str.strip().str.extract(r"^(\d{1,2})[:.h](\d{2})$")
    clock = parts[0].astype(float) + parts[1].astype(float) / 60.0
    res = num.where(num.notna(), clock)
    unparsed = s.notna() & res.isna() & (s.astype(str).str.strip() != "")
    if unparsed.any():
        k = int(np.flatnonzero(unparsed.to_numpy())[0])
        raise DataValidationError(
            f"PSQI item {name!r}: could not read {s.iloc[k]!r} (row {k}) as a time; give "
            "hours as a number (23.5) or 'HH:MM' (23:30)."
        )
    return res.to_numpy(dtype=np.float64)


def _bins(x: NDArray[np.float64], edges: Sequence[float]) -> NDArray[np.float64]:
    """Score 0..len(edges) by upper-inclusive edges; NaN stays NaN."""
    out = np.searchsorted(np.asarray(edges, dtype=float), np.nan_to_num(x), side="left")
    return np.where(np.isnan(x), np.nan, out.astype(np.float64))


def psqi(
    answers: pd.DataFrame | ArrayLike,
    *,
    columns: Sequence[Any] | None = None,
) -> pd.DataFrame:
    r"""Pittsburgh Sleep Quality Index: seven components and the global score (Buysse 1989).

    Parameters
    ----------
    answers : DataFrame or array-like, shape (n_subjects, 18)
        The answers in numeric form, columns ``psqi_1`` ... ``psqi_4``, ``psqi_5a`` ...
        ``psqi_5j``, ``psqi_6`` ... ``psqi_9`` (question 10, about a bed partner, is not
        scored):

        * ``psqi_1`` usual bedtime, clock hours (23.5 or "23:30");
        * ``psqi_2`` minutes to fall asleep;
        * ``psqi_3`` usual getting-up time, clock hours (7.0 or "07:00");
        * ``psqi_4`` hours of actual sleep per night;
        * ``psqi_5a`` ... ``psqi_5j``, ``psqi_6`` ... ``psqi_9``: answers 0-3. ``psqi_5j``
          ("other reasons") may be empty when no other reason is given; it then counts 0.
    columns : sequence, optional
        The 18 columns in the order above.

    Returns
    -------
    pandas.DataFrame
        Components 0-3 (``psqi_subjective_quality``, ``psqi_latency``, ``psqi_duration``,
        ``psqi_efficiency``, ``psqi_disturbances``, ``psqi_medication``,
        ``psqi_daytime_dysfunction``), the global score ``psqi`` (0-21; > 5 marks poor
        sleepers, Buysse 1989) and ``psqi_efficiency_percent``. A missing answer makes its
        component NaN, and any NaN component makes the global score NaN [recall].

    Raises
    ------
    DataValidationError
        Missing columns, answers outside 0-3, clock times outside 0-24, minutes or hours out
        of range, or zero time in bed.

    Notes
    -----
    Component algorithms of the PSQI scoring instructions (Buysse 1989):

    * C1 subjective quality = Q6.
    * C2 latency: Q2 ≤ 15 min → 0, 16-30 → 1, 31-60 → 2, > 60 → 3; plus Q5a; the sum 0 → 0,
      1-2 → 1, 3-4 → 2, 5-6 → 3.
    * C3 duration: Q4 > 7 h → 0, 6-7 → 1, 5-6 → 2, < 5 → 3. The manual's bands overlap at
      6 h; neuroendo gives 6 h the better score, 1 (≥ 6 → 1, ≥ 5 → 2) [recall].
      BioPsyKit 0.14 scores exactly 6 h as 2.
    * C4 efficiency: :math:`E = 100 \cdot Q4 / ((Q3 - Q1) \bmod 24)`, rounded half up to a
      whole percent; ≥ 85 → 0, 75-84 → 1, 65-74 → 2, < 65 → 3.
    * C5 disturbances: :math:`\sum` Q5b-Q5j: 0 → 0, 1-9 → 1, 10-18 → 2, 19-27 → 3.
    * C6 medication = Q7.
    * C7 daytime dysfunction: Q8 + Q9: 0 → 0, 1-2 → 1, 3-4 → 2, 5-6 → 3.

    .. math:: \mathrm{PSQI} = \sum_{j=1}^{7} C_j

    References
    ----------
    .. [1] Buysse DJ et al. The Pittsburgh Sleep Quality Index. Psychiatry Res.
       1989;28(2):193-213. doi:10.1016/0165-1781(89)90047-4

    Examples
    --------
    >>> row = [23.0, 20, 7.0, 7.5, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1]
    >>> psqi([row])["psqi"].tolist()
    [4.0]
    """
    import pandas as pd

    if isinstance(answers, pd.DataFrame):
        cols = list(columns) if columns is not None else None
        if cols is None:
            cols = _find_columns(answers, ("psqi",), _PSQI_ITEMS)
        if len(cols) != len(_PSQI_ITEMS):
            raise DataValidationError(f"'columns' must list 18 PSQI columns, got {len(cols)}.")
        index = answers.index
        raw = answers[cols]
    else:
        arr = np.atleast_2d(np.asarray(answers, dtype=object))
        if arr.ndim != 2 or arr.shape[1] != len(_PSQI_ITEMS):
            raise DataValidationError(
                f"'answers' must have 18 PSQI columns (psqi_1 ... psqi_9), got shape {arr.shape}."
            )
        index = pd.RangeIndex(arr.shape[0])
        cols = [f"psqi_{i}" for i in _PSQI_ITEMS]
        raw = pd.DataFrame(arr, columns=cols, index=index)
    names = [str(c) for c in cols]
    q: dict[str, NDArray[np.float64]] = {}
    for key, col in zip(_PSQI_ITEMS, cols, strict=True):
        if key in ("1", "3"):
            q[key] = _clock(f"psqi_{key}", raw[col].to_numpy())
        else:
            vals = pd.to_numeric(raw[col], errors="coerce")
            text = vals.isna() & raw[col].notna()
            if text.any():
                k = int(np.flatnonzero(text.to_numpy())[0])
                raise DataValidationError(
                    f"PSQI item {names[_PSQI_ITEMS.index(key)]!r} holds text "
                    f"{raw[col].iloc[k]!r} in row {index[k]!r}; give numbers."
                )
            q[key] = vals.to_numpy(dtype=np.float64)

    def check(keys: Iterable[str], low: float, high: float, whole: bool = True) -> None:
        ks = list(keys)
        block = np.column_stack([q[k] for k in ks])
        if whole:
            _check_scale(block, low, high, [f"psqi_{k}" for k in ks], index, "psqi")
            return
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(block) & ((block < low) | (block > high))
        if bad.any():
            r, c = np.argwhere(bad)[0]
            raise DataValidationError(
                f"psqi: item 'psqi_{ks[c]}' has value {block[r, c]:g} in row {index[r]!r}, "
                f"outside {low:g}-{high:g}; clock times are hours 0-24, Q2 minutes, Q4 hours."
            )

    check([k for k in _PSQI_ITEMS if k not in ("1", "2", "3", "4")], 0, 3)
    check(["1", "3"], 0, 24, whole=False)
    check(["2"], 0, 24 * 60, whole=False)
    check(["4"], 0, 24, whole=False)

    c1 = q["6"]
    c2 = _bins(_bins(q["2"], (15, 30, 60)) + q["5a"], (0, 2, 4))
    dur = q["4"]
    c3 = np.select([np.isnan(dur), dur > 7, dur >= 6, dur >= 5], [np.nan, 0, 1, 2], default=3)
    in_bed = np.mod(q["3"] - q["1"], 24.0)
    zero = in_bed == 0
    if zero.any():
        r = int(np.flatnonzero(zero)[0])
        raise DataValidationError(
            f"psqi: bedtime (psqi_1) equals getting-up time (psqi_3) in row {index[r]!r}, so "
            "time in bed is 0 and sleep efficiency is undefined; check the clock times."
        )
    with np.errstate(invalid="ignore"):
        eff = np.floor(100.0 * dur / in_bed + 0.5)
    c4 = np.select([np.isnan(eff), eff >= 85, eff >= 75, eff >= 65], [np.nan, 0, 1, 2], default=3)
    other = np.nan_to_num(q["5j"])  # 5j is answered only when another reason is given
    dist = sum(q[k] for k in ("5b", "5c", "5d", "5e", "5f", "5g", "5h", "5i")) + other
    c5 = _bins(dist, (0, 9, 18))
    c6 = q["7"]
    c7 = _bins(q["8"] + q["9"], (0, 2, 4))
    out = pd.DataFrame(
        dict(zip(PSQI_COMPONENTS, (c1, c2, c3, c4, c5, c6, c7), strict=True)), index=index
    )
    out["psqi"] = out[list(PSQI_COMPONENTS)].sum(axis=1, skipna=False)
    out["psqi_efficiency_percent"] = eff
    units = dict.fromkeys((*PSQI_COMPONENTS, "psqi"), "1")
    out.attrs["units"] = {**units, "psqi_efficiency_percent": "%"}
    out.attrs["source"] = _PSQI_SRC
    return out
