"""The home page by role, the language switch and the health check."""

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..attendance.pages import today_data
from ..auth import services as auth_services
from ..auth.forms import ConfirmForm
from ..extensions import csrf, db, talisman
from ..health import run_checks
from ..i18n import LANG_COOKIE
from ..permissions import can, require
from ..redirects import safe_redirect_target
from . import bp, figures

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
@require("app.use")
def index():
    # A trainer's day starts with today's sessions (issue 13): shown first, with "Điểm danh".
    teaching = today_data(current_user) if can(current_user, "courses.teach") else None
    return render_template(
        "core/index.html", figures=figures.for_user(current_user), teaching=teaching
    )


@bp.route("/language/<lang>", methods=["POST"])
def set_language(lang: str):
    """Switch language: remembered in a cookie and, when signed in, on the account."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        auth_services.set_locale(current_user, lang)
        db.session.commit()
    target = safe_redirect_target(request.form.get("next") or request.referrer)
    response = redirect(target or url_for("core.index"))
    response.set_cookie(
        LANG_COOKIE,
        lang,
        max_age=ONE_YEAR,
        samesite="Lax",
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


@bp.route("/healthz")
@csrf.exempt
@talisman(force_https=False)
def health():
    """For load balancers, no login: every registered check (app.health) with "ok" or "error",
    200 when all pass, else 503. A load balancer often probes over plain HTTP on the private
    network, so this one page is not redirected to HTTPS."""
    passed, checks = run_checks()
    response = jsonify(status="ok" if passed else "error", checks=checks)
    response.status_code = 200 if passed else 503
    response.headers["Cache-Control"] = "no-store"
    return response
