"""Attendance, finishing and reopening a course, and its certificates (DOMAIN §7, issue 13).

The rules are app.domain.completion's; this module loads their facts and writes their answers.
Flush, never commit; every change is audited. What changes enrolments (finishing, reopening)
runs under the course's row lock (app.courses.services.lock_course), and so does recording
attendance, so that a register and a finish never cross.

Reading (for the pages and the API):
- `register_sheet(session)`: the session's register — its confirmed officials with their status;
- `grid(course)`: officials × sessions, each one's attended count, rate and outlook;
- `own_attendance(official_id)`: an official's courses with her statuses;
- `attendance_history(session)`: every write of the session's attendance, corrections included;
- `sessions_taught_on(user, on)`: "today's sessions" of a trainer;
- `enrolment_counts(course_id)`, `certificates_of_course`, `certificates_of_official`,
  `find_certificate(number)`.

The seat counters after a finish: the course's `confirmed_count` counts the seats still held
by its completed and not completed enrolments (they become confirmed again on reopening, and
app.domain.enrolment.capacity_refusal counts them so), `waitlist_count` and `pending_count` are
0 (those enrolments expired). Reopening recounts all three from the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..audit import services as audit
from ..courses.models import Course, CourseSession, course_trainers
from ..courses.services import lock_course
from ..domain import completion as rules
from ..enrolment import signals as enrolment_signals
from ..enrolment.models import Enrolment
from ..enrolment.services import promote_waiting
from ..extensions import db
from ..i18n import format_date
from ..i18n import today as local_today
from ..model_helpers import utcnow
from ..qualifications import services as qualifications
from ..qualifications.models import Qualification
from ..validation import ServiceError
from . import notices, signals
from .certificates import new_number, normalise_number
from .messages import refusal_message
from .models import NOTE_LIMIT, Attendance, AttendanceChange, Certificate

HELD_COUNTERS = {
    "confirmed": "confirmed_count",
    "waitlisted": "waitlist_count",
    "pending": "pending_count",
}
# Enrolments whose seat is still counted in a finished course (see the module's docstring).
SEAT_HOLDING_AFTER_FINISH = ("completed", "not_completed")


def _refused(code: str, field: str | None = None, **values) -> ServiceError:
    return ServiceError(refusal_message(code, **values), field, code)


def _locked(course_id: int) -> Course:
    course = lock_course(course_id)
    if course is None:
        raise ServiceError(refusal_message("other_course", id=course_id), None, "not_found")
    return course


def session_fact(session: CourseSession) -> rules.SessionFact:
    return rules.SessionFact(session.id, session.day, session.cancelled)


def _session_facts(course_id: int) -> list[rules.SessionFact]:
    rows = db.session.execute(
        select(CourseSession.id, CourseSession.day, CourseSession.status).where(
            CourseSession.course_id == course_id
        )
    )
    return [rules.SessionFact(key, day, status == "cancelled") for key, day, status in rows]


# --- recording attendance ------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a register: her enrolment, her status, an optional note."""

    enrolment_id: int
    status: str
    note: str | None = None


def _entry(value) -> Entry:
    """An Entry from an Entry, a mapping {enrolment_id, status, note?} or a tuple."""
    if isinstance(value, Entry):
        entry = value
    elif isinstance(value, Mapping):
        entry = Entry(value.get("enrolment_id"), value.get("status"), value.get("note"))
    else:
        entry = Entry(*value)
    note = entry.note.strip() or None if isinstance(entry.note, str) else None
    status = entry.status.strip() if isinstance(entry.status, str) else ""
    return Entry(entry.enrolment_id, status, note)


def _check_entries(course: Course, entries: list[Entry]) -> dict[int, Enrolment]:
    """Refuse the whole register at its first bad line (nothing is written)."""
    ids = [e.enrolment_id for e in entries if isinstance(e.enrolment_id, int)]
    enrolments = {
        e.id: e
        for e in db.session.scalars(
            select(Enrolment).where(Enrolment.id.in_(ids)).options(joinedload(Enrolment.official))
        )
    }
    seen: set[int] = set()
    for entry in entries:
        enrolment = enrolments.get(entry.enrolment_id)
        name = enrolment.official.full_name if enrolment else ""
        if entry.enrolment_id in seen:
            raise _refused("repeated_enrolment", "enrolment_id", name=name)
        seen.add(entry.enrolment_id)
        refusal = rules.entry_refusal(
            entry.status,
            enrolment.status if enrolment else None,
            enrolment is not None and enrolment.course_id == course.id,
        )
        if refusal:
            field = "status" if refusal == "unknown_status" else "enrolment_id"
            raise _refused(
                refusal, field, id=entry.enrolment_id, name=name, status=entry.status[:40]
            )
        if entry.note is not None and len(entry.note) > NOTE_LIMIT:
            raise _refused("note_too_long", "note", n=NOTE_LIMIT)
    return enrolments


def record_attendance(
    session: CourseSession, entries: Iterable, actor, today: date | None = None
) -> list[Attendance]:
    """Record the statuses of a session's register, all or nothing (DOMAIN §7).

    `entries`: Entry, {enrolment_id, status, note?} or (enrolment_id, status[, note]). Refused
    (ServiceError with the code of app.domain.completion.RECORD_REFUSALS, nothing written) for
    a course not running (draft, cancelled, finished), a cancelled session, a session after
    `today` (Asia/Ho_Chi_Minh), an enrolment of another course or not confirmed, an unknown
    status, one enrolment twice. A line equal to what is stored writes nothing; a changed one
    is a correction: its history keeps who, when, old → new (AttendanceChange and the audit
    log). Returns the session's attendance of the enrolments sent, in their order.
    """
    course = _locked(session.course_id)
    db.session.refresh(session)
    refusal = rules.record_refusal(course.status, session_fact(session), today or local_today())
    if refusal:
        raise _refused(refusal, day=format_date(session.day))
    entries = [_entry(value) for value in entries]
    enrolments = _check_entries(course, entries)
    stored = {
        a.enrolment_id: a
        for a in db.session.scalars(
            select(Attendance).where(
                Attendance.session_id == session.id,
                Attendance.enrolment_id.in_(list(enrolments)),
            )
        )
    }
    now = utcnow()
    written = []
    for entry in entries:
        attendance = stored.get(entry.enrolment_id)
        if attendance is not None and (attendance.status, attendance.note) == (
            entry.status,
            entry.note,
        ):
            continue
        before = (attendance.status, attendance.note) if attendance else (None, None)
        if attendance is None:
            attendance = Attendance(session_id=session.id, enrolment_id=entry.enrolment_id)
            db.session.add(attendance)
            stored[entry.enrolment_id] = attendance
        attendance.status, attendance.note = entry.status, entry.note
        attendance.recorded_by_id, attendance.recorded_at = getattr(actor, "id", None), now
        written.append((attendance, before))
    db.session.flush()
    for attendance, before in written:
        _keep_history(attendance, before, actor, now, enrolments[attendance.enrolment_id])
    db.session.flush()
    if written:
        signals.attendance_recorded.send(
            session, actor=actor, changed=[a.id for a, _before in written]
        )
    return [stored[entry.enrolment_id] for entry in entries]


def _keep_history(attendance: Attendance, before: tuple, actor, now, enrolment) -> None:
    old_status, old_note = before
    db.session.add(
        AttendanceChange(
            attendance_id=attendance.id,
            old_status=old_status,
            new_status=attendance.status,
            old_note=old_note,
            new_note=attendance.note,
            changed_by_id=getattr(actor, "id", None),
            changed_at=now,
        )
    )
    changes = {"status": [old_status, attendance.status]}
    if old_note != attendance.note:
        changes["note"] = [old_note, attendance.note]
    action = "attendance.record" if old_status is None else "attendance.correct"
    audit.record(actor, action, attendance, changes, official_id=enrolment.official_id)


def confirmed_of(course_id: int) -> list[Enrolment]:
    """The course's confirmed enrolments, in the Vietnamese order of their names."""
    rows = list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.course_id == course_id, Enrolment.status == "confirmed")
            .options(joinedload(Enrolment.official))
        )
    )
    return sorted(rows, key=lambda e: e.official.sort_key)


def mark_all_present(
    session: CourseSession,
    actor,
    exceptions: Mapping[int, str | tuple[str, str | None]] | None = None,
    today: date | None = None,
) -> list[Attendance]:
    """ "All present, then the exceptions": every confirmed enrolment of the course is present
    but those in `exceptions` ({enrolment id: status or (status, note)}), in one
    record_attendance (all or nothing; an exception for someone not confirmed is refused)."""
    exceptions = dict(exceptions or {})
    entries = []
    for enrolment in confirmed_of(session.course_id):
        value = exceptions.pop(enrolment.id, "present")
        status, note = (value, None) if isinstance(value, str) else value
        entries.append(Entry(enrolment.id, status, note))
    for enrolment_id, value in exceptions.items():  # not confirmed here: refused
        status, note = (value, None) if isinstance(value, str) else value
        entries.append(Entry(enrolment_id, status, note))
    return record_attendance(session, entries, actor, today=today)


# --- reading attendance --------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterLine:
    enrolment: Enrolment
    attendance: Attendance | None

    @property
    def status(self) -> str | None:
        return self.attendance.status if self.attendance else None


def register_sheet(session: CourseSession) -> list[RegisterLine]:
    """The session's register: the course's confirmed enrolments (after a finish, the
    completed and not completed) by name, each with her stored attendance or None. Two
    statements."""
    enrolments = sorted(
        db.session.scalars(
            select(Enrolment)
            .where(
                Enrolment.course_id == session.course_id,
                Enrolment.status.in_(rules.ASSESSED_STATUSES),
            )
            .options(joinedload(Enrolment.official))
        ),
        key=lambda e: e.official.sort_key,
    )
    stored = {
        a.enrolment_id: a
        for a in db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    }
    return [RegisterLine(e, stored.get(e.id)) for e in enrolments]


def attendance_history(session: CourseSession) -> list[AttendanceChange]:
    """Every write of the session's attendance, oldest first (who, when, old → new)."""
    return list(
        db.session.scalars(
            select(AttendanceChange)
            .join(Attendance, Attendance.id == AttendanceChange.attendance_id)
            .where(Attendance.session_id == session.id)
            .options(
                joinedload(AttendanceChange.attendance)
                .joinedload(Attendance.enrolment)
                .joinedload(Enrolment.official),
                joinedload(AttendanceChange.changed_by),
            )
            .order_by(AttendanceChange.id)
        )
    )


@dataclass(frozen=True)
class GridRow:
    """One official of the grid: her status per session id, and where she stands."""

    enrolment: Enrolment
    statuses: dict[int, str]
    notes: dict[int, str]
    attended: int
    rate_percent: int | None
    completes: bool
    outlook: rules.Outlook

    @property
    def out_of_reach(self) -> bool:
        """She can no longer reach the threshold, even attending every session left."""
        return not self.outlook.reachable


@dataclass(frozen=True)
class Grid:
    course: Course
    sessions: list[CourseSession]  # every session by date; the cancelled ones count nowhere
    held: int  # the non-cancelled sessions
    threshold: int
    rows: list[GridRow] = field(default_factory=list)


def grid(course: Course) -> Grid:
    """Officials (confirmed, or completed and not completed after a finish) × sessions, with
    each one's attended count, rate and outlook (DOMAIN §7). Three statements."""
    sessions = list(
        db.session.scalars(
            select(CourseSession)
            .where(CourseSession.course_id == course.id)
            .order_by(CourseSession.day, CourseSession.starts_at, CourseSession.id)
        )
    )
    facts = [session_fact(s) for s in sessions]
    enrolments = sorted(
        db.session.scalars(
            select(Enrolment)
            .where(
                Enrolment.course_id == course.id,
                Enrolment.status.in_(rules.ASSESSED_STATUSES),
            )
            .options(joinedload(Enrolment.official))
        ),
        key=lambda e: e.official.sort_key,
    )
    statuses: dict[int, dict[int, str]] = {e.id: {} for e in enrolments}
    notes: dict[int, dict[int, str]] = {e.id: {} for e in enrolments}
    rows = db.session.execute(
        select(Attendance.enrolment_id, Attendance.session_id, Attendance.status, Attendance.note)
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .where(CourseSession.course_id == course.id)
    )
    for enrolment_id, session_id, status, note in rows:
        if enrolment_id in statuses:
            statuses[enrolment_id][session_id] = status
            if note:
                notes[enrolment_id][session_id] = note
    held = len(rules.held(facts))
    threshold = course.completion_threshold
    result = Grid(course, sessions, held, threshold)
    for e in enrolments:
        attended = rules.attended_count(statuses[e.id], facts)
        result.rows.append(
            GridRow(
                enrolment=e,
                statuses=statuses[e.id],
                notes=notes[e.id],
                attended=attended,
                rate_percent=rules.rate_percent(attended, held),
                completes=rules.completes(attended, held, threshold),
                outlook=rules.outlook(statuses[e.id], facts, threshold),
            )
        )
    return result


@dataclass(frozen=True)
class OwnCourse:
    """One of her courses with her statuses (for her own page and GET /api/v1/me/attendance)."""

    enrolment: Enrolment
    sessions: list[CourseSession]
    statuses: dict[int, str]
    attended: int
    rate_percent: int | None


def own_attendance(official_id: int) -> list[OwnCourse]:
    """Her courses (confirmed, completed, not completed), latest first, with her status at
    each session. Three statements."""
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .join(Course, Course.id == Enrolment.course_id)
            .where(
                Enrolment.official_id == official_id,
                Enrolment.status.in_(rules.ASSESSED_STATUSES),
            )
            .options(joinedload(Enrolment.course))
            .order_by(Course.first_day.desc(), Course.id.desc())
        )
    )
    course_ids = [e.course_id for e in enrolments]
    sessions: dict[int, list[CourseSession]] = {key: [] for key in course_ids}
    for s in db.session.scalars(
        select(CourseSession)
        .where(CourseSession.course_id.in_(course_ids))
        .order_by(CourseSession.day, CourseSession.starts_at, CourseSession.id)
    ):
        sessions[s.course_id].append(s)
    statuses: dict[int, dict[int, str]] = {e.id: {} for e in enrolments}
    for enrolment_id, session_id, status in db.session.execute(
        select(Attendance.enrolment_id, Attendance.session_id, Attendance.status).where(
            Attendance.enrolment_id.in_(list(statuses))
        )
    ):
        statuses[enrolment_id][session_id] = status
    result = []
    for e in enrolments:
        facts = [session_fact(s) for s in sessions[e.course_id]]
        attended = rules.attended_count(statuses[e.id], facts)
        held = len(rules.held(facts))
        result.append(
            OwnCourse(
                e,
                sessions[e.course_id],
                statuses[e.id],
                attended,
                rules.rate_percent(attended, held),
            )
        )
    return result


def sessions_taught_on(user, on: date | None = None) -> list[CourseSession]:
    """ "Today's sessions" of a trainer: the non-cancelled sessions on `on` (default today) of
    the running courses she teaches, by start time."""
    on = on or local_today()
    taught = select(course_trainers.c.course_id).where(course_trainers.c.user_id == user.id)
    return list(
        db.session.scalars(
            select(CourseSession)
            .join(Course, Course.id == CourseSession.course_id)
            .where(
                CourseSession.day == on,
                CourseSession.status == "scheduled",
                Course.id.in_(taught),
                Course.status.in_(("open", "registration_closed")),
            )
            .options(joinedload(CourseSession.course))
            .order_by(CourseSession.starts_at, CourseSession.id)
        )
    )


def upcoming_sessions_taught(user, after: date | None = None, limit: int = 8) -> list:
    """The next non-cancelled sessions after `after` (default today) of the running courses
    the user teaches, by date and time, at most `limit`."""
    after = after or local_today()
    taught = select(course_trainers.c.course_id).where(course_trainers.c.user_id == user.id)
    return list(
        db.session.scalars(
            select(CourseSession)
            .join(Course, Course.id == CourseSession.course_id)
            .where(
                CourseSession.day > after,
                CourseSession.status == "scheduled",
                Course.id.in_(taught),
                Course.status.in_(("open", "registration_closed")),
            )
            .options(joinedload(CourseSession.course))
            .order_by(CourseSession.day, CourseSession.starts_at, CourseSession.id)
            .limit(limit)
        )
    )


def courses_taught(user, on: date | None = None) -> tuple[list[Course], list[Course]]:
    """The courses the user teaches (drafts and cancelled ones left out), as two lists: those
    not over on `on` (default today: not finished, last day ahead or none yet) by first day,
    and the others, latest first."""
    on = on or local_today()
    taught = select(course_trainers.c.course_id).where(course_trainers.c.user_id == user.id)
    courses = list(
        db.session.scalars(
            select(Course).where(
                Course.id.in_(taught), Course.status.not_in(("draft", "cancelled"))
            )
        )
    )

    def current(c: Course) -> bool:
        return c.status != "finished" and (c.last_day is None or c.last_day >= on)

    ahead = sorted(
        (c for c in courses if current(c)), key=lambda c: (c.first_day or date.max, c.code)
    )
    over = sorted(
        (c for c in courses if not current(c)),
        key=lambda c: (c.last_day or date.min, c.code),
        reverse=True,
    )
    return ahead, over


def recorded_counts(session_ids: Iterable[int]) -> dict[int, int]:
    """{session id: how many attendance lines are recorded}: one statement."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Attendance.session_id, func.count())
        .where(Attendance.session_id.in_(ids))
        .group_by(Attendance.session_id)
    )
    return dict(rows.all())


def enrolment_counts(course_id: int) -> dict[str, int]:
    """{enrolment status: how many} of the course (every status of the vocabulary, zeros too)."""
    counts = dict.fromkeys(
        ("pending", "confirmed", "waitlisted", "rejected", "cancelled")
        + ("completed", "not_completed", "expired"),
        0,
    )
    rows = db.session.execute(
        select(Enrolment.status, func.count())
        .where(Enrolment.course_id == course_id)
        .group_by(Enrolment.status)
    )
    counts.update(dict(rows.all()))
    return counts


# --- finishing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a finish or a reopening changed."""

    course: Course
    changed: list[Enrolment]
    certificates: list[Certificate] = field(default_factory=list)

    def with_status(self, status: str) -> list[Enrolment]:
        return [e for e in self.changed if e.status == status]


def _attended_counts(course_id: int) -> dict[int, int]:
    """{enrolment id: attended non-cancelled sessions} of the course: one statement."""
    rows = db.session.execute(
        select(Attendance.enrolment_id, func.count())
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .where(
            CourseSession.course_id == course_id,
            CourseSession.status == "scheduled",
            Attendance.status.in_(rules.ATTENDED),
        )
        .group_by(Attendance.enrolment_id)
    )
    return dict(rows.all())


def _move(enrolment: Enrolment, state: rules.EnrolmentState, actor, action: str) -> str:
    """Write a state the rules answered; audit it; return the status before."""
    before, position = enrolment.status, enrolment.waitlist_position
    enrolment.status = state.status
    enrolment.waitlist_position = state.position
    enrolment.status_before_expiry = state.status_before
    enrolment.position_before_expiry = state.position_before
    enrolment.updated_at = utcnow()
    audit.record(
        actor,
        action,
        enrolment,
        {"status": [before, state.status], "waitlist_position": [position, state.position]},
        official_id=enrolment.official_id,
    )
    return before


def _recount(course: Course) -> None:
    """The three counters from the rows (after a reopening)."""
    counts = enrolment_counts(course.id)
    for status, column in HELD_COUNTERS.items():
        setattr(course, column, counts[status])


def _free_number() -> str:
    while True:
        number = new_number()
        if db.session.scalar(select(Certificate.id).where(Certificate.number == number)) is None:
            return number


def _certify(course: Course, enrolment: Enrolment, first: date, last: date, actor) -> Certificate:
    """Her verified qualification record (source course, issued on the last day) and its
    certificate with a new random number."""
    number = _free_number()
    record = qualifications.add_course_record(
        enrolment.official,
        course.awards_ladder,
        course.awards_level,
        issued_on=last,
        course_id=course.id,
        institution=course.organizer.name,
        certificate_number=number,
        actor=actor,
    )
    certificate = Certificate(
        number=number,
        enrolment_id=enrolment.id,
        official_id=enrolment.official_id,
        course_id=course.id,
        qualification_id=record.id,
        ladder=course.awards_ladder,
        level=course.awards_level,
        first_day=first,
        issued_on=last,
        status="valid",
        issued_by_id=getattr(actor, "id", None),
        issued_at=utcnow(),
    )
    db.session.add(certificate)
    db.session.flush()
    audit.record(
        actor,
        "certificate.issue",
        certificate,
        {"number": [None, number], "qualification_id": [None, record.id]},
        official_id=enrolment.official_id,
    )
    return certificate


def finish_course(course: Course, actor, today: date | None = None) -> Outcome:
    """Finish the course (DOMAIN §7): refused with a code of FINISH_REFUSALS (a course not
    running, without a non-cancelled session, before its last day). Every confirmed enrolment
    becomes completed (rate ≥ threshold) or not completed; pending and waitlisted ones expire,
    remembering their status and position. For each completion of a course that awards a
    level: a verified qualification record and a certificate. Each official is told; each
    changed enrolment is signalled (enrolment_changed), then the course (course_finished)."""
    course = _locked(course.id)
    facts = _session_facts(course.id)
    refusal = rules.finish_refusal(course.status, facts, today or local_today())
    if refusal:
        last = rules.last_day(facts)
        raise _refused(refusal, day=format_date(last) if last else "")
    enrolments = {
        e.id: e
        for e in db.session.scalars(
            select(Enrolment)
            .where(
                Enrolment.course_id == course.id,
                Enrolment.status.in_(("confirmed", "pending", "waitlisted")),
            )
            .options(joinedload(Enrolment.official))
        )
    }
    attended = _attended_counts(course.id)
    held = len(rules.held(facts))
    states = [
        rules.EnrolmentState(e.id, e.status, e.waitlist_position, attended.get(e.id, 0))
        for e in enrolments.values()
    ]
    changed = rules.assess(states, held, course.completion_threshold)
    before = {
        state.key: _move(enrolments[state.key], state, actor, f"enrolment.{state.status}")
        for state in changed
    }
    course.confirmed_count = sum(1 for s in changed if s.status in SEAT_HOLDING_AFTER_FINISH)
    course.waitlist_count = course.pending_count = 0
    _set_course_status(course, "finished", actor, "course.finish")
    certificates = []
    if course.awards is not None:
        first, last = rules.first_day(facts), rules.last_day(facts)
        certificates = [
            _certify(course, enrolments[s.key], first, last, actor)
            for s in changed
            if s.status == "completed"
        ]
    rates = {s.key: rules.rate_percent(s.attended, held) for s in changed}
    _tell_outcome(course, [enrolments[s.key] for s in changed], rates, certificates)
    for state in changed:
        enrolment_signals.enrolment_changed.send(
            enrolments[state.key], before=before[state.key], actor=actor
        )
    signals.course_finished.send(course, actor=actor, changed=[s.key for s in changed])
    return Outcome(course, [enrolments[s.key] for s in changed], certificates)


def _set_course_status(course: Course, status: str, actor, action: str) -> None:
    old = course.status
    course.status = status
    course.version += 1
    course.updated_at = utcnow()
    db.session.flush()
    audit.record(actor, action, course, {"status": [old, status]})


def _tell_outcome(course, enrolments, rates: dict, certificates) -> None:
    users = notices.users_of({e.official_id for e in enrolments})
    numbers = {c.enrolment_id: c.number for c in certificates}
    kinds = {
        "completed": notices.COMPLETED,
        "not_completed": notices.NOT_COMPLETED,
        "expired": notices.EXPIRED,
    }
    for enrolment in enrolments:
        user_id = users.get(enrolment.official_id)
        if user_id is None:
            continue
        notices.tell(
            user_id,
            kinds[enrolment.status],
            course,
            enrolment.id,
            rate=rates.get(enrolment.id),
            threshold=course.completion_threshold,
            certificate=numbers.get(enrolment.id),
        )


# --- reopening ------------------------------------------------------------------------------


def reopen_course(course: Course, actor) -> Outcome:
    """Reopen a finished course, reversing its finish exactly (DOMAIN §7): the records it
    wrote are deleted, its certificates revoked (their numbers stay taken; verification says
    "revoked"), completed and not completed enrolments are confirmed again, expired ones
    return to pending or to the END of the current waitlist in their former order; the course
    becomes registration_closed, then free seats promote the first waitlisted."""
    course = _locked(course.id)
    refusal = rules.reopen_refusal(course.status)
    if refusal:
        raise _refused(refusal)
    enrolments = {
        e.id: e
        for e in db.session.scalars(
            select(Enrolment).where(
                Enrolment.course_id == course.id,
                Enrolment.status.in_(("completed", "not_completed", "expired")),
            )
        )
    }
    waitlist = dict(
        db.session.execute(
            select(Enrolment.id, Enrolment.waitlist_position).where(
                Enrolment.course_id == course.id, Enrolment.status == "waitlisted"
            )
        ).all()
    )
    states = [
        rules.EnrolmentState(
            e.id, e.status, None, 0, e.status_before_expiry, e.position_before_expiry
        )
        for e in enrolments.values()
    ]
    changed = rules.reopen(states, waitlist)
    _revoke_course_certificates(course, actor)
    before = {
        state.key: _move(enrolments[state.key], state, actor, "enrolment.reopen")
        for state in changed
    }
    db.session.flush()
    _recount(course)
    _set_course_status(course, "registration_closed", actor, "course.reopen")
    users = notices.users_of({enrolments[s.key].official_id for s in changed})
    for state in changed:
        enrolment = enrolments[state.key]
        if enrolment.official_id in users:
            notices.tell(users[enrolment.official_id], notices.REOPENED, course, enrolment.id)
        enrolment_signals.enrolment_changed.send(enrolment, before=before[state.key], actor=actor)
    signals.course_reopened.send(course, actor=actor, changed=[s.key for s in changed])
    promote_waiting(course, actor)
    return Outcome(course, [enrolments[s.key] for s in changed])


def _revoke_course_certificates(course: Course, actor) -> None:
    now = utcnow()
    for certificate in db.session.scalars(
        select(Certificate).where(Certificate.course_id == course.id, Certificate.status == "valid")
    ):
        certificate.status = "revoked"
        certificate.revoked_at = now
        certificate.revoked_by_id = getattr(actor, "id", None)
        certificate.qualification_id = None
        audit.record(
            actor,
            "certificate.revoke",
            certificate,
            {"status": ["valid", "revoked"]},
            official_id=certificate.official_id,
        )
    db.session.flush()
    for record in db.session.scalars(
        select(Qualification).where(
            Qualification.course_id == course.id, Qualification.source == "course"
        )
    ):
        qualifications.remove_course_record(record, actor)


# --- certificates ----------------------------------------------------------------------------


def find_certificate(number: str) -> Certificate | None:
    """The certificate with this number (typed in any case, with blanks), valid or revoked."""
    number = normalise_number(number)
    if not number or len(number) > 40:
        return None
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.number == number)
        .options(joinedload(Certificate.official), joinedload(Certificate.course))
    )


def certificates_of_course(course_id: int) -> list[Certificate]:
    """Every certificate of the course, the revoked ones too, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.course_id == course_id)
            .options(joinedload(Certificate.official))
            .order_by(Certificate.id.desc())
        )
    )


def certificates_of_official(official_id: int) -> list[Certificate]:
    """Her certificates, the revoked ones too, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.official_id == official_id)
            .options(joinedload(Certificate.course))
            .order_by(Certificate.id.desc())
        )
    )
