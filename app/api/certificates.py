"""/api/v1 certificates of finished courses (DOMAIN §7, issue 13).

- `GET /me/certificates`: the caller's own certificates (revoked ones too, with their status);
- `GET /courses/<id>/certificates`: a course's certificates, for the HR managing it.
The PDF is `/certificates/<number>.pdf` and the public check `/verify/<number>` (pages).
"""

from datetime import UTC

import marshmallow as ma
from flask import url_for
from flask.views import MethodView
from flask_smorest import abort

from ..attendance import services
from ..attendance.certificates import verification_url
from ..attendance.models import CERTIFICATE_STATUSES
from ..permissions import can
from . import api_blueprint, current_api_user
from .attendance import course_or_404
from .officials import checked
from .schemas import error_responses

blp = api_blueprint("api_certificates", __name__, "Certificates of finished courses")


class CertificateSchema(ma.Schema):
    number = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(CERTIFICATE_STATUSES)})
    official_id = ma.fields.Integer(required=True)
    full_name = ma.fields.String(required=True)
    course_id = ma.fields.Integer(required=True)
    course_title = ma.fields.String(required=True)
    ladder = ma.fields.String(required=True)
    level = ma.fields.String(required=True)
    first_day = ma.fields.Date(required=True, allow_none=True)
    issued_on = ma.fields.Date(required=True)
    revoked_at = ma.fields.DateTime(required=True, allow_none=True)
    pdf_url = ma.fields.String(required=True, allow_none=True, metadata={"description": "Valid"})
    verification_url = ma.fields.String(required=True)


class CertificateListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CertificateSchema), required=True)


def data(certificate) -> dict:
    return {
        "number": certificate.number,
        "status": certificate.status,
        "official_id": certificate.official_id,
        "full_name": certificate.official.full_name,
        "course_id": certificate.course_id,
        "course_title": certificate.course.title,
        "ladder": certificate.ladder,
        "level": certificate.level,
        "first_day": certificate.first_day,
        "issued_on": certificate.issued_on,
        "revoked_at": certificate.revoked_at.replace(tzinfo=UTC)
        if certificate.revoked_at
        else None,
        "pdf_url": (
            url_for("attendance.certificate_pdf", number=certificate.number)
            if certificate.valid
            else None
        ),
        "verification_url": verification_url(certificate.number),
    }


def _own() -> dict:
    if not can(current_api_user(), "attendance.view_own"):
        abort(403)
    return {}


@blp.route("/me/certificates")
class OwnCertificates(MethodView):
    @checked(lambda: _own(), body=False)
    @blp.response(200, CertificateListSchema)
    @error_responses(blp, 401, 403)
    def get(self):
        """Her own certificates, newest first (an account linked to an official)."""
        official_id = current_api_user().official_id
        return {"items": [data(c) for c in services.certificates_of_official(official_id)]}


@blp.route("/courses/<int:course_id>/certificates")
class CourseCertificates(MethodView):
    @checked(lambda course_id: course_or_404(course_id, "courses.finish"), body=False)
    @blp.response(200, CertificateListSchema)
    @error_responses(blp, 401, 403, 404)
    def get(self, course):
        """The course's certificates, revoked ones too (the HR managing the course)."""
        return {"items": [data(c) for c in services.certificates_of_course(course.id)]}
