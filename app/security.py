"""Security baseline: headers, sessions, the user loader and forced password changes (the
check of redirect targets is app.redirects's)."""

from flask import Flask, current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from flask_talisman import Talisman

from .database import best_effort_write
from .extensions import db

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Endpoints a user who must change her password may still reach.
_PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "core.set_language", "static"}


def init_app(app: Flask, talisman: Talisman, login_manager: LoginManager) -> None:
    """Security headers, cookie flags, the trusted proxies and Flask-Login wiring."""
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client address (login limits) and scheme (HTTPS redirects, Secure cookies)
        # as the last `proxies` proxies saw them; more X-Forwarded-For hops are ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    production = app.config.get("FORCE_HTTPS", False)
    talisman.init_app(
        app,
        force_https=production,
        strict_transport_security=production,
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_http_only=True,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        x_content_type_options=True,
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "warning"
    login_manager.user_loader(_load_user)
    app.before_request(_force_password_change)


def _load_user(session_user_id: str):
    """Cookies carry "id:session_version:session key" (User.get_id). A raised version voids
    every cookie of the user; an ended or expired sign-in (UserSession) voids its own."""
    from .auth import services
    from .auth.models import User
    from .model_helpers import utcnow

    user_id, version, key = (session_user_id.split(":") + ["", ""])[:3]
    if not user_id.isdigit() or not version.isdigit() or not key:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    now = utcnow()
    user_session = services.open_session(user.id, key, now)
    if user_session is None:
        return None
    user.session_key = key
    _touch(user_session, now)
    return user


def _touch(user_session, now) -> None:
    """Record that the sign-in is in use, at most once per SESSION_TOUCH_INTERVAL (a write on
    every request would serialise readers on SQLite). The loader runs before the view, so the
    commit holds this one update; with anything else pending it waits for a later request."""
    from .auth import services

    interval = current_app.config["SESSION_TOUCH_INTERVAL"]
    if not services.session_touch_due(user_session, interval, now):
        return
    if db.session.new or db.session.deleted or db.session.dirty:
        return
    # Best-effort: a GET's transaction on SQLite cannot wait for the write lock; when another
    # connection writes, the touch is given up and a later request records it.
    with best_effort_write():
        user_session.last_seen_at = now
        db.session.flush()
    db.session.commit()


def _force_password_change():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _PASSWORD_CHANGE_ALLOWED
        and not request.path.startswith("/api/")
    ):
        return redirect(url_for("auth.change_password"))
    return None
