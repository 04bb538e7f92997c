"""Alembic environment: runs on the connection handed over by ``migrations.upgrade``.

Importing this file outside an Alembic run (e.g. pytest's doctest collection) does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from neuroendo.app.store import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # command-line use: alembic -x url=sqlite:///... upgrade head
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass the database with: alembic -x url=<sqlalchemy url> ...")
    with create_engine(url).begin() as conn:
        _run(conn)


if hasattr(context, "config"):  # only inside an Alembic command
    _main()
