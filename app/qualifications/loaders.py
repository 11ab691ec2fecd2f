"""Loaders of qualification pages and API alike: 404 where the user may not see the official's
records, 403 where she may see them but not do `action`."""

from flask import abort

from ..extensions import db
from ..model_helpers import MAX_ID
from ..officials.loaders import official_or_404 as _registry_official
from ..officials.models import Official
from ..permissions import can
from .models import Qualification


def official_or_404(user, official_id: int, action: str) -> Official:
    """The official if `user` may see her records (else 404) and do `action` (else 403)."""
    return _registry_official(user, official_id, action, visible="qualifications.view")


def record_or_404(user, record_id: int, action: str) -> Qualification:
    """The record if `user` may see its official's records (else 404) and do `action` on it
    (else 403)."""
    record = db.session.get(Qualification, record_id) if record_id <= MAX_ID else None
    if record is None or not can(user, "qualifications.view", record.official):
        abort(404)
    if not can(user, action, record):
        abort(403)
    return record
