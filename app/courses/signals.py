"""What happens to courses and sessions, for the features above (enrolment, calendar,
childcare, progress) to react to without this one importing them (DESIGN §2).

Sent by the services after the change is flushed, inside the request's transaction and, for
the course's own changes, under its row lock: a receiver's writes commit (or roll back) with
it. Receivers must not commit.
"""

from flask.signals import Namespace

_signals = Namespace()

# The capacity was raised: sender=course (locked), actor. Enrolment promotes the waitlisted.
capacity_raised = _signals.signal("course-capacity-raised")
# The course was cancelled: sender=course, actor. Enrolment tells the enrolled; childcare voids.
course_cancelled = _signals.signal("course-cancelled")
# A session was added, rescheduled or cancelled: sender=session, action ("added" |
# "rescheduled" | "cancelled"), changes ({"field": [old, new]}), actor. The course's days may
# have changed (childcare prices the days again).
session_changed = _signals.signal("course-session-changed")
