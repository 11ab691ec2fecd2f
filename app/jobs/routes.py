"""A job's page (a progress bar following its status), its status as JSON and its file."""

from __future__ import annotations

import io

from flask import abort, jsonify, render_template, send_file
from flask_login import current_user, login_required

from ..database import best_effort_write
from ..extensions import db
from ..permissions import can
from . import bp, services
from .models import Job


def _job_or_404(job_id: int) -> Job:
    """The job, for its owner or an administrator; 404 for anyone else (its existence is
    private)."""
    job = db.session.get(Job, job_id)
    if job is None or not can(current_user, "job.view", job):
        abort(404)
    if services.is_stale(job):
        # Its consumer is gone: say so now (a read request, so only if the database lets it).
        with best_effort_write():
            services.fail_if_stale(job)
        db.session.commit()
        db.session.refresh(job)
    return job


@bp.route("/jobs/<int:job_id>", endpoint="page")
@login_required
def page(job_id: int):
    job = _job_or_404(job_id)
    return render_template("jobs/job.html", job=job, status=services.status(job))


@bp.route("/jobs/<int:job_id>.json", endpoint="status")
@login_required
def status(job_id: int):
    job = _job_or_404(job_id)
    response = jsonify(services.status(job))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jobs/<int:job_id>/download", endpoint="download")
@login_required
def download(job_id: int):
    job = _job_or_404(job_id)
    if job.state != "done" or not job.file_name or job.file_data is None:
        abort(404)
    response = send_file(
        io.BytesIO(job.file_data),
        mimetype=job.content_type or "application/octet-stream",
        as_attachment=True,
        download_name=job.file_name,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
