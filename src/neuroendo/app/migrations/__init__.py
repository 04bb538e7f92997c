"""Alembic migrations of the app's database, shipped with the package and run on start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["HEAD", "current", "upgrade"]

#: Newest revision.
HEAD = "0001"
_HERE = Path(__file__).resolve().parent


def _config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Any, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (default: the newest).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The database.
    revision : str, default "head"
        Target Alembic revision.
    """
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_config(conn), revision)


def current(engine: Any) -> str | None:
    """Return the database's current revision (``None`` for an empty database).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The database.

    Returns
    -------
    str or None
        The revision id.
    """
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
        return str(rev) if rev is not None else None
