"""The officials spreadsheet import on the web (DOMAIN §5.1): upload, preview, apply; the
template to fill in.

The upload is kept for its owner (uploads); the preview is the importer's dry run, kept beside
the upload (preview); applying runs the import for real in this request's transaction and
deletes the file. The importer applies the user's organization scope itself
(app.officials.imports.scope), as it does on the command line.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField

from ...extensions import db
from ...forms import FlaskForm
from ...i18n import TIMEZONE
from ...permissions import EVERYTHING, require, scope_prefix
from .. import bp, exporter
from . import importer, uploads
from . import preview as previews
from .files import FORMATS
from .template import template_workbook
from .uploads import StoredUpload

XLSX = exporter.CONTENT_TYPES["xlsx"]


class ImportForm(FlaskForm):
    file = FileField(
        _l("Tệp danh sách cán bộ (.xlsx, .xls, .xlsb, .ods hoặc .csv)"),
        validators=[
            FileRequired(message=_l("Chọn tệp cần nhập.")),
            FileAllowed(
                list(FORMATS), message=_l("Chỉ nhận tệp .xlsx, .xls, .xlsb, .ods hoặc .csv.")
            ),
        ],
        render_kw={"accept": ",".join(f".{kind}" for kind in FORMATS)},
    )
    create_organizations = BooleanField(_l("Tạo đơn vị chưa có"))
    # data-busy: app/static/js/imports.js disables the button while the request runs.
    submit = SubmitField(
        _l("Tải lên và xem trước"), render_kw={"data-busy": _l("Đang tải lên và kiểm tra…")}
    )


class ApplyForm(FlaskForm):
    submit = SubmitField(_l("Nhập vào hệ thống"), render_kw={"data-busy": _l("Đang nhập…")})


def _run(stored: StoredUpload, apply: bool):
    """The importer's result for the upload, as the current user (her scope applies)."""
    return importer.import_file(
        stored.path,
        stored.file_name,
        create_organizations=stored.create_organizations,
        dry_run=not apply,
        actor=current_user,
    )


def _render_preview(stored: StoredUpload, result: previews.PreviewResult):
    errors, warnings = result.errors, result.warnings
    return render_template(
        "officials/import_preview.html",
        stored=stored,
        result=result,
        errors=previews.issue_rows(errors),
        error_count=len(errors),
        warnings=previews.issue_rows(warnings),
        warning_count=len(warnings),
        shown=previews.SHOWN_ISSUES,
        changes=result.new + result.updated + len(result.organizations_created),
        changed_rows=previews.display_rows(result.changed_rows),
        records=previews.display_records(result.records_by_level),
        form=ApplyForm(formdata=None),
        expires_at=datetime.fromtimestamp(stored.uploaded_at + uploads.UPLOAD_TTL, TIMEZONE),
    )


def _missing_upload():
    return render_template("officials/import_missing.html"), 404


@bp.route("/officials/import", methods=["GET", "POST"], endpoint="import_upload")
@require("officials.import")
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        token = uploads.store_upload(form.file.data, current_user, form.create_organizations.data)
        return redirect(url_for(".import_preview", token=token))
    return render_template(
        "officials/import.html",
        form=form,
        whole_province=scope_prefix(current_user) == EVERYTHING,
        max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
    )


@bp.route("/officials/import/<token>", endpoint="import_preview")
@require("officials.import")
def preview(token: str):
    stored = uploads.load_upload(token, current_user)
    if stored is None:
        return _missing_upload()
    kept = previews.kept(stored)
    if kept is None:
        result = _run(stored, apply=False)
        db.session.rollback()
        kept = previews.keep(stored, result)
    return _render_preview(stored, kept)


@bp.route("/officials/import/<token>/apply", methods=["POST"], endpoint="import_apply")
@require("officials.import")
def apply(token: str):
    stored = uploads.load_upload(token, current_user)
    if stored is None:
        return _missing_upload()
    if not ApplyForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn; hãy bấm nhập lại."), "danger")
        return redirect(url_for(".import_preview", token=token))
    result = _run(stored, apply=True)
    if not result.ok or not result.written:
        # Something changed since the preview: show what is wrong now; nothing was written.
        db.session.rollback()
        flash(_("Chưa nhập: tệp có lỗi. Không có dữ liệu nào được ghi."), "danger")
        return _render_preview(stored, previews.keep(stored, result))
    db.session.commit()
    uploads.discard_upload(stored)
    flash(_("Đã nhập: %(summary)s", summary=result.summary()), "success")
    for message in result.warning_messages()[:10]:
        flash(_("Cảnh báo: %(message)s", message=message), "warning")
    return redirect(url_for(".list"))


@bp.route("/officials/import/template.xlsx", endpoint="import_template")
@require("officials.import")
def template():
    response = send_file(
        template_workbook(),
        mimetype=XLSX,
        as_attachment=True,
        download_name="mau-danh-sach-can-bo.xlsx",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
