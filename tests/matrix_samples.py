"""Sample objects for the route matrix: one of each kind, in and out of the unit HR's scope.

The unit HR administers "UBND huyện Mẫu" and its subtree; the official account is linked to
`own_official` (inside that subtree); `other_official` is in another district."""

import io
from datetime import date

from werkzeug.datastructures import FileStorage

from app.attendance import services as attendance
from app.auth import services
from app.calendar import links
from app.calendar import services as calendar
from app.childcare import services as childcare
from app.courses import services as courses
from app.enrolment import services as enrolment
from app.qualifications import services as qualifications

SCAN = b"%PDF-1.4\n%sample\n"


def build(db, create_user, create_organization, create_official) -> dict:
    province = create_organization(name="UBND tỉnh Mẫu", plan_level="province")
    unit = create_organization(name="UBND huyện Mẫu", plan_level="district", parent=province)
    division = create_organization(
        name="Phòng Nội vụ huyện Mẫu", plan_level="district", parent=unit
    )
    other_unit = create_organization(name="UBND huyện Khác", plan_level="district", parent=province)
    own_official = create_official(
        code="M0001",
        full_name="Lê Thị Mai",
        organization=division,
        position_rank="deputy_division_head",
    )
    in_scope = create_official(
        code="M0002", full_name="Trần Thị Hoa", organization=division, birth_date=date(1990, 2, 3)
    )
    other_official = create_official(
        code="M0003", full_name="Phạm Văn Nam", sex="M", organization=other_unit
    )
    users = {
        "official": create_user("official", official=own_official),
        "trainer": create_user("trainer"),
        "unit_hr": create_user("unit_hr", organization=unit),
        "province_hr": create_user("province_hr"),
        "admin": create_user("admin"),
    }
    bystander = services.create_user("bystander", "bystander-pass-1", ["official"])
    record = qualifications.add_record(in_scope, "political_theory", "intermediate")
    other_record = qualifications.add_record(other_official, "it_skill", "basic")
    proposal = qualifications.propose_record(
        own_official, "education", "master", scan=FileStorage(io.BytesIO(SCAN), "bang.pdf")
    )
    other_proposal = qualifications.propose_record(
        other_official, "education", "bachelor", scan=FileStorage(io.BytesIO(SCAN), "bang.pdf")
    )
    training = _training(users, unit, other_unit, own_official, in_scope, other_official)
    reports = _yearly(unit, other_unit)
    db.session.commit()
    return {
        **training,
        **reports,
        "users": users,
        "user": bystander,
        "province": province,
        "unit": unit,
        "division": division,
        "other_unit": other_unit,
        "own_official": own_official,
        "official": in_scope,
        "other_official": other_official,
        "appointment": in_scope.primary_appointment,
        "other_appointment": other_official.primary_appointment,
        # Qualification records: verified ones, and pending proposals with a scan.
        "record": record,
        "other_record": other_record,
        "proposal": proposal,
        "other_proposal": other_proposal,
    }


def _training(users, unit, other_unit, own_official, in_scope, other_official) -> dict:
    """Courses: one organised by the unit HR's unit and taught by the trainer account (the
    official is enrolled), one of another district, and a draft of the other district."""
    from datetime import time

    trainer = users["trainer"]
    course = courses.create_course(
        None,
        code="MAU-01",
        title="Bồi dưỡng kiến thức quản lý nhà nước",
        organizer_id=unit.id,
        capacity=10,
        status="open",
        trainer_ids=[trainer.id],
    )
    other_course = courses.create_course(
        None, code="MAU-02", title="Tin học cơ bản", organizer_id=other_unit.id, status="open"
    )
    draft_course = courses.create_course(
        None, code="MAU-03", title="Khóa nháp", organizer_id=other_unit.id, status="draft"
    )
    session = courses.add_session(
        course, None, day=date(2026, 12, 7), starts_at=time(7, 30), ends_at=time(11, 0)
    )
    other_session = courses.add_session(
        other_course, None, day=date(2026, 12, 8), starts_at=time(13, 30), ends_at=time(17, 0)
    )
    on = date(2026, 12, 1)
    # The official account's own calendar feed (its signed link opens it without a login).
    feed = calendar.feed_for(users["official"], "personal")
    finished = _finished(unit, trainer, own_official)
    own_enrolment = enrolment.register(course.id, own_official, None, on=on)
    in_scope_enrolment = enrolment.register(other_course.id, in_scope, None, on=on)
    other_enrolment = enrolment.register(other_course.id, other_official, None, on=on)
    # Childcare: a request of the sample official for her child (issue 14).
    childcare_request = childcare.submit(
        own_enrolment,
        users["official"],
        child_name="Lê Bảo Na",
        child_birth_date=date(2025, 6, 1),
        kinds=["allowance", "nursery"],
        days=[date(2026, 12, 7)],
        consent=True,
        on=on,
    )
    return {
        **finished,
        "feed_token": links.token_for(feed),
        "childcare_request": childcare_request,
        "childcare_child_id": childcare_request.child_id,
        "course": course,
        "other_course": other_course,
        "draft_course": draft_course,
        "session": session,
        "other_session": other_session,
        "enrolment": own_enrolment,
        "in_scope_enrolment": in_scope_enrolment,
        "other_enrolment": other_enrolment,
    }


def _finished(unit, trainer, own_official) -> dict:
    """A finished course of the unit HR's unit, taught by the trainer account, with a past
    session (02/11/2026): the official completed it and holds its certificate."""
    from datetime import time

    day = date(2026, 11, 2)
    finished = courses.create_course(
        None,
        code="MAU-04",
        title="Trung cấp lý luận chính trị",
        organizer_id=unit.id,
        status="open",
        trainer_ids=[trainer.id],
        awards_ladder="political_theory",
        awards_level="intermediate",
    )
    past_session = courses.add_session(
        finished, None, day=day, starts_at=time(7, 30), ends_at=time(11, 0)
    )
    done = enrolment.register(finished.id, own_official, None, on=date(2026, 11, 1))
    attendance.record_attendance(past_session, [(done.id, "present")], None, today=day)
    outcome = attendance.finish_course(finished, None, today=day)
    return {
        "finished_course": finished,
        "past_session": past_session,
        "certificate": outcome.certificates[0],
    }


def _yearly(unit, other_unit) -> dict:
    """Both districts report yearly (DOMAIN §11); each has a draft of 2026."""
    from app.plan.yearly import services as yearly

    unit.reports_yearly = other_unit.reports_yearly = True
    today = date(2026, 11, 20)
    return {
        "yearly_report": yearly.start_draft(unit, 2026, today=today),
        "other_yearly_report": yearly.start_draft(other_unit, 2026, today=today),
    }
