"""Log in, switch language, log out: in a real Chromium, against a live server."""

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

ADMIN = next(a for a in DEMO_ACCOUNTS if "admin" in a["roles"])


def login(page, base, account):
    page.goto(f"{base}/login")
    page.fill("#username", account["username"])
    page.fill("#password", account["password"])
    with page.expect_navigation():
        page.click("#submit")
    page.wait_for_load_state("load")


def test_login_switch_language_logout(page, live_server):
    page.goto(f"{live_server}/")
    assert "/login" in page.url
    assert (
        page.locator("h1").inner_text() == "Đăng nhập"
    )  # Vietnamese although the browser is en-US
    login(page, live_server, ADMIN)
    assert page.url.rstrip("/") == live_server
    assert "Xin chào" in page.locator("h1").inner_text()
    with page.expect_navigation():
        page.click("[data-testid=lang-en]")
    assert "Hello" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "home-en")
    page.reload()
    assert "Hello" in page.locator("h1").inner_text()  # remembered
    page.click("[data-testid=account-menu]")
    with page.expect_navigation():
        page.click("[data-testid=logout]")
    assert "/login" in page.url
    assert page.locator("h1").inner_text() == "Sign in"
    with page.expect_navigation():
        page.click("[data-testid=lang-vi]")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    assert page.console_errors == [], page.console_errors  # no CSP violation, no JS error


def test_wrong_password_message(page, live_server):
    login(page, live_server, {**ADMIN, "password": "not-the-password"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.content()


def test_phone_menu(phone, live_server):
    login(phone, live_server, ADMIN)
    phone.click(".navbar-toggler")
    phone.wait_for_selector("#mainnav.show")
    phone.click("[data-testid=manage-menu]")
    phone.wait_for_selector('#mainnav a[href="/admin/users"]', state="visible")
    screenshot(phone, "home-phone-vi")
