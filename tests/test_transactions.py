"""How transactions begin on SQLite, and reads that do not write (issue 8, item 1).

The behaviour under real concurrency (gunicorn, several workers) is in tests/test_concurrency.py.
"""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app.auth.models import ApiToken
from app.database import begin_statement


@pytest.mark.parametrize(
    ("method", "statement"),
    [
        ("GET", "BEGIN"),
        ("HEAD", "BEGIN"),
        ("OPTIONS", "BEGIN"),
        ("POST", "BEGIN IMMEDIATE"),
        ("PUT", "BEGIN IMMEDIATE"),
        ("PATCH", "BEGIN IMMEDIATE"),
        ("DELETE", "BEGIN IMMEDIATE"),
    ],
)
def test_writes_take_the_lock_up_front_and_reads_do_not(app, method, statement):
    with app.test_request_context("/", method=method):
        assert begin_statement() == statement


def test_commands_take_the_lock_up_front(app):
    with app.app_context():
        assert begin_statement() == "BEGIN IMMEDIATE"


def test_sqlite_busy_timeout_is_set(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite setting")
    timeout = db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert timeout == int(app.config["SQLITE_BUSY_TIMEOUT"] * 1000) > 0


def _token_writes(db, client, headers) -> int:
    """The UPDATE statements on api_tokens made by one GET /api/v1/me."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_bearer_reads_record_the_token_use_at_most_once_a_minute(
    client, db, create_user, api_token
):
    user = create_user("official")
    headers = api_token(user)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is None

    assert _token_writes(db, client, headers) == 1
    db.session.refresh(token)
    first_use = token.last_used_at
    assert first_use is not None

    assert _token_writes(db, client, headers) == 0
    assert _token_writes(db, client, headers) == 0
    db.session.refresh(token)
    assert token.last_used_at == first_use

    token.last_used_at = first_use - timedelta(minutes=2)
    db.session.commit()
    assert _token_writes(db, client, headers) == 1
    db.session.refresh(token)
    assert token.last_used_at >= first_use
