"""Province HR imports a small CSV: upload, preview, apply, and the new official is listed."""

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.conftest import screenshot
from tests.browser.test_login_journey import login

pytestmark = pytest.mark.browser

PROVINCE_HR = next(a for a in DEMO_ACCOUNTS if "province_hr" in a["roles"])
CSV = (
    "\ufeffMã cán bộ,Họ và tên,Giới tính,Ngày sinh,Đơn vị,Cấp,Bậc chức vụ,Lý luận chính trị\n"
    "JR000001,Huỳnh Thị Hành Trình,Nữ,02/04/1988,Phòng Nội vụ huyện Ba Tri,Huyện,"
    '"Chuyên viên, nhân viên",Trung cấp\n'
)


def test_upload_preview_apply_and_find_her(page, live_server):
    login(page, live_server, PROVINCE_HR)
    page.goto(f"{live_server}/officials/import")
    assert "flask --app wsgi officials import" in page.content()
    page.set_input_files(
        "#file",
        files=[{"name": "can-bo-moi.csv", "mimeType": "text/csv", "buffer": CSV.encode()}],
    )
    with page.expect_navigation():
        page.click("#submit")
    assert "/officials/import/" in page.url
    assert page.locator('[data-count="new"] .fs-5').inner_text() == "1"
    assert page.locator('[data-count="errors"] .fs-5').inner_text() == "0"
    screenshot(page, "import-preview")
    with page.expect_navigation():
        page.click("[data-testid=apply-form] #submit")
    # The import is a background job (run at once by this server): its page tells the result.
    assert "/jobs/" in page.url
    assert "Đã nhập" in page.locator("[data-testid=job-message]").inner_text()
    assert page.locator("[data-testid=job-state]").inner_text() == "Đã xong"
    with page.expect_navigation():
        page.click("[data-testid=job-link]")
    assert page.url.endswith("/officials")
    page.fill("#q", "hanh trinh")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Tìm')")
    assert page.locator("table a", has_text="Huỳnh Thị Hành Trình").count() == 1
    assert page.console_errors == [], page.console_errors
