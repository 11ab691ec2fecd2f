"""Forms of the yearly report pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from ...forms import FlaskForm
from .models import TEXT_LIMIT

_TOO_LONG = _l("Nội dung dài tối đa %(max)d ký tự.")


class ReportTextForm(FlaskForm):
    """The free-text part of a draft and what to do with it (save, recompute, submit)."""

    results = TextAreaField(
        _l("Kết quả thực hiện"),
        validators=[Length(max=TEXT_LIMIT, message=_TOO_LONG)],
        description=_l("Những việc đơn vị đã làm trong năm để thực hiện Kế hoạch."),
    )
    difficulties = TextAreaField(
        _l("Khó khăn, vướng mắc"), validators=[Length(max=TEXT_LIMIT, message=_TOO_LONG)]
    )
    proposals = TextAreaField(
        _l("Kiến nghị, đề xuất"), validators=[Length(max=TEXT_LIMIT, message=_TOO_LONG)]
    )
    save = SubmitField(_l("Lưu"))
    recompute = SubmitField(_l("Tính lại số liệu"))
    submit = SubmitField(_l("Nộp báo cáo"))


class StartForm(FlaskForm):
    """Start the year's draft (a new version when one was submitted)."""

    start = SubmitField(_l("Lập báo cáo"))
