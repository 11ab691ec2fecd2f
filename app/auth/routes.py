"""Login, logout, passwords and the admin's user management."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, limiter
from ..permissions import ROLES, ensure, require
from ..security import safe_redirect_target
from . import bp, services
from .forms import ChangePasswordForm, ConfirmForm, LoginForm, ResetPasswordForm, UserCreateForm
from .models import User


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            # One message for an unknown user and a wrong password.
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            target = safe_redirect_target(request.args.get("next"))
            return redirect(target or url_for("core.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
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
            db.session.commit()
            # The version changed: keep this browser signed in with a fresh cookie.
            login_user(current_user._get_current_object())
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."), "success")
            return redirect(url_for("core.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/admin/users")
@require("admin.manage_users")
def users():
    users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("auth/users.html", users=users, reset_form=ResetPasswordForm())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@require("admin.manage_users")
def create_user():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            services.create_user(
                form.username.data,
                form.password.data,
                [r for r in form.roles.data if r in ROLES],
                email=form.email.data,
                must_change_password=form.must_change_password.data,
            )
        except services.AccountError as exc:
            form.username.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Đã tạo tài khoản %(u)s.", u=form.username.data), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form)


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
    return redirect(url_for("auth.users"))
