"""/api/v1 childcare support (DESIGN §4, DOMAIN §6, issue 14).

- `POST /childcare/rates` `{kind, daily_amount, applies_from}`: province HR (403 for others); a
  past `applies_from` is allowed; the requests not yet approved are recomputed at once.
- `POST /childcare-requests` `{enrolment_id, child_name, child_birth_date, kinds, days, consent}`
  by the official herself (her own enrolment; another's answers 404) → 201 `{id, status,
  amounts, total, ...}`, `amounts` holding exactly the requested kinds (zeros included). A
  refusal of DOMAIN §6 answers 422 with its code as `error.code` and its sentence as
  `error.message`; nothing is written.
- `GET /childcare-requests/<id>`: the requester, HR whose scope holds her organization and the
  HR managing the course; for anyone else it does not exist (404).
- `POST /childcare-requests/<id>/approve|reject|pay` (that HR, never on her own request: 403)
  and `/withdraw` (the requester alone: 403 for HR). Writes accept If-Match.
"""

from datetime import UTC

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import validate

from ..childcare import services
from ..childcare.models import NAME_LIMIT, NOTE_LIMIT, REASON_LIMIT, ChildcareRequest
from ..domain.childcare import KIND_CODES, REFUSALS, STATUS_CODES
from ..enrolment.models import Enrolment
from ..extensions import db
from ..permissions import can
from . import api_blueprint, current_api_user
from .officials import checked
from .refusals import call
from .schemas import error_responses, identifier, printable
from .versioning import ETAG, check_if_match, etag, versioned_write

blp = api_blueprint("api_childcare", __name__, "Childcare support for women with a young child")

CODES = (*REFUSALS, "own_request")
REFUSAL_RULES = "`error.code` names the refusal: " + ", ".join(CODES)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 422)


# --- schemas -------------------------------------------------------------------------------


def _amounts_field(description: str, **kwargs):
    return ma.fields.Dict(
        keys=ma.fields.String(metadata={"enum": list(KIND_CODES)}),
        values=ma.fields.Integer(),
        metadata={"description": description},
        **kwargs,
    )


class ChildcareRateSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(KIND_CODES)})
    daily_amount = ma.fields.Integer(required=True, metadata={"description": "Whole đồng"})
    applies_from = ma.fields.Date(required=True)
    created_at = ma.fields.DateTime(required=True)


class ChildcareRateCreateSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=validate.OneOf(KIND_CODES))
    daily_amount = ma.fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=services.MAX_DAILY_AMOUNT),
        metadata={"description": "Whole đồng per day"},
    )
    applies_from = ma.fields.Date(
        required=True, metadata={"description": "The first day it applies; a past date is allowed"}
    )


class ChildcareRequestSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(STATUS_CODES)})
    amounts = _amounts_field(
        "Requested amount per kind in whole đồng: exactly the requested kinds, zeros included",
        required=True,
    )
    total = ma.fields.Integer(required=True, metadata={"description": "Sum of `amounts`"})
    enrolment_id = ma.fields.Integer(required=True)
    course_id = ma.fields.Integer(required=True)
    official_id = ma.fields.Integer(required=True)
    child_name = ma.fields.String(required=True)
    child_birth_date = ma.fields.Date(required=True)
    kinds = ma.fields.List(ma.fields.String(metadata={"enum": list(KIND_CODES)}), required=True)
    days = ma.fields.List(ma.fields.Date(), required=True)
    note = ma.fields.String(required=True, allow_none=True)
    approved_amounts = _amounts_field("Per kind, once approved", required=True, allow_none=True)
    approved_total = ma.fields.Integer(required=True, allow_none=True)
    adjustment_reason = ma.fields.String(required=True, allow_none=True)
    rejection_reason = ma.fields.String(required=True, allow_none=True)
    payable_amounts = _amounts_field(
        "What is payable now (approved; once the course is finished, the attended days only); "
        "paid: what was paid; null before approval and for the requester",
        required=True,
        allow_none=True,
    )
    paid_total = ma.fields.Integer(required=True, allow_none=True)
    paid_at = ma.fields.DateTime(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    version = ma.fields.Integer(required=True)


class ChildcareRequestCreateSchema(ma.Schema):
    enrolment_id = identifier(required=True, metadata={"description": "Her own enrolment"})
    child_name = ma.fields.String(
        required=True, validate=[validate.Length(max=NAME_LIMIT), printable]
    )
    child_birth_date = ma.fields.Date(required=True)
    kinds = ma.fields.List(
        ma.fields.String(validate=validate.Length(max=40)),
        required=True,
        validate=validate.Length(max=10),
        metadata={"description": "One or more of " + ", ".join(KIND_CODES)},
    )
    days = ma.fields.List(
        ma.fields.Date(),
        required=True,
        validate=validate.Length(max=366),
        metadata={"description": "Course days only"},
    )
    consent = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "Her consent to the processing of the child's data "
            "(Nghị định 13/2023/NĐ-CP); must be true"
        },
    )
    note = ma.fields.String(allow_none=True, validate=[validate.Length(max=NOTE_LIMIT), printable])


class ChildcareApproveSchema(ma.Schema):
    amounts = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.OneOf(KIND_CODES)),
        values=ma.fields.Integer(strict=True, validate=validate.Range(min=0, max=10**12)),
        metadata={"description": "Approved amount per requested kind; absent: as requested"},
    )
    reason = ma.fields.String(
        allow_none=True,
        validate=[validate.Length(max=REASON_LIMIT), printable],
        metadata={"description": "Required when an amount differs from the requested one"},
    )


class ChildcareRejectSchema(ma.Schema):
    reason = ma.fields.String(
        allow_none=True,
        validate=[validate.Length(max=REASON_LIMIT), printable],
        metadata={"description": "Required (reason_required otherwise)"},
    )


class ChildcareActionSchema(ma.Schema):
    pass


# --- helpers ---------------------------------------------------------------------------------


def _utc(value):
    return value.replace(tzinfo=UTC) if value is not None else None


def data(item: ChildcareRequest) -> dict:
    user = current_api_user()
    decides = can(user, "childcare.decide", item)
    return {
        "id": item.id,
        "status": item.status,
        "amounts": {kind: item.requested_amounts.get(kind, 0) for kind in item.kinds},
        "total": item.requested_total,
        "enrolment_id": item.enrolment_id,
        "course_id": item.course_id,
        "official_id": item.official_id,
        "child_name": item.child_name,
        "child_birth_date": item.child_birth_date,
        "kinds": list(item.kinds),
        "days": item.day_list,
        "note": item.note,
        "approved_amounts": item.approved_amounts,
        "approved_total": item.approved_total,
        "adjustment_reason": item.adjustment_reason,
        "rejection_reason": item.rejection_reason,
        "payable_amounts": (
            services.payable_amounts(item) if decides or item.status == "paid" else None
        ),
        "paid_total": item.paid_total,
        "paid_at": _utc(item.paid_at),
        "created_at": _utc(item.created_at),
        "version": item.version,
    }


def _request_or_404(request_id: int, action: str = "childcare.view") -> ChildcareRequest:
    user = current_api_user()
    item = db.session.get(ChildcareRequest, request_id)
    if item is None or not can(user, "childcare.view", item):
        abort(404)
    if not can(user, action, item):
        abort(403)
    return item


def _loader(action: str):
    return lambda request_id: {"item": _request_or_404(request_id, action)}


def _may_set_rates():
    if not can(current_api_user(), "childcare.rates"):
        abort(403)
    return {}


def _may_ask():
    if not can(current_api_user(), "childcare.ask"):
        abort(403)
    return {}


# --- operations ----------------------------------------------------------------------------


@blp.route("/childcare/rates")
class Rates(MethodView):
    @checked(lambda: _may_set_rates())
    @blp.arguments(ChildcareRateCreateSchema)
    @blp.response(201, ChildcareRateSchema)
    @error_responses(blp, 400, 401, 403, 413, 415, 422, rules="a daily amount out of range")
    def post(self, body):
        """Add a daily rate of a kind from a date (province HR). The requests not yet approved
        take it at once; approved and paid ones keep their amounts."""
        rate = call(
            services.add_rate,
            current_api_user(),
            body["kind"],
            body["daily_amount"],
            body["applies_from"],
        )
        return {
            "id": rate.id,
            "kind": rate.kind,
            "daily_amount": rate.daily_amount,
            "applies_from": rate.applies_from,
            "created_at": _utc(rate.created_at),
        }


@blp.route("/childcare-requests")
class Requests(MethodView):
    @checked(lambda: _may_ask())
    @blp.arguments(ChildcareRequestCreateSchema)
    @blp.response(201, ChildcareRequestSchema, headers=ETAG)
    @error_responses(blp, *WRITE_ERRORS, rules=REFUSAL_RULES)
    def post(self, body):
        """Her request from her enrolment (confirmed, pending or waitlisted). The amounts are
        computed from the rates in force on each requested day (DOMAIN §6)."""
        user = current_api_user()
        enrolment = db.session.get(Enrolment, body["enrolment_id"])
        if enrolment is None or not can(user, "childcare.ask", enrolment):
            abort(404)
        item = call(
            services.submit,
            enrolment,
            user,
            child_name=body["child_name"],
            child_birth_date=body["child_birth_date"],
            kinds=body["kinds"],
            days=body["days"],
            consent=body["consent"] is True,
            note=body.get("note"),
        )
        return data(item), etag(item)


@blp.route("/childcare-requests/<int:request_id>")
class RequestResource(MethodView):
    @checked(_loader("childcare.view"), body=False)
    @blp.response(200, ChildcareRequestSchema, headers=ETAG)
    @error_responses(blp, 401, 404)
    def get(self, item):
        """One request: the requester, HR whose scope holds her, the HR managing the course."""
        return data(item), etag(item)


@blp.route("/childcare-requests/<int:request_id>/approve")
class Approve(MethodView):
    @checked(_loader("childcare.decide"))
    @blp.arguments(ChildcareApproveSchema)
    @blp.response(200, ChildcareRequestSchema, headers=ETAG)
    @error_responses(blp, *WRITE_ERRORS, rules=REFUSAL_RULES)
    @versioned_write(blp)
    def post(self, body, item):
        """Approve the requested amounts, or adjusted ones (per kind) with a reason."""
        check_if_match(item)
        amounts = body.get("amounts")
        if amounts is not None:
            amounts = {**item.requested_amounts, **amounts}
        call(services.approve, item, current_api_user(), amounts, body.get("reason"))
        return data(item), etag(item)


@blp.route("/childcare-requests/<int:request_id>/reject")
class Reject(MethodView):
    @checked(_loader("childcare.decide"))
    @blp.arguments(ChildcareRejectSchema)
    @blp.response(200, ChildcareRequestSchema, headers=ETAG)
    @error_responses(blp, *WRITE_ERRORS, rules=REFUSAL_RULES)
    @versioned_write(blp)
    def post(self, body, item):
        """Reject it with a reason (shown to her)."""
        check_if_match(item)
        call(services.reject, item, current_api_user(), body.get("reason"))
        return data(item), etag(item)


@blp.route("/childcare-requests/<int:request_id>/pay")
class Pay(MethodView):
    @checked(_loader("childcare.decide"))
    @blp.arguments(ChildcareActionSchema)
    @blp.response(200, ChildcareRequestSchema, headers=ETAG)
    @error_responses(blp, *WRITE_ERRORS, rules=REFUSAL_RULES)
    @versioned_write(blp)
    def post(self, body, item):
        """Mark an approved request paid: the payable amounts (once the course is finished,
        the requested days she attended) are recorded."""
        check_if_match(item)
        call(services.pay, item, current_api_user())
        return data(item), etag(item)


@blp.route("/childcare-requests/<int:request_id>/withdraw")
class Withdraw(MethodView):
    @checked(_loader("childcare.withdraw"))
    @blp.arguments(ChildcareActionSchema)
    @blp.response(200, ChildcareRequestSchema, headers=ETAG)
    @error_responses(blp, *WRITE_ERRORS, rules=REFUSAL_RULES)
    @versioned_write(blp)
    def post(self, body, item):
        """She withdraws her request while it is submitted."""
        check_if_match(item)
        call(services.withdraw, item, current_api_user())
        return data(item), etag(item)
