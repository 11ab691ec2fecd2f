"""The page of one's own API tokens: list (never the secret), create (shown once), revoke."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..permissions import ensure, require
from . import bp, services
from .forms import ConfirmForm, TokenCreateForm
from .models import ApiToken


def _page(form: TokenCreateForm, new_token: str | None = None, status: int = 200):
    html = render_template(
        "auth/tokens.html",
        tokens=services.active_tokens(current_user),
        form=form,
        new_token=new_token,
    )
    response = make_response(html, status)
    # The new token is in this page alone: no cache may keep a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/tokens")
@require("account.tokens")
def tokens():
    return _page(TokenCreateForm())


@bp.route("/account/tokens", methods=["POST"])
@require("account.tokens")
def create_token():
    form = TokenCreateForm()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.is_submitted() else 200)
    token = services.issue_token(current_user, form.name.data.strip())
    db.session.commit()
    return _page(TokenCreateForm(formdata=None), new_token=token)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@require("account.tokens")
def revoke_token(token_id: int):
    api_token = db.get_or_404(ApiToken, token_id)
    ensure(current_user, "account.revoke_token", api_token)
    if ConfirmForm().validate_on_submit():
        services.revoke_token(api_token)
        db.session.commit()
        flash(_("Đã thu hồi mã truy cập “%(name)s”.", name=api_token.name), "success")
    return redirect(url_for("auth.tokens"))
