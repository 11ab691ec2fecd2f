"""`/healthz` (issue 17): the registered checks (the database's first), 200 or 503, no login,
no detail of a failure. Request logs: one JSON line per request on standard error, naming the
route's pattern, never a path's token, a query string or a password."""

from __future__ import annotations

import json
import socket

import pytest

import config as config_module
from app import create_app, health
from app.calendar import links
from app.calendar import services as feeds
from app.extensions import db

KEYS = {"time", "request_id", "method", "route", "endpoint", "status", "duration_ms", "user_id"}


def request_lines(captured: str) -> list[dict]:
    lines = []
    for line in captured.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict) and "request_id" in value:
            lines.append(value)
    return lines


# --- health ----------------------------------------------------------------------------------


def test_healthz_checks_the_database_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unreachable_job_queue_answers_503(tmp_path):
    """The jobs register the queue's check: a Redis queue nobody answers is an error."""
    with socket.socket() as s:  # a loopback port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = config_module.load("testing")
    settings.JOBS_IMMEDIATE = False
    settings.JOBS_QUEUE_URL = f"redis://127.0.0.1:{port}/0"
    app = create_app(settings)
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["checks"] == {"database": "ok", "queue": "error"}
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_failing_check_answers_503_without_its_message(client, monkeypatch):
    def queue():
        raise ConnectionError("redis://:hunter2@10.0.0.5:6379 refused")

    monkeypatch.setitem(health._checks, "queue", queue)  # noqa: SLF001 - cleaned up after
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "error",
        "checks": {"database": "ok", "queue": "error"},
    }
    assert "hunter2" not in response.get_data(as_text=True)


def test_register_check_adds_a_named_check(monkeypatch):
    monkeypatch.setattr(health, "_checks", dict(health._checks))  # noqa: SLF001
    health.register_check("mail", lambda: None)
    assert health.registered() == ("database", "queue", "mail")


def test_an_unreachable_database_answers_503(tmp_path):
    settings = config_module.load("testing")
    settings.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'missing' / 'app.db'}"
    app = create_app(settings)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "error"
    with app.app_context():
        db.engine.dispose()


# --- request logs ----------------------------------------------------------------------------


def test_a_request_logs_exactly_one_line_with_its_keys(client, capsys):
    response = client.get("/officials?q=secret-query-value")
    assert response.status_code == 302  # to the login page
    lines = request_lines(capsys.readouterr().err)
    assert len(lines) == 1
    line = lines[0]
    assert set(line) == KEYS
    assert line["method"] == "GET" and line["route"] == "/officials" and line["status"] == 302
    assert line["endpoint"] == "officials.list" and line["user_id"] is None
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["time"].endswith("Z") and "T" in line["time"]
    assert response.headers["X-Request-ID"] == line["request_id"]
    assert "secret-query-value" not in json.dumps(line)


def test_a_plain_request_id_from_the_proxy_is_kept_anything_else_replaced(client, capsys):
    client.get("/healthz", headers={"X-Request-ID": "lb-1234abcd"})
    client.get("/healthz", headers={"X-Request-ID": 'x" injected {}'})
    first, second = request_lines(capsys.readouterr().err)
    assert first["request_id"] == "lb-1234abcd"
    assert "injected" not in second["request_id"] and len(second["request_id"]) == 32


def test_a_feed_logs_its_pattern_never_its_token(client, create_user, create_official, capsys):
    user = create_user("official", official=create_official())
    feed = feeds.feed_for(user, "personal")
    db.session.commit()
    token = links.token_for(feed)
    capsys.readouterr()
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    captured = capsys.readouterr().err
    (line,) = request_lines(captured)
    assert line["route"] == "/calendar/<token>.ics" and line["status"] == 200
    assert token not in captured and token.split("-")[1] not in captured


def test_a_login_logs_the_user_never_the_password(client, create_user, capsys):
    user = create_user("official", password="Sieu-Bi-Mat-2026!")
    capsys.readouterr()
    response = client.post(
        "/login", data={"username": user.username, "password": "Sieu-Bi-Mat-2026!"}
    )
    assert response.status_code == 302
    captured = capsys.readouterr().err
    (line,) = request_lines(captured)
    assert line["route"] == "/login" and line["method"] == "POST" and line["status"] == 302
    assert line["user_id"] == user.id
    assert "Sieu-Bi-Mat" not in captured and user.username not in captured


def test_a_signed_in_page_and_an_api_call_log_the_user(client, login_as, api_token, capsys):
    user = login_as("official")
    capsys.readouterr()
    client.get("/")
    client.get("/api/v1/me", headers=api_token(user))
    page, api = request_lines(capsys.readouterr().err)
    assert page["user_id"] == user.id and page["route"] == "/"
    assert api["user_id"] == user.id and api["route"] == "/api/v1/me"


def test_a_500_logs_status_500(app, client, monkeypatch, capsys):
    def boom():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "core.health", boom)
    response = client.get("/healthz")
    assert response.status_code == 500
    (line,) = request_lines(capsys.readouterr().err)
    assert line["status"] == 500 and line["route"] == "/healthz"


@pytest.mark.parametrize("path", ["/no/such/page", "/verify/ABCD-1234-EFGH"])
def test_a_path_without_a_route_or_with_a_secret_logs_no_path(client, capsys, path):
    client.get(path)
    captured = capsys.readouterr().err
    (line,) = request_lines(captured)
    assert path not in captured
    assert line["route"] in (None, "/verify/<number>")
