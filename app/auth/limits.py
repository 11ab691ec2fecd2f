"""Limits on password guessing: FAILED attempts only, counted per username and per client
address, shared by the login form and POST /api/v1/tokens.

The counters live in the limiter's storage (RATELIMIT_STORAGE_URI): Redis in production, so
every worker and host counts together. A successful sign-in is never counted, so an office
behind one address is not locked out by its own colleagues; the client address is the one
ProxyFix reads from X-Forwarded-For when TRUSTED_PROXIES says how many proxies to trust.
"""

import hashlib

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from ..extensions import limiter


def record_failure() -> None:
    """Count this request against the limits (a wrong password, an unknown user)."""
    g.login_failed = True


def _failed(_response) -> bool:
    return bool(g.get("login_failed"))


def attempted_username() -> str:
    """The username tried, by the form or by HTTP Basic; "" when none."""
    name = request.form.get("username")
    if name is None and request.authorization is not None:
        name = request.authorization.username
    return (name or "").strip().lower()


def _username_key() -> str:
    # Hashed: usernames do not belong in the keys of a shared store.
    digest = hashlib.sha256(attempted_username().encode()).hexdigest()[:32]
    return f"username:{digest}"


def _address_key() -> str:
    return f"address:{get_remote_address() or '-'}"


per_username = limiter.shared_limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT_PER_USERNAME"],
    scope="login-failures-username",
    key_func=_username_key,
    methods=["POST"],
    deduct_when=_failed,
)
per_address = limiter.shared_limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    scope="login-failures-address",
    key_func=_address_key,
    methods=["POST"],
    deduct_when=_failed,
)


def retry_after_seconds() -> int | None:
    """Seconds until the limit this request broke lets attempts through again."""
    import time

    breached = limiter.current_limit
    if breached is None:
        return None
    return max(1, int(breached.reset_at - time.time()))
