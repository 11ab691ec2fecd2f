"""JSON API under /api/v1: bearer tokens, one error shape, OpenAPI generated from the code.

flask-smorest was chosen because it works with a plain Flask app factory and blueprints
(APIFlask would replace the Flask class), generates the OpenAPI document from marshmallow
schemas that also validate input, and is actively maintained.
"""

from flask import Flask, g, make_response, request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest import abort
from webargs.flaskparser import FlaskParser

from ..error_shape import error_response
from ..extensions import csrf, db
from ..integrity import Conflict
from .schemas import ErrorSchema


class JsonParser(FlaskParser):
    """webargs' parser; JSON nested too deeply for Python's decoder is a 400, not a 500."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            abort(400, messages={"json": ["JSON nested too deeply."]})


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = JsonParser()


class Api(SmorestApi):
    """Errors go through the app's own handlers (app.errors), which answer JSON under /api/."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


SPEC_KWARGS = {
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer"},
            "basicAuth": {"type": "http", "scheme": "basic"},
        }
    },
    "security": [{"bearerAuth": []}],
}


def current_api_user():
    return g.get("api_user")


def authenticate():
    """Every /api/v1 request but the OpenAPI document needs an API bearer token (a calendar
    feed's signed link is no token: it opens its feed and nothing else)."""
    from ..auth.services import user_for_token

    if request.endpoint == "api-docs.openapi_json" or request.method == "OPTIONS":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    user = user_for_token(token)
    if user is None:
        abort(401, message="Missing, invalid or revoked bearer token.")
    g.api_user = user
    return None


def commit_at_boundary(response):
    """One commit per request, at the boundary (token use time, writes of the view)."""
    if response.status_code < 400:
        try:
            db.session.commit()
        except Conflict as error:  # a race lost at the commit (app.integrity): 409, not a 500
            body, status = error_response(409, message=error.message)
            return make_response(body, status)
    else:
        db.session.rollback()
    return response


def require_json_body() -> None:
    """415 for a request body that is not JSON (call it after the permission check, so that
    who may do what is decided before the body is looked at). No body at all is let through:
    the schema then says which fields are missing."""
    if (request.content_length or request.headers.get("Transfer-Encoding")) and not (
        request.is_json
    ):
        abort(415)


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    """A resource blueprint with bearer authentication and the commit at the boundary."""
    blueprint = Blueprint(name, import_name, description=description)
    blueprint.before_request(authenticate)
    blueprint.after_request(commit_at_boundary)
    return blueprint


def init_api(app: Flask) -> None:
    from . import (
        attendance,
        calendar,
        certificates,
        childcare,
        courses,
        enrolments,
        me,
        officials,
        organizations,
        plan,
        progress,
        qualifications,
        sessions,
        tokens,
    )

    api = Api(app, spec_kwargs=SPEC_KWARGS)
    for blueprint in (
        attendance.blp,
        certificates.blp,
        calendar.blp,
        courses.blp,
        enrolments.blp,
        sessions.blp,
        childcare.blp,
        me.blp,
        officials.blp,
        organizations.blp,
        plan.blp,
        progress.blp,
        qualifications.blp,
        tokens.blp,
    ):
        csrf.exempt(blueprint)  # bearer tokens are not sent by browsers on their own
        api.register_blueprint(blueprint, url_prefix="/api/v1" + (blueprint.url_prefix or ""))
