"""HR's enrolment pages (issue 12): a course's list by state, approve / reject / cancel,
nomination with its preview (audience warnings, refusals) and result (waitlist positions), the
.xlsx export, and who sees what."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.enrolment import services as enrolment
from app.enrolment.models import Enrolment


def html(response) -> str:
    return response.get_data(as_text=True)


def section(page: str, kind: str) -> str:
    return page.split(f'data-testid="enrolments-{kind}"', 1)[1].split("</table>", 1)[0]


@pytest.fixture
def world(create_organization, create_official, create_course, create_user, db):
    province = create_organization(name="UBND tỉnh Thử", plan_level="province")
    unit = create_organization(name="UBND huyện Thử", plan_level="district", parent=province)
    other = create_organization(name="UBND huyện Kia", plan_level="district", parent=province)
    trainer = create_user("trainer")
    course = create_course(organizer=unit, capacity=2, trainer_ids=[trainer.id])
    people = [
        create_official(code="T001", full_name="Nguyễn Thị Ánh", organization=unit),
        create_official(code="T002", full_name="Trần Thị Bình", organization=unit),
        create_official(code="T003", full_name="Lê Thị Cúc", organization=unit),
        create_official(code="T004", full_name="Phạm Thị Dung", organization=unit),
        create_official(code="K001", full_name="Võ Thị Giang", organization=other),
    ]
    db.session.commit()
    return {
        "unit": unit,
        "other": other,
        "course": course,
        "trainer": trainer,
        "people": people,
    }


def test_list_groups_and_buttons(client, db, login_as, world, create_course):
    course, people = world["course"], world["people"]
    for official in people[:4]:
        enrolment.nominate(course.id, official, None)
    enrolment.nominate(course.id, people[4], None)
    db.session.commit()
    login_as("unit_hr", organization=world["unit"])
    page = html(client.get(f"/courses/{course.id}/enrolments"))
    assert "Ánh" in section(page, "confirmed") and "Bình" in section(page, "confirmed")
    waiting = section(page, "waitlisted")
    assert re.findall(r'data-official="(\w+)"', waiting) == ["T003", "T004", "K001"]
    assert re.findall(r'data-testid="position">(\d+)<', waiting) == ["1", "2", "3"]
    assert "UBND huyện Thử" in waiting and "Được cử" in waiting
    assert 'data-testid="hr-cancel"' in waiting


def test_other_hr_sees_its_scope_and_trainer_reads_only(client, db, login_as, world):
    course, people = world["course"], world["people"]
    first = enrolment.nominate(course.id, people[0], None).enrolment
    enrolment.nominate(course.id, people[4], None)
    db.session.commit()
    login_as("unit_hr", organization=world["other"])
    page = html(client.get(f"/courses/{course.id}/enrolments"))
    assert "K001" in page and "T001" not in page
    assert "Chỉ hiện cán bộ thuộc phạm vi bạn quản lý" in page
    client.post("/logout")
    from tests.conftest import PASSWORD

    client.post("/login", data={"username": world["trainer"].username, "password": PASSWORD})
    page = html(client.get(f"/courses/{course.id}/enrolments"))
    assert "T001" in page and "K001" in page
    assert 'data-testid="hr-cancel"' not in page and 'data-testid="nominate"' not in page
    assert client.post(f"/enrolments/{first.id}/hr-cancel").status_code == 403
    assert client.post(f"/enrolments/{first.id}/approve").status_code == 403


def test_approve_reject_and_cancel(client, db, login_as, world, create_course, create_user):
    course = create_course(organizer=world["unit"], capacity=1, requires_approval=True)
    a, b, c = world["people"][:3]
    user_a = create_user("official", official=a)
    pending = [enrolment.register(course.id, o, None) for o in (a, b, c)]
    db.session.commit()
    assert [e.status for e in pending] == ["pending"] * 3
    login_as("unit_hr", organization=world["unit"])
    page = html(client.get(f"/courses/{course.id}/enrolments"))
    assert page.count('data-testid="approve"') == 3

    client.post(f"/enrolments/{pending[0].id}/approve")
    client.post(f"/enrolments/{pending[1].id}/approve")
    db.session.expire_all()
    assert [db.session.get(Enrolment, e.id).status for e in pending[:2]] == [
        "confirmed",
        "waitlisted",
    ]
    # A rejection needs a reason: refused, nothing written.
    page = html(client.post(f"/enrolments/{pending[2].id}/reject", follow_redirects=True))
    assert "Hãy nêu lý do." in page
    db.session.expire_all()
    assert db.session.get(Enrolment, pending[2].id).status == "pending"
    client.post(f"/enrolments/{pending[2].id}/reject", data={"reason": "Không đúng đối tượng"})
    db.session.expire_all()
    rejected = db.session.get(Enrolment, pending[2].id)
    assert (rejected.status, rejected.reason) == ("rejected", "Không đúng đối tượng")

    # HR cancels the confirmed one: the waitlisted is promoted at once; she is told.
    page = html(
        client.post(
            f"/enrolments/{pending[0].id}/hr-cancel",
            data={"reason": "Trùng lịch công tác"},
            follow_redirects=True,
        )
    )
    assert "Đã hủy đăng ký của Nguyễn Thị Ánh" in page
    db.session.expire_all()
    assert db.session.get(Enrolment, pending[0].id).status == "cancelled"
    assert db.session.get(Enrolment, pending[1].id).status == "confirmed"
    from app.notifications.models import Notification

    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == user_a.id)
    ).all()
    assert "enrolment.cancelled" in kinds
    others = section(page, "others")
    assert "Trùng lịch công tác" in others and "Không đúng đối tượng" in others


def test_nominate_search_preview_confirm(client, db, login_as, world, create_course):
    course = create_course(organizer=world["unit"], capacity=1, women_only=True)
    people = world["people"]
    enrolment.nominate(course.id, people[3], None)  # Dung takes the seat
    db.session.commit()
    man = people[0]
    man.sex = "M"
    db.session.commit()
    login_as("unit_hr", organization=world["unit"])

    # Search ignoring diacritics, within the scope only.
    page = html(client.get(f"/courses/{course.id}/nominate?q=thi"))
    assert "T001" in page and "T002" in page and "K001" not in page
    taken = people[3].id
    assert f'value="{taken}" id="pick-{taken}" disabled' in page
    page = html(client.get(f"/courses/{course.id}/nominate?q=binh"))
    assert "Trần Thị Bình" in page and "T001" not in page

    ids = [people[0].id, people[1].id, people[2].id, people[3].id, people[4].id]
    page = html(client.post(f"/courses/{course.id}/nominate", data={"official_id": ids}))
    preview = page.split('data-testid="preview-table"', 1)[1]
    rows = dict(
        re.findall(
            r'data-official="(\w+)".*?<td class="wrap">.*?</td>\s*<td class="wrap">(.*?)</td>',
            preview,
            re.S,
        )
    )
    assert "Khóa học chỉ dành cho cán bộ nữ." in rows["T001"]
    assert "Cán bộ đã có đăng ký trong khóa học này." in rows["T004"]
    assert "không thuộc phạm vi bạn quản lý" in rows["K001"]
    assert "Thuộc đối tượng" in rows["T002"]
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1  # nothing written yet
    hidden = re.findall(r'name="official_id" value="(\d+)"', page)
    assert hidden == [str(people[0].id), str(people[1].id), str(people[2].id)]

    page = html(
        client.post(f"/courses/{course.id}/nominate", data={"official_id": hidden, "confirm": "1"})
    )
    assert "Đã cử 0 cán bộ có chỗ, 3 vào danh sách chờ; 0 không cử được." in page
    waiting = page.split('data-testid="result-waitlisted"', 1)[1].split("</ul>", 1)[0]
    assert "Nguyễn Thị Ánh (T001): vị trí 1" in waiting
    assert "Lê Thị Cúc (T003): vị trí 3" in waiting
    assert "chỉ dành cho cán bộ nữ" in waiting
    statuses = dict(
        db.session.execute(
            select(Enrolment.official_id, Enrolment.waitlist_position).where(
                Enrolment.course_id == course.id, Enrolment.status == "waitlisted"
            )
        ).all()
    )
    assert statuses == {people[0].id: 1, people[1].id: 2, people[2].id: 3}


def test_nominate_refused_rows_are_reported(client, db, login_as, world):
    """Posted straight (from the gaps page) with confirm: those refused are named with why."""
    course, people = world["course"], world["people"]
    enrolment.nominate(course.id, people[0], None)
    db.session.commit()
    login_as("province_hr")
    page = html(
        client.post(
            f"/courses/{course.id}/nominate",
            data={"official_id": [people[0].id, people[1].id, "junk"], "confirm": "1"},
        )
    )
    assert "Đã cử 1 cán bộ có chỗ, 0 vào danh sách chờ; 1 không cử được." in page
    refused = page.split('data-testid="result-refused"', 1)[1].split("</ul>", 1)[0]
    assert "Nguyễn Thị Ánh (T001): Cán bộ đã có đăng ký trong khóa học này." in refused


def test_export_xlsx(client, db, login_as, world, create_official):
    course = world["course"]
    tricky = create_official(code="T009", full_name="=HYPERLINK(1)", organization=world["unit"])
    enrolment.nominate(course.id, world["people"][0], None)
    enrolment.nominate(course.id, tricky, None)
    enrolment.nominate(course.id, world["people"][1], None)
    db.session.commit()
    login_as("unit_hr", organization=world["unit"])
    response = client.get(f"/courses/{course.id}/enrolments.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == ("STT", "Mã cán bộ", "Họ và tên", "Đơn vị", "Chức vụ", "Trạng thái")
    codes = [row[1] for row in rows[2:]]
    assert sorted(codes[:2]) == ["T001", "T009"] and codes[2] == "T002"
    assert rows[4][5] == "Danh sách chờ" and rows[4][6] == 1
    tricky_cell = sheet.cell(row=3 + codes.index("T009"), column=3)
    assert tricky_cell.value == "=HYPERLINK(1)" and tricky_cell.data_type == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)

    client.post("/language/en")
    sheet = load_workbook(
        io.BytesIO(client.get(f"/courses/{course.id}/enrolments.xlsx").data)
    ).active
    assert sheet.cell(row=2, column=3).value == "Full name"
    assert sheet.cell(row=3, column=6).value == "Confirmed"
