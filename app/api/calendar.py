"""/api/v1/calendar/feeds: a new link of one of the caller's calendar feeds (DESIGN §4), so
that an app can subscribe without the page. Each call gives a link never given before: the
earlier link of that feed answers 404 from then on."""

from functools import wraps

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort

from ..calendar import services
from ..calendar.panels import feed_links
from ..courses.models import Course
from ..domain.calendar import FEED_KINDS
from ..extensions import db
from ..permissions import can
from . import api_blueprint, current_api_user, require_json_body
from .schemas import error_responses, identifier

blp = api_blueprint("api_calendar", __name__, "Calendar feeds: subscription links")


class FeedRequestSchema(ma.Schema):
    kind = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(FEED_KINDS),
        metadata={
            "description": "personal: the sessions of the caller's confirmed enrolments; "
            "trainer: the sessions the caller teaches; course: every session of `course_id` "
            "(HR managing it and its trainers)."
        },
    )
    course_id = identifier(metadata={"description": "Required with kind course, only then."})

    @ma.validates_schema
    def _course_with_course(self, data, **_kwargs):
        if data.get("kind") == "course" and data.get("course_id") is None:
            raise ma.ValidationError("Required with kind course.", "course_id")
        if data.get("kind") in ("personal", "trainer") and data.get("course_id") is not None:
            raise ma.ValidationError("Only with kind course.", "course_id")


class FeedLinkSchema(ma.Schema):
    url = ma.fields.String(
        required=True, metadata={"description": "https (or http) on the host the request came to"}
    )
    webcal_url = ma.fields.String(required=True)
    google_url = ma.fields.String(
        required=True, metadata={"description": "Google Calendar's page adding the feed"}
    )


def _may_use(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not can(current_api_user(), "calendar.use"):
            abort(403)
        require_json_body()
        return view(*args, **kwargs)

    return wrapper


@blp.route("/calendar/feeds")
class Feeds(MethodView):
    @_may_use
    @blp.arguments(FeedRequestSchema)
    @blp.response(200, FeedLinkSchema)
    @error_responses(blp, 400, 401, 403, 404, 413, 415, 422)
    def post(self, data):
        """A new link of the caller's feed of `kind` (the earlier link stops at once)."""
        user = current_api_user()
        course = None
        if data["kind"] == "course":
            course = db.session.get(Course, data["course_id"])
            if course is None or not can(user, "courses.view", course):
                abort(404)
        if not can(user, "calendar.feed", (data["kind"], course)):
            abort(403)
        feed = services.new_link(user, data["kind"], course)
        return feed_links(feed)
