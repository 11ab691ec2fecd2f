"""The admin's accounts pages in a real Chromium: the list fits a 390 px phone in both
languages, and an account is edited from the phone (roles in words, the change saved)."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_login_journey import ADMIN, login

pytestmark = pytest.mark.browser


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def switch_language(phone, language) -> None:
    phone.click(".navbar-toggler")
    phone.wait_for_selector("#mainnav.show")
    with phone.expect_navigation():
        phone.click(f"[data-testid=lang-{language}]")


def test_accounts_list_fits_a_phone(phone, live_server):
    login(phone, live_server, ADMIN)
    for language in ("vi", "en"):
        phone.goto(f"{live_server}/admin/users")
        if language == "en":
            switch_language(phone, "en")
        phone.wait_for_load_state("load")
        assert page_width(phone) <= 390, language
        row = phone.locator("[data-testid='account-nhansu.batri']")
        for text in (("Cán bộ tổ chức đơn vị", "Unit HR officer")[language == "en"],):
            assert row.get_by_text(text).is_visible()
        assert row.get_by_role("link", name="nhansu.batri").is_visible()
        assert row.locator("button").first.is_visible()  # lock
        screenshot(phone, f"accounts-phone-{language}")
        with phone.expect_navigation():
            row.get_by_role("link", name="nhansu.batri").click()
        assert page_width(phone) <= 390, language
        assert phone.locator("input[value=unit_hr]").is_checked()
        screenshot(phone, f"account-edit-phone-{language}")
    switch_language(phone, "vi")
