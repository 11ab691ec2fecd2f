"""Forms of the Mục tiêu 3 pages: the dashboard and gaps filters (GET), target sets, settings."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..domain.targets import GROUPS, ITEMS_BY_POPULATION, OPERATORS, POPULATIONS
from ..forms import ChoiceField, DayMonthYearField, FlaskForm
from ..settings import AGE_LIMITS
from .labels import GROUP_LABELS, ITEM_LABELS, OPERATOR_LABELS, POPULATION_LABELS


class FilterForm(FlaskForm):
    """The filters of the dashboard and the gaps page, read from the query string."""

    class Meta:
        csrf = False

    as_of = DayMonthYearField(_l("Ngày"), validators=[Optional()])
    target_set = ChoiceField(_l("Bộ chỉ tiêu"), validators=[Optional()])
    group = ChoiceField(_l("Nhóm"), validators=[Optional()])
    organization_id = ChoiceField(_l("Đơn vị"), validators=[Optional()])


class DashboardForm(FilterForm):
    pass


def _all_items():
    seen = []
    for items in ITEMS_BY_POPULATION.values():
        seen.extend(item for item in items if item not in seen)
    return seen


class GapsForm(FilterForm):
    population = ChoiceField(_l("Cấp"), validators=[Optional()])
    missing = ChoiceField(_l("Còn thiếu"), validators=[Optional()])
    # By default only officials who lack something; "all" shows those who lack nothing too.
    show = ChoiceField(_l("Hiển thị"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.population.choices = [("", _l("Tất cả"))] + [
            (code, POPULATION_LABELS[code]) for code in POPULATIONS
        ]
        self.missing.choices = [("", _l("Bất kỳ"))] + [
            (item, ITEM_LABELS[item]) for item in _all_items()
        ]
        self.show.choices = [("", _l("Chỉ cán bộ còn thiếu")), ("all", _l("Tất cả cán bộ"))]


def group_choices(blank=None):
    choices = [(code, GROUP_LABELS[code]) for code in GROUPS]
    return ([("", blank)] if blank else []) + choices


class CopyTargetSetForm(FlaskForm):
    code = StringField(_l("Mã bộ mới"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Tên bộ mới"), validators=[DataRequired(), Length(max=255)])
    submit = SubmitField(_l("Sao chép"))


class DeadlineForm(FlaskForm):
    deadline = DayMonthYearField(_l("Hạn hoàn thành"), validators=[InputRequired()])
    submit = SubmitField(_l("Lưu hạn"))


class IndicatorForm(FlaskForm):
    indicator = StringField(validators=[DataRequired()])
    operator = ChoiceField(
        _l("Phép so sánh"), choices=[(op, OPERATOR_LABELS[op]) for op in OPERATORS]
    )
    threshold = IntegerField(
        _l("Ngưỡng (%)"),
        validators=[InputRequired(_l("Hãy nhập ngưỡng.")), NumberRange(0, 100)],
    )


class SettingsForm(FlaskForm):
    young_age_upper = IntegerField(
        _l("Tuổi trẻ – lãnh đạo cấp tỉnh, cấp huyện (dưới)"),
        validators=[InputRequired(), NumberRange(*AGE_LIMITS)],
    )
    young_age_upper_commune = IntegerField(
        _l("Tuổi trẻ – cán bộ cấp xã (dưới)"),
        validators=[InputRequired(), NumberRange(*AGE_LIMITS)],
    )
    medical_counts_as_postgraduate = BooleanField(
        _l("Bằng chuyên khoa y (bác sĩ chuyên khoa, nội trú) được tính là sau đại học")
    )
    submit = SubmitField(_l("Lưu thiết lập"))
