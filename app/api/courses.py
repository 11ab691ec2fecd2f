"""/api/v1/courses: the training courses (DESIGN §4, DOMAIN §7–8, issue 12).

The same permissions as the pages (app/courses/rules.py): every account sees every course past
its draft, a draft only the HR managing it and its trainers (403 for the others, as on the
course page); HR creates courses and manages those whose organizer is within its scope.
Writes go through app.courses.services (which lock, audit and promote); the commit is the
blueprint's. A course carries a `version` (ETag W/"<id>-<version>"): PATCH and cancel accept
If-Match.
"""

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import validate
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..courses import services
from ..courses.models import COURSE_KINDS, COURSE_STATUSES, Course
from ..domain.ladders import LADDERS, PLAN_LEVELS, POSITION_RANKS
from ..domain.text import fold
from ..extensions import db
from ..model_helpers import codes
from ..permissions import can
from . import api_blueprint, current_api_user
from .officials import BODY_ERRORS, CREATE_ERRORS, checked
from .schemas import MAX_PER_PAGE, error_responses, identifier, one_of, printable, text
from .versioning import ETAG, etag, if_match_version, versioned_write

blp = api_blueprint("api_courses", __name__, "Training courses")

LEVEL_CODES = tuple(dict.fromkeys(code for ladder in LADDERS.values() for code in ladder.codes))


# --- schemas -------------------------------------------------------------------------------


class AwardSchema(ma.Schema):
    ladder = ma.fields.String(
        required=True, validate=validate.OneOf(tuple(LADDERS)), metadata={"enum": list(LADDERS)}
    )
    level = ma.fields.String(
        required=True,
        validate=validate.OneOf(LEVEL_CODES),
        metadata={
            "enum": list(LEVEL_CODES),
            "description": "A level of that ladder, not `none`; boolean ladders use `yes` "
            "(another ladder's level: 422)",
        },
    )


class AudienceSchema(ma.Schema):
    """Who the course is for; an empty list means everyone."""

    plan_levels = ma.fields.List(one_of(PLAN_LEVELS), validate=validate.Length(max=20))
    position_ranks = ma.fields.List(one_of(POSITION_RANKS), validate=validate.Length(max=20))
    organization_ids = ma.fields.List(
        identifier(),
        validate=validate.Length(max=200),
        metadata={"description": "Organizations (each with its subtree)"},
    )


class AudienceOutSchema(ma.Schema):
    plan_levels = ma.fields.List(
        ma.fields.String(metadata={"enum": codes(PLAN_LEVELS)}), required=True
    )
    position_ranks = ma.fields.List(
        ma.fields.String(metadata={"enum": codes(POSITION_RANKS)}), required=True
    )
    organization_ids = ma.fields.List(ma.fields.Integer(), required=True)


class CourseSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True, allow_none=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(COURSE_KINDS)})
    awards = ma.fields.Nested(
        AwardSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The level a completion records, or null"},
    )
    organizer_id = ma.fields.Integer(required=True)
    place = ma.fields.String(required=True, allow_none=True)
    capacity = ma.fields.Integer(required=True)
    registration_opens_on = ma.fields.Date(required=True, allow_none=True)
    registration_closes_on = ma.fields.Date(required=True, allow_none=True)
    requires_approval = ma.fields.Boolean(required=True)
    completion_threshold = ma.fields.Integer(
        required=True, metadata={"description": "Whole percent of sessions attended"}
    )
    women_only = ma.fields.Boolean(required=True)
    audience = ma.fields.Nested(AudienceOutSchema, required=True)
    trainer_ids = ma.fields.List(ma.fields.Integer(), required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(COURSE_STATUSES)})
    confirmed_count = ma.fields.Integer(required=True)
    waitlist_count = ma.fields.Integer(required=True)
    pending_count = ma.fields.Integer(required=True)
    seats_left = ma.fields.Integer(required=True)
    first_day = ma.fields.Date(
        required=True, allow_none=True, metadata={"description": "Of its non-cancelled sessions"}
    )
    last_day = ma.fields.Date(required=True, allow_none=True)
    version = ma.fields.Integer(
        required=True,
        metadata={"description": 'Raised by every edit; the ETag is W/"<id>-<version>"'},
    )


class CourseListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CourseSchema), required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)


class CourseQuerySchema(ma.Schema):
    q = ma.fields.String(
        validate=[validate.Length(max=200), printable],
        metadata={"description": "Code or title, ignoring diacritics"},
    )
    kind = one_of(tuple(COURSE_KINDS))
    status = one_of(tuple(COURSE_STATUSES))
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=10**6))
    per_page = ma.fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class _CourseFields(ma.Schema):
    title = text(Course, "title", blank=False)
    description = ma.fields.String(
        allow_none=True,
        validate=[validate.Length(max=services.TEXT_LIMITS["description"]), printable],
    )
    kind = one_of(tuple(COURSE_KINDS))
    awards = ma.fields.Nested(
        AwardSchema, allow_none=True, metadata={"description": "null: awards nothing"}
    )
    organizer_id = identifier(
        metadata={"description": "An organization within the caller's scope (422 otherwise)"}
    )
    place = text(Course, "place", allow_none=True)
    capacity = ma.fields.Integer(
        strict=True, validate=validate.Range(min=0, max=services.MAX_CAPACITY)
    )
    registration_opens_on = ma.fields.Date(allow_none=True)
    registration_closes_on = ma.fields.Date(
        allow_none=True, metadata={"description": "Not before registration_opens_on"}
    )
    requires_approval = ma.fields.Boolean()
    completion_threshold = ma.fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "Whole percent, e.g. 80"},
    )
    women_only = ma.fields.Boolean()
    audience = ma.fields.Nested(AudienceSchema)
    trainer_ids = ma.fields.List(
        identifier(),
        validate=validate.Length(max=50),
        metadata={"description": "Accounts with the trainer role"},
    )


class CourseCreateSchema(_CourseFields):
    """Only code and title are required. Defaults: capacity 30, completion threshold 80,
    no approval, awards nothing, organizer the creator's unit, audience everyone, kind
    other, no trainer, status draft."""

    code = text(Course, "code", required=True, blank=False)
    title = text(Course, "title", required=True, blank=False)
    status = one_of(services.CREATION_STATUSES, metadata={"description": "Default draft"})


class CourseUpdateSchema(_CourseFields):
    """Only the fields sent change. Raising the capacity promotes the waitlisted at once;
    lowering it below the confirmed is refused. Cancel with POST …/cancel."""

    code = text(Course, "code", blank=False)
    status = one_of(
        ("draft", "open", "registration_closed"),
        metadata={"description": "Back to draft only while nobody is enrolled"},
    )


# --- helpers ----------------------------------------------------------------------------------


def data(course: Course) -> dict:
    return {
        **{
            name: getattr(course, name)
            for name in (
                "id",
                "code",
                "title",
                "description",
                "kind",
                "organizer_id",
                "place",
                "capacity",
                "registration_opens_on",
                "registration_closes_on",
                "requires_approval",
                "completion_threshold",
                "women_only",
                "status",
                "confirmed_count",
                "waitlist_count",
                "pending_count",
                "seats_left",
                "first_day",
                "last_day",
                "version",
            )
        },
        "awards": (
            {"ladder": course.awards_ladder, "level": course.awards_level}
            if course.awards_ladder
            else None
        ),
        "audience": {
            "plan_levels": list(course.audience_plan_levels or []),
            "position_ranks": list(course.audience_position_ranks or []),
            "organization_ids": [o.id for o in course.audience_organizations],
        },
        "trainer_ids": [t.id for t in course.trainers],
    }


def values(body: dict) -> dict:
    """The services' keyword arguments from a request body."""
    result = dict(body)
    if "awards" in result:
        award = result.pop("awards") or {}
        result["awards_ladder"] = award.get("ladder")
        result["awards_level"] = award.get("level")
    audience = result.pop("audience", None)
    if audience is not None:
        for name, key in (
            ("plan_levels", "audience_plan_levels"),
            ("position_ranks", "audience_position_ranks"),
            ("organization_ids", "audience_organization_ids"),
        ):
            if name in audience:
                result[key] = audience[name]
    return result


def course_or_404(course_id: int, action: str = "courses.view") -> Course:
    """The course: 404 when it does not exist, 403 when the caller may not see it or do
    `action` on it (a draft is hidden as on the course page)."""
    course = db.session.get(Course, course_id)
    if course is None:
        abort(404)
    user = current_api_user()
    if not can(user, "courses.view", course) or (
        action != "courses.view" and not can(user, action, course)
    ):
        abort(403)
    return course


def _may_browse():
    if not can(current_api_user(), "courses.browse"):
        abort(403)
    return {}


def _may_create():
    if not can(current_api_user(), "courses.create"):
        abort(403)
    return {}


COURSE_RULES = (
    "a code another course has, an award level not of its ladder, an organizer outside the "
    "caller's scope, a trainer without the trainer role, an unknown organization, closing "
    "before opening"
)


# --- operations ------------------------------------------------------------------------------


@blp.route("/courses")
class Courses(MethodView):
    @checked(_may_browse, body=False)
    @blp.arguments(CourseQuerySchema, location="query")
    @blp.response(200, CourseListSchema)
    @error_responses(blp, 401, 422)
    def get(self, args):
        """The courses the caller may see (drafts: those it manages or teaches), by code,
        filtered and paged."""
        stmt = select(Course).where(services.visible_to(current_api_user()))
        if args.get("q"):
            stmt = stmt.where(Course.title_folded.contains(fold(args["q"]), autoescape=True))
        for name in ("kind", "status"):
            if args.get(name):
                stmt = stmt.where(getattr(Course, name) == args[name])
        total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
        page, per_page = args["page"], args["per_page"]
        rows = db.session.scalars(
            stmt.options(selectinload(Course.trainers), selectinload(Course.audience_organizations))
            .order_by(Course.code)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        return {
            "items": [data(c) for c in rows],
            "page": page,
            "per_page": per_page,
            "total": total,
        }

    @checked(_may_create)
    @blp.arguments(CourseCreateSchema)
    @blp.response(201, CourseSchema, headers=ETAG)
    @error_responses(blp, *CREATE_ERRORS, rules=COURSE_RULES)
    def post(self, body):
        """Create a course (HR). The organizer defaults to the creator's unit."""
        course = services.create_course(current_api_user(), **values(body))
        return data(course), etag(course)


@blp.route("/courses/<int:course_id>")
class CourseResource(MethodView):
    @checked(lambda course_id: {"course": course_or_404(course_id)}, body=False)
    @blp.response(200, CourseSchema, headers=ETAG)
    @error_responses(blp, 401, 403, 404)
    def get(self, course):
        """One course, with its seat counts."""
        return data(course), etag(course)

    @checked(lambda course_id: {"course": course_or_404(course_id, "courses.manage")})
    @blp.arguments(CourseUpdateSchema)
    @blp.response(200, CourseSchema, headers=ETAG)
    @error_responses(
        blp,
        *BODY_ERRORS,
        rules=COURSE_RULES + ", a capacity below the confirmed, a status change not allowed, "
        "a cancelled or finished course",
    )
    @versioned_write(blp)
    def patch(self, changes, course):
        """Edit a course (the HR managing it); only the fields sent change. A raised capacity
        confirms the first waitlisted at once."""
        course = services.update_course(
            course,
            current_api_user(),
            expected_version=if_match_version(course),
            **values(changes),
        )
        return data(course), etag(course)


@blp.route("/courses/<int:course_id>/cancel")
class CancelCourse(MethodView):
    @checked(lambda course_id: {"course": course_or_404(course_id, "courses.manage")}, body=False)
    @blp.response(200, CourseSchema, headers=ETAG)
    @error_responses(blp, 401, 403, 404, 422, rules="a course already cancelled or finished")
    @versioned_write(blp)
    def post(self, course):
        """Cancel a course (the HR managing it): its enrolled are told."""
        course = services.cancel_course(
            course, current_api_user(), expected_version=if_match_version(course)
        )
        return data(course), etag(course)
