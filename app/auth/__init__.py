"""Accounts: users, roles, sessions and API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import audit_labels, routes, rules, token_routes  # noqa: E402,F401  (views and rules register themselves)
