"""The JSON API (``/api/...``), described by the OpenAPI schema at ``/api/openapi.json``.

The pages use the same functions; every route here returns JSON except the downloads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field, model_validator

from neuroendo._core.errors import NeuroendoError
from neuroendo.app import ingest
from neuroendo.app.jobs import JobRunner, result_path
from neuroendo.app.store import Store

__all__ = ["AppContext", "router"]


@dataclass
class AppContext:
    """Everything a request handler needs (held in ``app.state.ctx``)."""

    settings: Any
    store: Store
    runner: JobRunner

    @property
    def data_dir(self) -> Path:
        """The app's data directory."""
        return Path(self.settings.data_dir)


def get_ctx(request: Request) -> AppContext:
    """FastAPI dependency: the app context."""
    ctx: AppContext = request.app.state.ctx
    return ctx


Ctx = Annotated[AppContext, Depends(get_ctx)]
router = APIRouter(prefix="/api")


# --------------------------------------------------------------------------- schemas
class IssueOut(BaseModel):
    """One lint issue."""

    severity: str
    code: str
    message: str
    subject: str | None = None
    row: int | None = None
    column: str | None = None


class LintReportOut(BaseModel):
    """The lint report of an uploaded file."""

    staged_id: str
    filename: str
    format: str
    sha256: str
    size: int
    can_store: bool
    n_errors: int
    n_warnings: int
    issues: list[IssueOut]
    n_observations: int
    subjects: list[str]
    analytes: list[str]


class UploadOut(BaseModel):
    """A stored upload."""

    id: int
    filename: str
    sha256: str
    size: int
    format: str
    n_observations: int
    package_version: str
    created_at: dt.datetime
    issues: list[IssueOut] = []


class StoredOut(BaseModel):
    """Result of storing an upload."""

    upload: UploadOut
    report: LintReportOut


class SubjectOut(BaseModel):
    """A subject with counts."""

    code: str
    sex: str | None = None
    age: float | None = None
    n_observations: int
    analytes: list[str]


class ObservationOut(BaseModel):
    """One observation, value as sent."""

    analyte: str
    value: float
    unit: str
    loinc: str | None
    time: float | None = Field(None, description="minutes")
    datetime: dt.datetime | None
    sample: str | None
    condition: str | None
    upload_id: int


class SubjectDetailOut(SubjectOut):
    """A subject with its observations."""

    observations: list[ObservationOut]


class BalanceOut(BaseModel):
    """Balance profile of one subject (research summary, not a diagnosis)."""

    subject: str
    index: float | None
    axes: list[dict[str, Any]]
    components: list[dict[str, Any]]
    messages: list[str]


class SimulationIn(BaseModel):
    """A simulation request; times in the model's time unit."""

    model: str = Field(..., max_length=100, examples=["sriram2012"])
    variant: str | None = Field(None, max_length=100)
    protocol: Literal["none", "step", "tsst", "levothyroxine"] = "tsst"
    input: str | None = Field(None, max_length=100)
    onset: float = Field(1.0, ge=0, le=1e5)
    duration: float = Field(0.5, gt=0, le=1e5)
    level: float = Field(1.0, ge=0, le=1e6)
    dose: float = Field(100.0, ge=0, le=1e6)
    t_end: float = Field(12.0, gt=0, le=1e5)
    n_points: int = Field(241, ge=2, le=2000)
    params: dict[str, float] = Field(default_factory=dict, max_length=200)
    output: str | None = Field(None, max_length=100)


class SimulationOut(BaseModel):
    """Trajectories and stress-response metrics."""

    model: str
    t: list[float | None]
    time_unit: str
    states: dict[str, list[float | None]]
    units: dict[str, str]
    output: str
    metrics: dict[str, Any] | None
    messages: list[str]


FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class JobIn(BaseModel):
    """A cohort job: measures, or a model fit, over a group of subjects.

    The fields after ``query`` apply to ``kind="fit"`` only (see ``neuroendo.app.fitjobs``).
    """

    kind: Literal["measures", "fit"] = "measures"
    subjects: list[Annotated[str, Field(max_length=200)]] | None = Field(
        None, max_length=100000, description="subject codes (default: all, or those of query)"
    )
    query: str = Field("", max_length=200, description="subject code contains this text")
    model: str = Field(
        "sriram2012", max_length=100, description="fit: HPA model with ACTH and cortisol states"
    )
    free: list[Annotated[str, Field(max_length=200)]] | None = Field(
        None,
        max_length=12,
        description="fit: parameters to estimate, NAME or NAME=LOWER:UPPER (default per model; "
        "scale_<analyte> of dimensionless states, sigma_<analyte> and the TSST amplitude A are "
        "estimated unless fixed)",
        examples=[["V_S4", "K_P3=0.01:10"]],
    )
    fixed: dict[Annotated[str, Field(max_length=100)], FiniteFloat] = Field(
        default_factory=dict, max_length=50, description="fit: parameters held at these values"
    )
    starts: int = Field(5, ge=1, le=50, description="fit: multistart count per subject")
    seed: int | None = Field(None, ge=0, le=2**32 - 1, description="fit: root seed")
    sigma: float | None = Field(
        None, gt=0, le=10, description="fit: log-normal noise SD of every analyte (else estimated)"
    )
    ci: Literal["wald", "profile", "none"] = Field("wald", description="fit: confidence intervals")
    pre_equilibration: float | None = Field(
        None, ge=0, le=1e4, description="fit: model time unit; default per model, 0 for none"
    )
    tsst_onset: float | None = Field(
        None, ge=0, le=1e4, description="fit: TSST start in minutes (adds amplitude A)"
    )
    tsst_duration: float = Field(15.0, gt=0, le=1e3, description="fit: TSST length in minutes")

    @model_validator(mode="after")
    def _check_fit(self) -> JobIn:
        """Check a fit job's model and parameter names (unknown ones give HTTP 422)."""
        if self.kind == "fit":
            from neuroendo.app.fitjobs import check_fit_params

            check_fit_params(self.job_params())
        return self

    def job_params(self) -> dict[str, Any]:
        """Return the parameters stored with the job (fit parameters completed)."""
        if self.kind == "measures":
            return {"subjects": self.subjects, "query": self.query}
        from neuroendo.app.fitjobs import check_fit_params

        return check_fit_params(self.model_dump(exclude={"kind"}))


class JobOut(BaseModel):
    """A job's state."""

    id: str
    kind: str
    status: str
    progress: float
    message: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    result_url: str | None


class ErrorOut(BaseModel):
    """An error message."""

    detail: Any


# --------------------------------------------------------------------------- helpers
def _utc(x: dt.datetime | None) -> dt.datetime | None:
    if x is None:
        return None
    return x if x.tzinfo is not None else x.replace(tzinfo=dt.UTC)


def _utc_req(x: dt.datetime) -> dt.datetime:
    return x if x.tzinfo is not None else x.replace(tzinfo=dt.UTC)


def upload_out(up: Any) -> UploadOut:
    """Serialise an :class:`~neuroendo.app.store.Upload`."""
    return UploadOut(
        id=up.id,
        filename=up.filename,
        sha256=up.sha256,
        size=up.size,
        format=up.format,
        n_observations=up.n_observations,
        package_version=up.package_version,
        created_at=_utc_req(up.created_at),
        issues=[IssueOut(**i) for i in up.issues or []],
    )


def job_out(job: Any) -> JobOut:
    """Serialise a :class:`~neuroendo.app.store.Job`."""
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=job.progress,
        message=job.message,
        created_at=_utc_req(job.created_at),
        finished_at=_utc(job.finished_at),
        result_url=f"/api/jobs/{job.id}/result" if job.status == "done" else None,
    )


def read_upload(ctx: AppContext, file: UploadFile) -> ingest.Report:
    """Stage and lint an uploaded file (size already limited by the middleware)."""
    limit = ctx.settings.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, "Upload too large.")
    sid, _ = ingest.stage(ctx.data_dir, file.filename, data)
    rep = ingest.check(ctx.data_dir, sid)
    assert rep is not None  # just staged
    return rep


def store_report(ctx: AppContext, rep: ingest.Report) -> int:
    """Commit a checked report; 409 for a duplicate file."""
    try:
        return ingest.commit(ctx.store, ctx.data_dir, rep)
    except ingest.DuplicateUpload as exc:
        ingest.discard(ctx.data_dir, rep.staged_id)
        raise HTTPException(409, str(exc)) from None


def subject_summaries(ctx: AppContext, q: str, limit: int, offset: int) -> list[SubjectOut]:
    """Subjects whose code contains ``q``, with observation counts and analytes."""
    from sqlalchemy import func, select

    from neuroendo.app.store import Observation, Subject

    with ctx.store.read() as s:
        stmt = select(Subject).order_by(Subject.code).limit(limit).offset(offset)
        if q:
            stmt = stmt.where(Subject.code.contains(q, autoescape=True))
        subjects = list(s.scalars(stmt))
        ids = [x.id for x in subjects]
        counts = dict(
            s.execute(
                select(Observation.subject_id, func.count())
                .where(Observation.subject_id.in_(ids))
                .group_by(Observation.subject_id)
            ).all()
        )
        pairs = s.execute(
            select(Observation.subject_id, Observation.analyte)
            .where(Observation.subject_id.in_(ids))
            .distinct()
        ).all()
    analytes: dict[int, list[str]] = {}
    for sid, a in pairs:
        analytes.setdefault(sid, []).append(a)
    return [
        SubjectOut(
            code=x.code,
            sex=x.sex,
            age=x.age,
            n_observations=counts.get(x.id, 0),
            analytes=sorted(analytes.get(x.id, [])),
        )
        for x in subjects
    ]


def subject_detail(ctx: AppContext, code: str) -> SubjectDetailOut:
    """One subject with its observations, or 404."""
    from sqlalchemy import select

    from neuroendo.app.store import Observation, Subject

    with ctx.store.read() as s:
        sub = s.scalar(select(Subject).where(Subject.code == code))
        if sub is None:
            raise HTTPException(404, f"No subject {code!r}.")
        obs = list(
            s.scalars(
                select(Observation)
                .where(Observation.subject_id == sub.id)
                .order_by(Observation.datetime, Observation.time, Observation.id)
            )
        )
    out = [
        ObservationOut(
            analyte=o.analyte,
            value=o.value,
            unit=o.unit,
            loinc=o.loinc,
            time=o.time,
            datetime=_utc(o.datetime),
            sample=o.sample,
            condition=o.condition,
            upload_id=o.upload_id,
        )
        for o in obs
    ]
    return SubjectDetailOut(
        code=sub.code,
        sex=sub.sex,
        age=sub.age,
        n_observations=len(out),
        analytes=sorted({o.analyte for o in out}),
        observations=out,
    )


def subject_balance(ctx: AppContext, code: str) -> BalanceOut:
    """Balance profile of one subject from its latest values."""
    from neuroendo.app.results import balance, latest_values, load_observations

    subject_detail(ctx, code)  # 404 if unknown
    with ctx.store.read() as s:
        obs = load_observations(s, [code])
    wide, units, messages = latest_values(obs)
    bal = balance(wide, units)
    index = bal["index"][0] if bal["index"] else None
    return BalanceOut(
        subject=code,
        index=index,
        axes=bal["axes"],
        components=bal["components"],
        messages=messages + bal["messages"],
    )


def simulate(body: SimulationIn) -> SimulationOut:
    """Run a simulation; bad requests raise HTTP 422 with the library's message."""
    from neuroendo.app.sim import SimulationRequest, run_simulation

    try:
        out = run_simulation(SimulationRequest(**body.model_dump()))
    except (NeuroendoError, ValueError, KeyError) as exc:
        raise HTTPException(422, " ".join(str(exc).split())) from None
    return SimulationOut(**out)


# --------------------------------------------------------------------------- routes
_ERR: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    404: {"model": ErrorOut},
    413: {"model": ErrorOut},
}


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    """Liveness check (no authentication)."""
    from neuroendo import __version__

    return {"status": "ok", "version": __version__}


@router.get("/subjects", response_model=list[SubjectOut], tags=["subjects"], responses=_ERR)
def list_subjects(
    ctx: Ctx,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[SubjectOut]:
    """Subjects whose code contains ``q``."""
    return subject_summaries(ctx, q, limit, offset)


@router.get("/subjects/{code}", response_model=SubjectDetailOut, tags=["subjects"], responses=_ERR)
def get_subject(ctx: Ctx, code: str) -> SubjectDetailOut:
    """Return a subject and its time line of observations."""
    return subject_detail(ctx, code)


@router.get(
    "/subjects/{code}/balance", response_model=BalanceOut, tags=["subjects"], responses=_ERR
)
def get_balance(ctx: Ctx, code: str) -> BalanceOut:
    """Balance profile from the latest values (a research summary, not a diagnosis)."""
    return subject_balance(ctx, code)


@router.post("/uploads/lint", response_model=LintReportOut, tags=["uploads"], responses=_ERR)
def lint_upload(ctx: Ctx, file: Annotated[UploadFile, File()]) -> LintReportOut:
    """Lint a file without storing it; the report's ``staged_id`` can then be stored."""
    rep = read_upload(ctx, file)
    return LintReportOut(**rep.to_dict())


@router.post(
    "/uploads",
    response_model=StoredOut,
    status_code=201,
    tags=["uploads"],
    responses={**_ERR, 409: {"model": ErrorOut}, 422: {"model": LintReportOut}},
)
def create_upload(ctx: Ctx, file: Annotated[UploadFile, File()]) -> Any:
    """Lint and store a file in one transaction; a file with errors gives its report (422)."""
    rep = read_upload(ctx, file)
    if not rep.can_store:
        ingest.discard(ctx.data_dir, rep.staged_id)
        return JSONResponse(rep.to_dict(), status_code=422)
    upload_id = store_report(ctx, rep)
    return StoredOut(upload=get_upload(ctx, upload_id), report=LintReportOut(**rep.to_dict()))


@router.post(
    "/uploads/staged/{staged_id}",
    response_model=StoredOut,
    status_code=201,
    tags=["uploads"],
    responses={**_ERR, 409: {"model": ErrorOut}, 422: {"model": LintReportOut}},
)
def store_staged(ctx: Ctx, staged_id: str) -> Any:
    """Store a file linted before by ``/api/uploads/lint``."""
    rep = ingest.check(ctx.data_dir, staged_id)
    if rep is None:
        raise HTTPException(404, "No such staged file; upload it again.")
    if not rep.can_store:
        return JSONResponse(rep.to_dict(), status_code=422)
    upload_id = store_report(ctx, rep)
    return StoredOut(upload=get_upload(ctx, upload_id), report=LintReportOut(**rep.to_dict()))


@router.get("/uploads", response_model=list[UploadOut], tags=["uploads"], responses=_ERR)
def list_uploads(
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[UploadOut]:
    """List stored uploads, newest first."""
    from sqlalchemy import select

    from neuroendo.app.store import Upload

    with ctx.store.read() as s:
        ups = s.scalars(select(Upload).order_by(Upload.id.desc()).limit(limit).offset(offset))
        return [upload_out(u) for u in ups]


@router.get("/uploads/{upload_id}", response_model=UploadOut, tags=["uploads"], responses=_ERR)
def get_upload(ctx: Ctx, upload_id: int) -> UploadOut:
    """One stored upload."""
    from neuroendo.app.store import Upload

    with ctx.store.read() as s:
        up = s.get(Upload, upload_id) if 0 < upload_id < 2**62 else None
        if up is None:
            raise HTTPException(404, f"No upload {upload_id}.")
        return upload_out(up)


@router.get("/uploads/{upload_id}/file", tags=["uploads"], responses=_ERR)
def download_upload(ctx: Ctx, upload_id: int) -> FileResponse:
    """Download the original file as uploaded (stored under its sha256 name)."""
    from neuroendo.app.store import Upload

    with ctx.store.read() as s:
        up = s.get(Upload, upload_id) if 0 < upload_id < 2**62 else None
        if up is None:
            raise HTTPException(404, f"No upload {upload_id}.")
        stored, filename = up.stored_name, up.filename
    base = (ctx.data_dir / "files").resolve()
    path = (base / stored).resolve()
    if path.parent != base or not path.is_file():
        raise HTTPException(404, "The original file is missing from the data directory.")
    return FileResponse(path, filename=filename, media_type="application/octet-stream")


@router.get("/models", tags=["simulation"])
def list_models() -> list[dict[str, Any]]:
    """List the models: states, inputs, parameters (value, unit, bounds), variants."""
    from neuroendo.app.sim import model_catalogue

    return model_catalogue()


@router.post(
    "/simulate",
    response_model=SimulationOut,
    tags=["simulation"],
    responses={**_ERR, 422: {"model": ErrorOut}},
)
def post_simulate(body: SimulationIn) -> SimulationOut:
    """Simulate a model under a stress or dosing protocol; trajectories and metrics."""
    return simulate(body)


@router.post("/jobs", response_model=JobOut, status_code=202, tags=["jobs"], responses=_ERR)
def create_job(ctx: Ctx, body: JobIn) -> JobOut:
    """Start a cohort job (measures or a model fit) in the background; poll its progress.

    Poll ``GET /api/jobs/{id}``; the CSV is at ``GET /api/jobs/{id}/result`` when done. A fit
    job with an unknown model or parameter name is refused with 422.
    """
    job_id = ctx.runner.submit(body.kind, body.job_params())
    return get_job(ctx, job_id)


@router.get("/jobs", response_model=list[JobOut], tags=["jobs"], responses=_ERR)
def list_jobs(ctx: Ctx, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[JobOut]:
    """Jobs, newest first."""
    from sqlalchemy import select

    from neuroendo.app.store import Job

    with ctx.store.read() as s:
        return [
            job_out(j) for j in s.scalars(select(Job).order_by(Job.created_at.desc()).limit(limit))
        ]


@router.get("/jobs/{job_id}", response_model=JobOut, tags=["jobs"], responses=_ERR)
def get_job(ctx: Ctx, job_id: str) -> JobOut:
    """Return a job's status and progress (0-1)."""
    from neuroendo.app.store import Job

    with ctx.store.read() as s:
        job = s.get(Job, job_id) if len(job_id) <= 32 else None
        if job is None:
            raise HTTPException(404, f"No job {job_id!r}.")
        return job_out(job)


@router.get("/jobs/{job_id}/result", tags=["jobs"], responses=_ERR)
def download_job(ctx: Ctx, job_id: str) -> FileResponse:
    """Download the job's result table as CSV (units in the headers)."""
    path = result_path(ctx.data_dir, job_id)
    if path is None or not path.is_file():
        raise HTTPException(404, "No result for this job (yet).")
    return FileResponse(path, filename=f"neuroendo-{job_id}.csv", media_type="text/csv")
