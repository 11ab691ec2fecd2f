"""The trainer's pages (issue 13): a session's register, "today's sessions", the course's grid
and its .xlsx export; and what attendance adds to other features' pages (the course page's
panel, her certificates on her record, the results on "my courses"). Everything is read and
written through app.attendance.services."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..courses import panels as course_panels
from ..courses.models import CourseSession
from ..courses.routes import course_or_404
from ..domain import completion as rules
from ..enrolment import results as enrolment_results
from ..enrolment.exports import XLSX_TYPE, safe_name
from ..extensions import db
from ..i18n import code_labels, format_date
from ..i18n import today as local_today
from ..officials import panels as official_panels
from ..permissions import can, ensure, require
from ..routing import to_id
from ..validation import ServiceError
from . import bp, exports, services
from .messages import refusal_message
from .rules import records

STATUS_CODES = tuple(level.code for level in rules.ATTENDANCE_STATUSES)


def session_or_404(session_id: int) -> CourseSession:
    """The session with its course: 404 when unknown, 403 for whoever may not read its
    register (only the course's trainers and the HR managing it)."""
    session = db.session.get(CourseSession, session_id, options=[joinedload(CourseSession.course)])
    if session is None:
        abort(404)
    ensure(current_user, "attendance.view", session)
    return session


def _refusal(session: CourseSession) -> str | None:
    """Why this session's attendance may not be recorded today (a sentence), or None."""
    code = rules.record_refusal(
        session.course.status, services.session_fact(session), local_today()
    )
    if code is None:
        return None
    return refusal_message(code, day=format_date(session.day))


def who(users: dict[int, User], user_id: int | None) -> str:
    user = users.get(user_id) if user_id is not None else None
    if user is None:
        return _("hệ thống")
    return user.official.full_name if user.official else user.username


def _users(ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_(ids)).options(joinedload(User.official))
        )
    }


# --- the register of one session -----------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    """What the form sent for one line (kept when the save is refused)."""

    status: str
    note: str


def _posted_lines() -> dict[int, Posted]:
    lines: dict[int, Posted] = {}
    for raw in request.form.getlist("enrolment_id"):
        enrolment_id = to_id(raw)
        if enrolment_id is None:
            raise ServiceError(
                refusal_message("other_course", id=raw[:20]), "enrolment_id", "other_course"
            )
        lines[enrolment_id] = Posted(
            (request.form.get(f"status-{enrolment_id}") or "").strip(),
            (request.form.get(f"note-{enrolment_id}") or "").strip(),
        )
    return lines


def _save(session: CourseSession, lines: dict[int, Posted], all_present: bool) -> int:
    """Write the register in one service call; return how many lines changed."""
    if all_present:
        exceptions = {
            key: (line.status or "present", line.note or None)
            for key, line in lines.items()
            if (line.status and line.status != "present") or line.note
        }
        before = _stored(session)
        written = services.mark_all_present(session, current_user, exceptions)
    else:
        missing = [key for key, line in lines.items() if line.note and not line.status]
        if missing:
            raise ServiceError(_("Hãy chọn trạng thái cho người có ghi chú."), "status")
        entries = [
            services.Entry(key, line.status, line.note or None)
            for key, line in lines.items()
            if line.status
        ]
        if not entries:
            raise ServiceError(_("Chưa chọn trạng thái điểm danh nào."), "status")
        before = _stored(session)
        written = services.record_attendance(session, entries, current_user)
    return sum(1 for a in written if before.get(a.enrolment_id) != (a.status, a.note))


def _stored(session: CourseSession) -> dict[int, tuple]:
    return {
        line.enrolment.id: (line.attendance.status, line.attendance.note)
        for line in services.register_sheet(session)
        if line.attendance is not None
    }


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def register_session(session_id: int):
    session = session_or_404(session_id)
    posted: dict[int, Posted] = {}
    status = 200
    if request.method == "POST":
        ensure(current_user, "attendance.record", session)
        try:
            posted = _posted_lines()
            changed = _save(session, posted, bool(request.form.get("all_present")))
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "danger")
            status = 422
            session = session_or_404(session_id)
        else:
            db.session.commit()
            if changed:
                flash(
                    _("Đã lưu điểm danh: %(n)d thay đổi.", n=changed),
                    "success",
                )
            else:
                flash(_("Điểm danh không có gì thay đổi."), "info")
            return redirect(url_for("attendance.register_session", session_id=session_id))
    return render_template(**_register_page(session, posted)), status


def _register_page(session: CourseSession, posted: dict[int, Posted]) -> dict:
    lines = services.register_sheet(session)
    history = services.attendance_history(session)
    corrected: dict[int, int] = {}
    for change in history:
        if change.old_status is not None:
            corrected[change.attendance_id] = corrected.get(change.attendance_id, 0) + 1
    recorded = [line.attendance for line in lines if line.attendance is not None]
    users = _users(a.recorded_by_id for a in recorded)
    latest = max(recorded, key=lambda a: a.recorded_at, default=None)
    course = session.course
    siblings = list(
        db.session.scalars(
            select(CourseSession)
            .where(CourseSession.course_id == course.id)
            .order_by(CourseSession.day, CourseSession.starts_at, CourseSession.id)
        )
    )
    position = next(i for i, s in enumerate(siblings) if s.id == session.id)
    return {
        "template_name_or_list": "attendance/register.html",
        "session": session,
        "course": course,
        "lines": lines,
        "posted": posted,
        "refusal": _refusal(session),
        "statuses": STATUS_CODES,
        "labels": code_labels("attendance_status"),
        "corrected": corrected,
        "history": history,
        "users": users,
        "latest": latest,
        "who": who,
        "previous": siblings[position - 1] if position > 0 else None,
        "following": siblings[position + 1] if position + 1 < len(siblings) else None,
        "number": position + 1,
        "total": len(siblings),
        "today": local_today(),
    }


# --- today's sessions ----------------------------------------------------------------------


def today_data(user) -> dict:
    """Today's sessions of the courses the user teaches (with how many are recorded), the next
    ones and the courses: for /teaching/today and the home page."""
    on = local_today()
    today = services.sessions_taught_on(user, on)
    return {
        "today": on,
        "sessions": today,
        "recorded": services.recorded_counts(s.id for s in today),
        "upcoming": services.upcoming_sessions_taught(user, on),
    }


@bp.get("/teaching/today")
@require("courses.teach")
def today():
    data = today_data(current_user)
    data["courses"], data["past_courses"] = services.courses_taught(current_user)
    return render_template("attendance/today.html", **data)


# --- the course's grid ---------------------------------------------------------------------


def _grid_course(course_id: int):
    course = course_or_404(course_id)
    ensure(current_user, "attendance.view", course)
    return course


@bp.get("/courses/<int:course_id>/attendance")
@login_required
def grid(course_id: int):
    course = _grid_course(course_id)
    return render_template(
        "attendance/grid.html",
        course=course,
        grid=services.grid(course),
        labels=code_labels("attendance_status"),
        short=exports.short_labels(),
        today=local_today(),
    )


@bp.get("/courses/<int:course_id>/attendance.xlsx")
@login_required
def grid_export(course_id: int):
    course = _grid_course(course_id)
    content = exports.grid_xlsx(services.grid(course))
    response = Response(content, mimetype=XLSX_TYPE)
    name = safe_name(f"diem-danh-{course.code}.xlsx")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the course page's panel ---------------------------------------------------------------


@course_panels.register("attendance", order=25)
def course_panel(course, user) -> dict | None:
    """For the course's trainers and the HR managing it: each session's register (today's
    first in view), the grid and its export; for that HR, finishing (or why not) and reopening.
    For the official herself: her attendance and, once finished, her result and certificate."""
    staff = _staff_part(course, user) if records(user, course) else None
    own = _own_part(course, user)
    if staff is None and own is None:
        return None
    return {"staff": staff, "own": own}


def _staff_part(course, user) -> dict:
    on = local_today()
    facts = [services.session_fact(s) for s in course.sessions]
    part = {
        "sessions": course.sessions,
        "today": on,
        "finish": can(user, "courses.finish", course),
        "finish_refusal": None,
        "finished": course.status == "finished",
    }
    if part["finish"] and course.status != "finished":
        code = rules.finish_refusal(course.status, facts, on)
        if code is not None:
            last = rules.last_day(facts)
            part["finish_refusal"] = refusal_message(code, day=format_date(last) if last else "")
    return part


def _own_part(course, user) -> dict | None:
    official_id = getattr(user, "official_id", None)
    if official_id is None:
        return None
    mine = next(
        (o for o in services.own_attendance(official_id) if o.enrolment.course_id == course.id),
        None,
    )
    if mine is None:
        return None
    certificate = next(
        (
            c
            for c in services.certificates_of_official(official_id)
            if c.course_id == course.id and c.valid
        ),
        None,
    )
    return {
        "attendance": mine,
        "labels": code_labels("attendance_status"),
        "certificate": certificate,
        "threshold": course.completion_threshold,
    }


# --- her certificates (her record, HR's page of her) ---------------------------------------


@official_panels.register("certificates")
def certificates_panel(official, own: bool = False) -> dict | None:
    certificates = services.certificates_of_official(official.id)
    if not certificates:
        return None
    return {"certificates": certificates, "own": own}


# --- results on "my courses" ---------------------------------------------------------------


@enrolment_results.register
def course_results(official_id: int, enrolments) -> dict[int, dict]:
    """{enrolment id: {rate, certificate_url}} of her assessed (past) courses."""
    wanted = {e.id for e in enrolments if e.status in ("completed", "not_completed")}
    if not wanted:
        return {}
    rates = {
        o.enrolment.id: o.rate_percent
        for o in services.own_attendance(official_id)
        if o.enrolment.id in wanted
    }
    certificates = {
        c.enrolment_id: c
        for c in services.certificates_of_official(official_id)
        if c.valid and c.enrolment_id in wanted
    }
    pdf = "attendance.certificate_pdf"
    return {
        key: {
            "rate": rates.get(key),
            "certificate_url": url_for(pdf, number=certificates[key].number)
            if key in certificates
            else None,
        }
        for key in wanted
    }
