"""Qualification records: an official's levels on the ladders of DOMAIN §3."""

from flask import Blueprint

bp = Blueprint("qualifications", __name__)

from . import audit_labels, routes, rules  # noqa: E402,F401  (views, rules, audit words register)


@bp.record_once
def _template_helpers(state) -> None:
    # The officials' pages include templates/officials/_qualifications.html, which loads its
    # data through this helper instead of the registry's views passing it in.
    state.app.jinja_env.globals["qualification_panel"] = routes.qualification_panel
