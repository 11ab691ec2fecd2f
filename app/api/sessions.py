"""/api/v1 course sessions: list and add a course's sessions, reschedule or cancel one (DESIGN
§4, issue 12).

Dates and times are the province's wall clock (Asia/Ho_Chi_Minh), times as "HH:MM". Every
change raises the session's `revision` and keeps its history; the enrolled are told. Adding,
rescheduling and cancelling: the HR managing the course; reading: whoever may see the course.
"""

import re
from datetime import UTC, time

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import validate

from ..courses import services
from ..courses.models import SESSION_STATUSES, CourseSession
from ..extensions import db
from ..permissions import can
from . import api_blueprint, current_api_user
from .courses import course_or_404
from .officials import BODY_ERRORS, checked
from .schemas import error_responses, identifier, text

blp = api_blueprint("api_sessions", __name__, "Sessions of the training courses")

CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class Clock(ma.fields.String):
    """A wall-clock time "HH:MM" (Asia/Ho_Chi_Minh)."""

    def __init__(self, **kwargs):
        metadata = {"pattern": CLOCK.pattern, "example": "07:30", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs):
        text_value = super()._deserialize(value, attr, data, **kwargs)
        if not CLOCK.match(text_value):
            raise ma.ValidationError('A time "HH:MM" (00:00 to 23:59).')
        hours, minutes = text_value.split(":")
        return time(int(hours), int(minutes))


class SessionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    course_id = ma.fields.Integer(required=True)
    date = ma.fields.Date(required=True)
    starts_at = Clock(required=True)
    ends_at = Clock(required=True)
    place = ma.fields.String(required=True, allow_none=True)
    topic = ma.fields.String(required=True, allow_none=True)
    trainer_id = ma.fields.Integer(required=True, allow_none=True)
    status = ma.fields.String(required=True, metadata={"enum": list(SESSION_STATUSES)})
    revision = ma.fields.Integer(
        required=True,
        metadata={"description": "0 when added, raised by every reschedule or cancellation"},
    )
    updated_at = ma.fields.DateTime(required=True, metadata={"description": "The last change"})


class SessionListSchema(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(SessionSchema),
        required=True,
        metadata={"description": "By date and start, cancelled ones included"},
    )


class _SessionFields(ma.Schema):
    place = text(CourseSession, "place", allow_none=True)
    topic = text(CourseSession, "topic", allow_none=True)
    trainer_id = identifier(
        allow_none=True, metadata={"description": "An account with the trainer role"}
    )


class SessionCreateSchema(_SessionFields):
    date = ma.fields.Date(required=True)
    starts_at = Clock(required=True)
    ends_at = Clock(required=True, metadata={"description": "After starts_at"})


class SessionUpdateSchema(_SessionFields):
    """Reschedule with any of the fields, or cancel with {"status": "cancelled"} alone."""

    date = ma.fields.Date()
    starts_at = Clock()
    ends_at = Clock()
    status = ma.fields.String(
        validate=validate.OneOf(("cancelled",)),
        metadata={"description": "`cancelled` cancels the session (with no other field)"},
    )


def data(session: CourseSession) -> dict:
    return {
        "id": session.id,
        "course_id": session.course_id,
        "date": session.day,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "place": session.place,
        "topic": session.topic,
        "trainer_id": session.trainer_id,
        "status": session.status,
        "revision": session.revision,
        # Stored as naive UTC; RFC 3339 wants the offset.
        "updated_at": session.updated_at.replace(tzinfo=UTC),
    }


def _values(body: dict) -> dict:
    result = dict(body)
    if "date" in result:
        result["day"] = result.pop("date")
    return result


def session_or_404(session_id: int) -> CourseSession:
    """The session: 404 when it does not exist, 403 unless the caller manages its course."""
    session = db.session.get(CourseSession, session_id)
    if session is None:
        abort(404)
    user = current_api_user()
    if not can(user, "courses.view", session.course) or not can(
        user, "courses.manage", session.course
    ):
        abort(403)
    return session


SESSION_RULES = "ends_at not after starts_at, a trainer without the trainer role, a cancelled "
SESSION_RULES += "or finished course"


@blp.route("/courses/<int:course_id>/sessions")
class CourseSessions(MethodView):
    @checked(lambda course_id: {"course": course_or_404(course_id)}, body=False)
    @blp.response(200, SessionListSchema)
    @error_responses(blp, 401, 403, 404)
    def get(self, course):
        """The course's sessions (whoever may see the course)."""
        return {"items": [data(s) for s in course.sessions]}

    @checked(lambda course_id: {"course": course_or_404(course_id, "courses.manage")})
    @blp.arguments(SessionCreateSchema)
    @blp.response(201, SessionSchema)
    @error_responses(blp, *BODY_ERRORS, rules=SESSION_RULES)
    def post(self, body, course):
        """Add a session (the HR managing the course). Its place defaults to the course's."""
        session = services.add_session(course, current_api_user(), **_values(body))
        return data(session)


@blp.route("/sessions/<int:session_id>")
class SessionResource(MethodView):
    @checked(lambda session_id: {"session": session_or_404(session_id)})
    @blp.arguments(SessionUpdateSchema)
    @blp.response(200, SessionSchema)
    @error_responses(
        blp,
        *BODY_ERRORS,
        rules=SESSION_RULES + ", a cancelled session, a cancellation with other fields",
    )
    def patch(self, changes, session):
        """Reschedule (date, times, place, topic, trainer) or cancel a session (the HR managing
        the course): its revision rises and the enrolled are told. Sending what it already
        has changes nothing."""
        user = current_api_user()
        if changes.pop("status", None) == "cancelled":
            if changes:
                abort(422, messages={"status": ['Cancel with {"status": "cancelled"} alone.']})
            session = services.cancel_session(session, user)
        elif changes:
            session = services.reschedule_session(session, user, **_values(changes))
        return data(session)
