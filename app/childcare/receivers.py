"""Childcare's answers to the courses' and enrolments' events (DESIGN §2: they send, childcare
listens; they never import it). Inside the sender's transaction: flush, never commit."""

from ..attendance import signals as attendance_signals
from ..courses import signals as course_signals
from ..enrolment import signals as enrolment_signals
from . import services


@enrolment_signals.enrolment_changed.connect
def _enrolment_changed(enrolment, before=None, actor=None, **_extra) -> None:
    """Her enrolment cancelled, rejected or expired: her requests not yet paid become void."""
    services.void_for_enrolment(enrolment, actor)


@course_signals.course_cancelled.connect
def _course_cancelled(course, actor=None, **_extra) -> None:
    services.void_for_course(course, actor)


@course_signals.session_changed.connect
def _session_changed(session, action=None, actor=None, **_extra) -> None:
    """A day moved or dropped: the submitted requests' amounts count course days only."""
    services.recompute_submitted(session.course_id)


@attendance_signals.course_reopened.connect
def _course_reopened(course, actor=None, **_extra) -> None:
    """Reopening reverses the finish (DOMAIN §7): the requests it voided come back."""
    services.restore_for_course(course, actor)
