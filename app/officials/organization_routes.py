"""Views of the registry (organization_routes)."""

from . import bp  # noqa: F401
