"""Calendar feeds (issue 15): the feeds' rows, their fingerprint (ETag) and their iCalendar text.

The body of a feed is a pure function of what its fingerprint is made of (the feed's id and
version, its sessions' ids and revisions, their courses' versions, the window's first day, the
language and the address the links point to): the same data gives the same bytes, and a
conditional request answered 304 reads only the fingerprint's one small query.
"""

import hashlib
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration
from sqlalchemy import and_, or_, select, update

from ..courses.models import Course, CourseSession, course_trainers
from ..database import best_effort_write
from ..domain import calendar as rules
from ..enrolment.models import Enrolment
from ..extensions import db
from ..i18n import TIMEZONE
from ..model_helpers import utcnow
from ..validation import ServiceError
from . import links
from .models import CalendarFeed
from .rules import may_hold

PRODID = "-//So Noi vu//CCVC nu//VI"
# Raised when the text of the feeds changes shape: every client then fetches anew.
FORMAT = "1"
TZID = "Asia/Ho_Chi_Minh"
REFRESH = timedelta(hours=1)
CourseUrl = Callable[[int], str]


# --- feeds and their links ------------------------------------------------------------------


def find_feed(user, kind: str, course=None) -> CalendarFeed | None:
    if course is None:
        of_course = CalendarFeed.course_id.is_(None)
    else:
        of_course = CalendarFeed.course_id == course.id
    return db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.kind == kind, of_course
        )
    )


def course_feeds(user, course_ids: list[int]) -> dict[int, CalendarFeed]:
    """The user's feeds of these courses, by course id (one query)."""
    if not course_ids:
        return {}
    found = db.session.scalars(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.course_id.in_(course_ids)
        )
    )
    return {feed.course_id: feed for feed in found}


def feed_for(user, kind: str, course=None) -> CalendarFeed:
    """The user's feed of `kind` (of `course`), made on first use. Refused (ServiceError) for a
    feed the user may not hold."""
    if kind not in rules.FEED_KINDS:
        raise ServiceError(_("Loại lịch không hợp lệ."), "kind")
    if kind == "course" and course is None:
        raise ServiceError(_("Hãy chọn khóa học."), "course_id")
    if not may_hold(user, kind, course):
        raise ServiceError(_("Bạn không thể nhận lịch này."), "kind")
    feed = find_feed(user, kind, course if kind == "course" else None)
    if feed is None:
        feed = CalendarFeed(
            user_id=user.id,
            kind=kind,
            course_id=course.id if kind == "course" else None,
            version=1,
            created_at=utcnow(),
        )
        db.session.add(feed)
        db.session.flush()
    return feed


def regenerate(feed: CalendarFeed) -> CalendarFeed:
    """A new link for the feed: its version rises, so every earlier link answers 404 at once."""
    feed.version += 1
    feed.content_tag = None
    feed.content_changed_at = None
    db.session.flush()
    return feed


def new_link(user, kind: str, course=None) -> CalendarFeed:
    """The feed with a link never given before (the API's "new URL"): made, or regenerated."""
    existed = find_feed(user, kind, course if kind == "course" else None) is not None
    feed = feed_for(user, kind, course)
    return regenerate(feed) if existed else feed


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed a link opens: its signature must match the feed's current version and its
    owner must still be active and allowed to hold it; None otherwise (the route's 404)."""
    feed_id = links.feed_id_of(token)
    feed = db.session.get(CalendarFeed, feed_id) if feed_id is not None else None
    if feed is None or not links.matches(token, feed):
        return None
    owner = feed.user
    if not owner.active or not may_hold(owner, feed.kind, feed.course):
        return None
    return feed


def feed_language(feed: CalendarFeed, languages) -> str:
    return feed.user.locale if feed.user.locale in languages else languages[0]


# --- which sessions ---------------------------------------------------------------------------


def _owner_filter(feed: CalendarFeed):
    if feed.kind == "personal":
        return CourseSession.course_id.in_(
            select(Enrolment.course_id).where(
                Enrolment.official_id == feed.user.official_id,
                Enrolment.status.in_(rules.PERSONAL_ENROLMENT_STATUSES),
            )
        )
    if feed.kind == "trainer":
        taught = select(course_trainers.c.course_id).where(
            course_trainers.c.user_id == feed.user_id
        )
        return or_(CourseSession.course_id.in_(taught), CourseSession.trainer_id == feed.user_id)
    return CourseSession.course_id == feed.course_id


def _where(feed: CalendarFeed, today: date):
    """The feed's sessions (domain.calendar.shown, in SQL): in the window, a cancelled one (or
    one of a cancelled course) until its day has passed."""
    first, last = rules.window(today)
    live = and_(CourseSession.status == "scheduled", Course.status != "cancelled")
    return and_(
        _owner_filter(feed),
        CourseSession.day.between(first, last),
        or_(live, CourseSession.day >= today),
    )


def fingerprint(feed: CalendarFeed, today: date, language: str, base_url: str) -> str:
    """The strong ETag of the feed: one query of ids, revisions and versions."""
    rows = db.session.execute(
        select(CourseSession.id, CourseSession.revision, Course.id, Course.version)
        .join(Course, Course.id == CourseSession.course_id)
        .where(_where(feed, today))
        .order_by(CourseSession.id)
    ).all()
    first, _last = rules.window(today)
    head = f"{FORMAT}|{feed.id}|{feed.version}|{first.isoformat()}|{language}|{base_url}"
    body = ";".join(f"{s}.{r}.{c}.{v}" for s, r, c, v in rows)
    return hashlib.sha256(f"{head}|{body}".encode()).hexdigest()[:40]


def feed_sessions(feed: CalendarFeed, today: date) -> list[tuple[CourseSession, Course]]:
    return db.session.execute(
        select(CourseSession, Course)
        .join(Course, Course.id == CourseSession.course_id)
        .where(_where(feed, today))
        .order_by(CourseSession.day, CourseSession.starts_at, CourseSession.id)
    ).all()


def content_changed_at(feed: CalendarFeed, tag: str) -> datetime:
    """When the feed's content last changed (its Last-Modified): kept with the fingerprint it
    had, moved to now when the fingerprint differs. A session leaving the feed changes no
    session's own date, so the feed keeps its own. The write is a GET's bookkeeping
    (best-effort: a later request records it when SQLite's write lock is taken)."""
    if feed.content_tag == tag and feed.content_changed_at is not None:
        return feed.content_changed_at
    now = utcnow().replace(microsecond=0)
    with best_effort_write():
        db.session.execute(
            update(CalendarFeed)
            .where(CalendarFeed.id == feed.id, CalendarFeed.version == feed.version)
            .values(content_tag=tag, content_changed_at=now)
        )
    return now


# --- iCalendar --------------------------------------------------------------------------------


def feed_name(feed: CalendarFeed) -> str:
    if feed.kind == "personal":
        return rules.calendar_name(_("Lịch học bồi dưỡng của tôi"))
    if feed.kind == "trainer":
        return rules.calendar_name(_("Lịch giảng dạy của tôi"))
    return rules.calendar_name(_("Lịch khóa học %(title)s", title=feed.course.title))


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    # Always there: the times refer to it, and a calendar without events still holds a
    # component (RFC 5545 wants one at least).
    zone = Timezone.from_tzid(TZID, first_date=date(2000, 1, 1))
    zone.pop("COMMENT", None)
    calendar.add_component(zone)
    return calendar


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC, microsecond=0)


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=TIMEZONE)


def uid(session_id: int, domain: str) -> str:
    """Stable across every feed and over time: a session is one event wherever it shows."""
    return f"session-{session_id}@{domain}"


def event(session: CourseSession, course: Course, course_url: CourseUrl, domain: str) -> Event:
    state = rules.event_state(
        session.status, session.revision, session.updated_at, course.status, course.updated_at
    )
    title = rules.plain_text(course.title)
    summary = _("[ĐÃ HỦY] %(title)s", title=title) if state.cancelled else title
    url = course_url(course.id)
    lines = [rules.plain_text(session.topic)] if session.topic else []
    lines.append(_("Khóa học: %(title)s (%(code)s)", title=title, code=course.code))
    lines.append(url)
    item = Event()
    item.add("uid", uid(session.id, domain))
    item.add("dtstamp", _utc(state.changed_at))
    item.add("last-modified", _utc(state.changed_at))
    item.add("sequence", state.sequence)
    item.add("dtstart", _local(session.day, session.starts_at))
    item.add("dtend", _local(session.day, session.ends_at))
    item.add("summary", summary)
    place = session.place or course.place
    if place:
        item.add("location", rules.plain_text(place))
    item.add("description", unicodedata.normalize("NFC", "\n".join(lines)))
    item.add("url", url)
    item.add("status", "CANCELLED" if state.cancelled else "CONFIRMED")
    item.add("transp", "TRANSPARENT" if state.cancelled else "OPAQUE")
    return item


def render(name: str, rows, course_url: CourseUrl, domain: str) -> bytes:
    """The calendar's text: CRLF lines folded at 75 octets (icalendar never splits a UTF-8
    character), no METHOD (a published calendar, not a scheduling message)."""
    calendar = _calendar(name)
    for session, course in rows:
        calendar.add_component(event(session, course, course_url, domain))
    return calendar.to_ical()


def build_feed(feed, today: date, language: str, course_url: CourseUrl, domain: str) -> bytes:
    with force_locale(language):
        return render(feed_name(feed), feed_sessions(feed, today), course_url, domain)


def build_session(session: CourseSession, language: str, course_url: CourseUrl, domain: str):
    """One session as a calendar of one event (the course page's "add to calendar")."""
    with force_locale(language):
        name = rules.calendar_name(session.course.title)
        return render(name, [(session, session.course)], course_url, domain)
