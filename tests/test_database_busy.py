"""SQLite's write lock held past SQLITE_BUSY_TIMEOUT (a long import, a backup): a write is
answered 503 with Retry-After and nothing half-written, never a 500 page."""

import sqlite3

import flask_migrate
import pytest

import config as config_module
from app import create_app
from app.auth import services as accounts
from app.extensions import db

PASSWORD = "busy-office-2017"  # noqa: S105


@pytest.fixture
def busy_app(tmp_path):
    if config_module.TestingConfig().SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
        pytest.skip("SQLite's database-wide write lock")
    url = f"sqlite:///{tmp_path / 'busy.db'}"

    class BusyConfig(config_module.TestingConfig):
        SQLITE_BUSY_TIMEOUT = 0.2

        def __init__(self):
            self.SQLALCHEMY_DATABASE_URI = url

    app = create_app(BusyConfig())
    with app.app_context():
        flask_migrate.upgrade()
        user = accounts.create_user("ban.ghi", PASSWORD, ["province_hr"])
        token = accounts.issue_token(user, "busy")
        db.session.commit()
    holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield app, token
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_an_api_write_past_the_busy_timeout_answers_503(busy_app):
    app, token = busy_app
    response = app.test_client().post(
        "/api/v1/organizations",
        json={"name": "UBND xã Bận", "plan_level": "commune"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["code"] == "busy"


def test_a_form_past_the_busy_timeout_answers_the_busy_page(busy_app):
    app, _token = busy_app
    response = app.test_client().post("/login", data={"username": "ban.ghi", "password": PASSWORD})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Hệ thống đang bận" in page and "chưa có gì thay đổi" in page
