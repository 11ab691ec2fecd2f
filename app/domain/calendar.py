"""Calendar feeds (issue 15): which sessions a feed shows and how each one reads, as pure rules.

A feed is published, not a scheduling message: its events follow the sessions as they are now.
A cancelled session stays in the feed, marked cancelled, until its day has passed (so that the
subscribed calendars hear of the cancellation), then leaves it. A session of a cancelled course
reads as cancelled even where the session itself was not: the course's cancellation is its
change, one more than the session's own revisions.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# The window of a feed around today (Asia/Ho_Chi_Minh): enough history for the month's review,
# a year ahead for the planning; older and later sessions stay out of every feed.
DAYS_BACK = 60
DAYS_AHEAD = 365

FEED_KINDS = ("personal", "trainer", "course")
# The enrolments whose sessions fill an official's own feed: confirmed, and once the course
# has finished, the outcome (completed or not) that replaced "confirmed": her past sessions
# stay in her calendar instead of vanishing from it when the course closes.
PERSONAL_ENROLMENT_STATUSES = ("confirmed", "completed", "not_completed")


def window(today: date) -> tuple[date, date]:
    """The first and last day of the sessions a feed shows."""
    return today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)


def shown(day: date, cancelled: bool, today: date) -> bool:
    """Is a session of `day` in a feed today? A cancelled one only until its day has passed."""
    first, last = window(today)
    if not first <= day <= last:
        return False
    return not cancelled or day >= today


@dataclass(frozen=True)
class EventState:
    cancelled: bool
    sequence: int
    changed_at: datetime


def event_state(
    session_status: str,
    revision: int,
    session_changed_at: datetime,
    course_status: str,
    course_changed_at: datetime,
) -> EventState:
    """Status, SEQUENCE and last change of a session's event. The course's cancellation counts
    as one more revision of its sessions not cancelled by themselves, dated by the course."""
    if session_status == "cancelled":
        return EventState(True, revision, session_changed_at)
    if course_status == "cancelled":
        return EventState(True, revision + 1, max(session_changed_at, course_changed_at))
    return EventState(False, revision, session_changed_at)


_SEPARATORS = re.compile(r"\s*[,;]+\s*")
_SPACES = re.compile(r"\s+")


def plain_text(text: str) -> str:
    """NFC text on one line (a feed's words: calendar clients compare and show them as is)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def calendar_name(text: str) -> str:
    """A calendar's name without commas or semicolons, which some clients cut it at."""
    return plain_text(_SEPARATORS.sub(" - ", plain_text(text))).strip(" -")
