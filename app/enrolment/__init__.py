from flask import Blueprint

bp = Blueprint("enrolment", __name__)

# Permission rules, notification words and the receivers of the courses' signals register
# themselves.
from . import notices, receivers, rules  # noqa: E402,F401
