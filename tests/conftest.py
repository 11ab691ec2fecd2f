"""Fixtures: app, db (each test inside a transaction rolled back at the end), client, runner,
login_as(role) and factories (create_user, create_organization, create_official, ...)."""

import contextvars
import itertools
import os
from datetime import date

import flask_migrate
import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FSASession

from app import create_app
from app.extensions import db as _db

PASSWORD = "correct-horse-battery"  # noqa: S105


class BoundSession(FSASession):
    """Flask-SQLAlchemy's session, pinned to the test's connection."""

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


def pytest_collection_modifyitems(config, items):
    """Browser and fuzz tests run once (SQLite pass); the PostgreSQL pass sets SKIP_ONCE=1."""
    if os.environ.get("SKIP_ONCE") != "1":
        return
    skip = pytest.mark.skip(reason="run once, in the SQLite pass")
    for item in items:
        if "browser" in item.keywords or "fuzz" in item.keywords:
            item.add_marker(skip)
