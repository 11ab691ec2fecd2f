"""HR's side of enrolment (issue 12): a course's enrolment list (approve, reject, cancel), the
nomination of officials of its scope with a preview of the audience warnings, and the list as
.xlsx. Trainers read the list of the courses they teach."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, select

from ..courses.messages import refusal_message
from ..courses.models import Course
from ..courses.routes import course_or_404
from ..courses.rules import teaches
from ..extensions import db
from ..i18n import code_label
from ..i18n import today as local_today
from ..officials.models import Appointment, Official, Organization
from ..officials.queries import OfficialFilters, filtered, organization_options
from ..permissions import EVERYTHING, can, ensure, require, scope_prefix
from ..routing import to_id
from ..validation import ServiceError
from . import bp, exports, services
from .forms import DecisionForm, NominationSearchForm
from .models import Enrolment

SEARCH_LIMIT = 200
NOMINATION_LIMIT = 500
GROUPS = ("confirmed", "pending", "waitlisted")


@dataclass(frozen=True)
class Row:
    enrolment: Enrolment
    official: Official
    appointment: Appointment | None
    organization: Organization | None


def _may_see_all(user, course: Course) -> bool:
    return can(user, "courses.manage", course) or teaches(user, course)


def enrolment_rows(course: Course, user) -> list[Row]:
    """The course's enrolments the user may see, with each official's primary post and unit:
    all for the HR managing the course and its trainers, the officials of its scope for other
    HR. Confirmed, pending, waitlisted (by position), then the others. One statement."""
    stmt = (
        select(Enrolment, Official, Appointment, Organization)
        .join(Official, Official.id == Enrolment.official_id)
        .outerjoin(
            Appointment, and_(Appointment.official_id == Official.id, Appointment.is_primary)
        )
        .outerjoin(Organization, Organization.id == Appointment.organization_id)
        .where(Enrolment.course_id == course.id)
    )
    if not _may_see_all(user, course):
        scope = scope_prefix(user)
        if scope is None:
            return []
        if scope != EVERYTHING:
            stmt = stmt.where(Organization.path.startswith(scope))
    order = {status: index for index, status in enumerate(services.LIST_ORDER)}
    rows = [Row(*row) for row in db.session.execute(stmt).all()]
    rows.sort(
        key=lambda r: (
            order.get(r.enrolment.status, 99),
            r.enrolment.waitlist_position or 0,
            r.official.sort_key,
        )
    )
    return rows


def _listed_course(course_id: int) -> Course:
    course = course_or_404(course_id)
    ensure(current_user, "enrolments.list", course)
    return course


def _enrolment_or_404(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        abort(404)
    ensure(current_user, "enrolments.decide", enrolment)
    return enrolment


@bp.get("/courses/<int:course_id>/enrolments", endpoint="course_list")
@require("app.use")
def course_list(course_id: int):
    course = _listed_course(course_id)
    rows = enrolment_rows(course, current_user)
    groups = {status: [r for r in rows if r.enrolment.status == status] for status in GROUPS}
    others = [r for r in rows if r.enrolment.status not in GROUPS]
    return render_template(
        "enrolment/course_list.html",
        course=course,
        groups=groups,
        others=others,
        total=len(rows),
        may_decide=scope_prefix(current_user) is not None,
        manages=can(current_user, "courses.manage", course),
        form=DecisionForm(formdata=None),
    )


def _back(enrolment: Enrolment):
    return redirect(url_for(".course_list", course_id=enrolment.course_id))


def _decide(enrolment_id: int, action, done: str):
    enrolment = _enrolment_or_404(enrolment_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return _back(enrolment)
    name = enrolment.official.full_name
    try:
        action(enrolment, form.reason.data)
    except ServiceError as error:
        db.session.rollback()
        flash(_("%(name)s: %(why)s", name=name, why=error.message), "danger")
    else:
        db.session.commit()
        flash(done % {"name": name}, "success")
    return _back(enrolment)


@bp.post("/enrolments/<int:enrolment_id>/approve", endpoint="approve")
@require("app.use")
def approve(enrolment_id: int):
    return _decide(
        enrolment_id,
        lambda e, _reason: services.approve(e, current_user),
        _("Đã duyệt đăng ký của %(name)s."),
    )


@bp.post("/enrolments/<int:enrolment_id>/reject", endpoint="reject")
@require("app.use")
def reject(enrolment_id: int):
    return _decide(
        enrolment_id,
        lambda e, reason: services.reject(e, current_user, reason),
        _("Đã từ chối đăng ký của %(name)s."),
    )


@bp.post("/enrolments/<int:enrolment_id>/hr-cancel", endpoint="hr_cancel")
@require("app.use")
def hr_cancel(enrolment_id: int):
    return _decide(
        enrolment_id,
        lambda e, reason: services.cancel(e, current_user, reason),
        _("Đã hủy đăng ký của %(name)s."),
    )


# --- nomination ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    official: Official
    organization: Organization | None
    appointment: Appointment | None
    refusal: str | None
    warnings: tuple[str, ...]


def _officials(ids: list[int]) -> list[tuple[Official, Appointment | None, Organization | None]]:
    """The officials of `ids` with their primary post and unit, in the order given."""
    rows = db.session.execute(
        select(Official, Appointment, Organization)
        .outerjoin(
            Appointment, and_(Appointment.official_id == Official.id, Appointment.is_primary)
        )
        .outerjoin(Organization, Organization.id == Appointment.organization_id)
        .where(Official.id.in_(ids))
    ).all()
    by_id = {row[0].id: tuple(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def preview(course: Course, ids: list[int]) -> list[Preview]:
    """What nominating each would do (enrolment.services.nomination_preview), with her unit and
    post for the page: a few statements whatever their number."""
    people = _officials(ids)
    verdicts = services.nomination_preview(
        course, [official for official, _post, _unit in people], current_user
    )
    return [
        Preview(official, organization, appointment, verdict.refusal, verdict.warnings)
        for (official, appointment, organization), verdict in zip(people, verdicts, strict=True)
    ]


def _posted_ids() -> list[int]:
    ids = []
    for value in request.form.getlist("official_id")[:NOMINATION_LIMIT]:
        try:
            ids.append(to_id(value))
        except ValueError:
            continue
    return list(dict.fromkeys(ids))


def _search(form: NominationSearchForm, course: Course) -> list[tuple]:
    if not (form.q.data or form.organization_id.data):
        return []
    scope = scope_prefix(current_user)
    filters = OfficialFilters(
        q=(form.q.data or "").strip(), organization_id=form.organization_id.data
    )
    stmt = filtered(scope, filters, local_today()).order_by(Official.sort_key).limit(SEARCH_LIMIT)
    rows = db.session.execute(stmt).all()
    ids = [row[0].id for row in rows]
    enrolled = (
        dict(
            db.session.execute(
                select(Enrolment.official_id, Enrolment.status).where(
                    Enrolment.course_id == course.id, Enrolment.official_id.in_(ids)
                )
            ).all()
        )
        if ids
        else {}
    )
    return [(*row, enrolled.get(row[0].id)) for row in rows]


@bp.route("/courses/<int:course_id>/nominate", methods=["GET", "POST"], endpoint="nominate")
@require("app.use")
def nominate(course_id: int):
    course = course_or_404(course_id)
    ensure(current_user, "enrolments.nominate", course)
    if request.method == "POST":
        form = DecisionForm()
        if not form.validate_on_submit():
            abort(400)
        ids = _posted_ids()
        if not ids:
            flash(_("Hãy chọn ít nhất một cán bộ."), "warning")
            return redirect(url_for(".nominate", course_id=course.id))
        if request.form.get("confirm") == "1":
            return _nominate(course, ids)
        return render_template(
            "enrolment/nominate_preview.html",
            course=course,
            previews=preview(course, ids),
            refusal_text=refusal_message,
            form=DecisionForm(formdata=None),
        )
    search = NominationSearchForm(request.args, meta={"csrf": False})
    search.organization_id.choices = [
        ("", _("Tất cả đơn vị")),
        *organization_options(scope_prefix(current_user)),
    ]
    search.validate()
    return render_template(
        "enrolment/nominate.html",
        course=course,
        search=search,
        found=_search(search, course),
        limit=SEARCH_LIMIT,
        form=DecisionForm(formdata=None),
    )


def _nominate(course: Course, ids: list[int]):
    officials = [row[0] for row in _officials(ids)]
    try:
        results = services.nominate_many(course.id, officials, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for(".nominate", course_id=course.id))
    summary = {
        "confirmed": [r for r in results if r.enrolment and r.enrolment.status == "confirmed"],
        "waitlisted": [r for r in results if r.enrolment and r.enrolment.status == "waitlisted"],
        "refused": [r for r in results if r.refusal],
    }
    db.session.commit()
    flash(
        _(
            "Đã cử %(confirmed)d cán bộ có chỗ, %(waitlisted)d vào danh sách chờ; "
            "%(refused)d không cử được.",
            confirmed=len(summary["confirmed"]),
            waitlisted=len(summary["waitlisted"]),
            refused=len(summary["refused"]),
        ),
        "success" if not summary["refused"] else "warning",
    )
    return render_template(
        "enrolment/nominate_result.html",
        course=course,
        summary=summary,
        refusal_text=refusal_message,
    )


# --- export ----------------------------------------------------------------------------------


@bp.get("/courses/<int:course_id>/enrolments.xlsx", endpoint="export")
@require("app.use")
def export(course_id: int):
    course = _listed_course(course_id)
    content = exports.enrolments_xlsx(course, enrolment_rows(course, current_user))
    response = Response(content, mimetype=exports.XLSX_TYPE)
    name = f"dang-ky-{course.code}.xlsx".replace('"', "")
    response.headers["Content-Disposition"] = f'attachment; filename="{exports.safe_name(name)}"'
    return response


def status_label(code: str) -> str:
    return code_label("enrolment_status", code)
