"""``map_subjects``: run one task per subject on Dask distributed (the engine of the cohort API).

Dask and distributed are imported inside the functions that need them, so ``import
neuroendo.cohort`` stays light; this package is the only importer of dask in neuroendo.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroendo._core.columns import ANALYTE, SUBJECT, TIME
from neuroendo._core.errors import DataValidationError, FitError, NeuroendoError
from neuroendo._core.rng import spawn
from neuroendo._core.validation import check_option, did_you_mean

__all__ = ["SubjectOutcome", "map_subjects", "subject_seeds"]

#: Fits in one worker *process* run one at a time: warnings are captured per subject with
#: ``warnings.catch_warnings``, which changes process-global state and is not thread-safe. SciPy's
#: ODE solvers call back into Python under the GIL, so threads gain little anyway; processes
#: (the default) run in parallel.
_TASK_LOCK = threading.Lock()

OutcomeStatus = str  # "ok" | "failed"


@dataclass(frozen=True)
class SubjectOutcome:
    """What one subject's task returned (or why it failed).

    Attributes
    ----------
    subject : str
        Subject label.
    value : Any
        The task's return value (``None`` when it failed).
    ok : bool
        Whether the task returned.
    message : str
        Error message of a failed task (``""`` otherwise).
    warnings : tuple of str
        Warnings the task issued (deduplicated, in order).
    seconds : float
        Wall time of the task on its worker, in seconds.
    """

    subject: str
    value: Any
    ok: bool
    message: str = ""
    warnings: tuple[str, ...] = ()
    seconds: float = float("nan")


def subject_seeds(subjects: Sequence[str], seed: int | None) -> tuple[int, dict[str, Any]]:
    """One independent random stream per subject, independent of order and partitioning.

    Parameters
    ----------
    subjects : sequence of str
        All subject labels of the data set (the streams follow their sorted order, so a subset
        or a reordering of the subjects gets the same stream for each subject).
    seed : int or None
        Root seed; ``None`` draws fresh entropy (returned, so the run can be repeated).

    Returns
    -------
    root : int
        The root seed used.
    streams : dict
        ``{subject: numpy.random.Generator}``.

    Notes
    -----
    The streams are ``SeedSequence(root).spawn(n)`` taken in sorted subject order
    (:func:`neuroendo._core.rng.spawn`).

    References
    ----------
    .. [1] O'Neill ME. PCG: a family of simple fast space-efficient statistically good
       algorithms for random number generation. HMC-CS-2014-0905 (2014); NumPy ``SeedSequence``.

    Examples
    --------
    >>> root, s = subject_seeds(["b", "a"], 1)
    >>> _, s2 = subject_seeds(["a", "b", "c"], 1)
    >>> int(s["b"].integers(1000)) == int(s2["b"].integers(1000))
    True
    """
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    elif not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"'seed' must be a non-negative int or None, got {seed!r}.")
    labels = sorted(dict.fromkeys(map(str, subjects)))
    gens = spawn(int(seed), len(labels))
    return int(seed), dict(zip(labels, gens, strict=True))


def _split(data: Any, subjects: Sequence[str] | None) -> tuple[list[str], dict[str, Any]]:
    """Split a tidy table into per-subject tables (attrs kept); validate ``subjects``."""
    if not hasattr(data, "columns") or SUBJECT not in data.columns:
        raise DataValidationError(
            "'data' must be a tidy table with a 'subject' column (one row per subject, time "
            "and analyte); read it with neuroendo.io or add the column."
        )
    labels = data[SUBJECT].astype(str)
    all_subjects = list(dict.fromkeys(labels))
    if not all_subjects:
        raise DataValidationError("'data' has no rows: nothing to fit.")
    if subjects is None:
        chosen = all_subjects
    else:
        chosen = list(dict.fromkeys(map(str, subjects)))
        missing = [s for s in chosen if s not in set(all_subjects)]
        if missing:
            raise DataValidationError(
                f"'subjects' names {missing} not in the data (subjects: "
                f"{', '.join(all_subjects[:10])}{' ...' if len(all_subjects) > 10 else ''})."
                + did_you_mean(missing[0], all_subjects)
            )
        if not chosen:
            raise ValueError("'subjects' is empty; pass None for all subjects.")
    # rows are put in a canonical order (analyte, then time), so a subject's result does not
    # depend on how the table was sorted
    keys = [c for c in (ANALYTE, "observable", TIME) if c in data.columns]
    parts: dict[str, Any] = {}
    for s, part in data.groupby(labels, sort=False):  # a split, not a computation loop
        if str(s) in chosen:
            part = part.sort_values(keys, kind="stable") if keys else part.copy()
            part.attrs = dict(data.attrs)
            parts[str(s)] = part
    return all_subjects, {s: parts[s] for s in chosen}


def _run_one(
    func: Callable[..., Any],
    subject: str,
    part: Any,
    rng: Any,
    kwargs: Mapping[str, Any],
    on_error: str,
) -> SubjectOutcome:
    """Worker side: run ``func`` for one subject, capture its warnings, keep failures as data."""
    _one_thread_per_task()
    with _TASK_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        try:
            value = func(part, rng, **kwargs)
        except NeuroendoError as exc:
            if on_error == "raise":
                raise
            return SubjectOutcome(
                subject,
                None,
                False,
                f"{type(exc).__name__}: {exc}",
                _messages(caught),
                time.perf_counter() - t0,
            )
        return SubjectOutcome(subject, value, True, "", _messages(caught), time.perf_counter() - t0)


def _one_thread_per_task() -> None:
    """Inside a Dask worker, run the compiled kernels on the task's thread only.

    The cluster already uses every core (one single-threaded worker per core); numba's default
    of one kernel thread per core on top of that oversubscribes the machine, and the small
    batches of a fit gain nothing from the extra threads. ``numba.set_num_threads`` is local
    to the calling thread, so the client process is not affected.
    """
    import importlib
    import importlib.util

    try:
        _distributed().get_worker()
    except (ImportError, ValueError):
        return  # not in a Dask worker (synchronous client, or no distributed)
    if importlib.util.find_spec("numba") is not None:
        importlib.import_module("numba").set_num_threads(1)


def _messages(caught: Sequence[warnings.WarningMessage]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))


def _distributed() -> Any:
    """Import dask.distributed on first use (untyped, so typed as Any)."""
    import importlib

    return importlib.import_module("distributed")


def _open_client(
    client: Any, n_workers: int | None, processes: bool, n_tasks: int
) -> tuple[Any, Callable[[], None]]:
    """Return (client, close) for a Client, an address, or a new LocalCluster."""
    if client is not None and not isinstance(client, str):
        return client, lambda: None
    try:
        dist = _distributed()
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Cohort fitting runs on Dask distributed, which is not installed: "
            'pip install "neuroendo[cohort]".'
        ) from None
    if isinstance(client, str):
        c = dist.Client(client, set_as_default=False)
        return c, c.close
    import os

    if n_workers is None:
        n_workers = max(1, min(os.cpu_count() or 1, n_tasks))
    if int(n_workers) < 1:
        raise ValueError(f"'n_workers' must be >= 1, got {n_workers!r}.")
    cluster = dist.LocalCluster(
        n_workers=int(n_workers),
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",
        silence_logs=40,  # logging.ERROR: keep worker chatter out of the user's stderr
    )
    c = dist.Client(cluster, set_as_default=False)

    def close() -> None:
        c.close()
        cluster.close()

    return c, close


def map_subjects(
    func: Callable[..., Any],
    data: Any,
    *,
    subjects: Sequence[str] | None = None,
    seed: int | None = None,
    client: Any = None,
    n_workers: int | None = None,
    processes: bool = True,
    on_error: str = "raise",
    retries: int = 0,
    max_in_flight: int | None = None,
    progress: Callable[[int, int, SubjectOutcome], None] | None = None,
    **kwargs: Any,
) -> tuple[int, list[SubjectOutcome]]:
    r"""Run ``func(subject_table, rng, **kwargs)`` once per subject, one Dask task each.

    Parameters
    ----------
    func : callable
        ``func(part, rng, **kwargs)``, where ``part`` is one subject's rows of ``data`` (with
        ``data.attrs``; sorted by analyte, then time, so row order does not matter) and
        ``rng`` that subject's :class:`numpy.random.Generator`. It must be importable on the
        workers (a module-level function).
    data : pandas.DataFrame
        Tidy table with a ``subject`` column.
    subjects : sequence of str, optional
        Subjects to run (default: all, in order of appearance).
    seed : int, optional
        Root seed of the per-subject streams (:func:`subject_seeds`); ``None`` draws one and
        returns it.
    client : distributed.Client, str or None
        ``None`` starts a :class:`distributed.LocalCluster` for the call (closed afterwards);
        a scheduler address (``"tcp://host:8786"``) connects to it; ``"synchronous"`` runs the
        tasks one by one in this process, without Dask (for debugging; same results).
    n_workers : int, optional
        Workers of the local cluster (default: the number of cores, at most one per subject).
    processes : bool, default True
        Local cluster of worker processes (parallel) or of threads in this process.
    on_error : {"raise", "skip"}, default "raise"
        ``"skip"`` records a subject whose task raises a :class:`~neuroendo.NeuroendoError`
        (or whose worker dies repeatedly, Dask's ``KilledWorker``) as failed and goes on;
        other exceptions (bugs) always raise.
    retries : int, default 0
        Dask retries of a task that raised (worker deaths are retried by the scheduler anyway).
    max_in_flight : int, optional
        Tasks submitted at a time (default: twice the worker threads), which bounds memory:
        each finished task's result is collected and released before the next is submitted.
    progress : callable, optional
        ``progress(done, total, outcome)`` after each subject (in submission-independent,
        completion order).
    **kwargs
        Passed to ``func``.

    Returns
    -------
    root : int
        Root seed used.
    outcomes : list of SubjectOutcome
        One per subject, in the order of ``subjects`` (or of the data).

    Raises
    ------
    DataValidationError
        ``data`` has no subject column or ``subjects`` names unknown subjects.
    FitError
        A worker died on a subject more often than the scheduler allows and ``on_error`` is
        ``"raise"``.
    ImportError
        dask/distributed are not installed (``pip install "neuroendo[cohort]"``).

    Notes
    -----
    Subject :math:`i` (in sorted label order) uses stream :math:`i` of
    ``SeedSequence(seed).spawn(n)``, so results do not depend on the number of workers, the
    order of the subjects or which subset is run.

    References
    ----------
    .. [1] Rocklin M. Dask: parallel computation with blocked algorithms and task scheduling.
       Proc. 14th Python in Science Conf. 2015:126-132. doi:10.25080/Majora-7b98e3ed-013

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"subject": ["a", "a", "b"], "value": [1.0, 2.0, 5.0]})
    >>> def total(part, rng):
    ...     return float(part["value"].sum())
    >>> root, out = map_subjects(total, df, seed=0, client="synchronous")
    >>> [(o.subject, o.value) for o in out]
    [('a', 3.0), ('b', 5.0)]
    """
    check_option("on_error", on_error, ("raise", "skip"))
    if int(retries) < 0:
        raise ValueError(f"'retries' must be >= 0, got {retries!r}.")
    all_subjects, parts = _split(data, subjects)
    root, streams = subject_seeds(all_subjects, seed)
    order = list(parts)
    total = len(order)
    done: dict[str, SubjectOutcome] = {}

    def record(o: SubjectOutcome) -> None:
        done[o.subject] = o
        if progress is not None:
            progress(len(done), total, o)

    if isinstance(client, str) and client == "synchronous":
        for s in order:
            record(_run_one(func, s, parts[s], streams[s], kwargs, on_error))
        return root, [done[s] for s in order]

    as_completed = _distributed().as_completed
    c, close = _open_client(client, n_workers, processes, total)
    try:
        if max_in_flight is None:
            threads = sum(c.nthreads().values()) or 1
            max_in_flight = 2 * threads
        if int(max_in_flight) < 1:
            raise ValueError(f"'max_in_flight' must be >= 1, got {max_in_flight!r}.")
        token = f"{root:x}"[-8:]
        pending = iter(order)

        def submit(s: str) -> Any:
            return c.submit(
                _run_one,
                func,
                s,
                parts[s],
                streams[s],
                kwargs,
                on_error,
                key=f"neuroendo-cohort-{token}-{s}-{time.monotonic_ns()}",
                pure=False,
                retries=int(retries),
            )

        futures = {}
        for s in pending:
            futures[submit(s)] = s
            if len(futures) >= int(max_in_flight):
                break
        queue = as_completed(list(futures), loop=c.loop)
        for fut in queue:
            s = futures.pop(fut)
            try:
                record(fut.result())
            except Exception as exc:
                outcome = _infrastructure_failure(exc, s, on_error)
                if outcome is None:
                    for f in futures:
                        f.cancel()
                    exc.add_note(
                        f"neuroendo: raised by subject {s!r}; {len(done)} of {total} subjects had "
                        "finished (on_error='skip' keeps them when the error is a "
                        "NeuroendoError)."
                    )
                    raise
                record(outcome)
            finally:
                fut.release()
            nxt = next(pending, None)
            if nxt is not None:
                f2 = submit(nxt)
                futures[f2] = nxt
                queue.add(f2)
    finally:
        close()
    return root, [done[s] for s in order]


def _infrastructure_failure(exc: Exception, subject: str, on_error: str) -> SubjectOutcome | None:
    """Turn a worker death on ``subject`` (KilledWorker) into data or a FitError; else None."""
    if not isinstance(exc, _distributed().KilledWorker):
        return None
    msg = (
        f"the worker process died while running subject {subject!r} (Dask KilledWorker: the "
        "task was tried on several workers); check its memory use or the worker logs."
    )
    if on_error == "raise":
        raise FitError(msg[0].upper() + msg[1:]) from exc
    return SubjectOutcome(subject, None, False, f"KilledWorker: {msg}")
