"""/api/v1/tokens: create a token with a username and password (HTTP Basic), revoke the token
in use (DESIGN §4).

Creating one is a sign-in: failed attempts count against the same limits as the login form
(app.auth.limits), and an account that must change its password first gets no token.
"""

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import abort

from ..auth import limits, services
from . import Blueprint, authenticate, commit_at_boundary, current_api_user
from .schemas import ErrorSchema, error_responses, printable

blp = Blueprint("api_tokens", __name__, description="API tokens: create with a password, revoke")
blp.after_request(commit_at_boundary)


class TokenCreateSchema(ma.Schema):
    name = ma.fields.String(
        load_default="api",
        validate=[ma.validate.Length(min=1, max=100), printable],
        metadata={"description": "A label to recognise the token by on the account's page."},
    )


class TokenSchema(ma.Schema):
    token = ma.fields.String(
        required=True, metadata={"description": "Shown this once; only its hash is kept."}
    )
    name = ma.fields.String(required=True)


@blp.route("/tokens")
class Tokens(MethodView):
    decorators = [limits.per_username, limits.per_address]

    @blp.arguments(TokenCreateSchema, required=False)
    @blp.response(201, TokenSchema)
    @error_responses(blp, 400, 413, 415, 422)
    @blp.alt_response(401, schema=ErrorSchema, description="Missing or wrong username/password")
    @blp.alt_response(403, schema=ErrorSchema, description="The password must be changed first")
    @blp.alt_response(
        429, schema=ErrorSchema, description="Too many failed attempts (see Retry-After)"
    )
    @blp.doc(security=[{"basicAuth": []}])
    def post(self, data):
        """A new token for the account named by HTTP Basic username and password."""
        credentials = request.authorization
        if credentials is None or credentials.type != "basic":
            abort(401, message="Send the username and password with HTTP Basic authentication.")
        user = services.authenticate(credentials.username or "", credentials.password or "")
        if user is None:
            limits.record_failure()
            abort(401, message="Wrong username or password.")
        if user.must_change_password:
            abort(403, message="Change the password in the browser before creating a token.")
        name = (data or {}).get("name") or "api"
        return {"token": services.issue_token(user, name), "name": name}

    @blp.response(204)
    @blp.alt_response(401, schema=ErrorSchema, description="Missing, invalid or revoked token")
    def delete(self):
        """Revoke the bearer token of this request; it answers 401 from now on."""
        authenticate()
        _, _, secret = request.headers.get("Authorization", "").partition(" ")
        api_token = services.find_token(secret.strip())
        if api_token is None or api_token.user_id != current_api_user().id:
            abort(401)
        services.revoke_token(api_token)
