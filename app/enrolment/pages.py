"""The official's side of enrolment: register herself from the course page, cancel (her own, or
HR who may decide), and "my courses". Thin views: the rules are the services'."""

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from ..courses.models import Course, CourseSession
from ..courses.routes import course_or_404
from ..domain import enrolment as rules
from ..extensions import db
from ..forms import FlaskForm
from ..i18n import today as local_today
from ..officials.models import Official
from ..permissions import ensure, require
from ..redirects import safe_redirect_target
from ..validation import ServiceError
from . import bp, results, services
from .models import Enrolment


class RegisterForm(FlaskForm):
    """The register button: CSRF and where to come back to."""

    next = HiddenField()


class CancelForm(FlaskForm):
    next = HiddenField()
    reason = TextAreaField(
        _l("Lý do (không bắt buộc)"),
        validators=[
            Optional(),
            Length(max=services.REASON_LIMIT, message=_l("Tối đa %(max)d ký tự.")),
        ],
    )


def _back(form, course_id: int):
    target = safe_redirect_target(form.next.data)
    return redirect(target or url_for("courses.view", course_id=course_id))


def _flash_form_errors(form) -> None:
    if "csrf_token" in form.errors:
        flash(_("Phiên làm việc đã hết hạn; hãy thử lại."), "danger")
        return
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "danger")


def outcome_message(enrolment: Enrolment) -> str:
    """What her registration gave, in a sentence."""
    if enrolment.status == "confirmed":
        return _("Bạn đã có chỗ trong khóa học.")
    if enrolment.status == "waitlisted":
        return _(
            "Khóa học đã hết chỗ: bạn ở vị trí %(n)d trong danh sách chờ.",
            n=enrolment.waitlist_position,
        )
    return _("Đăng ký đang chờ duyệt.")


@bp.post("/courses/<int:course_id>/register", endpoint="register")
@login_required
def register(course_id: int):
    course = course_or_404(course_id)
    ensure(current_user, "enrolments.register", course)
    form = RegisterForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(form, course.id)
    official = db.session.get(Official, current_user.official_id)
    if official is None:
        abort(403)
    try:
        enrolment = services.register(course.id, official, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        message = outcome_message(enrolment)
        db.session.commit()
        flash(message, "success" if enrolment.status == "confirmed" else "info")
    return _back(form, course_id)


@bp.post("/enrolments/<int:enrolment_id>/cancel", endpoint="cancel")
@login_required
def cancel(enrolment_id: int):
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        abort(404)
    ensure(current_user, "enrolments.cancel", enrolment)
    course_id = enrolment.course_id
    own = enrolment.official_id == current_user.official_id
    name = enrolment.official.full_name
    form = CancelForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(form, course_id)
    try:
        services.cancel(enrolment, current_user, form.reason.data)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        if own:
            flash(_("Bạn đã hủy đăng ký khóa học."), "info")
        else:
            flash(_("Đã hủy đăng ký của %(name)s.", name=name), "info")
    return _back(form, course_id)


# --- my courses ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyCourse:
    enrolment: Enrolment
    course: Course
    next_session: CourseSession | None


GROUPS = ("current", "waiting", "past")


def _group(enrolment: Enrolment, course: Course, today: date) -> str:
    if enrolment.status in ("pending", "waitlisted") and course.status in (
        rules.RUNNING_COURSE_STATUSES
    ):
        return "waiting"
    if (
        enrolment.status == "confirmed"
        and course.status in rules.RUNNING_COURSE_STATUSES
        and (course.last_day is None or course.last_day >= today)
    ):
        return "current"
    return "past"


def _next_sessions(course_ids, today: date) -> dict[int, CourseSession]:
    """{course id: its next scheduled session from today}, in one statement."""
    if not course_ids:
        return {}
    sessions = db.session.scalars(
        select(CourseSession)
        .where(
            CourseSession.course_id.in_(course_ids),
            CourseSession.status == "scheduled",
            CourseSession.day >= today,
        )
        .order_by(CourseSession.day, CourseSession.starts_at, CourseSession.id)
    )
    first: dict[int, CourseSession] = {}
    for session in sessions:
        first.setdefault(session.course_id, session)
    return first


@bp.get("/my-courses", endpoint="mine")
@require("enrolments.register")
def mine():
    today = local_today()
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.official_id == current_user.official_id)
            .options(joinedload(Enrolment.course).joinedload(Course.organizer))
        )
    )
    upcoming = [e.course_id for e in enrolments if _group(e, e.course, today) == "current"]
    following = _next_sessions(upcoming, today)
    groups: dict[str, list[MyCourse]] = {key: [] for key in GROUPS}
    for enrolment in enrolments:
        course = enrolment.course
        key = _group(enrolment, course, today)
        groups[key].append(MyCourse(enrolment, course, following.get(course.id)))
    far = date.max
    groups["current"].sort(key=lambda m: (m.course.first_day or far, m.course.title))
    groups["waiting"].sort(key=lambda m: (m.course.first_day or far, m.course.title))
    groups["past"].sort(
        key=lambda m: m.course.last_day or m.enrolment.updated_at.date(), reverse=True
    )
    past = [m.enrolment for m in groups["past"]]
    return render_template(
        "enrolment/mine.html",
        groups=groups,
        total=len(enrolments),
        next=request.path,
        results=results.build(current_user.official_id, past),
    )
