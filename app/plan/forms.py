"""Forms of the plan's entered figures: an elected body's seats, the seats CSV, an
organization's yearly collaborator and volunteer counts. Labels are lazily translated; the
figures' rules (women within seats, no negative number) are the services' refusals, shown on
the field they name."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from ..forms import ChoiceField, DayMonthYearField, FlaskForm
from .models import SOURCE_LIMIT


def _source_field():
    return StringField(
        _l("Văn bản nguồn"),
        description=_l("Số, ngày của nghị quyết, biên bản hoặc báo cáo có số liệu này."),
        validators=[Length(max=SOURCE_LIMIT, message=_l("Tối đa %(max)d ký tự."))],
    )


class SeatEntryForm(FlaskForm):
    body = ChoiceField(_l("Cơ quan dân cử"), choices=[])
    seats = IntegerField(
        _l("Tổng số đại biểu"), validators=[InputRequired(message=_l("Hãy nhập tổng số đại biểu."))]
    )
    women = IntegerField(
        _l("Số đại biểu nữ"), validators=[InputRequired(message=_l("Hãy nhập số đại biểu nữ."))]
    )
    entered_on = DayMonthYearField(
        _l("Áp dụng từ ngày"),
        description=_l(
            "Số liệu được tính từ ngày này (ví dụ ngày công bố kết quả bầu cử). Số liệu cũ được "
            "giữ lại; muốn sửa thì nhập một số liệu mới."
        ),
        validators=[InputRequired(message=_l("Hãy nhập ngày áp dụng."))],
    )
    source = _source_field()
    save = SubmitField(_l("Thêm số liệu"))


class SeatsUploadForm(FlaskForm):
    file = FileField(
        _l("Tệp CSV số đại biểu"),
        description=_l(
            "Các cột: body, seats, women, entered_on, source (UTF-8). Có một dòng lỗi thì không "
            "ghi dòng nào."
        ),
        validators=[FileRequired(message=_l("Chọn tệp cần nhập."))],
        render_kw={"accept": ".csv,text/csv"},
    )
    upload = SubmitField(_l("Nhập từ tệp"))


class CollaboratorForm(FlaskForm):
    year = IntegerField(_l("Năm"), validators=[InputRequired(message=_l("Hãy nhập năm."))])
    collaborators = IntegerField(
        _l("Số cộng tác viên"),
        validators=[InputRequired(message=_l("Hãy nhập số cộng tác viên."))],
    )
    volunteers = IntegerField(
        _l("Số tình nguyện viên"),
        validators=[InputRequired(message=_l("Hãy nhập số tình nguyện viên."))],
    )
    source = _source_field()
    save = SubmitField(_l("Thêm số liệu năm"))
