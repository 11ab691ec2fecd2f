"""End-to-end journeys (issue 17): Debian's Chromium driven by Playwright against the app as it
is deployed — gunicorn on a free loopback port (tests/live_server.py), its own database
migrated with `flask db upgrade` and the demo loaded with `flask demo load`, and a real job
consumer (`huey_consumer app.worker.huey`, as `make run` starts one) on a queue of its own.

Every page a journey visits is watched (app/static is the only script source: a console error,
an uncaught exception or a CSP violation fails the journey), and a failing step leaves a
full-page screenshot in test-artifacts/ (kept by CI). axe-core, served from a local npm cache
(.ci/run installs it beside ical.js), is injected with page.evaluate — the CSP forbids inline
script tags — and must find no serious or critical violation on the main pages.

Skipped with a visible reason where Chromium, Playwright or axe-core is missing, except under
CI=true, where that is a failure (DESIGN §5). Run once, in the SQLite pass (SKIP_ONCE).
"""

from __future__ import annotations

import os
import re
import subprocess
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, missing_browser, require
from tests.live_server import (
    BIN,
    ROOT,
    STARTUP_LIMIT,
    consumer,
    gunicorn,
    live_database,
    migrate,
    server_env,
)

AXE_VERSION = "4.14.1"  # .ci/run installs this one
# Where .ci/run installs the node packages of the tests (ical.js, axe-core).
NODE_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ccvc-ci-node"
# Bounds against a hang, never timings asserted (milliseconds, Playwright's unit).
STEP_LIMIT_MS = 90_000  # generous: CI machines are shared and slow at times
# The words of the navigation bar that tell the language of a page.
SIGN_OUT = {"vi": "Đăng xuất", "en": "Sign out"}


def axe_path() -> Path | None:
    """axe.min.js: AXE_CORE_JS, else axe-core in NODE_PATH or in the tests' npm cache."""
    if os.environ.get("AXE_CORE_JS"):
        return Path(os.environ["AXE_CORE_JS"])
    folders = [Path(p) for p in os.environ.get("NODE_PATH", "").split(os.pathsep) if p]
    for folder in [*folders, NODE_CACHE / "node_modules"]:
        candidate = folder / "axe-core" / "axe.min.js"
        if candidate.is_file():
            return candidate
    return None


# --- the server ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """{"base": URL, "env": environment of the server}: gunicorn and a job consumer on a
    database of their own with the demo loaded."""
    require(missing_browser(), "browser journeys")
    tmp = tmp_path_factory.mktemp("journeys")
    instance = tmp / "instance"
    instance.mkdir()
    with live_database(tmp) as url:
        env = server_env(url, instance)
        env.update(
            JOBS_QUEUE_FILE=str(instance / "jobs-queue.db"),
            JOBS_QUEUE_NAME=f"ccvc-journeys-{os.getpid()}",
            JOBS_HEARTBEAT_SECONDS="0.5",
            UPLOAD_DIR=str(instance / "uploads"),
        )
        env.pop("JOBS_QUEUE_URL", None)
        migrate(env)
        subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", "demo", "load"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=STARTUP_LIMIT * 2,
        )
        with (
            consumer(env, tmp / "consumer.log"),
            gunicorn(env, tmp / "gunicorn.log", workers=2) as port,
        ):
            yield {"base": f"http://127.0.0.1:{port}", "env": env, "logs": tmp}


@pytest.fixture(scope="session")
def browser(served, playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = axe_path()
    require(
        None
        if path
        else f"axe-core not found (npm install --prefix {NODE_CACHE} axe-core@{AXE_VERSION})",
        "browser journeys",
    )
    return path.read_text(encoding="utf-8")


# --- a person at a browser -------------------------------------------------------------------

# Installed in every document before its own scripts (through the DevTools protocol, which the
# page's CSP does not govern): a CSP violation is reported on the console.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
                (event.blockedURI || "inline") + " at " + event.sourceFile + ":" +
                event.lineNumber);
});
"""


class Person:
    """One signed-in browser context and what its pages reported: console errors, uncaught
    exceptions, CSP violations, and the pages it went through."""

    def __init__(self, browser, base: str, name: str, axe: str, **context):
        context.setdefault("viewport", {"width": 1280, "height": 900})
        self.context = browser.new_context(locale="vi-VN", accept_downloads=True, **context)
        self.context.set_default_timeout(STEP_LIMIT_MS)
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.base = base
        self.name = name
        self.axe = axe
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.url}: {error}"))

    @property
    def url(self) -> str:
        return self.page.url.removeprefix(self.base)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"{self.url}: {message.text}")

    # the steps

    @contextmanager
    def step(self, name: str):
        """A step of the journey: when its block raises, a full-page screenshot of where the
        person is goes to test-artifacts/journey-<person>-<step>.png."""
        try:
            yield self.page
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{name}".lower()).strip("-")
            # the page itself may be gone: the original error tells then
            with suppress(Exception):
                self.page.screenshot(path=str(ARTIFACTS / f"journey-{slug}.png"), full_page=True)
            raise

    def login(self, username: str, password: str) -> None:
        page = self.page
        page.goto(f"{self.base}/login")
        page.fill("#username", username)
        page.fill("#password", password)
        with page.expect_navigation():
            page.click("#submit")
        assert "/login" not in page.url, page.locator("main").inner_text()

    def visit(self, path: str, axe: bool = False) -> None:
        """Go to `path` and check the page: its language switch, and axe-core on main pages."""
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status == 200, (path, response and response.status)
        self.check_page(axe=axe)

    def check_page(self, axe: bool = False) -> None:
        self.switch_language()
        if axe:
            self.assert_accessible()
        self.assert_clean()

    def switch_language(self) -> None:
        """To English and back: the page comes back where it was, and the known word of the
        navigation bar changes with the language."""
        page = self.page
        here = page.url
        assert self.language() == "vi", (here, self.language())
        for lang in ("en", "vi"):
            button = page.locator(f"[data-testid=lang-{lang}]")
            if not button.is_visible():  # a phone: the menu opens first
                if page.locator(".navbar-collapse.show").count() == 0:
                    page.click(".navbar-toggler")
                # Bootstrap's collapse has ended (a click while it animates may be lost).
                page.locator(".navbar-collapse.show").wait_for(state="visible")
                page.locator(".navbar-collapse.collapsing").wait_for(state="detached")
                button.wait_for(state="visible")
            with page.expect_navigation(wait_until="load"):
                button.click()
            assert page.url == here, (page.url, here)
            assert page.locator(".navbar-collapse.show").count() == 0  # a fresh page
            assert self.language() == lang, (here, lang)
            assert page.locator("[data-testid=logout]").text_content().strip() == SIGN_OUT[lang]

    def language(self) -> str:
        return self.page.evaluate("document.documentElement.lang")

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)

    def assert_accessible(self) -> None:
        """axe-core (WCAG 2.x A and AA rules and best practices) finds nothing serious."""
        page = self.page
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(self.axe)
        violations = page.evaluate(
            """async () => {
              const result = await axe.run(document, {resultTypes: ["violations"]});
              return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                              nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" "))}));
            }"""
        )
        assert not violations, f"{self.url}: {violations}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def person(browser, served, axe_source):
    """person(name, username, password, **context options): a signed-in Person, closed after
    the test."""
    made = []

    def make(name: str, username: str, password: str, **context) -> Person:
        someone = Person(browser, served["base"], name, axe_source, **context)
        made.append(someone)
        with someone.step("login"):
            someone.login(username, password)
        return someone

    yield make
    for someone in made:
        someone.close()
