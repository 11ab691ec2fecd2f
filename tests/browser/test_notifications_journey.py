"""Issue 11 items 7 and 8 in a real Chromium: an official proposes a certificate, HR sees it
counted on the menu and rejects it, the official's bell counts the notification (on a phone
too, without opening the menu), which opens "propose again" prefilled; the navbar's keyboard
focus is visible."""

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.conftest import screenshot
from tests.browser.test_login_journey import login

pytestmark = pytest.mark.browser

OFFICIAL = next(a for a in DEMO_ACCOUNTS if a["username"] == "canbo")
PROVINCE_HR = next(a for a in DEMO_ACCOUNTS if a["username"] == "sonoivu")
PDF = b"%PDF-1.4\n%journey\n"


def menu_count(page) -> int:
    badge = page.locator("[data-testid='menu-count-qualifications.pending']")
    return int(badge.inner_text().split()[0]) if badge.count() else 0


def test_rejected_proposal_notifies_and_is_proposed_again(browser, page, phone, live_server):
    hr = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    login(hr, live_server, PROVINCE_HR)
    waiting_before = menu_count(hr)

    login(page, live_server, OFFICIAL)
    page.goto(f"{live_server}/me/qualifications/propose")
    page.select_option("[data-ladder-select]", "education")
    page.select_option("select[name=level_education]", "master")
    page.fill("input[name=institution]", "Đại học Cần Thơ")
    page.set_input_files(
        "input[name=scan]", {"name": "bang.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        page.click("[data-testid=proposal-form] [type=submit]")

    hr.goto(f"{live_server}/qualifications/pending")
    assert menu_count(hr) == waiting_before + 1
    reject = hr.locator("[data-testid^=reject-]").last
    record_id = reject.get_attribute("data-testid").split("-")[1]
    hr.fill(f"#reason-{record_id}", "Bản chụp mờ")
    with hr.expect_navigation():
        reject.click()
    assert menu_count(hr) == waiting_before

    page.goto(f"{live_server}/")
    assert page.locator("[data-testid=bell-count]:visible").inner_text() == "1"
    assert page.locator("[data-figure=unread] .fs-3").inner_text() == "1"

    login(phone, live_server, OFFICIAL)
    bell = phone.locator("[data-testid=bell]:visible")
    assert bell.count() == 1 and bell.locator("[data-testid=bell-count]").inner_text() == "1"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with phone.expect_navigation():
        bell.click()
    assert "Bản chụp mờ" in phone.locator("[data-testid=notifications]").inner_text()
    screenshot(phone, "notifications-phone")
    with phone.expect_navigation():
        phone.locator("[data-testid^=open-]").first.click()
    assert f"again={record_id}" in phone.url
    assert phone.locator("[data-testid=propose-again]").is_visible()
    assert phone.input_value("input[name=institution]") == "Đại học Cần Thơ"
    assert phone.input_value("select[name=level_education]") == "master"
    phone.goto(f"{live_server}/")
    assert phone.locator("[data-testid=bell-count]").count() == 0  # read
    assert page.console_errors == [], page.console_errors


def test_keyboard_focus_on_the_navbar_is_visible(page, live_server):
    login(page, live_server, PROVINCE_HR)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # the first menu item
    focused = page.evaluate(
        """() => {
          const el = document.activeElement, style = getComputedStyle(el);
          return {inNavbar: !!el.closest('.app-navbar'), style: style.outlineStyle,
                  width: style.outlineWidth, colour: style.outlineColor, text: style.color,
                  background: getComputedStyle(el.closest('.app-navbar')).backgroundColor};
        }"""
    )
    assert focused["inNavbar"], focused
    assert (focused["style"], focused["width"]) == ("solid", "3px"), focused
    assert focused["colour"] == "rgb(255, 218, 106)", focused
    assert focused["text"] == "rgb(255, 255, 255)", focused
    assert focused["background"] == "rgb(10, 88, 202)", focused
