from flask import Blueprint

bp = Blueprint("attendance", __name__)

# Views, permission rules and the words of the notifications register themselves.
from . import audit_labels, notices, pages, routes, rules  # noqa: E402,F401
