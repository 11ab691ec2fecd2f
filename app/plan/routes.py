"""The pages of the plan's entered figures (DOMAIN §9–10): the seats of the elected bodies (the
figure in force, every entry, a form, the CSV upload and its template) and the yearly counts of
collaborators and volunteers (an organization's, the list of a year with its .xlsx).

Thin views: load and check, validate, call the service, commit once. Entries are never changed:
a correction is a new entry.
"""

import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..i18n import choices
from ..i18n import today as local_today
from ..officials.loaders import organization_or_404
from ..permissions import require, scope_prefix
from ..validation import ServiceError, apply_to_form
from . import bp, collaborators, exports, seats
from .forms import CollaboratorForm, SeatEntryForm, SeatsUploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the seats of the elected bodies ----------------------------------------------------------


def _seat_form() -> SeatEntryForm:
    form = SeatEntryForm(prefix="entry")
    form.body.choices = choices("elected_body")
    return form


def _seats_page(form=None, upload=None, upload_errors=()):
    today = local_today()
    every = seats.history()
    return render_template(
        "plan/seats.html",
        form=form or _seat_form(),
        upload=upload or SeatsUploadForm(prefix="csv"),
        upload_errors=list(upload_errors),
        bodies=choices("elected_body"),
        in_force=seats.in_force(today, every),
        history=every,
        today=today,
    )


@bp.route("/plan/seats", methods=["GET", "POST"])
@require("plan.manage_seats")
def seats_page():
    form = _seat_form()
    if form.validate_on_submit():
        try:
            seats.add_entry(
                form.body.data,
                form.seats.data,
                form.women.data,
                form.entered_on.data,
                form.source.data,
                actor=current_user,
            )
        except ServiceError as error:
            db.session.rollback()
            apply_to_form(error, form)
        else:
            db.session.commit()
            flash(_("Đã thêm số liệu đại biểu; các số liệu trước vẫn được giữ lại."), "success")
            return redirect(url_for(".seats_page"))
    return _seats_page(form=form)


@bp.post("/plan/seats/import")
@require("plan.manage_seats")
def import_seats():
    upload = SeatsUploadForm(prefix="csv")
    if not upload.validate_on_submit():
        return _seats_page(upload=upload)
    try:
        text = upload.file.data.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return _seats_page(upload=upload, upload_errors=[_("Tệp không phải văn bản UTF-8.")])
    result = seats.import_seats(io.StringIO(text, newline=""), actor=current_user)
    if not result.ok:
        db.session.rollback()
        errors = [*result.errors, _("Không ghi gì: tệp có %(n)d lỗi.", n=len(result.errors))]
        return _seats_page(upload=upload, upload_errors=errors)
    if not result.entries:
        return _seats_page(upload=upload, upload_errors=[_("Tệp không có dòng số liệu nào.")])
    db.session.commit()
    flash(_("Đã nhập %(n)d số liệu đại biểu.", n=len(result.entries)), "success")
    return redirect(url_for(".seats_page"))


@bp.get("/plan/seats/template.csv")
@require("plan.manage_seats")
def seats_template():
    return send_file(
        io.BytesIO(exports.seats_template()),
        mimetype="text/csv",
        as_attachment=True,
        download_name="mau-so-dai-bieu.csv",
        max_age=0,
    )


# --- collaborators and volunteers -------------------------------------------------------------


def _year() -> int:
    """The year asked (?year=), by default this year's."""
    year = request.args.get("year", type=int)
    if year is None or not collaborators.FIRST_YEAR <= year <= collaborators.LAST_YEAR:
        return local_today().year
    return year


@bp.get("/plan/collaborators")
@require("plan.collaborators")
def collaborators_list():
    year = _year()
    today = local_today()
    return render_template(
        "plan/collaborators.html",
        overview=collaborators.overview(scope_prefix(current_user), year, today),
        years=range(today.year, today.year - 6, -1),
    )


@bp.get("/plan/collaborators.xlsx")
@require("plan.collaborators")
def collaborators_export():
    year = _year()
    data = exports.collaborators_xlsx(
        collaborators.overview(scope_prefix(current_user), year, local_today())
    )
    return send_file(
        io.BytesIO(data),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"cong-tac-vien-tinh-nguyen-vien-{year}.xlsx",
        max_age=0,
    )


def collaborator_form(**kwargs) -> CollaboratorForm:
    return CollaboratorForm(prefix="count", **kwargs)


@bp.route("/plan/organizations/<int:organization_id>/collaborators", methods=["GET", "POST"])
@require("plan.collaborators")
def organization_collaborators(organization_id: int):
    organization = organization_or_404(current_user, organization_id, "plan.collaborators")
    form = collaborator_form()
    if request.method == "GET":
        form.year.data = local_today().year
    if form.validate_on_submit():
        try:
            collaborators.add_count(
                organization,
                form.year.data,
                form.collaborators.data,
                form.volunteers.data,
                form.source.data,
                actor=current_user,
            )
        except ServiceError as error:
            db.session.rollback()
            apply_to_form(error, form)
        else:
            db.session.commit()
            flash(
                _(
                    "Đã thêm số liệu năm %(year)d của %(name)s.",
                    year=form.year.data,
                    name=organization.name,
                ),
                "success",
            )
            if request.form.get("back") == "organization":
                return redirect(
                    url_for("officials.organization", organization_id=organization.id)
                    + "#collaborators"
                )
            return redirect(url_for(".organization_collaborators", organization_id=organization.id))
    entries = collaborators.history(organization)
    return render_template(
        "plan/organization_collaborators.html",
        organization=organization,
        form=form,
        by_year=collaborators.latest_by_year(entries),
        history=entries,
    )
