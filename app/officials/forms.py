"""Registry forms; labels are lazily translated, messages written in Vietnamese."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Form,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import ChoiceField, DayMonthYearField, FlaskForm, VersionField
from ..i18n import choices
from ..routing import optional_id
from .queries import AGE_BANDS, SORTS, OfficialFilters
from .services import NOTE_MAX_LENGTH

AGE_BAND_LABELS = {
    "under30": _l("Dưới 30 tuổi"),
    "30to39": _l("Từ 30 đến 39 tuổi"),
    "40to49": _l("Từ 40 đến 49 tuổi"),
    "50plus": _l("Từ 50 tuổi"),
}
SORT_LABELS = {
    "name": _l("Tên (thứ tự tiếng Việt)"),
    "code": _l("Mã cán bộ"),
    "birth_date": _l("Ngày sinh"),
    "organization": _l("Đơn vị"),
    "rank": _l("Bậc chức vụ (cao trước)"),
}


def _too_long(limit: int):
    return Length(max=limit, message=_l("Tối đa %(max)d ký tự."))


def _text_or_none(value):
    return value or None


# --- an official and her posts ----------------------------------------------------------


class PersonFields(FlaskForm):
    code = StringField(
        _l("Mã cán bộ"),
        validators=[InputRequired(message=_l("Nhập mã cán bộ.")), _too_long(40)],
    )
    full_name = StringField(
        _l("Họ và tên"),
        validators=[InputRequired(message=_l("Nhập họ và tên.")), _too_long(200)],
    )
    sex = ChoiceField(
        _l("Giới tính"),
        choices=lambda: choices("sex", blank=""),
        validators=[DataRequired(message=_l("Chọn giới tính."))],
    )
    birth_date = DayMonthYearField(
        _l("Ngày sinh"), validators=[InputRequired(message=_l("Nhập ngày sinh."))]
    )
    ethnicity = StringField(_l("Dân tộc"), default="Kinh", validators=[_too_long(50)])
    category = ChoiceField(
        _l("Loại"),
        choices=lambda: choices("category", blank=_l("— Chưa xác định —")),
        coerce=_text_or_none,
    )
    email = StringField(
        _l("Email"),
        validators=[Optional(), _too_long(254)],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    in_succession_pool = BooleanField(_l("Trong quy hoạch"))
    succession_post = StringField(
        _l("Chức danh được quy hoạch"),
        validators=[_too_long(255)],
        description=_l("Chỉ lưu khi cán bộ trong quy hoạch."),
    )

    def person_data(self) -> dict:
        return {
            "code": self.code.data.strip(),
            "full_name": self.full_name.data,
            "sex": self.sex.data,
            "birth_date": self.birth_date.data,
            "ethnicity": self.ethnicity.data,
            "category": self.category.data,
            "email": self.email.data,
            "in_succession_pool": self.in_succession_pool.data,
            "succession_post": (self.succession_post.data or "").strip() or None,
        }


class PostFields(FlaskForm):
    organization_id = ChoiceField(
        _l("Đơn vị"),
        coerce=optional_id,
        # The view checks the organization itself (it exists, it is within the user's scope).
        validate_choice=False,
        validators=[DataRequired(message=_l("Chọn đơn vị."))],
    )
    title = StringField(_l("Chức vụ"), validators=[_too_long(255)])
    position_rank = ChoiceField(
        _l("Bậc chức vụ"), choices=lambda: choices("position_rank"), default="staff"
    )
    party_committee = BooleanField(_l("Cấp ủy viên"))
    commune_key_post = BooleanField(_l("Chức danh chủ chốt cấp xã"))
    commune_full_time = BooleanField(_l("Cán bộ chuyên trách cấp xã"))
    key_leader = BooleanField(
        _l("Lãnh đạo chủ chốt"),
        description=_l("Người đứng đầu hoặc cấp phó của đơn vị (với HĐND, UBND: thường trực)."),
    )
    gender_equality_role = BooleanField(_l("Làm công tác bình đẳng giới"))
    appointed_on = DayMonthYearField(_l("Ngày bổ nhiệm"), validators=[Optional()])

    def post_data(self) -> dict:
        return {
            "title": self.title.data,
            "position_rank": self.position_rank.data,
            "party_committee": self.party_committee.data,
            "commune_key_post": self.commune_key_post.data,
            "commune_full_time": self.commune_full_time.data,
            "key_leader": self.key_leader.data,
            "gender_equality_role": self.gender_equality_role.data,
            "appointed_on": self.appointed_on.data,
        }


class OfficialCreateForm(PersonFields, PostFields):
    submit = SubmitField(_l("Tạo hồ sơ"))


class OfficialEditForm(PersonFields):
    version = VersionField()
    status = ChoiceField(
        _l("Tình trạng"),
        choices=lambda: choices("official_status"),
    )
    submit = SubmitField(_l("Lưu"))


class AppointmentForm(PostFields):
    left_on = DayMonthYearField(
        _l("Ngày thôi chức vụ"),
        validators=[Optional()],
        description=_l("Ngày đầu tiên không còn giữ chức vụ; để trống nếu đang giữ."),
    )
    is_primary = BooleanField(_l("Chức vụ chính"))
    version = VersionField()
    submit = SubmitField(_l("Lưu"))

    def post_data(self) -> dict:
        return {**super().post_data(), "left_on": self.left_on.data}


class EndAppointmentForm(FlaskForm):
    left_on = DayMonthYearField(
        _l("Ngày thôi chức vụ"),
        validators=[InputRequired(message=_l("Nhập ngày thôi chức vụ."))],
    )
    version = VersionField()
    submit = SubmitField(_l("Kết thúc chức vụ"))


# --- notes ---------------------------------------------------------------------------------


class RecordNoteForm(FlaskForm):
    text = TextAreaField(
        _l("Thông tin chưa đúng"),
        validators=[
            InputRequired(message=_l("Hãy ghi rõ thông tin nào chưa đúng.")),
            _too_long(NOTE_MAX_LENGTH),
        ],
        description=_l("Ví dụ: ngày sinh đúng là 17/05/1985."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Gửi phản ánh"))


class ResolveNoteForm(FlaskForm):
    resolution = TextAreaField(
        _l("Cách đã xử lý"),
        validators=[
            InputRequired(message=_l("Hãy ghi rõ cách đã xử lý phản ánh.")),
            _too_long(NOTE_MAX_LENGTH),
        ],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Đã xử lý"))


# --- the list's filters (GET, no CSRF) ------------------------------------------------------


class OfficialFilterForm(Form):
    q = StringField(
        _l("Tìm theo tên hoặc mã"),
        validators=[Length(max=100)],
        render_kw={"type": "search", "placeholder": _l("Ví dụ: nguyen thi lan")},
    )
    organization_id = ChoiceField(_l("Đơn vị (gồm đơn vị trực thuộc)"), coerce=optional_id)
    plan_level = ChoiceField(
        _l("Cấp"), choices=lambda: choices("plan_level", blank=_l("Tất cả")), coerce=_text_or_none
    )
    sex = ChoiceField(
        _l("Giới tính"), choices=lambda: choices("sex", blank=_l("Tất cả")), coerce=_text_or_none
    )
    position_rank = ChoiceField(
        _l("Bậc chức vụ"),
        choices=lambda: choices("position_rank", blank=_l("Tất cả")),
        coerce=_text_or_none,
    )
    age_band = ChoiceField(
        _l("Độ tuổi"),
        choices=lambda: [("", _l("Tất cả")), *((k, AGE_BAND_LABELS[k]) for k in AGE_BANDS)],
        coerce=_text_or_none,
    )
    pool = ChoiceField(
        _l("Quy hoạch"),
        choices=lambda: [("", _l("Tất cả")), ("yes", _l("Trong quy hoạch")), ("no", _l("Không"))],
        coerce=_text_or_none,
    )
    status = ChoiceField(
        _l("Tình trạng"),
        choices=lambda: [*choices("official_status"), ("all", _l("Tất cả"))],
        default="active",
    )
    sort = ChoiceField(
        _l("Sắp xếp theo"),
        choices=lambda: [(key, SORT_LABELS[key]) for key in SORTS],
        default="name",
    )

    def filters(self) -> tuple[OfficialFilters, str]:
        """The filters and sort asked for; a value that is not one of the choices is ignored."""
        self.validate()
        for field in self:
            if field.errors:
                field.data = field.default
                field.raw_data = None
                field.errors = []
        filters = OfficialFilters(
            q=(self.q.data or "").strip(),
            organization_id=self.organization_id.data,
            plan_level=self.plan_level.data,
            sex=self.sex.data,
            position_rank=self.position_rank.data,
            age_band=self.age_band.data,
            in_succession_pool={"yes": True, "no": False}.get(self.pool.data),
            status=None if self.status.data == "all" else self.status.data,
        )
        return filters, self.sort.data

    @property
    def narrowed(self) -> bool:
        """Does a filter other than the search narrow the list (to open the panel on phones)?"""
        fields = (self.organization_id, self.plan_level, self.sex, self.position_rank)
        fields += (self.age_band, self.pool, self.status)
        return any(field.data not in (None, "", field.default) for field in fields)
