"""From the gaps page to a course (issue 12: "send these 14 women division heads who lack Cao
cấp to course X"): HR ticks officials, picks a running course, and lands on that course's
nomination preview with the selection; courses awarding the missing item's ladder come first."""

import pytest

from app.extensions import db
from app.qualifications import services as qualifications


@pytest.fixture
def world(create_organization, create_official, create_course):
    unit = create_organization(name="Sở Thử", plan_level="province")
    people = []
    for n in range(3):
        official = create_official(
            full_name=f"Lê Thị Cử {n}", organization=unit, position_rank="division_head"
        )
        qualifications.add_record(official, "political_theory", "intermediate")
        people.append(official)
    it_course = create_course(
        organizer=unit,
        code="TH-01",
        title="Tin học",
        awards_ladder="it_skill",
        awards_level="basic",
    )
    pol_course = create_course(
        organizer=unit,
        code="CC-01",
        title="Cao cấp lý luận chính trị",
        awards_ladder="political_theory",
        awards_level="advanced",
    )
    closed = create_course(organizer=unit, code="XX-01", title="Đã hủy")
    from app.courses import services as courses

    courses.cancel_course(closed, None)
    db.session.commit()
    return unit, people, it_course, pol_course


def test_gaps_page_offers_running_courses_matching_ladder_first(client, login_as, world):
    _unit, people, it_course, pol_course = world
    login_as("province_hr")
    page = client.get("/progress/gaps?missing=pol_cc&as_of=2026-12-01").get_data(as_text=True)
    assert 'data-testid="nominate-form"' in page
    assert page.index("CC-01") < page.index("TH-01")  # the political-theory course first
    assert "XX-01" not in page  # a cancelled course is not offered
    for person in people:
        assert f'name="official_id" value="{person.id}"' in page


def test_officials_see_no_nomination_form_and_cannot_post(client, login_as, world):
    _unit, people, _it, pol_course = world
    login_as("official")
    assert client.get("/progress/gaps").status_code == 403
    response = client.post(
        "/progress/gaps/nominate", data={"course_id": pol_course.id, "official_id": people[0].id}
    )
    assert response.status_code == 403


def test_selection_is_sent_on_to_the_course_nomination_preview(client, login_as, world):
    _unit, people, _it, pol_course = world
    login_as("province_hr")
    response = client.post(
        "/progress/gaps/nominate?missing=pol_cc",
        data={"course_id": pol_course.id, "official_id": [p.id for p in people]},
    )
    assert response.status_code == 307
    assert response.headers["Location"].endswith(f"/courses/{pol_course.id}/nominate")


@pytest.mark.parametrize(
    "data",
    [
        {"official_id": "1"},  # no course
        {"course_id": "999999", "official_id": "1"},  # unknown course
        {"course_id": "abc", "official_id": "1"},
        {"course_id": "99999999999", "official_id": "1"},
    ],
)
def test_bad_choices_go_back_to_the_gaps_page_with_a_message(client, login_as, world, data):
    login_as("province_hr")
    response = client.post("/progress/gaps/nominate?missing=pol_cc", data=data)
    assert response.status_code == 303
    assert "/progress/gaps?missing=pol_cc" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hãy chọn một khóa học đang mở để cử cán bộ." in page


def test_no_one_ticked_goes_back_with_a_message(client, login_as, world):
    _unit, _people, _it, pol_course = world
    login_as("province_hr")
    response = client.post("/progress/gaps/nominate", data={"course_id": pol_course.id})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hãy đánh dấu những cán bộ cần cử đi học." in page


def test_a_cancelled_course_cannot_be_chosen(client, login_as, world):
    _unit, people, _it, _pol = world
    from sqlalchemy import select

    from app.courses.models import Course

    cancelled = db.session.scalar(select(Course).where(Course.code == "XX-01"))
    login_as("province_hr")
    response = client.post(
        "/progress/gaps/nominate", data={"course_id": cancelled.id, "official_id": people[0].id}
    )
    assert response.status_code == 303


def test_the_preview_lists_the_selection_and_writes_nothing(client, login_as, world):
    from sqlalchemy import func, select

    from app.enrolment.models import Enrolment

    _unit, people, _it, pol_course = world
    login_as("province_hr")
    data = {"course_id": pol_course.id, "official_id": [p.id for p in people]}
    sent_on = client.post("/progress/gaps/nominate?missing=pol_cc", data=data)
    # A browser repeats the POST with its body on a 307 (Werkzeug's test client drops it).
    response = client.post(sent_on.headers["Location"], data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Xác nhận cử 3 cán bộ" in page
    for person in people:
        assert person.full_name in page
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 0


def test_the_preview_reads_a_few_statements_whatever_the_selection(
    client, login_as, world, create_official
):
    """The preview of 3 and of 23 officials costs the same statements (no query per person)."""
    from sqlalchemy import event

    unit, people, _it, pol_course = world
    more = [create_official(full_name=f"Võ Thị Thêm {n}", organization=unit) for n in range(20)]
    db.session.commit()
    url = f"/courses/{pol_course.id}/nominate"
    login_as("province_hr")

    def statements(ids) -> int:
        seen = []

        def count(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = client.post(url, data={"official_id": ids})
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(seen)

    few = [p.id for p in people]
    many = few + [p.id for p in more]
    statements(few)  # the sign-in's first page records it
    assert statements(many) == statements(few)
