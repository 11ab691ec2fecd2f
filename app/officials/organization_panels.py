"""The panels other features add to an organization's page, without the registry importing
them (DESIGN §2), as app.courses.panels does for the course page.

A feature registers `@register("name")` a builder `(organization, user)` returning what its
partial template `templates/organizations/panels/<name>.html` shows (as `panel`), or None to
leave the panel out. The view builds every panel before rendering, so templates never query.
"""

from collections.abc import Callable

Builder = Callable[..., object]
_builders: dict[str, tuple[int, Builder]] = {}


def register(name: str, order: int = 50) -> Callable[[Builder], Builder]:
    """Decorator: `builder(organization, user)` makes the data of the panel `name`; panels
    show in `order` (then name)."""

    def decorate(builder: Builder) -> Builder:
        if name in _builders:
            raise ValueError(f"organization panel {name!r} registered twice")
        _builders[name] = (order, builder)
        return builder

    return decorate


def build(organization, user) -> list[tuple[str, object]]:
    """[(panel name, its data)] for the organization's page, in order, without empty ones."""
    built = []
    ordered = sorted(_builders.items(), key=lambda item: (item[1][0], item[0]))
    for name, (_order, builder) in ordered:
        data = builder(organization, user)
        if data is not None:
            built.append((name, data))
    return built
