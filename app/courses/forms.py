"""HR's course forms: create and edit a course, add and reschedule a session (issue 12).

Labels are lazily translated; the rules (codes free, dates in order, capacity, threshold, the
award on its ladder...) are the services' (app.courses.services), shown at the field."""

from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..auth.forms import MultiCheckboxField
from ..domain.ladders import LADDERS
from ..forms import ChoiceField, DayMonthYearField, FlaskForm, VersionField
from ..i18n import choices, label
from ..routing import optional_id, to_id
from .services import CREATION_STATUSES, MAX_CAPACITY, TEXT_LIMITS

AWARD_SEPARATOR = ":"


def _too_long(field: str):
    return Length(max=TEXT_LIMITS[field], message=_l("Tối đa %(max)d ký tự."))


def award_choices() -> dict:
    """The award select: "nothing", then one group per ladder of its levels, as "ladder:level"
    (one select, so no script has to narrow the levels to the chosen ladder)."""
    grouped: dict = {"": [("", _l("— Không cấp văn bằng, chứng chỉ —"))]}
    for ladder in LADDERS.values():
        grouped[label(ladder)] = [
            (f"{ladder.code}{AWARD_SEPARATOR}{level.code}", label(level))
            for level in ladder.levels
            if level.code != "none"
        ]
    return grouped


def award_value(ladder: str | None, level: str | None) -> str:
    return f"{ladder}{AWARD_SEPARATOR}{level}" if ladder else ""


def split_award(value: str | None) -> tuple[str | None, str | None]:
    ladder, _sep, level = (value or "").partition(AWARD_SEPARATOR)
    return (ladder or None), (level or None)


TIME_MESSAGE = _l("Giờ không hợp lệ: hãy nhập theo dạng HH:MM, ví dụ 07:30.")


class TimeField(StringField):
    """A wall-clock time typed as HH:MM (Asia/Ho_Chi_Minh)."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": "HH:MM", "inputmode": "numeric", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "") or ""
        text = text.strip().replace("h", ":").replace(".", ":")
        if not text:
            return
        hours, _sep, minutes = text.partition(":")
        try:
            self.data = time(int(hours), int(minutes or 0))
        except ValueError:
            raise ValueError(TIME_MESSAGE) from None


class CourseForm(FlaskForm):
    code = StringField(
        _l("Mã khóa học"),
        validators=[InputRequired(message=_l("Nhập mã khóa học.")), _too_long("code")],
    )
    title = StringField(
        _l("Tên khóa học"),
        validators=[InputRequired(message=_l("Nhập tên khóa học.")), _too_long("title")],
    )
    description = TextAreaField(
        _l("Mô tả"), validators=[_too_long("description")], render_kw={"rows": 4}
    )
    kind = ChoiceField(_l("Loại khóa học"), choices=lambda: choices("course_kind"), default="other")
    award = ChoiceField(
        _l("Văn bằng, chứng chỉ được cấp"),
        choices=award_choices,
        # The service says why a level is not on its ladder (at this field).
        validate_choice=False,
        description=_l("Trình độ ghi nhận cho học viên hoàn thành khóa học."),
    )
    organizer_id = ChoiceField(
        _l("Đơn vị tổ chức"),
        coerce=optional_id,
        # The service checks it exists and lies within the user's scope.
        validate_choice=False,
        validators=[DataRequired(message=_l("Hãy chọn đơn vị tổ chức."))],
    )
    place = StringField(_l("Địa điểm"), validators=[_too_long("place")])
    capacity = IntegerField(
        _l("Số chỗ"),
        default=30,
        validators=[
            InputRequired(message=_l("Nhập số chỗ.")),
            NumberRange(0, MAX_CAPACITY, message=_l("Số chỗ phải từ %(min)s đến %(max)s.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    registration_opens_on = DayMonthYearField(_l("Mở đăng ký từ ngày"), validators=[Optional()])
    registration_closes_on = DayMonthYearField(_l("Đóng đăng ký ngày"), validators=[Optional()])
    requires_approval = BooleanField(_l("Đăng ký cần được duyệt"))
    completion_threshold = IntegerField(
        _l("Ngưỡng hoàn thành (%)"),
        description=_l("Tỉ lệ số buổi có mặt tối thiểu để hoàn thành khóa học."),
        default=80,
        validators=[
            InputRequired(message=_l("Nhập ngưỡng hoàn thành.")),
            NumberRange(1, 100, message=_l("Ngưỡng hoàn thành phải từ %(min)s đến %(max)s.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    audience_plan_levels = MultiCheckboxField(
        _l("Dành cho cán bộ cấp"), choices=lambda: choices("plan_level")
    )
    audience_position_ranks = MultiCheckboxField(
        _l("Dành cho chức vụ"), choices=lambda: choices("position_rank")
    )
    women_only = BooleanField(_l("Chỉ dành cho cán bộ nữ"))
    audience_organization_ids = SelectMultipleField(
        _l("Dành cho đơn vị"),
        coerce=to_id,
        description=_l(
            "Để trống: mọi đơn vị. Mỗi đơn vị gồm cả các đơn vị trực thuộc. "
            "Giữ Ctrl để chọn nhiều đơn vị."
        ),
        render_kw={"size": 6},
    )
    status = ChoiceField(_l("Trạng thái"), default="draft")
    trainer_ids = SelectMultipleField(
        _l("Giảng viên"),
        coerce=to_id,
        description=_l("Tài khoản có vai trò giảng viên. Giữ Ctrl để chọn nhiều người."),
        render_kw={"size": 4},
    )
    version = VersionField()
    submit = SubmitField(_l("Lưu"))

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = CREATION_STATUSES if creating else None
        self.status.choices = [
            pair for pair in choices("course_status") if allowed is None or pair[0] in allowed
        ]

    def course_values(self) -> dict:
        ladder, level = split_award(self.award.data)
        return {
            "code": self.code.data,
            "title": self.title.data,
            "description": self.description.data,
            "kind": self.kind.data,
            "awards_ladder": ladder,
            "awards_level": level,
            "organizer_id": self.organizer_id.data,
            "place": self.place.data,
            "capacity": self.capacity.data,
            "registration_opens_on": self.registration_opens_on.data,
            "registration_closes_on": self.registration_closes_on.data,
            "requires_approval": self.requires_approval.data,
            "completion_threshold": self.completion_threshold.data,
            "audience_plan_levels": list(self.audience_plan_levels.data or []),
            "audience_position_ranks": list(self.audience_position_ranks.data or []),
            "women_only": self.women_only.data,
            "audience_organization_ids": list(self.audience_organization_ids.data or []),
            "status": self.status.data,
            "trainer_ids": list(self.trainer_ids.data or []),
        }


class SessionForm(FlaskForm):
    day = DayMonthYearField(_l("Ngày"), validators=[InputRequired(message=_l("Nhập ngày."))])
    starts_at = TimeField(
        _l("Bắt đầu"), validators=[InputRequired(message=_l("Nhập giờ bắt đầu."))]
    )
    ends_at = TimeField(
        _l("Kết thúc"), validators=[InputRequired(message=_l("Nhập giờ kết thúc."))]
    )
    place = StringField(_l("Địa điểm"), validators=[_too_long("place")])
    topic = StringField(_l("Chủ đề"), validators=[_too_long("topic")])
    trainer_id = ChoiceField(_l("Giảng viên"), coerce=optional_id, validate_choice=False)
    repeat_days = IntegerField(
        _l("Lặp lại cho số ngày liên tiếp"),
        default=1,
        validators=[
            Optional(),
            NumberRange(1, 30, message=_l("Số ngày phải từ %(min)s đến %(max)s.")),
        ],
        description=_l("Ví dụ 5: năm buổi cùng giờ, năm ngày liên tiếp (kể cả cuối tuần)."),
        render_kw={"inputmode": "numeric"},
    )
    submit = SubmitField(_l("Thêm buổi học"))

    def session_values(self) -> dict:
        return {
            "day": self.day.data,
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "place": self.place.data,
            "topic": self.topic.data,
            "trainer_id": self.trainer_id.data,
        }


class SessionEditForm(SessionForm):
    repeat_days = None
    submit = SubmitField(_l("Lưu thay đổi"))


class ConfirmForm(FlaskForm):
    """A POST button (CSRF only): cancel, copy, cancel a session."""

    submit = SubmitField(_l("Xác nhận"))
