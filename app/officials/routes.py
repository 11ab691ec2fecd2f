"""Views of the registry: the officials list, an official's page, create / edit, her posts,
"report an error" notes and "my record"."""

from datetime import date
from math import ceil

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..audit import versions
from ..domain.ladders import LADDERS
from ..extensions import db
from ..i18n import code_label, format_date, label
from ..i18n import today as local_today
from ..permissions import can, ensure, require, scope_prefix
from ..validation import ServiceError, StaleVersion, apply_to_form
from . import account_links, bp, panels, queries, services
from .forms import (
    STATUS_LABELS,
    AppointmentForm,
    EndAppointmentForm,
    OfficialCreateForm,
    OfficialEditForm,
    OfficialFilterForm,
    RecordNoteForm,
    ResolveNoteForm,
)
from .models import Appointment, Official, Organization, RecordNote

PER_PAGE = 50
FILTER_KEYS = ("q", "organization_id", "plan_level", "sex", "position_rank", "age_band", "pool")
FILTER_KEYS += ("status", "sort")


# --- loading and checking ----------------------------------------------------------------


def _official_or_404(official_id: int, action: str) -> Official:
    """The official, if the user may see her (else 404: her existence is private), and may do
    `action` on her (else 403)."""
    official = queries.official_with_posts(official_id)
    if official is None or not can(current_user, "official.view", official):
        abort(404)
    ensure(current_user, action, official)
    return official


def _appointment_or_404(official: Official, appointment_id: int) -> Appointment:
    appointment = next((a for a in official.appointments if a.id == appointment_id), None)
    if appointment is None:
        abort(404)
    return appointment


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


def explain_stale(error: StaleVersion, form) -> None:
    """Show on the form (kept with the user's input) that someone else saved first: each field
    changed since the version she loaded, with the value now stored, who changed it and when.
    The form then carries the stored version: saving again overwrites those changes knowingly.
    Call it after the rollback."""
    subject, changes = versions.changes_since(error)
    if getattr(form, "version", None) is not None:
        form.version.data = getattr(subject, "version", None)
    form.form_errors.append(error.message)
    form.form_errors.extend(stale_lines(changes, getattr(subject, "ladder", None)))


def refusal_text(error: ServiceError) -> str:
    """Why an action button was refused, to flash; for a stale version also what changed since
    the page was loaded. Call it after the rollback."""
    if not isinstance(error, StaleVersion):
        return error.message
    subject, changes = versions.changes_since(error)
    return " ".join([error.message, *stale_lines(changes, getattr(subject, "ladder", None))])


def stale_lines(changes, ladder: str | None = None) -> list[str]:
    """One line per changed field: its label, the value now stored, who changed it and when."""
    units = queries.organization_names(
        {change.value for change in changes if change.field == "organization_id"} - {None}
    )
    ladder = next((c.value for c in changes if c.field == "ladder"), ladder)
    return [
        _(
            "%(field)s: hiện là “%(value)s” (%(who)s sửa lúc %(when)s).",
            field=FIELD_LABELS.get(change.field, change.field),
            value=_shown(change.field, change.value, units, ladder),
            who=change.username or _("hệ thống"),
            when=format_date(change.at),
        )
        for change in changes
    ]


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
    counts = queries.counts(scope, filters, today, _stored_settings())
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


def _stored_settings():
    """The stored settings (young-age limits). NOTE(issue 10 item 2): they still live in
    app.progress.settings; once they move to the core module below the features, import them
    from there (the registry must not import progress)."""
    from ..progress.settings import load_settings

    return load_settings()


# --- one official ------------------------------------------------------------------------


@bp.route("/officials/<int:official_id>")
@login_required
def view(official_id: int):
    official = _official_or_404(official_id, "official.view")
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
        statuses=STATUS_LABELS,
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
    official = _official_or_404(official_id, "official.edit")
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
    official = _official_or_404(official_id, "official.edit")
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
    official = _official_or_404(official_id, "official.edit")
    appointment = _appointment_or_404(official, appointment_id)
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
    official = _official_or_404(official_id, "official.edit")
    appointment = _appointment_or_404(official, appointment_id)
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
    official = _official_or_404(official_id, "official.edit")
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
        statuses=STATUS_LABELS,
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


ACTION_LABELS = {
    "official.create": _l("Tạo hồ sơ"),
    "official.update": _l("Sửa thông tin cá nhân"),
    "appointment.create": _l("Thêm chức vụ"),
    "appointment.update": _l("Sửa chức vụ"),
    "record_note.create": _l("Cán bộ gửi phản ánh"),
    "record_note.resolve": _l("Xử lý phản ánh"),
    "qualification.create": _l("Thêm văn bằng, chứng chỉ"),
    "qualification.update": _l("Sửa văn bằng, chứng chỉ"),
    "qualification.delete": _l("Xóa văn bằng, chứng chỉ"),
    "qualification.propose": _l("Cán bộ đề nghị bổ sung văn bằng"),
    "qualification.verify": _l("Duyệt văn bằng"),
    "qualification.reject": _l("Từ chối văn bằng"),
}
FIELD_LABELS = {
    "code": _l("Mã cán bộ"),
    "full_name": _l("Họ và tên"),
    "sex": _l("Giới tính"),
    "birth_date": _l("Ngày sinh"),
    "ethnicity": _l("Dân tộc"),
    "category": _l("Loại"),
    "email": _l("Email"),
    "in_succession_pool": _l("Trong quy hoạch"),
    "succession_post": _l("Chức danh được quy hoạch"),
    "status": _l("Tình trạng"),
    "organization_id": _l("Đơn vị"),
    "title": _l("Chức vụ"),
    "position_rank": _l("Bậc chức vụ"),
    "party_committee": _l("Cấp ủy viên"),
    "commune_key_post": _l("Chủ chốt cấp xã"),
    "commune_full_time": _l("Chuyên trách cấp xã"),
    "appointed_on": _l("Ngày bổ nhiệm"),
    "left_on": _l("Ngày thôi chức vụ"),
    "is_primary": _l("Chức vụ chính"),
    "text": _l("Nội dung"),
    "resolution": _l("Cách xử lý"),
    "ladder": _l("Loại trình độ"),
    "level": _l("Trình độ"),
    "issued_on": _l("Ngày cấp"),
    "institution": _l("Nơi cấp"),
    "certificate_number": _l("Số hiệu văn bằng"),
    "field_of_study": _l("Chuyên ngành"),
    "source": _l("Nguồn"),
    "note": _l("Ghi chú"),
    "rejection_reason": _l("Lý do từ chối"),
}
QUALIFICATION_WORDS = {
    "manual": _l("Nhập tay"),
    "import": _l("Nhập từ tệp"),
    "course": _l("Khóa học"),
    "proposed": _l("Cán bộ đề nghị"),
    "pending": _l("Chờ duyệt"),
    "verified": _l("Đã duyệt"),
    "rejected": _l("Bị từ chối"),
}
CODED_FIELDS = {"sex": "sex", "category": "category", "position_rank": "position_rank"}
DATE_FIELDS = {"birth_date", "appointed_on", "left_on", "issued_on"}


def _history(official: Official) -> list[dict]:
    """Her audit entries as rows for the page: action, who, when, and each field's old → new
    value in words (the unit's name, the rank's label, dd/mm/yyyy)."""
    entries = queries.official_history(official.id)
    changes = [[(field, *_old_new(value)) for field, value in e.changes.items()] for e in entries]
    unit_ids = {
        v for fields in changes for f, *values in fields if f == "organization_id" for v in values
    }
    units = queries.organization_names(unit_ids)
    posts = {a.id: a for a in official.appointments}
    rows = []
    ladders = queries.qualification_ladders(
        [e.subject_id for e in entries if e.subject_type == "Qualification"]
    )
    for entry, fields in zip(entries, changes, strict=True):
        post = posts.get(entry.subject_id) if entry.subject_type == "Appointment" else None
        # A level's label depends on its ladder (e.g. "advanced" exists on two ladders).
        ladder = dict((f, new) for f, _old, new in fields).get("ladder") or ladders.get(
            entry.subject_id
        )
        rows.append(
            {
                "entry": entry,
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "subject": (post.title or code_label("position_rank", post.position_rank))
                if post
                else "",
                "changes": [
                    (
                        FIELD_LABELS.get(field, field),
                        _shown(field, old, units, ladder),
                        _shown(field, new, units, ladder),
                    )
                    for field, old, new in fields
                    if not (entry.action.endswith(".create") and new in (None, "", False))
                ],
            }
        )
    return rows


def _old_new(value) -> tuple:
    """Updates store [old, new]; creations store the value alone."""
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    return None, value


def _shown(field: str, value, units: dict[int, str], ladder: str | None = None) -> str:
    if value is None or value == "":
        return "—"
    if field == "ladder" and value in LADDERS:
        return label(LADDERS[value])
    if field == "level" and ladder in LADDERS:
        return code_label(ladder, value)
    if field in ("source", "status") and value in QUALIFICATION_WORDS:
        return str(QUALIFICATION_WORDS[value])
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if field == "organization_id":
        return units.get(value, f"#{value}")
    if field == "status":
        return str(STATUS_LABELS.get(value, value))
    if field in CODED_FIELDS:
        return code_label(CODED_FIELDS[field], value)
    if field in DATE_FIELDS:
        try:
            return format_date(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    return str(value)
