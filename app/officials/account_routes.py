"""Accounts for officials: HR picks officials of its scope who have no account yet and creates
their accounts in one go; the one-time passwords come back once, as an .xlsx download. On an
official's page, the admin links an existing account to her or removes the link (an email in
the data never does: app.officials.account_links)."""

from datetime import datetime
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..auth.models import User
from ..extensions import db
from ..forms import FlaskForm
from ..i18n import TIMEZONE
from ..i18n import today as local_today
from ..permissions import can, ensure, require, scope_prefix
from ..validation import ServiceError
from . import account_links, accounts, bp, panels
from .loaders import official_or_404
from .models import Appointment, Official, Organization
from .organization_forms import AccountFilterForm, BulkAccountsForm
from .organization_routes import official_url, scoped_organizations, tree_choices
from .queries import OfficialFilters, filtered

PER_PAGE = 50
MAX_BATCH = accounts.MAX_BATCH
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(form: AccountFilterForm) -> OfficialFilters:
    return OfficialFilters(
        q=(form.q.data or "").strip()[:100],
        organization_id=form.organization_id.data,
        plan_level=form.plan_level.data or None,
        status="active",
    )


def _without_account(scope, filters: OfficialFilters, today):
    """The scoped, filtered officials that no account is linked to (a LEFT JOIN on users)."""
    return (
        filtered(scope, filters, today, Official, Appointment, Organization)
        .outerjoin(User, User.official_id == Official.id)
        .where(User.id.is_(None))
    )


@bp.route("/accounts/officials", methods=["GET", "POST"])
@require("accounts.create_for_officials")
def bulk_accounts():
    if request.method == "POST":
        return _create_accounts()
    today = local_today()
    scope = scope_prefix(current_user)
    filter_form = AccountFilterForm(
        request.args, organization_choices=tree_choices(scoped_organizations(scope))
    )
    filter_form.validate()
    stmt = _without_account(scope, _filters(filter_form), today)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    rows = db.session.execute(
        stmt.order_by(Official.sort_key, Official.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "accounts/officials.html",
        filter_form=filter_form,
        form=BulkAccountsForm(),
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        max_batch=MAX_BATCH,
        official_url=official_url,
    )


def _create_accounts():
    back = url_for(".bulk_accounts", **request.args.to_dict())
    form = BulkAccountsForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(back)
    ids = set(form.official_ids.data)
    officials = db.session.scalars(
        select(Official)
        .where(Official.id.in_(ids))
        .options(selectinload(Official.appointments).selectinload(Appointment.organization))
        .order_by(Official.sort_key, Official.id)
    ).all()
    allowed = [o for o in officials if can(current_user, "accounts.create_for_officials", o)]
    if len(allowed) < len(ids):
        flash(
            _(
                "%(n)d cán bộ được chọn không thuộc phạm vi quản lý của bạn hoặc không tồn tại. "
                "Chưa tạo tài khoản nào.",
                n=len(ids) - len(allowed),
            ),
            "danger",
        )
        return redirect(back)
    try:
        rows = accounts.create_accounts_for(allowed, actor=current_user)
    except ServiceError as error:
        flash(error.message, "danger")
        return redirect(back)
    # The file is made before the commit: accounts whose passwords were lost are never kept.
    data = accounts.write_credentials_xlsx(rows)
    db.session.commit()
    flash(
        _(
            "Đã tạo %(n)d tài khoản. Mật khẩu một lần chỉ có trong tệp vừa tải về; "
            "hãy giao tận tay từng người và giữ tệp cẩn thận.",
            n=len(rows),
        ),
        "success",
    )
    stamp = datetime.now(TIMEZONE).strftime("%Y%m%d-%H%M")
    response = send_file(
        BytesIO(data),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"tai-khoan-can-bo-{stamp}.xlsx",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the account linked to one official (the admin's decision) ------------------------------


class LinkAccountForm(FlaskForm):
    username = StringField(
        _l("Tên đăng nhập của tài khoản"),
        validators=[DataRequired(message=_l("Nhập tên đăng nhập.")), Length(max=80)],
    )
    submit = SubmitField(_l("Gắn tài khoản"))


class UnlinkAccountForm(FlaskForm):
    submit = SubmitField(_l("Bỏ gắn tài khoản"))


def _linkable_official(official_id: int) -> Official:
    official = official_or_404(current_user, official_id)
    ensure(current_user, "account.link", account_links.AccountLink(None, official))
    return official


@panels.register("account")
def account_panel(official: Official, own: bool = False) -> dict | None:
    """The account linked to `official` and the forms to change it, for those who decide
    (officials/_account_link.html, on HR's page of her); None for everyone else."""
    if own or not can(current_user, "account.link", account_links.AccountLink(None, official)):
        return None
    linked = db.session.scalar(select(User).where(User.official_id == official.id))
    manage = linked is not None and can(current_user, "admin.manage_users", linked)
    return {
        "linked": linked,
        # The account's own page (roles, unit, locking), for the admin.
        "account_url": url_for("auth.edit_user", user_id=linked.id) if manage else None,
        "link_form": LinkAccountForm(formdata=None),
        "unlink_form": UnlinkAccountForm(formdata=None),
        "matches": [user.username for user in account_links.email_matches(official)],
    }


@bp.route("/officials/<int:official_id>/account", methods=["POST"], endpoint="link_account")
@login_required
def link_account(official_id: int):
    official = _linkable_official(official_id)
    form = LinkAccountForm()
    back = redirect(official_url(official.id) + "#account")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "danger")
        return back
    account = db.session.scalar(
        select(User).where(func.lower(User.username) == form.username.data.strip().lower())
    )
    if account is None:
        flash(_("Không có tài khoản %(u)s.", u=form.username.data.strip()), "danger")
        return back
    try:
        account_links.link_account(account, official, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return back
    db.session.commit()
    flash(
        _("Đã gắn tài khoản %(u)s với cán bộ %(code)s.", u=account.username, code=official.code),
        "success",
    )
    return back


@bp.route(
    "/officials/<int:official_id>/account/unlink", methods=["POST"], endpoint="unlink_account"
)
@login_required
def unlink_account(official_id: int):
    official = _linkable_official(official_id)
    back = redirect(official_url(official.id) + "#account")
    account = db.session.scalar(select(User).where(User.official_id == official.id))
    if not UnlinkAccountForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn; hãy thử lại."), "danger")
    elif account is not None:
        account_links.unlink_account(account, actor=current_user)
        db.session.commit()
        flash(_("Đã bỏ gắn tài khoản %(u)s.", u=account.username), "success")
    return back
