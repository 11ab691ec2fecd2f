"""The childcare panel of the course page (app.courses.panels): her requests for this course and
the "Đề nghị hỗ trợ" button when she may ask; for the HR deciding, how many requests the course
has and a link to its work list."""

from sqlalchemy import func, select

from ..courses import panels
from ..enrolment.services import find_enrolment
from ..extensions import db
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
        data["mine"] = services.requests_of(user.official_id, course.id)
        # The one rule of who may ask (DOMAIN §6), as the request form applies it.
        if (
            enrolment is not None
            and services.ask_refusal(enrolment, services.course_days(course.id)) is None
        ):
            data["enrolment"] = enrolment
    if is_hr(user):
        stmt = services.visible_to(
            services.joined(select(func.count(ChildcareRequest.id))).where(
                ChildcareRequest.course_id == course.id
            ),
            user,
        )
        data["hr_count"] = db.session.scalar(stmt) or 0
    if not data["mine"] and data["enrolment"] is None and not data["hr_count"]:
        return None
    return data
