"""The catalogue of courses (GET /courses/): search ignoring diacritics, filters by kind, by what
a course awards, by month of its first day and by status; seats left; for a signed-in official
the courses that close one of her gaps first, with the gap named (app.courses.panels.hints,
filled by progress). A few set-based statements whatever the number of courses."""

from dataclasses import dataclass
from datetime import date
from math import ceil

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import distinct, select
from sqlalchemy.orm import joinedload
from wtforms import Form, StringField
from wtforms.validators import Length

from ..domain.ladders import LADDERS
from ..domain.text import fold
from ..extensions import db
from ..forms import ChoiceField
from ..i18n import choices, label
from ..permissions import TRAINER, is_hr, require
from . import bp, panels
from .models import Course
from .services import visible_to

PER_PAGE = 20
FILTER_KEYS = ("q", "kind", "ladder", "month", "status")


def _text_or_none(value):
    return value or None


def month_label(key: str) -> str:
    """ "2026-12" -> "Tháng 12/2026" (in the page's language)."""
    year, month = key.split("-")
    return _("Tháng %(month)s/%(year)s", month=month, year=year)


def options(field) -> list:
    return list(field.choices() if callable(field.choices) else field.choices)


class CatalogueFilterForm(Form):
    q = StringField(
        _l("Tìm theo tên hoặc mã khóa học"),
        validators=[Length(max=100)],
        render_kw={"type": "search", "placeholder": _l("Ví dụ: quan ly nha nuoc")},
    )
    kind = ChoiceField(
        _l("Lĩnh vực"),
        choices=lambda: choices("course_kind", blank=_l("Tất cả")),
        coerce=_text_or_none,
    )
    ladder = ChoiceField(
        _l("Văn bằng, chứng chỉ cấp"),
        choices=lambda: [
            ("", _l("Tất cả")),
            *((code, label(ladder)) for code, ladder in LADDERS.items()),
            ("none", _l("Không cấp văn bằng")),
        ],
        coerce=_text_or_none,
    )
    month = ChoiceField(_l("Tháng khai giảng"), coerce=_text_or_none)
    status = ChoiceField(
        _l("Tình trạng khóa học"),
        choices=lambda: [
            *choices("course_status"),
            ("all", _l("Tất cả")),
        ],
        default="open",
    )

    def chosen(self, name: str):
        """The value of a filter when it is one of its choices, else None."""
        field = getattr(self, name)
        allowed = {str(value) for value, _text in options(field)}
        return field.data if field.data and str(field.data) in allowed else None


@dataclass(frozen=True)
class CatalogueFilters:
    q: str | None = None
    kind: str | None = None
    ladder: str | None = None
    month: str | None = None
    status: str | None = "open"  # None: every status she may see


def _month_bounds(key: str) -> tuple[date, date] | None:
    try:
        year, month = (int(part) for part in key.split("-"))
        first = date(year, month, 1)
    except ValueError:
        return None
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following


def filtered(user, filters: CatalogueFilters):
    stmt = select(Course).where(visible_to(user))
    if filters.q:
        needle = fold(filters.q)
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Course.title_folded.like(f"%{escaped}%", escape="\\"))
    if filters.kind:
        stmt = stmt.where(Course.kind == filters.kind)
    if filters.ladder == "none":
        stmt = stmt.where(Course.awards_ladder.is_(None))
    elif filters.ladder:
        stmt = stmt.where(Course.awards_ladder == filters.ladder)
    if filters.month:
        bounds = _month_bounds(filters.month)
        if bounds:
            stmt = stmt.where(Course.first_day >= bounds[0], Course.first_day < bounds[1])
    if filters.status:
        stmt = stmt.where(Course.status == filters.status)
    return stmt


def months(user) -> list[str]:
    """The months ("yyyy-mm") in which the courses she may see begin, latest first."""
    days = db.session.scalars(
        select(distinct(Course.first_day)).where(
            visible_to(user), Course.first_day.is_not(None), Course.status != "cancelled"
        )
    )
    return sorted({f"{day.year:04d}-{day.month:02d}" for day in days}, reverse=True)


def _sort_key(course: Course):
    # Upcoming first by their first day; those without sessions yet last; then by title.
    return (course.first_day is None, course.first_day or date.min, course.title, course.id)


@bp.get("/", endpoint="catalogue")
@require("courses.browse")
def catalogue():
    form = CatalogueFilterForm(request.args)
    form.month.choices = [
        ("", _l("Tất cả")),
        *((key, month_label(key)) for key in months(current_user)),
    ]
    if not (is_hr(current_user) or current_user.has_role(TRAINER)):
        # Drafts are for those who manage or teach them.
        form.status.choices = [c for c in options(form.status) if c[0] != "draft"]
    if "status" not in request.args:
        form.status.data = "open"
    status = form.chosen("status") or "open"
    filters = CatalogueFilters(
        q=(form.q.data or "").strip()[:100] or None,
        kind=form.chosen("kind"),
        ladder=form.chosen("ladder"),
        month=form.chosen("month"),
        status=None if status == "all" else status,
    )
    courses = list(
        db.session.scalars(filtered(current_user, filters).options(joinedload(Course.organizer)))
    )
    gaps = panels.hints(current_user, courses) if current_user.official_id else {}
    courses.sort(key=lambda c: (c.id not in gaps, *_sort_key(c)))
    total = len(courses)
    pages = max(1, ceil(total / PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    shown = courses[(page - 1) * PER_PAGE : page * PER_PAGE]
    kept = {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}
    return render_template(
        "courses/catalogue.html",
        form=form,
        courses=shown,
        gaps=gaps,
        total=total,
        page=page,
        pages=pages,
        per_page=PER_PAGE,
        kept=kept,
        narrowed=any(key in kept for key in ("kind", "ladder", "month")),
    )
