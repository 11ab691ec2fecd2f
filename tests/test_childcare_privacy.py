"""The child's name and birth date stay with those who may read the request (DOMAIN §6, DESIGN
§6): never in the logs (a 500 in a childcare route included), the error page, the audit log, the
report and its export (any unit), nor the notifications; another unit's HR cannot read it."""

import logging
from datetime import date, time
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from app.audit.models import AuditEntry
from app.childcare import services
from app.childcare.models import ChildcareRequest
from app.courses import services as courses
from app.enrolment import services as enrolments
from app.extensions import db
from app.notifications.models import Notification, OutboxEmail

CHILD = "Phạm Gia Hân"
BIRTH = date(2025, 3, 14)
BIRTH_TEXTS = ("2025-03-14", "14/03/2025", "14/3/2025")
DAY = date(2026, 12, 7)


@pytest.fixture
def world(db, create_organization, create_official, create_course, create_user):
    province = create_organization(name="UBND tỉnh Riêng", plan_level="province")
    unit = create_organization(name="UBND huyện Riêng", plan_level="district", parent=province)
    other = create_organization(name="UBND huyện Bên", plan_level="district", parent=province)
    course = create_course(organizer=unit, title="Khóa riêng tư")
    courses.add_session(course, None, day=DAY, starts_at=time(7, 30), ends_at=time(11, 0))
    mother = create_official(full_name="Đỗ Thị Hạnh", organization=unit)
    user = create_user("official", official=mother)
    enrolment = enrolments.register(course.id, mother, None, on=date(2026, 12, 1))
    services.add_rate(None, "allowance", 120_000, date(2026, 1, 1))
    db.session.commit()
    return {
        "unit": unit,
        "other": other,
        "course": course,
        "mother": mother,
        "user": user,
        "enrolment": enrolment,
        "unit_hr": create_user("unit_hr", organization=unit),
        "other_hr": create_user("unit_hr", organization=other),
        "province_hr": create_user("province_hr"),
    }


def submit(world) -> ChildcareRequest:
    request = services.submit(
        world["enrolment"],
        world["user"],
        child_name=CHILD,
        child_birth_date=BIRTH,
        kinds=["allowance"],
        days=[DAY],
        consent=True,
        on=date(2026, 12, 1),
    )
    db.session.commit()
    return request


def leaks(text: str) -> list[str]:
    found = [CHILD] if CHILD in text else []
    return found + [t for t in BIRTH_TEXTS if t in text]


def form_data(world, **changes):
    data = {
        "child": "new",
        "child_name": CHILD,
        "child_birth_date": "14/03/2025",
        "kinds": ["allowance"],
        "days": [DAY.isoformat()],
        "consent": "y",
        "preview": "1",
    }
    data.update(changes)
    return data


def test_another_units_hr_cannot_read_a_request(world, client, login, api_token):
    request = submit(world)
    login(world["other_hr"])
    assert client.get(f"/childcare/requests/{request.id}").status_code == 404
    listed = client.get("/childcare/requests").get_data(as_text=True)
    assert CHILD not in listed and world["mother"].full_name not in listed
    headers = api_token(world["other_hr"])
    assert (
        client.get(f"/api/v1/childcare-requests/{request.id}", headers=headers).status_code == 404
    )
    # the HR of her unit (which manages the course) and province HR do read it
    for reader in (world["unit_hr"], world["province_hr"]):
        response = client.get(f"/api/v1/childcare-requests/{request.id}", headers=api_token(reader))
        assert response.status_code == 200 and response.json["child_name"] == CHILD


def test_the_hr_managing_the_course_reads_a_request_of_another_units_official(
    world, create_official, create_user, client, login
):
    outsider = create_official(full_name="Vũ Thị Lệ", organization=world["other"])
    account = create_user("official", official=outsider)
    enrolment = enrolments.register(world["course"].id, outsider, None, on=date(2026, 12, 1))
    request = services.submit(
        enrolment,
        account,
        child_name=CHILD,
        child_birth_date=BIRTH,
        kinds=["allowance"],
        days=[DAY],
        consent=True,
        on=date(2026, 12, 1),
    )
    db.session.commit()
    login(world["unit_hr"])  # manages the course, her unit is not in its scope
    assert client.get(f"/childcare/requests/{request.id}").status_code == 200
    client.post("/logout")
    login(world["other_hr"])  # her unit's HR
    assert client.get(f"/childcare/requests/{request.id}").status_code == 200


def test_no_child_data_in_the_logs_even_on_a_500(world, client, login, caplog):
    """A database failure while her request is written: the log names the route, the error
    page says nothing of her child, and the SQL parameters are not in the log."""

    def break_the_insert(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO CHILDCARE_REQUESTS"):
            statement = statement.replace("childcare_requests", "childcare_requests_gone", 1)
        return statement, parameters

    login(world["user"])
    url = f"/enrolments/{world['enrolment'].id}/childcare"
    caplog.set_level(logging.DEBUG)
    preview = client.post(url, data=form_data(world))
    assert preview.status_code == 200
    event.listen(db.engine, "before_cursor_execute", break_the_insert, retval=True)
    try:
        response = client.post(
            url, data=form_data(world, preview="", submit="1", quoted_total="120000")
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", break_the_insert)
    assert response.status_code == 500
    assert not leaks(response.get_data(as_text=True))
    assert any(r.levelno >= logging.ERROR for r in caplog.records)  # the failure was logged
    logged = "\n".join(
        r.getMessage() + (repr(r.exc_info[1]) if r.exc_info else "") for r in caplog.records
    )
    logged += caplog.text
    assert not leaks(logged), leaks(logged)


def test_no_child_data_in_the_logs_of_ordinary_requests(world, client, login, caplog, api_token):
    caplog.set_level(logging.DEBUG)
    login(world["user"])
    url = f"/enrolments/{world['enrolment'].id}/childcare"
    client.post(url, data=form_data(world))
    client.post(url, data=form_data(world, preview="", submit="1", quoted_total="120000"))
    headers = api_token(world["unit_hr"])
    [request] = db.session.scalars(select(ChildcareRequest)).all()
    client.post(f"/api/v1/childcare-requests/{request.id}/approve", json={}, headers=headers)
    assert not leaks(caplog.text)


def test_no_child_data_in_audit_notifications_or_emails(world, app):
    request = submit(world)
    services.approve(request, world["unit_hr"])
    services.pay(request, world["unit_hr"])
    db.session.commit()
    for entry in db.session.scalars(select(AuditEntry)):
        assert not leaks(repr(entry.changes)), entry.action
    for note in db.session.scalars(select(Notification)):
        assert not leaks(repr(note.params))
    for email in db.session.scalars(select(OutboxEmail)):
        assert not leaks(email.subject + email.body)


@pytest.mark.parametrize("reader", ["unit_hr", "other_hr", "province_hr"])
def test_the_report_and_its_export_hold_no_child_data(world, client, login, reader):
    request = submit(world)
    services.approve(request, world["unit_hr"])
    db.session.commit()
    login(world[reader])
    period = {"start": "01/12/2026", "end": "30/11/2027"}
    page = client.get("/childcare/report", query_string=period)
    assert page.status_code == 200 and not leaks(page.get_data(as_text=True))
    export = client.get("/childcare/report.xlsx", query_string=period)
    assert export.status_code == 200
    book = load_workbook(BytesIO(export.data))
    cells = " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
    assert not leaks(cells)
    # another unit's HR does not even see the request counted
    assert ("Khóa riêng tư" in cells) is (reader != "other_hr")


@pytest.mark.parametrize("kind", ["personal", "course"])
def test_no_child_data_in_the_calendar_feeds(world, client, login, kind):
    """Her own feed and the course's feed show the course and its sessions, never her child
    (DOMAIN §6); the single-session download neither."""
    from app.calendar import links
    from app.calendar import services as calendar

    submit(world)
    owner = world["user"] if kind == "personal" else world["unit_hr"]
    feed = calendar.feed_for(owner, kind, world["course"] if kind == "course" else None)
    db.session.commit()
    body = client.get(f"/calendar/{links.token_for(feed)}.ics").get_data(as_text=True)
    assert "Khóa riêng tư" in body  # the feed is not empty: the session is there
    assert leaks(body) == []
    login(world["user"])
    download = client.get(f"/sessions/{world['course'].sessions[0].id}.ics")
    assert download.status_code == 200 and "Khóa riêng tư" in download.get_data(as_text=True)
    assert leaks(download.get_data(as_text=True)) == []
