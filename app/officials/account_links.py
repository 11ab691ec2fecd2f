"""Linking an account to an official: a decision, never a side effect of data. Flush, never commit.

An account linked to an official sees her record, proposes her certificates and acts as her.
The admin links and unlinks any account (`account.link`); HR may restore the link of an account
that was created for that very official by the bulk account creation (app.officials.accounts),
and only while she lies in its scope. An email that an import, or an official's create or edit,
shares with an account is only reported (:func:`email_matches`), never acted on.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import services as audit
from ..auth.models import User
from ..extensions import db
from ..permissions import can
from ..validation import ServiceError
from .models import Official


@dataclass(frozen=True)
class AccountLink:
    """What the rule `account.link` decides on: this account, with this official (None:
    unlinking it)."""

    account: User
    official: Official | None


def _check_allowed(actor, account: User, official: Official | None) -> None:
    # None is the command line, run by whoever runs the server.
    if actor is not None and not can(actor, "account.link", AccountLink(account, official)):
        raise ServiceError(
            _("Bạn không có quyền gắn hay bỏ gắn tài khoản này với cán bộ."),
            "account",
            code="forbidden",
        )


def link_account(account: User, official: Official, actor=None) -> User:
    """Link `account` to `official`; refused when either is already linked elsewhere."""
    _check_allowed(actor, account, official)
    if account.official_id == official.id:
        return account
    if account.official_id is not None:
        raise ServiceError(
            _("Tài khoản %(u)s đã gắn với một cán bộ khác; hãy bỏ gắn trước.", u=account.username),
            "account",
            code="conflict",
        )
    holder = db.session.scalar(select(User.username).where(User.official_id == official.id))
    if holder is not None:
        raise ServiceError(
            _("Cán bộ %(code)s đã có tài khoản %(u)s.", code=official.code, u=holder),
            "account",
            code="conflict",
        )
    account.official_id = official.id
    db.session.flush()
    audit.record(
        actor,
        "account.link",
        account,
        {"username": account.username, "official_id": [None, official.id]},
        official_id=official.id,
    )
    return account


def unlink_account(account: User, actor=None) -> User:
    """Remove the link of `account` to its official (nothing to do when it has none)."""
    if account.official_id is None:
        return account
    official = db.session.get(Official, account.official_id)
    _check_allowed(actor, account, None if official is None else official)
    previous = account.official_id
    account.official_id = None
    db.session.flush()
    audit.record(
        actor,
        "account.unlink",
        account,
        {"username": account.username, "official_id": [previous, None]},
        official_id=previous,
    )
    return account


def email_matches(official: Official) -> list[User]:
    """Accounts whose email is the official's and that are not linked to her: to report."""
    if not official.email:
        return []
    stmt = select(User).where(User.email == official.email.lower())
    return [user for user in db.session.scalars(stmt) if user.official_id != official.id]


def match_warnings(official: Official, actor=None) -> list[str]:
    """The sentences that report :func:`email_matches` to `actor` (usernames only to those
    who manage accounts)."""
    named = actor is None or can(actor, "admin.manage_users")
    warnings = []
    for account in email_matches(official):
        if named:
            warnings.append(
                _(
                    "Email %(email)s trùng với email của tài khoản “%(u)s”; tài khoản không được "
                    "tự gắn với cán bộ này (việc gắn tài khoản do quản trị viên quyết định).",
                    email=official.email,
                    u=account.username,
                )
            )
        else:
            warnings.append(
                _(
                    "Email %(email)s trùng với email của một tài khoản; tài khoản không được tự "
                    "gắn với cán bộ này (việc gắn tài khoản do quản trị viên quyết định).",
                    email=official.email,
                )
            )
    return warnings


def set_account_official(account: User, official_id: int | None, actor=None) -> None:
    """Link `account` to the official `official_id`, move its link to her, or (None) remove
    it: the admin's account pages. Each step goes through link_account / unlink_account,
    their rule, checks and audit; the caller rolls back when one is refused."""
    if account.official_id == official_id:
        return
    official = None
    if official_id is not None:
        official = db.session.get(Official, official_id)
        if official is None:
            raise ServiceError(_("Không có cán bộ này."), "account")
    if account.official_id is not None:
        unlink_account(account, actor=actor)
    if official is not None:
        link_account(account, official, actor=actor)
