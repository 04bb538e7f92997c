"""Reliability of the app under load and crashes, on SQLite and (when available) PostgreSQL.

Each test runs ``neuroendo.app.serve`` in a subprocess (a real uvicorn server on a free
loopback port) and fires uploads at it from a thread pool.

Invariants checked after every run (:func:`_check_invariants`):

1. every upload the server acknowledged (HTTP 201 with an id) is in the database under that id,
   with the checksum of the bytes sent and all its observations (count and values);
2. no half-written upload: every ``uploads`` row has exactly ``n_observations`` observations
   (and at least one), every subject has at least one observation, no observation points to a
   missing upload or subject;
3. every stored upload's original file is in ``files/`` with the recorded sha256;
4. every upload in the database is one of the files sent (no phantom rows);
5. the database itself is sound (SQLite ``PRAGMA integrity_check`` is ``ok``).

PostgreSQL runs use ``NEUROENDO_TEST_POSTGRES_URL`` (e.g.
``postgresql://neuroendo:neuroendo@127.0.0.1:5432/neuroendo_test``) and skip when it is unset;
each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
sqlalchemy = pytest.importorskip("sqlalchemy")
httpx = pytest.importorskip("httpx")

from neuroendo.app import Settings  # noqa: E402

N_LOAD = 200  # uploads in the load test
N_KILL = 120  # uploads fired per round of the SIGKILL test
KILL_AFTER = (15, 45)  # acknowledged uploads before the server is killed, per round


# --------------------------------------------------------------------------- databases
def _postgres_base_url() -> str:
    url = os.environ.get("NEUROENDO_TEST_POSTGRES_URL", "").strip()
    if not url:
        pytest.skip("PostgreSQL not configured: set NEUROENDO_TEST_POSTGRES_URL")
    pytest.importorskip("psycopg")
    return url


def _postgres_schema_url(base: str, schema: str) -> str:
    """SQLAlchemy URL (psycopg 3 driver) whose connections use ``schema`` only."""
    url = sqlalchemy.engine.make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """``(database_url, data_dir)``: a file SQLite database or a fresh PostgreSQL schema."""
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        yield Settings(data_dir=data_dir).resolved_database_url, data_dir
        return
    base = _postgres_base_url()
    schema = f"ne_test_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(_postgres_schema_url(base, "public"))
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sqlalchemy.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at NEUROENDO_TEST_POSTGRES_URL not reachable: {exc}")
    try:
        yield _postgres_schema_url(base, schema), data_dir
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


# --------------------------------------------------------------------------- server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_SERVE = (
    "import sys\n"
    "from neuroendo.app import serve\n"
    "serve('127.0.0.1', int(sys.argv[1]), database_url=sys.argv[2], data_dir=sys.argv[3],\n"
    "      log_level='warning')\n"
)


@dataclass
class Server:
    """A ``neuroendo serve`` subprocess on loopback."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)


def _start(database_url: str, data_dir: Path, log: Path) -> Server:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEUROENDO_")}
    with log.open("ab") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-c", _SERVE, str(port), database_url, str(data_dir)],
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.proc.kill()
            pytest.fail(f"server did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


@pytest.fixture
def servers(tmp_path):
    """Start servers with ``servers(database_url, data_dir)``; all are stopped at the end."""
    started: list[Server] = []

    def start(database_url: str, data_dir: Path) -> Server:
        srv = _start(database_url, data_dir, tmp_path / "server.log")
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()
    log = tmp_path / "server.log"
    text = log.read_text() if log.exists() else ""
    assert "Traceback" not in text, text[-5000:]


# --------------------------------------------------------------------------- uploads
@dataclass
class Sent:
    """The uploads fired at the server and what it answered."""

    files: dict[str, set[tuple[str, str, float]]] = field(default_factory=dict)  # sha -> rows
    acked: dict[int, str] = field(default_factory=dict)  # upload id -> sha (HTTP 201)
    answers: list[tuple[int, int | None, str]] = field(default_factory=list)  # (i, status, text)


def _csv(i: int, n_rows: int = 6) -> tuple[bytes, set[tuple[str, str, float]]]:
    """A distinct small wide table: ``n_rows`` rows (own and shared subjects), TSH and fT4."""
    lines = ["subject,time [min],tsh [mIU/L],ft4 [pmol/L]"]
    rows: set[tuple[str, str, float]] = set()
    for k in range(n_rows):
        # half the rows belong to subjects shared between uploads (repeat visits)
        code = f"r{i:04d}" if k % 2 == 0 else f"shared{(i + k) % 9}"
        tsh = round(0.5 + (i * 37 + k) % 300 / 100, 2)
        ft4 = round(10 + (i * 13 + k) % 100 / 10, 1)
        lines.append(f"{code},{k * 10},{tsh},{ft4}")
        rows |= {(code, "tsh", tsh), (code, "ft4", ft4)}
    return ("\n".join(lines) + "\n").encode(), rows


def _fire(base: str, ids: list[int], sent: Sent, workers: int, *, stop_after: int | None = None,
          on_stop=None) -> None:  # fmt: skip
    """POST ``/api/uploads`` for each ``i`` in ``ids`` from ``workers`` threads."""
    acked = 0
    with httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=workers)) as c:

        def one(i: int) -> tuple[int, int | None, str]:
            data, _ = _csv(i)
            try:
                r = c.post("/api/uploads", files={"file": (f"visit{i}.csv", data, "text/csv")})
            except httpx.TransportError as exc:
                return i, None, repr(exc)
            return i, r.status_code, r.text

        for i in ids:
            data, rows = _csv(i)
            sent.files[hashlib.sha256(data).hexdigest()] = rows
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(one, i) for i in ids]
            for fut in as_completed(futures):
                i, status, text = fut.result()
                sent.answers.append((i, status, text))
                if status == 201:
                    up = httpx.Response(201, text=text).json()["upload"]
                    sent.acked[int(up["id"])] = up["sha256"]
                    acked += 1
                    if stop_after is not None and acked == stop_after and on_stop is not None:
                        on_stop()


def _check_invariants(database_url: str, data_dir: Path, sent: Sent) -> dict[int, str]:
    """Assert invariants 1-5 of the module docstring; return ``{upload id: sha256}``."""
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as conn:
            q = conn.exec_driver_sql
            columns = "id, sha256, n_observations, stored_name"
            uploads = {
                int(i): (sha, int(n), name)
                for i, sha, n, name in q(f"SELECT {columns} FROM uploads")
            }
            obs: dict[int, set[tuple[str, str, float]]] = {}
            counts: dict[int, int] = {}
            for up, code, analyte, value in q(
                "SELECT o.upload_id, s.code, o.analyte, o.value FROM observations o "
                "JOIN subjects s ON s.id = o.subject_id"
            ):
                obs.setdefault(int(up), set()).add((code, analyte, float(value)))
                counts[int(up)] = counts.get(int(up), 0) + 1
            n_obs = q("SELECT count(*) FROM observations").scalar()
            orphans = q(
                "SELECT count(*) FROM observations o WHERE NOT EXISTS "
                "(SELECT 1 FROM uploads u WHERE u.id = o.upload_id) OR NOT EXISTS "
                "(SELECT 1 FROM subjects s WHERE s.id = o.subject_id)"
            ).scalar()
            empty_subjects = q(
                "SELECT count(*) FROM subjects s WHERE NOT EXISTS "
                "(SELECT 1 FROM observations o WHERE o.subject_id = s.id)"
            ).scalar()
            if engine.dialect.name == "sqlite":
                assert q("PRAGMA integrity_check").scalar() == "ok"
                assert q("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
    # 1. acknowledged uploads are there, complete
    for upload_id, sha in sent.acked.items():
        assert upload_id in uploads, f"acknowledged upload {upload_id} is lost"
        assert uploads[upload_id][0] == sha
        assert obs.get(upload_id) == sent.files[sha], f"upload {upload_id}: observations differ"
    # 2. no half-written upload
    assert orphans == 0
    assert empty_subjects == 0
    assert sum(counts.values()) == n_obs
    for upload_id, (sha, n, _) in uploads.items():
        assert n > 0
        assert counts.get(upload_id, 0) == n, f"upload {upload_id}: {counts.get(upload_id)} != {n}"
        # 4. no phantom rows: each upload is a file we sent, with exactly its rows
        assert sha in sent.files, f"upload {upload_id} was never sent"
        assert obs[upload_id] == sent.files[sha]
    assert len({sha for sha, _, _ in uploads.values()}) == len(uploads)
    # 3. the original files are kept
    for upload_id, (sha, _, name) in uploads.items():
        path = data_dir / "files" / name
        assert path.is_file(), f"upload {upload_id}: file {name} missing"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
    return {i: sha for i, (sha, _, _) in uploads.items()}


# --------------------------------------------------------------------------- tests
def test_200_concurrent_uploads_all_committed(database, servers):
    database_url, data_dir = database
    srv = servers(database_url, data_dir)
    sent = Sent()
    start = time.monotonic()
    _fire(srv.url, list(range(N_LOAD)), sent, workers=20)
    elapsed = time.monotonic() - start
    failed = [(i, status, text[:300]) for i, status, text in sent.answers if status != 201]
    assert failed == []
    assert len(sent.acked) == N_LOAD
    stored = _check_invariants(database_url, data_dir, sent)
    assert stored == sent.acked
    listed = httpx.get(f"{srv.url}/api/uploads", params={"limit": 1000}).json()
    assert {u["id"] for u in listed} == set(sent.acked)
    shared = httpx.get(f"{srv.url}/api/subjects", params={"q": "shared"}).json()
    assert sum(s["n_observations"] for s in shared) == N_LOAD * 3 * 2
    assert elapsed < 60, f"{N_LOAD} uploads took {elapsed:.1f} s"


def test_sigkill_during_uploads_loses_nothing_committed(database, servers):
    database_url, data_dir = database
    sent = Sent()
    for r, kill_after in enumerate(KILL_AFTER):
        srv = servers(database_url, data_dir)
        ids = list(range(r * N_KILL, (r + 1) * N_KILL))
        _fire(
            srv.url,
            ids,
            sent,
            workers=12,
            stop_after=kill_after,
            on_stop=lambda p=srv.proc: os.kill(p.pid, signal.SIGKILL),
        )
        assert srv.proc.wait(timeout=20) == -signal.SIGKILL
        answered = [a for a in sent.answers if a[0] in set(ids)]
        assert any(status is None for _, status, _ in answered), "the kill came too late"
        # a restart on the same database and data directory keeps every committed upload
        srv = servers(database_url, data_dir)
        stored = _check_invariants(database_url, data_dir, sent)
        assert set(sent.acked) <= set(stored)
        # answers other than 201 are connection errors from the kill, never a server error
        assert all(status in (201, None) for _, status, _ in answered), answered
        # uploads whose answer was lost can be sent again: stored once, then 409
        lost = [i for i, status, _ in answered if status is None][:5]
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            for i in lost:
                data, _ = _csv(i)
                resp = c.post("/api/uploads", files={"file": (f"visit{i}.csv", data, "text/csv")})
                assert resp.status_code in (201, 409), resp.text
                if resp.status_code == 201:
                    sent.acked[resp.json()["upload"]["id"]] = hashlib.sha256(data).hexdigest()
                else:
                    assert hashlib.sha256(data).hexdigest() in stored.values()
        srv.stop()
    stored = _check_invariants(database_url, data_dir, sent)
    assert len(sent.acked) >= sum(KILL_AFTER)


def test_same_file_uploaded_concurrently_is_stored_once(database, servers):
    database_url, data_dir = database
    srv = servers(database_url, data_dir)
    data, rows = _csv(7)
    sent = Sent(files={hashlib.sha256(data).hexdigest(): rows})

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            return c.post("/api/uploads", files={"file": ("same.csv", data, "text/csv")})

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(one, range(16)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201] + [409] * 15, [r.text[:200] for r in answers]
    winner = next(r for r in answers if r.status_code == 201).json()["upload"]
    sent.acked[winner["id"]] = winner["sha256"]
    assert all(
        f"upload {winner['id']}" in r.json()["detail"] for r in answers if r.status_code == 409
    )
    assert _check_invariants(database_url, data_dir, sent) == sent.acked
