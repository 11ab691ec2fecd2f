"""The panels of an official's page (HR's page of her, and "my record"), built by the view.

Other features add panels to her page (her qualifications, what she still needs, her account)
without the registry importing them: each registers a builder here, and the views call
`build` before rendering, so the templates only show data and never query while rendering.
A builder takes the official and `own` (True on her own page) and returns what its partial
template shows, or None to leave the panel out.
"""

from collections.abc import Callable

from .models import Official

Builder = Callable[..., object]
_builders: dict[str, Builder] = {}


def register(name: str) -> Callable[[Builder], Builder]:
    """Decorator: `builder(official, own=...)` makes the data of the panel `name`."""

    def decorate(builder: Builder) -> Builder:
        _builders[name] = builder
        return builder

    return decorate


def build(official: Official, *, own: bool) -> dict[str, object]:
    """{panel name: its data} for her page; a feature not installed has no entry."""
    return {name: builder(official, own=own) for name, builder in _builders.items()}
