"""The officials spreadsheet through background jobs: upload -> preview (a job checking the
file) -> apply (a job importing it). The pages live here, above both the registry's import
(app.officials.imports, which knows nothing of jobs) and the jobs that run it.

The upload is kept for its owner as before (app.officials.imports.uploads). The preview job
runs the importer's dry run and keeps what the preview shows beside the upload; the preview
page shows the progress until then and the kept preview after, on every reload. The apply
job imports for real in its one transaction, committed with the job's result, and deletes the
upload; where the file has errors now, nothing is written and the preview shows them.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..officials.imports import importer, uploads
from ..officials.imports import preview as previews
from ..officials.imports.routes import ApplyForm, ImportForm, missing_upload, render_preview
from ..permissions import EVERYTHING, require, scope_prefix
from . import bp, services
from .kinds import Outcome, register_kind

PREVIEW = "officials.import_preview"
APPLY = "officials.import_apply"
SHOWN_WARNINGS = 10


def _preview_url(token: str) -> str:
    # A plain path: a consumer has no request to build URLs from.
    return f"/officials/import/{token}"


def _stored(context):
    """The upload the job is about, for its owner; None when it is gone."""
    if context.owner is None:
        return None
    return uploads.load_upload(context.params.get("token", ""), context.owner)


def _import(context, stored, apply: bool):
    return importer.import_file(
        stored.path,
        stored.file_name,
        create_organizations=stored.create_organizations,
        dry_run=not apply,
        actor=context.owner,
        progress=context.progress,
    )


def _gone() -> Outcome:
    return Outcome(
        refused=True,
        errors=[_("Không tìm thấy tệp đã tải lên. Hãy tải tệp lên lại.")],
        link="/officials/import",
    )


def run_preview(context) -> Outcome:
    """The importer's dry run of the upload, kept beside it for the preview page."""
    stored = _stored(context)
    if stored is None:
        return _gone()
    result = _import(context, stored, apply=False)
    db.session.rollback()  # a dry run writes nothing
    kept = previews.keep(stored, result)
    if kept.errors:
        message = _("Tệp có %(num)d lỗi.", num=len(kept.errors))
    else:
        message = _(
            "Tệp hợp lệ: %(new)d cán bộ mới, %(updated)d cập nhật.",
            new=kept.new,
            updated=kept.updated,
        )
    return Outcome(message=message, link=_preview_url(stored.token))


def run_apply(context) -> Outcome:
    """The import for real, in the job's transaction."""
    stored = _stored(context)
    if stored is None:
        return _gone()
    result = _import(context, stored, apply=True)
    if not result.ok or not result.written:
        # Something changed since the preview: the preview shows what is wrong now.
        db.session.rollback()
        previews.keep(stored, result)
        return Outcome(
            refused=True,
            message=_("Chưa nhập: tệp có lỗi. Không có dữ liệu nào được ghi."),
            errors=result.error_messages()[: previews.SHOWN_ISSUES],
            link=_preview_url(stored.token),
        )
    return Outcome(
        message=_("Đã nhập: %(summary)s", summary=result.summary()),
        details=[
            _("Cảnh báo: %(message)s", message=message)
            for message in result.warning_messages()[:SHOWN_WARNINGS]
        ],
        link="/officials",
        after_commit=lambda: uploads.discard_upload(stored),
    )


def _file_name(params: dict) -> str:
    return params.get("file_name") or ""


register_kind(
    PREVIEW,
    run_preview,
    lambda params: _("Kiểm tra tệp cán bộ “%(name)s”", name=_file_name(params)),
    unit=lambda: _("dòng"),
    writes=False,
)
register_kind(
    APPLY,
    run_apply,
    lambda params: _("Nhập tệp cán bộ “%(name)s”", name=_file_name(params)),
    unit=lambda: _("dòng"),
)


# --- the pages ---------------------------------------------------------------------------


def _submit(kind: str, stored) -> object:
    return services.submit(
        kind,
        current_user,
        {"token": stored.token, "file_name": stored.file_name},
        subject=stored.token,
    )


@bp.route("/officials/import", methods=["GET", "POST"], endpoint="import_upload")
@require("officials.import")
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        token = uploads.store_upload(form.file.data, current_user, form.create_organizations.data)
        _submit(PREVIEW, uploads.load_upload(token, current_user))
        db.session.commit()
        return redirect(_preview_url(token))
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
        return missing_upload()
    job = services.latest_for(APPLY, token, current_user) or services.latest_for(
        PREVIEW, token, current_user
    )
    if job is not None and not job.finished:
        # Still being checked (or imported): its progress, until the kept preview exists.
        return render_template(
            "jobs/job.html", job=job, status=services.status(job), reload_when_done=True
        )
    kept = previews.kept(stored)
    if kept is None:
        if job is not None and job.state == "failed":
            return redirect(url_for("jobs.page", job_id=job.id))
        return missing_upload()
    return render_preview(stored, kept)


@bp.route("/officials/import/<token>/apply", methods=["POST"], endpoint="import_apply")
@require("officials.import")
def apply(token: str):
    stored = uploads.load_upload(token, current_user)
    if stored is None:
        return missing_upload()
    if not ApplyForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn; hãy bấm nhập lại."), "danger")
        return redirect(_preview_url(token))
    running = services.latest_for(APPLY, token, current_user)
    if running is not None and not running.finished:  # a second click: the same job
        return redirect(url_for("jobs.page", job_id=running.id))
    job = _submit(APPLY, stored)
    db.session.commit()
    return redirect(url_for("jobs.page", job_id=job.id))
