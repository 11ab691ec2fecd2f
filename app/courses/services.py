"""Courses and their sessions: create, edit, change status, copy, cancel; add, reschedule and
cancel sessions (DOMAIN §7–8, issue 12).

Flush, never commit. A course is changed under its row lock (`lock_course`): on PostgreSQL a
SELECT … FOR UPDATE, on SQLite the write transaction every writer opens with BEGIN IMMEDIATE
(app.database), so its seat counters and its enrolments never race. Every change is audited;
each session change raises the session's revision and keeps its history.
"""

from __future__ import annotations

from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..audit import services as audit
from ..audit import versions
from ..auth.models import User
from ..domain import enrolment as rules
from ..domain.completion import DEFAULT_THRESHOLD
from ..domain.ladders import LADDERS, PLAN_LEVELS, POSITION_RANKS
from ..domain.text import fold
from ..extensions import db
from ..model_helpers import codes, utcnow
from ..officials.models import Organization
from ..permissions import TRAINER, organization_in_scope, scope_prefix
from ..validation import ServiceError
from . import signals
from .messages import refusal_message
from .models import (
    COURSE_KINDS,
    COURSE_STATUSES,
    Course,
    CourseSession,
    SessionChange,
    course_trainers,
)

COURSE_FIELDS = (
    "code",
    "title",
    "description",
    "kind",
    "awards_ladder",
    "awards_level",
    "organizer_id",
    "place",
    "capacity",
    "registration_opens_on",
    "registration_closes_on",
    "requires_approval",
    "completion_threshold",
    "audience_plan_levels",
    "audience_position_ranks",
    "women_only",
    "status",
)
TEXT_LIMITS = {"code": 40, "title": 255, "description": 5000, "place": 255, "topic": 255}
MAX_CAPACITY = 10_000
SESSION_FIELDS = ("day", "starts_at", "ends_at", "place", "topic", "trainer_id")
# States a new course may start in (finished and cancelled are reached, never created).
CREATION_STATUSES = ("draft", "open", "registration_closed")


# --- loading ----------------------------------------------------------------------------


def lock_course(course_id: int) -> Course | None:
    """The course, re-read under its row lock (FOR UPDATE on PostgreSQL; SQLite's writers are
    already serialised by BEGIN IMMEDIATE). Every change of its seats goes through here."""
    return db.session.scalars(
        select(Course)
        .where(Course.id == course_id)
        .with_for_update(of=Course)
        .execution_options(populate_existing=True)
    ).first()


def visible_to(user):
    """The WHERE clause of the courses `user` may see (the rule courses.view, in SQL): every
    course past its draft; a draft only for the HR whose scope holds its organizer and for its
    trainers. The catalogue and the API list with it."""
    conditions = [
        Course.status != "draft",
        Course.id.in_(
            select(course_trainers.c.course_id).where(course_trainers.c.user_id == user.id)
        ),
    ]
    prefix = scope_prefix(user)
    if prefix is not None:
        conditions.append(
            Course.organizer_id.in_(
                select(Organization.id).where(Organization.path.startswith(prefix))
            )
        )
    return or_(*conditions)


def find_course_by_code(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(func.lower(Course.code) == code.strip().lower()))


# --- validation ----------------------------------------------------------------------------


def _text(value, field: str, required: bool = False) -> str | None:
    text = (value or "").strip() if isinstance(value, str | type(None)) else str(value)
    text = text or None
    if required and text is None:
        raise ServiceError(_("Trường này không được để trống."), field)
    if text is not None and len(text) > TEXT_LIMITS[field]:
        raise ServiceError(_("Nội dung quá dài (tối đa %(n)d ký tự).", n=TEXT_LIMITS[field]), field)
    return text


def _award(ladder: str | None, level: str | None) -> tuple[str | None, str | None]:
    ladder = (ladder or "").strip() or None
    level = (level or "").strip() or None
    if ladder is None and level is None:
        return None, None
    if ladder not in LADDERS:
        raise ServiceError(_("Loại trình độ được cấp không hợp lệ."), "awards_ladder")
    if level is None or level == "none" or level not in LADDERS[ladder].codes:
        raise ServiceError(_("Trình độ được cấp không hợp lệ cho loại này."), "awards_level")
    return ladder, level


def _whole(value, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise ServiceError(_("Hãy nhập một số nguyên."), field) from None
    if not low <= value <= high:
        raise ServiceError(_("Giá trị phải từ %(low)d đến %(high)d.", low=low, high=high), field)
    return value


def _codes_list(values, known: tuple[str, ...], field: str) -> list[str]:
    chosen = list(dict.fromkeys(v for v in (values or []) if v))
    if any(v not in known for v in chosen):
        raise ServiceError(_("Giá trị không hợp lệ."), field)
    return [code for code in known if code in chosen]  # vocabulary order


def _organizer(actor, organizer_id) -> Organization:
    organization = db.session.get(Organization, organizer_id) if organizer_id else None
    if organization is None:
        raise ServiceError(_("Hãy chọn đơn vị tổ chức."), "organizer_id")
    if actor is not None and not organization_in_scope(actor, organization):
        raise ServiceError(_("Đơn vị tổ chức phải thuộc phạm vi bạn quản lý."), "organizer_id")
    return organization


def _default_organizer_id(actor) -> int | None:
    """The creator's unit (DESIGN §4); for province HR without one, the province's first
    top-level organization."""
    if actor is not None and actor.organization_id is not None:
        return actor.organization_id
    return db.session.scalar(
        select(Organization.id).where(Organization.parent_id.is_(None)).order_by(Organization.id)
    )


def _trainers(trainer_ids) -> list[User]:
    ids = list(dict.fromkeys(int(i) for i in (trainer_ids or [])))
    if not ids:
        return []
    users = list(db.session.scalars(select(User).where(User.id.in_(ids))))
    if len(users) != len(ids) or not all(u.has_role(TRAINER) for u in users):
        raise ServiceError(_("Giảng viên phải là tài khoản có vai trò giảng viên."), "trainer_ids")
    return users


def _audience_organizations(organization_ids) -> list[Organization]:
    ids = list(dict.fromkeys(int(i) for i in (organization_ids or [])))
    if not ids:
        return []
    organizations = list(db.session.scalars(select(Organization).where(Organization.id.in_(ids))))
    if len(organizations) != len(ids):
        raise ServiceError(_("Đơn vị không tồn tại."), "audience_organization_ids")
    return organizations


def _dates(opens_on: date | None, closes_on: date | None) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ServiceError(
            _("Ngày đóng đăng ký phải sau hoặc trùng ngày mở đăng ký."), "registration_closes_on"
        )


def _code_free(code: str, course_id: int | None = None) -> None:
    holder = find_course_by_code(code)
    if holder is not None and holder.id != course_id:
        raise ServiceError(_("Mã khóa học này đã có; hãy chọn mã khác."), "code")


def _clean_texts(values: dict, course: Course | None) -> dict:
    cleaned: dict = {}
    if course is None or "code" in values:
        cleaned["code"] = _text(values.get("code"), "code", required=True)
        _code_free(cleaned["code"], course.id if course else None)
    if course is None or "title" in values:
        cleaned["title"] = _text(values.get("title"), "title", required=True)
    for field in ("description", "place"):
        if field in values:
            cleaned[field] = _text(values[field], field)
    if "kind" in values or course is None:
        kind = values.get("kind") or "other"
        if kind not in COURSE_KINDS:
            raise ServiceError(_("Loại khóa học không hợp lệ."), "kind")
        cleaned["kind"] = kind
    return cleaned


def _clean_rules(values: dict, course: Course | None) -> dict:
    """Award, capacity, threshold, approval and the registration dates."""
    cleaned: dict = {}
    if "awards_ladder" in values or "awards_level" in values:
        ladder, level = _award(values.get("awards_ladder"), values.get("awards_level"))
        cleaned.update(awards_ladder=ladder, awards_level=level)
    if "capacity" in values or course is None:
        cleaned["capacity"] = _whole(values.get("capacity", 30), "capacity", 0, MAX_CAPACITY)
    if "completion_threshold" in values or course is None:
        threshold = values.get("completion_threshold")
        if threshold in (None, ""):
            threshold = DEFAULT_THRESHOLD
        cleaned["completion_threshold"] = _whole(threshold, "completion_threshold", 1, 100)
    if "requires_approval" in values:
        cleaned["requires_approval"] = bool(values["requires_approval"])
    for field in ("registration_opens_on", "registration_closes_on"):
        if field in values:
            cleaned[field] = values[field]
    _dates(
        cleaned.get("registration_opens_on", getattr(course, "registration_opens_on", None)),
        cleaned.get("registration_closes_on", getattr(course, "registration_closes_on", None)),
    )
    return cleaned


def _clean_audience(values: dict) -> dict:
    cleaned: dict = {}
    if "women_only" in values:
        cleaned["women_only"] = bool(values["women_only"])
    if "audience_plan_levels" in values:
        cleaned["audience_plan_levels"] = _codes_list(
            values["audience_plan_levels"], codes(PLAN_LEVELS), "audience_plan_levels"
        )
    if "audience_position_ranks" in values:
        cleaned["audience_position_ranks"] = _codes_list(
            values["audience_position_ranks"], codes(POSITION_RANKS), "audience_position_ranks"
        )
    return cleaned


def _clean(actor, values: dict, course: Course | None) -> dict:
    """The stored form of a course's fields, each refused with a field-level reason."""
    cleaned = {
        **_clean_texts(values, course),
        **_clean_rules(values, course),
        **_clean_audience(values),
    }
    if "organizer_id" in values or course is None:
        organizer_id = values.get("organizer_id")
        if organizer_id is None and course is None:
            organizer_id = _default_organizer_id(actor)
        cleaned["organizer_id"] = _organizer(actor, organizer_id).id
    return cleaned


def _audit(actor, action: str, course: Course, changes: dict) -> None:
    audit.record(actor, action, course, changes)


# --- courses ---------------------------------------------------------------------------------


def create_course(actor, **values) -> Course:
    """Create a course (DESIGN §4 defaults: organizer the creator's unit, audience everyone,
    kind other, no trainer, status draft). Refused field by field, nothing written."""
    status = values.get("status") or "draft"
    if status not in CREATION_STATUSES:
        raise ServiceError(
            _("Khóa học mới chỉ có thể ở trạng thái nháp, mở hoặc đóng đăng ký."), "status"
        )
    cleaned = _clean(actor, values, None)
    for field in ("requires_approval", "women_only"):
        cleaned.setdefault(field, False)
    cleaned.setdefault("audience_plan_levels", [])
    cleaned.setdefault("audience_position_ranks", [])
    trainers = _trainers(values.get("trainer_ids"))
    audience = _audience_organizations(values.get("audience_organization_ids"))
    course = Course(
        **cleaned,
        status=status,
        title_folded=fold(f"{cleaned['code']} {cleaned['title']}"),
        created_by_id=getattr(actor, "id", None),
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    course.trainers = trainers
    course.audience_organizations = audience
    db.session.add(course)
    db.session.flush()
    _audit(actor, "course.create", course, audit.snapshot(course, COURSE_FIELDS))
    return course


def update_course(course: Course, actor, expected_version: int | None = None, **values) -> Course:
    """Edit a course under its lock. The capacity never falls below the seats held; raising it
    promotes the waitlisted at once (signal `capacity_raised`). The status moves only as
    app.domain.enrolment.status_change_refusal allows; cancelling goes through cancel_course."""
    course = lock_course(course.id)
    versions.check_version(course, expected_version)
    if course.status in ("finished", "cancelled"):
        raise ServiceError(refusal_message(f"course_{course.status}"), "status")
    before = audit.snapshot(course, COURSE_FIELDS)
    cleaned = _clean(actor, values, course)
    new_status = values.get("status") or course.status
    if new_status not in COURSE_STATUSES:
        raise ServiceError(_("Trạng thái không hợp lệ."), "status")
    if new_status == "cancelled":
        raise ServiceError(_("Hãy dùng nút “Hủy khóa học” để hủy."), "status")
    held = course.confirmed_count + course.waitlist_count + course.pending_count
    refusal = rules.status_change_refusal(course.status, new_status, held)
    if refusal:
        raise ServiceError(refusal_message(refusal), "status")
    if "capacity" in cleaned:
        refusal = rules.capacity_refusal(cleaned["capacity"], course.confirmed_count)
        if refusal:
            raise ServiceError(
                refusal_message(refusal, confirmed=course.confirmed_count), "capacity"
            )
    raised = cleaned.get("capacity", course.capacity) > course.capacity
    for name, value in cleaned.items():
        setattr(course, name, value)
    course.status = new_status
    if "trainer_ids" in values:
        course.trainers = _trainers(values["trainer_ids"])
    if "audience_organization_ids" in values:
        course.audience_organizations = _audience_organizations(values["audience_organization_ids"])
    course.title_folded = fold(f"{course.code} {course.title}")
    changes = audit.changes_between(before, audit.snapshot(course, COURSE_FIELDS))
    if changes or "trainer_ids" in values or "audience_organization_ids" in values:
        course.version += 1
        course.updated_at = utcnow()
        db.session.flush()
        _audit(actor, "course.update", course, changes)
    if raised:
        signals.capacity_raised.send(course, actor=actor)
    return course


def cancel_course(course: Course, actor, expected_version: int | None = None) -> Course:
    """Cancel a course that has not finished: it leaves the catalogue, its enrolled are told
    (signal `course_cancelled`; enrolment notifies, childcare voids its requests)."""
    course = lock_course(course.id)
    versions.check_version(course, expected_version)
    if course.status in ("finished", "cancelled"):
        raise ServiceError(refusal_message(f"course_{course.status}"), "status")
    before = course.status
    course.status = "cancelled"
    course.version += 1
    course.updated_at = utcnow()
    db.session.flush()
    _audit(actor, "course.cancel", course, {"status": [before, "cancelled"]})
    signals.course_cancelled.send(course, actor=actor)
    return course


def copy_code(code: str) -> str:
    """A free code for a copy of the course `code`: "CODE-2", "CODE-3", …"""
    base = code[: TEXT_LIMITS["code"] - 4]
    number = 2
    while find_course_by_code(f"{base}-{number}") is not None:
        number += 1
    return f"{base}-{number}"


def copy_course(course: Course, actor) -> Course:
    """A new draft with the course's description, award, audience, capacity, rules and
    trainers, and a free code; no sessions (a new edition has its own dates) and no one
    enrolled. Its organizer stays when in the actor's scope, else the actor's unit."""
    organizer_id = course.organizer_id
    if actor is not None and not organization_in_scope(actor, course.organizer):
        organizer_id = actor.organization_id
    return create_course(
        actor,
        code=copy_code(course.code),
        title=course.title,
        description=course.description,
        kind=course.kind,
        awards_ladder=course.awards_ladder,
        awards_level=course.awards_level,
        organizer_id=organizer_id,
        place=course.place,
        capacity=course.capacity,
        requires_approval=course.requires_approval,
        completion_threshold=course.completion_threshold,
        audience_plan_levels=list(course.audience_plan_levels or []),
        audience_position_ranks=list(course.audience_position_ranks or []),
        women_only=course.women_only,
        trainer_ids=[t.id for t in course.trainers],
        audience_organization_ids=[o.id for o in course.audience_organizations],
        status="draft",
    )


# --- sessions ----------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, date | time):
        return value.isoformat(timespec="minutes") if isinstance(value, time) else value.isoformat()
    return value


def _session_values(course: Course, values: dict, session: CourseSession | None) -> dict:
    cleaned = {}
    for field in ("day", "starts_at", "ends_at"):
        if field in values:
            if values[field] is None:
                raise ServiceError(_("Trường này không được để trống."), field)
            cleaned[field] = values[field]
        elif session is None:
            raise ServiceError(_("Trường này không được để trống."), field)
    for field in ("place", "topic"):
        if field in values:
            cleaned[field] = _text(values[field], field)
    if "trainer_id" in values:
        trainer_id = values["trainer_id"]
        cleaned["trainer_id"] = _trainers([trainer_id])[0].id if trainer_id else None
    starts = cleaned.get("starts_at", session.starts_at if session else None)
    ends = cleaned.get("ends_at", session.ends_at if session else None)
    if starts is not None and ends is not None and ends <= starts:
        raise ServiceError(_("Giờ kết thúc phải sau giờ bắt đầu."), "ends_at")
    if session is None and "place" not in cleaned:
        cleaned["place"] = course.place
    return cleaned


def _editable(course: Course) -> None:
    if course.status in ("finished", "cancelled"):
        raise ServiceError(refusal_message(f"course_{course.status}"))


def refresh_days(course: Course) -> None:
    """Keep the course's first and last day (its non-cancelled sessions, DOMAIN §7)."""
    first, last = db.session.execute(
        select(func.min(CourseSession.day), func.max(CourseSession.day)).where(
            CourseSession.course_id == course.id, CourseSession.status == "scheduled"
        )
    ).one()
    course.first_day, course.last_day = first, last


def _history(session: CourseSession, action: str, changes: dict, actor) -> None:
    db.session.add(
        SessionChange(
            session_id=session.id,
            revision=session.revision,
            action=action,
            changes=changes,
            user_id=getattr(actor, "id", None),
            changed_at=session.updated_at,
        )
    )


def add_session(course: Course, actor, **values) -> CourseSession:
    """Add a session (date, start and end in Asia/Ho_Chi_Minh, place, topic, trainer)."""
    course = lock_course(course.id)
    _editable(course)
    cleaned = _session_values(course, values, None)
    now = utcnow()
    session = CourseSession(
        course_id=course.id, revision=0, created_at=now, updated_at=now, **cleaned
    )
    db.session.add(session)
    db.session.flush()
    changes = {k: [None, _plain(v)] for k, v in cleaned.items() if v is not None}
    _history(session, "created", changes, actor)
    refresh_days(course)
    audit.record(actor, "session.create", session, changes)
    db.session.flush()
    signals.session_changed.send(session, action="added", changes=changes, actor=actor)
    return session


def reschedule_session(session: CourseSession, actor, **values) -> CourseSession:
    """Change a session's date, times, place, topic or trainer: its revision rises, its history
    keeps the change, and the enrolled are told (signal `session_changed`)."""
    course = lock_course(session.course_id)
    _editable(course)
    if session.cancelled:
        raise ServiceError(_("Buổi học này đã bị hủy."))
    cleaned = _session_values(course, values, session)
    changes = {
        field: [_plain(getattr(session, field)), _plain(value)]
        for field, value in cleaned.items()
        if getattr(session, field) != value
    }
    if not changes:
        return session
    for field, value in cleaned.items():
        setattr(session, field, value)
    session.revision += 1
    session.updated_at = utcnow()
    db.session.flush()
    _history(session, "rescheduled", changes, actor)
    refresh_days(course)
    audit.record(actor, "session.reschedule", session, changes)
    db.session.flush()
    signals.session_changed.send(session, action="rescheduled", changes=changes, actor=actor)
    return session


def cancel_session(session: CourseSession, actor) -> CourseSession:
    """Cancel a session: it stays (the calendars show it cancelled), its revision rises, it no
    longer counts among the course's days."""
    course = lock_course(session.course_id)
    _editable(course)
    if session.cancelled:
        return session
    session.status = "cancelled"
    session.revision += 1
    session.updated_at = utcnow()
    db.session.flush()
    changes = {"status": ["scheduled", "cancelled"]}
    _history(session, "cancelled", changes, actor)
    refresh_days(course)
    audit.record(actor, "session.cancel", session, changes)
    db.session.flush()
    signals.session_changed.send(session, action="cancelled", changes=changes, actor=actor)
    return session
