"""Debian's Chromium for the browser tests (tests/browser) and the journeys (tests/journeys):
where it is, how it is launched, where failure screenshots go, and the rule that a missing
browser skips the tests with a visible reason except under CI=true, where it fails them
(DESIGN §5)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's launch() gives Chromium a fresh temporary profile (--user-data-dir) itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def require(reason: str | None, what: str = "browser tests") -> None:
    """Skip (fail under CI=true) when `reason` says what is missing."""
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} must run in CI: {reason}")
        pytest.skip(reason)


def missing_browser() -> str | None:
    """Why the browser cannot run here (Playwright or Chromium missing), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None
