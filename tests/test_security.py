"""The security baseline: headers, CSP without inline scripts, CSRF, errors, production config."""

import re
from pathlib import Path

import pytest
from flask import abort

from app import create_app
from config import ConfigError, ProductionConfig
from config import TestingConfig as _TestingConfig

ROOT = Path(__file__).resolve().parent.parent


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("path", sorted((ROOT / "templates").rglob("*.html")), ids=str)
def test_no_inline_script_in_templates(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script> (CSP forbids it): use a static file"
    assert not INLINE_HANDLER.search(text), "inline event handler (CSP forbids it)"
    assert "javascript:" not in text


def test_rendered_pages_have_no_inline_script(client, login_as):
    login_as("admin")
    for url in ("/", "/admin/users", "/admin/users/new", "/account/password"):
        html = client.get(url).get_data(as_text=True)
        assert not INLINE_SCRIPT.search(html), url


def test_csrf_is_enforced_when_enabled(db):
    class WithCsrf(_TestingConfig):
        WTF_CSRF_ENABLED = True

    client = create_app(WithCsrf()).test_client()
    response = client.post("/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)
    assert client.post("/language/en").status_code == 400


def test_production_refuses_to_start_without_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://localhost/x")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        ProductionConfig()
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig()


def test_production_config_secures_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost/x")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE and config.FORCE_HTTPS
    assert config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg://")


@pytest.mark.parametrize("storage", [None, "memory://"])
def test_production_refuses_per_worker_rate_limit_counters(monkeypatch, storage):
    """memory:// gives each gunicorn worker its own count of failed logins (issue 8)."""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost/x")
    if storage is None:
        monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    else:
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", storage)
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        ProductionConfig()
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    assert ProductionConfig().RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"


def test_production_with_email_needs_the_public_address(monkeypatch):
    """Emails' links come from PUBLIC_BASE_URL, never from a request's Host header (a request
    someone else sends may queue an email to her): production with email needs it set."""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost/x")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.vn")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        ProductionConfig()
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://ccvc.example.gov.vn")
    ProductionConfig()
    monkeypatch.delenv("MAIL_SERVER")
    monkeypatch.delenv("PUBLIC_BASE_URL")
    ProductionConfig()  # no email, no links to make


def test_development_secret_is_generated_once_and_kept(tmp_path, monkeypatch):
    import importlib

    import config as config_module

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    module = importlib.reload(config_module)
    try:
        first = module.DevelopmentConfig().SECRET_KEY
        assert first and first == module.DevelopmentConfig().SECRET_KEY
        assert (tmp_path / "secret_key").read_text().strip() == first
        assert first not in (ROOT / "config.py").read_text()
    finally:
        monkeypatch.undo()
        importlib.reload(config_module)


@pytest.mark.parametrize("lang,text", [("vi", "Không tìm thấy"), ("en", "Not found")])
def test_html_404_in_both_languages(client, lang, text):
    client.set_cookie("lang", lang)
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_json_errors_under_api(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    response = client.post("/api/v1/me")
    assert response.status_code in (401, 405)
    assert "error" in response.json


def test_405_and_413(app, client):
    assert client.get("/logout").status_code == 405
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data=big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


def test_500_shows_no_stack_trace(db):
    app = create_app("testing")

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.route("/api/v1/boom")
    def api_boom():
        abort(500)

    client = app.test_client()
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body
    assert "Lỗi hệ thống" in body
    response = client.get("/api/v1/boom")
    assert response.status_code == 500 and response.json["error"]["code"] == "internal_error"
