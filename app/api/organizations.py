"""/api/v1/organizations: the tree of organizations (cơ quan, đơn vị).

HR only; unit HR sees and edits its subtree. An organization outside the caller's scope answers
403 (organizations are not private, only out of reach); a parent outside it too.
"""

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import abort
from sqlalchemy import select

from ..domain.tree import tree_order
from ..extensions import db
from ..officials import services
from ..officials.loaders import organization_or_404
from ..officials.models import Organization
from ..permissions import EVERYTHING, can, scope_prefix
from ..validation import ServiceError
from . import api_blueprint, current_api_user
from .officials import BODY_ERRORS, CREATE_ERRORS, checked
from .schemas import (
    OrganizationCreateSchema,
    OrganizationListSchema,
    OrganizationQuerySchema,
    OrganizationSchema,
    OrganizationUpdateSchema,
    error_responses,
)
from .versioning import ETAG, check_if_match, etag, versioned_write

blp = api_blueprint("api_organizations", __name__, "Organizations, as a tree")


def _may_list():
    if not can(current_api_user(), "organizations.list"):
        abort(403)
    return {}


def _parent(parent_id: int | None) -> Organization | None:
    """The chosen parent (None: a root): unknown is invalid input, out of scope forbidden."""
    parent = db.session.get(Organization, parent_id) if parent_id is not None else None
    if parent_id is not None and parent is None:
        raise ServiceError(_("Đơn vị cấp trên không tồn tại."), "parent_id")
    if not can(current_api_user(), "organization.create", parent):
        abort(403)
    return parent


def _data(org: Organization) -> dict:
    return {
        "id": org.id,
        "name": org.name,
        "plan_level": org.plan_level,
        "kind": org.kind,
        "needs_gender_equality_officer": org.needs_gender_equality_officer,
        "reports_yearly": org.reports_yearly,
        "parent_id": org.parent_id,
        "path": org.path,
        "depth": org.path.strip("/").count("/"),
        "valid_from": org.valid_from,
        "valid_to": org.valid_to,
        "version": org.version,
    }


@blp.route("/organizations")
class Organizations(MethodView):
    @checked(_may_list, body=False)
    @blp.arguments(OrganizationQuerySchema, location="query")
    @blp.response(200, OrganizationListSchema)
    @error_responses(blp, 401, 403, 422)
    def get(self, args):
        """The organizations within the caller's scope in tree order (one statement)."""
        scope = scope_prefix(current_api_user())
        stmt = select(Organization)
        if scope != EVERYTHING:
            stmt = stmt.where(Organization.path.startswith(scope))
        ordered = [org for org, _depth in tree_order(db.session.scalars(stmt).all())]
        if args.get("plan_level"):
            ordered = [org for org in ordered if org.plan_level == args["plan_level"]]
        return {"items": [_data(org) for org in ordered], "total": len(ordered)}

    @checked(_may_list)
    @blp.arguments(OrganizationCreateSchema)
    @blp.response(201, OrganizationSchema)
    @error_responses(
        blp,
        *CREATE_ERRORS,
        rules="a name another organization has, valid_to not after valid_from, an unknown parent",
    )
    def post(self, data):
        """Create an organization under `parent_id` (a root: province HR and admin only)."""
        parent = _parent(data.pop("parent_id", None))
        org = services.create_organization(parent=parent, actor=current_api_user(), **data)
        return _data(org)


@blp.route("/organizations/<int:organization_id>")
class OrganizationResource(MethodView):
    @checked(
        lambda organization_id: {
            "org": organization_or_404(current_api_user(), organization_id, "organization.view")
        },
        body=False,
    )
    @blp.response(200, OrganizationSchema, headers=ETAG)
    @error_responses(blp, 401, 403, 404)
    def get(self, org):
        """One organization."""
        return _data(org), etag(org)

    @checked(
        lambda organization_id: {
            "org": organization_or_404(current_api_user(), organization_id, "organization.edit")
        }
    )
    @blp.arguments(OrganizationUpdateSchema)
    @blp.response(200, OrganizationSchema, headers=ETAG)
    @error_responses(
        blp,
        *BODY_ERRORS,
        rules="a name another organization has, valid_to not after valid_from, an unknown "
        "parent, a parent that is the organization itself or one of its descendants",
    )
    @versioned_write(blp)
    def patch(self, changes, org):
        """Edit an organization; only the fields sent change. Moving it under itself or one of
        its descendants is refused (422); the new parent must be within the scope."""
        if "parent_id" in changes and changes["parent_id"] != org.parent_id:
            _parent(changes["parent_id"])
        check_if_match(org)
        org = services.update_organization(org, actor=current_api_user(), **changes)
        return _data(org), etag(org)
