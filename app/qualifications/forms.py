"""Forms of qualification records: HR's entry and correction, the official's proposal with a
scan, and the review of a proposal. Labels are lazily translated; messages are Vietnamese."""

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..domain.ladders import LADDERS
from ..forms import ChoiceField, DayMonthYearField, FlaskForm, VersionField
from ..i18n import label
from .services import MAX_SCAN_BYTES, TEXT_LIMITS

REASON_MAX_LENGTH = 1000
SCAN_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def _too_long(limit: int):
    return Length(max=limit, message=_l("Tối đa %(max)d ký tự."))


def ladder_choices() -> list[tuple[str, str]]:
    return [("", _("— Chọn loại —")), *((code, label(ladder)) for code, ladder in LADDERS.items())]


def level_choices(ladder_code: str) -> list[tuple[str, str]]:
    """The levels one can record on a ladder (never "none": no record means none)."""
    levels = LADDERS[ladder_code].levels
    return [
        ("", _("— Chọn trình độ —")),
        *((lv.code, label(lv)) for lv in levels if lv.code != "none"),
    ]


def level_field_name(ladder_code: str) -> str:
    return f"level_{ladder_code}"


def _level_field(ladder_code: str) -> ChoiceField:
    # One select per ladder: a small script shows the one of the chosen ladder; without
    # JavaScript every select shows, each labelled with its ladder, and only the chosen
    # ladder's is read.
    return ChoiceField(
        LazyString(lambda: _("Trình độ: %(ladder)s", ladder=label(LADDERS[ladder_code]))),
        choices=lambda: level_choices(ladder_code),
        validate_choice=False,
        default="",
        render_kw={"data-level-for": ladder_code},
    )


class RecordForm(FlaskForm):
    """A record as HR enters or corrects it."""

    ladder = ChoiceField(
        _l("Loại văn bằng, chứng chỉ"),
        choices=ladder_choices,
        validators=[DataRequired(message=_l("Chọn loại văn bằng, chứng chỉ."))],
        render_kw={"data-ladder-select": ""},
    )
    issued_on = DayMonthYearField(
        _l("Ngày cấp"),
        validators=[Optional()],
        description=_l("Để trống nếu không rõ: văn bằng khi đó được tính ở mọi thời điểm."),
    )
    institution = StringField(
        _l("Cơ sở đào tạo, nơi cấp"), validators=[_too_long(TEXT_LIMITS["institution"])]
    )
    certificate_number = StringField(
        _l("Số hiệu văn bằng, chứng chỉ"),
        validators=[_too_long(TEXT_LIMITS["certificate_number"])],
    )
    field_of_study = StringField(
        _l("Chuyên ngành"), validators=[_too_long(TEXT_LIMITS["field_of_study"])]
    )
    note = TextAreaField(
        _l("Ghi chú"), validators=[_too_long(TEXT_LIMITS["note"])], render_kw={"rows": 2}
    )
    version = VersionField()
    submit = SubmitField(_l("Lưu"))

    def level_fields(self):
        return [getattr(self, level_field_name(code)) for code in LADDERS]

    def chosen_level_field(self):
        ladder = self.ladder.data
        return getattr(self, level_field_name(ladder)) if ladder in LADDERS else None

    @property
    def level(self) -> str | None:
        chosen = self.chosen_level_field()
        return chosen.data if chosen is not None else None

    def set_level(self, ladder: str, level: str) -> None:
        self.ladder.data = ladder
        getattr(self, level_field_name(ladder)).data = level

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = self.chosen_level_field()
        if chosen is None:
            return False
        ladder = LADDERS[self.ladder.data]
        if not chosen.data:
            chosen.errors = [*chosen.errors, _("Chọn trình độ.")]
            return False
        if chosen.data not in ladder.codes or chosen.data == "none":
            message = _(
                "Trình độ “%(level)s” không thuộc loại “%(ladder)s”; hãy chọn một trình độ "
                "của loại này.",
                level=chosen.data,
                ladder=label(ladder),
            )
            chosen.errors = [*chosen.errors, message]
            return False
        return valid

    def details(self) -> dict:
        """Everything but the ladder and level, as the services take it."""
        return {
            "issued_on": self.issued_on.data,
            "institution": self.institution.data,
            "certificate_number": self.certificate_number.data,
            "field_of_study": self.field_of_study.data,
            "note": self.note.data,
        }


for _code in LADDERS:
    setattr(RecordForm, level_field_name(_code), _level_field(_code))


class ProposalForm(RecordForm):
    """The official's own proposal: the same details and a scan of the certificate."""

    scan = FileField(
        _l("Bản chụp văn bằng, chứng chỉ"),
        description=LazyString(
            lambda: _(
                "Tệp PDF, PNG hoặc JPEG, tối đa %(n)d MB. Chỉ bạn và bộ phận tổ chức cán bộ "
                "xem được tệp này.",
                n=MAX_SCAN_BYTES // (1024 * 1024),
            )
        ),
        render_kw={"accept": SCAN_ACCEPT},
    )
    submit = SubmitField(_l("Gửi đề nghị"))

    def prefill_from(self, record) -> None:
        """Start from a rejected proposal ("propose again"): everything but the scan, which
        she sends anew."""
        self.set_level(record.ladder, record.level)
        self.issued_on.data = record.issued_on
        self.institution.data = record.institution
        self.certificate_number.data = record.certificate_number
        self.field_of_study.data = record.field_of_study
        self.note.data = record.note


class ActionForm(FlaskForm):
    """A button that changes something (delete, verify): CSRF and where to go back to."""

    next = HiddenField()
    version = VersionField()


class RejectForm(ActionForm):
    reason = TextAreaField(
        _l("Lý do từ chối"),
        validators=[
            DataRequired(message=_l("Cần nêu lý do từ chối.")),
            _too_long(REASON_MAX_LENGTH),
        ],
        render_kw={"rows": 2},
    )
