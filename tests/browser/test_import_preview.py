"""Unit HR previews a file exported from the list and changed (issue 11, item 5): no server
command offered, the buttons wait for their request, the changed fields listed beside the
errors. Nothing is applied (the live server's data stays as the other journeys expect)."""

import csv
import io

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.conftest import screenshot
from tests.browser.test_login_journey import login

pytestmark = pytest.mark.browser

UNIT_HR = next(a for a in DEMO_ACCOUNTS if "unit_hr" in a["roles"])
HOLD_SUBMIT = "f => f.addEventListener('submit', e => e.preventDefault())"


def changed_file(page, base) -> bytes:
    """The unit's export with one birth date changed and one row with an unknown sex."""
    exported = page.request.get(f"{base}/officials/export.csv").body().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(exported)))
    column = {name: index for index, name in enumerate(header)}
    rows = rows[:3]
    rows[0][column["Ngày sinh"]] = "01/01/1980"
    rows[1][column["Giới tính"]] = "Không rõ"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return ("\ufeff" + buffer.getvalue()).encode()


def test_unit_hr_previews_changes_beside_errors(page, live_server):
    from playwright.sync_api import expect  # here: without Playwright the fixtures skip

    login(page, live_server, UNIT_HR)
    page.goto(f"{live_server}/officials/import")
    assert "flask --app wsgi" not in page.content()
    data = changed_file(page, live_server)
    page.set_input_files(
        "#file", files=[{"name": "don-vi.csv", "mimeType": "text/csv", "buffer": data}]
    )
    # While the upload runs its button is disabled (the submission is held here to see it).
    form = page.locator("[data-testid=import-form]")
    form.evaluate(HOLD_SUBMIT)
    page.click("#submit")
    expect(page.locator("#submit")).to_be_disabled()
    assert page.locator("#submit").get_attribute("data-busy") == page.input_value("#submit")
    page.reload()
    page.set_input_files(
        "#file", files=[{"name": "don-vi.csv", "mimeType": "text/csv", "buffer": data}]
    )
    with page.expect_navigation():
        page.click("#submit")
    assert page.locator('[data-count="errors"] .fs-5').inner_text() == "1"
    updated = page.locator('[data-testid=changed-rows] [data-row="2"]')
    assert updated.get_attribute("data-action") == "updated"
    change = updated.locator("[data-field='Ngày sinh']")
    assert change.locator(".new").inner_text() == "01/01/1980"
    assert page.locator('[data-testid=changed-rows] [data-row="3"]').count() == 0
    screenshot(page, "import-preview-errors")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == [], page.console_errors
