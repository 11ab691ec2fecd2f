"""Certificates (the PDF, the public verification page) and finishing or reopening a course
(DOMAIN §7, issue 13). The register, "today's sessions" and the grid pages build on
app.attendance.services (app.attendance.pages)."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..courses.routes import course_or_404
from ..extensions import db, limiter
from ..permissions import ensure
from ..validation import ServiceError
from . import bp, certificates, services
from .models import Certificate


def _verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "30 per minute;300 per hour")


def certificate_or_404(number: str) -> Certificate:
    """The certificate: 404 when unknown or revoked (a void one is no document), 403 for a
    signed-in user who may not open it."""
    certificate = services.find_certificate(number)
    if certificate is None or not certificate.valid:
        abort(404)
    ensure(current_user, "certificates.view", certificate)
    return certificate


@bp.get("/certificates/<number>.pdf")
@login_required
def certificate_pdf(number: str):
    certificate = certificate_or_404(number)
    response = current_app.response_class(certificates.pdf(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="giay-chung-nhan-{certificate.number}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/verify/<number>")
@limiter.limit(_verify_limit, scope="certificate-verify")
def verify(number: str):
    """Public (no login): only her name, the course, its dates and whether it is valid."""
    certificate = services.find_certificate(number)
    if certificate is None:
        return render_template("attendance/not_found.html"), 404
    return render_template("attendance/verify.html", certificate=certificate)


@bp.post("/courses/<int:course_id>/finish")
@login_required
def finish(course_id: int):
    course = course_or_404(course_id)
    ensure(current_user, "courses.finish", course)
    try:
        outcome = services.finish_course(course, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(
            _(
                "Đã kết thúc khóa học: %(completed)d hoàn thành, %(not_completed)d không hoàn "
                "thành, %(certificates)d giấy chứng nhận được cấp.",
                completed=len(outcome.with_status("completed")),
                not_completed=len(outcome.with_status("not_completed")),
                certificates=len(outcome.certificates),
            ),
            "success",
        )
    return redirect(url_for("courses.view", course_id=course_id))


@bp.post("/courses/<int:course_id>/reopen")
@login_required
def reopen(course_id: int):
    course = course_or_404(course_id)
    ensure(current_user, "courses.finish", course)
    try:
        services.reopen_course(course, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(
            _(
                "Đã mở lại khóa học: kết quả, văn bằng và giấy chứng nhận của lần kết thúc "
                "trước đã được hủy."
            ),
            "success",
        )
    return redirect(url_for("courses.view", course_id=course_id))
