"""Childcare support services (DOMAIN §6, issue 14) against the database: requests and their
refusals (nothing written), rates and the amounts of requests not yet approved, decisions and
their notifications, voiding through the enrolments' and courses' signals, payment of the days
she attended, the report."""

from datetime import date, time

import pytest
from sqlalchemy import func, select

from app.attendance import services as attendance
from app.audit.models import AuditEntry
from app.childcare import report, services
from app.childcare.models import ChildcareRequest, RememberedChild
from app.courses import services as courses
from app.enrolment import services as enrolments
from app.extensions import db
from app.notifications.models import Notification
from app.validation import ServiceError

ON = date(2026, 12, 1)  # "today" of the tests: before the course
DAYS = [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)]
YOUNG = date(2025, 6, 1)
CHILD = "Nguyễn Bảo Ngọc"


@pytest.fixture
def setup(db, create_organization, create_official, create_course, create_user):
    unit = create_organization(name="UBND huyện Trẻ", plan_level="district")
    course = create_course(organizer=unit, title="Bồi dưỡng quản lý")
    for day in DAYS:
        courses.add_session(course, None, day=day, starts_at=time(7, 30), ends_at=time(11, 0))
    mother = create_official(full_name="Trần Thị Thu", organization=unit)
    user = create_user("official", official=mother)
    enrolment = enrolments.register(course.id, mother, None, on=ON)
    hr = create_user("unit_hr", organization=unit)
    province = create_user("province_hr")
    services.add_rate(province, "allowance", 100_000, date(2026, 1, 1))
    services.add_rate(province, "lodging", 200_000, date(2026, 12, 8))
    db.session.commit()
    return {
        "unit": unit,
        "course": course,
        "mother": mother,
        "user": user,
        "enrolment": enrolment,
        "hr": hr,
        "province": province,
    }


def ask(s, **changes):
    values = {
        "child_name": CHILD,
        "child_birth_date": YOUNG,
        "kinds": ["allowance", "lodging", "nursery"],
        "days": DAYS,
        "consent": True,
        "on": ON,
    }
    values.update(changes)
    enrolment = values.pop("enrolment", s["enrolment"])
    return services.submit(enrolment, s["user"], **values)


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(ChildcareRequest.id))),
        db.session.scalar(select(func.count(RememberedChild.id))),
    )


def test_a_request_gets_the_amount_of_each_kind_and_remembers_the_child(setup):
    request = ask(setup)
    assert request.status == "submitted"
    # allowance 4 × 100 000; lodging from 8/12: 3 × 200 000; nursery has no rate: 0
    assert request.requested_amounts == {"allowance": 400_000, "lodging": 600_000, "nursery": 0}
    assert request.requested_total == 1_000_000
    assert request.consent_at is not None
    children = services.remembered_children(setup["mother"].id)
    assert [(c.name, c.birth_date) for c in children] == [(CHILD, YOUNG)]
    # the next request of the same child (another course) reuses the remembered one
    assert request.child_id == children[0].id


def test_a_man_cannot_submit(setup, create_official):
    man = create_official(full_name="Lê Văn Hùng", sex="M", organization=setup["unit"])
    his = enrolments.register(setup["course"].id, man, None, on=ON)
    before = counts()
    with pytest.raises(ServiceError) as refused:
        ask(setup, enrolment=his)
    assert refused.value.code == "not_a_woman"
    assert "cán bộ nữ" in refused.value.message
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"child_birth_date": date(2026, 12, 2)}, "born_in_future"),
        ({"days": [DAYS[0], date(2026, 12, 25)]}, "day_not_course_day"),
        ({"kinds": ["allowance", "taxi"]}, "unknown_kind"),
        ({"consent": False}, "no_consent"),
        ({"child_birth_date": date(2023, 12, 7)}, "over_36_months"),
        ({"kinds": []}, "no_kinds"),
        ({"days": []}, "no_days"),
        ({"child_name": "   "}, "child_name_required"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(setup, changes, code):
    before = counts()
    audited = db.session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(ServiceError) as refused:
        ask(setup, **changes)
    db.session.rollback()
    assert refused.value.code == code
    assert counts() == before
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audited


@pytest.mark.parametrize("status", ["pending", "waitlisted"])
def test_pending_and_waitlisted_enrolments_may_ask(setup, create_course, create_official, status):
    course = create_course(
        organizer=setup["unit"], capacity=0, requires_approval=status == "pending"
    )
    courses.add_session(course, None, day=DAYS[0], starts_at=time(8), ends_at=time(9))
    enrolment = enrolments.register(course.id, setup["mother"], None, on=ON)
    assert enrolment.status == status
    assert ask(setup, enrolment=enrolment, days=[DAYS[0]]).status == "submitted"


def test_a_cancelled_enrolment_cannot_ask(setup):
    enrolments.cancel(setup["enrolment"], setup["user"])
    with pytest.raises(ServiceError) as refused:
        ask(setup)
    assert refused.value.code == "enrolment_not_active"


def test_one_request_per_child_twins_two(setup):
    ask(setup)
    with pytest.raises(ServiceError) as refused:
        ask(setup, child_name=" nguyễn  bảo ngọc ")
    assert refused.value.code == "duplicate_child"
    twin = ask(setup, child_name="Nguyễn Bảo Anh")
    assert twin.status == "submitted"


def test_a_course_spanning_the_36_month_day_counts_the_earlier_days(setup):
    # reaches 36 months on 9/12/2026: only 7 and 8/12 count
    request = ask(setup, child_birth_date=date(2023, 12, 9), kinds=["allowance"])
    assert request.requested_amounts == {"allowance": 200_000}


def test_a_new_rate_changes_requests_not_yet_approved_only(setup):
    waiting = ask(setup, kinds=["allowance"])
    approved = ask(setup, child_name="Nguyễn Bảo Anh", kinds=["allowance"])
    services.approve(approved, setup["hr"])
    # a rate from a past date, in the middle of the course: 9 and 10/12 at 150 000
    services.add_rate(setup["province"], "allowance", 150_000, date(2026, 12, 9))
    assert waiting.requested_amounts == {"allowance": 500_000}
    assert approved.requested_amounts == {"allowance": 400_000}
    assert approved.approved_amounts == {"allowance": 400_000}


def test_a_cancelled_session_no_longer_counts_for_submitted_requests(setup):
    request = ask(setup, kinds=["allowance"])
    session = setup["course"].sessions[0]
    courses.cancel_session(session, setup["hr"])
    assert request.requested_amounts == {"allowance": 300_000}
    # a session added again on that day makes it a course day again
    courses.add_session(
        setup["course"], setup["hr"], day=session.day, starts_at=time(13, 30), ends_at=time(17)
    )
    assert request.requested_amounts == {"allowance": 400_000}


def test_decisions_and_their_notifications(setup):
    request = ask(setup, kinds=["allowance"])
    with pytest.raises(ServiceError) as refused:
        services.approve(request, setup["hr"], {"allowance": 300_000})
    assert refused.value.code == "reason_required"
    services.approve(request, setup["hr"], {"allowance": 300_000}, "Chỉ hỗ trợ 3 ngày")
    assert (request.status, request.approved_total) == ("approved", 300_000)
    with pytest.raises(ServiceError):
        services.withdraw(request, setup["user"])
    services.pay(request, setup["hr"])
    assert (request.status, request.paid_total) == ("paid", 300_000)
    kinds = db.session.scalars(
        select(Notification.kind)
        .where(Notification.user_id == setup["user"].id, Notification.kind.like("childcare.%"))
        .order_by(Notification.id)
    ).all()
    assert kinds == ["childcare.approved", "childcare.paid"]


def test_reject_needs_a_reason_and_she_is_told(setup):
    request = ask(setup)
    with pytest.raises(ServiceError) as refused:
        services.reject(request, setup["hr"], "  ")
    assert refused.value.code == "reason_required"
    services.reject(request, setup["hr"], "Không đủ hồ sơ")
    assert request.status == "rejected"
    note = db.session.scalar(select(Notification).where(Notification.kind == "childcare.rejected"))
    assert note.user_id == setup["user"].id and note.params["reason"] == "Không đủ hồ sơ"


def test_she_withdraws_while_submitted(setup):
    request = ask(setup)
    services.withdraw(request, setup["user"])
    assert request.status == "withdrawn"
    # withdrawn: the same child may be asked for again
    assert ask(setup).status == "submitted"


def test_nobody_decides_on_her_own_request(setup):
    """Even an HR account linked to her (the service checks the actor's official)."""
    request = ask(setup)
    with pytest.raises(ServiceError) as refused:
        services.approve(request, setup["user"])
    assert refused.value.code == "own_request"


@pytest.mark.parametrize("how", ["cancelled", "rejected", "course_cancelled"])
def test_void_when_the_enrolment_ends_or_the_course_is_cancelled(setup, how):
    waiting = ask(setup)
    approved = ask(setup, child_name="Nguyễn Bảo Anh")
    services.approve(approved, setup["hr"])
    if how == "cancelled":
        enrolments.cancel(setup["enrolment"], setup["user"])
    elif how == "rejected":
        enrolments.reject(setup["enrolment"], setup["hr"], "Sai đối tượng")
    else:
        courses.cancel_course(setup["course"], setup["hr"])
    assert (waiting.status, approved.status) == ("void", "void")
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.kind == "childcare.void")
        )
        == 2
    )


def test_a_paid_request_stays_paid(setup):
    paid = ask(setup)
    services.approve(paid, setup["hr"])
    services.pay(paid, setup["hr"])
    enrolments.cancel(setup["enrolment"], setup["user"])
    assert paid.status == "paid"


def test_void_when_the_enrolment_expires_at_the_finish(setup, create_course):
    course = create_course(organizer=setup["unit"], requires_approval=True)
    courses.add_session(course, None, day=DAYS[0], starts_at=time(8), ends_at=time(9))
    pending = enrolments.register(course.id, setup["mother"], None, on=ON)
    request = ask(setup, enrolment=pending, days=[DAYS[0]])
    attendance.finish_course(course, setup["hr"], today=DAYS[0])
    assert pending.status == "expired"
    assert request.status == "void"


def test_reopening_the_course_restores_what_its_finish_voided(setup, create_course):
    """DOMAIN §7: reopening reverses the finish. Her expired enrolment comes back, and with it
    her requests, as they were (approved stays approved, submitted is priced again)."""
    course = create_course(organizer=setup["unit"], requires_approval=True)
    courses.add_session(course, None, day=DAYS[0], starts_at=time(8), ends_at=time(9))
    pending = enrolments.register(course.id, setup["mother"], None, on=ON)
    approved = ask(setup, enrolment=pending, days=[DAYS[0]])
    services.approve(approved, setup["hr"])
    attendance.finish_course(course, setup["hr"], today=DAYS[0])
    assert (pending.status, approved.status) == ("expired", "void")
    attendance.reopen_course(course, setup["hr"])
    assert (pending.status, approved.status) == ("pending", "approved")
    assert approved.status_before_void is None
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.subject_type == "ChildcareRequest", AuditEntry.subject_id == approved.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions[-2:] == ["childcare.void", "childcare.restore"]


def test_reopening_leaves_a_cancelled_enrolments_requests_void(setup):
    request = ask(setup)
    enrolments.cancel(setup["enrolment"], setup["user"])
    assert request.status == "void"
    for session in setup["course"].sessions:
        attendance.record_attendance(session, [], setup["hr"], today=DAYS[-1])
    attendance.finish_course(setup["course"], setup["hr"], today=DAYS[-1])
    attendance.reopen_course(setup["course"], setup["hr"])
    assert request.status == "void"  # her cancellation is not undone by a reopening


def test_once_finished_the_payable_amount_counts_the_days_she_attended(setup):
    request = ask(setup, kinds=["allowance", "lodging"])
    services.approve(request, setup["hr"])
    assert services.payable_amounts(request) == {"allowance": 400_000, "lodging": 600_000}
    statuses = ["present", "late", "absent", "excused"]
    for session, status in zip(setup["course"].sessions, statuses, strict=True):
        attendance.record_attendance(
            session, [(setup["enrolment"].id, status)], setup["hr"], today=DAYS[-1]
        )
    # before the finish: still the approved amounts
    assert services.payable_amounts(request)["allowance"] == 400_000
    attendance.finish_course(setup["course"], setup["hr"], today=DAYS[-1])
    assert services.attended_days(request) == {DAYS[0], DAYS[1]}
    # 7/12 and 8/12: allowance 2 × 100 000; lodging only from 8/12: 200 000
    assert services.payable_amounts(request) == {"allowance": 200_000, "lodging": 200_000}
    services.pay(request, setup["hr"])
    assert request.paid_amounts == {"allowance": 200_000, "lodging": 200_000}
    assert request.paid_total == 400_000


def test_the_audit_log_records_decision_and_amount_only(setup):
    request = ask(setup)
    services.approve(request, setup["hr"])
    services.pay(request, setup["hr"])
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.subject_type == "ChildcareRequest")
    ).all()
    assert [e.action for e in entries] == [
        "childcare.submitted",
        "childcare.approved",
        "childcare.paid",
    ]
    for entry in entries:
        text = repr(entry.changes)
        assert CHILD not in text and "Ngọc" not in text
        assert YOUNG.isoformat() not in text and "01/06/2025" not in text
        assert set(entry.changes) <= {"status", "amount"}


def test_report_per_course_and_organization(setup):
    one = ask(setup, kinds=["allowance"])
    two = ask(setup, child_name="Nguyễn Bảo Anh", kinds=["allowance", "lodging"])
    three = ask(setup, child_name="Nguyễn Bảo Minh", kinds=["lodging"])
    services.approve(one, setup["hr"])
    services.approve(two, setup["hr"])
    services.pay(two, setup["hr"])
    services.withdraw(three, setup["user"])
    built = report.build(setup["province"], date(2025, 12, 1), date(2026, 11, 30))
    assert built.total.requests == 0  # the course begins on 7/12/2026: the next period
    built = report.build(setup["province"], date(2026, 12, 1), date(2027, 11, 30))
    assert (built.total.requests, built.total.approved) == (2, 2)
    assert built.total.approved_amounts == {"allowance": 800_000, "lodging": 600_000, "nursery": 0}
    assert built.total.paid_amounts == {"allowance": 400_000, "lodging": 600_000, "nursery": 0}
    [(course, figures)] = built.by_course
    assert course.id == setup["course"].id and figures.requests == 2
    [(unit, figures)] = built.by_organization
    assert unit.id == setup["unit"].id and figures.paid_total == 1_000_000
    summary = report.summary(setup["unit"].path, date(2026, 12, 1), date(2027, 11, 30))
    assert summary["approved_total"] == 1_400_000 and summary["paid_total"] == 1_000_000
    assert report.summary("/nowhere/", date(2026, 12, 1), date(2027, 11, 30))["requests"] == 0
    assert report.period_of(date(2026, 12, 1)) == (date(2026, 12, 1), date(2027, 11, 30))
    assert report.period_of(date(2026, 11, 30)) == (date(2025, 12, 1), date(2026, 11, 30))


def test_a_cancelled_course_takes_no_new_request(setup):
    courses.cancel_course(setup["course"], setup["hr"])
    assert setup["enrolment"].status == "confirmed"  # the enrolment stays; the course is gone
    with pytest.raises(ServiceError) as refused:
        ask(setup)
    assert refused.value.code == "course_cancelled"
    days = services.course_days(setup["course"].id)
    assert services.ask_refusal(setup["enrolment"], days) == "course_cancelled"
