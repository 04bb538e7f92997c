"""``neuroendo serve`` argument validation (no server is started)."""

from __future__ import annotations

import pytest

from neuroendo.cli import _build_app
from neuroendo.cli._run import run


def _app():
    app = _build_app()
    if not any(c.name == "serve" for c in app.registered_commands):
        from neuroendo.cli import serve

        app.command("serve")(serve.serve)
    return app


@pytest.fixture
def calls(monkeypatch):
    pytest.importorskip("fastapi")
    import neuroendo.app as app_mod

    seen: list[tuple] = []

    def fake_serve(*args, **kwargs):
        seen.append((args, kwargs))

    monkeypatch.setattr(app_mod, "serve", fake_serve)
    monkeypatch.delenv("NEUROENDO_TOKEN", raising=False)
    return seen


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.0.10", "::"])
def test_non_loopback_without_token_is_refused(calls, capsys, host):
    code = run(_app(), ["serve", "--host", host])
    assert code == 2
    err = capsys.readouterr().err
    assert "without an access token" in err
    assert "--token" in err
    assert calls == []


def test_token_from_environment_allows_other_host(calls, monkeypatch):
    monkeypatch.setenv("NEUROENDO_TOKEN", "envtoken")
    assert run(_app(), ["serve", "--host", "0.0.0.0", "--port", "8765"]) == 0
    ((args, _kwargs),) = calls
    assert args[:4] == ("0.0.0.0", 8765, None, "envtoken")


def test_defaults_are_loopback(calls, tmp_path):
    code = run(
        _app(),
        [
            "serve",
            "--data-dir",
            str(tmp_path),
            "--database-url",
            "sqlite://",
            "--max-upload-mb",
            "1",
        ],
    )
    assert code == 0
    ((args, kwargs),) = calls
    assert args == ("127.0.0.1", 8000, "sqlite://", None)
    assert kwargs["max_upload_bytes"] == 1024 * 1024
    assert kwargs["open_browser"] is False


@pytest.mark.parametrize("argv", [["--port", "0"], ["--port", "70000"], ["--max-upload-mb", "0"]])
def test_bad_values_are_usage_errors(calls, argv):
    assert run(_app(), ["serve", *argv]) == 2
    assert calls == []
