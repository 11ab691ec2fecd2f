from flask import Blueprint

bp = Blueprint("enrolment", __name__)

# The official's pages and her panel on the course page, HR's enrolment pages, permission
# rules, notification words and the receivers of the courses' signals register themselves.
from . import manage_routes, notices, pages, panels, receivers, rules  # noqa: E402,F401
