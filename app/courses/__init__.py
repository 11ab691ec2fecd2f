from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")

# Views (the catalogue, the course page, HR's management pages and their course-page panel)
# and permission rules register themselves.
from . import audit_labels, catalogue, manage_routes, routes, rules  # noqa: E402,F401
