from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")

# Views and permission rules register themselves.
from . import catalogue, routes, rules  # noqa: E402,F401
