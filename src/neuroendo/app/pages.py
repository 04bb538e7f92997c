"""Server-rendered pages (Jinja2): subjects, upload with lint report, subject, simulator, jobs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from neuroendo._core.errors import NeuroendoError
from neuroendo.app import api, ingest
from neuroendo.app.security import AUTH_COOKIE, CSRF_COOKIE, csrf_ok, session_value

__all__ = ["router", "templates"]

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    ctx = request.app.state.ctx
    context.setdefault("csrf_token", request.state.csrf_token)
    context.setdefault("auth", ctx.settings.token is not None)
    return templates.TemplateResponse(request, name, context, status_code=status)


def _check_csrf(request: Request, token: str | None) -> None:
    if not csrf_ok(request.cookies.get(CSRF_COOKIE), token):
        raise HTTPException(403, "Invalid or missing CSRF token; reload the page and retry.")


def _json(data: Any) -> str:
    """JSON for a <script type="application/json"> block (no '</' can close the tag)."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@router.get("/")
def index() -> RedirectResponse:
    """Start page: the subject list."""
    return RedirectResponse("/subjects", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/subjects") -> HTMLResponse:
    """Token form."""
    return _render(request, "login.html", next=_safe_next(next), error=None)


def _safe_next(nxt: str) -> str:
    return nxt if nxt.startswith("/") and not nxt.startswith("//") and "\\" not in nxt else "/"


@router.post("/login", response_model=None)
def login(
    request: Request,
    token: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/subjects",
) -> Response:
    """Check the token and set the login cookie."""
    import hmac

    _check_csrf(request, csrf_token)
    expected = request.app.state.ctx.settings.token
    if expected is None:
        return RedirectResponse(_safe_next(next), status_code=303)
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return _render(
            request, "login.html", status=401, next=_safe_next(next), error="Wrong token."
        )
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(AUTH_COOKIE, session_value(expected), httponly=True, samesite="strict")
    return resp


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Forget the login cookie."""
    _check_csrf(request, csrf_token)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(AUTH_COOKIE)
    return resp


@router.get("/subjects", response_class=HTMLResponse)
def subjects_page(request: Request, q: str = "", offset: int = 0) -> HTMLResponse:
    """Subject list with search."""
    ctx = request.app.state.ctx
    q = q[:200]
    offset = max(0, min(offset, 10**9))
    subjects = api.subject_summaries(ctx, q, 200, offset)
    return _render(request, "subjects.html", subjects=subjects, q=q, offset=offset)


@router.get("/subjects/{code}", response_class=HTMLResponse)
def subject_page(request: Request, code: str) -> HTMLResponse:
    """Time line, balance profile and a link to the HTML report."""
    ctx = request.app.state.ctx
    detail = api.subject_detail(ctx, code)
    bal = api.subject_balance(ctx, code)
    series: dict[str, dict[str, Any]] = {}
    for o in detail.observations:
        x = o.datetime.timestamp() * 1000 if o.datetime is not None else o.time
        if x is None:
            continue
        s = series.setdefault(f"{o.analyte} [{o.unit}]", {"x": [], "y": []})
        s["x"].append(x)
        s["y"].append(o.value)
    has_dates = any(o.datetime is not None for o in detail.observations)
    plot = {"series": series, "xlabel": "date" if has_dates else "time [min]", "dates": has_dates}
    return _render(request, "subject.html", s=detail, balance=bal, plot_json=_json(plot))


@router.get("/subjects/{code}/report", response_class=HTMLResponse)
def subject_report(request: Request, code: str) -> HTMLResponse:
    """Show the HTML report of :mod:`neuroendo.report` (a placeholder when it is absent)."""
    import warnings

    ctx = request.app.state.ctx
    api.subject_detail(ctx, code)  # 404
    from neuroendo.app.results import latest_values, load_observations, saliva_table

    with ctx.store.read() as s:
        obs = load_observations(s, [code])
    try:
        from neuroendo.report import render_report
    except ImportError:
        return _render(request, "report_missing.html", code=code)
    wide, units, _ = latest_values(obs)
    labs = wide.drop(columns=[c for c in ("saliva_cortisol",) if c in wide]).reset_index()
    labs = labs.dropna(axis=1, how="all")
    labs.attrs["units"] = {k: v for k, v in units.items() if k in labs.columns}
    kwargs: dict[str, Any] = {"subject": code, "source": "neuroendo app database"}
    if any(c not in ("subject", "age", "sex") for c in labs.columns):
        kwargs["labs"] = labs
    saliva, _ = saliva_table(obs)
    if saliva is not None:
        kwargs["saliva"] = saliva
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            html = render_report(title=f"neuroendo report: {code}", **kwargs)
        except (NeuroendoError, ValueError) as exc:
            return _render(request, "report_missing.html", code=code, error=str(exc))
    _ = caught
    resp = HTMLResponse(html)
    resp.headers["content-security-policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
    )
    return resp


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    """Show the upload form."""
    limit_mb = request.app.state.ctx.settings.max_upload_bytes / 1024 / 1024
    return _render(request, "upload.html", limit_mb=limit_mb)


@router.post("/upload", response_class=HTMLResponse)
def upload_submit(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Stage and lint the file; show the report with a "store" button when it is clean."""
    _check_csrf(request, csrf_token)
    rep = api.read_upload(request.app.state.ctx, file)
    return _render(
        request, "lint_report.html", r=rep.to_dict(), status=200 if rep.can_store else 422
    )


@router.post("/upload/{staged_id}/store", response_model=None)
def upload_store(
    request: Request, staged_id: str, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """Store a staged file (one transaction) and go to the subject list."""
    _check_csrf(request, csrf_token)
    ctx = request.app.state.ctx
    rep = ingest.check(ctx.data_dir, staged_id)
    if rep is None:
        raise HTTPException(404, "No such staged file; upload it again.")
    if not rep.can_store:
        return _render(request, "lint_report.html", r=rep.to_dict(), status=422)
    upload_id = api.store_report(ctx, rep)
    subjects = rep.to_dict()["subjects"]
    target = f"/subjects/{subjects[0]}" if len(subjects) == 1 else "/subjects"
    return RedirectResponse(f"{target}?stored={upload_id}", status_code=303)


@router.get("/simulate", response_class=HTMLResponse)
def simulate_page(
    request: Request,
    model: str = "",
    variant: str = "",
    protocol: str = "tsst",
    input: str = "",
    onset: float = 1.0,
    duration: float = 0.5,
    level: float = 1.0,
    dose: float = 100.0,
    t_end: float = 12.0,
    n_points: int = 241,
    params: str = "",
    output: str = "",
) -> HTMLResponse:
    """Choose model, protocol and parameters; see trajectories and stress-response metrics."""
    from neuroendo.app.sim import PROTOCOLS, model_catalogue

    catalogue = model_catalogue()
    form = {
        "model": model,
        "variant": variant,
        "protocol": protocol,
        "input": input,
        "onset": onset,
        "duration": duration,
        "level": level,
        "dose": dose,
        "t_end": t_end,
        "n_points": n_points,
        "params": params[:5000],
        "output": output,
    }
    result, error = None, None
    if model:
        try:
            overrides = _parse_params(params)
            body = api.SimulationIn(
                model=model,
                variant=variant or None,
                protocol=protocol,  # type: ignore[arg-type]
                input=input or None,
                onset=onset,
                duration=duration,
                level=level,
                dose=dose,
                t_end=t_end,
                n_points=n_points,
                params=overrides,
                output=output or None,
            )
            result = api.simulate(body).model_dump()
        except HTTPException as exc:
            error = str(exc.detail)
        except ValueError as exc:  # pydantic ValidationError and bad params text
            error = " ".join(str(exc).split())
    plot = None
    if result is not None:
        plot = {
            "series": {
                f"{k} [{result['units'][k]}]": {"x": result["t"], "y": v}
                for k, v in result["states"].items()
            },
            "xlabel": f"time [{result['time_unit']}]",
            "dates": False,
            "highlight": f"{result['output']} [{result['units'][result['output']]}]",
        }
    return _render(
        request,
        "simulate.html",
        models=catalogue,
        protocols=PROTOCOLS,
        f=form,
        result=result,
        error=error,
        plot_json=_json(plot) if plot else None,
        status=422 if error else 200,
    )


def _parse_params(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in text.replace(",", "\n").splitlines():
        if not line.strip():
            continue
        if "=" not in line:
            raise ValueError(f"parameter line {line.strip()!r}: write NAME=VALUE, e.g. krd=0.8")
        k, v = line.split("=", 1)
        try:
            out[k.strip()] = float(v)
        except ValueError:
            raise ValueError(f"parameter {k.strip()!r}: {v.strip()!r} is not a number") from None
    return out


_JOB_FORM = {
    "query": "",
    "model": "sriram2012",
    "free": "",
    "fixed": "",
    "starts": "5",
    "seed": "",
    "sigma": "",
    "ci": "wald",
    "pre_equilibration": "",
    "tsst_onset": "",
    "tsst_duration": "15",
}


def _jobs_page(
    request: Request, form: dict[str, str] | None = None, error: str | None = None
) -> HTMLResponse:
    from neuroendo.app.fitjobs import fit_models

    jobs = api.list_jobs(request.app.state.ctx, 100)
    f = {**_JOB_FORM, **(form or {})}
    return _render(
        request,
        "jobs.html",
        status=422 if error else 200,
        jobs=jobs,
        models=fit_models(),
        f=f,
        error=error,
    )


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request) -> HTMLResponse:
    """Job list and the form to start a cohort job (measures or a model fit)."""
    return _jobs_page(request)


def _job_in(kind: str, form: dict[str, str]) -> api.JobIn:
    """Build the API's job request from the form's strings (blank means default)."""
    body: dict[str, Any] = {"kind": kind or "measures", "query": form["query"]}
    if body["kind"] == "fit":
        body["model"] = form["model"] or "sriram2012"
        free = [x.strip() for x in form["free"].replace("\n", ",").split(",") if x.strip()]
        body["free"] = free or None
        fixed: dict[str, str] = {}
        for item in form["fixed"].replace("\n", ",").split(","):
            if not item.strip():
                continue
            k, sep, v = item.partition("=")
            if not sep or not k.strip():
                raise ValueError(f"fixed parameter {item.strip()!r}: write NAME=VALUE, e.g. A=3")
            fixed[k.strip()] = v.strip()
        body["fixed"] = fixed
        for name in ("starts", "seed", "sigma", "pre_equilibration", "tsst_onset"):
            if form[name].strip():
                body[name] = form[name].strip()
        if form["tsst_duration"].strip():
            body["tsst_duration"] = form["tsst_duration"].strip()
        body["ci"] = form["ci"] or "wald"
    return api.JobIn(**body)


@router.post("/jobs", response_model=None)
def jobs_submit(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    query: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=20)] = "measures",
    model: Annotated[str, Form(max_length=100)] = "",
    free: Annotated[str, Form(max_length=1000)] = "",
    fixed: Annotated[str, Form(max_length=1000)] = "",
    starts: Annotated[str, Form(max_length=20)] = "",
    seed: Annotated[str, Form(max_length=20)] = "",
    sigma: Annotated[str, Form(max_length=40)] = "",
    ci: Annotated[str, Form(max_length=20)] = "wald",
    pre_equilibration: Annotated[str, Form(max_length=40)] = "",
    tsst_onset: Annotated[str, Form(max_length=40)] = "",
    tsst_duration: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Start a cohort job (measures or a model fit) and go to its progress page."""
    from pydantic import ValidationError

    _check_csrf(request, csrf_token)
    form = {
        "query": query,
        "model": model,
        "free": free,
        "fixed": fixed,
        "starts": starts,
        "seed": seed,
        "sigma": sigma,
        "ci": ci,
        "pre_equilibration": pre_equilibration,
        "tsst_onset": tsst_onset,
        "tsst_duration": tsst_duration,
    }
    try:
        body = _job_in(kind, form)
    except ValidationError as exc:
        msgs = []
        for e in exc.errors(include_url=False):
            where = ".".join(map(str, e["loc"]))
            text = str(e["msg"]).removeprefix("Value error, ")
            msgs.append(f"{where}: {text}" if where else text)
        return _jobs_page(request, form, "; ".join(msgs))
    except ValueError as exc:
        return _jobs_page(request, form, str(exc))
    job_id = request.app.state.ctx.runner.submit(body.kind, body.job_params())
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    """Progress (polled by JavaScript) and the result download."""
    job = api.get_job(request.app.state.ctx, job_id)
    return _render(request, "job.html", job=job)
