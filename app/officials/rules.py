"""Permission rules of the registry (registered into app.permissions)."""

from sqlalchemy import select

from ..audit.models import AuditEntry
from ..extensions import db
from ..permissions import (
    ADMIN,
    OFFICIAL,
    PROVINCE_HR,
    is_hr,
    official_in_scope,
    organization_in_scope,
    rule,
)


def _is_self(user, official) -> bool:
    return official is not None and user.official_id is not None and user.official_id == official.id


@rule("officials.list")
def _list_officials(user, _obj):
    return is_hr(user)


@rule("official.create")
def _create_official(user, organization):
    """Without an organization: may she create officials at all; with one: there."""
    return is_hr(user) if organization is None else organization_in_scope(user, organization)


@rule("official.view")
def _view_official(user, official):
    return _is_self(user, official) or (official is not None and official_in_scope(user, official))


@rule("official.edit")
def _edit_official(user, official):
    return official is not None and official_in_scope(user, official)


@rule("official.history")
def _official_history(user, official):
    return official is not None and official_in_scope(user, official)


@rule("record.own")
def _own_record(user, _obj):
    """ "My record": an account linked to an official."""
    return user.official_id is not None


@rule("organizations.list")
def _list_organizations(user, _obj):
    return is_hr(user)


@rule("organization.create")
def _create_organization(user, parent):
    """A root only for province HR and admin; a child anywhere in the user's scope."""
    if parent is None:
        return user.has_role(PROVINCE_HR) or user.has_role(ADMIN)
    return organization_in_scope(user, parent)


@rule("organization.edit")
def _edit_organization(user, organization):
    if organization is None:
        return is_hr(user)
    return organization_in_scope(user, organization)


@rule("organization.view")
def _view_organization(user, organization):
    if organization is None:
        return is_hr(user)
    return organization_in_scope(user, organization)


@rule("organization.close")
def _close_organization(user, organization):
    """Unit HR may close units inside its subtree, not the unit it administers itself."""
    if organization is None or not organization_in_scope(user, organization):
        return False
    if user.has_role(PROVINCE_HR) or user.has_role(ADMIN):
        return True
    return organization.id != user.organization_id


@rule("accounts.create_for_officials")
def _create_accounts(user, official):
    return is_hr(user) if official is None else official_in_scope(user, official)


def _created_for(account, official) -> bool:
    """Was `account` made for `official` by the bulk account creation (app.officials.accounts)?"""
    stmt = select(AuditEntry.id).where(
        AuditEntry.action == "account.create_for_official",
        AuditEntry.subject_type == "User",
        AuditEntry.subject_id == account.id,
        AuditEntry.official_id == official.id,
    )
    return db.session.scalar(stmt.limit(1)) is not None


@rule("account.link")
def _link_account(user, link):
    """Link (or unlink) an account and an official: a decision of the admin. HR may only
    restore the link of a plain official account it created for that very official, she
    lying in its scope. Never a side effect of data (an email in an import)."""
    if user.has_role(ADMIN):
        return True
    if link is None or link.account is None:
        return False  # only the admin links accounts in general (the official's page)
    official = link.official if link.official is not None else link.account.official
    return (
        official is not None
        and official_in_scope(user, official)
        and link.account.role_names == (OFFICIAL,)
        and _created_for(link.account, official)
    )


@rule("officials.import")
def _import_officials(user, _obj):
    """HR imports spreadsheets; unit HR's rows are further checked against its subtree."""
    return is_hr(user)
