"""Account forms; labels are lazily translated."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import ChoiceField, FlaskForm
from ..i18n import choices
from ..routing import optional_id
from .services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

PASSWORD_RULES = _l(
    "Từ %(min)d đến %(max)d ký tự. Nên là một câu dễ nhớ, khó đoán, "
    "không trùng mật khẩu đã dùng ở nơi khác.",
    min=MIN_PASSWORD_LENGTH,
    max=MAX_PASSWORD_LENGTH,
)


def password_validators() -> list:
    """The password rule (auth.services.check_password_policy) told on the form too."""
    return [
        DataRequired(message=_l("Nhập mật khẩu.")),
        Length(
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
            message=_l("Mật khẩu cần từ %(min)d đến %(max)d ký tự."),
        ),
    ]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[DataRequired(message=_l("Nhập tên đăng nhập.")), Length(max=80)],
    )
    password = PasswordField(
        _l("Mật khẩu"),
        validators=[
            DataRequired(message=_l("Nhập mật khẩu.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )
    remember = BooleanField(_l("Ghi nhớ đăng nhập"))
    submit = SubmitField(_l("Đăng nhập"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Mật khẩu hiện tại"),
        validators=[DataRequired(message=_l("Nhập mật khẩu hiện tại."))],
    )
    new_password = PasswordField(
        _l("Mật khẩu mới"), validators=password_validators(), description=PASSWORD_RULES
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[
            DataRequired(message=_l("Nhập lại mật khẩu mới.")),
            EqualTo("new_password", message=_l("Hai mật khẩu không khớp.")),
        ],
    )
    submit = SubmitField(_l("Đổi mật khẩu"))


class AccountFields(FlaskForm):
    """What the admin sets on an account, at its creation and later."""

    email = StringField(_l("Email"), validators=[Length(max=254)])
    roles = MultiCheckboxField(
        _l("Vai trò"),
        choices=lambda: choices("role"),
        validators=[DataRequired(message=_l("Chọn ít nhất một vai trò."))],
    )
    # The view fills the choices; the service checks the organization (and that unit HR has one).
    organization_id = ChoiceField(
        _l("Đơn vị (phạm vi của cán bộ tổ chức đơn vị)"),
        coerce=optional_id,
        validate_choice=False,
        description=_l(
            "Bắt buộc với vai trò Cán bộ tổ chức đơn vị: đơn vị và các đơn vị trực thuộc."
        ),
    )
    official_code = StringField(
        _l("Mã cán bộ của người dùng"),
        validators=[Length(max=40)],
        description=_l(
            "Gắn tài khoản với hồ sơ cán bộ có mã này (để trống: không gắn); "
            "mã cán bộ ghi ở trang của cán bộ."
        ),
    )


class UserCreateForm(AccountFields):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[DataRequired(message=_l("Nhập tên đăng nhập.")), Length(max=80)],
    )
    password = PasswordField(
        _l("Mật khẩu ban đầu"), validators=password_validators(), description=PASSWORD_RULES
    )
    must_change_password = BooleanField(_l("Bắt đổi mật khẩu ở lần đăng nhập đầu"), default=True)
    submit = SubmitField(_l("Tạo tài khoản"))

    # The username first, as people read the form.
    FIELD_ORDER = ("username", "email", "roles", "organization_id", "official_code", "password")

    def __iter__(self):
        first = [self[name] for name in self.FIELD_ORDER]
        return iter(first + [f for f in super().__iter__() if f.name not in self.FIELD_ORDER])


class UserEditForm(AccountFields):
    submit = SubmitField(_l("Lưu thay đổi"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("Mật khẩu mới"), validators=password_validators(), description=PASSWORD_RULES
    )
    submit = SubmitField(_l("Đặt lại mật khẩu"))


class TokenCreateForm(FlaskForm):
    name = StringField(
        _l("Tên gợi nhớ"),
        validators=[DataRequired(message=_l("Nhập tên gợi nhớ.")), Length(max=100)],
        description=_l("Ví dụ: chương trình báo cáo của phòng. Mã chỉ hiện một lần."),
    )
    submit = SubmitField(_l("Tạo mã truy cập"))


class ConfirmForm(FlaskForm):
    """An empty form: a POST button protected by CSRF."""

    submit = SubmitField(_l("Xác nhận"))
