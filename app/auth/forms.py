"""Account forms; labels are lazily translated."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import ChoiceField
from ..permissions import ROLES
from .services import MIN_PASSWORD_LENGTH

ROLE_LABELS = {
    "official": _l("Cán bộ, công chức, viên chức"),
    "trainer": _l("Giảng viên"),
    "unit_hr": _l("Cán bộ tổ chức đơn vị"),
    "province_hr": _l("Sở Nội vụ"),
    "admin": _l("Quản trị hệ thống"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Ghi nhớ đăng nhập"))
    submit = SubmitField(_l("Đăng nhập"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("Mật khẩu mới"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("Hai mật khẩu không khớp.")),
        ],
    )
    submit = SubmitField(_l("Đổi mật khẩu"))


class UserCreateForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    roles = MultiCheckboxField(
        _l("Vai trò"),
        choices=[(r, ROLE_LABELS[r]) for r in ROLES],
        validators=[DataRequired(message=_l("Chọn ít nhất một vai trò."))],
    )
    # The view fills the choices; the service checks the organization (and that unit HR has one).
    organization_id = ChoiceField(
        _l("Đơn vị (phạm vi của cán bộ tổ chức đơn vị)"),
        coerce=lambda value: int(value) if value not in (None, "") else None,
        validate_choice=False,
    )
    password = PasswordField(
        _l("Mật khẩu ban đầu"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    must_change_password = BooleanField(_l("Bắt đổi mật khẩu ở lần đăng nhập đầu"), default=True)
    submit = SubmitField(_l("Tạo tài khoản"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("Mật khẩu mới"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    submit = SubmitField(_l("Đặt lại mật khẩu"))


class TokenCreateForm(FlaskForm):
    name = StringField(
        _l("Tên gợi nhớ"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Ví dụ: chương trình báo cáo của phòng. Mã chỉ hiện một lần."),
    )
    submit = SubmitField(_l("Tạo mã truy cập"))


class ConfirmForm(FlaskForm):
    """An empty form: a POST button protected by CSRF."""

    submit = SubmitField(_l("Xác nhận"))
