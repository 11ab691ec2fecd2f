"""Accounts for officials: HR picks officials of its scope who have no account yet and creates
their accounts in one go; the one-time passwords come back once, as an .xlsx download."""

from datetime import datetime
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..i18n import TIMEZONE
from ..i18n import today as local_today
from ..permissions import can, require, scope_prefix
from ..validation import ServiceError
from . import accounts, bp
from .models import Appointment, Official, Organization
from .organization_forms import AccountFilterForm, BulkAccountsForm
from .organization_routes import official_url, scoped_organizations, tree_choices
from .queries import OfficialFilters, filtered

PER_PAGE = 50
# Each password hash costs ~0.1 s: a batch stays well inside a request's time.
MAX_BATCH = 100
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
    if len(ids) > MAX_BATCH:
        flash(_("Mỗi lần chỉ tạo được tối đa %(n)d tài khoản.", n=MAX_BATCH), "danger")
        return redirect(back)
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
