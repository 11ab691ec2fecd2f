"""A real gunicorn serving the app on a loopback port, a real job consumer beside it, and a
small HTTP client for it.

Used by the tests of concurrent clients (tests/test_concurrency.py): a temporary SQLite file (or,
in the PostgreSQL pass, a fresh database on the TEST_DATABASE_URL server) migrated with
`flask db upgrade`, gunicorn with several workers on a free port of 127.0.0.1, and clients that
keep their session cookie and post forms the way a browser does (CSRF token included).
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "live-server-test-secret"  # noqa: S105
# Bounds, not timings asserted: how long a server may take to come up or to stop.
STARTUP_LIMIT = 90.0
REQUEST_LIMIT = 120.0


@contextmanager
def live_database(tmp_path: Path):
    """The URL of an empty database: a SQLite file, or a fresh PostgreSQL database created on the
    server of TEST_DATABASE_URL (and dropped afterwards) in the PostgreSQL pass."""
    test_url = os.environ.get("TEST_DATABASE_URL", "")
    if not test_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'live.db'}"
        return
    url = make_url(test_url)
    name = f"live_{os.getpid()}_{secrets.token_hex(4)}"
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, instance: Path) -> dict:
    """The environment of a production-like server: CSRF on (the development configuration,
    which differs from production only by not forcing HTTPS), its own instance folder."""
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    env.update(
        APP_CONFIG="development",
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET,
        INSTANCE_PATH=str(instance),
        RATELIMIT_STORAGE_URI="memory://",
        # The clients log in once each; the login limit is not what these tests are about.
        LOGIN_RATE_LIMIT="1000 per minute",
    )
    return env


def migrate(env: dict) -> None:
    """`flask --app wsgi db upgrade`, exactly as a deployment runs it."""
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=STARTUP_LIMIT,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict, log: Path, workers: int = 4):
    """gunicorn serving wsgi:app with `workers` workers on a free loopback port; yields the port.
    The server is stopped (and killed if it lingers) on the way out."""
    port = free_port()
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--error-logfile",
                "-",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(process, port, log)
            yield port
        finally:
            # Quick shutdown: the clients are done, nothing is in flight.
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


@contextmanager
def consumer(env: dict, log: Path):
    """One job consumer (`huey_consumer app.worker.huey`), as `make run` starts it beside the
    web server; yields its process. Stopped on the way out (woken first if a test froze it
    with SIGSTOP), killed if it lingers."""
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(BIN / "huey_consumer"),
                "app.worker.huey",
                "--workers",
                "1",
                "--worker-type",
                "thread",
                "--max-delay",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=30)


def _wait_until_serving(process, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            status, _, _ = Client(port).request("GET", "/healthz")
        except OSError:
            status = None
        if status == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer: {log.read_text(errors='replace')[-3000:]}")


class Client:
    """One browser (or API client): its cookies, plain HTTP/1.1 to 127.0.0.1."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port = port
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, body: bytes | None = None):
        """(status, headers, text) of one request; no redirect is followed."""
        headers = {**self.headers, "Host": f"127.0.0.1:{self.port}"}
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_LIMIT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or ():
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, text
        finally:
            conn.close()

    def form(self, path: str, field: str) -> tuple[int, dict | None]:
        """The status of page `path` and the fields of its form that has an input named
        `field`, as a browser would send them unchanged (hidden CSRF token included)."""
        status, _, text = self.request("GET", path)
        forms = [fields for fields in parse_forms(text) if field in fields] if status == 200 else []
        return status, (forms[0] if forms else None)

    def login(self, username: str, password: str) -> int:
        """Sign in through the login form; the status of the POST (302 when signed in)."""
        status, fields = self.form("/login", "username")
        if fields is None:
            return status
        fields.update(username=username, password=password)
        return self.request("POST", "/login", form=fields)[0]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "option" and self._select and self.forms:
            # A select sends its selected option, else its first one, as browsers do.
            fields = self.forms[-1]
            if "selected" in attrs or fields.get(self._select) is None:
                fields[self._select] = attrs.get("value", "")
            return
        if tag == "form":
            self.forms.append({})
            return
        if not self.forms or not attrs.get("name"):
            return
        fields = self.forms[-1]
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            fields[name] = attrs.get("value") or ("y" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, None)
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return [{k: ("" if v is None else v) for k, v in form.items()} for form in parser.forms]
