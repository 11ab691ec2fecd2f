"""The childcare panel of the course page (app.courses.panels): her requests for this course and
the "Đề nghị hỗ trợ" button when she may ask; for the HR deciding, how many requests the course
has and a link to its work list."""

from flask_login import current_user
from sqlalchemy import func, select

from ..courses import panels
from ..domain import childcare as rules
from ..enrolment.services import find_enrolment
from ..extensions import db
from ..officials.models import Official
from ..permissions import is_hr
from . import services
from .models import ChildcareRequest


@panels.register("childcare", order=15)
def childcare_panel(course, user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    data = {"course_id": course.id, "mine": [], "enrolment": None, "hr_count": None}
    if user.official_id is not None:
        enrolment = find_enrolment(course.id, user.official_id)
        official = db.session.get(Official, user.official_id)
        data["mine"] = services.requests_of(user.official_id, course.id)
        if (
            enrolment is not None
            and official is not None
            and official.sex == "F"
            and enrolment.status in rules.ENROLMENT_STATUSES_ALLOWED
            and course.status not in ("cancelled", "finished")
        ):
            data["enrolment"] = enrolment
    if is_hr(user):
        stmt = services.visible_to(
            services.joined(select(func.count(ChildcareRequest.id))).where(
                ChildcareRequest.course_id == course.id
            ),
            current_user,
        )
        data["hr_count"] = db.session.scalar(stmt) or 0
    if not data["mine"] and data["enrolment"] is None and not data["hr_count"]:
        return None
    return data
