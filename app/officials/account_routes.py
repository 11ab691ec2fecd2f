"""Views of the registry (account_routes)."""

from . import bp  # noqa: F401
