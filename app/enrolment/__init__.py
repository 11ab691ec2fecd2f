from flask import Blueprint

bp = Blueprint("enrolment", __name__)

# HR's enrolment pages, permission rules, notification words and the receivers of the
# courses' signals register themselves.
from . import manage_routes, notices, receivers, rules  # noqa: E402,F401
