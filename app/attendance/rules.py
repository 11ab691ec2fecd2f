"""Who records and reads attendance, finishes and reopens courses, and opens certificates
(DOMAIN §7): the course's trainers and the HR managing it record; an official reads her own."""

from ..courses.models import CourseSession
from ..courses.rules import manages, teaches
from ..permissions import official_in_scope, rule


def _course(obj):
    """The course of `obj` (a course or one of its sessions)."""
    return obj.course if isinstance(obj, CourseSession) else obj


def records(user, obj) -> bool:
    """The course's trainers and the HR managing the course (DOMAIN §7)."""
    course = _course(obj)
    return course is not None and (teaches(user, course) or manages(user, course))


@rule("attendance.record")
def _record(user, obj) -> bool:
    """obj: a course or a session. Whether the session may be recorded today is the service's
    rule (app.domain.completion.record_refusal)."""
    return records(user, obj)


@rule("attendance.view")
def _view(user, obj) -> bool:
    """A session's register and the course's grid: those who record it."""
    return records(user, obj)


@rule("attendance.view_own")
def _view_own(user, _obj) -> bool:
    """Her own attendance and certificates: an account linked to an official."""
    return user.official_id is not None


@rule("courses.finish")
def _finish(user, course) -> bool:
    """Finish and reopen: the HR managing the course."""
    return course is not None and manages(user, course)


@rule("certificates.view")
def _certificate(user, certificate) -> bool:
    """The official herself, HR whose scope holds her, the HR managing the course."""
    if certificate is None:
        return False
    return (
        user.official_id == certificate.official_id
        or official_in_scope(user, certificate.official)
        or manages(user, certificate.course)
    )
