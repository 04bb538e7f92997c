"""Settings of the web app: where data live, who may connect, how much may be uploaded.

Only this module (with the CLI) reads ``NEUROENDO_DATABASE_URL``, ``NEUROENDO_APP_DIR`` and
``NEUROENDO_TOKEN``, and only at call time (:meth:`Settings.from_env`), never at import.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from neuroendo.app.security import check_bind, is_loopback

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "Settings", "default_data_dir"]

#: Largest accepted request body (20 MiB): lab exports are kilobytes, Excel files a few MB.
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def default_data_dir() -> Path:
    r"""Return the per-user data directory of the app (created on first use, not here).

    Returns
    -------
    Path
        ``$NEUROENDO_APP_DIR`` if set; else ``%LOCALAPPDATA%\\neuroendo`` on Windows,
        ``~/Library/Application Support/neuroendo`` on macOS and
        ``$XDG_DATA_HOME/neuroendo`` (default ``~/.local/share/neuroendo``) elsewhere.

    References
    ----------
    .. [1] XDG Base Directory Specification, version 0.8.
       https://specifications.freedesktop.org/basedir-spec/latest/

    Examples
    --------
    >>> default_data_dir().name in ("neuroendo",) or "NEUROENDO_APP_DIR" in os.environ
    True
    """
    env = os.environ.get("NEUROENDO_APP_DIR")
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "neuroendo"


@dataclass(frozen=True)
class Settings:
    """Configuration of one app instance (every setting is an argument; no global state).

    Parameters
    ----------
    data_dir : Path
        Folder for the SQLite database, the original uploaded files (``files/``, named by
        their sha256), staged uploads (``staging/``) and job results (``results/``).
    database_url : str, optional
        SQLAlchemy URL; default ``sqlite:///<data_dir>/neuroendo.sqlite3``. PostgreSQL:
        ``postgresql+psycopg://user@host/db``.
    host : str, default "127.0.0.1"
        Interface the server binds to; anything but loopback requires ``token``.
    port : int, default 8000
        TCP port.
    token : str, optional
        Shared secret; when set, every route except ``/static``, ``/login`` and
        ``/api/health`` needs ``Authorization: Bearer <token>`` or the login cookie.
    max_upload_bytes : int
        Largest request body in bytes (default 20 MiB); larger uploads get HTTP 413.
    allowed_hosts : tuple of str, optional
        Accepted ``Host`` headers (DNS-rebinding guard). Default: loopback names when bound to
        loopback, else any host (the token protects the data).
    job_workers : int, default 2
        Background threads for cohort jobs.
    """

    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    allowed_hosts: tuple[str, ...] | None = None
    job_workers: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir).expanduser())
        if self.token is not None and not self.token.strip():
            object.__setattr__(self, "token", None)
        if self.max_upload_bytes <= 0:
            raise ValueError(f"'max_upload_bytes' must be positive, got {self.max_upload_bytes!r}.")
        if self.job_workers < 1:
            raise ValueError(f"'job_workers' must be at least 1, got {self.job_workers!r}.")
        check_bind(self.host, self.token)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from the environment, then apply explicit ``overrides``.

        Parameters
        ----------
        **overrides
            Any field; ``None`` values are ignored (so CLI options left unset fall back to
            the environment).

        Returns
        -------
        Settings
            With ``database_url`` from ``NEUROENDO_DATABASE_URL`` and ``token`` from
            ``NEUROENDO_TOKEN`` unless given.

        Raises
        ------
        ValueError
            If the host is not loopback and no token is configured.

        References
        ----------
        .. [1] The Twelve-Factor App, III. Config. https://12factor.net/config

        Examples
        --------
        >>> Settings.from_env(data_dir="/tmp/x", database_url="sqlite://").resolved_database_url
        'sqlite://'
        """
        given = {k: v for k, v in overrides.items() if v is not None}
        given.setdefault("database_url", os.environ.get("NEUROENDO_DATABASE_URL") or None)
        given.setdefault("token", os.environ.get("NEUROENDO_TOKEN") or None)
        return cls(**given)  # type: ignore[arg-type]

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'neuroendo.sqlite3').as_posix()}"

    @property
    def hosts(self) -> tuple[str, ...]:
        """Accepted ``Host`` header names (see ``allowed_hosts``)."""
        if self.allowed_hosts is not None:
            return self.allowed_hosts
        if is_loopback(self.host):
            return ("127.0.0.1", "localhost", "::1", "[::1]")
        return ("*",)

    def with_(self, **changes: object) -> Settings:
        """Return a copy with some fields changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]
