"""Issue 17 §2, end to end in Debian's Chromium against gunicorn with the demo loaded and a real
job consumer (tests/journeys/conftest.py):

- an official finds what she still needs, a course of the catalogue that closes a gap,
  registers, asks for childcare support and subscribes to her calendar;
- a trainer records today's attendance on a phone (390×844);
- province HR approves her registration and her support request, brings her course to its end
  and finishes it: her qualification, her gaps and the dashboard change; the dashboard's .xlsx
  opens in openpyxl;
- province HR imports a sheet of 5,000 officials and watches the progress bar reach the end.

Every page visited switches to English and back, logs no console error and violates no CSP
directive; axe-core finds no serious or critical violation on the main pages.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

pytestmark = pytest.mark.browser

OFFICIAL = ("canbo", "CanBo@BenTre2017")
TRAINER = ("giangvien", "GiangVien@BenTre2017")
PROVINCE_HR = ("sonoivu", "SoNoiVu@BenTre2017")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CHILD = "Võ Ngọc Bảo Anh"
OFFICIAL_CODE = "BT000002"  # canbo's official (app.demo.data.OFFICIAL_CODE)


def today() -> date:
    """The app's today (Asia/Ho_Chi_Minh), which placed the demo's courses."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def ddmmyyyy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_official_trainer_and_hr(person, served):
    she = person("official", *OFFICIAL)
    course = official_journey(she)
    trainer_journey(person("trainer", *TRAINER, **PHONE))
    hr_journey(person("hr", *PROVINCE_HR), she, course)


# --- the official ----------------------------------------------------------------------------


def official_journey(she) -> dict:
    """Her journey; returns what the others need: the course's id, code and title, her feed."""
    page = she.page
    with she.step("home"):
        she.visit("/", axe=True)
        gaps_on_home = page.locator("main").inner_text()
        assert "Tiêu chuẩn còn thiếu của tôi" in gaps_on_home
    with she.step("record"):
        she.visit("/me/record", axe=True)
        still_needed = page.locator("[data-testid=still-needed]").inner_text()
        assert "Cao cấp lý luận chính trị" in still_needed, still_needed
    with she.step("my-courses"):
        she.visit("/my-courses", axe=True)
    with she.step("catalogue"):
        she.visit("/courses/", axe=True)
        # The catalogue marks the courses that close one of her gaps; she takes one with seats.
        rows = page.locator("[data-testid=catalogue] tbody tr")
        chosen = None
        for n in range(rows.count()):
            row = rows.nth(n)
            marker = row.locator("[data-testid^=gap-]")
            if (
                marker.count()
                and "Hết chỗ" not in row.locator("[data-testid^=seats-]").inner_text()
            ):
                chosen = row
                break
        assert chosen is not None, rows.all_inner_texts()
        gap = chosen.locator("[data-testid^=gap-]").inner_text()
        assert "Cao cấp lý luận chính trị" in gap, gap
        with page.expect_navigation():
            chosen.locator("a").first.click()
        course_url = page.url.removeprefix(she.base)
        course = {
            "id": int(re.search(r"/courses/(\d+)", course_url).group(1)),
            "title": page.locator("h1").inner_text().strip(),
        }
    with she.step("course"):
        she.check_page(axe=True)
        assert "Cao cấp lý luận chính trị" in page.locator("[data-testid=my-gaps]").inner_text()
        with page.expect_navigation():
            page.click("[data-testid=register]")
        state = page.locator("[data-testid=my-state]")
        assert state.get_attribute("data-status") == "pending", state.inner_text()
        she.check_page()
    ask_for_childcare(she, course)
    subscribe(she, course)
    she.assert_clean()
    return course


def ask_for_childcare(she, course: dict) -> None:
    page = she.page
    with she.step("childcare"):
        with page.expect_navigation():
            page.click("[data-testid=childcare-ask]")
        she.check_page()
        days = page.locator("input[name=days]")
        first_day = date.fromisoformat(days.first.get_attribute("value"))
        page.fill("#child_name", CHILD)
        # under 36 months on the course's first day: a year and a half old
        page.fill("#child_birth_date", ddmmyyyy(first_day - timedelta(days=540)))
        page.check("input[name=kinds][value=allowance]")
        for n in range(2, days.count()):  # the first two days only
            days.nth(n).uncheck()
        page.check("#consent")
        with page.expect_navigation():
            page.click("#preview")
        assert page.locator("[data-testid=childcare-quote]").is_visible()
        she.assert_clean()  # the preview answers a POST: switching language would reload the form
        with page.expect_navigation():
            page.click("[data-testid=childcare-submit]")
        assert "Đã gửi, chờ duyệt" in page.inner_text("[data-testid=request-status]")
        course["childcare_url"] = page.url.removeprefix(she.base)
        she.check_page()


def subscribe(she, course: dict) -> None:
    """Her calendar panel: she makes her link; the link answers her calendar."""
    page = she.page
    with she.step("calendar"):
        she.visit("/calendar")
        panel = page.locator("[data-testid=calendar-personal]")
        with page.expect_navigation():
            panel.locator("[data-testid=regenerate]").click()
        she.check_page()
        feed = panel.locator("[data-testid=feed-url]").input_value()
        assert feed.startswith(f"{she.base}/calendar/") and feed.endswith(".ics"), feed
        response = page.request.get(feed)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert response.text().startswith("BEGIN:VCALENDAR")
        # Her registration waits for approval: not in her calendar yet (HR's journey checks that
        # the same link brings the course once approved).
        assert f"/courses/{course['id']}\r\n" not in response.text()
        course["feed"] = feed


def unfolded(ics: str) -> str:
    """An iCalendar document with its folded lines joined (RFC 5545 §3.1)."""
    return ics.replace("\r\n ", "").replace("\r\n\t", "")


# --- the trainer -----------------------------------------------------------------------------


def trainer_journey(trainer) -> None:
    page = trainer.page
    with trainer.step("today"):
        trainer.visit("/teaching/today")
        assert fits(page)
        links = page.locator("[data-testid=take-attendance]")
        assert links.count() >= 1, page.locator("main").inner_text()
        with page.expect_navigation():
            links.first.click()
    with trainer.step("register"):
        trainer.check_page(axe=True)
        assert fits(page)
        lines = page.locator(".att-line")
        count = lines.count()
        assert count >= 2, page.locator("main").inner_text()
        page.locator("[data-testid=all-present]").tap()
        assert page.locator(".att-line input[value=present]:checked").count() == count
        absent = lines.nth(1)
        name = absent.locator(".att-name").inner_text()
        absent.locator("label.att-absent").tap()
        assert fits(page)
        with page.expect_navigation():
            page.locator("[data-testid=save]").tap()
        assert "Đã lưu điểm danh" in page.locator(".alert-success").inner_text()
        lines = page.locator(".att-line")
        assert lines.nth(1).locator(".att-name").inner_text() == name
        assert lines.nth(1).get_attribute("data-status") == "absent"
        statuses = [lines.nth(n).get_attribute("data-status") for n in range(count)]
        assert statuses.count("present") == count - 1 and statuses.count("absent") == 1
        assert fits(page)
        trainer.assert_clean()
    with trainer.step("register-again"):
        # The saved register, loaded again: what was saved, in both languages.
        page.reload()
        trainer.check_page()
        assert page.locator(".att-line").nth(1).get_attribute("data-status") == "absent"
        assert fits(page)


# --- province HR ------------------------------------------------------------------------------


def figures(page) -> dict[str, str]:
    """The dashboard's figures (numerator/denominator), by indicator and group."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("[data-testid^=fig-]")]
             .map((el) => [el.dataset.testid, el.textContent.trim()]))"""
    )


def hr_journey(hr, she, course: dict) -> None:
    page = hr.page
    api = {}
    with hr.step("dashboard-before"):
        hr.visit("/progress", axe=True)
        before = figures(page)
        assert before
    with hr.step("gaps-before"):
        hr.visit("/progress/gaps", axe=True)
        course["gaps_before"] = page.locator("main").inner_text()
    with hr.step("token"):
        # What the pages do not offer (moving a course's sessions to today) goes through the
        # API, with a token made on the account's page.
        hr.visit("/account/tokens")
        page.fill("#name", "hanh-trinh")
        with page.expect_navigation():
            page.click("#submit")
        token = page.locator("[data-testid=new-token] code").inner_text().strip()
        api["headers"] = {"Authorization": f"Bearer {token}"}
        hr.assert_clean()
    with hr.step("enrolment"):
        items = call(page, api, "GET", f"/api/v1/courses/{course['id']}/enrolments")["items"]
        mine = next(e for e in items if e["official"]["code"] == OFFICIAL_CODE)
        assert mine["status"] == "pending", mine
        course["enrolment_id"] = mine["id"]
        course["official_name"] = mine["official"]["full_name"]
        hr.visit(f"/courses/{course['id']}/enrolments")
        row = page.locator("[data-testid=enrolments-pending] tr", has_text=course["official_name"])
        with page.expect_navigation():
            row.locator("[data-testid=approve]").click()
        assert (
            page.locator("[data-testid=enrolments-confirmed]")
            .inner_text()
            .count(course["official_name"])
            == 1
        )
        hr.assert_clean()
    approve_childcare(hr, course)
    finish_course(hr, course, api)
    see_the_change(hr, she, before, course["gaps_before"])
    export_dashboard(hr)
    hr.assert_clean()
    she.assert_clean()


def approve_childcare(hr, course: dict) -> None:
    """Her calendar link brings the approved course; her support request approved."""
    page = hr.page
    with hr.step("feed-after-approval"):
        # The link she subscribed to now brings her course (the calendar app refreshes it).
        response = page.request.get(course["feed"])
        assert response.status == 200
        ics = unfolded(response.text())
        assert f"URL:{hr.base}/courses/{course['id']}\r\n" in ics
        assert f"SUMMARY:{course['title']}".replace(",", "\\,") in ics
    with hr.step("childcare"):
        hr.visit(course["childcare_url"])
        assert CHILD in page.locator("main").inner_text()
        with page.expect_navigation():
            page.click("[data-testid=approve]")
        assert "Đã duyệt" in page.inner_text("[data-testid=request-status]")
        hr.check_page()


def finish_course(hr, course: dict, api: dict) -> None:
    """Her course brought to its end through the API (one session a day, the last today, her
    attendance recorded), then finished on its page."""
    page = hr.page
    with hr.step("sessions-to-today"):
        sessions = call(page, api, "GET", f"/api/v1/courses/{course['id']}/sessions")["items"]
        held = [s for s in sessions if s["status"] == "scheduled"]
        # one a day, the last today: every session held, her attendance recordable
        for n, session in enumerate(held):
            day = today() - timedelta(days=len(held) - 1 - n)
            call(page, api, "PATCH", f"/api/v1/sessions/{session['id']}", {"date": day.isoformat()})
        for session in held:
            entry = {"enrolment_id": course["enrolment_id"], "status": "present"}
            call(page, api, "PUT", f"/api/v1/sessions/{session['id']}/attendance", [entry])
    with hr.step("finish"):
        hr.visit(f"/courses/{course['id']}")
        page.locator("[data-testid=finish-step] summary").click()
        with page.expect_navigation():
            page.click("[data-testid=finish]")
        assert page.locator("[data-testid=course-status]").inner_text() == "Đã kết thúc"
        hr.check_page()


def see_the_change(hr, she, before: dict, gaps_before: str) -> None:
    """Her qualification and gaps on her record, HR's gaps page and dashboard."""
    page = hr.page
    with hr.step("her-record"):
        she.visit("/me/record", axe=True)
        levels = she.page.locator("[data-testid=current-levels] [data-ladder=political_theory]")
        assert levels.get_attribute("data-level") == "advanced"
        still_needed = she.page.locator("[data-testid=still-needed]").inner_text()
        assert "Cao cấp lý luận chính trị" not in still_needed, still_needed
    with hr.step("gaps-after"):
        hr.visit("/progress/gaps", axe=True)
        assert page.locator("main").inner_text() != gaps_before
    with hr.step("dashboard-after"):
        hr.visit("/progress", axe=True)
        after = figures(page)
        changed = {
            key: (before[key], after.get(key)) for key in before if before[key] != after.get(key)
        }
        assert changed, "no figure of the dashboard changed"


def export_dashboard(hr) -> None:
    """The dashboard's .xlsx, made by a job of the consumer, downloaded, read by openpyxl."""
    page = hr.page
    with hr.step("export"):
        with page.expect_navigation():
            page.click("[data-testid=export-xlsx]")
        download_link = page.locator("[data-testid=job-download]")
        download_link.wait_for(state="visible", timeout=120_000)  # the consumer's job ends
        hr.check_page()
        with page.expect_download() as waiting:
            page.locator("[data-testid=job-download]").click()
        download = waiting.value
        assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
        workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
        cells = [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        assert any("Cao cấp" in cell for cell in cells), cells[:40]


def call(page, api: dict, method: str, path: str, body=None):
    """One API call with HR's token; the JSON answer (a 2xx is required)."""
    response = page.request.fetch(
        f"{page.url.split('/', 3)[0]}//{page.url.split('/', 3)[2]}{path}",
        method=method,
        headers={**api["headers"], "Content-Type": "application/json"},
        data=None if body is None else json.dumps(body),
    )
    assert response.ok, (method, path, response.status, response.text())
    return response.json() if response.status != 204 else None


# --- a large import --------------------------------------------------------------------------

ROWS = 5_000
HEADER = ("Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị", "Cấp", "Bậc chức vụ")


def large_sheet() -> bytes:
    """A sheet of ROWS new officials of a demo unit."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Cán bộ")
    sheet.append(HEADER)
    for n in range(1, ROWS + 1):
        sheet.append(
            (
                f"JR{n:06d}",
                f"Nguyễn Thị Hành Trình {n}",
                "Nữ",
                f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1970 + n % 30}",
                "Phòng Nội vụ huyện Ba Tri",
                "Huyện",
                "Chuyên viên, nhân viên",
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def follow_job(hr) -> list[int]:
    """Watch a job's page until the job has ended (the page reloads itself then); the
    progress bar's values seen on the way."""
    page = hr.page
    seen = []
    bar = page.locator("[data-job-progress]")
    while page.locator("[data-testid=job-message]").count() == 0 and page.url.count("/jobs/"):
        if bar.count():
            value = bar.get_attribute("aria-valuenow")
            if value is not None and (not seen or seen[-1] != int(value)):
                seen.append(int(value))
        page.wait_for_timeout(100)
    return seen


def test_hr_imports_a_large_sheet(person):
    hr = person("hr-import", *PROVINCE_HR)
    page = hr.page
    with hr.step("upload"):
        hr.visit("/officials/import")
        page.set_input_files(
            "#file",
            files=[
                {
                    "name": "can-bo-5000.xlsx",
                    "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "buffer": large_sheet(),
                }
            ],
        )
        with page.expect_navigation():
            page.click("#submit")
    with hr.step("preview"):
        # The preview runs as a job: its page follows it, then shows the preview.
        page.locator("[data-testid=apply-form]").wait_for(timeout=120_000)
        assert page.locator('[data-count="new"] .fs-5').inner_text() == "5.000"
        assert page.locator('[data-count="errors"] .fs-5').inner_text() == "0"
        hr.assert_clean()
    with hr.step("apply"):
        with page.expect_navigation():
            page.click("[data-testid=apply-form] #submit")
        assert "/jobs/" in page.url
        job_url = page.url
        seen = follow_job(hr)
        assert page.url == job_url
        # the bar at its end, the count of rows, the state done
        assert page.locator("[data-job-progress]").get_attribute("aria-valuenow") == "100", seen
        assert "5.000 / 5.000" in page.locator("[data-testid=job-progress]").inner_text()
        assert page.locator("[data-testid=job-state]").inner_text() == "Đã xong"
        hr.check_page()
    with hr.step("found"):
        with page.expect_navigation():
            page.click("[data-testid=job-link]")
        page.fill("#q", "JR005000")
        with page.expect_navigation():
            page.click("button[type=submit]:has-text('Tìm')")
        assert page.locator("table a", has_text="Nguyễn Thị Hành Trình 5000").count() == 1
        hr.check_page()
