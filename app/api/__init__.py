"""JSON API under /api/v1: bearer tokens, one error shape, OpenAPI generated from the code.

flask-smorest was chosen because it works with a plain Flask app factory and blueprints
(APIFlask would replace the Flask class), generates the OpenAPI document from marshmallow
schemas that also validate input, and is actively maintained.
"""

from flask import Flask, g, request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint, abort

from ..extensions import csrf, db
from .schemas import ErrorSchema


class Api(SmorestApi):
    """Errors go through the app's own handlers (app.errors), which answer JSON under /api/."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


SPEC_KWARGS = {
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearerAuth": []}],
}


def current_api_user():
    return g.get("api_user")


def _authenticate():
    """Every /api/v1 request but the OpenAPI document needs a bearer token."""
    from ..auth.services import user_for_token

    if request.endpoint == "api-docs.openapi_json" or request.method == "OPTIONS":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        abort(401, message="Missing, invalid or revoked bearer token.")
    g.api_user = user
    return None


def _commit(response):
    """One commit per request, at the boundary (token use time, writes of the view)."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    """A resource blueprint with bearer authentication and the commit at the boundary."""
    blueprint = Blueprint(name, import_name, description=description)
    blueprint.before_request(_authenticate)
    blueprint.after_request(_commit)
    return blueprint


def init_api(app: Flask) -> None:
    from . import me

    api = Api(app, spec_kwargs=SPEC_KWARGS)
    for blueprint in (me.blp,):
        csrf.exempt(blueprint)  # bearer tokens are not sent by browsers on their own
        api.register_blueprint(blueprint, url_prefix="/api/v1" + (blueprint.url_prefix or ""))
