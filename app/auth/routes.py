"""Login, logout, passwords and the admin's user management."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..i18n import today as local_today
from ..permissions import EVERYTHING, ROLES, ensure, require
from ..redirects import safe_redirect_target
from ..validation import ServiceError
from . import bp, limits, services
from .audit_labels import account_history
from .forms import (
    ChangePasswordForm,
    ConfirmForm,
    LoginForm,
    ResetPasswordForm,
    UserCreateForm,
    UserEditForm,
)
from .models import User
from .providers import official_links, organization_options


@bp.route("/login", methods=["GET", "POST"])
@limits.per_username
@limits.per_address
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            limits.record_failure()
            # One message for an unknown user and a wrong password.
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
        else:
            remember = bool(form.remember.data)
            services.start_session(user, remember=remember)
            login_user(user, remember=remember)
            db.session.commit()
            target = safe_redirect_target(request.args.get("next"))
            return redirect(target or url_for("core.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # This sign-in ends on the server too: a copy of the cookie is worth nothing now.
            services.end_session(current_user)
            db.session.commit()
        logout_user()
        flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        flash(_("Đã đăng xuất khỏi mọi thiết bị."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except services.AccountError as exc:
            form.current_password.errors.append(str(exc))
        else:
            # Every sign-in ended with the old password: this browser gets a new one.
            user = current_user._get_current_object()
            remember = _current_session_remembered(user)
            services.start_session(user, remember=remember)
            db.session.commit()
            login_user(user, remember=remember)
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."), "success")
            return redirect(url_for("core.index"))
    return render_template("auth/change_password.html", form=form)


def _current_session_remembered(user) -> bool:
    """Was this sign-in remembered? Read before a password change ends it."""
    from .models import UserSession

    key_hash = services.hash_token(user.session_key or "")
    return bool(
        db.session.scalar(select(UserSession.remember).where(UserSession.key_hash == key_hash))
    )


@bp.route("/admin/users")
@require("admin.manage_users")
def users():
    users = db.session.scalars(
        select(User)
        .options(selectinload(User.organization), selectinload(User.official))
        .order_by(User.username)
    ).all()
    return render_template("auth/users.html", users=users)


def _organization_choices(form) -> None:
    form.organization_id.choices = [
        ("", _("— Không (toàn tỉnh hoặc không quản lý cán bộ) —")),
        *organization_options(EVERYTHING, local_today()),
    ]


class _Refused(Exception):
    """A refusal already shown on the form."""


def _official_id(form) -> int | None:
    """The id of the official whose code the form names (None: none); refused (the error on
    the field) when no official has that code."""
    code = (form.official_code.data or "").strip()
    if not code:
        return None
    links = official_links()
    found = links.find(code) if links is not None else None
    if found is None:
        form.official_code.errors = [
            *form.official_code.errors,
            _("Không có cán bộ mã %(code)s.", code=code),
        ]
        raise _Refused
    return found.id


def _link_official(form, user, official_id) -> None:
    """Link `user` to the official through the registry's service (its rule, checks and
    audit); a refusal goes onto the official's field."""
    links = official_links()
    if links is None or user.official_id == official_id:
        return
    try:
        links.set_official(user, official_id, current_user._get_current_object())
    except ServiceError as exc:
        form.official_code.errors = [*form.official_code.errors, exc.message]
        raise _Refused from None


def _show_refusal(form, exc: ServiceError, default: str) -> None:
    field = getattr(form, exc.field or default, None) or getattr(form, default)
    field.errors = [*field.errors, exc.message]


@bp.route("/admin/users/new", methods=["GET", "POST"])
@require("admin.manage_users")
def create_user():
    form = UserCreateForm()
    _organization_choices(form)
    if form.validate_on_submit():
        try:
            official_id = _official_id(form)
            user = services.create_user(
                form.username.data,
                form.password.data,
                [r for r in form.roles.data if r in ROLES],
                email=form.email.data,
                organization_id=form.organization_id.data,
                must_change_password=form.must_change_password.data,
                actor=current_user,
            )
            _link_official(form, user, official_id)
        except _Refused:
            db.session.rollback()
        except ServiceError as exc:  # a Conflict too: a race took the name
            db.session.rollback()
            _show_refusal(form, exc, "username")
        else:
            db.session.commit()
            flash(_("Đã tạo tài khoản %(u)s.", u=form.username.data), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@require("admin.manage_users")
def edit_user(user_id: int):
    """Roles, email, organization and official of an account; every change audited."""
    user = db.get_or_404(User, user_id)
    ensure(current_user, "admin.manage_users", user)
    links = official_links()
    linked = links.describe(user.official_id) if links and user.official_id else None
    form = UserEditForm(
        data={
            "email": user.email,
            "roles": list(user.role_names),
            "organization_id": user.organization_id,
            "official_code": linked.code if linked else "",
        }
    )
    _organization_choices(form)
    if form.validate_on_submit():
        try:
            official_id = _official_id(form)
            changes = services.update_user(
                user,
                roles=[r for r in form.roles.data if r in ROLES],
                email=form.email.data,
                organization_id=form.organization_id.data,
                actor=current_user,
            )
            relinked = user.official_id != official_id
            _link_official(form, user, official_id)
        except _Refused:
            db.session.rollback()
        except ServiceError as exc:
            db.session.rollback()
            _show_refusal(form, exc, "roles")
        else:
            db.session.commit()
            if changes or relinked:
                flash(_("Đã lưu tài khoản %(u)s.", u=user.username), "success")
            else:
                flash(_("Không có gì thay đổi."), "info")
            return redirect(url_for("auth.edit_user", user_id=user.id))
    return render_template(
        "auth/user_form.html",
        form=form,
        user=user,
        linked=linked,
        history=account_history(user),
        reset_form=ResetPasswordForm(formdata=None),
    )


def _back_to_list():
    """Back to the page the button was on (the list, or the account's page)."""
    return redirect(safe_redirect_target(request.form.get("next")) or url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@require("admin.manage_users")
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    ensure(current_user, "admin.manage_users", user)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.new_password.data, must_change=True)
        db.session.commit()
        flash(
            _(
                "Đã đặt lại mật khẩu của %(u)s; người dùng phải đổi ở lần đăng nhập tới.",
                u=user.username,
            ),
            "success",
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return _back_to_list()


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["POST"])
@require("admin.manage_users")
def deactivate_user(user_id: int):
    """Lock an account: its sessions end at once and its API tokens are revoked."""
    user = db.get_or_404(User, user_id)
    ensure(current_user, "admin.manage_users", user)
    if ConfirmForm().validate_on_submit():
        try:
            services.deactivate_user(user, actor=current_user)
        except services.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Đã khóa tài khoản %(u)s.", u=user.username), "success")
    return _back_to_list()


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["POST"])
@require("admin.manage_users")
def reactivate_user(user_id: int):
    user = db.get_or_404(User, user_id)
    ensure(current_user, "admin.manage_users", user)
    if ConfirmForm().validate_on_submit():
        services.reactivate_user(user, actor=current_user)
        db.session.commit()
        flash(_("Đã mở khóa tài khoản %(u)s.", u=user.username), "success")
    return _back_to_list()
