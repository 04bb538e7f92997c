"""Reliability: concurrent uploads to a real uvicorn server; every committed upload persists."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from neuroendo.app import Settings, create_app  # noqa: E402
from neuroendo.app.store import Store  # noqa: E402

N_UPLOADS = 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", port=_free_port())
    app = create_app(settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=settings.port, log_level="warning", lifespan="on"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{settings.port}", settings
    srv.should_exit = True
    thread.join(timeout=20)


def test_concurrent_uploads_all_committed(server):
    base, settings = server

    def upload(i: int) -> tuple[int, int, str]:
        body = f"subject,tsh [mIU/L],ft4 [pmol/L]\nc{i:03d},{1 + i / 100:.2f},{12 + i / 10:.1f}\n"
        with httpx.Client(base_url=base, timeout=60) as c:
            r = c.post("/api/uploads", files={"file": (f"u{i}.csv", body.encode(), "text/csv")})
        return i, r.status_code, r.text

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(upload, range(N_UPLOADS)))
    committed = [i for i, status, _ in results if status == 201]
    failed = [(i, status, text[:200]) for i, status, text in results if status != 201]
    assert failed == []
    assert len(committed) == N_UPLOADS
    # read back through a fresh connection: every committed upload and its rows are there
    store = Store(settings.resolved_database_url, migrate=False)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            n_up = conn.exec_driver_sql("SELECT count(*) FROM uploads").scalar()
            n_obs = conn.exec_driver_sql("SELECT count(*) FROM observations").scalar()
            codes = {r[0] for r in conn.exec_driver_sql("SELECT code FROM subjects")}
    finally:
        store.dispose()
    assert n_up == N_UPLOADS
    assert n_obs == 2 * N_UPLOADS
    assert codes == {f"c{i:03d}" for i in committed}
    with httpx.Client(base_url=base) as c:
        listed = c.get("/api/uploads", params={"limit": 1000}).json()
    assert len(listed) == N_UPLOADS
