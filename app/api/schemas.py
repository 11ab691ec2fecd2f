"""Schemas shared by every API resource, and those of the registry (officials, organizations).

Input schemas validate what the database cannot take (lengths from the model's columns, ids
within the integer range, no control characters) and the coded vocabularies (from
`app.domain.ladders`); the services check the rules (unique code, age, dates, tree).
"""

import marshmallow as ma
from marshmallow import validate

from ..domain import ladders
from ..domain.text import has_hidden_characters
from ..model_helpers import MAX_ID, codes
from ..officials.models import OFFICIAL_STATUSES, Appointment, Official, Organization
from ..officials.queries import AGE_BANDS, SORTS
from ..validation import ServiceError, email_address

MAX_PER_PAGE = 200
ANY_STATUS = "any"


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(
        required=True,
        metadata={
            "description": "bad_request, unauthorized, forbidden, not_found, "
            "validation_error, conflict, payload_too_large, unsupported_media_type..."
        },
    )
    message = ma.fields.String(required=True)
    details = ma.fields.Raw(
        metadata={"description": "For validation errors: {field: [messages]}."},
    )
    retry_after = ma.fields.Integer(
        metadata={"description": "For 429: seconds until attempts are accepted again."},
    )


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorBodySchema, required=True)


ERROR_DESCRIPTIONS = {
    400: "Malformed request: a body that is not valid JSON, or a PATCH without a body",
    401: "Missing, invalid or revoked bearer token",
    403: "Not allowed (role, or an organization outside the caller's scope)",
    404: "Not found, or outside the caller's scope (its existence is private)",
    409: "Conflict with data written at the same time",
    413: "Body larger than the server accepts",
    415: "Body is not JSON (send Content-Type: application/json)",
    422: "Invalid input: details maps each field to its messages "
    "(a duplicate official code is a 422 on `code`)",
}


def error_responses(blp, *statuses: int, rules: str | None = None):
    """Document the error responses `statuses` of an operation with the one error schema;
    `rules` names the business rules whose refusal is a 422 of this operation."""

    def decorate(func):
        for status in sorted(statuses, reverse=True):
            description = ERROR_DESCRIPTIONS[status]
            if status == 422 and rules:
                description = f"{description}. Refused by the rules too: {rules}"
            func = blp.alt_response(status, schema=ErrorSchema, description=description)(func)
        return func

    return decorate


# --- field helpers -------------------------------------------------------------------------


def printable(value: str) -> bool:
    """No control, invisible or surrogate characters (app.domain.text.has_hidden_characters,
    as on the pages; NUL cannot be stored by PostgreSQL)."""
    if has_hidden_characters(value):
        raise ma.ValidationError("Control or invisible characters are not allowed.")
    return True


def email_syntax(value: str) -> bool:
    """The one email rule of the app (app.validation.email_address), blank allowed."""
    try:
        email_address(value)
    except ServiceError as error:
        raise ma.ValidationError(error.message) from None
    return True


def _not_blank(value: str) -> bool:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")
    return True


def _length(model, column: str, minimum: int | None = None) -> validate.Length:
    return validate.Length(min=minimum, max=model.__table__.c[column].type.length)


def text(model, column: str, *, required=False, allow_none=False, blank=True, **kwargs):
    """A string no longer than its column, printable; `blank=False` refuses empty/spaces."""
    validators = [_length(model, column), printable]
    if not blank:
        validators.append(_not_blank)
    return ma.fields.String(required=required, allow_none=allow_none, validate=validators, **kwargs)


def one_of(vocabulary, **kwargs) -> ma.fields.String:
    """A code of a vocabulary of app.domain.ladders (or a tuple of codes)."""
    choices = tuple(vocabulary) if isinstance(vocabulary[0], str) else codes(vocabulary)
    return ma.fields.String(validate=validate.OneOf(choices), **kwargs)


def identifier(strict=True, **kwargs) -> ma.fields.Integer:
    """An id: a JSON integer in a body (strict), digits in a query string."""
    return ma.fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


# --- organizations -------------------------------------------------------------------------


class OrganizationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    plan_level = ma.fields.String(required=True, metadata={"enum": codes(ladders.PLAN_LEVELS)})
    kind = ma.fields.String(required=True, metadata={"enum": codes(ladders.ORGANIZATION_KINDS)})
    needs_gender_equality_officer = ma.fields.Boolean(
        required=True, metadata={"description": "A gender-equality officer must be in place"}
    )
    reports_yearly = ma.fields.Boolean(
        required=True, metadata={"description": "A reporting unit: sends the yearly report"}
    )
    parent_id = ma.fields.Integer(required=True, allow_none=True)
    path = ma.fields.String(
        required=True, metadata={"description": "Materialized path of ids, e.g. /1/4/9/"}
    )
    depth = ma.fields.Integer(required=True, metadata={"description": "0 for a root"})
    valid_from = ma.fields.Date(required=True, allow_none=True)
    valid_to = ma.fields.Date(
        required=True, allow_none=True, metadata={"description": "First day it is closed"}
    )
    version = ma.fields.Integer(
        required=True,
        metadata={"description": 'Raised by every change; the ETag is W/"<id>-<version>"'},
    )


class OrganizationListSchema(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(OrganizationSchema),
        required=True,
        metadata={
            "description": "Tree order: each organization before its children, siblings by name."
        },
    )
    total = ma.fields.Integer(required=True)


class OrganizationQuerySchema(ma.Schema):
    plan_level = one_of(ladders.PLAN_LEVELS)


class OrganizationCreateSchema(ma.Schema):
    name = text(Organization, "name", required=True, blank=False)
    plan_level = one_of(ladders.PLAN_LEVELS, required=True)
    kind = one_of(ladders.ORGANIZATION_KINDS)
    needs_gender_equality_officer = ma.fields.Boolean(
        allow_none=True,
        metadata={"description": "null or absent: true for a people_committee, else false"},
    )
    reports_yearly = ma.fields.Boolean(metadata={"description": "absent: false"})
    parent_id = identifier(allow_none=True, metadata={"description": "null or absent: a root"})
    valid_from = ma.fields.Date(allow_none=True)
    valid_to = ma.fields.Date(allow_none=True)


class OrganizationUpdateSchema(ma.Schema):
    """Only the fields sent change; `parent_id: null` makes it a root."""

    name = text(Organization, "name", blank=False)
    plan_level = one_of(ladders.PLAN_LEVELS)
    kind = one_of(ladders.ORGANIZATION_KINDS)
    needs_gender_equality_officer = ma.fields.Boolean()
    reports_yearly = ma.fields.Boolean()
    parent_id = identifier(allow_none=True)
    valid_from = ma.fields.Date(allow_none=True)
    valid_to = ma.fields.Date(allow_none=True)


# --- appointments --------------------------------------------------------------------------


class OrganizationRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    plan_level = ma.fields.String(required=True)


class AppointmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    official_id = ma.fields.Integer(required=True)
    organization_id = ma.fields.Integer(required=True)
    organization = ma.fields.Nested(OrganizationRefSchema, required=True)
    title = ma.fields.String(required=True, allow_none=True)
    position_rank = ma.fields.String(
        required=True, metadata={"enum": codes(ladders.POSITION_RANKS)}
    )
    party_committee = ma.fields.Boolean(required=True)
    commune_key_post = ma.fields.Boolean(required=True)
    commune_full_time = ma.fields.Boolean(required=True)
    key_leader = ma.fields.Boolean(
        required=True, metadata={"description": "Head or deputy head (HĐND/UBND: standing)"}
    )
    gender_equality_role = ma.fields.Boolean(required=True)
    appointed_on = ma.fields.Date(required=True, allow_none=True)
    left_on = ma.fields.Date(
        required=True, allow_none=True, metadata={"description": "First day no longer held"}
    )
    is_primary = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(
        required=True,
        metadata={"description": 'Raised by every change; the ETag is W/"<id>-<version>"'},
    )


class _PostFields(ma.Schema):
    title = text(Appointment, "title", allow_none=True)
    position_rank = one_of(ladders.POSITION_RANKS)
    party_committee = ma.fields.Boolean()
    commune_key_post = ma.fields.Boolean()
    commune_full_time = ma.fields.Boolean()
    key_leader = ma.fields.Boolean()
    gender_equality_role = ma.fields.Boolean()
    appointed_on = ma.fields.Date(allow_none=True)
    left_on = ma.fields.Date(allow_none=True, metadata={"description": "After appointed_on"})


class AppointmentCreateSchema(_PostFields):
    organization_id = identifier(required=True)
    is_primary = ma.fields.Boolean(
        metadata={"description": "true demotes her current primary post"}
    )


class AppointmentUpdateSchema(_PostFields):
    """Only the fields sent change. A primary post stays primary until another is made so."""

    organization_id = identifier()
    is_primary = ma.fields.Boolean()


class AppointmentEndSchema(ma.Schema):
    left_on = ma.fields.Date(
        required=True,
        metadata={"description": "The first day she no longer holds the post; after appointed_on"},
    )


# --- officials -----------------------------------------------------------------------------


class OfficialSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True)
    sex = ma.fields.String(required=True, metadata={"enum": codes(ladders.SEXES)})
    birth_date = ma.fields.Date(required=True)
    ethnicity = ma.fields.String(required=True)
    category = ma.fields.String(required=True, allow_none=True)
    email = ma.fields.String(required=True, allow_none=True)
    in_succession_pool = ma.fields.Boolean(required=True)
    succession_post = ma.fields.String(required=True, allow_none=True)
    status = ma.fields.String(required=True, metadata={"enum": list(OFFICIAL_STATUSES)})
    primary_appointment = ma.fields.Nested(AppointmentSchema, required=True, allow_none=True)
    version = ma.fields.Integer(
        required=True,
        metadata={"description": 'Raised by every change; the ETag is W/"<id>-<version>"'},
    )


class OfficialDetailSchema(OfficialSchema):
    appointments = ma.fields.List(ma.fields.Nested(AppointmentSchema), required=True)


class OfficialCountsSchema(ma.Schema):
    total = ma.fields.Integer(required=True)
    women = ma.fields.Integer(required=True)
    men = ma.fields.Integer(required=True)
    leaders = ma.fields.Integer(required=True)
    young = ma.fields.Integer(required=True)


class OfficialListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OfficialSchema), required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    counts = ma.fields.Nested(OfficialCountsSchema, required=True)


class OfficialQuerySchema(ma.Schema):
    q = ma.fields.String(
        validate=[validate.Length(max=200), printable],
        metadata={"description": "Name (ignoring diacritics) or exact code"},
    )
    organization_id = identifier(strict=False, metadata={"description": "With its subtree"})
    plan_level = one_of(ladders.PLAN_LEVELS)
    sex = one_of(ladders.SEXES)
    position_rank = one_of(ladders.POSITION_RANKS)
    age_band = one_of(tuple(AGE_BANDS))
    in_succession_pool = ma.fields.Boolean()
    status = one_of(
        (*OFFICIAL_STATUSES, ANY_STATUS),
        load_default="active",
        metadata={"description": f"`{ANY_STATUS}` for every status"},
    )
    sort = one_of(tuple(SORTS), load_default="name")
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=10**6))
    per_page = ma.fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class _PersonFields(ma.Schema):
    ethnicity = text(Official, "ethnicity", blank=False)
    category = one_of(ladders.CATEGORIES, allow_none=True)
    email = ma.fields.String(
        allow_none=True,
        validate=[_length(Official, "email"), printable, email_syntax],
        metadata={"format": "email"},
    )
    in_succession_pool = ma.fields.Boolean()
    succession_post = text(
        Official,
        "succession_post",
        allow_none=True,
        metadata={"description": "Kept only while in_succession_pool"},
    )


class OfficialCreateSchema(_PersonFields, _PostFields):
    """Her personal data and her primary post."""

    code = text(Official, "code", required=True, blank=False)
    full_name = text(Official, "full_name", required=True, blank=False)
    sex = one_of(ladders.SEXES, required=True)
    birth_date = ma.fields.Date(required=True, metadata={"description": "At least 18 years ago"})
    organization_id = identifier(required=True, metadata={"description": "Of her primary post"})


class OfficialUpdateSchema(_PersonFields):
    """Her personal data; only the fields sent change (posts have their own operations)."""

    code = text(Official, "code", blank=False)
    full_name = text(Official, "full_name", blank=False)
    sex = one_of(ladders.SEXES)
    birth_date = ma.fields.Date()
    status = one_of(OFFICIAL_STATUSES)
