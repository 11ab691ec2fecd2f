"""The officials' registry: organizations, officials, appointments, accounts for officials."""

from flask import Blueprint

bp = Blueprint("officials", __name__)

from . import (  # noqa: E402,F401  (views and permission rules register themselves)
    account_routes,
    audit_labels,
    export_routes,
    organization_routes,
    routes,
    rules,
)
from .imports import routes as import_routes  # noqa: E402,F401


def _provide_account_scopes() -> None:
    # The admin's account form (auth, below the registry) offers the organizations as scopes.
    from ..auth.routes import provide_organization_options
    from .queries import organization_options

    provide_organization_options(lambda scope, open_on: organization_options(scope, open_on))


_provide_account_scopes()
