"""``neuroendo serve``: the web app on this machine (127.0.0.1 unless given a token)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def serve(
    host: Annotated[
        str, typer.Option(help="Interface to bind; anything but loopback needs --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="SQLAlchemy URL (default NEUROENDO_DATABASE_URL, else SQLite in the data "
            "directory); e.g. postgresql+psycopg://user@host/db.",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(envvar="NEUROENDO_TOKEN", help="Access token (required off loopback)."),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Data directory (default: the user's data directory)."),
    ] = None,
    max_upload_mb: Annotated[
        float, typer.Option(min=0.001, help="Largest accepted upload, in MiB.")
    ] = 20.0,
    open_browser: Annotated[
        bool, typer.Option("--open-browser/--no-open-browser", help="Open the start page.")
    ] = False,
) -> None:
    """Serve the web app: upload lab files, browse subjects, simulate, run cohort jobs."""
    from neuroendo.app import check_bind

    check_bind(host, token)  # before any heavy import: refuse early, exit code 2
    try:
        from neuroendo.app import serve as run_server
    except ImportError as exc:  # pragma: no cover - the package is importable without extras
        raise typer.BadParameter(str(exc)) from None
    run_server(
        host,
        port,
        database_url,
        token,
        data_dir=data_dir,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        open_browser=open_browser,
    )
