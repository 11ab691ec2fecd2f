"""ETag and If-Match of the versioned objects (officials, appointments, organizations,
qualification records), as DESIGN §4 says: responses carry the object's ETag, writes accept
`If-Match`; without it the write goes through, with a stale one it is refused (412).

flask-smorest's `@blp.etag` is not used: it requires If-Match on every PUT/PATCH/DELETE (428
without it), knows nothing of the POST actions that change an object (end, verify, reject) and
hashes the response body rather than naming the stored version. The ETag here is weak,
W/"<id>-<version>", and compared weakly; the refusal itself is app.audit.versions'
`check_version`, shared with the pages.
"""

from flask import request

from ..audit import versions
from .schemas import ErrorSchema

IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag of the object as last read (W/"<id>-<version>"). Optional: '
    "without it the write goes through; with an older one it is refused (412).",
    "schema": {"type": "string"},
}
ETAG = {
    "ETag": {
        "description": 'The object\'s version as a weak tag, W/"<id>-<version>"; send it back '
        "in If-Match to write only if nobody changed the object since.",
        "schema": {"type": "string"},
    }
}
STALE = "If-Match names an older version: someone changed the object since (nothing written)"


def etag(obj) -> dict:
    """The response headers naming `obj`'s version."""
    return {"ETag": f'W/"{obj.id}-{obj.version}"'}


def if_match_version(obj) -> int | None:
    """The version of `obj` that If-Match names: None without the header or with `*` (the
    write goes through), the current version when one of its tags matches, else an older one
    (0 when no tag names this object)."""
    if request.headers.get("If-Match") is None:
        return None
    tags = request.if_match
    if tags.star_tag:
        return None
    prefix = f"{obj.id}-"
    named = [
        tag.removeprefix(prefix)
        for tag in tags.as_set(include_weak=True)
        if tag and tag.startswith(prefix)  # W/"" parses as None
    ]
    numbers = {int(v) for v in named if v.isdigit() and len(v) < 19}
    return obj.version if obj.version in numbers else max(numbers, default=0)


def check_if_match(obj) -> None:
    """Refuse the write (StaleVersion: 412) when If-Match names an older version of `obj`."""
    versions.check_version(obj, if_match_version(obj))


def versioned_write(blp):
    """Document an operation writing a versioned object: the optional If-Match header and the
    412 it answers when stale."""

    def decorate(func):
        func = blp.alt_response(412, schema=ErrorSchema, description=STALE)(func)
        return blp.doc(parameters=[IF_MATCH])(func)

    return decorate
