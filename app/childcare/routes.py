"""Pages of childcare support (issue 14): her request from her enrolment (with a preview of the
amount), her requests, HR's work list and decisions, the rates, the report and its .xlsx.

Thin views: load and check (a request the user may not read does not exist for her: 404),
validate, call the service, commit once. The child's name and birth date are shown only on the
pages of the request to those who may read it, never in a flash, a log or an export."""

from datetime import date
from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..audit import versions
from ..audit.history import refusal_text
from ..courses.models import Course
from ..domain import childcare as rules
from ..domain.sheet import parse_date_text
from ..enrolment.models import Enrolment
from ..extensions import db
from ..i18n import choices, format_date
from ..i18n import today as local_today
from ..navigation import register_count
from ..permissions import can, ensure, require
from ..routing import to_id
from ..validation import ServiceError, apply_to_form
from . import bp, report, services
from .forms import NEW_CHILD, ActionForm, ApproveForm, RateForm, RejectForm, RequestForm
from .models import ChildcareRequest, RememberedChild

# --- loading --------------------------------------------------------------------------------


def request_or_404(request_id: int, action: str = "childcare.view") -> ChildcareRequest:
    """The request, if the user may read it (else 404: its existence is private), and may do
    `action` on it (else 403)."""
    found = db.session.get(ChildcareRequest, request_id)
    if found is None or not can(current_user, "childcare.view", found):
        abort(404)
    ensure(current_user, action, found)
    return found


def _own_enrolment(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or not can(current_user, "childcare.ask", enrolment):
        abort(404)
    return enrolment


@register_count("childcare.work_list")
def _submitted_badge(user):
    if not can(user, "childcare.work"):
        return None
    return services.submitted_count_query(user)


# --- her request ----------------------------------------------------------------------------


def _fill_choices(form: RequestForm, children, days: list[date]) -> None:
    form.child.choices = [(str(c.id), c.name) for c in children] + [
        (NEW_CHILD, _("Con khác (nhập họ tên và ngày sinh)"))
    ]
    form.kinds.choices = choices("childcare_kind")
    form.days.choices = [(d.isoformat(), format_date(d)) for d in days]


def _picked_days(form: RequestForm) -> list[date]:
    picked = []
    for value in form.days.data or []:
        try:
            picked.append(date.fromisoformat(value))
        except (TypeError, ValueError):
            raise ServiceError(services.refusal_message("day_not_course_day"), "days") from None
    return picked


@bp.route("/enrolments/<int:enrolment_id>/childcare", methods=["GET", "POST"])
@login_required
def new(enrolment_id: int):
    enrolment = _own_enrolment(enrolment_id)
    days = services.course_days(enrolment.course_id)
    blocked = services.ask_refusal(enrolment, days)
    children = services.remembered_children(enrolment.official_id)
    form = RequestForm()
    _fill_choices(form, children, days)
    if request.method == "GET":
        form.child.data = str(children[0].id) if children else NEW_CHILD
        form.days.data = [d.isoformat() for d in days]
        form.kinds.data = ["allowance"]
    quote = None
    if request.method == "POST" and not blocked and form.validate_on_submit():
        child = None
        if form.child.data and form.child.data != NEW_CHILD:
            child = db.session.get(RememberedChild, to_id(form.child.data))
            if child is None or child.official_id != enrolment.official_id:
                abort(404)
        values = {
            "child_name": child.name if child else form.child_name.data,
            "child_birth_date": child.birth_date if child else form.child_birth_date.data,
            "kinds": form.kinds.data or [],
            "consent": form.consent.data,
        }
        try:
            values["days"] = _picked_days(form)
            quote = services.quote(enrolment, **values)
            shown = str(quote.total)
            if form.submit.data and form.quoted_total.data == shown:
                created = services.submit(
                    enrolment, current_user, note=form.note.data, child=child, **values
                )
                db.session.commit()
                flash(
                    _("Đã gửi đề nghị hỗ trợ. Bạn sẽ nhận được thông báo khi có quyết định."),
                    "success",
                )
                return redirect(url_for(".view", request_id=created.id))
            if form.submit.data:
                flash(
                    _("Số tiền đã thay đổi so với lần xem trước; hãy xem lại rồi gửi."), "warning"
                )
            form.quoted_total.data = shown
        except ServiceError as error:
            db.session.rollback()
            quote = None
            form.quoted_total.data = ""
            apply_to_form(error, form)
    return render_template(
        "childcare/new.html",
        form=form,
        enrolment=enrolment,
        course=enrolment.course,
        blocked=services.refusal_message(blocked) if blocked else None,
        quote=quote,
        children=children,
    )


@bp.get("/childcare/mine")
@login_required
def mine():
    if current_user.official_id is None:
        abort(403)
    return render_template(
        "childcare/mine.html",
        requests=services.requests_of(current_user.official_id),
        children=services.remembered_children(current_user.official_id),
        form=ActionForm(),
    )


@bp.post("/childcare/children/<int:child_id>/delete")
@login_required
def forget_child(child_id: int):
    child = db.session.get(RememberedChild, child_id)
    if child is None or child.official_id != current_user.official_id:
        abort(404)
    if ActionForm().validate_on_submit():
        services.forget_child(child, current_user)
        db.session.commit()
        flash(_("Đã xóa thông tin của con khỏi danh sách ghi nhớ."), "info")
    else:
        flash(_("Phiên làm việc đã hết hạn; hãy thử lại."), "danger")
    return redirect(url_for(".mine"))


# --- one request ----------------------------------------------------------------------------


@bp.get("/childcare/requests/<int:request_id>")
@login_required
def view(request_id: int):
    found = request_or_404(request_id)
    decides = can(current_user, "childcare.decide", found)
    approve_form = ApproveForm(formdata=None)
    for kind, amount in (found.requested_amounts or {}).items():
        getattr(approve_form, kind).data = amount
    return render_template(
        "childcare/view.html",
        item=found,
        per_day=services.per_day_of(found),
        payable=services.payable_amounts(found) if decides or found.status == "paid" else None,
        attended=services.attended_days(found) if decides else None,
        decides=decides,
        own=found.official_id == current_user.official_id,
        approve_form=approve_form,
        reject_form=RejectForm(formdata=None),
        action_form=ActionForm(formdata=None),
    )


def _decided(found: ChildcareRequest, form, act, done: str):
    if form.validate_on_submit():
        try:
            versions.check_version(found, form.version.data)
            act()
        except ServiceError as error:
            db.session.rollback()
            flash(refusal_text(error), "danger")
        else:
            db.session.commit()
            flash(done, "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(url_for(".view", request_id=found.id))


@bp.post("/childcare/requests/<int:request_id>/withdraw")
@login_required
def withdraw(request_id: int):
    found = request_or_404(request_id, "childcare.withdraw")
    return _decided(
        found,
        ActionForm(),
        lambda: services.withdraw(found, current_user),
        _("Đã rút đề nghị hỗ trợ."),
    )


@bp.post("/childcare/requests/<int:request_id>/approve")
@login_required
def approve(request_id: int):
    found = request_or_404(request_id, "childcare.decide")
    form = ApproveForm()

    def act():
        amounts = {}
        for kind in found.kinds:
            value = getattr(form, kind).data
            amounts[kind] = found.requested_amounts.get(kind, 0) if value is None else value
        services.approve(found, current_user, amounts, form.reason.data)

    return _decided(found, form, act, _("Đã duyệt đề nghị hỗ trợ."))


@bp.post("/childcare/requests/<int:request_id>/reject")
@login_required
def reject(request_id: int):
    found = request_or_404(request_id, "childcare.decide")
    form = RejectForm()
    return _decided(
        found,
        form,
        lambda: services.reject(found, current_user, form.reason.data),
        _("Đã từ chối đề nghị hỗ trợ."),
    )


@bp.post("/childcare/requests/<int:request_id>/pay")
@login_required
def pay(request_id: int):
    found = request_or_404(request_id, "childcare.decide")
    return _decided(
        found,
        ActionForm(),
        lambda: services.pay(found, current_user),
        _("Đã ghi nhận chi trả."),
    )


# --- HR: work list, rates, report ------------------------------------------------------------


@bp.get("/childcare/requests")
@require("childcare.work")
def work_list():
    course_id = request.args.get("course", type=to_id)
    status = request.args.get("status") or None
    if status not in rules.STATUS_CODES:
        status = None
    organization_id = request.args.get("organization", type=to_id)
    rows = services.work_list(current_user, course_id, status, organization_id)
    # The courses having requests the HR may read (ids first: no DISTINCT over JSON columns).
    visible_courses = services.visible_to(
        services.joined(db.select(ChildcareRequest.course_id)), current_user
    )
    courses = db.session.scalars(
        db.select(Course)
        .where(Course.id.in_(visible_courses))
        .order_by(Course.first_day.desc(), Course.code)
    ).all()
    return render_template(
        "childcare/work_list.html",
        rows=rows,
        courses=courses,
        organizations=report.organizations_for(current_user),
        statuses=choices("childcare_status"),
        selected={"course": course_id, "status": status, "organization": organization_id},
        limit=services.WORK_LIST_LIMIT,
    )


@bp.route("/childcare/rates", methods=["GET", "POST"])
@require("childcare.rates")
def rates():
    form = RateForm()
    form.kind.choices = choices("childcare_kind")
    if form.validate_on_submit():
        try:
            services.add_rate(
                current_user, form.kind.data, form.daily_amount.data, form.applies_from.data
            )
        except ServiceError as error:
            db.session.rollback()
            apply_to_form(error, form)
        else:
            db.session.commit()
            flash(
                _("Đã thêm mức hỗ trợ; số tiền của các đề nghị chưa duyệt đã được tính lại."),
                "success",
            )
            return redirect(url_for(".rates"))
    today = local_today()
    in_force = {
        kind: rules.rate_on(services.rate_facts(), kind, today) for kind in rules.KIND_CODES
    }
    return render_template(
        "childcare/rates.html", form=form, rates=services.rates(), in_force=in_force, today=today
    )


def _period() -> tuple[date, date]:
    """The period asked (?start=dd/mm/yyyy&end=...), by default the current reporting period."""
    start, end = report.period_of(local_today())
    start = parse_date_text(request.args.get("start") or "") or start
    end = parse_date_text(request.args.get("end") or "") or end
    return start, end


@bp.get("/childcare/report")
@require("childcare.work")
def report_page():
    start, end = _period()
    return render_template(
        "childcare/report.html", report=report.build(current_user, start, end), kinds=rules.KINDS
    )


@bp.get("/childcare/report.xlsx")
@require("childcare.work")
def report_export():
    start, end = _period()
    data = report.xlsx(report.build(current_user, start, end))
    return send_file(
        BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"ho-tro-con-nho-{start.isoformat()}-{end.isoformat()}.xlsx",
        max_age=0,
    )
