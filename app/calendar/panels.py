"""What the calendar shows on other features' pages, without them importing it (DESIGN §2).

- `subscribe_panel(user, kind, course=None)`: the data of a subscribe panel (the https and
  webcal:// links, "add to Google Calendar", a QR code of the link, the regenerate button),
  shown by templates/calendar/_subscribe.html as `panel`. The "my courses" and trainer pages
  include that partial with `panel=calendar_subscribe_panel("personal")` (a template global:
  enrolment ranks below the calendar and cannot import it); the calendar's own page
  (`calendar.index`) shows every panel of the user.
- The course page's "add to calendar" panel (app.courses.panels, order 40): a .ics download of
  each of its sessions, and the course's feed for HR managing it and its trainers.
"""

from urllib.parse import quote

from flask import request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..courses import panels as course_panels
from ..courses.models import Course, course_trainers
from ..domain.calendar import calendar_name
from ..extensions import db
from ..i18n import today
from ..officials.models import Organization
from ..permissions import TRAINER, scope_prefix
from ..qr import svg_data_uri
from . import links, services
from .rules import may_hold

GOOGLE_ADD = "https://calendar.google.com/calendar/render?cid="
# The course feeds listed on "my calendar": the current courses, at most this many.
COURSE_FEEDS_SHOWN = 50


def feed_links(feed) -> dict:
    """The addresses of a feed: https (on the host the request came to), webcal://, Google."""
    url = url_for("calendar.feed", token=links.token_for(feed), _external=True)
    webcal = "webcal://" + url.split("://", 1)[1]
    return {
        "url": url,
        "webcal_url": webcal,
        "google_url": GOOGLE_ADD + quote(webcal, safe=""),
    }


def _title(kind: str, course=None) -> str:
    if kind == "personal":
        return _("Lịch học của tôi")
    if kind == "trainer":
        return _("Lịch giảng dạy của tôi")
    return _("Lịch khóa học %(title)s", title=calendar_name(course.title))


_UNREAD = object()


def subscribe_panel(user, kind: str, course=None, qr: bool = True, feed=_UNREAD) -> dict | None:
    """The subscribe panel's data, None where the user may not hold that feed. Reads only: a
    feed without a link yet shows the button that makes one (a POST). `feed`: the feed when
    the caller read it already (None: there is none)."""
    if user is None or not user.is_authenticated or not may_hold(user, kind, course):
        return None
    if feed is _UNREAD:
        feed = services.find_feed(user, kind, course if kind == "course" else None)
    panel = {
        "kind": kind,
        "title": _title(kind, course),
        "course_id": course.id if course is not None else None,
        "exists": feed is not None,
        "next": request.full_path.rstrip("?") if request else None,
    }
    if feed is not None:
        panel.update(feed_links(feed))
        panel["qr"] = svg_data_uri(panel["url"]) if qr else None
    return panel


def courses_with_feeds(user) -> list[Course]:
    """The current courses whose feed the user may hold: those she teaches, those she manages
    as HR (her scope), not finished or cancelled, by first day."""
    taught = select(course_trainers.c.course_id).where(course_trainers.c.user_id == user.id)
    query = select(Course).where(Course.status.not_in(("finished", "cancelled")))
    prefix = scope_prefix(user)
    if prefix is not None:
        in_scope = select(Organization.id).where(Organization.path.startswith(prefix))
        query = query.where(Course.id.in_(taught) | Course.organizer_id.in_(in_scope))
    else:
        query = query.where(Course.id.in_(taught))
    query = query.order_by(Course.first_day.is_(None), Course.first_day, Course.code)
    # What may_hold reads of each course, read here at once (not a query per course).
    query = query.options(selectinload(Course.organizer), selectinload(Course.trainers))
    return list(db.session.scalars(query.limit(COURSE_FEEDS_SHOWN)))


def page_panels(user) -> dict:
    """Everything "my calendar" shows."""
    personal = subscribe_panel(user, "personal")
    trainer = subscribe_panel(user, "trainer") if user.has_role(TRAINER) else None
    shown = courses_with_feeds(user)
    feeds = services.course_feeds(user, [c.id for c in shown])
    courses = [subscribe_panel(user, "course", c, qr=False, feed=feeds.get(c.id)) for c in shown]
    return {
        "personal": personal,
        "trainer": trainer,
        "courses": [c for c in courses if c is not None],
    }


@course_panels.register("calendar", order=40)
def course_panel(course, user) -> dict | None:
    """The course page: each session's .ics download; the course's feed for those who may."""
    on = today()
    sessions = [s for s in course.sessions if s.day >= on]
    feed = subscribe_panel(user, "course", course, qr=False)
    if not sessions and feed is None:
        return None
    return {"sessions": sessions, "feed": feed}


def current_user_panel(kind: str, course=None) -> dict | None:
    from flask_login import current_user

    return subscribe_panel(current_user, kind, course)
