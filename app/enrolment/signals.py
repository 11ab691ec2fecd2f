"""What happens to enrolments, for the features above (childcare, calendar, progress) to react
to without this one importing them (DESIGN §2). Sent inside the transaction, under the course's
lock; receivers must not commit.
"""

from flask.signals import Namespace

_signals = Namespace()

# An enrolment changed state: sender=enrolment, before (its former status, None when new),
# actor. Childcare voids a support request when it is cancelled, rejected or expired.
enrolment_changed = _signals.signal("enrolment-changed")
