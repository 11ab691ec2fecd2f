"""Configuration classes.

Development is the default and needs no environment: SQLite under instance/ and a secret key
generated once and kept in instance/. Production refuses to start without SECRET_KEY and
DATABASE_URL. DATABASE_URL selects PostgreSQL (psycopg 3) in any mode.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


class ConfigError(RuntimeError):
    """Raised when the configuration cannot make a safe application."""


def _database_url(default: str | None) -> str | None:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 dialect.
    if url and url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _instance_secret() -> str:
    """A secret generated on first use and kept in instance/, so sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # SQLite: seconds a writer waits for the write lock before failing; below gunicorn's 30 s
    # worker timeout, so a request queued behind a long import fails cleanly, not killed.
    SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20"))
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # the web import takes files up to 10 MB
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: long forms must not expire
    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    FORCE_HTTPS = False
    API_TITLE = "CCVC nữ – API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    UPLOAD_DIR = str(INSTANCE_DIR / "uploads")
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = False  # the debugger would execute code from the browser; turn on by FLASK_DEBUG

    def __init__(self):
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _instance_secret()
        self.SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'app.db'}")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-secret"  # noqa: S105 - tests need a fixed key
    RATELIMIT_ENABLED = False
    WTF_CSRF_ENABLED = False

    def __init__(self):
        self.SQLALCHEMY_DATABASE_URI = _database_url(
            os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
        )
        self.UPLOAD_DIR = os.environ.get("TEST_UPLOAD_DIR", str(INSTANCE_DIR / "test-uploads"))


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    FORCE_HTTPS = True

    def __init__(self):
        self.SECRET_KEY = os.environ.get("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = _database_url(None)
        if not self.SECRET_KEY:
            raise ConfigError("SECRET_KEY must be set in production.")
        if not self.SQLALCHEMY_DATABASE_URI:
            raise ConfigError("DATABASE_URL must be set in production.")
        self.FORCE_HTTPS = os.environ.get("FORCE_HTTPS", "1") != "0"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load(name: str | None = None):
    """Instantiate the configuration named by `name` or APP_CONFIG (default development)."""
    name = name or os.environ.get("APP_CONFIG", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigError(
            f"Unknown configuration {name!r}; use one of {sorted(CONFIGS)}."
        ) from None
