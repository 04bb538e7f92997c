"""Background cohort jobs: measures or model fits over a group of subjects, with a CSV result.

Job kinds: ``"measures"`` (indices of the latest values and cortisol features per subject) and
``"fit"`` (an HPA model fitted to each subject's ACTH/cortisol series, see
:mod:`neuroendo.app.fitjobs`). Jobs run in a thread pool owned by the app
(:class:`JobRunner`); their state lives in the ``jobs`` table, so progress survives page reloads
and a job left ``running`` by a stopped server is marked ``failed`` on the next start. Results
are written to ``<data_dir>/results/<job id>.csv`` and served only by job id (32 hex digits).
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuroendo._core.errors import NeuroendoError

if TYPE_CHECKING:
    from neuroendo.app.store import Store

__all__ = ["JOB_KINDS", "JobCancelled", "JobRunner", "result_path"]

log = logging.getLogger("neuroendo.app")

#: Kinds of job the runner knows.
JOB_KINDS = ("measures", "fit")
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


def result_path(data_dir: Path, job_id: str) -> Path | None:
    """Return a job's result file, or ``None`` for a malformed id (never outside ``results/``)."""
    if not _JOB_ID.fullmatch(job_id or ""):
        return None
    base = (data_dir / "results").resolve()
    p = (base / f"{job_id}.csv").resolve()
    return p if p.parent == base else None


class JobCancelled(RuntimeError):
    """Raised inside a job when the runner is shutting down (the job is marked failed)."""


class JobRunner:
    """Runs cohort jobs in background threads and records their progress in the database.

    Parameters
    ----------
    store : Store
        The database.
    data_dir : Path
        Where results are written.
    workers : int, default 2
        Number of threads.

    Attributes
    ----------
    fit_client : str or distributed.Client
        Where fit jobs run their per-subject fits (``client=`` of
        :func:`neuroendo.cohort.fit_cohort`): ``"synchronous"`` (default) in the job's thread,
        without Dask; a scheduler address (``"tcp://host:8786"``) or a ``Client`` to use a
        Dask cluster.
    """

    def __init__(self, store: Store, data_dir: Path, workers: int = 2) -> None:
        self.store = store
        self.data_dir = data_dir
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = (
            None  # started on first submit, again after shutdown
        )
        self._futures: dict[str, Future[None]] = {}
        self._stopping = threading.Event()
        self.fit_client: Any = "synchronous"
        self._mark_interrupted()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`shutdown` was called (long jobs stop at their next subject)."""
        return self._stopping.is_set()

    def report(self, job_id: str, progress: float, message: str) -> None:
        """Record a running job's progress (0-1) and message."""
        self._update(job_id, progress=float(progress), message=message[:2000])

    def _mark_interrupted(self) -> None:
        from sqlalchemy import update

        from neuroendo.app.store import Job, utcnow

        with self.store.write() as s:
            s.execute(
                update(Job)
                .where(Job.status.in_(("queued", "running")))
                .values(
                    status="failed", message="interrupted: the server stopped", finished_at=utcnow()
                )
            )

    def submit(self, kind: str, params: dict[str, Any]) -> str:
        """Create a job row and start it; return its id."""
        from neuroendo._core.validation import check_option
        from neuroendo.app.store import Job

        check_option("kind", kind, JOB_KINDS)
        job_id = secrets.token_hex(16)
        with self.store.write() as s:
            s.add(
                Job(id=job_id, kind=kind, status="queued", progress=0.0, message="", params=params)
            )
        if self._pool is None:
            self._stopping.clear()
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="neuroendo-job")
        self._futures[job_id] = self._pool.submit(self._run, job_id)
        return job_id

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until a job submitted by this runner finishes (for tests and scripts)."""
        fut = self._futures.get(job_id)
        if fut is not None:
            fut.result(timeout=timeout)

    def shutdown(self) -> None:
        """Stop the threads: queued jobs are dropped, fit jobs stop after their current subject.

        A later :meth:`submit` starts new threads.
        """
        pool, self._pool = self._pool, None
        if pool is not None:
            self._stopping.set()
            pool.shutdown(wait=True, cancel_futures=True)
            dropped = [j for j, f in self._futures.items() if f.cancelled()]
            if dropped:
                from sqlalchemy import update

                from neuroendo.app.store import Job, utcnow

                with self.store.write() as s:
                    s.execute(
                        update(Job)
                        .where(Job.id.in_(dropped), Job.status == "queued")
                        .values(
                            status="failed",
                            message="cancelled: the server stopped",
                            finished_at=utcnow(),
                        )
                    )
            self._futures = {j: f for j, f in self._futures.items() if not f.cancelled()}

    def _update(self, job_id: str, **values: Any) -> None:
        from sqlalchemy import update

        from neuroendo.app.store import Job

        with self.store.write() as s:
            s.execute(update(Job).where(Job.id == job_id).values(**values))

    def _run(self, job_id: str) -> None:
        from neuroendo.app.store import Job, utcnow

        with self.store.read() as s:
            job = s.get(Job, job_id)
            params = dict(job.params) if job is not None else {}
            kind = job.kind if job is not None else "measures"
        self._update(job_id, status="running", progress=0.05, message="loading observations")
        try:
            if kind == "fit":
                from neuroendo.app.fitjobs import run_fit_job

                summary = run_fit_job(self, job_id, params)
            else:
                summary = f"{self._measures(job_id, params)} subjects"
        except JobCancelled as exc:
            self._update(job_id, status="failed", message=str(exc), finished_at=utcnow())
            return
        except (NeuroendoError, ValueError) as exc:
            self._update(
                job_id,
                status="failed",
                message=" ".join(str(exc).split())[:2000],
                finished_at=utcnow(),
            )
            return
        except Exception as exc:  # a bug: record it, keep the server alive, log the traceback
            log.exception("job %s failed", job_id)
            self._update(
                job_id,
                status="failed",
                message=f"internal error: {exc!r}"[:2000],
                finished_at=utcnow(),
            )
            return
        self._update(
            job_id,
            status="done",
            progress=1.0,
            message=summary[:2000],
            result_name=f"{job_id}.csv",
            finished_at=utcnow(),
        )

    def _measures(self, job_id: str, params: dict[str, Any]) -> int:
        import math

        from sqlalchemy import insert, select

        from neuroendo import __version__
        from neuroendo.app.results import cohort_table, load_observations
        from neuroendo.app.store import DerivedResult, Subject

        codes = params.get("subjects") or None
        query = params.get("query") or ""
        with self.store.read() as s:
            if codes is None:
                q = select(Subject.code).order_by(Subject.code)
                if query:
                    q = q.where(Subject.code.contains(query))
                codes = list(s.scalars(q))
            obs = load_observations(s, codes)
            pairs = s.execute(select(Subject.code, Subject.id).where(Subject.code.in_(codes)))
            ids = {str(c): int(i) for c, i in pairs}
        if obs.empty:
            raise ValueError("no observations for the selected subjects")
        self._update(job_id, progress=0.3, message=f"computing measures of {len(codes)} subjects")
        table, units, messages = cohort_table(obs)
        self._update(job_id, progress=0.7, message="writing results")
        out = result_path(self.data_dir, job_id)
        assert out is not None  # job ids are generated here
        out.parent.mkdir(parents=True, exist_ok=True)
        header = table.rename(columns=lambda c: f"{c} [{units[c]}]" if c in units else c)
        tmp = out.with_suffix(".tmp")
        header.to_csv(tmp)
        tmp.replace(out)
        numeric = table.select_dtypes("number")
        with self.store.write() as s:
            rows = []
            for code, rec in zip(numeric.index, numeric.to_dict("records"), strict=True):
                for name, value in rec.items():
                    if name in ("age",) or value is None or not math.isfinite(float(value)):
                        continue
                    rows.append(
                        {
                            "subject_id": ids.get(str(code)),
                            "job_id": job_id,
                            "name": str(name),
                            "value": float(value),
                            "unit": units.get(str(name), "1"),
                            "method": _method(str(name)),
                            "package_version": __version__,
                        }
                    )
            if rows:
                s.execute(insert(DerivedResult), rows)
        if messages:
            self._update(job_id, message="; ".join(messages)[:1900])
        return len(table)


def _method(name: str) -> str:
    if name.startswith("balance_"):
        return "neuroendo.measures.composite.balance_profile (default references)"
    if name.startswith("cortisol_"):
        return "neuroendo.measures.cortisol.features (BioPsyKit definitions)"
    return "latest value, converted to the canonical unit"
