"""Shared fixtures of the app tests: an app on a temporary SQLite store and its test client."""

from __future__ import annotations

import pytest


@pytest.fixture
def app(tmp_path):
    """The app on a fresh data directory (SQLite); modules may override it (PostgreSQL)."""
    pytest.importorskip("fastapi")
    pytest.importorskip("sqlalchemy")
    from neuroendo.app import Settings, create_app

    application = create_app(Settings(data_dir=tmp_path / "data"))
    yield application
    application.state.ctx.runner.shutdown()
    application.state.ctx.store.dispose()


@pytest.fixture
def client(app):
    """A TestClient of ``app`` on the loopback address."""
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
