"""GET /api/v1/me: who the token belongs to."""

import marshmallow as ma
from flask.views import MethodView

from . import api_blueprint
from .schemas import ErrorSchema

blp = api_blueprint("api_me", __name__, "The token's user")


class MeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    username = ma.fields.String(required=True)
    email = ma.fields.String(allow_none=True)
    roles = ma.fields.List(ma.fields.String(), required=True)
    official_id = ma.fields.Integer(allow_none=True)
    organization_id = ma.fields.Integer(allow_none=True)
    locale = ma.fields.String(allow_none=True)


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    @blp.alt_response(401, schema=ErrorSchema, description="Missing or invalid token")
    def get(self):
        """The user owning the bearer token."""
        from . import current_api_user

        user = current_api_user()
        return {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "roles": list(user.role_names),
            "official_id": user.official_id,
            "organization_id": user.organization_id,
            "locale": user.locale,
        }
