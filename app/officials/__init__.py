"""The officials' registry: organizations, officials, appointments, accounts for officials."""

from flask import Blueprint

bp = Blueprint("officials", __name__)

from . import (  # noqa: E402,F401  (views and permission rules register themselves)
    account_routes,
    audit_labels,
    export_routes,
    organization_routes,
    routes,
    rules,
)
from .imports import routes as import_routes  # noqa: E402,F401
