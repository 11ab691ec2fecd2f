"""Forms of the organizations pages and of the bulk creation of officials' accounts.

Labels are lazily translated; select choices are filled per request (they depend on the user's
scope and on the current language). Dates are typed as dd/mm/yyyy in both languages.
"""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..forms import DayMonthYearField, FlaskForm, VersionField
from ..i18n import choices
from ..routing import to_id


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return to_id(number)  # a number beyond the ids' range is an error of the field


class OrganizationForm(FlaskForm):
    name = StringField(
        _l("Tên đơn vị"),
        validators=[
            DataRequired(message=_l("Nhập tên đơn vị.")),
            Length(max=255, message=_l("Tên đơn vị dài tối đa 255 ký tự.")),
        ],
        description=_l("Tên đầy đủ, không trùng đơn vị khác, ví dụ: Phòng Nội vụ huyện Ba Tri."),
    )
    plan_level = SelectField(
        _l("Cấp"), validators=[DataRequired(message=_l("Chọn cấp của đơn vị."))]
    )
    kind = SelectField(
        _l("Loại đơn vị"), validators=[DataRequired(message=_l("Chọn loại đơn vị."))]
    )
    # DOMAIN §10: blank on creation = the kind's default (a People's Committee needs one).
    needs_gender_equality_officer = SelectField(
        _l("Cần bố trí cán bộ làm công tác bình đẳng giới"),
        # Anything but "yes"/"no" keeps the default (creation) or the stored value (edit).
        validate_choice=False,
        description=_l("Mặc định: có với UBND các cấp, không với các loại khác."),
    )
    # DOMAIN §11: the unit sends the province the yearly report of the plan.
    reports_yearly = BooleanField(
        _l("Đơn vị báo cáo"),
        description=_l("Đơn vị gửi báo cáo kết quả thực hiện Kế hoạch hằng năm lên tỉnh."),
    )
    # Checked against the user's scope in the view, with a clear message, not by WTForms.
    parent_id = SelectField(_l("Đơn vị cấp trên"), coerce=_int_or_none, validate_choice=False)
    valid_from = DayMonthYearField(_l("Hiệu lực từ ngày"), validators=[Optional()])
    valid_to = DayMonthYearField(
        _l("Hiệu lực đến ngày"),
        validators=[Optional()],
        description=_l("Để trống khi đơn vị còn hoạt động."),
    )
    version = VersionField()
    submit = SubmitField(_l("Lưu"))

    def __init__(self, *args, parent_choices=(), **kwargs):
        obj = kwargs.get("obj")
        super().__init__(*args, **kwargs)
        self.plan_level.choices = choices("plan_level", blank="")
        self.kind.choices = choices("organization_kind")
        self.parent_id.choices = list(parent_choices)
        flag = [("yes", _l("Có")), ("no", _l("Không"))]
        if obj is None:
            self.needs_gender_equality_officer.choices = [("", _l("Theo loại đơn vị")), *flag]
        else:
            self.needs_gender_equality_officer.choices = flag
            if not self.is_submitted():
                chosen = obj.needs_gender_equality_officer
                self.needs_gender_equality_officer.data = "yes" if chosen else "no"

    def needs_officer(self) -> bool | None:
        """The chosen flag; None: the kind's default (creation) or unchanged (edit)."""
        return {"yes": True, "no": False}.get(self.needs_gender_equality_officer.data)


class CloseOrganizationForm(FlaskForm):
    valid_to = DayMonthYearField(
        _l("Ngày đóng (ngày đầu tiên đơn vị không còn hoạt động)"),
        # InputRequired, not DataRequired: that one would hide "invalid date" behind "missing".
        validators=[InputRequired(message=_l("Nhập ngày đóng đơn vị."))],
    )
    version = VersionField()
    submit = SubmitField(_l("Đóng đơn vị"))


class MoveOfficialsForm(FlaskForm):
    official_ids = SelectMultipleField(
        _l("Cán bộ"), coerce=to_id, validate_choice=False, choices=[]
    )
    target_id = SelectField(_l("Chuyển đến đơn vị"), coerce=_int_or_none, validate_choice=False)
    submit = SubmitField(_l("Chuyển cán bộ"))

    def __init__(self, *args, target_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target_id.choices = list(target_choices)

    def validate_official_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Chọn ít nhất một cán bộ."))

    def validate_target_id(self, field):
        if field.data is None:
            raise ValidationError(_l("Chọn đơn vị chuyển đến."))


class AccountFilterForm(FlaskForm):
    """The GET filters of the bulk-accounts list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Tên hoặc mã cán bộ"), validators=[Optional(), Length(max=100)])
    organization_id = SelectField(
        _l("Đơn vị (gồm đơn vị trực thuộc)"), coerce=_int_or_none, validate_choice=False
    )
    plan_level = SelectField(_l("Cấp"), validate_choice=False)

    def __init__(self, *args, organization_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [("", _l("Tất cả đơn vị")), *organization_choices]
        self.plan_level.choices = choices("plan_level", blank=_l("Tất cả các cấp"))


class BulkAccountsForm(FlaskForm):
    official_ids = SelectMultipleField(
        _l("Cán bộ"), coerce=to_id, validate_choice=False, choices=[]
    )
    submit = SubmitField(_l("Tạo tài khoản và tải tệp mật khẩu"))

    def validate_official_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Chọn ít nhất một cán bộ."))
