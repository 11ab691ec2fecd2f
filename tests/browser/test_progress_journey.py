"""Province HR opens the Mục tiêu 3 dashboard, sees the charts, switches group, opens gaps."""

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.conftest import screenshot
from tests.browser.test_login_journey import login

pytestmark = pytest.mark.browser

HR = next(a for a in DEMO_ACCOUNTS if a["username"] == "sonoivu")


def test_dashboard_charts_group_switch_and_gaps(page, live_server):
    login(page, live_server, HR)
    page.goto(f"{live_server}/progress")
    assert page.locator("h1").inner_text() == "Tiến độ Mục tiêu 3"
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
