"""Signed feed links (DESIGN §6, as Indico's): the token is the feed's id and an HMAC of its id
and version under a key derived from SECRET_KEY for this purpose alone. Nothing is stored, so
the subscribe panel shows the same link at every visit; raising the version ("regenerate")
makes every earlier link fail at once."""

import hashlib
import hmac

from flask import current_app

PURPOSE = b"ccvc-nu calendar feed link v1"
# 128 bits of the HMAC: as strong as the API tokens' randomness.
SIGNATURE_HEX = 32


def _key() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    if isinstance(secret, str):
        secret = secret.encode()
    return hmac.new(secret, PURPOSE, hashlib.sha256).digest()


def _signature(feed_id: int, version: int) -> str:
    message = f"{feed_id}.{version}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()[:SIGNATURE_HEX]


def token_for(feed) -> str:
    return f"{feed.id}-{_signature(feed.id, feed.version)}"


def feed_id_of(token: str) -> int | None:
    """The feed id a token claims (to load the feed), None for a token of the wrong shape."""
    head, sep, signature = token.partition("-")
    if not sep or not head.isdigit() or len(head) > 10 or len(signature) != SIGNATURE_HEX:
        return None
    return int(head)


def matches(token: str, feed) -> bool:
    """Is `token` the current link of `feed` (its id and version)?"""
    return hmac.compare_digest(token.encode(), token_for(feed).encode())
