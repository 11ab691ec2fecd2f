"""HR's course management (issue 12): the courses it manages, create / edit / cancel / copy a
course, its sessions (add, reschedule with their history, cancel)."""

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from ..audit.history import explain_stale, refusal_text
from ..auth.models import User, UserRole
from ..extensions import db
from ..i18n import code_labels, format_date
from ..i18n import today as local_today
from ..navigation import register_count
from ..officials.models import Official, Organization
from ..officials.queries import organization_options
from ..permissions import EVERYTHING, TRAINER, can, ensure, require, scope_prefix
from ..validation import ServiceError, StaleVersion, apply_to_form
from . import bp, panels, services
from .forms import ConfirmForm, CourseForm, SessionEditForm, SessionForm, award_value
from .models import COURSE_STATUSES, Course, CourseSession, SessionChange
from .routes import course_or_404

AWARD_FIELDS = ("awards_ladder", "awards_level")
SESSION_FIELD_LABELS = {
    "day": _l("Ngày"),
    "starts_at": _l("Bắt đầu"),
    "ends_at": _l("Kết thúc"),
    "place": _l("Địa điểm"),
    "topic": _l("Chủ đề"),
    "trainer_id": _l("Giảng viên"),
    "status": _l("Trạng thái"),
}


# --- the menu's figure ------------------------------------------------------------------------


@register_count("courses.manage")
def pending_requests_count(user):
    """The registrations waiting for approval in the running courses the HR manages (the
    course's counter, kept under its lock): the figure beside "Quản lý khóa học"."""
    prefix = scope_prefix(user)
    if prefix is None or not can(user, "courses.manage"):
        return None
    stmt = (
        select(func.coalesce(func.sum(Course.pending_count), 0))
        .select_from(Course)
        .where(Course.status.in_(("open", "registration_closed")))
    )
    if prefix != EVERYTHING:
        stmt = stmt.join(Organization, Organization.id == Course.organizer_id).where(
            Organization.path.startswith(prefix)
        )
    return stmt


# --- loading and choices ---------------------------------------------------------------------


def managed_course_or_404(course_id: int) -> Course:
    course = course_or_404(course_id)
    ensure(current_user, "courses.manage", course)
    return course


def session_or_404(session_id: int) -> CourseSession:
    session = db.session.get(CourseSession, session_id)
    if session is None:
        abort(404)
    managed_course_or_404(session.course_id)
    return session


def trainer_options() -> list[tuple[int, str]]:
    """(user id, name) of the active accounts with the trainer role: the linked official's
    name when there is one, else the user name. One statement."""
    rows = db.session.execute(
        select(User.id, User.username, Official.full_name)
        .join(UserRole, UserRole.user_id == User.id)
        .outerjoin(Official, Official.id == User.official_id)
        .where(UserRole.role == TRAINER, User.active.is_(True))
        .order_by(func.coalesce(Official.sort_key, User.username))
    ).all()
    return [(row.id, row.full_name or row.username) for row in rows]


def _with(options: list[tuple], kept: list) -> list[tuple]:
    """`options` plus the kept objects not among them (a course keeps what it has)."""
    known = {value for value, _label in options}
    return [
        *((o.id, getattr(o, "name", None) or str(o)) for o in kept if o.id not in known),
        *options,
    ]


def _fill_choices(form: CourseForm, course: Course | None) -> None:
    scope = scope_prefix(current_user)
    options = organization_options(scope, open_on=local_today())
    organizers = _with(options, [course.organizer] if course else [])
    form.organizer_id.choices = [("", _("— Chọn đơn vị —")), *organizers]
    form.audience_organization_ids.choices = _with(
        options, list(course.audience_organizations) if course else []
    )
    trainers = trainer_options()
    if course is not None:
        trainers = _with(trainers, [t for t in course.trainers])
    form.trainer_ids.choices = trainers


def _show(error: ServiceError, form) -> None:
    """Undo what the use-case wrote, and show why at the field (the award's two parts at the
    award's select)."""
    db.session.rollback()
    if isinstance(error, StaleVersion):
        explain_stale(error, form)
        return
    if error.field in AWARD_FIELDS:
        error.field = "award"
    apply_to_form(error, form)


# --- the list ------------------------------------------------------------------------------


def managed_courses(user, status: str | None = None, year: int | None = None) -> list[Course]:
    """The courses `user` manages (unit HR: organised in its subtree; province HR: all), newest
    first, with their organizer. One statement."""
    scope = scope_prefix(user)
    stmt = (
        select(Course)
        .join(Organization, Organization.id == Course.organizer_id)
        .options(contains_eager(Course.organizer))
    )
    if scope is None:
        return []
    if scope != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(scope))
    if status:
        stmt = stmt.where(Course.status == status)
    if year:
        when = func.coalesce(Course.first_day, Course.registration_opens_on)
        stmt = stmt.where(when >= date(year, 1, 1), when <= date(year, 12, 31))
    order = func.coalesce(Course.first_day, Course.registration_opens_on)
    return list(db.session.scalars(stmt.order_by(order.desc().nulls_first(), Course.id.desc())))


@bp.get("/manage", endpoint="manage")
@require("courses.manage")
def manage_list():
    status = request.args.get("status") or None
    if status not in COURSE_STATUSES:
        status = None
    year = request.args.get("year", type=int)
    if year is not None and not 1900 <= year <= 2100:
        year = None
    this_year = local_today().year
    return render_template(
        "courses/manage.html",
        courses=managed_courses(current_user, status, year),
        status=status,
        year=year,
        years=list(range(this_year + 1, 2015, -1)),
        statuses=code_labels("course_status"),
    )


# --- a course ------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"], endpoint="create")
@require("courses.create")
def create():
    form = CourseForm(creating=True)
    _fill_choices(form, None)
    if request.method == "GET" and current_user.organization_id:
        form.organizer_id.data = current_user.organization_id
    if form.validate_on_submit():
        try:
            course = services.create_course(current_user, **form.course_values())
        except ServiceError as error:
            _show(error, form)
        else:
            db.session.commit()
            flash(_("Đã tạo khóa học %(code)s.", code=course.code), "success")
            return redirect(url_for(".sessions", course_id=course.id))
    return render_template("courses/form.html", form=form, course=None)


@bp.route("/<int:course_id>/edit", methods=["GET", "POST"], endpoint="edit")
@require("courses.manage")
def edit(course_id: int):
    course = managed_course_or_404(course_id)
    form = CourseForm(obj=course, creating=False)
    form.status.choices = [c for c in form.status.choices if c[0] != "cancelled"]
    _fill_choices(form, course)
    if not form.is_submitted():
        form.award.data = award_value(course.awards_ladder, course.awards_level)
        form.audience_organization_ids.data = [o.id for o in course.audience_organizations]
        form.trainer_ids.data = [t.id for t in course.trainers]
    if form.validate_on_submit():
        try:
            services.update_course(
                course, current_user, expected_version=form.version.data, **form.course_values()
            )
        except ServiceError as error:
            _show(error, form)
        else:
            db.session.commit()
            flash(_("Đã lưu khóa học %(code)s.", code=course.code), "success")
            return redirect(url_for(".view", course_id=course.id))
    return render_template("courses/form.html", form=form, course=course)


@bp.post("/<int:course_id>/cancel", endpoint="cancel")
@require("courses.manage")
def cancel(course_id: int):
    """Cancel a course: a first POST shows what it does and asks to confirm; the second
    (confirm=1) cancels it."""
    course = managed_course_or_404(course_id)
    form = ConfirmForm()
    if not form.validate_on_submit() or request.form.get("confirm") != "1":
        return render_template(
            "courses/cancel.html", course=course, form=ConfirmForm(formdata=None)
        )
    expected = request.form.get("version", type=int)
    try:
        services.cancel_course(course, current_user, expected_version=expected)
    except ServiceError as error:
        db.session.rollback()
        flash(_("Chưa hủy được khóa học: %(why)s", why=refusal_text(error)), "danger")
    else:
        db.session.commit()
        flash(
            _("Đã hủy khóa học %(code)s; học viên đã được thông báo.", code=course.code), "success"
        )
    return redirect(url_for(".view", course_id=course_id))


@bp.post("/<int:course_id>/copy", endpoint="copy")
@require("courses.manage")
def copy(course_id: int):
    course = managed_course_or_404(course_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        new = services.copy_course(course, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(_("Chưa sao chép được khóa học: %(why)s", why=error.message), "danger")
        return redirect(url_for(".view", course_id=course_id))
    db.session.commit()
    flash(
        _("Đã tạo bản nháp %(code)s từ khóa học %(old)s.", code=new.code, old=course.code),
        "success",
    )
    return redirect(url_for(".edit", course_id=new.id))


# --- sessions ------------------------------------------------------------------------------


def _session_trainers(course: Course, keep: CourseSession | None = None) -> list[tuple]:
    """The course's trainers first, then every other trainer."""
    own = [(t.id, t.username) for t in course.trainers]
    names = dict(trainer_options())
    own = [(user_id, names.get(user_id, name)) for user_id, name in own]
    others = [(user_id, name) for user_id, name in names.items() if user_id not in dict(own)]
    options = [("", _("— Không ghi —")), *own, *others]
    if keep is not None and keep.trainer_id and keep.trainer_id not in names:
        options.append((keep.trainer_id, keep.trainer.username))
    return options


@bp.route("/<int:course_id>/sessions", methods=["GET", "POST"], endpoint="sessions")
@require("courses.manage")
def sessions(course_id: int):
    course = managed_course_or_404(course_id)
    form = SessionForm()
    form.trainer_id.choices = _session_trainers(course)
    form.place.description = _(
        "Để trống: địa điểm của khóa học (%(place)s).", place=course.place or "—"
    )
    if form.validate_on_submit():
        days = form.repeat_days.data or 1
        values = form.session_values()
        if not (values["place"] or "").strip():
            values.pop("place")  # the course's place
        try:
            for offset in range(days):
                services.add_session(
                    course, current_user, **{**values, "day": values["day"] + timedelta(offset)}
                )
        except ServiceError as error:
            _show(error, form)
        else:
            db.session.commit()
            flash(_("Đã thêm %(n)d buổi học.", n=days), "success")
            return redirect(url_for(".sessions", course_id=course.id))
    return render_template(
        "courses/sessions.html",
        course=course,
        form=form,
        trainers=dict(trainer_options()),
    )


def _shown(field: str, value, trainers: dict) -> str:
    if value is None or value == "":
        return "—"
    if field == "day":
        try:
            return format_date(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if field == "trainer_id":
        return trainers.get(value, str(value))
    if field == "status":
        return _("Đã hủy") if value == "cancelled" else _("Theo lịch")
    return str(value)


def session_history(session: CourseSession) -> list[dict]:
    """Each revision of the session, newest first: when, who, what changed (old → new)."""
    changes = list(
        db.session.scalars(
            select(SessionChange)
            .where(SessionChange.session_id == session.id)
            .order_by(SessionChange.revision.desc(), SessionChange.id.desc())
        )
    )
    user_ids = {c.user_id for c in changes if c.user_id}
    for change in changes:
        trainer = (change.changes or {}).get("trainer_id")
        if trainer:
            user_ids.update(v for v in trainer if v)
    names = (
        dict(
            db.session.execute(
                select(User.id, func.coalesce(Official.full_name, User.username))
                .outerjoin(Official, Official.id == User.official_id)
                .where(User.id.in_(user_ids))
            ).all()
        )
        if user_ids
        else {}
    )
    actions = {"created": _("Tạo"), "rescheduled": _("Đổi lịch"), "cancelled": _("Hủy")}
    rows = []
    for change in changes:
        lines = [
            {
                "field": str(SESSION_FIELD_LABELS.get(field, field)),
                "old": _shown(field, pair[0], names),
                "new": _shown(field, pair[1], names),
            }
            for field, pair in (change.changes or {}).items()
        ]
        rows.append(
            {
                "revision": change.revision,
                "action": actions.get(change.action, change.action),
                "action_code": change.action,
                "at": change.changed_at,
                "who": names.get(change.user_id) or _("hệ thống"),
                "lines": lines,
            }
        )
    return rows


@require("courses.manage")
def session_edit(session_id: int):
    session = session_or_404(session_id)
    course = session.course
    form = SessionEditForm(obj=session)
    form.trainer_id.choices = _session_trainers(course, keep=session)
    if form.validate_on_submit():
        try:
            services.reschedule_session(session, current_user, **form.session_values())
        except ServiceError as error:
            _show(error, form)
        else:
            db.session.commit()
            flash(_("Đã lưu buổi học; học viên đã được thông báo."), "success")
            return redirect(url_for(".sessions", course_id=course.id))
    return render_template(
        "courses/session_form.html",
        course=course,
        session=session,
        form=form,
        history=session_history(session),
        cancel_form=ConfirmForm(formdata=None),
    )


@require("courses.manage")
def session_cancel(session_id: int):
    session = session_or_404(session_id)
    course_id = session.course_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.cancel_session(session, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(_("Chưa hủy được buổi học: %(why)s", why=error.message), "danger")
    else:
        db.session.commit()
        flash(_("Đã hủy buổi học; học viên đã được thông báo."), "success")
    return redirect(url_for(".sessions", course_id=course_id))


# Sessions have paths of their own (/sessions/<id>/...), outside the blueprint's /courses prefix.
bp.record_once(
    lambda state: state.app.add_url_rule(
        "/sessions/<int:session_id>/edit",
        "courses.session_edit",
        session_edit,
        methods=["GET", "POST"],
    )
)
bp.record_once(
    lambda state: state.app.add_url_rule(
        "/sessions/<int:session_id>/cancel",
        "courses.session_cancel",
        session_cancel,
        methods=["POST"],
    )
)


# --- the course page's panel ---------------------------------------------------------------


@panels.register("manage", order=20)
def manage_panel(course: Course, user):
    """For those who manage the course: its status and counts, and the ways to its pages."""
    if not can(user, "courses.manage", course):
        return None
    running = course.status not in ("finished", "cancelled")
    return {
        "course": course,
        "running": running,
        "nominate": running and can(user, "enrolments.nominate", course),
        "form": ConfirmForm(formdata=None),
    }
