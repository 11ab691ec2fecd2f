"""The officials' registry: organizations, officials, appointments, accounts for officials."""

from flask import Blueprint

bp = Blueprint("officials", __name__)

from . import (  # noqa: E402,F401  (views and permission rules register themselves)
    account_routes,
    audit_labels,  # noqa: E402,F401  (the words of the registry's audit entries)
    import_routes,
    organization_routes,
    routes,
    rules,
)
