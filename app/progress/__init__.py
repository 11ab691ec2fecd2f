"""Mục tiêu 3 progress: target sets, settings, reports and individual gaps (DOMAIN §4–5).

The HTML dashboard and gaps pages will hang off this blueprint; the services are shared with
the CLI (`flask progress ...`) and the API (`/api/v1/progress`).
"""

from flask import Blueprint

bp = Blueprint("progress", __name__)

# Permission rules register themselves; routes are the HR pages; courses adds the course pages'
# hints and forecast panel.
from . import courses, routes, rules  # noqa: E402,F401
