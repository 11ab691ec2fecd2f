"""The words of each kind of notification, registered by the feature that sends it.

A notification stores its kind and parameters, never its text: `text(notification)` words it
in the current language when it is shown."""

from collections.abc import Callable

from flask_babel import gettext as _

_KINDS: dict[str, Callable[[dict], str]] = {}


def register(kind: str, words: Callable[[dict], str]) -> None:
    """`words(params)` returns the message of a notification of `kind`, translated."""
    if kind in _KINDS:
        raise ValueError(f"notification kind {kind!r} registered twice")
    _KINDS[kind] = words


def known(kind: str) -> bool:
    return kind in _KINDS


def text(notification) -> str:
    words = _KINDS.get(notification.kind)
    if words is None:
        return _("Thông báo")
    return words(notification.params or {})
