"""Views of the registry (routes)."""

from . import bp  # noqa: F401
