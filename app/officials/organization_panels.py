"""The panels other features add to an organization's page, without the registry importing
them (DESIGN §2; app.panels): `@register("name")` a builder `(organization, user)` returning
what `templates/organizations/panels/<name>.html` shows (as `panel`), or None."""

from ..panels import PanelRegistry

_panels = PanelRegistry("organization")
register = _panels.register
build = _panels.build
