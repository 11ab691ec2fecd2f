"""Fixtures: app, db (each test inside a transaction rolled back at the end), client, runner,
login_as(role) and factories (create_user, create_organization, create_official, ...)."""

import contextvars
import itertools
import os
import time
from datetime import date

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, select, text

from app import create_app
from app.extensions import db as _db
from app.integrity import Session as AppSession

PASSWORD = "correct-horse-battery"  # noqa: S105


class BoundSession(AppSession):
    """The app's session (app.integrity), pinned to the test's connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind or super().get_bind(mapper, clause, bind, **kwargs)


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context (own g, own session), like a real server,
    even though the test holds an app context open for its factories."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app("testing")
    app.test_client_class = IsolatedClient
    # Scans and uploaded imports of the tests go to a temporary folder, not instance/.
    app.config["UPLOAD_DIR"] = str(tmp_path_factory.mktemp("uploads"))
    with app.app_context():
        flask_migrate.upgrade()
    return app


@pytest.fixture
def db(app):
    """The database inside a transaction that is rolled back after the test.

    Requests and CLI commands commit to SAVEPOINTs of that transaction."""
    ctx = app.app_context()
    ctx.push()
    connection = _db.engine.connect()
    transaction = connection.begin()
    original = _db.session
    _db.session = _db._make_scoped_session(
        {"class_": BoundSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
    )
    try:
        yield _db
    finally:
        _db.session.remove()
        _db.session = original
        transaction.rollback()
        connection.close()
        ctx.pop()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


_seq = itertools.count(1)


@pytest.fixture
def create_organization(db):
    from app.officials import services

    def make(name=None, plan_level="province", parent=None, kind="state", **kwargs):
        n = next(_seq)
        org = services.create_organization(
            name=name or f"Đơn vị thử {n}",
            plan_level=plan_level,
            kind=kind,
            parent=parent,
            **kwargs,
        )
        return org

    return make


@pytest.fixture
def create_official(db, create_organization):
    from app.officials import services

    def make(
        code=None,
        full_name="Nguyễn Thị Lan",
        sex="F",
        birth_date=date(1985, 5, 17),
        organization=None,
        position_rank="staff",
        **kwargs,
    ):
        organization = organization or create_organization()
        appointment = {
            key: kwargs.pop(key)
            for key in (
                "title",
                "party_committee",
                "commune_key_post",
                "commune_full_time",
                "appointed_on",
                "left_on",
            )
            if key in kwargs
        }
        return services.create_official(
            code=code or f"T{next(_seq):06d}",
            full_name=full_name,
            sex=sex,
            birth_date=birth_date,
            organization=organization,
            position_rank=position_rank,
            **appointment,
            **kwargs,
        )

    return make


@pytest.fixture
def create_user(db, create_organization):
    from app.auth import services

    def make(*roles, username=None, organization=None, official=None, password=PASSWORD):
        roles = roles or ("official",)
        if "unit_hr" in roles and organization is None:
            organization = create_organization()
        if "province_hr" in roles and organization is None:
            organization = None  # province HR is scoped to the whole province
        user = services.create_user(
            username or f"user{next(_seq)}",
            password,
            list(roles),
            organization_id=organization.id if organization else None,
            official_id=official.id if official else None,
        )
        _db.session.commit()
        return user

    return make


@pytest.fixture
def create_course(db, create_organization):
    """create_course(capacity=3, status="open", ...) -> a course organised by a new unit
    (or `organizer`), open for registration by default, created by no one (the CLI)."""
    from app.courses import services

    def make(organizer=None, actor=None, **values):
        n = next(_seq)
        values.setdefault("code", f"KH{n:05d}")
        values.setdefault("title", f"Khóa bồi dưỡng thử {n}")
        values.setdefault("capacity", 30)
        values.setdefault("status", "open")
        organizer = organizer or create_organization()
        return services.create_course(actor, organizer_id=organizer.id, **values)

    return make


@pytest.fixture
def create_session(db):
    """create_session(course, day=date(...), starts_at=time(7, 30), ends_at=time(11, 0))."""
    from datetime import time

    from app.courses import services

    def make(course, day=date(2026, 12, 7), starts_at=time(7, 30), ends_at=time(11, 0), **kw):
        return services.add_session(
            course, kw.pop("actor", None), day=day, starts_at=starts_at, ends_at=ends_at, **kw
        )

    return make


@pytest.fixture
def login(client):
    def do(user, password=PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return do


@pytest.fixture
def login_as(create_user, login):
    """login_as("unit_hr", organization=org) -> the signed-in user."""

    def do(*roles, **kwargs):
        return login(create_user(*roles, **kwargs))

    return do


@pytest.fixture
def api_token(db):
    from app.auth import services

    def make(user):
        token = services.issue_token(user, "test")
        _db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture(scope="session")
def playwright_driver():
    """The one Playwright of the test run (its sync API allows one at a time): the browser
    tests (tests/browser) and the journeys (tests/journeys) launch their Chromium from it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def pytest_collection_modifyitems(config, items):
    """Browser and fuzz tests run once (SQLite pass); the PostgreSQL pass sets SKIP_ONCE=1.
    Tests marked `postgres` skip unless the tests run on PostgreSQL."""
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        needs = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL; .ci/run does)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(needs)
    if os.environ.get("SKIP_ONCE") != "1":
        return
    skip = pytest.mark.skip(reason="run once, in the SQLite pass")
    for item in items:
        if "browser" in item.keywords or "fuzz" in item.keywords:
            item.add_marker(skip)


# --- two real transactions (PostgreSQL) ------------------------------------------------------


class Transaction:
    """One app context in a thread of its own, hence its own `db.session` on its own pooled
    connection: what it writes stays in its transaction until `commit()`, as in a request of
    another worker. `run(fn, *args)` calls fn inside it and returns a Future (it may block on
    a lock the other transaction holds); `call` waits for the result."""

    def __init__(self, app):
        from concurrent.futures import ThreadPoolExecutor

        self._worker = ThreadPoolExecutor(max_workers=1)
        self._context = app.app_context()
        self.call(self._context.push)

    def run(self, fn, *args, **kwargs):
        return self._worker.submit(fn, *args, **kwargs)

    def call(self, fn, *args, **kwargs):
        return self.run(fn, *args, **kwargs).result()

    def backend_pid(self) -> int:
        """The PostgreSQL backend of this transaction (after a commit the session may take
        another pooled connection: ask again)."""
        return self.call(
            lambda: _db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        )

    def run_until_blocked(self, holder: "Transaction", fn, *args, **kwargs):
        """Start fn here and return its Future once something waits for a lock `holder`
        holds (fn itself, or a request fn makes), or fn has finished. Races are staged by
        watching pg_blocking_pids from a third connection, never by sleeping a guessed time."""
        holder_pid = holder.backend_pid()
        pending = self.run(fn, *args, **kwargs)
        query = text(
            "SELECT count(*) FROM pg_stat_activity WHERE :holder = ANY(pg_blocking_pids(pid))"
        )
        with _db.engine.connect() as watcher:
            for _ in range(20_000):  # a guard against a hang, not a timing: ends at once when set
                blocked = watcher.execute(query, {"holder": holder_pid}).scalar()
                watcher.rollback()  # pg_stat_activity is read once per transaction
                if blocked or pending.done():
                    return pending
                time.sleep(0.005)
        raise AssertionError("the race could not be staged: nothing waited for the holder")

    def commit(self) -> None:
        self.call(_db.session.commit)

    def close(self) -> None:
        def end():
            _db.session.rollback()
            _db.session.remove()
            self._context.pop()

        self.call(end)
        self._worker.shutdown()


def _committed_keys(connection) -> dict:
    """{table: set of primary keys} of every table: what the database held before a test."""
    keys = {}
    for table in _db.metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        keys[table.name] = set(connection.execute(select(*columns)).all())
    return keys


@pytest.fixture
def two_transactions(app):
    """(first, second): two `Transaction`s on two real connections of PostgreSQL, for tests
    of races (mark them `postgres`). Their data is committed for real: whatever rows the test
    added are deleted afterwards. Do not combine with the `db` fixture."""
    with app.app_context():
        with _db.engine.connect() as connection:
            before = _committed_keys(connection)
        pair = Transaction(app), Transaction(app)
        try:
            yield pair
        finally:
            for transaction in pair:
                transaction.close()
            _delete_rows_added_since(before)


def _delete_rows_added_since(before: dict) -> None:
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            columns = list(table.primary_key.columns)
            added = set(connection.execute(select(*columns)).all()) - before[table.name]
            for key in added:
                connection.execute(
                    delete(table).where(*(c == v for c, v in zip(columns, key, strict=True)))
                )
