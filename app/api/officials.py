"""/api/v1/officials: the registry's officials and their posts (appointments).

Each operation loads, checks permission (before the body is looked at), validates with the
schemas, calls the registry's services (which audit) and returns; the commit is the blueprint's.
An official outside the caller's scope answers 404 (her existence is private); an organization
outside it answers 403.
"""

from functools import wraps

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import abort
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..i18n import today
from ..officials import account_links, queries, services
from ..officials.loaders import appointment_or_404, official_or_404
from ..officials.models import Appointment, Official, Organization
from ..permissions import can, scope_prefix
from ..progress.settings import load_settings
from ..validation import ServiceError
from . import api_blueprint, current_api_user, require_json_body
from .schemas import (
    ANY_STATUS,
    AppointmentCreateSchema,
    AppointmentEndSchema,
    AppointmentSchema,
    AppointmentUpdateSchema,
    OfficialCreateSchema,
    OfficialDetailSchema,
    OfficialListSchema,
    OfficialQuerySchema,
    OfficialUpdateSchema,
    error_responses,
)
from .versioning import ETAG, check_if_match, etag, versioned_write

blp = api_blueprint("api_officials", __name__, "Officials and their posts (appointments)")

PERSON_FIELDS = ("id", *services.OFFICIAL_FIELDS, "version")
CREATE_ERRORS = (400, 401, 403, 409, 413, 415, 422)
BODY_ERRORS = (*CREATE_ERRORS, 404)  # writes to an object named in the path


class OfficialWrittenSchema(OfficialDetailSchema):
    warnings = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={
            "description": "What to look at, e.g. an account whose email is hers: reported, "
            "never linked (linking an account is the admin's decision)"
        },
    )


class _Written:
    """An official just written, with the warnings of the write."""

    def __init__(self, official: Official, warnings: list[str]):
        self._official = official
        self.warnings = warnings

    def __getattr__(self, name):
        return getattr(self._official, name)


NO_PATCH_BODY = (
    "A PATCH needs a JSON object of the fields to change; an empty object {} changes nothing."
)


# --- loading and checking, before the body is parsed ---------------------------------------


def checked(load, body: bool = True):
    """Run `load(**view_args)` (load, check permission, may abort), then require a JSON body,
    before the schema decorators below parse it; the view receives what `load` returned."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            loaded = load(**kwargs)
            if body:
                require_json_body()
                if request.method == "PATCH" and not request.get_data(cache=True):
                    abort(400, message=NO_PATCH_BODY)
            return view(*args, **loaded)

        return wrapper

    return decorate


def _may_list():
    if not can(current_api_user(), "officials.list"):
        abort(403)
    return {}


def _may_create():
    if not can(current_api_user(), "official.create"):
        abort(403)
    return {}


def _editable_official(official_id: int):
    return {"official": official_or_404(current_api_user(), official_id, "official.edit")}


def _editable_appointment(official_id: int, appointment_id: int):
    official = official_or_404(current_api_user(), official_id, "official.edit")
    return {"official": official, "appointment": appointment_or_404(official, appointment_id)}


def _organization_in_scope(organization_id: int, unchanged_id: int | None = None) -> Organization:
    """The organization of a post: unknown is invalid input (422), outside the caller's scope
    is forbidden (403), except a post keeping the unit it already has."""
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise ServiceError(_("Đơn vị không tồn tại."), "organization_id")
    if organization.id != unchanged_id and not can(
        current_api_user(), "official.create", organization
    ):
        abort(403)
    return organization


def _summary(official: Official, primary: Appointment, unit: Organization) -> dict:
    """A list item from a row of the list query. The post holds on to its unit, which the
    session only references weakly: serializing it later must not load it again (N+1)."""
    set_committed_value(primary, "organization", unit)
    item = {name: getattr(official, name) for name in PERSON_FIELDS}
    return {**item, "primary_appointment": primary}


# --- officials -----------------------------------------------------------------------------


@blp.route("/officials")
class Officials(MethodView):
    @checked(_may_list, body=False)
    @blp.arguments(OfficialQuerySchema, location="query")
    @blp.response(200, OfficialListSchema)
    @error_responses(blp, 401, 403, 422)
    def get(self, args):
        """The officials within the caller's scope, filtered, sorted and paged, with counts.

        HR only. Two statements whatever the number of officials: the counts and the page."""
        status = args.get("status")
        filters = queries.OfficialFilters(
            q=args.get("q", ""),
            organization_id=args.get("organization_id"),
            plan_level=args.get("plan_level"),
            sex=args.get("sex"),
            position_rank=args.get("position_rank"),
            age_band=args.get("age_band"),
            in_succession_pool=args.get("in_succession_pool"),
            status=None if status == ANY_STATUS else status,
        )
        scope, on = scope_prefix(current_api_user()), today()
        counts = queries.counts(scope, filters, on, load_settings())
        rows = queries.page_of(scope, filters, on, args["sort"], args["page"], args["per_page"])
        return {
            "items": [_summary(*row) for row in rows],
            "page": args["page"],
            "per_page": args["per_page"],
            "total": counts["total"],
            "counts": counts,
        }

    @checked(_may_create)
    @blp.arguments(OfficialCreateSchema)
    @blp.response(201, OfficialWrittenSchema)
    @error_responses(
        blp,
        *CREATE_ERRORS,
        rules="a code already taken, a birth date in the future or under 18 years ago, an "
        "unknown organization",
    )
    def post(self, data):
        """Create an official with her primary post (at an organization within the scope).

        An account whose email is hers is reported in `warnings`, never linked."""
        organization = _organization_in_scope(data.pop("organization_id"))
        user = current_api_user()
        official = services.create_official(organization=organization, actor=user, **data)
        return _Written(official, account_links.match_warnings(official, user))


@blp.route("/officials/<int:official_id>")
class OfficialResource(MethodView):
    @checked(
        lambda official_id: {"official": official_or_404(current_api_user(), official_id)},
        body=False,
    )
    @blp.response(200, OfficialDetailSchema, headers=ETAG)
    @error_responses(blp, 401, 404)
    def get(self, official):
        """One official with all her posts (HR of her unit's scope, or herself)."""
        return official, etag(official)

    @checked(_editable_official)
    @blp.arguments(OfficialUpdateSchema)
    @blp.response(200, OfficialWrittenSchema, headers=ETAG)
    @error_responses(
        blp,
        *BODY_ERRORS,
        rules="a code another official has, a birth date in the future or under 18 years ago",
    )
    @versioned_write(blp)
    def patch(self, changes, official):
        """Edit her personal data; only the fields sent change.

        A new email that is an account's is reported in `warnings`, never linked."""
        check_if_match(official)
        user, email_before = current_api_user(), official.email
        official = services.update_official(official, actor=user, **changes)
        changed = official.email != email_before
        warnings = account_links.match_warnings(official, user) if changed else []
        return _Written(official, warnings), etag(official)


# --- appointments --------------------------------------------------------------------------


@blp.route("/officials/<int:official_id>/appointments")
class Appointments(MethodView):
    @checked(_editable_official)
    @blp.arguments(AppointmentCreateSchema)
    @blp.response(201, AppointmentSchema)
    @error_responses(
        blp, *BODY_ERRORS, rules="an unknown organization, left_on not after appointed_on"
    )
    def post(self, data, official):
        """Add a post (at an organization within the scope)."""
        organization = _organization_in_scope(data.pop("organization_id"))
        return services.add_appointment(official, organization, actor=current_api_user(), **data)


@blp.route("/officials/<int:official_id>/appointments/<int:appointment_id>")
class AppointmentResource(MethodView):
    @checked(_editable_appointment)
    @blp.arguments(AppointmentUpdateSchema)
    @blp.response(200, AppointmentSchema, headers=ETAG)
    @error_responses(
        blp,
        *BODY_ERRORS,
        rules="an unknown organization, left_on not after appointed_on, is_primary false on "
        "her primary post",
    )
    @versioned_write(blp)
    def patch(self, changes, official, appointment):
        """Edit a post; only the fields sent change."""
        if "organization_id" in changes:
            _organization_in_scope(changes["organization_id"], appointment.organization_id)
        check_if_match(appointment)
        appointment = services.update_appointment(appointment, actor=current_api_user(), **changes)
        return appointment, etag(appointment)


@blp.route("/officials/<int:official_id>/appointments/<int:appointment_id>/end")
class EndAppointment(MethodView):
    @checked(_editable_appointment)
    @blp.arguments(AppointmentEndSchema)
    @blp.response(200, AppointmentSchema, headers=ETAG)
    @error_responses(
        blp, *BODY_ERRORS, rules="a post already ended, left_on not after appointed_on"
    )
    @versioned_write(blp)
    def post(self, data, official, appointment):
        """End a post on `left_on`, the first day she no longer holds it."""
        check_if_match(appointment)
        appointment = services.end_appointment(
            appointment, data["left_on"], actor=current_api_user()
        )
        return appointment, etag(appointment)
