"""Province HR opens the dashboard (Mục tiêu 3 tab), sees the charts, switches group, gaps."""

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.conftest import screenshot
from tests.browser.test_login_journey import login

pytestmark = pytest.mark.browser

HR = next(a for a in DEMO_ACCOUNTS if a["username"] == "sonoivu")


def test_dashboard_charts_group_switch_and_gaps(page, live_server):
    login(page, live_server, HR)
    page.goto(f"{live_server}/progress")
    assert page.locator("h1").inner_text() == "Tiến độ thực hiện kế hoạch"
    assert page.locator("[data-testid=tab-M3]").get_attribute("aria-current") == "page"
    assert page.locator("[data-testid=headline-P]").is_visible()
    page.locator("details.m3-charts summary").first.click()
    page.wait_for_selector("canvas.m3-chart[data-rendered='1']")
    assert page.locator("canvas.m3-chart[data-rendered='1']").count() >= 1
    screenshot(page, "progress-dashboard")
    page.select_option("#group", "men")
    with page.expect_navigation():
        page.click("[data-testid=apply-filters]")
    assert "group=men" in page.url
    assert page.locator("[data-testid^=fig-M3][data-testid$=-men]").count() > 0
    page.goto(f"{live_server}/progress/gaps?missing=pol_cc")
    assert page.locator("#missing").input_value() == "pol_cc"
    assert page.locator("[data-testid=gaps-table] tbody tr").count() > 0
    assert page.console_errors == []


def _inside_the_screen(page, selector: str) -> list[str]:
    """The visible elements matching `selector` that reach beyond the 390 px screen."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el.getAttribute('data-testid') || el.textContent.trim().slice(0, 30),
                          el.getBoundingClientRect()])
            .filter(([_, box]) => box.left < 0 || box.right > window.innerWidth + 0.5)
            .map(([name]) => name)""",
        selector,
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_phone_shows_the_key_columns_without_sideways_scrolling(phone, live_server, lang):
    """Issue 11 item 3: at 390 px, women, men, "cần thêm n người", forecast and "Còn thiếu" are
    on screen; the per-organization table says it scrolls; no page is wider than the screen."""
    phone.context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    login(phone, live_server, HR)
    phone.goto(f"{live_server}/progress?population=C")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    key_cells = (
        "[data-testid^=fig-M3], [data-testid^=short-M3], [data-testid^=forecast-M3],"
        " [data-testid^=gap-M3]"
    )
    assert phone.locator("[data-testid^=fig-M3][data-testid$=-women]").count() > 0
    assert phone.locator("[data-testid^=short-M3]").count() > 0
    assert _inside_the_screen(phone, key_cells) == []
    assert phone.locator("[data-testid=org-scroll-hint]").is_visible()
    scroller = phone.locator("[data-testid=org-scroll]")
    assert scroller.evaluate("(el) => el.scrollWidth > el.clientWidth")
    assert scroller.evaluate("(el) => getComputedStyle(el).backgroundImage").count("gradient") == 4
    screenshot(phone, f"progress-dashboard-phone-{lang}")
    phone.goto(f"{live_server}/progress/gaps")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("[data-testid^=missing-]").count() > 0
    assert _inside_the_screen(phone, "[data-testid^=missing-], [data-testid^=missing-] *") == []
    screenshot(phone, f"progress-gaps-phone-{lang}")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_objective_tab_fits_a_phone(phone, live_server, lang):
    """Issue 16: the Mục tiêu 1 and 2 tabs at 390 px: women and men, charts, lists on screen,
    no page wider than the screen; the tabs are links that keep the filters."""
    phone.context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    login(phone, live_server, HR)
    phone.goto(f"{live_server}/progress?objective=M1")
    assert phone.locator("[data-testid=tab-M1]").get_attribute("aria-current") == "page"
    assert phone.locator("[data-testid^=fig-M1][data-testid$=-women]").count() > 0
    assert phone.locator("svg.m12-chart").count() > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    key_cells = (
        "[data-testid^=fig-M1], [data-testid^=short-M1], svg.m12-chart, [data-testid^=lacking-]"
    )
    assert _inside_the_screen(phone, key_cells) == []
    screenshot(phone, f"progress-m1-phone-{lang}")
    with phone.expect_navigation():
        phone.click("[data-testid=tab-M2]")
    assert "objective=M2" in phone.url
    assert phone.locator("[data-testid^=fig-M2]").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert _inside_the_screen(phone, "[data-testid^=fig-M2], [data-testid=untrained] a") == []
    screenshot(phone, f"progress-m2-phone-{lang}")
