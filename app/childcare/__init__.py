from flask import Blueprint

bp = Blueprint("childcare", __name__)

# Views, permission rules, notification words, the receivers of the courses' and enrolments'
# signals, the course page's panel and the audit words register themselves.
from . import audit_labels, notices, panels, receivers, routes, rules  # noqa: E402,F401
