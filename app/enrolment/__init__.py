from flask import Blueprint

bp = Blueprint("enrolment", __name__)

# Permission rules, notification words, the receivers of the courses' signals, the official's
# pages and her panel on the course page register themselves.
from . import notices, pages, panels, receivers, rules  # noqa: E402,F401
