"""Attendance, finishing and reopening against the database (DOMAIN §7, issue 13): what is
written, what is refused with nothing written, the records, certificates and progress."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.attendance import services
from app.attendance.messages import missing_sentences
from app.attendance.models import Attendance, AttendanceChange, Certificate
from app.audit.models import AuditEntry
from app.enrolment import services as enrolment
from app.enrolment import signals as enrolment_signals
from app.enrolment.models import Enrolment
from app.extensions import db
from app.notifications.models import Notification
from app.progress.services import report_results
from app.qualifications.models import Qualification
from app.validation import ServiceError

ON = date(2026, 11, 1)  # registration day
DAYS = [date(2026, 11, d) for d in (2, 3, 4, 5, 6)]
AFTER = date(2026, 11, 10)


@pytest.fixture
def world(create_course, create_session, create_official, create_organization, create_user):
    """A course awarding political theory "intermediate", 5 past sessions, capacity 3, with
    approval: A, B, C confirmed, W1, W2 waitlisted (in this order), P pending. District women
    leaders, so that M3.D.pol_tc counts them."""
    district = create_organization(name="UBND huyện Thử", plan_level="district")
    course = create_course(
        organizer=district,
        capacity=3,
        requires_approval=True,
        awards_ladder="political_theory",
        awards_level="intermediate",
    )
    sessions = [create_session(course, day=d) for d in DAYS]
    names = ["Nguyễn Thị Ngọc Ánh", "Trần Thị Bích", "Lê Thị Cúc", "Võ Thị Dung", "Phạm Thị Em"]
    names.append("Đỗ Thị Phượng")
    people = [
        create_official(full_name=name, organization=district, position_rank="deputy_division_head")
        for name in names
    ]
    rows = [enrolment.register(course.id, p, None, on=ON) for p in people]
    for row in rows[:5]:
        enrolment.approve(row, None)
    hr = create_user("unit_hr", organization=district)
    trainer = create_user("trainer")
    users = {"A": create_user("official", official=people[0])}
    users["C"] = create_user("official", official=people[2])
    keys = ["A", "B", "C", "W1", "W2", "P"]
    e = dict(zip(keys, rows, strict=True))
    assert [e[k].status for k in keys] == [
        *["confirmed"] * 3,
        "waitlisted",
        "waitlisted",
        "pending",
    ]
    return {"course": course, "sessions": sessions, "e": e, "hr": hr, "trainer": trainer, **users}


def take(world, statuses_by_key, actor=None):
    """Record, session by session, each key's status string ("PPPPA": present ×4, absent)."""
    letters = {"P": "present", "L": "late", "E": "excused", "A": "absent"}
    for index, session in enumerate(world["sessions"]):
        entries = [
            (world["e"][key].id, letters[statuses[index]])
            for key, statuses in statuses_by_key.items()
            if index < len(statuses)
        ]
        services.record_attendance(session, entries, actor or world["hr"], today=AFTER)


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_every_refusal_has_a_sentence(app):
    with app.test_request_context():
        assert missing_sentences() == set()


# --- recording ------------------------------------------------------------------------------


def test_record_and_correct_keep_history_and_audit(world):
    session, a = world["sessions"][0], world["e"]["A"]
    services.record_attendance(session, [(a.id, "absent")], world["trainer"], today=DAYS[0])
    services.record_attendance(session, [(a.id, "late", "Kẹt xe")], world["hr"], today=DAYS[0])
    services.record_attendance(session, [(a.id, "late", "Kẹt xe")], world["hr"], today=DAYS[0])
    row = db.session.scalar(select(Attendance).where(Attendance.enrolment_id == a.id))
    assert (row.status, row.note, row.recorded_by_id) == ("late", "Kẹt xe", world["hr"].id)
    history = [
        (c.old_status, c.new_status, c.changed_by_id) for c in services.attendance_history(session)
    ]
    assert history == [(None, "absent", world["trainer"].id), ("absent", "late", world["hr"].id)]
    audited = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_type == "Attendance")
    ).all()
    assert audited == ["attendance.record", "attendance.correct"]  # the same line: no write


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("pending", "not_confirmed"),
        ("waitlisted", "not_confirmed"),
        ("other_course", "other_course"),
        ("unknown_enrolment", "other_course"),
        ("unknown_status", "unknown_status"),
        ("repeated", "repeated_enrolment"),
        ("future", "session_in_future"),
        ("cancelled_session", "session_cancelled"),
        ("long_note", "note_too_long"),
    ],
)
def test_bad_registers_are_refused_and_write_nothing(
    world, create_course, create_official, case, code
):
    e, session, today = world["e"], world["sessions"][1], AFTER
    entries = [(e["A"].id, "present"), (e["B"].id, "present")]
    if case in ("pending", "waitlisted"):
        entries.append((e["P" if case == "pending" else "W1"].id, "present"))
    elif case == "other_course":
        other = create_course()
        entries.append((enrolment.register(other.id, create_official(), None, on=ON).id, "late"))
    elif case == "unknown_enrolment":
        entries.append((999_999, "present"))
    elif case == "unknown_status":
        entries.append((e["C"].id, "here"))
    elif case == "repeated":
        entries.append((e["A"].id, "absent"))
    elif case == "future":
        today = DAYS[1].replace(day=2)  # the day before the session
    elif case == "cancelled_session":
        from app.courses import services as courses

        courses.cancel_session(session, None)
    elif case == "long_note":
        entries.append((e["C"].id, "excused", "x" * 501))
    before = (count(Attendance), count(AttendanceChange), count(AuditEntry))
    with pytest.raises(ServiceError) as refused:
        services.record_attendance(session, entries, world["hr"], today=today)
    assert refused.value.code == code
    assert refused.value.message
    assert (count(Attendance), count(AttendanceChange), count(AuditEntry)) == before


def test_the_session_day_itself_may_be_recorded(world):
    session = world["sessions"][2]
    services.record_attendance(session, [(world["e"]["A"].id, "present")], None, today=DAYS[2])
    assert count(Attendance) == 1


def test_a_finished_course_takes_no_attendance(world):
    services.finish_course(world["course"], world["hr"], today=AFTER)
    with pytest.raises(ServiceError) as refused:
        services.record_attendance(
            world["sessions"][0], [(world["e"]["A"].id, "present")], None, today=AFTER
        )
    assert refused.value.code == "course_finished"


def test_all_present_then_the_exceptions(world):
    e, session = world["e"], world["sessions"][0]
    services.mark_all_present(
        session, world["trainer"], {e["B"].id: "late", e["C"].id: ("excused", "Ốm")}, today=AFTER
    )
    sheet = {
        line.enrolment.id: (line.status, line.attendance.note)
        for line in services.register_sheet(session)
    }
    assert sheet == {
        e["A"].id: ("present", None),
        e["B"].id: ("late", None),
        e["C"].id: ("excused", "Ốm"),
    }
    with pytest.raises(ServiceError) as refused:
        services.mark_all_present(session, None, {e["W1"].id: "absent"}, today=AFTER)
    assert refused.value.code == "not_confirmed"


def test_grid_rates_and_outlook(world):
    e = world["e"]
    take(world, {"A": "PPL", "B": "AEA", "C": "PA"})
    result = services.grid(world["course"])
    assert result.held == 5 and result.threshold == 80
    rows = {row.enrolment.id: row for row in result.rows}
    assert set(rows) == {e["A"].id, e["B"].id, e["C"].id}  # confirmed only
    a, b, c = rows[e["A"].id], rows[e["B"].id], rows[e["C"].id]
    assert (a.attended, a.rate_percent, a.out_of_reach) == (3, 60, False)
    assert (b.attended, b.rate_percent, b.out_of_reach) == (0, 0, True)  # 2 left of 4 needed
    assert (c.attended, c.outlook.undecided, c.out_of_reach) == (1, 3, False)  # 1 + 3 = 4
    assert a.statuses[world["sessions"][2].id] == "late"


def test_grid_takes_three_statements(world, app):
    take(world, {"A": "PPPPP", "B": "PPPPA", "C": "PPPAA"})
    statements = []

    def count_statement(*_args):
        statements.append(1)

    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        services.grid(world["course"])
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)
    assert len(statements) == 3


def test_sessions_taught_on(world, create_user):
    from app.courses import services as courses

    courses.update_course(world["course"], None, trainer_ids=[world["trainer"].id])
    assert services.sessions_taught_on(world["trainer"], DAYS[1]) == [world["sessions"][1]]
    assert services.sessions_taught_on(create_user("trainer"), DAYS[1]) == []


# --- finishing ------------------------------------------------------------------------------


def pol_tc_women(as_of=AFTER):
    (result,) = report_results(as_of, group="women", population="D")[:1]
    assert result.id == "M3.D.pol_tc"
    return result.numerator


def test_finish_assesses_writes_records_certificates_and_changes_progress(world):
    e, course = world["e"], world["course"]
    take(world, {"A": "PPPPP", "B": "PPLPA", "C": "PPPEA"})
    before_progress = pol_tc_women()
    signalled = []

    def listen(sender, before=None, **_extra):
        signalled.append((sender.id, before, sender.status))

    enrolment_signals.enrolment_changed.connect(listen)
    try:
        outcome = services.finish_course(course, world["hr"], today=DAYS[-1])
    finally:
        enrolment_signals.enrolment_changed.disconnect(listen)
    db.session.refresh(course)
    for row in e.values():
        db.session.refresh(row)
    assert course.status == "finished"
    assert [e[k].status for k in ("A", "B", "C", "W1", "W2", "P")] == [
        "completed",
        "completed",
        "not_completed",
        "expired",
        "expired",
        "expired",
    ]
    assert (e["W1"].status_before_expiry, e["W1"].position_before_expiry) == ("waitlisted", 1)
    assert (e["W2"].status_before_expiry, e["W2"].position_before_expiry) == ("waitlisted", 2)
    assert (e["P"].status_before_expiry, e["P"].waitlist_position) == ("pending", None)
    # The seats held stay counted (completed + not completed); nothing waits or is pending.
    assert (course.confirmed_count, course.waitlist_count, course.pending_count) == (3, 0, 0)
    assert len(signalled) == 6 and (e["A"].id, "confirmed", "completed") in signalled

    records = db.session.scalars(
        select(Qualification).where(Qualification.course_id == course.id)
    ).all()
    certificates = {c.official_id: c for c in outcome.certificates}
    assert sorted(r.official_id for r in records) == sorted(
        [e["A"].official_id, e["B"].official_id]
    )
    for record in records:
        certificate = certificates[record.official_id]
        assert (record.source, record.status, record.ladder, record.level) == (
            "course",
            "verified",
            "political_theory",
            "intermediate",
        )
        assert record.issued_on == DAYS[-1] == certificate.issued_on
        assert record.certificate_number == certificate.number
        assert record.institution == course.organizer.name
        assert certificate.qualification_id == record.id and certificate.valid
        assert re.fullmatch(r"BT(-[34679ACDEFGHJKMNPQRTUVWXY]{4}){4}", certificate.number)
    assert pol_tc_women() == before_progress + 2

    told = dict(
        db.session.execute(
            select(Notification.user_id, Notification.kind).where(
                Notification.kind.like("course.%")
            )
        ).all()
    )
    assert told == {world["A"].id: "course.completed", world["C"].id: "course.not_completed"}
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "course.finish" in actions and actions.count("certificate.issue") == 2


def test_a_course_awarding_nothing_writes_no_record(world, create_course, create_session):
    course = world["course"]
    from app.courses import services as courses

    courses.update_course(course, None, awards_ladder=None, awards_level=None)
    take(world, {"A": "PPPPP"})
    outcome = services.finish_course(course, None, today=AFTER)
    assert (
        outcome.certificates == []
        and count(Qualification, Qualification.course_id == course.id) == 0
    )
    assert [x.status for x in outcome.changed if x.id == world["e"]["A"].id] == ["completed"]


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("before_last_day", "before_last_day"),
        ("no_sessions", "no_sessions"),
        ("draft", "course_draft"),
        ("cancelled", "course_cancelled"),
        ("finished", "course_finished"),
    ],
)
def test_finish_refusals_write_nothing(world, create_course, setup, code):
    course, today = world["course"], AFTER
    from app.courses import services as courses

    if setup == "before_last_day":
        today = DAYS[-2]
    elif setup == "no_sessions":
        course = create_course()
    elif setup == "draft":
        course = create_course(status="draft")
    elif setup == "cancelled":
        courses.cancel_course(course, None)
    elif setup == "finished":
        services.finish_course(course, None, today=today)
    before = (count(AuditEntry), count(Qualification), count(Certificate))
    with pytest.raises(ServiceError) as refused:
        services.finish_course(course, None, today=today)
    assert refused.value.code == code
    assert (count(AuditEntry), count(Qualification), count(Certificate)) == before


# --- reopening ------------------------------------------------------------------------------


def test_reopen_reverses_the_finish(world):
    e, course = world["e"], world["course"]
    take(world, {"A": "PPPPP", "B": "PPPPA", "C": "PAAAA"})
    before_progress = pol_tc_women()
    outcome = services.finish_course(course, world["hr"], today=AFTER)
    numbers = [c.number for c in outcome.certificates]
    services.reopen_course(course, world["hr"])
    db.session.refresh(course)
    for row in e.values():
        db.session.refresh(row)
    assert course.status == "registration_closed"
    assert [(e[k].status, e[k].waitlist_position) for k in ("A", "B", "C", "W1", "W2", "P")] == [
        ("confirmed", None),
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("pending", None),
    ]
    assert all(row.status_before_expiry is None for row in e.values())
    assert (course.confirmed_count, course.waitlist_count, course.pending_count) == (3, 2, 1)
    assert count(Qualification, Qualification.course_id == course.id) == 0
    assert pol_tc_women() == before_progress
    for number in numbers:
        certificate = services.find_certificate(number.lower())
        assert certificate.status == "revoked" and certificate.revoked_at is not None
        assert certificate.qualification_id is None
    # Attendance survives; finishing again issues new numbers, never the old ones.
    outcome = services.finish_course(course, world["hr"], today=AFTER)
    assert len(outcome.certificates) == 2
    assert not {c.number for c in outcome.certificates} & set(numbers)
    assert count(Certificate) == 4


def test_reopen_promotes_into_free_seats(world):
    e, course = world["e"], world["course"]
    enrolment.cancel(e["C"], None)  # W1 takes her seat at once: W2 waits at 1
    db.session.refresh(e["W1"])
    assert e["W1"].status == "confirmed"
    services.finish_course(course, None, today=AFTER)
    services.reopen_course(course, None)
    db.session.refresh(e["W2"])
    assert (e["W2"].status, e["W2"].waitlist_position) == ("waitlisted", 1)
    db.session.refresh(course)
    assert (course.confirmed_count, course.waitlist_count) == (3, 1)


def test_only_a_finished_course_reopens(world):
    with pytest.raises(ServiceError) as refused:
        services.reopen_course(world["course"], None)
    assert refused.value.code == "course_not_finished"


def test_own_attendance(world):
    e = world["e"]
    take(world, {"A": "PPAL"})
    (mine,) = services.own_attendance(e["A"].official_id)
    assert mine.enrolment.id == e["A"].id
    assert (mine.attended, mine.rate_percent) == (3, 60)
    assert mine.statuses[world["sessions"][2].id] == "absent"
    assert services.own_attendance(e["P"].official_id) == []


def test_counts(world):
    assert services.enrolment_counts(world["course"].id)["confirmed"] == 3
    assert services.enrolment_counts(world["course"].id)["expired"] == 0


def test_certificate_numbers_are_random_and_unambiguous():
    from app.attendance.certificates import ALPHABET, new_number

    numbers = {new_number() for _ in range(500)}
    assert len(numbers) == 500
    assert not set(ALPHABET) & set("01OILSZB258")


def test_rows_are_not_left_confirmed_with_enrolment_counts(world):
    """The counters equal the rows again after a reopening (the invariant of DOMAIN §8)."""
    course = world["course"]
    services.finish_course(course, None, today=AFTER)
    services.reopen_course(course, None)
    db.session.refresh(course)
    rows = db.session.execute(
        select(Enrolment.status, func.count())
        .where(Enrolment.course_id == course.id)
        .group_by(Enrolment.status)
    ).all()
    counts = dict(rows)
    assert course.confirmed_count == counts.get("confirmed", 0)
    assert course.waitlist_count == counts.get("waitlisted", 0)
    assert course.pending_count == counts.get("pending", 0)
