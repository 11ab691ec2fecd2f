"""What finishing and reopening a course do, for the features above (calendar, progress) to
react to without this one importing them (DESIGN §2). Each changed enrolment is also sent
app.enrolment.signals.enrolment_changed (childcare voids or recounts its requests). Sent inside
the transaction, under the course's lock; receivers must not commit."""

from flask.signals import Namespace

_signals = Namespace()

# sender=course, actor, changed=[enrolment ids whose status changed].
course_finished = _signals.signal("course-finished")
course_reopened = _signals.signal("course-reopened")
# sender=session, actor, changed=[attendance ids written].
attendance_recorded = _signals.signal("attendance-recorded")
