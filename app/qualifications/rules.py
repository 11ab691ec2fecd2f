"""Permission rules of qualification records (registered into app.permissions).

HR whose scope holds the official (her primary post's unit) records, corrects, removes and
verifies her records; she sees her own records and proposes new ones with a scan. Nobody
records, corrects, removes or verifies the records of the official linked to her own account,
HR included: like every official, she proposes them and another HR officer decides.
"""

from ..permissions import is_hr, official_in_scope, rule


def is_own_official(user, official) -> bool:
    """Is `official` the one linked to `user`'s account? (The services refuse writes then too.)"""
    return (
        official is not None
        and getattr(user, "official_id", None) is not None
        and user.official_id == official.id
    )


_is_self = is_own_official


@rule("qualifications.view")
def _view_records(user, official):
    """Her levels and records: herself, or HR over her."""
    return _is_self(user, official) or (official is not None and official_in_scope(user, official))


@rule("qualification.add")
def _add_record(user, official):
    """A verified record: HR over her, never for the official linked to one's own account."""
    return (
        official is not None and not _is_self(user, official) and official_in_scope(user, official)
    )


@rule("qualification.edit")
def _edit_record(user, record):
    """Correct or remove a record (never one of one's own official)."""
    return (
        record is not None
        and not _is_self(user, record.official)
        and official_in_scope(user, record.official)
    )


@rule("qualification.propose")
def _propose_record(user, official):
    """Only the official herself proposes; HR records directly."""
    return _is_self(user, official)


@rule("qualification.verify")
def _verify_record(user, record):
    """Verify or reject a proposal (never one's own)."""
    return (
        record is not None
        and not _is_self(user, record.official)
        and official_in_scope(user, record.official)
    )


@rule("qualification.scan")
def _view_scan(user, record):
    """The scan of a certificate: its owner and HR over her."""
    return record is not None and (
        _is_self(user, record.official) or official_in_scope(user, record.official)
    )


@rule("qualifications.review")
def _review_proposals(user, _obj):
    """The queue of proposals waiting for HR (each one still checked by qualification.verify)."""
    return is_hr(user)
