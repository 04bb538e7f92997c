"""Cohorts: run fits over many subjects on Dask distributed, and summarise them by group.

:func:`fit_cohort` fits one model to every subject of a tidy table, one Dask task per subject
(a local cluster by default, a scheduler address to scale out), with per-subject random streams
(results do not depend on the number of workers or the order of subjects), failures kept as
data (``on_error="skip"``) and the results as one long table (:class:`CohortFit`, written as
Parquet). :func:`summarize` gives the population view by group. :func:`map_subjects` is the
engine, for any per-subject function. This package is the only importer of dask/distributed in
neuroendo, and imports them on first use.

Examples
--------
>>> from neuroendo.cohort import subject_seeds
>>> root, streams = subject_seeds(["s2", "s1"], seed=7)
>>> root, sorted(streams)
(7, ['s1', 's2'])
"""

from __future__ import annotations

from neuroendo.cohort._fit import TABLE_COLUMNS, CohortFit, fit_cohort
from neuroendo.cohort._map import SubjectOutcome, map_subjects, subject_seeds
from neuroendo.cohort._summary import summarize

__all__ = [
    "TABLE_COLUMNS",
    "CohortFit",
    "SubjectOutcome",
    "fit_cohort",
    "map_subjects",
    "subject_seeds",
    "summarize",
]
