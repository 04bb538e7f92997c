"""Security: token off loopback, upload limits, traversal, CSRF, malformed uploads."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

from fastapi.testclient import TestClient

from neuroendo.app import Settings, create_app, load_demo

TOKEN = "correct-horse-battery-staple"
LABS = "subject,tsh [mIU/L]\ns1,1.5\n"


def _make(tmp_path, **kw):
    app = create_app(Settings(data_dir=tmp_path / "data", **kw))
    return app


@pytest.fixture
def open_app(tmp_path):
    app = _make(tmp_path, max_upload_bytes=4096)
    yield app
    app.state.ctx.runner.shutdown()


@pytest.fixture
def client(open_app):
    with TestClient(open_app, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def remote_app(tmp_path):
    app = _make(tmp_path, host="0.0.0.0", token=TOKEN)
    load_demo(app)
    yield app
    app.state.ctx.runner.shutdown()


# --------------------------------------------------------------------------- binding and token
@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_non_loopback_without_token_refuses_to_start(tmp_path, host):
    with pytest.raises(ValueError, match="without an access token"):
        Settings(data_dir=tmp_path, host=host)
    with pytest.raises(ValueError, match="without an access token"):
        Settings(data_dir=tmp_path, host=host, token="   ")


def test_serve_refuses_before_starting(tmp_path, monkeypatch):
    import neuroendo.app as app_mod

    monkeypatch.delenv("NEUROENDO_TOKEN", raising=False)
    with pytest.raises(ValueError, match="without an access token"):
        app_mod.serve("0.0.0.0", 8123, data_dir=tmp_path)
    assert not (tmp_path / "neuroendo.sqlite3").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/subjects",
        "/api/subjects/Vp01",
        "/api/subjects/Vp01/balance",
        "/api/uploads",
        "/api/uploads/1/file",
        "/api/jobs",
        "/api/models",
        "/api/openapi.json",
    ],
)
def test_remote_api_requires_token(remote_app, path):
    with TestClient(remote_app, base_url="http://10.0.0.5:8000") as c:
        r = c.get(path)
        assert r.status_code == 401
        assert "Vp01" not in r.text
        assert c.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200


def test_remote_pages_redirect_to_login_and_cookie_login_works(remote_app):
    with TestClient(remote_app, base_url="http://10.0.0.5:8000") as c:
        r = c.get("/subjects/Vp01", follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == "/login?next=/subjects/Vp01"
        assert c.post("/api/jobs", json={}).status_code == 401
        assert c.get("/api/health").status_code == 200  # liveness stays public
        assert c.get("/static/plot.js").status_code == 200
        form = c.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        bad = c.post("/login", data={"token": "nope", "csrf_token": csrf, "next": "/subjects"})
        assert bad.status_code == 401
        r = c.post(
            "/login",
            data={"token": TOKEN, "csrf_token": csrf, "next": "//evil.example"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert r.headers["location"] == "/"  # no open redirect
        assert TOKEN not in r.headers["set-cookie"]
        page = c.get("/subjects/Vp01")
        assert page.status_code == 200
        assert "Vp01" in page.text


# --------------------------------------------------------------------------- upload size
def test_oversized_upload_rejected_413(client):
    big = b"subject,tsh [mIU/L]\n" + b"s1,1.0\n" * 2000
    r = client.post("/api/uploads", files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413
    assert "too large" in r.json()["detail"]
    assert client.get("/api/uploads").json() == []


def test_oversized_chunked_upload_rejected_413(client):
    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n'
        for _ in range(100):
            yield b"s1,1.0\n" * 20
        yield b"\r\n--b--\r\n"

    r = client.post(
        "/api/uploads",
        content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert r.status_code == 413


def test_bad_content_length_is_400(client):
    r = client.post("/api/uploads", content=b"x", headers={"content-length": "abc"})
    assert r.status_code in (400, 422)


# --------------------------------------------------------------------------- traversal
@pytest.mark.parametrize(
    "path",
    [
        "/api/jobs/..%2F..%2F..%2Fetc%2Fpasswd/result",
        "/api/jobs/../../../../etc/passwd/result",
        "/api/jobs/%2e%2e%2f%2e%2e%2fetc%2fpasswd/result",
        "/api/uploads/..%2F..%2Fetc%2Fpasswd/file",
        "/api/uploads/-1/file",
        "/api/uploads/99999999999999999999999/file",
        "/static/../../../../etc/passwd",
        "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/%2e%2e/%2e%2e/store.py",
        "/api/uploads/staged/..%2F..%2Fneuroendo.sqlite3",
    ],
)
def test_traversal_attempts_rejected(client, path):
    r = client.get(path) if "staged" not in path else client.post(path)
    assert r.status_code in (400, 404, 405, 422)
    assert "root:" not in r.text
    assert "SQLite format" not in r.text
    assert "sqlalchemy" not in r.text


def test_result_path_stays_inside(tmp_path):
    from neuroendo.app.ingest import staged_path
    from neuroendo.app.jobs import result_path

    assert result_path(tmp_path, "../../etc/passwd") is None
    assert result_path(tmp_path, "a" * 32).parent == (tmp_path / "results").resolve()
    assert staged_path(tmp_path, "../" * 10 + "etc/passwd") is None


def test_uploaded_filename_cannot_escape(client, tmp_path):
    r = client.post(
        "/api/uploads", files={"file": ("../../../../evil.csv", LABS.encode(), "text/csv")}
    )
    assert r.status_code == 201
    assert r.json()["upload"]["filename"] == "evil.csv"
    assert not (tmp_path / "evil.csv").exists()
    assert not (tmp_path.parent / "evil.csv").exists()


# --------------------------------------------------------------------------- CSRF and origin
def test_form_post_without_csrf_token_is_403(client):
    r = client.post("/upload", files={"file": ("labs.csv", LABS.encode(), "text/csv")})
    assert r.status_code == 403
    r = client.post("/jobs", data={"query": ""})
    assert r.status_code == 403
    assert client.get("/api/uploads").json() == []


def test_cross_site_post_is_403(client):
    files = {"file": ("labs.csv", LABS.encode(), "text/csv")}
    r = client.post("/api/uploads", files=files, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/uploads", files=files, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = client.post("/api/uploads", files=files, headers={"Origin": "null"})
    assert r.status_code == 403
    site_says_cross = {"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-site"}
    r = client.post("/api/uploads", files=files, headers=site_says_cross)
    assert r.status_code == 403
    r = client.post("/api/uploads", files=files, headers={"Origin": "http://127.0.0.1"})
    assert r.status_code == 201


def test_same_origin_form_post_with_null_origin_is_accepted(client):
    # Chromium sends ``Origin: null`` on same-origin form posts under a no-referrer policy;
    # ``Sec-Fetch-Site`` (set by the browser, not forgeable by pages) decides then
    token = client.get("/upload").cookies.get("neuroendo_csrf") or client.cookies["neuroendo_csrf"]
    r = client.post(
        "/upload",
        data={"csrf_token": token},
        files={"file": ("labs.csv", LABS.encode(), "text/csv")},
        headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
    )
    assert r.status_code == 200, r.text
    assert "ready to store" in r.text
    assert client.get("/upload").headers["referrer-policy"] == "same-origin"


def test_foreign_host_header_is_refused_on_loopback(open_app):
    with TestClient(open_app, base_url="http://attacker.example") as c:
        assert c.get("/api/subjects").status_code == 400


def test_security_headers(client):
    r = client.get("/subjects")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "HttpOnly" in r.headers["set-cookie"]


# --------------------------------------------------------------------------- malformed uploads
@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.csv", b"", "file-empty"),
        ("binary.csv", bytes(range(256)) * 4, None),
        ("latin1.csv", "subject,tsh [mIU/L]\nJosé,1.0\n".encode("latin-1"), None),
        ("bad.json", b'{"resourceType": "Bundle", "entry": [', None),
        ("wrong.json", b'{"resourceType": "Patient", "id": "x"}', None),
        ("bad.hl7", b"MSH|garbage\rOBX|1|NM", None),
        ("fake.xlsx", b"PK\x03\x04 not really a zip", None),
        ("table.csv", b"a,b\n1,2\n", None),
        ("units.csv", b"subject,tsh [furlongs]\ns1,1\n", None),
        ("nulls.csv", b"\x00\x00\x00subject\x00", None),
        ("noext", b"subject,tsh [mIU/L]\ns1,1\n", "file-type"),
        ("virus.exe", b"MZ\x90\x00", "file-type"),
    ],
)
def test_malformed_upload_gives_lint_report(client, name, data, code):
    r = client.post("/api/uploads", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["can_store"] is False
    assert body["n_errors"] >= 1
    if code is not None:
        assert code in [i["code"] for i in body["issues"]]
    assert client.get("/api/uploads").json() == []
