"""The course pages (issue 12)."""

from datetime import date

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..extensions import db
from ..i18n import code_label
from ..permissions import ensure, require
from . import bp, panels
from .models import Course, CourseSession


def course_or_404(course_id: int, options=()) -> Course:
    course = db.session.get(Course, course_id, options=list(options))
    if course is None:
        abort(404)
    ensure(current_user, "courses.view", course)
    return course


# What the course page shows, loaded before the template starts (templates do not query).
PAGE_OPTIONS = (
    joinedload(Course.organizer),
    selectinload(Course.trainers).joinedload(User.official),
    selectinload(Course.audience_organizations),
    selectinload(Course.sessions).joinedload(CourseSession.trainer).joinedload(User.official),
)


def weekday(day: date) -> str:
    """The day of the week in the page's language ("Thứ Hai", "Chủ nhật")."""
    names = (
        _("Thứ Hai"),
        _("Thứ Ba"),
        _("Thứ Tư"),
        _("Thứ Năm"),
        _("Thứ Sáu"),
        _("Thứ Bảy"),
        _("Chủ nhật"),
    )
    return names[day.weekday()]


bp.add_app_template_global(weekday, "weekday")


def audience_words(course: Course) -> list[str]:
    """Who the course is for, one sentence per criterion (empty: every official)."""
    words = []
    if course.women_only:
        words.append(_("Chỉ cán bộ nữ"))
    if course.audience_plan_levels:
        levels = ", ".join(code_label("plan_level", c) for c in course.audience_plan_levels)
        words.append(_("Cán bộ cấp: %(levels)s", levels=levels))
    if course.audience_position_ranks:
        ranks = ", ".join(code_label("position_rank", c) for c in course.audience_position_ranks)
        words.append(_("Chức vụ: %(ranks)s", ranks=ranks))
    if course.audience_organizations:
        names = ", ".join(o.name for o in course.audience_organizations)
        words.append(_("Thuộc đơn vị: %(names)s", names=names))
    return words


@bp.get("/<int:course_id>")
@require("courses.browse")
def view(course_id: int):
    course = course_or_404(course_id, PAGE_OPTIONS)
    return render_template(
        "courses/view.html",
        course=course,
        audience=audience_words(course),
        panels=panels.build(course, current_user),
    )
