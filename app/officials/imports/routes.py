"""The officials spreadsheet import on the web (DOMAIN §5.1): its forms, the preview page and
the template to fill in.

Reading and writing a sheet is long work: the pages that upload, preview and apply
(app.jobs.officials_sheet, above the jobs they start) run the importer in background jobs.
The upload is kept for its owner (uploads); the preview is the importer's dry run, kept beside
the upload (preview); applying runs the import for real in the job's transaction and deletes
the file. The importer applies the user's organization scope itself
(app.officials.imports.scope), as it does on the command line.
"""

from __future__ import annotations

from datetime import datetime

from flask import render_template, send_file
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField

from ...forms import FlaskForm
from ...i18n import TIMEZONE
from ...permissions import require
from .. import bp, exporter
from . import preview as previews
from . import uploads
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


def render_preview(stored: StoredUpload, result: previews.PreviewResult):
    """The preview page of a kept preview."""
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


def missing_upload():
    """The page of an upload that is gone (unknown, someone else's, expired, applied)."""
    return render_template("officials/import_missing.html"), 404


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
