"""Forms of childcare support: her request (with its preview), HR's decisions, the rates, the
work list's filters. Labels are lazily translated; messages are Vietnamese."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import ChoiceField, DayMonthYearField, FlaskForm, VersionField
from .models import NAME_LIMIT, NOTE_LIMIT, REASON_LIMIT
from .services import MAX_DAILY_AMOUNT

CONSENT_TEXT = _l(
    "Tôi đồng ý để cơ quan xử lý dữ liệu cá nhân của con tôi (họ tên, ngày sinh) chỉ nhằm giải "
    "quyết đề nghị hỗ trợ này, theo Nghị định 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ về bảo "
    "vệ dữ liệu cá nhân. Dữ liệu chỉ người đề nghị, bộ phận tổ chức cán bộ quản lý tôi và đơn vị "
    "tổ chức khóa học được xem."
)
NEW_CHILD = "new"


def _too_long(limit: int):
    return Length(max=limit, message=_l("Tối đa %(max)d ký tự."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RequestForm(FlaskForm):
    child = RadioField(
        _l("Con"), choices=[], validate_choice=False, default=NEW_CHILD, validators=[Optional()]
    )
    child_name = StringField(_l("Họ tên của con"), validators=[_too_long(NAME_LIMIT)])
    child_birth_date = DayMonthYearField(
        _l("Ngày sinh của con"), description=_l("Theo dạng dd/mm/yyyy."), validators=[Optional()]
    )
    kinds = MultiCheckboxField(_l("Hình thức hỗ trợ"), choices=[], validate_choice=False)
    days = MultiCheckboxField(_l("Những ngày cần hỗ trợ"), choices=[], validate_choice=False)
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), _too_long(NOTE_LIMIT)])
    consent = BooleanField(CONSENT_TEXT)
    # The total shown by the preview: submitting checks the amount has not changed since.
    quoted_total = HiddenField()
    preview = SubmitField(_l("Xem số tiền hỗ trợ"))
    submit = SubmitField(_l("Gửi đề nghị"))


class ActionForm(FlaskForm):
    version = VersionField()


class ApproveForm(FlaskForm):
    version = VersionField()
    allowance = IntegerField(
        _l("Tiền hỗ trợ (đồng)"), validators=[Optional(), NumberRange(min=0, max=10**12)]
    )
    lodging = IntegerField(
        _l("Chỗ ở (đồng)"), validators=[Optional(), NumberRange(min=0, max=10**12)]
    )
    nursery = IntegerField(
        _l("Nơi gửi trẻ (đồng)"), validators=[Optional(), NumberRange(min=0, max=10**12)]
    )
    reason = TextAreaField(
        _l("Lý do điều chỉnh"),
        description=_l("Bắt buộc khi số tiền duyệt khác số tiền đề nghị."),
        validators=[Optional(), _too_long(REASON_LIMIT)],
    )


class RejectForm(FlaskForm):
    version = VersionField()
    reason = TextAreaField(
        _l("Lý do từ chối"),
        validators=[DataRequired(message=_l("Hãy nêu lý do.")), _too_long(REASON_LIMIT)],
    )


class RateForm(FlaskForm):
    kind = ChoiceField(_l("Hình thức hỗ trợ"), choices=[])
    daily_amount = IntegerField(
        _l("Mức hỗ trợ mỗi ngày (đồng)"),
        validators=[
            InputRequired(message=_l("Hãy nhập mức hỗ trợ.")),
            NumberRange(min=0, max=MAX_DAILY_AMOUNT),
        ],
    )
    applies_from = DayMonthYearField(
        _l("Áp dụng từ ngày"),
        description=_l("Có thể là một ngày trong quá khứ."),
        validators=[DataRequired(message=_l("Hãy nhập ngày bắt đầu áp dụng."))],
    )
    save = SubmitField(_l("Thêm mức hỗ trợ"))
