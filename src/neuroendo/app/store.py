"""The app's database: SQLAlchemy 2 models, engine set-up and migrations.

Tables: ``subjects``, ``uploads`` (one per stored file, with its sha256), ``observations``
(analyte, value as sent, UCUM unit, LOINC, time, source upload), ``derived_results`` (a value
computed by a named method with the package version) and ``jobs`` (background cohort jobs).

SQLite is the default. Its connections use WAL journaling (readers do not block the writer),
``foreign_keys=ON`` and a busy timeout, and write transactions start with ``BEGIN IMMEDIATE`` so
concurrent uploads queue for the write lock instead of failing on a lock upgrade. The schema is
created and upgraded by the Alembic scripts in ``neuroendo/app/migrations``, run on start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

__all__ = [
    "Base",
    "DerivedResult",
    "Job",
    "Observation",
    "Store",
    "Subject",
    "Upload",
    "utcnow",
]


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of the app's tables."""


class Subject(Base):
    """A study subject, identified by the code used in the lab files."""

    __tablename__ = "subjects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True, index=True)
    sex: Mapped[str | None] = mapped_column(String(1))
    age: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    observations: Mapped[list[Observation]] = relationship(back_populates="subject")


class Upload(Base):
    """One stored file: its name as uploaded, sha256, format and lint summary."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    size: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(16))
    stored_name: Mapped[str] = mapped_column(String(100))
    n_observations: Mapped[int] = mapped_column(Integer)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    package_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Observation(Base):
    """One measured value, as sent (value and UCUM unit), with its LOINC code and time."""

    __tablename__ = "observations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id", ondelete="CASCADE"))
    analyte: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    loinc: Mapped[str | None] = mapped_column(String(20))
    time: Mapped[float | None] = mapped_column(Float)  # minutes
    datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sample: Mapped[str | None] = mapped_column(String(40))
    condition: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[Subject] = relationship(back_populates="observations")
    __table_args__ = (Index("ix_observations_subject_analyte", "subject_id", "analyte"),)


class DerivedResult(Base):
    """A value computed from observations, with the method and package version used."""

    __tablename__ = "derived_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(200))
    package_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Job(Base):
    """A background job (cohort measures) with progress and a downloadable result."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(2000), default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


def _sqlite_setup(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout; BEGIN IMMEDIATE for write transactions."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """Engine and sessions for one database URL.

    Parameters
    ----------
    url : str
        SQLAlchemy URL (``sqlite:///path.sqlite3``, ``postgresql+psycopg://...``).
    migrate : bool, default True
        Apply the Alembic migrations shipped with the package (create or upgrade the schema).
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        kwargs: dict[str, Any] = {}
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if url in ("sqlite://", "sqlite:///:memory:"):
                from sqlalchemy.pool import StaticPool

                kwargs["poolclass"] = StaticPool  # one shared in-memory database
            else:
                db = url.split("///", 1)[-1]
                Path(db).parent.mkdir(parents=True, exist_ok=True)
        else:
            kwargs["pool_pre_ping"] = True
        self.engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            _sqlite_setup(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        write_engine = self.engine.execution_options(sqlite_write=True)
        self._write = sessionmaker(write_engine, expire_on_commit=False)
        if migrate:
            self.migrate()

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest Alembic revision."""
        from neuroendo.app.migrations import upgrade

        upgrade(self.engine)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """Open a session for reading (rolled back at the end)."""
        with self._read() as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """Open one transaction: committed at the end of the block, rolled back on error."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()
