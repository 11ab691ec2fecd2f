"""Account use-cases: create, authenticate, passwords, sessions and tokens. Flush, never commit."""

import functools
import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import best_effort_write
from ..extensions import db
from ..model_helpers import utcnow
from ..permissions import ADMIN, ROLES, UNIT_HR
from ..validation import ServiceError, email_address
from .models import ApiToken, User, UserRole, UserSession

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
# Werkzeug's strong default; the testing configuration names a cheap one (PASSWORD_HASH_METHOD).
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password


def _hash_method() -> str:
    if not has_app_context():
        return DEFAULT_PASSWORD_HASH_METHOD
    return current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_PASSWORD_HASH_METHOD


def hash_password(password: str) -> str:
    """The stored form of a password, by the configured method (check_password_hash reads
    the method back from the hash, so hashes of another method keep working)."""
    return generate_password_hash(password, method=_hash_method())


@functools.lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """Compared against when the username is unknown, so both failures take the same time."""
    return generate_password_hash("not-a-real-password", method=method)


class AccountError(ServiceError):
    """A refused account operation; `message` is already translated for the user, `field`
    names the input at fault when it is not the username."""


def account_email(text: str | None) -> str | None:
    """The account's email as app.validation.email_address stores it, refused as an
    AccountError on the form's `email` field."""
    try:
        return email_address(text)
    except ServiceError as error:
        raise AccountError(error.message, "email") from None


def hash_token(token: str) -> str:
    """Tokens are random (256 bits), so a fast hash is right; password hashes would be wrong."""
    return hashlib.sha256(token.encode()).hexdigest()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def check_password_policy(password: str) -> None:
    from flask_babel import gettext as _

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_PASSWORD_LENGTH), "password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            _("Mật khẩu không được dài quá %(n)d ký tự.", n=MAX_PASSWORD_LENGTH), "password"
        )


def create_user(
    username: str,
    password: str,
    roles: list[str] | tuple[str, ...],
    *,
    email: str | None = None,
    official_id: int | None = None,
    organization_id: int | None = None,
    must_change_password: bool = False,
    actor=None,
) -> User:
    """Create an account holding `roles`; refuses unknown roles and taken usernames. With an
    `actor` (the admin's page) the creation is audited; the bulk creation for officials
    audits its own entry."""
    from flask_babel import gettext as _

    from ..audit import services as audit

    username = username.strip()
    if not username:
        raise AccountError(_("Tên đăng nhập không được để trống."))
    _check_roles(roles)
    if find_user(username) is not None:
        raise AccountError(_("Tên đăng nhập %(u)s đã tồn tại.", u=username))
    email = _free_email(email)
    _check_scope(roles, organization_id)
    check_password_policy(password)
    user = User(
        username=username,
        email=email,
        password_hash=hash_password(password),
        official_id=official_id,
        organization_id=organization_id,
        must_change_password=must_change_password,
        roles=[UserRole(role=r) for r in sorted(set(roles))],
    )
    db.session.add(user)
    db.session.flush()
    if actor is not None:
        audit.record(actor, "user.create", user, _account_values(user))
    return user


def _check_roles(roles) -> None:
    from flask_babel import gettext as _

    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise AccountError(
            _("Vai trò không hợp lệ: %(roles)s.", roles=", ".join(unknown) or "-"), "roles"
        )


def _free_email(email: str | None, user_id: int | None = None) -> str | None:
    """The account's email, stored form, refused when another account has it."""
    from flask_babel import gettext as _

    email = account_email(email)
    if email and db.session.scalar(select(User.id).where(User.email == email, User.id != user_id)):
        raise AccountError(_("Email %(e)s đã được dùng cho tài khoản khác.", e=email), "email")
    return email


def _account_values(user: User) -> dict:
    """What the audit log keeps of an account (never its password)."""
    return {
        "username": user.username,
        "roles": sorted(r.role for r in user.roles),
        "email": user.email,
        "organization_id": user.organization_id,
    }


def update_user(
    user: User,
    *,
    roles: list[str] | tuple[str, ...],
    email: str | None,
    organization_id: int | None,
    actor=None,
) -> dict:
    """Change an account's roles, email and organization; returns the audited changes
    ({field: [old, new]}, empty when nothing changed). The same rules as at creation; an
    admin keeps her own admin role (else nobody might manage accounts any more). The new
    roles hold from the account's next request: permissions are read on every request."""
    from flask_babel import gettext as _

    from ..audit import services as audit

    _check_roles(roles)
    email = _free_email(email, user.id)
    _check_scope(roles, organization_id)
    if getattr(actor, "id", None) == user.id and ADMIN not in roles:
        raise AccountError(_("Bạn không thể bỏ vai trò quản trị của chính mình."), "roles")
    before = _account_values(user)
    wanted = set(roles)
    for held in list(user.roles):
        if held.role not in wanted:
            user.roles.remove(held)
    held_roles = {r.role for r in user.roles}
    user.roles.extend(UserRole(role=r) for r in sorted(wanted - held_roles))
    user.email = email
    user.organization_id = organization_id
    db.session.flush()
    changes = audit.changes_between(before, _account_values(user))
    if changes:
        audit.record(actor, "user.update", user, changes)
    return changes


def _check_scope(roles, organization_id: int | None) -> None:
    """Unit HR works within an organization's subtree: without one it would have no scope."""
    from flask_babel import gettext as _

    # The organization model belongs to the officials' registry, above auth: reached through
    # the account's relationship instead of an upward import.
    organization_model = User.organization.property.mapper.class_
    if organization_id is not None and db.session.get(organization_model, organization_id) is None:
        raise AccountError(_("Đơn vị không tồn tại."), "organization_id")
    if UNIT_HR in roles and organization_id is None:
        raise AccountError(
            _("Tài khoản cán bộ tổ chức đơn vị cần chọn đơn vị (phạm vi quản lý)."),
            "organization_id",
        )


def authenticate(username: str, password: str) -> User | None:
    """The user when the password matches and the account is active; None otherwise."""
    user = find_user(username.strip())
    if user is None:
        check_password_hash(_dummy_hash(_hash_method()), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def set_password(user: User, new_password: str, *, must_change: bool = False) -> None:
    """Set a new password; end every session and revoke every API token of the user."""
    check_password_policy(new_password)
    user.password_hash = hash_password(new_password)
    user.must_change_password = must_change
    end_all_sessions(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    from flask_babel import gettext as _

    if not check_password_hash(user.password_hash, current_password):
        raise AccountError(_("Mật khẩu hiện tại không đúng."))
    if current_password == new_password:
        raise AccountError(_("Mật khẩu mới phải khác mật khẩu hiện tại."))
    set_password(user, new_password)


def end_all_sessions(user: User) -> None:
    """Log out everywhere: every sign-in of the user ends and every API token is revoked.

    The raised session version also voids cookies signed before this moment."""
    user.session_version += 1
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    revoke_all_tokens(user)
    db.session.flush()


# --- sessions: one row per sign-in (DESIGN §6) ----------------------------------------------


def start_session(user: User, *, remember: bool = False) -> str:
    """Open a sign-in of `user` and return its key (also set on `user.session_key`, which
    Flask-Login's get_id puts into the cookies). It lasts LOGIN_SESSION_DURATION, or
    REMEMBER_COOKIE_DURATION when the browser is to remember it, counted from now."""
    from flask import current_app

    key = secrets.token_urlsafe(32)
    now = utcnow()
    setting = "REMEMBER_COOKIE_DURATION" if remember else "LOGIN_SESSION_DURATION"
    db.session.add(
        UserSession(
            user_id=user.id,
            key_hash=hash_token(key),
            remember=remember,
            created_at=now,
            last_seen_at=now,
            expires_at=now + _duration(current_app.config[setting]),
        )
    )
    db.session.flush()
    user.session_key = key
    return key


def _duration(value) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def open_session(user_id: int, key: str, now: datetime | None = None) -> UserSession | None:
    """The sign-in of `user_id` with this key, if it has neither ended nor expired."""
    if not key:
        return None
    now = now or utcnow()
    found = db.session.scalar(select(UserSession).where(UserSession.key_hash == hash_token(key)))
    if (
        found is None
        or found.user_id != user_id
        or found.ended_at is not None
        or found.expires_at <= now
    ):
        return None
    return found


def current_session(user: User) -> UserSession | None:
    """The sign-in the current request runs under (None outside a signed-in request)."""
    return open_session(user.id, user.session_key or "")


def end_session(user: User) -> None:
    """Log out of this sign-in only: the user's other devices stay signed in."""
    found = current_session(user)
    if found is not None:
        found.ended_at = utcnow()
        db.session.flush()
    user.session_key = None


def session_touch_due(user_session: UserSession, interval: timedelta, now: datetime) -> bool:
    """last_seen_at is written at most once per `interval`, not on every request."""
    return now - user_session.last_seen_at >= interval


# --- API tokens ---------------------------------------------------------------------------


def active_tokens(user: User) -> list[ApiToken]:
    """The user's unrevoked tokens, newest first (the secret itself is never kept)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def find_token(token: str) -> ApiToken | None:
    """The token row for this secret (revoked or not), looked up by hash."""
    if not token:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))


def revoke_all_tokens(user: User) -> int:
    """Revoke every unrevoked token of `user`; returns how many."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return result.rowcount or 0


# --- deactivation -------------------------------------------------------------------------


def deactivate_user(user: User, *, actor=None) -> None:
    """Lock the account: sign-in refused, every session ends at once (the user loader checks
    `active`), every API token revoked. An admin cannot lock her own account."""
    from flask_babel import gettext as _

    from ..audit import services as audit

    if actor is not None and getattr(actor, "id", None) == user.id:
        raise AccountError(_("Bạn không thể tự khóa tài khoản của mình."))
    if not user.active:
        return
    user.active = False
    end_all_sessions(user)
    audit.record(actor, "user.deactivate", user, {"active": [True, False]})
    db.session.flush()


def reactivate_user(user: User, *, actor=None) -> None:
    """Unlock the account; the user signs in again (nothing of the old sessions returns)."""
    from ..audit import services as audit

    if user.active:
        return
    user.active = True
    audit.record(actor, "user.reactivate", user, {"active": [False, True]})
    db.session.flush()


def issue_token(user: User, name: str = "") -> str:
    """Create an API token and return it in clear: the only time it is ever shown."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name[:100], token_hash=hash_token(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    """The active user owning this unrevoked API token, looked up by hash."""
    if not token:
        return None
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if api_token is None or api_token.revoked_at is not None or not api_token.user.active:
        return None
    _record_token_use(api_token)
    return api_token.user


# A token's last use is recorded to the minute: a read must not write on every request.
TOKEN_USE_PRECISION = timedelta(minutes=1)


def _record_token_use(api_token: ApiToken) -> None:
    """Note the token's use when the last noted one is a minute old or more; best-effort
    (app.database.best_effort_write), as a GET's transaction on SQLite cannot wait for the
    write lock."""
    now = utcnow()
    if api_token.last_used_at is not None and now - api_token.last_used_at < TOKEN_USE_PRECISION:
        return
    with best_effort_write():
        # Conditional, so that concurrent requests of one token write it once.
        db.session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == api_token.id,
                or_(
                    ApiToken.last_used_at.is_(None),
                    ApiToken.last_used_at <= now - TOKEN_USE_PRECISION,
                ),
            )
            .values(last_used_at=now)
        )


def revoke_token(api_token: ApiToken) -> None:
    if api_token.revoked_at is None:
        api_token.revoked_at = utcnow()
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()
