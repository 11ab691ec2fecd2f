"""Mục tiêu 1 and 2 and the yearly report of the plan (DOMAIN §9–11).

The entered seats of elected bodies and the yearly collaborator counts (services,
`plan seats-import`, their pages and the organization page's panel) and the snapshot the
computation of app.domain.plan reads. The yearly report lives in app.plan.yearly, a higher
layer (it reads progress): the factory registers its blueprint; nothing here imports it.
"""

from flask import Blueprint

bp = Blueprint("plan", __name__)

# Views, permission rules, the organization page's panel and the audit words register
# themselves.
from . import audit_labels, panels, routes, rules  # noqa: E402,F401
