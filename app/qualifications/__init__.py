"""Qualification records: an official's levels on the ladders of DOMAIN §3."""

from flask import Blueprint

bp = Blueprint("qualifications", __name__)

# Views, permission rules, audit words and the panel of the official's page register themselves.
from . import audit_labels, routes, rules  # noqa: E402,F401
