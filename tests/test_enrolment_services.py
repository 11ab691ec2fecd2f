"""Enrolment services against the database (DOMAIN §8): outcomes, counters, the waiting list,
promotion, refusals that write nothing, notifications."""

from datetime import date, time

import pytest
from sqlalchemy import func, select

from app.courses import services as courses
from app.courses.messages import missing_sentences
from app.domain.enrolment import invariant_breaches
from app.enrolment import services
from app.enrolment.models import Enrolment
from app.extensions import db
from app.notifications.models import Notification
from app.validation import ServiceError

TODAY = date(2026, 12, 1)


def state(course):
    """(confirmed, pending, [waitlist positions in order of official id]) read from the rows,
    and the invariant checked against the stored counters."""
    db.session.refresh(course)
    rows = db.session.execute(
        select(Enrolment.status, Enrolment.waitlist_position).where(
            Enrolment.course_id == course.id
        )
    ).all()
    confirmed = sum(1 for s, _ in rows if s == "confirmed")
    positions = [p for s, p in rows if s == "waitlisted"]
    assert course.confirmed_count == confirmed
    assert course.waitlist_count == len(positions)
    assert course.pending_count == sum(1 for s, _ in rows if s == "pending")
    assert invariant_breaches(course.capacity, confirmed, positions) == ()
    return confirmed, sorted(positions)


def test_every_refusal_has_a_sentence(app):
    assert missing_sentences() == set()


def test_registration_confirms_then_waitlists(create_course, create_official):
    course = create_course(capacity=2)
    people = [create_official() for _ in range(4)]
    outcomes = [services.register(course.id, p, None, on=TODAY) for p in people]
    assert [e.status for e in outcomes] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [e.waitlist_position for e in outcomes] == [None, None, 1, 2]
    assert state(course) == (2, [1, 2])


def test_registration_with_approval_is_pending_and_holds_no_seat(create_course, create_official):
    course = create_course(capacity=1, requires_approval=True)
    a, b = create_official(), create_official()
    ea = services.register(course.id, a, None, on=TODAY)
    eb = services.register(course.id, b, None, on=TODAY)
    assert (ea.status, eb.status) == ("pending", "pending")
    services.approve(ea, None)
    services.approve(eb, None)
    assert (ea.status, eb.status, eb.waitlist_position) == ("confirmed", "waitlisted", 1)
    assert state(course) == (1, [1])


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"status": "draft"}, "course_draft"),
        ({"status": "registration_closed"}, "registration_closed"),
        ({"registration_opens_on": date(2026, 12, 2)}, "registration_not_started"),
        ({"registration_closes_on": date(2026, 11, 30)}, "registration_ended"),
        ({"women_only": True}, "women_only"),
        ({"audience_plan_levels": ["district"]}, "outside_plan_levels"),
        ({"audience_position_ranks": ["division_head"]}, "outside_position_ranks"),
    ],
)
def test_refused_registration_writes_nothing(create_course, create_official, values, code):
    course = create_course(**values)
    man = create_official(sex="M", full_name="Trần Văn Nam")
    before = db.session.scalar(select(func.count()).select_from(Enrolment))
    with pytest.raises(ServiceError) as refused:
        services.register(course.id, man, None, on=TODAY)
    assert refused.value.code == code
    assert refused.value.message
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == before
    assert state(course) == (0, [])


def test_registering_twice_is_refused(create_course, create_official):
    course = create_course()
    official = create_official()
    services.register(course.id, official, None, on=TODAY)
    with pytest.raises(ServiceError) as refused:
        services.register(course.id, official, None, on=TODAY)
    assert refused.value.code == "already_enrolled"
    assert state(course) == (1, [])


def test_cancelled_course_refuses_registration(create_course, create_official):
    course = create_course()
    courses.cancel_course(course, None)
    with pytest.raises(ServiceError) as refused:
        services.register(course.id, create_official(), None, on=TODAY)
    assert refused.value.code == "course_cancelled"


def test_cancellation_promotes_the_first_waitlisted_and_closes_the_list(
    create_course, create_official
):
    course = create_course(capacity=2)
    people = [create_official() for _ in range(5)]
    rows = [services.register(course.id, p, None, on=TODAY) for p in people]
    services.cancel(rows[0], None)
    assert rows[2].status == "confirmed" and rows[2].waitlist_position is None
    assert [rows[3].waitlist_position, rows[4].waitlist_position] == [1, 2]
    services.cancel(rows[3], None, reason="Bận công tác")
    assert rows[4].waitlist_position == 1
    assert state(course) == (2, [1])


def test_raising_capacity_promotes_and_lowering_below_seats_is_refused(
    create_course, create_official
):
    course = create_course(capacity=1)
    rows = [services.register(course.id, create_official(), None, on=TODAY) for _ in range(4)]
    courses.update_course(course, None, capacity=3)
    assert [r.status for r in rows] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert rows[3].waitlist_position == 1
    with pytest.raises(ServiceError) as refused:
        courses.update_course(course, None, capacity=2)
    assert refused.value.field == "capacity"
    assert state(course) == (3, [1])


def test_rejection_needs_a_reason_and_frees_the_seat(create_course, create_official):
    course = create_course(capacity=1)
    a = services.register(course.id, create_official(), None, on=TODAY)
    b = services.register(course.id, create_official(), None, on=TODAY)
    with pytest.raises(ServiceError):
        services.reject(a, None, "  ")
    services.reject(a, None, "Không đúng đối tượng")
    assert (a.status, a.reason, b.status) == ("rejected", "Không đúng đối tượng", "confirmed")
    assert state(course) == (1, [])


def test_rejected_official_cannot_register_again_but_may_be_nominated(
    create_course, create_official, create_user
):
    unit = None
    course = create_course(capacity=5)
    official = create_official()
    enrolment = services.register(course.id, official, None, on=TODAY)
    services.reject(enrolment, None, "Thiếu hồ sơ")
    with pytest.raises(ServiceError) as refused:
        services.register(course.id, official, None, on=TODAY)
    assert refused.value.code == "rejected_before"
    hr = create_user("province_hr", organization=unit)
    result = services.nominate(course.id, official, hr, on=TODAY)
    assert result.enrolment.id == enrolment.id and result.enrolment.status == "confirmed"


def test_nomination_ignores_dates_warns_on_audience_and_respects_scope(
    create_course, create_official, create_organization, create_user
):
    unit = create_organization()
    other = create_organization()
    hr = create_user("unit_hr", organization=unit)
    course = create_course(capacity=1, status="registration_closed", women_only=True)
    man = create_official(sex="M", organization=unit)
    result = services.nominate(course.id, man, hr, on=TODAY)
    assert result.enrolment.status == "confirmed"
    assert result.warnings == ("women_only",)
    stranger = create_official(organization=other)
    with pytest.raises(ServiceError) as refused:
        services.nominate(course.id, stranger, hr, on=TODAY)
    assert refused.value.code == "outside_scope"
    assert state(course) == (1, [])


def test_nominate_many_keeps_order_and_reports_refusals(create_course, create_official):
    course = create_course(capacity=2)
    people = [create_official() for _ in range(4)]
    services.register(course.id, people[1], None, on=TODAY)
    results = services.nominate_many(course.id, people, None, on=TODAY)
    assert [r.refusal for r in results] == [None, "already_enrolled", None, None]
    assert [r.enrolment.status for r in results if r.enrolment] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert state(course) == (2, [1, 2])


def test_changes_notify_the_official(create_course, create_official, create_user, create_session):
    course = create_course(capacity=1)
    a, b = create_official(), create_official()
    user_a = create_user("official", official=a)
    user_b = create_user("official", official=b)
    ea = services.register(course.id, a, user_a, on=TODAY)
    services.register(course.id, b, user_b, on=TODAY)
    session = create_session(course)
    services.cancel(ea, user_a)  # her own cancellation: she is not told; b is promoted
    courses.reschedule_session(session, None, starts_at=time(8, 0))
    courses.cancel_session(session, None)

    def kinds(user):
        return list(
            db.session.scalars(
                select(Notification.kind)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id)
            )
        )

    assert kinds(user_a) == ["enrolment.confirmed"]
    assert kinds(user_b) == [
        "enrolment.waitlisted",
        "enrolment.promoted",
        "course.session_rescheduled",
        "course.session_cancelled",
    ]
    assert session.revision == 2
    assert [c.action for c in session.changes] == ["created", "rescheduled", "cancelled"]
