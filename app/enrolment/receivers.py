"""Enrolment's answers to the courses' events (DESIGN §2: courses send, enrolment listens)."""

from ..courses import signals as course_signals
from . import services


@course_signals.capacity_raised.connect
def _capacity_raised(course, actor=None, **_extra) -> None:
    """A raised capacity frees seats: the first waitlisted are confirmed at once (DOMAIN §8)."""
    services.promote_waiting(course, actor)
