"""Who may hold which calendar feed (issue 15): an official her own, a trainer the sessions
they teach, HR managing a course and the course's trainers that course's feed."""

from ..courses.rules import manages, teaches
from ..permissions import TRAINER, is_hr, rule


def may_hold(user, kind: str, course=None) -> bool:
    """May `user` have (and keep reading) the feed of `kind` (of `course`)?"""
    if kind == "personal":
        return user.official_id is not None
    if kind == "trainer":
        return user.has_role(TRAINER)
    if kind == "course":
        return course is not None and (manages(user, course) or teaches(user, course))
    return False


@rule("calendar.use")
def _use(user, _obj) -> bool:
    """The "my calendar" page: an official's own feed, a trainer's, HR's course feeds."""
    return user.official_id is not None or user.has_role(TRAINER) or is_hr(user)


@rule("calendar.feed")
def _feed(user, obj) -> bool:
    """obj: (kind, course or None)."""
    kind, course = obj if obj is not None else (None, None)
    return may_hold(user, kind, course)
