"""The days she attended a course (present or late, app.attendance): what a finished course's
payable amount counts (DOMAIN §6)."""

from datetime import date

from sqlalchemy import select

from ..attendance.models import Attendance
from ..courses.models import CourseSession
from ..domain.completion import ATTENDED
from ..extensions import db


def days_attended(enrolment_id: int) -> set[date]:
    """The dates of the non-cancelled sessions at which the enrolment is present or late."""
    return set(
        db.session.scalars(
            select(CourseSession.day)
            .join(Attendance, Attendance.session_id == CourseSession.id)
            .where(
                Attendance.enrolment_id == enrolment_id,
                Attendance.status.in_(ATTENDED),
                CourseSession.status != "cancelled",
            )
        )
    )
