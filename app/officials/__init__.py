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


def _provide_account_pages() -> None:
    # The admin's account pages (auth, below the registry) offer the organizations as scopes
    # and link accounts to officials through the registry's own service.
    from ..auth.providers import (
        OfficialChoice,
        OfficialLinks,
        provide_official_links,
        provide_organization_options,
    )
    from ..extensions import db
    from .account_links import set_account_official
    from .models import Official
    from .organization_routes import official_url
    from .queries import organization_options
    from .services import find_official_by_code

    def choice(official):
        if official is None:
            return None
        return OfficialChoice(
            official.id, official.code, official.full_name, official_url(official.id)
        )

    provide_organization_options(lambda scope, open_on: organization_options(scope, open_on))
    provide_official_links(
        OfficialLinks(
            find=lambda code: choice(find_official_by_code(code)),
            describe=lambda official_id: choice(
                None if official_id is None else db.session.get(Official, official_id)
            ),
            set_official=set_account_official,
        )
    )


_provide_account_pages()
