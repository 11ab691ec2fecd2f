"""The course pages (issue 12)."""

from flask import abort, render_template
from flask_login import current_user

from ..extensions import db
from ..permissions import ensure, require
from . import bp, panels
from .models import Course


def course_or_404(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        abort(404)
    ensure(current_user, "courses.view", course)
    return course


@bp.get("/<int:course_id>")
@require("courses.browse")
def view(course_id: int):
    course = course_or_404(course_id)
    return render_template(
        "courses/view.html", course=course, panels=panels.build(course, current_user)
    )
