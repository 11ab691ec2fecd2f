"""What an official is told about her enrolments and her courses' sessions (issue 12): the
words of each notification kind, and who is told what. Emails follow the notification centre
(app.notifications)."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..courses import signals as course_signals
from ..extensions import db
from ..i18n import format_date
from ..notifications import kinds
from ..notifications.services import notify, path_for
from .models import Enrolment

CONFIRMED = "enrolment.confirmed"
WAITLISTED = "enrolment.waitlisted"
PENDING = "enrolment.pending"
PROMOTED = "enrolment.promoted"
REJECTED = "enrolment.rejected"
CANCELLED = "enrolment.cancelled"
SESSION_RESCHEDULED = "course.session_rescheduled"
SESSION_CANCELLED = "course.session_cancelled"
COURSE_CANCELLED = "course.cancelled"
# Enrolments still in play: the people told when a session or the course changes.
TOLD_OF_CHANGES = ("confirmed", "pending", "waitlisted")


def _course(params: dict) -> str:
    return params.get("course", "")


def _words() -> dict:
    return {
        CONFIRMED: lambda p: _("Bạn đã có chỗ trong khóa học “%(course)s”.", course=_course(p)),
        WAITLISTED: lambda p: _(
            "Khóa học “%(course)s” đã đủ chỗ: bạn ở vị trí %(position)s trong danh sách chờ. "
            "Khi có chỗ trống, bạn được xác nhận ngay.",
            course=_course(p),
            position=p.get("position", "?"),
        ),
        PENDING: lambda p: _(
            "Đăng ký khóa học “%(course)s” của bạn đang chờ duyệt.", course=_course(p)
        ),
        PROMOTED: lambda p: _(
            "Đã có chỗ trống: bạn được xác nhận vào khóa học “%(course)s”.", course=_course(p)
        ),
        REJECTED: lambda p: _(
            "Đăng ký khóa học “%(course)s” của bạn bị từ chối. Lý do: %(reason)s.",
            course=_course(p),
            reason=(p.get("reason") or "—").rstrip(". "),
        ),
        CANCELLED: lambda p: _(
            "Đăng ký khóa học “%(course)s” của bạn đã bị hủy. Lý do: %(reason)s.",
            course=_course(p),
            reason=(p.get("reason") or _("không nêu")).rstrip(". "),
        ),
        SESSION_RESCHEDULED: lambda p: _(
            "Buổi học ngày %(day)s của khóa “%(course)s” đã thay đổi: %(what)s.",
            course=_course(p),
            day=format_date_text(p.get("day")),
            what=_what_changed(p.get("changes") or {}),
        ),
        SESSION_CANCELLED: lambda p: _(
            "Buổi học ngày %(day)s của khóa “%(course)s” đã bị hủy.",
            course=_course(p),
            day=format_date_text(p.get("day")),
        ),
        COURSE_CANCELLED: lambda p: _("Khóa học “%(course)s” đã bị hủy.", course=_course(p)),
    }


def format_date_text(iso: str | None) -> str:
    from datetime import date

    try:
        return format_date(date.fromisoformat(iso)) if iso else ""
    except ValueError:
        return iso or ""


for _kind, _words_of in _words().items():
    kinds.register(_kind, _words_of)

# What each use-case's outcome tells her (None: nothing, she did it herself).
_BY_STATUS = {"confirmed": CONFIRMED, "waitlisted": WAITLISTED, "pending": PENDING}


def _kind_of(enrolment: Enrolment, action: str, actor) -> str | None:
    own = actor is not None and getattr(actor, "official_id", None) == enrolment.official_id
    if action == "enrolment.promote":
        return PROMOTED
    if action == "enrolment.rejected":
        return REJECTED
    if action == "enrolment.cancelled":
        return None if own else CANCELLED
    return _BY_STATUS.get(enrolment.status)


def _user_ids(official_ids) -> dict[int, int]:
    rows = db.session.execute(
        select(User.official_id, User.id).where(User.official_id.in_(list(official_ids)))
    )
    return dict(rows.all())


def tell(enrolment: Enrolment, course, action: str, actor) -> None:
    """Notify her of what `action` did to her enrolment (when she has an account)."""
    kind = _kind_of(enrolment, action, actor)
    if kind is None:
        return
    user_id = _user_ids([enrolment.official_id]).get(enrolment.official_id)
    if user_id is None:
        return
    notify(
        user_id,
        kind,
        {
            "course": course.title,
            "course_id": course.id,
            "position": enrolment.waitlist_position,
            "reason": enrolment.reason,
        },
        object_type="enrolment",
        object_id=enrolment.id,
        link=path_for("courses.view", course_id=course.id),
    )


def _tell_enrolled(course, kind: str, params: dict) -> None:
    official_ids = db.session.scalars(
        select(Enrolment.official_id).where(
            Enrolment.course_id == course.id, Enrolment.status.in_(TOLD_OF_CHANGES)
        )
    ).all()
    link = path_for("courses.view", course_id=course.id)
    for user_id in _user_ids(official_ids).values():
        notify(
            user_id,
            kind,
            {"course": course.title, "course_id": course.id, **params},
            object_type="course",
            object_id=course.id,
            link=link,
        )


def _what_changed(changes: dict) -> str:
    parts = []
    if "day" in changes:
        parts.append(_("ngày %(day)s", day=format_date_text(changes["day"][1])))
    if "starts_at" in changes or "ends_at" in changes:
        parts.append(_("giờ học"))
    if "place" in changes:
        parts.append(_("địa điểm %(place)s", place=changes["place"][1] or "—"))
    if "topic" in changes or "trainer_id" in changes:
        parts.append(_("nội dung hoặc giảng viên"))
    return ", ".join(parts) or _("thông tin buổi học")


@course_signals.session_changed.connect
def _session_changed(session, action: str, changes: dict, actor=None, **_extra) -> None:
    if action not in ("rescheduled", "cancelled"):
        return  # a new session is on the course page; nothing of hers changed
    course = session.course
    if action == "cancelled":
        _tell_enrolled(course, SESSION_CANCELLED, {"day": session.day.isoformat()})
        return
    # The words are made when read, in her language: keep the facts (the day she knew it by,
    # and what changed, JSON-safe already).
    day = changes.get("day", [session.day.isoformat()])[0] or session.day.isoformat()
    _tell_enrolled(course, SESSION_RESCHEDULED, {"day": day, "changes": changes})


@course_signals.course_cancelled.connect
def _course_cancelled(course, actor=None, **_extra) -> None:
    _tell_enrolled(course, COURSE_CANCELLED, {})
