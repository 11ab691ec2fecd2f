"""In-app notifications: a message to one user about one object (a decided proposal today;
courses, enrolment and childcare later), with a bell and a list; with MAIL_SERVER set, also
an email, queued in the same transaction and sent after the commit (outbox.py).

Above the registry features it listens to (their signals) and below the training features,
which call its services (`notify`) and register the words of their kinds (`kinds.register`).
"""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

# Views, permission rules and the receivers of the registry's signals register themselves.
from . import receivers, routes, rules  # noqa: E402,F401
