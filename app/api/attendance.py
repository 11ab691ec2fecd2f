"""/api/v1 attendance and completion (DESIGN §4, DOMAIN §7, issue 13).

- `PUT /sessions/<id>/attendance` `[{enrolment_id, status, note?}]`: the course's trainers and
  the HR managing it record a session's register, all or nothing (a line equal to what is
  stored writes nothing; a changed one is a correction kept in the history). 200 with the
  session's attendance. Refusals answer 422 with their code as `error.code`
  (app.domain.completion.RECORD_REFUSALS, `note_too_long`).
- `GET /sessions/<id>/attendance`: the same register (those who record it).
- `GET /courses/<id>/attendance`: the grid, officials × sessions with rates and outlook.
- `POST /courses/<id>/finish|reopen` `{}`: the HR managing the course; 200 with the course's
  status and its enrolments counted by status (FINISH_REFUSALS / REOPEN_REFUSALS as codes).
- `GET /me/attendance`: an official reads her own courses and statuses, and nothing else.

A session or course the caller may not record or see answers 403 (404 when it does not exist).
"""

from contextlib import contextmanager
from datetime import UTC

import marshmallow as ma
from flask import make_response
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import validate

from ..attendance import services
from ..attendance.models import ATTENDANCE_STATUS_CODES, NOTE_LIMIT
from ..courses.models import Course, CourseSession
from ..domain.completion import FINISH_REFUSALS, RECORD_REFUSALS, REOPEN_REFUSALS
from ..error_shape import error_response
from ..extensions import db
from ..permissions import can
from ..validation import ServiceError
from . import api_blueprint, current_api_user
from .officials import BODY_ERRORS, checked
from .schemas import error_responses, identifier, printable

blp = api_blueprint("api_attendance", __name__, "Attendance, finishing and reopening courses")

CODES = (*RECORD_REFUSALS, *FINISH_REFUSALS, *REOPEN_REFUSALS, "note_too_long")
RECORD_RULES = "error.code names the refusal: " + ", ".join(
    dict.fromkeys((*RECORD_REFUSALS, "note_too_long"))
)
FINISH_RULES = "error.code names the refusal: " + ", ".join(FINISH_REFUSALS)
REOPEN_RULES = "error.code names the refusal: " + ", ".join(REOPEN_REFUSALS)
ENROLMENT_STATUSES = (
    "pending",
    "confirmed",
    "waitlisted",
    "rejected",
    "cancelled",
    "completed",
    "not_completed",
    "expired",
)


@contextmanager
def coded():
    """A refusal of the block answers 422 with its own code (nothing written)."""
    try:
        yield
    except ServiceError as error:
        if error.code not in CODES:
            raise
        db.session.rollback()
        details = {error.field or "_schema": [error.message]}
        body, status = error_response(422, code=error.code, message=error.message, details=details)
        abort(make_response(body, status))


# --- schemas -------------------------------------------------------------------------------


class EntrySchema(ma.Schema):
    enrolment_id = identifier(required=True, metadata={"description": "A confirmed enrolment"})
    status = ma.fields.String(
        required=True,
        validate=validate.OneOf(ATTENDANCE_STATUS_CODES),
        metadata={"enum": list(ATTENDANCE_STATUS_CODES)},
    )
    note = ma.fields.String(
        allow_none=True,
        validate=[validate.Length(max=NOTE_LIMIT), printable],
        metadata={"description": "Replaces the stored note (none: no note)"},
    )


class LineSchema(ma.Schema):
    enrolment_id = ma.fields.Integer(required=True)
    official_id = ma.fields.Integer(required=True)
    full_name = ma.fields.String(required=True)
    status = ma.fields.String(
        required=True, allow_none=True, metadata={"enum": list(ATTENDANCE_STATUS_CODES)}
    )
    note = ma.fields.String(required=True, allow_none=True)
    recorded_by_id = ma.fields.Integer(required=True, allow_none=True)
    recorded_at = ma.fields.DateTime(required=True, allow_none=True)


class RegisterSchema(ma.Schema):
    session_id = ma.fields.Integer(required=True)
    course_id = ma.fields.Integer(required=True)
    date = ma.fields.Date(required=True)
    items = ma.fields.List(
        ma.fields.Nested(LineSchema),
        required=True,
        metadata={"description": "The confirmed officials (after a finish: the assessed), by name"},
    )


class GridSessionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    date = ma.fields.Date(required=True)
    cancelled = ma.fields.Boolean(required=True)


class GridRowSchema(ma.Schema):
    enrolment_id = ma.fields.Integer(required=True)
    official_id = ma.fields.Integer(required=True)
    full_name = ma.fields.String(required=True)
    enrolment_status = ma.fields.String(required=True)
    statuses = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        metadata={"description": "{session id: status}; a missing session is not recorded"},
    )
    attended = ma.fields.Integer(required=True)
    rate_percent = ma.fields.Integer(required=True, allow_none=True)
    completes = ma.fields.Boolean(required=True)
    needed = ma.fields.Integer(required=True)
    out_of_reach = ma.fields.Boolean(
        required=True, metadata={"description": "She can no longer reach the threshold"}
    )


class GridSchema(ma.Schema):
    course_id = ma.fields.Integer(required=True)
    threshold = ma.fields.Integer(required=True)
    held_sessions = ma.fields.Integer(required=True)
    sessions = ma.fields.List(ma.fields.Nested(GridSessionSchema), required=True)
    items = ma.fields.List(ma.fields.Nested(GridRowSchema), required=True)


class CourseStateSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    confirmed_count = ma.fields.Integer(required=True)
    waitlist_count = ma.fields.Integer(required=True)
    pending_count = ma.fields.Integer(required=True)
    counts = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.OneOf(ENROLMENT_STATUSES)),
        values=ma.fields.Integer(),
        required=True,
        metadata={"description": "The course's enrolments by status (every status, zeros too)"},
    )
    certificates = ma.fields.Integer(required=True, metadata={"description": "Valid ones"})


class EmptySchema(ma.Schema):
    pass


class OwnCourseSchema(ma.Schema):
    enrolment_id = ma.fields.Integer(required=True)
    course_id = ma.fields.Integer(required=True)
    course_title = ma.fields.String(required=True)
    enrolment_status = ma.fields.String(required=True)
    sessions = ma.fields.List(ma.fields.Nested(GridSessionSchema), required=True)
    statuses = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    attended = ma.fields.Integer(required=True)
    rate_percent = ma.fields.Integer(required=True, allow_none=True)


class OwnListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OwnCourseSchema), required=True)


# --- loading -------------------------------------------------------------------------------


def session_or_404(session_id: int, action: str) -> dict:
    session = db.session.get(CourseSession, session_id)
    if session is None:
        abort(404)
    if not can(current_api_user(), action, session):
        abort(403)
    return {"session": session}


def course_or_404(course_id: int, action: str) -> dict:
    course = db.session.get(Course, course_id)
    if course is None:
        abort(404)
    if not can(current_api_user(), action, course):
        abort(403)
    return {"course": course}


def _aware(value):
    return value.replace(tzinfo=UTC) if value is not None else None


def register_data(session: CourseSession) -> dict:
    lines = services.register_sheet(session)
    return {
        "session_id": session.id,
        "course_id": session.course_id,
        "date": session.day,
        "items": [
            {
                "enrolment_id": line.enrolment.id,
                "official_id": line.enrolment.official_id,
                "full_name": line.enrolment.official.full_name,
                "status": line.status,
                "note": line.attendance.note if line.attendance else None,
                "recorded_by_id": line.attendance.recorded_by_id if line.attendance else None,
                "recorded_at": _aware(line.attendance.recorded_at if line.attendance else None),
            }
            for line in lines
        ],
    }


def _sessions(sessions) -> list[dict]:
    return [{"id": s.id, "date": s.day, "cancelled": s.cancelled} for s in sessions]


def grid_data(course: Course) -> dict:
    result = services.grid(course)
    return {
        "course_id": course.id,
        "threshold": result.threshold,
        "held_sessions": result.held,
        "sessions": _sessions(result.sessions),
        "items": [
            {
                "enrolment_id": row.enrolment.id,
                "official_id": row.enrolment.official_id,
                "full_name": row.enrolment.official.full_name,
                "enrolment_status": row.enrolment.status,
                "statuses": {str(k): v for k, v in row.statuses.items()},
                "attended": row.attended,
                "rate_percent": row.rate_percent,
                "completes": row.completes,
                "needed": row.outlook.needed,
                "out_of_reach": row.out_of_reach,
            }
            for row in result.rows
        ],
    }


def course_state(course: Course) -> dict:
    db.session.flush()
    return {
        "id": course.id,
        "status": course.status,
        "confirmed_count": course.confirmed_count,
        "waitlist_count": course.waitlist_count,
        "pending_count": course.pending_count,
        "counts": services.enrolment_counts(course.id),
        "certificates": sum(1 for c in services.certificates_of_course(course.id) if c.valid),
    }


# --- operations ----------------------------------------------------------------------------


@blp.route("/sessions/<int:session_id>/attendance")
class SessionAttendance(MethodView):
    @checked(lambda session_id: session_or_404(session_id, "attendance.view"), body=False)
    @blp.response(200, RegisterSchema)
    @error_responses(blp, 401, 403, 404)
    def get(self, session):
        """The session's register: the course's confirmed officials with their status (the
        course's trainers and the HR managing it)."""
        return register_data(session)

    @checked(lambda session_id: session_or_404(session_id, "attendance.record"))
    @blp.arguments(EntrySchema(many=True))
    @blp.response(200, RegisterSchema)
    @error_responses(blp, *BODY_ERRORS, rules=RECORD_RULES)
    def put(self, entries, session):
        """Record the register, all or nothing: on or after the session's date
        (Asia/Ho_Chi_Minh), confirmed enrolments of this course only."""
        with coded():
            services.record_attendance(session, entries, current_api_user())
        return register_data(session)


@blp.route("/courses/<int:course_id>/attendance")
class CourseAttendance(MethodView):
    @checked(lambda course_id: course_or_404(course_id, "attendance.view"), body=False)
    @blp.response(200, GridSchema)
    @error_responses(blp, 401, 403, 404)
    def get(self, course):
        """The grid: officials × sessions, each one's attended count, rate and whether she can
        still reach the threshold (the course's trainers and the HR managing it)."""
        return grid_data(course)


@blp.route("/courses/<int:course_id>/finish")
class CourseFinish(MethodView):
    @checked(lambda course_id: course_or_404(course_id, "courses.finish"))
    @blp.arguments(EmptySchema)
    @blp.response(200, CourseStateSchema)
    @error_responses(blp, *BODY_ERRORS, rules=FINISH_RULES)
    def post(self, _body, course):
        """Finish the course (the HR managing it): assessment, qualification records,
        certificates (DOMAIN §7)."""
        with coded():
            services.finish_course(course, current_api_user())
        return course_state(course)


@blp.route("/courses/<int:course_id>/reopen")
class CourseReopen(MethodView):
    @checked(lambda course_id: course_or_404(course_id, "courses.finish"))
    @blp.arguments(EmptySchema)
    @blp.response(200, CourseStateSchema)
    @error_responses(blp, *BODY_ERRORS, rules=REOPEN_RULES)
    def post(self, _body, course):
        """Reopen a finished course (the HR managing it): its finish is reversed."""
        with coded():
            services.reopen_course(course, current_api_user())
        return course_state(course)


def _own() -> dict:
    if not can(current_api_user(), "attendance.view_own"):
        abort(403)
    return {}


@blp.route("/me/attendance")
class OwnAttendance(MethodView):
    @checked(lambda: _own(), body=False)
    @blp.response(200, OwnListSchema)
    @error_responses(blp, 401, 403)
    def get(self):
        """Her own courses (confirmed, completed, not completed) with her status at each
        session: an account linked to an official reads only her own."""
        items = services.own_attendance(current_api_user().official_id)
        return {
            "items": [
                {
                    "enrolment_id": mine.enrolment.id,
                    "course_id": mine.enrolment.course_id,
                    "course_title": mine.enrolment.course.title,
                    "enrolment_status": mine.enrolment.status,
                    "sessions": _sessions(mine.sessions),
                    "statuses": {str(k): v for k, v in mine.statuses.items()},
                    "attended": mine.attended,
                    "rate_percent": mine.rate_percent,
                }
                for mine in items
            ]
        }
