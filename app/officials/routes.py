"""Views of the registry: the officials list, an official's page, create / edit, her posts,
"report an error" notes and "my record"."""

from datetime import date
from math import ceil

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..audit import history, versions
from ..audit.history import explain_stale, refusal_text
from ..extensions import db
from ..i18n import code_label, code_labels
from ..i18n import today as local_today
from ..permissions import can, require, scope_prefix
from ..settings import load_settings
from ..validation import ServiceError, StaleVersion, apply_to_form
from . import account_links, bp, panels, queries, services
from .forms import (
    AppointmentForm,
    EndAppointmentForm,
    OfficialCreateForm,
    OfficialEditForm,
    OfficialFilterForm,
    RecordNoteForm,
    ResolveNoteForm,
)
from .loaders import appointment_or_404, official_or_404
from .models import Appointment, Official, Organization, RecordNote

PER_PAGE = 50
FILTER_KEYS = ("q", "organization_id", "plan_level", "sex", "position_rank", "age_band", "pool")
FILTER_KEYS += ("status", "sort")


# --- loading and checking ----------------------------------------------------------------


def _scoped_organization(organization_id, unchanged_id: int | None = None) -> Organization:
    """The organization chosen in a form: it must exist and be within the user's scope (an
    appointment may keep the unit it already has)."""
    organization = db.session.get(Organization, organization_id) if organization_id else None
    if organization is not None and (
        organization.id == unchanged_id or can(current_user, "official.create", organization)
    ):
        return organization
    raise ServiceError(
        _("Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn."), "organization_id"
    )


def _organization_choices(keep: Organization | None = None) -> list[tuple]:
    """The open organizations the user may post officials to (and the post's current unit)."""
    options = queries.organization_options(scope_prefix(current_user), open_on=local_today())
    if keep is not None and keep.id not in {option_id for option_id, _name in options}:
        options.insert(0, (keep.id, keep.name))
    return [("", _("— Chọn đơn vị —")), *options]


def _refused(error: ServiceError, form) -> None:
    """Undo what the use-case wrote before refusing, and show why on the form."""
    db.session.rollback()
    if isinstance(error, StaleVersion):
        explain_stale(error, form)
    else:
        apply_to_form(error, form)


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "danger")


def _report_account_matches(official: Official) -> None:
    """An email shared with an account is reported, never linked (account_links)."""
    for message in account_links.match_warnings(official, current_user):
        flash(message, "warning")


def _back_to(official: Official, anchor: str = ""):
    return redirect(url_for(".view", official_id=official.id) + anchor)


# --- list --------------------------------------------------------------------------------


@bp.route("/officials", endpoint="list")
@require("officials.list")
def list_officials():
    scope = scope_prefix(current_user)
    form = OfficialFilterForm(request.args)
    form.organization_id.choices = [("", _("Tất cả đơn vị")), *queries.organization_options(scope)]
    filters, sort = form.filters()
    today = local_today()
    counts = queries.counts(scope, filters, today, load_settings())
    pages = max(1, ceil(counts["total"] / PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    rows = queries.page_of(scope, filters, today, sort, page, PER_PAGE)
    kept = {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}
    return render_template(
        "officials/list.html",
        form=form,
        rows=rows,
        counts=counts,
        page=page,
        pages=pages,
        per_page=PER_PAGE,
        kept=kept,
    )


# --- one official ------------------------------------------------------------------------


@bp.route("/officials/<int:official_id>")
@login_required
def view(official_id: int):
    official = official_or_404(current_user, official_id, "official.view")
    if not can(current_user, "official.edit", official):
        return redirect(url_for(".my_record"))  # herself, without HR rights over her record
    history = _history(official) if can(current_user, "official.history", official) else None
    return render_template(
        "officials/view.html",
        official=official,
        appointments=_in_display_order(official.appointments),
        notes=queries.record_notes(official.id, open_only=True),
        history=history,
        today=local_today(),
        statuses=code_labels("official_status"),
        end_form=EndAppointmentForm(formdata=None),
        resolve_form=ResolveNoteForm(formdata=None),
        panels=panels.build(official, own=False),
    )


@bp.route("/officials/new", methods=["GET", "POST"])
@require("official.create")
def create():
    form = OfficialCreateForm()
    form.organization_id.choices = _organization_choices()
    if form.validate_on_submit():
        try:
            official = services.create_official(
                organization=_scoped_organization(form.organization_id.data),
                actor=current_user,
                **form.person_data(),
                **form.post_data(),
            )
        except ServiceError as error:
            _refused(error, form)
        else:
            db.session.commit()
            flash(_("Đã tạo hồ sơ %(name)s.", name=official.full_name), "success")
            _report_account_matches(official)
            return _back_to(official)
    return render_template("officials/form.html", form=form, official=None)


@bp.route("/officials/<int:official_id>/edit", methods=["GET", "POST"])
@login_required
def edit(official_id: int):
    official = official_or_404(current_user, official_id, "official.edit")
    form = OfficialEditForm(obj=official)
    email_before = official.email
    if form.validate_on_submit():
        try:
            versions.check_version(official, form.version.data)
            services.update_official(
                official, actor=current_user, status=form.status.data, **form.person_data()
            )
        except ServiceError as error:
            _refused(error, form)
        else:
            db.session.commit()
            flash(_("Đã lưu hồ sơ %(name)s.", name=official.full_name), "success")
            if official.email != email_before:
                _report_account_matches(official)
            return _back_to(official)
    return render_template("officials/form.html", form=form, official=official)


# --- her posts ---------------------------------------------------------------------------


@bp.route("/officials/<int:official_id>/appointments", methods=["GET", "POST"])
@login_required
def add_appointment(official_id: int):
    official = official_or_404(current_user, official_id, "official.edit")
    form = AppointmentForm()
    form.organization_id.choices = _organization_choices()
    if form.validate_on_submit():
        try:
            data = form.post_data()
            services.add_appointment(
                official,
                _scoped_organization(form.organization_id.data),
                data.pop("position_rank"),
                is_primary=form.is_primary.data,
                actor=current_user,
                **data,
            )
        except ServiceError as error:
            _refused(error, form)
        else:
            db.session.commit()
            flash(_("Đã thêm chức vụ."), "success")
            return _back_to(official, "#appointments")
    return render_template(
        "officials/appointment_form.html", form=form, official=official, appointment=None
    )


@bp.route(
    "/officials/<int:official_id>/appointments/<int:appointment_id>/edit",
    methods=["GET", "POST"],
)
@login_required
def edit_appointment(official_id: int, appointment_id: int):
    official = official_or_404(current_user, official_id, "official.edit")
    appointment = appointment_or_404(official, appointment_id)
    form = AppointmentForm(obj=appointment)
    form.organization_id.choices = _organization_choices(keep=appointment.organization)
    if appointment.is_primary:
        # The primary post stays primary until another post is made primary.
        form.is_primary.data = True
        form.is_primary.render_kw = {"disabled": True}
    if form.validate_on_submit():
        try:
            versions.check_version(appointment, form.version.data)
            organization = _scoped_organization(
                form.organization_id.data, unchanged_id=appointment.organization_id
            )
            services.update_appointment(
                appointment,
                actor=current_user,
                organization_id=organization.id,
                is_primary=appointment.is_primary or form.is_primary.data,
                **form.post_data(),
            )
        except ServiceError as error:
            _refused(error, form)
        else:
            db.session.commit()
            flash(_("Đã lưu chức vụ."), "success")
            return _back_to(official, "#appointments")
    return render_template(
        "officials/appointment_form.html", form=form, official=official, appointment=appointment
    )


@bp.route("/officials/<int:official_id>/appointments/<int:appointment_id>/end", methods=["POST"])
@login_required
def end_appointment(official_id: int, appointment_id: int):
    official = official_or_404(current_user, official_id, "official.edit")
    appointment = appointment_or_404(official, appointment_id)
    form = EndAppointmentForm()
    if form.validate_on_submit():
        try:
            versions.check_version(appointment, form.version.data)
            services.end_appointment(appointment, form.left_on.data, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(_("Chưa kết thúc được chức vụ: %(why)s", why=refusal_text(error)), "danger")
        else:
            db.session.commit()
            flash(_("Đã kết thúc chức vụ."), "success")
    else:
        _flash_errors(form)
    return _back_to(official, "#appointments")


# --- "report an error" notes -------------------------------------------------------------


@bp.route("/officials/<int:official_id>/notes/<int:note_id>/resolve", methods=["POST"])
@login_required
def resolve_note(official_id: int, note_id: int):
    official = official_or_404(current_user, official_id, "official.edit")
    note = db.session.get(RecordNote, note_id)
    if note is None or note.official_id != official.id:
        abort(404)
    form = ResolveNoteForm()
    if form.validate_on_submit():
        try:
            services.resolve_record_note(note, form.resolution.data, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Đã ghi nhận cách xử lý phản ánh."), "success")
    else:
        _flash_errors(form)
    return _back_to(official, "#notes")


@bp.route("/me/record")
@require("record.own")
def my_record():
    return _render_my_record(RecordNoteForm(formdata=None))


@bp.route("/me/record/notes", methods=["POST"])
@require("record.own")
def add_note():
    form = RecordNoteForm()
    if form.validate_on_submit():
        try:
            services.add_record_note(_own_official(), form.text.data, actor=current_user)
        except ServiceError as error:
            _refused(error, form)
        else:
            db.session.commit()
            flash(_("Đã gửi phản ánh tới bộ phận tổ chức cán bộ."), "success")
            return redirect(url_for(".my_record") + "#notes")
    return _render_my_record(form)


def _own_official() -> Official:
    official = queries.official_with_posts(current_user.official_id)
    if official is None:
        abort(404)
    return official


def _render_my_record(form):
    official = _own_official()
    return render_template(
        "officials/my_record.html",
        official=official,
        appointments=_in_display_order(official.appointments),
        notes=queries.record_notes(official.id),
        today=local_today(),
        statuses=code_labels("official_status"),
        form=form,
        panels=panels.build(official, own=True),
    )


# --- presentation helpers ----------------------------------------------------------------


def _in_display_order(appointments) -> list[Appointment]:
    """The primary post first, then the open ones, then the ended, latest first."""
    today = local_today()
    return sorted(
        appointments,
        key=lambda a: (
            not a.is_primary,
            not a.is_open(today),
            -(a.appointed_on or date.min).toordinal(),
            -a.id,
        ),
    )


def _history(official: Official) -> list[dict]:
    """Her audit entries as rows for the page (app.audit.history words them), each post's entry
    named by the post."""
    posts = {a.id: a for a in official.appointments}
    rows = history.rows(queries.official_history(official.id))
    for row in rows:
        entry = row["entry"]
        post = posts.get(entry.subject_id) if entry.subject_type == "Appointment" else None
        row["subject"] = (
            (post.title or code_label("position_rank", post.position_rank)) if post else ""
        )
    return rows
