"""The one check of redirect targets taken from the request (core: the login view, the
language switch and the `next` of forms all use it)."""

import unicodedata
from urllib.parse import unquote, urlsplit, urlunsplit

from flask import current_app, request

# Control, format (bidirectional, zero-width), separator and unassigned characters: browsers
# drop some of them while parsing a URL ("/\t/evil.example" becomes "//evil.example"), and a
# newline cannot go into a header at all.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"})
_MAX_TARGET_LENGTH = 2048


def safe_redirect_target(target: str | None) -> str | None:
    """`target` as a path of this application to redirect to, or None when it is not one.

    Accepted: a path (query and fragment allowed) that starts with a single "/" and that the
    URL map routes for GET, or an absolute http(s) URL of the host the request came to (a
    Referer), reduced to its path. Refused: control, format and whitespace characters,
    backslashes, "//" (another host), schemes and other hosts, paths the app does not serve.
    The one check for every redirect taken from the request (login `next`, language switch,
    the `next` of forms)."""
    if not target or len(target) > _MAX_TARGET_LENGTH or "\\" in target:
        return None
    if any(unicodedata.category(char) in _UNSAFE_CATEGORIES for char in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    foreign = parts.scheme not in ("http", "https") or parts.netloc != request.host
    if (parts.scheme or parts.netloc) and foreign:
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return None
    if not _routed(path):
        return None
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _routed(path: str) -> bool:
    """Does the URL map serve `path` (percent-decoded, below the script root) for GET?"""
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    path = unquote(path)
    root = request.script_root
    if root:
        if not path.startswith(root + "/"):
            return False
        path = path[len(root) :]
    adapter = current_app.url_map.bind("localhost", script_name="/")
    try:
        adapter.match(path, method="GET")
    except RequestRedirect:
        return True  # e.g. a missing trailing slash: still a page of the app
    except (HTTPException, ValueError, OverflowError):
        return False
    return True
