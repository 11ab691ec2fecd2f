"""Error pages: JSON under /api/, HTML elsewhere; never a stack trace. Logs name a request's
route pattern, never a path that may hold a secret (DESIGN §6)."""

import logging
import re

from flask import Flask, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, ServiceUnavailable

from .error_shape import error_response, status_texts
from .extensions import db
from .integrity import Conflict as LostRace
from .validation import ServiceError, StaleVersion


def wants_json() -> bool:
    """API paths always answer JSON; other paths only when the client prefers it."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    headers = error.get_headers() if status in (405, 429, 503) else {}
    headers = {k: v for k, v in dict(headers).items() if k.lower() != "content-type"}
    retry = _retry_after() if status == 429 else None
    if retry is not None:
        headers["Retry-After"] = str(retry[0])
    if wants_json():
        data = getattr(error, "data", None) or {}
        details = _by_field(data.get("messages") or data.get("errors"))
        message = retry[1] if retry else data.get("message")
        body, status = error_response(status, message=message, details=details)
        if retry:
            body["error"]["retry_after"] = retry[0]
        return body, status, headers
    title, message = status_texts().get(status, (error.name, error.description))
    if retry:
        message = retry[1]
    page = render_template("errors/error.html", status=status, title=title, message=message)
    return page, status, headers


def _retry_after() -> tuple[int, str] | None:
    """(seconds, message saying when) for a broken rate limit, None when unknown."""
    from datetime import UTC, datetime, timedelta

    from .auth.limits import retry_after_seconds
    from .i18n import TIMEZONE

    seconds = retry_after_seconds()
    if seconds is None:
        return None
    at = datetime.now(UTC).astimezone(TIMEZONE) + timedelta(seconds=seconds, minutes=1)
    at = at.replace(second=0, microsecond=0)  # the next whole minute: never too early
    minutes = -(-seconds // 60)
    message = _(
        "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(time)s "
        "(khoảng %(minutes)d phút nữa).",
        time=at.strftime("%H:%M"),
        minutes=minutes,
    )
    return seconds, message


_LOCATIONS = ("json", "query", "form", "files", "headers", "cookies", "view_args")


def _by_field(details):
    """webargs nests field messages by location ({"json": {"code": [...]}}): {"code": [...]}."""
    if (
        isinstance(details, dict)
        and details
        and all(key in _LOCATIONS and isinstance(value, dict) for key, value in details.items())
    ):
        return {field: msgs for value in details.values() for field, msgs in value.items()}
    return details


def handle_service_error(error: ServiceError):
    """Input refused by a use-case: 422 with the field at fault under /api/ (the HTML views
    catch it themselves and show it on the form; one escaping them stays a 500 page)."""
    if isinstance(error, StaleVersion):
        return handle_stale_data(error)
    if isinstance(error, LostRace) and not request.path.startswith("/api/"):
        # A race lost where no form showed it (app.integrity): the conflict page, not a 500.
        db.session.rollback()
        return _conflict_page(error.message)
    if not request.path.startswith("/api/"):
        return handle_unexpected(error)
    db.session.rollback()
    details = {error.field or "_schema": [error.message]}
    return error_response(error.status, message=error.message, details=details)


def _conflict_page(message: str):
    title, _default = status_texts()[409]
    return render_template("errors/error.html", status=409, title=title, message=message), 409


def handle_stale_data(error: StaleDataError | StaleVersion):
    """A versioned row changed since it was read, where no view explained it (the pages show
    what changed on their forms): 412 under /api/, the "changed meanwhile" page (409) elsewhere."""
    db.session.rollback()
    if request.path.startswith("/api/"):
        return error_response(412)
    return handle_http_exception(Conflict())


def handle_integrity_error(error: IntegrityError):
    """A unique key or constraint hit by a concurrent write: 409 under /api/."""
    if not request.path.startswith("/api/"):
        return handle_unexpected(error)
    db.session.rollback()
    return error_response(409)


# Seconds a client is asked to wait when SQLite's write lock stayed taken past the busy timeout.
BUSY_RETRY_AFTER = 5


def handle_operational_error(error: OperationalError):
    """SQLite's write lock held past SQLITE_BUSY_TIMEOUT (a long import, a backup): nothing was
    written, so the client is asked to come back (503 with Retry-After), not shown a 500."""
    if "database is locked" not in str(error.orig):
        return handle_unexpected(error)
    db.session.rollback()
    return handle_http_exception(ServiceUnavailable(retry_after=BUSY_RETRY_AFTER))


def handle_unexpected(error: Exception):
    db.session.rollback()
    from flask import current_app

    # The route's pattern, never the path: a path may hold a secret (a calendar feed's link).
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    current_app.logger.exception("Unhandled error on %s %s", request.method, rule)
    return handle_http_exception(InternalServerError())


# A calendar feed's path holds its signed link (the credential). The servers' request logs
# (werkzeug's in development, gunicorn's access log when turned on) write paths: theirs are
# rewritten to the route's pattern before any handler sees them.
SECRET_PATHS = re.compile(r"/calendar/[^/\s?\"']+\.ics")
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


class HideSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = SECRET_PATHS.sub("/calendar/<token>.ics", message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


def hide_secret_paths() -> None:
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideSecretPaths) for f in logger.filters):
            logger.addFilter(HideSecretPaths())


def register(app: Flask) -> None:
    hide_secret_paths()
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
    app.register_error_handler(OperationalError, handle_operational_error)
    app.register_error_handler(Exception, handle_unexpected)
