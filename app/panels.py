"""Panels that features add to another feature's page without that page's feature importing
them (DESIGN §2): the course page (app.courses.panels), an organization's page
(app.officials.organization_panels).

A feature registers `@registry.register("name")` a builder `(obj, user)` returning what its
partial template shows (as `panel`), or None to leave the panel out. The view builds every
panel before rendering, so templates never query.
"""

from collections.abc import Callable

Builder = Callable[..., object]


class PanelRegistry:
    """The panels of one kind of page, shown in `order` (then name)."""

    def __init__(self, page: str):
        self.page = page  # "course", "organization": for the error of a name taken twice
        self._builders: dict[str, tuple[int, Builder]] = {}

    def register(self, name: str, order: int = 50) -> Callable[[Builder], Builder]:
        """Decorator: `builder(obj, user)` makes the data of the panel `name`."""

        def decorate(builder: Builder) -> Builder:
            if name in self._builders:
                raise ValueError(f"{self.page} panel {name!r} registered twice")
            self._builders[name] = (order, builder)
            return builder

        return decorate

    def build(self, obj, user) -> list[tuple[str, object]]:
        """[(panel name, its data)] for the page of `obj`, in order, without empty ones."""
        built = []
        ordered = sorted(self._builders.items(), key=lambda item: (item[1][0], item[0]))
        for name, (_order, builder) in ordered:
            data = builder(obj, user)
            if data is not None:
                built.append((name, data))
        return built
