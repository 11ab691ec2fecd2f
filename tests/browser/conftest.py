"""A live server (its own SQLite file, migrated, demo loaded) and Debian's Chromium.

Skipped with a visible reason where Chromium or Playwright is missing, except under CI=true,
where that is a failure (DESIGN §5)."""

import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest

from tests.chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, missing_browser, require


@pytest.fixture(scope="session")
def live_server():
    require(missing_browser())
    from werkzeug.serving import make_server

    import config as config_module
    from app import create_app
    from app.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="browser-"))

    class LiveConfig(config_module.TestingConfig):
        WTF_CSRF_ENABLED = True

        def __init__(self):
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{workdir / 'app.db'}"
            self.UPLOAD_DIR = str(workdir / "uploads")

    app = create_app(LiveConfig())
    with app.app_context():
        import flask_migrate

        flask_migrate.upgrade()
        from app.demo.loader import load_demo

        load_demo()
        db.session.commit()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(live_server, playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--disable-quic"]
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
