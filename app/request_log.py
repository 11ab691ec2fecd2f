"""One structured line per request (JSON), to standard error: gunicorn passes it to its error
log, a container to its log collector.

The line names the route's PATTERN (`/calendar/<token>.ics`), never the path, the query string,
a header or a form field: a path may hold a secret (a feed's signed link, a certificate
number), a form a password or a child's data (DESIGN §6). Keys: time (ISO 8601, UTC),
request_id (the proxy's X-Request-ID when it is a plain token, else a new one; answered in the
same header), method, route, endpoint, status, duration_ms, user_id (null when nobody is
signed in or the request never looked).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request
from flask.typing import ResponseReturnValue

DEFAULT_LOGGER = "ccvc.requests"
REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the proxy is kept only when it cannot carry anything else.
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class StderrHandler(logging.StreamHandler):
    """Writes to the current sys.stderr (as logging's last resort does), so a process that
    replaces it (gunicorn's daemon mode, pytest's capture) still gets the lines."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def register(app: Flask) -> None:
    """Log one line per request on REQUEST_LOG_LOGGER (off with REQUEST_LOG = False)."""
    if not app.config.get("REQUEST_LOG", True):
        return
    logger = logging.getLogger(app.config.get("REQUEST_LOG_LOGGER") or DEFAULT_LOGGER)
    # A logging configuration of the operator's (gunicorn --log-config) that already gives
    # the logger a handler decides where the lines go; otherwise standard error, once.
    if not logger.handlers:
        handler = StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    # Alembic's fileConfig (migrations) disables the loggers that exist when it runs.
    logger.disabled = False
    app.extensions["request_log"] = logger
    app.before_request(_start)
    app.after_request(_log_response)
    app.teardown_request(_log_unfinished)


def _start() -> None:
    g.request_log_started = time.perf_counter()
    proposed = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = proposed if _PLAIN_ID.fullmatch(proposed) else uuid.uuid4().hex


def _log_response(response) -> ResponseReturnValue:
    request_id = g.get("request_id")
    if request_id is not None:
        response.headers[REQUEST_ID_HEADER] = request_id
    _write(response.status_code)
    return response


def _log_unfinished(error: BaseException | None) -> None:
    """A request that ended without a response through after_request (an error escaping
    every handler) is still logged, as the 500 the server answers."""
    if not g.get("request_logged"):
        _write(500)


def _write(status: int) -> None:
    from flask import current_app

    if g.get("request_logged"):
        return
    g.request_logged = True
    started = g.get("request_log_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    rule = request.url_rule.rule if request.url_rule is not None else None
    line = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "request_id": g.get("request_id"),
        "method": request.method,
        "route": rule,
        "endpoint": request.endpoint,
        "status": status,
        "duration_ms": round(duration, 1) if duration is not None else None,
        "user_id": _user_id(),
    }
    current_app.extensions["request_log"].info(
        json.dumps(line, ensure_ascii=False, separators=(",", ":"))
    )


def _user_id() -> int | None:
    """The signed-in user the request already loaded (page session or API token); never
    loads one itself, so the log adds no query to a request that had no need of it."""
    user = g.get("api_user") or g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)
