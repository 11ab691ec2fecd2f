"""Roles and the one permission helper.

Every permission decision goes through `can(user, action, obj)`. Rules are registered per action
with `@rule("action")`; a feature registers its rules in its own package and this module only
holds the mechanism and the cross-cutting rules (roles, organization scope).
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from .domain.ladders import ACCOUNT_ROLES
from .redirects import safe_redirect_target

OFFICIAL = "official"
TRAINER = "trainer"
UNIT_HR = "unit_hr"
PROVINCE_HR = "province_hr"
ADMIN = "admin"
ROLES = (OFFICIAL, TRAINER, UNIT_HR, PROVINCE_HR, ADMIN)
# Their labels live with the other vocabularies (app.i18n.code_label("role", code)).
assert tuple(level.code for level in ACCOUNT_ROLES) == ROLES  # noqa: S101
HR_ROLES = (UNIT_HR, PROVINCE_HR, ADMIN)

_RULES: dict[str, Callable] = {}


def rule(action: str):
    """Register the rule deciding `action`; a rule takes (user, obj) and returns a bool."""

    def register(func):
        if action in _RULES:
            raise ValueError(f"rule {action!r} registered twice")
        _RULES[action] = func
        return func

    return register


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action` (on `obj`)? Unknown actions are refused, never allowed."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "is_active", False):
        return False
    check = _RULES.get(action)
    if check is None:
        raise LookupError(f"no permission rule for action {action!r}")
    return bool(check(user, obj))


def require(action: str):
    """View decorator: login first (redirect), then `can(current_user, action)` or 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            from .extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        wrapper.permission = action
        return wrapper

    return decorate


def ensure(user, action: str, obj=None) -> None:
    """Abort with 403 unless `can(user, action, obj)`: for object-level checks in views."""
    if not can(user, action, obj):
        abort(403)


def next_url_is_safe(target: str | None) -> bool:
    """Only paths of this application may be used as a redirect (see
    app.redirects.safe_redirect_target, the one check; prefer it: it also normalises)."""
    return target is not None and safe_redirect_target(target) == target


# --- organization scope -------------------------------------------------------------------

EVERYTHING = "/"  # every organization's path starts with "/"


def scope_prefix(user) -> str | None:
    """The path prefix of the organizations `user` administers as HR.

    "/" for province HR and admin (the whole province), the unit's path for unit HR (its
    subtree), None for everyone else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.has_role(ADMIN) or user.has_role(PROVINCE_HR):
        return EVERYTHING
    if user.has_role(UNIT_HR) and user.organization is not None:
        return user.organization.path
    return None


def organization_in_scope(user, organization) -> bool:
    prefix = scope_prefix(user)
    return prefix is not None and organization is not None and organization.path.startswith(prefix)


def official_in_scope(user, official) -> bool:
    """An official belongs to the organization of her primary post."""
    primary = official.primary_appointment if official is not None else None
    return primary is not None and organization_in_scope(user, primary.organization)


def is_hr(user) -> bool:
    return scope_prefix(user) is not None


# --- rules that belong to no single feature ------------------------------------------------


@rule("app.use")
def _use_app(user, _obj) -> bool:
    return True


@rule("admin.manage_users")
def _manage_users(user, _obj) -> bool:
    return user.has_role(ADMIN)
