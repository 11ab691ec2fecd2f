"""/api/v1 the plan's entered figures (DOMAIN §9–10, issue 16).

- `GET /plan/seats`: per elected body the entry in force today (the latest on or before it)
  and every entry (newest first); `POST /plan/seats` `{body, seats, women, entered_on, source}`
  adds an entry (never changing an earlier one) → 201. Province HR and admin (403 for others).
- `GET /organizations/<id>/collaborators`: the organization's figure of each year and every
  entry; `POST` `{year, collaborators, volunteers, source}` → 201. HR whose scope holds the
  organization (403 outside it, 404 for none).

A refusal of the services (women above seats, a negative figure, a year out of range...) answers
422 with its code as `error.code` and its sentence as `error.message`; nothing is written.
"""

from datetime import UTC

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import validate

from ..domain.plan import ELECTED_BODIES
from ..i18n import today as local_today
from ..officials.loaders import organization_or_404
from ..permissions import can
from ..plan import collaborators, seats
from ..plan.models import SOURCE_LIMIT, CollaboratorCount, SeatEntry
from . import api_blueprint, current_api_user
from .officials import BODY_ERRORS, CREATE_ERRORS, checked
from .refusals import call
from .schemas import error_responses, printable

blp = api_blueprint(
    "api_plan", __name__, "The plan's entered figures: elected bodies' seats, collaborators"
)

SEAT_RULES = (
    "`error.code` names the refusal: women_above_seats, negative_figure, figure_too_large, "
    "unknown_body, source_too_long"
)
COUNT_RULES = (
    "`error.code` names the refusal: year_out_of_range, negative_figure, figure_too_large, "
    "source_too_long"
)


# --- schemas -------------------------------------------------------------------------------


def _source(**kwargs):
    return ma.fields.String(
        allow_none=True,
        validate=[validate.Length(max=SOURCE_LIMIT), printable],
        metadata={"description": "The source document (decision, minutes, report)"},
        **kwargs,
    )


class SeatEntrySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    body = ma.fields.String(required=True, metadata={"enum": list(ELECTED_BODIES)})
    seats = ma.fields.Integer(required=True)
    women = ma.fields.Integer(required=True)
    entered_on = ma.fields.Date(
        required=True, metadata={"description": "The figure counts from this date on"}
    )
    source = ma.fields.String(required=True, allow_none=True)
    entered_by = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "Username of who entered it"}
    )
    created_at = ma.fields.DateTime(required=True)


class SeatBodySchema(ma.Schema):
    body = ma.fields.String(required=True, metadata={"enum": list(ELECTED_BODIES)})
    current = ma.fields.Nested(
        SeatEntrySchema,
        required=True,
        allow_none=True,
        metadata={"description": "The entry in force on `as_of` (null: none yet)"},
    )
    history = ma.fields.List(
        ma.fields.Nested(SeatEntrySchema),
        required=True,
        metadata={"description": "Every entry of the body, the latest date (and entry) first"},
    )


class SeatsSchema(ma.Schema):
    as_of = ma.fields.Date(required=True, metadata={"description": "Today (Asia/Ho_Chi_Minh)"})
    bodies = ma.fields.List(ma.fields.Nested(SeatBodySchema), required=True)


class SeatEntryCreateSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=validate.OneOf(ELECTED_BODIES))
    seats = ma.fields.Integer(required=True, strict=True)
    women = ma.fields.Integer(
        required=True, strict=True, metadata={"description": "At most `seats`"}
    )
    entered_on = ma.fields.Date(required=True)
    source = _source()


class CollaboratorCountSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    organization_id = ma.fields.Integer(required=True)
    year = ma.fields.Integer(required=True)
    collaborators = ma.fields.Integer(required=True)
    volunteers = ma.fields.Integer(required=True)
    source = ma.fields.String(required=True, allow_none=True)
    entered_by = ma.fields.String(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)


class CollaboratorsSchema(ma.Schema):
    organization_id = ma.fields.Integer(required=True)
    years = ma.fields.List(
        ma.fields.Nested(CollaboratorCountSchema),
        required=True,
        metadata={"description": "The figure of each year (its latest entry), newest year first"},
    )
    history = ma.fields.List(
        ma.fields.Nested(CollaboratorCountSchema),
        required=True,
        metadata={"description": "Every entry, newest year first, then the latest entry first"},
    )


class CollaboratorCountCreateSchema(ma.Schema):
    year = ma.fields.Integer(
        required=True,
        strict=True,
        metadata={"description": f"{collaborators.FIRST_YEAR}–{collaborators.LAST_YEAR}"},
    )
    collaborators = ma.fields.Integer(required=True, strict=True)
    volunteers = ma.fields.Integer(required=True, strict=True)
    source = _source()


# --- helpers ---------------------------------------------------------------------------------


def _utc(value):
    return value.replace(tzinfo=UTC) if value is not None else None


def _author(entry) -> str | None:
    return entry.entered_by.username if entry.entered_by is not None else None


def _seat(entry: SeatEntry | None) -> dict | None:
    if entry is None:
        return None
    return {
        "id": entry.id,
        "body": entry.body,
        "seats": entry.seats,
        "women": entry.women,
        "entered_on": entry.entered_on,
        "source": entry.source,
        "entered_by": _author(entry),
        "created_at": _utc(entry.created_at),
    }


def _count(entry: CollaboratorCount) -> dict:
    return {
        "id": entry.id,
        "organization_id": entry.organization_id,
        "year": entry.year,
        "collaborators": entry.collaborators,
        "volunteers": entry.volunteers,
        "source": entry.source,
        "entered_by": _author(entry),
        "created_at": _utc(entry.created_at),
    }


def _may_manage_seats():
    if not can(current_api_user(), "plan.manage_seats"):
        abort(403)
    return {}


def _organization(organization_id: int):
    return {
        "organization": organization_or_404(
            current_api_user(), organization_id, "plan.collaborators"
        )
    }


# --- views -----------------------------------------------------------------------------------


@blp.route("/plan/seats")
class Seats(MethodView):
    @checked(_may_manage_seats, body=False)
    @blp.response(200, SeatsSchema)
    @error_responses(blp, 401, 403)
    def get(self):
        """The seats of every elected body: the entry in force today and every entry."""
        today = local_today()
        every = seats.history()
        in_force = seats.in_force(today, every)
        return {
            "as_of": today,
            "bodies": [
                {
                    "body": body,
                    "current": _seat(in_force.get(body)),
                    "history": [_seat(entry) for entry in every if entry.body == body],
                }
                for body in ELECTED_BODIES
            ],
        }

    @checked(_may_manage_seats)
    @blp.arguments(SeatEntryCreateSchema)
    @blp.response(201, SeatEntrySchema)
    @error_responses(blp, *CREATE_ERRORS, rules=SEAT_RULES)
    def post(self, data):
        """Add an entry of an elected body's seats (a correction is a new entry)."""
        entry = call(seats.add_entry, actor=current_api_user(), **data)
        return _seat(entry)


@blp.route("/organizations/<int:organization_id>/collaborators")
class Collaborators(MethodView):
    @checked(_organization, body=False)
    @blp.response(200, CollaboratorsSchema)
    @error_responses(blp, 401, 403, 404)
    def get(self, organization):
        """The organization's yearly collaborator and volunteer counts and every entry."""
        entries = collaborators.history(organization)
        return {
            "organization_id": organization.id,
            "years": [_count(entry) for entry in collaborators.latest_by_year(entries)],
            "history": [_count(entry) for entry in entries],
        }

    @checked(_organization)
    @blp.arguments(CollaboratorCountCreateSchema)
    @blp.response(201, CollaboratorCountSchema)
    @error_responses(blp, *BODY_ERRORS, rules=COUNT_RULES)
    def post(self, data, organization):
        """Record a year's figures of the organization (the later entry of a year wins)."""
        entry = call(collaborators.add_count, organization, actor=current_api_user(), **data)
        return _count(entry)
