"""The neuroendo web app: ``neuroendo serve`` (FastAPI, server-rendered pages, SQLite).

A study nurse or endocrinologist uploads lab results (CSV/Excel, FHIR R4, HL7 v2), sees the lint
report before anything is stored, browses subjects' time lines and balance profiles, tries "what
if" stress or dosing scenarios on a model, and runs cohort measures in the background, on their
own machine: the server binds 127.0.0.1 unless given a token.

Importing this package is light (standard library only); FastAPI, SQLAlchemy and uvicorn load in
:func:`create_app` and :func:`serve`. Install them with ``pip install "neuroendo[app]"``.

Examples
--------
>>> from neuroendo.app import Settings
>>> Settings(data_dir="/tmp/ne", host="127.0.0.1").resolved_database_url
'sqlite:////tmp/ne/neuroendo.sqlite3'
"""

from __future__ import annotations

import logging
import threading
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuroendo.app.config import Settings, default_data_dir
from neuroendo.app.security import check_bind, is_loopback

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = [
    "Settings",
    "check_bind",
    "create_app",
    "default_data_dir",
    "is_loopback",
    "load_demo",
    "serve",
    "serve_demo",
]

log = logging.getLogger("neuroendo.app")


def _require_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import jinja2  # noqa: F401
        import python_multipart  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"The web app needs extra packages ({exc.name} is missing): "
            'pip install "neuroendo[app]"'
        ) from None


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the FastAPI application: database (migrated), job runner, pages and JSON API.

    Parameters
    ----------
    settings : Settings, optional
        Default :meth:`Settings.from_env` (SQLite in the user's data directory).

    Returns
    -------
    fastapi.FastAPI
        Pages at ``/``, the JSON API under ``/api`` with its schema at ``/api/openapi.json``;
        ``app.state.ctx`` holds the store and the job runner.

    Raises
    ------
    ValueError
        If the host is not loopback and no token is configured.
    ImportError
        If the ``app`` extra is not installed.

    References
    ----------
    .. [1] FastAPI. https://fastapi.tiangolo.com ; SQLAlchemy 2.0. https://docs.sqlalchemy.org

    Examples
    --------
    >>> import tempfile
    >>> app = create_app(Settings(data_dir=tempfile.mkdtemp()))
    >>> app.title
    'neuroendo'
    >>> app.state.ctx.runner.shutdown()
    """
    _require_extra()
    from contextlib import asynccontextmanager

    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from neuroendo import __version__
    from neuroendo.app import api, pages
    from neuroendo.app.jobs import JobRunner
    from neuroendo.app.security import SecurityMiddleware
    from neuroendo.app.store import Store

    settings = settings if settings is not None else Settings.from_env()
    check_bind(settings.host, settings.token)
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.resolved_database_url)
    runner = JobRunner(store, data_dir, workers=settings.job_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        runner.shutdown()
        store.dispose()

    app = FastAPI(
        title="neuroendo",
        version=__version__,
        description="Upload lab results, see balance profiles, simulate stress and dosing "
        "scenarios, run cohort measures. Research software: not a diagnostic device.",
        docs_url=None,  # Swagger UI loads from a CDN: not offered
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.ctx = api.AppContext(settings=settings, store=store, runner=runner)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.add_middleware(SecurityMiddleware, settings=settings)
    return app


def load_demo(app: FastAPI) -> int:
    """Store the bundled example study (BioPsyKit saliva cortisol, 26 subjects) in the app.

    Parameters
    ----------
    app : fastapi.FastAPI
        From :func:`create_app`.

    Returns
    -------
    int
        The upload id (the CSV is kept in the data directory like any upload).

    Raises
    ------
    ValueError
        If the example data fail their own lint (a packaging bug).

    References
    ----------
    .. [1] Richer R et al. BioPsyKit: A Python package for the analysis of biopsychological data.
       JOSS. 2021;6(66):3702. doi:10.21105/joss.03702

    Examples
    --------
    >>> import tempfile
    >>> app = create_app(Settings(data_dir=tempfile.mkdtemp()))
    >>> load_demo(app)
    1
    >>> app.state.ctx.runner.shutdown()
    """
    from neuroendo import datasets
    from neuroendo.app import ingest

    ctx = app.state.ctx
    df = datasets.load_cortisol_sample().reset_index()
    df = df.rename(columns={"cortisol": "saliva_cortisol [nmol/L]", "time": "time [min]"})
    data = df.to_csv(index=False).encode()
    sid, _ = ingest.stage(ctx.data_dir, "biopsykit_cortisol_sample.csv", data)
    rep = ingest.check(ctx.data_dir, sid)
    if rep is None or not rep.can_store:
        raise ValueError(f"the bundled example data do not pass the lint: {rep and rep.issues}")
    return ingest.commit(ctx.store, ctx.data_dir, rep)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    database_url: str | None = None,
    token: str | None = None,
    *,
    data_dir: str | Path | None = None,
    max_upload_bytes: int | None = None,
    open_browser: bool = False,
    log_level: str = "info",
    app: FastAPI | None = None,
) -> None:
    """Run the app with uvicorn until interrupted.

    Parameters
    ----------
    host : str, default "127.0.0.1"
        Interface; anything but loopback requires ``token``.
    port : int, default 8000
        TCP port.
    database_url : str, optional
        SQLAlchemy URL (default ``NEUROENDO_DATABASE_URL``, else SQLite in ``data_dir``).
    token : str, optional
        Access token (default ``NEUROENDO_TOKEN``).
    data_dir : str or Path, optional
        Data directory (default :func:`default_data_dir`).
    max_upload_bytes : int, optional
        Upload limit in bytes (default 20 MiB).
    open_browser : bool, default False
        Open the start page in the default browser once the server runs.
    log_level : str, default "info"
        uvicorn's log level.
    app : fastapi.FastAPI, optional
        A prepared app (used by :func:`serve_demo`); ``host`` and ``port`` still apply.

    Raises
    ------
    ValueError
        If ``host`` is not loopback and there is no token (checked before anything starts).

    References
    ----------
    .. [1] uvicorn. https://www.uvicorn.org

    Examples
    --------
    >>> serve("0.0.0.0", token=None)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ValueError: Refusing to bind '0.0.0.0' without an access token...
    """
    settings = Settings.from_env(
        host=host,
        port=port,
        database_url=database_url,
        token=token,
        data_dir=data_dir,
        max_upload_bytes=max_upload_bytes,
    )
    _require_extra()
    import uvicorn

    application = app if app is not None else create_app(settings)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    log.info("neuroendo app at %s (data in %s)", url, settings.data_dir)
    uvicorn.run(application, host=host, port=port, log_level=log_level)


def serve_demo(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    data_dir: str | Path | None = None,
    token: str | None = None,
    open_browser: bool = True,
    log_level: str = "info",
) -> None:
    """Load the bundled example data into a fresh database and serve the app.

    Parameters
    ----------
    host, port : str, int
        Where to listen (loopback by default).
    data_dir : str or Path, optional
        Folder for the fresh database; default a new temporary folder (the demo never touches
        the user's own data directory).
    token : str, optional
        Access token (needed for a non-loopback host).
    open_browser : bool, default True
        Open the subject list in the browser.
    log_level : str, default "info"
        uvicorn's log level.

    Raises
    ------
    ValueError
        If ``host`` is not loopback and there is no token.

    References
    ----------
    .. [1] Richer R et al. JOSS. 2021;6(66):3702 (the example study).

    Examples
    --------
    >>> serve_demo("0.0.0.0")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ValueError: Refusing to bind '0.0.0.0' without an access token...
    """
    import tempfile

    check_bind(host, token)
    folder = (
        Path(data_dir) if data_dir is not None else Path(tempfile.mkdtemp(prefix="neuroendo-demo-"))
    )
    settings = Settings(
        data_dir=folder,
        host=host,
        port=port,
        token=token,
        database_url=f"sqlite:///{(folder / 'demo.sqlite3').as_posix()}",
    )
    app = create_app(settings)
    load_demo(app)
    serve(
        host,
        port,
        token=token,
        data_dir=folder,
        database_url=settings.database_url,
        open_browser=open_browser,
        log_level=log_level,
        app=app,
    )
