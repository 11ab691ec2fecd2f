"""Configuration classes.

Development is the default and needs no environment: SQLite under instance/ and a secret key
generated once and kept in instance/. Production refuses to start without SECRET_KEY and
DATABASE_URL. DATABASE_URL selects PostgreSQL (psycopg 3) in any mode.
"""

import os
import secrets
from datetime import timedelta
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


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class Config:
    # hide_parameters: a database error's message (logged with a 500) never carries the values
    # of its statement, which may be personal data (a child's name: DESIGN §6).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
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
    # A sign-in ends on the server after these durations, counted from the sign-in: a working
    # day without "remember me", REMEMBER_DAYS with it (the remember cookie lasts as long).
    LOGIN_SESSION_DURATION = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", "30")))
    # How often a sign-in's last_seen_at is written (not on every request).
    SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: long forms must not expire
    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Keys of this app in a Redis it may share with other programs.
    RATELIMIT_KEY_PREFIX = "ccvc"
    # FAILED sign-ins only (login form and POST /api/v1/tokens): per client address, and per
    # username whatever the address.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute;100 per hour")
    LOGIN_RATE_LIMIT_PER_USERNAME = os.environ.get(
        "LOGIN_RATE_LIMIT_PER_USERNAME", "5 per minute;20 per hour"
    )
    # Public certificate checks (/verify/<number>) per client address: numbers are random, this
    # keeps anyone from trying them in bulk.
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute;300 per hour")
    # How many reverse proxies in front of the app to trust for X-Forwarded-For/-Proto
    # (werkzeug's ProxyFix). 0: none, the client address is the socket's peer.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    FORCE_HTTPS = False
    API_TITLE = "CCVC nữ – API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    UPLOAD_DIR = str(INSTANCE_DIR / "uploads")
    # Scans of certificates kept per official (her proposals, whatever their status): at most
    # this many files and this many bytes in all; a proposal past either is refused.
    SCAN_QUOTA_FILES = int(os.environ.get("SCAN_QUOTA_FILES", "20"))
    SCAN_QUOTA_BYTES = int(os.environ.get("SCAN_QUOTA_BYTES", str(25 * 1024 * 1024)))
    # Limits of an imported spreadsheet (app/officials/imports/files.py), checked before any
    # reader loads it; a file over one is refused with a message saying which.
    IMPORT_MAX_PART_BYTES = 200 * 1024 * 1024  # one part of a zip workbook, uncompressed
    IMPORT_MAX_TOTAL_BYTES = 300 * 1024 * 1024  # all the parts together, uncompressed
    IMPORT_MAX_COMPRESSION_RATIO = 200  # uncompressed / compressed size of a part (past 32 MB)
    IMPORT_MAX_PARTS = 1000  # parts (entries) of a zip workbook
    IMPORT_MAX_SHARED_STRINGS = 1_000_000  # distinct texts of an .xlsx (sharedStrings.xml)
    IMPORT_MAX_CELL_BYTES = 128 * 1024  # the text of one cell (a CSV field, an XML text run)
    IMPORT_MAX_ROWS = 200_000  # rows of the sheet, from row 1 to the last with data; and
    # rows written in it at all (empty ones too: the reader walks them)
    IMPORT_MAX_COLUMNS = 200  # columns, from A to the last with data
    IMPORT_MAX_CELLS = 6_000_000  # rows x columns (the reader holds that area in memory)
    # Email (app/notifications/outbox.py). No MAIL_SERVER: no email is queued, notifications
    # stay in the app. Emails are queued in the transaction of their notification and sent
    # after its commit, by a background thread (MAIL_SEND_AFTER_COMMIT) and by
    # `flask notifications send-outbox` (cron), never inside a request's transaction.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _flag("MAIL_USE_TLS")
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "ccvc-nu@localhost")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))  # seconds per SMTP operation
    MAIL_BACKEND = "smtp"  # Flask-Mailman would pick its in-memory backend under TESTING
    MAIL_SEND_AFTER_COMMIT = os.environ.get("MAIL_SEND_AFTER_COMMIT", "1") != "0"
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))
    # An email left "sending" longer than this (its sender was killed) is tried again.
    MAIL_SENDING_TIMEOUT_MINUTES = int(os.environ.get("MAIL_SENDING_TIMEOUT_MINUTES", "15"))
    # The address of the app in emails' links; unset: the request's host, else this default.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    # The domain part of the calendar events' UIDs ("session-<id>@<domain>"): fixed, whatever
    # host a feed is read through, so that a session stays one event everywhere and over time.
    CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "ccvc-nu.sonoivu.vn")
    # Background jobs (app/jobs, Huey). No JOBS_QUEUE_URL: the queue is a SQLite file of its own
    # in instance/ (JOBS_QUEUE_FILE), its consumer started by `make run`; redis://host:port/db:
    # a Redis shared by any number of consumers on any number of hosts. JOBS_IMMEDIATE runs a
    # job inside the process that starts it (the tests).
    JOBS_QUEUE_URL = os.environ.get("JOBS_QUEUE_URL") or None
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME", "ccvc-jobs")
    JOBS_QUEUE_FILE = os.environ.get("JOBS_QUEUE_FILE", str(INSTANCE_DIR / "jobs-queue.db"))
    JOBS_IMMEDIATE = _flag("JOBS_IMMEDIATE")
    # A running job writes a heartbeat every JOBS_HEARTBEAT_SECONDS; one silent for
    # JOBS_STALE_SECONDS (its consumer was killed) is shown as failed.
    JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "5"))
    JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", "120"))
    # The file of a job (an export, a report) is kept this many days after it ended; the
    # scheduler drops older ones every night (the job's page then says so).
    JOBS_FILE_DAYS = int(os.environ.get("JOBS_FILE_DAYS", "7"))
    # Werkzeug's method string; scrypt (its default) everywhere but in the tests.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password
    # One JSON line per request (app/request_log.py) on this logger, to standard error unless
    # a logging configuration gives the logger handlers of its own.
    REQUEST_LOG = os.environ.get("REQUEST_LOG", "1") != "0"
    REQUEST_LOG_LOGGER = os.environ.get("REQUEST_LOG_LOGGER", "ccvc.requests")
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
    # One PBKDF2 round: the suite signs in hundreds of times and tests no hash strength.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # noqa: S105 - a method name
    # No email whatever the environment says: the tests that send one start their own SMTP
    # server and set MAIL_SERVER (tests/test_email_outbox.py).
    MAIL_SERVER = None
    # Jobs run inside the request that starts them (Huey's immediate mode, in memory); the
    # tests of real consumers (tests/test_job_consumers.py) start their own processes.
    JOBS_IMMEDIATE = True

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
        # In memory, each gunicorn worker would count failed logins on its own (with 4 workers
        # an attacker gets 4 times the attempts): production needs the shared store.
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        if self.RATELIMIT_STORAGE_URI.startswith("memory://"):
            raise ConfigError(
                "RATELIMIT_STORAGE_URI must name a shared store in production "
                "(e.g. redis://127.0.0.1:6379/0): memory:// counts per worker."
            )
        self.FORCE_HTTPS = os.environ.get("FORCE_HTTPS", "1") != "0"
        if os.environ.get("MAIL_SERVER") and not os.environ.get("PUBLIC_BASE_URL"):
            raise ConfigError(
                "PUBLIC_BASE_URL must be set in production when MAIL_SERVER is: the links of "
                "the emails are made from it, never from a request's Host header."
            )


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
