"""The "my enrolment" panel of the course page (app.courses.panels): for an account linked to
an official, her enrolment in the course (state, waitlist position, reason), the register
button when she may, or the sentence saying why she may not, and the cancel button while her
enrolment is active. Nothing for accounts without an official."""

from dataclasses import dataclass

from ..courses import panels
from ..courses.messages import refusal_message
from ..domain import enrolment as rules
from ..extensions import db
from ..officials.models import Official
from . import services
from .models import Enrolment

# Her enrolment already says it: no sentence under the state.
SILENT_REFUSALS = {"already_enrolled"}


@dataclass(frozen=True)
class MyEnrolment:
    official: Official
    enrolment: Enrolment | None
    may_register: bool
    refusal: str | None  # the sentence why she may not register (None: she may, or enrolled)
    may_cancel: bool


@panels.register("my_enrolment", order=10)
def my_enrolment(course, user) -> MyEnrolment | None:
    official_id = getattr(user, "official_id", None)
    if official_id is None:
        return None
    official = db.session.get(Official, official_id)
    if official is None:
        return None
    enrolment = services.find_enrolment(course.id, official.id)
    code = services.registration_refusal(course, official)
    may_cancel = (
        enrolment is not None
        and enrolment.status in rules.CANCELLABLE_STATUSES
        and course.status in rules.RUNNING_COURSE_STATUSES
    )
    refusal = None
    if code is not None and code not in SILENT_REFUSALS:
        refusal = refusal_message(code)
    return MyEnrolment(official, enrolment, code is None, refusal, may_cancel)
