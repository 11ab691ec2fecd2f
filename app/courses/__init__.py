from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")

from . import routes, rules  # noqa: E402,F401  (views and permission rules register themselves)
