"""Database engine settings that depend on the backend.

SQLite allows one writer at a time. A transaction opened with a plain (deferred) BEGIN reads
first and asks for the write lock only at its first write; if another connection holds the lock
then, or has committed since this transaction's first read (WAL), SQLite answers "database is
locked" at once, without waiting for the busy timeout: with several gunicorn workers, concurrent
writers failed instead of queueing. So on SQLite:

- requests with an unsafe method (POST, PUT, PATCH, DELETE) and everything outside a request
  (CLI commands, migrations) open their transactions with BEGIN IMMEDIATE: the write lock is
  taken up front, while nothing has been read yet, so a writer that finds it taken waits (up
  to SQLITE_BUSY_TIMEOUT seconds) and then runs on fresh data;
- GET, HEAD and OPTIONS requests keep a deferred BEGIN. In WAL mode readers never wait for the
  writer, so pages and API reads go on at full speed while HR saves; taking the write lock for
  them would queue every page behind every save (and behind each other). They must therefore
  not write; a bookkeeping write a GET may make (an API token's last use, at most once a
  minute) goes through `best_effort_write`.

PostgreSQL needs none of this: row locks let writers wait for each other.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from .extensions import db

# Requests that only read: their transactions stay deferred (see above).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_BUSY_TIMEOUT = 20.0


def configure(app: Flask) -> None:
    """SQLite: foreign keys on, WAL, a busy timeout, and real transactions (SAVEPOINT works)
    that take the write lock up front unless the request only reads."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            timeout = float(app.config.get("SQLITE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT))
            _configure_sqlite(engine, busy_timeout_ms=int(timeout * 1000))


_reading_only: ContextVar[bool] = ContextVar("reading_only", default=False)


@contextmanager
def reading_only() -> Iterator[None]:
    """Work outside a request that only reads (a background job's dry run or export): its
    SQLite transactions open deferred, like a GET's, so that it never holds the write lock."""
    token = _reading_only.set(True)
    try:
        yield
    finally:
        _reading_only.reset(token)


def begin_statement() -> str:
    """The statement opening a SQLite transaction in the current context."""
    if has_request_context() and request.method in SAFE_METHODS:
        return "BEGIN"
    if _reading_only.get():
        return "BEGIN"
    return "BEGIN IMMEDIATE"


@contextmanager
def best_effort_write() -> Iterator[None]:
    """A bookkeeping write of a request that only reads (when something was last used): made
    in a savepoint and given up, while the request goes on, when SQLite refuses it. A deferred
    transaction that has read cannot wait for the write lock, so SQLite answers "database is
    locked" at once whenever another connection writes; a later request records it."""
    try:
        with db.session.begin_nested():
            yield
    except OperationalError:
        if db.session.get_bind().dialect.name != "sqlite":
            raise


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling defeats SAVEPOINT; let SQLAlchemy emit BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # How long a writer waits for the lock (and a reader for a checkpoint) before failing.
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms:d}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(begin_statement())
