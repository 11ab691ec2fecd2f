"""Views of qualification records: HR adds, corrects and removes them on the official's page;
an official proposes one with a scan of her certificate; HR reviews the proposals of its scope
(opens the scan, verifies or rejects with a reason). Writing is the services' (audited)."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_, func, select

from ..audit import versions
from ..audit.history import explain_stale, refusal_text
from ..auth.models import User
from ..domain.files import clean_file_name
from ..domain.ladders import LADDERS
from ..extensions import db
from ..i18n import code_labels
from ..i18n import today as local_today
from ..navigation import register_count
from ..officials import panels, queries
from ..officials.models import Appointment, Official, Organization
from ..permissions import EVERYTHING, can, ensure, next_url_is_safe, require, scope_prefix
from ..routing import to_id
from ..validation import ServiceError, StaleVersion, apply_to_form
from . import bp, services
from .forms import ActionForm, ProposalForm, RecordForm, RejectForm
from .levels import current_levels, records_of
from .loaders import official_or_404, record_or_404
from .models import Qualification

# Shown in the browser (the types the services accept); anything else is downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
PENDING_LIMIT = 200  # the oldest first; HR works through the queue from the top


# Uploaded file names on pages: without control or bidirectional characters.
bp.add_app_template_filter(clean_file_name, "file_name")


# --- loading and checking ----------------------------------------------------------------


def _own_official() -> Official:
    official = queries.official_with_posts(current_user.official_id)
    if official is None:
        abort(404)
    return official


def _refused(error: ServiceError, form) -> None:
    """Undo what the use-case wrote, and show why next to the field at fault."""
    db.session.rollback()
    if isinstance(error, StaleVersion):
        explain_stale(error, form)
        return
    if error.field == "level" and isinstance(form, RecordForm):
        chosen = form.chosen_level_field()
        if chosen is not None:
            chosen.errors = [*chosen.errors, error.message]
            return
    apply_to_form(error, form)


def _back(default: str):
    """Where an action's form asked to return (a local path only), else `default`."""
    target = request.form.get("next")
    return redirect(target if next_url_is_safe(target) else default)


def _official_page(official: Official):
    return redirect(url_for("officials.view", official_id=official.id) + "#qualifications")


# --- HR: add, correct, remove ------------------------------------------------------------


@bp.route("/officials/<int:official_id>/qualifications/new", methods=["GET", "POST"])
@login_required
def add(official_id: int):
    official = official_or_404(current_user, official_id, "qualification.add")
    form = RecordForm()
    if form.validate_on_submit():
        try:
            services.add_record(
                official, form.ladder.data, form.level, actor=current_user, **form.details()
            )
        except ServiceError as error:
            _refused(error, form)
        else:
            db.session.commit()
            flash(_("Đã thêm văn bằng, chứng chỉ."), "success")
            return _official_page(official)
    return render_template("qualifications/form.html", form=form, official=official, record=None)


@bp.route("/qualifications/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit(record_id: int):
    record = record_or_404(current_user, record_id, "qualification.edit")
    form = RecordForm(obj=record)
    if request.method == "GET":
        form.set_level(record.ladder, record.level)
    if form.validate_on_submit():
        try:
            versions.check_version(record, form.version.data)
            services.correct_record(
                record,
                actor=current_user,
                ladder=form.ladder.data,
                level=form.level,
                **form.details(),
            )
        except ServiceError as error:
            _refused(error, form)
        else:
            db.session.commit()
            flash(_("Đã lưu văn bằng, chứng chỉ."), "success")
            return _official_page(record.official)
    return render_template(
        "qualifications/form.html", form=form, official=record.official, record=record
    )


@bp.route("/qualifications/<int:record_id>/delete", methods=["POST"])
@login_required
def delete(record_id: int):
    record = record_or_404(current_user, record_id, "qualification.edit")
    official = record.official
    form = ActionForm()
    if form.validate_on_submit():
        try:
            versions.check_version(record, form.version.data)
            services.remove_record(record, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(refusal_text(error), "danger")
        else:
            db.session.commit()
            flash(_("Đã xóa văn bằng, chứng chỉ."), "success")
    else:
        flash(_("Phiên làm việc đã hết hạn; hãy thử lại."), "danger")
    return _official_page(official)


# --- the official: propose with a scan ---------------------------------------------------


@bp.route("/me/qualifications/propose", methods=["GET", "POST"])
@require("record.own")
def propose():
    official = _own_official()
    ensure(current_user, "qualification.propose", official)
    form = ProposalForm()
    again = _rejected_to_propose_again(official)
    if again is not None and request.method == "GET":
        form.prefill_from(again)
    if form.validate_on_submit():
        try:
            services.propose_record(
                official,
                form.ladder.data,
                form.level,
                scan=form.scan.data,
                actor=current_user,
                **form.details(),
            )
        except ServiceError as error:
            _refused(error, form)
        else:
            db.session.commit()
            flash(
                _("Đã gửi đề nghị. Bộ phận tổ chức cán bộ sẽ xem xét bản chụp và xác nhận."),
                "success",
            )
            return redirect(url_for("officials.my_record") + "#qualifications")
    return render_template("qualifications/propose.html", form=form, official=official, again=again)


def _rejected_to_propose_again(official: Official) -> Qualification | None:
    """The rejected proposal of hers named by `?again=` (the form starts from it), if any."""
    record_id = request.args.get("again", type=to_id)
    if record_id is None:
        return None
    record = db.session.get(Qualification, record_id)
    # Only her own rejected proposals; another's record is not even said to exist.
    if record is None or record.official_id != official.id or record.status != "rejected":
        abort(404)
    return record


# --- HR: review proposals ----------------------------------------------------------------


def pending_in_scope(scope: str | None, limit: int = PENDING_LIMIT):
    """(record, official, unit) of the pending proposals within `scope`, oldest first: one
    statement."""
    stmt = (
        select(Qualification, Official, Organization)
        .join(Official, Official.id == Qualification.official_id)
        .join(Appointment, and_(Appointment.official_id == Official.id, Appointment.is_primary))
        .join(Organization, Organization.id == Appointment.organization_id)
        .where(Qualification.status == "pending")
        .order_by(Qualification.recorded_at, Qualification.id)
        .limit(limit)
    )
    if scope is None:
        return []
    if scope != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(scope))
    return db.session.execute(stmt).all()


def pending_count_query(scope: str | None):
    """The SELECT of how many proposals wait for review within `scope` (None: no scope)."""
    if scope is None:
        return None
    stmt = (
        select(func.count())
        .select_from(Qualification)
        .join(
            Appointment,
            and_(Appointment.official_id == Qualification.official_id, Appointment.is_primary),
        )
        .join(Organization, Organization.id == Appointment.organization_id)
        .where(Qualification.status == "pending")
    )
    if scope != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(scope))
    return stmt


@register_count("qualifications.pending")
def _pending_badge(user):
    """HR's menu shows the proposals waiting in its scope."""
    if not can(user, "qualifications.review"):
        return None
    return pending_count_query(scope_prefix(user))


@bp.route("/qualifications/pending")
@require("qualifications.review")
def pending():
    rows = pending_in_scope(scope_prefix(current_user))
    return render_template(
        "qualifications/pending.html",
        rows=rows,
        limit=PENDING_LIMIT,
        own_official_id=current_user.official_id,
    )


@bp.route("/qualifications/<int:record_id>/scan")
@login_required
def scan(record_id: int):
    record = record_or_404(current_user, record_id, "qualification.scan")
    if not record.scan_path:
        abort(404)
    # Stored under a random name by the services; send_from_directory still refuses any
    # path that would leave UPLOAD_DIR. The type was proven by the file's first bytes.
    response = send_from_directory(
        current_app.config["UPLOAD_DIR"],
        record.scan_path,
        mimetype=record.scan_content_type or "application/octet-stream",
        as_attachment=record.scan_content_type not in INLINE_TYPES,
        # Names stored before they were cleaned on upload are cleaned here too.
        download_name=clean_file_name(record.scan_name, default="scan"),
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/qualifications/<int:record_id>/verify", methods=["POST"])
@login_required
def verify(record_id: int):
    record = record_or_404(current_user, record_id, "qualification.verify")
    form = ActionForm()
    if form.validate_on_submit():
        try:
            versions.check_version(record, form.version.data)
            services.verify_record(record, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(refusal_text(error), "danger")
        else:
            db.session.commit()
            flash(
                _("Đã xác nhận văn bằng của %(name)s.", name=record.official.full_name), "success"
            )
    else:
        flash(_("Phiên làm việc đã hết hạn; hãy thử lại."), "danger")
    return _back(url_for(".pending"))


@bp.route("/qualifications/<int:record_id>/reject", methods=["POST"])
@login_required
def reject(record_id: int):
    record = record_or_404(current_user, record_id, "qualification.verify")
    form = RejectForm()
    if form.validate_on_submit():
        try:
            versions.check_version(record, form.version.data)
            services.reject_record(record, form.reason.data, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(refusal_text(error), "danger")
        else:
            db.session.commit()
            flash(_("Đã từ chối đề nghị của %(name)s.", name=record.official.full_name), "info")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "danger")
    return _back(url_for(".pending"))


# --- the panel on an official's page and on "my record" ----------------------------------


@panels.register("qualifications")
def qualification_panel(official: Official, own: bool = False) -> dict:
    """What templates/officials/_qualifications.html shows: her current level on every ladder
    (verified records only, today) and her records with who recorded and verified them.
    Three statements: her records, her verified records (current_levels), the users named."""
    records = records_of(official)
    today = local_today()
    levels = current_levels(official, today)
    user_ids = {r.recorded_by_id for r in records} | {r.verified_by_id for r in records}
    user_ids.discard(None)
    users = {}
    if user_ids:
        users = dict(
            db.session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all()
        )
    return {
        "levels": [(ladder, ladder.level(levels[code])) for code, ladder in LADDERS.items()],
        "records": records,
        "today": today,
        "users": users,
        "pending": sum(1 for record in records if record.status == "pending"),
        "sources": code_labels("record_source"),
        "statuses": code_labels("record_status"),
    }
