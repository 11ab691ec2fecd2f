"""One loader per object of the registry, for pages and API alike: 404 where the object does
not exist (or its existence is private to the user), 403 where the user may see it but not do
`action`. The error handlers answer an HTML page or the API's JSON error shape."""

from flask import abort

from ..extensions import db
from ..model_helpers import MAX_ID
from ..permissions import can
from . import queries
from .models import Appointment, Official, Organization


def official_or_404(
    user, official_id: int, action: str = "official.view", visible: str = "official.view"
) -> Official:
    """The official (her posts loaded) if `user` may see her by the rule `visible` (else 404:
    her existence is private) and may do `action` on her (else 403)."""
    official = queries.official_with_posts(official_id) if official_id <= MAX_ID else None
    if official is None or not can(user, visible, official):
        abort(404)
    if not can(user, action, official):
        abort(403)
    return official


def appointment_or_404(official: Official, appointment_id: int) -> Appointment:
    """One of `official`'s posts (404 for any other id)."""
    appointment = next((a for a in official.appointments if a.id == appointment_id), None)
    if appointment is None:
        abort(404)
    return appointment


def organization_or_404(user, organization_id: int, action: str | None = None) -> Organization:
    """The organization (404 if none) if `user` may do `action` on it (else 403)."""
    org = db.session.get(Organization, organization_id) if 0 < organization_id <= MAX_ID else None
    if org is None:
        abort(404)
    if action is not None and not can(user, action, org):
        abort(403)
    return org
