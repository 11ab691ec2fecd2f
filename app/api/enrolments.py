"""/api/v1 enrolments: registration, nomination, approval, rejection, cancellation and the lists
(DESIGN §4, DOMAIN §8, issue 12).

Permissions are the pages' (app/enrolment/rules.py):
- `POST /courses/<id>/enrolments` with `{}` registers the token's own official (an account
  linked to one; 403 otherwise); with `{"official_id": n}` it is a nomination by HR (403 for
  others; an official outside the HR's scope, or unknown, is refused as `outside_scope`).
  Refusals answer 422 with the refusal's code (app.api.refusals) and nothing is written.
- `GET /courses/<id>/enrolments`: the HR managing the course and its trainers see every
  enrolment; other HR only those of the officials of its scope; an official (who is neither)
  gets 403 and reads her own with `GET /me/enrolments`.
- One enrolment (`/enrolments/<id>`): she herself and HR who decides on it (the HR managing the
  course, HR whose scope holds her, province HR); for anyone else it does not exist (404), as
  whom an official trains with is hers. Approve and reject: HR deciding on it (403 for her).
"""

from datetime import UTC

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import validate
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..courses.messages import refusal_message
from ..courses.rules import manages, teaches
from ..domain.enrolment import AUDIENCE_MISSES
from ..enrolment import services
from ..enrolment.models import ENROLMENT_STATUSES, Enrolment
from ..extensions import db
from ..officials.models import Appointment, Official, Organization
from ..permissions import can, scope_prefix
from ..validation import ServiceError
from . import api_blueprint, current_api_user
from .courses import course_or_404
from .officials import BODY_ERRORS, checked
from .refusals import DESCRIPTION, call, coded
from .schemas import error_responses, identifier, printable

blp = api_blueprint("api_enrolments", __name__, "Enrolments in the training courses")


# --- schemas -------------------------------------------------------------------------------


class OfficialRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True)


class CourseRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    first_day = ma.fields.Date(required=True, allow_none=True)
    last_day = ma.fields.Date(required=True, allow_none=True)


class EnrolmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    course_id = ma.fields.Integer(required=True)
    official_id = ma.fields.Integer(required=True)
    official = ma.fields.Nested(OfficialRefSchema, required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(ENROLMENT_STATUSES)})
    waitlist_position = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "1..n while waitlisted"}
    )
    reason = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "Of a rejection or cancellation"}
    )
    nominated = ma.fields.Boolean(
        required=True, metadata={"description": "Enrolled by HR rather than by herself"}
    )
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class EnrolmentWrittenSchema(EnrolmentSchema):
    warnings = ma.fields.List(
        ma.fields.String(metadata={"enum": list(AUDIENCE_MISSES)}),
        required=True,
        metadata={"description": "A nomination outside the course's audience: what she misses"},
    )


class EnrolmentListSchema(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(EnrolmentSchema),
        required=True,
        metadata={
            "description": "Confirmed, pending, waitlisted by position, then the others; not paged"
        },
    )


class MyEnrolmentSchema(EnrolmentSchema):
    course = ma.fields.Nested(CourseRefSchema, required=True)


class MyEnrolmentListSchema(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(MyEnrolmentSchema),
        required=True,
        metadata={"description": "Newest first"},
    )


class EnrolSchema(ma.Schema):
    official_id = identifier(
        metadata={
            "description": "Absent: the token's own official registers herself. Present: "
            "HR nominates her (audience not enforced: `warnings`)"
        }
    )


class ReasonSchema(ma.Schema):
    reason = ma.fields.String(
        allow_none=True,
        validate=[validate.Length(max=services.REASON_LIMIT), printable],
        metadata={"description": "Required to reject (reason_required); optional to cancel"},
    )


# --- helpers ---------------------------------------------------------------------------------


def _utc(value):
    return value.replace(tzinfo=UTC) if value is not None else None


def data(enrolment: Enrolment, warnings=()) -> dict:
    official = enrolment.official
    return {
        "id": enrolment.id,
        "course_id": enrolment.course_id,
        "official_id": enrolment.official_id,
        "official": {"id": official.id, "code": official.code, "full_name": official.full_name},
        "status": enrolment.status,
        "waitlist_position": enrolment.waitlist_position,
        "reason": enrolment.reason,
        "nominated": enrolment.nominated,
        "created_at": _utc(enrolment.created_at),
        "updated_at": _utc(enrolment.updated_at),
        "warnings": list(warnings),
    }


def enrolment_or_404(enrolment_id: int, action: str = "enrolments.view") -> Enrolment:
    """404 when it does not exist or the caller may not see it; 403 when she may see it but
    not do `action`."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    user = current_api_user()
    if enrolment is None or not can(user, "enrolments.view", enrolment):
        abort(404)
    if not can(user, action, enrolment):
        abort(403)
    return enrolment


def _in_scope_ids(user, official_ids) -> set[int]:
    """Those of `official_ids` whose primary post is within the user's scope."""
    prefix = scope_prefix(user)
    if prefix is None or not official_ids:
        return set()
    return set(
        db.session.scalars(
            select(Appointment.official_id)
            .join(Organization, Organization.id == Appointment.organization_id)
            .where(
                Appointment.is_primary.is_(True),
                Appointment.official_id.in_(official_ids),
                Organization.path.startswith(prefix),
            )
        )
    )


def _listable(course_id: int):
    course = course_or_404(course_id)
    if not can(current_api_user(), "enrolments.list", course):
        abort(403)
    return {"course": course}


def _own_official() -> Official:
    user = current_api_user()
    if not can(user, "enrolments.register"):
        abort(403)
    return db.session.get(Official, user.official_id)


def _outside_scope() -> ServiceError:
    return ServiceError(refusal_message("outside_scope"), "official_id", "outside_scope")


ENROL_RULES = (
    "her own registration: already_enrolled, rejected_before, course_draft, course_cancelled, "
    "course_finished, registration_closed, registration_not_started, registration_ended, "
    "outside_plan_levels, outside_position_ranks, women_only, outside_organizations; a "
    "nomination: outside_scope, already_enrolled, course_draft, course_cancelled, "
    f"course_finished. {DESCRIPTION}"
)


# --- operations -------------------------------------------------------------------------------


@blp.route("/courses/<int:course_id>/enrolments")
class CourseEnrolments(MethodView):
    @checked(_listable, body=False)
    @blp.response(200, EnrolmentListSchema)
    @error_responses(blp, 401, 403, 404)
    def get(self, course):
        """Every enrolment of the course (the HR managing it, its trainers), or those of the
        officials of the caller's scope (other HR)."""
        user = current_api_user()
        rows = services.enrolments_of(course.id)
        if not (manages(user, course) or teaches(user, course)):
            visible = _in_scope_ids(user, [e.official_id for e in rows])
            rows = [e for e in rows if e.official_id in visible]
        return {"items": [data(e) for e in rows]}

    @checked(lambda course_id: {"course": course_or_404(course_id)})
    @blp.arguments(EnrolSchema, required=False)
    @blp.response(201, EnrolmentWrittenSchema)
    @error_responses(blp, *BODY_ERRORS, rules=ENROL_RULES)
    def post(self, body, course):
        """Register herself (`{}`), or nominate an official of the caller's scope (HR):
        confirmed on a free seat, else waitlisted at the end; pending when her own
        registration needs approval."""
        user = current_api_user()
        official_id = (body or {}).get("official_id")
        if official_id is None or (
            official_id == user.official_id and not can(user, "enrolments.nominate", course)
        ):
            official = _own_official()
            enrolment = call(services.register, course.id, official, user)
            return data(enrolment)
        if not can(user, "enrolments.nominate", course):
            abort(403)
        official = db.session.get(Official, official_id)
        if official is None:  # unknown, or not hers to know of: the same answer
            with coded():
                raise _outside_scope()
        result = call(services.nominate, course.id, official, user)
        return data(result.enrolment, result.warnings)


def _action(action: str):
    return lambda enrolment_id: {"enrolment": enrolment_or_404(enrolment_id, action)}


@blp.route("/enrolments/<int:enrolment_id>")
class EnrolmentResource(MethodView):
    @checked(_action("enrolments.view"), body=False)
    @blp.response(200, EnrolmentSchema)
    @error_responses(blp, 401, 404)
    def get(self, enrolment):
        """One enrolment (she herself, or HR deciding on it)."""
        return data(enrolment)


@blp.route("/enrolments/<int:enrolment_id>/cancel")
class CancelEnrolment(MethodView):
    @checked(_action("enrolments.cancel"))
    @blp.arguments(ReasonSchema, required=False)
    @blp.response(200, EnrolmentSchema)
    @error_responses(
        blp,
        *BODY_ERRORS,
        rules=f"an enrolment no longer active (not_active), a course not running. {DESCRIPTION}",
    )
    def post(self, body, enrolment):
        """Cancel (she herself, or HR with an optional reason): a freed seat confirms the
        first waitlisted at once."""
        reason = (body or {}).get("reason")
        return data(call(services.cancel, enrolment, current_api_user(), reason))


@blp.route("/enrolments/<int:enrolment_id>/approve")
class ApproveEnrolment(MethodView):
    @checked(_action("enrolments.decide"))
    @blp.arguments(ReasonSchema, required=False)
    @blp.response(200, EnrolmentSchema)
    @error_responses(
        blp,
        *BODY_ERRORS,
        rules=f"an enrolment not pending (not_pending), a course not running. {DESCRIPTION}",
    )
    def post(self, body, enrolment):
        """Approve a pending request (HR deciding on it): a free seat confirms it, else it
        waits at the end of the list. A reason sent is not kept."""
        return data(call(services.approve, enrolment, current_api_user()))


@blp.route("/enrolments/<int:enrolment_id>/reject")
class RejectEnrolment(MethodView):
    @checked(_action("enrolments.decide"))
    @blp.arguments(ReasonSchema, required=False)
    @blp.response(200, EnrolmentSchema)
    @error_responses(
        blp,
        *BODY_ERRORS,
        rules="no reason (reason_required), an enrolment no longer active (not_active), a "
        f"course not running. {DESCRIPTION}",
    )
    def post(self, body, enrolment):
        """Reject a request or an enrolment with a reason (HR deciding on it); a freed seat
        confirms the first waitlisted."""
        reason = (body or {}).get("reason")
        return data(call(services.reject, enrolment, current_api_user(), reason))


@blp.route("/me/enrolments")
class MyEnrolments(MethodView):
    @blp.response(200, MyEnrolmentListSchema)
    @error_responses(blp, 401, 403)
    def get(self):
        """Her own enrolments, every status, with their course (an account linked to an
        official; 403 otherwise)."""
        official = _own_official()
        rows = db.session.scalars(
            select(Enrolment)
            .where(Enrolment.official_id == official.id)
            .options(joinedload(Enrolment.course))
            .order_by(Enrolment.created_at.desc(), Enrolment.id.desc())
        ).all()
        items = []
        for enrolment in rows:
            course = enrolment.course
            items.append(
                {
                    **data(enrolment),
                    "course": {
                        "id": course.id,
                        "code": course.code,
                        "title": course.title,
                        "status": course.status,
                        "first_day": course.first_day,
                        "last_day": course.last_day,
                    },
                }
            )
        return {"items": items}
