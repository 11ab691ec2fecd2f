"""/api/v1 qualification records: an official's records and current levels, HR's additions and
deletions, her proposals with a scan, HR's verification or rejection.

The same permissions as the pages (app/qualifications/rules.py): an official outside the
caller's reach answers 404, as does a record of such an official; an action the caller may not
do on a visible one answers 403. Writing is the services' (which audit); the commit is the
blueprint's.
"""

from datetime import UTC

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import abort
from flask_smorest.fields import Upload
from marshmallow import validate
from werkzeug.datastructures import CombinedMultiDict

from ..domain.ladders import LADDERS
from ..i18n import today
from ..qualifications import services
from ..qualifications.levels import current_levels, records_of
from ..qualifications.loaders import official_or_404, record_or_404
from ..qualifications.models import LEVEL_CODES, SOURCES, STATUSES, Qualification
from . import JsonParser, api_blueprint, current_api_user
from .officials import checked
from .schemas import error_responses, text
from .versioning import ETAG, check_if_match, etag, versioned_write

blp = api_blueprint("api_qualifications", __name__, "Qualification records and current levels")


class FormAndFilesParser(JsonParser):
    """The `form` location of this blueprint holds the form fields and the files of one
    multipart request (a proposal and its scan), so that one schema validates both and its
    errors are reported per field like any other location's."""

    def load_form(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


blp.ARGUMENTS_PARSER = FormAndFilesParser()


# --- schemas -------------------------------------------------------------------------------


class QualificationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    official_id = ma.fields.Integer(required=True)
    ladder = ma.fields.String(required=True, metadata={"enum": list(LADDERS)})
    level = ma.fields.String(required=True, metadata={"enum": list(LEVEL_CODES)})
    issued_on = ma.fields.Date(required=True, allow_none=True)
    institution = ma.fields.String(required=True, allow_none=True)
    certificate_number = ma.fields.String(required=True, allow_none=True)
    field_of_study = ma.fields.String(required=True, allow_none=True)
    note = ma.fields.String(required=True, allow_none=True)
    source = ma.fields.String(required=True, metadata={"enum": list(SOURCES)})
    status = ma.fields.String(
        required=True,
        metadata={"enum": list(STATUSES), "description": "Only verified records count"},
    )
    rejection_reason = ma.fields.String(required=True, allow_none=True)
    has_scan = ma.fields.Boolean(
        required=True, metadata={"description": "A proposal's scan, shown on the web pages"}
    )
    recorded_by_id = ma.fields.Integer(required=True, allow_none=True)
    recorded_at = ma.fields.DateTime(required=True)
    verified_by_id = ma.fields.Integer(required=True, allow_none=True)
    verified_at = ma.fields.DateTime(required=True, allow_none=True)
    version = ma.fields.Integer(
        required=True,
        metadata={"description": 'Raised by every change; the ETag is W/"<id>-<version>"'},
    )


class QualificationListSchema(ma.Schema):
    official_id = ma.fields.Integer(required=True)
    as_of = ma.fields.Date(required=True, metadata={"description": "Today in the province"})
    current_levels = ma.fields.Dict(
        keys=ma.fields.String(metadata={"enum": list(LADDERS)}),
        values=ma.fields.String(),
        required=True,
        metadata={"description": "{ladder: level code} from her verified records ('none')"},
    )
    items = ma.fields.List(
        ma.fields.Nested(QualificationSchema),
        required=True,
        metadata={"description": "Every record (all statuses), newest issue date first"},
    )


class _RecordFields(ma.Schema):
    ladder = ma.fields.String(required=True, validate=validate.OneOf(tuple(LADDERS)))
    level = ma.fields.String(
        required=True,
        validate=validate.OneOf(LEVEL_CODES),
        metadata={"description": "A level of that ladder, not `none` (422 otherwise)"},
    )
    issued_on = ma.fields.Date(
        allow_none=True, metadata={"description": "Not in the future; none = counts always"}
    )
    institution = text(Qualification, "institution", allow_none=True)
    certificate_number = text(Qualification, "certificate_number", allow_none=True)
    field_of_study = text(Qualification, "field_of_study", allow_none=True)
    note = text(Qualification, "note", allow_none=True)


class QualificationCreateSchema(_RecordFields):
    """A verified record entered by HR."""


class ProposalSchema(_RecordFields):
    """Her proposal, sent as multipart/form-data with the scan of the certificate."""

    scan = Upload(
        required=True,
        metadata={"description": "PDF, PNG or JPEG (by content), at most 5 MB"},
    )


class RejectSchema(ma.Schema):
    reason = text(
        Qualification,
        "rejection_reason",
        required=True,
        metadata={"description": "Required, shown to the official (blank: 422)"},
    )


# --- loading and checking, before the body is parsed --------------------------------------


def _require_multipart() -> None:
    if request.mimetype != "multipart/form-data":
        abort(415, message="Send the proposal as multipart/form-data (with the scan).")


def _proposer(official_id: int):
    official = official_or_404(current_api_user(), official_id, "qualification.propose")
    _require_multipart()
    return {"official": official}


def _data(record: Qualification) -> dict:
    fields = QualificationSchema().fields
    data = {name: getattr(record, name) for name in fields if name != "has_scan"}
    data["has_scan"] = bool(record.scan_path)
    for name in ("recorded_at", "verified_at"):
        # Stored as naive UTC (auth.models.utcnow); RFC 3339 wants the offset.
        if data[name] is not None:
            data[name] = data[name].replace(tzinfo=UTC)
    return data


UPLOAD_ERRORS = (400, 401, 403, 404, 413, 415, 422)


# --- operations ----------------------------------------------------------------------------


@blp.route("/officials/<int:official_id>/qualifications")
class OfficialQualifications(MethodView):
    @checked(
        lambda official_id: {
            "official": official_or_404(current_api_user(), official_id, "qualifications.view")
        },
        body=False,
    )
    @blp.response(200, QualificationListSchema)
    @error_responses(blp, 401, 404)
    def get(self, official):
        """Her records (every status) and her current level on every ladder (verified only).

        HR whose scope holds her, or herself."""
        on = today()
        return {
            "official_id": official.id,
            "as_of": on,
            "current_levels": current_levels(official, on),
            "items": [_data(record) for record in records_of(official)],
        }

    @checked(
        lambda official_id: {
            "official": official_or_404(current_api_user(), official_id, "qualification.add")
        }
    )
    @blp.arguments(QualificationCreateSchema)
    @blp.response(201, QualificationSchema)
    @error_responses(
        blp,
        400,
        401,
        403,
        404,
        413,
        415,
        422,
        rules="a level not of that ladder (or `none`), an issue date in the future",
    )
    def post(self, data, official):
        """Record a verified level reached by her (HR of her scope). Audited."""
        ladder, level = data.pop("ladder"), data.pop("level")
        record = services.add_record(official, ladder, level, actor=current_api_user(), **data)
        return _data(record)


@blp.route("/officials/<int:official_id>/qualifications/proposals")
class Proposals(MethodView):
    @checked(_proposer, body=False)
    @blp.arguments(ProposalSchema, location="form", content_type="multipart/form-data")
    @blp.response(201, QualificationSchema)
    @error_responses(
        blp,
        *UPLOAD_ERRORS,
        rules="a level not of that ladder (or `none`), an issue date in the future, a scan "
        "that is not a PDF, PNG or JPEG by its content, or over 5 MB",
    )
    def post(self, data, official):
        """Propose a record with a scan of the certificate (the official herself only).

        The record waits for HR (status pending) and counts only once verified."""
        ladder, level, scan = data.pop("ladder"), data.pop("level"), data.pop("scan")
        record = services.propose_record(
            official, ladder, level, scan=scan, actor=current_api_user(), **data
        )
        return _data(record)


@blp.route("/qualifications/<int:record_id>")
class QualificationResource(MethodView):
    @checked(
        lambda record_id: {
            "record": record_or_404(current_api_user(), record_id, "qualification.edit")
        },
        body=False,
    )
    @blp.response(204)
    @error_responses(blp, 401, 403, 404)
    @versioned_write(blp)
    def delete(self, record):
        """Remove a record (HR of her scope). Audited."""
        check_if_match(record)
        services.remove_record(record, actor=current_api_user())


@blp.route("/qualifications/<int:record_id>/verify")
class Verify(MethodView):
    @checked(
        lambda record_id: {
            "record": record_or_404(current_api_user(), record_id, "qualification.verify")
        },
        body=False,
    )
    @blp.response(200, QualificationSchema, headers=ETAG)
    @error_responses(blp, 401, 403, 404, 422, rules="a record that is not a pending proposal")
    @versioned_write(blp)
    def post(self, record):
        """Verify a pending proposal (HR of her scope, never one's own): from now on it counts."""
        check_if_match(record)
        record = services.verify_record(record, actor=current_api_user())
        return _data(record), etag(record)


@blp.route("/qualifications/<int:record_id>/reject")
class Reject(MethodView):
    @checked(
        lambda record_id: {
            "record": record_or_404(current_api_user(), record_id, "qualification.verify")
        }
    )
    @blp.arguments(RejectSchema)
    @blp.response(200, QualificationSchema, headers=ETAG)
    @error_responses(
        blp, 400, 401, 403, 404, 413, 415, 422, rules="a record that is not a pending proposal"
    )
    @versioned_write(blp)
    def post(self, data, record):
        """Reject a pending proposal with a reason (HR of her scope, never one's own)."""
        check_if_match(record)
        record = services.reject_record(record, data["reason"], actor=current_api_user())
        return _data(record), etag(record)
