"""The officials spreadsheet on the web (DOMAIN §5.1): upload, preview, apply; the template to
fill in; export of the officials list's current filter.

An upload is kept server-side under UPLOAD_DIR/imports/<random token> with a JSON sidecar
naming its owner, its original name and the options; only the token travels (in the URL of
the preview and of the apply form). The preview is the importer's dry run; applying runs the
import for real in this request's transaction and deletes the file. Uploads older than
UPLOAD_TTL are swept away at the next upload.

The importer applies the user's organization scope itself (app.officials.imports.scope), as
it does on the command line.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField

from ...domain import ladders
from ...domain.files import clean_file_name
from ...domain.sheet import COLUMNS, COLUMNS_BY_KEY, SheetError
from ...extensions import db
from ...i18n import TIMEZONE
from ...i18n import today as local_today
from ...permissions import EVERYTHING, require, scope_prefix
from .. import bp, exporter, queries
from ..forms import OfficialFilterForm
from . import importer
from .files import FORMATS
from .messages import format_issue

IMPORT_FOLDER = "imports"
UPLOAD_TTL = 2 * 60 * 60  # seconds an uploaded file waits for its confirmation
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
SHOWN_ISSUES = 200  # errors (and warnings) listed on the preview; the total is always shown
XLSX = exporter.CONTENT_TYPES["xlsx"]
VALUES_SHEET = "Giá trị hợp lệ"
TEMPLATE_ROWS = 2000
LOOKUP_CHUNK = 5000


# --- forms -------------------------------------------------------------------------------


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
    submit = SubmitField(_l("Tải lên và xem trước"))


class ApplyForm(FlaskForm):
    submit = SubmitField(_l("Nhập vào hệ thống"))


# --- uploads kept for their confirmation --------------------------------------------------


@dataclass(frozen=True)
class StoredUpload:
    token: str
    path: Path
    owner_id: int
    file_name: str
    create_organizations: bool
    uploaded_at: float

    @property
    def sidecar(self) -> Path:
        return self.path.with_name(self.path.name + ".json")

    @property
    def preview_file(self) -> Path:
        """The preview's result, kept so that a reload neither reads nor checks the file
        again."""
        return self.path.with_name(self.path.name + ".preview.json")


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / IMPORT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_private(path: Path, chunks) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)


def _display_name(file_name: str) -> str:
    # Shown on the preview only; never used on disk.
    return clean_file_name(file_name, default="tep", limit=200)


def store_upload(upload, owner, create_organizations: bool) -> str:
    """Keep an uploaded file (werkzeug FileStorage) for `owner`; return its token."""
    _sweep()
    token = secrets.token_urlsafe(24)
    path = _folder() / token
    _write_private(path, iter(lambda: upload.stream.read(1 << 16), b""))
    meta = {
        "owner_id": owner.id,
        "file_name": _display_name(upload.filename),
        "create_organizations": bool(create_organizations),
        "uploaded_at": time.time(),
    }
    _write_private(path.with_name(token + ".json"), [json.dumps(meta).encode()])
    return token


def load_upload(token: str, owner) -> StoredUpload | None:
    """The upload of `token` if it exists, is not expired and belongs to `owner`."""
    if not TOKEN.fullmatch(token or ""):
        return None
    path = _folder() / token
    try:
        meta = json.loads(path.with_name(token + ".json").read_text())
    except (OSError, ValueError):
        return None
    stored = StoredUpload(
        token=token,
        path=path,
        owner_id=meta.get("owner_id"),
        file_name=meta.get("file_name") or "",
        create_organizations=bool(meta.get("create_organizations")),
        uploaded_at=float(meta.get("uploaded_at") or 0),
    )
    if stored.owner_id != owner.id or not path.is_file():
        return None
    if time.time() - stored.uploaded_at > UPLOAD_TTL:
        discard_upload(stored)
        return None
    return stored


def discard_upload(stored: StoredUpload) -> None:
    for path in (stored.path, stored.sidecar, stored.preview_file):
        path.unlink(missing_ok=True)


def _sweep() -> None:
    """Delete uploads nobody confirmed in time."""
    limit = time.time() - UPLOAD_TTL
    for path in _folder().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


# --- checking and applying ---------------------------------------------------------------


def _run(stored: StoredUpload, apply: bool):
    """The importer's result for the upload, as the current user (her scope applies)."""
    return importer.import_file(
        stored.path,
        stored.file_name,
        create_organizations=stored.create_organizations,
        dry_run=not apply,
        actor=current_user,
    )


def _issue_rows(issues) -> list[dict]:
    return [
        {
            "row": issue.row,
            "column": COLUMNS_BY_KEY[issue.column].header_vi
            if issue.column in COLUMNS_BY_KEY
            else "",
            "value": issue.value,
            "message": format_issue(issue),
        }
        for issue in issues[:SHOWN_ISSUES]
    ]


def _render_preview(stored: StoredUpload, result):
    errors, warnings = result.errors, result.warnings
    return render_template(
        "officials/import_preview.html",
        stored=stored,
        result=result,
        errors=_issue_rows(errors),
        error_count=len(errors),
        warnings=_issue_rows(warnings),
        warning_count=len(warnings),
        shown=SHOWN_ISSUES,
        changes=result.new + result.updated + len(result.organizations_created),
        form=ApplyForm(formdata=None),
        expires_at=datetime.fromtimestamp(stored.uploaded_at + UPLOAD_TTL, TIMEZONE),
    )


@dataclass
class PreviewResult:
    """What the preview shows of an importer's result, as kept between reloads."""

    new: int
    updated: int
    unchanged: int
    records_added: int
    organizations_created: list[str]
    errors: list[SheetError]
    warnings: list[SheetError]

    @property
    def rows(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def ok(self) -> bool:
        return not self.errors


def _issue_data(issue: SheetError) -> list:
    return [issue.row, issue.column, issue.value, issue.kind, list(issue.expected)]


def _issue_from(data: list) -> SheetError:
    row, column, value, kind, expected = data
    return SheetError(row, column, value, kind, tuple(expected))


def _keep_preview(stored: StoredUpload, result) -> PreviewResult:
    kept = PreviewResult(
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        records_added=result.records_added,
        organizations_created=list(result.organizations_created),
        errors=list(result.errors),
        warnings=list(result.warnings),
    )
    data = {
        **{key: getattr(kept, key) for key in ("new", "updated", "unchanged", "records_added")},
        "organizations_created": kept.organizations_created,
        "errors": [_issue_data(issue) for issue in kept.errors],
        "warnings": [_issue_data(issue) for issue in kept.warnings],
    }
    partial = stored.preview_file.with_name(f"{stored.preview_file.name}.{secrets.token_hex(4)}")
    _write_private(partial, [json.dumps(data).encode()])
    os.replace(partial, stored.preview_file)
    return kept


def _kept_preview(stored: StoredUpload) -> PreviewResult | None:
    try:
        data = json.loads(stored.preview_file.read_text())
        return PreviewResult(
            **{key: int(data[key]) for key in ("new", "updated", "unchanged", "records_added")},
            organizations_created=[str(name) for name in data["organizations_created"]],
            errors=[_issue_from(issue) for issue in data["errors"]],
            warnings=[_issue_from(issue) for issue in data["warnings"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _missing_upload():
    return render_template("officials/import_missing.html"), 404


@bp.route("/officials/import", methods=["GET", "POST"], endpoint="import_upload")
@require("officials.import")
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        token = store_upload(form.file.data, current_user, form.create_organizations.data)
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
    stored = load_upload(token, current_user)
    if stored is None:
        return _missing_upload()
    kept = _kept_preview(stored)
    if kept is None:
        result = _run(stored, apply=False)
        db.session.rollback()
        kept = _keep_preview(stored, result)
    return _render_preview(stored, kept)


@bp.route("/officials/import/<token>/apply", methods=["POST"], endpoint="import_apply")
@require("officials.import")
def apply(token: str):
    stored = load_upload(token, current_user)
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
        return _render_preview(stored, result)
    db.session.commit()
    discard_upload(stored)
    flash(_("Đã nhập: %(summary)s", summary=result.summary()), "success")
    for message in result.warning_messages()[:10]:
        flash(_("Cảnh báo: %(message)s", message=message), "warning")
    return redirect(url_for(".list"))


# --- the template to fill in -------------------------------------------------------------

_BOOLEAN_LABELS = ("Có", "Không")


def _vocabularies() -> dict[str, tuple[str, tuple[str, ...]]]:
    """kind -> (title on the values sheet, allowed labels), for every coded column."""
    kinds = {
        "sex": ladders.SEXES,
        "category": ladders.CATEGORIES,
        "plan_level": ladders.PLAN_LEVELS,
        "position_rank": ladders.POSITION_RANKS,
    }
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for column in COLUMNS:
        if column.kind in found:
            continue
        if column.kind in kinds:
            labels = tuple(level.label_vi for level in kinds[column.kind])
            found[column.kind] = (column.header_vi, labels)
        elif column.kind.startswith("ladder:"):
            ladder = ladders.LADDERS[column.kind.split(":", 1)[1]]
            found[column.kind] = (column.header_vi, tuple(lv.label_vi for lv in ladder.levels))
        elif column.kind == "bool":
            found[column.kind] = ("Có / Không", _BOOLEAN_LABELS)
    return found


def template_workbook() -> BytesIO:
    """The officials sheet with its headers (required ones bold), a sheet of the allowed
    values, and drop-down lists reading those values (labels contain commas, so an inline
    list would split them) over TEMPLATE_ROWS rows."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = exporter.SHEET_TITLE
    values = workbook.create_sheet(VALUES_SHEET)
    vocabularies = _vocabularies()
    ranges = {}
    for index, (kind, (title, labels)) in enumerate(vocabularies.items(), start=1):
        letter = get_column_letter(index)
        values.cell(row=1, column=index, value=title).font = Font(bold=True)
        for row, text in enumerate(labels, start=2):
            values.cell(row=row, column=index, value=text)
        values.column_dimensions[letter].width = max(14, max(len(t) for t in labels) + 2)
        ranges[kind] = f"{quote_sheetname(VALUES_SHEET)}!${letter}$2:${letter}${len(labels) + 1}"
    values.freeze_panes = "A2"

    required_fill = PatternFill("solid", fgColor="FFF2CC")
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.header_vi)
        header.font = Font(bold=column.required)
        if column.required:
            header.fill = required_fill
            header.comment = Comment(_("Bắt buộc"), _("Mẫu"))
        sheet.column_dimensions[letter].width = max(12, len(column.header_vi) + 4)
        if column.kind in ranges:
            validation = DataValidation(
                type="list",
                formula1=ranges[column.kind],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Giá trị không hợp lệ"),
                error=_(
                    "Chọn một giá trị trong danh sách (trang “%(sheet)s”).", sheet=VALUES_SHEET
                ),
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
        elif column.kind == "date" or column.key == "code":
            # Dates shown dd/mm/yyyy; codes kept as text (leading zeros survive).
            number_format = "DD/MM/YYYY" if column.kind == "date" else "@"
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = number_format
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


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


# --- export of the list's current filter -------------------------------------------------


def _filtered_officials():
    """The officials list's query for the filters in the URL, within the user's scope."""
    scope = scope_prefix(current_user)
    form = OfficialFilterForm(request.args)
    form.organization_id.choices = [("", ""), *queries.organization_options(scope)]
    filters, _sort = form.filters()
    return queries.filtered(scope, filters, local_today())


def _streamed_csv(app, officials):
    """The CSV, read while it is sent: the server iterates after the request has ended, so
    the generator holds an application context (and database session) of its own, entered
    only once the body is really read (servers and werkzeug's test client pull one chunk
    early, in the request's context: that first chunk is empty)."""
    yield ""
    with app.app_context():
        yield from exporter.iter_csv(officials)


@bp.route("/officials/export.<any(xlsx, csv):fmt>", endpoint="export")
@require("officials.list")
def export(fmt: str):
    officials = _filtered_officials()
    name = f"can-bo-{datetime.now(TIMEZONE):%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        response = Response(
            _streamed_csv(current_app._get_current_object(), officials),
            content_type=exporter.CONTENT_TYPES["csv"],
        )
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        # openpyxl needs a seekable file to write the zip; it is deleted once sent.
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
        exporter.write_xlsx(handle, officials)
        handle.seek(0)
        response = send_file(handle, mimetype=XLSX, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response
